//! Groups, fields, statuses, settings and the connection test, served from fixtures.

use assetpanda_api::{Error, FieldType, GroupId};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer};

use crate::common::{client, fixture_response, json};

async fn serve(server: &MockServer, route: &str, fixture: &str) {
    Mock::given(method("GET"))
        .and(path(route))
        .and(header("authorization", "Bearer test-token"))
        .and(header("accept", "application/json"))
        .respond_with(fixture_response(fixture))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn groups_list_decodes_the_wrapped_fixture() {
    let server = MockServer::start().await;
    serve(&server, "/v3/groups", "groups.json").await;
    let (client, _) = client(&server);

    let groups = client.groups().list().await.unwrap();

    assert_eq!(groups.len(), 5);
    assert_eq!(groups[3].id, Some(GroupId(204820)));
    assert_eq!(groups[3].key.as_deref(), Some("devices"));
    assert_eq!(groups[4].name.as_deref(), Some("Équipements réseau"));
}

#[tokio::test]
async fn groups_list_decodes_a_bare_array() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v3/groups"))
        .respond_with(json(200, json!([{"id": "139256", "name": "Assets"}])))
        .mount(&server)
        .await;
    let (client, _) = client(&server);

    let groups = client.groups().list().await.unwrap();

    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].id, Some(GroupId(139256)));
}

#[tokio::test]
async fn an_object_without_the_list_key_is_a_decode_error_not_an_empty_list() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v3/groups"))
        .respond_with(json(200, json!({"items": []})))
        .mount(&server)
        .await;
    let (client, _) = client(&server);

    let err = client.groups().list().await.unwrap_err();

    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert!(err.to_string().contains("groups"), "{err}");
}

#[tokio::test]
async fn one_group_is_read_bare_or_wrapped() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v3/groups/204820"))
        .respond_with(json(
            200,
            json!({"group": {"id": 204820, "name": "Devices", "is_tracked": true}}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v3/groups/204811"))
        .respond_with(json(200, json!({"id": 204811, "name": "Assets"})))
        .mount(&server)
        .await;
    let (client, _) = client(&server);

    let devices = client.groups().get(204820).await.unwrap();
    let assets = client.groups().get(GroupId(204811)).await.unwrap();

    assert_eq!(devices.name.as_deref(), Some("Devices"));
    assert_eq!(devices.extra.get("is_tracked"), Some(&json!(true)));
    assert_eq!(assets.name.as_deref(), Some("Assets"));
}

#[tokio::test]
async fn fields_keep_key_name_type_required_and_unknown_keys() {
    let server = MockServer::start().await;
    serve(&server, "/v3/groups/204820/fields", "group_fields.json").await;
    let (client, _) = client(&server);

    let fields = client.groups().fields(204820).await.unwrap();

    assert_eq!(fields.len(), 13);
    let name = &fields[0];
    assert_eq!(name.key.as_deref(), Some("field_1"));
    assert_eq!(name.name.as_deref(), Some("Device Name"));
    assert_eq!(name.field_type, Some(FieldType::Text));
    assert!(name.required());
    let status = fields
        .iter()
        .find(|f| f.key.as_deref() == Some("field_11"))
        .unwrap();
    assert_eq!(status.field_type, Some(FieldType::Status));
    assert!(!status.required());
    assert!(fields.iter().any(|f| f.is_only_embedded == Some(true)));
}

#[tokio::test]
async fn unknown_field_types_and_keys_are_kept() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v3/groups/7/fields"))
        .respond_with(json(
            200,
            json!({"fields": [{"id": 1, "key": "field_1", "name": "Geo", "type": "geo_fence", "precision": 3}]}),
        ))
        .mount(&server)
        .await;
    let (client, _) = client(&server);

    let fields = client.groups().fields(7).await.unwrap();

    assert_eq!(
        fields[0].field_type,
        Some(FieldType::Other("geo_fence".into()))
    );
    assert_eq!(fields[0].extra.get("precision"), Some(&json!(3)));
    let back = serde_json::to_value(&fields[0]).unwrap();
    assert_eq!(back["type"], "geo_fence");
    assert_eq!(back["precision"], 3);
}

#[tokio::test]
async fn statuses_decode_the_fixture() {
    let server = MockServer::start().await;
    serve(&server, "/v3/groups/204820/statuses", "statuses.json").await;
    let (client, _) = client(&server);

    let statuses = client.groups().statuses(204820).await.unwrap();

    assert_eq!(statuses.len(), 4);
    assert_eq!(statuses[0].is_default, Some(true));
    assert_eq!(statuses[3].name.as_deref(), Some("Retired"));
    assert_eq!(statuses[3].default_for_listing, Some(false));
}

#[tokio::test]
async fn settings_expose_date_format_token_lifetime_and_quota() {
    let server = MockServer::start().await;
    serve(&server, "/v3/settings", "settings.json").await;
    let (client, _) = client(&server);

    let settings = client.settings().await.unwrap();

    assert_eq!(settings.settings.date_format.as_deref(), Some("MM/DD/YYYY"));
    assert_eq!(settings.settings.time_format.as_deref(), Some("hh:mm A"));
    assert_eq!(settings.settings.token_expires_in, Some(86400));
    assert_eq!(
        settings.records.used_records_percent.as_deref(),
        Some("12.34")
    );
    assert_eq!(settings.records.remaining(), Some(5000 - 617));
    assert_eq!(settings.settings.groups.len(), 2);
    assert!(settings.extra.contains_key("company_support"));
}

#[tokio::test]
async fn test_connection_reports_date_format_and_user() {
    let server = MockServer::start().await;
    serve(&server, "/v3/settings", "settings.json").await;
    let (client, _) = client(&server);

    let info = client.test_connection().await.unwrap();

    assert_eq!(info.date_format.as_deref(), Some("MM/DD/YYYY"));
    assert_eq!(info.user_label(), "Sync Service <sync-service@example.com>");
    assert_eq!(info.account_id, Some(3301));
    assert_eq!(info.user.is_admin, Some(true));
    // The format is now known: writing a date needs no second settings call.
    assert_eq!(client.date_format().await.unwrap().pattern(), "%m/%d/%Y");
}

/// Runs against a real account when `AP_TOKEN` is set: `cargo test -- --ignored`.
#[tokio::test]
#[ignore = "needs a real Asset Panda account (AP_TOKEN)"]
async fn real_account_lists_groups_and_fields() {
    let token = std::env::var("AP_TOKEN").expect("AP_TOKEN");
    let client = assetpanda_api::Client::builder()
        .token(token)
        .build()
        .unwrap();

    let info = client.test_connection().await.unwrap();
    let groups = client.groups().list().await.unwrap();

    assert!(info.date_format.is_some());
    assert!(!groups.is_empty());
    let first = groups[0].id.expect("a group id");
    assert!(!client.groups().fields(first).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_base_url_given_as_the_api_root_is_not_doubled() {
    let server = MockServer::start().await;
    serve(&server, "/v3/groups", "groups.json").await;

    for root in [
        format!("{}/v3", server.uri()),
        format!("{}/v3/", server.uri()),
    ] {
        let client = assetpanda_api::Client::builder()
            .base_url(&root)
            .allow_insecure_http(true)
            .throttle(None)
            .token("test-token")
            .build()
            .unwrap();

        assert_eq!(client.base_url().path().trim_end_matches('/'), "", "{root}");
    }
    let client = assetpanda_api::Client::builder()
        .base_url(format!("{}/v3", server.uri()))
        .allow_insecure_http(true)
        .throttle(None)
        .token("test-token")
        .build()
        .unwrap();

    let groups = client.groups().list().await.unwrap();

    assert_eq!(groups.len(), 5);
}

#[test]
fn a_base_url_under_a_path_keeps_it() {
    let client = assetpanda_api::Client::builder()
        .base_url("https://proxy.example.com/assetpanda")
        .token("test-token")
        .build()
        .unwrap();

    assert_eq!(client.base_url().path(), "/assetpanda");
}
