//! The engine against in-memory sources and sinks: batches, unknown outcomes, dry runs,
//! watermarks, progress, configuration failures and exit codes.

use std::sync::{Arc, Mutex};

use cw_ap_mapping::{Config, Engine, EngineOptions, ExitCode, FailureKind, GroupStatus, Progress};
use serde_json::{json, Value};

use crate::support::{device, devices, object, oid, Behaviour, Call, MemorySink, MemorySource};

pub(crate) const DEVICES: &str = r#"
[[jobs]]
name = "devices"
entity = "configurations"
target_group = 139300
match_keys = [{ target = "field_20" }]
fields = [{ source = "name", target = "field_1" }, { source = "serialNumber", target = "field_10" }]
"#;

pub(crate) fn config(text: &str) -> Config {
    Config::from_toml_str(text).expect("valid config")
}

pub(crate) fn options() -> EngineOptions {
    EngineOptions {
        stop_date: chrono::NaiveDate::from_ymd_opt(2026, 12, 3),
        ..EngineOptions::default()
    }
}

pub(crate) fn device_object(n: usize, id: i64) -> cw_ap_mapping::TargetObject {
    object(
        &oid(n),
        json!({"field_1": format!("WS-{id}"), "field_10": format!("SN{id}"), "field_20": id.to_string()}),
    )
}

pub(crate) fn ws(id: i64) -> Value {
    device(id, &format!("WS-{id}"), &format!("SN{id}"))
}

pub(crate) fn archived_ids(sink: &MemorySink, group: u64) -> Vec<String> {
    sink.objects_of(group)
        .iter()
        .filter(|o| o.archived)
        .map(|o| o.fields["field_20"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_batch_applied_but_answered_with_an_error_is_not_sent_twice() {
    let sink = Arc::new(MemorySink::new(vec![devices()], vec![]));
    sink.create_script
        .lock()
        .unwrap()
        .push_back(Behaviour::ApplyThenUnknown);
    let source = MemorySource::new(vec![ws(1), ws(2), ws(3)]);
    let report = Engine::new(source, sink.clone())
        .with_options(options())
        .run(&config(DEVICES))
        .await;
    let group = report.group("devices").unwrap();
    assert_eq!((group.counts.created, group.counts.failed), (3, 0));
    for id in ["1", "2", "3"] {
        assert_eq!(sink.count_cw_id(139300, id), 1);
    }
    let creates = sink
        .calls()
        .iter()
        .filter(|c| matches!(c, Call::Create(_)))
        .count();
    assert_eq!(
        creates, 1,
        "the re-read found every object: nothing is sent again"
    );
}

#[tokio::test]
async fn failing_batches_fail_their_records_only() {
    let sink = Arc::new(MemorySink::new(vec![devices()], vec![]));
    sink.create_script.lock().unwrap().extend([
        Behaviour::Normal,
        Behaviour::FailBefore,
        Behaviour::Normal,
    ]);
    let source = MemorySource::new((1..=5).map(ws).collect());
    let opts = EngineOptions {
        batch_size: 2,
        ..options()
    };
    let report = Engine::new(source, sink.clone())
        .with_options(opts)
        .run(&config(DEVICES))
        .await;
    let group = report.group("devices").unwrap();
    assert_eq!(group.status, GroupStatus::Complete);
    assert_eq!((group.counts.created, group.counts.failed), (3, 2));
    let failed: Vec<_> = group
        .errors
        .iter()
        .filter_map(|e| e.record.clone())
        .collect();
    assert_eq!(failed, ["3", "4"]);
    assert_eq!(report.exit_code(), ExitCode::RecordsFailed);
}

#[tokio::test]
async fn dry_run_writes_nothing_and_keeps_the_plan() {
    let sink = Arc::new(MemorySink::new(
        vec![devices()],
        vec![(139300, vec![device_object(1, 7)])],
    ));
    let source = MemorySource::new(vec![ws(1), ws(2)]);
    let opts = EngineOptions {
        dry_run: true,
        ..options()
    };
    let report = Engine::new(source, sink.clone())
        .with_options(opts)
        .run(&config(DEVICES))
        .await;
    assert_eq!(sink.writes(), 0);
    assert!(report.dry_run);
    let group = report.group("devices").unwrap();
    let plan = group.plan.as_ref().expect("plan kept");
    assert_eq!(plan.creates.len(), 2);
    assert_eq!(plan.archives.len(), 1);
    assert_eq!(group.counts.created, 2);
}

#[tokio::test]
async fn a_dry_run_says_the_archive_guard_would_stop_the_group() {
    let objects = (1..=10).map(|n| device_object(n, n as i64)).collect();
    let sink = Arc::new(MemorySink::new(vec![devices()], vec![(139300, objects)]));
    let source = MemorySource::new(vec![ws(1)]);
    let opts = EngineOptions {
        dry_run: true,
        ..options()
    };

    let report = Engine::new(source, sink.clone())
        .with_options(opts)
        .run(&config(DEVICES))
        .await;

    assert_eq!(sink.writes(), 0);
    let group = report.group("devices").unwrap();
    assert_eq!(group.status, GroupStatus::Stopped);
    assert!(
        group
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("archive guard")),
        "{:?}",
        group.reason
    );
    assert_eq!(
        group.counts.archived, 9,
        "the counts show what is held back"
    );
    assert_eq!(report.exit_code(), ExitCode::GuardStopped);
}

#[tokio::test]
async fn watermark_and_incremental_runs() {
    let mut first = ws(1);
    first["_info"]["lastUpdated"] = json!("2024-07-01T00:00:00Z");
    let sink = Arc::new(MemorySink::new(
        vec![devices()],
        vec![(
            139300,
            vec![
                device_object(1, 1),
                device_object(2, 2),
                device_object(3, 3),
            ],
        )],
    ));
    let source = MemorySource::new(vec![first.clone(), ws(2), ws(3)]);
    let report = Engine::new(source, sink.clone())
        .with_options(options())
        .run(&config(DEVICES))
        .await;
    let watermark = report
        .group("devices")
        .unwrap()
        .watermark
        .expect("complete run");
    assert_eq!(watermark.to_rfc3339(), "2024-07-01T00:00:00+00:00");

    // Incremental: only record 1 changed; record 3 was deleted (absent from the id list).
    first["name"] = json!("renamed");
    let source = Arc::new(MemorySource {
        ids: Some(vec![1, 2]),
        ..MemorySource::new(vec![first])
    });
    let mut opts = options();
    opts.since.insert("devices".into(), watermark);
    let text = format!("{DEVICES}archive_guard = {{ enabled = false }}\n");
    let report = Engine::new(source.clone(), sink.clone())
        .with_options(opts)
        .run(&config(&text))
        .await;
    let fetch = source.fetches.lock().unwrap()[0].clone();
    assert_eq!(
        fetch.filter.conditions.as_deref(),
        Some("lastUpdated>=[2024-07-01T00:00:00Z]")
    );
    assert_eq!(fetch.updated_since, Some(watermark));
    let c = report.group("devices").unwrap().counts;
    assert_eq!((c.updated, c.archived, c.created), (1, 1, 0));
    assert_eq!(archived_ids(&sink, 139300), ["3"]);
}

#[tokio::test]
async fn progress_events_arrive_in_order() {
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = events.clone();
    let sink = MemorySink::new(vec![devices()], vec![]);
    let engine = Engine::new(MemorySource::new(vec![ws(1)]), sink)
        .with_options(options())
        .on_progress(move |e| seen.lock().unwrap().push(e.clone()));
    engine.run(&config(DEVICES)).await;
    let events = events.lock().unwrap();
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| match e {
            Progress::GroupStarted { .. } => "started",
            Progress::TargetListed { .. } => "listed",
            Progress::Fetched { .. } => "fetched",
            Progress::Planned { .. } => "planned",
            Progress::Applied { .. } => "applied",
            Progress::GroupFinished { .. } => "finished",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        ["started", "listed", "fetched", "planned", "applied", "finished"]
    );
    assert!(matches!(
        events[4],
        Progress::Applied {
            done: 1,
            total: 1,
            ..
        }
    ));
}

#[tokio::test]
async fn a_job_that_does_not_fit_its_group_is_a_configuration_failure() {
    let sink = Arc::new(MemorySink::new(vec![devices()], vec![]));
    let text = DEVICES.replace("field_10\" }]", "field_999\" }]");
    let report = Engine::new(MemorySource::new(vec![ws(1)]), sink.clone())
        .with_options(options())
        .run(&config(&text))
        .await;
    let group = report.group("devices").unwrap();
    assert_eq!(group.status, GroupStatus::Failed);
    assert_eq!(group.failure, Some(FailureKind::Config));
    assert!(group.reason.as_deref().unwrap().contains("field_999"));
    assert_eq!(sink.writes(), 0);
    assert_eq!(report.exit_code(), ExitCode::Config);
    assert_eq!(report.exit_code().code(), 2);

    let missing = config(&DEVICES.replace("139300", "424242"));
    let report = Engine::new(MemorySource::new(vec![]), sink)
        .run(&missing)
        .await;
    assert_eq!(report.exit_code(), ExitCode::Config);
}

#[tokio::test]
async fn validate_uses_a_sample_record_and_writes_nothing() {
    let sink = Arc::new(MemorySink::new(vec![devices()], vec![]));
    let source = MemorySource::new(vec![json!({"id": 1542, "type": {"name": "Managed"}})]);
    let text = DEVICES.replace("source = \"name\"", "source = \"type/name/value\"");
    let engine = Engine::new(source, sink.clone());
    let results = engine.validate(&config(&text)).await;
    let errors: Vec<String> = results[0].1.errors().map(|p| p.to_string()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("field_1") && errors[0].contains("segment `value`"));
    assert_eq!(sink.writes(), 0);
}

#[test]
fn exit_codes_take_the_highest() {
    assert_eq!(ExitCode::highest([]), ExitCode::Success);
    assert_eq!(
        ExitCode::highest([
            ExitCode::RecordsFailed,
            ExitCode::GroupFailed,
            ExitCode::GuardStopped
        ]),
        ExitCode::GroupFailed
    );
    assert_eq!(ExitCode::Locked.code(), 5);
}

#[tokio::test]
async fn engine_futures_are_send() {
    let sink = Arc::new(MemorySink::new(vec![devices()], vec![]));
    let engine = Arc::new(Engine::new(
        Arc::new(MemorySource::new(vec![ws(1)])),
        sink.clone(),
    ));
    let config = config(DEVICES);
    let report = tokio::spawn(async move { engine.run(&config).await })
        .await
        .unwrap();
    assert_eq!(report.group("devices").unwrap().counts.created, 1);
}
