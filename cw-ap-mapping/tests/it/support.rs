//! Shared helpers: the target groups of the field cases, and in-memory sources and sinks.

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::NaiveDate;
use cw_ap_mapping::{
    validate_job, CompiledJob, Config, DateFormat, FetchRequest, FieldMessage, GroupRef,
    IdListRequest, IdStream, JobConfig, NewObject, ObjectOutcome, ObjectStream, ObjectUpdate,
    RecordStream, RereadRequest, Sink, SinkError, SinkErrorKind, Source, SourceError,
    SourceErrorKind, TargetField, TargetFieldKind, TargetGroup, TargetObject, TargetStatus,
};
use futures::stream;
use serde_json::{json, Value};
use tokio::sync::Notify;

/// The Devices group of the field cases (139300).
pub fn devices() -> TargetGroup {
    use TargetFieldKind::*;
    let f = |key: &str, name: &str, kind: TargetFieldKind| TargetField::new(key, name, kind);
    TargetGroup {
        id: 139300,
        name: "Devices".into(),
        fields: vec![
            f("field_1", "Name", Text),
            f("field_10", "Serial Number", Text),
            f("field_11", "Status", Status),
            f("field_20", "CW ID", Text),
            f("field_31", "Warranty Expires", Date),
            f("field_40", "Company", GroupList),
            f("field_41", "IP Address", Text),
            f("field_50", "Type", Text),
            f("field_51", "Company Identifier", Text),
            f("field_52", "Site", Text),
            f("field_60", "Seats", Text),
            f("field_61", "Price", Currency),
            f("field_62", "Active", Checkbox),
            f("field_63", "Manufacturer", List),
            f("field_144", "MAC Address", Text),
            f("field_150", "MAC-Address", Text),
        ],
        statuses: vec![
            TargetStatus {
                id: "88101".into(),
                name: "Available".into(),
            },
            TargetStatus {
                id: "88104".into(),
                name: "Retired".into(),
            },
        ],
    }
}

/// The Companies group of the field cases (139301).
pub fn companies() -> TargetGroup {
    TargetGroup {
        id: 139301,
        name: "Companies".into(),
        fields: vec![
            TargetField::text("field_1", "Name"),
            TargetField::text("field_20", "CW ID"),
        ],
        statuses: vec![],
    }
}

/// The Tickets group of the field cases (139302).
pub fn tickets() -> TargetGroup {
    TargetGroup {
        id: 139302,
        name: "Tickets".into(),
        fields: vec![
            TargetField::text("field_1", "Summary"),
            TargetField::text("field_20", "CW ID"),
            TargetField::text("field_30", "Severity"),
        ],
        statuses: vec![],
    }
}

/// Parses one job from TOML (the `[[jobs]]` header is added).
pub fn job(toml: &str) -> JobConfig {
    let config = Config::from_toml_str(&format!("[[jobs]]\n{toml}")).expect("valid job TOML");
    config.jobs.into_iter().next().expect("one job")
}

/// Compiles a job against a group with the `MM/DD/YYYY` format, panicking on errors.
pub fn compile(job: &JobConfig, group: &TargetGroup) -> CompiledJob {
    let validation = validate_job(job, 0, group, DateFormat::default(), None);
    let problems: Vec<String> = validation.errors().map(|p| p.to_string()).collect();
    validation
        .job
        .unwrap_or_else(|| panic!("job should compile: {problems:?}"))
}

/// An object in the v3 layout's flattened form.
pub fn object(id: &str, fields: Value) -> TargetObject {
    let map: BTreeMap<String, Value> = fields
        .as_object()
        .expect("object fields")
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    TargetObject::new(id, map)
}

/// An object id in Asset Panda's shape.
pub fn oid(n: usize) -> String {
    format!("64b{n:021}")
}

/// Reads a fixture of this crate.
pub fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    serde_json::from_str(&text).expect("fixture is JSON")
}

// ---------------------------------------------------------------------------------------
// In-memory source.

/// A source serving a fixed listing; re-reads answer from `all`.
#[derive(Default)]
pub struct MemorySource {
    /// What the listing returns, in order.
    pub listing: Vec<Value>,
    /// Every record that exists at source (for re-reads); the listing's are added.
    pub all: Vec<Value>,
    /// End the listing with a fatal error after this many records.
    pub break_after: Option<usize>,
    /// The listing fails at once as forbidden.
    pub forbidden: bool,
    /// Re-reads fail.
    pub reread_fails: bool,
    /// Called when the listing starts (before its first record).
    pub on_fetch: Option<Box<dyn Fn() + Send + Sync>>,
    /// Requests seen.
    pub fetches: Mutex<Vec<FetchRequest>>,
    /// Re-read requests seen.
    pub rereads: Mutex<Vec<RereadRequest>>,
    /// Ids for the id-only listing (incremental runs); `None` uses every listed id.
    pub ids: Option<Vec<i64>>,
}

impl MemorySource {
    /// A source whose listing and universe are `records`.
    pub fn new(records: Vec<Value>) -> Self {
        MemorySource {
            listing: records,
            ..MemorySource::default()
        }
    }
}

#[async_trait]
impl Source for MemorySource {
    fn fetch<'a>(&'a self, request: &'a FetchRequest) -> RecordStream<'a> {
        self.fetches.lock().unwrap().push(request.clone());
        if let Some(hook) = &self.on_fetch {
            hook();
        }
        if self.forbidden {
            let e = SourceError::new(
                SourceErrorKind::Forbidden,
                "403: You do not have permission to view tickets.",
            );
            return Box::pin(stream::iter(vec![Err(e)]));
        }
        let mut items: Vec<Result<Value, SourceError>> = Vec::new();
        for (i, record) in self.listing.iter().enumerate() {
            if self.break_after == Some(i) {
                let last = self.listing[i - 1]["id"].clone();
                items.push(Err(SourceError::new(
                    SourceErrorKind::Fetch,
                    "500 ConnectWiseApi: An unexpected error occurred.",
                )
                .with_request(format!("request {} (pageId={last})", i / 25 + 1))));
                return Box::pin(stream::iter(items));
            }
            items.push(Ok(record.clone()));
        }
        Box::pin(stream::iter(items))
    }

    async fn reread(&self, request: &RereadRequest) -> Result<Vec<Value>, SourceError> {
        self.rereads.lock().unwrap().push(request.clone());
        if self.reread_fails {
            return Err(SourceError::new(
                SourceErrorKind::Fetch,
                "503 on every attempt",
            ));
        }
        let wanted: HashSet<i64> = request.ids.iter().copied().collect();
        Ok(self
            .all
            .iter()
            .chain(&self.listing)
            .filter(|r| r["id"].as_i64().is_some_and(|id| wanted.contains(&id)))
            .cloned()
            .collect())
    }

    fn list_ids<'a>(&'a self, _request: &'a IdListRequest) -> IdStream<'a> {
        let ids: Vec<i64> = match &self.ids {
            Some(ids) => ids.clone(),
            None => self
                .listing
                .iter()
                .filter_map(|r| r["id"].as_i64())
                .collect(),
        };
        Box::pin(stream::iter(ids.into_iter().map(Ok)))
    }
}

// ---------------------------------------------------------------------------------------
// In-memory sink.

/// A write call the sink received.
#[derive(Debug, Clone, PartialEq)]
pub enum Call {
    /// A create batch with the CW ids (`field_20`) of its objects.
    Create(Vec<String>),
    /// An update batch with its object ids.
    Update(Vec<String>),
    /// An archive call with its object ids.
    Archive(Vec<String>),
    /// An unarchive call with its object ids.
    Unarchive(Vec<String>),
}

/// How the sink answers the next create call.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Behaviour {
    /// Apply and answer normally.
    Normal,
    /// Refuse without applying (`Failed`).
    FailBefore,
    /// Apply, then answer with an unknown-outcome error.
    ApplyThenUnknown,
    /// Never answer (the process is "killed" by the test).
    Hang,
}

/// An in-memory target group (plus linked groups).
pub struct MemorySink {
    /// The groups.
    pub groups: Vec<TargetGroup>,
    /// Objects per group id.
    pub objects: Mutex<BTreeMap<u64, Vec<TargetObject>>>,
    /// Write calls, in order.
    pub calls: Mutex<Vec<Call>>,
    /// Scripted behaviours of create calls, in order (then `Normal`).
    pub create_script: Mutex<VecDeque<Behaviour>>,
    /// Scripted behaviours of update calls, in order (then `Normal`).
    pub update_script: Mutex<VecDeque<Behaviour>>,
    /// A field key that must not be empty on create (the group answers 422 otherwise).
    pub required_nonempty: Option<String>,
    /// On a 422, store the objects before the first bad one (Asset Panda may keep part of
    /// a failed batch).
    pub partial_store: bool,
    /// Notified when a create call hangs.
    pub hung: Arc<Notify>,
    /// Objects added to a group once its listing finished (H-31).
    pub appear_after_listing: Mutex<Vec<(u64, TargetObject)>>,
    next_id: Mutex<usize>,
    /// The archive stop dates received.
    pub stop_dates: Mutex<Vec<NaiveDate>>,
    /// A group whose listing breaks off with an error.
    pub failing_listing: Option<u64>,
}

impl MemorySink {
    /// A sink holding these groups, with objects per group.
    pub fn new(groups: Vec<TargetGroup>, objects: Vec<(u64, Vec<TargetObject>)>) -> Self {
        let count: usize = objects.iter().map(|(_, o)| o.len()).sum();
        MemorySink {
            groups,
            objects: Mutex::new(objects.into_iter().collect()),
            calls: Mutex::new(Vec::new()),
            create_script: Mutex::new(VecDeque::new()),
            update_script: Mutex::new(VecDeque::new()),
            required_nonempty: None,
            partial_store: false,
            hung: Arc::new(Notify::new()),
            appear_after_listing: Mutex::new(Vec::new()),
            next_id: Mutex::new(900_000 + count),
            stop_dates: Mutex::new(Vec::new()),
            failing_listing: None,
        }
    }

    /// The objects of a group now.
    pub fn objects_of(&self, group: u64) -> Vec<TargetObject> {
        self.objects
            .lock()
            .unwrap()
            .get(&group)
            .cloned()
            .unwrap_or_default()
    }

    /// The write calls so far.
    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }

    /// The number of write calls so far.
    pub fn writes(&self) -> usize {
        self.calls.lock().unwrap().len()
    }

    /// How many objects of the group carry this value in `field_20`.
    pub fn count_cw_id(&self, group: u64, id: &str) -> usize {
        self.objects_of(group)
            .iter()
            .filter(|o| o.fields.get("field_20").and_then(Value::as_str) == Some(id))
            .count()
    }

    fn store(&self, group: u64, object: &NewObject) -> String {
        let mut next = self.next_id.lock().unwrap();
        *next += 1;
        let id = oid(*next);
        self.objects
            .lock()
            .unwrap()
            .entry(group)
            .or_default()
            .push(TargetObject::new(id.clone(), object.clone()));
        id
    }
}

fn cw_ids(objects: &[NewObject]) -> Vec<String> {
    objects
        .iter()
        .map(|o| {
            o.get("field_20")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

#[async_trait]
impl Sink for MemorySink {
    async fn resolve_group(&self, group: &GroupRef) -> Result<TargetGroup, SinkError> {
        self.groups
            .iter()
            .find(|g| match group {
                GroupRef::Id(id) => g.id == *id,
                GroupRef::Name(name) => g.name.eq_ignore_ascii_case(name),
            })
            .cloned()
            .ok_or_else(|| {
                SinkError::new(SinkErrorKind::Failed, "Group not found").with_status(404)
            })
    }

    async fn date_format(&self) -> Result<String, SinkError> {
        Ok("MM/DD/YYYY".to_string())
    }

    fn list_objects<'a>(&'a self, group_id: u64) -> ObjectStream<'a> {
        if self.failing_listing == Some(group_id) {
            let error = SinkError::new(SinkErrorKind::Failed, "503 Service Unavailable");
            return Box::pin(stream::iter([Err(error)]));
        }
        let objects = self.objects_of(group_id);
        let appear = std::mem::take(&mut *self.appear_after_listing.lock().unwrap());
        for (group, object) in appear {
            self.objects
                .lock()
                .unwrap()
                .entry(group)
                .or_default()
                .push(object);
        }
        Box::pin(stream::iter(objects.into_iter().map(Ok)))
    }

    async fn find_objects(
        &self,
        group_id: u64,
        field_key: &str,
        values: &[String],
    ) -> Result<Vec<TargetObject>, SinkError> {
        Ok(self
            .objects_of(group_id)
            .into_iter()
            .filter(|o| {
                o.fields
                    .get(field_key)
                    .and_then(Value::as_str)
                    .is_some_and(|v| values.iter().any(|w| w == v))
            })
            .collect())
    }

    async fn create_objects(
        &self,
        group_id: u64,
        objects: &[NewObject],
    ) -> Result<Vec<ObjectOutcome>, SinkError> {
        assert!(objects.len() <= cw_ap_mapping::MAX_BATCH);
        self.calls
            .lock()
            .unwrap()
            .push(Call::Create(cw_ids(objects)));
        let behaviour = self
            .create_script
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or(Behaviour::Normal);
        match behaviour {
            Behaviour::Hang => {
                self.hung.notify_one();
                futures::future::pending::<()>().await;
                unreachable!("a hung call never answers")
            }
            Behaviour::FailBefore => {
                return Err(SinkError::new(
                    SinkErrorKind::Failed,
                    "503 Service Unavailable",
                ))
            }
            Behaviour::Normal | Behaviour::ApplyThenUnknown => {}
        }

        if let Some(key) = &self.required_nonempty {
            let bad = objects
                .iter()
                .position(|o| o.get(key).and_then(Value::as_str).unwrap_or("").is_empty());
            if let Some(bad) = bad {
                if self.partial_store {
                    for object in &objects[..bad] {
                        self.store(group_id, object);
                    }
                }
                return Err(SinkError::rejected(
                    "422 Unprocessable Entity",
                    vec![FieldMessage {
                        field: Some(key.clone()),
                        message: "Serial Number is required".into(),
                    }],
                ));
            }
        }

        let outcomes = objects
            .iter()
            .map(|o| ObjectOutcome::Written {
                id: Some(self.store(group_id, o)),
            })
            .collect();
        if behaviour == Behaviour::ApplyThenUnknown {
            return Err(SinkError::new(
                SinkErrorKind::OutcomeUnknown,
                "connection reset after the request was sent",
            ));
        }
        Ok(outcomes)
    }

    async fn update_objects(
        &self,
        group_id: u64,
        updates: &[ObjectUpdate],
    ) -> Result<Vec<ObjectOutcome>, SinkError> {
        assert!(updates.len() <= cw_ap_mapping::MAX_BATCH);
        self.calls
            .lock()
            .unwrap()
            .push(Call::Update(updates.iter().map(|u| u.id.clone()).collect()));
        let behaviour = self
            .update_script
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or(Behaviour::Normal);
        if behaviour == Behaviour::FailBefore {
            return Err(SinkError::new(
                SinkErrorKind::Failed,
                "503 Service Unavailable",
            ));
        }
        let mut all = self.objects.lock().unwrap();
        let objects = all.entry(group_id).or_default();
        let mut outcomes = Vec::new();
        for update in updates {
            match objects.iter_mut().find(|o| o.id == update.id) {
                Some(object) => {
                    for (k, v) in &update.fields {
                        object.fields.insert(k.clone(), v.clone());
                    }
                    outcomes.push(ObjectOutcome::Written {
                        id: Some(update.id.clone()),
                    });
                }
                None => outcomes.push(ObjectOutcome::Rejected {
                    messages: vec![FieldMessage {
                        field: None,
                        message: "Object not found".into(),
                    }],
                }),
            }
        }
        if behaviour == Behaviour::ApplyThenUnknown {
            return Err(SinkError::new(
                SinkErrorKind::OutcomeUnknown,
                "timeout after sending",
            ));
        }
        Ok(outcomes)
    }

    async fn archive_objects(
        &self,
        group_id: u64,
        ids: &[String],
        stop_date: NaiveDate,
    ) -> Result<(), SinkError> {
        self.calls.lock().unwrap().push(Call::Archive(ids.to_vec()));
        self.stop_dates.lock().unwrap().push(stop_date);
        let mut all = self.objects.lock().unwrap();
        for object in all.entry(group_id).or_default() {
            if ids.contains(&object.id) {
                object.archived = true;
            }
        }
        Ok(())
    }

    async fn unarchive_objects(&self, group_id: u64, ids: &[String]) -> Result<(), SinkError> {
        self.calls
            .lock()
            .unwrap()
            .push(Call::Unarchive(ids.to_vec()));
        let mut all = self.objects.lock().unwrap();
        for object in all.entry(group_id).or_default() {
            if ids.contains(&object.id) {
                object.archived = false;
            }
        }
        Ok(())
    }
}

/// A configuration record of the field cases.
pub fn device(id: i64, name: &str, serial: &str) -> Value {
    json!({"id": id, "name": name, "serialNumber": serial,
           "_info": {"lastUpdated": "2024-06-01T10:00:00Z"}})
}

/// Routes each request to the source of its entity.
pub struct Routed(pub Vec<(cw_ap_mapping::Entity, MemorySource)>);

impl Routed {
    fn pick(&self, entity: cw_ap_mapping::Entity) -> &MemorySource {
        &self
            .0
            .iter()
            .find(|(e, _)| *e == entity)
            .expect("a source for the entity")
            .1
    }
}

#[async_trait]
impl Source for Routed {
    fn fetch<'a>(&'a self, request: &'a FetchRequest) -> RecordStream<'a> {
        self.pick(request.entity).fetch(request)
    }

    async fn reread(&self, request: &RereadRequest) -> Result<Vec<Value>, SourceError> {
        self.pick(request.entity).reread(request).await
    }

    fn list_ids<'a>(&'a self, request: &'a IdListRequest) -> IdStream<'a> {
        self.pick(request.entity).list_ids(request)
    }
}
