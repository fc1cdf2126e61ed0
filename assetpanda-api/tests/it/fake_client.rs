//! The client against the fake Asset Panda, end to end.

use std::collections::HashSet;
use std::time::Duration;

use assetpanda_api::fake::{
    Endpoint, FakeAssetPanda, FakeClock, Fault, FaultPlan, FaultRule, GroupSpec, RateLimit,
    SearchPaths, Transport,
};
use assetpanda_api::{Archived, Error, FieldMap, ObjectUpdate};
use futures::TryStreamExt;
use http::Method;

const DEVICES: u64 = 139300;

async fn fake_with(builder: assetpanda_api::fake::FakeAssetPandaBuilder) -> FakeAssetPanda {
    builder
        .seed(7)
        .group(GroupSpec::devices())
        .group(GroupSpec::companies())
        .clock(FakeClock::manual_default())
        .start()
        .await
}

#[tokio::test]
async fn streams_2500_objects_through_the_capped_search_each_exactly_once() {
    let fake = fake_with(FakeAssetPanda::builder().populate(DEVICES, 2_500)).await;
    let client = fake.client_builder().page_size(100).build().unwrap();
    let objects: Vec<_> = client
        .objects(DEVICES as i64)
        .search()
        .stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<String> = objects
        .iter()
        .map(|o| o.id.as_ref().unwrap().as_str().to_owned())
        .collect();
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(ids.len(), 2_500);
    assert_eq!(unique.len(), 2_500);
    let stored: HashSet<String> = fake.objects(DEVICES).into_iter().map(|o| o.id).collect();
    assert_eq!(unique.into_iter().cloned().collect::<HashSet<_>>(), stored);
    // The client asked for 100 a page; the server gave 50, so 50 pages make the lower bound.
    assert_eq!(fake.counters().requests_to(Endpoint::Search), 50);
}

#[tokio::test]
async fn create_then_search_round_trips() {
    let fake = FakeAssetPanda::start().await;
    let client = fake.client().expect("a client for the fake");
    let devices = client.objects(DEVICES as i64);
    let fields = FieldMap::new()
        .text("field_1", "ACME-WS-017")
        .text("field_10", "5CG1234XYZ")
        .text("field_20", "1542")
        .choice_id("field_11", 88102)
        .number("field_60", 12.5);
    let created = devices.create(fields).await.unwrap();
    let id = created.objects[0].id.clone().unwrap();
    let found: Vec<_> = devices
        .search()
        .field_filter("field_20", "1542")
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    let object = &found[0];
    assert_eq!(object.id.as_ref(), Some(&id));
    assert_eq!(object.text("field_1").as_deref(), Some("ACME-WS-017"));
    assert_eq!(object.text("field_10").as_deref(), Some("5CG1234XYZ"));
    assert_eq!(
        object.choice("field_11").unwrap().label.as_deref(),
        Some("Assigned")
    );
    assert_eq!(object.number("field_60"), Some(12.5));
    let stored = fake.object(DEVICES, id.as_str()).unwrap();
    assert_eq!(stored.text("field_20").as_deref(), Some("1542"));
    let again = devices.get(id.clone()).await.unwrap().unwrap();
    assert_eq!(again.display_name.as_deref(), Some("ACME-WS-017"));
}

#[tokio::test]
async fn archive_and_unarchive_reach_the_stored_flag() {
    let fake = FakeAssetPanda::start().await;
    fake.populate(DEVICES, 3).unwrap();
    let ids: Vec<String> = fake.objects(DEVICES).into_iter().map(|o| o.id).collect();
    let devices = fake
        .client()
        .expect("a client for the fake")
        .objects(DEVICES as i64);
    let stop = chrono::NaiveDate::from_ymd_opt(2022, 11, 24).unwrap();
    devices.archive(ids[..2].to_vec(), stop).await.unwrap();
    let stored = fake.objects(DEVICES);
    assert!(stored[0].is_archived && stored[1].is_archived && !stored[2].is_archived);
    assert_eq!(stored[0].stop_date.as_deref(), Some("11/24/2022"));
    let live: Vec<_> = devices.search().stream().try_collect().await.unwrap();
    assert_eq!(live.len(), 1);
    let archived: Vec<_> = devices
        .search()
        .archived(Archived::Only)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(archived.len(), 2);
    devices.unarchive(vec![ids[0].clone()]).await.unwrap();
    assert!(!fake.object(DEVICES, &ids[0]).unwrap().is_archived);
}

#[tokio::test]
async fn a_duplicate_unique_value_is_a_uniqueness_violation() {
    let fake = FakeAssetPanda::start().await;
    let devices = fake
        .client()
        .expect("a client for the fake")
        .objects(DEVICES as i64);
    let first = FieldMap::new()
        .text("field_1", "A")
        .text("field_20", "1542");
    devices.create(first).await.unwrap();
    let again = FieldMap::new()
        .text("field_1", "B")
        .text("field_20", "1542");
    match devices.create(again).await {
        Err(Error::Api(api)) => {
            assert_eq!(api.status, 422);
            assert!(api.is_uniqueness_violation());
            assert_eq!(api.field_errors[0].field, "field_20");
        }
        other => panic!("expected a 422, got {other:?}"),
    }
    assert_eq!(fake.objects(DEVICES).len(), 1);
}

#[tokio::test]
async fn an_expired_login_token_gets_exactly_one_new_login() {
    let fake = FakeAssetPanda::start().await;
    let client = fake.v3_login_client_builder().build().unwrap();
    client.groups().list().await.unwrap();
    assert_eq!(fake.logins(), 1);
    fake.expire_all_tokens();
    let groups = client.groups().list().await.unwrap();
    assert_eq!(groups.len(), 2);
    assert_eq!(fake.logins(), 2);
    let v2 = fake.v2_login_client_builder().build().unwrap();
    v2.groups().list().await.unwrap();
    assert_eq!(fake.counters().requests_to(Endpoint::LoginV2), 1);
}

#[tokio::test]
async fn the_rate_limit_is_waited_out_on_the_shared_clock() {
    let limit = RateLimit {
        max_calls: 3,
        window: Duration::from_secs(180),
    };
    let fake = fake_with(FakeAssetPanda::builder().rate_limit(limit)).await;
    let client = fake.client().expect("a client for the fake");
    let start = fake.clock().now();
    for _ in 0..5 {
        client.groups().list().await.unwrap();
    }
    assert!(fake.counters().throttled() >= 1);
    assert!((fake.clock().now() - start).num_seconds() >= 180);
}

#[tokio::test]
async fn h21e_a_create_that_times_out_is_sent_once_and_stored_once() {
    let plan = FaultPlan::new()
        .rule(FaultRule::at([1], Fault::Delay(Duration::from_millis(400))).only(Endpoint::Create));
    let fake = fake_with(FakeAssetPanda::builder().faults(plan)).await;
    let client = fake
        .client_builder()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let fields = FieldMap::new()
        .text("field_1", "ACME-WS-017")
        .text("field_20", "1542");
    let sent = client.objects(DEVICES as i64).create(fields).await;
    assert!(sent.is_err(), "the answer came after the client timeout");
    assert_eq!(
        fake.counters().requests_by(&Method::POST, Endpoint::Create),
        1
    );
    assert_eq!(fake.find(DEVICES, "field_20", "1542").len(), 1);
}

#[tokio::test]
async fn a_seeded_fault_schedule_is_survived_by_the_retrying_client() {
    // Every kind of fault at least once at fixed places, then seeded shares on top.
    let search = |share, fault| FaultRule::share(share, fault).only(Endpoint::Search);
    let first_update = |fault| {
        FaultRule::share(1.0, fault)
            .only(Endpoint::UpdateMany)
            .max_hits(1)
    };
    let plan = FaultPlan::new()
        .at(
            [2],
            Fault::TooManyRequests {
                retry_after_secs: 2,
            },
        )
        .at([4], Fault::CutConnection)
        .at([6], Fault::EmptyBody)
        .at([8], Fault::DropConnection)
        .at([10], Fault::ServiceUnavailable)
        .rule(first_update(Fault::BadGateway))
        .rule(first_update(Fault::GatewayTimeout))
        .rule(first_update(Fault::TooManyRequests {
            retry_after_secs: 1,
        }))
        .rule(
            FaultRule::share(
                0.08,
                Fault::TooManyRequests {
                    retry_after_secs: 2,
                },
            )
            .except_login(),
        )
        .rule(search(0.08, Fault::ServiceUnavailable))
        .rule(search(0.06, Fault::DropConnection))
        .rule(search(0.06, Fault::CutConnection))
        .rule(search(0.06, Fault::EmptyBody))
        .rule(FaultRule::share(0.1, Fault::BadGateway).only(Endpoint::UpdateMany));
    let fake = fake_with(
        FakeAssetPanda::builder()
            .populate(DEVICES, 1_000)
            .faults(plan),
    )
    .await;
    assert_eq!(fake.transport(), Transport::Raw);
    let devices = fake
        .client()
        .expect("a client for the fake")
        .objects(DEVICES as i64);
    let objects: Vec<_> = devices.search().stream().try_collect().await.unwrap();
    assert_eq!(objects.len(), 1_000);
    let updates: Vec<ObjectUpdate> = objects
        .iter()
        .map(|o| {
            let id = o.id.clone().unwrap();
            ObjectUpdate::new(id, FieldMap::new().text("field_41", "10.9.9.9"))
        })
        .collect();
    let report = devices.update_many(updates).await;
    assert!(report.all_succeeded(), "{report:?}");
    let stored = fake.objects(DEVICES);
    assert_eq!(stored.len(), 1_000);
    assert!(stored
        .iter()
        .all(|o| o.text("field_41").as_deref() == Some("10.9.9.9")));
    let kinds: HashSet<String> = fake
        .requests()
        .into_iter()
        .filter_map(|r| r.fault)
        .collect();
    assert_eq!(kinds.len(), 8, "{kinds:?}");
    assert!(
        fake.counters().faults_injected() >= 8,
        "{:?}",
        fake.counters()
    );
}

#[tokio::test]
async fn the_client_finds_the_other_login_and_search_paths() {
    let fake = fake_with(
        FakeAssetPanda::builder()
            .v3_login_path("/v3/session-token")
            .v3_token_key("accessToken")
            .search_paths(SearchPaths::ObjectsSearch)
            .populate(DEVICES, 60),
    )
    .await;
    let client = fake.v3_login_client_builder().build().unwrap();
    let devices = client.objects(DEVICES as i64);
    for _ in 0..2 {
        let objects: Vec<_> = devices.search().stream().try_collect().await.unwrap();
        assert_eq!(objects.len(), 60);
    }
    let counters = fake.counters();
    assert_eq!(counters.requests_to(Endpoint::LoginV3), 1);
    assert_eq!(fake.logins(), 1);
    // One 404 for the default login path and one for the default search path, then the
    // client remembers what worked: 2 pages for each of the two walks.
    assert_eq!(counters.requests_to(Endpoint::Unknown), 2);
    assert_eq!(counters.requests_to(Endpoint::Search), 4);
}

#[tokio::test]
async fn h20_a_wait_given_only_in_the_body_is_honoured() {
    let hint = Fault::TooManyRequestsBodyOnly {
        retry_after_secs: 60,
    };
    let plan = FaultPlan::new().rule(FaultRule::at([1], hint).only(Endpoint::UpdateMany));
    let fake = fake_with(FakeAssetPanda::builder().populate(DEVICES, 1).faults(plan)).await;
    let id = fake.objects(DEVICES)[0].id.clone();
    let start = fake.clock().now();
    let update = ObjectUpdate::new(id.clone(), FieldMap::new().text("field_41", "10.0.0.31"));
    fake.client()
        .expect("a client for the fake")
        .objects(DEVICES as i64)
        .update_batch(vec![update])
        .await
        .unwrap();
    assert_eq!((fake.clock().now() - start).num_seconds(), 60);
    assert_eq!(fake.counters().requests_to(Endpoint::UpdateMany), 2);
    let stored = fake.object(DEVICES, &id).unwrap();
    assert_eq!(stored.text("field_41").as_deref(), Some("10.0.0.31"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_clients_lose_no_write() {
    let fake = FakeAssetPanda::start().await;
    let tasks: Vec<_> = (0..4)
        .map(|task| {
            let devices = fake
                .client()
                .expect("a client for the fake")
                .objects(DEVICES as i64);
            tokio::spawn(async move {
                let batch: Vec<FieldMap> = (0..50)
                    .map(|i| {
                        let cw_id = (task * 1000 + i).to_string();
                        FieldMap::new()
                            .text("field_1", format!("DEV-{cw_id}"))
                            .text("field_20", cw_id)
                    })
                    .collect();
                devices.create_batch(batch).await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let stored = fake.objects(DEVICES);
    let cw_ids: HashSet<String> = stored.iter().filter_map(|o| o.text("field_20")).collect();
    assert_eq!(stored.len(), 200);
    assert_eq!(cw_ids.len(), 200);
    assert_eq!(fake.counters().requests_to(Endpoint::Create), 4);
}
