//! Field definitions: the columns of a group's records.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::lenient;

/// One field of a group. Write values by [`Field::key`] (`field_N`), never by name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Field {
    /// The field definition's id.
    #[serde(
        default,
        deserialize_with = "lenient::opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<i64>,
    /// The user's label, such as "Serial Number"; can change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The stable key used in object payloads, such as `field_10`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The kind of field.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub field_type: Option<FieldType>,
    /// Must be present when an object is created.
    #[serde(
        default,
        deserialize_with = "lenient::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_required: Option<bool>,
    /// Shown only embedded in another view.
    #[serde(
        default,
        deserialize_with = "lenient::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_only_embedded: Option<bool>,
    /// The group the field belongs to.
    #[serde(
        default,
        deserialize_with = "lenient::opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub entity_id: Option<i64>,
    /// An open (free-text) field.
    #[serde(
        default,
        deserialize_with = "lenient::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_open_field: Option<bool>,
    /// Shown in the object's display value.
    #[serde(
        default,
        deserialize_with = "lenient::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub show_in_value: Option<bool>,
    /// Every other key, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Field {
    /// True when the field must be given on create.
    pub fn required(&self) -> bool {
        self.is_required.unwrap_or(false)
    }
}

/// The kind of a field. Only `text` is confirmed by the vendor; the others are the names
/// seen so far, and any other text is kept in [`FieldType::Other`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FieldType {
    /// One line of text.
    Text,
    /// Several lines of text.
    TextArea,
    /// A date in the account's format.
    Date,
    /// A number.
    Number,
    /// An amount of money.
    Currency,
    /// A choice from a list.
    List,
    /// A link to a record of another group.
    GroupList,
    /// The record's status.
    Status,
    /// Yes or no.
    YesNo,
    /// Any other kind, with the server's text.
    Other(String),
}

impl FieldType {
    /// The server's text for this kind.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Text => "text",
            Self::TextArea => "text_area",
            Self::Date => "date",
            Self::Number => "number",
            Self::Currency => "currency",
            Self::List => "list",
            Self::GroupList => "group_list",
            Self::Status => "status",
            Self::YesNo => "yes_no",
            Self::Other(text) => text,
        }
    }

    /// Reads the server's text; unknown text becomes [`FieldType::Other`].
    pub fn parse(text: &str) -> Self {
        match text {
            "text" => Self::Text,
            "text_area" => Self::TextArea,
            "date" => Self::Date,
            "number" => Self::Number,
            "currency" => Self::Currency,
            "list" => Self::List,
            "group_list" => Self::GroupList,
            "status" => Self::Status,
            "yes_no" => Self::YesNo,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for FieldType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for FieldType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        Ok(match &value {
            Value::String(s) => Self::parse(s),
            other => Self::Other(other.to_string()),
        })
    }
}
