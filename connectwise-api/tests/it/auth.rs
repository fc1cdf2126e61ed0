//! Credentials: on every API request, only to the configured host, never in output.

use connectwise_api::models::PatchOp;
use connectwise_api::{Client, Credentials, Error, Site};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{builder, client, json as json_response, TestClock, API, BASIC, CLIENT_ID};

const SECRETS: [&str; 3] = ["PRIVKEY", "ZXhhbXBsZW1zcCtQVUJLRVk6UFJJVktFWQ", CLIENT_ID];

fn assert_clean(text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "`{secret}` leaked into: {text}");
    }
}

#[tokio::test]
async fn every_api_request_carries_basic_auth_and_client_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{API}/company/companies")))
        .and(header("clientId", CLIENT_ID))
        .respond_with(json_response(200, json!([{"id": 1}])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(header("authorization", BASIC))
        .and(header("clientId", CLIENT_ID))
        .respond_with(json_response(200, json!({"id": 1, "count": 1})))
        .expect(5)
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    client.companies().get(1).await.unwrap();
    client.companies().count_all().await.unwrap();
    client
        .companies()
        .create(&json!({"name": "x"}))
        .await
        .unwrap();
    client
        .companies()
        .patch(1, [PatchOp::replace("name", "y")])
        .await
        .unwrap();
    client
        .companies()
        .update(1, &json!({"name": "z"}))
        .await
        .unwrap();
    client.companies().list().send().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 6);
    for request in requests {
        assert_eq!(request.headers.get("authorization").unwrap(), BASIC);
        assert_eq!(request.headers.get("clientId").unwrap(), CLIENT_ID);
    }
}

#[tokio::test]
async fn redirects_to_another_host_are_not_followed() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(302).insert_header(
                "Location",
                format!(
                    "{}/v4_6_release/apis/3.0/company/companies/1",
                    elsewhere.uri()
                )
                .as_str(),
            ),
        )
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let error = client.companies().get(1).await.unwrap_err();
    assert_eq!(error.status().unwrap().as_u16(), 302);
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
}

#[test]
fn h18_the_client_cannot_be_built_without_a_client_id() {
    let result = Client::builder()
        .company("examplemsp")
        .public_key("PUBKEY")
        .private_key("PRIVKEY")
        .site(Site::Host("api-cw.example.com".into()))
        .build();
    match result {
        Err(Error::Config { field, .. }) => assert_eq!(field, "clientId"),
        other => panic!("expected a Config error, got {other:?}"),
    }
    let empty = Client::builder()
        .company("examplemsp")
        .public_key("PUBKEY")
        .private_key("PRIVKEY")
        .client_id("  ")
        .site(Site::Host("api-cw.example.com".into()))
        .build();
    assert!(matches!(empty, Err(Error::Config { field, .. }) if field == "clientId"));
}

#[tokio::test]
async fn h18_a_401_is_reported_once_with_a_checklist_and_no_secret() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{API}/system/info")))
        .respond_with(json_response(
            401,
            json!({"code":"ConnectWiseApi","message":"UserNotAuthenticated"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let (client, clock) = client(&server);
    let error = client.get_json("/system/info").await.unwrap_err();
    let api = error.api().unwrap();
    assert_eq!(api.status.as_u16(), 401);
    assert_eq!(api.code.as_deref(), Some("ConnectWiseApi"));
    assert_eq!(api.message.as_deref(), Some("UserNotAuthenticated"));
    let text = error.to_string();
    assert!(
        text.contains("public and private keys") && text.contains("clientId"),
        "{text}"
    );
    assert_clean(&text);
    assert_clean(&format!("{error:?}"));
    assert!(clock.sleeps().is_empty());
}

#[test]
fn debug_output_shows_no_secret() {
    let clock = TestClock::new();
    let client = Client::builder()
        .company("examplemsp")
        .public_key("PUBKEY")
        .private_key("PRIVKEY")
        .client_id(CLIENT_ID)
        .site(Site::Host("api-cw.example.com".into()))
        .clock(clock);
    assert_clean(&format!("{client:?}"));
    let client = client.build().unwrap();
    let shown = format!("{client:?}");
    assert_clean(&shown);
    assert!(shown.contains("examplemsp"));
    assert!(
        shown.contains("per_minute: 600") && shown.contains("max_in_flight: 4"),
        "{shown}"
    );
    let credentials = Credentials::new("examplemsp", "PUBKEY", "PRIVKEY", CLIENT_ID).unwrap();
    assert_clean(&format!("{credentials:?}"));
    assert_clean(&format!("{:?}", client.companies()));
}

#[test]
fn plain_http_needs_an_explicit_opt_in() {
    let server_url = "http://127.0.0.1:9".parse().unwrap();
    let refused = Client::builder()
        .company("examplemsp")
        .public_key("PUBKEY")
        .private_key("PRIVKEY")
        .client_id(CLIENT_ID)
        .site(Site::Url(server_url))
        .build();
    assert!(matches!(refused, Err(Error::Config { field, .. }) if field == "site"));
}

#[tokio::test]
async fn a_client_future_moves_into_tokio_spawn() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{API}/company/companies/1")))
        .respond_with(json_response(200, json!({"id": 1, "name": "Acme"})))
        .expect(1)
        .mount(&server)
        .await;
    let clock = TestClock::new();
    let client = builder(&server, &clock).build().unwrap();
    let task = tokio::spawn(async move { client.companies().get(1).await });
    let company = task.await.unwrap().unwrap();
    assert_eq!(company.name.as_deref(), Some("Acme"));
}

#[test]
fn a_throttle_of_zero_is_a_configuration_error() {
    let built = Client::builder()
        .company("examplemsp")
        .public_key("PUBKEY")
        .private_key("PRIVKEY")
        .client_id(CLIENT_ID)
        .site(Site::Host("api-cw.example.com".into()))
        .throttle(Some(connectwise_api::Throttle {
            per_minute: 0,
            max_in_flight: 4,
        }))
        .build();
    assert!(matches!(built, Err(Error::Config { field, .. }) if field == "throttle"));
}
