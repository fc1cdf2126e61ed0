//! The state kept between runs: per job, the incremental watermark of each group (the
//! highest `lastUpdated` the server returned in the last run that completed).
//!
//! Each job has its own small JSON file beside the configuration, written only while that
//! job's lock is held, and replaced atomically (write a temporary file, then rename), so a
//! run killed mid-write leaves the previous state intact.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A job's saved state. A key this tool does not write makes the file damaged, so that a
/// hand-edited watermark is never silently ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobState {
    /// Group name → the watermark for its next incremental read.
    #[serde(default)]
    pub watermarks: BTreeMap<String, DateTime<Utc>>,
    /// When the last run that completed finished.
    #[serde(default)]
    pub last_success: Option<DateTime<Utc>>,
}

/// What went wrong with the state file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StateError {
    /// Reading or writing failed.
    #[error("state file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is not what this tool writes.
    #[error(
        "state file {path} is damaged ({message}); delete it to make the next incremental \
         run a full one"
    )]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        message: String,
    },
}

/// Loads a job's state; a missing file is an empty state (the next run is a full one).
pub fn load(path: &Path) -> Result<JobState, StateError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(JobState::default()),
        Err(source) => {
            return Err(StateError::Io {
                path: path.to_owned(),
                source,
            })
        }
    };

    serde_json::from_str(&text).map_err(|e| StateError::Damaged {
        path: path.to_owned(),
        message: e.to_string(),
    })
}

/// Saves a job's state atomically.
pub fn save(path: &Path, state: &JobState) -> Result<(), StateError> {
    let io = |source| StateError::Io {
        path: path.to_owned(),
        source,
    };
    let tmp = path.with_extension("json.tmp");
    let text = serde_json::to_string_pretty(state).map_err(|e| io(std::io::Error::other(e)))?;

    let mut file = std::fs::File::create(&tmp).map_err(io)?;
    file.write_all(text.as_bytes()).map_err(io)?;
    file.sync_all().map_err(io)?;
    drop(file);

    std::fs::rename(&tmp, path).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_an_empty_state() {
        let dir = tempfile::tempdir().unwrap();

        let state = load(&dir.path().join("job.state.json")).unwrap();

        assert_eq!(state, JobState::default());
    }

    #[test]
    fn save_then_load_round_trips_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("job.state.json");
        let mut state = JobState::default();
        state
            .watermarks
            .insert("Devices".into(), "2026-01-02T03:04:05Z".parse().unwrap());

        save(&path, &state).unwrap();
        let back = load(&path).unwrap();

        assert_eq!(back, state);
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn a_damaged_file_says_how_to_recover() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("job.state.json");
        std::fs::write(&path, "{not json").unwrap();

        let err = load(&path).unwrap_err().to_string();

        assert!(err.contains("job.state.json"), "{err}");
        assert!(err.contains("delete it"), "{err}");
    }

    #[test]
    fn an_unreadable_watermark_is_damage_not_an_empty_state() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("job.state.json");

        for text in [
            r#"{"watermark": "garbage"}"#,
            r#"{"watermarks": {"job": "garbage"}}"#,
        ] {
            std::fs::write(&path, text).unwrap();

            let err = load(&path).unwrap_err();

            assert!(matches!(err, StateError::Damaged { .. }), "{text}: {err}");
        }
    }
}
