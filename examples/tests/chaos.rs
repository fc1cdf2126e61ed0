//! Seeded chaos: full syncs of companies and devices against both fakes while they answer
//! a share of requests with 429 (`Retry-After`), 500, 502, 503, HTML, empty and cut-off
//! bodies, dropped connections, and writes applied but answered with an error.
//!
//! Each seed fixes the source data, the changes between syncs and the faults. After a run
//! that ends cleanly, and after one fault-free rerun of a run that did not, the groups
//! must be exactly what the source says: every in-scope record once with the right values,
//! every removed one archived, hand-made objects untouched. A third run writes nothing.
//!
//! CI runs `CHAOS_SEEDS` seeds (default 24), with about `CHAOS_RATE` (default 0.15) of all
//! requests faulted; for thousands:
//!
//! ```text
//! CHAOS_SEEDS=5000 cargo test -p cw-ap-examples --release --test chaos -- --nocapture
//! ```
//!
//! `CHAOS_FIRST_SEED` moves the window of seeds, so a failing seed can be replayed alone.

mod common;

use common::World;
use cw_ap_examples::ExitStatus;
use cw_ap_mapping::RunReport;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn rate() -> f64 {
    std::env::var("CHAOS_RATE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.15)
}

fn summary(report: &RunReport) -> String {
    report
        .groups
        .iter()
        .map(|g| {
            format!(
                "{}: {:?} {:?} reason={:?} errors={:?}",
                g.job, g.status, g.counts, g.reason, g.errors
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[derive(Debug, Default)]
struct Tally {
    seeds: u64,
    runs: u64,
    reruns: u64,
    faults: u64,
    unverified_runs: u64,
    objects_checked: usize,
}

/// One sync under faults, then at most one fault-free rerun; the state is exact after.
async fn converge(world: &World, fault_seed: u64, context: &str, tally: &mut Tally) {
    world.faults_on(fault_seed, rate());
    let (report, status) = world.sync().await;
    world.faults_off();
    tally.runs += 1;
    world.assert_safe(&format!("{context}, under faults ({status})"));

    // TODO: a run whose re-read of missing records failed reports them `unverified` in a
    // warning, stays `complete` and exits 0 without archiving them; until the engine makes
    // that group incomplete, such a run counts as unfinished here and is rerun.
    let unverified: usize = report.groups.iter().map(|g| g.counts.unverified).sum();
    if unverified > 0 {
        tally.unverified_runs += 1;
    }
    if status != ExitStatus::Success || unverified > 0 {
        let (again, status) = world.sync().await;
        tally.runs += 1;
        tally.reruns += 1;
        assert_eq!(
            status,
            ExitStatus::Success,
            "{context}: the rerun did not finish cleanly\nfirst:\n{}\nrerun:\n{}",
            summary(&report),
            summary(&again)
        );
    }
    if std::env::var("CHAOS_DEBUG").is_ok() {
        eprintln!("{context}: {status}\n{}", summary(&report));
    }
    tally.objects_checked += world.assert_exact(context);
}

async fn chaos_seed(seed: u64, tally: &mut Tally) {
    let mut world = World::start(seed).await;

    converge(&world, seed, &format!("seed {seed}, first sync"), tally).await;

    world.mutate();
    converge(
        &world,
        seed.wrapping_mul(31).wrapping_add(7),
        &format!("seed {seed}, sync after changes"),
        tally,
    )
    .await;

    let writes = world.ap_writes();
    let (report, status) = world.sync().await;
    tally.runs += 1;
    assert_eq!(status, ExitStatus::Success, "{}", summary(&report));
    assert_eq!(
        world.ap_writes(),
        writes,
        "seed {seed}: a clean rerun wrote"
    );
    world.assert_exact(&format!("seed {seed}, idle sync"));

    tally.seeds += 1;
    tally.faults += world.faults_injected();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeded_chaos_converges_to_the_exact_state_with_no_record_lost_or_doubled() {
    let first = env_number("CHAOS_FIRST_SEED", 1);
    let count = env_number("CHAOS_SEEDS", 24);
    let mut tally = Tally::default();

    for seed in first..first + count {
        chaos_seed(seed, &mut tally).await;
    }

    eprintln!("chaos: {tally:?}");
    assert_eq!(tally.seeds, count);
    assert!(tally.faults > count, "the plans injected faults: {tally:?}");
}

/// An empty 200 answer to a batch create (nothing stored) is counted as 7 objects written
/// and the run exits 0: the Asset Panda client accepts an empty body for every write
/// (`Objects::write` sets `allow_empty`), and the sink counts a batch whose answer lists no
/// objects as written (`ApSink::outcomes`). The next run creates them, but this one lies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "known bug: an empty answer to a create counts as written; see the doc comment"]
async fn an_empty_answer_to_a_create_is_not_counted_as_written() {
    use assetpanda_api::fake::{Endpoint, Fault, FaultPlan, FaultRule};

    let world = World::start(5).await;
    world
        .ap
        .core()
        .set_faults(
            FaultPlan::new().rule(
                FaultRule::share(1.0, Fault::EmptyBody)
                    .only(Endpoint::Create)
                    .max_hits(1),
            ),
        )
        .expect("the plan is accepted");

    let (report, status) = world.sync().await;

    if status == ExitStatus::Success {
        world.assert_exact(&format!(
            "a clean exit after an empty create answer\n{}",
            summary(&report)
        ));
    }
}
