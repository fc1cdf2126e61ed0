//! Typed views of field values as the server sends them.

use serde_json::{Number, Value};

use super::lenient::string_of;
use crate::dates::{DateFormat, LenientDate};

/// A choice from a list, a status, or a link to another group's record.
///
/// The server sends it as `{"id": …, "value": "…"}` (v3) or `{"id": …,
/// "display_name": "…"}` (v2); a numeric id becomes its decimal text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The item's, status's or linked record's id, as text.
    pub id: String,
    /// The label, from `value` or `display_name`.
    pub label: Option<String>,
}

/// One field value, classified.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FieldValue {
    /// `null`, an empty string, or a missing key.
    Null,
    /// Text, including numbers and dates that the server sends as strings.
    Text(String),
    /// A list, status or linked-record value.
    Choice(Choice),
    /// A JSON boolean.
    Bool(bool),
    /// A JSON number.
    Number(Number),
    /// Anything else (arrays, objects of another shape), kept as sent.
    Other(Value),
}

impl FieldValue {
    /// Classifies a raw value.
    pub fn from_json(value: &Value) -> Self {
        match value {
            Value::Null => Self::Null,
            Value::String(s) if s.is_empty() => Self::Null,
            Value::String(s) => Self::Text(s.clone()),
            Value::Bool(b) => Self::Bool(*b),
            Value::Number(n) => Self::Number(n.clone()),
            Value::Object(_) => {
                choice_of(value).map_or_else(|| Self::Other(value.clone()), Self::Choice)
            }
            Value::Array(_) => Self::Other(value.clone()),
        }
    }

    /// True for [`FieldValue::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// The text a person would see: the text itself, a choice's label (or its id when it
    /// has none), a number or boolean as written. `None` for null and other shapes.
    pub fn display_text(&self) -> Option<String> {
        match self {
            Self::Text(s) => Some(s.clone()),
            Self::Choice(c) => Some(c.label.clone().unwrap_or_else(|| c.id.clone())),
            Self::Bool(b) => Some(b.to_string()),
            Self::Number(n) => Some(n.to_string()),
            Self::Null | Self::Other(_) => None,
        }
    }

    /// The value as a number: a JSON number, or text with `,` grouping removed.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Self::Number(n) => n.as_f64(),
            Self::Text(s) => s.trim().replace(',', "").parse().ok(),
            _ => None,
        }
    }

    /// The value as a date in `format` (then ISO, then RFC 3339); unparseable text is
    /// kept raw.
    pub fn as_date(&self, format: &DateFormat) -> Option<LenientDate> {
        match self {
            Self::Text(s) => format.parse(s),
            _ => None,
        }
    }

    /// The value as a choice.
    pub fn as_choice(&self) -> Option<&Choice> {
        match self {
            Self::Choice(c) => Some(c),
            _ => None,
        }
    }
}

/// Reads `{id, value}` or `{id, display_name}`.
fn choice_of(value: &Value) -> Option<Choice> {
    let map = value.as_object()?;
    let id = string_of(map.get("id")?)?;
    let label = map
        .get("value")
        .or_else(|| map.get("display_name"))
        .and_then(string_of);
    let known = map
        .keys()
        .all(|k| matches!(k.as_str(), "id" | "value" | "display_name"));

    known.then_some(Choice { id, label })
}
