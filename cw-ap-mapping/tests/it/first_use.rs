//! What a first user trips over: counts that add up, typos in nested source paths, and a
//! validation that cannot read its sample record.

use std::sync::Arc;

use cw_ap_mapping::{validate_job, DateFormat, Engine, Severity};
use serde_json::json;

use crate::engine::{config, options, DEVICES};
use crate::support::{companies, devices, job, MemorySink, MemorySource};

const COMPANIES: &str = r#"
[[jobs]]
name = "companies"
entity = "companies"
target_group = 139301
match_keys = [{ target = "field_20" }]
fields = [{ source = "name", target = "field_1" }]
"#;

#[tokio::test]
async fn soft_deleted_records_without_an_object_are_counted() {
    let sink = Arc::new(MemorySink::new(vec![companies()], vec![]));
    let source = MemorySource::new(vec![
        json!({"id": 250, "name": "Kept Co", "deletedFlag": false}),
        json!({"id": 251, "name": "Gone Co", "deletedFlag": true}),
        json!({"id": 252, "name": "Other Co"}),
    ]);
    let report = Engine::new(source, sink.clone())
        .with_options(options())
        .run(&config(COMPANIES))
        .await;
    let c = report.group("companies").unwrap().counts;

    assert_eq!((c.fetched, c.created, c.deleted), (3, 2, 1));
    assert_eq!(
        c.fetched,
        c.created + c.updated + c.unchanged + c.filtered_out + c.failed + c.deleted,
        "every record read is accounted for: {c:?}"
    );
    assert_eq!(sink.count_cw_id(139301, "251"), 0);
}

#[test]
fn a_typo_below_a_reference_is_refused_with_the_nearest_name() {
    let devices_job = job(r#"
name = "devices"
entity = "configurations"
target_group = 139300
match_keys = [{ target = "field_20" }]
fields = [{ source = "name", target = "field_1" }, { source = "company/identifer", target = "field_51" }]
"#);
    let validation = validate_job(&devices_job, 0, &devices(), DateFormat::default(), None);
    let errors: Vec<String> = validation.errors().map(|p| p.to_string()).collect();

    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("fields[1]"), "{}", errors[0]);
    assert!(
        errors[0].contains("did you mean `company/identifier`?"),
        "{}",
        errors[0]
    );
}

#[test]
fn known_and_generic_reference_fields_stay_accepted() {
    for source in [
        "company/identifier",
        "company/id",
        "type/id",
        "site/name",
        "company/_info/company_href",
    ] {
        let text = format!(
            r#"
name = "devices"
entity = "configurations"
target_group = 139300
match_keys = [{{ target = "field_20" }}]
fields = [{{ source = "name", target = "field_1" }}, {{ source = "{source}", target = "field_52" }}]
"#
        );
        let validation = validate_job(&job(&text), 0, &devices(), DateFormat::default(), None);
        let errors: Vec<String> = validation.errors().map(|p| p.to_string()).collect();
        assert!(errors.is_empty(), "{source}: {errors:?}");
    }
}

#[test]
fn an_unknown_field_below_a_reference_is_taken_from_the_sample_or_warned_about() {
    let text = r#"
name = "devices"
entity = "configurations"
target_group = 139300
match_keys = [{ target = "field_20" }]
fields = [{ source = "name", target = "field_1" }, { source = "site/region", target = "field_52" }]
"#;
    let sample = json!({"id": 1, "site": {"id": 4, "name": "Main", "region": "North"}});
    let with_sample = validate_job(
        &job(text),
        0,
        &devices(),
        DateFormat::default(),
        Some(&sample),
    );
    assert_eq!(with_sample.problems.len(), 0, "{:?}", with_sample.problems);

    let without = validate_job(&job(text), 0, &devices(), DateFormat::default(), None);
    let warnings: Vec<String> = without.warnings().map(|p| p.to_string()).collect();
    assert_eq!(without.errors().count(), 0);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("site/region"), "{}", warnings[0]);
}

#[tokio::test]
async fn validate_reports_a_sample_that_could_not_be_read() {
    let sink = Arc::new(MemorySink::new(vec![devices()], vec![]));
    let source = MemorySource {
        forbidden: true,
        ..MemorySource::new(vec![])
    };
    let results = Engine::new(source, sink.clone())
        .validate(&config(DEVICES))
        .await;
    let problems = &results[0].1.problems;
    let errors: Vec<String> = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| p.to_string())
        .collect();

    assert_eq!(errors.len(), 1, "{problems:?}");
    assert!(errors[0].contains("sample record"), "{}", errors[0]);
    assert!(errors[0].contains("403"), "{}", errors[0]);
    assert_eq!(sink.writes(), 0);
}

#[tokio::test]
async fn validate_of_an_empty_collection_is_not_an_error() {
    let sink = Arc::new(MemorySink::new(vec![devices()], vec![]));
    let results = Engine::new(MemorySource::new(vec![]), sink)
        .validate(&config(DEVICES))
        .await;
    let warnings: Vec<String> = results[0].1.warnings().map(|p| p.to_string()).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("no record"), "{}", warnings[0]);
    assert_eq!(
        results[0].1.errors().count(),
        0,
        "{:?}",
        results[0].1.problems
    );
}

#[tokio::test]
async fn a_dry_run_links_to_the_objects_an_earlier_job_would_create() {
    use crate::support::Routed;
    use cw_ap_mapping::{EngineOptions, PLANNED_LINK};

    let sink = Arc::new(MemorySink::new(vec![devices(), companies()], vec![]));
    let source = Arc::new(Routed(vec![
        (
            cw_ap_mapping::Entity::Companies,
            MemorySource::new(vec![json!({"id": 250, "name": "Acme"})]),
        ),
        (
            cw_ap_mapping::Entity::Configurations,
            MemorySource::new(vec![
                json!({"id": 1, "name": "WS-1", "company": {"id": 250}}),
                json!({"id": 2, "name": "WS-2", "company": {"id": 999}}),
            ]),
        ),
    ]));
    let text = format!(
        "{COMPANIES}{}",
        r#"
[[jobs]]
name = "devices"
entity = "configurations"
target_group = 139300
match_keys = [{ target = "field_20" }]
fields = [{ source = "name", target = "field_1" },
          { source = "company/id", target = "field_40", link = { group = 139301, field = "field_20" } }]
"#
    );
    let report = Engine::new(source, sink.clone())
        .with_options(EngineOptions {
            dry_run: true,
            ..options()
        })
        .run(&config(&text))
        .await;
    let devices = report.group("devices").unwrap();
    let plan = devices.plan.as_ref().unwrap();
    let link_of = |record: &str| {
        plan.creates
            .iter()
            .find(|c| c.record == record)
            .map(|c| c.fields["field_40"].clone())
    };

    assert_eq!(link_of("1"), Some(json!(PLANNED_LINK)));
    assert_eq!(link_of("2"), Some(json!("")));
    let warnings: Vec<String> = devices.warnings.iter().map(|w| w.message.clone()).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("999"), "{}", warnings[0]);
    assert_eq!(sink.writes(), 0);
}

#[test]
fn a_group_that_is_neither_an_id_nor_a_name_says_what_is_expected() {
    for value in ["-5", "0", "\"  \"", "1.5"] {
        let text = COMPANIES.replace("target_group = 139301", &format!("target_group = {value}"));
        let err = cw_ap_mapping::Config::from_toml_str(&text)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("a group id (a whole number above 0) or a group name"),
            "{value}: {err}"
        );
        assert!(err.contains("line 5"), "{value}: {err}");
    }
    let by_id = cw_ap_mapping::Config::from_toml_str(COMPANIES).unwrap();
    assert_eq!(
        by_id.jobs[0].target_group,
        cw_ap_mapping::GroupRef::Id(139301)
    );
    let by_name = COMPANIES.replace("target_group = 139301", "target_group = \"Companies\"");
    assert_eq!(
        cw_ap_mapping::Config::from_toml_str(&by_name).unwrap().jobs[0].target_group,
        cw_ap_mapping::GroupRef::Name("Companies".into())
    );
}

#[test]
fn a_mistake_inside_a_filter_condition_is_named() {
    let with = |filter: &str| {
        let text = COMPANIES.replace(
            "match_keys",
            &format!("filter = {{ conditions = [{filter}] }}\nmatch_keys"),
        );
        cw_ap_mapping::Config::from_toml_str(&text).map(|_| ())
    };

    let op = with(r#"{ field = "name", op = "like_ish", value = "x" }"#)
        .unwrap_err()
        .to_string();
    assert!(op.contains("unknown variant `like_ish`"), "{op}");
    assert!(op.contains("line 6"), "{op}");
    let key = with(r#"{ field = "name", op = "=", valeu = "x" }"#)
        .unwrap_err()
        .to_string();
    assert!(key.contains("unknown field `valeu`"), "{key}");
    let shape = with(r#"{ fild = "name" }"#).unwrap_err().to_string();
    assert!(shape.contains("a filter condition is"), "{shape}");
    let nested = with(r#"{ any = [{ field = "name", op = "~", value = "x" }] }"#)
        .unwrap_err()
        .to_string();
    assert!(nested.contains("unknown variant `~`"), "{nested}");

    with(r#"{ any = [{ field = "name", op = "=", value = "x" }, { not = { field = "city", op = "is null" } }] }"#)
        .expect("a well-formed filter");
    with(r#"{ all = [{ field = "numberOfEmployees", op = ">", value = 3 }, { field = "name", op = "in", value = ["a", "b"] }] }"#)
        .expect("a well-formed filter");
}

#[test]
fn a_wrong_orphan_policy_says_what_is_expected() {
    let with = |policy: &str| {
        let text = COMPANIES.replace("match_keys", &format!("on_deleted = {policy}\nmatch_keys"));
        cw_ap_mapping::Config::from_toml_str(&text).map(|c| c.jobs[0].on_deleted.clone())
    };

    let typo = with(r#""archiv""#).unwrap_err().to_string();
    assert!(
        typo.contains("unknown variant `archiv`, expected `keep` or `archive`"),
        "{typo}"
    );
    assert!(typo.contains("line 6"), "{typo}");
    let missing = with(r#"{ set_status = "Retired" }"#)
        .unwrap_err()
        .to_string();
    assert!(missing.contains("missing field `field`"), "{missing}");
    let number = with("3").unwrap_err().to_string();
    assert!(
        number.contains("expected \"keep\", \"archive\" or"),
        "{number}"
    );

    assert_eq!(
        with(r#""archive""#).unwrap(),
        cw_ap_mapping::OrphanPolicy::archive()
    );
    assert_eq!(
        with(r#"{ set_status = "Retired", field = "Status", archive = true }"#).unwrap(),
        cw_ap_mapping::OrphanPolicy::SetStatus {
            set_status: "Retired".into(),
            field: "Status".into(),
            archive: true,
        }
    );
}

#[test]
fn a_toml_error_does_not_repeat_the_word_configuration() {
    // Programs put "configuration <file>:" in front of this text.
    let err = cw_ap_mapping::Config::from_toml_str("[connectwise\n")
        .unwrap_err()
        .to_string();

    assert!(err.starts_with("TOML line 1, column 13: "), "{err}");
    assert!(!err.contains("configuration"), "{err}");
}
