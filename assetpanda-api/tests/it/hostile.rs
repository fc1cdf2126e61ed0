//! Hostile servers: redirects off the configured host, mislabelled, deeply nested and
//! slow answers. Every error is also checked for the token in its text.

use std::time::Duration;

use assetpanda_api::{Error, RetryPolicy};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{builder, RecordingClock};

const TOKEN: &str = "hostile-token-5e5e-never-print";

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
#[ignore = "known gap: the client reads a body of any size; there is no response size cap"]
async fn a_huge_body_is_refused() {
    let server = MockServer::start().await;
    let huge = format!(
        "{{\"groups\":[{}]}}",
        vec!["{\"id\":1}"; 2_000_000].join(",")
    );
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(huge, "application/json"))
        .mount(&server)
        .await;
    let client = builder(&server, &RecordingClock::new())
        .token(TOKEN)
        .build()
        .unwrap();

    let result = client.groups().list().await;

    assert!(
        matches!(result, Err(Error::Decode { .. }) | Ok(_))
            .then_some(())
            .is_none(),
        "a 16 MB list of groups was read whole"
    );
}
