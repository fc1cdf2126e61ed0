//! The server side of the `conditions` language: a lexer and a parser into [`Expr`].
//!
//! Written apart from the client's builder on purpose, so that each checks the other.
//! `and` binds tighter than `or`; keywords are case-insensitive; field names are not.

use chrono::{DateTime, NaiveDateTime, Utc};

/// Deepest nesting of parentheses accepted, so hostile input cannot exhaust the stack.
const MAX_DEPTH: usize = 64;

/// A parsed filter expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// Every part holds.
    And(Vec<Expr>),
    /// At least one part holds.
    Or(Vec<Expr>),
    /// One comparison of a field with a literal.
    Cmp {
        /// The field path, split on `/`.
        path: Vec<String>,
        /// The operator.
        op: Op,
        /// The right-hand side.
        value: Literal,
    },
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
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
    /// `in (…)`
    In,
    /// `not in (…)`
    NotIn,
}

/// A literal on the right of an operator.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// `"text"` or `'text'`.
    Str(String),
    /// `12`, `-1.5`.
    Num(f64),
    /// `true` / `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// `[2024-05-05T00:00:00Z]`.
    Date(DateTime<Utc>),
    /// `(a, b, c)`, only after `in`.
    List(Vec<Literal>),
}

/// Why a condition was refused; [`ConditionError::message`] is the server's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConditionError {
    /// The text does not follow the grammar.
    Syntax {
        /// Character offset where parsing stopped.
        position: usize,
        /// What was expected there.
        expected: String,
    },
    /// A field name the collection does not have.
    UnknownField(String),
    /// An operator the parameter does not allow (`in` in `childConditions`).
    Unsupported(String),
}

impl ConditionError {
    /// The `message` of the 400 `ApiFindCondition` body.
    pub fn message(&self) -> String {
        match self {
            ConditionError::UnknownField(name) => format!("{name} is not a recognized name."),
            ConditionError::Unsupported(what) => {
                format!("The operator {what} is not supported for this parameter.")
            }
            ConditionError::Syntax { position, expected } => format!(
                "Cannot parse the conditions at character {position}: expected {expected}. \
                 Quote strings with double or single quotes, wrap date-times in square \
                 brackets, write numbers as digits with an optional decimal point and \
                 leading minus sign, booleans as true or false, and null as null."
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    Comma,
    Sym(Op),
    Word(String),
    Lit(Literal),
}

/// Parses a whole condition text.
pub fn parse(text: &str) -> Result<Expr, ConditionError> {
    let tokens = lex(text)?;
    let mut parser = Parser {
        tokens,
        pos: 0,
        end: text.chars().count(),
    };
    let expr = parser.or_expr(0)?;

    if parser.pos < parser.tokens.len() {
        return Err(parser.error("`and`, `or` or the end of the text"));
    }
    Ok(expr)
}

fn lex(text: &str) -> Result<Vec<(usize, Tok)>, ConditionError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let syntax = |position: usize, expected: &str| ConditionError::Syntax {
        position,
        expected: expected.to_owned(),
    };

    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let tok = match c {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '(' => Tok::LParen,
            ')' => Tok::RParen,
            ',' => Tok::Comma,
            '=' => Tok::Sym(Op::Eq),
            '!' if chars.get(i + 1) == Some(&'=') => {
                i += 1;
                Tok::Sym(Op::Ne)
            }
            '<' | '>' => {
                let eq = chars.get(i + 1) == Some(&'=');
                if eq {
                    i += 1;
                }
                Tok::Sym(match (c, eq) {
                    ('<', false) => Op::Lt,
                    ('<', true) => Op::Le,
                    ('>', false) => Op::Gt,
                    _ => Op::Ge,
                })
            }
            '"' | '\'' => {
                let close = chars[i + 1..].iter().position(|&d| d == c);
                let Some(len) = close else {
                    return Err(syntax(start, "a closing quote"));
                };
                let s: String = chars[i + 1..i + 1 + len].iter().collect();
                i += len + 1;
                Tok::Lit(Literal::Str(s))
            }
            '[' => {
                let close = chars[i + 1..].iter().position(|&d| d == ']');
                let Some(len) = close else {
                    return Err(syntax(start, "a closing `]` after the date-time"));
                };
                let s: String = chars[i + 1..i + 1 + len].iter().collect();
                let Some(date) = parse_date(s.trim()) else {
                    return Err(syntax(
                        start + 1,
                        "a date-time such as 2024-05-05T00:00:00Z",
                    ));
                };
                i += len + 1;
                Tok::Lit(Literal::Date(date))
            }
            c if c.is_ascii_digit()
                || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) =>
            {
                let mut j = i + 1;
                while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == '.') {
                    j += 1;
                }
                let s: String = chars[i..j].iter().collect();
                let Ok(n) = s.parse::<f64>() else {
                    return Err(syntax(start, "a number"));
                };
                i = j - 1;
                Tok::Lit(Literal::Num(n))
            }
            c if c.is_alphanumeric() || c == '_' => {
                let mut j = i + 1;
                while j < chars.len()
                    && (chars[j].is_alphanumeric() || matches!(chars[j], '_' | '/' | '.'))
                {
                    j += 1;
                }
                let word: String = chars[i..j].iter().collect();
                i = j - 1;
                match word.to_ascii_lowercase().as_str() {
                    "true" => Tok::Lit(Literal::Bool(true)),
                    "false" => Tok::Lit(Literal::Bool(false)),
                    "null" => Tok::Lit(Literal::Null),
                    _ => Tok::Word(word),
                }
            }
            _ => return Err(syntax(start, "a field name, an operator or a value")),
        };
        out.push((start, tok));
        i += 1;
    }
    Ok(out)
}

/// Parses the date-time inside `[...]`: RFC 3339, or an offset-less time read as UTC.
pub(crate) fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|n| n.and_utc())
}

struct Parser {
    tokens: Vec<(usize, Tok)>,
    pos: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|(_, t)| t)
    }

    fn error(&self, expected: &str) -> ConditionError {
        ConditionError::Syntax {
            position: self.tokens.get(self.pos).map_or(self.end, |(p, _)| *p),
            expected: expected.to_owned(),
        }
    }

    fn keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(w)) if w.eq_ignore_ascii_case(word))
    }

    fn or_expr(&mut self, depth: usize) -> Result<Expr, ConditionError> {
        let mut parts = vec![self.and_expr(depth)?];
        while self.keyword("or") {
            self.pos += 1;
            parts.push(self.and_expr(depth)?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::Or(parts)
        })
    }

    fn and_expr(&mut self, depth: usize) -> Result<Expr, ConditionError> {
        let mut parts = vec![self.primary(depth)?];
        while self.keyword("and") {
            self.pos += 1;
            parts.push(self.primary(depth)?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::And(parts)
        })
    }

    fn primary(&mut self, depth: usize) -> Result<Expr, ConditionError> {
        if self.peek() == Some(&Tok::LParen) {
            if depth >= MAX_DEPTH {
                return Err(self.error("less deeply nested parentheses"));
            }
            self.pos += 1;
            let inner = self.or_expr(depth + 1)?;
            if self.peek() != Some(&Tok::RParen) {
                return Err(self.error("`)`"));
            }
            self.pos += 1;
            return Ok(inner);
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, ConditionError> {
        let path = match self.peek() {
            Some(Tok::Word(w)) if !is_keyword(w) && !w.ends_with('/') && !w.contains("//") => {
                w.split('/').map(str::to_owned).collect::<Vec<_>>()
            }
            _ => return Err(self.error("a field name")),
        };
        self.pos += 1;
        let op = self.operator()?;
        let value = if matches!(op, Op::In | Op::NotIn) {
            self.list()?
        } else {
            self.literal()?
        };
        Ok(Expr::Cmp { path, op, value })
    }

    fn operator(&mut self) -> Result<Op, ConditionError> {
        if let Some(Tok::Sym(op)) = self.peek() {
            let op = *op;
            self.pos += 1;
            return Ok(op);
        }
        let negated = self.keyword("not");
        if negated {
            self.pos += 1;
        }
        let op = match self.peek() {
            Some(Tok::Word(w)) => match w.to_ascii_lowercase().as_str() {
                "contains" if negated => Op::NotContains,
                "contains" => Op::Contains,
                "like" if negated => Op::NotLike,
                "like" => Op::Like,
                "in" if negated => Op::NotIn,
                "in" => Op::In,
                _ => return Err(self.error("an operator")),
            },
            _ => return Err(self.error("an operator")),
        };
        self.pos += 1;
        Ok(op)
    }

    fn literal(&mut self) -> Result<Literal, ConditionError> {
        match self.peek() {
            Some(Tok::Lit(lit)) => {
                let lit = lit.clone();
                self.pos += 1;
                Ok(lit)
            }
            _ => Err(self.error("a value")),
        }
    }

    fn list(&mut self) -> Result<Literal, ConditionError> {
        if self.peek() != Some(&Tok::LParen) {
            return Err(self.error("`(` to open the list"));
        }
        self.pos += 1;
        let mut items = vec![self.literal()?];
        loop {
            match self.peek() {
                Some(Tok::Comma) => {
                    self.pos += 1;
                    items.push(self.literal()?);
                }
                Some(Tok::RParen) => {
                    self.pos += 1;
                    return Ok(Literal::List(items));
                }
                _ => return Err(self.error("`,` or `)` in the list")),
            }
        }
    }
}

fn is_keyword(word: &str) -> bool {
    ["and", "or", "not", "contains", "like", "in"]
        .iter()
        .any(|k| word.eq_ignore_ascii_case(k))
}

/// Calls `f` with every field path named in `expr`.
pub(crate) fn for_each_path(expr: &Expr, f: &mut impl FnMut(&[String], Op)) {
    match expr {
        Expr::And(parts) | Expr::Or(parts) => parts.iter().for_each(|p| for_each_path(p, f)),
        Expr::Cmp { path, op, .. } => f(path, *op),
    }
}
