//! Types shared by every model: references, `_info`, custom fields.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::de::{self, open_enum};
use super::CwDateTime;

/// Fields the crate does not model, kept so nothing a newer server sends is lost.
pub type Extra = BTreeMap<String, Value>;

/// A reference to another record: `{"id": 250, "name": "…", "_info": {…}}`.
///
/// One type serves every reference kind; the extras of each kind are optional fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reference {
    /// Id of the record referred to.
    #[serde(
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<i32>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Identifier (companies, members, departments, countries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// Device identifier (configuration references, which have no name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_identifier: Option<String>,
    /// Summary (ticket references, which have no name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Metadata: `<type>_href` links and sometimes `mobileGuid`.
    #[serde(rename = "_info", default, skip_serializing_if = "Option::is_none")]
    pub info: Option<Info>,
    /// Every other key (`sort`, `level`, `type`, currency details, …).
    #[serde(flatten)]
    pub extra: Extra,
}

impl Reference {
    /// A reference by id, the form to send in a request body: `{"id": 250}`.
    pub fn id(id: i32) -> Self {
        Self {
            id: Some(id),
            ..Self::default()
        }
    }

    /// A reference by identifier, e.g. `{"identifier": "ExampleCo"}`.
    pub fn identifier(identifier: impl Into<String>) -> Self {
        Self {
            identifier: Some(identifier.into()),
            ..Self::default()
        }
    }
}

/// The read-only `_info` metadata: audit times and authors, and `*_href` links.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Info(pub BTreeMap<String, Value>);

impl Info {
    /// A value as text; `null` and non-text values are none.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(Value::as_str)
    }

    fn date(&self, key: &str) -> Option<CwDateTime> {
        self.get(key)
            .filter(|t| !t.trim().is_empty())
            .map(CwDateTime::parse)
    }

    /// `lastUpdated`; none when missing, `null` or empty (never the epoch).
    pub fn last_updated(&self) -> Option<CwDateTime> {
        self.date("lastUpdated")
    }

    /// `dateEntered`; none when missing, `null` or empty.
    pub fn date_entered(&self) -> Option<CwDateTime> {
        self.date("dateEntered")
    }

    /// `updatedBy`.
    pub fn updated_by(&self) -> Option<&str> {
        self.get("updatedBy")
    }

    /// `enteredBy`.
    pub fn entered_by(&self) -> Option<&str> {
        self.get("enteredBy")
    }
}

open_enum!(
    /// The type of a custom field.
    CustomFieldType {
        TextArea = "TextArea",
        Button = "Button",
        Currency = "Currency",
        Date = "Date",
        Hyperlink = "Hyperlink",
        IpAddress = "IPAddress",
        Checkbox = "Checkbox",
        Number = "Number",
        Percent = "Percent",
        PhoneNumber = "PhoneNumber",
        Text = "Text",
        Password = "Password",
    }
);

open_enum!(
    /// How a custom field's value is entered.
    EntryMethod {
        Date = "Date",
        EntryField = "EntryField",
        List = "List",
        Option = "Option",
    }
);

/// One custom field of a record. Its `value` may be any JSON value, or absent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomFieldValue {
    /// The field definition's id.
    #[serde(
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<i32>,
    /// The label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// The field type.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub field_type: Option<CustomFieldType>,
    /// How the value is entered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_method: Option<EntryMethod>,
    /// Decimal places of a number.
    #[serde(
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub number_of_decimals: Option<i32>,
    /// The value as sent: none when absent or `null`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// Note the lower-case `d`, unlike the catalog's `connectWiseID`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connect_wise_id: Option<String>,
    /// Every other key.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A custom field value read according to the field's type.
#[derive(Debug, Clone, PartialEq)]
pub enum CustomValue {
    /// No value (absent or `null`).
    None,
    /// A `Date` field.
    Date(CwDateTime),
    /// A `Number`, `Percent` or `Currency` field.
    Number(f64),
    /// A `Checkbox` field.
    Bool(bool),
    /// A text-like field, or a `List` or `Option` entry.
    Text(String),
    /// Anything that does not fit its type, or an unknown type: the JSON as sent.
    Raw(Value),
}

impl CustomFieldValue {
    /// The value read by the field's type; a value that does not fit comes back raw.
    pub fn typed(&self) -> CustomValue {
        let Some(value) = self.value.clone().filter(|v| !v.is_null()) else {
            return CustomValue::None;
        };
        let by_entry = matches!(
            self.entry_method,
            Some(EntryMethod::List | EntryMethod::Option)
        );
        match (&self.field_type, value) {
            (Some(CustomFieldType::Date), Value::String(s)) => {
                let date = CwDateTime::parse(&s);
                if date.is_unparsed() {
                    CustomValue::Raw(Value::String(s))
                } else {
                    CustomValue::Date(date)
                }
            }
            (
                Some(
                    CustomFieldType::Number | CustomFieldType::Percent | CustomFieldType::Currency,
                ),
                Value::Number(n),
            ) => n
                .as_f64()
                .map_or(CustomValue::Raw(Value::Number(n)), CustomValue::Number),
            (Some(CustomFieldType::Checkbox), Value::Bool(b)) => CustomValue::Bool(b),
            (
                Some(
                    CustomFieldType::Text
                    | CustomFieldType::TextArea
                    | CustomFieldType::Hyperlink
                    | CustomFieldType::IpAddress
                    | CustomFieldType::PhoneNumber
                    | CustomFieldType::Password,
                ),
                Value::String(s),
            ) => CustomValue::Text(s),
            (_, Value::String(s)) if by_entry => CustomValue::Text(s),
            (_, other) => CustomValue::Raw(other),
        }
    }
}

/// Finds custom fields by id or caption.
pub trait CustomFields {
    /// The record's custom fields.
    fn custom_fields(&self) -> &[CustomFieldValue];

    /// The custom field with this definition id.
    fn custom_field(&self, id: i32) -> Option<&CustomFieldValue> {
        self.custom_fields().iter().find(|f| f.id == Some(id))
    }

    /// The custom field with this caption (exact match).
    fn custom_field_by_caption(&self, caption: &str) -> Option<&CustomFieldValue> {
        self.custom_fields()
            .iter()
            .find(|f| f.caption.as_deref() == Some(caption))
    }
}

/// The `{"count": n}` body of the count endpoints.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    /// The number of matching records.
    #[serde(default)]
    pub count: u64,
}
