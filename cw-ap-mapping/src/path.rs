//! Field paths in ConnectWise's own syntax, and walking them through a JSON record.
//!
//! A path is a list of segments separated by `/`: `company/name`, `types[]/name` (every
//! member of a list), `_info/lastUpdated`, `customFields[id=9]` or
//! `customFields[caption=RMM ID]` (the `value` of the custom field so chosen).

use std::fmt;

use serde_json::Value;

/// A parsed field path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldPath {
    raw: String,
    segments: Vec<Segment>,
}

/// One segment of a path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Segment {
    /// The JSON name.
    pub name: String,
    /// An optional selector on a list.
    pub selector: Option<Selector>,
}

/// How a segment picks members of a list.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Selector {
    /// `[]`: every member.
    All,
    /// `[key=value]`: the first member whose `key` equals `value`.
    Where {
        /// The member's field compared.
        key: String,
        /// The value it must have.
        value: String,
    },
}

/// A path that cannot be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("path `{path}` is malformed: {reason}")]
pub struct PathSyntaxError {
    /// The path as written.
    pub path: String,
    /// What is wrong.
    pub reason: String,
}

/// A path that walked into a value it cannot enter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("segment `{segment}` of `{path}` was applied to a {found}")]
pub struct PathWalkError {
    /// The whole path.
    pub path: String,
    /// The segment that could not be applied.
    pub segment: String,
    /// What it met: `string`, `number` or `boolean`.
    pub found: &'static str,
}

/// What a path yields on a record.
#[derive(Debug, Clone, PartialEq)]
pub enum Extracted<'a> {
    /// Absent or `null` (a missing segment counts as absent).
    Unset,
    /// One value.
    One(&'a Value),
    /// The members reached through a `[]` segment or an implicit list.
    Many(Vec<&'a Value>),
}

impl FieldPath {
    /// Parses a path.
    pub fn parse(text: &str) -> Result<Self, PathSyntaxError> {
        let err = |reason: &str| PathSyntaxError {
            path: text.to_string(),
            reason: reason.to_string(),
        };
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(err("it is empty"));
        }

        let mut segments = Vec::new();
        let mut rest = trimmed;
        loop {
            let end = rest.find(['/', '[']).unwrap_or(rest.len());
            let name = rest[..end].trim();
            if name.is_empty() {
                return Err(err("a segment has no name"));
            }
            if name.contains(']') {
                return Err(err("`]` without `[`"));
            }
            rest = &rest[end..];

            let mut selector = None;
            if let Some(after) = rest.strip_prefix('[') {
                let close = after.find(']').ok_or_else(|| err("`[` is never closed"))?;
                let inside = after[..close].trim();
                selector = Some(if inside.is_empty() {
                    Selector::All
                } else {
                    let (key, value) = inside
                        .split_once('=')
                        .ok_or_else(|| err("a selector must be `[]` or `[key=value]`"))?;
                    let (key, value) = (key.trim(), trim_quotes(value.trim()));
                    if key.is_empty() || value.is_empty() {
                        return Err(err("a selector needs a key and a value"));
                    }
                    Selector::Where {
                        key: key.to_string(),
                        value: value.to_string(),
                    }
                });
                rest = &after[close + 1..];
            }
            segments.push(Segment {
                name: name.to_string(),
                selector,
            });

            if rest.is_empty() {
                break;
            }
            rest = rest
                .strip_prefix('/')
                .ok_or_else(|| err("a selector must end its segment"))?;
        }

        Ok(FieldPath {
            raw: trimmed.to_string(),
            segments,
        })
    }

    /// The path as written (trimmed).
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The segments.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// The first segment's name (the record's top-level JSON name).
    pub fn root(&self) -> &str {
        &self.segments[0].name
    }

    /// The custom-field selector when the path is `customFields[id=N]` or
    /// `customFields[caption=…]`.
    pub fn custom_field(&self) -> Option<(&str, &str)> {
        match self.segments.as_slice() {
            [Segment {
                name,
                selector: Some(Selector::Where { key, value }),
            }] if name == "customFields" => Some((key.as_str(), value.as_str())),
            _ => None,
        }
    }

    /// Whether the path goes through a list member (`types[]/name`).
    pub fn is_child(&self) -> bool {
        self.custom_field().is_none()
            && self
                .segments
                .iter()
                .any(|s| matches!(s.selector, Some(Selector::All)))
    }

    /// The name to ask for in a `fields=` projection: the path up to and including the first
    /// list segment, without selectors (`types[]/name` → `types`).
    pub fn projection(&self) -> String {
        let mut parts = Vec::new();
        for segment in &self.segments {
            parts.push(segment.name.as_str());
            if segment.selector.is_some() {
                break;
            }
        }
        parts.join("/")
    }

    /// The name used in a condition: selectors dropped, audit timestamps (`_info/…`) at the
    /// top level, as the server expects (`types[]/name` → `types/name`).
    pub fn condition_name(&self) -> String {
        if self.segments.len() == 2 && self.segments[0].name == "_info" {
            return self.segments[1].name.clone();
        }
        self.segments
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Walks the path through a record.
    pub fn extract<'a>(&self, record: &'a Value) -> Result<Extracted<'a>, PathWalkError> {
        let mut current: Vec<&'a Value> = vec![record];
        let mut many = false;
        let last = self.segments.len() - 1;

        for (index, segment) in self.segments.iter().enumerate() {
            let mut next = Vec::new();
            for value in current {
                let mut children = Vec::new();
                self.enter(value, &segment.name, &mut children, &mut many)?;
                for child in children {
                    match &segment.selector {
                        None => next.push(child),
                        Some(Selector::All) => {
                            many = true;
                            match child {
                                Value::Array(items) => next.extend(items.iter()),
                                Value::Null => {}
                                other => next.push(other),
                            }
                        }
                        Some(Selector::Where { key, value: wanted }) => {
                            let Value::Array(items) = child else {
                                continue;
                            };
                            let found = items.iter().find(|item| {
                                item.get(key.as_str()).is_some_and(|v| scalar_eq(v, wanted))
                            });
                            if let Some(item) = found {
                                let custom = segment.name == "customFields" && index == last;
                                next.push(if custom {
                                    item.get("value").unwrap_or(&Value::Null)
                                } else {
                                    item
                                });
                            }
                        }
                    }
                }
            }
            current = next;
        }

        let values: Vec<&Value> = current.into_iter().filter(|v| !v.is_null()).collect();
        Ok(match (many, values.len()) {
            (_, 0) => Extracted::Unset,
            (false, 1) => Extracted::One(values[0]),
            _ => Extracted::Many(values),
        })
    }

    fn enter<'a>(
        &self,
        value: &'a Value,
        name: &str,
        out: &mut Vec<&'a Value>,
        many: &mut bool,
    ) -> Result<(), PathWalkError> {
        match value {
            Value::Null => Ok(()),
            Value::Object(map) => {
                if let Some(child) = map.get(name) {
                    out.push(child);
                }
                Ok(())
            }
            Value::Array(items) => {
                // A list met without `[]`: every member, as ConnectWise's own child syntax.
                *many = true;
                for item in items {
                    self.enter(item, name, out, many)?;
                }
                Ok(())
            }
            Value::String(_) => Err(self.walk_error(name, "string")),
            Value::Number(_) => Err(self.walk_error(name, "number")),
            Value::Bool(_) => Err(self.walk_error(name, "boolean")),
        }
    }

    fn walk_error(&self, segment: &str, found: &'static str) -> PathWalkError {
        PathWalkError {
            path: self.raw.clone(),
            segment: segment.to_string(),
            found,
        }
    }
}

fn trim_quotes(text: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = text.strip_prefix(q).and_then(|t| t.strip_suffix(q)) {
            return inner;
        }
    }
    text
}

fn scalar_eq(value: &Value, wanted: &str) -> bool {
    match value {
        Value::String(s) => s == wanted,
        Value::Number(n) => n.to_string() == wanted,
        Value::Bool(b) => b.to_string() == wanted,
        _ => false,
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}
