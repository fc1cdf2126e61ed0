//! The fake's sense of time: the system clock, or a manual one that tests move by hand.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};

/// The clock the fake reads for timestamps (`created_at`, `updated_at`) and for the rate
/// limit window. Clones share one time.
///
/// ```
/// use std::time::Duration;
/// use assetpanda_api::fake::FakeClock;
///
/// let clock = FakeClock::manual_default();
/// let before = clock.now();
/// clock.advance(Duration::from_secs(180));
/// assert_eq!((clock.now() - before).num_seconds(), 180);
/// ```
#[derive(Debug, Clone)]
pub struct FakeClock {
    manual: Option<Arc<Mutex<DateTime<Utc>>>>,
}

impl FakeClock {
    /// The system clock.
    pub fn system() -> Self {
        FakeClock { manual: None }
    }

    /// A clock that stands still at `start` until [`FakeClock::advance`] moves it.
    pub fn manual(start: DateTime<Utc>) -> Self {
        FakeClock {
            manual: Some(Arc::new(Mutex::new(start))),
        }
    }

    /// A manual clock starting at 2025-01-15T00:00:00Z.
    pub fn manual_default() -> Self {
        let start = Utc
            .with_ymd_and_hms(2025, 1, 15, 0, 0, 0)
            .single()
            .unwrap_or_else(Utc::now);
        FakeClock::manual(start)
    }

    /// Whether the clock is manual.
    pub fn is_manual(&self) -> bool {
        self.manual.is_some()
    }

    /// The current time.
    pub fn now(&self) -> DateTime<Utc> {
        match &self.manual {
            Some(time) => *time.lock().unwrap_or_else(PoisonError::into_inner),
            None => Utc::now(),
        }
    }

    /// Moves a manual clock forward; does nothing to the system clock.
    pub fn advance(&self, by: Duration) {
        if let Some(time) = &self.manual {
            let mut time = time.lock().unwrap_or_else(PoisonError::into_inner);
            let step = chrono::Duration::from_std(by).unwrap_or(chrono::Duration::MAX);
            *time = time.checked_add_signed(step).unwrap_or(*time);
        }
    }
}

impl Default for FakeClock {
    fn default() -> Self {
        FakeClock::system()
    }
}

/// An account date format (`MM/DD/YYYY`) turned into a chrono format (`%m/%d/%Y`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DateFormat {
    /// The account's own spelling, served in the settings.
    pub(crate) account: String,
    /// The chrono spelling, used to check and write dates.
    pub(crate) chrono: String,
}

impl DateFormat {
    /// Translates the tokens `YYYY`, `YY`, `MM`, `DD` and the separators `/ - . ` and space.
    pub(crate) fn parse(account: &str) -> Result<Self, String> {
        let mut chrono = String::new();
        let mut rest = account;
        while !rest.is_empty() {
            let (token, len) = if rest.starts_with("YYYY") {
                ("%Y", 4)
            } else if rest.starts_with("YY") {
                ("%y", 2)
            } else if rest.starts_with("MM") {
                ("%m", 2)
            } else if rest.starts_with("DD") {
                ("%d", 2)
            } else if let Some(sep @ ('/' | '-' | '.' | ' ')) = rest.chars().next() {
                chrono.push(sep);
                rest = &rest[1..];
                continue;
            } else {
                return Err(format!(
                    "date format {account:?} has a token the fake does not know"
                ));
            };
            chrono.push_str(token);
            rest = &rest[len..];
        }
        if !(chrono.contains("%Y") || chrono.contains("%y")) {
            return Err(format!("date format {account:?} has no year"));
        }
        Ok(DateFormat {
            account: account.to_owned(),
            chrono,
        })
    }

    /// Whether `text` is a date in this format.
    pub(crate) fn accepts(&self, text: &str) -> bool {
        chrono::NaiveDate::parse_from_str(text.trim(), &self.chrono).is_ok()
    }

    /// `date` written in this format.
    pub(crate) fn format(&self, date: chrono::NaiveDate) -> String {
        date.format(&self.chrono).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_formats_translate_and_check() {
        let us = DateFormat::parse("MM/DD/YYYY").unwrap();
        assert_eq!(us.chrono, "%m/%d/%Y");
        assert!(us.accepts("11/24/2022"));
        assert!(!us.accepts("2022-11-24"));
        assert!(!us.accepts("24/11/2022"));
        let iso = DateFormat::parse("YYYY-MM-DD").unwrap();
        assert!(iso.accepts("2022-11-24"));
        assert!(DateFormat::parse("Do MMM YYYY").is_err());
    }

    #[test]
    fn manual_clock_moves_only_when_told() {
        let clock = FakeClock::manual_default();
        let start = clock.now();
        assert_eq!(clock.now(), start);
        clock.clone().advance(Duration::from_millis(1500));
        assert_eq!((clock.now() - start).num_milliseconds(), 1500);
    }
}
