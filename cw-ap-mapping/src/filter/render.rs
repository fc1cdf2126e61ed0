//! Rendering a compiled filter into ConnectWise's `conditions`, `childConditions` and
//! `customFieldConditions` parameters.
//!
//! The text follows one canonical form: no spaces around comparison operators, single
//! spaces around word operators and connectives, lowercase keywords, flattened chains, and
//! parentheses only around a sub-expression whose connective differs from its parent's.
//! Strings go in double quotes, or in single quotes when they hold a double quote; a string
//! holding both (or a control character) cannot be written and its part stays local.
//! Only the top-level conjuncts that fit one parameter entirely are pushed; everything is
//! still evaluated locally, so pushing less only costs bandwidth, never correctness.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use super::{Comparison, FilterExpr, Op, Scalar};
use crate::value::canonical_number;

/// The filter as the three ConnectWise parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderedFilter {
    /// The `conditions` parameter (fields of the record itself).
    pub conditions: Option<String>,
    /// The `childConditions` parameter (members of child lists such as a company's `types`).
    pub child_conditions: Option<String>,
    /// The `customFieldConditions` parameter (one custom field, by caption).
    pub custom_field_conditions: Option<String>,
    /// The parts that could not be sent to the server and are applied locally only.
    pub local_only: Vec<String>,
}

impl RenderedFilter {
    /// Adds `lastUpdated>=[since]` to `conditions` (incremental runs).
    pub fn with_updated_since(mut self, since: DateTime<Utc>) -> Self {
        let clause = format!("lastUpdated>={}", date_time_literal(since));
        self.conditions = Some(match self.conditions.take() {
            Some(existing) => format!("{existing} and {clause}"),
            None => clause,
        });
        self
    }

    /// Whether nothing is pushed down.
    pub fn is_empty(&self) -> bool {
        self.conditions.is_none()
            && self.child_conditions.is_none()
            && self.custom_field_conditions.is_none()
    }
}

/// Quotes a string literal: `"…"`, or `'…'` when it holds a double quote. `None` when it
/// holds both quotes or a control character (it cannot be written as a literal).
pub fn quote_literal(text: &str) -> Option<String> {
    if text.chars().any(|c| c.is_control()) {
        return None;
    }
    if !text.contains('"') {
        Some(format!("\"{text}\""))
    } else if !text.contains('\'') {
        Some(format!("'{text}'"))
    } else {
        None
    }
}

fn date_time_literal(dt: DateTime<Utc>) -> String {
    format!("[{}]", dt.to_rfc3339_opts(SecondsFormat::Secs, true))
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Param {
    Conditions,
    Child,
    Custom(String),
    None,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Connective {
    And,
    Or,
}

impl FilterExpr {
    /// Renders the filter into the three parameters.
    pub fn render(&self) -> RenderedFilter {
        let conjuncts: Vec<&FilterExpr> = match self {
            FilterExpr::True => Vec::new(),
            FilterExpr::And(parts) => parts.iter().collect(),
            other => vec![other],
        };

        let mut out = RenderedFilter::default();
        let (mut conditions, mut child, mut custom) = (Vec::new(), Vec::new(), Vec::new());
        let mut custom_caption: Option<String> = None;

        for conjunct in conjuncts {
            match classify(conjunct) {
                Param::Conditions => match text(conjunct, Param::Conditions, Connective::And) {
                    Some(t) => conditions.push(t),
                    None => out.local_only.push(describe(conjunct)),
                },
                Param::Child => match text(conjunct, Param::Child, Connective::And) {
                    Some(t) => child.push(t),
                    None => out.local_only.push(describe(conjunct)),
                },
                Param::Custom(caption) => {
                    let same = custom_caption.as_ref().is_none_or(|c| *c == caption);
                    let rendered = if same {
                        text(conjunct, Param::Custom(caption.clone()), Connective::And)
                    } else {
                        None
                    };
                    match rendered {
                        Some(t) => {
                            custom_caption = Some(caption);
                            custom.push(t);
                        }
                        None => out.local_only.push(describe(conjunct)),
                    }
                }
                Param::None => out.local_only.push(describe(conjunct)),
            }
        }

        out.conditions = (!conditions.is_empty()).then(|| conditions.join(" and "));
        out.child_conditions = (!child.is_empty()).then(|| child.join(" and "));
        if let (Some(caption), false) = (custom_caption, custom.is_empty()) {
            // The caption was checked when it was classified.
            let quoted = quote_literal(&caption).unwrap_or_default();
            out.custom_field_conditions =
                Some(format!("caption={quoted} and {}", custom.join(" and ")));
        }
        out
    }
}

fn describe(expr: &FilterExpr) -> String {
    match expr {
        FilterExpr::Cmp(c) => format!("{} {}", c.path, c.op.as_str()),
        FilterExpr::Not(_) => "a `not` filter".to_string(),
        FilterExpr::And(_) | FilterExpr::Or(_) => "a combined filter".to_string(),
        FilterExpr::True => "true".to_string(),
    }
}

fn classify(expr: &FilterExpr) -> Param {
    match expr {
        FilterExpr::True | FilterExpr::Not(_) => Param::None,
        FilterExpr::Cmp(c) => classify_cmp(c),
        FilterExpr::And(parts) | FilterExpr::Or(parts) => {
            let mut classes = parts.iter().map(classify);
            let Some(first) = classes.next() else {
                return Param::None;
            };
            if classes.all(|c| c == first) {
                first
            } else {
                Param::None
            }
        }
    }
}

fn classify_cmp(c: &Comparison) -> Param {
    if let Some((key, value)) = c.path.custom_field() {
        let caption = match key {
            "caption" => Some(value.to_string()),
            _ => c.caption.clone(),
        };
        return match caption {
            Some(caption) if quote_literal(&caption).is_some() => Param::Custom(caption),
            _ => Param::None,
        };
    }
    if c.path
        .segments()
        .iter()
        .any(|s| matches!(s.selector, Some(crate::path::Selector::Where { .. })))
    {
        return Param::None;
    }
    if c.path.is_child() {
        Param::Child
    } else {
        Param::Conditions
    }
}

/// Renders an expression for a parameter, inside a parent of the given connective.
fn text(expr: &FilterExpr, param: Param, parent: Connective) -> Option<String> {
    match expr {
        FilterExpr::True | FilterExpr::Not(_) => None,
        FilterExpr::And(parts) => join(parts, param, Connective::And, parent),
        FilterExpr::Or(parts) => join(parts, param, Connective::Or, parent),
        FilterExpr::Cmp(c) => leaf(c, param, parent),
    }
}

fn join(parts: &[FilterExpr], param: Param, own: Connective, parent: Connective) -> Option<String> {
    match parts {
        [] => return None,
        // A single part stands in its parent's place.
        [only] => return text(only, param, parent),
        _ => {}
    }
    let rendered: Option<Vec<String>> = parts.iter().map(|p| text(p, param.clone(), own)).collect();
    let rendered = rendered?;
    let word = if own == Connective::And {
        " and "
    } else {
        " or "
    };
    let joined = rendered.join(word);
    Some(if own == parent {
        joined
    } else {
        format!("({joined})")
    })
}

fn leaf(c: &Comparison, param: Param, parent: Connective) -> Option<String> {
    let name = match param {
        Param::Custom(_) => "value".to_string(),
        _ => c.path.condition_name(),
    };
    let literals: Option<Vec<String>> = c.values.iter().map(literal).collect();
    let literals = literals?;
    let expand = !matches!(param, Param::Conditions);

    let single = |op: &str| literals.first().map(|l| format!("{name}{op}{l}"));
    match c.op {
        Op::Eq => single("="),
        Op::Ne => single("!="),
        Op::Lt => single("<"),
        Op::Le => single("<="),
        Op::Gt => single(">"),
        Op::Ge => single(">="),
        Op::Contains => literals.first().map(|l| format!("{name} contains {l}")),
        Op::NotContains => literals.first().map(|l| format!("{name} not contains {l}")),
        Op::IsNull => Some(format!("{name}=null")),
        Op::IsNotNull => Some(format!("{name}!=null")),
        Op::In | Op::NotIn if literals.is_empty() => None,
        Op::In if literals.len() == 1 => single("="),
        Op::NotIn if literals.len() == 1 => single("!="),
        Op::In if expand => {
            let parts: Vec<String> = literals.iter().map(|l| format!("{name}={l}")).collect();
            Some(wrap(parts.join(" or "), Connective::Or, parent))
        }
        Op::NotIn if expand => {
            let parts: Vec<String> = literals.iter().map(|l| format!("{name}!={l}")).collect();
            Some(wrap(parts.join(" and "), Connective::And, parent))
        }
        Op::In => Some(format!("{name} in ({})", literals.join(","))),
        Op::NotIn => Some(format!("{name} not in ({})", literals.join(","))),
    }
}

fn wrap(text: String, own: Connective, parent: Connective) -> String {
    if own == parent {
        text
    } else {
        format!("({text})")
    }
}

fn literal(scalar: &Scalar) -> Option<String> {
    match scalar {
        Scalar::Text(t) => quote_literal(t),
        Scalar::Number(n) if n.is_finite() => Some(canonical_number(*n)),
        Scalar::Number(_) => None,
        Scalar::Bool(b) => Some(b.to_string()),
        Scalar::DateTime(dt) => Some(date_time_literal(*dt)),
    }
}
