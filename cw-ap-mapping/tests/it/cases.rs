//! The [MAP] field cases, each named after its id.

use std::collections::HashMap;

use cw_ap_mapping::{
    validate_job, value, DateFormat, LinkIndex, Planner, TargetField, TargetGroup,
};
use serde_json::{json, Value};

use crate::support::{companies, compile, devices, job, object, oid, tickets};

const DEVICES_BASE: &str = r#"
name = "devices"
entity = "configurations"
target_group = 139300
match_keys = [{ target = "field_20" }]
"#;

fn devices_job(fields: &str) -> cw_ap_mapping::JobConfig {
    job(&format!("{DEVICES_BASE}\n{fields}"))
}

#[test]
fn h06_null_and_bad_dates_keep_the_record() {
    let job = devices_job(
        r#"fields = [
            { source = "name", target = "field_1" },
            { source = "serialNumber", target = "field_10" },
            { source = "warrantyExpirationDate", target = "field_31" },
            { source = "ipAddress", target = "field_41" },
        ]"#,
    );
    let compiled = compile(&job, &devices());
    let mut planner = Planner::new(&compiled);
    planner.push_target(object(
        "64b000000000000000000001",
        json!({"field_1":"ACME-WS-017","field_10":"5CG1234XYZ","field_20":"1542",
               "field_31":"01/15/2026","field_41":"10.0.0.17"}),
    ));
    planner.push_source(&json!({"id":1542,"name":"ACME-WS-017",
        "type":{"id":12,"name":"Managed Workstation"},"status":null,
        "company":{"id":250,"identifier":"Acme","name":"Acme Corp"},"serialNumber":"5CG1234XYZ",
        "ipAddress":null,"purchaseDate":"","warrantyExpirationDate":"31/02/2026",
        "_info":{"lastUpdated":"2024-01-02T03:04:05Z","dateEntered":""}}));
    planner.push_source(&json!({"id":1543,"name":"ACME-WS-018",
        "type":{"id":12,"name":"Managed Workstation"},"status":{"id":2,"name":"Active"},
        "company":{"id":250,"identifier":"Acme","name":"Acme Corp"},"serialNumber":"5CG1234XZZ",
        "ipAddress":"10.0.0.18"}));
    let plan = planner.finish();

    assert_eq!(plan.updates.len(), 1);
    let update = &plan.updates[0];
    assert_eq!(update.record, "1542");
    let keys: Vec<&str> = update.changes.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(keys, ["field_41"]);
    assert_eq!(update.changes[0].new, json!(""));

    assert_eq!(plan.creates.len(), 1);
    assert_eq!(plan.creates[0].record, "1543");
    assert_eq!(plan.creates[0].fields["field_41"], "10.0.0.18");

    assert_eq!(plan.failed, 0);
    assert!(plan.errors.is_empty(), "{:?}", plan.errors);
    assert_eq!(plan.warnings.len(), 1);
    let warning = &plan.warnings[0];
    assert_eq!(warning.record.as_deref(), Some("1542"));
    assert_eq!(
        warning.field.as_deref(),
        Some("Warranty Expires (field_31)")
    );
}

#[test]
fn h07_unknown_enum_value_is_written_as_text() {
    let job = job(r#"
        name = "tickets"
        entity = "tickets"
        target_group = 139302
        match_keys = [{ target = "field_20" }]
        fields = [{ source = "severity", target = "field_30" },
                  { source = "summary", target = "field_1" }]
    "#);
    let compiled = compile(&job, &tickets());
    let mut planner = Planner::new(&compiled);
    planner.push_source(
        &json!({"id":555,"summary":"Printer offline","recordType":"ServiceTicket",
        "severity":"Critical","impact":"Low","board":{"id":2,"name":"Help Desk"},
        "company":{"id":250,"identifier":"Acme","name":"Acme Corp"},
        "futureField":{"anything":[1,2,3]}}),
    );
    let plan = planner.finish();
    assert_eq!(plan.creates[0].fields["field_30"], "Critical");
    assert_eq!(plan.creates[0].fields["field_20"], "555");
}

#[test]
fn h07_location_id_from_either_shape() {
    // A template reads `location/id` when the reference is there; a second mapping reads
    // the bare `locationId`; both shapes give the same value.
    let job = devices_job(
        r#"fields = [{ source = "location/id", target = "field_52", on_unset = "keep" },
                     { source = "locationId", target = "field_60", on_unset = "keep" }]"#,
    );
    let compiled = compile(&job, &devices());
    for record in [
        json!({"id":1542,"name":"ACME-WS-017","locationId":3}),
        json!({"id":1542,"name":"ACME-WS-017","locationId":3,"location":{"id":3,"name":"North"}}),
        json!({"id":1542,"name":"ACME-WS-017","location":{"id":3,"name":"North"}}),
    ] {
        let mapped = compiled
            .map_record(&record, &LinkIndex::new())
            .expect("maps");
        let texts: Vec<String> = mapped
            .values
            .iter()
            .map(|v| match v {
                cw_ap_mapping::Mapped::Text(t) => t.to_string(),
                cw_ap_mapping::Mapped::Skip => String::new(),
            })
            .collect();
        assert!(texts[0] == "3" || texts[1] == "3", "{texts:?} for {record}");
    }
}

#[test]
fn h08_dates_keep_their_calendar_day() {
    let expected = chrono::DateTime::parse_from_rfc3339("2024-03-10T08:00:00Z").unwrap();
    for text in [
        "2024-03-10T08:00:00Z",
        "2024-03-10T08:00:00.1Z",
        "2024-03-10T08:00:00.123456789Z",
        "2024-03-10T18:00:00+10:00",
        "2024-03-10T08:00:00",
    ] {
        let parsed = value::parse_instant(text).expect(text);
        assert_eq!(parsed.timestamp(), expected.timestamp(), "{text}");
    }
    assert_eq!(
        value::parse_calendar_day("2018-11-23"),
        chrono::NaiveDate::from_ymd_opt(2018, 11, 23)
    );

    let job =
        devices_job(r#"fields = [{ source = "warrantyExpirationDate", target = "field_31" }]"#);
    let compiled = compile(&job, &devices());
    let mut planner = Planner::new(&compiled);
    planner.push_source(&json!({"id":1542,"name":"ACME-WS-017",
        "warrantyExpirationDate":"2026-02-01T00:00:00Z"}));
    planner.push_source(&json!({"id":1543,"warrantyExpirationDate":"2026-02-01T23:30:00-10:00"}));
    let plan = planner.finish();
    assert_eq!(plan.creates[0].fields["field_31"], "02/01/2026");
    // 23:30 at -10:00 is 09:30 UTC the next day: the UTC calendar day is kept.
    assert_eq!(plan.creates[1].fields["field_31"], "02/02/2026");
}

fn h09_plan(record: Value, keep: bool) -> cw_ap_mapping::SyncPlan {
    let on_unset = if keep { r#", on_unset = "keep""# } else { "" };
    let job = devices_job(&format!(
        r#"fields = [
            {{ source = "name", target = "field_1" }},
            {{ source = "serialNumber", target = "field_10" }},
            {{ source = "ipAddress", target = "field_41"{on_unset} }},
        ]"#
    ));
    let compiled = compile(&job, &devices());
    let projection = compiled.projection();
    assert!(projection.contains(&"ipAddress".to_string()));
    assert!(projection.iter().all(|f| f != "*"));
    let mut planner = Planner::new(&compiled);
    planner.push_target(object(
        "64b000000000000000000001",
        json!({"field_1":"ACME-WS-017","field_10":"5CG1234XYZ","field_20":"1542",
               "field_41":"10.0.0.17"}),
    ));
    planner.push_source(&record);
    planner.finish()
}

#[test]
fn h09_unset_clears_unless_kept() {
    let absent = json!({"id":1542,"name":"ACME-WS-017","serialNumber":"5CG1234XYZ"});
    let null = json!({"id":1542,"name":"ACME-WS-017","serialNumber":"5CG1234XYZ","ipAddress":null});

    let a = h09_plan(absent.clone(), false);
    assert_eq!(a.updates.len(), 1);
    let changes: Vec<(&str, &Value)> = a.updates[0]
        .changes
        .iter()
        .map(|c| (c.key.as_str(), &c.new))
        .collect();
    assert_eq!(changes, [("field_41", &json!(""))]);

    let b = h09_plan(null, false);
    assert_eq!(b.updates, a.updates);

    let c = h09_plan(absent, true);
    assert!(c.updates.is_empty());
    assert!(c.creates.is_empty());
    assert_eq!(c.unchanged, 1);
}

#[test]
fn h10_path_into_a_scalar_fails_one_field() {
    let job = devices_job(
        r#"fields = [
            { source = "type/name/value", target = "field_50" },
            { source = "company/identifier", target = "field_51" },
            { source = "site/name", target = "field_52" },
        ]"#,
    );
    let record = json!({"id":1542,"name":"ACME-WS-017",
        "type":{"id":12,"name":"Managed Workstation"},
        "company":{"id":250,"identifier":"Acme","name":"Acme Corp"}});
    let compiled = compile(&job, &devices());
    let mut planner = Planner::new(&compiled);
    planner.push_source(&record);
    planner.push_source(&json!({"id":1543,"type":{"name":"Server"}}));
    let plan = planner.finish();

    assert_eq!(plan.creates.len(), 2, "the run goes on");
    let fields = &plan.creates[0].fields;
    assert_eq!(fields["field_51"], "Acme");
    assert_eq!(fields["field_52"], "");
    assert!(!fields.contains_key("field_50"));
    let errors: Vec<_> = plan
        .errors
        .iter()
        .filter(|e| e.record.as_deref() == Some("1542"))
        .collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field.as_deref(), Some("Type (field_50)"));
    assert!(
        errors[0].message.contains("segment `value`"),
        "{}",
        errors[0].message
    );
    assert!(
        errors[0].message.contains("string"),
        "{}",
        errors[0].message
    );

    // Validation against the same sample reports the same error, and writes nothing.
    let validation = validate_job(&job, 0, &devices(), DateFormat::default(), Some(&record));
    let errors: Vec<_> = validation.errors().collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].message.contains("field_50"));
    assert!(errors[0].message.contains("segment `value`"));
    assert_eq!(errors[0].location, "jobs[0].fields[0]");
    assert!(validation.job.is_none());
}

fn h11_record(caption: &str) -> Value {
    json!({"id":501,"name":"acme.example.com","type":{"id":55,"name":"Domain"},
     "customFields":[
      {"id":7,"caption":"Expires","type":"Date","entryMethod":"EntryField","numberOfDecimals":0,"value":"2026-03-01T00:00:00Z"},
      {"id":8,"caption":"Auto Renew","type":"Checkbox","entryMethod":"EntryField","numberOfDecimals":0,"value":true},
      {"id":9,"caption":caption,"type":"Number","entryMethod":"EntryField","numberOfDecimals":2,"value":12.5},
      {"id":10,"caption":"Registrar","type":"Text","entryMethod":"List","numberOfDecimals":0,"value":null},
      {"id":11,"caption":"Rack","type":"Text","entryMethod":"EntryField","numberOfDecimals":0},
      {"id":12,"caption":"Portal","type":"Button","entryMethod":"EntryField","numberOfDecimals":0,"value":{"label":"Open","url":"https://portal.example.com"}}],
     "questions":[{"questionId":3,"question":"Managed DNS?","answer":"Yes"},{"questionId":4,"question":"Zones","answer":3}]})
}

#[test]
fn h11_custom_field_values_of_every_type() {
    let job = devices_job(
        r#"fields = [{ source = "customFields[id=9]", target = "field_60" },
                     { source = "customFields[id=12]", target = "field_52" },
                     { source = "customFields[id=10]", target = "field_41" },
                     { source = "customFields[id=8]", target = "field_62" }]"#,
    );
    let compiled = compile(&job, &devices());
    let mut planner = Planner::new(&compiled);
    for n in 0..1000 {
        let mut record = h11_record("Seats");
        record["id"] = json!(501 + n);
        planner.push_source(&record);
    }
    planner.push_source(&{
        let mut r = h11_record("Licensed Seats");
        r["id"] = json!(9999);
        r
    });
    let plan = planner.finish();
    assert_eq!(plan.creates.len(), 1001);
    assert!(plan.errors.is_empty(), "{:?}", plan.errors);
    for create in &plan.creates {
        assert_eq!(create.fields["field_60"], "12.5");
        assert_eq!(create.fields["field_41"], "");
        assert_eq!(create.fields["field_62"], "true");
        let portal: Value = serde_json::from_str(create.fields["field_52"].as_str().unwrap())
            .expect("the object is kept as JSON text");
        assert_eq!(portal["url"], "https://portal.example.com");
    }

    // By caption: resolved to id 9 against a sample, so a later rename changes nothing.
    let by_caption = devices_job(
        r#"fields = [{ source = "customFields[caption=Seats]", target = "field_60" }]"#,
    );
    let sample = h11_record("Seats");
    let validation = validate_job(
        &by_caption,
        0,
        &devices(),
        DateFormat::default(),
        Some(&sample),
    );
    let compiled = validation.job.expect("caption resolves");
    let mut planner = Planner::new(&compiled);
    planner.push_source(&h11_record("Licensed Seats"));
    assert_eq!(planner.finish().creates[0].fields["field_60"], "12.5");
}

fn mac_group(renamed: bool) -> TargetGroup {
    TargetGroup {
        id: 139300,
        name: "Devices".into(),
        fields: vec![
            TargetField::text("field_1", "Name"),
            TargetField::text("field_20", "CW ID"),
            TargetField::text(
                "field_144",
                if renamed {
                    "Primary MAC"
                } else {
                    "MAC Address"
                },
            ),
            TargetField::text("field_150", "MAC-Address"),
        ],
        statuses: vec![],
    }
}

fn mac_target(target: &str, group: &TargetGroup) -> Result<String, Vec<String>> {
    let job = devices_job(&format!(
        r#"fields = [{{ source = "macAddress", target = "{target}" }}]"#
    ));
    let validation = validate_job(&job, 0, group, DateFormat::default(), None);
    match validation.job {
        Some(compiled) => {
            let mut planner = Planner::new(&compiled);
            planner.push_source(
                &json!({"id":1542,"name":"ACME-WS-017","macAddress":"00-1A-2B-3C-4D-5E"}),
            );
            let plan = planner.finish();
            let fields = &plan.creates[0].fields;
            let keys: Vec<&String> = fields
                .iter()
                .filter(|(_, v)| *v == "00-1A-2B-3C-4D-5E")
                .map(|(k, _)| k)
                .collect();
            assert_eq!(keys.len(), 1);
            Ok(keys[0].clone())
        }
        None => Err(validation.errors().map(|p| p.to_string()).collect()),
    }
}

#[test]
fn h12_target_fields_by_key_not_name() {
    let before = mac_group(false);
    let after = mac_group(true);
    assert_eq!(mac_target("field_144", &before).unwrap(), "field_144");
    assert_eq!(mac_target("field_144", &after).unwrap(), "field_144");
    assert_eq!(mac_target("MAC Address", &before).unwrap(), "field_144");
    assert_eq!(mac_target("MAC Address", &after).unwrap(), "field_150");

    let c = mac_target("mac_address", &before).unwrap_err();
    assert!(
        c.iter()
            .any(|e| e.contains("field_144") && e.contains("field_150")),
        "{c:?}"
    );

    let d = devices_job(r#"fields = [{ source = "serialNumber", target = "field_999" }]"#);
    let validation = validate_job(&d, 0, &before, DateFormat::default(), None);
    assert!(validation.job.is_none());
    let errors: Vec<_> = validation.errors().collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].location, "jobs[0].fields[0].target");
    assert!(errors[0].message.contains("field_999"));
}

#[test]
fn h24_unchanged_records_plan_nothing() {
    let job = devices_job(
        r#"fields = [{ source = "name", target = "field_1" },
                     { source = "serialNumber", target = "field_10" }]"#,
    );
    let compiled = compile(&job, &devices());
    let mut planner = Planner::new(&compiled);
    for (n, id) in [1542, 1543, 1544].iter().enumerate() {
        planner.push_target(object(
            &oid(n),
            json!({"field_1": format!("WS-{id}"), "field_10": format!("SN{id}"), "field_20": id.to_string()}),
        ));
        planner.push_source(
            &json!({"id": id, "name": format!("WS-{id}"), "serialNumber": format!("SN{id}")}),
        );
    }
    let plan = planner.finish();
    assert!(plan.is_noop(), "{}", plan.detailed_summary());
    assert_eq!(plan.unchanged, 3);
}

#[test]
fn h25_adopt_by_normalised_natural_key() {
    let job = job(r#"
        name = "devices"
        entity = "configurations"
        target_group = 139300
        match_keys = [{ target = "field_20" }, { target = "field_10", source = "serialNumber" }]
        fields = [{ source = "name", target = "field_1" }]
    "#);
    let compiled = compile(&job, &devices());
    let existing = object(
        "64b000000000000000000007",
        json!({"field_1":"LT-07","field_10":" 5cd1234xyz ","field_20":""}),
    );
    let record = json!({"id":1601,"name":"ACME-LT-07","serialNumber":"5CD1234XYZ"});

    let mut planner = Planner::new(&compiled);
    planner.push_target(existing.clone());
    planner.push_source(&record);
    let plan = planner.finish();
    assert!(plan.creates.is_empty());
    assert_eq!(plan.updates.len(), 1);
    let update = &plan.updates[0];
    assert_eq!(update.object, "64b000000000000000000007");
    assert!(update.matched_by.adopted);
    assert_eq!(update.matched_by.field, "Serial Number (field_10)");
    let id_change = update
        .changes
        .iter()
        .find(|c| c.key == "field_20")
        .expect("id written");
    assert_eq!(id_change.new, "1601");
    assert!(update
        .changes
        .iter()
        .any(|c| c.key == "field_1" && c.new == "ACME-LT-07"));
    let summary = plan.summary().to_string();
    assert!(
        summary.contains("adopted by Serial Number (field_10)"),
        "{summary}"
    );

    // Apply, then plan again: matched by field_20 and nothing changes.
    let mut applied = existing;
    for change in &update.changes {
        applied
            .fields
            .insert(change.key.clone(), change.new.clone());
    }
    let mut planner = Planner::new(&compiled);
    planner.push_target(applied);
    planner.push_source(&record);
    let again = planner.finish();
    assert!(again.is_noop(), "{}", again.detailed_summary());
}

#[test]
fn h30_missing_parent_leaves_the_link_empty() {
    let job = devices_job(
        r#"fields = [{ source = "name", target = "field_1" },
                     { source = "company", target = "field_40", link = { group = 139301, field = "field_20" } }]"#,
    );
    let compiled = compile(&job, &devices());
    let _ = companies();
    let index = compiled.field_index("field_40").unwrap();
    let mut links = LinkIndex::new();
    links.insert(
        index,
        HashMap::from([("250".to_string(), "64b0000000000000000000c1".to_string())]),
    );

    let mut planner = Planner::new(&compiled).with_links(links);
    planner.push_source(&json!({"id":1700,"name":"ACME-SRV-01","company":{"id":99999,"identifier":"GoneLtd","name":"Gone Ltd"}}));
    planner.push_source(&json!({"id":1701,"name":"ACME-SRV-02","company":null}));
    planner.push_source(&json!({"id":1702,"name":"ACME-SRV-03","company":{"id":250,"identifier":"Acme","name":"Acme Corp"}}));
    let plan = planner.finish();

    assert_eq!(plan.creates.len(), 3);
    assert_eq!(plan.creates[0].fields["field_40"], "");
    assert_eq!(plan.creates[1].fields["field_40"], "");
    assert_eq!(
        plan.creates[2].fields["field_40"], "64b0000000000000000000c1",
        "{:?} {:?}",
        plan.creates, plan.warnings
    );
    assert_eq!(plan.failed, 0);
    assert_eq!(plan.warnings.len(), 2);
    assert_eq!(plan.warnings[0].record.as_deref(), Some("1700"));
    assert!(plan.warnings[0].message.contains("99999"));
    assert_eq!(plan.warnings[1].record.as_deref(), Some("1701"));
}

#[test]
fn h31_only_objects_with_a_cw_id_are_archive_candidates() {
    let job = job(&format!(
        "{DEVICES_BASE}\nfields = [{{ source = \"name\", target = \"field_1\" }}]\narchive_guard = {{ enabled = false }}"
    ));
    let compiled = compile(&job, &devices());
    let mut planner = Planner::new(&compiled);
    for (n, id) in ["1542", "1543", "1544", ""].iter().enumerate() {
        planner.push_target(object(
            &format!("64b00000000000000000000{}", n + 1),
            json!({"field_20": id}),
        ));
    }
    planner.push_source(&json!({"id":1542}));
    planner.push_source(&json!({"id":1543}));
    assert_eq!(planner.missing_ids(), ["1544"]);
    planner.confirm_absent(["1544"]);
    let plan = planner.finish();
    let archived: Vec<&str> = plan.archives.iter().map(|a| a.object.as_str()).collect();
    assert_eq!(archived, ["64b000000000000000000003"]);
    assert!(plan
        .updates
        .iter()
        .all(|u| u.object != "64b000000000000000000004"));
}

fn h32_plan(returned: usize, allow: bool) -> cw_ap_mapping::SyncPlan {
    let job = job(r#"
        name = "companies"
        entity = "companies"
        target_group = 139301
        match_keys = [{ target = "field_20" }]
        fields = [{ source = "name", target = "field_1" }]
    "#);
    let compiled = compile(&job, &companies());
    let mut planner = Planner::new(&compiled).override_archive_guard(allow);
    for n in 1..=1000 {
        planner.push_target(object(
            &oid(n),
            json!({"field_1": format!("Co {n}"), "field_20": n.to_string()}),
        ));
    }
    for n in 1..=200 {
        planner.push_target(object(
            &oid(5000 + n),
            json!({"field_1": format!("Hand {n}"), "field_20": ""}),
        ));
    }
    for n in 1..=returned {
        planner.push_source(&json!({"id": n, "name": format!("Renamed {n}")}));
    }
    let missing = planner.missing_ids();
    assert_eq!(missing.len(), 1000 - returned);
    planner.confirm_absent(missing);
    planner.finish()
}

#[test]
fn h32_mass_archive_guard() {
    let plan = h32_plan(12, false);
    assert!(plan.guard.tripped);
    assert_eq!(plan.guard.archives, 988);
    assert_eq!(plan.guard.carrying_id, 1000);
    let reason = plan.stopped.as_deref().expect("stopped");
    assert!(reason.contains("988 of the 1000"), "{reason}");
    assert!(
        reason.contains("(limit 10 %, at most 100 objects)")
            && reason.contains("--allow-mass-archive"),
        "{reason}"
    );
    assert!(plan.summary().to_string().contains("STOPPED"));

    let allowed = h32_plan(12, true);
    assert!(allowed.stopped.is_none());
    assert_eq!(allowed.archives.len(), 988);
    assert_eq!(allowed.updates.len(), 12);
    assert!(allowed.archives.iter().all(|a| a.object < oid(5000)));

    let variant = h32_plan(990, false);
    assert!(variant.stopped.is_none());
    assert_eq!(variant.archives.len(), 10);
}
