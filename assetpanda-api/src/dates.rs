//! The account's date format, for writing and reading date values.
//!
//! Asset Panda reports the format as tokens such as `MM/DD/YYYY`. The token syntax is not
//! documented, so only the common tokens are understood; anything else needs an explicit
//! chrono pattern. The client never guesses between `MM/DD` and `DD/MM`.

use chrono::{DateTime, NaiveDate};

use crate::error::{Error, Result};

/// A date format that can write and read dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateFormat {
    /// The format as the account spells it, or the override pattern.
    source: String,
    /// The equivalent chrono `strftime` pattern.
    pattern: String,
}

impl DateFormat {
    /// Reads the account's token syntax: `YYYY`, `YY`, `MM`, `M`, `DD`, `D`, separated by
    /// `/`, `-`, `.` or a space. Anything else is a `Config` error asking for an override.
    pub fn from_account(format: &str) -> Result<Self> {
        let mut pattern = String::new();
        let mut rest = format.trim();
        let (mut day, mut month, mut year) = (false, false, false);

        while !rest.is_empty() {
            let upper = rest.to_ascii_uppercase();
            let (token, len) = [
                ("YYYY", "%Y"),
                ("YY", "%y"),
                ("MM", "%m"),
                ("M", "%-m"),
                ("DD", "%d"),
                ("D", "%-d"),
            ]
            .iter()
            .find(|(t, _)| upper.starts_with(t))
            .map(|(t, p)| (*p, t.len()))
            .or_else(|| {
                let c = rest.chars().next()?;
                matches!(c, '/' | '-' | '.' | ' ').then_some(("", 1))
            })
            .ok_or_else(|| {
                Error::config(format!(
                    "the account date format `{format}` is not understood; \
                     set a date format override"
                ))
            })?;

            if token.is_empty() {
                pattern.push_str(&rest[..1]);
            } else {
                pattern.push_str(token);
                year |= token.contains(['Y', 'y']);
                month |= token.contains('m');
                day |= token.contains('d');
            }
            rest = &rest[len..];
        }

        if !(day && month && year) {
            return Err(Error::config(format!(
                "the account date format `{format}` lacks a day, month or year; \
                 set a date format override"
            )));
        }
        Ok(Self {
            source: format.trim().to_owned(),
            pattern,
        })
    }

    /// A chrono `strftime` pattern, such as `%m/%d/%Y`.
    pub fn from_strftime(pattern: &str) -> Result<Self> {
        let sample = NaiveDate::from_ymd_opt(2001, 2, 3).unwrap_or_default();
        let mut text = String::new();
        use std::fmt::Write;
        if write!(text, "{}", sample.format(pattern)).is_err()
            || NaiveDate::parse_from_str(&text, pattern) != Ok(sample)
        {
            return Err(Error::config(format!(
                "date format `{pattern}` cannot write and read back a date"
            )));
        }

        Ok(Self {
            source: pattern.to_owned(),
            pattern: pattern.to_owned(),
        })
    }

    /// The format as given.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The chrono pattern.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// Writes a date in this format.
    pub fn format(&self, date: NaiveDate) -> String {
        date.format(&self.pattern).to_string()
    }

    /// Reads a date: this format first, then `YYYY-MM-DD`, then RFC 3339. Empty text is
    /// `None`; text that fits none of them is kept as [`LenientDate::Raw`].
    pub fn parse(&self, text: &str) -> Option<LenientDate> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }

        let parsed = NaiveDate::parse_from_str(text, &self.pattern)
            .or_else(|_| NaiveDate::parse_from_str(text, "%Y-%m-%d"))
            .ok()
            .or_else(|| {
                DateTime::parse_from_rfc3339(text)
                    .ok()
                    .map(|d| d.date_naive())
            });
        Some(parsed.map_or_else(|| LenientDate::Raw(text.to_owned()), LenientDate::Date))
    }
}

/// A date read from the server: parsed, or the raw text when it did not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LenientDate {
    /// A date that parsed.
    Date(NaiveDate),
    /// Text that did not parse, kept as sent.
    Raw(String),
}

impl LenientDate {
    /// The date, when it parsed.
    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            Self::Date(d) => Some(*d),
            Self::Raw(_) => None,
        }
    }
}
