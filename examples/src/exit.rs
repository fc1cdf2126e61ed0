//! Exit statuses of `cw-ap-sync` and how several outcomes combine into one.
//!
//! The codes are fixed across the project: 0 every group complete and no record failed,
//! 1 some records failed, 2 a configuration or credential problem, 3 a safety guard stopped a
//! group, 4 a group failed or ended incomplete, 5 another run of the same job holds the lock.
//! When several apply, the highest wins.

use std::fmt;

/// The outcome class of one command, ordered so that the most serious one is the greatest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum ExitStatus {
    /// Every group complete and no record failed (warnings alone still give this).
    #[default]
    Success,
    /// Some records failed; the rest of their groups were synced.
    RecordsFailed,
    /// A configuration or credential problem; nothing, or not everything, could start.
    ConfigError,
    /// A safety guard (the archive limit) held back every write to a group.
    GuardStopped,
    /// A group failed or ended incomplete (a fetch broke off).
    GroupFailed,
    /// Another run of the same job holds the lock, and nothing was done.
    Locked,
}

impl ExitStatus {
    /// The numeric process exit code.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::RecordsFailed => 1,
            ExitStatus::ConfigError => 2,
            ExitStatus::GuardStopped => 3,
            ExitStatus::GroupFailed => 4,
            ExitStatus::Locked => 5,
        }
    }

    /// The status for a numeric exit code, if it is one of ours.
    pub fn from_code(code: u8) -> Option<Self> {
        [
            ExitStatus::Success,
            ExitStatus::RecordsFailed,
            ExitStatus::ConfigError,
            ExitStatus::GuardStopped,
            ExitStatus::GroupFailed,
            ExitStatus::Locked,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    /// Combines two outcomes: the higher one wins.
    #[must_use]
    pub fn combine(self, other: ExitStatus) -> ExitStatus {
        self.max(other)
    }

    /// Combines any number of outcomes; an empty set is a success.
    pub fn worst<I: IntoIterator<Item = ExitStatus>>(all: I) -> ExitStatus {
        all.into_iter()
            .fold(ExitStatus::Success, ExitStatus::combine)
    }

    /// A short description for reports and the history table.
    pub fn describe(self) -> &'static str {
        match self {
            ExitStatus::Success => "ok",
            ExitStatus::RecordsFailed => "some records failed",
            ExitStatus::ConfigError => "configuration or credential problem",
            ExitStatus::GuardStopped => "safety guard stopped a group",
            ExitStatus::GroupFailed => "a group failed or is incomplete",
            ExitStatus::Locked => "another run holds the lock",
        }
    }
}

impl fmt::Display for ExitStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.code(), self.describe())
    }
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(status: ExitStatus) -> Self {
        std::process::ExitCode::from(status.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_the_project_table() {
        let codes: Vec<u8> = [
            ExitStatus::Success,
            ExitStatus::RecordsFailed,
            ExitStatus::ConfigError,
            ExitStatus::GuardStopped,
            ExitStatus::GroupFailed,
            ExitStatus::Locked,
        ]
        .iter()
        .map(|s| s.code())
        .collect();

        assert_eq!(codes, vec![0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn the_highest_status_wins() {
        let all = [
            ExitStatus::RecordsFailed,
            ExitStatus::GroupFailed,
            ExitStatus::GuardStopped,
        ];

        assert_eq!(ExitStatus::worst(all), ExitStatus::GroupFailed);
        assert_eq!(
            ExitStatus::GuardStopped.combine(ExitStatus::RecordsFailed),
            ExitStatus::GuardStopped
        );
        assert_eq!(ExitStatus::worst([]), ExitStatus::Success);
    }

    #[test]
    fn codes_round_trip() {
        for code in 0..=5 {
            assert_eq!(
                ExitStatus::from_code(code).map(ExitStatus::code),
                Some(code)
            );
        }

        assert_eq!(ExitStatus::from_code(6), None);
    }
}
