//! The [`Client`] and its [`ClientBuilder`].

use std::fmt;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use http::{HeaderValue, Method};
use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

use crate::auth::Credentials;
use crate::error::{Error, Result};
use crate::pagination::{ListItem, ListRequest, MAX_PAGE_SIZE};
use crate::request::{Call, Expect};
use crate::retry::{Clock, RequestClass, RetryPolicy, SystemClock};
use crate::site::Site;
use crate::throttle::{Throttle, Throttler};

/// The API version the models follow, pinned in the `Accept` header by default.
pub const DEFAULT_API_VERSION: &str = "2025.8";

/// The codebase used until discovery says otherwise.
pub const DEFAULT_CODEBASE: &str = "v4_6_release/";

/// The longest URL the server accepts, the default of [`ClientBuilder::max_url_len`].
pub const DEFAULT_MAX_URL_LEN: usize = 2000;

/// The largest response body read, the default of [`ClientBuilder::max_response_bytes`]:
/// 64 MiB, several times a full page of 1,000 records with every field.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

/// A ConnectWise Manage client. Cloning is cheap: clones share connections, the throttle
/// and the discovered codebase.
///
/// ```no_run
/// # async fn run() -> connectwise_api::Result<()> {
/// use connectwise_api::{Client, Region, Site};
///
/// let client = Client::builder()
///     .company("examplemsp")
///     .public_key("public")
///     .private_key("private")
///     .client_id("11111111-2222-4333-8444-555555555555")
///     .site(Site::Cloud(Region::Na))
///     .build()?;
/// let company = client.companies().get(250).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub http: reqwest::Client,
    pub root: Url,
    pub credentials: Credentials,
    pub authorization: HeaderValue,
    pub client_id: HeaderValue,
    pub server: RwLock<ServerState>,
    pub configured_version: String,
    pub retry: RetryPolicy,
    pub clock: Arc<dyn Clock>,
    pub throttle: Option<Throttler>,
    pub page_size: u32,
    pub max_url_len: usize,
    pub max_response_bytes: usize,
    pub codebase_discovery: bool,
    pub discovered: AtomicBool,
    pub discovery_lock: tokio::sync::Mutex<()>,
    pub page_size_fallback: bool,
}

/// What the client has learnt about the server.
#[derive(Debug, Clone)]
pub(crate) struct ServerState {
    pub codebase: String,
    pub api_version: String,
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The company id the client signs in with.
    pub fn company(&self) -> &str {
        self.inner.credentials.company()
    }

    /// The current API base URL, e.g. `https://api-na.myconnectwise.net/v4_6_release/apis/3.0/`.
    pub fn base_url(&self) -> Url {
        let codebase = self.server().codebase;
        let mut url = self.inner.root.clone();
        let path = format!("{}{codebase}apis/3.0/", self.inner.root.path());
        url.set_path(&path);
        url
    }

    /// The API version currently pinned in the `Accept` header.
    pub fn api_version(&self) -> String {
        self.server().api_version
    }

    /// The page size lists use unless told otherwise.
    pub fn default_page_size(&self) -> u32 {
        self.inner.page_size
    }

    /// The longest URL the client sends.
    pub fn max_url_len(&self) -> usize {
        self.inner.max_url_len
    }

    pub(crate) fn server(&self) -> ServerState {
        match self.inner.server.read() {
            Ok(state) => state.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Reads any API path as raw JSON, e.g. `client.get_json("/system/info")`.
    pub async fn get_json(&self, path: &str) -> Result<Value> {
        let path = format!("/{}", path.trim_start_matches('/'));
        self.get_decoded(&path, "").await
    }

    /// Sends a JSON body to any API path with POST and returns the answer as raw JSON.
    /// Like every POST, it is never resent once it may have reached the server.
    pub async fn post_json<B: serde::Serialize + ?Sized>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<Value> {
        let path = format!("/{}", path.trim_start_matches('/'));
        let body = serde_json::to_vec(body).map_err(|e| Error::InvalidRequest {
            reason: format!("the body cannot be written as JSON: {e}"),
        })?;
        self.send_json(Method::POST, &path, RequestClass::NonIdempotent, body)
            .await
    }

    /// Lists any collection as raw JSON values, with the same filters and paging as the
    /// typed lists.
    ///
    /// ```no_run
    /// # async fn run(client: connectwise_api::Client) -> connectwise_api::Result<()> {
    /// use futures::TryStreamExt;
    /// let rows: Vec<serde_json::Value> = client
    ///     .list_json("/company/contacts")
    ///     .conditions("company/id=250")
    ///     .stream()
    ///     .try_collect()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn list_json(&self, path: &str) -> ListRequest<Value> {
        ListRequest::new(self.clone(), path)
    }

    /// A list request on any path, decoded into your own record type (one that
    /// implements [`ListItem`]), for collections this crate has no model of.
    pub fn list_of<T: ListItem>(&self, path: &str) -> ListRequest<T> {
        ListRequest::new(self.clone(), path)
    }

    /// GET a path with an encoded query and decode the body.
    pub(crate) async fn get_decoded<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &str,
    ) -> Result<T> {
        let call = Call::api(Method::GET, path, RequestClass::Read).with_query(query.to_owned());
        let received = self.execute(call).await?;
        crate::request::decode(&Method::GET, path, &received.body)
    }

    /// Sends a JSON body and decodes the answer.
    pub(crate) async fn send_json<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        class: RequestClass,
        body: Vec<u8>,
    ) -> Result<T> {
        let call = Call::api(method.clone(), path, class).with_body(body);
        let received = self.execute(call).await?;
        crate::request::decode(&method, path, &received.body)
    }

    /// Sends a JSON body with a query string and decodes the answer.
    pub(crate) async fn send_json_with_query<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        query: &str,
        class: RequestClass,
        body: Vec<u8>,
    ) -> Result<T> {
        let call = Call::api(method.clone(), path, class)
            .with_query(query.to_owned())
            .with_body(body);
        let received = self.execute(call).await?;
        crate::request::decode(&method, path, &received.body)
    }

    /// Sends a request documented to answer with no content.
    pub(crate) async fn send_no_content(&self, method: Method, path: &str) -> Result<()> {
        let mut call = Call::api(method, path, RequestClass::IdempotentWrite);
        call.expect = Expect::Nothing;
        self.execute(call).await.map(|_| ())
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("company", &self.company())
            .field("base_url", &self.base_url().as_str())
            .field("api_version", &self.api_version())
            .field("retry", &self.inner.retry)
            .field("throttle", &self.inner.throttle)
            .field("page_size", &self.inner.page_size)
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`]. Company, public key, private key, client id and site are
/// required; everything else has a default.
#[derive(Default)]
pub struct ClientBuilder {
    company: Option<String>,
    public_key: Option<String>,
    private_key: Option<String>,
    client_id: Option<String>,
    site: Option<Site>,
    codebase: Option<String>,
    api_version: Option<String>,
    allow_insecure_http: bool,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    user_agent: Option<String>,
    retry: Option<RetryPolicy>,
    clock: Option<Arc<dyn Clock>>,
    throttle: Option<Option<Throttle>>,
    page_size: Option<u32>,
    max_url_len: Option<usize>,
    max_response_bytes: Option<usize>,
    codebase_discovery: bool,
    page_size_fallback: bool,
    root_certificates: Vec<Vec<u8>>,
}

impl ClientBuilder {
    /// The company id: the name typed in the Company box of the login screen.
    pub fn company(mut self, company: impl Into<String>) -> Self {
        self.company = Some(company.into());
        self
    }

    /// The API member's public key (or the integrator user name).
    pub fn public_key(mut self, key: impl Into<String>) -> Self {
        self.public_key = Some(key.into());
        self
    }

    /// The API member's private key (or the integrator password).
    pub fn private_key(mut self, key: impl Into<String>) -> Self {
        self.private_key = Some(key.into());
        self
    }

    /// The integration's clientId GUID, sent as the `clientId` header.
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }

    /// The server: a region, a host name or a root URL.
    pub fn site(mut self, site: impl Into<Site>) -> Self {
        self.site = Some(site.into());
        self
    }

    /// The codebase (default `v4_6_release/`); a trailing `/` is added when missing.
    pub fn codebase(mut self, codebase: impl Into<String>) -> Self {
        self.codebase = Some(codebase.into());
        self
    }

    /// The API version pinned in the `Accept` header (default `2025.8`).
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self
    }

    /// Accepts a plain `http://` site URL on a loopback host (`127.0.0.1`, `::1`,
    /// `localhost`), for fakes; plain http to any other host is always refused.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Time allowed to open a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Trusts the certificate authorities of a PEM file's text, besides the public ones:
    /// for a self-hosted server whose certificate a private CA signed, or a proxy that
    /// inspects TLS. A text with no certificate fails [`build`](Self::build).
    pub fn root_certificates_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_certificates.push(pem.into());
        self
    }

    /// Time allowed for a whole request, body included (default 120 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header (default `connectwise-api/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// How requests are retried; [`RetryPolicy::disabled`] turns retrying off.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The clock used for retry waits; tests install one that does not really sleep.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// The client-side throttle (default 600 requests a minute, 4 in flight); `None`
    /// turns it off, for fakes and benchmarks.
    pub fn throttle(mut self, throttle: Option<Throttle>) -> Self {
        self.throttle = Some(throttle);
        self
    }

    /// The default page size of lists, 1 to 1000 (default 1000).
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = Some(page_size);
        self
    }

    /// The longest URL sent (default 2,000 characters).
    pub fn max_url_len(mut self, max: usize) -> Self {
        self.max_url_len = Some(max);
        self
    }

    /// The largest response body read (default 64 MiB). A longer body, announced or
    /// streamed, ends the call with [`Error::ResponseTooLarge`] without reading the rest.
    pub fn max_response_bytes(mut self, max: usize) -> Self {
        self.max_response_bytes = Some(max);
        self
    }

    /// Reads the codebase from `login/companyinfo` before the first call, and reads it
    /// again once when a call answers 404 (hosted codebases move after upgrades).
    pub fn codebase_discovery(mut self, on: bool) -> Self {
        self.codebase_discovery = on;
        self
    }

    /// When a server refuses the page size with `OutOfRange`, asks again once with the
    /// maximum named in its message and keeps that size for the rest of the listing.
    pub fn page_size_fallback(mut self, on: bool) -> Self {
        self.page_size_fallback = on;
        self
    }

    /// Checks the configuration and builds the client. Sends nothing.
    pub fn build(self) -> Result<Client> {
        let missing = |field: &str| Error::Config {
            field: field.to_owned(),
            reason: "is required".to_owned(),
        };
        let credentials = Credentials::new(
            self.company.ok_or_else(|| missing("company"))?,
            self.public_key.ok_or_else(|| missing("publicKey"))?,
            self.private_key.ok_or_else(|| missing("privateKey"))?,
            self.client_id.ok_or_else(|| missing("clientId"))?,
        )?;
        let root = self.site.ok_or_else(|| missing("site"))?.root()?;
        if root.scheme() == "http" && !self.allow_insecure_http {
            return Err(Error::Config {
                field: "site".to_owned(),
                reason: "plain http is refused; use https, or allow_insecure_http(true) for a \
                         local fake"
                    .to_owned(),
            });
        }
        if root.scheme() == "http" && !is_loopback(&root) {
            return Err(Error::Config {
                field: "site".to_owned(),
                reason: format!(
                    "plain http to `{}` is refused: it is allowed for a loopback host \
                     (127.0.0.1, ::1, localhost) only; use https",
                    root.host_str().unwrap_or_default()
                ),
            });
        }
        let page_size = self.page_size.unwrap_or(MAX_PAGE_SIZE);
        if page_size > MAX_PAGE_SIZE {
            return Err(Error::PageSizeTooLarge {
                requested: page_size,
                max: MAX_PAGE_SIZE,
            });
        }
        if page_size == 0 {
            return Err(Error::Config {
                field: "page_size".to_owned(),
                reason: "must be at least 1".to_owned(),
            });
        }
        let codebase = normalise_codebase(self.codebase.as_deref().unwrap_or(DEFAULT_CODEBASE))?;
        let api_version = self
            .api_version
            .unwrap_or_else(|| DEFAULT_API_VERSION.to_owned());
        if api_version.is_empty() || !api_version.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return Err(Error::Config {
                field: "api_version".to_owned(),
                reason: format!("`{api_version}` is not a version such as 2025.8"),
            });
        }
        let user_agent = self
            .user_agent
            .unwrap_or_else(|| format!("connectwise-api/{}", env!("CARGO_PKG_VERSION")));

        let mut http = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout.unwrap_or(Duration::from_secs(10)))
            .timeout(self.timeout.unwrap_or(Duration::from_secs(120)))
            .user_agent(user_agent)
            // NB: credentials go to the configured host only, so redirects are not followed.
            .redirect(reqwest::redirect::Policy::none());
        for pem in &self.root_certificates {
            for certificate in root_certificates(pem)? {
                http = http.add_root_certificate(certificate);
            }
        }
        let http = http.build().map_err(|e| Error::Config {
            field: "http".to_owned(),
            reason: format!("the HTTP client could not be built: {e}"),
        })?;
        let throttle = match self.throttle.unwrap_or(Some(Throttle::default())) {
            Some(settings) => Some(Throttler::new(settings)?),
            None => None,
        };

        let inner = Inner {
            http,
            root,
            authorization: credentials.authorization()?,
            client_id: credentials.client_id()?,
            credentials,
            server: RwLock::new(ServerState {
                codebase,
                api_version: api_version.clone(),
            }),
            configured_version: api_version,
            retry: self.retry.unwrap_or_default(),
            clock: self.clock.unwrap_or_else(|| Arc::new(SystemClock)),
            throttle,
            page_size,
            max_url_len: self.max_url_len.unwrap_or(DEFAULT_MAX_URL_LEN),
            max_response_bytes: self
                .max_response_bytes
                .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
            codebase_discovery: self.codebase_discovery,
            discovered: AtomicBool::new(false),
            discovery_lock: tokio::sync::Mutex::new(()),
            page_size_fallback: self.page_size_fallback,
        };
        Ok(Client {
            inner: Arc::new(inner),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("company", &self.company)
            .field("site", &self.site)
            .field("codebase", &self.codebase)
            .field("api_version", &self.api_version)
            .field("retry", &self.retry)
            .field("throttle", &self.throttle)
            .field("root_certificates", &self.root_certificates.len())
            .finish_non_exhaustive()
    }
}

/// The certificates of a PEM text; one with none is a configuration error.
fn root_certificates(pem: &[u8]) -> Result<Vec<reqwest::Certificate>> {
    let refuse = |reason: String| Error::Config {
        field: "root_certificates".to_owned(),
        reason,
    };
    // NB: the parser's own error says only "builder error"; what went wrong is a block.
    let certificates = reqwest::Certificate::from_pem_bundle(pem).map_err(|_| {
        refuse(
            "a certificate in the PEM text is damaged (the text between its BEGIN and END \
             lines is not a certificate)"
                .to_owned(),
        )
    })?;
    if certificates.is_empty() {
        return Err(refuse(
            "the PEM text holds no certificate (`-----BEGIN CERTIFICATE-----`)".to_owned(),
        ));
    }
    Ok(certificates)
}

/// Whether a URL names this machine: `localhost`, or a loopback address.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Makes a codebase end in exactly one `/` and refuses characters that do not belong.
pub(crate) fn normalise_codebase(codebase: &str) -> Result<String> {
    let trimmed = codebase.trim().trim_matches('/');
    let valid = !trimmed.is_empty()
        && trimmed
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if !valid {
        return Err(Error::Config {
            field: "codebase".to_owned(),
            reason: format!("`{codebase}` is not a codebase such as v4_6_release/"),
        });
    }
    Ok(format!("{trimmed}/"))
}
