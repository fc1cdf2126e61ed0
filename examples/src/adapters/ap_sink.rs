//! The engine's [`Sink`] over the Asset Panda client: groups with their fields and
//! statuses, a paged search that includes archived objects, batch writes of at most 200,
//! and archive and unarchive with the account's date format.
//!
//! A sink reads each group's description once per run, and keeps the listing of each
//! group another job links to, kept current by the run's own writes, so that the linking
//! job does not list it again. Make one sink per run with [`ApSink::for_run`]: the caches
//! live as long as the sink and its clones.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

use assetpanda_api::Archived;
use assetpanda_api::{Client, Error as ApError, TransportKind};
use assetpanda_api::{FieldMap, Object, ObjectUpdate as ApUpdate, WriteOutcome};
use async_trait::async_trait;
use chrono::NaiveDate;
use cw_ap_mapping::{
    FieldMessage, JobConfig, NewObject, ObjectOutcome, ObjectStream, ObjectUpdate, Sink, SinkError,
    SinkErrorKind, MAX_BATCH,
};
use cw_ap_mapping::{
    GroupRef, TargetField, TargetFieldKind, TargetGroup, TargetObject, TargetStatus,
};
use futures::{StreamExt, TryStreamExt};
use serde_json::Value;

/// A [`Sink`] writing to an Asset Panda account.
#[derive(Clone)]
pub struct ApSink {
    client: Client,
    date_format: Option<String>,
    run: Arc<RunCache>,
}

impl std::fmt::Debug for ApSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApSink")
            .field("client", &self.client)
            .field("date_format", &self.date_format)
            .finish_non_exhaustive()
    }
}

/// What one run has read, so that it reads it once.
#[derive(Debug, Default)]
struct RunCache {
    /// The groups the run's jobs link to, as the jobs name them.
    linked: Vec<GroupRef>,
    /// Groups resolved in this run, by the reference they were asked by (and by id).
    groups: Mutex<HashMap<GroupRef, TargetGroup>>,
    /// Complete listings of linked groups, kept current by the run's writes.
    listings: Mutex<HashMap<u64, Vec<TargetObject>>>,
    /// Writes sent to each group, so that a listing read while a write was sent to its
    /// group is not kept.
    writes: Mutex<HashMap<u64, u64>>,
}

/// Locks a cache, whose data stays consistent even when a holder panicked.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl RunCache {
    fn group(&self, group: &GroupRef) -> Option<TargetGroup> {
        lock(&self.groups).get(group).cloned()
    }

    fn keep_group(&self, asked: &GroupRef, group: &TargetGroup) {
        let mut groups = lock(&self.groups);
        groups.insert(GroupRef::Id(group.id), group.clone());
        groups.insert(asked.clone(), group.clone());
    }

    /// Whether a job links to group `id`: by id, or by a name this run resolved to it.
    fn is_linked(&self, id: u64) -> bool {
        let groups = lock(&self.groups);
        self.linked.iter().any(|link| match link {
            GroupRef::Id(linked) => *linked == id,
            GroupRef::Name(_) => groups.get(link).is_some_and(|g| g.id == id),
        })
    }

    fn write_count(&self, group_id: u64) -> u64 {
        lock(&self.writes).get(&group_id).copied().unwrap_or(0)
    }

    /// Keeps a complete listing, unless a write went to the group while it was read.
    fn keep_listing(&self, group_id: u64, writes_before: u64, objects: Vec<TargetObject>) {
        let writes = lock(&self.writes);
        if writes.get(&group_id).copied().unwrap_or(0) == writes_before {
            lock(&self.listings).insert(group_id, objects);
        }
    }

    fn listing(&self, group_id: u64) -> Option<Vec<TargetObject>> {
        lock(&self.listings).get(&group_id).cloned()
    }

    /// Applies a write's outcome to the kept listing of its group: `apply` returns false
    /// when it cannot tell what the group now holds, and the listing is dropped.
    fn after_write(&self, group_id: u64, apply: impl FnOnce(&mut Vec<TargetObject>) -> bool) {
        *lock(&self.writes).entry(group_id).or_default() += 1;
        let mut listings = lock(&self.listings);
        if let Some(objects) = listings.get_mut(&group_id) {
            if !apply(objects) {
                listings.remove(&group_id);
            }
        }
    }

    /// Drops the kept listing of a group whose write may or may not have happened.
    fn forget(&self, group_id: u64) {
        self.after_write(group_id, |_| false);
    }
}

impl ApSink {
    /// A sink over `client`; `date_format` (Asset Panda's spelling, `MM/DD/YYYY`) overrides
    /// the account's. A client built with a date format override needs the same override
    /// here, in the account's spelling.
    pub fn new(client: Client, date_format: Option<String>) -> Self {
        ApSink {
            client,
            date_format,
            run: Arc::default(),
        }
    }

    /// A sink for one run of `jobs` over the same client, with nothing cached: each group
    /// is described once in the run, and each group a job links to is listed once, the
    /// run's own writes kept in that listing. Nothing read by an earlier run is served.
    pub fn for_run(&self, jobs: &[JobConfig]) -> Self {
        let linked = jobs
            .iter()
            .flat_map(|job| job.fields.iter())
            .filter_map(|field| field.link.as_ref())
            .map(|link| link.group.clone())
            .collect();
        ApSink {
            client: self.client.clone(),
            date_format: self.date_format.clone(),
            run: Arc::new(RunCache {
                linked,
                ..RunCache::default()
            }),
        }
    }

    /// The client inside.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The account's date format as the settings spell it, read from the server.
    async fn account_date_format(&self) -> Result<String, SinkError> {
        let settings = self
            .client
            .settings()
            .await
            .map_err(|e| sink_error(&e, false))?;
        settings.settings.date_format.ok_or_else(|| {
            SinkError::new(
                SinkErrorKind::Failed,
                "the account settings name no date format; set `date_format` in [assetpanda]",
            )
        })
    }

    /// Streams a linked group from the server, keeping the listing once it is complete.
    fn recorded<'a>(&'a self, group_id: u64, inner: ObjectStream<'a>) -> ObjectStream<'a> {
        let writes_before = self.run.write_count(group_id);
        let state = (inner, Some(Vec::new()));
        futures::stream::unfold(state, move |(mut inner, mut seen)| async move {
            match inner.next().await {
                Some(Ok(object)) => {
                    if let Some(seen) = &mut seen {
                        seen.push(object.clone());
                    }
                    Some((Ok(object), (inner, seen)))
                }
                Some(Err(e)) => Some((Err(e), (inner, None))),
                None => {
                    if let Some(seen) = seen {
                        self.run.keep_listing(group_id, writes_before, seen);
                    }
                    None
                }
            }
        })
        .boxed()
    }

    /// Reads a group's name, fields and statuses from the server.
    async fn describe(&self, group: &GroupRef) -> Result<TargetGroup, SinkError> {
        let (id, name) = match group {
            GroupRef::Id(id) => {
                let found = match self.client.groups().get(*id as i64).await {
                    Ok(found) => found,
                    Err(e) if e.is_not_found() => return Err(self.no_group_with_id(*id).await),
                    Err(e) => return Err(sink_error(&e, false)),
                };
                (
                    *id as i64,
                    found.name.unwrap_or_else(|| format!("group {id}")),
                )
            }
            GroupRef::Name(name) => self.group_by_name(name).await?,
        };

        let fields = self
            .client
            .groups()
            .fields(id)
            .await
            .map_err(|e| sink_error(&e, false))?;
        let statuses = self
            .client
            .groups()
            .statuses(id)
            .await
            .map_err(|e| sink_error(&e, false))?;

        Ok(TargetGroup {
            id: id as u64,
            name,
            fields: fields
                .into_iter()
                .filter_map(|f| {
                    let key = f.key.clone()?;
                    let kind = f.field_type.as_ref().map_or(TargetFieldKind::Text, |t| {
                        TargetFieldKind::from_api(t.as_str())
                    });
                    let mut field =
                        TargetField::new(key.clone(), f.name.clone().unwrap_or(key), kind);
                    field.required = f.required();
                    Some(field)
                })
                .collect(),
            statuses: statuses
                .into_iter()
                .filter_map(|s| {
                    Some(TargetStatus {
                        id: s.id?.to_string(),
                        name: s.name?,
                    })
                })
                .collect(),
        })
    }

    /// The account's groups by id and name.
    async fn named_groups(&self) -> Result<Vec<(i64, String)>, SinkError> {
        let groups = self
            .client
            .groups()
            .list()
            .await
            .map_err(|e| sink_error(&e, false))?;
        Ok(groups
            .iter()
            .filter_map(|g| Some((g.id?.0, g.name.clone()?)))
            .collect())
    }

    /// The error for a group id the account does not have, listing the groups it has.
    async fn no_group_with_id(&self, id: u64) -> SinkError {
        let known = match self.named_groups().await {
            Ok(named) => {
                let known: Vec<String> =
                    named.iter().map(|(id, n)| format!("{n} ({id})")).collect();
                format!("; the groups are: {}", known.join(", "))
            }
            Err(_) => String::new(),
        };
        SinkError::new(
            SinkErrorKind::Failed,
            format!("no group has id {id}{known}"),
        )
        .with_status(404)
    }

    async fn group_by_name(&self, name: &str) -> Result<(i64, String), SinkError> {
        let named = self.named_groups().await?;

        let exact: Vec<&(i64, String)> = named.iter().filter(|(_, n)| n == name).collect();
        let loose: Vec<&(i64, String)> = named
            .iter()
            .filter(|(_, n)| n.trim().eq_ignore_ascii_case(name.trim()))
            .collect();
        match (exact.as_slice(), loose.as_slice()) {
            ([one], _) | ([], [one]) => Ok((*one).clone()),
            ([], []) => {
                let known: Vec<&str> = named.iter().map(|(_, n)| n.as_str()).collect();
                Err(SinkError::new(
                    SinkErrorKind::Failed,
                    format!(
                        "no group is named \"{name}\"; the groups are: {}{}",
                        known.join(", "),
                        crate::suggest::hint(name, known.iter().copied())
                    ),
                )
                .with_status(404))
            }
            (many, _) => {
                let many = if many.is_empty() {
                    loose.as_slice()
                } else {
                    many
                };
                let ids: Vec<String> = many.iter().map(|(id, _)| id.to_string()).collect();
                Err(SinkError::new(
                    SinkErrorKind::Failed,
                    format!(
                        "several groups are named \"{name}\" (ids {}); name the group by id",
                        ids.join(", ")
                    ),
                )
                .with_status(404))
            }
        }
    }
}

/// The engine's view of a client error: whether the write may have happened.
pub fn sink_error(error: &ApError, may_have_applied: bool) -> SinkError {
    let status = error.status().map(|s| s.as_u16());
    let kind = match (error, status) {
        (_, Some(422)) => SinkErrorKind::Rejected,
        (ApError::Transport { kind, .. }, _) if *kind != TransportKind::Connect => {
            if may_have_applied {
                SinkErrorKind::OutcomeUnknown
            } else {
                SinkErrorKind::Failed
            }
        }
        (ApError::EmptyBody { .. } | ApError::Decode { .. }, _) if may_have_applied => {
            SinkErrorKind::OutcomeUnknown
        }
        (_, Some(s)) if s >= 500 && may_have_applied => SinkErrorKind::OutcomeUnknown,
        _ => SinkErrorKind::Failed,
    };

    let fields = error
        .api()
        .map(|api| {
            api.field_errors
                .iter()
                .map(|f| FieldMessage {
                    field: (!f.field.is_empty()).then(|| f.field.clone()),
                    message: f.message.clone(),
                })
                .collect()
        })
        .unwrap_or_default();

    let mut out = SinkError::new(kind, error.to_string());
    out.status = status;
    out.fields = fields;
    out
}

fn target_object(object: Object) -> Result<TargetObject, SinkError> {
    let id = object
        .id
        .as_ref()
        .map(|id| id.as_str().to_owned())
        .ok_or_else(|| {
            SinkError::new(
                SinkErrorKind::Failed,
                "an object in the search answer has no id",
            )
        })?;
    let fields: BTreeMap<String, Value> = object.fields.into_iter().collect();
    Ok(TargetObject {
        id,
        fields,
        archived: object.is_archived.unwrap_or(false),
    })
}

/// Text of a stored value for an exact comparison: strings as they are, numbers as
/// written, `{id, value}` choices by their value.
fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Object(map) => map.get("value").and_then(value_text),
        _ => None,
    }
}

/// One outcome per object: the ids the server returned, in order, when it returned one per
/// object; otherwise "written" without an id.
fn outcomes(outcome: &WriteOutcome, count: usize) -> Vec<ObjectOutcome> {
    if outcome.objects.len() == count {
        outcome
            .objects
            .iter()
            .map(|o| ObjectOutcome::Written {
                id: o.id.as_ref().map(|id| id.as_str().to_owned()),
            })
            .collect()
    } else {
        vec![ObjectOutcome::Written { id: None }; count]
    }
}

/// The object the write answer gives for the `index`th of `count` objects sent, when it
/// gives one per object.
fn answered(outcome: &WriteOutcome, index: usize, count: usize) -> Option<&Object> {
    (outcome.objects.len() == count)
        .then(|| outcome.objects.get(index))
        .flatten()
}

/// The values a written object now holds, for the run's kept listing: those sent, with the
/// ones the server answered in their place (a server may store a value in another shape).
fn as_stored<'a>(
    sent: impl Iterator<Item = (&'a String, &'a Value)>,
    answered: Option<&Object>,
) -> BTreeMap<String, Value> {
    let mut fields: BTreeMap<String, Value> = sent.map(|(k, v)| (k.clone(), v.clone())).collect();
    if let Some(object) = answered {
        for (key, value) in &object.fields {
            if fields.contains_key(key) {
                fields.insert(key.clone(), value.clone());
            }
        }
    }
    fields
}

/// Marks the kept objects `ids` archived or not; false when one of them is not kept.
fn set_archived(kept: &mut [TargetObject], ids: &[String], archived: bool) -> bool {
    for id in ids {
        match kept.iter_mut().find(|o| &o.id == id) {
            Some(object) => object.archived = archived,
            None => return false,
        }
    }
    true
}

fn too_many(len: usize) -> SinkError {
    SinkError::new(
        SinkErrorKind::Failed,
        format!("a batch of {len} objects is over the limit of {MAX_BATCH}"),
    )
}

#[async_trait]
impl Sink for ApSink {
    async fn resolve_group(&self, group: &GroupRef) -> Result<TargetGroup, SinkError> {
        if let Some(known) = self.run.group(group) {
            return Ok(known);
        }
        let described = self.describe(group).await?;
        self.run.keep_group(group, &described);
        Ok(described)
    }

    async fn date_format(&self) -> Result<String, SinkError> {
        if let Some(format) = &self.date_format {
            return Ok(format.clone());
        }
        // NB: the client reads the settings once and keeps the format for its archives.
        match self.client.date_format().await {
            Ok(format) => Ok(format.source().to_owned()),
            // NB: a format the client cannot read goes to the engine as the account spells
            // it, and the engine names it as a configuration problem.
            Err(ApError::Config { .. }) => self.account_date_format().await,
            Err(e) => Err(sink_error(&e, false)),
        }
    }

    fn list_objects<'a>(&'a self, group_id: u64) -> ObjectStream<'a> {
        if let Some(objects) = self.run.listing(group_id) {
            return futures::stream::iter(objects.into_iter().map(Ok)).boxed();
        }
        let listing = self
            .client
            .objects(group_id as i64)
            .search()
            .archived(Archived::Include)
            .stream()
            .map(|item| match item {
                Ok(object) => target_object(object),
                Err(e) => Err(sink_error(&e, false)),
            })
            .boxed();
        if self.run.is_linked(group_id) {
            self.recorded(group_id, listing)
        } else {
            listing
        }
    }

    async fn find_objects(
        &self,
        group_id: u64,
        field_key: &str,
        values: &[String],
    ) -> Result<Vec<TargetObject>, SinkError> {
        let mut found: BTreeMap<String, TargetObject> = BTreeMap::new();

        for value in values {
            let objects: Vec<Object> = self
                .client
                .objects(group_id as i64)
                .search()
                .field_filter(field_key, value.clone())
                .archived(Archived::Include)
                .stream()
                .try_collect()
                .await
                .map_err(|e| sink_error(&e, false))?;

            // NB: the server's field filter may match partially; keep exact matches only.
            for object in objects {
                let exact =
                    object.get(field_key).and_then(value_text).as_deref() == Some(value.as_str());
                if exact {
                    let object = target_object(object)?;
                    found.insert(object.id.clone(), object);
                }
            }
        }
        Ok(found.into_values().collect())
    }

    async fn create_objects(
        &self,
        group_id: u64,
        objects: &[NewObject],
    ) -> Result<Vec<ObjectOutcome>, SinkError> {
        if objects.len() > MAX_BATCH {
            return Err(too_many(objects.len()));
        }
        let batch: Vec<FieldMap> = objects
            .iter()
            .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .collect();

        let outcome = self
            .client
            .objects(group_id as i64)
            .create_batch(batch)
            .await
            .map_err(|e| {
                self.run.forget(group_id);
                sink_error(&e, true)
            })?;
        // NB: the create answer is not documented. One that does not list every object
        // sent may have stored any of them: the engine must re-read before sending again.
        if outcome.objects.len() != objects.len() {
            self.run.forget(group_id);
            return Err(SinkError::new(
                SinkErrorKind::OutcomeUnknown,
                format!(
                    "the create answer listed {} of the {} objects sent",
                    outcome.objects.len(),
                    objects.len()
                ),
            ));
        }
        let written = outcomes(&outcome, objects.len());
        self.run.after_write(group_id, |kept| {
            for (index, (sent, result)) in objects.iter().zip(&written).enumerate() {
                match result {
                    ObjectOutcome::Written { id: Some(id) } => kept.push(TargetObject {
                        id: id.clone(),
                        fields: as_stored(sent.iter(), answered(&outcome, index, objects.len())),
                        archived: false,
                    }),
                    ObjectOutcome::Written { id: None } => return false,
                    _ => {}
                }
            }
            true
        });
        Ok(written)
    }

    async fn update_objects(
        &self,
        group_id: u64,
        updates: &[ObjectUpdate],
    ) -> Result<Vec<ObjectOutcome>, SinkError> {
        if updates.len() > MAX_BATCH {
            return Err(too_many(updates.len()));
        }
        let batch: Vec<ApUpdate> = updates
            .iter()
            .map(|u| {
                let fields: FieldMap = u
                    .fields
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                ApUpdate::new(u.id.clone(), fields)
            })
            .collect();

        let outcome = self
            .client
            .objects(group_id as i64)
            .update_batch(batch)
            .await
            .map_err(|e| {
                self.run.forget(group_id);
                sink_error(&e, false)
            })?;
        let written = outcomes(&outcome, updates.len());
        self.run.after_write(group_id, |kept| {
            for (index, (update, result)) in updates.iter().zip(&written).enumerate() {
                if !matches!(result, ObjectOutcome::Written { .. }) {
                    continue;
                }
                let Some(object) = kept.iter_mut().find(|o| o.id == update.id) else {
                    return false;
                };
                let stored = answered(&outcome, index, updates.len());
                object
                    .fields
                    .extend(as_stored(update.fields.iter(), stored));
            }
            true
        });
        Ok(written)
    }

    async fn archive_objects(
        &self,
        group_id: u64,
        ids: &[String],
        stop_date: NaiveDate,
    ) -> Result<(), SinkError> {
        if ids.len() > MAX_BATCH {
            return Err(too_many(ids.len()));
        }
        let result = self
            .client
            .objects(group_id as i64)
            .archive(ids.iter().cloned(), stop_date)
            .await
            .map_err(|e| sink_error(&e, false));
        self.run.after_write(group_id, |kept| {
            result.is_ok() && set_archived(kept, ids, true)
        });
        result
    }

    async fn unarchive_objects(&self, group_id: u64, ids: &[String]) -> Result<(), SinkError> {
        if ids.len() > MAX_BATCH {
            return Err(too_many(ids.len()));
        }
        let result = self
            .client
            .objects(group_id as i64)
            .unarchive(ids.iter().cloned())
            .await
            .map_err(|e| sink_error(&e, false));
        self.run.after_write(group_id, |kept| {
            result.is_ok() && set_archived(kept, ids, false)
        });
        result
    }
}

#[cfg(test)]
mod tests {
    use assetpanda_api::fake::{Endpoint, FakeAssetPanda, Fault, FaultPlan, FaultRule};
    use assetpanda_api::fake::{FieldSpec, GroupSpec};
    use serde_json::json;

    use super::*;

    const COMPANIES: u64 = 7;
    const DEVICES: u64 = 8;

    /// A devices job that links to the companies group.
    fn jobs() -> Vec<JobConfig> {
        let toml = r#"
[[jobs]]
name = "devices"
entity = "configurations"
target_group = 8
match_keys = [{ target = "field_20" }]
fields = [
  { source = "name", target = "field_1" },
  { source = "company/id", target = "field_40", link = { group = 7, field = "field_20" } },
]
"#;
        cw_ap_mapping::Config::from_toml_str(toml)
            .expect("the job parses")
            .jobs
    }

    async fn fake() -> FakeAssetPanda {
        let companies = GroupSpec::new(COMPANIES, "Companies", "companies")
            .field(FieldSpec::text("field_1", "Name"))
            .field(FieldSpec::text("field_20", "CW ID"));
        let devices = GroupSpec::new(DEVICES, "Devices", "devices")
            .field(FieldSpec::text("field_1", "Name"))
            .field(FieldSpec::text("field_20", "CW ID"))
            .field(FieldSpec::link("field_40", "Company", COMPANIES));
        let fake = FakeAssetPanda::builder()
            .group(companies)
            .group(devices)
            .start()
            .await;
        fake.core()
            .insert_object(COMPANIES, json!({ "field_1": "Old", "field_20": "1" }))
            .expect("an object is stored");
        fake
    }

    fn sink(fake: &FakeAssetPanda) -> ApSink {
        let client = fake.client_builder().build().expect("the client builds");
        ApSink::new(client, Some("MM/DD/YYYY".into())).for_run(&jobs())
    }

    async fn list(sink: &ApSink, group: u64) -> Vec<(String, Option<Value>, bool)> {
        let objects: Vec<TargetObject> = sink
            .list_objects(group)
            .try_collect()
            .await
            .expect("the group lists");
        let mut out: Vec<_> = objects
            .into_iter()
            .map(|o| (o.id, o.fields.get("field_20").cloned(), o.archived))
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    fn searches(fake: &FakeAssetPanda) -> u64 {
        fake.core().counters().requests_to(Endpoint::Search)
    }

    fn new_company(cw: &str) -> NewObject {
        NewObject::from([
            ("field_1".to_owned(), json!(format!("Company {cw}"))),
            ("field_20".to_owned(), json!(cw)),
        ])
    }

    #[tokio::test]
    async fn a_linked_group_is_listed_once_a_run_with_the_runs_writes_and_again_next_run() {
        let fake = fake().await;
        let run = sink(&fake);
        let old = list(&run, COMPANIES).await;
        assert_eq!(old.len(), 1);

        let created = run
            .create_objects(COMPANIES, &[new_company("2")])
            .await
            .expect("the create");
        let date = NaiveDate::from_ymd_opt(2026, 1, 2).expect("a date");
        run.archive_objects(COMPANIES, &[old[0].0.clone()], date)
            .await
            .expect("the archive");
        let kept = list(&run, COMPANIES).await;
        assert_eq!(searches(&fake), 1, "the second listing is the kept one");

        let ObjectOutcome::Written { id: Some(new_id) } = &created[0] else {
            panic!("no id for the created object: {created:?}");
        };
        assert!(kept.contains(&(new_id.clone(), Some(json!("2")), false)));
        assert!(kept.contains(&(old[0].0.clone(), Some(json!("1")), true)));

        let next = run.for_run(&jobs());
        assert_eq!(list(&next, COMPANIES).await, kept, "the server agrees");
        assert_eq!(searches(&fake), 2, "a new run reads the group again");
    }

    #[tokio::test]
    async fn kept_objects_hold_the_values_as_the_server_stored_them() {
        let fake = fake().await;
        let run = sink(&fake);
        list(&run, COMPANIES).await;
        // NB: a text field stores a number as its text.
        let created = run
            .create_objects(
                COMPANIES,
                &[NewObject::from([("field_20".to_owned(), json!(5))])],
            )
            .await
            .expect("the create");
        let ObjectOutcome::Written { id: Some(id) } = &created[0] else {
            panic!("no id for the created object: {created:?}");
        };
        let update = ObjectUpdate {
            id: id.clone(),
            fields: BTreeMap::from([("field_1".to_owned(), json!(12))]),
        };
        run.update_objects(COMPANIES, &[update])
            .await
            .expect("the update");

        let kept: Vec<TargetObject> = run
            .list_objects(COMPANIES)
            .try_collect()
            .await
            .expect("the kept listing");
        let kept = kept.into_iter().find(|o| &o.id == id).expect("kept");
        assert_eq!(searches(&fake), 1, "the listing is the kept one");
        assert_eq!(kept.fields.get("field_20"), Some(&json!("5")));
        assert_eq!(kept.fields.get("field_1"), Some(&json!("12")));
    }

    #[tokio::test]
    async fn a_failed_write_drops_the_kept_listing() {
        let fake = fake().await;
        let run = sink(&fake);
        list(&run, COMPANIES).await;
        let plan = FaultPlan::new().rule(
            FaultRule::share(1.0, Fault::InternalServerError)
                .only(Endpoint::Create)
                .after_apply(),
        );
        fake.core().set_faults(plan).expect("the plan is accepted");

        let err = run
            .create_objects(COMPANIES, &[new_company("3")])
            .await
            .expect_err("the create fails");
        assert_eq!(err.kind, SinkErrorKind::OutcomeUnknown);
        let after = list(&run, COMPANIES).await;

        assert_eq!(searches(&fake), 2, "the group is read again");
        assert!(
            after.iter().any(|(_, cw, _)| cw == &Some(json!("3"))),
            "the object the server stored is listed: {after:?}"
        );
    }

    #[tokio::test]
    async fn a_group_no_job_links_to_is_not_kept_and_a_group_is_described_once() {
        let fake = fake().await;
        let run = sink(&fake);
        list(&run, DEVICES).await;
        list(&run, DEVICES).await;
        assert_eq!(searches(&fake), 2);

        for _ in 0..2 {
            let group = run
                .resolve_group(&GroupRef::Id(COMPANIES))
                .await
                .expect("the group resolves");
            assert_eq!(group.name, "Companies");
        }
        let counters = fake.core().counters();
        for endpoint in [Endpoint::Group, Endpoint::Fields, Endpoint::Statuses] {
            assert_eq!(counters.requests_to(endpoint), 1, "{endpoint}");
        }
    }
}
