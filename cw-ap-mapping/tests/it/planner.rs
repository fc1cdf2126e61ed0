//! The planner's rules.

use cw_ap_mapping::{ArchiveReason, Planner, SyncPlan, UpdateReason};
use serde_json::{json, Value};

use crate::support::{compile, devices, job, object, oid};

fn devices_job(extra: &str) -> cw_ap_mapping::CompiledJob {
    let job = job(&format!(
        r#"name = "devices"
        entity = "configurations"
        target_group = 139300
        match_keys = [{{ target = "field_20" }}]
        {extra}"#
    ));
    compile(&job, &devices())
}

fn plan(job: &cw_ap_mapping::CompiledJob, targets: Vec<Value>, records: Vec<Value>) -> SyncPlan {
    let mut planner = Planner::new(job);
    for (n, t) in targets.into_iter().enumerate() {
        let archived = t.get("is_archived").is_some_and(|v| v == true);
        let mut fields = t;
        fields.as_object_mut().unwrap().remove("is_archived");
        let mut o = object(&oid(n + 1), fields);
        o.archived = archived;
        planner.push_target(o);
    }
    for r in &records {
        planner.push_source(r);
    }
    let missing = planner.missing_ids();
    planner.confirm_absent(missing);
    planner.finish()
}

#[test]
fn equal_values_in_other_spellings_plan_nothing() {
    let job = devices_job(
        r#"fields = [
            { source = "backupBillableSpaceGb", target = "field_61" },
            { source = "warrantyExpirationDate", target = "field_31" },
            { source = "activeFlag", target = "field_62" },
            { source = "status/name", target = "field_11" },
            { source = "manufacturer/name", target = "field_63", values = { Dell = "501", HP = "502" } },
        ]"#,
    );
    let p = plan(
        &job,
        vec![
            json!({"field_20": "1", "field_61": "1,249.00", "field_31": "02/01/2026",
            "field_62": "Yes", "field_11": {"id": "88101", "value": "Available"},
            "field_63": {"id": 501, "value": "Dell"}}),
        ],
        vec![
            json!({"id": 1, "backupBillableSpaceGb": 1249, "warrantyExpirationDate": "2026-02-01T00:00:00Z",
            "activeFlag": true, "status": {"name": "available"}, "manufacturer": {"name": "Dell"}}),
        ],
    );
    assert!(p.is_noop(), "{}", p.detailed_summary());
    assert_eq!(p.unchanged, 1);
}

#[test]
fn updates_show_old_and_new_for_changed_fields_only() {
    let job = devices_job(
        r#"fields = [{ source = "name", target = "field_1" }, { source = "backupBillableSpaceGb", target = "field_61" }]"#,
    );
    let p = plan(
        &job,
        vec![json!({"field_20": "1", "field_1": "Old", "field_61": "10.50"})],
        vec![json!({"id": 1, "name": "New", "backupBillableSpaceGb": 10.5})],
    );
    assert_eq!(p.updates.len(), 1);
    let c = &p.updates[0].changes;
    assert_eq!(c.len(), 1);
    assert_eq!(
        (c[0].key.as_str(), &c[0].old, &c[0].new),
        ("field_1", &json!("Old"), &json!("New"))
    );
    let summary = p.summary().to_string();
    assert!(
        summary.contains("Name (field_1): \"Old\" → \"New\""),
        "{summary}"
    );
}

#[test]
fn conversion_failures_skip_the_record_only() {
    let job = devices_job(
        r#"fields = [{ source = "name", target = "field_61" }, { source = "status/name", target = "field_11" }]"#,
    );
    let p = plan(
        &job,
        vec![],
        vec![
            json!({"id": 1, "name": "12.5", "status": {"name": "Available"}}),
            json!({"id": 2, "name": "twelve", "status": {"name": "Available"}}),
            json!({"id": 3, "name": "3", "status": {"name": "Lost"}}),
        ],
    );
    assert_eq!(p.creates.len(), 1);
    assert_eq!(p.creates[0].fields["field_61"], "12.5");
    assert_eq!(p.creates[0].fields["field_11"], "88101");
    assert_eq!(p.failed, 2);
    let fields: Vec<_> = p
        .errors
        .iter()
        .map(|e| (e.record.clone().unwrap(), e.field.clone().unwrap()))
        .collect();
    assert_eq!(
        fields,
        [
            ("2".into(), "Price (field_61)".into()),
            ("3".into(), "Status (field_11)".into())
        ]
    );
}

#[test]
fn duplicates_on_either_side_are_conflicts() {
    let job = devices_job(r#"fields = [{ source = "name", target = "field_1" }]"#);
    let p = plan(
        &job,
        vec![
            json!({"field_20": "7"}),
            json!({"field_20": " 7 "}),
            json!({"field_20": "8"}),
        ],
        vec![
            json!({"id": 7, "name": "a"}),
            json!({"id": 8, "name": "b"}),
            json!({"id": 8, "name": "c"}),
            json!({"id": 9, "name": "d"}),
        ],
    );
    assert_eq!(p.conflicts.len(), 2, "{:?}", p.conflicts);
    assert_eq!(p.conflicts[0].value, "7");
    assert_eq!(p.conflicts[0].objects.len(), 2);
    assert_eq!(p.conflicts[0].records, ["7"]);
    assert_eq!(p.conflicts[1].value, "8");
    assert_eq!(p.conflicts[1].records, ["8", "8"]);
    assert_eq!(p.creates.len(), 1);
    assert_eq!(p.creates[0].record, "9");
    assert!(p.updates.is_empty());
    assert!(p.archives.is_empty(), "conflicting objects are not orphans");
}

#[test]
fn natural_key_ambiguity_is_a_conflict() {
    let job = job(r#"name = "devices"
        entity = "configurations"
        target_group = 139300
        match_keys = [{ target = "field_20" }, { target = "field_10", source = "serialNumber" }]"#);
    let job = compile(&job, &devices());
    let p = plan(
        &job,
        vec![
            json!({"field_10": "SN1"}),
            json!({"field_10": "sn1"}),
            json!({"field_10": "SN2"}),
        ],
        vec![
            json!({"id": 1, "serialNumber": "SN1"}),
            json!({"id": 2, "serialNumber": "SN2"}),
            json!({"id": 3, "serialNumber": "SN2"}),
        ],
    );
    assert_eq!(p.conflicts.len(), 2, "{:?}", p.conflicts);
    assert!(p.creates.is_empty());
    assert!(p.updates.is_empty());
}

#[test]
fn a_record_that_comes_back_is_unarchived() {
    let job = devices_job(r#"fields = [{ source = "name", target = "field_1" }]"#);
    let p = plan(
        &job,
        vec![json!({"field_20": "1544", "field_1": "ACME-WS-044", "is_archived": true})],
        vec![json!({"id": 1544, "name": "ACME-WS-044"})],
    );
    assert!(p.creates.is_empty());
    assert_eq!(p.updates.len(), 1);
    assert!(p.updates[0].unarchive);
    assert!(p.updates[0].changes.is_empty());
    assert_eq!(p.counts().unarchive, 1);
}

#[test]
fn orphan_policies() {
    let job = devices_job(
        r#"fields = [{ source = "name", target = "field_1" }]
        on_deleted = { set_status = "Retired", field = "Status", archive = true }
        on_filtered_out = "archive"
        filter = { status = ["Active"] }
        archive_guard = { enabled = false }"#,
    );
    let p = plan(
        &job,
        vec![
            json!({"field_20": "1"}),
            json!({"field_20": "2"}),
            json!({"field_20": "3"}),
        ],
        vec![
            json!({"id": 1, "name": "a", "status": {"name": "Active"}}),
            json!({"id": 2, "name": "b", "status": {"name": "Inactive"}}),
        ],
    );
    let archives: Vec<_> = p
        .archives
        .iter()
        .map(|a| (a.record.as_str(), a.reason))
        .collect();
    assert_eq!(
        archives,
        [
            ("2", ArchiveReason::FilteredOut),
            ("3", ArchiveReason::DeletedAtSource)
        ]
    );
    let status: Vec<_> = p
        .updates
        .iter()
        .filter(|u| u.reason == UpdateReason::SetStatus)
        .map(|u| (u.record.as_str(), u.changes[0].new.clone()))
        .collect();
    assert_eq!(status, [("3", json!("88104"))]);
    assert_eq!(p.filtered_out.len(), 1);
    assert_eq!(p.filtered_out[0].object.as_deref(), Some(oid(2).as_str()));
}

#[test]
fn unverified_and_disabled_archives_archive_nothing() {
    let job = devices_job("archive_guard = { enabled = false }");
    let mut planner = Planner::new(&job);
    planner.push_target(object(&oid(1), json!({"field_20": "1"})));
    planner.push_target(object(&oid(2), json!({"field_20": "2"})));
    planner.push_source(&json!({"id": 1}));
    let p = planner.finish();
    assert!(p.archives.is_empty());
    assert_eq!(p.unverified, ["2"]);

    let mut planner = Planner::new(&job);
    planner.push_target(object(&oid(2), json!({"field_20": "2"})));
    planner.confirm_absent(["2"]);
    planner.disable_archive("the listing broke off");
    let p = planner.finish();
    assert!(p.archives.is_empty());
    assert_eq!(p.archive_disabled.as_deref(), Some("the listing broke off"));
}

#[test]
fn incremental_present_ids_are_neither_updated_nor_archived() {
    let job = devices_job("");
    let mut planner = Planner::new(&job);
    planner.push_target(object(&oid(1), json!({"field_20": "1"})));
    planner.push_target(object(&oid(2), json!({"field_20": "2"})));
    planner.push_present_id(1);
    assert_eq!(planner.missing_ids(), ["2"]);
}

#[test]
fn watermark_is_the_highest_last_updated() {
    let job = devices_job("");
    let mut planner = Planner::new(&job);
    for t in [
        "2024-06-01T10:00:00Z",
        "2024-07-01T00:00:00Z",
        "garbage",
        "2024-05-01T00:00:00Z",
    ] {
        planner.push_source(&json!({"id": 1, "_info": {"lastUpdated": t}}));
    }
    planner.push_source(&json!({"id": 2}));
    let p = planner.finish();
    assert_eq!(
        p.watermark.unwrap().to_rfc3339(),
        "2024-07-01T00:00:00+00:00"
    );
}

#[test]
fn plans_are_deterministic_and_serialisable() {
    let job = devices_job(r#"fields = [{ source = "name", target = "field_1" }]"#);
    let targets: Vec<Value> = (0..50)
        .map(|n| json!({"field_20": (n * 2).to_string(), "field_1": "x"}))
        .collect();
    let records: Vec<Value> = (0..60)
        .map(|n| json!({"id": n, "name": format!("n{}", n % 7)}))
        .collect();
    let a = plan(&job, targets.clone(), records.clone());
    let b = plan(&job, targets, records);
    assert_eq!(a, b);
    let json = serde_json::to_string(&a).unwrap();
    let back: SyncPlan = serde_json::from_str(&json).unwrap();
    assert_eq!(back, a);
    let counts = a.counts();
    assert_eq!(counts.records, 60);
    assert_eq!(counts.create + counts.update + counts.unchanged, 60);
}

#[test]
fn templates_transforms_and_nul_characters() {
    let job = devices_job(
        r#"fields = [
            { template = "{name} @ {site/name}", target = "field_1" },
            { source = "serialNumber", target = "field_10", transforms = [{ op = "trim" }, { op = "upper" }, { op = "truncate", max = 6 }] },
            { source = "status/name", target = "field_50", transforms = [{ op = "map", values = { Active = "In use" }, fallback = "Other" }] },
            { source = "osType", target = "field_52", transforms = [{ op = "default", value = "unknown" }] },
            { source = "purchaseDate", target = "field_51", transforms = [{ op = "date_format", format = "%Y-%m" }] },
        ]"#,
    );
    let p = plan(
        &job,
        vec![],
        vec![
            json!({"id": 1, "name": "WS\u{0}-1", "site": {"name": "Main"}, "serialNumber": "  ab12cd34 ",
                   "status": {"name": "active"}, "purchaseDate": "2024-03-10T08:00:00Z"}),
            json!({"id": 2, "status": {"name": "Spare"}, "osType": ""}),
        ],
    );
    let first = &p.creates[0].fields;
    assert_eq!(first["field_1"], "WS-1 @ Main");
    assert_eq!(first["field_10"], "AB12CD");
    assert_eq!(first["field_50"], "In use");
    assert_eq!(first["field_52"], "unknown");
    assert_eq!(first["field_51"], "2024-03");
    let second = &p.creates[1].fields;
    assert_eq!(second["field_1"], "", "a template of unset fields is unset");
    assert_eq!(second["field_50"], "Other");
    assert_eq!(second["field_52"], "unknown");
}

#[test]
fn exact_match_keys_keep_case_and_spaces() {
    let job = job(r#"name = "devices"
        entity = "configurations"
        target_group = 139300
        match_keys = [{ target = "field_20" }, { target = "field_10", source = "serialNumber", exact = true }]"#);
    let job = compile(&job, &devices());
    let p = plan(
        &job,
        vec![json!({"field_10": "sn1"}), json!({"field_10": "SN2"})],
        vec![
            json!({"id": 1, "serialNumber": "SN1"}),
            json!({"id": 2, "serialNumber": "SN2"}),
        ],
    );
    assert_eq!(p.creates.len(), 1);
    assert_eq!(p.creates[0].record, "1");
    assert_eq!(p.updates.len(), 1);
    assert_eq!(p.updates[0].object, oid(2));
}
