//! Crash and rerun: the `cw-ap-sync` process is killed while one of its requests is held
//! by a fake (a read between batches, or a write the server has already applied), then run
//! again with the same configuration and state directory. The second run must reach the
//! exact end state with no duplicate, and a third must write nothing.
//!
//! Every request number of a clean run is tried, on both fakes: the reads of each group,
//! the logins, the batch creates (held after the fake stored them) and the archives.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use assetpanda_api::fake::{Fault as ApFault, FaultPlan as ApPlan};
use common::World;
use connectwise_api::fake::{Fault as CwFault, FaultPlan as CwPlan};

const SEED: u64 = 21;

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

/// A world and its configuration file, in a fresh directory.
async fn world_on_disk() -> (World, tempfile::TempDir, std::path::PathBuf) {
    let world = World::start(SEED).await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let config = dir.path().join("sync.toml");
    std::fs::write(&config, world.config_toml()).expect("the configuration is written");
    (world, dir, config)
}

/// Holds request `n` of `side`, kills the process once the fake has it, reruns, checks.
/// Returns whether the process was really killed (not finished before request `n`).
async fn crash_at(side: Side, n: u64) -> bool {
    let (world, _dir, config) = world_on_disk().await;
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
    world.assert_safe(&format!("killed in {side:?} request {n}"));

    world.faults_off();
    let code = run_to_end(&world, &config).await;
    assert_eq!(code, 0, "the rerun after a kill in {side:?} request {n}");
    world.assert_exact(&format!("rerun after a kill in {side:?} request {n}"));

    let writes = world.ap_writes();
    assert_eq!(run_to_end(&world, &config).await, 0);
    assert_eq!(
        world.ap_writes(),
        writes,
        "a third run wrote after {side:?} {n}"
    );
    killed
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn h24_a_sync_killed_anywhere_converges_on_rerun_with_no_duplicate() {
    let (clean, _dir, config) = world_on_disk().await;
    assert_eq!(run_to_end(&clean, &config).await, 0);
    clean.assert_exact("a clean run");
    let cw_total = clean.cw.counters().requests;
    let ap_total = clean.ap.core().request_count();
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
         (a clean run makes {ap_total} Asset Panda and {cw_total} ConnectWise requests)"
    );
    assert!(killed >= tried - 1, "most points kill a running sync");
}
