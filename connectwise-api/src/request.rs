//! Sending one request: URL, headers, throttle, retries and the checks on the answer.

use std::sync::atomic::Ordering;

use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, LINK, RETRY_AFTER};
use http::{HeaderMap, Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use tracing::{debug, warn, Instrument};

use crate::client::Client;
use crate::error::{snippet, ApiError, Error, ErrorBody, ResponseParts, Result, TransportKind};
use crate::retry::{decide, Decision, Outcome, RequestClass, RetryInput};

/// What the caller expects in a 2xx body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expect {
    /// A JSON document.
    Json,
    /// A JSON array whose elements are kept as separate slices of the body.
    JsonArray,
    /// Nothing (DELETE answers 204).
    Nothing,
}

/// Where a request goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// An API path under `{root}{codebase}apis/3.0`, with credentials.
    Api,
    /// A path under the root, without credentials (`login/companyinfo/…`).
    Unauthenticated,
}

/// One request to make, possibly several times.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    pub method: Method,
    pub path: String,
    pub query: String,
    pub body: Option<Bytes>,
    pub class: RequestClass,
    pub forward_only: bool,
    pub target: Target,
    pub expect: Expect,
}

impl Call {
    pub(crate) fn api(method: Method, path: &str, class: RequestClass) -> Self {
        Self {
            method,
            path: path.to_owned(),
            query: String::new(),
            body: None,
            class,
            forward_only: false,
            target: Target::Api,
            expect: Expect::Json,
        }
    }

    pub(crate) fn with_query(mut self, query: String) -> Self {
        self.query = query;
        self
    }

    pub(crate) fn with_body(mut self, body: Vec<u8>) -> Self {
        self.body = Some(Bytes::from(body));
        self
    }
}

/// A 2xx answer.
#[derive(Debug)]
pub(crate) struct Received {
    pub link: Option<String>,
    pub body: Bytes,
    /// With [`Expect::JsonArray`], the raw text of each element, when the body is an array.
    pub rows: Option<Vec<Bytes>>,
}

/// The failure of one attempt, with what the retry decision needs.
struct Failure {
    error: Error,
    retry_after: Option<String>,
    body_wait: Option<std::time::Duration>,
    says_timeout: bool,
}

impl Client {
    /// The full URL of a call, checked against the length limit.
    pub(crate) fn url_for(&self, call: &Call) -> Result<String> {
        let mut url = match call.target {
            Target::Api => {
                let base = self.base_url();
                format!("{}{}", base.as_str().trim_end_matches('/'), call.path)
            }
            Target::Unauthenticated => format!("{}{}", self.inner.root, call.path),
        };
        if !call.query.is_empty() {
            url.push('?');
            url.push_str(&call.query);
        }
        if url.len() > self.inner.max_url_len {
            return Err(Error::UrlTooLong {
                path: call.path.clone(),
                length: url.len(),
                limit: self.inner.max_url_len,
            });
        }
        Ok(url)
    }

    /// Sends a call, retrying as the policy allows; with discovery on, discovers first
    /// and, on a 404, re-reads the codebase once and repeats the call if it moved.
    pub(crate) async fn execute(&self, call: Call) -> Result<Received> {
        if call.target == Target::Api
            && self.inner.codebase_discovery
            && !self.inner.discovered.load(Ordering::Acquire)
        {
            self.discover_once().await?;
        }
        match self.execute_once(&call).await {
            Err(Error::Api(api))
                if api.status == StatusCode::NOT_FOUND
                    && call.target == Target::Api
                    && self.discovery_enabled() =>
            {
                if self.refresh_codebase().await? {
                    self.execute_once(&call).await
                } else {
                    Err(Error::Api(api))
                }
            }
            other => other,
        }
    }

    /// Sends a call, retrying as the policy allows.
    pub(crate) async fn execute_once(&self, call: &Call) -> Result<Received> {
        self.url_for(call)?;

        let mut retries = 0;
        let mut server_error_retries = 0;
        let mut outcome_unknown = false;
        loop {
            let attempt = retries + 1;
            let span = tracing::debug_span!(
                "connectwise.request",
                method = %call.method,
                path = %call.path,
                attempt,
                status = tracing::field::Empty,
            );
            let result = self.attempt(call).instrument(span).await;
            let failure = match result {
                Ok(received) => return Ok(received),
                Err(failure) => failure,
            };

            let not_found = failure.error.status() == Some(StatusCode::NOT_FOUND);
            if not_found && call.method == Method::DELETE && outcome_unknown {
                // NB: a DELETE whose earlier attempt may have landed is done.
                return Ok(Received {
                    link: None,
                    body: Bytes::new(),
                    rows: None,
                });
            }

            let outcome = outcome_of(&failure);
            let input = RetryInput {
                class: call.class,
                outcome,
                retries_done: retries,
                server_error_retries_done: server_error_retries,
                now: self.inner.clock.now(),
                jitter: rand::random::<f64>(),
            };
            match decide(&self.inner.retry, &input) {
                Decision::Retry(wait) => {
                    warn!(
                        method = %call.method,
                        path = %call.path,
                        attempt,
                        wait_ms = wait.as_millis() as u64,
                        "retrying ConnectWise request"
                    );
                    // NB: after a lost answer or a 5xx the request may have been applied.
                    outcome_unknown |= match outcome {
                        Outcome::LostAfterSend => true,
                        Outcome::Status { status, .. } => status.is_server_error(),
                        _ => false,
                    };
                    if let Outcome::Status {
                        status,
                        says_timeout: false,
                        ..
                    } = outcome
                    {
                        if status == StatusCode::INTERNAL_SERVER_ERROR {
                            server_error_retries += 1;
                        }
                    }
                    retries += 1;
                    self.inner.clock.sleep(wait).await;
                }
                Decision::Exhausted if retries > 0 => {
                    return Err(Error::RetriesExhausted {
                        attempts: retries + 1,
                        last: Box::new(failure.error),
                    })
                }
                Decision::Exhausted | Decision::GiveUp => return Err(failure.error),
            }
        }
    }

    fn discovery_enabled(&self) -> bool {
        self.inner.codebase_discovery || self.inner.discovered.load(Ordering::Acquire)
    }

    /// One attempt: send, then check the status, content type and body.
    async fn attempt(&self, call: &Call) -> std::result::Result<Received, Failure> {
        let url = self.url_for(call).map_err(plain)?;
        let _permit = match &self.inner.throttle {
            Some(throttle) => throttle.acquire().await,
            None => None,
        };
        let server = self.server();

        let mut request = self.inner.http.request(call.method.clone(), url.as_str());
        if call.target == Target::Api {
            request = request
                .header(AUTHORIZATION, self.inner.authorization.clone())
                .header("clientId", self.inner.client_id.clone())
                .header(
                    ACCEPT,
                    format!(
                        "application/vnd.connectwise.com+json; version={}",
                        server.api_version
                    ),
                );
        } else {
            request = request.header(ACCEPT, "application/json");
        }
        if call.forward_only {
            request = request.header("pagination-type", "forward-only");
        }
        if let Some(body) = &call.body {
            request = request
                .header(CONTENT_TYPE, "application/json; charset=utf-8")
                .body(body.clone());
        }

        let response = request.send().await.map_err(|e| transport(call, e))?;
        let status = response.status();
        tracing::Span::current().record("status", status.as_u16());
        debug!(status = status.as_u16(), "ConnectWise answered");
        let headers = response.headers().clone();
        let body = read_capped(response, self.inner.max_response_bytes, status).await;

        let body = match body {
            // NB: a non-2xx answer stays an `Api` error, built from the bytes that fit.
            Err(BodyError::TooLarge { partial, .. }) if !status.is_success() => partial,
            Err(BodyError::TooLarge { announced, .. }) => {
                return Err(plain(Error::ResponseTooLarge {
                    status,
                    method: call.method.clone(),
                    path: call.path.clone(),
                    limit: self.inner.max_response_bytes,
                    announced,
                }))
            }
            Err(BodyError::Transport(e)) if e.is_timeout() => return Err(transport(call, e)),
            Err(BodyError::Transport(_)) if status.is_success() => {
                return Err(plain(empty_body(call, status, b"")))
            }
            Err(BodyError::Transport(_)) => Bytes::new(),
            Ok(body) => body,
        };
        if !status.is_success() {
            return Err(api_failure(
                call,
                status,
                &headers,
                &body,
                self.inner.clock.now(),
            ));
        }
        let rows = match call.expect {
            Expect::Json => {
                check_json(call, status, &headers, &body).map_err(plain)?;
                None
            }
            Expect::JsonArray => check_json_array(call, status, &headers, &body).map_err(plain)?,
            Expect::Nothing => None,
        };
        let link = header_text(&headers, LINK.as_str());
        Ok(Received { link, body, rows })
    }
}

/// Why a body could not be read whole.
enum BodyError {
    /// Longer than the limit (announced by `Content-Length`, or found while reading).
    TooLarge {
        announced: Option<u64>,
        partial: Bytes,
    },
    /// The stream broke off or timed out.
    Transport(reqwest::Error),
}

/// Reads a body of at most `limit` bytes, stopping as soon as the streamed bytes pass the
/// limit. A 2xx body announced longer than the limit is refused before any of it is read;
/// an error body is read up to the limit, for its start.
async fn read_capped(
    mut response: reqwest::Response,
    limit: usize,
    status: StatusCode,
) -> std::result::Result<Bytes, BodyError> {
    let announced = response.content_length();
    if status.is_success() && announced.is_some_and(|n| n > limit as u64) {
        return Err(BodyError::TooLarge {
            announced,
            partial: Bytes::new(),
        });
    }
    let mut body = bytes::BytesMut::new();
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Transport)? {
        if body.len() + chunk.len() > limit {
            let room = limit - body.len();
            body.extend_from_slice(&chunk[..room]);
            return Err(BodyError::TooLarge {
                announced,
                partial: body.freeze(),
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

fn plain(error: Error) -> Failure {
    Failure {
        error,
        retry_after: None,
        body_wait: None,
        says_timeout: false,
    }
}

fn outcome_of(failure: &Failure) -> Outcome<'_> {
    match &failure.error {
        Error::Transport {
            kind: TransportKind::Connect,
            ..
        } => Outcome::NotSent,
        Error::Transport { .. } => Outcome::LostAfterSend,
        Error::EmptyBody { .. } => Outcome::EmptyBody,
        Error::Api(api) => Outcome::Status {
            status: api.status,
            retry_after: failure.retry_after.as_deref(),
            body_wait: failure.body_wait,
            says_timeout: failure.says_timeout,
        },
        _ => Outcome::UnexpectedContentType,
    }
}

fn transport(call: &Call, source: reqwest::Error) -> Failure {
    let kind = if source.is_connect() {
        TransportKind::Connect
    } else if source.is_timeout() {
        TransportKind::Timeout
    } else {
        TransportKind::Interrupted
    };
    plain(Error::Transport {
        method: call.method.clone(),
        path: call.path.clone(),
        kind,
        source,
    })
}

fn api_failure(
    call: &Call,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    now: chrono::DateTime<chrono::Utc>,
) -> Failure {
    let retry_after = header_text(headers, RETRY_AFTER.as_str());
    let parsed_wait = retry_after
        .as_deref()
        .and_then(|v| crate::retry::parse_retry_after(v, now));
    let api = ApiError::from_response(ResponseParts {
        status,
        method: &call.method,
        path: &call.path,
        has_record_id: has_record_id(&call.path),
        request_id: header_text(headers, "x-cw-request-id"),
        content_type: header_text(headers, CONTENT_TYPE.as_str()),
        retry_after: parsed_wait,
        body,
    });
    let body_wait = ErrorBody::parse(body).retry_after;
    let says_timeout = api.says_timeout();
    Failure {
        error: Error::Api(Box::new(api)),
        retry_after,
        body_wait,
        says_timeout,
    }
}

/// Whether the last segment of a path is a record id.
fn has_record_id(path: &str) -> bool {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .is_some_and(|last| !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()))
}

fn empty_body(call: &Call, status: StatusCode, body: &[u8]) -> Error {
    Error::EmptyBody {
        status,
        method: call.method.clone(),
        path: call.path.clone(),
        snippet: snippet(body),
    }
}

/// Refuses an empty, cut-off or non-JSON 2xx body.
fn check_json(call: &Call, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Result<()> {
    check_json_type(call, status, headers, body)?;
    // TODO: a single record is scanned here for a cut-off end, then parsed again by `decode`.
    match serde_json::from_slice::<serde::de::IgnoredAny>(body) {
        Err(e) if e.is_eof() => Err(empty_body(call, status, body)),
        _ => Ok(()),
    }
}

/// As [`check_json`], and splits an array body into the raw text of its elements in the
/// same pass; `None` when the body is valid JSON but not an array of values (the caller's
/// decoding then reports it).
fn check_json_array(
    call: &Call,
    status: StatusCode,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Option<Vec<Bytes>>> {
    check_json_type(call, status, headers, body)?;
    match serde_json::from_slice::<Vec<&RawValue>>(body) {
        Ok(rows) => Ok(Some(
            rows.into_iter()
                .map(|row| body.slice_ref(row.get().as_bytes()))
                .collect(),
        )),
        Err(e) if e.is_eof() => Err(empty_body(call, status, body)),
        // NB: a value that is not an array may still be cut off further on.
        Err(_) => check_json(call, status, headers, body).map(|()| None),
    }
}

/// Refuses an empty 2xx body, or one that is declared (or looks like) something else.
fn check_json_type(
    call: &Call,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<()> {
    let content_type = header_text(headers, CONTENT_TYPE.as_str());
    let trimmed = body.trim_ascii_start();
    if trimmed.is_empty() {
        return Err(empty_body(call, status, body));
    }
    let declared_json = content_type
        .as_deref()
        .map(|ct| ct.to_ascii_lowercase().contains("json"));
    if declared_json == Some(false) || (declared_json.is_none() && trimmed.starts_with(b"<")) {
        return Err(Error::UnexpectedContentType {
            status,
            method: call.method.clone(),
            path: call.path.clone(),
            content_type,
            snippet: snippet(body),
        });
    }
    Ok(())
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    let values: Vec<&str> = headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

/// Decodes a JSON body, naming the JSON path that failed.
pub(crate) fn decode<T: DeserializeOwned>(method: &Method, path: &str, body: &[u8]) -> Result<T> {
    let mut de = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize(&mut de) {
        Ok(value) => Ok(value),
        Err(e) => {
            let json_path = e.path().to_string();
            let source = e.into_inner();
            if source.is_eof() {
                return Err(Error::EmptyBody {
                    status: StatusCode::OK,
                    method: method.clone(),
                    path: path.to_owned(),
                    snippet: snippet(body),
                });
            }
            Err(Error::Decode {
                path: path.to_owned(),
                json_path,
                reason: source.to_string(),
                snippet: snippet(body),
                source: Some(source),
            })
        }
    }
}
