//! The plan's data: what to create, update, archive and unarchive, and what was skipped.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::entity::Entity;

/// A per-record (and possibly per-field) error or warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    /// The job.
    pub job: String,
    /// The ConnectWise record id, when the issue concerns one record.
    pub record: Option<String>,
    /// The target object id, when known.
    pub object: Option<String>,
    /// The field, named as `Name (field_10)` for a target field or by its path for a
    /// source field.
    pub field: Option<String>,
    /// What happened.
    pub message: String,
}

impl Issue {
    /// An issue about a job as a whole.
    pub fn job(job: &str, message: impl Into<String>) -> Self {
        Issue {
            job: job.to_string(),
            record: None,
            object: None,
            field: None,
            message: message.into(),
        }
    }

    /// An issue about a record.
    pub fn record(job: &str, record: impl Into<String>, message: impl Into<String>) -> Self {
        Issue {
            record: Some(record.into()),
            ..Issue::job(job, message)
        }
    }

    /// Names the field.
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Names the object.
    pub fn with_object(mut self, object: impl Into<String>) -> Self {
        self.object = Some(object.into());
        self
    }
}

impl std::fmt::Display for Issue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}]", self.job)?;
        if let Some(record) = &self.record {
            write!(f, " record {record}")?;
        }
        if let Some(object) = &self.object {
            write!(f, " object {object}")?;
        }
        if let Some(field) = &self.field {
            write!(f, " {field}:")?;
        }
        write!(f, " {}", self.message)
    }
}

/// An object to create.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedCreate {
    /// The ConnectWise record id.
    pub record: String,
    /// Field key → value.
    pub fields: BTreeMap<String, Value>,
}

/// How a record found its object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchedBy {
    /// The match key's target field (`Serial Number (field_10)`).
    pub field: String,
    /// Whether it was a natural key (the object is adopted: it gets the ConnectWise id).
    pub adopted: bool,
}

/// One field that changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    /// The field key.
    pub key: String,
    /// The field's name.
    pub name: String,
    /// The value now in the object.
    pub old: Value,
    /// The value to write.
    pub new: Value,
}

/// Why an object is updated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UpdateReason {
    /// Its record changed (or it is adopted, or it comes back from the archive).
    Changed,
    /// Its record is gone or out of scope and the job sets a status.
    SetStatus,
}

/// An object to update.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedUpdate {
    /// The ConnectWise record id.
    pub record: String,
    /// The object id.
    pub object: String,
    /// How the record found the object.
    pub matched_by: MatchedBy,
    /// Whether the object is unarchived first.
    pub unarchive: bool,
    /// Why.
    pub reason: UpdateReason,
    /// The fields that change (may be empty for an unarchive alone).
    pub changes: Vec<FieldChange>,
}

/// Why an object is archived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArchiveReason {
    /// Its record was deleted at source.
    DeletedAtSource,
    /// Its record left the filter and the job archives such objects.
    FilteredOut,
}

/// An object to archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedArchive {
    /// The ConnectWise record id stored in the object.
    pub record: String,
    /// The object id.
    pub object: String,
    /// Why.
    pub reason: ArchiveReason,
}

/// A key shared where it must be unique; nothing is written for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// The match key's target field.
    pub field: String,
    /// The (normalised) key value.
    pub value: String,
    /// The records involved.
    pub records: Vec<String>,
    /// The objects involved.
    pub objects: Vec<String>,
    /// What is wrong.
    pub message: String,
}

/// The archive guard's check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuardCheck {
    /// Whether the guard is on.
    pub enabled: bool,
    /// Objects the plan would archive.
    pub archives: usize,
    /// Objects of the group (not archived) that carry a ConnectWise id.
    pub carrying_id: usize,
    /// The largest share allowed.
    pub max_share: f64,
    /// Whether the limit was overridden for this run.
    pub overridden: bool,
    /// Whether the guard tripped.
    pub tripped: bool,
}

impl GuardCheck {
    /// The most objects one run may archive.
    pub fn limit(&self) -> f64 {
        self.max_share * self.carrying_id as f64
    }

    /// Whether these counts are past the limit (on or off, overridden or not).
    pub fn past_limit(&self) -> bool {
        self.archives > 0 && self.archives as f64 > self.limit()
    }
}

/// The create guard's check: a large batch of new objects into a group that already holds
/// a comparable number, the sign of a changed or wrong match key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateGuardCheck {
    /// Whether the guard is on.
    pub enabled: bool,
    /// Objects the plan would create.
    pub creates: usize,
    /// Objects of the group (not archived) when the run started.
    pub existing: usize,
    /// Of those, the objects a record matched (to update or unchanged).
    pub matched: usize,
    /// The share past which it trips, both ways: `creates` more than this share of
    /// `existing`, and the objects no record matched more than this share of `creates`.
    pub max_share: f64,
    /// Whether the limit was overridden for this run.
    pub overridden: bool,
    /// Whether the guard tripped.
    pub tripped: bool,
}

impl CreateGuardCheck {
    /// The objects of the group no record matched.
    pub fn unmatched(&self) -> usize {
        self.existing.saturating_sub(self.matched)
    }

    /// The fewest objects a trip must put at risk of duplication: below it, the churn of
    /// a small group (a test group of a handful of objects) would trip the guard on every
    /// change, and what a changed key duplicates there is few enough to see in the report.
    pub const MIN_AT_RISK: usize = 10;

    /// Whether these counts are past the limit (on or off, overridden or not): more new
    /// objects than `max_share` of the group, beside more objects no record matched than
    /// `max_share` of the new ones, with at least [`Self::MIN_AT_RISK`] of each. A first
    /// sync into an empty group, a few new records, many records into a group of a few
    /// hand-made objects, and a small group's churn all pass.
    pub fn past_limit(&self) -> bool {
        // NB: the group's size is compared through the objects no record matched: matched
        // ones are not duplicated, and a group that only grows (a first sync resumed after a
        // crash, a small group gaining one object) is not the changed match key looked for.
        let at_risk = self.creates.min(self.unmatched());
        let (creates, existing) = (self.creates as f64, self.existing as f64);
        let unmatched = self.unmatched() as f64;
        at_risk >= Self::MIN_AT_RISK
            && creates > self.max_share * existing
            && unmatched > self.max_share * creates
    }
}

/// A record outside the filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilteredOut {
    /// The ConnectWise record id.
    pub record: String,
    /// Its object, when it has one.
    pub object: Option<String>,
}

/// Counts of a plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanCounts {
    /// Records read.
    pub records: usize,
    /// Creates.
    pub create: usize,
    /// Updates (unarchives with changes included).
    pub update: usize,
    /// Unchanged records.
    pub unchanged: usize,
    /// Archives.
    pub archive: usize,
    /// Unarchives.
    pub unarchive: usize,
    /// Records out of the filter.
    pub filtered_out: usize,
    /// Records that failed.
    pub failed: usize,
    /// Conflicts.
    pub conflicts: usize,
    /// Missing records not verified.
    pub unverified: usize,
}

/// The plan of one job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncPlan {
    /// The job.
    pub job: String,
    /// The source entity.
    pub entity: Entity,
    /// The target group id.
    pub group_id: u64,
    /// The target group name.
    pub group_name: String,
    /// Objects to create.
    pub creates: Vec<PlannedCreate>,
    /// Objects to update.
    pub updates: Vec<PlannedUpdate>,
    /// Objects to archive.
    pub archives: Vec<PlannedArchive>,
    /// Records whose object needs no change.
    pub unchanged: usize,
    /// Records read from the source (the listing and re-reads).
    pub records: usize,
    /// Records out of the filter.
    pub filtered_out: Vec<FilteredOut>,
    /// Records that could not be mapped (skipped) and per-field errors of written records.
    pub errors: Vec<Issue>,
    /// Warnings.
    pub warnings: Vec<Issue>,
    /// Keys shared by several records or objects.
    pub conflicts: Vec<Conflict>,
    /// Missing records (ConnectWise ids) whose deletion could not be verified.
    pub unverified: Vec<String>,
    /// The archive guard's check.
    pub guard: GuardCheck,
    /// Set when no write at all may happen (the guard tripped), with the reason.
    pub stopped: Option<String>,
    /// Set when archiving was switched off for this run (an incomplete listing), with the
    /// reason.
    pub archive_disabled: Option<String>,
    /// The highest `_info/lastUpdated` seen.
    pub watermark: Option<DateTime<Utc>>,
    /// Records that failed (skipped); `errors` also holds per-field errors of records
    /// that were written.
    pub failed: usize,
}

impl SyncPlan {
    /// The plan's counts.
    pub fn counts(&self) -> PlanCounts {
        PlanCounts {
            records: self.records,
            create: self.creates.len(),
            update: self
                .updates
                .iter()
                .filter(|u| !u.changes.is_empty())
                .count(),
            unchanged: self.unchanged,
            archive: self.archives.len(),
            unarchive: self.updates.iter().filter(|u| u.unarchive).count(),
            filtered_out: self.filtered_out.len(),
            failed: self.failed,
            conflicts: self.conflicts.len(),
            unverified: self.unverified.len(),
        }
    }

    /// The number of write operations (objects) the plan holds.
    pub fn writes(&self) -> usize {
        self.creates.len()
            + self.updates.len()
            + self.updates.iter().filter(|u| u.unarchive).count()
            + self.archives.len()
    }

    /// Whether applying the plan writes nothing.
    pub fn is_noop(&self) -> bool {
        self.writes() == 0
    }
}
