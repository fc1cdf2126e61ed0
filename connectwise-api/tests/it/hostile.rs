//! Hostile servers: huge, deeply nested, mislabelled and slow answers, and redirects off
//! the configured host. Every error is also checked for credentials in its text.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use connectwise_api::{Error, RetryPolicy, TransportKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{builder, TestClock, API, BASIC, PRIVATE_KEY};

const LIMIT: usize = 64 * 1024;

/// Fails the test when an error's text or `Debug` form holds a credential.
fn assert_no_secret(error: &Error) {
    let basic = BASIC.trim_start_matches("Basic ");
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains(PRIVATE_KEY), "private key in {text}");
        assert!(!text.contains(basic), "Basic credential in {text}");
    }
}

/// A client aimed at `uri` with a small body limit, a short timeout and no retries.
fn client_at(uri: &str, retries: u32) -> connectwise_api::Client {
    let clock = TestClock::new();
    let server_like = uri.parse().unwrap();
    builder_for(server_like, &clock)
        .max_response_bytes(LIMIT)
        .timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy::default().with_max_retries(retries))
        .build()
        .unwrap()
}

fn builder_for(url: url::Url, clock: &Arc<TestClock>) -> connectwise_api::ClientBuilder {
    connectwise_api::Client::builder()
        .company(crate::support::COMPANY)
        .public_key(crate::support::PUBLIC_KEY)
        .private_key(PRIVATE_KEY)
        .client_id(crate::support::CLIENT_ID)
        .site(connectwise_api::Site::Url(url))
        .allow_insecure_http(true)
        .throttle(None)
        .clock(clock.clone())
}

/// A socket server that answers each connection with `head`, then `body` chunks produced
/// by `chunks` (stopping when it returns `None`), and counts connections.
async fn raw_server<F>(head: &'static str, chunks: F) -> (String, Arc<AtomicUsize>)
where
    F: Fn(usize) -> Option<Vec<u8>> + Send + Sync + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    let chunks = Arc::new(chunks);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            let chunks = chunks.clone();
            tokio::spawn(async move {
                let mut request = vec![0u8; 8192];
                let _ = socket.read(&mut request).await;
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let mut n = 0;
                while let Some(chunk) = chunks(n) {
                    if socket.write_all(&chunk).await.is_err() {
                        return;
                    }
                    n += 1;
                }
                // Hold the connection open: a slow server that never finishes.
                tokio::time::sleep(Duration::from_secs(30)).await;
            });
        }
    });
    (uri, connections)
}

fn chunked(data: &[u8]) -> Vec<u8> {
    let mut out = format!("{:x}\r\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\r\n");
    out
}

#[tokio::test]
async fn an_announced_huge_body_is_refused_without_reading_it() {
    let server = MockServer::start().await;
    let huge = format!("[{}]", vec!["{\"id\":1}"; 20_000].join(","));
    Mock::given(method("GET"))
        .and(path(format!("{API}/company/companies")))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(huge.into_bytes(), "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client_at(&server.uri(), 5);

    let error = client.get_json("/company/companies").await.unwrap_err();

    match &error {
        Error::ResponseTooLarge {
            limit,
            announced: Some(announced),
            status,
            ..
        } => {
            assert_eq!(*limit, LIMIT);
            assert!(*announced > LIMIT as u64);
            assert_eq!(status.as_u16(), 200);
        }
        other => panic!("expected ResponseTooLarge, got {other:?}"),
    }
    assert!(error.to_string().contains("max_response_bytes"), "{error}");
    assert!(!error.is_retryable());
    assert_no_secret(&error);
}

#[tokio::test]
async fn an_endless_chunked_body_stops_at_the_limit() {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                transfer-encoding: chunked\r\n\r\n";
    let (uri, connections) = raw_server(head, |n| {
        // An opening bracket, then rows for ever.
        let rows = "{\"id\":1},".repeat(500);
        Some(chunked(if n == 0 { b"[" } else { rows.as_bytes() }))
    })
    .await;
    let client = client_at(&uri, 5);

    let error = client.get_json("/company/companies").await.unwrap_err();

    assert!(
        matches!(
            error,
            Error::ResponseTooLarge {
                announced: None,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(connections.load(Ordering::SeqCst), 1, "not retried");
    assert_no_secret(&error);
}

#[tokio::test]
async fn a_huge_error_body_is_still_an_api_error_with_a_short_snippet() {
    let server = MockServer::start().await;
    let body = format!(
        "{{\"code\":\"ConnectWiseApi\",\"message\":\"{}\"}}",
        "x".repeat(200_000)
    );
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(400).set_body_raw(body, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_at(&server.uri(), 5);

    let error = client.get_json("/company/companies/1").await.unwrap_err();

    let api = error.api().expect("an Api error");
    assert_eq!(api.status.as_u16(), 400);
    assert!(api.body_snippet.as_ref().is_some_and(|s| s.len() <= 512));
    assert_no_secret(&error);
}

#[tokio::test]
async fn deeply_nested_json_is_a_decode_error_not_a_crash() {
    let server = MockServer::start().await;
    let depth = 20_000;
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let object = format!("{{\"id\":1,\"customFields\":[{{\"id\":4,\"value\":{nested}}}]}}");
    Mock::given(method("GET"))
        .and(path(format!("{API}/company/companies/1")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(object, "application/json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{API}/system/info")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(nested, "application/json"))
        .mount(&server)
        .await;
    let client = client_at(&server.uri(), 0);

    let typed = client.companies().get(1).await.unwrap_err();
    let raw = client.get_json("/system/info").await.unwrap_err();

    for error in [&typed, &raw] {
        match error {
            Error::Decode { reason, .. } => assert!(reason.contains("recursion"), "{reason}"),
            other => panic!("expected Decode, got {other:?}"),
        }
        assert!(error.to_string().len() < 2_000, "the message stays short");
        assert_no_secret(error);
    }
}

#[tokio::test]
async fn a_json_body_labelled_as_something_else_is_refused_once() {
    for content_type in ["text/plain", "application/xml", "application/octet-stream"] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(200).set_body_raw(r#"{"id":1,"name":"A"}"#, content_type),
            )
            .expect(1)
            .mount(&server)
            .await;
        let client = client_at(&server.uri(), 5);

        let error = client.companies().get(1).await.unwrap_err();

        match &error {
            Error::UnexpectedContentType {
                content_type: seen, ..
            } => assert_eq!(seen.as_deref(), Some(content_type)),
            other => panic!("{content_type}: expected UnexpectedContentType, got {other:?}"),
        }
        assert_no_secret(&error);
    }
}

#[tokio::test]
async fn a_body_that_stalls_times_out_in_milliseconds_and_a_get_is_retried() {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n";
    let (uri, connections) = raw_server(head, |n| (n == 0).then(|| b"[{\"id\":1},".to_vec())).await;
    let client = client_at(&uri, 1);

    let error = client.get_json("/company/companies").await.unwrap_err();

    let last = match &error {
        Error::RetriesExhausted { attempts, last } => {
            assert_eq!(*attempts, 2);
            last.as_ref()
        }
        other => panic!("expected RetriesExhausted, got {other:?}"),
    };
    assert!(
        matches!(
            last,
            Error::Transport {
                kind: TransportKind::Timeout,
                ..
            }
        ),
        "{last:?}"
    );
    assert_eq!(connections.load(Ordering::SeqCst), 2);
    assert_no_secret(&error);
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_and_a_post_is_not_resent() {
    let (uri, connections) = raw_server("", |_| None).await;
    let client = client_at(&uri, 3);

    let error = client
        .post_json("/company/companies", &serde_json::json!({"name": "A"}))
        .await
        .unwrap_err();

    assert!(
        matches!(
            error,
            Error::Transport {
                kind: TransportKind::Timeout,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(connections.load(Ordering::SeqCst), 1);
    assert_no_secret(&error);
}

#[tokio::test]
async fn no_redirect_of_any_kind_carries_credentials_to_another_host() {
    for status in [301u16, 302, 303, 307, 308] {
        let server = MockServer::start().await;
        let elsewhere = MockServer::start().await;
        let location = format!("{}{API}/company/companies", elsewhere.uri());
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(status).insert_header("Location", location))
            .mount(&server)
            .await;
        let client = client_at(&server.uri(), 5);

        let get = client.get_json("/company/companies/1").await.unwrap_err();
        let post = client
            .post_json("/company/companies", &serde_json::json!({"name": "A"}))
            .await
            .unwrap_err();

        assert_eq!(get.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(post.status().map(|s| s.as_u16()), Some(status));
        assert!(
            elsewhere.received_requests().await.unwrap().is_empty(),
            "a {status} was followed"
        );
        assert_eq!(server.received_requests().await.unwrap().len(), 2);
        assert_no_secret(&get);
        assert_no_secret(&post);
    }
}

#[tokio::test]
async fn a_next_link_to_another_host_never_receives_a_request() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    let link = format!(
        "<{}{API}/company/companies?page=2&pageSize=2>; rel=\"next\"",
        elsewhere.uri()
    );
    Mock::given(method("GET"))
        .and(wiremock::matchers::query_param("page", "1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"[{"id":1},{"id":2}]"#, "application/json")
                .insert_header("Link", link.as_str()),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("[]", "application/json"))
        .mount(&server)
        .await;
    let clock = TestClock::new();
    let client = builder(&server, &clock).build().unwrap();

    let rows: Vec<serde_json::Value> = futures::TryStreamExt::try_collect(
        client.list_json("/company/companies").page_size(2).stream(),
    )
    .await
    .unwrap();

    assert_eq!(rows.len(), 2);
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
}

#[test]
fn plain_http_is_accepted_for_loopback_only_and_only_when_allowed() {
    let build = |url: &str, allow: bool| {
        connectwise_api::Client::builder()
            .company(crate::support::COMPANY)
            .public_key(crate::support::PUBLIC_KEY)
            .private_key(PRIVATE_KEY)
            .client_id(crate::support::CLIENT_ID)
            .site(connectwise_api::Site::Url(url.parse().unwrap()))
            .allow_insecure_http(allow)
            .build()
    };

    for url in [
        "http://127.0.0.1:8080/",
        "http://[::1]:9/",
        "http://localhost/",
    ] {
        assert!(build(url, true).is_ok(), "{url}");
        assert!(build(url, false).is_err(), "{url} without the opt-in");
    }
    for url in [
        "http://psa.example.com/",
        "http://10.0.0.5/",
        "http://0.0.0.0:80/",
    ] {
        match build(url, true) {
            Err(Error::Config { field, reason }) => {
                assert_eq!(field, "site");
                assert!(reason.contains("loopback"), "{reason}");
            }
            other => panic!("{url}: expected a Config error, got {other:?}"),
        }
    }
    assert!(build("https://psa.example.com/", false).is_ok());
}

#[test]
fn a_private_certificate_authority_is_trusted_and_a_bad_one_refused_at_build() {
    let build = |pem: Vec<u8>| {
        connectwise_api::Client::builder()
            .company("examplemsp")
            .public_key("public")
            .private_key("private")
            .client_id("11111111-2222-4333-8444-555555555555")
            .site(connectwise_api::Region::Na)
            .root_certificates_pem(pem)
            .build()
    };

    assert!(build(crate::support::fixture("test-ca.pem")).is_ok());
    for bad in [b"not a certificate".to_vec(), Vec::new()] {
        match build(bad) {
            Err(Error::Config { field, reason }) => {
                assert_eq!(field, "root_certificates");
                assert!(reason.contains("no certificate"), "{reason}");
            }
            other => panic!("expected a configuration error, got {other:?}"),
        }
    }
}
