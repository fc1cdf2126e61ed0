//! The field cases of the Asset Panda client, one test (or more) per case, named after it.

use assetpanda_api::{Archived, Error, FieldMap};
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{body_of, builder, client, html, json, received, sequence, RecordingClock};

const DEVICES: i64 = 139300;
const OBJECTS: &str = "/v3/groups/139300/objects";

// H-12 · Target AP fields by key, not by display name.

#[tokio::test]
async fn h12_fields_are_written_by_key_before_and_after_a_rename() {
    let server = MockServer::start().await;
    let before = json!({"fields": [
        {"id": 1, "key": "field_1", "name": "Name", "type": "text"},
        {"id": 144, "key": "field_144", "name": "MAC Address", "type": "text"},
        {"id": 150, "key": "field_150", "name": "MAC-Address", "type": "text"}]});
    let after = json!({"fields": [
        {"id": 1, "key": "field_1", "name": "Name", "type": "text"},
        {"id": 144, "key": "field_144", "name": "Primary MAC", "type": "text"},
        {"id": 150, "key": "field_150", "name": "MAC-Address", "type": "text"}]});
    sequence(
        &server,
        "GET",
        "/v3/groups/139300/fields",
        vec![json(200, before), json(200, after)],
    )
    .await;
    Mock::given(method("PATCH"))
        .respond_with(json(200, json!({})))
        .mount(&server)
        .await;
    let (client, _) = client(&server);

    for round in 0..2 {
        let fields = client.groups().fields(DEVICES).await.unwrap();
        let keys: Vec<_> = fields.iter().filter_map(|f| f.key.clone()).collect();
        assert_eq!(keys, ["field_1", "field_144", "field_150"], "round {round}");

        let values = FieldMap::new().text("field_144", "00-1A-2B-3C-4D-5E");
        client
            .objects(DEVICES)
            .update("64b000000000000000000001", values)
            .await
            .unwrap();
    }

    let renamed = client.groups().fields(DEVICES).await.unwrap();
    assert_eq!(renamed[1].name.as_deref(), Some("Primary MAC"));
    for sent in server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.method.as_str() == "PATCH")
    {
        assert_eq!(body_of(sent), json!({"field_144": "00-1A-2B-3C-4D-5E"}));
    }
}

// H-16 · An AP validation error in a batch create fails one record, not the batch.

#[tokio::test]
async fn h16_batch_create_422_is_parsed_into_field_messages() {
    let server = MockServer::start().await;
    let batch = json!({"objects": [
        {"field_1": "ACME-WS-017", "field_10": "5CG1234XYZ", "field_20": "1542"},
        {"field_1": "ACME-WS-019", "field_10": "", "field_20": "1543"},
        {"field_1": "ACME-WS-020", "field_10": "5CG1234XZA", "field_20": "1544"}]});
    Mock::given(method("POST"))
        .and(path(OBJECTS))
        .and(body_json(batch.clone()))
        .respond_with(json(
            422,
            json!({"errors": [{"field_10": ["Serial Number is required"]}], "code": 2}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let drafts: Vec<FieldMap> = batch["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| FieldMap::from(o.as_object().unwrap().clone()))
        .collect();

    let report = client.objects(DEVICES).create_many(drafts).await;

    let err = report.batches[0].result.as_ref().unwrap_err();
    let api = err.api().unwrap();
    assert_eq!(api.status.as_u16(), 422);
    assert_eq!(api.code, Some(json!(2)));
    assert_eq!(api.field_errors[0].field, "field_10");
    assert_eq!(api.field_errors[0].message, "Serial Number is required");
    assert!(!api.is_uniqueness_violation());
    let rejections = report.rejections();
    assert_eq!(rejections.len(), 1);
    assert_eq!(rejections[0].batch, 0..3);
}

#[tokio::test]
async fn h16_other_error_bodies_keep_status_and_text() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/groups/1/objects"))
        .respond_with(json(404, json!({"message": "Group not found"})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v3/groups/2/objects"))
        .respond_with(json(403, json!({"error": "Forbidden"})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v3/groups/3/objects"))
        .respond_with(html(500, "<html><body>Internal Server Error</body></html>"))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let one = || vec![FieldMap::new().text("field_1", "x")];

    let not_found = client.objects(1).create_batch(one()).await.unwrap_err();
    let forbidden = client.objects(2).create_batch(one()).await.unwrap_err();
    let broken = client.objects(3).create_batch(one()).await.unwrap_err();

    assert_eq!(
        not_found.api().unwrap().message.as_deref(),
        Some("Group not found")
    );
    assert_eq!(
        forbidden.api().unwrap().message.as_deref(),
        Some("Forbidden")
    );
    assert_eq!(broken.status().unwrap().as_u16(), 500);
    assert!(broken
        .api()
        .unwrap()
        .body_snippet
        .as_deref()
        .unwrap()
        .contains("Internal Server Error"));
}

// H-18 · Authentication failures stop early, and secrets never leak.

async fn h18_server(second_get: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    sequence(
        &server,
        "POST",
        "/v3/session/token",
        vec![
            json(200, json!({"access_token": "ap-token-one"})),
            json(200, json!({"access_token": "ap-token-two"})),
        ],
    )
    .await;
    sequence(
        &server,
        "GET",
        "/v3/groups",
        vec![json(401, json!({"message": "Token expired"})), second_get],
    )
    .await;
    server
}

fn h18_client(server: &MockServer) -> assetpanda_api::Client {
    builder(server, &RecordingClock::new())
        .v3_login("sync-service@example.com", "ap-password-s3cret")
        .build()
        .unwrap()
}

#[tokio::test]
async fn h18_expired_token_gets_exactly_one_new_login() {
    let server = h18_server(json(200, json!({"groups": []}))).await;

    let groups = h18_client(&server).groups().list().await.unwrap();

    assert!(groups.is_empty());
    assert_eq!(
        received(&server, "POST", "/v3/session/token").await.len(),
        2
    );
    let gets = received(&server, "GET", "/v3/groups").await;
    assert_eq!(gets[1].headers["authorization"], "Bearer ap-token-two");
}

#[tokio::test]
async fn h18_a_second_401_is_fatal_and_no_secret_leaks() {
    let server = h18_server(json(401, json!({"message": "Token expired"}))).await;
    let client = h18_client(&server);
    let (logs, guard) = crate::secrets::capture_logs();

    let err = client.groups().list().await.unwrap_err();
    drop(guard);

    assert_eq!(err.status().unwrap().as_u16(), 401);
    assert!(matches!(err, Error::Api(_)));
    assert_eq!(
        received(&server, "POST", "/v3/session/token").await.len(),
        2
    );
    let outputs = [
        format!("{client:?}"),
        format!("{err}"),
        format!("{err:?}"),
        logs.text(),
    ];
    for text in outputs {
        for secret in ["ap-password-s3cret", "ap-token-one", "ap-token-two"] {
            assert!(!text.contains(secret), "{secret} leaked in {text}");
        }
    }
    assert!(logs.text().contains("/v3/groups"), "logs were captured");
}

// H-26 · A record that comes back is unarchived, not created again.

#[tokio::test]
async fn h26_lookup_includes_archived_then_unarchive_then_update() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/groups/139300/search/objects"))
        .and(body_json(
            json!({"field_filters": {"field_20": "1544"}, "view_archived": "all"}),
        ))
        .respond_with(json(
            200,
            json!({"totals": {"objects": 1}, "objects": [{
            "id": "64b000000000000000000003", "is_archived": true,
            "data": {"field_1": "ACME-WS-044", "field_20": "1544"}}]}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v3/groups/139300/objects/unarchive"))
        .and(body_json(
            json!({"object_ids": ["64b000000000000000000003"]}),
        ))
        .respond_with(json(200, json!({})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/v3/groups/139300/objects/64b000000000000000000003"))
        .respond_with(json(200, json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let devices = client.objects(DEVICES);

    let page = devices
        .search()
        .field_filter("field_20", "1544")
        .archived(Archived::Include)
        .send()
        .await
        .unwrap();
    let found = &page.objects[0];
    assert_eq!(found.is_archived, Some(true));
    let id = found.id.clone().unwrap();
    devices.unarchive([id.clone()]).await.unwrap();
    devices
        .update(id, FieldMap::new().text("field_1", "ACME-WS-044"))
        .await
        .unwrap();

    let order: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    assert_eq!(
        order,
        [
            "POST /v3/groups/139300/search/objects",
            "POST /v3/groups/139300/objects/unarchive",
            "PATCH /v3/groups/139300/objects/64b000000000000000000003",
        ]
    );
    assert!(received(&server, "POST", OBJECTS).await.is_empty());
}
