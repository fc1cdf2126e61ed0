//! The object search: its filters and one page of its answer.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::ids::ObjectId;
use super::lenient;
use super::objects::Object;

/// Which objects a search returns with respect to archiving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Archived {
    /// Live objects only (the server's default; `view_archived` is left out).
    #[default]
    Exclude,
    /// Live and archived objects (`"view_archived": "all"`).
    Include,
    /// Archived objects only (`"view_archived": "archived"`).
    Only,
}

/// The filters of a search; every part is optional and they combine.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct SearchFilter {
    /// Field key → text to match (exact or partial match is not documented).
    pub field_filters: Map<String, Value>,
    /// Free-text search.
    pub search: Option<String>,
    /// Only these objects.
    pub ids: Vec<ObjectId>,
    /// Changed at or after this time.
    pub modified_since: Option<DateTime<Utc>>,
    /// Changed at or before this time.
    pub modified_until: Option<DateTime<Utc>>,
    /// Archived objects.
    pub archived: Archived,
}

impl SearchFilter {
    /// The JSON body the server expects.
    pub fn to_body(&self) -> Value {
        let mut body = Map::new();
        if !self.field_filters.is_empty() {
            body.insert(
                "field_filters".into(),
                Value::Object(self.field_filters.clone()),
            );
        }
        if let Some(search) = &self.search {
            body.insert("search".into(), Value::String(search.clone()));
        }
        if !self.ids.is_empty() {
            let ids = self
                .ids
                .iter()
                .map(|id| Value::String(id.0.clone()))
                .collect();
            body.insert("ids".into(), Value::Array(ids));
        }

        let stamp =
            |t: &DateTime<Utc>| Value::String(t.to_rfc3339_opts(SecondsFormat::Millis, true));
        let mut range = Map::new();
        if let Some(since) = &self.modified_since {
            range.insert("gte".into(), stamp(since));
        }
        if let Some(until) = &self.modified_until {
            range.insert("lte".into(), stamp(until));
        }
        if !range.is_empty() {
            body.insert("last_modified".into(), Value::Object(range));
        }

        match self.archived {
            Archived::Exclude => {}
            Archived::Include => {
                body.insert("view_archived".into(), "all".into());
            }
            Archived::Only => {
                body.insert("view_archived".into(), "archived".into());
            }
        }
        Value::Object(body)
    }
}

/// The `totals` block of a search answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Totals {
    /// Matching objects across all pages.
    #[serde(
        default,
        deserialize_with = "lenient::opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub objects: Option<i64>,
    /// Apparently the size of the whole group (inferred).
    #[serde(
        default,
        deserialize_with = "lenient::opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub group_totals: Option<i64>,
    /// The offset the server applied.
    #[serde(
        default,
        deserialize_with = "lenient::opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub offset: Option<i64>,
    /// The limit the server applied.
    #[serde(
        default,
        deserialize_with = "lenient::opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub limit: Option<i64>,
    /// Every other key, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One page of a search.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct SearchPage {
    /// The objects of this page, in the order sent.
    pub objects: Vec<Object>,
    /// The `totals` block, if sent.
    pub totals: Option<Totals>,
    /// A top-level `total`, if sent instead.
    pub total_field: Option<i64>,
    /// Hits this user may not see (inferred meaning).
    pub not_viewable: Option<i64>,
    /// The offset this page was asked for.
    pub offset: u64,
    /// The limit this page was asked for.
    pub limit: u32,
    /// Every other key, kept as sent.
    pub extra: Map<String, Value>,
}

impl SearchPage {
    /// The number of matching objects across all pages: `totals.objects`, else `total`.
    pub fn total(&self) -> Option<u64> {
        let total = self
            .totals
            .as_ref()
            .and_then(|t| t.objects)
            .or(self.total_field)?;
        u64::try_from(total).ok()
    }

    /// The offset of the page after this one: this offset plus the objects received.
    pub fn next_offset(&self) -> u64 {
        self.offset + self.objects.len() as u64
    }

    /// True when no further page is expected: this page was empty, or the total is
    /// reached.
    pub fn is_last(&self) -> bool {
        self.objects.is_empty() || self.total().is_some_and(|t| self.next_offset() >= t)
    }
}

/// The wire form of a page; the list may be under `objects`, `data` or `results`.
#[derive(Deserialize)]
pub(crate) struct RawPage {
    #[serde(default)]
    objects: Option<Value>,
    #[serde(default)]
    data: Option<Value>,
    #[serde(default)]
    results: Option<Value>,
    #[serde(default, deserialize_with = "totals_or_none")]
    totals: Option<Totals>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    total: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    not_viewable: Option<i64>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

fn totals_or_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Totals>, D::Error> {
    Ok(serde_json::from_value(Value::deserialize(d)?).ok())
}

impl RawPage {
    /// The list of objects, with the key it came from, or `None` when no key holds an array.
    pub(crate) fn take_list(&mut self) -> Option<(&'static str, Vec<Value>)> {
        let mut slots = [
            ("objects", self.objects.take()),
            ("data", self.data.take()),
            ("results", self.results.take()),
        ];
        let found = slots
            .iter_mut()
            .find(|(_, v)| matches!(v, Some(Value::Array(_))))
            .and_then(|(k, v)| match v.take() {
                Some(Value::Array(items)) => Some((*k, items)),
                _ => None,
            });

        for (key, value) in slots {
            if let Some(value) = value {
                self.extra.insert(key.to_owned(), value);
            }
        }
        found
    }

    /// True when the answer reports a total of zero.
    pub(crate) fn reports_no_match(&self) -> bool {
        let total = self.totals.as_ref().and_then(|t| t.objects).or(self.total);
        total == Some(0)
    }

    pub(crate) fn into_page(self, objects: Vec<Object>, offset: u64, limit: u32) -> SearchPage {
        SearchPage {
            objects,
            totals: self.totals,
            total_field: self.total,
            not_viewable: self.not_viewable,
            offset,
            limit,
            extra: self.extra,
        }
    }
}
