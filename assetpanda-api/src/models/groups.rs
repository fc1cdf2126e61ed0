//! Groups: the collections of records ("Assets", "Employees", "Devices").

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::ids::GroupId;
use super::lenient;

/// One group. Store its `id` (or `key`) in configuration, never its `name`, which users
/// can edit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Group {
    /// The group number used in every object path.
    #[serde(
        default,
        deserialize_with = "opt_group_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<GroupId>,
    /// The user's label; may be renamed and may be non-ASCII.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The slug, such as `asset_items`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// URL of the group's icon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    /// Seen only in the copy of the list that the settings embed.
    #[serde(
        default,
        deserialize_with = "lenient::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_submenu: Option<bool>,
    /// Every other key, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn opt_group_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<GroupId>, D::Error> {
    Ok(lenient::opt_i64(d)?.map(GroupId))
}

/// One group, either bare or wrapped as `{"group": {...}}`.
pub(crate) fn unwrap_group(mut body: Value) -> Value {
    match body.as_object_mut().and_then(|m| m.remove("group")) {
        Some(inner @ Value::Object(_)) => inner,
        Some(other) => {
            if let Some(map) = body.as_object_mut() {
                map.insert("group".to_owned(), other);
            }
            body
        }
        None => body,
    }
}
