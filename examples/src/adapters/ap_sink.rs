//! The engine's [`Sink`] over the Asset Panda client: groups with their fields and
//! statuses, a paged search that includes archived objects, batch writes of at most 200,
//! and archive and unarchive with the account's date format.

use std::collections::BTreeMap;

use assetpanda_api::Archived;
use assetpanda_api::{Client, Error as ApError, TransportKind};
use assetpanda_api::{FieldMap, Object, ObjectUpdate as ApUpdate, WriteOutcome};
use async_trait::async_trait;
use chrono::NaiveDate;
use cw_ap_mapping::{
    FieldMessage, NewObject, ObjectOutcome, ObjectStream, ObjectUpdate, Sink, SinkError,
    SinkErrorKind, MAX_BATCH,
};
use cw_ap_mapping::{
    GroupRef, TargetField, TargetFieldKind, TargetGroup, TargetObject, TargetStatus,
};
use futures::{StreamExt, TryStreamExt};
use serde_json::Value;

/// A [`Sink`] writing to an Asset Panda account.
#[derive(Debug, Clone)]
pub struct ApSink {
    client: Client,
    date_format: Option<String>,
    /// The account's date format, read once per sink rather than once per job.
    account_date_format: tokio::sync::OnceCell<String>,
}

impl ApSink {
    /// A sink over `client`; `date_format` (Asset Panda's spelling, `MM/DD/YYYY`) overrides
    /// the account's.
    pub fn new(client: Client, date_format: Option<String>) -> Self {
        ApSink {
            client,
            date_format,
            account_date_format: tokio::sync::OnceCell::new(),
        }
    }

    /// The client inside.
    pub fn client(&self) -> &Client {
        &self.client
    }

    async fn group_by_name(&self, name: &str) -> Result<(i64, String), SinkError> {
        let groups = self
            .client
            .groups()
            .list()
            .await
            .map_err(|e| sink_error(&e, false))?;
        let named: Vec<(i64, String)> = groups
            .iter()
            .filter_map(|g| Some((g.id?.0, g.name.clone()?)))
            .collect();

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
                        "no group is named \"{name}\"{}; the groups are: {}",
                        crate::suggest::hint(name, known.iter().copied()),
                        known.join(", ")
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

fn too_many(len: usize) -> SinkError {
    SinkError::new(
        SinkErrorKind::Failed,
        format!("a batch of {len} objects is over the limit of {MAX_BATCH}"),
    )
}

#[async_trait]
impl Sink for ApSink {
    async fn resolve_group(&self, group: &GroupRef) -> Result<TargetGroup, SinkError> {
        let (id, name) = match group {
            GroupRef::Id(id) => {
                let found = self
                    .client
                    .groups()
                    .get(*id as i64)
                    .await
                    .map_err(|e| sink_error(&e, false))?;
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

    async fn date_format(&self) -> Result<String, SinkError> {
        if let Some(format) = &self.date_format {
            return Ok(format.clone());
        }
        let format = self
            .account_date_format
            .get_or_try_init(|| async {
                let settings = self
                    .client
                    .settings()
                    .await
                    .map_err(|e| sink_error(&e, false))?;
                settings.settings.date_format.ok_or_else(|| {
                    SinkError::new(
                        SinkErrorKind::Failed,
                        "the account settings name no date format; set `date_format` in \
                         [assetpanda]",
                    )
                })
            })
            .await?;
        Ok(format.clone())
    }

    fn list_objects<'a>(&'a self, group_id: u64) -> ObjectStream<'a> {
        self.client
            .objects(group_id as i64)
            .search()
            .archived(Archived::Include)
            .stream()
            .map(|item| match item {
                Ok(object) => target_object(object),
                Err(e) => Err(sink_error(&e, false)),
            })
            .boxed()
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
            .map_err(|e| sink_error(&e, true))?;
        // NB: the create answer is not documented. One that does not list every object
        // sent may have stored any of them: the engine must re-read before sending again.
        if outcome.objects.len() != objects.len() {
            return Err(SinkError::new(
                SinkErrorKind::OutcomeUnknown,
                format!(
                    "the create answer listed {} of the {} objects sent",
                    outcome.objects.len(),
                    objects.len()
                ),
            ));
        }
        Ok(outcomes(&outcome, objects.len()))
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
            .map_err(|e| sink_error(&e, false))?;
        Ok(outcomes(&outcome, updates.len()))
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
        self.client
            .objects(group_id as i64)
            .archive(ids.iter().cloned(), stop_date)
            .await
            .map_err(|e| sink_error(&e, false))
    }

    async fn unarchive_objects(&self, group_id: u64, ids: &[String]) -> Result<(), SinkError> {
        if ids.len() > MAX_BATCH {
            return Err(too_many(ids.len()));
        }
        self.client
            .objects(group_id as i64)
            .unarchive(ids.iter().cloned())
            .await
            .map_err(|e| sink_error(&e, false))
    }
}
