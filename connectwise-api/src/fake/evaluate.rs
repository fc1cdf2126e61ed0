//! Evaluates a parsed condition against one JSON record, with SQL-like semantics.
//!
//! Text compares case-insensitively (the server's collation), a missing or `null` field
//! matches only `= null`, and a path through an array matches when any element does.

use std::cmp::Ordering;

use serde_json::Value;

use super::conditions::{Expr, Literal, Op};
use super::entity::AUDIT;

/// Whether `record` satisfies `expr`.
pub fn matches(expr: &Expr, record: &Value) -> bool {
    match expr {
        Expr::And(parts) => parts.iter().all(|p| matches(p, record)),
        Expr::Or(parts) => parts.iter().any(|p| matches(p, record)),
        Expr::Cmp { path, op, value } => {
            let (root, rest): (&Value, &[String]) = match path.as_slice() {
                [single] if AUDIT.contains(&single.as_str()) => (&record["_info"], path),
                _ => (record, path),
            };
            any_at(root, rest, &mut |field| compare(field, *op, value))
        }
    }
}

/// Whether any element of `record.customFields` satisfies `expr`.
pub fn matches_custom_field(expr: &Expr, record: &Value) -> bool {
    match record.get("customFields") {
        Some(Value::Array(fields)) => fields.iter().any(|f| matches(expr, f)),
        _ => false,
    }
}

/// Walks `path` from `value`, calling `f` on each value found (`None` when missing).
fn any_at(value: &Value, path: &[String], f: &mut impl FnMut(Option<&Value>) -> bool) -> bool {
    match value {
        Value::Array(items) if !path.is_empty() => items.iter().any(|i| any_at(i, path, f)),
        _ => match path.split_first() {
            None => f(Some(value)),
            Some((head, tail)) => match value.get(head.as_str()) {
                Some(next) => any_at(next, tail, f),
                None => f(None),
            },
        },
    }
}

fn compare(field: Option<&Value>, op: Op, lit: &Literal) -> bool {
    let field = match field {
        None | Some(Value::Null) => return matches!((op, lit), (Op::Eq, Literal::Null)),
        Some(v) => v,
    };

    match op {
        Op::Eq => order(field, lit) == Some(Ordering::Equal),
        Op::Ne => matches!(lit, Literal::Null) || order(field, lit).is_some_and(Ordering::is_ne),
        Op::Lt => order(field, lit) == Some(Ordering::Less),
        Op::Le => order(field, lit).is_some_and(Ordering::is_le),
        Op::Gt => order(field, lit) == Some(Ordering::Greater),
        Op::Ge => order(field, lit).is_some_and(Ordering::is_ge),
        Op::Contains | Op::NotContains => {
            let (Some(hay), Some(needle)) = (text_of(field), literal_text(lit)) else {
                return false;
            };
            let found = hay.to_lowercase().contains(&needle.to_lowercase());
            found == (op == Op::Contains)
        }
        Op::Like | Op::NotLike => {
            let (Some(hay), Some(pattern)) = (text_of(field), literal_text(lit)) else {
                return false;
            };
            like(&hay, &pattern) == (op == Op::Like)
        }
        Op::In | Op::NotIn => {
            let Literal::List(items) = lit else {
                return false;
            };
            let found = items
                .iter()
                .any(|i| order(field, i) == Some(Ordering::Equal));
            found == (op == Op::In)
        }
    }
}

/// Orders a non-null field against a literal; `None` when the two cannot be compared.
fn order(field: &Value, lit: &Literal) -> Option<Ordering> {
    match (field, lit) {
        (_, Literal::Null) => None,
        (Value::String(s), Literal::Str(l)) => Some(ci_cmp(s, l)),
        (Value::String(s), Literal::Num(n)) => s.trim().parse::<f64>().ok()?.partial_cmp(n),
        (Value::String(s), Literal::Date(d)) => {
            Some(super::conditions::parse_date(s.trim())?.cmp(d))
        }
        (Value::String(s), Literal::Bool(b)) => Some(ci_cmp(s, if *b { "true" } else { "false" })),
        (Value::Number(v), Literal::Num(n)) => v.as_f64()?.partial_cmp(n),
        (Value::Number(v), Literal::Str(l)) => v.as_f64()?.partial_cmp(&l.trim().parse().ok()?),
        (Value::Bool(v), Literal::Bool(b)) => Some(v.cmp(b)),
        _ => None,
    }
}

/// Case-insensitive ordering without allocating.
fn ci_cmp(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        let a = a.bytes().map(|c| c.to_ascii_lowercase());
        return a.cmp(b.bytes().map(|c| c.to_ascii_lowercase()));
    }
    let a = a.chars().flat_map(char::to_lowercase);
    a.cmp(b.chars().flat_map(char::to_lowercase))
}

fn text_of(field: &Value) -> Option<String> {
    match field {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn literal_text(lit: &Literal) -> Option<String> {
    match lit {
        Literal::Str(s) => Some(s.clone()),
        Literal::Num(n) => Some(n.to_string()),
        Literal::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[derive(Debug)]
enum Pat {
    Any,
    One,
    Set(Vec<char>),
    Char(char),
}

/// SQL-style `like`: `%` and `*` match any run, `_` one character, `[abc]` one of a set
/// (so `[[]` is a literal `[`). Case-insensitive.
pub(crate) fn like(text: &str, pattern: &str) -> bool {
    let pat = compile(pattern);
    let text: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
    let one = |p: &Pat, c: char| match p {
        Pat::One => true,
        Pat::Set(set) => set.contains(&c),
        Pat::Char(x) => *x == c,
        Pat::Any => false,
    };

    // Classic wildcard matching with a single backtrack point.
    let (mut t, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pat.len() && matches!(pat[p], Pat::Any) {
            star = Some((p, t));
            p += 1;
        } else if p < pat.len() && one(&pat[p], text[t]) {
            p += 1;
            t += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pat[p..].iter().all(|x| matches!(x, Pat::Any))
}

fn compile(pattern: &str) -> Vec<Pat> {
    let chars: Vec<char> = pattern.chars().flat_map(char::to_lowercase).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '%' | '*' => out.push(Pat::Any),
            '_' => out.push(Pat::One),
            '[' => {
                // An unclosed `[` is taken literally.
                match chars[i + 1..].iter().skip(1).position(|&c| c == ']') {
                    Some(len) => {
                        out.push(Pat::Set(chars[i + 1..i + 2 + len].to_vec()));
                        i += len + 2;
                    }
                    None => out.push(Pat::Char('[')),
                }
            }
            c => out.push(Pat::Char(c)),
        }
        i += 1;
    }
    out
}
