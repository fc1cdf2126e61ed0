//! Decoding one page of 1,000 configurations, as the fake server sends it: straight into
//! the typed model, into `serde_json::Value`, the way the list stream does it (the page
//! split into the raw text of its rows, then each row into the model, so a bad row fails
//! alone) and the way it used to (rows as values, then each value into the model). A
//! projected page (the ten fields a typical device mapping asks for) shows what `fields=`
//! saves on our side.

use connectwise_api::fake::{Entity, FakeConnectWise};
use connectwise_api::models::Configuration;
use criterion::{criterion_main, Criterion, Throughput};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// The fields a device mapping projects (see the sync tool's sample jobs).
const PROJECTION: &[&str] = &[
    "id",
    "_info",
    "name",
    "modelNumber",
    "serialNumber",
    "warrantyExpirationDate",
    "company",
    "ipAddress",
    "macAddress",
];

fn page() -> (Vec<u8>, Vec<u8>) {
    let state = FakeConnectWise::builder()
        .seed(1)
        .companies(100)
        .configurations(1000)
        .build_state();
    let records = state.records(Entity::Configurations);
    let projected: Vec<Value> = records
        .iter()
        .map(|r| {
            let keep = r
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(k, _)| PROJECTION.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()));
            Value::Object(keep.collect::<Map<String, Value>>())
        })
        .collect();
    let full = serde_json::to_vec(&records).expect("generated records serialise");
    let projected = serde_json::to_vec(&projected).expect("projected records serialise");
    (full, projected)
}

fn decode(c: &mut Criterion) {
    let (full, projected) = page();
    let mut group = c.benchmark_group("configurations_page_1000");
    group.throughput(Throughput::Bytes(full.len() as u64));

    group.bench_function("typed", |b| {
        b.iter(|| {
            let rows: Vec<Configuration> = serde_json::from_slice(&full).expect("decodes");
            assert_eq!(rows.len(), 1000);
            rows
        })
    });
    group.bench_function("value", |b| {
        b.iter(|| {
            let rows: Vec<Value> = serde_json::from_slice(&full).expect("decodes");
            assert_eq!(rows.len(), 1000);
            rows
        })
    });
    group.bench_function("typed_through_raw_rows", |b| {
        b.iter(|| {
            let rows: Vec<&RawValue> = serde_json::from_slice(&full).expect("decodes");
            let typed: Vec<Configuration> = rows
                .iter()
                .map(|row| serde_json::from_str(row.get()).expect("each row decodes"))
                .collect();
            assert_eq!(typed.len(), 1000);
            typed
        })
    });
    group.bench_function("typed_through_value_rows", |b| {
        b.iter(|| {
            let rows: Vec<Value> = serde_json::from_slice(&full).expect("decodes");
            let typed: Vec<Configuration> = rows
                .iter()
                .map(|row| serde_path_to_error::deserialize(row).expect("each row decodes"))
                .collect();
            assert_eq!(typed.len(), 1000);
            typed
        })
    });
    group.finish();

    let mut group = c.benchmark_group("configurations_page_1000_projected");
    group.throughput(Throughput::Bytes(projected.len() as u64));
    group.bench_function("value", |b| {
        b.iter(|| {
            let rows: Vec<Value> = serde_json::from_slice(&projected).expect("decodes");
            assert_eq!(rows.len(), 1000);
            rows
        })
    });
    group.bench_function("typed", |b| {
        b.iter(|| {
            let rows: Vec<Configuration> = serde_json::from_slice(&projected).expect("decodes");
            assert_eq!(rows.len(), 1000);
            rows
        })
    });
    group.finish();
}

mod harness {
    #![allow(missing_docs)]
    use super::decode;
    criterion::criterion_group!(benches, decode);
}

criterion_main!(harness::benches);
