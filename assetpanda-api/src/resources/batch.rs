//! Creating and updating many objects: batches of at most 200, and reports per batch.

use std::ops::Range;

use http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::error::{Error, FieldError, Result};
use crate::models::objects::{FieldMap, ObjectUpdate, WriteOutcome};
use crate::resources::objects::{Objects, MAX_BATCH};
use crate::retry::RequestClass;

impl Objects {
    /// Creates up to 200 objects in one request (`POST /v3/groups/{id}/objects` with
    /// `{"objects": [...]}`). More than 200 is [`Error::BatchTooLarge`] and nothing is
    /// sent; an empty batch sends nothing. Never retried once it may have reached the
    /// server: after a failure, the outcome of each object is unknown.
    pub async fn create_batch(&self, objects: Vec<FieldMap>) -> Result<WriteOutcome> {
        check_size(objects.len())?;
        if objects.is_empty() {
            return Ok(WriteOutcome::default());
        }

        let body = json!({ "objects": objects });
        self.write(
            Method::POST,
            self.path("objects"),
            RequestClass::Unsafe,
            body,
        )
        .await
    }

    /// Creates any number of objects in batches of at most 200, one request each, and
    /// reports every batch's outcome. A failed batch does not stop the next ones.
    pub async fn create_many(&self, objects: Vec<FieldMap>) -> BatchReport {
        let mut report = BatchReport::default();
        let mut start = 0;
        let mut rest = objects.into_iter().peekable();

        while rest.peek().is_some() {
            let batch: Vec<FieldMap> = rest.by_ref().take(MAX_BATCH).collect();
            let range = start..start + batch.len();
            start = range.end;

            let result = self.create_batch(batch).await;
            report.batches.push(BatchResult { range, result });
        }
        report
    }

    /// Updates up to 200 objects in one request (`PUT /v3/groups/{id}/objects` with
    /// `{"objects": [{"id": ..., ...}]}`). More than 200 is [`Error::BatchTooLarge`] and
    /// nothing is sent; an empty batch sends nothing.
    pub async fn update_batch(&self, updates: Vec<ObjectUpdate>) -> Result<WriteOutcome> {
        check_size(updates.len())?;
        if updates.is_empty() {
            return Ok(WriteOutcome::default());
        }

        let body = json!({ "objects": updates });
        self.write(
            Method::PUT,
            self.path("objects"),
            RequestClass::Idempotent,
            body,
        )
        .await
    }

    /// Updates any number of objects in batches of at most 200 and reports every batch's
    /// outcome.
    pub async fn update_many(&self, updates: Vec<ObjectUpdate>) -> BatchReport {
        let mut report = BatchReport::default();
        let mut start = 0;
        let mut rest = updates.into_iter().peekable();

        while rest.peek().is_some() {
            let batch: Vec<ObjectUpdate> = rest.by_ref().take(MAX_BATCH).collect();
            let range = start..start + batch.len();
            start = range.end;

            let result = self.update_batch(batch).await;
            report.batches.push(BatchResult { range, result });
        }
        report
    }
}

fn check_size(len: usize) -> Result<()> {
    if len > MAX_BATCH {
        return Err(Error::BatchTooLarge {
            len,
            max: MAX_BATCH,
        });
    }
    Ok(())
}

/// The outcome of every batch of a `create_many` or `update_many`.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct BatchReport {
    /// One entry per request, in input order.
    pub batches: Vec<BatchResult>,
}

impl BatchReport {
    /// True when every batch succeeded.
    pub fn all_succeeded(&self) -> bool {
        self.batches.iter().all(|b| b.result.is_ok())
    }

    /// The batches that failed.
    pub fn failures(&self) -> impl Iterator<Item = &BatchResult> {
        self.batches.iter().filter(|b| b.result.is_err())
    }

    /// Every object the server said it rejected, over all failed batches.
    pub fn rejections(&self) -> Vec<Rejection> {
        self.batches
            .iter()
            .flat_map(BatchResult::rejections)
            .collect()
    }
}

/// The outcome of one batch request.
#[derive(Debug)]
#[non_exhaustive]
pub struct BatchResult {
    /// Positions of the batch's objects in the input.
    pub range: Range<usize>,
    /// What the request returned. After a failure the outcome of each object in the batch
    /// is unknown: the server may have stored some of them.
    pub result: Result<WriteOutcome>,
}

/// Objects the server rejected, with its reasons.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Rejection {
    /// Position of the rejected object in the input, when the answer says which one;
    /// `None` when the reasons could not be tied to one object of the batch.
    pub index: Option<usize>,
    /// Positions of the batch the reasons belong to.
    pub batch: Range<usize>,
    /// The server's messages, by field.
    pub errors: Vec<FieldError>,
}

impl BatchResult {
    /// The objects the server rejected and why, read from a 422 answer.
    ///
    /// When the `errors` array has one entry per object of the batch, entry `i` belongs to
    /// object `i`, and objects whose entry is empty are not listed. Otherwise the messages
    /// are reported against the batch as a whole (`index: None`).
    pub fn rejections(&self) -> Vec<Rejection> {
        let Err(error) = &self.result else {
            return Vec::new();
        };
        let Some(api) = error.api() else {
            return Vec::new();
        };
        if api.status != StatusCode::UNPROCESSABLE_ENTITY || api.field_errors.is_empty() {
            return Vec::new();
        }

        let entries = api
            .body
            .as_ref()
            .and_then(|b| b.get("errors"))
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        if entries != self.range.len() || entries < 2 {
            return vec![Rejection {
                index: (self.range.len() == 1).then_some(self.range.start),
                batch: self.range.clone(),
                errors: api.field_errors.clone(),
            }];
        }

        (0..entries)
            .filter_map(|entry| {
                let errors: Vec<FieldError> = api.entry_errors(entry).cloned().collect();
                (!errors.is_empty()).then(|| Rejection {
                    index: Some(self.range.start + entry),
                    batch: self.range.clone(),
                    errors,
                })
            })
            .collect()
    }
}
