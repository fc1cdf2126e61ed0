//! The `sync-bench` program: seeds the fakes, runs three syncs through the tool's own
//! entry point and prints what each cost against the lower bound; a second mode times
//! listing every record through the client against a plain HTTP loop.

mod bound;
mod listing;
mod memory;
mod print;
mod world;

use std::process::ExitCode;

use clap::{Parser, ValueEnum};

use world::{BenchError, World};

/// What to measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Mode {
    /// The three syncs.
    Sync,
    /// Listing every configuration: client stream against a plain loop.
    List,
    /// Both, syncs first.
    Both,
}

/// Measures a sync between the fake ConnectWise and the fake Asset Panda: requests by
/// endpoint against their lower bound, bytes, time and memory.
#[derive(Debug, Parser)]
#[command(name = "sync-bench", version)]
pub struct Args {
    /// Configurations (devices) to generate; companies are a tenth of that.
    #[arg(long, default_value_t = 10_000)]
    pub records: usize,
    /// The seed of the generated records and of the changes.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// What to measure.
    #[arg(long, value_enum, default_value_t = Mode::Both)]
    pub mode: Mode,
}

/// Share of devices renamed before the third sync.
const CHANGED: f64 = 0.01;

/// Share of devices deleted before the third sync.
const DELETED: f64 = 0.005;

/// Parses the arguments, runs the benchmark and prints the results.
pub fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: the async runtime could not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(&args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: &Args) -> Result<(), BenchError> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "sync-bench: {} devices, {} companies, seed {}, {cores} cores",
        args.records,
        world::companies_for(args.records),
        args.seed
    );
    let world = World::start(args.records, args.seed).await?;
    println!(
        "fakes seeded; resident memory {} (peak while seeding {})",
        memory::mib(memory::current()),
        memory::mib(memory::peak())
    );

    if matches!(args.mode, Mode::Sync | Mode::Both) {
        syncs(&world, args.seed).await?;
    }
    if matches!(args.mode, Mode::List | Mode::Both) {
        print::listing(&world).await?;
    }
    Ok(())
}

async fn syncs(world: &World, seed: u64) -> Result<(), BenchError> {
    let title = "Phase 1: full sync into empty groups";
    print::phase(world, title, measured(world).await?).await?;

    let title = "Phase 2: second sync, nothing changed";
    print::phase(world, title, measured(world).await?).await?;

    let (changed, deleted) = world.change_devices(seed, CHANGED, DELETED);
    println!(
        "\nchanged at the source: {} devices renamed, {} deleted",
        changed.len(),
        deleted.len()
    );
    let title = "Phase 3: sync after 1 % changed and 0.5 % deleted";
    print::phase(world, title, measured(world).await?).await?;
    Ok(())
}

/// One sync, with the memory peak reset before it.
async fn measured(world: &World) -> Result<(world::Phase, Memory), BenchError> {
    let reset = memory::reset_peak();
    let before = memory::current();
    let phase = world.sync().await?;
    let peak = memory::peak();
    Ok((
        phase,
        Memory {
            before,
            peak,
            reset,
        },
    ))
}

/// Resident memory around one sync.
#[derive(Debug, Clone, Copy)]
pub struct Memory {
    /// Before the sync (the fakes' records included).
    pub before: Option<u64>,
    /// The peak during the sync.
    pub peak: Option<u64>,
    /// Whether the peak was reset before the sync (else it covers the whole process).
    pub reset: bool,
}
