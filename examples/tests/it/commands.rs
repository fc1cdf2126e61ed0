//! The commands end to end against the fakes: plan, run, validate, history, the guard,
//! incremental runs, locks and configuration errors.

use assetpanda_api::fake::Endpoint;
use connectwise_api::fake::Entity;
use cw_ap_examples::lock::JobLock;
use cw_ap_examples::ExitStatus;
use cw_ap_mapping::RunReport;

use crate::support::{cw_ids, World};

const DEVICES: u64 = 139300;
const COMPANIES: u64 = 139301;

/// Companies not soft-deleted at the source (a deleted one is never created).
fn live_companies(world: &World) -> usize {
    world
        .servers
        .cw
        .records(Entity::Companies)
        .iter()
        .filter(|c| c["deletedFlag"] != serde_json::Value::Bool(true))
        .count()
}

fn report(json: &str) -> RunReport {
    let line = json
        .lines()
        .find(|l| l.starts_with('{'))
        .expect("a JSON line");
    serde_json::from_str(line).expect("a run report")
}

#[tokio::test]
async fn plan_shows_changes_and_writes_nothing() {
    let world = World::demo(1, 10, 60).await;

    let ran = world.run(&["plan", "--detail", "3"]).await;

    assert_eq!(ran.status, ExitStatus::Success, "{}{}", ran.out, ran.err);
    assert_eq!(world.ap_writes(), 0);
    assert!(world.all(DEVICES).is_empty());
    assert!(
        ran.out
            .contains("[devices] Devices (139300), dry run: would create 60, update 0"),
        "{}",
        ran.out
    );
    assert!(ran.out.contains("  create  record "), "{}", ran.out);
    assert!(ran.out.contains("… 57 more changes"), "{}", ran.out);
    assert!(!world.dir.path().join("sync.history.jsonl").exists());
}

#[tokio::test]
async fn plan_json_holds_the_whole_plan() {
    let world = World::demo(2, 5, 30).await;

    let ran = world.run(&["plan", "--json", "--job", "devices"]).await;
    let report: RunReport = serde_json::from_str(&ran.out).unwrap();

    let plan = report.groups[0].plan.as_ref().expect("a plan");
    assert_eq!(plan.creates.len(), 30);
    assert_eq!(report.groups.len(), 1);
    assert_eq!(world.ap_writes(), 0);
}

#[tokio::test]
async fn a_second_run_writes_nothing_and_history_records_both() {
    let world = World::demo(3, 12, 80).await;

    let first = world.run(&["run"]).await;
    let after_first = world.ap_writes();
    let second = world.run(&["run", "--json"]).await;
    let history = world.run(&["history"]).await;

    assert_eq!(
        first.status,
        ExitStatus::Success,
        "{}{}",
        first.out,
        first.err
    );
    assert!(after_first > 0);
    assert_eq!(world.ap_writes(), after_first, "the second run wrote");
    let second = report(&second.out);
    assert!(second
        .groups
        .iter()
        .all(|g| g.counts.created + g.counts.updated == 0));
    assert_eq!(world.live(DEVICES).len(), 80);
    assert_eq!(world.live(COMPANIES).len(), live_companies(&world));
    let rows: Vec<&str> = history.out.lines().collect();
    assert_eq!(rows.len(), 5, "{}", history.out);
    assert!(rows[1].contains("companies") && rows[2].contains("devices"));
    assert!(rows[4].contains("devices"));
}

#[tokio::test]
async fn a_configuration_error_exits_2_and_names_the_problem() {
    let world = World::demo(4, 3, 10).await;
    let text = std::fs::read_to_string(&world.config).unwrap();

    world.write_config(&text.replace("target = \"field_144\"", "target = \"field_999\""));
    let bad_field = world.run(&["run", "--job", "devices"]).await;
    let validated = world.run(&["validate", "--job", "devices"]).await;
    world.write_config(&text.replace("[assetpanda]", "[assetpanda]\npasword = \"x\""));
    let bad_key = world.run(&["run"]).await;
    let no_job = {
        world.write_config(&text);
        world.run(&["run", "--job", "tickets"]).await
    };

    assert_eq!(bad_field.status, ExitStatus::ConfigError);
    assert!(bad_field.out.contains("field_999"), "{}", bad_field.out);
    assert!(bad_field.out.contains("[devices]"), "{}", bad_field.out);
    // The devices job is the second of the file: its problems say so, run alone or not.
    assert!(
        bad_field.out.contains("jobs[1].fields["),
        "{}",
        bad_field.out
    );
    assert_eq!(
        validated.status,
        ExitStatus::ConfigError,
        "{}",
        validated.out
    );
    assert!(
        validated.out.contains("jobs[1].fields["),
        "{}",
        validated.out
    );
    assert!(!validated.out.contains("jobs[0]"), "{}", validated.out);
    assert!(
        !bad_field.out.contains("] error:") && !bad_field.out.contains(": error: jobs"),
        "the severity is said once:\n{}",
        bad_field.out
    );
    assert_eq!(bad_key.status, ExitStatus::ConfigError);
    assert!(bad_key.err.contains("pasword"), "{}", bad_key.err);
    assert_eq!(no_job.status, ExitStatus::ConfigError);
    assert!(no_job.err.contains("no job `tickets`"), "{}", no_job.err);
    assert_eq!(world.ap_writes(), 0);
}

#[tokio::test]
async fn missing_credentials_exit_2_naming_the_variable() {
    let world = World::demo(5, 3, 10).await;
    let mut env = world.env();
    env.remove("CW_PRIVATE_KEY");

    let ran = world.run_with_env(&["run"], &env).await;

    assert_eq!(ran.status, ExitStatus::ConfigError);
    assert!(ran.err.contains("CW_PRIVATE_KEY"), "{}", ran.err);
    assert_eq!(world.ap_writes(), 0);
}

#[tokio::test]
async fn h32_a_tripped_archive_guard_exits_3_and_writes_nothing_to_the_group() {
    let world = World::demo(6, 5, 100).await;
    assert_eq!(world.run(&["run"]).await.status, ExitStatus::Success);
    let core = world.servers.ap.core();
    let by_hand: Vec<String> = (0..40)
        .map(|n| {
            let fields = serde_json::json!({"field_1": format!("BY-HAND-{n}"), "field_20": ""});
            core.insert_object(DEVICES, fields).unwrap().id
        })
        .collect();
    let writes = world.ap_writes();
    let records = world.servers.cw.records(Entity::Configurations);
    for record in records.iter().take(30) {
        world
            .servers
            .cw
            .remove(Entity::Configurations, record["id"].as_i64().unwrap());
    }
    let renamed = records[50]["id"].as_i64().unwrap();
    world
        .servers
        .cw
        .update(Entity::Configurations, renamed, |r| {
            r.insert("name".into(), "RENAMED".into());
        });

    let stopped = world.run(&["run", "--job", "devices"]).await;

    assert_eq!(
        stopped.status,
        ExitStatus::GuardStopped,
        "{}{}",
        stopped.out,
        stopped.err
    );
    assert_eq!(
        world.ap_writes(),
        writes,
        "the stopped group was written to"
    );
    assert_eq!(world.ap_requests(Endpoint::Archive), 0);
    assert_eq!(world.live(DEVICES).len(), 140);
    assert!(stopped.out.contains("stopped"), "{}", stopped.out);
    assert!(stopped.out.contains("30"), "{}", stopped.out);

    let forced = world
        .run(&["run", "--job", "devices", "--allow-mass-archive"])
        .await;

    assert!(
        forced
            .out
            .contains("the archive guard was overridden for this run"),
        "{}",
        forced.out
    );
    assert_eq!(
        forced.status,
        ExitStatus::Success,
        "{}{}",
        forced.out,
        forced.err
    );
    assert_eq!(world.live(DEVICES).len(), 110);
    for id in &by_hand {
        assert!(!core.object(DEVICES, id).unwrap().is_archived);
    }
    let renamed = crate::support::by_cw_id(&world, DEVICES, &renamed.to_string());
    assert_eq!(renamed[0].text("field_1").as_deref(), Some("RENAMED"));
}

#[tokio::test]
async fn a_changed_match_key_trips_the_create_guard_exits_3_and_writes_nothing_to_the_group() {
    let world = World::demo(24, 3, 60).await;
    assert_eq!(world.run(&["run"]).await.status, ExitStatus::Success);
    let writes = world.ap_writes();
    let keys = concat!(
        "match_keys = [{ target = \"field_20\" }, ",
        "{ target = \"field_10\", source = \"serialNumber\" }]"
    );
    world.patch_config(|text| {
        assert!(text.contains(keys), "{text}");
        text.replace(keys, "match_keys = [{ target = \"field_12\" }]")
    });

    let planned = world.run(&["plan", "--job", "devices", "--json"]).await;
    let previewed = world
        .run(&["plan", "--job", "devices", "--allow-mass-create"])
        .await;
    let stopped = world.run(&["run", "--job", "devices"]).await;

    assert_eq!(
        previewed.status,
        ExitStatus::Success,
        "{}{}",
        previewed.out,
        previewed.err
    );
    assert!(
        previewed.out.contains("would create 60"),
        "{}",
        previewed.out
    );

    assert_eq!(planned.status, ExitStatus::GuardStopped, "{}", planned.err);
    let mut planned: RunReport = serde_json::from_str(&planned.out).expect("a plan as JSON");
    let plan = planned.groups.remove(0);
    assert!(plan.create_guard.as_ref().is_some_and(|c| c.tripped));
    let reason = plan.plan.and_then(|p| p.stopped).unwrap_or_default();
    assert!(
        reason.starts_with("the create guard stopped the group: 60 new"),
        "{reason}"
    );
    assert_eq!(
        stopped.status,
        ExitStatus::GuardStopped,
        "{}{}",
        stopped.out,
        stopped.err
    );
    assert_eq!(
        world.ap_writes(),
        writes,
        "the stopped group was written to"
    );
    assert_eq!(world.live(DEVICES).len(), 60);
    assert!(
        stopped
            .out
            .contains("60 new objects would be created in a group that already holds 60"),
        "{}",
        stopped.out
    );
    assert!(
        stopped.out.contains("--allow-mass-create"),
        "{}",
        stopped.out
    );

    let forced = world
        .run(&["run", "--job", "devices", "--allow-mass-create"])
        .await;

    assert!(
        forced
            .out
            .contains("the create guard was overridden for this run: 60 new objects"),
        "{}",
        forced.out
    );
    assert_eq!(
        forced.status,
        ExitStatus::Success,
        "{}{}",
        forced.out,
        forced.err
    );
    assert_eq!(
        world.live(DEVICES).len(),
        120,
        "the duplicates the guard held back"
    );
}

#[tokio::test]
async fn incremental_fetches_only_changed_records_and_still_archives_deleted_ones() {
    let world = World::demo(7, 5, 200).await;
    assert_eq!(world.run(&["run"]).await.status, ExitStatus::Success);
    let devices = world.servers.cw.records(Entity::Configurations);
    let ids: Vec<i64> = devices.iter().map(|d| d["id"].as_i64().unwrap()).collect();
    for id in &ids[..3] {
        world.servers.cw.update(Entity::Configurations, *id, |r| {
            r.insert("name".into(), format!("EDITED-{id}").into());
        });
    }
    for id in &ids[10..12] {
        world.servers.cw.remove(Entity::Configurations, *id);
    }
    let bytes_before = world.servers.cw.counters().bytes_sent;

    let ran = world
        .run(&["run", "--incremental", "--job", "devices", "--json"])
        .await;

    assert_eq!(ran.status, ExitStatus::Success, "{}{}", ran.out, ran.err);
    let group = report(&ran.out).groups.remove(0);
    assert!(
        group.counts.fetched >= 3 && group.counts.fetched <= 5,
        "{:?}",
        group.counts
    );
    assert_eq!(group.counts.updated, 3);
    assert_eq!(group.counts.archived, 2);
    let incremental_bytes = world.servers.cw.counters().bytes_sent - bytes_before;
    let full_before = world.servers.cw.counters().bytes_sent;
    assert_eq!(
        world.run(&["run", "--job", "devices"]).await.status,
        ExitStatus::Success
    );
    let full_bytes = world.servers.cw.counters().bytes_sent - full_before;
    assert!(
        incremental_bytes * 4 < full_bytes,
        "{incremental_bytes} vs {full_bytes}"
    );
    let state = std::fs::read_to_string(world.dir.path().join("sync.devices.state.json")).unwrap();
    assert!(state.contains("watermarks"), "{state}");
}

#[tokio::test]
async fn a_job_whose_lock_is_held_is_skipped_with_exit_5() {
    let world = World::demo(8, 4, 30).await;
    let lock_path = world.dir.path().join("sync.devices.lock");
    let held = JobLock::try_acquire("devices", &lock_path).unwrap();

    let ran = world.run(&["run"]).await;

    assert_eq!(ran.status, ExitStatus::Locked);
    assert!(ran.err.contains("already running"), "{}", ran.err);
    assert!(
        ran.out
            .contains("Skipped, another run holds the lock: devices"),
        "{}",
        ran.out
    );
    assert!(ran.out.contains("exit 5"), "{}", ran.out);
    assert!(world.all(DEVICES).is_empty());
    assert_eq!(world.live(COMPANIES).len(), live_companies(&world));
    drop(held);
    assert_eq!(world.run(&["run"]).await.status, ExitStatus::Success);
    assert_eq!(world.live(DEVICES).len(), 30);
}

#[tokio::test]
async fn an_unreachable_side_gives_4_in_validate_as_in_test_connection() {
    let world = World::demo(9, 2, 4).await;
    let live = world.servers.ap.uri().to_owned();
    // NB: port 1 on loopback refuses connections at once.
    world.patch_config(|text| text.replace(&live, "http://127.0.0.1:1"));

    let validate = world.run(&["validate"]).await;
    let connect = world.run(&["test-connection"]).await;

    assert_eq!(validate.status, ExitStatus::GroupFailed, "{}", validate.err);
    assert_eq!(connect.status, ExitStatus::GroupFailed, "{}", connect.err);
    assert!(validate.err.contains("Asset Panda"), "{}", validate.err);
    assert_eq!(world.ap_writes(), 0);
}

#[tokio::test]
async fn validate_test_connection_and_discover_read_without_writing() {
    let world = World::demo(9, 4, 20).await;

    let validate = world.run(&["validate"]).await;
    let connect = world.run(&["test-connection"]).await;
    let discover = world.run(&["discover", "--group", "Devices"]).await;

    assert_eq!(validate.status, ExitStatus::Success, "{}", validate.out);
    assert!(validate.out.contains("[devices] OK"), "{}", validate.out);
    assert_eq!(connect.status, ExitStatus::Success, "{}", connect.out);
    assert!(connect.out.contains("ConnectWise: OK"), "{}", connect.out);
    assert!(connect.out.contains("Asset Panda: OK"), "{}", connect.out);
    assert!(
        connect.out.contains("date format MM/DD/YYYY"),
        "{}",
        connect.out
    );
    assert_eq!(discover.status, ExitStatus::Success, "{}", discover.err);
    let serial = discover
        .out
        .lines()
        .find(|l| l.trim_start().starts_with("field_10 "));
    assert!(
        serial.is_some_and(|l| l.contains("Serial Number")),
        "{}",
        discover.out
    );
    assert!(discover.out.contains("serialNumber"), "{}", discover.out);
    assert_eq!(world.ap_writes(), 0);
    assert_eq!(cw_ids(&world.all(DEVICES)), Vec::<String>::new());
}

#[tokio::test]
async fn init_writes_a_configuration_and_refuses_to_overwrite_it() {
    let world = World::demo(10, 1, 1).await;
    let path = world.dir.path().join("new.toml");
    let target = path.display().to_string();

    let first = world
        .run(&["init", "--output", &target, "--devices-group", "139300"])
        .await;
    let again = world.run(&["init", "--output", &target]).await;
    let elsewhere = world.dir.path().join("other.toml").display().to_string();
    let missing = world
        .run(&["init", "--output", &elsewhere, "--devices-group", "999999"])
        .await;

    assert_eq!(missing.status, ExitStatus::ConfigError, "{}", missing.err);
    assert!(
        missing.err.contains("no group has id 999999"),
        "{}",
        missing.err
    );
    assert_eq!(first.status, ExitStatus::Success, "{}", first.err);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("GUESS, confirm: Serial Number (serialNumber)"),
        "{text}"
    );
    assert!(cw_ap_examples::config::parse(&path, &text).is_ok());
    assert_eq!(again.status, ExitStatus::ConfigError);
    assert!(again.err.contains("--force"), "{}", again.err);
}

#[tokio::test]
async fn the_account_date_format_is_read_once_per_run_not_once_per_job() {
    let world = World::demo(4, 3, 20).await;

    let ran = world.run(&["run"]).await;

    assert_eq!(ran.status, ExitStatus::Success, "{}{}", ran.out, ran.err);
    let settings = world.ap_requests(Endpoint::Settings);
    assert!(settings <= 2, "{settings} settings reads for two jobs");
}

#[tokio::test]
async fn a_group_or_job_that_does_not_exist_is_a_usage_error_naming_the_real_ones() {
    let world = World::demo(5, 3, 10).await;

    let discover = world.run(&["discover", "--group", "Devicez"]).await;
    let by_id = world.run(&["discover", "--group", "999999"]).await;
    let history = world.run(&["history", "--job", "devicez"]).await;

    assert_eq!(by_id.status, ExitStatus::ConfigError, "{}", by_id.err);
    assert!(
        by_id.err.contains("no group has id 999999"),
        "{}",
        by_id.err
    );
    assert!(by_id.err.contains("Devices (139300)"), "{}", by_id.err);

    assert_eq!(discover.status, ExitStatus::ConfigError, "{}", discover.err);
    assert!(discover.err.contains("Devicez"), "{}", discover.err);
    assert!(
        discover.err.contains("did you mean `Devices`"),
        "{}",
        discover.err
    );
    assert_eq!(history.status, ExitStatus::ConfigError, "{}", history.err);
    assert!(
        history.err.contains("did you mean `devices`"),
        "{}",
        history.err
    );
    assert_eq!(world.ap_writes(), 0);
}

#[tokio::test]
async fn validate_names_a_filter_status_no_record_has_and_the_nearest_one() {
    let world = World::demo(6, 3, 20).await;
    world.patch_config(|text| {
        let entity = "entity = \"configurations\"\n";
        assert!(text.contains(entity), "{text}");
        text.replacen(
            entity,
            &format!("{entity}filter = {{ status = [\"Actve\"] }}\n"),
            1,
        )
    });

    let validated = world.run(&["validate"]).await;

    assert_eq!(validated.status, ExitStatus::Success, "{}", validated.out);
    assert!(
        validated
            .out
            .contains("filter.status: no record of the first")
            && validated.out.contains("status `Actve`")
            && validated.out.contains("did you mean `Active`?"),
        "{}",
        validated.out
    );
    assert_eq!(world.ap_writes(), 0);
}
