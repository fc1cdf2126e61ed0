//! Applying a plan: batches, per-record isolation, re-reads after unknown outcomes, and
//! splitting a rejected batch to find the rejected records.
//!
//! Each phase (unarchive, create, update, archive) finishes before the next begins. Within
//! a phase, up to `concurrency` batches are in flight at once; their answers are handled
//! one by one in queue order, so counts, errors and progress come out as if the batches
//! had been sent one after the other.

use std::collections::{HashSet, VecDeque};
use std::future::Future;

use chrono::NaiveDate;
use futures::stream::{FuturesUnordered, StreamExt};
use futures::FutureExt;

use super::report::{GroupReport, Progress};
use super::sink::{
    FieldMessage, NewObject, ObjectOutcome, ObjectUpdate, Sink, SinkError, SinkErrorKind,
};
use super::ProgressFn;
use crate::mapping::CompiledJob;
use crate::plan::{Issue, SyncPlan};
use crate::target::TargetObject;

pub(super) struct Applier<'a, K> {
    pub(super) sink: &'a K,
    pub(super) job: &'a CompiledJob,
    pub(super) batch: usize,
    /// Batches in flight at once, at least 1.
    pub(super) concurrency: usize,
    pub(super) retries: u32,
    pub(super) stop_date: NaiveDate,
    pub(super) report: &'a mut GroupReport,
    pub(super) progress: Option<&'a ProgressFn>,
    pub(super) done: usize,
    pub(super) total: usize,
}

/// A piece of work: indices into one of the plan's lists, and how often it was sent.
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

    /// The two halves of `items`, the first half first, at the same attempt.
    fn halves(items: &[usize], attempt: u32) -> Vec<Work> {
        let (a, b) = items.split_at(items.len() / 2);
        vec![
            Work {
                items: a.to_vec(),
                attempt,
            },
            Work {
                items: b.to_vec(),
                attempt,
            },
        ]
    }
}

/// Where a piece of work stands.
enum State<R> {
    /// Waiting to be sent.
    Queued,
    /// In flight, under this ticket.
    Sent(u64),
    /// Answered, not yet handled.
    Answered(R),
}

/// A queue entry.
struct Entry<R> {
    work: Work,
    state: State<R>,
}

impl<R> Entry<R> {
    fn queued(work: Work) -> Self {
        Entry {
            work,
            state: State::Queued,
        }
    }
}

/// What came of sending a create batch.
enum CreateAnswer {
    /// The server answered for every object.
    Outcomes(Vec<ObjectOutcome>),
    /// The batch was certainly not stored.
    Failed(SinkError),
    /// The batch may have been stored in part, with what a look for its match keys found.
    Unsure {
        error: SinkError,
        stored: Result<Vec<TargetObject>, SinkError>,
    },
}

/// Whether one of the updates at `items` writes a value that another of them replaces in
/// the same field: the two must not race.
fn takes_a_freed_value(plan: &SyncPlan, items: &[usize]) -> bool {
    let blank = |v: &serde_json::Value| match v {
        serde_json::Value::Null => true,
        serde_json::Value::String(s) => s.trim().is_empty(),
        _ => false,
    };
    let changes = || {
        items
            .iter()
            .flat_map(|i| plan.updates[*i].changes.iter().map(move |c| (*i, c)))
    };
    let freed: std::collections::HashMap<(&str, String), usize> = changes()
        .filter(|(_, c)| !blank(&c.old))
        .map(|(i, c)| ((c.key.as_str(), c.old.to_string()), i))
        .collect();
    changes().any(|(i, c)| {
        !blank(&c.new)
            && freed
                .get(&(c.key.as_str(), c.new.to_string()))
                .is_some_and(|other| *other != i)
    })
}

/// The mismatch of a batch answered with a different number of outcomes than it sent.
fn outcome_count_mismatch() -> SinkError {
    SinkError::new(
        SinkErrorKind::OutcomeUnknown,
        "the server answered with a different number of outcomes",
    )
}

impl<'a, K: Sink> Applier<'a, K> {
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

    /// Sends the work of `queue`, up to `self.concurrency` pieces at once, and hands each
    /// answer to `handle` in queue order, as if the pieces had been sent one after the
    /// other. The work `handle` returns (the halves of a split batch, a batch to send
    /// again) goes to the front of the queue, in the order given.
    ///
    /// `send` builds the future of one piece; it must not borrow the applier, which
    /// `handle` changes while other pieces are in flight.
    async fn drive<R, Fut>(
        &mut self,
        queue: VecDeque<Work>,
        send: impl Fn(&Work) -> Fut,
        mut handle: impl FnMut(&mut Self, Work, R) -> Vec<Work>,
    ) where
        Fut: Future<Output = R>,
    {
        let mut queue: VecDeque<Entry<R>> = queue.into_iter().map(Entry::queued).collect();
        let mut in_flight = FuturesUnordered::new();
        let mut tickets = 0_u64;
        loop {
            while let Some(entry) = queue.pop_front() {
                match entry.state {
                    State::Answered(answer) => {
                        let more = handle(self, entry.work, answer);
                        for work in more.into_iter().rev() {
                            queue.push_front(Entry::queued(work));
                        }
                    }
                    state => {
                        queue.push_front(Entry {
                            work: entry.work,
                            state,
                        });
                        break;
                    }
                }
            }

            let mut room = self.concurrency.max(1).saturating_sub(in_flight.len());
            for entry in queue.iter_mut() {
                if room == 0 {
                    break;
                }
                if matches!(entry.state, State::Queued) {
                    let ticket = tickets;
                    tickets += 1;
                    entry.state = State::Sent(ticket);
                    in_flight.push(send(&entry.work).map(move |answer| (ticket, answer)));
                    room -= 1;
                }
            }

            // Nothing in flight after refilling: nothing is queued or unhandled either.
            let Some((ticket, answer)) = in_flight.next().await else {
                break;
            };
            let sent = queue
                .iter_mut()
                .find(|e| matches!(e.state, State::Sent(t) if t == ticket));
            if let Some(entry) = sent {
                entry.state = State::Answered(answer);
            }
        }
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
        let items: Vec<usize> = (0..ids.len()).collect();
        let (sink, group, retries) = (self.sink, self.job.group.id, self.retries);
        let ids = &ids;
        let send = |work: &Work| {
            let owned: Vec<String> = work.items.iter().map(|i| ids[*i].to_string()).collect();
            async move { repeat_if_unknown(retries, || sink.unarchive_objects(group, &owned)).await }
        };
        let mut failed = HashSet::new();
        let handle = |this: &mut Self, work: Work, outcome: Result<(), SinkError>| {
            let sent: Vec<&str> = work.items.iter().map(|i| ids[*i]).collect();
            match outcome {
                Ok(()) => this.report.counts.unarchived += sent.len(),
                Err(e) => {
                    for update in plan
                        .updates
                        .iter()
                        .filter(|u| sent.contains(&u.object.as_str()))
                    {
                        failed.insert(update.object.clone());
                        this.fail(
                            &update.record,
                            Some(&update.object),
                            format!("could not be unarchived: {}", e.message),
                        );
                    }
                }
            }
            this.advance(sent.len());
            Vec::new()
        };
        self.drive(Work::batches(&items, self.batch), send, handle)
            .await;
        failed
    }

    async fn creates(&mut self, plan: &SyncPlan) {
        let (sink, job) = (self.sink, self.job);
        let (group, key) = (job.group.id, job.keys[0].target.key.as_str());
        let items: Vec<usize> = (0..plan.creates.len()).collect();
        let send = |work: &Work| {
            let objects: Vec<NewObject> = work
                .items
                .iter()
                .map(|i| plan.creates[*i].fields.clone())
                .collect();
            async move {
                let error = match sink.create_objects(group, &objects).await {
                    Ok(outcomes) if outcomes.len() == objects.len() => {
                        return CreateAnswer::Outcomes(outcomes)
                    }
                    Ok(_) => outcome_count_mismatch(),
                    Err(e) => e,
                };
                if error.kind == SinkErrorKind::Failed {
                    return CreateAnswer::Failed(error);
                }
                // The batch may have been stored in part: look before sending again.
                let values: Vec<String> = objects
                    .iter()
                    .filter_map(|o| o.get(key))
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect();
                let stored = sink.find_objects(group, key, &values).await;
                CreateAnswer::Unsure { error, stored }
            }
        };
        let handle = |this: &mut Self, work: Work, answer: CreateAnswer| {
            this.handle_create(plan, key, work, answer)
        };
        self.drive(Work::batches(&items, self.batch), send, handle)
            .await;
    }

    /// Handles the answer to a create batch; returns the work to send next.
    fn handle_create(
        &mut self,
        plan: &SyncPlan,
        key: &str,
        work: Work,
        answer: CreateAnswer,
    ) -> Vec<Work> {
        let (error, stored) = match answer {
            CreateAnswer::Outcomes(outcomes) => {
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
                return Vec::new();
            }
            CreateAnswer::Failed(error) => {
                for i in &work.items {
                    let record = &plan.creates[*i].record;
                    self.fail(record, None, format!("not created: {}", error.message));
                }
                self.advance(work.items.len());
                return Vec::new();
            }
            CreateAnswer::Unsure { error, stored } => (error, stored),
        };

        let stored = match stored {
            Ok(objects) => objects
                .iter()
                .filter_map(|o| o.fields.get(key))
                .filter_map(|v| self.job.keys[0].normalise_target(v))
                .collect::<HashSet<_>>(),
            Err(e) => {
                for i in &work.items {
                    let record = &plan.creates[*i].record;
                    self.fail(
                        record,
                        None,
                        format!(
                            "outcome unknown ({}), and the check for stored objects failed \
                             ({}); not sent again to avoid a duplicate",
                            error.message, e.message
                        ),
                    );
                }
                self.advance(work.items.len());
                return Vec::new();
            }
        };

        let mut rest = Vec::new();
        for i in &work.items {
            let create = &plan.creates[*i];
            let norm = create
                .fields
                .get(key)
                .and_then(|v| self.job.keys[0].normalise_target(v));
            if norm.is_some_and(|n| stored.contains(&n)) {
                self.report.counts.created += 1;
                self.advance(1);
            } else {
                rest.push(*i);
            }
        }
        if rest.is_empty() {
            return Vec::new();
        }

        match error.kind {
            SinkErrorKind::Rejected if rest.len() == 1 => {
                let record = &plan.creates[rest[0]].record;
                let message = self.describe_messages(&error.fields, &error.message);
                self.fail(record, None, message);
                self.advance(1);
                Vec::new()
            }
            SinkErrorKind::Rejected => Work::halves(&rest, work.attempt),
            _ if work.attempt < self.retries => vec![Work {
                items: rest,
                attempt: work.attempt + 1,
            }],
            _ => {
                for i in rest {
                    let record = &plan.creates[i].record;
                    self.fail(
                        record,
                        None,
                        format!(
                            "not created after {} attempts: {}",
                            work.attempt + 1,
                            error.message
                        ),
                    );
                    self.advance(1);
                }
                Vec::new()
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
        let (sink, group) = (self.sink, self.job.group.id);
        let send = |work: &Work| {
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
            async move {
                match sink.update_objects(group, &updates).await {
                    Ok(outcomes) if outcomes.len() == updates.len() => Ok(outcomes),
                    Ok(_) => Err(outcome_count_mismatch()),
                    Err(e) => Err(e),
                }
            }
        };
        let handle = |this: &mut Self, work: Work, answer| this.handle_update(plan, work, answer);
        // NB: an update that takes a value another update frees (a unique value moving
        // between objects) must reach the server after it, so such updates go out one
        // batch at a time, in plan order.
        let concurrency = self.concurrency;
        if takes_a_freed_value(plan, &items) {
            self.concurrency = 1;
        }
        self.drive(Work::batches(&items, self.batch), send, handle)
            .await;
        self.concurrency = concurrency;
    }

    /// Handles the answer to an update batch; returns the work to send next.
    fn handle_update(
        &mut self,
        plan: &SyncPlan,
        work: Work,
        answer: Result<Vec<ObjectOutcome>, SinkError>,
    ) -> Vec<Work> {
        let error = match answer {
            Ok(outcomes) => {
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
                return Vec::new();
            }
            Err(e) => e,
        };

        match error.kind {
            SinkErrorKind::Rejected if work.items.len() > 1 => {
                Work::halves(&work.items, work.attempt)
            }
            // An update sends the same values again: safe to repeat.
            SinkErrorKind::OutcomeUnknown if work.attempt < self.retries => vec![Work {
                items: work.items,
                attempt: work.attempt + 1,
            }],
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
                Vec::new()
            }
        }
    }

    async fn archives(&mut self, plan: &SyncPlan) {
        let items: Vec<usize> = (0..plan.archives.len()).collect();
        let (sink, group, stop_date, retries) =
            (self.sink, self.job.group.id, self.stop_date, self.retries);
        let send = |work: &Work| {
            let ids: Vec<String> = work
                .items
                .iter()
                .map(|i| plan.archives[*i].object.clone())
                .collect();
            async move {
                repeat_if_unknown(retries, || sink.archive_objects(group, &ids, stop_date)).await
            }
        };
        let handle = |this: &mut Self, work: Work, outcome: Result<(), SinkError>| {
            match outcome {
                Ok(()) => this.report.counts.archived += work.items.len(),
                Err(e) => {
                    for i in &work.items {
                        let archive = &plan.archives[*i];
                        this.fail(
                            &archive.record,
                            Some(&archive.object),
                            format!("not archived: {}", e.message),
                        );
                    }
                }
            }
            this.advance(work.items.len());
            Vec::new()
        };
        self.drive(Work::batches(&items, self.batch), send, handle)
            .await;
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
