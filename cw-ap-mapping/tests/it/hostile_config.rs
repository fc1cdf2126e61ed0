//! Hostile configuration text: the property twin of the `mapping_config` fuzz target, and
//! filters nested deeper than any person writes.

use cw_ap_mapping::path::FieldPath;
use cw_ap_mapping::Config;
use proptest::prelude::*;

/// Parses `text` both ways and compiles, renders and evaluates every parsed filter.
fn exercise(text: &str) {
    let configs = [
        Config::from_toml_str(text).ok(),
        Config::from_json_str(text).ok(),
    ];
    for config in configs.into_iter().flatten() {
        let _ = config.to_toml_string();
        for job in &config.jobs {
            let resolve = |name: &str| FieldPath::parse(name).map_err(|e| e.to_string());
            if let Ok(filter) = job.filter.compile(job.entity, &resolve) {
                let _ = filter.render();
                let _ = filter.matches(&serde_json::json!({ "id": 1, "name": "A" }));
            }
        }
    }
}

const JOB: &str = "[[jobs]]\nname = \"d\"\nentity = \"configurations\"\ntarget_group = 1\n\
                   match_keys = [{ target = \"field_20\" }]\n";

proptest! {
    #[test]
    fn any_text_is_read_or_refused_without_panicking(text in ".{0,200}") {
        exercise(&text);
    }

    #[test]
    fn any_filter_line_is_read_or_refused_without_panicking(
        line in r#"filter = \{ (status|types|conditions|raw_conditions|min_employees) = (\[|\{|"|[0-9]|-|,|\]|\}| |field|op|value|=|"in"|any|all|not){0,30}"#,
    ) {
        exercise(&format!("{JOB}{line}\n"));
    }
}

#[test]
fn a_filter_nested_thousands_deep_is_refused_or_read_without_overflow() {
    let depth = 5_000;
    let inner = r#"{ "field": "name", "op": "=", "value": "A" }"#;
    let nested = format!(
        "{}{inner}{}",
        r#"{ "not": "#.repeat(depth),
        " }".repeat(depth)
    );
    let json = format!(
        r#"{{"jobs":[{{"name":"d","entity":"configurations","target_group":1,
            "match_keys":[{{"target":"field_20"}}],"filter":{{"conditions":[{nested}]}}}}]}}"#
    );
    let toml = format!(
        "{JOB}filter = {{ conditions = [{}] }}\n",
        nested
            .replace("\": ", "\" = ")
            .replace("{ \"not\"", "{ not")
    );

    let from_json = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || exercise(&json))
        .expect("a thread starts")
        .join();
    let from_toml = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || exercise(&toml))
        .expect("a thread starts")
        .join();

    assert!(from_json.is_ok(), "the JSON reader overflowed or panicked");
    assert!(from_toml.is_ok(), "the TOML reader overflowed or panicked");
}
