//! Planner throughput and peak memory at 10,000 and 1,000,000 records.
//!
//! Each iteration streams the target objects and the source records into a fresh planner
//! (records are built one at a time, as a client would decode them) and finishes the plan:
//! 80 % of the records match an unchanged object, 10 % a changed one, 10 % are new, and 5 %
//! of the objects are gone at source. After each size, the peak resident set size of the
//! process (`VmHWM`) is printed.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Instant;

use criterion::{criterion_main, BenchmarkId, Criterion, Throughput};
use cw_ap_mapping::{
    validate_job, Config, DateFormat, Planner, SyncPlan, TargetField, TargetFieldKind, TargetGroup,
    TargetObject,
};
use serde_json::{json, Value};

fn group() -> TargetGroup {
    let f = |key: &str, name: &str, kind| TargetField::new(key, name, kind);
    TargetGroup {
        id: 1,
        name: "Devices".into(),
        fields: vec![
            f("field_1", "Name", TargetFieldKind::Text),
            f("field_10", "Serial Number", TargetFieldKind::Text),
            f("field_20", "CW ID", TargetFieldKind::Text),
            f("field_31", "Warranty Expires", TargetFieldKind::Date),
            f("field_41", "IP Address", TargetFieldKind::Text),
            f("field_50", "Type", TargetFieldKind::Text),
        ],
        statuses: vec![],
    }
}

fn job() -> cw_ap_mapping::CompiledJob {
    let config = Config::from_toml_str(
        r#"
        [[jobs]]
        name = "devices"
        entity = "configurations"
        target_group = 1
        match_keys = [{ target = "field_20" }, { target = "field_10", source = "serialNumber" }]
        fields = [
          { source = "name", target = "field_1" },
          { source = "warrantyExpirationDate", target = "field_31" },
          { source = "ipAddress", target = "field_41" },
          { source = "type/name", target = "field_50" },
        ]
        filter = { status = ["Active"] }
        archive_guard = { enabled = false }
        "#,
    )
    .expect("valid bench config");
    validate_job(&config.jobs[0], 0, &group(), DateFormat::default(), None)
        .job
        .expect("bench job compiles")
}

fn record(id: usize, changed: bool) -> Value {
    let name = if changed {
        format!("WS-{id}-new")
    } else {
        format!("WS-{id}")
    };
    json!({"id": id, "name": name, "serialNumber": format!("SN{id:08}"),
           "type": {"id": 12, "name": "Managed Workstation"},
           "status": {"id": 2, "name": "Active"},
           "ipAddress": format!("10.{}.{}.{}", id >> 16 & 255, id >> 8 & 255, id & 255),
           "warrantyExpirationDate": "2026-02-01T00:00:00Z",
           "_info": {"lastUpdated": "2024-06-01T10:00:00Z"}})
}

fn target(id: usize) -> TargetObject {
    let mut fields = BTreeMap::new();
    fields.insert("field_1".to_string(), json!(format!("WS-{id}")));
    fields.insert("field_10".to_string(), json!(format!("SN{id:08}")));
    fields.insert("field_20".to_string(), json!(id.to_string()));
    fields.insert("field_31".to_string(), json!("02/01/2026"));
    fields.insert(
        "field_41".to_string(),
        json!(format!(
            "10.{}.{}.{}",
            id >> 16 & 255,
            id >> 8 & 255,
            id & 255
        )),
    );
    fields.insert("field_50".to_string(), json!("Managed Workstation"));
    TargetObject::new(format!("{id:024x}"), fields)
}

fn plan(job: &cw_ap_mapping::CompiledJob, n: usize) -> SyncPlan {
    let mut planner = Planner::new(job);
    // Objects: the first 90 % of the records, plus 5 % gone at source.
    let known = n * 9 / 10;
    for id in 0..known {
        planner.push_target(target(id));
    }
    for id in n..n + n / 20 {
        planner.push_target(target(id));
    }
    for id in 0..n {
        planner.push_source(&record(id, id % 10 == 8));
    }
    let missing = planner.missing_ids();
    planner.confirm_absent(missing);
    planner.finish()
}

/// Peak resident set size of this process, in KiB, from `/proc/self/status`.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Builds the input alone, to tell the planner's share of the time.
fn generate_only(n: usize) {
    for id in 0..n * 9 / 10 + n / 20 {
        black_box(target(id));
    }
    for id in 0..n {
        black_box(record(id, id % 10 == 8));
    }
}

/// The sizes to run: `PLANNER_SIZES=10000,1000000` (the default).
fn sizes() -> Vec<usize> {
    std::env::var("PLANNER_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 1_000_000])
}

fn bench(c: &mut Criterion) {
    let job = job();
    let mut group = c.benchmark_group("planner");
    for n in sizes() {
        let start = Instant::now();
        generate_only(n);
        let input_ms = start.elapsed().as_secs_f64() * 1000.0;

        // One measured run first: throughput and the plan's shape, then peak memory.
        let start = Instant::now();
        let p = plan(&job, n);
        let secs = start.elapsed().as_secs_f64();
        let counts = p.counts();
        drop(p);
        println!(
            "planner {n} records: {:.0} ms ({input_ms:.0} ms of it building the input), \
             {:.0} records/s; create {}, update {}, unchanged {}, archive {}; peak RSS {:.1} MiB",
            secs * 1000.0,
            n as f64 / secs,
            counts.create,
            counts.update,
            counts.unchanged,
            counts.archive,
            peak_rss_kib().unwrap_or(0) as f64 / 1024.0
        );

        group.throughput(Throughput::Elements(n as u64));
        if n > 100_000 {
            group.sample_size(10);
        }
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, &n| {
            b.iter(|| black_box(plan(&job, n)))
        });
        println!(
            "planner {n} records: peak RSS after the benchmark {:.1} MiB",
            peak_rss_kib().unwrap_or(0) as f64 / 1024.0
        );
    }
    group.finish();
}

mod harness {
    #![allow(missing_docs)]
    use super::bench;
    criterion::criterion_group!(benches, bench);
}

criterion_main!(harness::benches);
