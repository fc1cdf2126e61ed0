//! The fake's pure core: routes a request, applies faults and limits, counts, answers.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use http::Method;
use serde_json::{json, Map, Value};

use super::account::{user_details, Account};
use super::auth::Auth;
use super::clock::FakeClock;
use super::counters::{Counters, Endpoint, RequestRecord};
use super::faults::{Fault, FaultPlan};
use super::rate_limit::Limiter;
use super::reply::{message, FakeReply, FakeRequest};

/// The request log keeps at most this many records (the oldest go first).
const LOG_CAP: usize = 100_000;

/// Which search paths the fake answers; the other answers 404.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SearchPaths {
    /// Both `/search/objects` and `/objects/search` (the default).
    #[default]
    Both,
    /// Only `/v3/groups/{gid}/search/objects`.
    SearchObjects,
    /// Only `/v3/groups/{gid}/objects/search`.
    ObjectsSearch,
}

/// Where a request was routed.
struct Route {
    endpoint: Endpoint,
    group: Option<String>,
    object: Option<String>,
}

/// The state behind the lock.
#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) account: Account,
    pub(crate) auth: Auth,
    pub(crate) faults: FaultPlan,
    pub(crate) limiter: Option<Limiter>,
    pub(crate) counters: Counters,
    pub(crate) log: VecDeque<RequestRecord>,
    pub(crate) seq: u64,
    pub(crate) seed: u64,
    pub(crate) clock: FakeClock,
    pub(crate) search_paths: SearchPaths,
    pub(crate) raw_transport: bool,
}

/// The fake Asset Panda account and the logic that answers requests, with no socket.
///
/// Cheap to clone; clones share one state. [`FakeAssetPanda`](super::FakeAssetPanda) serves
/// one over HTTP and dereferences to it, so everything here is also available on the
/// running server.
#[derive(Clone)]
pub struct FakeCore {
    inner: Arc<Mutex<Inner>>,
}

impl std::fmt::Debug for FakeCore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeCore").finish_non_exhaustive()
    }
}

fn parse_body(body: &[u8]) -> Result<Value, FakeReply> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(body)
        .map_err(|e| message(400, &format!("The request body is not valid JSON ({e})")))
}

impl Inner {
    fn route(&self, method: &Method, path: &str) -> Route {
        let path = path.trim_end_matches('/');
        let mut route = Route {
            endpoint: Endpoint::Unknown,
            group: None,
            object: None,
        };
        if *method == Method::POST && path == self.auth.v3_login_path {
            route.endpoint = Endpoint::LoginV3;
            return route;
        }
        let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let search_ok = |style: SearchPaths| {
            self.search_paths == SearchPaths::Both || self.search_paths == style
        };
        route.endpoint = match (method.as_str(), parts.as_slice()) {
            ("POST", ["v2", "session", "token"]) => Endpoint::LoginV2,
            ("GET", ["v3", "settings"]) => Endpoint::Settings,
            ("GET", ["v3", "users", "me"]) => Endpoint::CurrentUser,
            ("GET", ["v3", "groups"]) => Endpoint::Groups,
            (_, ["v3", "groups", gid, rest @ ..]) => {
                route.group = Some((*gid).to_owned());
                match (method.as_str(), rest) {
                    ("GET", []) => Endpoint::Group,
                    ("GET", ["fields"]) => Endpoint::Fields,
                    ("GET", ["statuses"]) => Endpoint::Statuses,
                    ("POST", ["search", "objects"]) if search_ok(SearchPaths::SearchObjects) => {
                        Endpoint::Search
                    }
                    ("POST", ["objects", "search"]) if search_ok(SearchPaths::ObjectsSearch) => {
                        Endpoint::Search
                    }
                    ("POST", ["objects"]) => Endpoint::Create,
                    ("PUT", ["objects"]) => Endpoint::UpdateMany,
                    ("POST", ["objects", "archive"]) => Endpoint::Archive,
                    ("POST", ["objects", "unarchive"]) => Endpoint::Unarchive,
                    ("GET" | "PATCH" | "PUT", ["objects", oid]) => {
                        route.object = Some((*oid).to_owned());
                        if *method == Method::GET {
                            Endpoint::GetObject
                        } else {
                            Endpoint::UpdateOne
                        }
                    }
                    _ => Endpoint::Unknown,
                }
            }
            _ => Endpoint::Unknown,
        };
        route
    }

    fn handle(&mut self, request: &FakeRequest) -> FakeReply {
        self.seq += 1;
        let number = self.seq;
        let route = self.route(&request.method, &request.path);
        let endpoint = route.endpoint;
        self.counters
            .record(&request.method, endpoint, request.body.len());
        let mut fault_name = None;
        let reply = match self.limiter.as_mut().map(|l| l.admit(self.clock.now())) {
            Some(Err(wait)) => {
                self.counters.record_throttled();
                let limit = self.limiter.as_ref().map(|l| l.limit);
                let (calls, secs) = limit.map_or((0, 0), |l| (l.max_calls, l.window.as_secs()));
                let text = format!(
                    "Rate limit of {calls} calls per {secs} seconds exceeded. \
                     Try again in {wait} seconds."
                );
                message(429, &text).header("Retry-After", wait.to_string())
            }
            _ => match self.faults.pick(self.seed, number, endpoint) {
                None => self.dispatch(&route, request),
                Some(chosen) => {
                    self.counters.record_fault();
                    fault_name = Some(chosen.fault.to_string());
                    if chosen.fault == Fault::TokenExpired {
                        if let Some(token) = Auth::bearer(&request.headers) {
                            self.auth.expire(&token);
                        }
                    }
                    let real = (chosen.after_apply || chosen.fault.wraps_real_answer())
                        .then(|| self.dispatch(&route, request));
                    chosen.fault.render(real)
                }
            },
        };
        let status =
            (reply.raw != Some(super::reply::RawFault::DropConnection)).then_some(reply.status);
        self.counters
            .record_reply(&request.method, endpoint, status, reply.bytes_on_wire());
        if self.log.len() == LOG_CAP {
            self.log.pop_front();
        }
        self.log.push_back(RequestRecord {
            number,
            method: request.method.clone(),
            path: request.path.clone(),
            query: request.query.clone(),
            endpoint,
            status,
            fault: fault_name,
        });
        reply
    }

    fn dispatch(&mut self, route: &Route, request: &FakeRequest) -> FakeReply {
        match route.endpoint {
            Endpoint::LoginV3 => return self.auth.login_v3(&request.body),
            Endpoint::LoginV2 => {
                let json = request
                    .headers
                    .get(http::header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v.contains("json"));
                return self.auth.login_v2(&request.body, json);
            }
            // NB: routing comes before auth, so a wrong path is a 404 even without a token.
            Endpoint::Unknown => return message(404, "Not found"),
            _ => {}
        }
        if let Err(reply) = self.auth.check(&request.headers) {
            return reply;
        }
        let group_id = match &route.group {
            None => None,
            Some(raw) => match raw.parse::<u64>() {
                Ok(id) if self.account.groups.contains_key(&id) => Some(id),
                _ => return message(404, "Group not found"),
            },
        };
        let now = self.clock.now();
        let body = match route.endpoint {
            Endpoint::Search
            | Endpoint::Create
            | Endpoint::UpdateMany
            | Endpoint::UpdateOne
            | Endpoint::Archive
            | Endpoint::Unarchive => match parse_body(&request.body) {
                Ok(body) => body,
                Err(reply) => return reply,
            },
            _ => Value::Null,
        };
        let account = &mut self.account;
        match (route.endpoint, group_id) {
            (Endpoint::Settings, _) => {
                FakeReply::json(200, &account.settings_json(&self.auth.credentials.email))
            }
            (Endpoint::CurrentUser, _) => {
                FakeReply::json(200, &user_details(&self.auth.credentials.email))
            }
            (Endpoint::Groups, _) => FakeReply::json(200, &account.groups_json()),
            (Endpoint::Group, Some(gid)) => FakeReply::json(200, &account.groups[&gid].summary()),
            (Endpoint::Fields, Some(gid)) => {
                FakeReply::json(200, &account.groups[&gid].fields_json())
            }
            (Endpoint::Statuses, Some(gid)) => {
                FakeReply::json(200, &account.groups[&gid].statuses_json())
            }
            (Endpoint::Search, Some(gid)) => account.search(
                gid,
                &body,
                request.query_param("offset"),
                request.query_param("limit"),
            ),
            (Endpoint::GetObject, Some(gid)) => {
                let group = &account.groups[&gid];
                let object = route.object.as_deref().and_then(|id| group.object(id));
                match object {
                    Some(object) => FakeReply::json(200, &group.render(object)),
                    None => message(404, "Object not found"),
                }
            }
            (Endpoint::Create, Some(gid)) => match body {
                Value::Object(mut map) => match map.remove("objects") {
                    Some(Value::Array(items)) => match objects_of(items) {
                        Ok(items) => account.create(gid, items, true, now),
                        Err(reply) => reply,
                    },
                    Some(_) => message(400, "objects must be a list of objects"),
                    None => account.create(gid, vec![map], false, now),
                },
                _ => message(400, "The body must be a JSON object"),
            },
            (Endpoint::UpdateMany, Some(gid)) => match body.get("objects") {
                Some(Value::Array(items)) => match objects_of(items.clone()) {
                    Ok(items) => account.update(gid, items, false, now),
                    Err(reply) => reply,
                },
                _ => message(400, "The body must be {\"objects\": [...]}"),
            },
            (Endpoint::UpdateOne, Some(gid)) => match body {
                Value::Object(mut map) => {
                    let id = route.object.clone().unwrap_or_default();
                    map.insert("id".into(), json!(id));
                    account.update(gid, vec![map], true, now)
                }
                _ => message(400, "The body must be a JSON object"),
            },
            (Endpoint::Archive, Some(gid)) => account.set_archived(gid, &body, true, now),
            (Endpoint::Unarchive, Some(gid)) => account.set_archived(gid, &body, false, now),
            _ => message(404, "Not found"),
        }
    }
}

/// The items of an `objects` list, each a JSON object.
fn objects_of(items: Vec<Value>) -> Result<Vec<Map<String, Value>>, FakeReply> {
    items
        .into_iter()
        .enumerate()
        .map(|(at, item)| match item {
            Value::Object(map) => Ok(map),
            _ => Err(message(400, &format!("objects[{at}] is not a JSON object"))),
        })
        .collect()
}

impl FakeCore {
    pub(crate) fn from_inner(inner: Inner) -> Self {
        FakeCore {
            inner: Arc::new(Mutex::new(inner)),
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Answers one request: routing, auth, rate limit, faults, counters and the request
    /// log, exactly as the served fake does.
    ///
    /// ```
    /// use assetpanda_api::fake::{FakeAssetPanda, FakeRequest, GroupSpec};
    /// use http::Method;
    ///
    /// let core = FakeAssetPanda::builder().group(GroupSpec::companies()).build().unwrap();
    /// let request = FakeRequest::new(Method::GET, "/v3/groups").bearer(&core.token());
    /// let reply = core.handle(&request);
    /// assert_eq!(reply.status, 200);
    /// assert_eq!(reply.body_json()["groups"][0]["name"], "Companies");
    /// ```
    pub fn handle(&self, request: &FakeRequest) -> FakeReply {
        self.lock().handle(request)
    }
}
