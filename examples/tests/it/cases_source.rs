//! [SYNC] field cases about reading ConnectWise: rejected and broken listings, unset and
//! unreachable values, filters, and records that left the filter.

use assetpanda_api::fake::{Endpoint, FakeAssetPanda, GroupSpec};
use connectwise_api::fake::{Entity, FakeConnectWise, Fault, FaultPlan};
use cw_ap_examples::ExitStatus;
use cw_ap_mapping::{RenderedFilter, Source, SourceErrorKind};
use futures::StreamExt;
use serde_json::json;

use crate::support::{by_cw_id, devices_job, World};

const DEVICES: u64 = 139300;

fn ap() -> assetpanda_api::fake::FakeAssetPandaBuilder {
    FakeAssetPanda::builder()
        .group(GroupSpec::companies())
        .group(GroupSpec::devices())
}

fn empty_cw() -> connectwise_api::fake::FakeConnectWiseBuilder {
    FakeConnectWise::builder().seed(1)
}

fn put_device(world: &World, record: serde_json::Value) {
    world.servers.cw.insert(Entity::Configurations, record);
}

fn put_object(world: &World, fields: serde_json::Value) -> String {
    world
        .servers
        .ap
        .core()
        .insert_object(DEVICES, fields)
        .expect("object stored")
        .id
}

/// A world whose devices job maps the name alone, reading from `cw`.
async fn names_only(cw: connectwise_api::fake::FakeConnectWiseBuilder) -> World {
    World::build(cw, ap(), &devices_job("", &[("name", "field_1")])).await
}

/// Stores a device object `WS-<id>` with CW ID `<id>` for each id.
fn put_workstations(world: &World, ids: std::ops::RangeInclusive<u32>) {
    for id in ids {
        put_object(
            world,
            json!({"field_1": format!("WS-{id}"), "field_20": id.to_string()}),
        );
    }
}

#[tokio::test]
async fn h04_rejected_page_size_fails_the_group_and_writes_nothing() {
    let cw = FakeConnectWise::builder()
        .seed(4)
        .companies(2)
        .configurations(30)
        .max_page_size(100);
    let world = names_only(cw).await;

    let ran = world.run(&["run"]).await;

    assert_eq!(
        ran.status,
        ExitStatus::GroupFailed,
        "{}{}",
        ran.out,
        ran.err
    );
    assert!(ran.out.contains("failed"), "{}", ran.out);
    assert!(ran.out.contains("pageSize"), "{}", ran.out);
    assert_eq!(world.ap_writes(), 0);
    assert_eq!(world.ap_requests(Endpoint::Archive), 0);
}

#[tokio::test]
async fn h09_unset_source_values_clear_the_target_unless_kept() {
    let fields = [
        ("name", "field_1"),
        ("serialNumber", "field_10"),
        ("ipAddress", "field_41"),
    ];
    let world = World::build(empty_cw(), ap(), &devices_job("", &fields)).await;
    put_device(
        &world,
        json!({"id": 1542, "name": "ACME-WS-017", "serialNumber": "5CG1234XYZ"}),
    );
    put_device(
        &world,
        json!({"id": 1543, "name": "ACME-WS-018", "serialNumber": "5CG1234XZZ", "ipAddress": null}),
    );
    for (id, name, serial) in [
        ("1542", "ACME-WS-017", "5CG1234XYZ"),
        ("1543", "ACME-WS-018", "5CG1234XZZ"),
    ] {
        put_object(
            &world,
            json!({"field_1": name, "field_10": serial, "field_20": id, "field_41": "10.0.0.17"}),
        );
    }

    let ran = world.run(&["run", "--json"]).await;

    assert_eq!(ran.status, ExitStatus::Success, "{}{}", ran.out, ran.err);
    for id in ["1542", "1543"] {
        let object = &by_cw_id(&world, DEVICES, id)[0];
        assert_eq!(object.text("field_41"), None, "{id} kept its IP address");
        assert_eq!(
            object.text("field_10").as_deref(),
            Some(&*format!(
                "5CG1234X{}",
                if id == "1542" { "YZ" } else { "ZZ" }
            ))
        );
    }
    assert_eq!(world.ap_requests(Endpoint::Create), 0);
}

#[tokio::test]
async fn h09_on_unset_keep_leaves_the_field_and_counts_unchanged() {
    let job = devices_job("", &[("name", "field_1")])
        + "[[jobs.fields]]\nsource = \"ipAddress\"\ntarget = \"field_41\"\non_unset = \"keep\"\n";
    let world = World::build(empty_cw(), ap(), &job).await;
    put_device(&world, json!({"id": 1542, "name": "ACME-WS-017"}));
    put_object(
        &world,
        json!({"field_1": "ACME-WS-017", "field_20": "1542", "field_41": "10.0.0.17"}),
    );

    let ran = world.run(&["run", "--json"]).await;

    assert_eq!(ran.status, ExitStatus::Success, "{}{}", ran.out, ran.err);
    assert_eq!(world.ap_writes(), 0);
    let object = &by_cw_id(&world, DEVICES, "1542")[0];
    assert_eq!(object.text("field_41").as_deref(), Some("10.0.0.17"));
    assert!(ran.out.contains("\"unchanged\":1"), "{}", ran.out);
}

#[tokio::test]
async fn h10_path_into_a_scalar_fails_one_field_and_the_record_is_still_written() {
    let fields = [
        ("name", "field_1"),
        ("type/name/value", "field_50"),
        ("company/identifier", "field_51"),
        ("site/name", "field_52"),
    ];
    let world = World::build(empty_cw(), ap(), &devices_job("", &fields)).await;
    put_device(
        &world,
        json!({"id": 1542, "name": "ACME-WS-017", "type": {"id": 12, "name": "Managed Workstation"},
               "company": {"id": 250, "identifier": "Acme", "name": "Acme Corp"}}),
    );

    let validate = world.run(&["validate"]).await;
    let writes_after_validate = world.ap_writes();
    let ran = world.run(&["run"]).await;

    assert!(
        validate.out.contains("field_50") || validate.out.contains("type/name/value"),
        "{}",
        validate.out
    );
    assert_eq!(writes_after_validate, 0);
    assert_eq!(
        ran.status,
        ExitStatus::RecordsFailed,
        "{}{}",
        ran.out,
        ran.err
    );
    let error_lines: Vec<&str> = ran.out.lines().filter(|l| l.contains("error:")).collect();
    assert_eq!(error_lines.len(), 1, "{}", ran.out);
    assert!(
        error_lines[0].contains("1542") && error_lines[0].contains("field_50"),
        "{}",
        ran.out
    );
    let object = &by_cw_id(&world, DEVICES, "1542")[0];
    assert_eq!(object.text("field_51").as_deref(), Some("Acme"));
    assert_eq!(object.text("field_52"), None);
    assert!(object.text("field_50").is_none());
}

#[tokio::test]
async fn h13_empty_body_on_every_attempt_fails_the_group_with_no_writes() {
    // Requests 1 and 2 are the credential check; 3 to 8 are the listing and its 5 retries.
    let faults = FaultPlan::new(13).on_requests(3..=8, Fault::EmptyBody);
    let cw = FakeConnectWise::builder()
        .seed(13)
        .companies(2)
        .configurations(10)
        .faults(faults);
    let world = names_only(cw).await;

    let ran = world.run(&["run"]).await;

    assert_eq!(
        ran.status,
        ExitStatus::GroupFailed,
        "{}{}",
        ran.out,
        ran.err
    );
    assert!(ran.out.contains("empty or cut-off body"), "{}", ran.out);
    assert_eq!(world.ap_writes(), 0);
}

#[tokio::test]
async fn h23_filters_go_out_as_written_and_a_bad_condition_is_a_bad_request() {
    let world = names_only(FakeConnectWise::builder().seed(23).companies(40)).await;
    let endpoints = cw_ap_examples::sync::connect(
        &cw_ap_examples::config::load(&world.config).unwrap(),
        &world.env(),
    )
    .unwrap();
    let request = |conditions: &str| cw_ap_mapping::FetchRequest {
        job: "companies".into(),
        entity: cw_ap_mapping::Entity::Companies,
        filter: RenderedFilter {
            conditions: Some(conditions.to_owned()),
            ..RenderedFilter::default()
        },
        fields: vec![
            "id".into(),
            "name".into(),
            "status/name".into(),
            "_info/lastUpdated".into(),
        ],
        updated_since: None,
    };

    let good = request("status/name=\"Active\" AND deletedFlag=false");
    let rows: Vec<_> = endpoints.source.fetch(&good).collect().await;
    let bad = request("typeids=\"1\" and (");
    let failed: Vec<_> = endpoints.source.fetch(&bad).collect().await;

    let expected = world
        .servers
        .cw
        .records(Entity::Companies)
        .iter()
        .filter(|c| c["status"]["name"] == "Active" && c["deletedFlag"] == false)
        .count();
    assert_eq!(rows.len(), expected);
    assert!(rows
        .iter()
        .all(|r| r.as_ref().is_ok_and(|v| v["status"]["name"] == "Active")));
    assert_eq!(failed.len(), 1);
    let error = failed[0].as_ref().unwrap_err();
    assert_eq!(error.kind, SourceErrorKind::BadRequest, "{error:?}");
    assert!(
        error.describe().contains("status 400"),
        "{}",
        error.describe()
    );
}

#[tokio::test]
async fn h29_a_listing_that_breaks_part_way_keeps_what_it_read_and_archives_nothing() {
    // Page size 25: requests 3 to 10 are pages 1 to 8, request 11 the 9th page (and its
    // retries after it).
    let faults = FaultPlan::new(29).on_requests(11..=20, Fault::ServerError);
    let cw = FakeConnectWise::builder()
        .seed(29)
        .companies(3)
        .configurations(250)
        .faults(faults);
    let world = names_only(cw).await;
    // NB: one id range, so that request numbers follow pages.
    world.patch_config(|t| {
        t.replace(
            "[connectwise]",
            "[sync]\nread_concurrency = 1\n\n[connectwise]\npage_size = 25",
        )
    });
    for n in 0..30 {
        put_object(
            &world,
            json!({"field_1": format!("GONE-{n}"), "field_20": format!("{}", 900_000 + n)}),
        );
    }

    let ran = world.run(&["run"]).await;

    assert_eq!(
        ran.status,
        ExitStatus::GroupFailed,
        "{}{}",
        ran.out,
        ran.err
    );
    assert!(ran.out.contains("incomplete"), "{}", ran.out);
    assert!(ran.out.contains("request 9 after id"), "{}", ran.out);
    assert_eq!(world.ap_requests(Endpoint::Archive), 0);
    assert_eq!(world.live(DEVICES).len(), 30 + 200);
}

#[tokio::test]
async fn h29_a_listing_read_in_id_ranges_that_breaks_in_one_range_archives_nothing() {
    // Page size 25, 4 ranges: the first page, the largest id, then the ranges' pages in
    // any order; from request 6 on, every request fails, so at least one range breaks.
    let faults = FaultPlan::new(29).on_requests(6..=400, Fault::ServerError);
    let cw = FakeConnectWise::builder()
        .seed(29)
        .companies(3)
        .configurations(250)
        .faults(faults);
    let world = names_only(cw).await;
    world.patch_config(|t| {
        t.replace(
            "[connectwise]",
            "[sync]\nread_concurrency = 4\n\n[connectwise]\npage_size = 25",
        )
    });
    for n in 0..30 {
        put_object(
            &world,
            json!({"field_1": format!("GONE-{n}"), "field_20": format!("{}", 900_000 + n)}),
        );
    }

    let ran = world.run(&["run"]).await;

    assert_eq!(
        ran.status,
        ExitStatus::GroupFailed,
        "{}{}",
        ran.out,
        ran.err
    );
    assert!(ran.out.contains("incomplete"), "{}", ran.out);
    assert!(ran.out.contains("of 4 id ranges"), "{}", ran.out);
    assert_eq!(world.ap_requests(Endpoint::Archive), 0);
    assert!(
        world.live(DEVICES).len() >= 30 + 25,
        "the first page at least was synced"
    );
}

#[tokio::test]
async fn h33_missing_from_the_filter_is_not_deleted() {
    let job = devices_job("filter = { status = [\"Active\"] }", &[("name", "field_1")]);
    let world = World::build(empty_cw(), ap(), &job).await;
    let active = json!({"id": 2, "name": "Active"});
    put_device(
        &world,
        json!({"id": 1542, "name": "ACME-WS-017", "status": active}),
    );
    put_device(
        &world,
        json!({"id": 1543, "name": "ACME-WS-018", "status": {"id": 3, "name": "Inactive"}}),
    );
    put_workstations(&world, 1542..=1545);

    let ran = world.run(&["run"]).await;

    assert_eq!(ran.status, ExitStatus::Success, "{}{}", ran.out, ran.err);
    let archived: Vec<String> = world
        .all(DEVICES)
        .into_iter()
        .filter(|o| o.is_archived)
        .filter_map(|o| o.text("field_20"))
        .collect();
    assert_eq!(archived, vec!["1544".to_string(), "1545".to_string()]);
    assert!(
        ran.out.contains("1543") && ran.out.contains("out of scope"),
        "{}",
        ran.out
    );
}

#[tokio::test]
async fn h33_a_soft_deleted_company_is_archived() {
    let job = "[[jobs]]\nname = \"companies\"\nentity = \"companies\"\ntarget_group = 139301\n\
               match_keys = [{ target = \"field_20\" }]\narchive_guard = { enabled = false }\n\
               [[jobs.fields]]\nsource = \"name\"\ntarget = \"field_1\"\n";
    let world = World::build(empty_cw(), ap(), job).await;
    world.servers.cw.insert(
        Entity::Companies,
        json!({"id": 260, "identifier": "OldCo", "name": "Old Co", "deletedFlag": true}),
    );
    world.servers.cw.insert(
        Entity::Companies,
        json!({"id": 250, "identifier": "Acme", "name": "Acme Corp", "deletedFlag": false}),
    );
    for (id, name) in [("260", "Old Co"), ("250", "Acme Corp")] {
        world
            .servers
            .ap
            .core()
            .insert_object(139301, json!({"field_1": name, "field_20": id}))
            .unwrap();
    }

    let ran = world.run(&["run"]).await;

    assert_eq!(ran.status, ExitStatus::Success, "{}{}", ran.out, ran.err);
    assert!(by_cw_id(&world, 139301, "260")[0].is_archived);
    assert!(!by_cw_id(&world, 139301, "250")[0].is_archived);
}

#[tokio::test]
async fn h33_a_failed_re_read_archives_nothing_and_reports_the_records_unverified() {
    // Requests 1 and 2 check the credentials, 3 is the one-page listing, 4 to 9 the re-read
    // of the missing records and its retries.
    let faults = FaultPlan::new(33).on_requests(4..=9, Fault::ServiceUnavailable);
    let job = devices_job("filter = { status = [\"Active\"] }", &[("name", "field_1")]);
    let world = World::build(empty_cw().faults(faults), ap(), &job).await;
    put_device(
        &world,
        json!({"id": 1542, "name": "ACME-WS-017", "status": {"id": 2, "name": "Active"}}),
    );
    put_workstations(&world, 1542..=1545);

    let ran = world.run(&["run", "--json"]).await;

    assert_eq!(
        world.ap_requests(Endpoint::Archive),
        0,
        "{}{}",
        ran.out,
        ran.err
    );
    assert!(world.all(DEVICES).iter().all(|o| !o.is_archived));
    let report: cw_ap_mapping::RunReport = serde_json::from_str(ran.out.trim()).unwrap();
    let warnings = serde_json::to_string(&report.groups[0].warnings).unwrap();
    for id in ["1543", "1544", "1545"] {
        assert!(warnings.contains(id), "{id} not reported: {warnings}");
    }
    assert_eq!(
        report.groups[0].counts.unverified, 3,
        "{:?}",
        report.groups[0].counts
    );
}
