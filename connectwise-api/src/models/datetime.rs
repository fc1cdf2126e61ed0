//! A lenient date-time that keeps text it cannot read.

use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A date or time as ConnectWise sent it, parsed as far as possible.
///
/// Instants with `Z`, a numeric offset or no offset (read as UTC) and 0 to 9 fraction
/// digits are parsed; so are date-only and time-only values. Anything else is kept as its
/// raw text. The original text is kept in every case and written back unchanged.
#[derive(Clone, PartialEq, Eq)]
pub struct CwDateTime {
    raw: String,
    parsed: Parsed,
}

/// What a [`CwDateTime`] turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Parsed {
    /// An instant.
    Instant(DateTime<Utc>),
    /// A calendar date without a time.
    Date(NaiveDate),
    /// A time of day without a date.
    Time(NaiveTime),
    /// Text that is none of these.
    Unparsed,
}

impl CwDateTime {
    /// Parses a text; it never fails, unreadable text is kept as it is.
    pub fn parse(text: &str) -> Self {
        Self {
            raw: text.to_owned(),
            parsed: parse(text.trim()),
        }
    }

    /// What was recognised.
    pub fn parsed(&self) -> Parsed {
        self.parsed
    }

    /// The instant, for an instant (a date-only value is not converted).
    pub fn instant(&self) -> Option<DateTime<Utc>> {
        match self.parsed {
            Parsed::Instant(at) => Some(at),
            _ => None,
        }
    }

    /// The calendar date: of an instant (in UTC) or of a date-only value.
    pub fn date(&self) -> Option<NaiveDate> {
        match self.parsed {
            Parsed::Instant(at) => Some(at.date_naive()),
            Parsed::Date(date) => Some(date),
            _ => None,
        }
    }

    /// The time of day, for a time-only value.
    pub fn time(&self) -> Option<NaiveTime> {
        match self.parsed {
            Parsed::Time(time) => Some(time),
            _ => None,
        }
    }

    /// The text as received.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// Whether the text could not be read as a date or time.
    pub fn is_unparsed(&self) -> bool {
        self.parsed == Parsed::Unparsed
    }
}

fn parse(text: &str) -> Parsed {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Parsed::Instant(at.with_timezone(&Utc));
    }
    if let Ok(at) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
        return Parsed::Instant(at.and_utc());
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Parsed::Date(date);
    }
    if let Ok(time) = NaiveTime::parse_from_str(text, "%H:%M:%S%.f") {
        return Parsed::Time(time);
    }
    Parsed::Unparsed
}

impl<Tz: chrono::TimeZone> From<DateTime<Tz>> for CwDateTime {
    /// Writes the instant in UTC without fractional seconds, as the API expects.
    fn from(at: DateTime<Tz>) -> Self {
        let at = at.with_timezone(&Utc);
        Self::parse(&at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
    }
}

impl fmt::Debug for CwDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CwDateTime({:?})", self.raw)
    }
}

impl fmt::Display for CwDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl Serialize for CwDateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.raw)
    }
}

impl<'de> Deserialize<'de> for CwDateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(Self::parse(&text))
    }
}
