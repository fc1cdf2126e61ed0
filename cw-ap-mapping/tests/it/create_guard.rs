//! The create guard: a large batch of new objects beside as many objects no record matched
//! (a changed match key) stops the group; growth, first syncs and small batches do not.

use std::sync::Arc;

use cw_ap_mapping::{Engine, EngineOptions, Entity, ExitCode, GroupStatus, Planner, SyncPlan};
use serde_json::json;

use crate::engine::{config, options, ws};
use crate::support::{
    companies, compile, devices, job, object, oid, Call, MemorySink, MemorySource, Routed,
};

/// Objects synced on `field_20` for the ids `1..=synced`, then `hand` objects made by hand.
fn group(synced: usize, hand: usize) -> Vec<cw_ap_mapping::TargetObject> {
    let mut objects: Vec<_> = (1..=synced)
        .map(|n| {
            object(
                &oid(n),
                json!({"field_1": format!("WS-{n}"), "field_20": n.to_string()}),
            )
        })
        .collect();
    objects.extend(
        (1..=hand).map(|n| object(&oid(90_000 + n), json!({"field_1": "hand", "field_20": ""}))),
    );
    objects
}

/// Plans the devices job keyed on `key` (with `extra` settings) for the records
/// `1..=records` against `objects`.
fn plan(
    key: &str,
    extra: &str,
    objects: Vec<cw_ap_mapping::TargetObject>,
    records: usize,
    allow: bool,
) -> SyncPlan {
    let job = job(&format!(
        "name = \"devices\"\nentity = \"configurations\"\ntarget_group = 139300\n\
         match_keys = [{{ target = \"{key}\" }}]\n\
         fields = [{{ source = \"name\", target = \"field_1\" }}]\n{extra}"
    ));
    let compiled = compile(&job, &devices());
    let mut planner = Planner::new(&compiled).override_create_guard(allow);
    for o in objects {
        planner.push_target(o);
    }
    for n in 1..=records {
        planner.push_source(&json!({"id": n, "name": format!("WS-{n}")}));
    }
    let missing = planner.missing_ids();
    planner.confirm_absent(missing);
    planner.finish()
}

fn checked(
    key: &str,
    objects: Vec<cw_ap_mapping::TargetObject>,
    records: usize,
) -> (SyncPlan, cw_ap_mapping::CreateGuardCheck) {
    let job = job(&format!(
        "name = \"devices\"\nentity = \"configurations\"\ntarget_group = 139300\n\
         match_keys = [{{ target = \"{key}\" }}]\n"
    ));
    let compiled = compile(&job, &devices());
    let mut planner = Planner::new(&compiled);
    for o in objects {
        planner.push_target(o);
    }
    for n in 1..=records {
        planner.push_source(&json!({"id": n}));
    }
    planner.finish_with_create_guard()
}

#[test]
fn a_changed_match_key_stops_the_group() {
    let plan = plan("field_52", "", group(3000, 0), 3000, false);

    assert_eq!(plan.creates.len(), 3000);
    assert!(
        !plan.guard.tripped,
        "the archive guard has nothing to archive"
    );
    let reason = plan.stopped.as_deref().expect("stopped");
    assert!(
        reason.starts_with(
            "the create guard stopped the group: 3000 new objects would be created in a group \
             that already holds 3000 objects, and none of them matched a record (the first \
             match key is Site (field_52));"
        ),
        "{reason}"
    );
    assert!(reason.contains("Check `match_keys`"), "{reason}");
    assert!(reason.contains("--allow-mass-create once"), "{reason}");
    assert!(plan.warnings.iter().any(|w| w.message == reason));
    assert!(plan.summary().to_string().contains("STOPPED"));
}

#[test]
fn the_check_beside_the_plan_has_the_counts() {
    let (plan, check) = checked("field_52", group(3000, 0), 3000);

    assert!(plan.stopped.is_some());
    assert!(check.enabled && check.tripped && !check.overridden);
    assert_eq!(
        (check.creates, check.existing, check.matched),
        (3000, 3000, 0)
    );
    assert_eq!(check.max_share, 0.10);

    let (plan, check) = check_unchanged();
    assert!(plan.stopped.is_none());
    assert!(!check.tripped);
    assert_eq!(
        (check.creates, check.existing, check.matched),
        (30, 3000, 3000)
    );
}

fn check_unchanged() -> (SyncPlan, cw_ap_mapping::CreateGuardCheck) {
    checked("field_20", group(3000, 0), 3030)
}

#[test]
fn a_few_new_records_pass() {
    let plan = plan("field_20", "", group(3000, 0), 3030, false);

    assert!(plan.stopped.is_none());
    assert_eq!(plan.creates.len(), 30);
}

#[test]
fn many_records_into_a_few_hand_made_objects_pass() {
    let plan = plan("field_20", "", group(0, 5), 3000, false);

    assert!(plan.stopped.is_none());
    assert_eq!(plan.creates.len(), 3000);
}

#[test]
fn a_first_sync_into_an_empty_group_passes() {
    let plan = plan("field_20", "", vec![], 3000, false);

    assert!(plan.stopped.is_none());
    assert_eq!(plan.creates.len(), 3000);
}

#[test]
fn a_first_sync_resumed_after_a_crash_passes() {
    // Two thirds were created before the crash; every one of them matches its record.
    let plan = plan("field_20", "", group(2000, 0), 3000, false);

    assert!(plan.stopped.is_none());
    assert_eq!((plan.creates.len(), plan.unchanged), (1000, 2000));
}

#[test]
fn archived_objects_are_not_counted() {
    let mut objects = group(3000, 0);
    for o in &mut objects {
        o.archived = true;
    }

    let plan = plan("field_52", "", objects, 3000, false);

    assert!(plan.stopped.is_none());
}

#[test]
fn the_override_lets_the_creates_through() {
    let plan = plan("field_52", "", group(3000, 0), 3000, true);

    assert!(plan.stopped.is_none());
    assert_eq!(plan.creates.len(), 3000);
    let warnings: Vec<&str> = plan.warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(
        warnings,
        [
            "the create guard was overridden for this run: 3000 new objects are created beside \
          3000 objects"
        ],
    );
}

#[test]
fn a_disabled_guard_does_not_stop_the_group() {
    let plan = plan(
        "field_52",
        "create_guard = { enabled = false }",
        group(3000, 0),
        3000,
        false,
    );

    assert!(plan.stopped.is_none());
    assert_eq!(plan.creates.len(), 3000);
}

#[test]
fn the_limit_is_a_share_of_the_group_and_reaching_it_passes() {
    let at = plan("field_20", "", group(0, 3000), 300, false);
    let past = plan("field_20", "", group(0, 3000), 301, false);
    let half = |records| {
        plan(
            "field_20",
            "create_guard = { max_share = 0.5 }",
            group(0, 3000),
            records,
            false,
        )
    };

    assert!(at.stopped.is_none(), "{:?}", at.stopped);
    let reason = past.stopped.as_deref().expect("stopped past the limit");
    assert!(
        reason.ends_with("(limit 10 % of the group, at most 300 new objects)"),
        "{reason}"
    );
    assert!(half(1500).stopped.is_none());
    assert!(half(1501).stopped.is_some());
}

#[test]
fn both_guards_tripping_give_one_reason_naming_both() {
    // The new key holds other values, which look like ConnectWise ids deleted at source.
    let objects = (1..=100)
        .map(|n| {
            object(
                &oid(n),
                json!({"field_1": "x", "field_52": format!("S{n}")}),
            )
        })
        .collect();

    let plan = plan("field_52", "", objects, 100, false);

    assert!(plan.guard.tripped);
    let reason = plan.stopped.as_deref().expect("stopped");
    assert!(
        reason.starts_with("the archive guard stopped the group: 100 of the 100"),
        "{reason}"
    );
    assert!(
        reason.contains("; the create guard stopped the group: 100 new objects"),
        "{reason}"
    );
    let said: Vec<_> = plan
        .warnings
        .iter()
        .filter(|w| w.message == reason)
        .collect();
    assert_eq!((said.len(), plan.warnings.len()), (1, 1));
}

const JOBS: &str = r#"
[[jobs]]
name = "companies"
entity = "companies"
target_group = 139301
match_keys = [{ target = "field_20" }]
fields = [{ source = "name", target = "field_1" }]

[[jobs]]
name = "devices"
entity = "configurations"
target_group = 139300
match_keys = [{ target = "field_52" }]
fields = [{ source = "name", target = "field_1" }]
"#;

/// Devices synced on `field_20`; the job now matches on `field_52`, which holds nothing.
fn setup() -> (Routed, Arc<MemorySink>) {
    let sink = Arc::new(MemorySink::new(
        vec![companies(), devices()],
        vec![(139300, group(50, 0))],
    ));
    let source = Routed(vec![
        (
            Entity::Companies,
            MemorySource::new(vec![json!({"id": 7, "name": "Acme"})]),
        ),
        (
            Entity::Configurations,
            MemorySource::new((1..=50).map(ws).collect()),
        ),
    ]);
    (source, sink)
}

#[tokio::test]
async fn the_engine_stops_the_group_only_and_the_option_lets_it_through() {
    let config = config(JOBS);
    let (source, sink) = setup();

    let report = Engine::new(source, sink.clone())
        .with_options(options())
        .run(&config)
        .await;

    let devices = report.group("devices").unwrap();
    assert_eq!(devices.status, GroupStatus::Stopped);
    let reason = devices.reason.as_deref().unwrap();
    assert!(reason.contains("50 new objects"), "{reason}");
    let check = devices.create_guard.as_ref().expect("the check");
    assert!(check.tripped);
    assert_eq!((check.creates, check.existing), (50, 50));
    assert_eq!(
        report.group("companies").unwrap().status,
        GroupStatus::Complete
    );
    assert_eq!(
        sink.calls(),
        [Call::Create(vec!["7".into()])],
        "devices get no write"
    );
    assert_eq!(sink.objects_of(139300).len(), 50);
    assert_eq!(report.exit_code(), ExitCode::GuardStopped);

    let (source, sink) = setup();
    let report = Engine::new(source, sink.clone())
        .with_options(EngineOptions {
            allow_mass_create: true,
            ..options()
        })
        .run(&config)
        .await;

    let devices = report.group("devices").unwrap();
    assert_eq!(devices.status, GroupStatus::Complete);
    assert_eq!(devices.counts.created, 50);
    assert!(devices.create_guard.as_ref().unwrap().overridden);
    assert_eq!(sink.objects_of(139300).len(), 100);
    assert_eq!(report.exit_code(), ExitCode::Success);
}

#[tokio::test]
async fn a_dry_run_shows_the_trip_and_writes_nothing() {
    let config = config(JOBS);
    let (source, sink) = setup();

    let report = Engine::new(source, sink.clone())
        .with_options(EngineOptions {
            dry_run: true,
            ..options()
        })
        .run(&config)
        .await;

    let devices = report.group("devices").unwrap();
    let plan = devices.plan.as_ref().expect("the plan");
    assert!(plan.stopped.as_deref().unwrap().contains("create guard"));
    assert!(devices.create_guard.as_ref().unwrap().tripped);
    assert!(devices
        .warnings
        .iter()
        .any(|w| w.message.starts_with("the create guard stopped the group")));
    assert!(sink.calls().is_empty());
}
