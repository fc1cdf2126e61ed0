//! What the fake counts: requests by method and endpoint, bytes, statuses and faults.

use std::collections::BTreeMap;
use std::fmt;

use http::Method;

/// The operation a request was routed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Endpoint {
    /// `POST /v3/session/token` (or the configured v3 login path).
    LoginV3,
    /// `POST /v2/session/token`.
    LoginV2,
    /// `GET /v3/settings`.
    Settings,
    /// `GET /v3/users/me`.
    CurrentUser,
    /// `GET /v3/groups`.
    Groups,
    /// `GET /v3/groups/{gid}`.
    Group,
    /// `GET /v3/groups/{gid}/fields`.
    Fields,
    /// `GET /v3/groups/{gid}/statuses`.
    Statuses,
    /// `POST /v3/groups/{gid}/search/objects` or `/objects/search`.
    Search,
    /// `GET /v3/groups/{gid}/objects/{oid}`.
    GetObject,
    /// `POST /v3/groups/{gid}/objects`.
    Create,
    /// `PUT /v3/groups/{gid}/objects`.
    UpdateMany,
    /// `PATCH` (or `PUT`) `/v3/groups/{gid}/objects/{oid}`.
    UpdateOne,
    /// `POST /v3/groups/{gid}/objects/archive`.
    Archive,
    /// `POST /v3/groups/{gid}/objects/unarchive`.
    Unarchive,
    /// Anything else (answered 404).
    Unknown,
}

impl Endpoint {
    /// Whether the operation changes stored objects.
    pub fn is_write(self) -> bool {
        matches!(
            self,
            Endpoint::Create
                | Endpoint::UpdateMany
                | Endpoint::UpdateOne
                | Endpoint::Archive
                | Endpoint::Unarchive
        )
    }

    /// Whether the operation is a login.
    pub fn is_login(self) -> bool {
        matches!(self, Endpoint::LoginV3 | Endpoint::LoginV2)
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Endpoint::LoginV3 => "login-v3",
            Endpoint::LoginV2 => "login-v2",
            Endpoint::Settings => "settings",
            Endpoint::CurrentUser => "users-me",
            Endpoint::Groups => "groups",
            Endpoint::Group => "group",
            Endpoint::Fields => "fields",
            Endpoint::Statuses => "statuses",
            Endpoint::Search => "search",
            Endpoint::GetObject => "get-object",
            Endpoint::Create => "create",
            Endpoint::UpdateMany => "update-many",
            Endpoint::UpdateOne => "update-one",
            Endpoint::Archive => "archive",
            Endpoint::Unarchive => "unarchive",
            Endpoint::Unknown => "unknown",
        };
        f.write_str(name)
    }
}

/// Requests and body bytes of one method and endpoint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Requests received.
    pub requests: u64,
    /// Response body bytes sent (what the client was meant to read; a dropped connection
    /// sends none, a cut body counts what was sent).
    pub bytes_sent: u64,
    /// Request body bytes received.
    pub bytes_received: u64,
}

/// A snapshot of the fake's counters, from [`FakeCore::counters`](super::FakeCore::counters).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counters {
    by_endpoint: BTreeMap<(String, Endpoint), Tally>,
    by_status: BTreeMap<u16, u64>,
    faults: u64,
    throttled: u64,
}

impl Counters {
    pub(crate) fn record(&mut self, method: &Method, endpoint: Endpoint, received: usize) {
        let tally = self
            .by_endpoint
            .entry((method.as_str().to_owned(), endpoint))
            .or_default();
        tally.requests += 1;
        tally.bytes_received += received as u64;
    }

    pub(crate) fn record_reply(
        &mut self,
        method: &Method,
        endpoint: Endpoint,
        status: Option<u16>,
        sent: usize,
    ) {
        let tally = self
            .by_endpoint
            .entry((method.as_str().to_owned(), endpoint))
            .or_default();
        tally.bytes_sent += sent as u64;
        if let Some(status) = status {
            *self.by_status.entry(status).or_default() += 1;
        }
    }

    pub(crate) fn record_fault(&mut self) {
        self.faults += 1;
    }

    pub(crate) fn record_throttled(&mut self) {
        self.throttled += 1;
    }

    /// Every request received.
    pub fn requests(&self) -> u64 {
        self.by_endpoint.values().map(|t| t.requests).sum()
    }

    /// Requests to `endpoint`, whatever the method.
    pub fn requests_to(&self, endpoint: Endpoint) -> u64 {
        self.tally_of(endpoint).requests
    }

    /// Requests with `method` to `endpoint`.
    pub fn requests_by(&self, method: &Method, endpoint: Endpoint) -> u64 {
        self.by_endpoint
            .get(&(method.as_str().to_owned(), endpoint))
            .map_or(0, |t| t.requests)
    }

    /// Requests that change objects (create, updates, archive, unarchive).
    pub fn writes(&self) -> u64 {
        self.by_endpoint
            .iter()
            .filter(|((_, e), _)| e.is_write())
            .map(|(_, t)| t.requests)
            .sum()
    }

    /// Response body bytes sent, over every endpoint.
    pub fn bytes_sent(&self) -> u64 {
        self.by_endpoint.values().map(|t| t.bytes_sent).sum()
    }

    /// Request body bytes received, over every endpoint.
    pub fn bytes_received(&self) -> u64 {
        self.by_endpoint.values().map(|t| t.bytes_received).sum()
    }

    /// The tally of `endpoint`, summed over methods.
    pub fn tally_of(&self, endpoint: Endpoint) -> Tally {
        self.by_endpoint
            .iter()
            .filter(|((_, e), _)| *e == endpoint)
            .fold(Tally::default(), |mut sum, (_, t)| {
                sum.requests += t.requests;
                sum.bytes_sent += t.bytes_sent;
                sum.bytes_received += t.bytes_received;
                sum
            })
    }

    /// Every (method, endpoint) pair seen, with its tally, in a stable order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Endpoint, Tally)> + '_ {
        self.by_endpoint
            .iter()
            .map(|((method, endpoint), tally)| (method.as_str(), *endpoint, *tally))
    }

    /// Responses sent with `status` (a dropped connection has none).
    pub fn responses_with(&self, status: u16) -> u64 {
        self.by_status.get(&status).copied().unwrap_or(0)
    }

    /// Requests answered by an injected fault.
    pub fn faults_injected(&self) -> u64 {
        self.faults
    }

    /// Requests refused by the rate limit.
    pub fn throttled(&self) -> u64 {
        self.throttled
    }
}

/// One request as the fake saw it, from [`FakeCore::requests`](super::FakeCore::requests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    /// The request's number, counted from 1 since the fake started.
    pub number: u64,
    /// The HTTP method.
    pub method: Method,
    /// The path, without the query.
    pub path: String,
    /// The query string, if any.
    pub query: Option<String>,
    /// The operation it was routed to.
    pub endpoint: Endpoint,
    /// The status answered; `None` when the connection was dropped instead.
    pub status: Option<u16>,
    /// The injected fault, if one answered it.
    pub fault: Option<String>,
}
