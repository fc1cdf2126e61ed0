//! Local evaluation of a compiled filter on a record.

use std::cmp::Ordering;

use serde_json::Value;

use super::{Comparison, FilterExpr, Op, Scalar};
use crate::path::Extracted;
use crate::value::{parse_instant, parse_number};

impl FilterExpr {
    /// Whether a record passes the filter.
    pub fn matches(&self, record: &Value) -> bool {
        match self {
            FilterExpr::True => true,
            FilterExpr::And(parts) => parts.iter().all(|p| p.matches(record)),
            FilterExpr::Or(parts) => parts.iter().any(|p| p.matches(record)),
            FilterExpr::Not(inner) => !inner.matches(record),
            FilterExpr::Cmp(c) => c.matches(record),
        }
    }
}

impl Comparison {
    /// Whether a record satisfies the comparison (see the module docs for the rules).
    pub fn matches(&self, record: &Value) -> bool {
        let members: Vec<&Value> = match self.path.extract(record) {
            Ok(Extracted::Unset) | Err(_) => Vec::new(),
            Ok(Extracted::One(v)) => vec![v],
            Ok(Extracted::Many(vs)) => vs,
        };
        let members: Vec<&Value> = members.into_iter().filter_map(scalar_of).collect();
        evaluate(self.op, &self.values, &members)
    }
}

/// Applies an operator to the members a path yielded (shared with the tests' model of the
/// server).
pub(crate) fn evaluate(op: Op, values: &[Scalar], members: &[&Value]) -> bool {
    match op {
        Op::IsNull => members.is_empty(),
        Op::IsNotNull => !members.is_empty(),
        _ => members.iter().any(|m| member_matches(op, values, m)),
    }
}

/// A reference object compares by its name (then identifier, then id).
fn scalar_of(value: &Value) -> Option<&Value> {
    match value {
        Value::Null => None,
        Value::Object(map) => ["name", "identifier", "id"]
            .iter()
            .find_map(|k| map.get(*k).filter(|v| !v.is_null())),
        other => Some(other),
    }
}

fn member_matches(op: Op, values: &[Scalar], member: &Value) -> bool {
    let first = values.first();
    match op {
        Op::Eq | Op::In => values.iter().any(|v| equal(member, v)),
        Op::Ne | Op::NotIn => !values.iter().any(|v| equal(member, v)),
        Op::Lt => first.is_some_and(|v| order(member, v) == Some(Ordering::Less)),
        Op::Le => first
            .is_some_and(|v| matches!(order(member, v), Some(Ordering::Less | Ordering::Equal))),
        Op::Gt => first.is_some_and(|v| order(member, v) == Some(Ordering::Greater)),
        Op::Ge => first
            .is_some_and(|v| matches!(order(member, v), Some(Ordering::Greater | Ordering::Equal))),
        Op::Contains => first.is_some_and(|v| contains(member, v)),
        Op::NotContains => first.is_some_and(|v| !contains(member, v)),
        Op::IsNull | Op::IsNotNull => false,
    }
}

fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn equal(member: &Value, literal: &Scalar) -> bool {
    order(member, literal) == Some(Ordering::Equal)
}

fn order(member: &Value, literal: &Scalar) -> Option<Ordering> {
    match literal {
        Scalar::Bool(b) => match member {
            Value::Bool(m) => Some(m.cmp(b)),
            _ => None,
        },
        Scalar::Number(n) => {
            let m = match member {
                Value::Number(m) => m.as_f64(),
                Value::String(s) => parse_number(s),
                _ => None,
            }?;
            m.partial_cmp(n)
        }
        Scalar::DateTime(dt) => {
            let m = parse_instant(member.as_str()?)?;
            Some(m.cmp(dt))
        }
        Scalar::Text(t) => {
            let m = text_of(member)?;
            Some(m.to_lowercase().cmp(&t.to_lowercase()))
        }
    }
}

fn contains(member: &Value, literal: &Scalar) -> bool {
    let needle = match literal {
        Scalar::Text(t) => t.to_lowercase(),
        Scalar::Number(n) => crate::value::canonical_number(*n),
        Scalar::Bool(b) => b.to_string(),
        Scalar::DateTime(_) => return false,
    };
    text_of(member).is_some_and(|m| m.to_lowercase().contains(&needle))
}
