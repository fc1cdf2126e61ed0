//! The account's stored state: groups, their objects, and how both are served as JSON.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, SecondsFormat, Utc};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Map, Value};

use super::clock::DateFormat;
use super::spec::{FieldType, GroupSpec};
use super::values::display_text;

/// How `field_filters` compares a filter value with a stored value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FieldMatch {
    /// The stored text contains the filter text, ignoring case (the default: the real
    /// server's rule is not documented, so clients must check matches themselves).
    #[default]
    Partial,
    /// The stored text equals the filter text, ignoring case and surrounding spaces.
    Exact,
}

/// What happens to the good objects of a batch when one of them is refused.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum BatchFailure {
    /// Nothing of the batch is stored (the default).
    #[default]
    AllOrNothing,
    /// The objects before the first refused one are stored; the rest are not.
    KeepEarlier,
}

/// One stored object, as a test reads it back.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredObject {
    /// 24 lower-case hex characters.
    pub id: String,
    /// The group it belongs to.
    pub group_id: u64,
    /// The field values, in the served form (`field_N` → value), as under `data`.
    pub data: Map<String, Value>,
    /// Whether it is archived.
    pub is_archived: bool,
    /// The `stop_date` of its last archive, in the account date format.
    pub stop_date: Option<String>,
    /// When it was created, by the fake's clock.
    pub created_at: DateTime<Utc>,
    /// When it last changed, by the fake's clock.
    pub updated_at: DateTime<Utc>,
    /// Starts at 1 and grows with each change (served as `object_version_ids`).
    pub version: u64,
}

impl StoredObject {
    /// The stored value of field `key`.
    pub fn value(&self, key: &str) -> Option<&Value> {
        self.data.get(key)
    }

    /// The text field `key` shows: a string itself, a list or status item's label, a
    /// number or boolean as text; `None` when unset or empty.
    pub fn text(&self, key: &str) -> Option<String> {
        self.data.get(key).and_then(display_text)
    }
}

/// A group with its objects.
#[derive(Debug)]
pub(crate) struct GroupState {
    pub(crate) spec: GroupSpec,
    /// The field definition ids, in the order of `spec.fields`.
    pub(crate) field_ids: Vec<u64>,
    pub(crate) objects: Vec<StoredObject>,
    pub(crate) positions: HashMap<String, usize>,
    /// Per unique field key: comparison form of a value → the id of the object holding it.
    pub(crate) unique_index: HashMap<String, HashMap<String, String>>,
    /// Grows with every change to the group's objects; a cached search is valid while it
    /// stays the same.
    pub(crate) generation: u64,
}

impl GroupState {
    pub(crate) fn object(&self, id: &str) -> Option<&StoredObject> {
        self.positions.get(id).map(|at| &self.objects[*at])
    }

    /// Records the unique values of `object`, forgetting those of its `before` state.
    pub(crate) fn index_unique(&mut self, object: &StoredObject, before: Option<&StoredObject>) {
        for field in self.spec.fields.iter().filter(|f| f.unique) {
            let index = self.unique_index.entry(field.key.clone()).or_default();
            let old = before
                .and_then(|b| b.value(&field.key))
                .and_then(unique_value);
            if let Some(old) = old {
                if index.get(&old) == Some(&object.id) {
                    index.remove(&old);
                }
            }
            if let Some(new) = object.value(&field.key).and_then(unique_value) {
                index.insert(new, object.id.clone());
            }
        }
    }

    pub(crate) fn object_mut(&mut self, id: &str) -> Option<&mut StoredObject> {
        self.positions.get(id).map(|at| &mut self.objects[*at])
    }

    /// The object's `display_name`: its display field's text.
    pub(crate) fn display_name(&self, object: &StoredObject) -> String {
        let key = self
            .spec
            .display_field
            .as_deref()
            .or_else(|| self.spec.fields.first().map(|f| f.key.as_str()));
        key.and_then(|key| object.text(key)).unwrap_or_default()
    }

    /// The object as the API serves it (the v3 layout, values under `data`).
    pub(crate) fn render(&self, object: &StoredObject) -> Value {
        let display = self.display_name(object);
        let mut out = Map::new();
        out.insert("id".into(), json!(object.id));
        out.insert("display_name".into(), json!(display));
        let secondary = self.spec.secondary_field.as_deref();
        if let Some(secondary) = secondary.and_then(|key| object.text(key)) {
            out.insert("secondary_name".into(), json!(secondary));
            let both = format!("{display} <{secondary}>");
            out.insert("display_with_secondary".into(), json!(both));
        }
        out.insert("data".into(), Value::Object(object.data.clone()));
        out.insert("action_objects".into(), json!([]));
        out.insert("object_depreciation".into(), json!(false));
        out.insert("object_appreciation".into(), json!(false));
        let share = format!(
            "https://login.assetpanda.com/{}/{}",
            self.spec.key, object.id
        );
        out.insert("share_url".into(), json!(share));
        out.insert("created_at".into(), json!(timestamp(object.created_at)));
        out.insert("updated_at".into(), json!(timestamp(object.updated_at)));
        out.insert("is_editable".into(), json!(true));
        out.insert("is_deletable".into(), json!(true));
        out.insert(
            "object_version_ids".into(),
            json!(object.version.to_string()),
        );
        out.insert("has_audit_history".into(), json!(object.version > 1));
        out.insert("is_locked".into(), json!(false));
        out.insert("is_archived".into(), json!(object.is_archived));
        let entity = json!({ "id": self.spec.id, "key": self.spec.key });
        out.insert("entity".into(), entity);
        Value::Object(out)
    }

    pub(crate) fn summary(&self) -> Value {
        json!({
            "id": self.spec.id,
            "name": self.spec.name,
            "key": self.spec.key,
            "icon": format!("https://assets.assetpanda.com/assets/icons/{}.png", self.spec.key),
        })
    }

    pub(crate) fn fields_json(&self) -> Value {
        let display = self
            .spec
            .display_field
            .clone()
            .or_else(|| self.spec.fields.first().map(|f| f.key.clone()));
        let fields: Vec<Value> = self
            .spec
            .fields
            .iter()
            .zip(&self.field_ids)
            .map(|(field, id)| {
                let shown = Some(&field.key) == display.as_ref()
                    || Some(&field.key) == self.spec.secondary_field.as_ref();
                json!({
                    "id": id,
                    "name": field.name,
                    "key": field.key,
                    "type": field.field_type.as_str(),
                    "is_only_embedded": false,
                    "entity_id": self.spec.id,
                    "is_required": field.required,
                    "is_open_field": field.field_type == FieldType::TextArea,
                    "show_in_value": shown,
                })
            })
            .collect();
        json!({ "fields": fields })
    }

    pub(crate) fn statuses_json(&self) -> Value {
        let statuses: Vec<Value> = self
            .spec
            .statuses
            .iter()
            .enumerate()
            .map(|(at, status)| {
                json!({
                    "id": status.id,
                    "name": status.name,
                    "entity_id": self.spec.id,
                    "key": status.name.to_lowercase().replace(' ', "_"),
                    "is_default": at == 0,
                    "default_for_listing": true,
                })
            })
            .collect();
        json!({ "statuses": statuses })
    }
}

/// The comparison form of a unique value: trimmed and lower-cased; `None` when empty.
pub(crate) fn unique_value(value: &Value) -> Option<String> {
    display_text(value).map(|text| text.trim().to_lowercase())
}

/// RFC 3339 UTC with milliseconds and `Z`, as the server writes timestamps.
pub(crate) fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Everything an account stores.
#[derive(Debug)]
pub(crate) struct Account {
    pub(crate) groups: BTreeMap<u64, GroupState>,
    /// The group ids in the order they were added.
    pub(crate) order: Vec<u64>,
    /// List items per (group, field key): (id, label).
    pub(crate) list_items: HashMap<(u64, String), Vec<(String, String)>>,
    pub(crate) next_item_id: u64,
    pub(crate) date_format: DateFormat,
    pub(crate) max_records: u64,
    pub(crate) batch_limit: usize,
    pub(crate) search_cap: usize,
    pub(crate) field_match: FieldMatch,
    pub(crate) batch_failure: BatchFailure,
    /// The hits of the last search, reused while the same query pages through an
    /// unchanged group.
    pub(crate) search_cache: Option<SearchCache>,
    rng: SmallRng,
    used_ids: HashSet<String>,
}

/// The matching positions of one search body in one generation of a group.
#[derive(Debug)]
pub(crate) struct SearchCache {
    pub(crate) group_id: u64,
    pub(crate) generation: u64,
    pub(crate) body: String,
    pub(crate) hits: Vec<usize>,
}

/// The settings of an account that are not groups.
#[derive(Debug, Clone)]
pub(crate) struct AccountConfig {
    pub(crate) date_format: DateFormat,
    pub(crate) max_records: u64,
    pub(crate) batch_limit: usize,
    pub(crate) search_cap: usize,
    pub(crate) field_match: FieldMatch,
    pub(crate) batch_failure: BatchFailure,
}

impl Account {
    /// Checks the specs and builds the account; the error names what is wrong.
    pub(crate) fn new(
        specs: Vec<GroupSpec>,
        config: AccountConfig,
        seed: u64,
    ) -> Result<Self, String> {
        let mut account = Account {
            groups: BTreeMap::new(),
            order: Vec::new(),
            list_items: HashMap::new(),
            next_item_id: 7000,
            date_format: config.date_format,
            max_records: config.max_records,
            batch_limit: config.batch_limit,
            search_cap: config.search_cap.max(1),
            field_match: config.field_match,
            batch_failure: config.batch_failure,
            search_cache: None,
            rng: SmallRng::seed_from_u64(seed),
            used_ids: HashSet::new(),
        };
        let mut next_field_id = 910_001;
        for spec in &specs {
            check_spec(spec, &specs)?;
            if account.groups.contains_key(&spec.id) {
                return Err(format!("group id {} is used twice", spec.id));
            }
            let field_ids = (0..spec.fields.len() as u64)
                .map(|i| next_field_id + i)
                .collect();
            next_field_id += spec.fields.len() as u64;
            for field in &spec.fields {
                let items = field
                    .options
                    .iter()
                    .map(|label| {
                        account.next_item_id += 1;
                        (account.next_item_id.to_string(), label.clone())
                    })
                    .collect();
                account
                    .list_items
                    .insert((spec.id, field.key.clone()), items);
            }
            account.order.push(spec.id);
            let state = GroupState {
                spec: spec.clone(),
                field_ids,
                objects: Vec::new(),
                positions: HashMap::new(),
                unique_index: HashMap::new(),
                generation: 0,
            };
            account.groups.insert(spec.id, state);
        }
        Ok(account)
    }

    /// A fresh object id: 24 hex characters, never used before in this account.
    pub(crate) fn new_object_id(&mut self) -> String {
        loop {
            let high: u32 = self.rng.random();
            let low: u64 = self.rng.random();
            let id = format!("{high:08x}{low:016x}");
            if self.used_ids.insert(id.clone()) {
                return id;
            }
        }
    }

    /// Objects stored over every group.
    pub(crate) fn record_count(&self) -> u64 {
        self.groups.values().map(|g| g.objects.len() as u64).sum()
    }

    pub(crate) fn groups_json(&self) -> Value {
        let groups: Vec<Value> = self
            .order
            .iter()
            .map(|id| self.groups[id].summary())
            .collect();
        json!({ "groups": groups })
    }

    pub(crate) fn settings_json(&self, email: &str) -> Value {
        let groups: Vec<Value> = self
            .order
            .iter()
            .map(|id| {
                let mut group = self.groups[id].summary();
                group["is_submenu"] = json!(false);
                group
            })
            .collect();
        let used = self.record_count();
        let percent = if self.max_records == 0 {
            0.0
        } else {
            used as f64 * 100.0 / self.max_records as f64
        };
        json!({
            "settings": {
                "list_items_per_page": 50,
                "currency": { "symbol": "$", "name": "US Dollar" },
                "bought_records": self.max_records,
                "date_format": self.date_format.account,
                "time_format": "hh:mm A",
                "groups": groups,
                "tools": ["audit", "reports"],
                "token_expires_in": 86400,
            },
            "submenu_entities": [],
            "user_details": user_details(email),
            "records": {
                "used_records_percent": format!("{percent:.2}"),
                "used_records": used,
                "max_records": self.max_records,
            }
        })
    }
}

pub(crate) fn user_details(email: &str) -> Value {
    json!({
        "id": 5120,
        "email": email,
        "first_name": "Sync",
        "last_name": "Service",
        "account_id": 3301,
        "is_active": true,
        "is_admin": true,
        "timezone": "UTC",
    })
}

/// Checks one spec against the others.
fn check_spec(spec: &GroupSpec, all: &[GroupSpec]) -> Result<(), String> {
    let mut keys = HashSet::new();
    for field in &spec.fields {
        if !keys.insert(field.key.as_str()) {
            return Err(format!(
                "group {} has field key {} twice",
                spec.id, field.key
            ));
        }
        if let FieldType::GroupList { group_id } = field.field_type {
            if !all.iter().any(|g| g.id == group_id) {
                return Err(format!(
                    "field {} of group {} links to group {group_id}, which the account lacks",
                    field.key, spec.id
                ));
            }
        }
        if field.field_type == FieldType::Status && spec.statuses.is_empty() {
            return Err(format!(
                "group {} has a status field but no statuses",
                spec.id
            ));
        }
    }
    for key in spec.display_field.iter().chain(&spec.secondary_field) {
        if spec.field_by_key(key).is_none() {
            return Err(format!(
                "group {} names field {key}, which it lacks",
                spec.id
            ));
        }
    }
    Ok(())
}
