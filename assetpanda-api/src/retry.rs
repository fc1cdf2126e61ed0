//! When to send a request again, and how long to wait first.
//!
//! [`decide`] is a pure function of the request's class, what happened, how many retries
//! were already made, the server's wait hint and a jitter draw. The client calls it after
//! every attempt; tests call it directly. Waits go through a [`Clock`], so tests can record
//! them instead of sleeping.

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};

use futures::future::BoxFuture;
use http::{HeaderMap, StatusCode};

/// How safe it is to send a request twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestClass {
    /// Changes nothing: GET, and the POSTs that only read (search, login).
    Read,
    /// Sending it twice has the effect of sending it once: PUT, PATCH of a flat set of
    /// fields, DELETE, archive and unarchive.
    Idempotent,
    /// Must not be repeated once it may have reached the server: creating objects.
    Unsafe,
}

/// What an attempt ended with, as far as the retry decision cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// The connection was never made (refused, DNS failure).
    NotSent,
    /// The request went out but no answer came back (timeout, reset).
    NoAnswer,
    /// The server answered with a status outside 2xx.
    Status {
        /// The status code.
        status: StatusCode,
        /// For a 500: the body says the server timed out.
        server_timeout: bool,
    },
    /// A 2xx answer with an empty or cut-off body.
    EmptyBody,
    /// A 2xx answer whose body is not JSON.
    NotJson,
}

/// Retries made so far for one call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Attempts {
    /// Retries already made, whatever their cause.
    pub retries: u32,
    /// Retries already made after a 500 that did not say it timed out.
    pub plain_server_errors: u32,
}

/// What to do after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Send the request again after this wait.
    Retry(Duration),
    /// Return the error.
    Stop(StopReason),
}

/// Why no retry is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StopReason {
    /// A retry cannot help, or could repeat a change.
    NotRetryable,
    /// The server asked for a longer wait than [`RetryPolicy::max_hinted_wait`].
    HintTooLong(Duration),
    /// The retry budget is spent; the call ends as `RetriesExhausted`.
    BudgetSpent,
}

/// Limits of the retry behaviour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Most retries for one call (default 5).
    pub max_retries: u32,
    /// Most retries after a 500 that does not say it timed out (default 2).
    pub max_plain_server_error_retries: u32,
    /// First backoff step (default 500 ms).
    pub backoff_base: Duration,
    /// Longest backoff step (default 60 s).
    pub backoff_cap: Duration,
    /// Longest wait the server may ask for (default 300 s); a longer hint is not waited for.
    pub max_hinted_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 5,
            max_plain_server_error_retries: 2,
            backoff_base: Duration::from_millis(500),
            backoff_cap: Duration::from_secs(60),
            max_hinted_wait: Duration::from_secs(300),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// The backoff wait before retry number `retries + 1`, with full jitter:
    /// `jitter × min(cap, base × 2^retries)`, where `jitter` lies in `[0, 1]`.
    pub fn backoff(&self, retries: u32, jitter: f64) -> Duration {
        let factor = 2u32.saturating_pow(retries.min(31));
        let ceiling = self
            .backoff_base
            .saturating_mul(factor)
            .min(self.backoff_cap);
        ceiling.mul_f64(jitter.clamp(0.0, 1.0))
    }
}

/// Decides whether to retry after an attempt; see the retry table in the crate docs.
///
/// `hint` is the wait the server asked for ([`wait_hint`]); `jitter` is a draw from
/// `[0, 1]` used for backoff when there is no hint.
pub fn decide(
    policy: &RetryPolicy,
    class: RequestClass,
    outcome: Outcome,
    done: Attempts,
    hint: Option<Duration>,
    jitter: f64,
) -> Decision {
    let unsafe_call = class == RequestClass::Unsafe;
    let mut plain_server_error = false;

    let retryable = match outcome {
        Outcome::NotSent => true,
        Outcome::NoAnswer => !unsafe_call,
        Outcome::Status { status, .. } if status == StatusCode::TOO_MANY_REQUESTS => true,
        Outcome::Status { status, .. } if matches!(status.as_u16(), 502..=504) => !unsafe_call,
        Outcome::Status {
            status,
            server_timeout,
        } if status == StatusCode::INTERNAL_SERVER_ERROR => {
            plain_server_error = !server_timeout;
            !unsafe_call
        }
        Outcome::Status { .. } => false,
        Outcome::EmptyBody => class == RequestClass::Read,
        Outcome::NotJson => false,
    };
    if !retryable {
        return Decision::Stop(StopReason::NotRetryable);
    }

    if let Some(wait) = hint {
        if wait > policy.max_hinted_wait {
            return Decision::Stop(StopReason::HintTooLong(wait));
        }
    }

    let plain_spent =
        plain_server_error && done.plain_server_errors >= policy.max_plain_server_error_retries;
    if done.retries >= policy.max_retries || plain_spent {
        return Decision::Stop(StopReason::BudgetSpent);
    }

    Decision::Retry(hint.unwrap_or_else(|| policy.backoff(done.retries, jitter)))
}

/// The wait a server asked for: `Retry-After` (seconds or an HTTP date, measured from
/// `now`), else a `retryAfter` number in a JSON body, else "try again in N seconds" in
/// its text.
pub fn wait_hint(headers: &HeaderMap, body: &[u8], now: DateTime<Utc>) -> Option<Duration> {
    if let Some(value) = headers.get(http::header::RETRY_AFTER) {
        let text = value.to_str().ok()?.trim();
        if let Ok(secs) = text.parse::<u64>() {
            return Some(Duration::from_secs(secs));
        }
        if let Ok(date) = DateTime::parse_from_rfc2822(text) {
            let wait = date.with_timezone(&Utc) - now;
            return Some(wait.to_std().unwrap_or(Duration::ZERO));
        }
    }

    body_hint(body)
}

fn body_hint(body: &[u8]) -> Option<Duration> {
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_slice(body) {
        let field = map.get("retryAfter").or_else(|| map.get("retry_after"));
        if let Some(secs) = field.and_then(|v| v.as_f64().or_else(|| v.as_str()?.parse().ok())) {
            if secs.is_finite() && secs >= 0.0 {
                return Some(Duration::from_secs_f64(secs.min(1e9)));
            }
        }
    }

    let text = String::from_utf8_lossy(body).to_ascii_lowercase();
    let rest = &text[text.find("try again in ")? + "try again in ".len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let after = rest[digits.len()..].trim_start();
    if digits.is_empty() || !after.starts_with("sec") {
        return None;
    }
    digits.parse().ok().map(Duration::from_secs)
}

/// Tells the time and waits; the client uses it for every retry wait.
///
/// Tests install their own to record waits instead of sleeping.
pub trait Clock: Send + Sync + fmt::Debug + 'static {
    /// The current wall-clock time, used to read `Retry-After` dates.
    fn now(&self) -> DateTime<Utc>;

    /// Waits for `duration`.
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;
}

/// The real clock: `Utc::now` and `tokio::time::sleep`.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}
