//! Applying a plan: batches, per-record isolation, re-reads after unknown outcomes, and
//! splitting a rejected batch to find the rejected records.

use std::collections::{HashSet, VecDeque};
use std::future::Future;

use chrono::NaiveDate;

use super::report::{GroupReport, Progress};
use super::sink::{
    FieldMessage, NewObject, ObjectOutcome, ObjectUpdate, Sink, SinkError, SinkErrorKind,
};
use super::ProgressFn;
use crate::mapping::CompiledJob;
use crate::plan::{Issue, SyncPlan};

pub(super) struct Applier<'a, K> {
    pub(super) sink: &'a K,
    pub(super) job: &'a CompiledJob,
    pub(super) batch: usize,
    pub(super) retries: u32,
    pub(super) stop_date: NaiveDate,
    pub(super) report: &'a mut GroupReport,
    pub(super) progress: Option<&'a ProgressFn>,
    pub(super) done: usize,
    pub(super) total: usize,
}

/// A piece of work: indices into the plan's list, and how often it was sent.
struct Work {
    items: Vec<usize>,
    attempt: u32,
}

impl Work {
    /// The first sending of `items`, `size` at a time.
    fn batches(items: &[usize], size: usize) -> VecDeque<Work> {
        items
            .chunks(size)
            .map(|c| Work {
                items: c.to_vec(),
                attempt: 0,
            })
            .collect()
    }

    /// Puts the two halves of `items` at the front of `queue`, the first half first, at
    /// the same attempt.
    fn split_front(queue: &mut VecDeque<Work>, items: &[usize], attempt: u32) {
        let (a, b) = items.split_at(items.len() / 2);
        queue.push_front(Work {
            items: b.to_vec(),
            attempt,
        });
        queue.push_front(Work {
            items: a.to_vec(),
            attempt,
        });
    }
}

impl<K: Sink> Applier<'_, K> {
    fn advance(&mut self, n: usize) {
        self.done += n;
        if let Some(progress) = self.progress {
            progress(&Progress::Applied {
                job: self.job.name.clone(),
                done: self.done,
                total: self.total,
            });
        }
    }

    fn fail(&mut self, record: &str, object: Option<&str>, message: String) {
        self.report.counts.failed += 1;
        let mut issue = Issue::record(&self.job.name, record, message);
        issue.object = object.map(str::to_string);
        self.report.errors.push(issue);
    }

    fn describe_messages(&self, messages: &[FieldMessage], fallback: &str) -> String {
        if messages.is_empty() {
            return fallback.to_string();
        }
        messages
            .iter()
            .map(|m| match &m.field {
                Some(key) => {
                    let name = self
                        .job
                        .group
                        .field(key)
                        .map_or_else(|| key.clone(), |f| f.describe());
                    format!("{name}: {}", m.message)
                }
                None => m.message.clone(),
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub(super) async fn apply(&mut self, plan: &SyncPlan) {
        let failed_unarchive = self.unarchive(plan).await;
        self.creates(plan).await;
        self.updates(plan, &failed_unarchive).await;
        self.archives(plan).await;
    }

    async fn unarchive(&mut self, plan: &SyncPlan) -> HashSet<String> {
        let ids: Vec<&str> = plan
            .updates
            .iter()
            .filter(|u| u.unarchive)
            .map(|u| u.object.as_str())
            .collect();
        let mut failed = HashSet::new();
        for chunk in ids.chunks(self.batch) {
            let owned: Vec<String> = chunk.iter().map(|s| s.to_string()).collect();
            let (sink, group) = (self.sink, self.job.group.id);
            let outcome =
                repeat_if_unknown(self.retries, || sink.unarchive_objects(group, &owned)).await;
            match outcome {
                Ok(()) => self.report.counts.unarchived += owned.len(),
                Err(e) => {
                    for update in plan.updates.iter().filter(|u| owned.contains(&u.object)) {
                        failed.insert(update.object.clone());
                        self.fail(
                            &update.record,
                            Some(&update.object),
                            format!("could not be unarchived: {}", e.message),
                        );
                    }
                }
            }
            self.advance(owned.len());
        }
        failed
    }

    async fn creates(&mut self, plan: &SyncPlan) {
        let key = self.job.keys[0].target.key.clone();
        let items: Vec<usize> = (0..plan.creates.len()).collect();
        let mut queue = Work::batches(&items, self.batch);

        while let Some(work) = queue.pop_front() {
            let objects: Vec<NewObject> = work
                .items
                .iter()
                .map(|i| plan.creates[*i].fields.clone())
                .collect();
            let result = self.sink.create_objects(self.job.group.id, &objects).await;
            let error = match result {
                Ok(outcomes) if outcomes.len() == objects.len() => {
                    for (i, outcome) in work.items.iter().zip(outcomes) {
                        let create = &plan.creates[*i];
                        match outcome {
                            ObjectOutcome::Written { .. } => self.report.counts.created += 1,
                            ObjectOutcome::Rejected { messages } => {
                                let message = self.describe_messages(&messages, "rejected");
                                self.fail(&create.record, None, message);
                            }
                        }
                    }
                    self.advance(work.items.len());
                    continue;
                }
                Ok(_) => super::SinkError::new(
                    SinkErrorKind::OutcomeUnknown,
                    "the server answered with a different number of outcomes",
                ),
                Err(e) => e,
            };

            if error.kind == SinkErrorKind::Failed {
                for i in &work.items {
                    let record = plan.creates[*i].record.clone();
                    self.fail(&record, None, format!("not created: {}", error.message));
                }
                self.advance(work.items.len());
                continue;
            }

            // The batch may have been stored in part: look before sending again.
            let values: Vec<String> = work
                .items
                .iter()
                .filter_map(|i| plan.creates[*i].fields.get(&key))
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            let stored = match self
                .sink
                .find_objects(self.job.group.id, &key, &values)
                .await
            {
                Ok(objects) => objects
                    .iter()
                    .filter_map(|o| o.fields.get(&key))
                    .filter_map(|v| self.job.keys[0].normalise_target(v))
                    .collect::<HashSet<_>>(),
                Err(e) => {
                    for i in &work.items {
                        let record = plan.creates[*i].record.clone();
                        self.fail(
                            &record,
                            None,
                            format!(
                                "outcome unknown ({}), and the check for stored objects failed \
                                 ({}); not sent again to avoid a duplicate",
                                error.message, e.message
                            ),
                        );
                    }
                    self.advance(work.items.len());
                    continue;
                }
            };

            let mut rest = Vec::new();
            for i in &work.items {
                let create = &plan.creates[*i];
                let norm = create
                    .fields
                    .get(&key)
                    .and_then(|v| self.job.keys[0].normalise_target(v));
                if norm.is_some_and(|n| stored.contains(&n)) {
                    self.report.counts.created += 1;
                    self.advance(1);
                } else {
                    rest.push(*i);
                }
            }
            if rest.is_empty() {
                continue;
            }

            match error.kind {
                SinkErrorKind::Rejected if rest.len() == 1 => {
                    let record = plan.creates[rest[0]].record.clone();
                    let message = self.describe_messages(&error.fields, &error.message);
                    self.fail(&record, None, message);
                    self.advance(1);
                }
                SinkErrorKind::Rejected => Work::split_front(&mut queue, &rest, work.attempt),
                _ if work.attempt < self.retries => queue.push_front(Work {
                    items: rest,
                    attempt: work.attempt + 1,
                }),
                _ => {
                    for i in rest {
                        let record = plan.creates[i].record.clone();
                        self.fail(
                            &record,
                            None,
                            format!(
                                "not created after {} attempts: {}",
                                work.attempt + 1,
                                error.message
                            ),
                        );
                        self.advance(1);
                    }
                }
            }
        }
    }

    async fn updates(&mut self, plan: &SyncPlan, failed_unarchive: &HashSet<String>) {
        let items: Vec<usize> = (0..plan.updates.len())
            .filter(|i| {
                let u = &plan.updates[*i];
                !u.changes.is_empty() && !failed_unarchive.contains(&u.object)
            })
            .collect();
        let mut queue = Work::batches(&items, self.batch);

        while let Some(work) = queue.pop_front() {
            let updates: Vec<ObjectUpdate> = work
                .items
                .iter()
                .map(|i| {
                    let u = &plan.updates[*i];
                    ObjectUpdate {
                        id: u.object.clone(),
                        fields: u
                            .changes
                            .iter()
                            .map(|c| (c.key.clone(), c.new.clone()))
                            .collect(),
                    }
                })
                .collect();
            let error = match self.sink.update_objects(self.job.group.id, &updates).await {
                Ok(outcomes) if outcomes.len() == updates.len() => {
                    for (i, outcome) in work.items.iter().zip(outcomes) {
                        let u = &plan.updates[*i];
                        match outcome {
                            ObjectOutcome::Written { .. } => self.report.counts.updated += 1,
                            ObjectOutcome::Rejected { messages } => {
                                let message = self.describe_messages(&messages, "rejected");
                                self.fail(&u.record, Some(&u.object), message);
                            }
                        }
                    }
                    self.advance(work.items.len());
                    continue;
                }
                Ok(_) => super::SinkError::new(
                    SinkErrorKind::OutcomeUnknown,
                    "the server answered with a different number of outcomes",
                ),
                Err(e) => e,
            };

            match error.kind {
                SinkErrorKind::Rejected if work.items.len() > 1 => {
                    Work::split_front(&mut queue, &work.items, work.attempt)
                }
                // An update sends the same values again: safe to repeat.
                SinkErrorKind::OutcomeUnknown if work.attempt < self.retries => {
                    queue.push_front(Work {
                        items: work.items,
                        attempt: work.attempt + 1,
                    })
                }
                _ => {
                    let message = self.describe_messages(&error.fields, &error.message);
                    for i in &work.items {
                        let u = &plan.updates[*i];
                        self.fail(
                            &u.record,
                            Some(&u.object),
                            format!("not updated: {message}"),
                        );
                    }
                    self.advance(work.items.len());
                }
            }
        }
    }

    async fn archives(&mut self, plan: &SyncPlan) {
        for chunk in plan.archives.chunks(self.batch) {
            let ids: Vec<String> = chunk.iter().map(|a| a.object.clone()).collect();
            let (sink, group, stop_date) = (self.sink, self.job.group.id, self.stop_date);
            let outcome = repeat_if_unknown(self.retries, || {
                sink.archive_objects(group, &ids, stop_date)
            })
            .await;
            match outcome {
                Ok(()) => self.report.counts.archived += ids.len(),
                Err(e) => {
                    for archive in chunk {
                        self.fail(
                            &archive.record,
                            Some(&archive.object),
                            format!("not archived: {}", e.message),
                        );
                    }
                }
            }
            self.advance(ids.len());
        }
    }
}

/// Calls `write` again while its outcome is unknown, at most `retries` more times:
/// archiving and unarchiving set a state, so sending them again is safe.
async fn repeat_if_unknown<F, Fut>(retries: u32, mut write: F) -> Result<(), SinkError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<(), SinkError>>,
{
    let mut attempt = 0;
    loop {
        match write().await {
            Err(e) if e.kind == SinkErrorKind::OutcomeUnknown && attempt < retries => {
                attempt += 1;
            }
            outcome => return outcome,
        }
    }
}
