//! Errors returned by the client.
//!
//! Every non-2xx answer is an [`Error::Api`] whatever its body; the body checks
//! ([`Error::EmptyBody`], [`Error::UnexpectedContentType`], [`Error::Decode`],
//! [`Error::ResponseTooLarge`]) apply to 2xx answers only. No variant ever carries a
//! password, client secret or token.

use std::fmt;
use std::time::Duration;

use http::{Method, StatusCode};
use serde_json::Value;

/// The result type of every fallible call in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Largest number of body bytes kept in an error.
pub(crate) const SNIPPET_LIMIT: usize = 512;

/// Everything that can go wrong when talking to Asset Panda.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a status outside 2xx; the box holds what it said,
    /// decoded as far as its body allowed.
    #[error("{0}")]
    Api(Box<ApiError>),

    /// Every allowed retry was spent; `last` is the final failure.
    #[error("gave up after {attempts} attempts: {last}")]
    RetriesExhausted {
        /// How many requests were sent in total (the first one and every retry).
        attempts: u32,
        /// The error of the last attempt.
        last: Box<Error>,
    },

    /// The request could not be sent or its answer could not be read.
    #[error("{method} {path}: {kind} ({source})")]
    Transport {
        /// HTTP method of the request.
        method: Method,
        /// Path of the request, without query string.
        path: String,
        /// Where the transport failed, which decides whether a retry is safe.
        kind: TransportKind,
        /// The underlying HTTP client error.
        #[source]
        source: reqwest::Error,
    },

    /// A 2xx body was JSON but did not fit the expected model.
    #[error("{method} {path}: response does not fit the model at `{json_path}`: {source}")]
    Decode {
        /// HTTP method of the request.
        method: Method,
        /// Path of the request.
        path: String,
        /// JSON path of the value that failed, for example `objects[3].data`.
        json_path: String,
        /// At most 512 bytes of the body.
        snippet: String,
        /// The decoder's own error.
        #[source]
        source: serde_json::Error,
    },

    /// A 2xx answer had an empty or cut-off body where JSON was expected.
    #[error("{method} {path}: the response body is empty or cut off ({received} bytes)")]
    EmptyBody {
        /// HTTP method of the request.
        method: Method,
        /// Path of the request.
        path: String,
        /// How many bytes arrived.
        received: usize,
    },

    /// A 2xx answer carried something other than JSON, such as an HTML page.
    #[error(
        "{method} {path}: expected JSON but got {content_type}; check that the base URL \
         points at the API host (https://api.assetpanda.com)"
    )]
    UnexpectedContentType {
        /// HTTP method of the request.
        method: Method,
        /// Path of the request.
        path: String,
        /// The `Content-Type` the server sent, or `no content type`.
        content_type: String,
        /// At most 512 bytes of the body.
        snippet: String,
    },

    /// A 2xx answer was longer than the client's limit
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes));
    /// the rest was not read. Not retried: the same request would bring the same body.
    #[error(
        "{method} {path}: the response is over the limit of {limit} bytes{}; raise \
         `max_response_bytes` or ask for smaller pages",
        announced.map(|n| format!(" ({n} bytes announced)")).unwrap_or_default()
    )]
    ResponseTooLarge {
        /// HTTP method of the request.
        method: Method,
        /// Path of the request, without query string.
        path: String,
        /// The configured limit, in bytes.
        limit: usize,
        /// The `Content-Length` the server announced, when it did.
        announced: Option<u64>,
    },

    /// Logging in did not give a usable token.
    #[error("authentication failed: {message}")]
    Auth {
        /// What went wrong; never contains a secret.
        message: String,
    },

    /// A batch call was given more objects than one request may carry; nothing was sent.
    #[error("a batch holds {len} objects but at most {max} may be sent in one request")]
    BatchTooLarge {
        /// How many objects were given.
        len: usize,
        /// The largest batch allowed.
        max: usize,
    },

    /// Paging stopped because pages kept arriving without new objects.
    #[error("paging stalled at offset {offset}: {pages} pages in a row brought no new objects")]
    PagingStalled {
        /// Offset of the last page requested.
        offset: u64,
        /// How many pages in a row added nothing new.
        pages: u32,
    },

    /// The client or a request was configured in a way that cannot work.
    #[error("configuration error: {message}")]
    Config {
        /// What is wrong and where.
        message: String,
    },
}

/// Where a transport failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// The connection was never made (refused, DNS failure): the server saw nothing.
    Connect,
    /// The request may have reached the server, but no complete answer came back in time.
    Timeout,
    /// The request may have reached the server and the connection broke.
    Interrupted,
    /// The request could not be built.
    Request,
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Connect => "could not connect",
            Self::Timeout => "timed out",
            Self::Interrupted => "connection broke",
            Self::Request => "could not build the request",
        })
    }
}

impl Error {
    /// The API error inside, when this is an [`Error::Api`] or a
    /// [`Error::RetriesExhausted`] whose last attempt was one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Self::Api(details) => Some(details),
            Self::RetriesExhausted { last, .. } => last.api(),
            _ => None,
        }
    }

    /// The HTTP status of the server's answer, if there was one.
    pub fn status(&self) -> Option<StatusCode> {
        self.api().map(|a| a.status)
    }

    /// True when the server refused the credentials: a login that could not be turned into
    /// a token ([`Error::Auth`]), a 401 or 403, or a login call answered with a 400 or 422
    /// (the v3 login answers a wrong email or password with a 422). A program can exit with
    /// its "fix the credentials" status on this rather than treat it as an outage.
    pub fn is_credentials_refused(&self) -> bool {
        if matches!(self, Self::Auth { .. }) {
            return true;
        }
        self.api().is_some_and(|api| match api.status.as_u16() {
            401 | 403 => true,
            400 | 422 => api.login,
            _ => false,
        })
    }

    /// True when the server answered 404: the group or object does not exist (or the
    /// path is not served by this server).
    pub fn is_not_found(&self) -> bool {
        self.status().is_some_and(|s| s == StatusCode::NOT_FOUND)
    }

    /// Marks the API error inside as the answer to a login call.
    pub(crate) fn mark_login(self) -> Self {
        match self {
            Self::Api(mut details) => {
                details.login = true;
                Self::Api(details)
            }
            Self::RetriesExhausted { attempts, last } => Self::RetriesExhausted {
                attempts,
                last: Box::new(last.mark_login()),
            },
            other => other,
        }
    }

    pub(crate) fn api_error(details: ApiError) -> Self {
        Self::Api(Box::new(details))
    }

    /// Adds an explanation to the API error inside, if there is one.
    pub(crate) fn with_note(self, note: &str) -> Self {
        match self {
            Self::Api(mut details) => {
                details.note = Some(note.to_owned());
                Self::Api(details)
            }
            Self::RetriesExhausted { attempts, last } => Self::RetriesExhausted {
                attempts,
                last: Box::new(last.with_note(note)),
            },
            other => other,
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Self::Config {
            message: message.into(),
        }
    }
}

/// One message from the `errors` part of an error body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Position of the entry in the `errors` array it came from, when `errors` was an array.
    /// In a batch write the server may give one entry per object.
    pub entry: Option<usize>,
    /// The field key (`field_10`), `base` for the request as a whole, or empty.
    pub field: String,
    /// The message text.
    pub message: String,
}

/// A non-2xx answer from the server.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// HTTP method of the request.
    pub method: Method,
    /// Path of the request, without query string.
    pub path: String,
    /// The body's `message`, else its `error` text.
    pub message: Option<String>,
    /// The body's `code`, kept as sent (an integer has been observed).
    pub code: Option<Value>,
    /// The body's `errors`, flattened.
    pub field_errors: Vec<FieldError>,
    /// A request id header, if the server sent one.
    pub request_id: Option<String>,
    /// How long the server asked to wait (`Retry-After` or a hint in the body).
    pub retry_after: Option<Duration>,
    /// The whole body, when it was JSON.
    pub body: Option<Value>,
    /// At most 512 bytes of the body, when it was not JSON.
    pub body_snippet: Option<String>,
    /// Extra explanation added by the client, such as a hint about the cause.
    pub note: Option<String>,
    /// Whether this answered a login call (v3 or v2), not a call made with a token.
    pub login: bool,
}

impl ApiError {
    /// True for a 422 in which a message ends with "is not unique".
    ///
    /// This rests on the wording observed from the server, not on a documented code.
    pub fn is_uniqueness_violation(&self) -> bool {
        self.status == StatusCode::UNPROCESSABLE_ENTITY
            && self.field_errors.iter().any(|e| {
                e.message
                    .trim_end()
                    .trim_end_matches('.')
                    .ends_with("is not unique")
            })
    }

    /// The field errors that came from one entry of the `errors` array.
    pub fn entry_errors(&self, entry: usize) -> impl Iterator<Item = &FieldError> {
        self.field_errors
            .iter()
            .filter(move |e| e.entry == Some(entry))
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} returned {}", self.method, self.path, self.status)?;
        if let Some(code) = &self.code {
            write!(f, " (code {code})")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        for (i, e) in self.field_errors.iter().enumerate() {
            let sep = if i == 0 { " — " } else { "; " };
            if e.field.is_empty() {
                write!(f, "{sep}{}", e.message)?;
            } else {
                write!(f, "{sep}{}: {}", e.field, e.message)?;
            }
        }
        if self.message.is_none() && self.field_errors.is_empty() {
            if let Some(snippet) = &self.body_snippet {
                write!(f, ": {snippet}")?;
            }
        }
        if let Some(wait) = self.retry_after {
            write!(f, " (retry after {} s)", wait.as_secs())?;
        }
        if let Some(note) = &self.note {
            write!(f, " — {note}")?;
        }
        Ok(())
    }
}

/// Cuts a body down to at most [`SNIPPET_LIMIT`] bytes on a character boundary.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if text.len() <= SNIPPET_LIMIT {
        return text.into_owned();
    }

    let mut end = SNIPPET_LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}
