//! The crate's error type and the parsed form of a ConnectWise error response.

use std::fmt;
use std::time::Duration;

use http::{Method, StatusCode};
use serde::Deserialize;
use serde_json::Value;

/// The result type of every fallible call in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Longest body excerpt kept in an error, in bytes.
pub(crate) const SNIPPET_LIMIT: usize = 512;

/// Everything that can go wrong when talking to ConnectWise Manage.
///
/// No variant ever holds a key, a password or the `Authorization` header.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a status outside 2xx.
    #[error("{0}")]
    Api(Box<ApiError>),

    /// A retryable failure kept happening until the retry budget ran out.
    #[error("gave up after {attempts} attempts: {last}")]
    RetriesExhausted {
        /// Requests made, the first one included.
        attempts: u32,
        /// The failure of the last attempt.
        last: Box<Error>,
    },

    /// The request failed below HTTP: connection, TLS, timeout or a broken stream.
    #[error("transport failure ({kind}) on {method} {path}: {source}")]
    Transport {
        /// HTTP method of the request.
        method: Method,
        /// API path of the request, without host or query.
        path: String,
        /// What kind of failure it was, which decides whether it may be retried.
        kind: TransportKind,
        /// The underlying client error.
        #[source]
        source: reqwest::Error,
    },

    /// The body was JSON but did not fit the expected shape.
    #[error("could not decode the response of {path} at `{json_path}`: {reason}; body starts with: {snippet}")]
    Decode {
        /// API path of the request.
        path: String,
        /// Where in the JSON document decoding failed (`.` is the root, `[3].id` an item).
        json_path: String,
        /// What did not fit.
        reason: String,
        /// The start of the body.
        snippet: String,
        /// The decoder's error, when there is one.
        #[source]
        source: Option<serde_json::Error>,
    },

    /// A 2xx response whose body was empty or cut off where JSON was expected.
    #[error("empty or cut-off body (status {status}) from {method} {path}; body starts with: {snippet:?}")]
    EmptyBody {
        /// HTTP status of the response.
        status: StatusCode,
        /// HTTP method of the request.
        method: Method,
        /// API path of the request.
        path: String,
        /// The bytes that did arrive (possibly none).
        snippet: String,
    },

    /// A 2xx response that was not JSON, typically a portal's HTML sign-in page.
    #[error("expected JSON from {method} {path} but got status {status} with content type {content_type:?}; cloud accounts must use the `api-` host (for example api-na.myconnectwise.net), not the portal host; body starts with: {snippet}")]
    UnexpectedContentType {
        /// HTTP status of the response.
        status: StatusCode,
        /// HTTP method of the request.
        method: Method,
        /// API path of the request.
        path: String,
        /// The `Content-Type` header, when present.
        content_type: Option<String>,
        /// The start of the body.
        snippet: String,
    },

    /// The response body was longer than the configured limit; the rest was not read.
    #[error("the response of {method} {path} (status {status}) is over the limit of {limit} bytes{}; raise `max_response_bytes` or ask for smaller pages", announced.map(|n| format!(" ({n} bytes announced)")).unwrap_or_default())]
    ResponseTooLarge {
        /// HTTP status of the response.
        status: StatusCode,
        /// HTTP method of the request.
        method: Method,
        /// API path of the request.
        path: String,
        /// The configured limit, in bytes.
        limit: usize,
        /// The `Content-Length` the server announced, when it did.
        announced: Option<u64>,
    },

    /// A condition could not be written in the `conditions` language.
    #[error("invalid condition: {reason}")]
    InvalidCondition {
        /// Why the condition is refused.
        reason: String,
    },

    /// A request was refused before sending because it is malformed.
    #[error("invalid request: {reason}")]
    InvalidRequest {
        /// Why the request is refused.
        reason: String,
    },

    /// The encoded URL would be longer than the configured limit (2,000 by default).
    #[error("the request URL for {path} would be {length} characters, over the limit of {limit}; split long `in` lists with `split_in_list`")]
    UrlTooLong {
        /// API path of the request.
        path: String,
        /// Length of the encoded URL.
        length: usize,
        /// The configured limit.
        limit: usize,
    },

    /// A page size above the server's maximum of 1000 was asked for.
    #[error("page size {requested} is over the maximum of {max}")]
    PageSizeTooLarge {
        /// The page size asked for.
        requested: u32,
        /// The largest page size allowed.
        max: u32,
    },

    /// The server pointed back at a page already read, so paging cannot advance.
    #[error("paging of {path} does not advance: {detail}")]
    PagingStalled {
        /// API path of the listing.
        path: String,
        /// Which page or page id repeated.
        detail: String,
    },

    /// A range of a listing read in id ranges ended before its end: the task that read it
    /// stopped without finishing (it panicked or its runtime shut down). What the other
    /// ranges read is good, but the listing is incomplete.
    #[error("a range of the listing of {path} broke off: {detail}")]
    RangeAborted {
        /// API path of the listing.
        path: String,
        /// The range and why it stopped.
        detail: String,
    },

    /// The company-info lookup answered `null`: the server does not know this company.
    #[error("the server does not know the company `{company}`; check the company id (the name typed in the Company box of the login screen)")]
    UnknownCompany {
        /// The company id that was looked up.
        company: String,
    },

    /// The client configuration is incomplete or inconsistent.
    #[error("configuration error in `{field}`: {reason}")]
    Config {
        /// The setting at fault.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
}

/// The kind of a transport failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// The connection was never made (refused, DNS failure, TLS handshake): nothing was sent.
    Connect,
    /// The request timed out after it may have been sent.
    Timeout,
    /// The connection broke after the request may have been sent.
    Interrupted,
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Connect => "connection not made",
            Self::Timeout => "timeout",
            Self::Interrupted => "connection interrupted",
        })
    }
}

impl Error {
    /// The API error inside, for an `Api` error or a `RetriesExhausted` that ended with one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Self::Api(api) => Some(api),
            Self::RetriesExhausted { last, .. } => last.api(),
            _ => None,
        }
    }

    /// The HTTP status of the response behind this error, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(api) => Some(api.status),
            Self::EmptyBody { status, .. }
            | Self::UnexpectedContentType { status, .. }
            | Self::ResponseTooLarge { status, .. } => Some(*status),
            Self::RetriesExhausted { last, .. } => last.status(),
            _ => None,
        }
    }

    /// Whether the same request might succeed if sent again, judging by the error alone.
    ///
    /// An empty body is retryable only for a GET; a non-idempotent request that may have
    /// reached the server is never reported as retryable.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Api(api) => matches!(
                api.kind(),
                ApiErrorKind::RateLimited | ApiErrorKind::ServerTimeout | ApiErrorKind::Server
            ),
            Self::EmptyBody { method, .. } => method == Method::GET,
            Self::Transport { kind, method, .. } => {
                *kind == TransportKind::Connect || method != Method::POST
            }
            _ => false,
        }
    }

    /// Whether this is a 404 answer (directly or as the last error of exhausted retries).
    pub fn is_not_found(&self) -> bool {
        self.api()
            .is_some_and(|api| api.kind() == ApiErrorKind::NotFound)
    }
}

/// A non-2xx answer from the server, parsed as far as its body allows.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// HTTP method of the request.
    pub method: Method,
    /// API path of the request, without host or query.
    pub path: String,
    /// The server's `code` (or `error`, in the throttling shape).
    pub code: Option<String>,
    /// The server's `message`.
    pub message: Option<String>,
    /// Field-level validation errors (`errors[]`); empty when absent or `null`.
    pub errors: Vec<ValidationError>,
    /// The `x-cw-request-id` header, for ConnectWise support.
    pub request_id: Option<String>,
    /// The wait the server asked for (`Retry-After`, or a wait named in the body).
    pub retry_after: Option<Duration>,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// At most 512 bytes of the body.
    pub body_snippet: Option<String>,
    /// A hint about the likely cause, for the ambiguous cases.
    pub hint: Option<String>,
}

/// One entry of the `errors[]` list of a ConnectWise error body.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ValidationError {
    /// Error code, e.g. `NotFound` or `OutOfRange`.
    #[serde(default, deserialize_with = "lenient_string")]
    pub code: Option<String>,
    /// Human-readable message.
    #[serde(default, deserialize_with = "lenient_string")]
    pub message: Option<String>,
    /// The resource concerned.
    #[serde(default, deserialize_with = "lenient_string")]
    pub resource: Option<String>,
    /// The field concerned, e.g. `company/id`.
    #[serde(default, deserialize_with = "lenient_string")]
    pub field: Option<String>,
    /// Extra detail.
    #[serde(default, deserialize_with = "lenient_string")]
    pub details: Option<String>,
}

/// A classification of [`ApiError`]s by status and server code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApiErrorKind {
    /// 404: the record is missing, or (on cloud) the credentials or codebase are wrong.
    NotFound,
    /// 400 with a validation failure.
    Validation,
    /// 400 `ApiFindCondition`: a bad `conditions` text.
    BadCondition,
    /// 401.
    Unauthorized,
    /// 403.
    Forbidden,
    /// 429.
    RateLimited,
    /// A 500 whose message says the server timed out.
    ServerTimeout,
    /// Any other 5xx.
    Server,
    /// Anything else.
    Other,
}

impl ApiError {
    /// Classifies the error by its status and code.
    pub fn kind(&self) -> ApiErrorKind {
        match self.status.as_u16() {
            404 => ApiErrorKind::NotFound,
            400 if self.code.as_deref() == Some("ApiFindCondition") => ApiErrorKind::BadCondition,
            400 => ApiErrorKind::Validation,
            401 => ApiErrorKind::Unauthorized,
            403 => ApiErrorKind::Forbidden,
            429 => ApiErrorKind::RateLimited,
            500 if self.says_timeout() => ApiErrorKind::ServerTimeout,
            500..=599 => ApiErrorKind::Server,
            _ => ApiErrorKind::Other,
        }
    }

    /// Whether the message (or, failing that, the body) says the server timed out.
    pub fn says_timeout(&self) -> bool {
        let text = self.message.as_deref().or(self.body_snippet.as_deref());
        text.is_some_and(mentions_timeout)
    }

    /// Builds the error from a response's parts.
    pub(crate) fn from_response(parts: ResponseParts<'_>) -> Self {
        let body = ErrorBody::parse(parts.body);
        let retry_after = parts.retry_after.or(body.retry_after);
        let mut error = ApiError {
            status: parts.status,
            method: parts.method.clone(),
            path: parts.path.to_owned(),
            code: body.code,
            message: body.message,
            errors: body.errors,
            request_id: parts.request_id,
            retry_after,
            content_type: parts.content_type,
            body_snippet: (!parts.body.is_empty()).then(|| snippet(parts.body)),
            hint: None,
        };
        error.hint = error.default_hint(parts.has_record_id);
        error
    }

    fn default_hint(&self, has_record_id: bool) -> Option<String> {
        match self.kind() {
            ApiErrorKind::NotFound if !has_record_id => Some(
                "on cloud this often means bad credentials, a wrong codebase or a missing \
                 permission, not an empty collection"
                    .to_owned(),
            ),
            ApiErrorKind::Unauthorized => Some(
                "check the company id, the public and private keys of the API member, and \
                 that the clientId is valid"
                    .to_owned(),
            ),
            ApiErrorKind::ServerTimeout => Some(
                "the server timed out; try a smaller page size or a narrower filter".to_owned(),
            ),
            _ => None,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ConnectWise answered {} to {} {}",
            self.status, self.method, self.path
        )?;
        if let Some(code) = &self.code {
            write!(f, ": {code}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        for e in &self.errors {
            let field = e.field.as_deref().unwrap_or("?");
            let message = e.message.as_deref().unwrap_or("");
            write!(f, "; {field}: {message}")?;
        }
        if self.code.is_none() && self.message.is_none() {
            if let Some(snippet) = &self.body_snippet {
                write!(f, "; body starts with: {snippet}")?;
            }
        }
        if let Some(wait) = self.retry_after {
            write!(f, " (retry after {} s)", wait.as_secs())?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

/// What [`ApiError::from_response`] needs from a response.
pub(crate) struct ResponseParts<'a> {
    pub status: StatusCode,
    pub method: &'a Method,
    pub path: &'a str,
    pub has_record_id: bool,
    pub request_id: Option<String>,
    pub content_type: Option<String>,
    pub retry_after: Option<Duration>,
    pub body: &'a [u8],
}

/// The parts of an error body that could be read.
#[derive(Debug, Default)]
pub(crate) struct ErrorBody {
    pub code: Option<String>,
    pub message: Option<String>,
    pub errors: Vec<ValidationError>,
    pub retry_after: Option<Duration>,
}

impl ErrorBody {
    /// Reads any of the documented shapes; anything else gives an empty result.
    pub(crate) fn parse(body: &[u8]) -> Self {
        let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) else {
            return Self::default();
        };
        let text = |key: &str| map.get(key).and_then(value_text);
        let errors = match map.get("errors") {
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| serde_json::from_value(item.clone()).unwrap_or_default())
                .collect(),
            _ => Vec::new(),
        };
        let message = text("message");
        let retry_after = map
            .get("retryAfter")
            .and_then(|v| {
                v.as_f64()
                    .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            })
            .filter(|secs| secs.is_finite() && *secs >= 0.0)
            .map(Duration::from_secs_f64)
            .or_else(|| message.as_deref().and_then(wait_in_message));
        Self {
            code: text("code").or_else(|| text("error")),
            message,
            errors,
            retry_after,
        }
    }
}

/// Reads "try again in N seconds" from a message.
pub(crate) fn wait_in_message(message: &str) -> Option<Duration> {
    let lower = message.to_ascii_lowercase();
    let rest = &lower[lower.find("again in")? + "again in".len()..];
    let digits: String = rest
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok().map(Duration::from_secs)
}

/// Whether a text says that something timed out.
pub(crate) fn mentions_timeout(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("timeout") || lower.contains("timed out")
}

/// At most [`SNIPPET_LIMIT`] bytes of a body, cut at a character boundary.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(SNIPPET_LIMIT)]);
    text.trim_end_matches('\u{FFFD}').to_owned()
}

fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn lenient_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(value_text(&Value::deserialize(d)?))
}
