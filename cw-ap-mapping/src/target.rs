//! The Asset Panda side: a target group's fields and statuses, its objects, and the
//! account's date format.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A target group, named in a job by its numeric id or by its name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum GroupRef {
    /// The group's numeric id (stable; preferred).
    Id(u64),
    /// The group's display name (resolved once per run).
    Name(String),
}

// NB: written out rather than derived (untagged), so that a wrong value says what is
// expected instead of "did not match any variant".
impl<'de> Deserialize<'de> for GroupRef {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(GroupRefVisitor)
    }
}

struct GroupRefVisitor;

impl serde::de::Visitor<'_> for GroupRefVisitor {
    type Value = GroupRef;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a group id (a whole number above 0) or a group name (text)")
    }

    fn visit_u64<E: serde::de::Error>(self, id: u64) -> Result<GroupRef, E> {
        if id == 0 {
            return Err(E::invalid_value(serde::de::Unexpected::Unsigned(0), &self));
        }
        Ok(GroupRef::Id(id))
    }

    fn visit_i64<E: serde::de::Error>(self, id: i64) -> Result<GroupRef, E> {
        match u64::try_from(id) {
            Ok(id) => self.visit_u64(id),
            Err(_) => Err(E::invalid_value(serde::de::Unexpected::Signed(id), &self)),
        }
    }

    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<GroupRef, E> {
        if name.trim().is_empty() {
            return Err(E::invalid_value(serde::de::Unexpected::Str(name), &self));
        }
        Ok(GroupRef::Name(name.to_owned()))
    }
}

impl fmt::Display for GroupRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GroupRef::Id(id) => write!(f, "group {id}"),
            GroupRef::Name(name) => write!(f, "group \"{name}\""),
        }
    }
}

/// The kind of an Asset Panda field, from its `type` text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetFieldKind {
    /// `text`.
    Text,
    /// `text_area`.
    TextArea,
    /// `numeric` / `number`.
    Number,
    /// `currency`.
    Currency,
    /// `date`, written in the account's date format.
    Date,
    /// `yes_no` / `checkbox`, written as `"true"` or `"false"`.
    Checkbox,
    /// `status`, written as the status id, resolved by name.
    Status,
    /// `list` / `dropdown`, written as text or through the mapping's `values` map.
    List,
    /// `group_list`: a link to an object of another group, written as that object's id.
    GroupList,
    /// Any other kind, kept verbatim and written as text.
    Other(String),
}

impl TargetFieldKind {
    /// Reads the `type` text of an Asset Panda field definition.
    pub fn from_api(kind: &str) -> Self {
        match kind.trim().to_ascii_lowercase().as_str() {
            "text" | "string" => TargetFieldKind::Text,
            "text_area" | "textarea" => TargetFieldKind::TextArea,
            "numeric" | "number" | "integer" | "decimal" => TargetFieldKind::Number,
            "currency" | "money" => TargetFieldKind::Currency,
            "date" => TargetFieldKind::Date,
            "yes_no" | "checkbox" | "boolean" => TargetFieldKind::Checkbox,
            "status" => TargetFieldKind::Status,
            "list" | "dropdown" | "select" => TargetFieldKind::List,
            "group_list" | "grouplist" | "link" => TargetFieldKind::GroupList,
            _ => TargetFieldKind::Other(kind.to_string()),
        }
    }

    /// A short lower-case name for messages.
    pub fn label(&self) -> &str {
        match self {
            TargetFieldKind::Text => "text",
            TargetFieldKind::TextArea => "text area",
            TargetFieldKind::Number => "number",
            TargetFieldKind::Currency => "currency",
            TargetFieldKind::Date => "date",
            TargetFieldKind::Checkbox => "yes/no",
            TargetFieldKind::Status => "status",
            TargetFieldKind::List => "list",
            TargetFieldKind::GroupList => "group list",
            TargetFieldKind::Other(other) => other,
        }
    }

    /// Whether values of this kind are free text.
    pub fn is_text(&self) -> bool {
        matches!(
            self,
            TargetFieldKind::Text | TargetFieldKind::TextArea | TargetFieldKind::Other(_)
        )
    }
}

/// One field of a target group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetField {
    /// The stable key used in object payloads (`field_10`).
    pub key: String,
    /// The display name ("Serial Number"); users can rename it.
    pub name: String,
    /// The field's kind.
    pub kind: TargetFieldKind,
    /// Whether a create must carry a value for it.
    #[serde(default)]
    pub required: bool,
    /// Whether the server enforces unique values (Asset Panda does not expose this; a sink
    /// that knows it may set it).
    #[serde(default)]
    pub unique: bool,
}

impl TargetField {
    /// A text field with the given key and name; handy in tests and examples.
    pub fn text(key: impl Into<String>, name: impl Into<String>) -> Self {
        Self::new(key, name, TargetFieldKind::Text)
    }

    /// A field of any kind, neither required nor unique.
    pub fn new(key: impl Into<String>, name: impl Into<String>, kind: TargetFieldKind) -> Self {
        TargetField {
            key: key.into(),
            name: name.into(),
            kind,
            required: false,
            unique: false,
        }
    }

    /// Marks the field as required.
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// "Serial Number (field_10)": how reports name a field.
    pub fn describe(&self) -> String {
        format!("{} ({})", self.name, self.key)
    }
}

/// One status of a target group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetStatus {
    /// The status id, as text (Asset Panda sends it as a number or a string).
    pub id: String,
    /// The status name ("Available", "Retired").
    pub name: String,
}

/// A resolved target group: its id, name, fields and statuses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetGroup {
    /// The numeric group id.
    pub id: u64,
    /// The group's display name.
    pub name: String,
    /// Every field of the group.
    pub fields: Vec<TargetField>,
    /// Every status of the group (empty when the group has none).
    #[serde(default)]
    pub statuses: Vec<TargetStatus>,
}

impl TargetGroup {
    /// The field with this exact key.
    pub fn field(&self, key: &str) -> Option<&TargetField> {
        self.fields.iter().find(|f| f.key == key)
    }
}

/// An object of a target group, as listed by the sink.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetObject {
    /// The object id (24 hex characters in Asset Panda).
    pub id: String,
    /// Field key → value, as the server returned it (strings, numbers, `{id, value}` objects
    /// for lists and statuses, `null`).
    pub fields: BTreeMap<String, Value>,
    /// Whether the object is archived.
    #[serde(default)]
    pub archived: bool,
}

impl TargetObject {
    /// An object that is not archived.
    pub fn new(id: impl Into<String>, fields: BTreeMap<String, Value>) -> Self {
        TargetObject {
            id: id.into(),
            fields,
            archived: false,
        }
    }
}

/// The account's date format, turned into a `chrono` format string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateFormat {
    strftime: String,
}

/// A date format that could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("date format `{format}` is not understood: {reason}")]
pub struct DateFormatError {
    /// The format as given.
    pub format: String,
    /// What was wrong with it.
    pub reason: String,
}

impl DateFormat {
    /// Reads an Asset Panda date format such as `MM/DD/YYYY`, `DD.MM.YYYY` or `YYYY-MM-DD`
    /// (tokens `YYYY`, `YY`, `MM`, `M`, `DD`, `D` and the separators `/ - . ` and space).
    pub fn from_account(format: &str) -> Result<Self, DateFormatError> {
        let mut out = String::new();
        let mut rest = format.trim();
        let (mut has_year, mut has_month, mut has_day) = (false, false, false);

        while !rest.is_empty() {
            let upper = rest.to_ascii_uppercase();
            let (token, len) = if upper.starts_with("YYYY") {
                has_year = true;
                ("%Y", 4)
            } else if upper.starts_with("YY") {
                has_year = true;
                ("%y", 2)
            } else if upper.starts_with("MM") {
                has_month = true;
                ("%m", 2)
            } else if upper.starts_with('M') {
                has_month = true;
                ("%-m", 1)
            } else if upper.starts_with("DD") {
                has_day = true;
                ("%d", 2)
            } else if upper.starts_with('D') {
                has_day = true;
                ("%-d", 1)
            } else {
                let c = rest.chars().next().unwrap_or(' ');
                if !matches!(c, '/' | '-' | '.' | ' ') {
                    return Err(DateFormatError {
                        format: format.to_string(),
                        reason: format!("unexpected character `{c}`"),
                    });
                }
                out.push(c);
                rest = &rest[c.len_utf8()..];
                continue;
            };
            out.push_str(token);
            rest = &rest[len..];
        }

        if !(has_year && has_month && has_day) {
            return Err(DateFormatError {
                format: format.to_string(),
                reason: "it needs a year, a month and a day".to_string(),
            });
        }
        Ok(DateFormat { strftime: out })
    }

    /// Uses a `chrono` `strftime` string (an explicit override); it must hold only valid
    /// specifiers.
    pub fn strftime(format: impl Into<String>) -> Result<Self, DateFormatError> {
        use chrono::format::{Item, StrftimeItems};
        let format = format.into();
        if StrftimeItems::new(&format).any(|item| matches!(item, Item::Error)) {
            return Err(DateFormatError {
                format,
                reason: "it holds an unknown `%` specifier".to_string(),
            });
        }
        Ok(DateFormat { strftime: format })
    }

    /// The `chrono` format string.
    pub fn as_strftime(&self) -> &str {
        &self.strftime
    }

    /// Formats a calendar date.
    pub fn format(&self, date: NaiveDate) -> String {
        date.format(&self.strftime).to_string()
    }

    /// Parses a date written in this format.
    pub fn parse(&self, text: &str) -> Option<NaiveDate> {
        let text = text.trim();
        if self.strftime.contains("%-") {
            NaiveDate::parse_from_str(text, &self.strftime.replace("%-", "%")).ok()
        } else {
            NaiveDate::parse_from_str(text, &self.strftime).ok()
        }
    }
}

impl Default for DateFormat {
    /// `MM/DD/YYYY`.
    fn default() -> Self {
        DateFormat {
            strftime: "%m/%d/%Y".to_string(),
        }
    }
}
