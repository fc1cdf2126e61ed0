//! The client-side call budget, counted over a sliding window.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use assetpanda_api::{Client, Throttle, ThrottleConfig};
use serde_json::json;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

struct Stamp(Arc<Mutex<Vec<Instant>>>);

impl Respond for Stamp {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        self.0.lock().unwrap().push(Instant::now());
        ResponseTemplate::new(200)
            .set_body_raw(json!({"groups": []}).to_string(), "application/json")
    }
}

/// The most calls that fall into any window of length `window`.
fn busiest_window(stamps: &[Instant], window: Duration) -> usize {
    (0..stamps.len())
        .map(|i| {
            stamps[i..]
                .iter()
                .take_while(|t| **t - stamps[i] < window)
                .count()
        })
        .max()
        .unwrap_or(0)
}

fn client_with(server: &MockServer, throttle: Option<Throttle>) -> Client {
    Client::builder()
        .base_url(server.uri())
        .allow_insecure_http(true)
        .token("test-token")
        .throttle(throttle)
        .build()
        .unwrap()
}

#[test]
fn the_default_budget_keeps_rate_times_window_plus_burst_within_360() {
    let config = ThrottleConfig::default();
    let interval = config.interval().unwrap();

    assert_eq!(
        (config.max_calls, config.window, config.burst),
        (360, Duration::from_secs(180), 36)
    );
    let steady = config.window.as_nanos() / interval.as_nanos();
    // The interval is rounded up, so the budget is met from below: 36 + 323.
    assert!(u128::from(config.burst) + steady <= 360, "{steady}");
    assert!(u128::from(config.burst) + steady >= 359, "{steady}");
}

#[test]
fn invalid_budgets_are_config_errors() {
    assert!(Throttle::new(ThrottleConfig::new(0, Duration::from_secs(1))).is_err());
    assert!(Throttle::new(ThrottleConfig::new(5, Duration::ZERO)).is_err());
    assert!(Throttle::new(ThrottleConfig::new(5, Duration::from_secs(1)).with_burst(6)).is_err());
}

#[tokio::test]
async fn calls_stay_within_a_tiny_budget_in_any_sliding_window() {
    let server = MockServer::start().await;
    let stamps = Arc::new(Mutex::new(Vec::new()));
    Mock::given(wiremock::matchers::any())
        .respond_with(Stamp(stamps.clone()))
        .mount(&server)
        .await;
    let budget = ThrottleConfig::new(4, Duration::from_millis(600)).with_burst(2);
    let throttle = Throttle::new(budget).unwrap();
    // Two clients sharing one throttle count against one budget.
    let first = client_with(&server, Some(throttle.clone()));
    let second = client_with(&server, Some(throttle));

    for i in 0..10 {
        let client = if i % 2 == 0 { &first } else { &second };
        client.groups().list().await.unwrap();
    }

    let stamps = stamps.lock().unwrap().clone();
    assert_eq!(stamps.len(), 10);
    // NB: the window checked is shorter than the budget's, leaving room for request latency.
    assert!(busiest_window(&stamps, Duration::from_millis(450)) <= 4);
}

#[tokio::test]
async fn without_a_throttle_the_same_calls_exceed_that_budget() {
    let server = MockServer::start().await;
    let stamps = Arc::new(Mutex::new(Vec::new()));
    Mock::given(wiremock::matchers::any())
        .respond_with(Stamp(stamps.clone()))
        .mount(&server)
        .await;
    let client = client_with(&server, None);

    for _ in 0..10 {
        client.groups().list().await.unwrap();
    }

    let stamps = stamps.lock().unwrap().clone();
    assert!(busiest_window(&stamps, Duration::from_millis(450)) > 4);
}
