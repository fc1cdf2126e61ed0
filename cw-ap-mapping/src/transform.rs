//! Transforms applied to a source value before it is converted for the target field.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::{Deserialize, Serialize};

use crate::catalog::ValueKind;
use crate::value::{parse_instant, SourceValue};

/// One transform. In TOML: `transforms = [{ op = "trim" }, { op = "truncate", max = 50 }]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Transform {
    /// Removes surrounding white space.
    Trim,
    /// Upper case.
    Upper,
    /// Lower case.
    Lower,
    /// Replaces an unset or empty value.
    Default {
        /// The value used instead.
        value: String,
    },
    /// Replaces values through a table (status names, for example); matching is exact first,
    /// then case-insensitive. Values not in the table pass unchanged unless `fallback` is set.
    Map {
        /// Source text → replacement.
        values: BTreeMap<String, String>,
        /// Used for a set value that is not in the table.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fallback: Option<String>,
    },
    /// Keeps at most `max` characters.
    Truncate {
        /// The number of characters kept.
        max: usize,
    },
    /// Formats a date-time with a `chrono` `strftime` string (UTC), producing text.
    DateFormat {
        /// The format, for example `%Y-%m-%d`.
        format: String,
    },
}

/// A transform that cannot apply to a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TransformError(pub String);

impl Transform {
    /// The transform's name as written in the configuration.
    pub fn name(&self) -> &'static str {
        match self {
            Transform::Trim => "trim",
            Transform::Upper => "upper",
            Transform::Lower => "lower",
            Transform::Default { .. } => "default",
            Transform::Map { .. } => "map",
            Transform::Truncate { .. } => "truncate",
            Transform::DateFormat { .. } => "date_format",
        }
    }

    /// Whether the transform can apply to a source field of this kind; `None` when it can,
    /// otherwise why not.
    pub fn check_kind(&self, kind: ValueKind) -> Option<String> {
        let text_only = matches!(
            self,
            Transform::Trim | Transform::Upper | Transform::Lower | Transform::Truncate { .. }
        );
        match (self, kind) {
            (Transform::DateFormat { .. }, ValueKind::DateTime | ValueKind::Any) => None,
            (Transform::DateFormat { .. }, other) => Some(format!(
                "`date_format` applies to date-times, not to a {} field",
                other.label()
            )),
            (_, ValueKind::Boolean) if text_only => Some(format!(
                "`{}` applies to text, not to a boolean field",
                self.name()
            )),
            (Transform::Truncate { max: 0 }, _) => {
                Some("`truncate` needs a `max` above 0".to_string())
            }
            _ => None,
        }
    }

    /// Applies the transform.
    pub fn apply(&self, value: SourceValue) -> Result<SourceValue, TransformError> {
        match (self, value) {
            (Transform::Default { value: default }, v) => {
                let empty = v.to_text().is_none_or(|t| t.is_empty());
                Ok(if empty {
                    SourceValue::Text(default.clone())
                } else {
                    v
                })
            }
            (_, SourceValue::Unset) => Ok(SourceValue::Unset),
            (_, SourceValue::List(items)) => Ok(SourceValue::List(
                items
                    .into_iter()
                    .map(|item| self.apply(item))
                    .collect::<Result<_, _>>()?,
            )),
            (Transform::Trim, v) => Ok(map_text(v, |t| t.trim().to_string())),
            (Transform::Upper, v) => Ok(map_text(v, |t| t.to_uppercase())),
            (Transform::Lower, v) => Ok(map_text(v, |t| t.to_lowercase())),
            (Transform::Truncate { max }, v) => Ok(map_text(v, |t| t.chars().take(*max).collect())),
            (Transform::Map { values, fallback }, v) => {
                let text = v.to_text().unwrap_or_default();
                let hit = values.get(&text).or_else(|| {
                    values
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(text.trim()))
                        .map(|(_, v)| v)
                });
                Ok(match (hit, fallback) {
                    (Some(replacement), _) => SourceValue::Text(replacement.clone()),
                    (None, Some(fallback)) => SourceValue::Text(fallback.clone()),
                    (None, None) => v,
                })
            }
            (Transform::DateFormat { format }, v) => {
                let text = v.to_text().unwrap_or_default();
                let instant = parse_instant(&text).ok_or_else(|| {
                    TransformError(format!(
                        "`{text}` is not a date-time `date_format` can read"
                    ))
                })?;
                let mut out = String::new();
                write!(out, "{}", instant.format(format)).map_err(|_| {
                    TransformError(format!("`{format}` is not a valid date format"))
                })?;
                Ok(SourceValue::Text(out))
            }
        }
    }
}

fn map_text(value: SourceValue, f: impl Fn(&str) -> String) -> SourceValue {
    match value.to_text() {
        Some(text) => SourceValue::Text(f(&text)),
        None => value,
    }
}
