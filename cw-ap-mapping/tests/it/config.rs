//! Reading configurations from TOML and JSON.

use cw_ap_mapping::{
    Config, ConfigError, Entity, GroupRef, JobConfig, OnUnset, OrphanAction, OrphanPolicy,
    Transform,
};
use serde::Deserialize;

const FULL: &str = r#"
[[jobs]]
name = "companies"
entity = "companies"
target_group = "Companies"
match_keys = [{ target = "CW ID" }, { target = "field_30", source = "Company Identifier", exact = true }]
on_deleted = { set_status = "Retired", field = "Status", archive = true }
on_filtered_out = "archive"
archive_guard = { max_share = 0.25 }

[jobs.filter]
status = ["Active"]
types = ["Client", "Vendor"]
min_employees = 10
conditions = [
  { field = "state", op = "in", value = ["TX", "OK"] },
  { any = [{ field = "city", op = "=", value = "Austin" }, { field = "zip", op = "is null" }] },
]

[[jobs.fields]]
source = "Company"
target = "Name"
transforms = [{ op = "trim" }, { op = "truncate", max = 50 }, { op = "default", value = "n/a" }]

[[jobs.fields]]
template = "{addressLine1}, {city}"
target = "field_5"
on_unset = "keep"

[[jobs.fields]]
source = "status/name"
target = "field_11"
values = { Active = "88101", Inactive = "88104" }
"#;

#[test]
fn reads_a_full_job_from_toml() {
    let config = Config::from_toml_str(FULL).expect("valid");
    let job = &config.jobs[0];
    assert_eq!(job.entity, Entity::Companies);
    assert_eq!(job.target_group, GroupRef::Name("Companies".into()));
    assert_eq!(job.match_keys.len(), 2);
    assert!(job.match_keys[1].exact);
    assert_eq!(
        job.on_filtered_out,
        OrphanPolicy::Simple(OrphanAction::Archive)
    );
    assert!(matches!(
        &job.on_deleted,
        OrphanPolicy::SetStatus { archive: true, .. }
    ));
    assert_eq!(job.archive_guard.max_share, 0.25);
    assert!(job.archive_guard.enabled);
    assert_eq!(job.filter.types, ["Client", "Vendor"]);
    assert_eq!(job.filter.conditions.len(), 2);
    assert_eq!(job.fields[0].transforms[1], Transform::Truncate { max: 50 });
    assert_eq!(job.fields[1].on_unset, OnUnset::Keep);
    assert_eq!(job.fields[2].values.as_ref().unwrap()["Active"], "88101");
}

#[test]
fn defaults_follow_the_decisions() {
    let config = Config::from_toml_str(
        "[[jobs]]\nname = \"d\"\nentity = \"configurations\"\ntarget_group = 1\nmatch_keys = [{ target = \"field_20\" }]",
    )
    .unwrap();
    let job = &config.jobs[0];
    assert_eq!(job.on_deleted, OrphanPolicy::archive());
    assert_eq!(job.on_filtered_out, OrphanPolicy::keep());
    assert_eq!(job.archive_guard.max_share, 0.10);
    assert_eq!(job.create_guard, cw_ap_mapping::GuardSettings::default());
    assert!(job.create_guard.enabled);
    assert_eq!(job.create_guard.max_share, 0.10);
    assert!(job.filter.is_empty());
    assert_eq!(job.target_group, GroupRef::Id(1));
}

#[test]
fn toml_errors_name_line_and_column() {
    let text =
        "[[jobs]]\nname = \"d\"\nentity = \"spaceships\"\ntarget_group = 1\nmatch_keys = []\n";
    let err = Config::from_toml_str(text).unwrap_err();
    match &err {
        ConfigError::Toml {
            line,
            column,
            message,
        } => {
            assert_eq!(*line, 3, "{err}");
            assert!(*column >= 1);
            assert!(
                message.contains("spaceships") || message.contains("variant"),
                "{message}"
            );
        }
        other => panic!("unexpected {other:?}"),
    }
    let typo = "[[jobs]]\nname = \"d\"\nentity = \"tickets\"\ntarget_group = 1\nmatch_keys = []\nfeilds = []\n";
    let err = Config::from_toml_str(typo).unwrap_err();
    assert!(err.to_string().contains("line 6"), "{err}");
    assert!(err.to_string().contains("feilds"), "{err}");
}

#[test]
fn toml_errors_name_the_setting_and_say_number_types_in_words() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Tool {
        sync: Sync,
        jobs: Vec<JobConfig>,
    }
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Sync {
        read_concurrency: usize,
    }

    let negative = "[sync]\nread_concurrency = -1\n";
    let err = cw_ap_mapping::from_toml_str::<Tool>(negative)
        .unwrap_err()
        .to_string();
    assert!(err.contains("line 2"), "{err}");
    assert!(err.contains("`sync.read_concurrency`"), "{err}");
    assert!(err.contains("a whole number, 0 or more"), "{err}");
    assert!(!err.contains("usize"), "{err}");

    let nested = format!("[sync]\nread_concurrency = 1\n{FULL}").replace(
        "match_keys = [{ target = \"CW ID\" }",
        "match_keys = [{ target = 20 }",
    );
    let err = cw_ap_mapping::from_toml_str::<Tool>(&nested)
        .unwrap_err()
        .to_string();
    assert!(err.contains("`jobs[0].match_keys[0].target`"), "{err}");

    let twice = "[sync]\nread_concurrency = 1\n\n[sync]\nread_concurrency = 2\n";
    let err = cw_ap_mapping::from_toml_str::<Tool>(twice)
        .unwrap_err()
        .to_string();
    assert!(err.contains("line 4"), "{err}");
    assert!(err.contains("duplicate key `sync`"), "{err}");
}

#[test]
fn json_errors_name_the_path() {
    let text = r#"{"jobs":[{"name":"d","entity":"tickets","target_group":1,"match_keys":[{"target":5}]}]}"#;
    let err = Config::from_json_str(text).unwrap_err();
    match err {
        ConfigError::Json { path, .. } => assert_eq!(path, "jobs[0].match_keys[0].target"),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn round_trips_through_toml_and_json() {
    let config = Config::from_toml_str(FULL).unwrap();
    let toml = config.to_toml_string().unwrap();
    assert_eq!(Config::from_toml_str(&toml).unwrap(), config);
    let json = serde_json::to_string(&config).unwrap();
    assert_eq!(Config::from_json_str(&json).unwrap(), config);
}

#[test]
fn embeds_in_a_larger_file() {
    #[derive(Deserialize)]
    struct Tool {
        #[allow(dead_code)]
        connectwise: toml::Value,
        jobs: Vec<JobConfig>,
    }
    let text = format!("[connectwise]\nsite = \"x\"\n{FULL}");
    let tool: Tool = cw_ap_mapping::from_toml_str(&text).unwrap();
    assert_eq!(tool.jobs.len(), 1);
}
