//! The fake's records: one ordered table per collection, each record kept as its compact
//! JSON text and decoded on demand.
//!
//! A generated device takes about 2 KB as text against some 20 KB as a parsed
//! `serde_json::Value` (a map per object, a heap string per key and value), so 100,000
//! devices fit in about 230 MB instead of 2 GB. An unfiltered, unprojected page is written
//! out by copying the stored text; filters, projections and ordering decode what they read.

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value};

use super::entity::Entity;

/// The member name the fake writes into `_info/updatedBy` and `_info/enteredBy`.
pub(crate) const API_MEMBER: &str = "api-fake";

/// One stored record: a JSON object as compact text.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Record(Box<[u8]>);

impl std::fmt::Debug for Record {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Record({} bytes)", self.0.len())
    }
}

impl Record {
    fn encode(record: &Map<String, Value>) -> Record {
        // NB: a map with string keys always serialises.
        Record(
            serde_json::to_vec(record)
                .unwrap_or_default()
                .into_boxed_slice(),
        )
    }

    /// The record's JSON text, as served.
    pub(crate) fn text(&self) -> &[u8] {
        &self.0
    }

    /// The record, parsed.
    pub(crate) fn value(&self) -> Value {
        // NB: the text was written by `encode`, so it parses.
        serde_json::from_slice(&self.0).unwrap_or_default()
    }
}

/// Records of one collection, ordered by id.
#[derive(Debug, Default, Clone)]
pub(crate) struct Table {
    pub(crate) records: BTreeMap<i64, Record>,
    next_id: i64,
}

impl Table {
    /// The id the next created record gets.
    fn take_id(&mut self) -> i64 {
        let floor = self.records.keys().next_back().copied().unwrap_or(0);
        self.next_id = self.next_id.max(floor) + 1;
        self.next_id
    }
}

/// Every collection, plus the clock used for `_info/lastUpdated`.
#[derive(Debug, Default, Clone)]
pub(crate) struct Store {
    tables: BTreeMap<Entity, Table>,
    frozen_now: Option<DateTime<Utc>>,
}

fn stamp(frozen: Option<DateTime<Utc>>) -> String {
    let now = frozen.unwrap_or_else(Utc::now);
    now.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl Store {
    pub(crate) fn table(&self, entity: Entity) -> Option<&Table> {
        self.tables.get(&entity)
    }

    pub(crate) fn table_mut(&mut self, entity: Entity) -> &mut Table {
        self.tables.entry(entity).or_default()
    }

    /// One record, parsed.
    pub(crate) fn get(&self, entity: Entity, id: i64) -> Option<Value> {
        self.raw(entity, id).map(Record::value)
    }

    /// One record as stored.
    pub(crate) fn raw(&self, entity: Entity, id: i64) -> Option<&Record> {
        self.tables.get(&entity)?.records.get(&id)
    }

    /// The time written into `_info`, to the second, as the server writes it.
    pub(crate) fn now(&self) -> String {
        stamp(self.frozen_now)
    }

    /// Stops (`Some`) or restarts (`None`) the clock.
    pub(crate) fn set_now(&mut self, now: Option<DateTime<Utc>>) {
        self.frozen_now = now;
    }

    /// Stores a new record. Its `id` is kept when it is a free positive integer, otherwise
    /// a fresh one is assigned. `_info` gets `dateEntered` and `lastUpdated` unless the
    /// record brings its own. Returns the id.
    pub(crate) fn insert(&mut self, entity: Entity, mut record: Map<String, Value>) -> i64 {
        // NB: generated records bring their own audit stamps, so the clock is read lazily.
        let frozen = self.frozen_now;
        let now = move || stamp(frozen);
        let table = self.table_mut(entity);
        let id = match record.get("id").and_then(Value::as_i64) {
            Some(id) if id > 0 && !table.records.contains_key(&id) => id,
            _ => table.take_id(),
        };
        record.insert("id".into(), Value::from(id));

        let info = record
            .entry("_info")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(info) = info {
            for key in ["lastUpdated", "dateEntered"] {
                info.entry(key).or_insert_with(|| now().into());
            }
            for key in ["updatedBy", "enteredBy"] {
                info.entry(key).or_insert_with(|| API_MEMBER.into());
            }
        }
        table.records.insert(id, Record::encode(&record));
        id
    }

    /// Replaces a stored record (keeping its id and entry audit) and stamps `lastUpdated`.
    /// Returns `false` when there is no such record.
    pub(crate) fn replace(
        &mut self,
        entity: Entity,
        id: i64,
        mut record: Map<String, Value>,
    ) -> bool {
        let now = self.now();
        let table = self.table_mut(entity);
        let Some(old) = table.records.get(&id).map(Record::value) else {
            return false;
        };
        let mut info = match old.get("_info") {
            Some(Value::Object(info)) => info.clone(),
            _ => Map::new(),
        };
        info.insert("lastUpdated".into(), now.into());
        info.insert("updatedBy".into(), API_MEMBER.into());
        record.insert("id".into(), Value::from(id));
        record.insert("_info".into(), Value::Object(info));
        table.records.insert(id, Record::encode(&record));
        true
    }

    pub(crate) fn remove(&mut self, entity: Entity, id: i64) -> Option<Value> {
        let record = self.tables.get_mut(&entity)?.records.remove(&id)?;
        Some(record.value())
    }

    pub(crate) fn len(&self, entity: Entity) -> usize {
        self.tables.get(&entity).map_or(0, |t| t.records.len())
    }
}
