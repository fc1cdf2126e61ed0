//! Create, update, archive and unarchive: validation, uniqueness and storage.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

use super::account::{unique_value, Account, BatchFailure, StoredObject};
use super::reply::{message, unprocessable, unprocessable_base, FakeReply};
use super::spec::FieldType;
use super::values::{is_blank, normalise, ValueContext};

/// Keys an object may carry besides its fields; stored as sent.
const BUILT_IN_KEYS: [&str; 3] = ["gps_coordinates", "integ_ad_sid", "integ_audit_id"];

/// Messages per field key for one refused object.
type FieldErrors = Map<String, Value>;

/// A checked object: the id it updates (none for a create) and its stored values.
type Prepared = (Option<String>, Map<String, Value>);

fn push_error(errors: &mut FieldErrors, key: &str, text: String) {
    let entry = errors.entry(key.to_owned()).or_insert_with(|| json!([]));
    if let Value::Array(list) = entry {
        list.push(json!(text));
    }
}

impl Account {
    /// Checks one written object; gives the stored form of its values or its errors.
    /// `existing` is the id of the object it updates, `None` for a create.
    fn prepare(
        &mut self,
        group_id: u64,
        item: &Map<String, Value>,
        existing: Option<&str>,
    ) -> Result<Map<String, Value>, FieldErrors> {
        let Account {
            groups,
            list_items,
            next_item_id,
            date_format,
            ..
        } = self;
        let group = &groups[&group_id];
        let linked = |g: u64, id: &str| {
            let state = groups.get(&g)?;
            state.object(id).map(|o| state.display_name(o))
        };
        let mut changes = Map::new();
        let mut errors = FieldErrors::new();
        for (key, value) in item {
            if key == "id" {
                continue;
            }
            if BUILT_IN_KEYS.contains(&key.as_str()) {
                changes.insert(key.clone(), value.clone());
                continue;
            }
            let Some(field) = group.spec.field_by_key(key) else {
                push_error(
                    &mut errors,
                    key,
                    format!("{key} is not a field of this group"),
                );
                continue;
            };
            let items = list_items.entry((group_id, key.clone())).or_default();
            let mut ctx = ValueContext {
                date_format,
                statuses: &group.spec.statuses,
                list_items: items,
                next_item_id,
                linked: &linked,
            };
            match normalise(field, value, &mut ctx) {
                Ok(stored) => {
                    changes.insert(key.clone(), stored);
                }
                Err(text) => push_error(&mut errors, key, text),
            }
        }
        for field in group.spec.fields.iter().filter(|f| f.required) {
            let blank = match changes.get(&field.key) {
                Some(value) => is_blank(value),
                None => existing.is_none(),
            };
            if blank && !errors.contains_key(&field.key) {
                push_error(
                    &mut errors,
                    &field.key,
                    format!("{} is required", field.name),
                );
            }
        }
        if existing.is_none() {
            let status = group
                .spec
                .fields
                .iter()
                .find(|f| f.field_type == FieldType::Status);
            if let (Some(field), Some(first)) = (status, group.spec.statuses.first()) {
                let default = json!({ "id": first.id.to_string(), "value": first.name });
                changes.entry(field.key.clone()).or_insert(default);
            }
        }
        if errors.is_empty() {
            Ok(changes)
        } else {
            Err(errors)
        }
    }

    /// Adds "is not unique" errors for values held by other objects or earlier items.
    /// `items` pairs each object's id (for an update) with its prepared values.
    fn check_unique(&self, group_id: u64, items: &[Prepared], errors: &mut [FieldErrors]) {
        let group = &self.groups[&group_id];
        for field in group.spec.fields.iter().filter(|f| f.unique) {
            let index = group.unique_index.get(&field.key);
            let mut seen: HashMap<String, Option<&str>> = HashMap::new();
            for (at, (id, changes)) in items.iter().enumerate() {
                let Some(wanted) = changes.get(&field.key).and_then(unique_value) else {
                    continue;
                };
                let holder = index.and_then(|index| index.get(&wanted));
                // NB: a holder that this same batch moves to another value frees its value.
                let taken_by_stored = holder.is_some_and(|holder| {
                    Some(holder.as_str()) != id.as_deref()
                        && !items.iter().any(|(other, c)| {
                            other.as_deref() == Some(holder.as_str()) && c.contains_key(&field.key)
                        })
                });
                let taken_in_batch = seen
                    .get(&wanted)
                    .is_some_and(|other| *other != id.as_deref() || id.is_none());
                if taken_by_stored || taken_in_batch {
                    let text = format!("{} is not unique", field.name);
                    push_error(&mut errors[at], &field.key, text);
                }
                seen.insert(wanted, id.as_deref());
            }
        }
    }

    /// Creates objects; `batch` says whether the body used the `objects` form.
    pub(crate) fn create(
        &mut self,
        group_id: u64,
        items: Vec<Map<String, Value>>,
        batch: bool,
        now: DateTime<Utc>,
    ) -> FakeReply {
        if items.len() > self.batch_limit {
            let text = format!(
                "You can create at most {} objects at a time; {} were sent",
                self.batch_limit,
                items.len()
            );
            return unprocessable_base(&text);
        }
        if self.record_count() + items.len() as u64 > self.max_records {
            let text = format!(
                "This account has reached its limit of {} records",
                self.max_records
            );
            return unprocessable_base(&text);
        }
        let (prepared, errors) = self.prepare_all(group_id, &items, None);
        let first_bad = errors.iter().position(|e| !e.is_empty());
        let keep = match (first_bad, self.batch_failure) {
            (None, _) => prepared.len(),
            (Some(_), BatchFailure::AllOrNothing) => 0,
            (Some(at), BatchFailure::KeepEarlier) => at,
        };
        let ids: Vec<String> = prepared
            .into_iter()
            .take(keep)
            .map(|(_, changes)| self.store_new(group_id, changes, now))
            .collect();
        let group = &self.groups[&group_id];
        let created: Vec<Value> = ids
            .iter()
            .filter_map(|id| group.object(id))
            .map(|object| group.render(object))
            .collect();
        if let Some(at) = first_bad {
            return match self.batch_failure {
                BatchFailure::AllOrNothing => {
                    unprocessable(errors.into_iter().filter(|e| !e.is_empty()).collect())
                }
                BatchFailure::KeepEarlier => unprocessable(vec![errors[at].clone()]),
            };
        }
        match (batch, created.first()) {
            (false, Some(object)) => FakeReply::json(200, object),
            _ => FakeReply::json(200, &json!({ "objects": created })),
        }
    }

    /// Prepares every item and checks uniqueness across them.
    fn prepare_all(
        &mut self,
        group_id: u64,
        items: &[Map<String, Value>],
        ids: Option<&[String]>,
    ) -> (Vec<Prepared>, Vec<FieldErrors>) {
        let mut prepared = Vec::with_capacity(items.len());
        let mut errors = Vec::with_capacity(items.len());
        for (at, item) in items.iter().enumerate() {
            let id = ids.map(|ids| ids[at].clone());
            match self.prepare(group_id, item, id.as_deref()) {
                Ok(changes) => {
                    prepared.push((id, changes));
                    errors.push(FieldErrors::new());
                }
                Err(failed) => {
                    prepared.push((id, Map::new()));
                    errors.push(failed);
                }
            }
        }
        self.check_unique(group_id, &prepared, &mut errors);
        (prepared, errors)
    }

    /// Stores a new object and gives its id.
    fn store_new(&mut self, group_id: u64, data: Map<String, Value>, now: DateTime<Utc>) -> String {
        let id = self.new_object_id();
        let group = self
            .groups
            .get_mut(&group_id)
            .expect("group checked by the caller");
        let object = StoredObject {
            id: id.clone(),
            group_id,
            data,
            is_archived: false,
            stop_date: None,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        group.index_unique(&object, None);
        group.positions.insert(id.clone(), group.objects.len());
        group.objects.push(object);
        group.generation += 1;
        id
    }

    /// Updates objects; each item carries its `id`. `single` answers with the object alone.
    pub(crate) fn update(
        &mut self,
        group_id: u64,
        items: Vec<Map<String, Value>>,
        single: bool,
        now: DateTime<Utc>,
    ) -> FakeReply {
        if items.len() > self.batch_limit {
            let text = format!(
                "You can update at most {} objects at a time; {} were sent",
                self.batch_limit,
                items.len()
            );
            return unprocessable_base(&text);
        }
        let group = &self.groups[&group_id];
        let mut missing = Vec::new();
        let ids: Vec<String> = items
            .iter()
            .map(|item| {
                let id = item
                    .get("id")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                if group.object(&id).is_none() {
                    let mut errors = FieldErrors::new();
                    push_error(&mut errors, "id", format!("Object {id:?} not found"));
                    missing.push(errors);
                }
                id
            })
            .collect();
        if !missing.is_empty() {
            return if single {
                message(404, "Object not found")
            } else {
                unprocessable(missing)
            };
        }
        let (prepared, errors) = self.prepare_all(group_id, &items, Some(&ids));
        if errors.iter().any(|e| !e.is_empty()) {
            return unprocessable(errors.into_iter().filter(|e| !e.is_empty()).collect());
        }
        let group = self
            .groups
            .get_mut(&group_id)
            .expect("group checked by the caller");
        group.generation += 1;
        let mut rendered = Vec::with_capacity(prepared.len());
        for (id, changes) in prepared {
            let id = id.unwrap_or_default();
            let before = group.object(&id).cloned();
            if let Some(object) = group.object_mut(&id) {
                object.data.extend(changes);
                object.updated_at = now;
                object.version += 1;
            }
            if let Some(object) = group.object(&id).cloned() {
                group.index_unique(&object, before.as_ref());
            }
            if let Some(object) = group.object(&id) {
                rendered.push(group.render(object));
            }
        }
        match (single, rendered.pop()) {
            (true, Some(object)) => FakeReply::json(200, &object),
            (_, last) => {
                rendered.extend(last);
                FakeReply::json(200, &json!({ "objects": rendered }))
            }
        }
    }

    /// Archives (`archive` true, with a stop date) or unarchives objects.
    pub(crate) fn set_archived(
        &mut self,
        group_id: u64,
        body: &Value,
        archive: bool,
        now: DateTime<Utc>,
    ) -> FakeReply {
        let mut errors = FieldErrors::new();
        let ids: Vec<String> = match body.get("object_ids").and_then(Value::as_array) {
            Some(ids) if !ids.is_empty() => ids
                .iter()
                .map(|id| match id {
                    Value::String(id) => id.clone(),
                    other => other.to_string(),
                })
                .collect(),
            _ => {
                push_error(
                    &mut errors,
                    "object_ids",
                    "object_ids can't be blank".into(),
                );
                Vec::new()
            }
        };
        if ids.len() > self.batch_limit {
            let text = format!(
                "You can change at most {} objects at a time",
                self.batch_limit
            );
            return unprocessable_base(&text);
        }
        let stop_date = body
            .get("stop_date")
            .and_then(Value::as_str)
            .map(str::to_owned);
        if archive {
            match &stop_date {
                None => push_error(&mut errors, "stop_date", "stop_date can't be blank".into()),
                Some(date) if !self.date_format.accepts(date) => {
                    let text = format!(
                        "stop_date {date:?} is not a date in the format {}",
                        self.date_format.account
                    );
                    push_error(&mut errors, "stop_date", text);
                }
                Some(_) => {}
            }
        }
        let group = self
            .groups
            .get_mut(&group_id)
            .expect("group checked by the caller");
        for id in &ids {
            if group.object(id).is_none() {
                push_error(
                    &mut errors,
                    "object_ids",
                    format!("Object {id:?} not found"),
                );
            }
        }
        if !errors.is_empty() {
            return unprocessable(vec![errors]);
        }
        group.generation += 1;
        for id in &ids {
            if let Some(object) = group.object_mut(id) {
                if object.is_archived != archive {
                    object.is_archived = archive;
                    object.updated_at = now;
                    object.version += 1;
                }
                if archive {
                    object.stop_date = stop_date.clone();
                }
            }
        }
        FakeReply::json(200, &json!({ "success": true, "object_ids": ids }))
    }

    /// Stores one object without HTTP, with the same checks as a create.
    pub(crate) fn insert(
        &mut self,
        group_id: u64,
        item: Map<String, Value>,
        now: DateTime<Utc>,
    ) -> Result<String, String> {
        if !self.groups.contains_key(&group_id) {
            return Err(format!("the account has no group {group_id}"));
        }
        let (mut prepared, errors) = self.prepare_all(group_id, &[item], None);
        if let Some(errors) = errors.into_iter().find(|e| !e.is_empty()) {
            return Err(Value::Object(errors).to_string());
        }
        let (_, changes) = prepared.pop().unwrap_or_default();
        Ok(self.store_new(group_id, changes, now))
    }
}
