//! One run per job at a time: an exclusive lock on a small file beside the configuration.
//!
//! The lock is the operating system's advisory file lock, so it is released when the
//! process ends however it ends (a crash or `kill -9` leaves no stale lock behind). The
//! file itself stays and holds the holder's process id and start time, for the message
//! that the second run prints.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// A held job lock; dropping it releases the lock.
#[derive(Debug)]
pub struct JobLock {
    file: File,
    path: PathBuf,
}

/// Why a lock was not taken.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LockError {
    /// Another run holds it.
    #[error("job `{job}` is already running ({holder}); lock file {path}")]
    Held {
        /// The job.
        job: String,
        /// What the lock file says about the holder.
        holder: String,
        /// The lock file.
        path: PathBuf,
    },
    /// The lock file could not be opened or locked.
    #[error("cannot use the lock file {path}: {source}")]
    Io {
        /// The lock file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

impl JobLock {
    /// Takes the lock for `job` at `path` without waiting.
    pub fn try_acquire(job: &str, path: &Path) -> Result<JobLock, LockError> {
        let io = |source| LockError::Io {
            path: path.to_owned(),
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(io)?;

        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                return Err(LockError::Held {
                    job: job.to_owned(),
                    holder: if holder.is_empty() {
                        "holder unknown".to_owned()
                    } else {
                        holder.to_owned()
                    },
                    path: path.to_owned(),
                });
            }
            Err(TryLockError::Error(e)) => return Err(io(e)),
        }

        let note = format!(
            "pid {} since {}",
            std::process::id(),
            chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ")
        );
        file.set_len(0).map_err(io)?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        file.write_all(note.as_bytes()).map_err(io)?;

        Ok(JobLock {
            file,
            path: path.to_owned(),
        })
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for JobLock {
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_job_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("devices.lock");

        let first = JobLock::try_acquire("devices", &path).unwrap();
        let second = JobLock::try_acquire("devices", &path);

        match second {
            Err(LockError::Held { job, holder, .. }) => {
                assert_eq!(job, "devices");
                assert!(
                    holder.contains(&format!("pid {}", std::process::id())),
                    "{holder}"
                );
            }
            other => panic!("expected Held, got {other:?}"),
        }
        assert_eq!(first.path(), path);

        drop(first);
        assert!(JobLock::try_acquire("devices", &path).is_ok());
    }

    #[test]
    fn different_jobs_do_not_block_each_other() {
        let dir = tempfile::tempdir().unwrap();

        let a = JobLock::try_acquire("a", &dir.path().join("a.lock"));
        let b = JobLock::try_acquire("b", &dir.path().join("b.lock"));

        assert!(a.is_ok() && b.is_ok());
    }

    #[test]
    fn an_unusable_path_is_an_io_error() {
        let dir = tempfile::tempdir().unwrap();

        let err = JobLock::try_acquire("a", &dir.path().join("missing/dir/a.lock")).unwrap_err();

        assert!(matches!(err, LockError::Io { .. }), "{err:?}");
    }
}
