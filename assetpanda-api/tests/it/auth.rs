//! The three login modes, the token cache and the single re-login on 401.

use assetpanda_api::{Client, Error};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, Respond};

use crate::common::{builder, client, fixture_response, json, received, RecordingClock};

const JWT: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI1MTIwIiwiZW1haWwiOiJzeW5jLXNlcnZpY2VAZXhhbXBsZS5jb20iLCJpYXQiOjE3MzY5MzUyMDAsImV4cCI6MTczNzAyMTYwMH0.bm90LWEtcmVhbC1zaWduYXR1cmUtMDEyMzQ1Njc4OWFi";

fn v3_client(server: &MockServer) -> Client {
    builder(server, &RecordingClock::new())
        .v3_login("sync-service@example.com", "hunter2-pass")
        .build()
        .unwrap()
}

/// A mock answering every `POST` to `login_path` with `responder`.
fn login(login_path: &str, responder: impl Respond + 'static) -> Mock {
    Mock::given(method("POST"))
        .and(path(login_path))
        .respond_with(responder)
}

/// A mock answering every `GET /v3/groups` with a 401 for an expired token.
fn token_expired_on_groups() -> Mock {
    Mock::given(method("GET"))
        .and(path("/v3/groups"))
        .respond_with(json(401, json!({"message": "Token expired"})))
}

async fn mount_groups_ok(server: &MockServer, token: &str) {
    Mock::given(method("GET"))
        .and(path("/v3/groups"))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .respond_with(fixture_response("groups.json"))
        .mount(server)
        .await;
}

#[tokio::test]
async fn bearer_token_is_sent_as_is() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v3/groups"))
        .and(header("authorization", "Bearer test-token"))
        .and(header("accept", "application/json"))
        .respond_with(fixture_response("groups.json"))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server);

    let groups = client.groups().list().await.unwrap();

    assert_eq!(groups.len(), 5);
}

#[tokio::test]
async fn v3_login_posts_json_and_caches_the_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/session/token"))
        .and(header("content-type", "application/json"))
        .and(body_json(
            json!({"email": "sync-service@example.com", "password": "hunter2-pass"}),
        ))
        .respond_with(fixture_response("login.json"))
        .expect(1)
        .mount(&server)
        .await;
    mount_groups_ok(&server, JWT).await;
    let client = v3_client(&server);

    client.groups().list().await.unwrap();
    client.groups().list().await.unwrap();

    assert_eq!(received(&server, "GET", "/v3/groups").await.len(), 2);
}

#[tokio::test]
async fn v3_login_reads_token_and_camel_case_keys() {
    for key in ["token", "accessToken"] {
        let server = MockServer::start().await;
        login(
            "/v3/session/token",
            json(200, json!({ key: "tok-from-key" })),
        )
        .mount(&server)
        .await;
        mount_groups_ok(&server, "tok-from-key").await;

        let groups = v3_client(&server).groups().list().await;

        assert!(groups.is_ok(), "{key}: {groups:?}");
    }
}

#[tokio::test]
async fn an_unrecognised_login_answer_is_auth_naming_keys_only() {
    let server = MockServer::start().await;
    login(
        "/v3/session/token",
        json(200, json!({"jwt": "secret-jwt-value", "kind": "x"})),
    )
    .mount(&server)
    .await;

    let err = v3_client(&server).groups().list().await.unwrap_err();

    let Error::Auth { message } = &err else {
        panic!("expected Auth, got {err:?}");
    };
    assert!(
        message.contains("jwt") && message.contains("kind"),
        "{message}"
    );
    assert!(!err.to_string().contains("secret-jwt-value"));
}

#[tokio::test]
async fn v3_login_falls_back_to_the_other_path_once_and_remembers_it() {
    let server = MockServer::start().await;
    login(
        "/v3/session/token",
        json(404, json!({"message": "Not found"})),
    )
    .expect(1)
    .mount(&server)
    .await;
    login("/v3/session-token", fixture_response("login.json"))
        .expect(2)
        .mount(&server)
        .await;
    token_expired_on_groups()
        .up_to_n_times(1)
        .mount(&server)
        .await;
    mount_groups_ok(&server, JWT).await;

    let groups = v3_client(&server).groups().list().await.unwrap();

    assert_eq!(groups.len(), 5);
}

#[tokio::test]
async fn an_explicit_token_path_has_no_fallback() {
    let server = MockServer::start().await;
    login("/custom/login", json(404, json!({"message": "Not found"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server, &RecordingClock::new())
        .v3_login("sync-service@example.com", "hunter2-pass")
        .v3_token_path("/custom/login")
        .build()
        .unwrap();

    let err = client.groups().list().await.unwrap_err();

    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert!(received(&server, "POST", "/v3/session-token")
        .await
        .is_empty());
}

#[tokio::test]
async fn v2_login_posts_the_form_with_grant_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/session/token"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .respond_with(fixture_response("login.json"))
        .expect(1)
        .mount(&server)
        .await;
    mount_groups_ok(&server, JWT).await;
    let client = v2_client(&server);

    client.groups().list().await.unwrap();

    let login = &received(&server, "POST", "/v2/session/token").await[0];
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&login.body)
        .into_owned()
        .collect();
    let get = |k: &str| {
        form.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(get("client_id"), Some("client-123"));
    assert_eq!(get("client_secret"), Some("client-secret-xyz"));
    assert_eq!(get("email"), Some("sync@example.com"));
    assert_eq!(get("password"), Some("pw-v2"));
    assert_eq!(get("device"), Some("Desktop"));
    assert_eq!(get("app_version"), Some("1.0"));
    assert_eq!(get("grant_type"), Some("password"));
}

#[tokio::test]
async fn v2_login_failure_keeps_the_servers_reason() {
    let server = MockServer::start().await;
    login(
        "/v2/session/token",
        json(
            422,
            json!({"errors": [{"base": ["Email or password is incorrect"]}]}),
        ),
    )
    .expect(1)
    .mount(&server)
    .await;
    let client = v2_client(&server);

    let err = client.groups().list().await.unwrap_err();

    let api = err.api().expect("an Api error");
    assert_eq!(api.status.as_u16(), 422);
    assert_eq!(api.field_errors[0].field, "base");
    assert_eq!(
        api.field_errors[0].message,
        "Email or password is incorrect"
    );
}

/// Mounts a login that answers `first` once, then `second`.
async fn mount_two_logins(server: &MockServer, login_path: &str, first: &str, second: &str) {
    login(
        login_path,
        json(200, json!({"access_token": first, "token_type": "bearer"})),
    )
    .up_to_n_times(1)
    .with_priority(1)
    .mount(server)
    .await;
    login(
        login_path,
        json(200, json!({"access_token": second, "token_type": "bearer"})),
    )
    .with_priority(2)
    .mount(server)
    .await;
}

async fn relogin_then_success(client: Client, server: &MockServer, login_path: &str) {
    mount_two_logins(server, login_path, "old-token", "new-token").await;
    Mock::given(method("GET"))
        .and(path("/v3/groups"))
        .and(header("authorization", "Bearer old-token"))
        .respond_with(json(401, json!({"message": "Token expired"})))
        .expect(1)
        .mount(server)
        .await;
    mount_groups_ok(server, "new-token").await;

    let groups = client.groups().list().await.unwrap();

    assert_eq!(groups.len(), 5);
    assert_eq!(received(server, "POST", login_path).await.len(), 2);
    assert_eq!(received(server, "GET", "/v3/groups").await.len(), 2);
}

async fn relogin_then_401_again(client: Client, server: &MockServer, login_path: &str) {
    mount_two_logins(server, login_path, "old-token", "new-token").await;
    token_expired_on_groups().expect(2).mount(server).await;

    let err = client.groups().list().await.unwrap_err();

    let api = err.api().expect("an Api error");
    assert_eq!(api.status.as_u16(), 401);
    assert!(err.to_string().contains("fresh login"), "{err}");
    assert_eq!(received(server, "POST", login_path).await.len(), 2);
}

#[tokio::test]
async fn v3_401_then_relogin_then_success() {
    let server = MockServer::start().await;
    relogin_then_success(v3_client(&server), &server, "/v3/session/token").await;
}

#[tokio::test]
async fn v3_401_twice_is_an_api_401_after_one_relogin() {
    let server = MockServer::start().await;
    relogin_then_401_again(v3_client(&server), &server, "/v3/session/token").await;
}

fn v2_client(server: &MockServer) -> Client {
    builder(server, &RecordingClock::new())
        .v2_login(
            "client-123",
            "client-secret-xyz",
            "sync@example.com",
            "pw-v2",
        )
        .build()
        .unwrap()
}

#[tokio::test]
async fn v2_401_then_relogin_then_success() {
    let server = MockServer::start().await;
    relogin_then_success(v2_client(&server), &server, "/v2/session/token").await;
}

#[tokio::test]
async fn v2_401_twice_is_an_api_401_after_one_relogin() {
    let server = MockServer::start().await;
    relogin_then_401_again(v2_client(&server), &server, "/v2/session/token").await;
}

#[tokio::test]
async fn bearer_401_is_final_after_one_request() {
    let server = MockServer::start().await;
    token_expired_on_groups().expect(1).mount(&server).await;
    let (client, _) = client(&server);

    let err = client.groups().list().await.unwrap_err();

    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert!(err.to_string().contains("never refreshed"), "{err}");
}

#[tokio::test]
async fn concurrent_requests_share_one_relogin() {
    let server = MockServer::start().await;
    mount_two_logins(&server, "/v3/session/token", "old-token", "new-token").await;
    Mock::given(method("GET"))
        .and(path("/v3/groups"))
        .and(header("authorization", "Bearer old-token"))
        .respond_with(json(401, json!({"message": "Token expired"})))
        .mount(&server)
        .await;
    mount_groups_ok(&server, "new-token").await;
    let client = v3_client(&server);

    let tasks: Vec<_> = (0..6)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.groups().list().await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().len(), 5);
    }

    assert_eq!(
        received(&server, "POST", "/v3/session/token").await.len(),
        2
    );
}

#[tokio::test]
async fn building_without_credentials_or_with_plain_http_is_config() {
    let no_creds = Client::builder().build().unwrap_err();
    assert!(matches!(no_creds, Error::Config { .. }), "{no_creds:?}");

    let http = Client::builder()
        .base_url("http://127.0.0.1:9")
        .token("t")
        .build()
        .unwrap_err();
    assert!(http.to_string().contains("allow_insecure_http"), "{http}");

    let blank = Client::builder().token("  ").build().unwrap_err();
    assert!(matches!(blank, Error::Config { .. }), "{blank:?}");
}

#[test]
fn login_options_that_cannot_work_are_config_errors() {
    let relative = Client::builder()
        .v3_login("a@example.com", "pw")
        .v3_token_path("v3/session/token")
        .build()
        .unwrap_err();
    let with_token = Client::builder()
        .token("t")
        .v3_token_path("/v3/session/token")
        .build()
        .unwrap_err();
    let no_email = Client::builder().v3_login(" ", "pw").build().unwrap_err();

    for err in [relative, with_token, no_email] {
        assert!(matches!(err, Error::Config { .. }), "{err:?}");
    }
}
