//! Write batches in flight at once: the limit holds, and the outcome does not depend on it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::NaiveDate;
use cw_ap_mapping::{
    Engine, EngineOptions, GroupRef, GroupStatus, NewObject, ObjectOutcome, ObjectStream,
    ObjectUpdate, Progress, RunReport, Sink, SinkError, TargetGroup, TargetObject,
};

use crate::engine::{config, device_object, options, ws, DEVICES};
use crate::support::{device, devices, Behaviour, Call, MemorySink, MemorySource};

/// A sink that counts its write calls in flight, each of which lasts a while.
struct Counting {
    inner: Arc<MemorySink>,
    now: AtomicUsize,
    max: AtomicUsize,
}

impl Counting {
    fn new(inner: Arc<MemorySink>) -> Self {
        Counting {
            inner,
            now: AtomicUsize::new(0),
            max: AtomicUsize::new(0),
        }
    }

    /// Runs a write, counted as in flight until it returns. The inner sink answers at once,
    /// so it sees the calls in the order they start; the answer comes a little later.
    async fn write<T>(&self, call: impl std::future::Future<Output = T>) -> T {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.max.fetch_max(now, Ordering::SeqCst);
        let answer = call.await;
        tokio::time::sleep(Duration::from_millis(10)).await;
        self.now.fetch_sub(1, Ordering::SeqCst);
        answer
    }

    fn max_in_flight(&self) -> usize {
        self.max.load(Ordering::SeqCst)
    }
}

#[async_trait]
impl Sink for Counting {
    async fn resolve_group(&self, group: &GroupRef) -> Result<TargetGroup, SinkError> {
        self.inner.resolve_group(group).await
    }

    async fn date_format(&self) -> Result<String, SinkError> {
        self.inner.date_format().await
    }

    fn list_objects<'a>(&'a self, group_id: u64) -> ObjectStream<'a> {
        self.inner.list_objects(group_id)
    }

    async fn find_objects(
        &self,
        group_id: u64,
        field_key: &str,
        values: &[String],
    ) -> Result<Vec<TargetObject>, SinkError> {
        self.inner.find_objects(group_id, field_key, values).await
    }

    async fn create_objects(
        &self,
        group_id: u64,
        objects: &[NewObject],
    ) -> Result<Vec<ObjectOutcome>, SinkError> {
        self.write(self.inner.create_objects(group_id, objects))
            .await
    }

    async fn update_objects(
        &self,
        group_id: u64,
        updates: &[ObjectUpdate],
    ) -> Result<Vec<ObjectOutcome>, SinkError> {
        self.write(self.inner.update_objects(group_id, updates))
            .await
    }

    async fn archive_objects(
        &self,
        group_id: u64,
        ids: &[String],
        stop_date: NaiveDate,
    ) -> Result<(), SinkError> {
        self.write(self.inner.archive_objects(group_id, ids, stop_date))
            .await
    }

    async fn unarchive_objects(&self, group_id: u64, ids: &[String]) -> Result<(), SinkError> {
        self.write(self.inner.unarchive_objects(group_id, ids))
            .await
    }
}

fn with_concurrency(write_concurrency: usize, batch_size: usize) -> EngineOptions {
    EngineOptions {
        write_concurrency,
        batch_size,
        ..options()
    }
}

/// Ten create batches of one object, at the given concurrency: the most calls in flight.
async fn max_in_flight(concurrency: usize) -> usize {
    let sink = Arc::new(Counting::new(Arc::new(MemorySink::new(
        vec![devices()],
        vec![],
    ))));
    let source = MemorySource::new((1..=10).map(ws).collect());
    let report = Engine::new(source, sink.clone())
        .with_options(with_concurrency(concurrency, 1))
        .run(&config(DEVICES))
        .await;
    let group = report.group("devices").unwrap();
    assert_eq!((group.counts.created, group.counts.failed), (10, 0));
    assert_eq!(sink.inner.writes(), 10);
    sink.max_in_flight()
}

#[tokio::test(start_paused = true)]
async fn no_more_batches_are_in_flight_than_allowed() {
    assert_eq!(max_in_flight(4).await, 4);
    assert_eq!(max_in_flight(1).await, 1);
    assert_eq!(max_in_flight(0).await, 1, "0 counts as 1");
    assert_eq!(
        max_in_flight(16).await,
        10,
        "never more than there are batches"
    );
}

/// What a run leaves: the group's objects without their ids (which follow the order of the
/// creates), sorted.
fn end_state(sink: &MemorySink) -> Vec<(String, bool)> {
    let mut objects: Vec<(String, bool)> = sink
        .objects_of(139300)
        .iter()
        .map(|o| (serde_json::to_string(&o.fields).unwrap(), o.archived))
        .collect();
    objects.sort();
    objects
}

/// A run with unarchives, creates (one of which the group rejects, in a batch that has to
/// be split twice to find it), updates and archives.
async fn mixed_run(concurrency: usize) -> (RunReport, Vec<Progress>, Arc<MemorySink>) {
    let mut returning = device_object(3, 23);
    returning.archived = true;
    let mut existing: Vec<TargetObject> = (0..5).map(|n| device_object(n, 20 + n as i64)).collect();
    existing[3] = returning;
    existing.extend((0..5).map(|n| device_object(10 + n, 30 + n as i64)));
    let mut memory = MemorySink::new(vec![devices()], vec![(139300, existing)]);
    memory.required_nonempty = Some("field_10".into());
    let memory = Arc::new(memory);
    let sink = Counting::new(memory.clone());

    let mut records: Vec<_> = (1..=10).map(ws).collect();
    records[2] = device(3, "WS-3", "");
    records.extend((20..25).map(|id| device(id, &format!("renamed-{id}"), &format!("SN{id}"))));

    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = events.clone();
    // NB: ten creates beside five orphans in a group of nine trip both guards, as a changed
    // match key would; this run is a mix of every kind of write on purpose.
    let text = format!(
        "{DEVICES}archive_guard = {{ enabled = false }}\ncreate_guard = {{ enabled = false }}\n"
    );
    let report = Engine::new(MemorySource::new(records), sink)
        .with_options(with_concurrency(concurrency, 4))
        .on_progress(move |e| {
            if matches!(e, Progress::Applied { .. }) {
                seen.lock().unwrap().push(e.clone());
            }
        })
        .run(&config(&text))
        .await;
    let events = events.lock().unwrap().clone();
    (report, events, memory)
}

#[tokio::test(start_paused = true)]
async fn the_outcome_does_not_depend_on_concurrency() {
    let (one, one_events, one_sink) = mixed_run(1).await;
    let (four, four_events, four_sink) = mixed_run(4).await;

    let (a, b) = (
        one.group("devices").unwrap(),
        four.group("devices").unwrap(),
    );
    assert_eq!(a.status, GroupStatus::Complete);
    assert_eq!(
        (
            a.counts.created,
            a.counts.updated,
            a.counts.archived,
            a.counts.unarchived,
            a.counts.failed
        ),
        (9, 5, 5, 1, 1)
    );
    assert_eq!(a.errors.len(), 1);
    assert_eq!(a.errors[0].record.as_deref(), Some("3"));
    assert_eq!(
        (a.counts, &a.errors, &a.warnings),
        (b.counts, &b.errors, &b.warnings)
    );
    assert_eq!((a.status, &a.reason), (b.status, &b.reason));
    assert_eq!(one_events, four_events, "progress in the same order");
    assert_eq!(end_state(&one_sink), end_state(&four_sink));

    // The rejected batch of four was split into two, then the rejected half into two.
    let creates = |sink: &MemorySink| {
        let mut batches: Vec<Vec<String>> = sink
            .calls()
            .into_iter()
            .filter_map(|c| match c {
                Call::Create(ids) => Some(ids),
                _ => None,
            })
            .collect();
        batches.sort();
        batches
    };
    assert_eq!(creates(&one_sink), creates(&four_sink));
    assert_eq!(creates(&four_sink).len(), 7);

    // The phases keep their order.
    let phase = |c: &Call| match c {
        Call::Unarchive(_) => 0,
        Call::Create(_) => 1,
        Call::Update(_) => 2,
        Call::Archive(_) => 3,
    };
    let phases: Vec<u8> = four_sink.calls().iter().map(phase).collect();
    assert!(phases.windows(2).all(|w| w[0] <= w[1]), "{phases:?}");
    assert_eq!(phases.first(), Some(&0));
    assert_eq!(phases.last(), Some(&3));
}

#[tokio::test(start_paused = true)]
async fn an_unknown_outcome_is_not_sent_twice_with_batches_in_flight() {
    let memory = Arc::new(MemorySink::new(vec![devices()], vec![]));
    memory.create_script.lock().unwrap().extend([
        Behaviour::Normal,
        Behaviour::ApplyThenUnknown,
        Behaviour::Normal,
        Behaviour::ApplyThenUnknown,
    ]);
    let sink = Arc::new(Counting::new(memory.clone()));
    let source = MemorySource::new((1..=8).map(ws).collect());
    let report = Engine::new(source, sink.clone())
        .with_options(with_concurrency(4, 2))
        .run(&config(DEVICES))
        .await;
    let group = report.group("devices").unwrap();
    assert_eq!((group.counts.created, group.counts.failed), (8, 0));
    for id in 1..=8 {
        assert_eq!(
            memory.count_cw_id(139300, &id.to_string()),
            1,
            "record {id}"
        );
    }
    assert_eq!(memory.writes(), 4, "nothing was sent again");
    assert_eq!(sink.max_in_flight(), 4);
}

#[tokio::test]
async fn a_problem_in_a_later_job_names_its_index() {
    let second = DEVICES
        .replace("name = \"devices\"", "name = \"second\"")
        .replace("field_10\" }]", "field_999\" }]");
    let text = format!("{DEVICES}\n{second}");
    let sink = Arc::new(MemorySink::new(vec![devices()], vec![]));
    let report = Engine::new(MemorySource::new(vec![ws(1)]), sink)
        .with_options(options())
        .run(&config(&text))
        .await;
    assert_eq!(
        report.group("devices").unwrap().status,
        GroupStatus::Complete
    );
    let bad = report.group("second").unwrap();
    assert_eq!(bad.status, GroupStatus::Failed);
    let reason = bad.reason.as_deref().unwrap();
    assert!(reason.contains("jobs[1].fields[1]"), "{reason}");
    assert!(!reason.contains("jobs[0]"), "{reason}");
    assert!(
        bad.errors.iter().any(|e| e.message.contains("jobs[1]")),
        "{:?}",
        bad.errors
    );
}

#[test]
fn four_batches_in_flight_by_default() {
    assert_eq!(EngineOptions::default().write_concurrency, 4);
}

/// Eight devices whose serial numbers the source gives as `serial(id)`: the most update
/// calls in flight at concurrency 4, with batches of one.
async fn updates_in_flight(serial: impl Fn(i64) -> String) -> usize {
    let group = devices().id;
    let objects = (1..=8).map(|id| device_object(id as usize, id)).collect();
    let sink = Arc::new(Counting::new(Arc::new(MemorySink::new(
        vec![devices()],
        vec![(group, objects)],
    ))));
    let records = (1..=8)
        .map(|id| device(id, &format!("WS-{id}"), &serial(id)))
        .collect();
    let report = Engine::new(MemorySource::new(records), sink.clone())
        .with_options(with_concurrency(4, 1))
        .run(&config(DEVICES))
        .await;
    let counts = report.group("devices").unwrap().counts;
    assert_eq!((counts.updated, counts.failed), (8, 0));
    let stored = sink.inner.objects_of(group);
    for id in 1..=8 {
        let key = id.to_string();
        let object = stored
            .iter()
            .find(|o| o.fields["field_20"] == key.as_str())
            .unwrap();
        assert_eq!(object.fields["field_10"], serial(id));
    }
    sink.max_in_flight()
}

#[tokio::test(start_paused = true)]
async fn updates_that_move_a_value_between_objects_go_one_batch_at_a_time() {
    // NB: each device takes the serial number the next one gives up.
    let moved = updates_in_flight(|id| format!("SN{}", id % 8 + 1)).await;
    let fresh = updates_in_flight(|id| format!("NEW-{id}")).await;

    assert_eq!(moved, 1, "a value moving between objects must not race");
    assert_eq!(fresh, 4, "unrelated updates still go out at once");
}
