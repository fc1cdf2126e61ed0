//! `cw-ap-sync demo`: the whole sync between two fake servers, in three runs.
//!
//! The first run fills the empty Asset Panda groups from generated ConnectWise data; then
//! some devices are edited, added and deleted at the source and the second run shows the
//! updates, creates and archives; the third run finds nothing to change. The data and
//! the changes follow the seed, so two demos with one seed print the same counts.

mod changes;
mod servers;

use cw_ap_mapping::{EngineOptions, RunReport};

pub use changes::Changes;
pub use servers::{start, DemoData, Servers, SAMPLE_JOBS};

use crate::cli::DemoArgs;
use crate::config::Loaded;
use crate::error::CliError;
use crate::exit::ExitStatus;
use crate::output::Output;
use crate::progress::Progress;
use crate::report;
use crate::sync;

/// Issues of each kind the demo lists per group: enough to show what they look like.
const DEMO_ISSUES_SHOWN: usize = 3;

/// The three reports of a demo and the changes made between the first two.
#[derive(Debug)]
pub struct DemoOutcome {
    /// The first, full run.
    pub first: RunReport,
    /// What was changed at the source.
    pub changes: Changes,
    /// The run after the changes.
    pub second: RunReport,
    /// The run that should change nothing.
    pub third: RunReport,
    /// The worst exit status of the three runs.
    pub status: ExitStatus,
}

/// Runs the demo's three syncs against running fakes, printing each report.
pub async fn run_with(
    servers: &Servers,
    seed: u64,
    json: bool,
    progress: &Progress,
    output: &Output,
) -> Result<DemoOutcome, CliError> {
    let loaded = Loaded {
        path: "(demo)".into(),
        config: servers.config()?,
    };
    let endpoints = sync::connect(&loaded, &servers.env())?;
    sync::preflight(&endpoints).await?;
    let jobs = loaded.config.jobs.clone();
    let print = |title: &str, report: &RunReport| {
        if json {
            output.line(&serde_json::to_string(report).unwrap_or_default());
        } else {
            output.line(&format!("== {title}"));
            output.print(&report::text_showing(report, None, DEMO_ISSUES_SHOWN));
            output.line("");
        }
    };

    // NB: at small sizes the demo's deletions are more than the archive guard's share of
    // a group, and its one added device (under 10 devices) more than the create guard's;
    // the demo is there to show them archived and created, so both guards are lifted.
    let options = || EngineOptions {
        allow_mass_archive: true,
        allow_mass_create: true,
        ..EngineOptions::default()
    };
    let first = sync::execute(&endpoints, &jobs, options(), progress).await;
    print("Run 1: the first full sync into empty groups", &first);

    let changes = changes::apply(&servers.cw, seed);
    if !json {
        output.line(&format!(
            "== Changes in ConnectWise: {}\n",
            changes.summary()
        ));
    }

    let second = sync::execute(&endpoints, &jobs, options(), progress).await;
    print("Run 2: after the changes", &second);

    let third = sync::execute(&endpoints, &jobs, options(), progress).await;
    print("Run 3: nothing has changed since", &third);

    let status = ExitStatus::worst([&first, &second, &third].map(report::exit_status));
    Ok(DemoOutcome {
        first,
        changes,
        second,
        third,
        status,
    })
}

/// `cw-ap-sync demo`.
pub async fn run(
    args: &DemoArgs,
    progress: &Progress,
    output: &Output,
) -> Result<ExitStatus, CliError> {
    let data = DemoData {
        seed: args.seed,
        companies: args.companies,
        devices: args.devices,
        cw_port: 0,
        ap_port: 0,
    };
    if !args.json {
        output.line(&format!(
            "Starting a fake ConnectWise ({}, {}, seed {}) and a fake Asset Panda on \
             loopback.\n",
            crate::output::count(data.companies, "company", "companies"),
            crate::output::count(data.devices, "device", "devices"),
            data.seed
        ));
    }
    let servers = start(data).await?;

    let outcome = run_with(&servers, args.seed, args.json, progress, output).await?;
    Ok(outcome.status)
}
