//! Search: filters, the archived view, and offset/limit paging with a capped limit.

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

use super::account::{Account, FieldMatch, SearchCache, StoredObject};
use super::reply::{message, unprocessable, FakeReply};
use super::values::display_text;

/// The page size used when the request names none.
pub(crate) const DEFAULT_LIMIT: usize = 50;

/// Which objects the archived flag lets through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ArchivedView {
    Live,
    All,
    Only,
}

/// A parsed search body.
struct Query {
    filters: Vec<(String, String)>,
    text: Option<String>,
    ids: Option<Vec<String>>,
    modified_from: Option<DateTime<Utc>>,
    modified_to: Option<DateTime<Utc>>,
    archived: ArchivedView,
}

fn parse_count(name: &str, raw: Option<String>) -> Result<Option<usize>, FakeReply> {
    match raw {
        None => Ok(None),
        Some(text) if text.trim().is_empty() => Ok(None),
        Some(text) => text.trim().parse().map(Some).map_err(|_| {
            message(
                400,
                &format!("{name} must be a non-negative integer, got {text:?}"),
            )
        }),
    }
}

fn parse_time(which: &str, value: Option<&Value>) -> Result<Option<DateTime<Utc>>, FakeReply> {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let parsed = value
        .as_str()
        .and_then(|text| DateTime::parse_from_rfc3339(text).ok())
        .map(|at| at.with_timezone(&Utc));
    parsed.map(Some).ok_or_else(|| {
        message(
            400,
            &format!("last_modified.{which} must be an RFC 3339 time"),
        )
    })
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl Account {
    fn parse_query(&self, group_id: u64, body: &Value) -> Result<Query, FakeReply> {
        let empty = Map::new();
        let body = match body {
            Value::Object(map) => map,
            Value::Null => &empty,
            _ => return Err(message(400, "The search body must be a JSON object")),
        };
        let group = &self.groups[&group_id];
        let mut filters = Vec::new();
        let mut unknown = Map::new();
        if let Some(given) = body.get("field_filters").filter(|v| !v.is_null()) {
            let Some(given) = given.as_object() else {
                return Err(message(400, "field_filters must be an object"));
            };
            for (key, value) in given {
                if group.spec.field_by_key(key).is_none() {
                    unknown.insert(
                        key.clone(),
                        json!([format!("{key} is not a field of this group")]),
                    );
                    continue;
                }
                let text = scalar_text(value)
                    .ok_or_else(|| message(400, &format!("field_filters.{key} must be text")))?;
                filters.push((key.clone(), text));
            }
        }
        if !unknown.is_empty() {
            return Err(unprocessable(vec![unknown]));
        }
        let text = match body.get("search") {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) if text.trim().is_empty() => None,
            Some(Value::String(text)) => Some(text.trim().to_lowercase()),
            Some(Value::Object(map)) if map.is_empty() => None,
            Some(_) => return Err(message(400, "search must be text")),
        };
        let ids = match body.get("ids") {
            None | Some(Value::Null) => None,
            Some(Value::Array(ids)) => Some(ids.iter().filter_map(scalar_text).collect()),
            Some(_) => return Err(message(400, "ids must be a list of object ids")),
        };
        let range = body.get("last_modified").filter(|v| !v.is_null());
        let (modified_from, modified_to) = match range {
            None => (None, None),
            Some(Value::Object(range)) => (
                parse_time("gte", range.get("gte"))?,
                parse_time("lte", range.get("lte"))?,
            ),
            Some(_) => return Err(message(400, "last_modified must be an object")),
        };
        let archived = match body.get("view_archived") {
            None | Some(Value::Null) => ArchivedView::Live,
            Some(Value::String(view)) if view == "all" => ArchivedView::All,
            Some(Value::String(view)) if view == "archived" => ArchivedView::Only,
            Some(other) => {
                let text = format!("view_archived must be \"all\" or \"archived\", got {other}");
                return Err(message(400, &text));
            }
        };
        Ok(Query {
            filters,
            text,
            ids,
            modified_from,
            modified_to,
            archived,
        })
    }

    fn matches(&self, group_id: u64, query: &Query, object: &StoredObject) -> bool {
        let archived_ok = match query.archived {
            ArchivedView::Live => !object.is_archived,
            ArchivedView::All => true,
            ArchivedView::Only => object.is_archived,
        };
        if !archived_ok {
            return false;
        }
        if let Some(ids) = &query.ids {
            if !ids.contains(&object.id) {
                return false;
            }
        }
        if query
            .modified_from
            .is_some_and(|from| object.updated_at < from)
            || query.modified_to.is_some_and(|to| object.updated_at > to)
        {
            return false;
        }
        let filters_ok = query.filters.iter().all(|(key, wanted)| {
            let stored = object.value(key).and_then(display_text).unwrap_or_default();
            let (stored, wanted) = (stored.trim().to_lowercase(), wanted.trim().to_lowercase());
            match self.field_match {
                FieldMatch::Exact => stored == wanted,
                FieldMatch::Partial => stored.contains(&wanted),
            }
        });
        if !filters_ok {
            return false;
        }
        match &query.text {
            None => true,
            Some(text) => {
                let group = &self.groups[&group_id];
                group.display_name(object).to_lowercase().contains(text)
                    || object
                        .data
                        .values()
                        .filter_map(display_text)
                        .any(|value| value.to_lowercase().contains(text))
            }
        }
    }

    /// Answers `POST …/search/objects?offset=&limit=` with `body`.
    pub(crate) fn search(
        &mut self,
        group_id: u64,
        body: &Value,
        offset: Option<String>,
        limit: Option<String>,
    ) -> FakeReply {
        let offset = match parse_count("offset", offset) {
            Ok(offset) => offset.unwrap_or(0),
            Err(reply) => return reply,
        };
        let limit = match parse_count("limit", limit) {
            Ok(Some(0)) | Ok(None) => DEFAULT_LIMIT,
            Ok(Some(limit)) => limit,
            Err(reply) => return reply,
        };
        // NB: the cap is silent, as on the accounts that have one: `totals.limit` shows it.
        let limit = limit.min(self.search_cap);
        let key = body.to_string();
        let generation = self.groups[&group_id].generation;
        let cache = match self.search_cache.take() {
            Some(cache)
                if cache.group_id == group_id
                    && cache.generation == generation
                    && cache.body == key =>
            {
                cache
            }
            _ => {
                let query = match self.parse_query(group_id, body) {
                    Ok(query) => query,
                    Err(reply) => return reply,
                };
                let group = &self.groups[&group_id];
                let hits = (0..group.objects.len())
                    .filter(|at| self.matches(group_id, &query, &group.objects[*at]))
                    .collect();
                SearchCache {
                    group_id,
                    generation,
                    body: key,
                    hits,
                }
            }
        };
        let group = &self.groups[&group_id];
        let start = offset.min(cache.hits.len());
        let end = start.saturating_add(limit).min(cache.hits.len());
        let page: Vec<Value> = cache.hits[start..end]
            .iter()
            .map(|at| group.render(&group.objects[*at]))
            .collect();
        let body = json!({
            "totals": {
                "objects": cache.hits.len(),
                "group_totals": group.objects.len(),
                "offset": offset,
                "limit": limit,
            },
            "not_viewable": 0,
            "objects": page,
        });
        self.search_cache = Some(cache);
        FakeReply::json(200, &body)
    }
}
