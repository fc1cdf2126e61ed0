//! The fake's records: one ordered table of JSON objects per collection.

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value};

use super::entity::Entity;

/// The member name the fake writes into `_info/updatedBy` and `_info/enteredBy`.
pub(crate) const API_MEMBER: &str = "api-fake";

// TODO: records live as parsed JSON, about 20 KB per generated device (2 GB for 100,000);
// keeping them as JSON text would cut that several times but parse on every filtered scan.
/// Records of one collection, ordered by id.
#[derive(Debug, Default, Clone)]
pub(crate) struct Table {
    pub(crate) records: BTreeMap<i64, Value>,
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

    pub(crate) fn get(&self, entity: Entity, id: i64) -> Option<&Value> {
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
        table.records.insert(id, Value::Object(record));
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
        let Some(old) = table.records.get(&id) else {
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
        table.records.insert(id, Value::Object(record));
        true
    }

    pub(crate) fn remove(&mut self, entity: Entity, id: i64) -> Option<Value> {
        self.tables.get_mut(&entity)?.records.remove(&id)
    }

    pub(crate) fn len(&self, entity: Entity) -> usize {
        self.tables.get(&entity).map_or(0, |t| t.records.len())
    }
}
