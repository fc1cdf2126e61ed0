//! Fault injection: which requests fail, and how, decided from a seed.
//!
//! Requests are numbered from 1 in the order the fake receives them. A rule fires on given
//! request numbers, or on a share of requests drawn from the seed; the same seed and the
//! same sequence of requests give the same faults. The first rule that fires wins.

use std::collections::BTreeSet;
use std::time::Duration;

use http::{Method, StatusCode};

use super::response::{self, FakeResponse};

/// One way a response can go wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// `429` with `Retry-After: {retry_after_secs}` and the rate-limit body.
    RateLimited {
        /// The wait announced in `Retry-After`, in seconds.
        retry_after_secs: u64,
    },
    /// `500` with the server's generic error body.
    ServerError,
    /// `500` whose message says the query timed out.
    ServerTimeout,
    /// `502` with an HTML page from the edge.
    BadGateway,
    /// `503` with an HTML page from the edge.
    ServiceUnavailable,
    /// `504` with an HTML page from the edge.
    GatewayTimeout,
    /// `200` with an HTML sign-in page instead of JSON.
    HtmlPage,
    /// `200` with a JSON content type and no body at all.
    EmptyBody,
    /// The real response, cut off half-way through its body. Served by the socket server,
    /// the connection closes before `Content-Length` bytes arrive.
    TruncatedBody,
    /// The real response, sent after a pause.
    Delay(Duration),
    /// The connection closes without any response.
    DropConnection,
}

impl Fault {
    /// Whether only the socket server (not wiremock) can deliver this fault.
    pub(crate) fn needs_socket_server(&self) -> bool {
        matches!(self, Fault::TruncatedBody | Fault::DropConnection)
    }

    /// The response this fault replaces the real one with, if it does.
    pub(crate) fn response(&self) -> Option<FakeResponse> {
        let edge = |status: StatusCode, title: &str| FakeResponse::html(status, title);
        Some(match self {
            Fault::RateLimited { retry_after_secs } => response::rate_limited(*retry_after_secs),
            Fault::ServerError => response::error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "ConnectWiseApi",
                "An unexpected error occurred.",
            ),
            Fault::ServerTimeout => response::error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "ConnectWiseApi",
                "The query did not finish in time (timeout). Narrow the filter or ask for \
                 smaller pages.",
            ),
            Fault::BadGateway => edge(StatusCode::BAD_GATEWAY, "502 Bad Gateway"),
            Fault::ServiceUnavailable => edge(
                StatusCode::SERVICE_UNAVAILABLE,
                "503 Service Temporarily Unavailable",
            ),
            Fault::GatewayTimeout => edge(StatusCode::GATEWAY_TIMEOUT, "504 Gateway Time-out"),
            Fault::HtmlPage => edge(StatusCode::OK, "ConnectWise Manage - Sign In"),
            Fault::EmptyBody => {
                let mut r = FakeResponse::empty(StatusCode::OK);
                r.headers.push((
                    "content-type".into(),
                    "application/json; charset=utf-8".into(),
                ));
                r
            }
            Fault::TruncatedBody | Fault::Delay(_) | Fault::DropConnection => return None,
        })
    }
}

#[derive(Debug, Clone)]
enum Trigger {
    Share(f64),
    Requests(BTreeSet<u64>),
}

#[derive(Debug, Clone)]
struct Rule {
    trigger: Trigger,
    fault: Fault,
    after_write: bool,
}

/// A deterministic schedule of faults.
///
/// ```
/// use connectwise_api::fake::{Fault, FaultPlan};
///
/// let plan = FaultPlan::new(7)
///     .on_requests([1, 2], Fault::RateLimited { retry_after_secs: 0 })
///     .share(0.1, Fault::BadGateway)
///     .share_after_write(0.05, Fault::ServerError);
/// assert!(!plan.is_empty());
/// ```
#[derive(Debug, Clone, Default)]
pub struct FaultPlan {
    seed: u64,
    rules: Vec<Rule>,
}

/// What the plan decided for one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decision {
    pub(crate) fault: Fault,
    /// Run the request (a write is applied) before answering with the fault.
    pub(crate) after_write: bool,
}

impl FaultPlan {
    /// An empty plan whose shares are drawn from `seed`.
    pub fn new(seed: u64) -> FaultPlan {
        FaultPlan {
            seed,
            rules: Vec::new(),
        }
    }

    /// No faults at all.
    pub fn none() -> FaultPlan {
        FaultPlan::default()
    }

    /// A share of all requests, spread evenly over the faults a retrying client is meant
    /// to survive: 429 (with `Retry-After: 0`), 502, 503, 504 and a 500 that timed out.
    pub fn retryable_mix(seed: u64, share: f64) -> FaultPlan {
        let each = share / 5.0;
        FaultPlan::new(seed)
            .share(
                each,
                Fault::RateLimited {
                    retry_after_secs: 0,
                },
            )
            .share(each, Fault::BadGateway)
            .share(each, Fault::ServiceUnavailable)
            .share(each, Fault::GatewayTimeout)
            .share(each, Fault::ServerTimeout)
    }

    /// Answers about `share` (0.0 to 1.0) of all requests with `fault`, chosen from the seed.
    pub fn share(mut self, share: f64, fault: Fault) -> FaultPlan {
        self.rules.push(Rule {
            trigger: Trigger::Share(share.clamp(0.0, 1.0)),
            fault,
            after_write: false,
        });
        self
    }

    /// Answers the requests with these numbers (1 is the first request) with `fault`.
    pub fn on_requests(
        mut self,
        numbers: impl IntoIterator<Item = u64>,
        fault: Fault,
    ) -> FaultPlan {
        self.rules.push(Rule {
            trigger: Trigger::Requests(numbers.into_iter().collect()),
            fault,
            after_write: false,
        });
        self
    }

    /// For about `share` of the writes (POST, PUT, PATCH, DELETE): apply the write, then
    /// answer with `fault`, as when a connection breaks after the server committed.
    pub fn share_after_write(mut self, share: f64, fault: Fault) -> FaultPlan {
        self.rules.push(Rule {
            trigger: Trigger::Share(share.clamp(0.0, 1.0)),
            fault,
            after_write: true,
        });
        self
    }

    /// Like [`FaultPlan::share_after_write`], for the writes with these request numbers.
    pub fn after_write_on(
        mut self,
        numbers: impl IntoIterator<Item = u64>,
        fault: Fault,
    ) -> FaultPlan {
        self.rules.push(Rule {
            trigger: Trigger::Requests(numbers.into_iter().collect()),
            fault,
            after_write: true,
        });
        self
    }

    /// Whether the plan holds no rule.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Whether some fault needs the socket server rather than wiremock.
    pub(crate) fn needs_socket_server(&self) -> bool {
        self.rules.iter().any(|r| r.fault.needs_socket_server())
    }

    /// The fault for request number `n`, if any.
    pub(crate) fn decide(&self, n: u64, method: &Method) -> Option<Decision> {
        let is_write = matches!(
            *method,
            Method::POST | Method::PUT | Method::PATCH | Method::DELETE
        );
        self.rules.iter().enumerate().find_map(|(index, rule)| {
            if rule.after_write && !is_write {
                return None;
            }
            let fires = match &rule.trigger {
                Trigger::Requests(set) => set.contains(&n),
                Trigger::Share(share) => unit(self.seed, n, index as u64) < *share,
            };
            fires.then(|| Decision {
                fault: rule.fault.clone(),
                after_write: rule.after_write,
            })
        })
    }
}

/// A number in `[0, 1)` fixed by seed, request number and rule.
fn unit(seed: u64, n: u64, rule: u64) -> f64 {
    let mixed = splitmix(splitmix(seed ^ splitmix(n)) ^ rule.wrapping_mul(0x9E37_79B9));
    (mixed >> 11) as f64 / (1u64 << 53) as f64
}

fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
