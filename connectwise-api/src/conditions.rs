//! The `conditions` filter language: a typed builder, its canonical text and encoding.
//!
//! ```
//! use connectwise_api::conditions::Condition;
//! use chrono::{TimeZone, Utc};
//!
//! let filter = Condition::eq("company/id", 250)
//!     .and(Condition::gt("lastUpdated", Utc.with_ymd_and_hms(2024, 5, 5, 0, 0, 0).unwrap()));
//! assert_eq!(
//!     filter.render().unwrap(),
//!     "company/id=250 and lastUpdated>[2024-05-05T00:00:00Z]"
//! );
//! ```

use std::fmt;

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::error::{Error, Result};

/// Everything but the unreserved characters `A–Z a–z 0–9 - . _ ~` is percent-encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a whole query value or path segment (`%20` for a space, never `+`).
pub fn encode_component(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

/// A literal value in a condition.
#[derive(Debug, Clone, PartialEq)]
pub struct Literal(LiteralKind);

#[derive(Debug, Clone, PartialEq)]
enum LiteralKind {
    Text(String),
    Integer(i64),
    Float(f64),
    Bool(bool),
    Null,
    DateTime(DateTime<Utc>),
}

impl Literal {
    /// The keyword `null`.
    pub fn null() -> Self {
        Self(LiteralKind::Null)
    }

    /// A decimal number; NaN and infinities are refused.
    pub fn number(value: f64) -> Result<Self> {
        if !value.is_finite() {
            return Err(Error::InvalidCondition {
                reason: format!("{value} is not a finite number"),
            });
        }
        Ok(Self(LiteralKind::Float(value)))
    }

    /// A date-time, written in UTC in square brackets without fractional seconds.
    pub fn date_time<Tz: TimeZone>(value: DateTime<Tz>) -> Self {
        Self(LiteralKind::DateTime(value.with_timezone(&Utc)))
    }

    /// The literal as the `conditions` language writes it.
    pub fn render(&self) -> Result<String> {
        Ok(match &self.0 {
            LiteralKind::Text(text) => quote(text)?,
            LiteralKind::Integer(n) => n.to_string(),
            LiteralKind::Float(f) if f.is_finite() => f.to_string(),
            LiteralKind::Float(f) => {
                return Err(Error::InvalidCondition {
                    reason: format!("{f} is not finite"),
                })
            }
            LiteralKind::Bool(b) => b.to_string(),
            LiteralKind::Null => "null".to_owned(),
            LiteralKind::DateTime(at) => {
                format!("[{}]", at.to_rfc3339_opts(SecondsFormat::Secs, true))
            }
        })
    }
}

/// Quotes a string: `"…"`, or `'…'` when it holds a `"`; a value holding both, or a
/// control character, cannot be written and is refused.
fn quote(text: &str) -> Result<String> {
    if let Some(c) = text.chars().find(|c| c.is_control()) {
        return Err(Error::InvalidCondition {
            reason: format!(
                "the text {:?} holds the control character U+{:04X}",
                text, c as u32
            ),
        });
    }
    match (text.contains('"'), text.contains('\'')) {
        (false, _) => Ok(format!("\"{text}\"")),
        (true, false) => Ok(format!("'{text}'")),
        (true, true) => Err(Error::InvalidCondition {
            reason: format!(
                "the text {text:?} holds both quote characters and cannot be written as a \
                 literal; split it into several `contains` conditions"
            ),
        }),
    }
}

/// Escapes `[` for a `like` pattern (`[` becomes `[[]`).
pub fn like_escape(pattern: &str) -> String {
    pattern.replace('[', "[[]")
}

macro_rules! literal_from {
    ($($t:ty => $variant:ident),* $(,)?) => {$(
        impl From<$t> for Literal {
            fn from(value: $t) -> Self {
                Self(LiteralKind::$variant(value.into()))
            }
        }
    )*};
}

literal_from!(
    String => Text, &str => Text, &String => Text, bool => Bool,
    i8 => Integer, i16 => Integer, i32 => Integer, i64 => Integer,
    u8 => Integer, u16 => Integer, u32 => Integer,
);

impl TryFrom<f64> for Literal {
    type Error = Error;

    fn try_from(value: f64) -> Result<Self> {
        Self::number(value)
    }
}

impl<Tz: TimeZone> From<DateTime<Tz>> for Literal {
    fn from(value: DateTime<Tz>) -> Self {
        Self::date_time(value)
    }
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `contains`
    Contains,
    /// `not contains`
    NotContains,
    /// `like`
    Like,
    /// `not like`
    NotLike,
}

impl Operator {
    fn text(self) -> &'static str {
        match self {
            Self::Eq => "=",
            Self::Ne => "!=",
            Self::Lt => "<",
            Self::Le => "<=",
            Self::Gt => ">",
            Self::Ge => ">=",
            Self::Contains => " contains ",
            Self::NotContains => " not contains ",
            Self::Like => " like ",
            Self::NotLike => " not like ",
        }
    }
}

/// Writes one public constructor per comparison operator, each delegating to
/// `Condition::compare`.
macro_rules! comparisons {
    ($($(#[$doc:meta])* $name:ident($arg:ident) => $op:ident;)*) => {$(
        $(#[$doc])*
        pub fn $name(field: impl Into<String>, $arg: impl Into<Literal>) -> Self {
            Self::compare(field, Operator::$op, $arg)
        }
    )*};
}

/// A condition: a comparison, an `in` list, raw text, or an `and`/`or` of conditions.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// `field op value`.
    Compare {
        /// Field path, with `/` for nested fields (`company/id`).
        field: String,
        /// The operator.
        op: Operator,
        /// The value.
        value: Literal,
    },
    /// `field in (…)` or `field not in (…)`.
    In {
        /// Field path.
        field: String,
        /// The values; an empty list matches nothing and cannot be rendered.
        values: Vec<Literal>,
        /// `not in` when true.
        negated: bool,
    },
    /// Every condition holds.
    And(Vec<Condition>),
    /// At least one condition holds.
    Or(Vec<Condition>),
    /// Condition text used as written (parenthesised when combined with others).
    Raw(String),
}

impl Condition {
    fn compare(field: impl Into<String>, op: Operator, value: impl Into<Literal>) -> Self {
        Self::Compare {
            field: field.into(),
            op,
            value: value.into(),
        }
    }

    comparisons! {
        /// `field=value`
        eq(value) => Eq;
        /// `field!=value`
        ne(value) => Ne;
        /// `field<value`
        lt(value) => Lt;
        /// `field<=value`
        le(value) => Le;
        /// `field>value`
        gt(value) => Gt;
        /// `field>=value`
        ge(value) => Ge;
        /// `field contains "value"`
        contains(value) => Contains;
        /// `field not contains "value"`
        not_contains(value) => NotContains;
        /// `field like "pattern"` (`%` and `*` are wildcards; see [`like_escape`]).
        like(pattern) => Like;
        /// `field not like "pattern"`
        not_like(pattern) => NotLike;
    }

    /// `field=null`
    pub fn is_null(field: impl Into<String>) -> Self {
        Self::compare(field, Operator::Eq, Literal::null())
    }

    /// `field!=null`
    pub fn is_not_null(field: impl Into<String>) -> Self {
        Self::compare(field, Operator::Ne, Literal::null())
    }

    fn membership<L: Into<Literal>>(
        field: impl Into<String>,
        values: impl IntoIterator<Item = L>,
        negated: bool,
    ) -> Self {
        Self::In {
            field: field.into(),
            values: values.into_iter().map(Into::into).collect(),
            negated,
        }
    }

    /// `field in (a,b,c)`
    pub fn in_list<L: Into<Literal>>(
        field: impl Into<String>,
        values: impl IntoIterator<Item = L>,
    ) -> Self {
        Self::membership(field, values, false)
    }

    /// `field not in (a,b,c)`
    pub fn not_in<L: Into<Literal>>(
        field: impl Into<String>,
        values: impl IntoIterator<Item = L>,
    ) -> Self {
        Self::membership(field, values, true)
    }

    /// Condition text passed through as written.
    pub fn raw(text: impl Into<String>) -> Self {
        Self::Raw(text.into())
    }

    /// `self and other`
    pub fn and(self, other: Condition) -> Self {
        Self::And(vec![self, other])
    }

    /// `self or other`
    pub fn or(self, other: Condition) -> Self {
        Self::Or(vec![self, other])
    }

    /// All of the conditions.
    pub fn all(conditions: impl IntoIterator<Item = Condition>) -> Self {
        Self::And(conditions.into_iter().collect())
    }

    /// Any of the conditions.
    pub fn any(conditions: impl IntoIterator<Item = Condition>) -> Self {
        Self::Or(conditions.into_iter().collect())
    }

    /// The canonical text for the `conditions` parameter.
    pub fn render(&self) -> Result<String> {
        self.render_with(false)
    }

    /// The text for `childConditions` and `customFieldConditions`, which have no `in`:
    /// an `in` list becomes an `or` chain (`not in` an `and` chain of `!=`).
    pub fn render_without_in(&self) -> Result<String> {
        self.render_with(true)
    }

    fn render_with(&self, expand_in: bool) -> Result<String> {
        match self {
            Self::Compare { field, op, value } => Ok(format!(
                "{}{}{}",
                check_field(field)?,
                op.text(),
                value.render()?
            )),
            Self::In {
                field,
                values,
                negated,
            } if expand_in => {
                let op = if *negated { Operator::Ne } else { Operator::Eq };
                let parts = values
                    .iter()
                    .map(|v| Self::Compare {
                        field: field.clone(),
                        op,
                        value: v.clone(),
                    })
                    .collect();
                let chain = if *negated {
                    Self::And(parts)
                } else {
                    Self::Or(parts)
                };
                if values.is_empty() {
                    return Err(empty_in(field));
                }
                chain.render_with(true)
            }
            Self::In {
                field,
                values,
                negated,
            } => {
                if values.is_empty() {
                    return Err(empty_in(field));
                }
                let items: Result<Vec<String>> = values.iter().map(Literal::render).collect();
                let keyword = if *negated { "not in" } else { "in" };
                Ok(format!(
                    "{} {keyword} ({})",
                    check_field(field)?,
                    items?.join(",")
                ))
            }
            Self::Raw(text) => {
                if text.trim().is_empty() {
                    return Err(Error::InvalidCondition {
                        reason: "empty raw condition".into(),
                    });
                }
                Ok(text.clone())
            }
            Self::And(parts) => render_chain(parts, "and", expand_in),
            Self::Or(parts) => render_chain(parts, "or", expand_in),
        }
    }

    fn connective(&self) -> Option<&'static str> {
        match self {
            Self::And(_) => Some("and"),
            Self::Or(_) => Some("or"),
            Self::In {
                values, negated, ..
            } if values.len() > 1 => Some(if *negated { "and" } else { "or" }),
            _ => None,
        }
    }
}

fn empty_in(field: &str) -> Error {
    Error::InvalidCondition {
        reason: format!("`{field} in ()` has no values; an empty list matches nothing"),
    }
}

/// Joins parts with a connective: same-connective chains are flattened, a part with
/// another connective is parenthesised, raw text is always parenthesised.
fn render_chain(parts: &[Condition], connective: &str, expand_in: bool) -> Result<String> {
    let mut flat = Vec::new();
    flatten(parts, connective, &mut flat);
    if flat.is_empty() {
        return Err(Error::InvalidCondition {
            reason: format!("an empty `{connective}`"),
        });
    }
    if flat.len() == 1 {
        return flat[0].render_with(expand_in);
    }
    let mut rendered = Vec::with_capacity(flat.len());
    for part in flat {
        let text = part.render_with(expand_in)?;
        let inner_connective = match part {
            Condition::In { .. } if !expand_in => None,
            other => other.connective(),
        };
        let wrap =
            matches!(part, Condition::Raw(_)) || inner_connective.is_some_and(|c| c != connective);
        rendered.push(if wrap { format!("({text})") } else { text });
    }
    Ok(rendered.join(&format!(" {connective} ")))
}

fn flatten<'a>(parts: &'a [Condition], connective: &str, out: &mut Vec<&'a Condition>) {
    for part in parts {
        match part {
            Condition::And(inner) if connective == "and" => flatten(inner, connective, out),
            Condition::Or(inner) if connective == "or" => flatten(inner, connective, out),
            other => out.push(other),
        }
    }
}

fn check_field(field: &str) -> Result<&str> {
    const KEYWORDS: [&str; 9] = [
        "and", "or", "not", "null", "true", "false", "like", "in", "contains",
    ];
    let segment_ok = |segment: &str| {
        let mut chars = segment.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.'))
            && !KEYWORDS.iter().any(|k| segment.eq_ignore_ascii_case(k))
    };
    if field.split('/').all(segment_ok) {
        Ok(field)
    } else {
        Err(Error::InvalidCondition {
            reason: format!("`{field}` is not a field path"),
        })
    }
}

impl From<&str> for Condition {
    fn from(text: &str) -> Self {
        Self::Raw(text.to_owned())
    }
}

impl From<String> for Condition {
    fn from(text: String) -> Self {
        Self::Raw(text)
    }
}

impl From<&String> for Condition {
    fn from(text: &String) -> Self {
        Self::Raw(text.clone())
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.render() {
            Ok(text) => f.write_str(&text),
            Err(e) => write!(f, "<{e}>"),
        }
    }
}

/// Splits `field in (values)` into conditions whose percent-encoded text is at most
/// `max_encoded_len` characters each. An empty list gives no condition at all.
///
/// ```
/// use connectwise_api::conditions::split_in_list;
/// let parts = split_in_list("id", 1..=1000, 600).unwrap();
/// assert!(parts.len() > 1);
/// ```
pub fn split_in_list<L: Into<Literal>>(
    field: &str,
    values: impl IntoIterator<Item = L>,
    max_encoded_len: usize,
) -> Result<Vec<Condition>> {
    let field = check_field(field)?.to_owned();
    // `field%20in%20(` … `)`
    let overhead = encode_component(&format!("{field} in ()")).len();
    let mut chunks = Vec::new();
    let mut current: Vec<Literal> = Vec::new();
    let mut length = overhead;
    for value in values {
        let value = value.into();
        let item_len = encode_component(&value.render()?).len();
        let separator = if current.is_empty() { 0 } else { "%2C".len() };
        if overhead + item_len > max_encoded_len {
            return Err(Error::UrlTooLong {
                path: field.clone(),
                length: overhead + item_len,
                limit: max_encoded_len,
            });
        }
        if length + separator + item_len > max_encoded_len {
            chunks.push(Condition::In {
                field: field.clone(),
                values: current,
                negated: false,
            });
            current = Vec::new();
            length = overhead;
        }
        let separator = if current.is_empty() { 0 } else { "%2C".len() };
        length += separator + item_len;
        current.push(value);
    }
    if !current.is_empty() {
        chunks.push(Condition::In {
            field,
            values: current,
            negated: false,
        });
    }
    Ok(chunks)
}
