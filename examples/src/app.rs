//! The library entry point of `cw-ap-sync`: parse, set up logs and progress, dispatch, and
//! turn the outcome into an exit status.

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::commands;
use crate::config;
use crate::credentials::Env;
use crate::error::CliError;
use crate::exit::ExitStatus;
use crate::output::Output;
use crate::progress::{Progress, ProgressMode};
use crate::sync;

/// Runs one parsed command line with the given environment and output streams.
///
/// Errors are printed to the diagnostic stream (never with a secret in them) and become
/// the exit status they stand for.
pub async fn run(cli: Cli, env: &Env, progress: &Progress, output: &Output) -> ExitStatus {
    match dispatch(&cli, env, progress, output).await {
        Ok(status) => status,
        Err(e) => {
            tracing::debug!(error = ?e, "command failed");
            output.eline(&format!("error: {e}"));
            e.exit_status()
        }
    }
}

async fn dispatch(
    cli: &Cli,
    env: &Env,
    progress: &Progress,
    output: &Output,
) -> Result<ExitStatus, CliError> {
    let path = cli.config.as_path();

    match &cli.command {
        Command::Init(args) => commands::init::run(args, path, env, output).await,
        Command::TestConnection => {
            let loaded = config::load(path)?;
            let endpoints = sync::connect(&loaded, env)?;
            commands::test_connection::run(&endpoints, output).await
        }
        Command::Discover(args) => {
            let loaded = config::load(path)?;
            let endpoints = sync::connect(&loaded, env)?;
            commands::discover::run(args, &endpoints, output).await
        }
        Command::Validate(args) => {
            let loaded = config::load(path)?;
            let jobs = loaded.jobs(args.job.as_deref())?;
            let endpoints = sync::connect(&loaded, env)?;
            // NB: as `test-connection` and `run`: a side that cannot be reached gives 4 and
            // refused credentials give 2, before any job is checked.
            sync::preflight(&endpoints).await?;
            let indexes = loaded.indexes(&jobs);
            commands::validate::run(&endpoints, &jobs, &indexes, output).await
        }
        Command::Plan(args) => commands::run::plan(args, path, env, progress, output).await,
        Command::Run(args) => commands::run::run(args, path, env, progress, output).await,
        Command::History(args) => {
            // NB: history needs no connection, and works before the file is complete.
            let loaded = config::load(path).ok();
            let paths = match &loaded {
                Some(loaded) => loaded.paths(),
                None => crate::paths::Paths::for_config(path, None),
            };
            let jobs: Option<Vec<String>> =
                loaded.map(|loaded| loaded.config.jobs.iter().map(|j| j.name.clone()).collect());
            commands::history::run(args, &paths, jobs.as_deref(), output)
        }
        Command::Demo(args) => crate::demo::run(args, progress, output).await,
    }
}

/// Runs the tool with arguments `args` in-process: the entry point of tests. Progress is
/// silent and logs are not installed; output goes to `output`.
pub async fn run_args<I, T>(args: I, env: &Env, output: &Output) -> ExitStatus
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    match Cli::try_parse_from(args) {
        Ok(cli) => run(cli, env, &Progress::new(ProgressMode::Silent), output).await,
        Err(e) => {
            output.eline(&e.to_string());
            ExitStatus::ConfigError
        }
    }
}

/// The `main` of the `cw-ap-sync` binary.
pub fn main() -> std::process::ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let usage = e.use_stderr();
            let _ = e.print();
            return if usage {
                ExitStatus::ConfigError.into()
            } else {
                ExitStatus::Success.into()
            };
        }
    };
    let env = crate::credentials::process_env();
    crate::logging::init(
        cli.verbose,
        cli.quiet,
        env.get("RUST_LOG").map(String::as_str),
    );
    let progress = Progress::new(ProgressMode::detect(cli.quiet > 0));
    let output = Output::stdio();

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            output.eline(&format!("error: cannot start the async runtime: {e}"));
            return ExitStatus::GroupFailed.into();
        }
    };
    runtime.block_on(run(cli, &env, &progress, &output)).into()
}
