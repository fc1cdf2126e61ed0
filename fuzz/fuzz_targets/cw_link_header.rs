//! The `Link` header parser never panics and only returns text found in the header.

#![no_main]

use connectwise_api::link_target;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(header) = std::str::from_utf8(data) else {
        return;
    };
    for rel in ["next", "last", "first", "prev"] {
        if let Some(target) = link_target(header, rel) {
            assert!(header.contains(target.as_str()), "{target:?} is not in {header:?}");
        }
    }
});
