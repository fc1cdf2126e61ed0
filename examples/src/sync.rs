//! One sync run of the command line: connect, take the job locks, run the engine, keep the
//! watermarks and the history, and work out the exit status.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use cw_ap_mapping::JobConfig;
use cw_ap_mapping::{Engine, EngineOptions, GroupStatus, Progress as Event, RunReport};

use crate::adapters::{ApSink, CwSource};
use crate::config::Loaded;
use crate::credentials::{CredentialSource, Env};
use crate::error::CliError;
use crate::exit::ExitStatus;
use crate::lock::{JobLock, LockError};
use crate::output::Output;
use crate::progress::{Progress, Stage};
use crate::{clients, history, report, state};

/// What kind of run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunMode {
    /// Plan only; write nothing (and keep no state or history).
    pub dry_run: bool,
    /// Fetch only records changed since each job's watermark.
    pub incremental: bool,
    /// Let the run archive past the archive guard.
    pub allow_mass_archive: bool,
    /// Let the run create past the create guard.
    pub allow_mass_create: bool,
}

impl RunMode {
    /// `plan`, `incremental` or `full`, for the history.
    pub fn label(self) -> &'static str {
        match (self.dry_run, self.incremental) {
            (true, _) => "plan",
            (false, true) => "incremental",
            (false, false) => "full",
        }
    }
}

/// The two ends of a sync, connected.
#[derive(Debug, Clone)]
pub struct Endpoints {
    /// ConnectWise, as the engine's source.
    pub source: CwSource,
    /// Asset Panda, as the engine's sink.
    pub sink: ApSink,
}

/// Builds both clients from the configuration and the credentials.
pub fn connect(loaded: &Loaded, env: &Env) -> Result<Endpoints, CliError> {
    let credentials = CredentialSource::load(env.clone(), loaded.credentials_path().as_deref())?;
    let cw = clients::connectwise(&loaded.config.connectwise, &credentials.connectwise()?)?;
    let ap = clients::assetpanda(&loaded.config.assetpanda, &credentials.assetpanda()?)?;
    let page_size = loaded.config.connectwise.page_size.unwrap_or(1000);

    Ok(Endpoints {
        source: CwSource::new(cw, page_size)
            .with_read_concurrency(loaded.config.sync.read_concurrency()),
        sink: ApSink::new(ap, loaded.config.assetpanda.date_format.clone()),
    })
}

/// Checks that both sides accept the credentials before anything is read or written.
pub async fn preflight(endpoints: &Endpoints) -> Result<(), CliError> {
    crate::commands::test_connection::check_connectwise(endpoints.source.client()).await?;
    crate::commands::test_connection::check_assetpanda(endpoints.sink.client()).await?;
    Ok(())
}

/// Runs `jobs` through the engine with progress shown, writing nothing but what the
/// engine writes (no lock, state or history): the core of `run`, `plan` and `demo`.
pub async fn execute(
    endpoints: &Endpoints,
    jobs: &[JobConfig],
    options: EngineOptions,
    progress: &Progress,
) -> RunReport {
    let indexes: Vec<usize> = (0..jobs.len()).collect();
    execute_at(endpoints, jobs, &indexes, options, progress).await
}

/// As [`execute`], with each job's place in its configuration (`indexes`, one per job), which
/// locates the problems in its settings.
pub async fn execute_at(
    endpoints: &Endpoints,
    jobs: &[JobConfig],
    indexes: &[usize],
    options: EngineOptions,
    progress: &Progress,
) -> RunReport {
    let stages: Arc<Mutex<BTreeMap<String, Stage>>> = Arc::default();
    let display = progress.clone();
    let dry_run = options.dry_run;
    // NB: a sink per run, so that a scheduled process never serves one run's reads to the
    // next.
    let engine = Engine::new(endpoints.source.clone(), endpoints.sink.for_run(jobs))
        .with_options(options)
        .on_progress(move |event| show(&display, &stages, event, dry_run));

    engine
        .run_jobs(indexes.iter().copied().zip(jobs.iter()))
        .await
}

fn show(
    progress: &Progress,
    stages: &Mutex<BTreeMap<String, Stage>>,
    event: &Event,
    dry_run: bool,
) {
    let Ok(mut stages) = stages.lock() else {
        return;
    };
    let stages = &mut *stages;

    match event {
        Event::GroupStarted { job } => {
            begin(progress, stages, job, "listing Asset Panda objects", None);
        }
        Event::TargetListed { job, objects } => {
            let stage = match stages.get(job) {
                Some(stage) => stage.clone(),
                None => begin(progress, stages, job, "listing Asset Panda objects", None),
            };
            stage.set(*objects as u64);
        }
        Event::Fetched { job, records } => {
            let reading = stages
                .get(job)
                .filter(|s| s.label().ends_with("reading ConnectWise"))
                .cloned();
            let stage = reading
                .unwrap_or_else(|| begin(progress, stages, job, "reading ConnectWise", None));
            stage.set(*records as u64);
        }
        Event::Planned { job, writes } => {
            if dry_run {
                // NB: a plan writes nothing, so it shows no writing stage.
                if let Some(old) = stages.remove(job) {
                    old.finish(&format!("done; {writes} write(s) planned"));
                }
            } else {
                begin(progress, stages, job, "writing", Some(*writes as u64));
            }
        }
        Event::Applied { job, done, .. } => {
            if let Some(stage) = stages.get(job) {
                stage.set(*done as u64);
            }
        }
        Event::GroupFinished { job, status } => {
            if let Some(stage) = stages.remove(job) {
                stage.finish(&status.to_string());
            }
        }
        _ => {}
    }
}

/// Ends the job's current stage and starts the next.
fn begin(
    progress: &Progress,
    stages: &mut BTreeMap<String, Stage>,
    job: &str,
    what: &str,
    total: Option<u64>,
) -> Stage {
    if let Some(old) = stages.remove(job) {
        old.finish("done");
    }
    let stage = progress.stage(format!("{job}: {what}"), total);
    stages.insert(job.to_owned(), stage.clone());
    stage
}

/// The outcome of [`run_once`].
#[derive(Debug)]
pub struct Outcome {
    /// The engine's report (of the jobs that ran).
    pub report: RunReport,
    /// Jobs skipped because another run holds their lock.
    pub locked: Vec<String>,
    /// The exit status of the whole invocation.
    pub status: ExitStatus,
}

/// A whole `run` (or `plan`): locks, watermarks, the engine, state and history.
pub async fn run_once(
    loaded: &Loaded,
    endpoints: &Endpoints,
    jobs: &[JobConfig],
    mode: RunMode,
    progress: &Progress,
    output: &Output,
) -> Result<Outcome, CliError> {
    let paths = loaded.paths();
    if !mode.dry_run {
        std::fs::create_dir_all(paths.dir()).map_err(|source| CliError::Io {
            what: format!("creating the state directory {}", paths.dir().display()),
            source,
        })?;
    }
    let mut locks = Vec::new();
    let mut locked = Vec::new();
    let mut runnable = Vec::new();

    for job in jobs {
        if mode.dry_run {
            runnable.push(job.clone());
            continue;
        }
        match JobLock::try_acquire(&job.name, &paths.lock(&job.name)) {
            Ok(lock) => {
                locks.push(lock);
                runnable.push(job.clone());
            }
            Err(e @ LockError::Held { .. }) => {
                output.eline(&format!("error: {e}; nothing was done for it"));
                locked.push(job.name.clone());
            }
            Err(e) => return Err(e.into()),
        }
    }

    let mut options = EngineOptions {
        dry_run: mode.dry_run,
        allow_mass_archive: mode.allow_mass_archive,
        allow_mass_create: mode.allow_mass_create,
        ..loaded.config.sync.engine_options()
    };
    let mut states = BTreeMap::new();
    for job in &runnable {
        let saved = state::load(&paths.state(&job.name))?;
        if mode.incremental {
            match saved.watermarks.get(&job.name) {
                Some(mark) => {
                    options.since.insert(job.name.clone(), *mark);
                }
                None => tracing::info!(
                    job = %job.name,
                    "no watermark yet: this incremental run reads everything"
                ),
            }
        }
        states.insert(job.name.clone(), saved);
    }

    let report = if runnable.is_empty() {
        RunReport {
            started_at: Utc::now(),
            duration_ms: 0,
            dry_run: mode.dry_run,
            groups: Vec::new(),
        }
    } else {
        let indexes = loaded.indexes(&runnable);
        execute_at(endpoints, &runnable, &indexes, options, progress).await
    };

    if !mode.dry_run {
        keep_state_and_history(loaded, &report, states, mode)?;
    }
    drop(locks);

    let mut status = report::exit_status(&report);
    if !locked.is_empty() {
        status = status.combine(ExitStatus::Locked);
    }
    if endpoints.source.credentials_refused() {
        status = status.combine(ExitStatus::ConfigError);
    }
    Ok(Outcome {
        report,
        locked,
        status,
    })
}

/// Moves each job's watermark after a group that completed with no failed record, and
/// appends one history line per job.
fn keep_state_and_history(
    loaded: &Loaded,
    report: &RunReport,
    mut states: BTreeMap<String, state::JobState>,
    mode: RunMode,
) -> Result<(), CliError> {
    let paths = loaded.paths();

    for group in &report.groups {
        let clean = group.status == GroupStatus::Complete
            && report::group_status(group) == ExitStatus::Success;
        if let (true, Some(mark)) = (clean, group.watermark) {
            let job_state = states.entry(group.job.clone()).or_default();
            job_state.watermarks.insert(group.job.clone(), mark);
            job_state.last_success = Some(Utc::now());
            state::save(&paths.state(&group.job), job_state)?;
        }

        let record = report::history_record(report, &group.job, mode.label());
        history::append(&paths.history(), &record).map_err(|source| CliError::Io {
            what: format!(
                "appending to the history file {}",
                paths.history().display()
            ),
            source,
        })?;
    }
    Ok(())
}
