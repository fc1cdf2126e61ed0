//! Error bodies and faulty 2xx bodies, served raw.

use assetpanda_api::Error;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{client, fixture, json};

async fn groups_answer(template: ResponseTemplate) -> (Error, MockServer) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v3/groups"))
        .respond_with(template)
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let err = client.groups().list().await.unwrap_err();
    (err, server)
}

#[tokio::test]
async fn the_422_body_gives_field_errors_code_and_the_uniqueness_flag() {
    let template = ResponseTemplate::new(422)
        .set_body_raw(fixture("error_unprocessable.json"), "application/json");
    let (err, _server) = groups_answer(template).await;

    let api = err.api().expect("Api");
    assert_eq!(api.status.as_u16(), 422);
    assert_eq!(api.code, Some(json!(2)));
    assert_eq!(api.message, None);
    let fields: Vec<(&str, &str)> = api
        .field_errors
        .iter()
        .map(|e| (e.field.as_str(), e.message.as_str()))
        .collect();
    assert!(fields.contains(&("field_10", "Serial Number is not unique")));
    assert!(fields.contains(&("field_1", "Device Name is not unique")));
    assert!(api.field_errors.iter().all(|e| e.entry == Some(0)));
    assert!(api.is_uniqueness_violation());
    assert!(
        err.to_string()
            .contains("field_10: Serial Number is not unique"),
        "{err}"
    );
}

#[tokio::test]
async fn message_and_error_texts_are_kept() {
    let (not_found, _s1) = groups_answer(json(404, json!({"message": "Group not found"}))).await;
    let (forbidden, _s2) = groups_answer(json(403, json!({"error": "Forbidden"}))).await;

    assert_eq!(
        not_found.api().unwrap().message.as_deref(),
        Some("Group not found")
    );
    assert_eq!(
        forbidden.api().unwrap().message.as_deref(),
        Some("Forbidden")
    );
    assert_eq!(forbidden.status().unwrap().as_u16(), 403);
    assert!(!not_found.api().unwrap().is_uniqueness_violation());
    assert!(not_found.is_not_found() && !forbidden.is_not_found());
}

#[tokio::test]
async fn an_html_error_page_keeps_a_snippet_of_at_most_512_bytes() {
    let page = format!(
        "<html><body>{}</body></html>",
        "Internal error. ".repeat(100)
    );
    let template = ResponseTemplate::new(400).set_body_raw(page, "text/html");
    let (err, _server) = groups_answer(template).await;

    let api = err.api().expect("Api");
    assert_eq!(api.status.as_u16(), 400);
    let snippet = api.body_snippet.as_deref().unwrap();
    assert!(
        snippet.starts_with("<html>") && snippet.len() <= 512,
        "{}",
        snippet.len()
    );
    assert!(api.body.is_none());
}

#[tokio::test]
async fn errors_in_other_shapes_are_flattened() {
    let body = json!({"errors": {"field_2": "is invalid", "base": ["a", "b"]}, "message": "Bad"});
    let (err, _server) = groups_answer(json(400, body)).await;
    let api = err.api().unwrap();
    assert_eq!(api.field_errors.len(), 3);
    assert!(api.field_errors.iter().all(|e| e.entry.is_none()));

    let (plain, _s) = groups_answer(json(400, json!({"errors": ["one", "two"]}))).await;
    let messages: Vec<&str> = plain
        .api()
        .unwrap()
        .field_errors
        .iter()
        .map(|e| e.message.as_str())
        .collect();
    assert_eq!(messages, ["one", "two"]);
}

#[tokio::test]
async fn an_html_2xx_is_unexpected_content_type_and_not_retried() {
    let template = ResponseTemplate::new(200).set_body_raw("<html>login</html>", "text/html");
    let (err, server) = groups_answer(template).await;

    let Error::UnexpectedContentType {
        content_type,
        snippet,
        ..
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!(content_type, "text/html");
    assert_eq!(snippet, "<html>login</html>");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_empty_2xx_is_empty_body_after_the_read_retries() {
    let template = ResponseTemplate::new(200).set_body_raw("", "application/json");
    let (err, server) = groups_answer(template).await;

    let Error::RetriesExhausted { attempts, last } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(*attempts, 6);
    assert!(matches!(**last, Error::EmptyBody { .. }), "{last:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 6);
}

#[tokio::test]
async fn a_cut_off_2xx_is_empty_body_then_succeeds_on_retry() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v3/groups"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(r#"{"groups":[{"id":1"#, "application/json"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v3/groups"))
        .respond_with(json(200, json!({"groups": [{"id": 1}]})))
        .mount(&server)
        .await;
    let (client, clock) = client(&server);

    let groups = client.groups().list().await.unwrap();

    assert_eq!(groups.len(), 1);
    assert_eq!(clock.waits().len(), 1);
}

#[tokio::test]
async fn a_body_that_does_not_fit_names_the_json_path() {
    let body = json!({"groups": [{"id": 1}, {"id": 2, "name": ["not", "text"]}]});
    let (err, _server) = groups_answer(json(200, body)).await;

    let Error::Decode { json_path, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(json_path, "groups[1].name");
}
