//! The command line of `cw-ap-sync`: commands, flags and their help text.
//!
//! Credentials are deliberately not flags: a command line is visible to every user of the
//! machine. They come from the environment or from the credentials file that the
//! configuration names.

use std::path::PathBuf;

use clap::builder::RangedU64ValueParser;
use clap::{Args, Parser, Subcommand};

use crate::schedule::Schedule;

/// The help heading of the options every command takes, listed after a command's own.
const GLOBAL: &str = "Global options";

/// The most companies a demo or the fake servers generate (they are held in memory).
pub const MAX_COMPANIES: u64 = 100_000;

/// The most devices a demo or the fake servers generate (they are held in memory).
pub const MAX_DEVICES: u64 = 1_000_000;

/// Keeps Asset Panda groups in step with a ConnectWise Manage account.
///
/// Reads companies, configurations (devices), agreements, catalog items or tickets from
/// ConnectWise and creates, updates, archives and unarchives the matching objects in Asset
/// Panda, as a configuration file describes. Credentials come from the environment
/// (CW_COMPANY, CW_PUBLIC_KEY, CW_PRIVATE_KEY, CW_CLIENT_ID, and AP_TOKEN or
/// AP_EMAIL/AP_PASSWORD) or from a credentials file named in the configuration.
///
/// Exit status: 0 synced; 1 some records failed; 2 configuration or credential problem;
/// 3 a safety guard stopped a group; 4 a group failed or ended incomplete; 5 another run of
/// the job holds the lock. The highest that applies wins.
#[derive(Debug, Parser)]
#[command(name = "cw-ap-sync", version, about, long_about, max_term_width = 100)]
pub struct Cli {
    /// The configuration file.
    #[arg(
        short,
        long,
        global = true,
        env = "CW_AP_SYNC_CONFIG",
        default_value = "cw-ap-sync.toml",
        value_name = "FILE",
        help_heading = GLOBAL
    )]
    pub config: PathBuf,

    /// More log detail (-v debug, -vv trace); RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count, help_heading = GLOBAL)]
    pub verbose: u8,

    /// Less output: -q logs errors only and hides progress, -qq silences logs.
    #[arg(
        short,
        long,
        global = true,
        action = clap::ArgAction::Count,
        conflicts_with = "verbose",
        help_heading = GLOBAL
    )]
    pub quiet: u8,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a commented example configuration to start from.
    ///
    /// With Asset Panda credentials at hand it reads the chosen group's fields and proposes
    /// a mapping by matching their names to the ConnectWise fields, each guess marked for a
    /// person to confirm.
    Init(InitArgs),

    /// Check both accounts with the configured credentials and say what was reached.
    TestConnection,

    /// List Asset Panda groups with their fields, and the source fields of a ConnectWise
    /// entity with a sample value from the account.
    Discover(DiscoverArgs),

    /// Check the configuration and every mapping against the live Asset Panda groups.
    Validate(JobArgs),

    /// Dry run: show what a run would change, writing nothing.
    Plan(PlanArgs),

    /// Plan and apply, once or on a schedule.
    Run(RunArgs),

    /// Show the last runs from the history file.
    History(HistoryArgs),

    /// Sync between two built-in fake servers: a first full run, a run after changes at
    /// the source, and a run that changes nothing.
    Demo(DemoArgs),
}

/// Options of `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the configuration (default: the --config path).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,

    /// Read this Asset Panda group (id or name) live and propose a device mapping for it
    /// (reached through the `[assetpanda]` section of --config when that file exists).
    #[arg(long, value_name = "GROUP")]
    pub devices_group: Option<String>,

    /// Read this Asset Panda group (id or name) live and propose a company mapping for it.
    #[arg(long, value_name = "GROUP")]
    pub companies_group: Option<String>,

    /// The ConnectWise URL to write into the configuration.
    #[arg(
        long,
        value_name = "URL",
        default_value = "https://api-na.myconnectwise.net"
    )]
    pub cw_url: String,
}

/// Options of `discover`.
#[derive(Debug, Args)]
pub struct DiscoverArgs {
    /// The ConnectWise entity whose fields to list (configurations, companies, agreements,
    /// catalog-items, tickets).
    #[arg(long, value_name = "ENTITY", default_value = "configurations")]
    pub entity: String,

    /// Show only this Asset Panda group (id or name).
    #[arg(long, value_name = "GROUP")]
    pub group: Option<String>,

    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,
}

/// Picks a job.
#[derive(Debug, Args, Clone, Default)]
pub struct JobArgs {
    /// Only this job (default: every job in the configuration).
    #[arg(short, long, value_name = "NAME")]
    pub job: Option<String>,
}

/// Options of `plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Which job.
    #[command(flatten)]
    pub job: JobArgs,

    /// Print the whole plan as JSON on standard output.
    #[arg(long)]
    pub json: bool,

    /// How many changes to show in detail per group.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 20,
        allow_negative_numbers = true
    )]
    pub detail: usize,

    /// Plan from records changed since the last successful run only.
    #[arg(long)]
    pub incremental: bool,

    /// Plan as `run --allow-mass-archive` would: past the archive guard.
    #[arg(long)]
    pub allow_mass_archive: bool,

    /// Plan as `run --allow-mass-create` would: past the create guard.
    #[arg(long)]
    pub allow_mass_create: bool,
}

/// Options of `run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Which job.
    #[command(flatten)]
    pub job: JobArgs,

    /// Fetch only records changed since the last successful run (deletions are still
    /// found with an id-only listing).
    #[arg(long)]
    pub incremental: bool,

    /// Keep running: an interval (`1h`, `15m`) or a cron expression (`0 2 * * *`, local
    /// time), until Ctrl-C.
    #[arg(long, value_name = "SCHEDULE")]
    pub every: Option<Schedule>,

    /// Let a run archive more than the configured share of a group (the archive guard);
    /// with --every, the first run only.
    #[arg(long)]
    pub allow_mass_archive: bool,

    /// Let a run create a batch of new objects as large as a group already holds (the
    /// create guard), once, after a change of the match keys that was meant; with --every,
    /// the first run only.
    #[arg(long)]
    pub allow_mass_create: bool,

    /// Print the report as JSON on standard output.
    #[arg(long)]
    pub json: bool,
}

/// Options of `history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Only this job.
    #[arg(short, long, value_name = "NAME")]
    pub job: Option<String>,

    /// How many runs to show (at least 1).
    #[arg(
        short = 'n',
        long,
        value_name = "N",
        default_value_t = 20,
        allow_negative_numbers = true,
        value_parser = RangedU64ValueParser::<usize>::new().range(1..)
    )]
    pub limit: usize,

    /// Print the records as JSON lines.
    #[arg(long)]
    pub json: bool,
}

/// Options of `demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// The seed of the generated data and of the changes between runs.
    #[arg(long, default_value_t = 42, allow_negative_numbers = true)]
    pub seed: u64,

    /// How many companies the fake ConnectWise holds (1 to 100000).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 300,
        allow_negative_numbers = true,
        value_parser = RangedU64ValueParser::<usize>::new().range(1..=MAX_COMPANIES)
    )]
    pub companies: usize,

    /// How many devices (configurations) the fake ConnectWise holds (0 to 1000000).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 3000,
        allow_negative_numbers = true,
        value_parser = RangedU64ValueParser::<usize>::new().range(0..=MAX_DEVICES)
    )]
    pub devices: usize,

    /// Print each run's report as JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn run_takes_a_job_a_schedule_and_incremental() {
        let cli = Cli::try_parse_from([
            "cw-ap-sync",
            "-c",
            "x.toml",
            "run",
            "--job",
            "devices",
            "--incremental",
            "--every",
            "1h",
        ])
        .unwrap();

        match cli.command {
            Command::Run(r) => {
                assert_eq!(r.job.job.as_deref(), Some("devices"));
                assert!(r.incremental);
                assert!(matches!(r.every, Some(Schedule::Every(_))));
            }
            other => panic!("parsed as {other:?}"),
        }
        assert_eq!(cli.config, PathBuf::from("x.toml"));
    }

    #[test]
    fn a_bad_schedule_is_a_usage_error_that_names_it() {
        let err = Cli::try_parse_from(["cw-ap-sync", "run", "--every", "soonish"]).unwrap_err();

        assert!(err.to_string().contains("soonish"), "{err}");
    }

    #[test]
    fn no_flag_accepts_a_key() {
        for flag in ["--private-key", "--public-key", "--token", "--password"] {
            assert!(
                Cli::try_parse_from(["cw-ap-sync", "run", flag, "x"]).is_err(),
                "{flag} was accepted"
            );
        }
    }

    #[test]
    fn a_command_lists_its_own_options_before_the_global_ones() {
        let mut cli = Cli::command();
        cli.build();
        let help = cli
            .find_subcommand_mut("init")
            .unwrap()
            .render_long_help()
            .to_string();

        let own = help.find("--force").unwrap();
        let heading = help.find("Global options:").expect("a global heading");
        let global = help.find("-c, --config").unwrap();
        assert!(own < heading && heading < global, "{help}");
    }

    #[test]
    fn sizes_and_counts_out_of_range_are_refused() {
        for args in [
            &["cw-ap-sync", "history", "-n", "0"][..],
            &["cw-ap-sync", "demo", "--devices", "99999999999"][..],
            &["cw-ap-sync", "demo", "--companies", "0"][..],
        ] {
            let err = Cli::try_parse_from(args).unwrap_err();
            assert_eq!(
                err.kind(),
                clap::error::ErrorKind::ValueValidation,
                "{args:?}"
            );
        }
        assert!(Cli::try_parse_from(["cw-ap-sync", "demo", "--devices", "0"]).is_ok());
    }

    #[test]
    fn a_negative_count_is_a_bad_value_of_its_option_not_an_unknown_argument() {
        for (args, option) in [
            (&["cw-ap-sync", "plan", "--detail", "-1"][..], "--detail"),
            (&["cw-ap-sync", "history", "-n", "-3"][..], "--limit"),
            (&["cw-ap-sync", "demo", "--seed", "-1"][..], "--seed"),
            (
                &["cw-ap-sync", "demo", "--companies", "-2"][..],
                "--companies",
            ),
            (&["cw-ap-sync", "demo", "--devices", "-2"][..], "--devices"),
        ] {
            let err = Cli::try_parse_from(args).unwrap_err();
            assert_ne!(
                err.kind(),
                clap::error::ErrorKind::UnknownArgument,
                "{args:?}"
            );
            let text = err.to_string();
            assert!(text.contains("invalid value '-"), "{args:?}: {text}");
            assert!(text.contains(option), "{args:?}: {text}");
        }
    }

    #[test]
    fn verbose_and_quiet_conflict() {
        assert!(Cli::try_parse_from(["cw-ap-sync", "-v", "-q", "history"]).is_err());
        let cli = Cli::try_parse_from(["cw-ap-sync", "-vv", "history"]).unwrap();
        assert_eq!(cli.verbose, 2);
    }
}
