//! The sync engine: fetch, plan, apply, against a [`Source`] and a [`Sink`].
//!
//! For each job the engine resolves the target group, validates the job against it, lists
//! the group's objects (archived ones included) **before** reading the source, so that
//! objects appearing during the run are never archived by it, streams the source records
//! into the planner, re-reads the records missing from the listing to tell "out of scope"
//! from "deleted", plans, and applies the plan in batches. A dry run stops after the plan.

mod apply;
mod report;
mod sink;
mod source;
mod steps;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, NaiveDate, Utc};
use futures::StreamExt;

use crate::config::{Config, JobConfig};
use crate::mapping::CompiledJob;
use crate::plan::{Issue, Planner};
use crate::target::{DateFormat, TargetGroup};
use crate::validate::{validate_job, Problem, Severity, Validation};

pub use report::{
    Counts, ExitCode, FailureKind, GroupReport, GroupStatus, Progress, RunReport, Timings,
};
pub use sink::{
    FieldMessage, NewObject, ObjectOutcome, ObjectStream, ObjectUpdate, Sink, SinkError,
    SinkErrorKind, MAX_BATCH,
};
pub use source::{
    FetchRequest, IdListRequest, IdStream, RecordStream, RereadRequest, Source, SourceError,
    SourceErrorKind,
};

/// A progress callback.
pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// How the engine runs.
#[derive(Debug, Clone, PartialEq)]
pub struct EngineOptions {
    /// Stop after planning; write nothing. Each group report keeps its plan.
    pub dry_run: bool,
    /// Let this run archive more than the archive guard allows.
    pub allow_mass_archive: bool,
    /// Let this run create more new objects than the create guard allows (once, after a
    /// change of the match keys that was meant).
    pub allow_mass_create: bool,
    /// Objects per create, update, archive or unarchive call (1 to 200; default 200).
    pub batch_size: usize,
    /// Ids per re-read call (default 10,000). The source packs each call's ids into as
    /// few URL-sized requests as fit, so a smaller batch only adds requests.
    pub reread_batch: usize,
    /// How many times a batch whose outcome is unknown is sent again after its match keys
    /// were re-read (default 2).
    pub write_retries: u32,
    /// Write batches in flight at once within a phase (default 4; 1 sends them one after the
    /// other; 0 counts as 1). The phases stay in order (unarchive, create, update, archive),
    /// and answers are handled in batch order, so counts, errors and progress do not depend
    /// on it. The sink's clients keep their own rate limits, which concurrency never passes:
    /// more batches in flight only wait on the same throttle.
    pub write_concurrency: usize,
    /// Watermarks for incremental runs, by job name: only records with
    /// `lastUpdated >= watermark` are fetched, and deletions come from an id-only listing.
    pub since: BTreeMap<String, DateTime<Utc>>,
    /// The stop date sent with archives (default: today, UTC).
    pub stop_date: Option<NaiveDate>,
    /// A `chrono` `strftime` date format that overrides the account's.
    pub date_format_override: Option<String>,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            dry_run: false,
            allow_mass_archive: false,
            allow_mass_create: false,
            batch_size: MAX_BATCH,
            reread_batch: 10_000,
            write_retries: 2,
            write_concurrency: 4,
            since: BTreeMap::new(),
            stop_date: None,
            date_format_override: None,
        }
    }
}

/// The sync engine.
///
/// ```no_run
/// # async fn demo<S: cw_ap_mapping::Source, K: cw_ap_mapping::Sink>(source: S, sink: K,
/// #     config: cw_ap_mapping::Config) {
/// use cw_ap_mapping::{Engine, EngineOptions};
/// let engine = Engine::new(source, sink)
///     .with_options(EngineOptions { dry_run: true, ..EngineOptions::default() })
///     .on_progress(|event| eprintln!("{event:?}"));
/// let report = engine.run(&config).await;
/// std::process::exit(report.exit_code().code());
/// # }
/// ```
pub struct Engine<S, K> {
    source: S,
    sink: K,
    options: EngineOptions,
    progress: Option<ProgressFn>,
    /// In a dry run: the fields of the objects each group's plan would create, so that a
    /// later job's links to them resolve as they would in a real run.
    planned: std::sync::Mutex<HashMap<u64, Vec<BTreeMap<String, serde_json::Value>>>>,
}

/// The link value a dry run shows for an object an earlier job of the run would create.
pub const PLANNED_LINK: &str = "(object this run creates)";

impl<S, K> std::fmt::Debug for Engine<S, K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// Why a group cannot go on.
struct Stop {
    status: GroupStatus,
    failure: Option<FailureKind>,
    reason: String,
}

impl Stop {
    fn config(reason: impl Into<String>) -> Self {
        Stop {
            status: GroupStatus::Failed,
            failure: Some(FailureKind::Config),
            reason: reason.into(),
        }
    }

    fn sink(error: &SinkError, what: &str) -> Self {
        let failure = match error.status {
            Some(401) => FailureKind::Config,
            _ => FailureKind::Access,
        };
        Stop {
            status: GroupStatus::Failed,
            failure: Some(failure),
            reason: format!("{what}: {}", error.message),
        }
    }
}

/// How many records of a job's listing `validate` maps, to find the values the mapping
/// cannot write (a status the group does not have, a date it cannot read) before a run.
pub(crate) const SAMPLE_RECORDS: usize = 100;

/// A warning for each kind of record failure that mapping the sample records meets: the
/// run would fail those records. Links are not looked up here.
fn sample_failures(job: &CompiledJob, samples: &[serde_json::Value], index: usize) -> Vec<Problem> {
    let mut planner = crate::plan::Planner::new(job);
    for record in samples {
        planner.push_source(record);
    }
    let plan = planner.finish();
    let mut kinds: Vec<(String, Vec<String>)> = Vec::new();
    for error in &plan.errors {
        let what = match &error.field {
            Some(field) => format!("{field}: {}", error.message),
            None => error.message.clone(),
        };
        let record = error.record.clone().unwrap_or_default();
        match kinds.iter_mut().find(|(kind, _)| *kind == what) {
            Some((_, records)) => records.push(record),
            None => kinds.push((what, vec![record])),
        }
    }
    kinds
        .into_iter()
        .map(|(what, records)| Problem {
            severity: Severity::Warning,
            location: format!("jobs[{index}]"),
            message: format!(
                "{} of the first {} records would fail: {what} (records {})",
                records.len(),
                samples.len(),
                steps::first_of(&records, 3)
            ),
            suggestion: None,
        })
        .collect()
}

/// Warns on each job that writes a group an earlier job also writes: their fields overwrite
/// each other on every run, and each may archive the other's objects.
fn shared_groups(results: &mut [(String, Validation)], indexes: &[usize]) {
    let groups: Vec<Option<(u64, String)>> = results
        .iter()
        .map(|(_, v)| v.job.as_ref().map(|j| (j.group.id, j.group.name.clone())))
        .collect();
    let jobs: Vec<String> = results.iter().map(|(job, _)| job.clone()).collect();
    for (at, (_, validation)) in results.iter_mut().enumerate() {
        let Some((id, name)) = &groups[at] else {
            continue;
        };
        let earlier = groups[..at]
            .iter()
            .position(|g| g.as_ref().is_some_and(|(other, _)| other == id));
        if let Some(earlier) = earlier {
            validation.problems.push(Problem {
                severity: Severity::Warning,
                location: format!("jobs[{}].target_group", indexes[at]),
                message: format!(
                    "group {name} ({id}) is also written by job `{}`; two jobs that write \
                     one group overwrite each other's fields and may archive each other's \
                     objects",
                    jobs[earlier]
                ),
                suggestion: None,
            });
        }
    }
}

impl<S: Source, K: Sink> Engine<S, K> {
    /// An engine with default options.
    pub fn new(source: S, sink: K) -> Self {
        Engine {
            source,
            sink,
            options: EngineOptions::default(),
            progress: None,
            planned: std::sync::Mutex::default(),
        }
    }

    /// Sets the options.
    pub fn with_options(mut self, options: EngineOptions) -> Self {
        self.options = options;
        self
    }

    /// The options, to change them between runs.
    pub fn options_mut(&mut self) -> &mut EngineOptions {
        &mut self.options
    }

    /// Sets a progress callback.
    pub fn on_progress(mut self, callback: impl Fn(&Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(callback));
        self
    }

    /// The source.
    pub fn source(&self) -> &S {
        &self.source
    }

    /// The sink.
    pub fn sink(&self) -> &K {
        &self.sink
    }

    fn emit(&self, event: Progress) {
        if let Some(callback) = &self.progress {
            callback(&event);
        }
    }

    /// Runs every job of the configuration, one after the other; a job that fails does not
    /// stop the others.
    pub async fn run(&self, config: &Config) -> RunReport {
        self.run_jobs(config.jobs.iter().enumerate()).await
    }

    /// Runs some jobs of a configuration, each with its index in it (which locates the
    /// problems in its settings), one after the other.
    pub async fn run_jobs<'a>(
        &self,
        jobs: impl IntoIterator<Item = (usize, &'a JobConfig)>,
    ) -> RunReport {
        let started_at = Utc::now();
        let start = Instant::now();
        let mut groups = Vec::new();
        for (index, job) in jobs {
            groups.push(self.run_job_at(job, index).await);
        }
        RunReport {
            started_at,
            duration_ms: start.elapsed().as_millis() as u64,
            dry_run: self.options.dry_run,
            groups,
        }
    }

    /// Runs one job; problems in its settings are located at `jobs[0]`.
    pub async fn run_job(&self, job: &JobConfig) -> GroupReport {
        self.run_job_at(job, 0).await
    }

    /// Runs the job at `index` of its configuration, which locates problems in its
    /// settings.
    async fn run_job_at(&self, job: &JobConfig, index: usize) -> GroupReport {
        let mut report = GroupReport::new(&job.name, job.entity);
        self.emit(Progress::GroupStarted {
            job: job.name.clone(),
        });
        if let Err(stop) = self.run_inner(job, index, &mut report).await {
            report.status = stop.status;
            report.failure = stop.failure;
            report.reason = Some(stop.reason);
            report.watermark = None;
        }
        self.emit(Progress::GroupFinished {
            job: job.name.clone(),
            status: report.status,
        });
        report
    }

    /// Validates every job against its group and, when the source has one, a sample
    /// record (the first record of the job's listing), writing nothing.
    pub async fn validate(&self, config: &Config) -> Vec<(String, Validation)> {
        self.validate_jobs(config.jobs.iter().enumerate()).await
    }

    /// Validates some jobs of a configuration, each with its index in it.
    pub async fn validate_jobs<'a>(
        &self,
        jobs: impl IntoIterator<Item = (usize, &'a JobConfig)>,
    ) -> Vec<(String, Validation)> {
        let mut out = Vec::new();
        let mut indexes = Vec::new();
        for (index, job) in jobs {
            indexes.push(index);
            let validation = match self.prepare(job, index).await {
                Err(stop) => Validation {
                    problems: vec![Problem {
                        severity: Severity::Error,
                        location: format!("jobs[{index}]"),
                        message: stop.reason,
                        suggestion: None,
                    }],
                    job: None,
                },
                Ok((group, date_format)) => {
                    let mut first = validate_job(job, index, &group, date_format.clone(), None);
                    let samples = match &first.job {
                        Some(compiled) => Some(self.samples(compiled).await),
                        None => None,
                    };
                    match samples {
                        Some(Ok(samples)) if !samples.is_empty() => {
                            let mut checked =
                                validate_job(job, index, &group, date_format, Some(&samples[0]));
                            if let Some(compiled) = &checked.job {
                                let failures = sample_failures(compiled, &samples, index);
                                checked.problems.extend(failures);
                            }
                            checked
                        }
                        Some(Ok(_)) => {
                            if let Some(compiled) = &first.job {
                                let hints = self.unseen_statuses(job, compiled, index).await;
                                first.problems.extend(hints);
                            }
                            first.problems.push(Problem {
                                severity: Severity::Warning,
                                location: format!("jobs[{index}]"),
                                message: "ConnectWise returned no record for this job (an \
                                          empty collection, or a filter that matches nothing), \
                                          so the mapping was not checked against a sample record"
                                    .to_owned(),
                                suggestion: None,
                            });
                            first
                        }
                        // NB: a check that could not happen is an error, not a silent pass.
                        Some(Err(e)) => {
                            first.problems.push(Problem {
                                severity: Severity::Error,
                                location: format!("jobs[{index}]"),
                                message: format!(
                                    "the sample record could not be read from ConnectWise, so \
                                     the mapping was not checked against one: {e}"
                                ),
                                suggestion: None,
                            });
                            first
                        }
                        None => first,
                    }
                }
            };
            let mut validation = validation;
            validation
                .problems
                .extend(self.check_links(job, index).await);
            out.push((job.name.clone(), validation));
        }
        shared_groups(&mut out, &indexes);
        out
    }

    /// A problem for each link whose group or field does not exist: the run would fail the
    /// job. The linked objects are not listed.
    async fn check_links(&self, job: &JobConfig, index: usize) -> Vec<Problem> {
        let mut problems = Vec::new();
        for (at, field) in job.fields.iter().enumerate() {
            let Some(link) = &field.link else { continue };
            let message = match self.sink.resolve_group(&link.group).await {
                Err(e) if matches!(e.status, Some(401 | 404)) => Some(format!(
                    "the linked {} could not be resolved: {}",
                    link.group, e.message
                )),
                // NB: a group that cannot be read now is the run's problem, not the file's.
                Err(_) => None,
                Ok(group) => crate::validate::resolve_target(&group, &link.field)
                    .err()
                    .map(|(message, _)| format!("the link field: {message}")),
            };
            problems.extend(message.map(|message| Problem {
                severity: Severity::Error,
                location: format!("jobs[{index}].fields[{at}].link"),
                message,
                suggestion: None,
            }));
        }
        problems
    }

    /// When a job's filter matches nothing, a warning for each status it names that the
    /// first records of the unfiltered listing do not have, with the nearest one they do.
    async fn unseen_statuses(
        &self,
        job: &JobConfig,
        compiled: &CompiledJob,
        index: usize,
    ) -> Vec<Problem> {
        let path = crate::filter::status_path(compiled.entity)
            .and_then(|path| crate::path::FieldPath::parse(path).ok());
        let Some(path) = path.filter(|_| !job.filter.status.is_empty()) else {
            return Vec::new();
        };
        let request = FetchRequest {
            job: job.name.clone(),
            entity: compiled.entity,
            filter: crate::RenderedFilter::default(),
            fields: vec!["id".to_owned(), path.projection()],
            updated_since: None,
        };
        let mut seen: Vec<String> = Vec::new();
        let mut read = 0;
        let mut stream = self.source.fetch(&request);
        while let Some(Ok(record)) = stream.next().await {
            let value = match path.extract(&record) {
                Ok(crate::path::Extracted::One(value)) => value.as_str(),
                _ => None,
            };
            if let Some(value) = value.filter(|v| !seen.iter().any(|s| s == v)) {
                seen.push(value.to_owned());
            }
            read += 1;
            if read == SAMPLE_RECORDS {
                break;
            }
        }
        if seen.is_empty() {
            return Vec::new();
        }
        job.filter
            .status
            .iter()
            .filter(|wanted| !seen.iter().any(|s| s.eq_ignore_ascii_case(wanted)))
            .map(|wanted| Problem {
                severity: Severity::Warning,
                location: format!("jobs[{index}].filter.status"),
                message: format!(
                    "no record of the first {read} has the status `{wanted}`; they have: {}",
                    seen.join(", ")
                ),
                suggestion: crate::validate::resolve::nearest(
                    wanted,
                    seen.iter().map(String::as_str),
                ),
            })
            .collect()
    }

    /// The first records of the job's listing (up to [`SAMPLE_RECORDS`]); none when the
    /// collection is empty. An unreadable item is skipped; a listing that fails is an error.
    async fn samples(&self, job: &CompiledJob) -> Result<Vec<serde_json::Value>, SourceError> {
        let request = FetchRequest {
            job: job.name.clone(),
            entity: job.entity,
            filter: job.pushdown.clone(),
            fields: job.projection(),
            updated_since: None,
        };
        let mut stream = self.source.fetch(&request);
        let mut records = Vec::new();
        while let Some(item) = stream.next().await {
            match item {
                Ok(record) => records.push(record),
                Err(e) if e.kind == SourceErrorKind::Item => continue,
                Err(e) => return Err(e),
            }
            if records.len() == SAMPLE_RECORDS {
                break;
            }
        }
        Ok(records)
    }

    async fn prepare(
        &self,
        job: &JobConfig,
        _index: usize,
    ) -> Result<(TargetGroup, DateFormat), Stop> {
        let group = self
            .sink
            .resolve_group(&job.target_group)
            .await
            .map_err(|e| {
                let mut stop =
                    Stop::sink(&e, &format!("{} could not be resolved", job.target_group));
                if e.status == Some(404) {
                    stop.failure = Some(FailureKind::Config);
                }
                stop
            })?;
        let date_format = match &self.options.date_format_override {
            Some(format) => {
                DateFormat::strftime(format.clone()).map_err(|e| Stop::config(e.to_string()))?
            }
            None => {
                let text = self
                    .sink
                    .date_format()
                    .await
                    .map_err(|e| Stop::sink(&e, "the account date format could not be read"))?;
                DateFormat::from_account(&text).map_err(|e| Stop::config(e.to_string()))?
            }
        };
        Ok((group, date_format))
    }

    async fn run_inner(
        &self,
        job: &JobConfig,
        index: usize,
        report: &mut GroupReport,
    ) -> Result<(), Stop> {
        let start = Instant::now();
        let (group, date_format) = self.prepare(job, index).await?;
        report.group_id = Some(group.id);
        report.group_name = Some(group.name.clone());

        let validation = validate_job(job, index, &group, date_format, None);
        for problem in validation.warnings() {
            report
                .warnings
                .push(Issue::job(&job.name, problem.describe()));
        }
        let Some(compiled) = validation.job else {
            let problems: Vec<String> = validation.errors().map(Problem::describe).collect();
            for problem in &problems {
                report.errors.push(Issue::job(&job.name, problem.clone()));
            }
            return Err(Stop::config(format!(
                "the job does not fit group {}: {}",
                group.name,
                problems.join("; ")
            )));
        };

        let links = self.links(&compiled).await?;
        let mut planner = Planner::new(&compiled)
            .with_links(links)
            .override_archive_guard(self.options.allow_mass_archive)
            .override_create_guard(self.options.allow_mass_create);

        // NB: the target listing comes before the source is read, so that objects created
        // during the run are never archive candidates.
        self.list_targets(&compiled, &mut planner).await?;
        let broken = self.fetch(&compiled, &mut planner, report).await?;
        if let Some(reason) = &broken {
            planner.disable_archive(reason.clone());
        } else {
            self.verify_missing(&compiled, &mut planner, report).await;
        }
        report.timings.fetch_ms = start.elapsed().as_millis() as u64;

        let planned = Instant::now();
        report.counts.deleted = planner.deleted();
        let (plan, create_guard) = planner.finish_with_create_guard();
        report.create_guard = Some(create_guard);
        if self.options.dry_run {
            let creates = plan.creates.iter().map(|c| c.fields.clone()).collect();
            if let Ok(mut planned) = self.planned.lock() {
                planned.insert(compiled.group.id, creates);
            }
        }
        report.timings.plan_ms = planned.elapsed().as_millis() as u64;
        self.emit(Progress::Planned {
            job: job.name.clone(),
            writes: plan.writes(),
        });
        self.absorb_plan(&plan, report);

        if let Some(reason) = &broken {
            report.status = GroupStatus::Incomplete;
            report.reason = Some(reason.clone());
        } else if !plan.unverified.is_empty() {
            // NB: records that may have been deleted at source but could not be checked leave
            // the group short of its end state: the run is incomplete, never complete.
            report.status = GroupStatus::Incomplete;
            report.reason = Some(format!(
                "{} missing records could not be verified, so none of them was archived",
                plan.unverified.len()
            ));
        }
        // NB: a dry run says what a run would do, so it stops as a run would; its counts
        // show what the guard holds back.
        if let Some(reason) = &plan.stopped {
            report.status = GroupStatus::Stopped;
            report.reason = Some(reason.clone());
        }
        if self.options.dry_run {
            let c = plan.counts();
            report.counts.created = c.create;
            report.counts.updated = c.update;
            report.counts.archived = c.archive;
            report.counts.unarchived = c.unarchive;
        } else if plan.stopped.is_none() {
            let applying = Instant::now();
            let stop_date = self
                .options
                .stop_date
                .unwrap_or_else(|| Utc::now().date_naive());
            let mut applier = apply::Applier {
                sink: &self.sink,
                job: &compiled,
                batch: self.options.batch_size.clamp(1, MAX_BATCH),
                concurrency: self.options.write_concurrency.max(1),
                retries: self.options.write_retries,
                stop_date,
                report,
                progress: self.progress.as_ref(),
                done: 0,
                total: plan.writes(),
            };
            applier.apply(&plan).await;
            report.timings.apply_ms = applying.elapsed().as_millis() as u64;
        }

        if report.status == GroupStatus::Complete {
            report.watermark = plan.watermark;
        }
        if self.options.dry_run {
            report.plan = Some(plan);
        }
        Ok(())
    }
}
