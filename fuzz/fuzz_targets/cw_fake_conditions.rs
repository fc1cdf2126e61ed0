//! The fake server's `conditions` parser and evaluator never panic, whatever the text.

#![no_main]

use connectwise_api::fake::{condition_matches, parse_conditions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(expr) = parse_conditions(text) {
        let record = serde_json::json!({
            "id": 7, "name": "ACME \"HQ\"", "company": { "id": 1, "name": "A" },
            "types": [{ "name": "Client" }], "lastUpdated": "2025-05-05T00:00:00Z",
            "flag": true, "none": null,
        });
        let _ = condition_matches(&expr, &record);
    }
});
