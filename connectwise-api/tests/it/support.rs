//! Shared helpers: a client aimed at a mock server, fixtures, a clock that never sleeps.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use connectwise_api::retry::{Clock, Sleep};
use connectwise_api::{Client, ClientBuilder, RetryPolicy, Site};
use wiremock::{MockServer, Request, ResponseTemplate};

pub const COMPANY: &str = "examplemsp";
pub const PUBLIC_KEY: &str = "PUBKEY";
pub const PRIVATE_KEY: &str = "PRIVKEY";
pub const CLIENT_ID: &str = "11111111-2222-4333-8444-555555555555";
/// base64("examplemsp+PUBKEY:PRIVKEY")
pub const BASIC: &str = "Basic ZXhhbXBsZW1zcCtQVUJLRVk6UFJJVktFWQ==";
/// The API prefix under the mock server's root.
pub const API: &str = "/v4_6_release/apis/3.0";

/// A clock whose sleeps return at once and are recorded; time moves by the slept amount.
#[derive(Debug)]
pub struct TestClock {
    start: DateTime<Utc>,
    sleeps: Mutex<Vec<Duration>>,
}

impl TestClock {
    pub fn at(start: DateTime<Utc>) -> Arc<Self> {
        Arc::new(Self {
            start,
            sleeps: Mutex::new(Vec::new()),
        })
    }

    pub fn new() -> Arc<Self> {
        Self::at(Utc.with_ymd_and_hms(2026, 10, 21, 7, 27, 50).unwrap())
    }

    pub fn sleeps(&self) -> Vec<Duration> {
        self.sleeps.lock().unwrap().clone()
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        let slept: Duration = self.sleeps.lock().unwrap().iter().sum();
        self.start + chrono::Duration::from_std(slept).unwrap()
    }

    fn sleep(&self, duration: Duration) -> Sleep {
        self.sleeps.lock().unwrap().push(duration);
        Box::pin(async {})
    }
}

/// A builder aimed at the mock server, with the throttle off and a test clock.
pub fn builder(server: &MockServer, clock: &Arc<TestClock>) -> ClientBuilder {
    Client::builder()
        .company(COMPANY)
        .public_key(PUBLIC_KEY)
        .private_key(PRIVATE_KEY)
        .client_id(CLIENT_ID)
        .site(Site::Url(server.uri().parse().unwrap()))
        .allow_insecure_http(true)
        .throttle(None)
        .clock(clock.clone())
}

/// A client aimed at the mock server with the default retry policy.
pub fn client(server: &MockServer) -> (Client, Arc<TestClock>) {
    let clock = TestClock::new();
    let client = builder(server, &clock).build().unwrap();
    (client, clock)
}

/// A client that never retries.
pub fn no_retry_client(server: &MockServer) -> Client {
    let clock = TestClock::new();
    builder(server, &clock)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
}

/// The bytes of a fixture file.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

/// A 200 with a raw JSON body.
pub fn json_bytes(status: u16, body: impl Into<Vec<u8>>) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.into(), "application/json; charset=utf-8")
}

/// A 200 with a JSON value.
pub fn json(status: u16, body: serde_json::Value) -> ResponseTemplate {
    json_bytes(status, body.to_string())
}

/// The decoded query parameters of a request, in order.
pub fn query_pairs(request: &Request) -> Vec<(String, String)> {
    request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// One decoded query parameter.
pub fn query_param(request: &Request, name: &str) -> Option<String> {
    query_pairs(request)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// The received requests to an API path (without the API prefix).
pub async fn requests_to(server: &MockServer, path: &str) -> Vec<Request> {
    let full = format!("{API}{path}");
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.url.path() == full)
        .collect()
}
