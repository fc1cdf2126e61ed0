//! Objects of one group: search, read, create, update, archive.

use chrono::{DateTime, NaiveDate, Utc};
use futures::stream::BoxStream;
use http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::client::{Client, SearchPath, UpdateMethod};
use crate::error::{Error, Result};
use crate::models::ids::{GroupId, ObjectId};
use crate::models::objects::{FieldMap, Object, WriteOutcome};
use crate::models::search::{Archived, RawPage, SearchFilter, SearchPage};
use crate::request::Request;
use crate::response::decode;
use crate::retry::RequestClass;

/// The most objects one create, update or archive request may carry.
pub const MAX_BATCH: usize = 200;

/// Calls about the objects of one group; get one with [`Client::objects`].
#[derive(Debug, Clone)]
pub struct Objects {
    pub(crate) client: Client,
    pub(crate) group: GroupId,
}

impl Client {
    /// Calls about the objects of a group.
    ///
    /// ```no_run
    /// # async fn run(client: assetpanda_api::Client) -> assetpanda_api::Result<()> {
    /// use futures::TryStreamExt;
    ///
    /// let devices = client.objects(204820);
    /// let mut all = devices.search().field_filter("field_14", "1542").stream();
    /// while let Some(object) = all.try_next().await? {
    ///     println!("{:?} {:?}", object.id, object.text("field_1"));
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn objects(&self, group: impl Into<GroupId>) -> Objects {
        Objects {
            client: self.clone(),
            group: group.into(),
        }
    }
}

impl Objects {
    /// The group these calls are about.
    pub fn group(&self) -> GroupId {
        self.group
    }

    /// Starts a search of the group; see [`Search`].
    pub fn search(&self) -> Search {
        Search {
            objects: self.clone(),
            filter: SearchFilter::default(),
            offset: 0,
            limit: self.client.page_size(),
        }
    }

    /// Reads one object, archived or not, by searching for its id. `None` when the server
    /// does not return it.
    pub async fn get(&self, id: impl Into<ObjectId>) -> Result<Option<Object>> {
        let id = id.into();
        let page = self
            .search()
            .id(id.clone())
            .archived(Archived::Include)
            .send()
            .await?;

        Ok(page
            .objects
            .into_iter()
            .find(|o| o.id.as_ref() == Some(&id)))
    }

    /// The objects, archived or not, whose `key` really holds `value`: a `field_filters`
    /// search (whose matching may be partial) checked client-side after trimming and
    /// case-folding both sides. More than one result is a conflict for the caller to
    /// report, never a reason to pick the first.
    pub async fn find_matches(&self, key: &str, value: &str) -> Result<Vec<Object>> {
        let wanted = fold(value);
        let search = self
            .search()
            .field_filter(key, value)
            .archived(Archived::Include);

        let mut matches = Vec::new();
        let mut all = search.stream();
        while let Some(object) = futures::TryStreamExt::try_next(&mut all).await? {
            if object.text(key).is_some_and(|text| fold(&text) == wanted) {
                matches.push(object);
            }
        }
        Ok(matches)
    }

    /// Creates one object (`POST /v3/groups/{id}/objects` with a flat body). Never retried
    /// once it may have reached the server.
    pub async fn create(&self, fields: FieldMap) -> Result<WriteOutcome> {
        let body = Value::Object(fields.0);
        self.write(
            Method::POST,
            self.path("objects"),
            RequestClass::Unsafe,
            body,
        )
        .await
    }

    /// Updates one object with a flat body: `PATCH /v3/groups/{gid}/objects/{oid}` by
    /// default, or PUT when the client was built so. Only the given keys change.
    pub async fn update(&self, id: impl Into<ObjectId>, fields: FieldMap) -> Result<WriteOutcome> {
        let id = id.into();
        let method = match self.client.inner.update_method {
            UpdateMethod::Patch => Method::PATCH,
            UpdateMethod::Put => Method::PUT,
        };
        let path = self.path(&format!("objects/{}", encode(id.as_str())));

        self.write(
            method,
            path,
            RequestClass::Idempotent,
            Value::Object(fields.0),
        )
        .await
    }

    /// Archives objects (`POST /v3/groups/{id}/objects/archive`) with a stop date written
    /// in the account's date format. More than 200 ids go in several requests.
    pub async fn archive<I>(&self, ids: I, stop_date: NaiveDate) -> Result<()>
    where
        I: IntoIterator,
        I::Item: Into<ObjectId>,
    {
        let ids: Vec<ObjectId> = ids.into_iter().map(Into::into).collect();
        if ids.is_empty() {
            return Ok(());
        }
        let stop_date = self.client.date_format().await?.format(stop_date);

        for chunk in ids.chunks(MAX_BATCH) {
            let body = json!({ "object_ids": chunk, "stop_date": stop_date });
            let path = self.path("objects/archive");
            self.write(Method::POST, path, RequestClass::Idempotent, body)
                .await?;
        }
        Ok(())
    }

    /// Unarchives objects (`POST /v3/groups/{id}/objects/unarchive` with
    /// `{"object_ids": [...]}`). More than 200 ids go in several requests.
    pub async fn unarchive<I>(&self, ids: I) -> Result<()>
    where
        I: IntoIterator,
        I::Item: Into<ObjectId>,
    {
        let ids: Vec<ObjectId> = ids.into_iter().map(Into::into).collect();
        for chunk in ids.chunks(MAX_BATCH) {
            let body = json!({ "object_ids": chunk });
            let path = self.path("objects/unarchive");
            self.write(Method::POST, path, RequestClass::Idempotent, body)
                .await?;
        }
        Ok(())
    }

    pub(crate) fn path(&self, rest: &str) -> String {
        format!("/v3/groups/{}/{rest}", self.group)
    }

    pub(crate) async fn write(
        &self,
        method: Method,
        path: String,
        class: RequestClass,
        body: Value,
    ) -> Result<WriteOutcome> {
        let request = Request::new(method, path, class).json(body).allow_empty();
        let response = self.client.execute(&request).await?;

        let raw: Value = decode(&request.method, &request.path, &response.body)?;
        Ok(WriteOutcome::from_raw(raw))
    }

    /// Fetches one page, trying the other search path once when the default answers 404.
    pub(crate) async fn search_page(
        &self,
        body: &Value,
        offset: u64,
        limit: u32,
    ) -> Result<SearchPage> {
        let inner = &self.client.inner;
        let learned = *inner
            .learned_search_path
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let chosen = inner
            .search_path
            .or(learned)
            .unwrap_or(SearchPath::SearchObjects);

        let first = self.page_at(chosen, body, offset, limit).await;
        let may_fall_back = inner.search_path.is_none() && learned.is_none();
        let (used, result) = match first {
            Err(e) if may_fall_back && e.status() == Some(StatusCode::NOT_FOUND) => {
                tracing::info!(group = %self.group, "search path not found; trying the other form");
                let other = chosen.other();
                (other, self.page_at(other, body, offset, limit).await)
            }
            other => (chosen, other),
        };

        if result.is_ok() && inner.search_path.is_none() {
            *inner
                .learned_search_path
                .lock()
                .unwrap_or_else(|e| e.into_inner()) = Some(used);
        }
        result
    }

    async fn page_at(
        &self,
        path: SearchPath,
        body: &Value,
        offset: u64,
        limit: u32,
    ) -> Result<SearchPage> {
        let mut request = Request::new(Method::POST, self.path(path.suffix()), RequestClass::Read)
            .json(body.clone());
        request.query = vec![("offset", offset.to_string()), ("limit", limit.to_string())];
        let response = self.client.execute(&request).await?;

        let mut raw: RawPage = decode(&request.method, &request.path, &response.body)?;
        let Some((key, items)) = raw.take_list() else {
            if raw.reports_no_match() {
                // NB: a server may send `"objects": null` with a total of 0.
                return Ok(raw.into_page(Vec::new(), offset, limit));
            }
            return Err(decode_failure(
                &request,
                &response.body,
                ".",
                "no `objects`, `data` or `results` array",
            ));
        };

        let mut objects = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            let object = serde_json::from_value::<Object>(item).map_err(|e| {
                decode_failure(
                    &request,
                    &response.body,
                    &format!("{key}[{i}]"),
                    &e.to_string(),
                )
            })?;
            objects.push(object);
        }
        Ok(raw.into_page(objects, offset, limit))
    }
}

fn decode_failure(request: &Request, body: &[u8], json_path: &str, what: &str) -> Error {
    use serde::de::Error as _;
    Error::Decode {
        method: request.method.clone(),
        path: request.path.clone(),
        json_path: json_path.to_owned(),
        snippet: crate::error::snippet(body),
        source: serde_json::Error::custom(what),
    }
}

/// Trims and case-folds text for comparing match keys.
fn fold(text: &str) -> String {
    text.trim().to_lowercase()
}

/// Percent-encodes one path segment.
fn encode(segment: &str) -> String {
    percent_encoding::utf8_percent_encode(segment, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// A search of one group, built step by step; it owns its data, so it can be kept and
/// sent later. Every page re-sends every filter.
#[derive(Debug, Clone)]
#[must_use = "a search does nothing until sent or streamed"]
pub struct Search {
    pub(crate) objects: Objects,
    pub(crate) filter: SearchFilter,
    pub(crate) offset: u64,
    pub(crate) limit: u32,
}

impl Search {
    /// Matches a field's value (`field_filters`). Exact or partial matching is not
    /// documented: compare the returned values before trusting a match.
    pub fn field_filter(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.filter
            .field_filters
            .insert(key.into(), Value::String(value.into()));
        self
    }

    /// Free-text search.
    pub fn text(mut self, query: impl Into<String>) -> Self {
        self.filter.search = Some(query.into());
        self
    }

    /// Only this object (may be called several times).
    pub fn id(mut self, id: impl Into<ObjectId>) -> Self {
        self.filter.ids.push(id.into());
        self
    }

    /// Only these objects.
    pub fn ids<I>(mut self, ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<ObjectId>,
    {
        self.filter.ids.extend(ids.into_iter().map(Into::into));
        self
    }

    /// Objects changed at or after `since`.
    pub fn modified_since(mut self, since: DateTime<Utc>) -> Self {
        self.filter.modified_since = Some(since);
        self
    }

    /// Objects changed at or before `until`.
    pub fn modified_until(mut self, until: DateTime<Utc>) -> Self {
        self.filter.modified_until = Some(until);
        self
    }

    /// Which objects to return with respect to archiving (default: live ones only).
    pub fn archived(mut self, archived: Archived) -> Self {
        self.filter.archived = archived;
        self
    }

    /// Starts at this offset (0-based; default 0).
    pub fn offset(mut self, offset: u64) -> Self {
        self.offset = offset;
        self
    }

    /// Asks for this many objects per page (the client's page size by default). The
    /// server may send fewer.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = limit;
        self
    }

    /// The filters as they stand.
    pub fn filter(&self) -> &SearchFilter {
        &self.filter
    }

    /// Fetches one page at the configured offset.
    pub async fn send(self) -> Result<SearchPage> {
        check_limit(self.limit)?;
        let body = self.filter.to_body();

        self.objects
            .search_page(&body, self.offset, self.limit)
            .await
    }

    /// Every matching object from the configured offset on, page by page; see the crate
    /// docs for how paging advances and stops.
    pub fn stream(self) -> BoxStream<'static, Result<Object>> {
        crate::pagination::stream(self)
    }
}

pub(crate) fn check_limit(limit: u32) -> Result<()> {
    if limit == 0 {
        return Err(Error::config("a search limit must be above zero"));
    }
    Ok(())
}
