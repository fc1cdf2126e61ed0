//! Every ConnectWise model decodes any bytes without panicking, and what decodes
//! re-encodes to JSON that decodes again.

#![no_main]

use connectwise_api::models::{Agreement, CatalogItem, Company, Configuration, Ticket};
use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use serde::Serialize;

fn round_trip<T: DeserializeOwned + Serialize>(data: &[u8]) {
    if let Ok(model) = serde_json::from_slice::<T>(data) {
        let json = serde_json::to_vec(&model).expect("a decoded model encodes");
        serde_json::from_slice::<T>(&json).expect("an encoded model decodes");
    }
    let _ = serde_json::from_slice::<Vec<T>>(data);
}

fuzz_target!(|data: &[u8]| {
    round_trip::<Company>(data);
    round_trip::<Configuration>(data);
    round_trip::<Ticket>(data);
    round_trip::<Agreement>(data);
    round_trip::<CatalogItem>(data);
});
