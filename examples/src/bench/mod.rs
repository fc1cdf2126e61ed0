//! The `sync-bench` program: seeds the fakes, runs three syncs through the tool's own
//! entry point and prints what each cost against the lower bound; a second mode times
//! listing every record through the client against a plain HTTP loop.

/// Prints a line of figures; when the reader has gone (`| head`), the program ends quietly,
/// as nobody is left to read the rest.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if writeln!(std::io::stdout(), $($arg)*).is_err() {
            std::process::exit(0);
        }
    }};
}

mod bound;
mod listing;
mod memory;
mod print;
mod world;

use std::process::ExitCode;

use clap::builder::TypedValueParser;
use clap::{Parser, ValueEnum};

use cw_ap_examples::config::SyncSettings;
use world::{BenchError, Setup, World};

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
#[command(name = "sync-bench", version, allow_negative_numbers = true)]
pub struct Args {
    /// Configurations (devices) to generate; companies are a tenth of that.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..).map(|n| n as usize))]
    pub records: usize,
    /// The seed of the generated records and of the changes.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// What to measure.
    #[arg(long, value_enum, default_value_t = Mode::Both)]
    pub mode: Mode,
    /// ConnectWise id ranges read at once (the tool's `[sync] read_concurrency`).
    #[arg(long, default_value_t = SyncSettings::DEFAULT_READ_CONCURRENCY, value_parser = clap::value_parser!(u16).range(1..=16).map(usize::from))]
    pub read_concurrency: usize,
    /// Asset Panda write batches sent at once (the tool's `[sync] write_concurrency`).
    #[arg(long, default_value_t = cw_ap_mapping::EngineOptions::default().write_concurrency, value_parser = clap::value_parser!(u16).range(1..=16).map(usize::from))]
    pub write_concurrency: usize,
    /// A wait in milliseconds both fakes add before every answer, as a network would
    /// (0: none), to show what the concurrency settings gain.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
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
    say!(
        "sync-bench: {}, {}, seed {}, {cores} cores; \
         read_concurrency {}, write_concurrency {}, latency {} ms",
        cw_ap_examples::output::count(args.records, "device", "devices"),
        cw_ap_examples::output::count(world::companies_for(args.records), "company", "companies"),
        args.seed,
        args.read_concurrency,
        args.write_concurrency,
        args.latency_ms
    );
    let setup = Setup {
        sync: SyncSettings {
            batch_size: None,
            write_concurrency: Some(args.write_concurrency),
            read_concurrency: Some(args.read_concurrency),
        },
        latency: (args.latency_ms > 0).then(|| std::time::Duration::from_millis(args.latency_ms)),
    };
    let world = World::start_with(args.records, args.seed, setup).await?;
    say!(
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
    say!(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_records_or_a_negative_count_is_a_bad_value_of_its_option() {
        for args in [
            &["sync-bench", "--records", "0"][..],
            &["sync-bench", "--records", "-5"][..],
            &["sync-bench", "--read-concurrency", "-1"][..],
            &["sync-bench", "--write-concurrency", "0"][..],
        ] {
            let err = Args::try_parse_from(args).unwrap_err();
            assert_eq!(
                err.kind(),
                clap::error::ErrorKind::ValueValidation,
                "{args:?}"
            );
        }
        let args = Args::try_parse_from(["sync-bench", "--records", "1"]).unwrap();
        assert_eq!(args.records, 1);
    }
}
