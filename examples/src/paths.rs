//! Where the tool keeps its files: beside the configuration, named after it.
//!
//! For `/etc/cw-ap-sync/prod.toml` the history is `prod.history.jsonl`, and job `devices`
//! has its watermark in `prod.devices.state.json` and its lock in `prod.devices.lock`, all
//! in `/etc/cw-ap-sync/` unless the configuration names another state directory.

use std::path::{Path, PathBuf};

/// The files of one configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    dir: PathBuf,
    stem: String,
}

impl Paths {
    /// The files for a configuration file, kept in its directory or in `state_dir`.
    pub fn for_config(config: &Path, state_dir: Option<&Path>) -> Self {
        let dir = match state_dir {
            Some(d) if d.is_absolute() => d.to_owned(),
            Some(d) => config_dir(config).join(d),
            None => config_dir(config),
        };
        let stem = config
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "cw-ap-sync".to_owned());

        Paths { dir, stem }
    }

    /// The directory that holds the files.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The run history (JSON lines).
    pub fn history(&self) -> PathBuf {
        self.dir.join(format!("{}.history.jsonl", self.stem))
    }

    /// A job's state file.
    pub fn state(&self, job: &str) -> PathBuf {
        self.dir
            .join(format!("{}.{}.state.json", self.stem, file_safe(job)))
    }

    /// A job's lock file.
    pub fn lock(&self, job: &str) -> PathBuf {
        self.dir
            .join(format!("{}.{}.lock", self.stem, file_safe(job)))
    }
}

/// The directory of a configuration file (`.` for a bare file name).
pub fn config_dir(config: &Path) -> PathBuf {
    match config.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// A job name made safe for a file name: anything but letters, digits, `-` and `_`
/// becomes `_`.
fn file_safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_sit_beside_the_configuration_and_are_named_after_it() {
        let p = Paths::for_config(Path::new("/etc/cw/prod.toml"), None);

        assert_eq!(p.history(), PathBuf::from("/etc/cw/prod.history.jsonl"));
        assert_eq!(
            p.state("devices"),
            PathBuf::from("/etc/cw/prod.devices.state.json")
        );
        assert_eq!(
            p.lock("devices"),
            PathBuf::from("/etc/cw/prod.devices.lock")
        );
    }

    #[test]
    fn a_relative_state_dir_is_taken_from_the_configuration_directory() {
        let p = Paths::for_config(Path::new("/etc/cw/prod.toml"), Some(Path::new("state")));
        let bare = Paths::for_config(Path::new("prod.toml"), None);

        assert_eq!(p.dir(), Path::new("/etc/cw/state"));
        assert_eq!(bare.dir(), Path::new("."));
    }

    #[test]
    fn job_names_cannot_escape_the_directory() {
        let p = Paths::for_config(Path::new("/etc/cw/prod.toml"), None);

        assert_eq!(p.lock("../x y"), PathBuf::from("/etc/cw/prod.___x_y.lock"));
    }
}
