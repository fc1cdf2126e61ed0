//! Retries on the wire: waits come from the test clock and are never slept.

use std::time::Duration;

use connectwise_api::{ApiErrorKind, Error, RetryPolicy, TransportKind};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::support::{builder, client, json as json_response, TestClock, API};

/// Answers with the given responses in order, repeating the last one.
struct Sequence(Vec<ResponseTemplate>, std::sync::atomic::AtomicUsize);

impl Sequence {
    fn new(responses: Vec<ResponseTemplate>) -> Self {
        Self(responses, std::sync::atomic::AtomicUsize::new(0))
    }
}

impl Respond for Sequence {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.1.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.0[n.min(self.0.len() - 1)].clone()
    }
}

fn throttled(retry_after: &str) -> ResponseTemplate {
    json_response(
        429,
        json!({"error":"ConnectWiseAPI",
        "message":"Too many requests. Please try again in 7 seconds."}),
    )
    .insert_header("Retry-After", retry_after)
}

fn unavailable() -> ResponseTemplate {
    ResponseTemplate::new(503)
        .set_body_raw("<html><body>Service Unavailable</body></html>", "text/html")
}

async fn mount(server: &MockServer, verb: &str, responses: Vec<ResponseTemplate>) {
    Mock::given(method(verb))
        .and(path(format!("{API}/company/configurations")))
        .respond_with(Sequence::new(responses))
        .mount(server)
        .await;
}

async fn hits(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn h19_honour_retry_after_then_back_off_on_a_gateway_error() {
    let server = MockServer::start().await;
    let ok = json_response(200, json!([{"id":1542,"name":"ACME-WS-017"}]));
    mount(&server, "GET", vec![throttled("7"), unavailable(), ok]).await;
    let (client, clock) = client(&server);
    let page = client.configurations().list().send().await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(hits(&server).await, 3);
    let sleeps = clock.sleeps();
    assert_eq!(sleeps.len(), 2);
    assert_eq!(sleeps[0], Duration::from_secs(7));
    assert!(
        sleeps[1] <= Duration::from_millis(1000),
        "second wait {:?}",
        sleeps[1]
    );
}

#[tokio::test]
async fn h19_retry_after_as_an_http_date() {
    let server = MockServer::start().await;
    let ok = json_response(200, json!([]));
    mount(
        &server,
        "GET",
        vec![throttled("Wed, 21 Oct 2026 07:28:00 GMT"), ok],
    )
    .await;
    let (client, clock) = client(&server);
    client.configurations().list().send().await.unwrap();
    assert_eq!(clock.sleeps(), vec![Duration::from_secs(10)]);
}

#[tokio::test]
async fn h19_a_gateway_error_on_every_attempt_exhausts_the_budget() {
    let server = MockServer::start().await;
    mount(&server, "GET", vec![unavailable()]).await;
    let (client, clock) = client(&server);
    let error = client.configurations().list().send().await.unwrap_err();
    match &error {
        Error::RetriesExhausted { attempts, last } => {
            assert_eq!(*attempts, 6);
            assert_eq!(last.api().unwrap().status.as_u16(), 503);
        }
        other => panic!("expected RetriesExhausted, got {other:?}"),
    }
    assert_eq!(hits(&server).await, 6);
    for (n, wait) in clock.sleeps().iter().enumerate() {
        let ceiling = Duration::from_millis(500 * 2u64.pow(n as u32)).min(Duration::from_secs(60));
        assert!(*wait <= ceiling, "wait {n} was {wait:?}");
    }
}

#[tokio::test]
async fn h19_a_post_is_retried_after_429_but_not_after_503() {
    let server = MockServer::start().await;
    let ok = json_response(201, json!({"id": 1}));
    mount(&server, "POST", vec![throttled("7"), unavailable(), ok]).await;
    let (client, _) = client(&server);
    let error = client
        .configurations()
        .create(&json!({"name": "x"}))
        .await
        .unwrap_err();
    assert_eq!(hits(&server).await, 2);
    match error {
        Error::Api(api) => assert_eq!(api.status.as_u16(), 503),
        other => panic!("expected Api, got {other:?}"),
    }
}

#[tokio::test]
async fn h20_a_wait_hint_over_the_cap_fails_at_once_keeping_the_hint() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        vec![throttled("367946340"), json_response(200, json!([]))],
    )
    .await;
    let (client, clock) = client(&server);
    let error = client.configurations().list().send().await.unwrap_err();
    let api = error.api().unwrap();
    assert_eq!(api.status.as_u16(), 429);
    assert_eq!(api.retry_after, Some(Duration::from_secs(367_946_340)));
    assert!(clock.sleeps().is_empty());
    assert_eq!(hits(&server).await, 1);
}

#[tokio::test]
async fn h21_a_500_that_timed_out_is_retried() {
    let server = MockServer::start().await;
    let timeout = json_response(
        500,
        json!({"code":"ConnectWiseApi","message":"Execution Timeout Expired. The timeout period elapsed prior to completion of the operation."}),
    );
    mount(
        &server,
        "GET",
        vec![timeout.clone(), json_response(200, json!([]))],
    )
    .await;
    let (client, _) = client(&server);
    client.configurations().list().send().await.unwrap();
    assert_eq!(hits(&server).await, 2);

    let once = MockServer::start().await;
    mount(&once, "GET", vec![timeout]).await;
    let clock = TestClock::new();
    let strict = builder(&once, &clock)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let error = strict.configurations().list().send().await.unwrap_err();
    assert_eq!(error.api().unwrap().kind(), ApiErrorKind::ServerTimeout);
}

#[tokio::test]
async fn h21_any_other_500_is_retried_twice_and_never_for_a_post() {
    let server = MockServer::start().await;
    let broken = json_response(
        500,
        json!({"code":"ConnectWiseApi",
        "message":"Object reference not set to an instance of an object."}),
    );
    mount(&server, "GET", vec![broken.clone()]).await;
    mount(&server, "POST", vec![broken]).await;
    let (client, _) = client(&server);
    let error = client.configurations().list().send().await.unwrap_err();
    match &error {
        Error::RetriesExhausted { attempts: 3, last } => {
            assert_eq!(last.api().unwrap().status.as_u16(), 500)
        }
        other => panic!("expected RetriesExhausted after 3 attempts, got {other:?}"),
    }
    assert_eq!(hits(&server).await, 3);
    let post = client
        .configurations()
        .create(&json!({"name": "x"}))
        .await
        .unwrap_err();
    assert_eq!(post.api().unwrap().status.as_u16(), 500);
    assert_eq!(hits(&server).await, 4);
}

#[tokio::test]
async fn h21_other_4xx_are_sent_once() {
    for status in [400, 401, 403, 404, 409, 422] {
        let server = MockServer::start().await;
        let body = json!({"code": "Whatever", "message": format!("status {status}")});
        mount(&server, "GET", vec![json_response(status, body)]).await;
        let (client, clock) = client(&server);
        let error = client.configurations().list().send().await.unwrap_err();
        assert_eq!(error.status().unwrap().as_u16(), status);
        assert_eq!(hits(&server).await, 1, "status {status}");
        assert!(clock.sleeps().is_empty());
    }
}

#[tokio::test]
async fn h21_a_client_timeout_is_retried_for_a_get_but_not_for_a_post() {
    let server = MockServer::start().await;
    let slow = json_response(200, json!([])).set_delay(Duration::from_millis(400));
    mount(
        &server,
        "GET",
        vec![slow.clone(), json_response(200, json!([]))],
    )
    .await;
    mount(
        &server,
        "POST",
        vec![slow.clone().set_delay(Duration::from_millis(400))],
    )
    .await;
    let clock = TestClock::new();
    let client = builder(&server, &clock)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    client.configurations().list().send().await.unwrap();
    assert_eq!(hits(&server).await, 2);
    let post = client
        .configurations()
        .create(&json!({"name": "x"}))
        .await
        .unwrap_err();
    assert!(
        matches!(
            post,
            Error::Transport {
                kind: TransportKind::Timeout,
                ..
            }
        ),
        "{post:?}"
    );
    assert_eq!(hits(&server).await, 3, "a POST that timed out is sent once");
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_for_a_post() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let clock = TestClock::new();
    let client = connectwise_api::Client::builder()
        .company("examplemsp")
        .public_key("PUBKEY")
        .private_key("PRIVKEY")
        .client_id("11111111-2222-4333-8444-555555555555")
        .site(connectwise_api::Site::Url(
            format!("http://{address}").parse().unwrap(),
        ))
        .allow_insecure_http(true)
        .throttle(None)
        .clock(clock.clone())
        .retry_policy(RetryPolicy::default().with_max_retries(2))
        .build()
        .unwrap();
    let error = client
        .companies()
        .create(&json!({"name": "x"}))
        .await
        .unwrap_err();
    match error {
        Error::RetriesExhausted { attempts: 3, last } => assert!(
            matches!(
                *last,
                Error::Transport {
                    kind: TransportKind::Connect,
                    ..
                }
            ),
            "{last:?}"
        ),
        other => panic!("expected RetriesExhausted, got {other:?}"),
    }
    assert_eq!(clock.sleeps().len(), 2);
}

#[tokio::test]
async fn a_delete_retried_after_a_timeout_that_then_finds_nothing_is_done() {
    let server = MockServer::start().await;
    let slow = ResponseTemplate::new(204).set_delay(Duration::from_millis(400));
    let gone = json_response(404, json!({"code": "NotFound", "message": "gone"}));
    Mock::given(method("DELETE"))
        .and(path(format!("{API}/company/configurations/7")))
        .respond_with(Sequence::new(vec![slow, gone]))
        .expect(2)
        .mount(&server)
        .await;
    let clock = TestClock::new();
    let client = builder(&server, &clock)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    client.configurations().delete(7).await.unwrap();
}

#[tokio::test]
async fn a_429_that_outlasts_the_budget_ends_as_retries_exhausted() {
    let server = MockServer::start().await;
    mount(&server, "POST", vec![throttled("1")]).await;
    let clock = TestClock::new();
    let policy = RetryPolicy::default().with_max_retries(2);
    let client = builder(&server, &clock)
        .retry_policy(policy)
        .build()
        .unwrap();
    let error = client
        .configurations()
        .create(&json!({"name": "x"}))
        .await
        .unwrap_err();
    match &error {
        Error::RetriesExhausted { attempts: 3, last } => {
            let api = last.api().unwrap();
            assert_eq!(api.status.as_u16(), 429);
            assert_eq!(api.retry_after, Some(Duration::from_secs(1)));
        }
        other => panic!("expected RetriesExhausted, got {other:?}"),
    }
    assert_eq!(clock.sleeps(), vec![Duration::from_secs(1); 2]);
    assert_eq!(hits(&server).await, 3);
}

#[tokio::test]
async fn a_delete_retried_after_a_gateway_error_that_then_finds_nothing_is_done() {
    let server = MockServer::start().await;
    let gone = json_response(404, json!({"code": "NotFound", "message": "gone"}));
    Mock::given(method("DELETE"))
        .and(path(format!("{API}/company/configurations/8")))
        .respond_with(Sequence::new(vec![unavailable(), gone]))
        .expect(3)
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    client.configurations().delete(8).await.unwrap();
    let missing = client.configurations().delete(8).await.unwrap_err();
    assert!(
        missing.is_not_found(),
        "a first-attempt 404 stays an error: {missing:?}"
    );
}
