//! The source side of the engine: ConnectWise records as JSON.

use std::fmt;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use futures::stream::BoxStream;
use serde_json::Value;

use crate::entity::Entity;
use crate::filter::RenderedFilter;

/// What the engine asks a [`Source`] to list.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchRequest {
    /// The job's name (for logs and error messages).
    pub job: String,
    /// The entity to read.
    pub entity: Entity,
    /// The filter to send: each of the three texts goes, when present, into its own query
    /// parameter exactly as given (`conditions`, `childConditions`, `customFieldConditions`).
    /// For an incremental run, `conditions` already ends with `lastUpdated>=[…]`: do not
    /// add it again. `local_only` lists what the engine checks itself; ignore it.
    pub filter: RenderedFilter,
    /// The fields to project (`fields=` parameter, comma-joined). Always holds `id` and
    /// `_info/lastUpdated`. Never send `fields=*`.
    pub fields: Vec<String>,
    /// Set for an incremental run: the watermark the `conditions` text already filters on.
    /// Informational.
    pub updated_since: Option<DateTime<Utc>>,
}

/// What the engine asks a [`Source`] to re-read.
#[derive(Debug, Clone, PartialEq)]
pub struct RereadRequest {
    /// The job's name.
    pub job: String,
    /// The entity to read.
    pub entity: Entity,
    /// The ids to read, **without** the job's filter: `conditions=id in (…)`. The engine
    /// sends batches of a configurable size (100 by default); a source whose URL limit is
    /// tighter splits further and merges the results.
    pub ids: Vec<i64>,
    /// The fields to project, as in [`FetchRequest::fields`].
    pub fields: Vec<String>,
}

/// What the engine asks a [`Source`] to list as ids only (incremental runs).
#[derive(Debug, Clone, PartialEq)]
pub struct IdListRequest {
    /// The job's name.
    pub job: String,
    /// The entity to read.
    pub entity: Entity,
    /// The job's filter, as in [`FetchRequest::filter`] but without any `lastUpdated` part.
    pub filter: RenderedFilter,
}

/// How a source error affects the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SourceErrorKind {
    /// One item of a listing could not be read (no `id`, undecodable); the stream goes on.
    Item,
    /// The listing broke off (after retries): no further items will come.
    Fetch,
    /// The collection cannot be read at all: permission denied (403) or endpoint
    /// unavailable (404).
    Forbidden,
    /// The request was refused as invalid (a 400 such as `ApiFindCondition`).
    BadRequest,
}

/// An error from a [`Source`]. Its message must hold no secret.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SourceError {
    /// How it affects the run.
    pub kind: SourceErrorKind,
    /// What went wrong, for the report (the vendor's message is welcome).
    pub message: String,
    /// Which request failed, when known (`GET /company/configurations, request 9 after id
    /// 2200`).
    pub request: Option<String>,
    /// The underlying error.
    #[source]
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl SourceError {
    /// An error of the given kind with a message.
    pub fn new(kind: SourceErrorKind, message: impl Into<String>) -> Self {
        SourceError {
            kind,
            message: message.into(),
            request: None,
            source: None,
        }
    }

    /// Names the failing request.
    pub fn with_request(mut self, request: impl Into<String>) -> Self {
        self.request = Some(request.into());
        self
    }

    /// Keeps the underlying error.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// The message followed by the failing request, when known.
    pub fn describe(&self) -> String {
        match &self.request {
            Some(request) => format!("{} ({request})", self.message),
            None => self.message.clone(),
        }
    }
}

/// A stream of records (or of per-item and fatal errors).
pub type RecordStream<'a> = BoxStream<'a, Result<Value, SourceError>>;

/// A stream of ids.
pub type IdStream<'a> = BoxStream<'a, Result<i64, SourceError>>;

/// Where records come from: a ConnectWise client, or an in-memory list in tests.
///
/// Streams report errors as items: an error of kind [`SourceErrorKind::Item`] skips one
/// record and the stream goes on; any other kind ends the listing (the engine stops reading
/// after it, marks the group `incomplete` if records were already read, or `failed` if
/// none were, and archives nothing).
///
/// A source of records held in memory:
///
/// ```
/// use cw_ap_mapping::{
///     async_trait, FetchRequest, IdListRequest, IdStream, RecordStream, RereadRequest, Source,
///     SourceError,
/// };
/// use futures::stream::{self, StreamExt};
/// use serde_json::Value;
///
/// struct Records(Vec<Value>);
///
/// #[async_trait]
/// impl Source for Records {
///     fn fetch<'a>(&'a self, _request: &'a FetchRequest) -> RecordStream<'a> {
///         stream::iter(self.0.iter().cloned().map(Ok)).boxed()
///     }
///
///     async fn reread(&self, request: &RereadRequest) -> Result<Vec<Value>, SourceError> {
///         let wanted = |r: &&Value| r["id"].as_i64().is_some_and(|id| request.ids.contains(&id));
///         Ok(self.0.iter().filter(wanted).cloned().collect())
///     }
///
///     fn list_ids<'a>(&'a self, _request: &'a IdListRequest) -> IdStream<'a> {
///         stream::iter(self.0.iter().filter_map(|r| r["id"].as_i64()).map(Ok)).boxed()
///     }
/// }
/// ```
#[async_trait]
pub trait Source: Send + Sync {
    /// Streams the records of an entity that match the pushed-down filter, projected to the
    /// requested fields, each as the JSON object the API returned. A full listing should
    /// read forward-only (keyset paging) so that a changing collection neither skips nor
    /// repeats records.
    fn fetch<'a>(&'a self, request: &'a FetchRequest) -> RecordStream<'a>;

    /// Reads the records with the given ids, ignoring the job's filter, to tell a record
    /// that left the filter (returned) from one deleted at source (not returned). Returns
    /// the records found, in any order; an `Err` leaves every id of the batch unverified.
    async fn reread(&self, request: &RereadRequest) -> Result<Vec<Value>, SourceError>;

    /// Streams the ids of every record matching the filter (`fields=id`), for an
    /// incremental run to find deletions.
    fn list_ids<'a>(&'a self, request: &'a IdListRequest) -> IdStream<'a>;
}

#[async_trait]
impl<T: Source + ?Sized> Source for std::sync::Arc<T> {
    fn fetch<'a>(&'a self, request: &'a FetchRequest) -> RecordStream<'a> {
        (**self).fetch(request)
    }

    async fn reread(&self, request: &RereadRequest) -> Result<Vec<Value>, SourceError> {
        (**self).reread(request).await
    }

    fn list_ids<'a>(&'a self, request: &'a IdListRequest) -> IdStream<'a> {
        (**self).list_ids(request)
    }
}

impl fmt::Display for SourceErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SourceErrorKind::Item => "item",
            SourceErrorKind::Fetch => "fetch",
            SourceErrorKind::Forbidden => "forbidden",
            SourceErrorKind::BadRequest => "bad request",
        })
    }
}
