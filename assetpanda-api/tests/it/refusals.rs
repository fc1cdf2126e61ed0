//! Telling refused credentials from other failures, so a program can exit with its
//! "fix the credentials" status for a wrong password.

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

use crate::common::{builder, client, json, RecordingClock};

async fn login_answering(status: u16, body: serde_json::Value) -> assetpanda_api::Error {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/session/token"))
        .respond_with(json(status, body))
        .mount(&server)
        .await;
    let client = builder(&server, &RecordingClock::new())
        .v3_login("sync-service@example.com", "wrong-password-77")
        .build()
        .unwrap();
    client.groups().list().await.unwrap_err()
}

#[tokio::test]
async fn a_wrong_password_answered_with_422_is_a_refusal() {
    let err = login_answering(
        422,
        json!({"errors": [{"base": ["Email or password is incorrect"]}], "code": 2}),
    )
    .await;

    assert!(err.is_credentials_refused(), "{err}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422));
    assert!(err.api().unwrap().login);
    assert!(!err.to_string().contains("wrong-password-77"));
}

#[tokio::test]
async fn a_login_answered_with_401_or_no_token_is_a_refusal() {
    let unauthorized = login_answering(401, json!({"error": "Unauthorized"})).await;
    let no_token = login_answering(200, json!({"user": {"id": 1}})).await;

    assert!(unauthorized.is_credentials_refused(), "{unauthorized}");
    assert!(no_token.is_credentials_refused(), "{no_token}");
}

#[tokio::test]
async fn a_server_error_at_login_is_not_a_refusal() {
    let err = login_answering(500, json!({"error": "boom"})).await;

    assert!(!err.is_credentials_refused(), "{err}");
}

#[tokio::test]
async fn a_422_outside_the_login_is_not_a_refusal() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v3/groups"))
        .respond_with(json(422, json!({"errors": [{"base": ["bad request"]}]})))
        .mount(&server)
        .await;
    let (client, _) = client(&server);

    let err = client.groups().list().await.unwrap_err();

    assert_eq!(err.status().map(|s| s.as_u16()), Some(422));
    assert!(!err.api().unwrap().login);
    assert!(!err.is_credentials_refused(), "{err}");
}
