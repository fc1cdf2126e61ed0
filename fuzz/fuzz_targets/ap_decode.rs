//! Every Asset Panda model decodes any bytes without panicking, and what decodes
//! re-encodes to JSON that decodes again.

#![no_main]

use assetpanda_api::{AccountSettings, Field, Group, Object, Status, Totals};
use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use serde::Serialize;

fn round_trip<T: DeserializeOwned + Serialize>(data: &[u8]) {
    if let Ok(model) = serde_json::from_slice::<T>(data) {
        let json = serde_json::to_vec(&model).expect("a decoded model encodes");
        serde_json::from_slice::<T>(&json).expect("an encoded model decodes");
    }
}

fuzz_target!(|data: &[u8]| {
    round_trip::<Object>(data);
    round_trip::<Group>(data);
    round_trip::<Field>(data);
    round_trip::<Status>(data);
    round_trip::<Totals>(data);
    round_trip::<AccountSettings>(data);
});
