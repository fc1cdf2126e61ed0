//! Fault injection: which requests get a broken answer, decided from a seed.

use std::collections::BTreeSet;
use std::fmt;
use std::time::Duration;

use serde_json::json;

use super::counters::Endpoint;
use super::reply::{FakeReply, RawFault};

/// One way to break an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// 429 with `Retry-After: <seconds>` and a JSON message; the request is not run.
    TooManyRequests {
        /// The `Retry-After` value in seconds.
        retry_after_secs: u64,
    },
    /// 429 without `Retry-After`: the wait is only in the body, as `retryAfter` and in the
    /// message text. The request is not run.
    TooManyRequestsBodyOnly {
        /// The wait in seconds given in the body.
        retry_after_secs: u64,
    },
    /// 500 with a JSON body.
    InternalServerError,
    /// 502 with the HTML page a gateway sends.
    BadGateway,
    /// 503 with the HTML page a gateway sends.
    ServiceUnavailable,
    /// 504 with the HTML page a gateway sends.
    GatewayTimeout,
    /// 200 with an HTML page instead of JSON (a maintenance or sign-in page).
    HtmlPage,
    /// 200 with a JSON content type and no body.
    EmptyBody,
    /// The real answer (so a write is applied), cut to half its length but correctly framed:
    /// the client reads a complete response whose JSON ends early.
    TruncatedBody,
    /// The real answer (so a write is applied), announced at full length but cut halfway
    /// by closing the connection. Needs the raw transport.
    CutConnection,
    /// Close the connection without answering. Needs the raw transport.
    DropConnection,
    /// The real answer, after this wait.
    Delay(Duration),
    /// Treat the presented token as expired from now on, and answer 401.
    TokenExpired,
}

impl Fault {
    /// Whether only the raw (hyper) transport can produce it.
    pub fn needs_raw_transport(&self) -> bool {
        matches!(self, Fault::CutConnection | Fault::DropConnection)
    }

    /// Whether the real answer is computed (and a write applied) before the fault shapes it.
    pub(crate) fn wraps_real_answer(&self) -> bool {
        matches!(
            self,
            Fault::TruncatedBody | Fault::CutConnection | Fault::Delay(_)
        )
    }

    /// The faulty reply, given the real one for the faults that wrap it.
    pub(crate) fn render(&self, real: Option<FakeReply>) -> FakeReply {
        let gateway = |status: u16, title: &str| {
            let page = format!(
                "<html>\r\n<head><title>{status} {title}</title></head>\r\n<body>\r\n\
                 <center><h1>{status} {title}</h1></center>\r\n</body>\r\n</html>\r\n"
            );
            FakeReply::raw_body(status, "text/html", page)
        };
        match self {
            Fault::TooManyRequests { retry_after_secs } => {
                let text = format!("Too many requests. Try again in {retry_after_secs} seconds.");
                FakeReply::json(429, &json!({ "message": text }))
                    .header("Retry-After", retry_after_secs.to_string())
            }
            Fault::TooManyRequestsBodyOnly { retry_after_secs } => {
                let text = format!("Too many requests. Try again in {retry_after_secs} seconds.");
                let body = json!({ "message": text, "retryAfter": retry_after_secs });
                FakeReply::json(429, &body)
            }
            Fault::InternalServerError => FakeReply::json(
                500,
                &json!({ "status": 500, "error": "Internal Server Error" }),
            ),
            Fault::BadGateway => gateway(502, "Bad Gateway"),
            Fault::ServiceUnavailable => gateway(503, "Service Temporarily Unavailable"),
            Fault::GatewayTimeout => gateway(504, "Gateway Time-out"),
            Fault::HtmlPage => FakeReply::raw_body(
                200,
                "text/html; charset=utf-8",
                "<!DOCTYPE html><html><head><title>Asset Panda</title></head>\
                 <body><h1>We'll be right back</h1><p>Scheduled maintenance.</p></body></html>",
            ),
            Fault::EmptyBody => FakeReply::raw_body(200, "application/json", ""),
            Fault::TokenExpired => FakeReply::json(401, &json!({ "message": "Token expired" })),
            Fault::DropConnection => {
                let mut reply = real.unwrap_or_else(|| FakeReply::raw_body(200, "text/plain", ""));
                reply.raw = Some(RawFault::DropConnection);
                reply
            }
            Fault::TruncatedBody | Fault::CutConnection | Fault::Delay(_) => {
                let mut reply = real.unwrap_or_else(|| FakeReply::raw_body(200, "text/plain", ""));
                let half = reply.body.len() / 2;
                match self {
                    Fault::TruncatedBody => reply.body = reply.body.slice(..half),
                    Fault::CutConnection => reply.raw = Some(RawFault::CutBodyAt(half)),
                    Fault::Delay(wait) => reply.delay = Some(*wait),
                    _ => {}
                }
                reply
            }
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::TooManyRequests { retry_after_secs } => {
                write!(f, "429 retry-after {retry_after_secs}s")
            }
            Fault::TooManyRequestsBodyOnly { retry_after_secs } => {
                write!(f, "429 body hint {retry_after_secs}s")
            }
            Fault::InternalServerError => f.write_str("500"),
            Fault::BadGateway => f.write_str("502"),
            Fault::ServiceUnavailable => f.write_str("503"),
            Fault::GatewayTimeout => f.write_str("504"),
            Fault::HtmlPage => f.write_str("html page"),
            Fault::EmptyBody => f.write_str("empty body"),
            Fault::TruncatedBody => f.write_str("truncated body"),
            Fault::CutConnection => f.write_str("connection cut mid-body"),
            Fault::DropConnection => f.write_str("dropped connection"),
            Fault::Delay(wait) => write!(f, "delay {}ms", wait.as_millis()),
            Fault::TokenExpired => f.write_str("token expired"),
        }
    }
}

/// Which requests a rule applies to.
#[derive(Debug, Clone, PartialEq)]
enum Trigger {
    /// These request numbers (counted from 1 since the fake started).
    Numbers(BTreeSet<u64>),
    /// Each request with this probability, drawn from the seed and the request number.
    Share(f64),
}

/// Which requests a rule may touch at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Any,
    Endpoint(Endpoint),
    Writes,
    NotLogin,
}

/// One rule of a [`FaultPlan`].
#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    fault: Fault,
    trigger: Trigger,
    scope: Scope,
    after_apply: bool,
    max_hits: Option<u64>,
}

impl FaultRule {
    /// `fault` for the requests numbered in `numbers` (counted from 1 since the start).
    pub fn at(numbers: impl IntoIterator<Item = u64>, fault: Fault) -> Self {
        FaultRule::new(Trigger::Numbers(numbers.into_iter().collect()), fault)
    }

    /// `fault` for a share (0.0 to 1.0) of requests, chosen from the seed.
    pub fn share(share: f64, fault: Fault) -> Self {
        FaultRule::new(Trigger::Share(share.clamp(0.0, 1.0)), fault)
    }

    fn new(trigger: Trigger, fault: Fault) -> Self {
        FaultRule {
            fault,
            trigger,
            scope: Scope::Any,
            after_apply: false,
            max_hits: None,
        }
    }

    /// Only requests to `endpoint` count (their numbers still count every request).
    pub fn only(mut self, endpoint: Endpoint) -> Self {
        self.scope = Scope::Endpoint(endpoint);
        self
    }

    /// Only writes (create, updates, archive, unarchive).
    pub fn only_writes(mut self) -> Self {
        self.scope = Scope::Writes;
        self
    }

    /// Every request but logins.
    pub fn except_login(mut self) -> Self {
        self.scope = Scope::NotLogin;
        self
    }

    /// Run the request first, then answer with the fault: the write is stored but the
    /// client sees an error, as when a connection breaks after the server committed.
    pub fn after_apply(mut self) -> Self {
        self.after_apply = true;
        self
    }

    /// Fire at most `n` times.
    pub fn max_hits(mut self, n: u64) -> Self {
        self.max_hits = Some(n);
        self
    }

    fn in_scope(&self, endpoint: Endpoint) -> bool {
        match self.scope {
            Scope::Any => true,
            Scope::Endpoint(only) => only == endpoint,
            Scope::Writes => endpoint.is_write(),
            Scope::NotLogin => !endpoint.is_login(),
        }
    }
}

/// A fault chosen for one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Chosen {
    pub(crate) fault: Fault,
    pub(crate) after_apply: bool,
}

/// The faults to inject, in rules tried in order; the first rule that fires wins.
///
/// Shares are drawn from the fake's seed and the request number, so the same seed and the
/// same sequence of requests give the same faults.
///
/// ```
/// use assetpanda_api::fake::{Endpoint, Fault, FaultPlan, FaultRule};
///
/// let plan = FaultPlan::new()
///     .rule(FaultRule::at([2, 5], Fault::BadGateway))
///     .rule(FaultRule::share(0.1, Fault::TooManyRequests { retry_after_secs: 1 }))
///     .rule(FaultRule::share(0.05, Fault::InternalServerError).only(Endpoint::Search));
/// assert_eq!(plan.rules().len(), 3);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaultPlan {
    rules: Vec<FaultRule>,
    hits: Vec<u64>,
}

impl FaultPlan {
    /// No faults.
    pub fn new() -> Self {
        FaultPlan::default()
    }

    /// Adds a rule.
    pub fn rule(mut self, rule: FaultRule) -> Self {
        self.rules.push(rule);
        self.hits.push(0);
        self
    }

    /// Shorthand for `rule(FaultRule::at(numbers, fault))`.
    pub fn at(self, numbers: impl IntoIterator<Item = u64>, fault: Fault) -> Self {
        self.rule(FaultRule::at(numbers, fault))
    }

    /// Shorthand for `rule(FaultRule::share(share, fault))`.
    pub fn share(self, share: f64, fault: Fault) -> Self {
        self.rule(FaultRule::share(share, fault))
    }

    /// The rules.
    pub fn rules(&self) -> &[FaultRule] {
        &self.rules
    }

    /// Whether some rule needs the raw transport.
    pub fn needs_raw_transport(&self) -> bool {
        self.rules.iter().any(|r| r.fault.needs_raw_transport())
    }

    /// The fault for request `number` to `endpoint`, if any; counts the hit.
    pub(crate) fn pick(&mut self, seed: u64, number: u64, endpoint: Endpoint) -> Option<Chosen> {
        for (index, rule) in self.rules.iter().enumerate() {
            if !rule.in_scope(endpoint) || rule.max_hits.is_some_and(|max| self.hits[index] >= max)
            {
                continue;
            }
            let fires = match &rule.trigger {
                Trigger::Numbers(numbers) => numbers.contains(&number),
                Trigger::Share(share) => unit_draw(seed, number, index as u64) < *share,
            };
            if fires {
                self.hits[index] += 1;
                return Some(Chosen {
                    fault: rule.fault.clone(),
                    after_apply: rule.after_apply,
                });
            }
        }
        None
    }
}

/// A number in [0, 1) that depends only on the seed, the request number and the rule.
fn unit_draw(seed: u64, number: u64, rule: u64) -> f64 {
    let mixed = mix(seed ^ mix(number.wrapping_add(rule.wrapping_mul(0x9E37_79B9_7F4A_7C15))));
    (mixed >> 11) as f64 / (1u64 << 53) as f64
}

/// The splitmix64 finaliser.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_deterministic_and_close_to_the_share() {
        let draw = |seed| {
            let mut plan = FaultPlan::new().share(0.2, Fault::BadGateway);
            (1..=10_000)
                .filter(|n| plan.pick(seed, *n, Endpoint::Search).is_some())
                .collect::<Vec<_>>()
        };
        let first = draw(7);
        assert_eq!(first, draw(7));
        assert_ne!(first, draw(8));
        assert!((1_800..2_200).contains(&first.len()), "{}", first.len());
    }

    #[test]
    fn numbers_scope_and_max_hits_limit_a_rule() {
        let mut plan = FaultPlan::new()
            .rule(
                FaultRule::at([1, 2, 3], Fault::EmptyBody)
                    .only_writes()
                    .max_hits(1),
            )
            .at([3], Fault::HtmlPage);
        assert_eq!(plan.pick(1, 1, Endpoint::Search), None);
        assert_eq!(
            plan.pick(1, 2, Endpoint::Create).unwrap().fault,
            Fault::EmptyBody
        );
        assert_eq!(
            plan.pick(1, 3, Endpoint::Create).unwrap().fault,
            Fault::HtmlPage
        );
    }
}
