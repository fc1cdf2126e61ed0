//! The sink side of the engine: Asset Panda groups and objects.

use std::collections::BTreeMap;

use async_trait::async_trait;
use chrono::NaiveDate;
use futures::stream::BoxStream;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::target::{GroupRef, TargetGroup, TargetObject};

/// The most objects one create, update, archive or unarchive call may carry.
pub const MAX_BATCH: usize = 200;

/// A new object to create: field key → value (values are strings; `""` clears).
pub type NewObject = BTreeMap<String, Value>;

/// An update of one object: only the fields that change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectUpdate {
    /// The object id.
    pub id: String,
    /// Field key → new value.
    pub fields: BTreeMap<String, Value>,
}

/// A server's message about one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldMessage {
    /// The field key (`field_10`), when the server named one.
    pub field: Option<String>,
    /// The message ("Serial Number is required").
    pub message: String,
}

/// The outcome of one object in a create or update batch that the server answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ObjectOutcome {
    /// Written; for a create, the new object's id when the server returned it.
    Written {
        /// The object's id.
        id: Option<String>,
    },
    /// Refused by the server for this object only.
    Rejected {
        /// The server's messages.
        messages: Vec<FieldMessage>,
    },
}

/// What a sink error says about the write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SinkErrorKind {
    /// The request may have reached the server and been applied, in whole or in part (a
    /// timeout or reset after sending, a 5xx on a POST). The engine re-reads the affected
    /// match keys before sending anything again.
    OutcomeUnknown,
    /// The request was certainly not applied (refused before sending, 401/403/404, retries
    /// exhausted on an idempotent call).
    Failed,
    /// The server refused the batch as invalid (a 422). Some of its objects may be fine: the
    /// engine re-reads, then splits the batch to find the rejected objects.
    Rejected,
}

/// An error from a [`Sink`]. Its message must hold no secret.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SinkError {
    /// What the error says about the write.
    pub kind: SinkErrorKind,
    /// What went wrong.
    pub message: String,
    /// The HTTP status, when there was one.
    pub status: Option<u16>,
    /// Per-field messages of a rejection.
    pub fields: Vec<FieldMessage>,
    /// The underlying error.
    #[source]
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl SinkError {
    /// An error of the given kind with a message.
    pub fn new(kind: SinkErrorKind, message: impl Into<String>) -> Self {
        SinkError {
            kind,
            message: message.into(),
            status: None,
            fields: Vec::new(),
            source: None,
        }
    }

    /// A 422 rejection with its per-field messages.
    pub fn rejected(message: impl Into<String>, fields: Vec<FieldMessage>) -> Self {
        SinkError {
            status: Some(422),
            fields,
            ..SinkError::new(SinkErrorKind::Rejected, message)
        }
    }

    /// Sets the HTTP status.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Keeps the underlying error.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }
}

/// A stream of target objects.
pub type ObjectStream<'a> = BoxStream<'a, Result<TargetObject, SinkError>>;

/// Where objects go: an Asset Panda client, or an in-memory group in tests.
#[async_trait]
pub trait Sink: Send + Sync {
    /// Resolves a group by id or name, with its fields (key, name, kind, required, unique)
    /// and statuses. A name matches exactly first, then ignoring case.
    async fn resolve_group(&self, group: &GroupRef) -> Result<TargetGroup, SinkError>;

    /// The account's date format as Asset Panda spells it (`MM/DD/YYYY`).
    async fn date_format(&self) -> Result<String, SinkError>;

    /// Streams every object of the group, **archived ones included** (their
    /// [`TargetObject::archived`] set), so that a record that comes back is unarchived
    /// instead of created again. Values may come from `data` or from the top level.
    fn list_objects<'a>(&'a self, group_id: u64) -> ObjectStream<'a>;

    /// The objects (archived ones included) whose field `field_key` holds one of `values`
    /// exactly. Used after a write whose outcome is unknown, to see what was stored.
    async fn find_objects(
        &self,
        group_id: u64,
        field_key: &str,
        values: &[String],
    ) -> Result<Vec<TargetObject>, SinkError>;

    /// Creates at most [`MAX_BATCH`] objects. On success, returns one outcome per object,
    /// in order. A sink that cannot tell per-object outcomes returns `Written` for all.
    async fn create_objects(
        &self,
        group_id: u64,
        objects: &[NewObject],
    ) -> Result<Vec<ObjectOutcome>, SinkError>;

    /// Updates at most [`MAX_BATCH`] objects (only the fields given). Outcomes as for
    /// [`Sink::create_objects`].
    async fn update_objects(
        &self,
        group_id: u64,
        updates: &[ObjectUpdate],
    ) -> Result<Vec<ObjectOutcome>, SinkError>;

    /// Archives at most [`MAX_BATCH`] objects with the given stop date. Idempotent.
    async fn archive_objects(
        &self,
        group_id: u64,
        ids: &[String],
        stop_date: NaiveDate,
    ) -> Result<(), SinkError>;

    /// Unarchives at most [`MAX_BATCH`] objects. Idempotent.
    async fn unarchive_objects(&self, group_id: u64, ids: &[String]) -> Result<(), SinkError>;
}

#[async_trait]
impl<T: Sink + ?Sized> Sink for std::sync::Arc<T> {
    async fn resolve_group(&self, group: &GroupRef) -> Result<TargetGroup, SinkError> {
        (**self).resolve_group(group).await
    }

    async fn date_format(&self) -> Result<String, SinkError> {
        (**self).date_format().await
    }

    fn list_objects<'a>(&'a self, group_id: u64) -> ObjectStream<'a> {
        (**self).list_objects(group_id)
    }

    async fn find_objects(
        &self,
        group_id: u64,
        field_key: &str,
        values: &[String],
    ) -> Result<Vec<TargetObject>, SinkError> {
        (**self).find_objects(group_id, field_key, values).await
    }

    async fn create_objects(
        &self,
        group_id: u64,
        objects: &[NewObject],
    ) -> Result<Vec<ObjectOutcome>, SinkError> {
        (**self).create_objects(group_id, objects).await
    }

    async fn update_objects(
        &self,
        group_id: u64,
        updates: &[ObjectUpdate],
    ) -> Result<Vec<ObjectOutcome>, SinkError> {
        (**self).update_objects(group_id, updates).await
    }

    async fn archive_objects(
        &self,
        group_id: u64,
        ids: &[String],
        stop_date: NaiveDate,
    ) -> Result<(), SinkError> {
        (**self).archive_objects(group_id, ids, stop_date).await
    }

    async fn unarchive_objects(&self, group_id: u64, ids: &[String]) -> Result<(), SinkError> {
        (**self).unarchive_objects(group_id, ids).await
    }
}
