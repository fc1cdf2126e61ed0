//! `cw-ap-sync plan` and `cw-ap-sync run`: a dry run, one run, or runs on a schedule.

use std::collections::BTreeMap;

use cw_ap_mapping::{GroupRef, Sink};

use crate::cli::{PlanArgs, RunArgs};
use crate::config;
use crate::credentials::Env;
use crate::error::CliError;
use crate::exit::ExitStatus;
use crate::output::Output;
use crate::progress::Progress;
use crate::report;
use crate::schedule::{self, Shutdown, SystemClock};
use crate::sync::{self, RunMode};

/// Plans the jobs and prints a summary and the first changes (or the whole plan as JSON).
pub async fn plan(
    args: &PlanArgs,
    config_path: &std::path::Path,
    env: &Env,
    progress: &Progress,
    output: &Output,
) -> Result<ExitStatus, CliError> {
    let loaded = config::load(config_path)?;
    let jobs = loaded.jobs(args.job.job.as_deref())?;
    let endpoints = sync::connect(&loaded, env)?;
    sync::preflight(&endpoints).await?;

    let mode = RunMode {
        dry_run: true,
        incremental: args.incremental,
        allow_mass_archive: args.allow_mass_archive,
        allow_mass_create: args.allow_mass_create,
    };
    let outcome = sync::run_once(&loaded, &endpoints, &jobs, mode, progress, output).await?;

    if args.json {
        let text = serde_json::to_string_pretty(&outcome.report).map_err(|e| CliError::Io {
            what: "writing the plan as JSON".to_owned(),
            source: std::io::Error::other(e),
        })?;
        output.line(&text);
    } else {
        for group in &outcome.report.groups {
            if let Some(plan) = &group.plan {
                let names = field_names(&endpoints, plan.group_id).await;
                output.print(&report::plan_detail(plan, args.detail, &names));
                output.line("");
            }
        }
        output.print(&report::text(&outcome.report, Some(outcome.status)));
    }
    Ok(outcome.status)
}

/// The field names of a group by key, to name fields as `Name (field_1)`; empty (keys
/// alone) when the group cannot be read again.
async fn field_names(endpoints: &sync::Endpoints, group: u64) -> BTreeMap<String, String> {
    match endpoints.sink.resolve_group(&GroupRef::Id(group)).await {
        Ok(group) => group.fields.into_iter().map(|f| (f.key, f.name)).collect(),
        Err(e) => {
            tracing::debug!(group, error = %e.message, "field names not read");
            BTreeMap::new()
        }
    }
}

/// One run of the selected jobs: connects, checks the credentials, syncs, prints.
async fn run_one(
    args: &RunArgs,
    config_path: &std::path::Path,
    env: &Env,
    progress: &Progress,
    output: &Output,
    first: bool,
) -> Result<ExitStatus, CliError> {
    // NB: read again on every run, so a schedule picks up edits to the file.
    let loaded = config::load(config_path)?;
    let jobs = loaded.jobs(args.job.job.as_deref())?;
    let endpoints = sync::connect(&loaded, env)?;
    sync::preflight(&endpoints).await?;

    let mode = run_mode(args, first);
    let outcome = sync::run_once(&loaded, &endpoints, &jobs, mode, progress, output).await?;

    if args.json {
        let text = serde_json::to_string(&outcome.report).map_err(|e| CliError::Io {
            what: "writing the report as JSON".to_owned(),
            source: std::io::Error::other(e),
        })?;
        output.line(&text);
    } else {
        if !outcome.locked.is_empty() {
            output.line(&format!(
                "Skipped, another run holds the lock: {}",
                outcome.locked.join(", ")
            ));
        }
        output.print(&report::text(&outcome.report, Some(outcome.status)));
    }
    Ok(outcome.status)
}

/// The mode of a run. A guard override lets one run through: under a schedule, the first;
/// a later run that trips a guard (an edit to the file, a source gone wrong) stops as usual.
fn run_mode(args: &RunArgs, first: bool) -> RunMode {
    RunMode {
        dry_run: false,
        incremental: args.incremental,
        allow_mass_archive: first && args.allow_mass_archive,
        allow_mass_create: first && args.allow_mass_create,
    }
}

/// Runs once, or on the schedule of `--every` until Ctrl-C.
pub async fn run(
    args: &RunArgs,
    config_path: &std::path::Path,
    env: &Env,
    progress: &Progress,
    output: &Output,
) -> Result<ExitStatus, CliError> {
    let Some(every) = &args.every else {
        return run_one(args, config_path, env, progress, output, true).await;
    };

    let status =
        schedule::run_scheduled(every, &SystemClock, Shutdown::on_ctrl_c(), |n| async move {
            tracing::info!(run = n, "scheduled run starting");
            match run_one(args, config_path, env, progress, output, n == 1).await {
                Ok(status) => status,
                Err(e) => {
                    output.eline(&format!("error: {e}"));
                    e.exit_status()
                }
            }
        })
        .await;
    Ok(status)
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};

    #[test]
    fn a_guard_override_lets_only_the_first_scheduled_run_through() {
        let cli = Cli::try_parse_from([
            "cw-ap-sync",
            "run",
            "--every",
            "1h",
            "--allow-mass-archive",
            "--allow-mass-create",
        ])
        .unwrap();
        let Command::Run(args) = cli.command else {
            panic!("a run");
        };

        let first = run_mode(&args, true);
        let later = run_mode(&args, false);

        assert!(first.allow_mass_archive && first.allow_mass_create);
        assert!(!later.allow_mass_archive && !later.allow_mass_create);
    }
}
