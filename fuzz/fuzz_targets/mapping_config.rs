//! The mapping configuration parser (TOML and JSON) never panics, and the filters of a
//! configuration that parses compile, render and evaluate without panicking.

#![no_main]

use cw_ap_mapping::path::FieldPath;
use cw_ap_mapping::Config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let configs = [Config::from_toml_str(text).ok(), Config::from_json_str(text).ok()];
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
});
