//! The planner: pure, deterministic and linear in the number of records.
//!
//! Feed it the target objects ([`Planner::push_target`]) and the source records
//! ([`Planner::push_source`]) in any order; it keeps each record's match keys and mapped
//! values, never the raw record. Then resolve the records missing from the listing
//! ([`Planner::missing_ids`], [`Planner::push_reread`], [`Planner::confirm_absent`]) and
//! call [`Planner::finish`] for the [`SyncPlan`].

mod guard;
mod summary;
mod types;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::mapping::{CompiledJob, LinkIndex, Mapped};
use crate::target::TargetObject;
use crate::value::parse_instant;

pub use summary::Summary;
pub use types::{
    ArchiveReason, Conflict, CreateGuardCheck, FieldChange, FilteredOut, GuardCheck, Issue,
    MatchedBy, PlanCounts, PlannedArchive, PlannedCreate, PlannedUpdate, SyncPlan, UpdateReason,
};

/// What the planner keeps of one mapped record.
// TODO: pack a record's strings into one buffer; at a million records the many small
// allocations (keys, values, the target index) dominate the ~1.5 GB peak.
#[derive(Debug)]
struct Kept {
    id: String,
    /// Normalised match-key values, one per key (the first is the ConnectWise id).
    keys: Box<[Option<Box<str>>]>,
    values: Box<[Mapped]>,
}

/// A target field value as the planner keeps it.
#[derive(Debug, Clone, PartialEq)]
enum Stored {
    /// Absent, `null` or `""`.
    Empty,
    /// A string (or a number, as text).
    Text(Box<str>),
    /// Anything else (list and status objects, booleans).
    Other(Box<Value>),
}

impl Stored {
    fn from_value(value: Value) -> Stored {
        match value {
            Value::Null => Stored::Empty,
            Value::String(s) if s.is_empty() => Stored::Empty,
            Value::String(s) => Stored::Text(s.into_boxed_str()),
            Value::Number(n) => Stored::Text(n.to_string().into_boxed_str()),
            other => Stored::Other(Box::new(other)),
        }
    }

    fn to_value(&self) -> Value {
        match self {
            Stored::Empty => Value::Null,
            Stored::Text(t) => Value::String(t.to_string()),
            Stored::Other(v) => (**v).clone(),
        }
    }
}

/// What the planner keeps of one target object: the fields it compares, by slot.
#[derive(Debug)]
struct Held {
    id: String,
    archived: bool,
    values: Box<[Stored]>,
}

/// The state of a ConnectWise id missing from the listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Deleted,
    FilteredOut,
}

/// Builds a [`SyncPlan`] for one compiled job.
#[derive(Debug)]
pub struct Planner<'j> {
    job: &'j CompiledJob,
    links: LinkIndex,
    records: Vec<Kept>,
    targets: Vec<Held>,
    /// The target field keys the planner keeps, and their slots.
    slots: HashMap<String, usize>,
    /// Normalised ids of every record the source returned (mapped, filtered out or failed).
    present: HashSet<Box<str>>,
    /// Normalised ids of records found gone or out of scope.
    fates: HashMap<Box<str>, Fate>,
    filtered_out: Vec<String>,
    errors: Vec<Issue>,
    warnings: Vec<Issue>,
    failed: usize,
    read: usize,
    /// Records read that the source marks deleted.
    deleted: usize,
    watermark: Option<DateTime<Utc>>,
    archive_disabled: Option<String>,
    guard_override: bool,
    create_guard_override: bool,
}

impl<'j> Planner<'j> {
    /// A planner for a compiled job.
    pub fn new(job: &'j CompiledJob) -> Self {
        Planner {
            job,
            links: LinkIndex::new(),
            records: Vec::new(),
            targets: Vec::new(),
            slots: slots(job),
            present: HashSet::new(),
            fates: HashMap::new(),
            filtered_out: Vec::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
            failed: 0,
            read: 0,
            deleted: 0,
            watermark: None,
            archive_disabled: None,
            guard_override: false,
            create_guard_override: false,
        }
    }

    /// Sets the link lookups for group-list fields (field index → ConnectWise id → object
    /// id). Without them, links are left empty with a warning.
    pub fn with_links(mut self, links: LinkIndex) -> Self {
        self.links = links;
        self
    }

    /// Lets this run archive more than the guard allows.
    pub fn override_archive_guard(mut self, allow: bool) -> Self {
        self.guard_override = allow;
        self
    }

    /// Lets this run create more new objects than the create guard allows.
    pub fn override_create_guard(mut self, allow: bool) -> Self {
        self.create_guard_override = allow;
        self
    }

    /// Switches archiving off for this run (the listing was incomplete), with the reason.
    pub fn disable_archive(&mut self, reason: impl Into<String>) {
        self.archive_disabled = Some(reason.into());
    }

    fn norm_id(&self, id: &str) -> Box<str> {
        self.job.keys[0]
            .normalise(id)
            .unwrap_or_default()
            .into_boxed_str()
    }

    /// Adds a target object (archived ones included). Only the fields the job compares are
    /// kept.
    pub fn push_target(&mut self, object: TargetObject) {
        let mut values = vec![Stored::Empty; self.slots.len()];
        for (key, value) in object.fields {
            if let Some(slot) = self.slots.get(&key) {
                values[*slot] = Stored::from_value(value);
            }
        }
        self.targets.push(Held {
            id: object.id,
            archived: object.archived,
            values: values.into_boxed_slice(),
        });
    }

    fn slot(&self, key: &str) -> usize {
        // NB: every key the planner asks for was given a slot in `slots()`.
        self.slots[key]
    }

    /// Adds a source record from the listing.
    pub fn push_source(&mut self, record: &Value) {
        self.read += 1;
        if let Some(updated) = record
            .get("_info")
            .and_then(|i| i.get("lastUpdated"))
            .and_then(Value::as_str)
            .and_then(parse_instant)
        {
            self.watermark = Some(self.watermark.map_or(updated, |w| w.max(updated)));
        }
        self.take(record);
    }

    /// Marks an id as present at source without data (the id-only listing of an
    /// incremental run): its object is neither updated nor archived.
    pub fn push_present_id(&mut self, id: i64) {
        let id = self.norm_id(&id.to_string());
        self.present.insert(id);
    }

    fn take(&mut self, record: &Value) {
        let id = crate::mapping::record_id(record);
        if let Some(id) = &id {
            let norm = self.norm_id(id);
            if self.job.is_deleted(record) {
                self.deleted += 1;
                self.fates.insert(norm, Fate::Deleted);
                return;
            }
            self.present.insert(norm.clone());
            if !self.job.filter.matches(record) {
                self.fates.insert(norm, Fate::FilteredOut);
                self.filtered_out.push(id.clone());
                return;
            }
        }

        match self.job.map_record(record, &self.links) {
            Ok(mapped) => {
                let job = &self.job.name;
                for (field, message) in mapped.field_errors {
                    self.errors
                        .push(Issue::record(job, &mapped.id, message).with_field(field));
                }
                for (field, message) in mapped.warnings {
                    let mut issue = Issue::record(job, &mapped.id, message);
                    issue.field = field;
                    self.warnings.push(issue);
                }
                let keys = self
                    .job
                    .keys
                    .iter()
                    .enumerate()
                    .map(|(i, key)| {
                        let text = if i == 0 {
                            Some(mapped.id.clone())
                        } else {
                            key.source.extract(record).ok().and_then(|e| {
                                crate::value::SourceValue::from_extracted(&e).to_text()
                            })
                        };
                        text.and_then(|t| key.normalise(&t))
                            .map(String::into_boxed_str)
                    })
                    .collect::<Vec<_>>()
                    .into_boxed_slice();
                self.records.push(Kept {
                    id: mapped.id,
                    keys,
                    values: mapped.values.into_boxed_slice(),
                });
            }
            Err(failure) => {
                self.failed += 1;
                let record_id = failure.id.or(id).unwrap_or_else(|| "(no id)".to_string());
                let mut issue = Issue::record(&self.job.name, record_id, failure.message);
                issue.field = failure.field;
                self.errors.push(issue);
            }
        }
    }

    /// The ConnectWise ids stored in objects (not archived) whose record the listing did
    /// not return and whose fate is not known yet: re-read them without the filter, then
    /// call [`Planner::push_reread`] and [`Planner::confirm_absent`].
    pub fn missing_ids(&self) -> Vec<String> {
        let key = &self.job.keys[0];
        let slot = self.slot(&key.target.key);
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for object in self.targets.iter().filter(|o| !o.archived) {
            let Some(norm) = stored_key(key, &object.values[slot]) else {
                continue;
            };
            if self.present.contains(norm.as_str()) || self.fates.contains_key(norm.as_str()) {
                continue;
            }
            if seen.insert(norm.clone()) {
                out.push(norm);
            }
        }
        out
    }

    /// Adds a record found by a re-read without the filter. The listing, which the server
    /// filtered, did not return it, so it is out of scope (or deleted at source when it is
    /// soft-deleted); its object follows the job's policy for either.
    pub fn push_reread(&mut self, record: &Value) {
        self.read += 1;
        let Some(id) = crate::mapping::record_id(record) else {
            return;
        };
        let norm = self.norm_id(&id);
        if self.present.contains(&norm) {
            return;
        }
        if self.job.is_deleted(record) {
            self.deleted += 1;
            self.fates.insert(norm, Fate::Deleted);
        } else {
            self.present.insert(norm.clone());
            self.fates.insert(norm, Fate::FilteredOut);
            self.filtered_out.push(id);
        }
    }

    /// Confirms that these ConnectWise ids are deleted at source (a re-read did not return
    /// them).
    pub fn confirm_absent<I, S>(&mut self, ids: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for id in ids {
            let norm = self.norm_id(id.as_ref());
            if !self.present.contains(&norm) {
                self.fates.insert(norm, Fate::Deleted);
            }
        }
    }

    /// How many of the records read so far the source marks deleted (soft-deleted, such
    /// as a company's `deletedFlag`). They are read but neither created nor updated; an
    /// object they have follows the job's `on_deleted` policy.
    pub fn deleted(&self) -> usize {
        self.deleted
    }

    /// Builds the plan.
    pub fn finish(self) -> SyncPlan {
        self.finish_with_create_guard().0
    }

    /// Builds the plan, and gives the create guard's check beside it (a tripped guard is
    /// in the plan either way: `stopped` and a warning).
    // NB: the check travels beside the plan, not in it: `SyncPlan` and `GuardCheck` are not
    // `#[non_exhaustive]`, so a new field would break the code that builds them by hand.
    pub fn finish_with_create_guard(self) -> (SyncPlan, CreateGuardCheck) {
        matching::finish(self)
    }
}

mod matching;

/// The slots: every target key the job maps, matches on or sets a status in.
fn slots(job: &CompiledJob) -> HashMap<String, usize> {
    let mut slots = HashMap::new();
    let keys = job
        .fields
        .iter()
        .map(|f| &f.target.key)
        .chain(job.keys.iter().map(|k| &k.target.key))
        .chain(
            [&job.on_deleted, &job.on_filtered_out]
                .into_iter()
                .filter_map(|p| match p {
                    crate::mapping::CompiledOrphan::SetStatus { field, .. } => Some(&field.key),
                    _ => None,
                }),
        );
    for key in keys {
        let next = slots.len();
        slots.entry(key.clone()).or_insert(next);
    }
    slots
}

/// The normalised match-key value of a stored target value.
fn stored_key(key: &crate::mapping::CompiledKey, value: &Stored) -> Option<String> {
    match value {
        Stored::Empty => None,
        Stored::Text(t) => key.normalise(t),
        Stored::Other(v) => key.normalise_target(v),
    }
}
