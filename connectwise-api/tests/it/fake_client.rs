//! The client against the fake server, end to end over loopback sockets.

use std::collections::BTreeSet;
use std::time::Duration;

use connectwise_api::fake::{Entity, FakeConnectWise, Fault, FaultPlan, ServerKind};
use connectwise_api::models::{Configuration, PatchOp};
use connectwise_api::Client;
use futures::StreamExt;
use serde_json::json;

async fn fake(devices: usize, plan: FaultPlan, kind: ServerKind) -> FakeConnectWise {
    FakeConnectWise::builder()
        .seed(2500)
        .companies(40)
        .configurations(devices)
        .faults(plan)
        .server(kind)
        .start()
        .await
}

fn client(fake: &FakeConnectWise) -> Client {
    fake.client().unwrap_or_else(|e| panic!("client: {e}"))
}

/// Streams every device and returns the ids, failing on any item error.
async fn all_ids(client: &Client, page_size: u32, forward_only: bool) -> Vec<i64> {
    let mut list = client.configurations().list().page_size(page_size);
    if forward_only {
        list = list.forward_only();
    }
    let items: Vec<_> = list.stream().collect().await;
    items
        .into_iter()
        .map(|item: connectwise_api::Result<Configuration>| {
            let device = item.unwrap_or_else(|e| panic!("item failed: {e}"));
            i64::from(device.id.unwrap_or_else(|| panic!("device without id")))
        })
        .collect()
}

fn stored_ids(fake: &FakeConnectWise) -> Vec<i64> {
    fake.records(Entity::Configurations)
        .iter()
        .filter_map(|r| r["id"].as_i64())
        .collect()
}

fn assert_each_once(got: &[i64], expected: &[i64]) {
    let unique: BTreeSet<i64> = got.iter().copied().collect();
    assert_eq!(unique.len(), got.len(), "a record came twice");
    assert_eq!(
        unique.into_iter().collect::<Vec<_>>(),
        expected,
        "records missing or extra"
    );
}

#[tokio::test]
async fn listing_2500_devices_by_page_and_forward_only_returns_each_once() {
    let fake = fake(2_500, FaultPlan::none(), ServerKind::Auto).await;
    let client = client(&fake);
    let expected = stored_ids(&fake);
    assert_eq!(expected.len(), 2_500);

    assert_each_once(&all_ids(&client, 1000, false).await, &expected);
    assert_eq!(fake.counters().get("GET", "/company/configurations"), 3);

    fake.state().reset_counters();
    assert_each_once(&all_ids(&client, 1000, true).await, &expected);
    let forward_pages = fake.counters().get("GET", "/company/configurations");
    assert!(
        (3..=4).contains(&forward_pages),
        "{forward_pages} forward-only pages"
    );

    assert_eq!(
        client
            .configurations()
            .count_all()
            .await
            .unwrap_or_default(),
        2_500
    );
}

#[tokio::test]
async fn create_then_get_round_trips() {
    let fake = fake(0, FaultPlan::none(), ServerKind::Auto).await;
    let client = client(&fake);
    let company = fake.records(Entity::Companies)[0]["id"]
        .as_i64()
        .unwrap_or_default();
    let body = json!({
        "name": "Zoë's ThinkPad №7",
        "type": { "id": 12 },
        "company": { "id": company },
        "serialNumber": "PF-4XJ2",
        "customFields": [{ "id": 27, "caption": "Managed", "type": "Checkbox", "entryMethod": "EntryField", "numberOfDecimals": 0, "value": true }],
    });

    let created = client
        .configurations()
        .create(&body)
        .await
        .unwrap_or_else(|e| panic!("create: {e}"));
    let id = created.id.unwrap_or_else(|| panic!("no id"));
    let fetched = client
        .configurations()
        .get(id)
        .await
        .unwrap_or_else(|e| panic!("get: {e}"));
    assert_eq!(fetched, created);
    assert_eq!(fetched.name.as_deref(), Some("Zoë's ThinkPad №7"));

    let stored = fake
        .get(Entity::Configurations, i64::from(id))
        .unwrap_or_default();
    assert_eq!(stored["serialNumber"], "PF-4XJ2");
    assert_eq!(stored["customFields"][0]["value"], true);
    assert_eq!(stored["company"]["id"], company);

    let patched = client
        .configurations()
        .patch(id, [PatchOp::replace("serialNumber", "PF-9999")])
        .await
        .unwrap_or_else(|e| panic!("patch: {e}"));
    assert_eq!(patched.serial_number.as_deref(), Some("PF-9999"));
    client
        .configurations()
        .delete(id)
        .await
        .unwrap_or_else(|e| panic!("delete: {e}"));
    assert!(fake.get(Entity::Configurations, i64::from(id)).is_none());
}

#[tokio::test]
async fn a_seeded_fault_schedule_is_survived_by_the_retrying_client() {
    let plan = FaultPlan::retryable_mix(99, 0.15)
        .share(0.03, Fault::DropConnection)
        .share(0.03, Fault::TruncatedBody)
        .share(0.03, Fault::EmptyBody)
        .share(0.03, Fault::Delay(Duration::from_millis(5)));
    let fake = fake(2_500, plan, ServerKind::Auto).await;
    let client = client(&fake);
    let expected = stored_ids(&fake);

    assert_each_once(&all_ids(&client, 250, false).await, &expected);
    assert_each_once(&all_ids(&client, 250, true).await, &expected);
    let counters = fake.counters();
    assert!(
        counters.faults_injected >= 5,
        "only {} faults",
        counters.faults_injected
    );
    assert!(counters.requests > 22, "{} requests", counters.requests);
}

#[tokio::test]
async fn a_post_is_resent_after_429_but_not_after_a_gateway_error() {
    let plan = FaultPlan::new(0)
        .on_requests(
            [1],
            Fault::RateLimited {
                retry_after_secs: 0,
            },
        )
        .on_requests([3], Fault::BadGateway);
    let fake = fake(0, plan, ServerKind::Auto).await;
    let client = client(&fake);
    let company = fake.records(Entity::Companies)[0]["id"].clone();
    let ticket = json!({ "summary": "Printer offline", "company": { "id": company } });

    assert!(client.tickets().create(&ticket).await.is_ok());
    let err = client
        .tickets()
        .create(&ticket)
        .await
        .err()
        .unwrap_or_else(|| panic!("expected 502"));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(fake.records(Entity::Tickets).len(), 1);
    assert_eq!(fake.counters().get("POST", "/service/tickets"), 3);
}

#[tokio::test]
async fn a_replace_patch_applied_before_an_error_is_retried_to_the_same_end_state() {
    let fake = fake(
        3,
        FaultPlan::new(0).after_write_on([1], Fault::DropConnection),
        ServerKind::Socket,
    )
    .await;
    let client = client(&fake);
    let id = stored_ids(&fake)[0];
    let device = client
        .configurations()
        .patch(id as i32, [PatchOp::replace("tagNumber", "TAG-1")])
        .await
        .unwrap_or_else(|e| panic!("patch: {e}"));
    assert_eq!(device.tag_number.as_deref(), Some("TAG-1"));
    assert_eq!(
        fake.counters().get("PATCH", "/company/configurations/{id}"),
        2
    );
}

/// Sends one authenticated GET with plain reqwest, to see the raw socket behaviour.
async fn raw_get(fake: &FakeConnectWise, path: &str) -> reqwest::Result<(u16, Vec<u8>)> {
    let response = reqwest::Client::new()
        .get(format!("{}{path}", fake.api_root()))
        .basic_auth(
            format!("{}+{}", fake.company_id(), fake.public_key()),
            Some(fake.private_key()),
        )
        .header("clientId", fake.client_id())
        .send()
        .await?;
    let status = response.status().as_u16();
    Ok((status, response.bytes().await?.to_vec()))
}

#[tokio::test]
async fn the_socket_server_really_cuts_bodies_and_drops_connections() {
    let plan = FaultPlan::new(0)
        .on_requests([1], Fault::TruncatedBody)
        .on_requests([2], Fault::DropConnection)
        .on_requests([3], Fault::Delay(Duration::from_millis(20)));
    let fake = fake(50, plan, ServerKind::Auto).await;
    let path = "/company/configurations?pageSize=50";

    let cut = raw_get(&fake, path).await;
    assert!(cut.is_err(), "a cut-off body must fail the read: {cut:?}");
    let dropped = raw_get(&fake, path).await;
    assert!(
        dropped.is_err(),
        "a dropped connection must fail the request: {dropped:?}"
    );
    let (status, body) = raw_get(&fake, path)
        .await
        .unwrap_or_else(|e| panic!("delayed: {e}"));
    assert_eq!(status, 200);
    let rows: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    assert_eq!(rows.as_array().map(Vec::len), Some(50));

    let counters = fake.counters();
    assert_eq!((counters.requests, counters.faults_injected), (3, 3));
    assert_eq!(
        counters.by_status.get(&0),
        Some(&1),
        "the dropped request has no status"
    );
}

#[tokio::test]
async fn a_fixed_port_is_honoured() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port: {e}"));
    let fake = FakeConnectWise::builder()
        .port(port)
        .companies(2)
        .try_start()
        .await;
    let fake = fake.unwrap_or_else(|e| panic!("port {port}: {e}"));
    assert_eq!(fake.uri(), format!("http://127.0.0.1:{port}"));
    assert_eq!(
        client(&fake)
            .companies()
            .count_all()
            .await
            .unwrap_or_default(),
        2
    );
    let busy = FakeConnectWise::builder().port(port).try_start().await;
    assert!(busy.is_err(), "a second server cannot take the same port");
}
