//! Resource handlers: one shape of call for every area.

mod agreements;
mod catalog;
mod companies;
mod configurations;
mod tickets;

use std::fmt;
use std::marker::PhantomData;

use http::Method;
use serde::Serialize;

use crate::client::Client;
use crate::conditions::{encode_component, Condition};
use crate::error::{Error, Result};
use crate::models::{patch_class, Count, PatchOp};
use crate::pagination::{ListItem, ListRequest};
use crate::retry::RequestClass;

/// The calls of one collection, e.g. `client.companies()`.
pub struct Resource<T> {
    client: Client,
    path: &'static str,
    _item: PhantomData<fn() -> T>,
}

impl<T> Clone for Resource<T> {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
            path: self.path,
            _item: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Resource<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Resource")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl<T: ListItem> Resource<T> {
    pub(crate) fn new(client: &Client, path: &'static str) -> Self {
        Self {
            client: client.clone(),
            path,
            _item: PhantomData,
        }
    }

    pub(crate) fn client(&self) -> &Client {
        &self.client
    }

    /// The collection's API path, e.g. `/company/companies`.
    pub fn path(&self) -> &'static str {
        self.path
    }

    fn record_path(&self, id: i32) -> String {
        format!("{}/{id}", self.path)
    }

    /// Reads one record.
    pub async fn get(&self, id: i32) -> Result<T> {
        self.client.get_decoded(&self.record_path(id), "").await
    }

    /// Starts a list request; finish with `.send()` for a page or `.stream()` for all.
    pub fn list(&self) -> ListRequest<T> {
        self.client.list_of(self.path)
    }

    /// Counts the records matching a condition (typed or raw text).
    pub async fn count(&self, conditions: impl Into<Condition>) -> Result<u64> {
        let text = conditions.into().render()?;
        let query = format!("conditions={}", encode_component(&text));
        self.count_query(&query).await
    }

    /// Counts every record.
    pub async fn count_all(&self) -> Result<u64> {
        self.count_query("").await
    }

    async fn count_query(&self, query: &str) -> Result<u64> {
        let path = format!("{}/count", self.path);
        let count: Count = self.client.get_decoded(&path, query).await?;
        Ok(count.count)
    }

    /// Creates a record (POST) and returns it as the server stored it. Unset fields are
    /// left out of the body. A create is never resent once it may have reached the server.
    pub async fn create<B: Serialize + ?Sized>(&self, body: &B) -> Result<T> {
        let body = to_json(body)?;
        self.client
            .send_json(Method::POST, self.path, RequestClass::NonIdempotent, body)
            .await
    }

    /// Applies patch operations to a record and returns it updated.
    pub async fn patch(&self, id: i32, ops: impl IntoIterator<Item = PatchOp>) -> Result<T> {
        let ops: Vec<PatchOp> = ops.into_iter().collect();
        if ops.is_empty() {
            return Err(Error::InvalidRequest {
                reason: "a patch needs an operation".into(),
            });
        }
        for op in &ops {
            op.check()?;
        }
        let class = patch_class(&ops);
        let body = to_json(&ops)?;
        self.client
            .send_json(Method::PATCH, &self.record_path(id), class, body)
            .await
    }

    /// Replaces a whole record (PUT). Fields left out are reset by the server, so read
    /// the record, change it and send all of it back; prefer [`patch`](Self::patch).
    pub async fn update<B: Serialize + ?Sized>(&self, id: i32, body: &B) -> Result<T> {
        let body = to_json(body)?;
        let path = self.record_path(id);
        self.client
            .send_json(Method::PUT, &path, RequestClass::IdempotentWrite, body)
            .await
    }

    /// Deletes a record. A retried delete that then finds the record gone counts as done.
    pub async fn delete(&self, id: i32) -> Result<()> {
        self.client
            .send_no_content(Method::DELETE, &self.record_path(id))
            .await
    }
}

fn to_json<B: Serialize + ?Sized>(body: &B) -> Result<Vec<u8>> {
    serde_json::to_vec(body).map_err(|e| Error::InvalidRequest {
        reason: format!("the body cannot be written as JSON: {e}"),
    })
}
