//! Sending one call: throttle, authenticate, send, classify, retry.

use bytes::{Bytes, BytesMut};
use http::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use http::{Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tracing::Instrument;
use url::Url;

use crate::client::Client;
use crate::error::{Error, Result, TransportKind};
use crate::response::RawResponse;
use crate::response::{api_error, body_error, check_body, decode, says_timeout, BodyFault};
use crate::retry::{decide, wait_hint, Attempts, Decision, Outcome, RequestClass, StopReason};

/// The body of a request. `Debug` shows only its kind: login bodies hold secrets.
#[derive(Clone)]
pub(crate) enum Body {
    Empty,
    Json(Value),
    /// Form fields; they may hold secrets, so they are never logged.
    Form(Vec<(&'static str, String)>),
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Empty => "Empty",
            Self::Json(_) => "Json(..)",
            Self::Form(_) => "Form(..)",
        })
    }
}

/// One call to the API, before retries.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub(crate) method: Method,
    /// Path below the base URL, such as `/v3/groups`; used in errors and logs.
    pub(crate) path: String,
    /// A full URL that replaces base URL + path (the v2 login may live elsewhere).
    pub(crate) url: Option<Url>,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) body: Body,
    pub(crate) class: RequestClass,
    pub(crate) authenticated: bool,
    /// A 2xx answer may have an empty body (writes whose answer is not documented).
    pub(crate) allow_empty: bool,
}

impl Request {
    pub(crate) fn new(method: Method, path: impl Into<String>, class: RequestClass) -> Self {
        Self {
            method,
            path: path.into(),
            url: None,
            query: Vec::new(),
            body: Body::Empty,
            class,
            authenticated: true,
            allow_empty: false,
        }
    }

    pub(crate) fn get(path: impl Into<String>) -> Self {
        Self::new(Method::GET, path, RequestClass::Read)
    }

    pub(crate) fn json(mut self, body: Value) -> Self {
        self.body = Body::Json(body);
        self
    }

    pub(crate) fn allow_empty(mut self) -> Self {
        self.allow_empty = true;
        self
    }
}

/// What one attempt ended with, before the retry decision.
struct Failure {
    error: Error,
    outcome: Option<Outcome>,
    hint: Option<std::time::Duration>,
}

impl Client {
    /// Sends a request and decodes its JSON answer.
    pub(crate) async fn call<T: DeserializeOwned>(&self, request: Request) -> Result<T> {
        let response = self.execute(&request).await?;
        decode(&request.method, &request.path, &response.body)
    }

    /// Sends a request with authentication: on a 401 with a login mode, logs in again once
    /// and repeats it.
    pub(crate) async fn execute(&self, request: &Request) -> Result<RawResponse> {
        if !request.authenticated {
            return self.send_with_retries(request, None).await;
        }

        let issued = self.current_token().await?;
        let first = self.send_with_retries(request, Some(&issued.token)).await;
        if !is_unauthorized(&first) {
            return first;
        }

        if !self.inner.credentials.can_log_in() {
            return first.map_err(|e| {
                e.with_note("the bearer token was rejected; a ready token is never refreshed")
            });
        }
        tracing::info!(path = %request.path, "token rejected; logging in again");
        let fresh = self.refresh_token(issued.generation).await?;

        let second = self.send_with_retries(request, Some(&fresh.token)).await;
        second.map_err(|e| {
            if e.status() == Some(StatusCode::UNAUTHORIZED) {
                e.with_note(
                    "rejected again right after a fresh login; check the login's access to \
                     the API (administrators only) and its permissions",
                )
            } else {
                e
            }
        })
    }

    /// Sends a request, retrying by the policy. `token` is the bearer token, if any.
    pub(crate) async fn send_with_retries(
        &self,
        request: &Request,
        token: Option<&SecretString>,
    ) -> Result<RawResponse> {
        let span = tracing::debug_span!(
            "assetpanda.request",
            method = %request.method,
            path = %request.path,
        );

        async move {
            let mut done = Attempts::default();
            loop {
                let failure = match self.attempt(request, token, done.retries + 1).await {
                    Ok(response) => return Ok(response),
                    Err(failure) => failure,
                };
                let Some(outcome) = failure.outcome else {
                    return Err(failure.error);
                };

                let policy = &self.inner.retry;
                let jitter: f64 = rand::random();
                match decide(policy, request.class, outcome, done, failure.hint, jitter) {
                    Decision::Retry(wait) => {
                        tracing::warn!(
                            attempt = done.retries + 1,
                            wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                            error = %failure.error,
                            "retrying",
                        );
                        self.inner.clock.sleep(wait).await;
                        done.retries += 1;
                        if matches!(outcome, Outcome::Status { status, server_timeout: false }
                            if status == StatusCode::INTERNAL_SERVER_ERROR)
                        {
                            done.plain_server_errors += 1;
                        }
                    }
                    Decision::Stop(StopReason::BudgetSpent) if done.retries > 0 => {
                        return Err(Error::RetriesExhausted {
                            attempts: done.retries + 1,
                            last: Box::new(failure.error),
                        });
                    }
                    Decision::Stop(_) => return Err(failure.error),
                }
            }
        }
        .instrument(span)
        .await
    }

    async fn attempt(
        &self,
        request: &Request,
        token: Option<&SecretString>,
        attempt: u32,
    ) -> std::result::Result<RawResponse, Failure> {
        if let Some(throttle) = &self.inner.throttle {
            throttle.acquire().await;
        }
        let method = &request.method;
        let path = request.path.as_str();

        let transport = |kind: TransportKind, source: reqwest::Error| {
            let outcome = match kind {
                TransportKind::Connect => Some(Outcome::NotSent),
                TransportKind::Timeout | TransportKind::Interrupted => Some(Outcome::NoAnswer),
                TransportKind::Request => None,
            };
            let error = Error::Transport {
                method: method.clone(),
                path: path.to_owned(),
                kind,
                source,
            };
            Failure {
                error,
                outcome,
                hint: None,
            }
        };

        let builder = self
            .build_request(request, token)
            .map_err(|error| Failure {
                error,
                outcome: None,
                hint: None,
            })?;
        let response = match builder.send().await {
            Ok(r) => r,
            Err(e) => {
                tracing::debug!(attempt, error = %e, "request failed");
                return Err(transport(classify(&e), e));
            }
        };

        let status = response.status();
        let headers = response.headers().clone();
        let limit = self.inner.max_response_bytes;
        let body = match read_capped(response, limit, status).await {
            Ok(body) => body,
            // NB: a non-2xx answer stays an `Api` error, built from whatever arrived.
            Err(BodyError::TooLarge { partial, .. } | BodyError::Broken { partial, .. })
                if !status.is_success() =>
            {
                partial
            }
            Err(BodyError::TooLarge { announced, .. }) => {
                tracing::debug!(attempt, %status, limit, ?announced, "body over the limit");
                return Err(Failure {
                    error: Error::ResponseTooLarge {
                        method: method.clone(),
                        path: path.to_owned(),
                        limit,
                        announced,
                    },
                    outcome: None,
                    hint: None,
                });
            }
            Err(BodyError::Broken { source, .. }) if source.is_timeout() => {
                tracing::debug!(attempt, %status, error = %source, "body timed out");
                return Err(transport(TransportKind::Timeout, source));
            }
            Err(BodyError::Broken { source, partial }) => {
                tracing::debug!(attempt, %status, error = %source, "body cut off");
                let error = Error::EmptyBody {
                    method: method.clone(),
                    path: path.to_owned(),
                    received: partial.len(),
                };
                return Err(Failure {
                    error,
                    outcome: Some(Outcome::EmptyBody),
                    hint: None,
                });
            }
        };
        tracing::debug!(attempt, %status, "response");
        let raw = RawResponse {
            status,
            headers,
            body,
        };

        if status.is_success() {
            return match check_body(&raw, request.allow_empty) {
                None => Ok(raw),
                Some(fault) => Err(Failure {
                    error: body_error(&fault, method, path, &raw),
                    outcome: Some(match fault {
                        BodyFault::Empty => Outcome::EmptyBody,
                        BodyFault::NotJson => Outcome::NotJson,
                    }),
                    hint: None,
                }),
            };
        }

        let hint = wait_hint(&raw.headers, &raw.body, self.inner.clock.now());
        let mut details = api_error(method, path, &raw);
        details.retry_after = hint;
        let server_timeout = status == StatusCode::INTERNAL_SERVER_ERROR && says_timeout(&raw.body);
        Err(Failure {
            error: Error::api_error(details),
            outcome: Some(Outcome::Status {
                status,
                server_timeout,
            }),
            hint,
        })
    }

    fn build_request(
        &self,
        request: &Request,
        token: Option<&SecretString>,
    ) -> Result<reqwest::RequestBuilder> {
        let url = match &request.url {
            Some(url) => url.clone(),
            None => self.url(&request.path)?,
        };

        let mut builder = self
            .inner
            .http
            .request(request.method.clone(), url)
            .header(ACCEPT, HeaderValue::from_static("application/json"));
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        if let Some(token) = token {
            let value = format!("Bearer {}", token.expose_secret());
            let mut value = HeaderValue::from_str(&value).map_err(|_| Error::Auth {
                message: "the token holds characters that cannot go in an HTTP header".into(),
            })?;
            value.set_sensitive(true);
            builder = builder.header(AUTHORIZATION, value);
        }

        Ok(match &request.body {
            Body::Empty => builder,
            Body::Json(value) => builder
                .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .body(value.to_string()),
            Body::Form(fields) => builder.form(fields),
        })
    }

    /// The full URL of a path below the base URL.
    pub(crate) fn url(&self, path: &str) -> Result<Url> {
        let base = self.inner.base_url.as_str().trim_end_matches('/');
        let joined = format!("{base}{path}");
        Url::parse(&joined)
            .map_err(|e| Error::config(format!("cannot build a URL for `{path}`: {e}")))
    }
}

/// Why a body could not be read whole.
enum BodyError {
    /// Longer than the limit, announced by `Content-Length` or found while reading.
    TooLarge {
        announced: Option<u64>,
        partial: Bytes,
    },
    /// The stream broke off or timed out after `partial` arrived.
    Broken {
        source: reqwest::Error,
        partial: Bytes,
    },
}

/// Reads a body of at most `limit` bytes, stopping as soon as the streamed bytes pass it.
/// A 2xx body announced longer than the limit is refused before any of it is read; an
/// error body is read up to the limit, for its start.
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

    let capacity = announced.map_or(0, |n| usize::try_from(n).unwrap_or(limit).min(limit));
    let mut body = BytesMut::with_capacity(capacity);
    loop {
        let chunk = match response.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => return Ok(body.freeze()),
            Err(source) => {
                return Err(BodyError::Broken {
                    source,
                    partial: body.freeze(),
                })
            }
        };
        let room = limit - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Err(BodyError::TooLarge {
                announced,
                partial: body.freeze(),
            });
        }
        body.extend_from_slice(&chunk);
    }
}

fn classify(e: &reqwest::Error) -> TransportKind {
    if e.is_builder() {
        TransportKind::Request
    } else if e.is_connect() {
        TransportKind::Connect
    } else if e.is_timeout() {
        TransportKind::Timeout
    } else {
        TransportKind::Interrupted
    }
}

fn is_unauthorized<T>(result: &Result<T>) -> bool {
    matches!(result, Err(Error::Api(details)) if details.status == StatusCode::UNAUTHORIZED)
}
