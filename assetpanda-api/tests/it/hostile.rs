//! Hostile servers: redirects off the configured host, mislabelled, deeply nested, huge
//! and slow answers, and bodies that stall half-way. Every error is also checked for the
//! token in its text.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use assetpanda_api::{Error, RetryPolicy, TransportKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{builder, RecordingClock};

const TOKEN: &str = "hostile-token-5e5e-never-print";

/// The response size limit of the clients in this module.
const LIMIT: usize = 64 * 1024;

fn client_at(server: &MockServer, retries: u32) -> assetpanda_api::Client {
    builder(server, &RecordingClock::new())
        .token(TOKEN)
        .timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy {
            max_retries: retries,
            ..RetryPolicy::default()
        })
        .build()
        .unwrap()
}

fn assert_no_secret(error: &Error) {
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains(TOKEN), "token in {text}");
    }
}

#[tokio::test]
async fn no_redirect_of_any_kind_carries_the_token_to_another_host() {
    for status in [301u16, 302, 303, 307, 308] {
        let server = MockServer::start().await;
        let elsewhere = MockServer::start().await;
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("Location", format!("{}/v3/groups", elsewhere.uri())),
            )
            .mount(&server)
            .await;
        let client = client_at(&server, 3);

        let error = client.groups().list().await.unwrap_err();

        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert!(
            elsewhere.received_requests().await.unwrap().is_empty(),
            "{status}"
        );
        assert_no_secret(&error);
    }
}

#[tokio::test]
async fn a_json_body_labelled_as_something_else_is_refused_once() {
    for content_type in ["text/plain", "application/xml", "text/html"] {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"groups":[]}"#, content_type))
            .expect(1)
            .mount(&server)
            .await;
        let client = client_at(&server, 3);

        let error = client.groups().list().await.unwrap_err();

        assert!(
            matches!(error, Error::UnexpectedContentType { .. }),
            "{content_type}: {error:?}"
        );
        assert_no_secret(&error);
    }
}

#[tokio::test]
async fn deeply_nested_json_is_a_decode_error_not_a_crash() {
    let server = MockServer::start().await;
    let depth = 50_000;
    let body = format!(
        "{{\"groups\":[{{\"id\":1,\"name\":{}{}}}]}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let client = client_at(&server, 0);

    let error = client.groups().list().await.unwrap_err();

    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert!(error.to_string().len() < 2_000);
    assert_no_secret(&error);
}

#[tokio::test]
async fn an_answer_that_never_comes_times_out_in_milliseconds() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"{"groups":[]}"#, "application/json")
                .set_delay(Duration::from_secs(30)),
        )
        .expect(2)
        .mount(&server)
        .await;
    let client = client_at(&server, 1);

    let started = std::time::Instant::now();
    let error = client.groups().list().await.unwrap_err();

    let last = match &error {
        Error::RetriesExhausted { last, .. } => last.as_ref(),
        other => other,
    };
    assert!(matches!(last, Error::Transport { .. }), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "the timeout fired"
    );
    assert_no_secret(&error);
}

#[test]
fn plain_http_is_accepted_for_loopback_only() {
    let build = |url: &str| {
        assetpanda_api::Client::builder()
            .base_url(url)
            .allow_insecure_http(true)
            .token(TOKEN)
            .build()
    };

    assert!(build("http://127.0.0.1:9/").is_ok());
    assert!(build("http://api.assetpanda.example/").is_err());
}

#[tokio::test]
async fn a_huge_body_is_refused() {
    let server = MockServer::start().await;
    let huge = format!(
        "{{\"groups\":[{}]}}",
        vec!["{\"id\":1}"; 2_000_000].join(",")
    );
    let size = huge.len() as u64;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(huge, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server, &RecordingClock::new())
        .token(TOKEN)
        .max_response_bytes(LIMIT)
        .build()
        .unwrap();

    let error = client.groups().list().await.unwrap_err();

    match &error {
        Error::ResponseTooLarge {
            method,
            path,
            limit,
            announced,
        } => {
            assert_eq!(method, "GET");
            assert_eq!(path, "/v3/groups");
            assert_eq!(*limit, LIMIT);
            assert_eq!(*announced, Some(size));
        }
        other => panic!("expected ResponseTooLarge, got {other:?}"),
    }
    let text = error.to_string();
    assert!(
        text.contains("/v3/groups") && text.contains(&LIMIT.to_string()),
        "{text}"
    );
    assert_no_secret(&error);
}

/// A socket server that answers each connection with `head`, then the chunks `chunks`
/// produces (until it returns `None`), then holds the connection open without finishing.
/// Returns its URL and a count of connections.
async fn raw_server<F>(head: String, chunks: F) -> (String, Arc<AtomicUsize>)
where
    F: Fn(usize) -> Option<Vec<u8>> + Send + Sync + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    let chunks = Arc::new(chunks);
    let head = Arc::new(head);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            let (chunks, head) = (chunks.clone(), head.clone());
            tokio::spawn(async move {
                let mut request = vec![0u8; 16 * 1024];
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
                // A server that stalls: the client's timeout has to end the call.
                tokio::time::sleep(Duration::from_secs(30)).await;
            });
        }
    });
    (uri, connections)
}

/// One chunk of a `Transfer-Encoding: chunked` body.
fn chunked(data: &[u8]) -> Vec<u8> {
    let mut out = format!("{:x}\r\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\r\n");
    out
}

const CHUNKED_HEAD: &str = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                            transfer-encoding: chunked\r\n\r\n";

/// A client for a raw server: short timeout, small limit, recorded waits.
fn raw_client(uri: &str, retries: u32) -> assetpanda_api::Client {
    assetpanda_api::Client::builder()
        .base_url(uri)
        .allow_insecure_http(true)
        .throttle(None)
        .clock(RecordingClock::new())
        .token(TOKEN)
        .timeout(Duration::from_millis(300))
        .max_response_bytes(LIMIT)
        .retry_policy(RetryPolicy {
            max_retries: retries,
            ..RetryPolicy::default()
        })
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_chunked_body_without_length_is_cut_at_the_limit() {
    // 64 chunks of 4 KiB would be 256 KiB; the client must stop after 16 of them.
    let (uri, connections) = raw_server(CHUNKED_HEAD.to_owned(), |n| {
        (n < 64).then(|| chunked(&[b' '; 4096]))
    })
    .await;
    let client = raw_client(&uri, 3);

    let error = client.groups().list().await.unwrap_err();

    assert!(
        matches!(
            error,
            Error::ResponseTooLarge {
                limit: LIMIT,
                announced: None,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(connections.load(Ordering::SeqCst), 1, "never retried");
    assert_no_secret(&error);
}

#[tokio::test]
async fn a_chunked_body_of_exactly_the_limit_is_read() {
    let json = br#"{"groups":[]}"#;
    let padding = LIMIT - json.len();
    let (uri, _) = raw_server(CHUNKED_HEAD.to_owned(), move |n| match n {
        0 => Some(chunked(json)),
        1 => Some(chunked(&vec![b' '; padding])),
        2 => Some(b"0\r\n\r\n".to_vec()),
        _ => None,
    })
    .await;
    let client = raw_client(&uri, 0);

    let groups = client.groups().list().await.unwrap();

    assert!(groups.is_empty());
}

#[tokio::test]
async fn an_error_body_over_the_limit_stays_an_api_error() {
    let head = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\n\
         content-length: {}\r\n\r\n",
        LIMIT * 4
    );
    let (uri, _) = raw_server(head, |n| (n < 4).then(|| vec![b'x'; LIMIT])).await;
    let client = raw_client(&uri, 0);

    let error = client.groups().list().await.unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(503), "{error:?}");
    assert_no_secret(&error);
}

#[tokio::test]
async fn the_default_limit_refuses_an_announced_body_over_64_mib() {
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        assetpanda_api::DEFAULT_MAX_RESPONSE_BYTES + 1
    );
    let (uri, _) = raw_server(head, |_| None).await;
    let client = assetpanda_api::Client::builder()
        .base_url(&uri)
        .allow_insecure_http(true)
        .throttle(None)
        .token(TOKEN)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();

    let error = client.groups().list().await.unwrap_err();

    assert!(
        matches!(
            error,
            Error::ResponseTooLarge { limit, announced: Some(_), .. }
                if limit == 64 * 1024 * 1024
        ),
        "{error:?}"
    );
}

/// A 200 that announces a whole body, sends its first bytes and stalls.
async fn stalling_server() -> (String, Arc<AtomicUsize>) {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                content-length: 200\r\n\r\n"
        .to_owned();
    raw_server(head, |n| {
        (n == 0).then(|| br#"{"groups":[{"id":1,"#.to_vec())
    })
    .await
}

#[tokio::test]
async fn a_body_that_stalls_is_a_timeout_retried_for_a_read() {
    let (uri, connections) = stalling_server().await;
    let client = raw_client(&uri, 2);

    let error = client.groups().list().await.unwrap_err();

    match &error {
        Error::RetriesExhausted { attempts: 3, last } => assert!(
            matches!(
                last.as_ref(),
                Error::Transport {
                    kind: TransportKind::Timeout,
                    ..
                }
            ),
            "{last:?}"
        ),
        other => panic!("expected three timed-out attempts, got {other:?}"),
    }
    assert_eq!(connections.load(Ordering::SeqCst), 3);
    assert_no_secret(&error);
}

#[tokio::test]
async fn a_body_that_stalls_after_a_create_is_not_retried() {
    let (uri, connections) = stalling_server().await;
    let client = raw_client(&uri, 5);

    let error = client
        .objects(7)
        .create(assetpanda_api::FieldMap::new().text("field_1", "WS-1"))
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
    assert_eq!(
        connections.load(Ordering::SeqCst),
        1,
        "a create is sent once"
    );
    assert_no_secret(&error);
}

#[test]
fn a_private_certificate_authority_is_trusted_and_a_bad_one_refused_at_build() {
    let build = |pem: Vec<u8>| {
        assetpanda_api::Client::builder()
            .token(TOKEN)
            .root_certificates_pem(pem)
            .build()
    };

    let pem = include_bytes!("../fixtures/test-ca.pem").to_vec();
    assert!(build(pem).is_ok());
    for bad in [b"not a certificate".to_vec(), Vec::new()] {
        let error = build(bad).unwrap_err().to_string();
        assert!(error.contains("root certificates"), "{error}");
        assert!(error.contains("no certificate"), "{error}");
    }
}
