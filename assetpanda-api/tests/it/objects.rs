//! Object calls: method, path, headers and body of each.

use assetpanda_api::{Archived, FieldMap, ObjectUpdate, SearchPath, UpdateMethod};
use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{body_of, builder, client, fixture_response, json, query, received};

#[tokio::test]
async fn search_sends_every_filter_with_offset_and_limit() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/groups/204820/search/objects"))
        .and(query_param("offset", "100"))
        .and(query_param("limit", "50"))
        .and(header("authorization", "Bearer test-token"))
        .and(header("content-type", "application/json"))
        .respond_with(fixture_response("search_objects_page.json"))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let since = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
    let until = Utc.with_ymd_and_hms(2025, 1, 15, 0, 0, 0).unwrap();

    let page = client
        .objects(204820)
        .search()
        .field_filter("field_10", "5CG1234XYZ")
        .text("free text")
        .id("65a1f0c2e4b0a1b2c3d4e5f6")
        .modified_since(since)
        .modified_until(until)
        .archived(Archived::Include)
        .offset(100)
        .limit(50)
        .send()
        .await
        .unwrap();

    assert_eq!(page.objects.len(), 3);
    assert_eq!(page.total(), Some(103));
    assert!(page.is_last());
    let sent = &received(&server, "POST", "/v3/groups/204820/search/objects").await[0];
    assert_eq!(
        body_of(sent),
        json!({
            "field_filters": {"field_10": "5CG1234XYZ"},
            "search": "free text",
            "ids": ["65a1f0c2e4b0a1b2c3d4e5f6"],
            "last_modified": {"gte": "2025-01-01T00:00:00.000Z", "lte": "2025-01-15T00:00:00.000Z"},
            "view_archived": "all"
        })
    );
}

#[tokio::test]
async fn an_unfiltered_search_sends_an_empty_object_and_only_archived_sends_archived() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/groups/7/search/objects"))
        .respond_with(json(200, json!({"objects": [], "totals": {"objects": 0}})))
        .mount(&server)
        .await;
    let (client, _) = client(&server);

    client.objects(7).search().send().await.unwrap();
    client
        .objects(7)
        .search()
        .archived(Archived::Only)
        .send()
        .await
        .unwrap();

    let sent = received(&server, "POST", "/v3/groups/7/search/objects").await;
    assert_eq!(body_of(&sent[0]), json!({}));
    assert_eq!(query(&sent[0], "limit").as_deref(), Some("50"));
    assert_eq!(query(&sent[0], "offset").as_deref(), Some("0"));
    assert_eq!(body_of(&sent[1]), json!({"view_archived": "archived"}));
}

#[tokio::test]
async fn get_searches_by_id_including_archived() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/groups/204820/search/objects"))
        .and(body_json(json!({"ids": ["65a1f0c2e4b0a1b2c3d4e601"], "view_archived": "all"})))
        .respond_with(json(
            200,
            json!({"objects": [serde_json::from_slice::<serde_json::Value>(&crate::common::fixture("object.json")).unwrap()]}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server);

    let object = client
        .objects(204820)
        .get("65a1f0c2e4b0a1b2c3d4e601")
        .await
        .unwrap();

    assert_eq!(object.unwrap().text("field_14").as_deref(), Some("1542"));
}

#[tokio::test]
async fn the_search_path_falls_back_once_on_404_and_is_remembered() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/groups/7/search/objects"))
        .respond_with(json(404, json!({"message": "Not found"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v3/groups/7/objects/search"))
        .respond_with(json(200, json!({"objects": []})))
        .expect(2)
        .mount(&server)
        .await;
    let (client, _) = client(&server);

    client.objects(7).search().send().await.unwrap();
    client.objects(7).search().send().await.unwrap();
}

#[tokio::test]
async fn a_configured_search_path_has_no_fallback() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/groups/7/objects/search"))
        .respond_with(json(404, json!({"message": "Not found"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server, &crate::common::RecordingClock::new())
        .token("test-token")
        .search_path(SearchPath::ObjectsSearch)
        .build()
        .unwrap();

    let err = client.objects(7).search().send().await.unwrap_err();

    assert_eq!(err.status().unwrap().as_u16(), 404);
}

#[tokio::test]
async fn create_posts_a_flat_body_and_reads_the_returned_object() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/groups/204820/objects"))
        .and(header("content-type", "application/json"))
        .and(body_json(
            json!({"field_1": "EXCO-WS-018", "field_9": "1249.5", "field_12": ""}),
        ))
        .respond_with(fixture_response("object.json"))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let values = FieldMap::new()
        .text("field_1", "EXCO-WS-018")
        .number("field_9", 1249.5)
        .clear("field_12");

    let outcome = client.objects(204820).create(values).await.unwrap();

    assert_eq!(outcome.objects.len(), 1);
    assert_eq!(
        outcome.objects[0].text("field_10").as_deref(),
        Some("5CG1234XYZ")
    );
}

#[tokio::test]
async fn a_create_with_an_empty_answer_is_fine_and_keeps_raw_null() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/groups/204820/objects"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;
    let (client, _) = client(&server);

    let outcome = client
        .objects(204820)
        .create(FieldMap::new().text("field_1", "x"))
        .await
        .unwrap();

    assert!(outcome.objects.is_empty());
    assert!(outcome.raw.is_null());
}

#[tokio::test]
async fn update_patches_one_object_by_default_and_puts_when_configured() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/v3/groups/204820/objects/64b000000000000000000001"))
        .and(body_json(json!({"field_41": "10.0.0.31"})))
        .respond_with(json(200, json!({"id": "64b000000000000000000001"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/v3/groups/204820/objects/64b000000000000000000001"))
        .respond_with(json(200, json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let (patching, _) = client(&server);
    let putting = builder(&server, &crate::common::RecordingClock::new())
        .token("test-token")
        .single_update_method(UpdateMethod::Put)
        .build()
        .unwrap();
    let values = FieldMap::new().text("field_41", "10.0.0.31");

    let outcome = patching
        .objects(204820)
        .update("64b000000000000000000001", values.clone())
        .await
        .unwrap();
    putting
        .objects(204820)
        .update("64b000000000000000000001", values)
        .await
        .unwrap();

    assert_eq!(
        outcome.objects[0].id.as_ref().unwrap().as_str(),
        "64b000000000000000000001"
    );
}

#[tokio::test]
async fn update_batch_puts_objects_with_ids() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/v3/groups/204820/objects"))
        .and(body_json(json!({"objects": [
            {"id": "64b000000000000000000001", "field_1": "A"},
            {"id": "64b000000000000000000002", "field_1": "B"}
        ]})))
        .respond_with(json(200, json!({"objects": [{"id": "64b000000000000000000001"}, {"id": "64b000000000000000000002"}]})))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let updates = vec![
        ObjectUpdate::new(
            "64b000000000000000000001",
            FieldMap::new().text("field_1", "A"),
        ),
        ObjectUpdate::new(
            "64b000000000000000000002",
            FieldMap::new().text("field_1", "B"),
        ),
    ];

    let outcome = client.objects(204820).update_batch(updates).await.unwrap();

    assert_eq!(outcome.objects.len(), 2);
}

#[tokio::test]
async fn archive_writes_the_stop_date_in_the_account_format() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v3/settings"))
        .respond_with(fixture_response("settings.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v3/groups/204820/objects/archive"))
        .and(body_json(
            json!({"object_ids": ["629a0431ce890d002b55ebc3"], "stop_date": "11/24/2022"}),
        ))
        .respond_with(json(200, json!({"message": "ok"})))
        .expect(2)
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let day = NaiveDate::from_ymd_opt(2022, 11, 24).unwrap();

    client
        .objects(204820)
        .archive(["629a0431ce890d002b55ebc3"], day)
        .await
        .unwrap();
    client
        .objects(204820)
        .archive(["629a0431ce890d002b55ebc3"], day)
        .await
        .unwrap();
}

#[tokio::test]
async fn archive_calls_from_clones_and_at_once_read_the_settings_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v3/settings"))
        .respond_with(fixture_response("settings.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(body_json(
            json!({"object_ids": ["629a0431ce890d002b55ebc3"], "stop_date": "11/24/2022"}),
        ))
        .respond_with(json(200, json!({"message": "ok"})))
        .expect(8)
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let day = NaiveDate::from_ymd_opt(2022, 11, 24).unwrap();

    // Eight archive calls over four groups, from clones of one client, all in flight at once.
    let calls = (0..8u64).map(|i| {
        let client = client.clone();
        async move {
            client
                .objects(100 + i % 4)
                .archive(["629a0431ce890d002b55ebc3"], day)
                .await
        }
    });
    for result in futures::future::join_all(calls).await {
        result.unwrap();
    }

    assert_eq!(received(&server, "GET", "/v3/settings").await.len(), 1);
}

#[tokio::test]
async fn a_failed_settings_read_is_not_remembered_and_the_next_archive_reads_again() {
    let server = MockServer::start().await;
    crate::common::sequence(
        &server,
        "GET",
        "/v3/settings",
        vec![
            json(403, json!({"message": "forbidden"})),
            fixture_response("settings.json"),
        ],
    )
    .await;
    Mock::given(method("POST"))
        .and(path("/v3/groups/5/objects/archive"))
        .respond_with(json(200, json!({"message": "ok"})))
        .expect(3)
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let day = NaiveDate::from_ymd_opt(2022, 11, 24).unwrap();

    let first = client.objects(5).archive(["a1"], day).await.unwrap_err();
    for _ in 0..3 {
        client.objects(5).archive(["a1"], day).await.unwrap();
    }

    assert_eq!(first.status().map(|s| s.as_u16()), Some(403));
    assert_eq!(received(&server, "GET", "/v3/settings").await.len(), 2);
}

#[tokio::test]
async fn archive_uses_the_override_and_splits_past_200_ids() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/groups/9/objects/archive"))
        .respond_with(ResponseTemplate::new(204))
        .expect(2)
        .mount(&server)
        .await;
    let client = builder(&server, &crate::common::RecordingClock::new())
        .token("test-token")
        .date_format_override("%Y-%m-%d")
        .build()
        .unwrap();
    let ids: Vec<String> = (0..250)
        .map(|i| format!("64b0000000000000000{i:05}"))
        .collect();

    client
        .objects(9)
        .archive(ids, NaiveDate::from_ymd_opt(2026, 3, 1).unwrap())
        .await
        .unwrap();

    let sent = received(&server, "POST", "/v3/groups/9/objects/archive").await;
    assert_eq!(
        body_of(&sent[0])["object_ids"].as_array().unwrap().len(),
        200
    );
    assert_eq!(
        body_of(&sent[1])["object_ids"].as_array().unwrap().len(),
        50
    );
    assert_eq!(body_of(&sent[1])["stop_date"], "2026-03-01");
    assert!(received(&server, "GET", "/v3/settings").await.is_empty());
}

#[tokio::test]
async fn unarchive_posts_object_ids() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/groups/139300/objects/unarchive"))
        .and(body_json(
            json!({"object_ids": ["64b000000000000000000003"]}),
        ))
        .respond_with(json(200, json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server);

    client
        .objects(139300)
        .unarchive(["64b000000000000000000003"])
        .await
        .unwrap();
}

#[tokio::test]
async fn find_matches_keeps_only_true_matches_after_trim_and_case_fold() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/groups/139300/search/objects"))
        .and(body_json(json!({"field_filters": {"field_10": "5CD1234XYZ"}, "view_archived": "all"})))
        .respond_with(json(200, json!({"totals": {"objects": 3}, "objects": [
            {"id": "64b000000000000000000007", "data": {"field_10": " 5cd1234xyz "}},
            {"id": "64b000000000000000000008", "data": {"field_10": "5CD1234XYZ-OLD"}},
            {"id": "64b000000000000000000009", "is_archived": true, "data": {"field_10": "5CD1234XYZ"}}
        ]})))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server);

    let found = client
        .objects(139300)
        .find_matches("field_10", "5CD1234XYZ")
        .await
        .unwrap();

    let ids: Vec<&str> = found
        .iter()
        .map(|o| o.id.as_ref().unwrap().as_str())
        .collect();
    assert_eq!(
        ids,
        ["64b000000000000000000007", "64b000000000000000000009"]
    );
}
