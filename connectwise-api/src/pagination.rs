//! List requests: filters, one page at a time or a stream over every item.
//!
//! Page mode follows the `Link` header's `rel="next"` entry and rebuilds each request on
//! the client's own base URL with every filter of the first request. Forward-only mode
//! sends `pagination-type: forward-only` and walks by `pageId` (records in id order).

use std::collections::HashSet;
use std::marker::PhantomData;

use bytes::Bytes;
use futures::stream::{self, BoxStream, StreamExt};
use http::Method;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::client::Client;
use crate::conditions::{encode_component, split_in_list, Condition, Literal};
use crate::error::{snippet, ApiErrorKind, Error, Result};
use crate::request::{decode, Call, Expect};
use crate::retry::RequestClass;

/// The largest page size the server accepts.
pub const MAX_PAGE_SIZE: u32 = 1000;

/// A stream over every item of a listing; a failed item is an `Err` and the stream goes
/// on, a failed page is an `Err` that ends it.
pub type ItemStream<T> = BoxStream<'static, Result<T>>;

/// A record type that lists can yield.
pub trait ListItem: DeserializeOwned + Send + 'static {
    /// Whether an item without an `id` is refused (typed models) or kept (raw JSON).
    const REQUIRES_ID: bool;

    /// The record's `id`, when it has one.
    fn record_id(&self) -> Option<i64>;
}

impl ListItem for Value {
    const REQUIRES_ID: bool = false;

    fn record_id(&self) -> Option<i64> {
        match self.get("id")? {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
}

/// Where the next page is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Cursor {
    /// Navigable paging: the page number (1-based).
    Page(u64),
    /// Forward-only paging: the `pageId` (records with a larger id follow).
    PageId(i64),
}

/// One page of a listing.
#[derive(Debug)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items that decoded.
    pub items: Vec<T>,
    /// Items that did not decode (or lacked an `id`), one error each.
    pub rejected: Vec<Error>,
    /// The next page, or `None` at the end.
    pub next: Option<Cursor>,
    /// How many rows the server sent.
    pub rows: usize,
}

/// A list request. Every filter set here is sent on every page.
///
/// ```no_run
/// # async fn run(client: connectwise_api::Client) -> connectwise_api::Result<()> {
/// use connectwise_api::conditions::Condition;
/// use futures::TryStreamExt;
///
/// let tickets: Vec<_> = client
///     .tickets()
///     .list()
///     .conditions(Condition::eq("board/name", "Help Desk").and(Condition::eq("closedFlag", false)))
///     .order_by("id asc")
///     .page_size(500)
///     .stream()
///     .try_collect()
///     .await?;
/// # Ok(()) }
/// ```
pub struct ListRequest<T> {
    client: Client,
    path: String,
    conditions: Option<Condition>,
    child_conditions: Option<Condition>,
    custom_field_conditions: Option<Condition>,
    order_by: Option<String>,
    fields: Vec<String>,
    extra: Vec<(String, String)>,
    page_size: Option<u32>,
    forward_only: bool,
    _item: PhantomData<fn() -> T>,
}

impl<T> Clone for ListRequest<T> {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
            path: self.path.clone(),
            conditions: self.conditions.clone(),
            child_conditions: self.child_conditions.clone(),
            custom_field_conditions: self.custom_field_conditions.clone(),
            order_by: self.order_by.clone(),
            fields: self.fields.clone(),
            extra: self.extra.clone(),
            page_size: self.page_size,
            forward_only: self.forward_only,
            _item: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for ListRequest<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ListRequest")
            .field("path", &self.path)
            .field("conditions", &self.conditions)
            .field("order_by", &self.order_by)
            .field("fields", &self.fields)
            .field("page_size", &self.page_size)
            .field("forward_only", &self.forward_only)
            .finish_non_exhaustive()
    }
}

impl<T: ListItem> ListRequest<T> {
    pub(crate) fn new(client: Client, path: &str) -> Self {
        let path = format!("/{}", path.trim_start_matches('/'));
        Self {
            client,
            path,
            conditions: None,
            child_conditions: None,
            custom_field_conditions: None,
            order_by: None,
            fields: Vec::new(),
            extra: Vec::new(),
            page_size: None,
            forward_only: false,
            _item: PhantomData,
        }
    }

    /// The `conditions` filter: a typed [`Condition`] or raw text (sent as written). Called
    /// again, it adds to the filter with `and`.
    pub fn conditions(mut self, conditions: impl Into<Condition>) -> Self {
        self.conditions = Some(both(self.conditions.take(), conditions.into()));
        self
    }

    /// This request with its `conditions` filter replaced.
    fn replace_conditions(mut self, conditions: Condition) -> Self {
        self.conditions = Some(conditions);
        self
    }

    /// The `childConditions` filter (e.g. `types/id=1`); `in` lists become `or` chains.
    /// Called again, it adds to the filter with `and`.
    pub fn child_conditions(mut self, conditions: impl Into<Condition>) -> Self {
        self.child_conditions = Some(both(self.child_conditions.take(), conditions.into()));
        self
    }

    /// The `customFieldConditions` filter (e.g. `caption="Tier" and value="Gold"`). Called
    /// again, it adds to the filter with `and`.
    pub fn custom_field_conditions(mut self, conditions: impl Into<Condition>) -> Self {
        let earlier = self.custom_field_conditions.take();
        self.custom_field_conditions = Some(both(earlier, conditions.into()));
        self
    }

    /// Sort order, e.g. `id asc`; not allowed with [`forward_only`](Self::forward_only).
    pub fn order_by(mut self, order_by: impl Into<String>) -> Self {
        self.order_by = Some(order_by.into());
        self
    }

    /// Fields to return (a partial response); leave unset for every field. `id` is always
    /// asked for too, so each record can be told apart.
    pub fn fields<S: Into<String>>(mut self, fields: impl IntoIterator<Item = S>) -> Self {
        self.fields = fields.into_iter().map(Into::into).collect();
        self
    }

    /// Another query parameter sent on every page, e.g. `managedIdentifier`.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra.push((name.into(), value.into()));
        self
    }

    /// Rows per page, 1 to 1000 (default: the client's page size).
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = Some(page_size);
        self
    }

    /// Reads in id order with `pagination-type: forward-only`, stable over changing data.
    pub fn forward_only(mut self) -> Self {
        self.forward_only = true;
        self
    }

    /// The API path listed.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Splits `field in (values)` into several requests, each with this request's filters
    /// and a chunk of the list, so that every URL fits the client's length limit
    /// (the longest page number allowed for). An empty list gives no request.
    pub fn split_in<L: Into<Literal>>(
        &self,
        field: &str,
        values: impl IntoIterator<Item = L>,
    ) -> Result<Vec<Self>> {
        let with_placeholder = self
            .clone()
            .replace_conditions(self.combined(Condition::raw("x")));
        let longest = if self.forward_only {
            Cursor::PageId(i64::from(i32::MAX))
        } else {
            Cursor::Page(99_999)
        };
        let query = with_placeholder.query(self.effective_page_size()?, &longest)?;
        let url = self
            .client
            .url_for(&Call::api(Method::GET, &self.path, RequestClass::Read))?;
        // The placeholder stands alone as `x`, or is combined as `(x)` (`%28x%29`), while
        // an `in` list is combined without parentheses.
        let placeholder = if self.conditions.is_some() {
            "%28x%29".len()
        } else {
            1
        };
        let fixed = url.len() + 1 + query.len() - placeholder;
        let budget = self.client.max_url_len().saturating_sub(fixed);
        let chunks = split_in_list(field, values, budget)?;
        Ok(chunks
            .into_iter()
            .map(|chunk| self.clone().replace_conditions(self.combined(chunk)))
            .collect())
    }

    fn combined(&self, extra: Condition) -> Condition {
        match &self.conditions {
            Some(existing) => existing.clone().and(extra),
            None => extra,
        }
    }

    fn effective_page_size(&self) -> Result<u32> {
        let size = self.page_size.unwrap_or(self.client.default_page_size());
        if size > MAX_PAGE_SIZE {
            return Err(Error::PageSizeTooLarge {
                requested: size,
                max: MAX_PAGE_SIZE,
            });
        }
        if size == 0 {
            return Err(Error::InvalidRequest {
                reason: "page size 0".to_owned(),
            });
        }
        Ok(size)
    }

    /// The encoded query of one page; filters first, in a fixed order.
    fn query(&self, page_size: u32, cursor: &Cursor) -> Result<String> {
        let mut params: Vec<(&str, String)> = Vec::new();
        if let Some(c) = &self.conditions {
            params.push(("conditions", c.render()?));
        }
        if let Some(c) = &self.child_conditions {
            params.push(("childConditions", c.render_without_in()?));
        }
        if let Some(c) = &self.custom_field_conditions {
            params.push(("customFieldConditions", c.render_without_in()?));
        }
        if let Some(order) = &self.order_by {
            if self.forward_only {
                return Err(Error::InvalidRequest {
                    reason: "orderBy cannot be used with forward-only paging".to_owned(),
                });
            }
            params.push(("orderBy", order.clone()));
        }
        if !self.fields.is_empty() {
            if self.fields.iter().any(|f| f.trim() == "*") {
                return Err(Error::InvalidRequest {
                    reason: "fields=* returns only ids; leave fields unset for every field"
                        .to_owned(),
                });
            }
            // NB: every record is read with its id: forward-only paging moves on from the
            // last id, and a record without one cannot be told apart or reported.
            let mut fields = self.fields.clone();
            if !fields.iter().any(|f| f.trim() == "id") {
                fields.insert(0, "id".to_owned());
            }
            params.push(("fields", fields.join(",")));
        }
        let mut query: Vec<String> = params
            .iter()
            .map(|(k, v)| format!("{k}={}", encode_component(v)))
            .collect();
        for (k, v) in &self.extra {
            query.push(format!("{}={}", encode_component(k), encode_component(v)));
        }
        query.push(format!("pageSize={page_size}"));
        match cursor {
            Cursor::Page(page) => query.push(format!("page={page}")),
            Cursor::PageId(0) => {}
            Cursor::PageId(id) => query.push(format!("pageId={id}")),
        }
        Ok(query.join("&"))
    }

    fn first_cursor(&self) -> Cursor {
        if self.forward_only {
            Cursor::PageId(0)
        } else {
            Cursor::Page(1)
        }
    }

    /// Fetches the first page.
    pub async fn send(self) -> Result<Page<T>> {
        let size = self.effective_page_size()?;
        let cursor = self.first_cursor();
        self.fetch(size, &cursor).await.map(|(page, _)| page)
    }

    /// Fetches the page at `cursor` (from [`Page::next`]).
    pub async fn send_at(self, cursor: Cursor) -> Result<Page<T>> {
        let size = self.effective_page_size()?;
        self.fetch(size, &cursor).await.map(|(page, _)| page)
    }

    /// One request; the returned size is the one used (smaller after a fallback).
    async fn fetch(&self, size: u32, cursor: &Cursor) -> Result<(Page<T>, u32)> {
        match self.fetch_sized(size, cursor).await {
            Err(Error::Api(api)) if self.client.inner.page_size_fallback => {
                match page_size_limit(&api) {
                    Some(max) if max < size => {
                        let page = self.fetch_sized(max, cursor).await?;
                        Ok((page, max))
                    }
                    _ => Err(Error::Api(api)),
                }
            }
            other => other.map(|page| (page, size)),
        }
    }

    async fn fetch_sized(&self, size: u32, cursor: &Cursor) -> Result<Page<T>> {
        let mut call = Call::api(Method::GET, &self.path, RequestClass::Read)
            .with_query(self.query(size, cursor)?);
        call.forward_only = self.forward_only;
        call.expect = Expect::JsonArray;
        let received = self.client.execute(call).await?;
        let Some(rows) = received.rows else {
            // Not an array: decoding it as one names what it is instead.
            let rows: Vec<Value> = decode(&Method::GET, &self.path, &received.body)?;
            let rows = rows.iter().map(|row| Bytes::from(row.to_string()));
            return Ok(self.page(rows.collect(), size, cursor, received.link.as_deref()));
        };
        Ok(self.page(rows, size, cursor, received.link.as_deref()))
    }

    /// Types each row on its own, so that a bad row is rejected alone.
    fn page(&self, rows: Vec<Bytes>, size: u32, cursor: &Cursor, link: Option<&str>) -> Page<T> {
        let count = rows.len();
        let mut items = Vec::with_capacity(count);
        let mut rejected = Vec::new();
        let mut last_id = None;
        for (index, row) in rows.iter().enumerate() {
            let (item, row_id) = self.item(index, row);
            last_id = row_id.or(last_id);
            match item {
                Ok(item) => items.push(item),
                Err(error) => rejected.push(error),
            }
        }
        let next = next_cursor(cursor, link, count, size, last_id);
        Page {
            items,
            rejected,
            next,
            rows: count,
        }
    }

    /// One row, straight from its text, with the row's id if it has one.
    fn item(&self, index: usize, row: &[u8]) -> (Result<T>, Option<i64>) {
        let error = match serde_json::from_slice::<T>(row) {
            Ok(item) if !T::REQUIRES_ID || item.record_id().is_some() => {
                let id = item.record_id();
                return (Ok(item), id);
            }
            Ok(_) => None,
            Err(_) => {
                // NB: decoded a second time, only when it failed, to name where.
                let mut de = serde_json::Deserializer::from_slice(row);
                serde_path_to_error::deserialize::<_, T>(&mut de).err()
            }
        };
        let row_id = raw_record_id(row);
        if T::REQUIRES_ID && row_id.is_none() {
            let error = self.item_error(index, ".id", "the item has no id", row, None);
            return (Err(error), None);
        }
        let error = match error {
            Some(e) => {
                let at = format!(".{}", e.path());
                let source = e.into_inner();
                self.item_error(index, &at, &source.to_string(), row, Some(source))
            }
            // NB: the typed item lost an id that the row has (e.g. not a whole number).
            None => self.item_error(index, ".id", "the item's id is not usable", row, None),
        };
        (Err(error), row_id)
    }

    fn item_error(
        &self,
        index: usize,
        at: &str,
        reason: &str,
        row: &[u8],
        source: Option<serde_json::Error>,
    ) -> Error {
        Error::Decode {
            path: self.path.clone(),
            json_path: format!("[{index}]{}", at.trim_start_matches("..")),
            reason: reason.to_owned(),
            snippet: snippet(row),
            source,
        }
    }

    /// Every item of every page, as a `Send + 'static` stream.
    pub fn stream(self) -> ItemStream<T> {
        self.pages().flat_map(stream::iter).boxed()
    }

    /// The items of every page, a page at a time.
    fn pages(self) -> BoxStream<'static, Vec<Result<T>>> {
        let start = self
            .effective_page_size()
            .map(|size| (size, self.first_cursor()));
        let state = Walk {
            request: self,
            next: Some(start),
            seen: HashSet::new(),
        };
        stream::unfold(state, Walk::step).boxed()
    }
}

impl<T: ListItem> ListRequest<T> {
    /// Every item, read as up to `parts` disjoint id ranges at the same time; each range
    /// is read forward-only and their items are merged into one stream as they arrive.
    ///
    /// Items come in id order within a range but in no set order across ranges. The
    /// first page is read forward-only as [`stream`](Self::stream) would; when it is the
    /// only one, that is the whole cost. Otherwise one more request (`orderBy=id desc`,
    /// one row, `fields=id`, the same filters) finds the largest id, the ids after the
    /// first page are split into up to `parts` ranges (fewer when there are few ids),
    /// and each range adds `id >= a and id < b` to this request's conditions; the last
    /// range has no upper bound, so records created meanwhile are read too. All in all,
    /// at most `parts - 1` list requests more than one forward-only read, plus that one.
    ///
    /// Every request goes through the client's throttle (shared by its clones) and retry
    /// policy, so no more than `parts` requests, nor more than the throttle allows, are in
    /// flight. Under a tokio runtime each range is read and decoded on a task of its own,
    /// at most one page ahead of the consumer, so ranges decode on several cores; dropping
    /// the stream stops those tasks. A failed page ends its range only: the error is an `Err` item and the other
    /// ranges go on. A failed first page or largest-id request ends the stream.
    /// With `parts <= 1`, this is `self.forward_only().stream()`. Like
    /// [`forward_only`](Self::forward_only), it cannot be used with
    /// [`order_by`](Self::order_by).
    ///
    /// ```no_run
    /// # async fn run(client: connectwise_api::Client) -> connectwise_api::Result<()> {
    /// use futures::TryStreamExt;
    ///
    /// let devices: Vec<_> = client
    ///     .configurations()
    ///     .list()
    ///     .stream_partitioned(4)
    ///     .try_collect()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn stream_partitioned(self, parts: usize) -> ItemStream<T> {
        let request = self.forward_only();
        if parts <= 1 {
            return request.stream();
        }
        stream::once(request.partitioned(parts)).flatten().boxed()
    }

    /// Reads the first page, then starts the ranges after it.
    async fn partitioned(self, parts: usize) -> ItemStream<T> {
        let first = match self.effective_page_size() {
            Ok(size) => self.fetch(size, &Cursor::PageId(0)).await,
            Err(e) => Err(e),
        };
        let (page, size) = match first {
            Ok(first) => first,
            Err(e) => return stream::iter([Err(e)]).boxed(),
        };
        let mut head: Vec<Result<T>> = page.items.into_iter().map(Ok).collect();
        head.extend(page.rejected.into_iter().map(Err));
        let Some(Cursor::PageId(after)) = page.next else {
            return stream::iter(head).boxed();
        };
        let largest = match self.largest_id().await {
            Ok(largest) => largest,
            Err(e) => {
                head.push(Err(e));
                return stream::iter(head).boxed();
            }
        };
        let ranges = id_ranges(after, largest, parts, size);
        let walks = ranges.into_iter().map(|(from, below)| {
            let range = match below {
                Some(below) => Condition::ge("id", from).and(Condition::lt("id", below)),
                None => Condition::ge("id", from),
            };
            let mut request = self.clone().replace_conditions(self.combined(range));
            request.page_size = Some(size);
            let end = below.map_or_else(String::new, |below| below.to_string());
            let label = format!("ids {from}..{end}");
            on_own_task(request.pages(), self.path.clone(), label)
        });
        stream::iter(head).chain(stream::select_all(walks)).boxed()
    }

    /// The largest id this request's filters select, or `None` when none is left.
    async fn largest_id(&self) -> Result<Option<i64>> {
        let request = ListRequest::<Value> {
            client: self.client.clone(),
            path: self.path.clone(),
            conditions: self.conditions.clone(),
            child_conditions: self.child_conditions.clone(),
            custom_field_conditions: self.custom_field_conditions.clone(),
            order_by: Some("id desc".to_owned()),
            fields: vec!["id".to_owned()],
            extra: self.extra.clone(),
            page_size: Some(1),
            forward_only: false,
            _item: PhantomData,
        };
        let page = request.send().await?;
        Ok(page.items.first().and_then(ListItem::record_id))
    }
}

/// Reads pages on a task of the running tokio runtime, a page ahead of the consumer, so
/// that several ranges decode on several cores; without a runtime, where it is polled.
/// Dropping the stream stops the task, even in the middle of a request. A task that stops
/// before the end of its pages (a panic, a runtime shutting down) yields
/// [`Error::RangeAborted`], so the range never looks complete when it is not.
fn on_own_task<T: Send + 'static>(
    pages: BoxStream<'static, Vec<Result<T>>>,
    path: String,
    range: String,
) -> ItemStream<T> {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return pages.flat_map(stream::iter).boxed();
    };
    let (sender, receiver) = tokio::sync::mpsc::channel(1);
    let task = runtime.spawn(async move {
        let mut pages = pages;
        while let Some(page) = pages.next().await {
            if sender.send(page).await.is_err() {
                break;
            }
        }
    });
    let reading = Some((receiver, AbortOnDrop(task)));
    stream::unfold(reading, move |reading| {
        let (path, range) = (path.clone(), range.clone());
        async move {
            let (mut receiver, mut task) = reading?;
            if let Some(page) = receiver.recv().await {
                return Some((page, Some((receiver, task))));
            }
            // NB: the channel closes when the task ends; only a normal end is complete.
            match (&mut task.0).await {
                Ok(()) => None,
                Err(e) => {
                    let why = if e.is_panic() {
                        "its reading task panicked"
                    } else {
                        "its reading task was cancelled"
                    };
                    let error = Error::RangeAborted {
                        path,
                        detail: format!("{range}: {why}"),
                    };
                    Some((vec![Err(error)], None))
                }
            }
        }
    })
    .flat_map(stream::iter)
    .boxed()
}

/// Aborts a task when dropped.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Splits the ids after `after` into at most `parts` ranges `[from, below)`, about one a
/// page of ids or more each; the last range is open (`None`). Without ids left (`largest`
/// is `None` or not past `after`), one open range still reads what may have been added.
fn id_ranges(
    after: i64,
    largest: Option<i64>,
    parts: usize,
    page_size: u32,
) -> Vec<(i64, Option<i64>)> {
    let from = after.saturating_add(1);
    let span = match largest {
        Some(largest) if largest > after => i128::from(largest) - i128::from(after),
        _ => return vec![(from, None)],
    };
    let by_pages = (span + i128::from(page_size) - 1) / i128::from(page_size.max(1));
    let count = by_pages.clamp(1, parts.max(1) as i128);
    let step = (span + count - 1) / count;
    let bounds: Vec<i64> = (1..count)
        .map(|i| i128::from(from) + i * step)
        .filter_map(|b| i64::try_from(b).ok())
        .collect();
    let mut ranges = Vec::with_capacity(bounds.len() + 1);
    let mut start = from;
    for bound in bounds {
        ranges.push((start, Some(bound)));
        start = bound;
    }
    ranges.push((start, None));
    ranges
}

/// The state of a stream between pages.
struct Walk<T> {
    request: ListRequest<T>,
    next: Option<Result<(u32, Cursor)>>,
    seen: HashSet<Cursor>,
}

impl<T: ListItem> Walk<T> {
    async fn step(mut self) -> Option<(Vec<Result<T>>, Self)> {
        let (size, cursor) = match self.next.take()? {
            Ok(next) => next,
            Err(e) => return Some((vec![Err(e)], self)),
        };
        if !self.seen.insert(cursor.clone()) {
            let error = stalled(&self.request.path, &cursor);
            return Some((vec![Err(error)], self));
        }
        match self.request.fetch(size, &cursor).await {
            Ok((page, used_size)) => {
                if let (Cursor::PageId(before), Some(Cursor::PageId(after))) = (&cursor, &page.next)
                {
                    if after <= before {
                        let error = stalled(&self.request.path, &Cursor::PageId(*after));
                        self.next = Some(Err(error));
                    }
                }
                if self.next.is_none() {
                    self.next = page.next.clone().map(|c| Ok((used_size, c)));
                }
                let mut out: Vec<Result<T>> = page.items.into_iter().map(Ok).collect();
                out.extend(page.rejected.into_iter().map(Err));
                Some((out, self))
            }
            Err(e) => Some((vec![Err(e)], self)),
        }
    }
}

/// The `id` of a row that did not decode, read the way [`Value`] reads it.
fn raw_record_id(row: &[u8]) -> Option<i64> {
    #[derive(serde::Deserialize)]
    struct Row {
        id: Option<Value>,
    }
    let row: Row = serde_json::from_slice(row).ok()?;
    match row.id? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn stalled(path: &str, cursor: &Cursor) -> Error {
    let detail = match cursor {
        Cursor::Page(p) => format!("the next page ({p}) was already read"),
        Cursor::PageId(id) => format!("the next pageId ({id}) does not move past the last one"),
    };
    Error::PagingStalled {
        path: path.to_owned(),
        detail,
    }
}

/// The size named in an `OutOfRange` rejection of `pageSize` ("between 1 and 100").
fn page_size_limit(api: &crate::error::ApiError) -> Option<u32> {
    if api.kind() != ApiErrorKind::Validation {
        return None;
    }
    let entry = api.errors.iter().find(|e| {
        e.field.as_deref() == Some("pageSize") && e.code.as_deref() == Some("OutOfRange")
    })?;
    let message = entry.message.as_deref()?;
    let numbers: Vec<u32> = message
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    numbers.last().copied().filter(|n| *n > 0)
}

/// Where to go after a page of `rows` rows.
fn next_cursor(
    cursor: &Cursor,
    link: Option<&str>,
    rows: usize,
    size: u32,
    last_id: Option<i64>,
) -> Option<Cursor> {
    let short = rows == 0 || rows < size as usize;
    let next_link = link.and_then(|l| link_target(l, "next"));
    match cursor {
        Cursor::Page(page) => match link {
            Some(_) => {
                let next = query_value(&next_link?, "page")?.parse().ok()?;
                Some(Cursor::Page(next))
            }
            None if short => None,
            None => Some(Cursor::Page(page + 1)),
        },
        Cursor::PageId(_) if short => None,
        Cursor::PageId(_) => {
            let from_link = next_link.and_then(|url| query_value(&url, "pageId")?.parse().ok());
            from_link.or(last_id).map(Cursor::PageId)
        }
    }
}

/// The URL of the `Link` entry with the given `rel` (matched case-insensitively, with or
/// without quotes), splitting on commas outside `<…>`.
pub fn link_target(header: &str, rel: &str) -> Option<String> {
    let mut entries = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in header.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                entries.push(&header[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    entries.push(&header[start..]);

    entries.into_iter().find_map(|entry| {
        let entry = entry.trim();
        let open = entry.find('<')?;
        let close = open + entry[open..].find('>')?;
        let url = &entry[open + 1..close];
        let matches = entry[close + 1..].split(';').any(|param| {
            let Some((key, value)) = param.split_once('=') else {
                return false;
            };
            key.trim().eq_ignore_ascii_case("rel")
                && value
                    .trim()
                    .trim_matches('"')
                    .split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case(rel))
        });
        matches.then(|| url.to_owned())
    })
}

/// The decoded value of a query parameter of a URL (or of a bare query string).
/// A filter and one more condition: both must hold.
fn both(earlier: Option<Condition>, more: Condition) -> Condition {
    match earlier {
        Some(earlier) => earlier.and(more),
        None => more,
    }
}

fn query_value(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?').map_or(url, |(_, q)| q);
    let query = query.split('#').next().unwrap_or_default();
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.into_owned())
}

#[cfg(test)]
mod tests {
    use super::id_ranges;

    #[test]
    fn ranges_cover_the_ids_after_the_first_page_without_overlap() {
        assert_eq!(
            id_ranges(100, Some(1_000), 3, 100),
            [(101, Some(401)), (401, Some(701)), (701, None)]
        );
    }

    #[test]
    fn a_small_span_gets_fewer_ranges() {
        assert_eq!(
            id_ranges(100, Some(250), 8, 100),
            [(101, Some(176)), (176, None)]
        );
        assert_eq!(id_ranges(100, Some(101), 8, 100), [(101, None)]);
    }

    #[test]
    fn no_ids_left_still_reads_one_open_range() {
        assert_eq!(id_ranges(100, None, 4, 100), [(101, None)]);
        assert_eq!(id_ranges(100, Some(90), 4, 100), [(101, None)]);
    }

    #[test]
    fn the_largest_ids_do_not_overflow() {
        let ranges = id_ranges(i64::MAX - 10, Some(i64::MAX), 4, 1);
        assert_eq!(ranges.first().map(|r| r.0), Some(i64::MAX - 9));
        assert_eq!(ranges.last().map(|r| r.1), Some(None));
        assert_eq!(ranges.len(), 4);
        assert_eq!(
            id_ranges(i64::MAX, Some(i64::MAX), 4, 1),
            [(i64::MAX, None)]
        );
    }
}
