//! [SYNC] field cases about writing to Asset Panda: rejected and throttled writes, writes
//! whose outcome is unknown, re-runs, adoption, unarchiving, concurrent runs, links and
//! archiving.

use assetpanda_api::fake::{
    BatchFailure, Endpoint, FakeAssetPanda, FakeAssetPandaBuilder, Fault, FaultPlan, FaultRule,
    GroupSpec,
};
use connectwise_api::fake::{Entity, FakeConnectWise};
use cw_ap_examples::lock::JobLock;
use cw_ap_examples::ExitStatus;
use serde_json::json;

use crate::support::{by_cw_id, cw_ids, devices_job, World};

const DEVICES: u64 = 139300;
const COMPANIES: u64 = 139301;

fn ap() -> FakeAssetPandaBuilder {
    FakeAssetPanda::builder()
        .group(GroupSpec::companies())
        .group(GroupSpec::devices())
}

fn empty_cw() -> connectwise_api::fake::FakeConnectWiseBuilder {
    FakeConnectWise::builder().seed(2)
}

fn put_device(world: &World, record: serde_json::Value) {
    world.servers.cw.insert(Entity::Configurations, record);
}

fn put_object(world: &World, group: u64, fields: serde_json::Value) -> String {
    world
        .servers
        .ap
        .core()
        .insert_object(group, fields)
        .expect("object stored")
        .id
}

fn devices_with_required_serial() -> GroupSpec {
    let mut devices = GroupSpec::devices();
    for field in &mut devices.fields {
        if field.key == "field_10" {
            field.required = true;
        }
    }
    devices
}

async fn h16_world(failure: BatchFailure) -> World {
    let ap = FakeAssetPanda::builder()
        .group(GroupSpec::companies())
        .group(devices_with_required_serial())
        .batch_failure(failure);
    let fields = [("name", "field_1"), ("serialNumber", "field_10")];
    let world = World::build(empty_cw(), ap, &devices_job("", &fields)).await;
    put_device(
        &world,
        json!({"id": 1542, "name": "ACME-WS-017", "serialNumber": "5CG1234XYZ"}),
    );
    put_device(
        &world,
        json!({"id": 1543, "name": "ACME-WS-019", "serialNumber": ""}),
    );
    put_device(
        &world,
        json!({"id": 1544, "name": "ACME-WS-020", "serialNumber": "5CG1234XZA"}),
    );
    world
}

#[tokio::test]
async fn h16_a_rejected_record_fails_alone_whatever_the_server_kept() {
    for failure in [BatchFailure::AllOrNothing, BatchFailure::KeepEarlier] {
        let world = h16_world(failure).await;

        let ran = world.run(&["run"]).await;

        assert_eq!(
            ran.status,
            ExitStatus::RecordsFailed,
            "{failure:?}: {}{}",
            ran.out,
            ran.err
        );
        assert_eq!(
            cw_ids(&world.all(DEVICES)),
            vec!["1542", "1544"],
            "{failure:?}"
        );
        let line = ran
            .out
            .lines()
            .find(|l| l.contains("1543"))
            .unwrap_or_default();
        assert!(line.contains("field_10"), "{failure:?}: {}", ran.out);
        let devices = ran.out.lines().find(|l| l.starts_with("devices")).unwrap();
        let counts: Vec<&str> = devices.split_whitespace().collect();
        assert_eq!(
            (counts[5], counts[12]),
            ("2", "1"),
            "{failure:?}: {devices}"
        );
    }
}

#[tokio::test]
async fn h20_a_throttle_hint_over_the_cap_fails_the_record_and_is_not_waited_for() {
    let fields = [("name", "field_1"), ("ipAddress", "field_41")];
    let world = World::build(empty_cw(), ap(), &devices_job("", &fields)).await;
    put_device(
        &world,
        json!({"id": 1542, "name": "ACME-WS-017", "ipAddress": "10.0.0.31"}),
    );
    put_device(
        &world,
        json!({"id": 1543, "name": "ACME-WS-018", "ipAddress": "10.0.0.18"}),
    );
    put_object(
        &world,
        DEVICES,
        json!({"field_1": "ACME-WS-017", "field_20": "1542", "field_41": "10.0.0.17"}),
    );
    put_object(
        &world,
        DEVICES,
        json!({"field_1": "ACME-WS-018", "field_20": "1543", "field_41": "10.0.0.18"}),
    );
    let throttle = Fault::TooManyRequests {
        retry_after_secs: 367_946_340,
    };
    let rule = FaultRule::share(1.0, throttle).only(Endpoint::UpdateMany);
    world
        .servers
        .ap
        .core()
        .set_faults(FaultPlan::new().rule(rule))
        .unwrap();

    let started = std::time::Instant::now();
    let ran = world.run(&["run", "--json"]).await;

    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    assert_eq!(
        ran.status,
        ExitStatus::RecordsFailed,
        "{}{}",
        ran.out,
        ran.err
    );
    let report: cw_ap_mapping::RunReport = serde_json::from_str(ran.out.trim()).unwrap();
    let c = report.groups[0].counts;
    assert_eq!(c.failed, 1, "{c:?}");
    assert_eq!(c.created + c.updated + c.unchanged + c.failed, 2, "{c:?}");
    let errors = serde_json::to_string(&report.groups[0].errors).unwrap();
    assert!(
        errors.contains("1542") && errors.contains("429"),
        "{errors}"
    );
    let kept = &by_cw_id(&world, DEVICES, "1542")[0];
    assert_eq!(kept.text("field_41").as_deref(), Some("10.0.0.17"));
}

#[tokio::test]
async fn h21_a_create_whose_answer_is_lost_is_looked_up_not_sent_again() {
    let world = World::build(empty_cw(), ap(), &devices_job("", &[("name", "field_1")])).await;
    put_device(&world, json!({"id": 1542, "name": "ACME-WS-017"}));
    let lost = FaultRule::share(1.0, Fault::InternalServerError)
        .only(Endpoint::Create)
        .after_apply()
        .max_hits(1);
    world
        .servers
        .ap
        .core()
        .set_faults(FaultPlan::new().rule(lost))
        .unwrap();

    let ran = world.run(&["run"]).await;

    assert_eq!(
        world.ap_requests(Endpoint::Create),
        1,
        "{}{}",
        ran.out,
        ran.err
    );
    assert_eq!(by_cw_id(&world, DEVICES, "1542").len(), 1);
    assert!(world.ap_requests(Endpoint::Search) >= 2);
}

#[tokio::test]
async fn h24_running_again_after_an_interrupted_run_creates_nothing_twice() {
    let world = World::build(empty_cw(), ap(), &devices_job("", &[("name", "field_1")])).await;
    for id in 1542..=1544 {
        put_device(&world, json!({"id": id, "name": format!("ACME-WS-{id}")}));
    }
    // What an interrupted first run left behind: two of three objects, and no state.
    for id in 1542..=1543 {
        put_object(
            &world,
            DEVICES,
            json!({"field_1": format!("ACME-WS-{id}"), "field_20": id.to_string()}),
        );
    }

    let second = world.run(&["run"]).await;
    let writes = world.ap_writes();
    let third = world.run(&["run"]).await;

    assert_eq!(
        second.status,
        ExitStatus::Success,
        "{}{}",
        second.out,
        second.err
    );
    let devices = second
        .out
        .lines()
        .find(|l| l.starts_with("devices"))
        .unwrap();
    let counts: Vec<&str> = devices.split_whitespace().collect();
    assert_eq!((counts[5], counts[7]), ("1", "2"), "{devices}");
    assert_eq!(cw_ids(&world.all(DEVICES)), vec!["1542", "1543", "1544"]);
    assert_eq!(third.status, ExitStatus::Success);
    assert_eq!(world.ap_writes(), writes, "the third run wrote");
}

#[tokio::test]
async fn h25_a_natural_key_adopts_the_existing_object() {
    let job = devices_job(
        "match_keys = [{ target = \"field_20\" }, { target = \"field_10\", source = \"serialNumber\" }]",
        &[("name", "field_1")],
    );
    let world = World::build(empty_cw(), ap(), &job).await;
    put_device(
        &world,
        json!({"id": 1601, "name": "ACME-LT-07", "serialNumber": "5CD1234XYZ"}),
    );
    let object = put_object(
        &world,
        DEVICES,
        json!({"field_1": "LT-07", "field_10": " 5cd1234xyz ", "field_20": ""}),
    );

    let plan = world.run(&["plan"]).await;
    let first = world.run(&["run"]).await;
    let writes = world.ap_writes();
    let second = world.run(&["run"]).await;

    assert!(
        plan.out
            .contains(&format!("record 1601 → object {object} (adopted")),
        "{}",
        plan.out
    );
    assert_eq!(
        first.status,
        ExitStatus::Success,
        "{}{}",
        first.out,
        first.err
    );
    assert_eq!(world.ap_requests(Endpoint::Create), 0);
    let adopted = world.servers.ap.core().object(DEVICES, &object).unwrap();
    assert_eq!(adopted.text("field_20").as_deref(), Some("1601"));
    assert_eq!(adopted.text("field_1").as_deref(), Some("ACME-LT-07"));
    assert_eq!(second.status, ExitStatus::Success);
    assert_eq!(world.ap_writes(), writes);
}

#[tokio::test]
async fn h26_a_record_that_comes_back_is_unarchived_not_created_again() {
    let world = World::build(empty_cw(), ap(), &devices_job("", &[("name", "field_1")])).await;
    put_device(
        &world,
        json!({"id": 1544, "name": "ACME-WS-044", "serialNumber": "5CG1234XZA"}),
    );
    let object = put_object(
        &world,
        DEVICES,
        json!({"field_1": "ACME-WS-044", "field_20": "1544"}),
    );
    world
        .servers
        .ap
        .core()
        .set_archived(DEVICES, &object, true)
        .unwrap();

    let ran = world.run(&["run"]).await;

    assert_eq!(ran.status, ExitStatus::Success, "{}{}", ran.out, ran.err);
    assert_eq!(world.ap_requests(Endpoint::Unarchive), 1);
    assert_eq!(world.ap_requests(Endpoint::Create), 0);
    let all = by_cw_id(&world, DEVICES, "1544");
    assert_eq!(all.len(), 1);
    assert!(!all[0].is_archived);
}

#[tokio::test]
async fn h27_two_runs_at_once_do_not_create_doubles() {
    let cw = FakeConnectWise::builder()
        .seed(27)
        .companies(5)
        .configurations(300);
    let world = World::build(cw, ap(), &devices_job("", &[("name", "field_1")])).await;
    world.patch_config(|t| t.replace("[connectwise]", "[connectwise]\npage_size = 100"));
    let run_a =
        JobLock::try_acquire("devices", &world.dir.path().join("sync.devices.lock")).unwrap();

    let run_b = world.run(&["run"]).await;

    assert_eq!(run_b.status, ExitStatus::Locked);
    assert!(run_b.err.contains("already running"), "{}", run_b.err);
    assert_eq!(world.ap_writes(), 0);
    drop(run_a);
    assert_eq!(world.run(&["run"]).await.status, ExitStatus::Success);
    let ids = cw_ids(&world.all(DEVICES));
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!((ids.len(), unique.len()), (300, 300));
}

#[tokio::test]
async fn h30_a_missing_parent_leaves_the_link_empty_and_the_record_is_written() {
    let job = devices_job("", &[("name", "field_1")])
        + "[[jobs.fields]]\nsource = \"company/id\"\ntarget = \"field_40\"\n\
           link = { group = 139301, field = \"field_20\" }\n";
    let world = World::build(empty_cw(), ap(), &job).await;
    let acme = put_object(
        &world,
        COMPANIES,
        json!({"field_1": "Acme Corp", "field_20": "250"}),
    );
    put_device(
        &world,
        json!({"id": 1700, "name": "ACME-SRV-01", "company": {"id": 99999, "identifier": "GoneLtd", "name": "Gone Ltd"}}),
    );
    put_device(
        &world,
        json!({"id": 1701, "name": "ACME-SRV-02", "company": null}),
    );
    put_device(
        &world,
        json!({"id": 1702, "name": "ACME-SRV-03", "company": {"id": 250, "identifier": "Acme", "name": "Acme Corp"}}),
    );

    let ran = world.run(&["run", "--json"]).await;

    assert_eq!(ran.status, ExitStatus::Success, "{}{}", ran.out, ran.err);
    assert_eq!(cw_ids(&world.all(DEVICES)), vec!["1700", "1701", "1702"]);
    let link = |id: &str| by_cw_id(&world, DEVICES, id)[0].value("field_40").cloned();
    assert!(
        link("1702").is_some_and(|v| v.to_string().contains(&acme)),
        "{:?}",
        link("1702")
    );
    for id in ["1700", "1701"] {
        let value = link(id).unwrap_or_default();
        assert!(value.is_null() || value == "", "{id}: {value}");
    }
    let report: cw_ap_mapping::RunReport = serde_json::from_str(ran.out.trim()).unwrap();
    let warnings = serde_json::to_string(&report.groups[0].warnings).unwrap();
    assert!(
        warnings.contains("1700") && warnings.contains("99999"),
        "{warnings}"
    );
    assert!(warnings.contains("1701"), "{warnings}");
    assert_eq!(report.groups[0].counts.failed, 0);
}

#[tokio::test]
async fn h31_only_synced_objects_missing_at_the_source_are_archived() {
    // TODO: the "object appears while the source is read" half needs a hook in the fake
    // between two pages; the engine's listing order is tested in the mapping crate.
    let world = World::build(empty_cw(), ap(), &devices_job("", &[("name", "field_1")])).await;
    for id in [1542, 1543] {
        put_device(&world, json!({"id": id, "name": format!("WS-{id}")}));
    }
    let mut ids = Vec::new();
    for cw_id in ["1542", "1543", "1544", ""] {
        ids.push(put_object(
            &world,
            DEVICES,
            json!({"field_1": format!("WS-{cw_id}"), "field_20": cw_id}),
        ));
    }

    let ran = world.run(&["run"]).await;

    assert_eq!(ran.status, ExitStatus::Success, "{}{}", ran.out, ran.err);
    assert_eq!(world.ap_requests(Endpoint::Archive), 1);
    let archived: Vec<String> = world
        .all(DEVICES)
        .into_iter()
        .filter(|o| o.is_archived)
        .map(|o| o.id)
        .collect();
    assert_eq!(archived, vec![ids[2].clone()]);
    let by_hand = world.servers.ap.core().object(DEVICES, &ids[3]).unwrap();
    assert_eq!(by_hand.version, 1, "the hand-made object was written to");
}
