//! The run report: per group status, counts, errors, warnings, timings and watermark, and
//! the command-line exit code they give.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::entity::Entity;
use crate::plan::{CreateGuardCheck, Issue, SyncPlan};

/// How a group's run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupStatus {
    /// Every step ran (records may still have failed one by one).
    Complete,
    /// The source listing broke off: what was fetched was written, nothing was archived.
    Incomplete,
    /// The group could not run (configuration, permission, unreadable collection).
    Failed,
    /// A safety guard held back every write to the group.
    Stopped,
}

impl fmt::Display for GroupStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            GroupStatus::Complete => "complete",
            GroupStatus::Incomplete => "incomplete",
            GroupStatus::Failed => "failed",
            GroupStatus::Stopped => "stopped",
        })
    }
}

/// Why a group failed, when it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// The job's configuration does not fit the target group (exit code 2).
    Config,
    /// The source or the sink could not be used (exit code 4).
    Access,
}

/// Counts of one group's run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Records read from the source.
    pub fetched: usize,
    /// Objects created.
    pub created: usize,
    /// Objects updated (adoptions and status changes included).
    pub updated: usize,
    /// Records whose object needed no change.
    pub unchanged: usize,
    /// Objects archived.
    pub archived: usize,
    /// Objects unarchived (their record came back).
    pub unarchived: usize,
    /// Records outside the filter.
    pub filtered_out: usize,
    /// Records read that ConnectWise marks deleted (`deletedFlag`): nothing is created
    /// for them, and an object they have follows `on_deleted` (counted in `archived` or
    /// `updated`).
    #[serde(default)]
    pub deleted: usize,
    /// Records that could not be written.
    pub failed: usize,
    /// Keys shared by two records or two objects (nothing written for them).
    pub conflicts: usize,
    /// Missing records whose deletion could not be verified (nothing archived for them).
    pub unverified: usize,
}

/// Durations of one group's steps, in milliseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timings {
    /// Listing target objects and fetching source records.
    pub fetch_ms: u64,
    /// Planning (including the re-read of missing records).
    pub plan_ms: u64,
    /// Writing.
    pub apply_ms: u64,
}

/// The report of one job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupReport {
    /// The job's name.
    pub job: String,
    /// The source entity.
    pub entity: Entity,
    /// The target group id, once resolved.
    pub group_id: Option<u64>,
    /// The target group name, once resolved.
    pub group_name: Option<String>,
    /// How the run ended.
    pub status: GroupStatus,
    /// Why the status is not `complete` (a failure, the broken request, the guard).
    pub reason: Option<String>,
    /// What kind of failure, when `status` is `failed`.
    pub failure: Option<FailureKind>,
    /// The counts.
    pub counts: Counts,
    /// Per-record (and per-field) errors.
    pub errors: Vec<Issue>,
    /// Warnings (they do not change the exit code).
    pub warnings: Vec<Issue>,
    /// Step durations.
    pub timings: Timings,
    /// The highest `_info/lastUpdated` the server returned; set only when the group is
    /// `complete`. A later incremental run may start from it.
    pub watermark: Option<DateTime<Utc>>,
    /// The plan, kept in a dry run.
    pub plan: Option<SyncPlan>,
    /// The create guard's check, once the group was planned (in a dry run too). The
    /// archive guard's is the plan's `guard`.
    #[serde(default)]
    pub create_guard: Option<CreateGuardCheck>,
}

impl GroupReport {
    /// A report for a job that has not run yet.
    pub fn new(job: impl Into<String>, entity: Entity) -> Self {
        GroupReport {
            job: job.into(),
            entity,
            group_id: None,
            group_name: None,
            status: GroupStatus::Complete,
            reason: None,
            failure: None,
            counts: Counts::default(),
            errors: Vec::new(),
            warnings: Vec::new(),
            timings: Timings::default(),
            watermark: None,
            plan: None,
            create_guard: None,
        }
    }

    /// The exit code this group alone gives.
    pub fn exit_code(&self) -> ExitCode {
        match self.status {
            GroupStatus::Failed if self.failure == Some(FailureKind::Config) => ExitCode::Config,
            GroupStatus::Failed | GroupStatus::Incomplete => ExitCode::GroupFailed,
            GroupStatus::Stopped => ExitCode::GuardStopped,
            GroupStatus::Complete if self.counts.failed > 0 || !self.errors.is_empty() => {
                ExitCode::RecordsFailed
            }
            GroupStatus::Complete => ExitCode::Success,
        }
    }
}

/// The report of a whole run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunReport {
    /// When the run started.
    pub started_at: DateTime<Utc>,
    /// How long it took, in milliseconds.
    pub duration_ms: u64,
    /// Whether it stopped after planning.
    pub dry_run: bool,
    /// One report per job, in order.
    pub groups: Vec<GroupReport>,
}

impl RunReport {
    /// The command-line exit code: the highest that applies to any group.
    pub fn exit_code(&self) -> ExitCode {
        self.groups
            .iter()
            .map(GroupReport::exit_code)
            .max()
            .unwrap_or(ExitCode::Success)
    }

    /// The group report of a job.
    pub fn group(&self, job: &str) -> Option<&GroupReport> {
        self.groups.iter().find(|g| g.job == job)
    }

    /// Whether some groups failed and others did not (a partial result).
    pub fn is_partial(&self) -> bool {
        let failed = self
            .groups
            .iter()
            .filter(|g| g.status != GroupStatus::Complete)
            .count();
        failed > 0 && failed < self.groups.len()
    }
}

/// The command-line exit codes. When several apply, the highest wins (`max`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExitCode {
    /// 0: every group complete and no record failed (warnings alone still give 0).
    Success = 0,
    /// 1: some records failed.
    RecordsFailed = 1,
    /// 2: a configuration or credential problem.
    Config = 2,
    /// 3: a safety guard stopped a group.
    GuardStopped = 3,
    /// 4: a group failed or ended incomplete.
    GroupFailed = 4,
    /// 5: another run of the same job holds the lock; nothing was done.
    Locked = 5,
}

impl ExitCode {
    /// The numeric code.
    pub fn code(self) -> i32 {
        self as i32
    }

    /// The highest of several codes (`Success` for none).
    pub fn highest(codes: impl IntoIterator<Item = ExitCode>) -> ExitCode {
        codes.into_iter().max().unwrap_or(ExitCode::Success)
    }
}

/// A progress event, for progress bars.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Progress {
    /// A job started.
    GroupStarted {
        /// The job.
        job: String,
    },
    /// Target objects listed so far.
    TargetListed {
        /// The job.
        job: String,
        /// Objects so far.
        objects: usize,
    },
    /// Source records read so far (reported every 100 records and at the end).
    Fetched {
        /// The job.
        job: String,
        /// Records so far.
        records: usize,
    },
    /// The plan is ready.
    Planned {
        /// The job.
        job: String,
        /// The number of writes it holds (creates, updates, archives, unarchives).
        writes: usize,
    },
    /// Writes applied so far.
    Applied {
        /// The job.
        job: String,
        /// Writes done (successful or not).
        done: usize,
        /// Writes planned.
        total: usize,
    },
    /// A job ended.
    GroupFinished {
        /// The job.
        job: String,
        /// How it ended.
        status: GroupStatus,
    },
}
