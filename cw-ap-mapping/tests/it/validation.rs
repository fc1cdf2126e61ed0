//! Validation of a job against its target group.

use cw_ap_mapping::{validate, validate_job, Config, DateFormat, Severity, TargetField};
use serde_json::json;

use crate::support::{devices, job};

fn problems(toml: &str) -> Vec<cw_ap_mapping::Problem> {
    let job = job(toml);
    validate_job(&job, 0, &devices(), DateFormat::default(), None).problems
}

fn errors(toml: &str) -> Vec<cw_ap_mapping::Problem> {
    problems(toml)
        .into_iter()
        .filter(|p| p.severity == Severity::Error)
        .collect()
}

const BASE: &str = "name = \"d\"\nentity = \"configurations\"\ntarget_group = 139300\n";

#[test]
fn reports_every_problem_at_once_with_locations() {
    let errors = errors(&format!(
        "{BASE}match_keys = [{{ target = \"field_20\" }}]\nfields = [
            {{ source = \"serialNumbr\", target = \"field_10\" }},
            {{ source = \"name\", target = \"Nmae\" }},
            {{ source = \"name\", target = \"field_1\" }},
            {{ source = \"osType\", target = \"field_1\" }},
        ]"
    ));
    let at: Vec<(&str, Option<&str>)> = errors
        .iter()
        .map(|p| (p.location.as_str(), p.suggestion.as_deref()))
        .collect();
    assert!(
        at.contains(&("jobs[0].fields[0].source", Some("serialNumber"))),
        "{at:?}"
    );
    assert!(
        at.contains(&("jobs[0].fields[1].target", Some("Name"))),
        "{at:?}"
    );
    assert!(
        errors
            .iter()
            .any(|p| p.location == "jobs[0].fields[3].target"
                && p.message.contains("already the target of fields[2]")),
        "{errors:?}"
    );
}

#[test]
fn required_target_field_must_be_mapped() {
    let mut group = devices();
    group
        .fields
        .push(TargetField::text("field_99", "Asset Tag").required());
    let job = job(&format!("{BASE}match_keys = [{{ target = \"field_20\" }}]"));
    let validation = validate_job(&job, 0, &group, DateFormat::default(), None);
    assert!(validation
        .errors()
        .any(|p| p.message.contains("Asset Tag (field_99)") && p.message.contains("required")));
}

#[test]
fn unstable_identifiers_are_refused_unless_accepted() {
    let toml = "name = \"c\"\nentity = \"companies\"\ntarget_group = 139300\n\
                match_keys = [{ target = \"field_20\", source = \"Company\" }]";
    let errs = errors(toml);
    assert!(
        errs.iter()
            .any(|p| p.location == "jobs[0].match_keys[0].source"
                && p.message.contains("not a safe unique identifier")),
        "{errs:?}"
    );
    for unstable in ["Phone", "Status"] {
        let toml = format!(
            "name = \"c\"\nentity = \"companies\"\ntarget_group = 139300\n\
             match_keys = [{{ target = \"field_20\" }}, {{ target = \"field_10\", source = \"{unstable}\" }}]"
        );
        assert!(!errors(&toml).is_empty(), "{unstable}");
    }
    let accepted = format!("{toml}\naccept_unstable_identifiers = true");
    let all = problems(&accepted);
    assert!(
        all.iter().all(|p| p.severity == Severity::Warning),
        "{all:?}"
    );
    assert!(!all.is_empty());
}

#[test]
fn the_cw_id_target_must_exist() {
    let errs = errors(&format!(
        "{BASE}match_keys = [{{ target = \"CW Identifier\" }}]"
    ));
    assert!(
        errs.iter()
            .any(|p| p.message.contains("stores the ConnectWise id")),
        "{errs:?}"
    );
    let errs = errors(&format!("{BASE}match_keys = []"));
    assert!(
        errs.iter().any(|p| p.location == "jobs[0].match_keys"),
        "{errs:?}"
    );
}

#[test]
fn transforms_must_fit_the_kind() {
    let errs = errors(&format!(
        "{BASE}match_keys = [{{ target = \"field_20\" }}]\nfields = [
            {{ source = \"activeFlag\", target = \"field_62\", transforms = [{{ op = \"upper\" }}] }},
            {{ source = \"name\", target = \"field_1\", transforms = [{{ op = \"date_format\", format = \"%Y\" }}] }},
            {{ source = \"purchaseDate\", target = \"field_50\", transforms = [{{ op = \"date_format\", format = \"%Q\" }}] }},
        ]"
    ));
    let locations: Vec<&str> = errors_locations(&errs);
    assert!(
        locations.contains(&"jobs[0].fields[0].transforms[0]"),
        "{locations:?}"
    );
    assert!(
        locations.contains(&"jobs[0].fields[1].transforms[0]"),
        "{locations:?}"
    );
    assert!(
        locations.contains(&"jobs[0].fields[2].transforms[0].format"),
        "{locations:?}"
    );
}

fn errors_locations(errs: &[cw_ap_mapping::Problem]) -> Vec<&str> {
    errs.iter().map(|p| p.location.as_str()).collect()
}

#[test]
fn custom_field_captions_resolve_against_a_sample() {
    let job = job(&format!(
        "{BASE}match_keys = [{{ target = \"field_20\" }}]\nfields = [
            {{ source = \"customFields[caption=Seats]\", target = \"field_60\" }},
            {{ source = \"customFields[caption=Tier]\", target = \"field_52\" }},
            {{ source = \"customFields[caption=Dup]\", target = \"field_51\" }},
        ]"
    ));
    let sample = json!({"id": 1, "customFields": [
        {"id": 9, "caption": "Seats", "value": 3},
        {"id": 20, "caption": "Dup"}, {"id": 21, "caption": "Dup"}]});
    let validation = validate_job(&job, 0, &devices(), DateFormat::default(), Some(&sample));
    let errs: Vec<_> = validation.errors().collect();
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert!(errs[0].message.contains("`Tier`"));
    assert!(
        errs[1].message.contains("several custom fields") && errs[1].message.contains("20, 21")
    );

    // Without a sample the caption is kept, with a warning.
    let validation = validate_job(&job, 0, &devices(), DateFormat::default(), None);
    assert!(validation.is_ok());
    assert_eq!(validation.warnings().count(), 3);
}

#[test]
fn list_field_without_values_is_a_warning() {
    let all = problems(&format!(
        "{BASE}match_keys = [{{ target = \"field_20\" }}]\nfields = [{{ source = \"manufacturer/name\", target = \"field_63\" }}]"
    ));
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0].severity, Severity::Warning);
    assert!(all[0].message.contains("values"));
}

#[test]
fn filters_and_policies_are_checked() {
    let errs = errors(&format!(
        "{BASE}match_keys = [{{ target = \"field_20\" }}]\n\
         on_deleted = {{ set_status = \"Gone\", field = \"field_11\" }}\n\
         archive_guard = {{ max_share = 1.5 }}\n\
         create_guard = {{ max_share = -0.1 }}\n\
         [jobs.filter]\nmin_employees = 3\nconditions = [{{ field = \"nmae\", op = \"=\", value = \"x\" }},\
         {{ field = \"name\", op = \"is null\", value = \"x\" }}]"
    ));
    let locations = errors_locations(&errs);
    for expected in [
        "jobs[0].on_deleted.set_status",
        "jobs[0].archive_guard.max_share",
        "jobs[0].create_guard.max_share",
        "jobs[0].filter.min_employees",
        "jobs[0].filter.conditions[0].field",
        "jobs[0].filter.conditions[1].value",
    ] {
        assert!(
            locations.contains(&expected),
            "{expected} not in {locations:?}"
        );
    }
}

#[test]
fn validate_matches_jobs_to_groups_and_names() {
    let config = Config::from_toml_str(&format!(
        "[[jobs]]\n{BASE}match_keys = [{{ target = \"field_20\" }}]\n\
         [[jobs]]\nname = \"d\"\nentity = \"tickets\"\ntarget_group = \"Nowhere\"\nmatch_keys = []"
    ))
    .unwrap();
    let results = validate(&config, &[devices()]);
    assert!(results[0].is_ok());
    let second: Vec<String> = results[1].errors().map(|p| p.to_string()).collect();
    assert!(second.iter().any(|e| e.contains("Nowhere")), "{second:?}");
    assert!(
        second.iter().any(|e| e.contains("used by jobs[0]")),
        "{second:?}"
    );
}

#[test]
fn a_link_on_a_field_that_is_not_a_group_list_is_an_error() {
    let errors = errors(&format!(
        "{BASE}match_keys = [{{ target = \"field_20\" }}]\nfields = [
            {{ source = \"company/id\", target = \"field_11\", link = {{ group = 139301, field = \"field_20\" }} }},
            {{ source = \"company/id\", target = \"field_40\", link = {{ group = 139301, field = \"field_20\" }} }},
        ]"
    ));

    let at: Vec<&str> = errors.iter().map(|p| p.location.as_str()).collect();
    assert_eq!(at, ["jobs[0].fields[0]"], "{errors:?}");
    assert!(
        errors[0].message.contains("not a group-list field"),
        "{errors:?}"
    );
}

#[test]
fn a_missing_key_gets_no_near_key_and_an_empty_target_says_so() {
    let errors = errors(&format!(
        "{BASE}match_keys = [{{ target = \"field_20\" }}]\nfields = [
            {{ source = \"name\", target = \"field_9999\" }},
            {{ source = \"name\", target = \"\" }},
            {{ source = \"name\", target = \"Serial Numbr\" }},
        ]"
    ));

    let found: Vec<(&str, Option<&str>)> = errors
        .iter()
        .map(|p| (p.message.as_str(), p.suggestion.as_deref()))
        .collect();
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(
        found[0].0.contains("no field `field_9999`") && found[0].1.is_none(),
        "{found:?}"
    );
    assert!(found[1].0.starts_with("the target is empty"), "{found:?}");
    assert_eq!(found[2].1, Some("Serial Number"), "{found:?}");
}
