//! When to send a request again, and how long to wait first.
//!
//! [`decide`] is a pure function of the request's class, the outcome of the last attempt
//! and the retries made so far; the client calls it after every attempt. The waits are
//! taken through a [`Clock`], which tests replace so that nothing is really slept.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use chrono::{DateTime, Utc};
use http::StatusCode;

/// How requests are retried. The defaults follow the project-wide retry table.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Retries allowed after the first attempt (default 5; 0 turns retrying off).
    pub max_retries: u32,
    /// Retries allowed for a 500 that does not say it timed out (default 2).
    pub max_server_error_retries: u32,
    /// First backoff ceiling (default 500 ms); doubles with every retry.
    pub backoff_base: Duration,
    /// Largest backoff ceiling (default 60 s).
    pub backoff_cap: Duration,
    /// Longest wait a server hint is obeyed for (default 300 s); a longer hint fails the call.
    pub max_retry_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 5,
            max_server_error_retries: 2,
            backoff_base: Duration::from_millis(500),
            backoff_cap: Duration::from_secs(60),
            max_retry_wait: Duration::from_secs(300),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn disabled() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// The same policy with another retry budget.
    pub fn with_max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// The same policy with another cap on hinted waits.
    pub fn with_max_retry_wait(mut self, wait: Duration) -> Self {
        self.max_retry_wait = wait;
        self
    }

    /// The same policy with another backoff base and cap.
    pub fn with_backoff(mut self, base: Duration, cap: Duration) -> Self {
        self.backoff_base = base;
        self.backoff_cap = cap;
        self
    }
}

/// Which column of the retry table a request falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestClass {
    /// GET and count: reading only.
    Read,
    /// PUT, DELETE and a PATCH made only of `replace` operations: safe to repeat.
    IdempotentWrite,
    /// POST, and a PATCH with `add` or `remove`: repeating may apply it twice.
    NonIdempotent,
}

/// What happened to one attempt.
#[derive(Debug, Clone, Copy)]
pub enum Outcome<'a> {
    /// The connection was never made (refused, DNS failure): nothing reached the server.
    NotSent,
    /// A timeout or reset after the request may have reached the server.
    LostAfterSend,
    /// A non-2xx response.
    Status {
        /// Its status.
        status: StatusCode,
        /// The raw `Retry-After` header.
        retry_after: Option<&'a str>,
        /// A wait named in the body (`retryAfter`, or "try again in N seconds").
        body_wait: Option<Duration>,
        /// Whether the body says the server timed out.
        says_timeout: bool,
    },
    /// A 2xx whose body was empty or cut off where JSON was expected.
    EmptyBody,
    /// A 2xx whose body was not JSON.
    UnexpectedContentType,
}

/// Everything [`decide`] looks at.
#[derive(Debug, Clone, Copy)]
pub struct RetryInput<'a> {
    /// The request's column in the retry table.
    pub class: RequestClass,
    /// The outcome of the attempt just made.
    pub outcome: Outcome<'a>,
    /// Retries already made for this request.
    pub retries_done: u32,
    /// Retries already made because of a plain (non-timeout) 500.
    pub server_error_retries_done: u32,
    /// The current time, for `Retry-After` given as an HTTP date.
    pub now: DateTime<Utc>,
    /// A random number in `[0, 1)` that scales the backoff ceiling (full jitter).
    pub jitter: f64,
}

/// The verdict of [`decide`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Send the request again after this wait.
    Retry(Duration),
    /// The outcome is retryable but the budget is spent.
    Exhausted,
    /// The outcome is final: return the error as it is.
    GiveUp,
}

/// Decides whether to retry, following the project's retry table row by row.
pub fn decide(policy: &RetryPolicy, input: &RetryInput<'_>) -> Decision {
    let class = input.class;
    let retryable = match input.outcome {
        Outcome::NotSent => true,
        Outcome::LostAfterSend => class != RequestClass::NonIdempotent,
        Outcome::EmptyBody => class == RequestClass::Read,
        Outcome::UnexpectedContentType => false,
        Outcome::Status {
            status,
            says_timeout,
            ..
        } => match status.as_u16() {
            429 => true,
            502..=504 => class != RequestClass::NonIdempotent,
            500 if says_timeout => class != RequestClass::NonIdempotent,
            500 => {
                if class == RequestClass::NonIdempotent {
                    false
                } else if input.server_error_retries_done >= policy.max_server_error_retries {
                    return Decision::Exhausted;
                } else {
                    true
                }
            }
            _ => false,
        },
    };
    if !retryable {
        return Decision::GiveUp;
    }
    if input.retries_done >= policy.max_retries {
        return Decision::Exhausted;
    }

    match hinted_wait(&input.outcome, input.now) {
        Some(wait) if wait > policy.max_retry_wait => Decision::GiveUp,
        Some(wait) => Decision::Retry(wait),
        None => Decision::Retry(backoff(policy, input.retries_done, input.jitter)),
    }
}

/// The wait the server asked for: `Retry-After`, else a wait named in the body.
fn hinted_wait(outcome: &Outcome<'_>, now: DateTime<Utc>) -> Option<Duration> {
    let Outcome::Status {
        retry_after,
        body_wait,
        ..
    } = outcome
    else {
        return None;
    };
    retry_after
        .and_then(|h| parse_retry_after(h, now))
        .or(*body_wait)
}

/// Full-jitter exponential backoff: a share `jitter` of `min(cap, base * 2^retries)`.
pub fn backoff(policy: &RetryPolicy, retries_done: u32, jitter: f64) -> Duration {
    let factor = 2u32.saturating_pow(retries_done.min(31));
    let ceiling = policy
        .backoff_base
        .saturating_mul(factor)
        .min(policy.backoff_cap);
    ceiling.mul_f64(jitter.clamp(0.0, 1.0))
}

/// Parses a `Retry-After` value: delta seconds or an HTTP date (a past date gives zero).
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = DateTime::parse_from_rfc2822(value)
        .ok()?
        .with_timezone(&Utc);
    Some((at - now).to_std().unwrap_or(Duration::ZERO))
}

/// A boxed future that waits.
pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send>>;

/// The source of time for retry waits and `Retry-After` dates.
///
/// The default is the real clock with `tokio::time::sleep`. Tests install one that
/// records the waits and returns at once.
pub trait Clock: fmt::Debug + Send + Sync + 'static {
    /// The current time.
    fn now(&self) -> DateTime<Utc>;
    /// Waits for `duration`.
    fn sleep(&self, duration: Duration) -> Sleep;
}

/// The real clock: `Utc::now` and `tokio::time::sleep`.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn sleep(&self, duration: Duration) -> Sleep {
        Box::pin(tokio::time::sleep(duration))
    }
}
