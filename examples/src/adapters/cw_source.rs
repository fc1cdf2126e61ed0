//! The engine's [`Source`] over the ConnectWise client's raw JSON listings.
//!
//! Full listings read forward-only with the requested `fields` projection and the filter's
//! three parameters pushed down as written, as several id ranges at once when the listing
//! is longer than a page; re-reads go out as `id in (…)` queries split so every URL fits
//! the client's length limit, sent concurrently; id-only listings project `fields=id`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use async_trait::async_trait;
use connectwise_api::{ApiErrorKind, Client, Condition, Error as CwError, ListItem, ListRequest};
use cw_ap_mapping::filter::RenderedFilter;
use cw_ap_mapping::{
    FetchRequest, IdListRequest, IdStream, RecordStream, RereadRequest, Source, SourceError,
    SourceErrorKind,
};
use futures::{StreamExt, TryStreamExt};
use serde_json::Value;

/// A [`Source`] reading a ConnectWise account.
#[derive(Debug, Clone)]
pub struct CwSource {
    client: Client,
    page_size: u32,
    read_concurrency: usize,
    credentials_refused: Arc<AtomicBool>,
}

impl CwSource {
    /// A source over `client`, listing `page_size` records per request (1 to 1000), one
    /// request at a time.
    pub fn new(client: Client, page_size: u32) -> Self {
        CwSource {
            client,
            page_size: page_size.clamp(1, connectwise_api::MAX_PAGE_SIZE),
            read_concurrency: 1,
            credentials_refused: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Reads a full listing as up to `parts` id ranges at once, and sends up to `parts`
    /// re-read batches at once (at least 1). A listing of one page still costs one request;
    /// a longer one costs at most `parts` more than read in one range. The client's
    /// throttle holds the request rate whatever this is.
    pub fn with_read_concurrency(mut self, parts: usize) -> Self {
        self.read_concurrency = parts.max(1);
        self
    }

    /// The client inside.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Whether any request was answered 401 (the credentials were refused), which the
    /// command line reports as a credential problem rather than a failed group.
    pub fn credentials_refused(&self) -> bool {
        self.credentials_refused.load(Ordering::Relaxed)
    }

    fn filtered(&self, path: &str, filter: &RenderedFilter) -> ListRequest<Value> {
        let mut list = self.client.list_json(path).page_size(self.page_size);
        if let Some(c) = &filter.conditions {
            list = list.conditions(Condition::raw(c.clone()));
        }
        if let Some(c) = &filter.child_conditions {
            list = list.child_conditions(Condition::raw(c.clone()));
        }
        if let Some(c) = &filter.custom_field_conditions {
            list = list.custom_field_conditions(Condition::raw(c.clone()));
        }
        list
    }

    /// Turns a client error into the engine's kind, remembering a refused login.
    fn source_error(&self, error: CwError) -> SourceError {
        let kind = classify(&error);
        if error
            .api()
            .is_some_and(|a| a.kind() == ApiErrorKind::Unauthorized)
        {
            self.credentials_refused.store(true, Ordering::Relaxed);
        }
        SourceError::new(kind, describe(&error)).with_source(error)
    }
}

/// The engine's kind for a client error that ended a request.
pub fn classify(error: &CwError) -> SourceErrorKind {
    match error.api().map(|a| a.kind()) {
        Some(ApiErrorKind::Forbidden | ApiErrorKind::NotFound | ApiErrorKind::Unauthorized) => {
            SourceErrorKind::Forbidden
        }
        Some(ApiErrorKind::BadCondition | ApiErrorKind::Validation) => SourceErrorKind::BadRequest,
        _ => SourceErrorKind::Fetch,
    }
}

/// A one-line description of a client error for the run report: the vendor's words when
/// there are some, with the status.
pub fn describe(error: &CwError) -> String {
    match error.api() {
        Some(api) => {
            let what = match api.kind() {
                ApiErrorKind::Forbidden => "permission denied (403)".to_owned(),
                ApiErrorKind::NotFound => "endpoint unavailable (404)".to_owned(),
                ApiErrorKind::Unauthorized => "credentials refused (401)".to_owned(),
                _ => format!("status {}", api.status.as_u16()),
            };
            let message = api.message.as_deref().unwrap_or("no message");
            match &error {
                CwError::RetriesExhausted { attempts, .. } => {
                    format!("{what}: {message} (after {attempts} attempts)")
                }
                _ => format!("{what}: {message}"),
            }
        }
        None => error.to_string(),
    }
}

#[async_trait]
impl Source for CwSource {
    fn fetch<'a>(&'a self, request: &'a FetchRequest) -> RecordStream<'a> {
        let path = request.entity.api_path();
        let list = self
            .filtered(path, &request.filter)
            .fields(request.fields.iter().cloned())
            .forward_only();
        let page_size = u64::from(self.page_size);
        let parts = self.read_concurrency;
        let mut read = 0u64;
        let mut last_id: Option<i64> = None;

        // NB: the client's stream ends a range by itself after an error that breaks it.
        list.stream_partitioned(parts)
            .map(move |item| match item {
                Ok(value) => {
                    read += 1;
                    last_id = value.record_id().or(last_id);
                    Ok(value)
                }
                Err(error) => {
                    // NB: request numbers and the last id only say where a listing broke
                    // when it is read in one range, in id order.
                    let at = match (parts, last_id) {
                        (1, Some(id)) => {
                            format!("request {} after id {id}", read / page_size + 1)
                        }
                        (1, None) => format!("request {}", read / page_size + 1),
                        _ => format!("one of {parts} id ranges, {read} records read"),
                    };
                    Err(self
                        .source_error(error)
                        .with_request(format!("GET {path}, {at}")))
                }
            })
            .boxed()
    }

    async fn reread(&self, request: &RereadRequest) -> Result<Vec<Value>, SourceError> {
        if request.ids.is_empty() {
            return Ok(Vec::new());
        }
        let path = request.entity.api_path();
        let base = self
            .client
            .list_json(path)
            .page_size(connectwise_api::MAX_PAGE_SIZE)
            .fields(request.fields.iter().cloned());
        let batches = base
            .split_in("id", request.ids.iter().copied())
            .map_err(|e| self.source_error(e))?;

        let reads = batches
            .into_iter()
            .map(|batch| batch.stream().try_collect::<Vec<Value>>());
        let pages: Vec<Vec<Value>> = futures::stream::iter(reads)
            .buffer_unordered(self.read_concurrency)
            .try_collect()
            .await
            .map_err(|e| {
                self.source_error(e)
                    .with_request(format!("GET {path} (re-read)"))
            })?;
        Ok(pages.into_iter().flatten().collect())
    }

    fn list_ids<'a>(&'a self, request: &'a IdListRequest) -> IdStream<'a> {
        let path = request.entity.api_path();
        let list = self
            .filtered(path, &request.filter)
            .fields(["id"])
            .forward_only();
        list.stream()
            .map(move |item| match item {
                Ok(value) => value.record_id().ok_or_else(|| {
                    SourceError::new(SourceErrorKind::Item, "a listed record has no id")
                }),
                Err(error) => Err(self
                    .source_error(error)
                    .with_request(format!("GET {path} (ids only)"))),
            })
            .boxed()
    }
}
