//! Objects (records) of a group, and what is sent to create or update them.

use chrono::NaiveDate;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::ids::ObjectId;
use super::lenient;
use super::values::{Choice, FieldValue};
use crate::dates::{DateFormat, LenientDate};

/// The group an object belongs to, as the object names it (`entity`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EntityRef {
    /// The group id.
    #[serde(
        default,
        deserialize_with = "lenient::opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<i64>,
    /// The group key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

/// One object (record).
///
/// Field values are read from `data` (the v3 layout) and from `field_*` keys at the top
/// level (the older layout); when both hold a key, `data` wins. Every other key is kept in
/// [`Object::extra`].
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Object {
    /// The object id; a listing reports an object without one as an error.
    pub id: Option<ObjectId>,
    /// The display name.
    pub display_name: Option<String>,
    /// The secondary name.
    pub secondary_name: Option<String>,
    /// `"NAME <SECONDARY>"`.
    pub display_with_secondary: Option<String>,
    /// Whether the object is archived.
    pub is_archived: Option<bool>,
    /// Whether the object is locked.
    pub is_locked: Option<bool>,
    /// Creation time as sent (RFC 3339).
    pub created_at: Option<String>,
    /// Last change as sent (RFC 3339).
    pub updated_at: Option<String>,
    /// Sent as a number or a string; kept as sent.
    pub object_version_ids: Option<Value>,
    /// The group.
    pub entity: Option<EntityRef>,
    /// Field key (`field_N` and built-in keys) → value, as sent.
    pub fields: Map<String, Value>,
    /// Every other key, kept as sent.
    pub extra: Map<String, Value>,
}

impl Object {
    /// The raw value of a field, if the key is present.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.fields.get(key)
    }

    /// The classified value of a field; a missing key is [`FieldValue::Null`].
    pub fn value(&self, key: &str) -> FieldValue {
        self.get(key)
            .map_or(FieldValue::Null, FieldValue::from_json)
    }

    /// The text a person would see in a field (a list's label, a number's digits).
    pub fn text(&self, key: &str) -> Option<String> {
        self.value(key).display_text()
    }

    /// A list, status or linked-record value, in either of its shapes.
    pub fn choice(&self, key: &str) -> Option<Choice> {
        self.value(key).as_choice().cloned()
    }

    /// A date field read in `format`; unparseable text is kept raw.
    pub fn date(&self, key: &str, format: &DateFormat) -> Option<LenientDate> {
        self.value(key).as_date(format)
    }

    /// A number field; `,` grouping is removed before parsing.
    pub fn number(&self, key: &str) -> Option<f64> {
        self.value(key).as_f64()
    }
}

impl<'de> Deserialize<'de> for Object {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut map = Map::<String, Value>::deserialize(d)?;
        let mut object = Object {
            id: take(&mut map, "id", |v| lenient::string_of(v).map(ObjectId)),
            display_name: take(&mut map, "display_name", text),
            secondary_name: take(&mut map, "secondary_name", text),
            display_with_secondary: take(&mut map, "display_with_secondary", text),
            is_archived: take(&mut map, "is_archived", Value::as_bool),
            is_locked: take(&mut map, "is_locked", Value::as_bool),
            created_at: take(&mut map, "created_at", text),
            updated_at: take(&mut map, "updated_at", text),
            object_version_ids: take(&mut map, "object_version_ids", |v| {
                (!v.is_null()).then(|| v.clone())
            }),
            entity: take(&mut map, "entity", |v| {
                serde_json::from_value(v.clone()).ok()
            }),
            ..Object::default()
        };

        let data = match map.remove("data") {
            Some(Value::Object(data)) => data,
            Some(other) => {
                map.insert("data".to_owned(), other);
                Map::new()
            }
            None => Map::new(),
        };
        for (key, value) in map {
            if key.starts_with("field_") {
                object.fields.insert(key, value);
            } else {
                object.extra.insert(key, value);
            }
        }
        object.fields.extend(data);

        Ok(object)
    }
}

/// Removes `key` when `read` understands its value; otherwise leaves it for `extra`.
fn take<T>(
    map: &mut Map<String, Value>,
    key: &str,
    read: impl Fn(&Value) -> Option<T>,
) -> Option<T> {
    let found = read(map.get(key)?)?;
    map.remove(key);
    Some(found)
}

fn text(value: &Value) -> Option<String> {
    value.as_str().map(str::to_owned)
}

impl Serialize for Object {
    /// Writes the v3 layout: metadata at the top level, field values under `data`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        if let Some(id) = &self.id {
            map.serialize_entry("id", id)?;
        }
        let texts = [
            ("display_name", &self.display_name),
            ("secondary_name", &self.secondary_name),
            ("display_with_secondary", &self.display_with_secondary),
            ("created_at", &self.created_at),
            ("updated_at", &self.updated_at),
        ];
        for (key, value) in texts {
            if let Some(value) = value {
                map.serialize_entry(key, value)?;
            }
        }
        for (key, value) in [
            ("is_archived", self.is_archived),
            ("is_locked", self.is_locked),
        ] {
            if let Some(value) = value {
                map.serialize_entry(key, &value)?;
            }
        }
        if let Some(version) = &self.object_version_ids {
            map.serialize_entry("object_version_ids", version)?;
        }
        if let Some(entity) = &self.entity {
            map.serialize_entry("entity", entity)?;
        }

        map.serialize_entry("data", &self.fields)?;
        for (key, value) in &self.extra {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// Field values to send when creating or updating an object: key → value.
///
/// Values are sent as the server expects them: numbers as plain decimal strings, dates in
/// the account's format, a cleared field as `""`.
///
/// ```
/// use assetpanda_api::FieldMap;
///
/// let values = FieldMap::new()
///     .text("field_1", "EXCO-WS-017")
///     .number("field_9", 1249.5)
///     .clear("field_12");
/// assert_eq!(values.get("field_9"), Some(&serde_json::json!("1249.5")));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FieldMap(pub Map<String, Value>);

impl FieldMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a raw JSON value.
    pub fn set(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.0.insert(key.into(), value.into());
        self
    }

    /// Sets a text value.
    pub fn text(self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.set(key, Value::String(value.into()))
    }

    /// Sets a number, written as its plain decimal text.
    pub fn number(self, key: impl Into<String>, value: impl std::fmt::Display) -> Self {
        self.set(key, Value::String(value.to_string()))
    }

    /// Sets a date in the account's format.
    pub fn date(self, key: impl Into<String>, date: NaiveDate, format: &DateFormat) -> Self {
        self.set(key, Value::String(format.format(date)))
    }

    /// Clears a field (sends `""`).
    pub fn clear(self, key: impl Into<String>) -> Self {
        self.set(key, Value::String(String::new()))
    }

    /// Sets a list, status or link by item id, sent as a string.
    pub fn choice_id(self, key: impl Into<String>, id: impl std::fmt::Display) -> Self {
        self.set(key, Value::String(id.to_string()))
    }

    /// Sets a list, status or link as `{"id": …, "value": …}`, for fields that want the
    /// object form instead of the bare id.
    pub fn choice_object(
        self,
        key: impl Into<String>,
        id: impl std::fmt::Display,
        value: impl Into<String>,
    ) -> Self {
        let object = serde_json::json!({ "id": id.to_string(), "value": value.into() });
        self.set(key, object)
    }

    /// The value of a key.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key)
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when no key is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Map<String, Value>> for FieldMap {
    fn from(map: Map<String, Value>) -> Self {
        Self(map)
    }
}

impl<K: Into<String>, V: Into<Value>> FromIterator<(K, V)> for FieldMap {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Self(
            iter.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

/// One object of a batch update: its id and the values to change.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectUpdate {
    /// The object to change.
    pub id: ObjectId,
    /// The values to set.
    pub fields: FieldMap,
}

impl ObjectUpdate {
    /// An update of `id`.
    pub fn new(id: impl Into<ObjectId>, fields: FieldMap) -> Self {
        Self {
            id: id.into(),
            fields,
        }
    }
}

impl Serialize for ObjectUpdate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.fields.len() + 1))?;
        map.serialize_entry("id", &self.id)?;
        for (key, value) in self.fields.0.iter().filter(|(k, _)| k.as_str() != "id") {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// What a create or update call returned. The body is not documented, so the objects are
/// read from a single object, an `objects` array or nothing, and the raw body is kept.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct WriteOutcome {
    /// Objects found in the answer (may be empty: new ids are not always returned).
    pub objects: Vec<Object>,
    /// The whole answer; `null` when the body was empty.
    pub raw: Value,
}

impl WriteOutcome {
    pub(crate) fn from_raw(raw: Value) -> Self {
        let objects = match &raw {
            Value::Object(map) => match map.get("objects").or_else(|| map.get("data")) {
                Some(Value::Array(items)) => items.iter().filter_map(object_of).collect(),
                Some(item @ Value::Object(_)) if map.len() == 1 => {
                    object_of(item).into_iter().collect()
                }
                _ if map.contains_key("id") => object_of(&raw).into_iter().collect(),
                _ => Vec::new(),
            },
            Value::Array(items) => items.iter().filter_map(object_of).collect(),
            _ => Vec::new(),
        };
        Self { objects, raw }
    }
}

fn object_of(value: &Value) -> Option<Object> {
    value
        .is_object()
        .then(|| serde_json::from_value(value.clone()).ok())?
}
