//! The [`Client`] and its [`ClientBuilder`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;
use url::Url;

use crate::auth::{Credentials, TokenState};
use crate::dates::DateFormat;
use crate::error::{Error, Result};
use crate::retry::{Clock, RetryPolicy, SystemClock};
use crate::throttle::Throttle;

/// The default API host.
pub const DEFAULT_BASE_URL: &str = "https://api.assetpanda.com";

/// The default number of objects asked for per search page.
pub const DEFAULT_PAGE_SIZE: u32 = 50;

/// The largest response body read, the default of [`ClientBuilder::max_response_bytes`]:
/// 64 MiB. A full search page of 1,000 objects with every field is a few megabytes, so this
/// leaves room for wide accounts while keeping a broken or hostile server from filling the
/// memory of a sync that holds several answers at once.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

/// Where the object search lives; the vendor's documentation shows both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SearchPath {
    /// `/v3/groups/{id}/search/objects` (the default).
    SearchObjects,
    /// `/v3/groups/{id}/objects/search`.
    ObjectsSearch,
}

impl SearchPath {
    pub(crate) fn suffix(self) -> &'static str {
        match self {
            Self::SearchObjects => "search/objects",
            Self::ObjectsSearch => "objects/search",
        }
    }

    pub(crate) fn other(self) -> Self {
        match self {
            Self::SearchObjects => Self::ObjectsSearch,
            Self::ObjectsSearch => Self::SearchObjects,
        }
    }
}

/// The HTTP method used to update a single object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum UpdateMethod {
    /// `PATCH /v3/groups/{gid}/objects/{oid}` (documented; the default).
    #[default]
    Patch,
    /// `PUT /v3/groups/{gid}/objects/{oid}` (seen in one client).
    Put,
}

/// A handle to one Asset Panda account. Cheap to clone: clones share the connection pool,
/// the token cache and the throttle.
///
/// ```no_run
/// # async fn run() -> assetpanda_api::Result<()> {
/// let client = assetpanda_api::Client::builder().token("my-token").build()?;
/// let info = client.test_connection().await?;
/// println!("connected as {}", info.user_label());
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: Url,
    pub(crate) credentials: Credentials,
    pub(crate) tokens: tokio::sync::Mutex<TokenState>,
    pub(crate) throttle: Option<Throttle>,
    pub(crate) retry: RetryPolicy,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) search_path: Option<SearchPath>,
    pub(crate) learned_search_path: std::sync::Mutex<Option<SearchPath>>,
    pub(crate) update_method: UpdateMethod,
    pub(crate) date_format: tokio::sync::OnceCell<DateFormat>,
    pub(crate) page_size: u32,
    pub(crate) max_response_bytes: usize,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &inner.base_url.as_str())
            .field("credentials", &inner.credentials)
            .field("throttle", &inner.throttle)
            .field("retry", &inner.retry)
            .field("search_path", &inner.search_path)
            .field("update_method", &inner.update_method)
            .field("page_size", &inner.page_size)
            .field("max_response_bytes", &inner.max_response_bytes)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts building a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL every request goes to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The throttle this client counts against, if any.
    pub fn throttle(&self) -> Option<&Throttle> {
        self.inner.throttle.as_ref()
    }

    /// The default page size for searches.
    pub fn page_size(&self) -> u32 {
        self.inner.page_size
    }
}

/// Configures a [`Client`].
///
/// ```
/// # fn run() -> assetpanda_api::Result<()> {
/// let client = assetpanda_api::Client::builder()
///     .base_url("http://127.0.0.1:8080")
///     .allow_insecure_http(true)
///     .token("test-token")
///     .throttle(None)
///     .build()?;
/// # Ok(())
/// # }
/// ```
#[derive(Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    allow_insecure_http: bool,
    credentials: Option<Credentials>,
    v3_token_path: Option<String>,
    v2_login_url: Option<String>,
    throttle: Option<Option<Throttle>>,
    retry: Option<RetryPolicy>,
    clock: Option<Arc<dyn Clock>>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    search_path: Option<SearchPath>,
    update_method: UpdateMethod,
    date_format: Option<String>,
    page_size: Option<u32>,
    user_agent: Option<String>,
    max_response_bytes: Option<usize>,
    root_certificates: Vec<Vec<u8>>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("root_certificates", &self.root_certificates.len())
            .field("credentials", &self.credentials)
            .field("throttle", &self.throttle)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The API host, default `https://api.assetpanda.com`. Paths (`/v3/...`) are appended;
    /// a URL that ends in `/v3` (the API root) is cut back to what comes before it.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Allows a plain `http://` base URL on a loopback host (`localhost`, `127.0.0.1`,
    /// `::1`), for local fakes. Off by default; any other host still needs https.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Authenticates with a ready bearer token. A 401 is then final.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::BearerToken(SecretString::from(token.into())));
        self
    }

    /// Authenticates with the v3 e-mail and password login.
    pub fn v3_login(mut self, email: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::v3_login(email, password));
        self
    }

    /// Sets the v3 login path (default `/v3/session/token`, with a fallback to
    /// `/v3/session-token` on 404). A path set here is used as is, without fallback.
    pub fn v3_token_path(mut self, path: impl Into<String>) -> Self {
        self.v3_token_path = Some(path.into());
        self
    }

    /// Authenticates with the v2 login (client id and secret from the API configuration,
    /// plus a web login's e-mail and password).
    pub fn v2_login(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        email: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        self.credentials = Some(Credentials::v2_login(
            client_id,
            client_secret,
            email,
            password,
        ));
        self
    }

    /// Sets the full v2 login URL (default: `/v2/session/token` on the base URL).
    pub fn v2_login_url(mut self, url: impl Into<String>) -> Self {
        self.v2_login_url = Some(url.into());
        self
    }

    /// Sets the credentials directly.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Sets the throttle: `Some` to share a budget, `None` to turn throttling off. Without
    /// this call the client gets its own throttle with the default budget.
    pub fn throttle(mut self, throttle: Option<Throttle>) -> Self {
        self.throttle = Some(throttle);
        self
    }

    /// Sets the retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Sets the clock used for retry waits (tests record waits instead of sleeping).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Whole-request timeout (default 60 s), from sending the request to the last byte of
    /// the answer. A body that stops arriving ends as a [`TransportKind::Timeout`] transport
    /// error, retried like any other timeout.
    ///
    /// [`TransportKind::Timeout`]: crate::TransportKind::Timeout
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Trusts the certificate authorities of a PEM file's text, besides the public ones:
    /// for a proxy that inspects TLS with a private CA. A text with no certificate fails
    /// [`build`](Self::build).
    pub fn root_certificates_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_certificates.push(pem.into());
        self
    }

    /// Connection timeout (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Fixes the search path. Unset means `search/objects` with one fallback to
    /// `objects/search` on 404.
    pub fn search_path(mut self, path: SearchPath) -> Self {
        self.search_path = Some(path);
        self
    }

    /// The method for single-object updates (default PATCH).
    pub fn single_update_method(mut self, method: UpdateMethod) -> Self {
        self.update_method = method;
        self
    }

    /// Overrides the account's date format with a chrono `strftime` pattern such as
    /// `%m/%d/%Y`. Without it the format is read from the account settings when first
    /// needed.
    pub fn date_format_override(mut self, pattern: impl Into<String>) -> Self {
        self.date_format = Some(pattern.into());
        self
    }

    /// Default number of objects asked for per search page (default 50).
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = Some(size);
        self
    }

    /// The largest response body read (default [`DEFAULT_MAX_RESPONSE_BYTES`], 64 MiB). A
    /// longer 2xx body, announced by `Content-Length` or found while reading, ends the call
    /// with [`Error::ResponseTooLarge`] without reading the rest; an error body is cut at
    /// the limit.
    pub fn max_response_bytes(mut self, max: usize) -> Self {
        self.max_response_bytes = Some(max);
        self
    }

    /// Sets the `User-Agent` header.
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = Some(agent.into());
        self
    }

    /// Checks the configuration and builds the client. Sends nothing.
    pub fn build(self) -> Result<Client> {
        let base_url = parse_base_url(
            self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL),
            self.allow_insecure_http,
        )?;

        let mut credentials = self.credentials.clone().ok_or_else(|| {
            Error::config("no credentials: call token(), v3_login() or v2_login()")
        })?;
        self.apply_login_options(&mut credentials)?;
        credentials.validate()?;

        let page_size = self.page_size.unwrap_or(DEFAULT_PAGE_SIZE);
        if page_size == 0 {
            return Err(Error::config("page_size must be above zero"));
        }

        if self.max_response_bytes == Some(0) {
            return Err(Error::config("max_response_bytes must be above zero"));
        }

        let date_format = tokio::sync::OnceCell::new();
        if let Some(pattern) = &self.date_format {
            let format = DateFormat::from_strftime(pattern)?;
            date_format
                .set(format)
                .map_err(|_| Error::config("date format set twice"))?;
        }

        let user_agent = self
            .user_agent
            .unwrap_or_else(|| format!("assetpanda-api/{}", env!("CARGO_PKG_VERSION")));
        let mut http = reqwest::Client::builder()
            .timeout(self.timeout.unwrap_or(Duration::from_secs(60)))
            .connect_timeout(self.connect_timeout.unwrap_or(Duration::from_secs(10)))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(user_agent)
            .https_only(!self.allow_insecure_http);
        for pem in &self.root_certificates {
            for certificate in root_certificates(pem)? {
                http = http.add_root_certificate(certificate);
            }
        }
        let http = http
            .build()
            .map_err(|e| Error::config(format!("could not build the HTTP client: {e}")))?;

        let throttle = match self.throttle {
            Some(choice) => choice,
            None => Some(Throttle::default()),
        };

        let inner = Inner {
            http,
            base_url,
            credentials,
            tokens: tokio::sync::Mutex::new(TokenState::default()),
            throttle,
            retry: self.retry.unwrap_or_default(),
            clock: self.clock.unwrap_or_else(|| Arc::new(SystemClock)),
            search_path: self.search_path,
            learned_search_path: std::sync::Mutex::new(None),
            update_method: self.update_method,
            date_format,
            page_size,
            max_response_bytes: self
                .max_response_bytes
                .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
        };
        Ok(Client {
            inner: Arc::new(inner),
        })
    }

    fn apply_login_options(&self, credentials: &mut Credentials) -> Result<()> {
        match credentials {
            Credentials::V3Login { token_path, .. } => {
                if let Some(path) = &self.v3_token_path {
                    *token_path = Some(path.clone());
                }
            }
            Credentials::V2Login { login_url, .. } => {
                if let Some(url) = &self.v2_login_url {
                    *login_url = Some(parse_base_url(url, self.allow_insecure_http)?);
                }
            }
            _ => {
                if self.v3_token_path.is_some() || self.v2_login_url.is_some() {
                    return Err(Error::config(
                        "a login path or URL was set, but the credentials are a bearer token",
                    ));
                }
            }
        }
        Ok(())
    }
}

fn parse_base_url(text: &str, allow_http: bool) -> Result<Url> {
    let mut url = Url::parse(text.trim())
        .map_err(|e| Error::config(format!("base URL `{text}` is not a URL: {e}")))?;

    match url.scheme() {
        "https" => {}
        "http" if allow_http && is_loopback(&url) => {}
        "http" if allow_http => {
            return Err(Error::config(format!(
                "base URL `{text}` uses plain http to a host that is not this machine; \
                 plain http is allowed for loopback only"
            )))
        }
        "http" => {
            return Err(Error::config(format!(
                "base URL `{text}` uses plain http; call allow_insecure_http(true) for a local fake"
            )))
        }
        other => {
            return Err(Error::config(format!(
                "base URL `{text}` has scheme `{other}`; use https"
            )))
        }
    }
    if url.host_str().is_none() || url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(format!(
            "base URL `{text}` needs a host and no query or fragment"
        )));
    }

    // NB: request paths carry their `/v3`, so a base given as the API root
    // (`https://api.assetpanda.com/v3`) is cut back to the root it hangs from.
    let root = url
        .path()
        .trim_end_matches('/')
        .strip_suffix("/v3")
        .map(str::to_owned);
    if let Some(root) = root {
        url.set_path(&root);
    }

    Ok(url)
}

/// The certificates of a PEM text; one with none is a configuration error.
fn root_certificates(pem: &[u8]) -> Result<Vec<reqwest::Certificate>> {
    // NB: the parser's own error says only "builder error"; what went wrong is a block.
    let certificates = reqwest::Certificate::from_pem_bundle(pem).map_err(|_| {
        Error::config(
            "root certificates: a certificate in the PEM text is damaged (the text between its \
             BEGIN and END lines is not a certificate)",
        )
    })?;
    if certificates.is_empty() {
        return Err(Error::config(
            "root certificates: the PEM text holds no certificate (`-----BEGIN CERTIFICATE-----`)",
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
