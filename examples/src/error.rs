//! Errors that end a command, each with the exit status it maps to.

use std::path::PathBuf;

use crate::credentials::CredentialsError;
use crate::exit::ExitStatus;
use crate::lock::LockError;
use crate::state::StateError;

/// A problem that stops a command before or outside the per-group work of a run (which
/// reports its problems in the run report instead).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CliError {
    /// The configuration file is missing, unreadable or wrong.
    #[error("configuration {path}: {message}")]
    Config {
        /// The file.
        path: PathBuf,
        /// What is wrong, naming the job, group and field where it applies.
        message: String,
    },
    /// Credentials are missing or unreadable.
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
    /// A side refused the credentials, or could not be reached to check them.
    #[error("{side}: {message}")]
    Connection {
        /// `ConnectWise` or `Asset Panda`.
        side: &'static str,
        /// What happened.
        message: String,
        /// Whether the credentials were refused (401/403), as opposed to a failure to
        /// reach the server.
        credentials_refused: bool,
    },
    /// Another run of the job holds its lock.
    #[error(transparent)]
    Lock(#[from] LockError),
    /// The job's state file is unusable.
    #[error(transparent)]
    State(#[from] StateError),
    /// A local file could not be read or written.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// Why it failed.
        #[source]
        source: std::io::Error,
    },
    /// The command line asks for something that cannot be done.
    #[error("{0}")]
    Usage(String),
}

impl CliError {
    /// The exit status this error ends the command with.
    pub fn exit_status(&self) -> ExitStatus {
        match self {
            CliError::Lock(LockError::Held { .. }) => ExitStatus::Locked,
            CliError::Connection {
                credentials_refused: false,
                ..
            } => ExitStatus::GroupFailed,
            _ => ExitStatus::ConfigError,
        }
    }

    /// An Asset Panda group named on the command line that could not be read: one that
    /// does not exist (404) is the user's mistake, as a job that does not exist is; any
    /// other failure is the server's.
    pub fn group_lookup(error: cw_ap_mapping::SinkError, context: &str) -> Self {
        let message = format!("{context}{}", error.message);
        match error.status {
            Some(404) => CliError::Usage(message),
            status => CliError::Connection {
                side: "Asset Panda",
                message,
                credentials_refused: status == Some(401),
            },
        }
    }

    /// The message for a job name the configuration does not have, listing the ones it
    /// has and suggesting the nearest.
    pub fn no_job_message(name: &str, known: &[&str]) -> String {
        format!(
            "there is no job `{name}`; the jobs are: {}{}",
            known.join(", "),
            crate::suggest::hint(name, known.iter().copied())
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_lock_is_five_and_a_refused_login_is_two() {
        let held = CliError::Lock(LockError::Held {
            job: "devices".into(),
            holder: "pid 1".into(),
            path: "x.lock".into(),
        });
        let refused = CliError::Connection {
            side: "ConnectWise",
            message: "401".into(),
            credentials_refused: true,
        };
        let unreachable = CliError::Connection {
            side: "ConnectWise",
            message: "connection refused".into(),
            credentials_refused: false,
        };

        assert_eq!(held.exit_status().code(), 5);
        assert_eq!(refused.exit_status().code(), 2);
        assert_eq!(unreachable.exit_status().code(), 4);
        assert!(held.to_string().contains("already running"));
    }
}
