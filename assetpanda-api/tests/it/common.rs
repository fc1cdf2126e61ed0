//! Helpers shared by the test modules: fixtures, a client for a mock server, a clock
//! that records waits instead of sleeping.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use assetpanda_api::{Client, ClientBuilder, Clock};
use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The raw bytes of a fixture file.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/assetpanda/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

/// A 200 answer whose body is a fixture, served byte for byte.
pub fn fixture_response(name: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(fixture(name), "application/json")
}

/// A JSON answer with the given status.
pub fn json(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/json")
}

/// A clock that records every wait and returns at once.
#[derive(Debug)]
pub struct RecordingClock {
    pub now: DateTime<Utc>,
    pub waits: Mutex<Vec<Duration>>,
}

impl RecordingClock {
    pub fn new() -> Arc<Self> {
        Self::at(Utc::now())
    }

    pub fn at(now: DateTime<Utc>) -> Arc<Self> {
        Arc::new(Self {
            now,
            waits: Mutex::new(Vec::new()),
        })
    }

    pub fn waits(&self) -> Vec<Duration> {
        self.waits.lock().unwrap().clone()
    }
}

impl Clock for RecordingClock {
    fn now(&self) -> DateTime<Utc> {
        self.now
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        self.waits.lock().unwrap().push(duration);
        Box::pin(async {})
    }
}

/// A builder pointed at the mock, with throttling off and a recording clock.
pub fn builder(server: &MockServer, clock: &Arc<RecordingClock>) -> ClientBuilder {
    Client::builder()
        .base_url(server.uri())
        .allow_insecure_http(true)
        .throttle(None)
        .clock(clock.clone())
}

/// A client with the bearer token `test-token`.
pub fn client(server: &MockServer) -> (Client, Arc<RecordingClock>) {
    let clock = RecordingClock::new();
    let client = builder(server, &clock).token("test-token").build().unwrap();
    (client, clock)
}

/// The JSON body of a received request.
pub fn body_of(request: &Request) -> Value {
    serde_json::from_slice(&request.body).expect("request body is JSON")
}

/// The requests the mock received for a method and path.
pub async fn received(server: &MockServer, method: &str, path: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.method.as_str() == method && r.url.path() == path)
        .collect()
}

/// A query parameter of a request.
pub fn query(request: &Request, key: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

pub fn html(status: u16, text: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(text.to_owned(), "text/html")
}

/// Answers `responses` in order, then keeps answering the last one.
pub async fn sequence(
    server: &MockServer,
    verb: &str,
    route: &str,
    responses: Vec<ResponseTemplate>,
) {
    let last = responses.len() - 1;
    for (i, response) in responses.into_iter().enumerate() {
        let mock = Mock::given(method(verb))
            .and(path(route))
            .respond_with(response)
            .with_priority(u8::try_from(i + 1).unwrap());
        let mock = if i == last {
            mock
        } else {
            mock.up_to_n_times(1)
        };
        mock.mount(server).await;
    }
}
