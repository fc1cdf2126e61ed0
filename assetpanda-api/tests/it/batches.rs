//! Batch creates and updates: sizes, splitting, and which objects the server rejected.

use assetpanda_api::{Error, FieldMap, ObjectUpdate};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{body_of, client, json, received};

const OBJECTS: &str = "/v3/groups/204820/objects";

fn drafts(n: usize) -> Vec<FieldMap> {
    (0..n)
        .map(|i| FieldMap::new().text("field_1", format!("DEV-{i}")))
        .collect()
}

async fn accepting_server(verb: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(OBJECTS))
        .respond_with(json(200, json!({"message": "ok"})))
        .mount(&server)
        .await;
    server
}

async fn batch_sizes(server: &MockServer, verb: &str) -> Vec<usize> {
    received(server, verb, OBJECTS)
        .await
        .iter()
        .map(|r| body_of(r)["objects"].as_array().unwrap().len())
        .collect()
}

#[tokio::test]
async fn create_batch_of_0_sends_nothing() {
    let server = accepting_server("POST").await;
    let (client, _) = client(&server);

    let outcome = client
        .objects(204820)
        .create_batch(Vec::new())
        .await
        .unwrap();

    assert!(outcome.objects.is_empty());
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn create_batch_of_1_and_200_send_one_request_each() {
    let server = accepting_server("POST").await;
    let (client, _) = client(&server);

    client
        .objects(204820)
        .create_batch(drafts(1))
        .await
        .unwrap();
    client
        .objects(204820)
        .create_batch(drafts(200))
        .await
        .unwrap();

    assert_eq!(batch_sizes(&server, "POST").await, [1, 200]);
    let first = &received(&server, "POST", OBJECTS).await[0];
    assert_eq!(body_of(first), json!({"objects": [{"field_1": "DEV-0"}]}));
}

#[tokio::test]
async fn create_batch_of_201_is_batch_too_large_and_sends_nothing() {
    let server = accepting_server("POST").await;
    let (client, _) = client(&server);

    let err = client
        .objects(204820)
        .create_batch(drafts(201))
        .await
        .unwrap_err();

    assert!(
        matches!(err, Error::BatchTooLarge { len: 201, max: 200 }),
        "{err:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn create_many_splits_0_201_and_450_into_batches_of_at_most_200() {
    for (n, expected) in [(0, vec![]), (201, vec![200, 1]), (450, vec![200, 200, 50])] {
        let server = accepting_server("POST").await;
        let (client, _) = client(&server);

        let report = client.objects(204820).create_many(drafts(n)).await;

        assert!(report.all_succeeded());
        assert_eq!(batch_sizes(&server, "POST").await, expected, "{n}");
        let ranges: Vec<_> = report.batches.iter().map(|b| b.range.clone()).collect();
        let starts: Vec<usize> = ranges.iter().map(|r| r.start).collect();
        assert_eq!(
            starts,
            (0..expected.len()).map(|i| i * 200).collect::<Vec<_>>()
        );
    }
}

#[tokio::test]
async fn create_many_keeps_the_order_of_the_input() {
    let server = accepting_server("POST").await;
    let (client, _) = client(&server);

    client.objects(204820).create_many(drafts(450)).await;

    let sent = received(&server, "POST", OBJECTS).await;
    assert_eq!(body_of(&sent[1])["objects"][0]["field_1"], "DEV-200");
    assert_eq!(body_of(&sent[2])["objects"][49]["field_1"], "DEV-449");
}

#[tokio::test]
async fn update_batch_and_update_many_follow_the_same_limits() {
    let server = accepting_server("PUT").await;
    let (client, _) = client(&server);
    let updates = |n: usize| -> Vec<ObjectUpdate> {
        (0..n)
            .map(|i| {
                ObjectUpdate::new(
                    format!("64b0000000000000000{i:05}"),
                    FieldMap::new().text("field_1", "x"),
                )
            })
            .collect()
    };

    assert!(client
        .objects(204820)
        .update_batch(updates(0))
        .await
        .is_ok());
    let too_many = client
        .objects(204820)
        .update_batch(updates(201))
        .await
        .unwrap_err();
    assert!(matches!(too_many, Error::BatchTooLarge { len: 201, .. }));
    client
        .objects(204820)
        .update_batch(updates(1))
        .await
        .unwrap();
    let report = client.objects(204820).update_many(updates(450)).await;

    assert!(report.all_succeeded());
    assert_eq!(batch_sizes(&server, "PUT").await, [1, 200, 200, 50]);
    let first = &received(&server, "PUT", OBJECTS).await[0];
    assert_eq!(
        body_of(first),
        json!({"objects": [{"id": "64b000000000000000000000", "field_1": "x"}]})
    );
}

#[tokio::test]
async fn a_failed_batch_is_reported_and_the_next_batches_still_go() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(OBJECTS))
        .respond_with(json(
            422,
            json!({"errors": [{"field_10": ["Serial Number is required"]}], "code": 2}),
        ))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(OBJECTS))
        .respond_with(json(200, json!({})))
        .with_priority(2)
        .mount(&server)
        .await;
    let (client, _) = client(&server);

    let report = client.objects(204820).create_many(drafts(250)).await;

    assert!(!report.all_succeeded());
    assert_eq!(report.failures().count(), 1);
    assert!(report.batches[1].result.is_ok());
    let rejections = report.rejections();
    assert_eq!(rejections.len(), 1);
    assert_eq!(rejections[0].index, None);
    assert_eq!(rejections[0].batch, 0..200);
    assert_eq!(rejections[0].errors[0].field, "field_10");
    assert_eq!(rejections[0].errors[0].message, "Serial Number is required");
}

#[tokio::test]
async fn one_errors_entry_per_object_names_the_rejected_objects() {
    let server = MockServer::start().await;
    let body =
        json!({"errors": [{}, {"field_10": ["Serial Number is not unique"]}, {}], "code": 2});
    Mock::given(method("POST"))
        .and(path(OBJECTS))
        .respond_with(ResponseTemplate::new(422).set_body_raw(body.to_string(), "application/json"))
        .mount(&server)
        .await;
    let (client, _) = client(&server);

    let report = client.objects(204820).create_many(drafts(3)).await;

    let rejections = report.rejections();
    assert_eq!(rejections.len(), 1);
    assert_eq!(rejections[0].index, Some(1));
    assert_eq!(
        rejections[0].errors[0].message,
        "Serial Number is not unique"
    );
    assert_eq!(received(&server, "POST", OBJECTS).await.len(), 1);
}
