//! The fake Asset Panda served over HTTP: both transports, raw faults, fixed ports.

use std::time::Duration;

use assetpanda_api::fake::{
    FakeAssetPanda, FakeError, Fault, FaultPlan, FaultRule, GroupSpec, Transport,
};
use serde_json::{json, Value};

async fn groups(fake: &FakeAssetPanda) -> reqwest::Result<reqwest::Response> {
    reqwest::Client::new()
        .get(format!("{}/v3/groups", fake.uri()))
        .bearer_auth(fake.token())
        .send()
        .await
}

#[tokio::test]
async fn wiremock_transport_serves_the_core() {
    let fake = FakeAssetPanda::start().await;
    assert_eq!(fake.transport(), Transport::Wiremock);
    let response = groups(&fake).await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let body: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    let names: Vec<&str> = body["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Devices", "Companies"]);
    let created = reqwest::Client::new()
        .post(format!("{}/v3/groups/139301/objects", fake.uri()))
        .bearer_auth(fake.token())
        .header("content-type", "application/json")
        .body(json!({"field_1": "Acme", "field_20": "250"}).to_string())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let created: Value = serde_json::from_slice(&created).unwrap();
    let stored = fake
        .object(139301, created["id"].as_str().unwrap())
        .unwrap();
    assert_eq!(stored.text("field_1").as_deref(), Some("Acme"));
    assert_eq!(fake.counters().requests(), 2);
}

#[tokio::test]
async fn wiremock_delays_and_status_faults() {
    let plan = FaultPlan::new()
        .at([1], Fault::Delay(Duration::from_millis(20)))
        .at(
            [2],
            Fault::TooManyRequests {
                retry_after_secs: 3,
            },
        );
    let fake = FakeAssetPanda::builder()
        .group(GroupSpec::companies())
        .faults(plan)
        .start()
        .await;
    assert_eq!(fake.transport(), Transport::Wiremock);
    assert_eq!(groups(&fake).await.unwrap().status(), 200);
    let throttled = groups(&fake).await.unwrap();
    assert_eq!(throttled.status(), 429);
    assert_eq!(throttled.headers()["retry-after"], "3");
}

#[tokio::test]
async fn raw_transport_drops_connections_and_cuts_bodies() {
    let plan = FaultPlan::new()
        .at([1], Fault::DropConnection)
        .at([2], Fault::CutConnection);
    let fake = FakeAssetPanda::builder()
        .group(GroupSpec::companies())
        .populate(139301, 5)
        .faults(plan)
        .start()
        .await;
    assert_eq!(fake.transport(), Transport::Raw);
    let dropped = groups(&fake).await;
    assert!(dropped.is_err(), "a dropped connection gives no response");
    let cut = groups(&fake).await.expect("the headers arrive");
    assert_eq!(cut.status(), 200);
    assert!(
        cut.bytes().await.is_err(),
        "the body stops short of its length"
    );
    let whole = groups(&fake).await.unwrap();
    let body: Value = serde_json::from_slice(&whole.bytes().await.unwrap()).unwrap();
    assert_eq!(body["groups"][0]["id"], 139301);
    let records = fake.requests();
    assert_eq!(records[0].status, None);
    assert_eq!(records[1].fault.as_deref(), Some("connection cut mid-body"));
}

#[tokio::test]
async fn a_dropped_write_is_still_stored_when_applied_first() {
    let plan = FaultPlan::new().rule(FaultRule::at([1], Fault::DropConnection).after_apply());
    let fake = FakeAssetPanda::builder()
        .group(GroupSpec::companies())
        .faults(plan)
        .start()
        .await;
    let sent = reqwest::Client::new()
        .post(format!("{}/v3/groups/139301/objects", fake.uri()))
        .bearer_auth(fake.token())
        .header("content-type", "application/json")
        .body(json!({"field_1": "Acme"}).to_string())
        .send()
        .await;
    assert!(sent.is_err());
    assert_eq!(fake.objects(139301).len(), 1);
}

#[tokio::test]
async fn wiremock_refuses_plans_it_cannot_serve() {
    let forced = FakeAssetPanda::builder()
        .transport(Transport::Wiremock)
        .faults(FaultPlan::new().at([1], Fault::DropConnection))
        .try_start()
        .await;
    assert!(matches!(forced, Err(FakeError::NeedsRawTransport)));
    let fake = FakeAssetPanda::builder().start().await;
    let later = fake.set_faults(FaultPlan::new().share(0.5, Fault::CutConnection));
    assert!(matches!(later, Err(FakeError::NeedsRawTransport)));
    assert!(fake
        .set_faults(FaultPlan::new().share(0.5, Fault::EmptyBody))
        .is_ok());
}

#[tokio::test]
async fn serves_on_a_fixed_port_and_reports_a_taken_one() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let fake = FakeAssetPanda::builder()
        .group(GroupSpec::companies())
        .port(port)
        .start()
        .await;
    assert_eq!(fake.uri(), format!("http://127.0.0.1:{port}"));
    assert_eq!(groups(&fake).await.unwrap().status(), 200);
    for transport in [Transport::Wiremock, Transport::Raw] {
        let taken = FakeAssetPanda::builder()
            .port(port)
            .transport(transport)
            .try_start()
            .await;
        assert!(
            matches!(taken, Err(FakeError::Bind { .. })),
            "{transport:?}"
        );
    }
}
