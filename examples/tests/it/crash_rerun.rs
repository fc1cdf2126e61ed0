//! Crash and rerun: the `cw-ap-sync` process is killed while one of its requests is held
//! by a fake (a read between batches, or a write the server has already applied), then run
//! again with the same configuration and state directory. The second run must reach the
//! exact end state with no duplicate, and a third must write nothing.
//!
//! The groups were synced once before, then the source changed: every group has creates
//! for at least three batches of [`BATCH`] and at least one archive, and devices link to
//! companies created in the same run. Every request number of a clean run is tried, on
//! both fakes: the reads of each group, the logins, each batch create (held after the fake
//! stored it, so between two batches of a group), the updates and the archives.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use assetpanda_api::fake::{Endpoint, Fault as ApFault, FaultPlan as ApPlan};
use connectwise_api::fake::{Fault as CwFault, FaultPlan as CwPlan};
use cw_ap_examples::ExitStatus;

use crate::support::chaos::{World, COMPANIES, DEVICES};

const SEED: u64 = 21;

/// Objects per write: small, so that each group's creates take several batches.
const BATCH: usize = 4;

/// Which fake holds the request the process dies in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    ConnectWise,
    AssetPanda,
}

fn spawn(world: &World, config: &Path) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cw-ap-sync"));
    command
        .env_clear()
        .envs(world.env())
        .arg("-q")
        .arg("-c")
        .arg(config)
        .arg("run")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command.spawn().expect("the binary starts")
}

/// Runs the binary to its end and returns its exit code.
async fn run_to_end(world: &World, config: &Path) -> i32 {
    let mut child = spawn(world, config);
    tokio::task::spawn_blocking(move || child.wait().expect("the process ends"))
        .await
        .expect("the waiting thread ends")
        .code()
        .unwrap_or(-1)
}

fn requests(world: &World, side: Side) -> u64 {
    match side {
        Side::ConnectWise => world.cw.counters().requests,
        Side::AssetPanda => world.ap.core().request_count(),
    }
}

/// A world synced once and then changed at the source, and its configuration file in a
/// fresh directory. The changes give each group creates over three batches at least (new
/// companies, and new devices owned by them) and archives (a soft-deleted company,
/// deleted devices and devices that left the filter).
async fn world_on_disk() -> (World, tempfile::TempDir, std::path::PathBuf) {
    let mut world = World::start(SEED).await;
    let (report, status) = world.sync().await;
    assert_eq!(status, ExitStatus::Success, "the first sync: {report:?}");
    world.mutate();
    let companies = world.add_companies(3 * BATCH);
    for company in companies.iter().cycle().take(3 * BATCH) {
        world.add_device_owned_by(*company);
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let config = dir.path().join("sync.toml");
    std::fs::write(&config, world.config_toml_batched(BATCH))
        .expect("the configuration is written");
    (world, dir, config)
}

/// The CW ids stored in each group (companies, devices) before the measured run.
fn cw_ids(world: &World) -> [BTreeSet<String>; 2] {
    [COMPANIES, DEVICES].map(|group| {
        world
            .ap
            .core()
            .objects(group)
            .iter()
            .filter_map(|o| o.text("field_20"))
            .collect()
    })
}

/// Holds request `nth` of the run on `side`, kills the process once the fake has it, reruns,
/// checks. Returns whether the process was really killed (not finished before it).
async fn crash_at(side: Side, nth: u64) -> bool {
    let (world, _dir, config) = world_on_disk().await;
    // NB: the fakes number requests from their start, the first sync's included.
    let n = requests(&world, side) + nth;
    let hold = Duration::from_secs(60);
    match side {
        Side::ConnectWise => world
            .cw
            .state()
            .set_faults(CwPlan::new(0).on_requests([n], CwFault::Delay(hold))),
        Side::AssetPanda => world
            .ap
            .core()
            .set_faults(ApPlan::new().at([n], ApFault::Delay(hold)))
            .expect("a delay needs no raw transport"),
    }

    let mut child = spawn(&world, &config);
    let killed = loop {
        if requests(&world, side) >= n {
            child.kill().expect("the process can be killed");
            child.wait().expect("the killed process is reaped");
            break true;
        }
        if child
            .try_wait()
            .expect("the process can be polled")
            .is_some()
        {
            break false;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    };
    world.assert_safe(&format!("killed in {side:?} request {nth}"));

    world.faults_off();
    let code = run_to_end(&world, &config).await;
    assert_eq!(code, 0, "the rerun after a kill in {side:?} request {nth}");
    world.assert_exact(&format!("rerun after a kill in {side:?} request {nth}"));

    let writes = world.ap_writes();
    assert_eq!(run_to_end(&world, &config).await, 0);
    assert_eq!(
        world.ap_writes(),
        writes,
        "a third run wrote after {side:?} {nth}"
    );
    killed
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn h24_a_sync_killed_anywhere_converges_on_rerun_with_no_duplicate() {
    let (clean, _dir, config) = world_on_disk().await;
    let synced = cw_ids(&clean);
    clean.ap.core().reset_counters();
    let (cw_before, ap_before) = (
        requests(&clean, Side::ConnectWise),
        requests(&clean, Side::AssetPanda),
    );
    assert_eq!(run_to_end(&clean, &config).await, 0);
    clean.assert_exact("a clean run");
    let cw_total = requests(&clean, Side::ConnectWise) - cw_before;
    let ap_total = requests(&clean, Side::AssetPanda) - ap_before;
    for (group, before) in [(COMPANIES, &synced[0]), (DEVICES, &synced[1])] {
        let objects = clean.ap.core().objects(group);
        let created = objects
            .iter()
            .filter(|o| o.text("field_20").is_some_and(|cw| !before.contains(&cw)))
            .count();
        assert!(
            created > 2 * BATCH,
            "group {group}: {created} creates do not take three batches of {BATCH}"
        );
        let archived = objects
            .iter()
            .filter(|o| o.is_archived && o.text("field_20").is_some())
            .count();
        assert!(archived >= 1, "group {group}: nothing to archive");
    }
    let ap = clean.ap.core().counters();
    let (creates, archives) = (
        ap.requests_to(Endpoint::Create),
        ap.requests_to(Endpoint::Archive),
    );
    drop(clean);

    let mut tried = 0;
    let mut killed = 0;
    for (side, total) in [(Side::AssetPanda, ap_total), (Side::ConnectWise, cw_total)] {
        for n in 1..=total {
            tried += 1;
            killed += u64::from(crash_at(side, n).await);
        }
    }

    eprintln!(
        "crash points: {tried} tried, {killed} killed mid-run \
         (a clean run makes {ap_total} Asset Panda and {cw_total} ConnectWise requests; \
         {creates} creates and {archives} archives)"
    );
    assert!(killed >= tried - 1, "most points kill a running sync");
}
