//! A job compiled against its target group, and the mapping of one record.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use crate::catalog::ValueKind;
use crate::config::{GuardSettings, LinkConfig, OnUnset};
use crate::entity::Entity;
use crate::filter::{FilterExpr, RenderedFilter};
use crate::path::FieldPath;
use crate::target::{DateFormat, TargetField, TargetFieldKind, TargetGroup};
use crate::transform::Transform;
use crate::value::{canonical_number, parse_bool, parse_calendar_day, parse_number, SourceValue};

/// A job compiled by [`crate::validate_job`]: every name resolved, ready to plan.
#[derive(Debug, Clone)]
pub struct CompiledJob {
    /// The job's name.
    pub name: String,
    /// The source entity.
    pub entity: Entity,
    /// The target group.
    pub group: TargetGroup,
    /// The match keys, the ConnectWise id first.
    pub keys: Vec<CompiledKey>,
    /// The mapped fields (match-key fields included, after the explicit mappings).
    pub fields: Vec<CompiledField>,
    /// The filter, evaluated locally.
    pub filter: FilterExpr,
    /// The filter as sent to the server (rendered parts and raw texts).
    pub pushdown: RenderedFilter,
    /// What happens to objects whose record was deleted at source.
    pub on_deleted: CompiledOrphan,
    /// What happens to objects whose record left the filter.
    pub on_filtered_out: CompiledOrphan,
    /// Whether the archive guard is on.
    pub guard_enabled: bool,
    /// The archive guard's largest share.
    pub guard_max_share: f64,
    /// The create guard's settings.
    pub create_guard: GuardSettings,
    /// The account's date format.
    pub date_format: DateFormat,
}

/// A compiled match key.
#[derive(Debug, Clone)]
pub struct CompiledKey {
    /// The target field.
    pub target: TargetField,
    /// The source path.
    pub source: FieldPath,
    /// Compare exactly instead of trimmed and case-folded.
    pub exact: bool,
}

impl CompiledKey {
    /// Normalises a key value for matching; `None` when empty.
    pub fn normalise(&self, text: &str) -> Option<String> {
        let t = if self.exact { text } else { text.trim() };
        if t.is_empty() {
            None
        } else if self.exact {
            Some(t.to_string())
        } else {
            Some(t.to_lowercase())
        }
    }

    /// The normalised key value of a target value.
    pub fn normalise_target(&self, value: &Value) -> Option<String> {
        match value {
            Value::String(s) => self.normalise(s),
            Value::Number(n) => self.normalise(&n.to_string()),
            Value::Object(_) => crate::value::target_label(value).and_then(|s| self.normalise(s)),
            _ => None,
        }
    }
}

/// Where a mapped value comes from.
#[derive(Debug, Clone)]
pub enum ValueSource {
    /// One path.
    Path(FieldPath),
    /// A template of literal text and paths.
    Template(Vec<TemplatePart>),
}

/// A piece of a template.
#[derive(Debug, Clone)]
pub enum TemplatePart {
    /// Literal text.
    Text(String),
    /// A source field.
    Field(FieldPath),
}

/// A compiled field mapping.
#[derive(Debug, Clone)]
pub struct CompiledField {
    /// The target field.
    pub target: TargetField,
    /// The source.
    pub source: ValueSource,
    /// The source's kind (from the catalog; `Any` when unknown).
    pub kind: ValueKind,
    /// Transforms, in order.
    pub transforms: Vec<Transform>,
    /// What an unset value does.
    pub on_unset: OnUnset,
    /// The list / status values map.
    pub values: Option<BTreeMap<String, String>>,
    /// The link to another group, for group-list fields.
    pub link: Option<LinkConfig>,
}

/// What happens to an orphaned object, compiled.
#[derive(Debug, Clone, PartialEq)]
pub enum CompiledOrphan {
    /// Leave it.
    Keep,
    /// Archive it.
    Archive,
    /// Set a status (and maybe archive).
    SetStatus {
        /// The status field.
        field: TargetField,
        /// The status id.
        status_id: String,
        /// Archive as well.
        archive: bool,
    },
}

impl CompiledOrphan {
    /// Whether it archives.
    pub fn archives(&self) -> bool {
        matches!(
            self,
            CompiledOrphan::Archive | CompiledOrphan::SetStatus { archive: true, .. }
        )
    }
}

/// A mapped value for one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mapped {
    /// Leave the field alone.
    Skip,
    /// Write this text (`""` clears).
    Text(Box<str>),
}

/// The result of mapping one record.
#[derive(Debug, Clone)]
pub struct MappedRecord {
    /// The ConnectWise id, as text.
    pub id: String,
    /// One value per [`CompiledJob::fields`] entry.
    pub values: Vec<Mapped>,
    /// Per-field errors of a record that is still written (the field is skipped).
    pub field_errors: Vec<(String, String)>,
    /// Warnings (field, message).
    pub warnings: Vec<(Option<String>, String)>,
}

/// Why a record cannot be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordFailure {
    /// The record id, when it has one.
    pub id: Option<String>,
    /// The field, when one field is at fault.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// Link lookups: for each field index, ConnectWise id (normalised) → linked object id.
pub type LinkIndex = HashMap<usize, HashMap<String, String>>;

/// The id of a record as text.
pub fn record_id(record: &Value) -> Option<String> {
    match record.get("id")? {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }
}

impl CompiledJob {
    /// The fields to project when fetching: `id`, `_info/lastUpdated`, the deleted flag,
    /// and every path the mapping, the keys and the filter use.
    pub fn projection(&self) -> Vec<String> {
        let mut out: Vec<String> = vec!["id".into(), "_info/lastUpdated".into()];
        if let Some(flag) = self.entity.deleted_flag() {
            out.push(flag.to_string());
        }
        let mut push = |p: &FieldPath| {
            let name = p.projection();
            if !out.contains(&name) {
                out.push(name);
            }
        };
        for key in &self.keys {
            push(&key.source);
        }
        for field in &self.fields {
            match &field.source {
                ValueSource::Path(p) => push(p),
                ValueSource::Template(parts) => parts.iter().for_each(|part| {
                    if let TemplatePart::Field(p) = part {
                        push(p)
                    }
                }),
            }
        }
        for c in self.filter.comparisons() {
            push(&c.path);
        }
        out
    }

    /// Whether a record is soft-deleted at source.
    pub fn is_deleted(&self, record: &Value) -> bool {
        self.entity
            .deleted_flag()
            .and_then(|flag| record.get(flag))
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }

    /// The index of the field mapped into a target key.
    pub fn field_index(&self, key: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.target.key == key)
    }

    /// Maps one record.
    pub fn map_record(
        &self,
        record: &Value,
        links: &LinkIndex,
    ) -> Result<MappedRecord, RecordFailure> {
        let id = record_id(record).ok_or_else(|| RecordFailure {
            id: None,
            field: None,
            message: "the record has no `id`".to_string(),
        })?;
        let mut out = MappedRecord {
            id: id.clone(),
            values: Vec::with_capacity(self.fields.len()),
            field_errors: Vec::new(),
            warnings: Vec::new(),
        };

        for (index, field) in self.fields.iter().enumerate() {
            let name = field.target.describe();
            let raw = match self.read(field, record) {
                Ok(v) => v,
                Err(message) => {
                    out.field_errors.push((name, message));
                    out.values.push(Mapped::Skip);
                    continue;
                }
            };

            let mut value = raw;
            for transform in &field.transforms {
                value = transform.apply(value).map_err(|e| RecordFailure {
                    id: Some(id.clone()),
                    field: Some(name.clone()),
                    message: e.0,
                })?;
            }

            let mapped = self
                .convert(index, field, value, links, &mut out.warnings)
                .map_err(|message| RecordFailure {
                    id: Some(id.clone()),
                    field: Some(name.clone()),
                    message,
                })?;
            out.values.push(mapped);
        }
        Ok(out)
    }

    fn read(&self, field: &CompiledField, record: &Value) -> Result<SourceValue, String> {
        match &field.source {
            ValueSource::Path(path) => {
                let extracted = path.extract(record).map_err(|e| e.to_string())?;
                if field.link.is_some() {
                    // A link keys on the referenced record's id.
                    return Ok(match extracted {
                        crate::path::Extracted::One(Value::Object(map)) => map
                            .get("id")
                            .map(SourceValue::from_json)
                            .unwrap_or(SourceValue::Unset),
                        other => SourceValue::from_extracted(&other),
                    });
                }
                Ok(SourceValue::from_extracted(&extracted))
            }
            ValueSource::Template(parts) => {
                let mut text = String::new();
                let mut any = false;
                for part in parts {
                    match part {
                        TemplatePart::Text(t) => text.push_str(t),
                        TemplatePart::Field(path) => {
                            let extracted = path.extract(record).map_err(|e| e.to_string())?;
                            if let Some(t) = SourceValue::from_extracted(&extracted).to_text() {
                                any = true;
                                text.push_str(&t);
                            }
                        }
                    }
                }
                Ok(if any {
                    SourceValue::Text(text.trim().to_string())
                } else {
                    SourceValue::Unset
                })
            }
        }
    }

    fn convert(
        &self,
        index: usize,
        field: &CompiledField,
        value: SourceValue,
        links: &LinkIndex,
        warnings: &mut Vec<(Option<String>, String)>,
    ) -> Result<Mapped, String> {
        let name = field.target.describe();
        if let Some(link) = &field.link {
            let key = value.to_text().map(|t| t.trim().to_string());
            let found = key
                .as_ref()
                .and_then(|k| links.get(&index).and_then(|m| m.get(&k.to_lowercase())));
            return Ok(match (key, found) {
                (_, Some(object)) => Mapped::Text(object.as_str().into()),
                (Some(key), None) => {
                    warnings.push((
                        Some(name),
                        format!(
                            "linked record {key} is not in {}; the link is left empty",
                            link.group
                        ),
                    ));
                    Mapped::Text("".into())
                }
                (None, None) => {
                    warnings.push((
                        Some(name),
                        "no linked record; the link is left empty".into(),
                    ));
                    Mapped::Text("".into())
                }
            });
        }

        if value.is_unset() {
            return Ok(match field.on_unset {
                OnUnset::Keep => Mapped::Skip,
                OnUnset::Clear => Mapped::Text("".into()),
            });
        }

        let text = |v: &SourceValue| v.to_text().unwrap_or_default();
        let converted: String = match &field.target.kind {
            TargetFieldKind::Number | TargetFieldKind::Currency => match &value {
                SourceValue::Number(n) => match n.as_f64() {
                    Some(f) => canonical_number(f),
                    None => n.to_string(),
                },
                SourceValue::Text(t) if t.trim().is_empty() => String::new(),
                SourceValue::Text(t) => match parse_number(t) {
                    Some(n) => canonical_number(n),
                    None => return Err(format!("`{t}` is not a number")),
                },
                other => return Err(format!("`{}` is not a number", text(other))),
            },
            TargetFieldKind::Date => match &value {
                SourceValue::Text(t) if t.trim().is_empty() => String::new(),
                SourceValue::Text(t) => match parse_calendar_day(t) {
                    Some(day) => self.date_format.format(day),
                    None => {
                        warnings.push((
                            Some(name),
                            format!("`{t}` is not a date; the field is left as it is"),
                        ));
                        return Ok(Mapped::Skip);
                    }
                },
                other => return Err(format!("`{}` is not a date", text(other))),
            },
            TargetFieldKind::Checkbox => {
                let json = match &value {
                    SourceValue::Bool(b) => Value::Bool(*b),
                    SourceValue::Number(n) => Value::Number(n.clone()),
                    other => Value::String(text(other)),
                };
                match parse_bool(&json) {
                    Some(b) => b.to_string(),
                    None => return Err(format!("`{}` is not yes or no", text(&value))),
                }
            }
            TargetFieldKind::Status => {
                let name_text = self.through_values(field, &text(&value));
                let status =
                    self.group.statuses.iter().find(|s| {
                        s.name.eq_ignore_ascii_case(name_text.trim()) || s.id == name_text
                    });
                match status {
                    Some(s) => s.id.clone(),
                    None => {
                        return Err(format!(
                            "`{name_text}` is not a status of group {}",
                            self.group.name
                        ))
                    }
                }
            }
            TargetFieldKind::List => match &field.values {
                Some(map) => {
                    let t = text(&value);
                    match lookup(map, &t) {
                        Some(id) => id.to_string(),
                        None => return Err(format!("`{t}` is not in the field's `values` map")),
                    }
                }
                None => text(&value),
            },
            _ => text(&value),
        };
        Ok(Mapped::Text(converted.into()))
    }

    fn through_values(&self, field: &CompiledField, text: &str) -> String {
        field
            .values
            .as_ref()
            .and_then(|map| lookup(map, text))
            .unwrap_or(text)
            .to_string()
    }
}

fn lookup<'a>(map: &'a BTreeMap<String, String>, text: &str) -> Option<&'a str> {
    map.get(text)
        .or_else(|| {
            map.iter()
                .find(|(k, _)| k.trim().eq_ignore_ascii_case(text.trim()))
                .map(|(_, v)| v)
        })
        .map(String::as_str)
}
