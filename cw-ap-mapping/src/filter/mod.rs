//! Filters: which source records a job covers.
//!
//! A filter is written in the job configuration ([`FilterConfig`]), compiled against the
//! job's entity ([`FilterConfig::compile`]) into a [`FilterExpr`], evaluated locally on each
//! record ([`FilterExpr::matches`]) and rendered into the three ConnectWise parameters
//! ([`FilterExpr::render`]) so that the server sends only matching records.
//!
//! Local evaluation follows the server's SQL-like rules: comparisons ignore case, a
//! comparison with an unset value is false (whatever the operator, except `is null`), and a
//! condition on a list member (`types[]/name`) holds when some member satisfies it.

mod eval;
mod render;

use serde::{Deserialize, Serialize};

use crate::entity::Entity;
use crate::path::FieldPath;

pub use render::{quote_literal, RenderedFilter};

/// The filter section of a job.
///
/// ```toml
/// filter = { status = ["Active"], types = ["Client", "Vendor"], min_employees = 10,
///            conditions = [{ field = "state", op = "in", value = ["TX", "OK"] }] }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilterConfig {
    /// Status names to include (`status/name`; `agreementStatus` for agreements).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub status: Vec<String>,
    /// Type names to include (a company's `types[]/name`, otherwise `type/name`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<String>,
    /// Country names (`country/name`; companies and tickets).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub country: Vec<String>,
    /// States (`state` for companies, `stateIdentifier` for tickets).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub state: Vec<String>,
    /// Cities (`city`; companies and tickets).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub city: Vec<String>,
    /// ZIP codes (`zip`; companies and tickets).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zip: Vec<String>,
    /// At least this many employees (companies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_employees: Option<i64>,
    /// At most this many employees (companies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_employees: Option<i64>,
    /// Further conditions; all must hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Filter>,
    /// A `conditions` text sent to the server exactly as written (byte for byte when it is
    /// the only filter). The server alone evaluates it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_conditions: Option<String>,
    /// A `childConditions` text sent as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_child_conditions: Option<String>,
    /// A `customFieldConditions` text sent as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_custom_field_conditions: Option<String>,
}

/// A filter expression as written in a configuration.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Filter {
    /// `{ field = "…", op = "…", value = … }`.
    Condition(Condition),
    /// `{ any = [ … ] }`: at least one holds.
    Any {
        /// The alternatives.
        any: Vec<Filter>,
    },
    /// `{ all = [ … ] }`: every one holds.
    All {
        /// The parts.
        all: Vec<Filter>,
    },
    /// `{ not = { … } }`: the inner filter does not hold.
    Not {
        /// The negated filter.
        not: Box<Filter>,
    },
}

// NB: written out rather than derived (untagged): the shape is chosen by its keys, so a
// mistake inside a condition (an unknown operator, a misspelt key) is reported as such
// instead of "did not match any variant".
impl<'de> Deserialize<'de> for Filter {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;

        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct AnyOf {
            any: Vec<Filter>,
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct AllOf {
            all: Vec<Filter>,
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct NotOf {
            not: Box<Filter>,
        }

        let value = serde_json::Value::deserialize(deserializer)?;
        let Some(map) = value.as_object() else {
            return Err(D::Error::custom(FILTER_SHAPE));
        };
        let has = |key: &str| map.contains_key(key);
        let built = if has("any") {
            serde_json::from_value::<AnyOf>(value).map(|f| Filter::Any { any: f.any })
        } else if has("all") {
            serde_json::from_value::<AllOf>(value).map(|f| Filter::All { all: f.all })
        } else if has("not") {
            serde_json::from_value::<NotOf>(value).map(|f| Filter::Not { not: f.not })
        } else if has("field") || has("op") {
            serde_json::from_value::<Condition>(value).map(Filter::Condition)
        } else {
            return Err(D::Error::custom(FILTER_SHAPE));
        };
        built.map_err(D::Error::custom)
    }
}

const FILTER_SHAPE: &str = "a filter condition is `{ field = \"…\", op = \"…\", value = … }`, \
     `{ any = [ … ] }`, `{ all = [ … ] }` or `{ not = { … } }`";

/// One comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// The field: a catalog display name or a ConnectWise path.
    pub field: String,
    /// The operator.
    pub op: Op,
    /// The value (a list for `in` / `not in`; none for `is null` / `is not null`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Literal>,
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Op {
    /// `=`.
    #[serde(rename = "=", alias = "eq")]
    Eq,
    /// `!=`.
    #[serde(rename = "!=", alias = "ne")]
    Ne,
    /// `<`.
    #[serde(rename = "<", alias = "lt")]
    Lt,
    /// `<=`.
    #[serde(rename = "<=", alias = "le")]
    Le,
    /// `>`.
    #[serde(rename = ">", alias = "gt")]
    Gt,
    /// `>=`.
    #[serde(rename = ">=", alias = "ge")]
    Ge,
    /// `in`.
    #[serde(rename = "in")]
    In,
    /// `not in`.
    #[serde(rename = "not in", alias = "not_in")]
    NotIn,
    /// `contains`.
    #[serde(rename = "contains")]
    Contains,
    /// `not contains`.
    #[serde(rename = "not contains", alias = "not_contains")]
    NotContains,
    /// `is null`.
    #[serde(rename = "is null", alias = "is_null")]
    IsNull,
    /// `is not null`.
    #[serde(rename = "is not null", alias = "is_not_null")]
    IsNotNull,
}

impl Op {
    /// The operator as written in a configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::In => "in",
            Op::NotIn => "not in",
            Op::Contains => "contains",
            Op::NotContains => "not contains",
            Op::IsNull => "is null",
            Op::IsNotNull => "is not null",
        }
    }
}

/// A literal in a condition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Literal {
    /// `true` / `false`.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A decimal number (must be finite).
    Float(f64),
    /// Text; compared as a date-time when the field is one and the text parses as one.
    Text(String),
    /// A list, for `in` / `not in`.
    List(Vec<Literal>),
}

/// A compiled filter, ready to evaluate and render.
#[derive(Debug, Clone, PartialEq)]
pub enum FilterExpr {
    /// Always true (no filter).
    True,
    /// Every part holds.
    And(Vec<FilterExpr>),
    /// Some part holds.
    Or(Vec<FilterExpr>),
    /// The part does not hold.
    Not(Box<FilterExpr>),
    /// A comparison.
    Cmp(Comparison),
}

/// A compiled comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The field's path.
    pub path: FieldPath,
    /// The operator.
    pub op: Op,
    /// The values compared with (one, several for `in`, none for null tests).
    pub values: Vec<Scalar>,
    /// The custom field's caption, when the path names a custom field by id and the caption
    /// is known (needed to render `customFieldConditions`).
    pub caption: Option<String>,
}

/// A scalar literal.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    /// Text.
    Text(String),
    /// A number.
    Number(f64),
    /// A boolean.
    Bool(bool),
    /// A date-time (UTC).
    DateTime(chrono::DateTime<chrono::Utc>),
}

/// A filter that cannot be compiled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {message}")]
pub struct FilterError {
    /// Where in the filter section (`filter.conditions[1].value`).
    pub location: String,
    /// What is wrong.
    pub message: String,
}

impl FilterConfig {
    /// Renders the compiled filter and adds the raw texts: a raw text alone is sent byte
    /// for byte; next to rendered parts it is put in parentheses and joined with `and`.
    pub fn pushdown(&self, compiled: &FilterExpr) -> RenderedFilter {
        let mut out = compiled.render();
        let merge = |raw: &Option<String>, rendered: Option<String>| match (raw, rendered) {
            (Some(raw), None) if !raw.trim().is_empty() => Some(raw.clone()),
            (Some(raw), Some(rendered)) if !raw.trim().is_empty() => {
                Some(format!("({raw}) and {rendered}"))
            }
            (_, rendered) => rendered,
        };
        out.conditions = merge(&self.raw_conditions, out.conditions.take());
        out.child_conditions = merge(&self.raw_child_conditions, out.child_conditions.take());
        out.custom_field_conditions = merge(
            &self.raw_custom_field_conditions,
            out.custom_field_conditions.take(),
        );
        out
    }

    /// Whether the filter is empty.
    pub fn is_empty(&self) -> bool {
        *self == FilterConfig::default()
    }

    /// Compiles the filter for an entity; `resolve` turns a field name (display name or
    /// path) into a path, or says why it cannot.
    pub fn compile(
        &self,
        entity: Entity,
        resolve: &dyn Fn(&str) -> Result<FieldPath, String>,
    ) -> Result<FilterExpr, Vec<FilterError>> {
        let mut parts = Vec::new();
        let mut errors = Vec::new();

        let shortcuts: [(&str, &Vec<String>, Option<&str>); 6] = [
            ("status", &self.status, status_path(entity)),
            ("types", &self.types, types_path(entity)),
            (
                "country",
                &self.country,
                address_path(entity, "country/name"),
            ),
            ("state", &self.state, state_path(entity)),
            ("city", &self.city, address_path(entity, "city")),
            ("zip", &self.zip, address_path(entity, "zip")),
        ];
        for (name, values, path) in shortcuts {
            if values.is_empty() {
                continue;
            }
            let Some(path) = path else {
                errors.push(FilterError {
                    location: format!("filter.{name}"),
                    message: format!("`{name}` is not available for {entity}; use `conditions`"),
                });
                continue;
            };
            let path = FieldPath::parse(path).expect("shortcut paths are valid");
            let values = values.iter().map(|v| Scalar::Text(v.clone())).collect();
            parts.push(FilterExpr::Cmp(Comparison {
                path,
                op: Op::In,
                values,
                caption: None,
            }));
        }

        for (name, bound, op) in [
            ("min_employees", self.min_employees, Op::Ge),
            ("max_employees", self.max_employees, Op::Le),
        ] {
            let Some(bound) = bound else { continue };
            if entity != Entity::Companies {
                errors.push(FilterError {
                    location: format!("filter.{name}"),
                    message: format!("`{name}` applies to companies only"),
                });
                continue;
            }
            parts.push(FilterExpr::Cmp(Comparison {
                path: FieldPath::parse("numberOfEmployees").expect("valid path"),
                op,
                values: vec![Scalar::Number(bound as f64)],
                caption: None,
            }));
        }

        for (index, filter) in self.conditions.iter().enumerate() {
            let location = format!("filter.conditions[{index}]");
            match compile_filter(filter, &location, resolve) {
                Ok(expr) => parts.push(expr),
                Err(mut e) => errors.append(&mut e),
            }
        }

        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(match parts.len() {
            0 => FilterExpr::True,
            1 => parts.pop().expect("one part"),
            _ => FilterExpr::And(parts),
        })
    }
}

pub(crate) fn status_path(entity: Entity) -> Option<&'static str> {
    match entity {
        Entity::Agreements => Some("agreementStatus"),
        Entity::CatalogItems => None,
        _ => Some("status/name"),
    }
}

fn types_path(entity: Entity) -> Option<&'static str> {
    match entity {
        Entity::Companies => Some("types[]/name"),
        _ => Some("type/name"),
    }
}

fn address_path(entity: Entity, path: &'static str) -> Option<&'static str> {
    matches!(entity, Entity::Companies | Entity::Tickets).then_some(path)
}

fn state_path(entity: Entity) -> Option<&'static str> {
    match entity {
        Entity::Companies => Some("state"),
        Entity::Tickets => Some("stateIdentifier"),
        _ => None,
    }
}

fn compile_filter(
    filter: &Filter,
    location: &str,
    resolve: &dyn Fn(&str) -> Result<FieldPath, String>,
) -> Result<FilterExpr, Vec<FilterError>> {
    let many = |items: &[Filter], key: &str| {
        let mut out = Vec::new();
        let mut errors = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match compile_filter(item, &format!("{location}.{key}[{i}]"), resolve) {
                Ok(expr) => out.push(expr),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    };

    match filter {
        Filter::Any { any } => many(any, "any").map(FilterExpr::Or),
        Filter::All { all } => many(all, "all").map(FilterExpr::And),
        Filter::Not { not } => compile_filter(not, &format!("{location}.not"), resolve)
            .map(|e| FilterExpr::Not(Box::new(e))),
        Filter::Condition(condition) => compile_condition(condition, location, resolve)
            .map(FilterExpr::Cmp)
            .map_err(|e| vec![e]),
    }
}

fn compile_condition(
    condition: &Condition,
    location: &str,
    resolve: &dyn Fn(&str) -> Result<FieldPath, String>,
) -> Result<Comparison, FilterError> {
    let err = |suffix: &str, message: String| FilterError {
        location: format!("{location}{suffix}"),
        message,
    };
    let path = resolve(&condition.field).map_err(|m| err(".field", m))?;

    let values = match (condition.op, &condition.value) {
        (Op::IsNull | Op::IsNotNull, None) => Vec::new(),
        (Op::IsNull | Op::IsNotNull, Some(_)) => {
            return Err(err(
                ".value",
                format!("`{}` takes no value", condition.op.as_str()),
            ))
        }
        (Op::In | Op::NotIn, Some(Literal::List(items))) => items
            .iter()
            .map(|l| scalar(l).map_err(|m| err(".value", m)))
            .collect::<Result<_, _>>()?,
        (Op::In | Op::NotIn, Some(single)) => vec![scalar(single).map_err(|m| err(".value", m))?],
        (op, None) => return Err(err("", format!("`{}` needs a value", op.as_str()))),
        (op, Some(Literal::List(_))) => {
            return Err(err(
                ".value",
                format!("`{}` takes one value, not a list", op.as_str()),
            ))
        }
        (_, Some(single)) => vec![scalar(single).map_err(|m| err(".value", m))?],
    };

    Ok(Comparison {
        path,
        op: condition.op,
        values,
        caption: None,
    })
}

fn scalar(literal: &Literal) -> Result<Scalar, String> {
    match literal {
        Literal::Bool(b) => Ok(Scalar::Bool(*b)),
        Literal::Int(i) => Ok(Scalar::Number(*i as f64)),
        Literal::Float(f) if f.is_finite() => Ok(Scalar::Number(*f)),
        Literal::Float(f) => Err(format!("{f} is not a finite number")),
        Literal::Text(text) => Ok(match looks_like_date_time(text) {
            Some(dt) => Scalar::DateTime(dt),
            None => Scalar::Text(text.clone()),
        }),
        Literal::List(_) => Err("a list cannot appear inside a list".to_string()),
    }
}

/// A text literal that is an ISO date-time (with a `T`) becomes a date-time literal.
fn looks_like_date_time(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let t = text.trim();
    let t = t
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(t);
    if t.len() >= 19 && t.as_bytes().get(10) == Some(&b'T') {
        crate::value::parse_instant(t)
    } else {
        None
    }
}

impl FilterExpr {
    /// Every comparison in the expression, depth first.
    pub fn comparisons(&self) -> Vec<&Comparison> {
        let mut out = Vec::new();
        self.walk(&mut |c| out.push(c));
        out
    }

    /// Every comparison, mutably (validation uses it to set custom-field captions).
    pub fn comparisons_mut(&mut self) -> Vec<&mut Comparison> {
        let mut out = Vec::new();
        fn walk<'a>(e: &'a mut FilterExpr, out: &mut Vec<&'a mut Comparison>) {
            match e {
                FilterExpr::True => {}
                FilterExpr::And(parts) | FilterExpr::Or(parts) => {
                    parts.iter_mut().for_each(|p| walk(p, out))
                }
                FilterExpr::Not(inner) => walk(inner, out),
                FilterExpr::Cmp(c) => out.push(c),
            }
        }
        walk(self, &mut out);
        out
    }

    fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a Comparison)) {
        match self {
            FilterExpr::True => {}
            FilterExpr::And(parts) | FilterExpr::Or(parts) => parts.iter().for_each(|p| p.walk(f)),
            FilterExpr::Not(inner) => inner.walk(f),
            FilterExpr::Cmp(c) => f(c),
        }
    }
}
