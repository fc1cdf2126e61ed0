//! Walking every page of a search.
//!
//! The server may cap a page below the limit asked for, so the next offset is the current
//! one plus the objects actually received, never plus the limit. Paging stops on an empty
//! page or when the offset reaches the reported total. Objects are de-duplicated by id; an
//! object without an id is reported as an error and skipped. Two pages in a row that bring
//! no new id end the walk with [`Error::PagingStalled`](crate::Error::PagingStalled). When
//! the server reported a total and a different number of objects arrived, a warning is
//! logged.

use std::collections::{HashSet, VecDeque};

use futures::stream::{self, BoxStream, StreamExt};
use serde::de::Error as _;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::models::objects::Object;
use crate::models::search::SearchPage;
use crate::resources::objects::{check_limit, Objects, Search};

/// Pages in a row without a new id after which paging stops.
const STALL_LIMIT: u32 = 2;

struct Walk {
    objects: Objects,
    body: Value,
    start: u64,
    offset: u64,
    limit: u32,
    seen: HashSet<String>,
    ready: VecDeque<Result<Object>>,
    stalled: u32,
    total: Option<u64>,
    done: bool,
}

pub(crate) fn stream(search: Search) -> BoxStream<'static, Result<Object>> {
    let walk = Walk {
        body: search.filter.to_body(),
        objects: search.objects,
        start: search.offset,
        offset: search.offset,
        limit: search.limit,
        seen: HashSet::new(),
        ready: VecDeque::new(),
        stalled: 0,
        total: None,
        done: false,
    };

    stream::unfold(walk, |mut walk| async move {
        loop {
            if let Some(item) = walk.ready.pop_front() {
                return Some((item, walk));
            }
            if walk.done {
                walk.finish();
                return None;
            }
            walk.next_page().await;
        }
    })
    .boxed()
}

impl Walk {
    async fn next_page(&mut self) {
        if let Err(e) = check_limit(self.limit) {
            self.fail(e);
            return;
        }

        let page = self
            .objects
            .search_page(&self.body, self.offset, self.limit)
            .await;
        match page {
            Ok(page) => self.take(page),
            Err(e) => self.fail(e),
        }
    }

    fn take(&mut self, page: SearchPage) {
        let received = page.objects.len() as u64;
        if page.total().is_some() {
            self.total = page.total();
        }
        if received == 0 {
            self.done = true;
            return;
        }

        let mut fresh = 0usize;
        for (i, object) in page.objects.into_iter().enumerate() {
            let Some(id) = object.id.clone() else {
                self.ready
                    .push_back(Err(missing_id(&self.objects, self.offset, i)));
                continue;
            };
            if self.seen.insert(id.0) {
                fresh += 1;
                self.ready.push_back(Ok(object));
            }
        }
        tracing::debug!(offset = self.offset, received, fresh, "search page");
        self.offset += received;

        if fresh == 0 {
            self.stalled += 1;
            if self.stalled >= STALL_LIMIT {
                self.fail(Error::PagingStalled {
                    offset: self.offset - received,
                    pages: self.stalled,
                });
                return;
            }
        } else {
            self.stalled = 0;
        }
        if self.total.is_some_and(|t| self.offset >= t) {
            self.done = true;
        }
    }

    fn fail(&mut self, error: Error) {
        self.ready.push_back(Err(error));
        self.done = true;
    }

    fn finish(&self) {
        if let Some(total) = self.total {
            let seen = self.seen.len() as u64;
            if seen != total.saturating_sub(self.start) {
                tracing::warn!(
                    group = %self.objects.group,
                    total,
                    received = seen,
                    "the search returned a different number of objects than its total",
                );
            }
        }
    }
}

fn missing_id(objects: &Objects, offset: u64, index: usize) -> Error {
    Error::Decode {
        method: http::Method::POST,
        path: objects.path("search/objects"),
        json_path: format!("objects[{index}].id"),
        snippet: format!("object at offset {} has no id", offset + index as u64),
        source: serde_json::Error::custom("the object has no `id`"),
    }
}
