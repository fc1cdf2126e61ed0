//! The retry field cases of the Asset Panda client (H-19, H-20, H-21), named after them.

use std::time::Duration;

use assetpanda_api::{Error, FieldMap, ObjectUpdate, TransportKind};
use chrono::{TimeZone, Utc};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

use crate::common::{builder, client, html, json, sequence, RecordingClock};

const DEVICES: i64 = 139300;
const OBJECTS: &str = "/v3/groups/139300/objects";

// H-19 · Honour Retry-After; back off on gateway errors; report the attempts.

#[tokio::test]
async fn h19_retry_after_then_backoff_then_success() {
    let server = MockServer::start().await;
    sequence(
        &server,
        "GET",
        "/v3/groups",
        vec![
            json(
                429,
                json!({"message": "Too many requests. Please try again in 7 seconds."}),
            )
            .insert_header("retry-after", "7"),
            html(503, "<html><body>Service Unavailable</body></html>"),
            json(200, json!({"groups": [{"id": 1542}]})),
        ],
    )
    .await;
    let (client, clock) = client(&server);

    let groups = client.groups().list().await.unwrap();

    assert_eq!(groups.len(), 1);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    let waits = clock.waits();
    assert_eq!(waits[0], Duration::from_secs(7));
    assert!(waits[1] <= Duration::from_millis(1000), "{waits:?}");
}

#[tokio::test]
async fn h19_variant_1_retry_after_as_an_http_date() {
    let server = MockServer::start().await;
    sequence(
        &server,
        "GET",
        "/v3/groups",
        vec![
            json(429, json!({})).insert_header("retry-after", "Wed, 21 Oct 2026 07:28:00 GMT"),
            json(200, json!({"groups": []})),
        ],
    )
    .await;
    let clock = RecordingClock::at(Utc.with_ymd_and_hms(2026, 10, 21, 7, 27, 50).unwrap());
    let client = builder(&server, &clock)
        .token("test-token")
        .build()
        .unwrap();

    client.groups().list().await.unwrap();

    assert_eq!(clock.waits(), [Duration::from_secs(10)]);
}

#[tokio::test]
async fn h19_variant_2_budget_runs_out_after_six_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(html(503, "<html><body>Service Unavailable</body></html>"))
        .mount(&server)
        .await;
    let (client, clock) = client(&server);

    let err = client.groups().list().await.unwrap_err();

    let Error::RetriesExhausted { attempts, last } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(*attempts, 6);
    assert_eq!(last.status().unwrap().as_u16(), 503);
    assert_eq!(server.received_requests().await.unwrap().len(), 6);
    let waits = clock.waits();
    assert_eq!(waits.len(), 5);
    for (i, wait) in waits.iter().enumerate() {
        assert!(*wait <= Duration::from_millis(500 << i), "{i}: {wait:?}");
    }
}

#[tokio::test]
async fn h19_variant_3_a_post_retries_the_429_but_not_the_503() {
    let server = MockServer::start().await;
    sequence(
        &server,
        "POST",
        OBJECTS,
        vec![
            json(429, json!({})).insert_header("retry-after", "7"),
            html(503, "<html><body>Service Unavailable</body></html>"),
            json(200, json!({})),
        ],
    )
    .await;
    let (client, _) = client(&server);

    let err = client
        .objects(DEVICES)
        .create(FieldMap::new().text("field_1", "x"))
        .await
        .unwrap_err();

    assert!(matches!(err, Error::Api(_)), "{err:?}");
    assert_eq!(err.status().unwrap().as_u16(), 503);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

// H-20 · Cap absurd wait hints, and never skip a record silently.

fn h20_update() -> Vec<ObjectUpdate> {
    vec![ObjectUpdate::new(
        "64b000000000000000000001",
        FieldMap::new().text("field_41", "10.0.0.31"),
    )]
}

#[tokio::test]
async fn h20_a_429_without_a_hint_is_retried_after_backoff() {
    let server = MockServer::start().await;
    sequence(
        &server,
        "PUT",
        OBJECTS,
        vec![json(429, json!({"message": 429})), json(200, json!({}))],
    )
    .await;
    let (client, clock) = client(&server);

    client
        .objects(DEVICES)
        .update_batch(h20_update())
        .await
        .unwrap();

    let waits = clock.waits();
    assert_eq!(waits.len(), 1);
    assert!(waits[0] <= Duration::from_millis(500));
}

#[tokio::test]
async fn h20_a_429_body_hint_is_honoured() {
    let server = MockServer::start().await;
    let body = json!({"message": "Too many requests. Try again in 60 seconds.", "retryAfter": 60});
    sequence(
        &server,
        "PUT",
        OBJECTS,
        vec![json(429, body), json(200, json!({}))],
    )
    .await;
    let (client, clock) = client(&server);

    client
        .objects(DEVICES)
        .update_batch(h20_update())
        .await
        .unwrap();

    assert_eq!(clock.waits(), [Duration::from_secs(60)]);
}

#[tokio::test]
async fn h20_an_absurd_hint_fails_at_once_keeping_the_hint() {
    let server = MockServer::start().await;
    let body = json!({"message": "Too many requests. Try again in 367946340 seconds."});
    Mock::given(method("PUT"))
        .and(path(OBJECTS))
        .respond_with(json(429, body).insert_header("retry-after", "367946340"))
        .expect(1)
        .mount(&server)
        .await;
    let (client, clock) = client(&server);

    let err = client
        .objects(DEVICES)
        .update_batch(h20_update())
        .await
        .unwrap_err();

    let api = err.api().expect("Api");
    assert!(matches!(err, Error::Api(_)));
    assert_eq!(api.status.as_u16(), 429);
    assert_eq!(api.retry_after, Some(Duration::from_secs(367_946_340)));
    assert!(clock.waits().is_empty());
}

// H-21 · Retry only what a retry can fix.

#[tokio::test]
async fn h21_a_timed_out_500_is_retried_for_a_read() {
    let server = MockServer::start().await;
    let timeout = json!({"message": "Execution Timeout Expired. The timeout period elapsed prior to completion of the operation."});
    sequence(
        &server,
        "GET",
        "/v3/groups",
        vec![json(500, timeout), json(200, json!({"groups": []}))],
    )
    .await;
    let (client, _) = client(&server);

    client.groups().list().await.unwrap();

    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn h21_a_plain_500_is_retried_twice_for_a_read_and_never_for_a_create() {
    let server = MockServer::start().await;
    let body = json!({"message": "Object reference not set to an instance of an object."});
    Mock::given(method("GET"))
        .respond_with(json(500, body.clone()))
        .expect(3)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(json(500, body))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server);

    let read = client.groups().list().await.unwrap_err();
    let create = client
        .objects(DEVICES)
        .create(FieldMap::new().text("field_20", "1542"))
        .await
        .unwrap_err();

    let Error::RetriesExhausted { attempts: 3, last } = &read else {
        panic!("{read:?}");
    };
    assert_eq!(last.status().unwrap().as_u16(), 500);
    assert!(matches!(create, Error::Api(_)));
    assert_eq!(create.status().unwrap().as_u16(), 500);
}

#[tokio::test]
async fn h21_other_4xx_are_never_retried_with_a_static_token() {
    for status in [400, 401, 403, 404, 409, 422] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(json(status, json!({"message": "no"})))
            .expect(1)
            .mount(&server)
            .await;
        let (client, _) = client(&server);

        let err = client.groups().list().await.unwrap_err();

        assert_eq!(err.status().unwrap().as_u16(), status);
    }
}

#[tokio::test]
async fn h21_a_client_timeout_is_retried_for_a_read() {
    let server = MockServer::start().await;
    sequence(
        &server,
        "GET",
        "/v3/groups",
        vec![
            json(200, json!({"groups": []})).set_delay(Duration::from_millis(400)),
            json(200, json!({"groups": []})),
        ],
    )
    .await;
    let clock = RecordingClock::new();
    let client = builder(&server, &clock)
        .token("test-token")
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();

    client.groups().list().await.unwrap();

    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    assert_eq!(clock.waits().len(), 1);
}

#[tokio::test]
async fn h21_a_create_that_times_out_is_sent_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(OBJECTS))
        .respond_with(json(200, json!({})).set_delay(Duration::from_millis(400)))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server, &RecordingClock::new())
        .token("test-token")
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();

    let err = client
        .objects(DEVICES)
        .create(FieldMap::new().text("field_20", "1542"))
        .await
        .unwrap_err();

    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Timeout,
                ..
            }
        ),
        "{err:?}"
    );
}
