//! Source values, their conversion to a target field's kind, and the comparison of values
//! that may be spelt differently.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde_json::{Number, Value};

use crate::path::Extracted;
use crate::target::{DateFormat, TargetFieldKind};

/// A value read from a source record, before it is written to a target field.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceValue {
    /// Absent or `null`.
    Unset,
    /// Text (NUL characters removed).
    Text(String),
    /// A JSON number.
    Number(Number),
    /// A boolean.
    Bool(bool),
    /// The members of a list (`types[]/name`).
    List(Vec<SourceValue>),
    /// Any other JSON value (an object without a name, for example).
    Json(Value),
}

impl SourceValue {
    /// Converts an extracted JSON value.
    pub fn from_json(value: &Value) -> SourceValue {
        match value {
            Value::Null => SourceValue::Unset,
            Value::String(s) => SourceValue::Text(strip_nul(s)),
            Value::Number(n) => SourceValue::Number(n.clone()),
            Value::Bool(b) => SourceValue::Bool(*b),
            Value::Array(items) => {
                let items: Vec<_> = items
                    .iter()
                    .map(SourceValue::from_json)
                    .filter(|v| !v.is_unset())
                    .collect();
                if items.is_empty() {
                    SourceValue::Unset
                } else {
                    SourceValue::List(items)
                }
            }
            Value::Object(map) => {
                // A reference: its name, else its identifier, else its id.
                for key in ["name", "identifier", "id"] {
                    match map.get(key) {
                        Some(Value::Null) | None => continue,
                        Some(v) => return SourceValue::from_json(v),
                    }
                }
                SourceValue::Json(Value::Object(map.clone()))
            }
        }
    }

    /// Converts the result of walking a path.
    pub fn from_extracted(extracted: &Extracted<'_>) -> SourceValue {
        match extracted {
            Extracted::Unset => SourceValue::Unset,
            Extracted::One(v) => SourceValue::from_json(v),
            Extracted::Many(items) => {
                let items: Vec<_> = items
                    .iter()
                    .map(|v| SourceValue::from_json(v))
                    .filter(|v| !v.is_unset())
                    .collect();
                if items.is_empty() {
                    SourceValue::Unset
                } else {
                    SourceValue::List(items)
                }
            }
        }
    }

    /// Whether the value is unset.
    pub fn is_unset(&self) -> bool {
        matches!(self, SourceValue::Unset)
    }

    /// The value as text; a list joins its members with `", "`. `None` when unset.
    pub fn to_text(&self) -> Option<String> {
        match self {
            SourceValue::Unset => None,
            SourceValue::Text(s) => Some(s.clone()),
            SourceValue::Number(n) => Some(n.to_string()),
            SourceValue::Bool(b) => Some(b.to_string()),
            SourceValue::List(items) => Some(
                items
                    .iter()
                    .filter_map(SourceValue::to_text)
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            SourceValue::Json(v) => Some(v.to_string()),
        }
    }
}

/// Removes NUL characters, which some stores downstream cannot keep.
pub fn strip_nul(text: &str) -> String {
    if text.contains('\0') {
        text.replace('\0', "")
    } else {
        text.to_string()
    }
}

/// Parses a ConnectWise date-time leniently: RFC 3339, no offset (read as UTC), 0 to 9
/// fractional digits, or a date alone (midnight UTC).
pub fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(dt.with_timezone(&Utc));
    }
    if let Ok(dt) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some(dt.and_utc());
    }
    if let Ok(dt) = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f") {
        return Some(dt.and_utc());
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|dt| dt.and_utc())
}

/// The UTC calendar day of a ConnectWise date or date-time, whatever the local time zone.
pub fn parse_calendar_day(text: &str) -> Option<NaiveDate> {
    parse_instant(text).map(|dt| dt.date_naive())
}

/// Parses a decimal number written as text: surrounding spaces and `,` grouping are
/// ignored.
pub fn parse_number(text: &str) -> Option<f64> {
    let cleaned: String = text.trim().chars().filter(|c| *c != ',').collect();
    if cleaned.is_empty() {
        return None;
    }
    cleaned.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// The canonical text of a number: shortest form, no grouping, no trailing zeros.
pub fn canonical_number(n: f64) -> String {
    if n == 0.0 {
        return "0".to_string();
    }
    format!("{n}")
}

/// Reads a yes/no value written as text or JSON.
pub fn parse_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_f64().map(|f| f != 0.0),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "1" | "on" | "checked" => Some(true),
            "false" | "no" | "n" | "0" | "off" | "unchecked" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// Whether a target value is empty (`null`, `""` or a list object without an id).
pub fn is_empty_target(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Object(map) => {
            map.is_empty()
                || matches!(map.get("id"), None | Some(Value::Null))
                    && target_label(value).is_none_or(|l| l.trim().is_empty())
        }
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

/// The id of a `{id, value}` / `{id, display_name}` object, as text.
pub fn target_choice_id(value: &Value) -> Option<String> {
    match value.get("id")? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The label of a `{id, value}` / `{id, display_name}` object.
pub fn target_label(value: &Value) -> Option<&str> {
    ["value", "display_name", "name"]
        .iter()
        .find_map(|k| value.get(*k).and_then(Value::as_str))
}

/// The text form of a scalar target value.
fn target_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Object(_) => target_label(value).map(str::to_string),
        _ => None,
    }
}

/// Whether the value already in a target field equals the value the mapping would write,
/// once both are normalised for the field's kind: numbers by value, dates by calendar day,
/// yes/no by truth, list and status values by id or label, empty values all alike.
pub fn target_values_equal(
    kind: &TargetFieldKind,
    date_format: &DateFormat,
    old: &Value,
    new: &Value,
) -> bool {
    let (old_empty, new_empty) = (is_empty_target(old), is_empty_target(new));
    if old_empty || new_empty {
        return old_empty && new_empty;
    }

    match kind {
        TargetFieldKind::Number | TargetFieldKind::Currency => {
            match (
                target_text(old).and_then(|t| parse_number(&t)),
                target_text(new).and_then(|t| parse_number(&t)),
            ) {
                (Some(a), Some(b)) => a == b,
                _ => target_text(old) == target_text(new),
            }
        }
        TargetFieldKind::Date => {
            let day = |v: &Value| {
                target_text(v)
                    .and_then(|t| date_format.parse(&t).or_else(|| parse_calendar_day(&t)))
            };
            match (day(old), day(new)) {
                (Some(a), Some(b)) => a == b,
                _ => target_text(old) == target_text(new),
            }
        }
        TargetFieldKind::Checkbox => match (parse_bool(old), parse_bool(new)) {
            (Some(a), Some(b)) => a == b,
            _ => target_text(old) == target_text(new),
        },
        TargetFieldKind::Status | TargetFieldKind::List | TargetFieldKind::GroupList => {
            let new_text = target_choice_id(new).or_else(|| target_text(new));
            let Some(new_text) = new_text else {
                return false;
            };
            if let Some(id) = target_choice_id(old) {
                if id == new_text {
                    return true;
                }
            }
            match target_text(old) {
                Some(label) => label.trim().eq_ignore_ascii_case(new_text.trim()),
                None => false,
            }
        }
        _ => target_text(old) == target_text(new),
    }
}
