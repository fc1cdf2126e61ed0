//! The [SYNC] field cases that concern the engine, against in-memory sources and sinks.

use std::sync::Arc;

use cw_ap_mapping::{Engine, EngineOptions, Entity, ExitCode, FailureKind, GroupStatus};
use serde_json::{json, Value};

use crate::engine::{archived_ids, config, device_object, options, ws, DEVICES};
use crate::support::{
    companies, device, devices, object, oid, tickets, Behaviour, Call, MemorySink, MemorySource,
    Routed,
};

#[tokio::test]
async fn h24_rerun_after_interruption_creates_nothing_twice() {
    let sink = Arc::new(MemorySink::new(vec![devices()], vec![]));
    sink.create_script.lock().unwrap().extend([
        Behaviour::Normal,
        Behaviour::Normal,
        Behaviour::Hang,
    ]);
    let source = Arc::new(MemorySource::new(vec![ws(1542), ws(1543), ws(1544)]));
    let config = config(DEVICES);
    let opts = EngineOptions {
        batch_size: 1,
        ..options()
    };

    // Run 1 is killed while its third write hangs.
    {
        let engine = Engine::new(source.clone(), sink.clone()).with_options(opts.clone());
        let hung = sink.hung.clone();
        tokio::select! {
            _ = engine.run(&config) => panic!("run 1 should hang on its third write"),
            _ = hung.notified() => {}
        }
    }
    assert_eq!(sink.objects_of(139300).len(), 2);

    let engine = Engine::new(source.clone(), sink.clone()).with_options(opts.clone());
    let report = engine.run(&config).await;
    let group = report.group("devices").unwrap();
    assert_eq!(group.status, GroupStatus::Complete);
    assert_eq!((group.counts.created, group.counts.unchanged), (1, 2));
    for id in ["1542", "1543", "1544"] {
        assert_eq!(sink.count_cw_id(139300, id), 1, "{id}");
    }
    assert_eq!(sink.objects_of(139300).len(), 3);

    let writes = sink.writes();
    let report = Engine::new(source, sink.clone())
        .with_options(opts)
        .run(&config)
        .await;
    let c = report.group("devices").unwrap().counts;
    assert_eq!((c.created, c.updated, c.archived), (0, 0, 0));
    assert_eq!(sink.writes(), writes, "run 3 writes nothing");
    assert_eq!(report.exit_code(), ExitCode::Success);
}

#[tokio::test]
async fn h29_partial_fetch_keeps_what_it_fetched_and_archives_nothing() {
    let records: Vec<Value> = (2001..=2230).map(ws).collect();
    let objects = (2001..=2230)
        .map(|id| device_object(id as usize, id))
        .collect();
    let sink = MemorySink::new(vec![devices()], vec![(139300, objects)]);
    let source = MemorySource {
        break_after: Some(200),
        ..MemorySource::new(records)
    };
    let report = Engine::new(source, sink)
        .with_options(options())
        .run(&config(DEVICES))
        .await;
    let group = report.group("devices").unwrap();
    assert_eq!(group.status, GroupStatus::Incomplete);
    assert_eq!(group.counts.unchanged, 200);
    assert_eq!(group.counts.archived, 0);
    let reason = group.reason.as_deref().unwrap();
    assert!(
        reason.contains("request 9") && reason.contains("2200"),
        "{reason}"
    );
    assert_eq!(group.watermark, None);
    assert_eq!(report.exit_code(), ExitCode::GroupFailed);
}

#[tokio::test]
async fn h29_partial_fetch_still_writes_changes() {
    let records: Vec<Value> = (1..=30).map(ws).collect();
    let sink = Arc::new(MemorySink::new(
        vec![devices()],
        vec![(139300, vec![device_object(99, 99)])],
    ));
    let source = MemorySource {
        break_after: Some(20),
        ..MemorySource::new(records)
    };
    let report = Engine::new(source, sink.clone())
        .with_options(options())
        .run(&config(DEVICES))
        .await;
    let group = report.group("devices").unwrap();
    assert_eq!(group.counts.created, 20);
    assert!(sink.calls().iter().all(|c| !matches!(c, Call::Archive(_))));
    assert_eq!(sink.count_cw_id(139300, "99"), 1);
}

#[tokio::test]
async fn h31_archive_candidates_are_fixed_before_the_source_is_read() {
    let objects = vec![
        device_object(1, 1542),
        device_object(2, 1543),
        device_object(3, 1544),
        object(&oid(4), json!({"field_1": "by hand", "field_20": ""})),
    ];
    let sink = Arc::new(MemorySink::new(vec![devices()], vec![(139300, objects)]));
    sink.appear_after_listing
        .lock()
        .unwrap()
        .push((139300, device_object(5, 1545)));
    let source = Arc::new(MemorySource::new(vec![ws(1542), ws(1543)]));
    let text = format!("{DEVICES}archive_guard = {{ enabled = false }}\n");
    let report = Engine::new(source.clone(), sink.clone())
        .with_options(options())
        .run(&config(&text))
        .await;
    assert_eq!(
        report.group("devices").unwrap().status,
        GroupStatus::Complete
    );
    assert_eq!(sink.calls(), [Call::Archive(vec![oid(3)])]);
    let rereads = source.rereads.lock().unwrap();
    assert_eq!(rereads.len(), 1);
    assert_eq!(rereads[0].ids, [1544]);
    assert_eq!(sink.stop_dates.lock().unwrap()[0].to_string(), "2026-12-03");
}

fn h32_setup(returned: i64) -> (Routed, Arc<MemorySink>) {
    let mut objects: Vec<_> = (1..=1000)
        .map(|n| {
            object(
                &oid(n),
                json!({"field_1": format!("Co {n}"), "field_20": n.to_string()}),
            )
        })
        .collect();
    objects.extend(
        (1..=200).map(|n| object(&oid(5000 + n), json!({"field_1": "hand", "field_20": ""}))),
    );
    let sink = Arc::new(MemorySink::new(
        vec![companies(), devices()],
        vec![(139301, objects)],
    ));
    let listing = (1..=returned)
        .map(|n| json!({"id": n, "name": format!("Renamed {n}")}))
        .collect();
    let source = Routed(vec![
        (Entity::Companies, MemorySource::new(listing)),
        (Entity::Configurations, MemorySource::new(vec![ws(1)])),
    ]);
    (source, sink)
}

const H32: &str = r#"
[[jobs]]
name = "companies"
entity = "companies"
target_group = 139301
match_keys = [{ target = "field_20" }]
fields = [{ source = "name", target = "field_1" }]
"#;

#[tokio::test]
async fn h32_mass_archive_guard_stops_the_group_only() {
    let config = config(&format!("{H32}{DEVICES}"));
    let (source, sink) = h32_setup(12);
    let report = Engine::new(source, sink.clone())
        .with_options(options())
        .run(&config)
        .await;
    let companies = report.group("companies").unwrap();
    assert_eq!(companies.status, GroupStatus::Stopped);
    let reason = companies.reason.as_deref().unwrap();
    assert!(reason.contains("988 of the 1000"), "{reason}");
    assert_eq!(
        report.group("devices").unwrap().status,
        GroupStatus::Complete
    );
    assert_eq!(
        sink.calls(),
        [Call::Create(vec!["1".into()])],
        "companies get no write"
    );
    assert_eq!(report.exit_code(), ExitCode::GuardStopped);

    let (source, sink) = h32_setup(12);
    let opts = EngineOptions {
        allow_mass_archive: true,
        ..options()
    };
    let report = Engine::new(source, sink.clone())
        .with_options(opts)
        .run(&config)
        .await;
    let c = report.group("companies").unwrap().counts;
    assert_eq!((c.archived, c.updated), (988, 12));
    let archived = sink
        .objects_of(139301)
        .iter()
        .filter(|o| o.archived)
        .count();
    assert_eq!(archived, 988);
    assert!(sink
        .objects_of(139301)
        .iter()
        .filter(|o| o.fields["field_20"] == "")
        .all(|o| !o.archived));

    let (source, sink) = h32_setup(990);
    let report = Engine::new(source, sink)
        .with_options(options())
        .run(&config)
        .await;
    let companies = report.group("companies").unwrap();
    assert_eq!(companies.status, GroupStatus::Complete);
    assert_eq!(companies.counts.archived, 10);
}

fn h33_devices(status: &str) -> Value {
    json!({"id": 1542, "name": "ACME-WS-017", "status": {"id": 2, "name": status}})
}

async fn h33_run(
    extra: &str,
    reread_fails: bool,
) -> (cw_ap_mapping::RunReport, Arc<MemorySink>, Arc<Routed>) {
    let objects = (1542..=1545)
        .map(|id| device_object(id as usize, id))
        .collect();
    let company_objects = vec![object(
        &oid(260),
        json!({"field_1": "Old Co", "field_20": "260"}),
    )];
    let sink = Arc::new(MemorySink::new(
        vec![devices(), companies()],
        vec![(139300, objects), (139301, company_objects)],
    ));
    let devices_source = MemorySource {
        all: vec![
            json!({"id": 1543, "name": "ACME-WS-018", "status": {"id": 3, "name": "Inactive"}}),
        ],
        reread_fails,
        ..MemorySource::new(vec![h33_devices("Active")])
    };
    let companies_source = MemorySource::new(vec![
        json!({"id": 260, "identifier": "OldCo", "name": "Old Co", "deletedFlag": true}),
    ]);
    let source = Arc::new(Routed(vec![
        (Entity::Configurations, devices_source),
        (Entity::Companies, companies_source),
    ]));
    let text = format!(
        r#"[[jobs]]
name = "devices"
entity = "configurations"
target_group = 139300
match_keys = [{{ target = "field_20" }}]
fields = [{{ source = "name", target = "field_1" }}]
archive_guard = {{ enabled = false }}
filter = {{ status = ["Active"] }}
{extra}
{H32}archive_guard = {{ enabled = false }}
"#
    );
    let report = Engine::new(source.clone(), sink.clone())
        .with_options(options())
        .run(&config(&text))
        .await;
    (report, sink, source)
}

#[tokio::test]
async fn h33_missing_from_the_filtered_list_is_not_deleted() {
    let (report, sink, source) = h33_run("", false).await;
    let rereads = source.0[0].1.rereads.lock().unwrap().clone();
    assert_eq!(rereads.len(), 1);
    assert_eq!(rereads[0].ids, [1543, 1544, 1545]);
    let fetch = source.0[0].1.fetches.lock().unwrap()[0].clone();
    assert_eq!(
        fetch.filter.conditions.as_deref(),
        Some("status/name=\"Active\"")
    );
    assert!(fetch.fields.contains(&"id".to_string()));
    assert!(fetch.fields.contains(&"_info/lastUpdated".to_string()));

    assert_eq!(archived_ids(&sink, 139300), ["1544", "1545"]);
    let devices = report.group("devices").unwrap();
    assert!(devices
        .warnings
        .iter()
        .any(|w| w.record.as_deref() == Some("1543") && w.message.contains("out of scope")));
    assert_eq!(devices.counts.filtered_out, 1);
    assert_eq!(
        archived_ids(&sink, 139301),
        ["260"],
        "a soft-deleted company is archived"
    );

    let (_, sink, _) = h33_run("on_filtered_out = \"archive\"", false).await;
    assert_eq!(archived_ids(&sink, 139300), ["1543", "1544", "1545"]);

    let (report, sink, _) = h33_run("", true).await;
    assert!(archived_ids(&sink, 139300).is_empty());
    let devices = report.group("devices").unwrap();
    assert_eq!(devices.counts.unverified, 3);
    assert_eq!(
        devices.status,
        GroupStatus::Incomplete,
        "unverified removals leave the group short of its end state"
    );
    assert_eq!(report.exit_code(), ExitCode::GroupFailed);
    assert!(devices
        .warnings
        .iter()
        .any(|w| w.message.contains("1543, 1544, 1545")));
}

async fn h16_run(partial_store: bool) -> (cw_ap_mapping::RunReport, Arc<MemorySink>) {
    let mut sink = MemorySink::new(vec![devices()], vec![]);
    sink.required_nonempty = Some("field_10".into());
    sink.partial_store = partial_store;
    let sink = Arc::new(sink);
    let source = MemorySource::new(vec![
        device(1542, "ACME-WS-017", "5CG1234XYZ"),
        device(1543, "ACME-WS-019", ""),
        device(1544, "ACME-WS-020", "5CG1234XZA"),
    ]);
    let report = Engine::new(source, sink.clone())
        .with_options(options())
        .run(&config(DEVICES))
        .await;
    (report, sink)
}

#[tokio::test]
async fn h16_rejected_record_is_found_by_splitting_the_batch() {
    for partial in [false, true] {
        let (report, sink) = h16_run(partial).await;
        assert_eq!(sink.count_cw_id(139300, "1542"), 1, "variant {partial}");
        assert_eq!(sink.count_cw_id(139300, "1544"), 1, "variant {partial}");
        assert_eq!(sink.count_cw_id(139300, "1543"), 0, "variant {partial}");
        let group = report.group("devices").unwrap();
        assert_eq!(
            (group.counts.created, group.counts.failed),
            (2, 1),
            "variant {partial}"
        );
        let error = group
            .errors
            .iter()
            .find(|e| e.record.as_deref() == Some("1543"))
            .unwrap();
        assert!(
            error
                .message
                .contains("Serial Number (field_10): Serial Number is required"),
            "{}",
            error.message
        );
        assert_eq!(report.exit_code(), ExitCode::RecordsFailed);
    }
}

#[tokio::test]
async fn h26_a_record_that_comes_back_is_unarchived_not_created() {
    let mut archived = object(
        &oid(3),
        json!({"field_1": "ACME-WS-044", "field_20": "1544"}),
    );
    archived.archived = true;
    let sink = Arc::new(MemorySink::new(
        vec![devices()],
        vec![(139300, vec![archived])],
    ));
    let source = MemorySource::new(vec![device(1544, "ACME-WS-044", "5CG1234XZA")]);
    let report = Engine::new(source, sink.clone())
        .with_options(options())
        .run(&config(DEVICES))
        .await;
    assert_eq!(
        sink.calls(),
        [Call::Unarchive(vec![oid(3)]), Call::Update(vec![oid(3)])]
    );
    assert_eq!(sink.count_cw_id(139300, "1544"), 1);
    let c = report.group("devices").unwrap().counts;
    assert_eq!((c.unarchived, c.updated, c.created), (1, 1, 0));
}

#[tokio::test]
async fn h28_a_forbidden_collection_fails_its_own_group_only() {
    let ticket_objects = (1..=40)
        .map(|n| object(&oid(n), json!({"field_20": n.to_string()})))
        .collect();
    let sink = Arc::new(MemorySink::new(
        vec![devices(), tickets()],
        vec![(139302, ticket_objects)],
    ));
    let source = Routed(vec![
        (Entity::Configurations, MemorySource::new(vec![ws(1)])),
        (
            Entity::Tickets,
            MemorySource {
                forbidden: true,
                ..MemorySource::default()
            },
        ),
    ]);
    let text = format!(
        "{DEVICES}\n[[jobs]]\nname = \"tickets\"\nentity = \"tickets\"\ntarget_group = 139302\n\
         match_keys = [{{ target = \"field_20\" }}]\nfields = [{{ source = \"summary\", target = \"field_1\" }}]\n"
    );
    let report = Engine::new(source, sink.clone())
        .with_options(options())
        .run(&config(&text))
        .await;
    assert_eq!(
        report.group("devices").unwrap().status,
        GroupStatus::Complete
    );
    let tickets = report.group("tickets").unwrap();
    assert_eq!(tickets.status, GroupStatus::Failed);
    assert_eq!(tickets.failure, Some(FailureKind::Access));
    assert!(tickets.reason.as_deref().unwrap().contains("permission"));
    assert_eq!(sink.calls(), [Call::Create(vec!["1".into()])]);
    assert_eq!(report.exit_code(), ExitCode::GroupFailed);
    assert!(report.is_partial());
}

#[tokio::test]
async fn a_linked_group_that_cannot_be_listed_fails_the_job_and_clears_no_link() {
    let linked = object(
        &oid(1),
        json!({"field_1": "WS-1", "field_20": "1", "field_40": "company-object"}),
    );
    let mut sink = MemorySink::new(vec![devices(), companies()], vec![(139300, vec![linked])]);
    sink.failing_listing = Some(139301);
    let sink = Arc::new(sink);
    let source = MemorySource::new(vec![
        json!({"id": 1, "name": "WS-1-renamed", "company": {"id": 250, "name": "Acme"}}),
    ]);
    let text = r#"[[jobs]]
name = "devices"
entity = "configurations"
target_group = 139300
match_keys = [{ target = "field_20" }]
fields = [{ source = "name", target = "field_1" },
          { source = "company", target = "field_40", link = { group = 139301, field = "field_20" } }]
"#;

    let report = Engine::new(source, sink.clone())
        .with_options(options())
        .run(&config(text))
        .await;

    let devices = report.group("devices").unwrap();
    assert_eq!(devices.status, GroupStatus::Failed, "{devices:?}");
    assert!(devices
        .reason
        .as_deref()
        .unwrap_or("")
        .contains("no link is cleared"));
    assert_eq!(
        sink.writes(),
        0,
        "nothing may be written without the link index"
    );
    assert_eq!(
        sink.objects_of(139300)[0].fields["field_40"],
        "company-object",
        "the stored link is untouched"
    );
    assert_eq!(report.exit_code(), ExitCode::GroupFailed);
}

#[tokio::test]
async fn a_link_to_a_group_or_field_that_does_not_exist_is_a_configuration_failure() {
    for (link, says) in [
        ("{ group = 999999, field = \"field_20\" }", "999999"),
        (
            "{ group = \"Customers\", field = \"field_20\" }",
            "Customers",
        ),
        ("{ group = 139301, field = \"field_999\" }", "field_999"),
    ] {
        let sink = Arc::new(MemorySink::new(vec![devices(), companies()], vec![]));
        let source = MemorySource::new(vec![
            json!({"id": 1, "name": "WS-1", "company": {"id": 250, "name": "Acme"}}),
        ]);
        let text = format!(
            r#"[[jobs]]
name = "devices"
entity = "configurations"
target_group = 139300
match_keys = [{{ target = "field_20" }}]
fields = [{{ source = "name", target = "field_1" }},
          {{ source = "company", target = "field_40", link = {link} }}]
"#
        );

        let report = Engine::new(source, sink.clone())
            .with_options(options())
            .run(&config(&text))
            .await;

        let devices = report.group("devices").unwrap();
        assert_eq!(devices.status, GroupStatus::Failed, "{link}: {devices:?}");
        assert_eq!(devices.failure, Some(FailureKind::Config), "{link}");
        let reason = devices.reason.as_deref().unwrap_or("");
        assert!(reason.contains(says), "{link}: {reason}");
        assert_eq!(report.exit_code(), ExitCode::Config, "{link}");
        assert_eq!(sink.writes(), 0, "{link}");
    }
}

#[tokio::test]
async fn validate_names_a_link_to_a_group_or_field_that_does_not_exist() {
    let sink = Arc::new(MemorySink::new(vec![devices(), companies()], vec![]));
    let source = MemorySource::new(vec![
        json!({"id": 1, "name": "WS-1", "company": {"id": 250, "name": "Acme"}}),
    ]);
    let link = |group: &str, field: &str| {
        format!(
            r#"[[jobs]]
name = "devices"
entity = "configurations"
target_group = 139300
match_keys = [{{ target = "field_20" }}]
fields = [{{ source = "name", target = "field_1" }},
          {{ source = "company", target = "field_40", link = {{ group = {group}, field = "{field}" }} }}]
"#
        )
    };
    let engine = Engine::new(source, sink.clone());

    for (text, says) in [
        (link("999999", "field_20"), "999999"),
        (link("\"Customers\"", "field_20"), "Customers"),
        (link("139301", "field_999"), "field_999"),
    ] {
        let results = engine.validate(&config(&text)).await;

        let errors: Vec<String> = results[0].1.errors().map(|p| p.to_string()).collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("jobs[0].fields[1].link"), "{errors:?}");
        assert!(errors[0].contains(says), "{errors:?}");
    }
    let results = engine.validate(&config(&link("139301", "field_20"))).await;
    assert_eq!(
        results[0].1.errors().count(),
        0,
        "a link that resolves is fine"
    );
    assert_eq!(sink.writes(), 0);
}

#[tokio::test]
async fn validate_warns_on_a_second_job_that_writes_the_same_group() {
    let sink = Arc::new(MemorySink::new(vec![devices(), companies()], vec![]));
    let source = MemorySource::new(vec![json!({"id": 1, "name": "WS-1"})]);
    let job = |name: &str, group: &str| {
        format!(
            r#"[[jobs]]
name = "{name}"
entity = "configurations"
target_group = {group}
match_keys = [{{ target = "field_20" }}]
fields = [{{ source = "name", target = "field_1" }}]
"#
        )
    };
    let text = [
        job("devices", "139300"),
        job("companies", "139301"),
        job("devices2", "\"Devices\""),
    ]
    .concat();

    let results = Engine::new(source, sink).validate(&config(&text)).await;

    let warnings =
        |n: usize| -> Vec<String> { results[n].1.warnings().map(|p| p.to_string()).collect() };
    assert!(
        !warnings(0)
            .iter()
            .chain(&warnings(1))
            .any(|w| w.contains("also written")),
        "{:?} {:?}",
        warnings(0),
        warnings(1)
    );
    let third = warnings(2);
    assert!(
        third
            .iter()
            .any(|w| w.contains("jobs[2].target_group") && w.contains("job `devices`")),
        "{third:?}"
    );
    assert_eq!(results[2].1.errors().count(), 0, "a warning, not an error");
}

#[tokio::test]
async fn validate_maps_the_first_records_and_warns_of_values_the_run_would_fail() {
    let sink = Arc::new(MemorySink::new(vec![devices()], vec![]));
    let status = |id: i64, name: &str| json!({"id": id, "name": format!("WS-{id}"), "status": {"name": name}});
    let source = MemorySource::new(vec![
        status(1, "Active"),
        status(2, "Inactive"),
        status(3, "Active"),
        status(4, "Inactive"),
    ]);
    let text = r#"[[jobs]]
name = "devices"
entity = "configurations"
target_group = 139300
match_keys = [{ target = "field_20" }]
fields = [{ source = "name", target = "field_1" },
          { source = "status/name", target = "field_11", values = { "Active" = "Available" } }]
"#;

    let results = Engine::new(source, sink.clone())
        .validate(&config(text))
        .await;

    let validation = &results[0].1;
    assert_eq!(validation.errors().count(), 0, "the first record maps");
    let warnings: Vec<String> = validation.warnings().map(|p| p.to_string()).collect();
    let failing: Vec<&String> = warnings
        .iter()
        .filter(|w| w.contains("would fail"))
        .collect();
    assert_eq!(failing.len(), 1, "{warnings:?}");
    assert!(
        failing[0].contains("2 of the first 4 records"),
        "{failing:?}"
    );
    assert!(failing[0].contains("Inactive"), "{failing:?}");
    assert!(failing[0].contains("records 2, 4"), "{failing:?}");
    assert_eq!(sink.writes(), 0);
}
