//! Error bodies of every shape, and 2xx bodies that are empty, cut off or HTML.

use connectwise_api::{ApiErrorKind, Client, Error, Region, Site};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{builder, client, fixture, json_bytes, no_retry_client, TestClock, API};

const REQUEST_ID: &str = "7d1e0c2a-0000-4000-8000-000000000001";

async fn answer(server: &MockServer, route: &str, response: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path(format!("{API}{route}")))
        .respond_with(response.insert_header("x-cw-request-id", REQUEST_ID))
        .mount(server)
        .await;
}

#[tokio::test]
async fn h15_every_error_keeps_status_code_message_details_and_request_id() {
    let server = MockServer::start().await;
    let bodies = [
        (
            "/a/1",
            400,
            r#"{"code":"InvalidObject","message":"configuration object is invalid","errors":[{"code":"NotFound","message":"company 19299 not found","resource":"configuration","field":"company/id"}]}"#,
        ),
        (
            "/b/1",
            404,
            r#"{"code":"NotFound","message":"Configuration 9999 not found"}"#,
        ),
        (
            "/c/1",
            403,
            r#"{"code":"Unauthorized","message":"You do not have permission to view this record.","errors":null}"#,
        ),
        (
            "/d/1",
            429,
            r#"{"error":"ConnectWiseAPI","message":"Too many requests. Please try again in 30 seconds."}"#,
        ),
    ];
    for (route, status, body) in bodies {
        answer(&server, route, json_bytes(status, body)).await;
    }
    let html = ResponseTemplate::new(502)
        .set_body_raw("<html><body>Bad gateway</body></html>", "text/html");
    answer(&server, "/e/1", html).await;
    let client = no_retry_client(&server);

    let a = client.get_json("/a/1").await.unwrap_err();
    let a = a.api().unwrap();
    assert_eq!(
        (a.status.as_u16(), a.code.as_deref()),
        (400, Some("InvalidObject"))
    );
    assert_eq!(
        a.message.as_deref(),
        Some("configuration object is invalid")
    );
    assert_eq!(a.errors.len(), 1);
    assert_eq!(a.errors[0].field.as_deref(), Some("company/id"));
    assert_eq!(a.request_id.as_deref(), Some(REQUEST_ID));

    let b = client.get_json("/b/1").await.unwrap_err();
    let b = b.api().unwrap();
    assert_eq!(
        (b.status.as_u16(), b.code.as_deref()),
        (404, Some("NotFound"))
    );
    assert_eq!(b.message.as_deref(), Some("Configuration 9999 not found"));
    assert!(b.errors.is_empty());
    assert_eq!(b.kind(), ApiErrorKind::NotFound);

    let c = client.get_json("/c/1").await.unwrap_err();
    let c = c.api().unwrap();
    assert_eq!(
        (c.status.as_u16(), c.code.as_deref()),
        (403, Some("Unauthorized"))
    );
    assert_eq!(
        c.message.as_deref(),
        Some("You do not have permission to view this record.")
    );
    assert!(c.errors.is_empty());
    assert_eq!(c.request_id.as_deref(), Some(REQUEST_ID));

    let d = client.get_json("/d/1").await.unwrap_err();
    let d = d.api().unwrap();
    assert_eq!(
        (d.status.as_u16(), d.code.as_deref()),
        (429, Some("ConnectWiseAPI"))
    );
    assert_eq!(
        d.message.as_deref(),
        Some("Too many requests. Please try again in 30 seconds.")
    );
    assert_eq!(d.retry_after, Some(std::time::Duration::from_secs(30)));
    assert_eq!(d.request_id.as_deref(), Some(REQUEST_ID));

    let e = client.get_json("/e/1").await.unwrap_err();
    let e = e.api().unwrap();
    assert_eq!(e.status.as_u16(), 502);
    assert_eq!((e.code.as_deref(), e.message.as_deref()), (None, None));
    assert_eq!(
        e.body_snippet.as_deref(),
        Some("<html><body>Bad gateway</body></html>")
    );
    assert_eq!(e.request_id.as_deref(), Some(REQUEST_ID));
}

#[tokio::test]
async fn fixture_error_bodies_decode_leniently() {
    let server = MockServer::start().await;
    let cases = [
        ("/f/1", 404, "error_not_found.json"),
        ("/g/1", 400, "error_invalid_object.json"),
        ("/h/1", 400, "error_bad_condition.json"),
        ("/i/1", 429, "error_rate_limited.json"),
        ("/j/1", 403, "error_security_null_errors.json"),
    ];
    for (route, status, file) in cases {
        answer(&server, route, json_bytes(status, fixture(file))).await;
    }
    let client = no_retry_client(&server);
    let not_found = client.get_json("/f/1").await.unwrap_err();
    assert_eq!(not_found.api().unwrap().code.as_deref(), Some("NotFound"));
    let invalid = client.get_json("/g/1").await.unwrap_err();
    let invalid = invalid.api().unwrap();
    assert_eq!(invalid.kind(), ApiErrorKind::Validation);
    assert!(!invalid.errors.is_empty());
    assert!(invalid.errors.iter().all(|e| e.details.is_none()));
    let condition = client.get_json("/h/1").await.unwrap_err();
    assert_eq!(condition.api().unwrap().kind(), ApiErrorKind::BadCondition);
    let limited = client.get_json("/i/1").await.unwrap_err();
    assert_eq!(limited.api().unwrap().kind(), ApiErrorKind::RateLimited);
    assert!(limited.api().unwrap().code.is_some());
    let security = client.get_json("/j/1").await.unwrap_err();
    let security = security.api().unwrap();
    assert_eq!(security.code.as_deref(), Some("Security"));
    assert!(security.errors.is_empty());
}

#[tokio::test]
async fn a_404_on_a_collection_hints_at_credentials() {
    let server = MockServer::start().await;
    let body = r#"{"code":"NotFound","message":"Not found"}"#;
    answer(&server, "/company/companies", json_bytes(404, body)).await;
    answer(&server, "/company/companies/5", json_bytes(404, body)).await;
    let client = no_retry_client(&server);
    let listing = client.companies().list().send().await.unwrap_err();
    assert!(listing.to_string().contains("bad credentials"), "{listing}");
    let record = client.companies().get(5).await.unwrap_err();
    assert!(record.is_not_found());
    assert!(!record.to_string().contains("bad credentials"), "{record}");
}

#[tokio::test]
async fn h13_empty_or_cut_off_bodies_are_errors_not_no_data() {
    let server = MockServer::start().await;
    answer(&server, "/company/configurations/1", json_bytes(200, "")).await;
    answer(
        &server,
        "/company/configurations/2",
        json_bytes(200, r#"{"id":1542,"na"#),
    )
    .await;
    let client = no_retry_client(&server);

    for (id, start) in [(1, ""), (2, "{\"id\":1542,\"na")] {
        let error = client.configurations().get(id).await.unwrap_err();
        match &error {
            Error::EmptyBody {
                status, snippet, ..
            } => {
                assert_eq!(status.as_u16(), 200);
                assert_eq!(snippet, start);
            }
            other => panic!("expected EmptyBody, got {other:?}"),
        }
        assert!(error.is_retryable(), "a GET may be retried");
        assert!(!error.is_not_found());
    }
}

#[tokio::test]
async fn h13_an_empty_listing_body_is_retried_then_exhausted() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{API}/company/configurations")))
        .respond_with(json_bytes(200, ""))
        .expect(6)
        .mount(&server)
        .await;
    let (client, clock) = client(&server);
    let error = client.configurations().list().send().await.unwrap_err();
    match error {
        Error::RetriesExhausted { attempts: 6, last } => {
            assert!(matches!(*last, Error::EmptyBody { .. }), "{last:?}")
        }
        other => panic!("expected RetriesExhausted, got {other:?}"),
    }
    assert_eq!(clock.sleeps().len(), 5);
}

#[tokio::test]
async fn h13_no_content_is_ok_and_an_empty_patch_answer_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!("{API}/company/configurations/1542")))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(format!("{API}/company/configurations/1542")))
        .respond_with(json_bytes(200, ""))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    client.configurations().delete(1542).await.unwrap();
    let ops = [connectwise_api::models::PatchOp::replace("name", "x")];
    let patched = client.configurations().patch(1542, ops).await;
    assert!(
        matches!(patched, Err(Error::EmptyBody { .. })),
        "{patched:?}"
    );
}

#[tokio::test]
async fn h14_an_html_page_from_the_portal_host_is_a_clear_error() {
    let server = MockServer::start().await;
    let page = "<!DOCTYPE html><html><head><title>Sign in</title></head><body></body></html>";
    Mock::given(method("GET"))
        .and(path(format!("{API}/service/tickets/1")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(page, "text/html; charset=utf-8"))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let error = client.tickets().get(1).await.unwrap_err();
    match &error {
        Error::UnexpectedContentType {
            status,
            content_type,
            snippet,
            ..
        } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(content_type.as_deref(), Some("text/html; charset=utf-8"));
            assert!(snippet.starts_with("<!DOCTYPE html>"));
        }
        other => panic!("expected UnexpectedContentType, got {other:?}"),
    }
    assert!(error.to_string().contains("api-"), "{error}");

    let build = |site: Site| {
        Client::builder()
            .company("examplemsp")
            .public_key("PUBKEY")
            .private_key("PRIVKEY")
            .client_id("11111111-2222-4333-8444-555555555555")
            .site(site)
            .build()
            .unwrap()
    };
    let portal = build(Site::Host("na.myconnectwise.net".into()));
    assert!(portal
        .base_url()
        .as_str()
        .starts_with("https://api-na.myconnectwise.net/"));
    let hosted = build(Site::Host("psa.example.com".into()));
    assert!(hosted
        .base_url()
        .as_str()
        .starts_with("https://psa.example.com/"));
    let region = build(Site::Cloud(Region::Aus));
    assert_eq!(
        region.base_url().as_str(),
        "https://api-aus.myconnectwise.net/v4_6_release/apis/3.0/"
    );
    let parsed: Site = "eu".parse().unwrap();
    assert_eq!(parsed, Site::Cloud(Region::Eu));
}

#[tokio::test]
async fn a_json_body_that_does_not_fit_names_the_path() {
    let server = MockServer::start().await;
    let body = json!({"id": 5, "name": "x", "status": "not an object"}).to_string();
    answer(&server, "/company/companies/5", json_bytes(200, body)).await;
    let clock = TestClock::new();
    let client = builder(&server, &clock).build().unwrap();
    match client.companies().get(5).await.unwrap_err() {
        Error::Decode {
            json_path, snippet, ..
        } => {
            assert_eq!(json_path, "status");
            assert!(snippet.contains("not an object"));
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn api_error_snippet_is_at_most_512_bytes() {
    let server = MockServer::start().await;
    let long = format!("<html>{}</html>", "é".repeat(2000));
    let response = ResponseTemplate::new(418).set_body_raw(long, "text/html");
    answer(&server, "/long/1", response).await;
    let client = no_retry_client(&server);
    let error = client.get_json("/long/1").await.unwrap_err();
    let snippet = error.api().unwrap().body_snippet.clone().unwrap();
    assert!(
        snippet.len() <= 512 && snippet.len() > 400,
        "{}",
        snippet.len()
    );
    assert!(snippet.starts_with("<html>é"));
}
