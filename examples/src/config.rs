//! The configuration file of `cw-ap-sync` (TOML): a section per account and the mapping
//! crate's sync jobs.
//!
//! ```toml
//! credentials_file = "cw-ap-sync.credentials.toml"   # optional; the environment wins
//!
//! [connectwise]
//! site = "na"                  # a region (na, eu, au), a host name or a URL
//!
//! [assetpanda]
//! base_url = "https://api.assetpanda.com"
//!
//! [[jobs]]
//! name = "devices"
//! entity = "configurations"
//! target_group = 139300
//! match_keys = [{ target = "field_20" }]
//! fields = [{ source = "name", target = "field_1" }]
//! ```
//!
//! No key, token or password is accepted here: they live in the environment or in the
//! credentials file, which can be kept apart with tighter permissions.

use std::path::{Path, PathBuf};

use cw_ap_mapping::JobConfig;
use serde::{Deserialize, Serialize};

use crate::error::CliError;

/// The whole configuration file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// A TOML file with `[connectwise]` and `[assetpanda]` credentials, relative to this
    /// file. Environment variables override its values one by one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials_file: Option<PathBuf>,
    /// Where history, state and lock files go, relative to this file (default: beside it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_dir: Option<PathBuf>,
    /// How to reach ConnectWise.
    pub connectwise: CwConnection,
    /// How to reach Asset Panda.
    #[serde(default)]
    pub assetpanda: ApConnection,
    /// How the sync writes and reads: batch size and concurrency.
    #[serde(default, skip_serializing_if = "SyncSettings::is_default")]
    pub sync: SyncSettings,
    /// The sync jobs, run in order (a job that links to another group's objects should come
    /// after the job that fills that group).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub jobs: Vec<JobConfig>,
}

/// The `[connectwise]` section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CwConnection {
    /// A cloud region (`na`, `eu`, `au`), a host name or a URL. A portal host such as
    /// `na.myconnectwise.net` is turned into its `api-` host.
    pub site: String,
    /// The codebase, e.g. `v4_6_release/` (default: read from the server's company info).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codebase: Option<String>,
    /// The API version pinned in the `Accept` header (default 2025.8, lowered to the
    /// server's version when it is older).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// Records per request, 1 to 1000 (default 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u32>,
    /// Client-side request limit per minute (default 600; 0 turns it off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests_per_minute: Option<u32>,
    /// Seconds allowed for one request (default 120).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_secs: Option<u64>,
    /// Retries of a failed request (default 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retries: Option<u32>,
    /// The first backoff wait between retries, in milliseconds (default 500; it doubles,
    /// with full jitter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backoff_base_ms: Option<u64>,
    /// The longest backoff wait, in milliseconds (default 60000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backoff_cap_ms: Option<u64>,
    /// Accept a plain `http://` URL (local test servers only).
    #[serde(default, skip_serializing_if = "is_false")]
    pub allow_insecure_http: bool,
    /// A PEM file of certificate authorities to trust besides the public ones (a private
    /// CA, a TLS-inspecting proxy), relative to the configuration file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<PathBuf>,
}

/// The `[assetpanda]` section.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApConnection {
    /// The API host (default `https://api.assetpanda.com`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// Most calls in any window (default 360, under the vendor's 400; 0 turns it off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_calls: Option<u32>,
    /// The window of `max_calls`, in seconds (default 180).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_secs: Option<u64>,
    /// Objects asked for per search page (default 50; accounts may cap it lower).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u32>,
    /// Overrides the account's date format (`MM/DD/YYYY`, `DD.MM.YYYY`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_format: Option<String>,
    /// Seconds allowed for one request (default 60).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_secs: Option<u64>,
    /// Retries of a failed request (default 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retries: Option<u32>,
    /// The first backoff wait between retries, in milliseconds (default 500; it doubles,
    /// with full jitter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backoff_base_ms: Option<u64>,
    /// The longest backoff wait, in milliseconds (default 60000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backoff_cap_ms: Option<u64>,
    /// Accept a plain `http://` URL (local test servers only).
    #[serde(default, skip_serializing_if = "is_false")]
    pub allow_insecure_http: bool,
    /// A PEM file of certificate authorities to trust besides the public ones (a private
    /// CA, a TLS-inspecting proxy), relative to the configuration file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<PathBuf>,
}

/// The `[sync]` section: how many records a write carries and how many requests run at
/// once. Concurrency never passes the clients' throttles, which hold the rate limits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncSettings {
    /// Objects per Asset Panda write request, 1 to 200 (default 200, the API's cap).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_size: Option<usize>,
    /// Asset Panda write batches sent at once, 1 to 16 (default 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write_concurrency: Option<usize>,
    /// ConnectWise id ranges read at once in a full listing, 1 to 16 (default 4). A
    /// listing of one page is read in one request whatever this is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_concurrency: Option<usize>,
}

impl SyncSettings {
    /// The ConnectWise id ranges read at once when nothing is set.
    pub const DEFAULT_READ_CONCURRENCY: usize = 4;

    fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// The ConnectWise id ranges read at once.
    pub fn read_concurrency(&self) -> usize {
        self.read_concurrency
            .unwrap_or(Self::DEFAULT_READ_CONCURRENCY)
    }

    /// The engine's options with this section's values over the defaults.
    pub fn engine_options(&self) -> cw_ap_mapping::EngineOptions {
        let mut options = cw_ap_mapping::EngineOptions::default();
        if let Some(size) = self.batch_size {
            options.batch_size = size;
        }
        if let Some(concurrency) = self.write_concurrency {
            options.write_concurrency = concurrency;
        }
        options
    }
}

/// A setting's value out of its range, named by its place in the file.
fn out_of_range<T: PartialOrd + std::fmt::Display>(
    place: &str,
    value: Option<T>,
    min: T,
    max: T,
) -> Option<String> {
    let value = value?;
    (value < min || value > max)
        .then(|| format!("`{place}` is {value}; it must be between {min} and {max}"))
}

/// The first setting out of its range, if any.
fn check_ranges(config: &FileConfig) -> Option<String> {
    let cw = &config.connectwise;
    let ap = &config.assetpanda;
    let sync = &config.sync;
    out_of_range("connectwise.page_size", cw.page_size, 1, 1000)
        .or_else(|| out_of_range("connectwise.timeout_secs", cw.timeout_secs, 1, 3600))
        .or_else(|| out_of_range("assetpanda.page_size", ap.page_size, 1, 1000))
        .or_else(|| out_of_range("assetpanda.timeout_secs", ap.timeout_secs, 1, 3600))
        .or_else(|| out_of_range("sync.batch_size", sync.batch_size, 1, 200))
        .or_else(|| out_of_range("sync.write_concurrency", sync.write_concurrency, 1, 16))
        .or_else(|| out_of_range("sync.read_concurrency", sync.read_concurrency, 1, 16))
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A configuration as loaded: the file's contents and where it lives.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The file.
    pub path: PathBuf,
    /// Its contents.
    pub config: FileConfig,
}

impl Loaded {
    /// The credentials file, resolved against the configuration's directory.
    pub fn credentials_path(&self) -> Option<PathBuf> {
        self.config
            .credentials_file
            .as_ref()
            .map(|p| crate::paths::config_dir(&self.path).join(p))
    }

    /// Where history, state and lock files go.
    pub fn paths(&self) -> crate::paths::Paths {
        crate::paths::Paths::for_config(&self.path, self.config.state_dir.as_deref())
    }

    /// The place of each of `jobs` in the configuration, so that their problems are located
    /// where they are in the file (`jobs[2]`) when only some of them run.
    pub fn indexes(&self, jobs: &[JobConfig]) -> Vec<usize> {
        jobs.iter()
            .enumerate()
            .map(|(at, job)| {
                self.config
                    .jobs
                    .iter()
                    .position(|j| j.name == job.name)
                    .unwrap_or(at)
            })
            .collect()
    }

    /// The jobs to run: all, or the one named. A configuration without jobs, and an
    /// unknown name (which lists the known ones and suggests the nearest), are
    /// configuration errors.
    pub fn jobs(&self, only: Option<&str>) -> Result<Vec<JobConfig>, CliError> {
        if self.config.jobs.is_empty() {
            return Err(CliError::Config {
                path: self.path.clone(),
                message: "the configuration has no jobs; add a `[[jobs]]` section \
                          (`cw-ap-sync init` writes an example)"
                    .to_owned(),
            });
        }
        let Some(name) = only else {
            return Ok(self.config.jobs.clone());
        };
        match self.config.jobs.iter().find(|j| j.name == name) {
            Some(job) => Ok(vec![job.clone()]),
            None => {
                let known: Vec<&str> = self.config.jobs.iter().map(|j| j.name.as_str()).collect();
                Err(CliError::Config {
                    path: self.path.clone(),
                    message: CliError::no_job_message(name, &known),
                })
            }
        }
    }
}

/// Parses configuration text; errors name the line and column.
pub fn parse(path: &Path, text: &str) -> Result<FileConfig, CliError> {
    let config: FileConfig = cw_ap_mapping::from_toml_str(text).map_err(|e| CliError::Config {
        path: path.to_owned(),
        message: e.to_string(),
    })?;

    if let Some(message) = check_ranges(&config) {
        return Err(CliError::Config {
            path: path.to_owned(),
            message,
        });
    }

    let mut seen = std::collections::BTreeSet::new();
    for job in &config.jobs {
        if !seen.insert(job.name.as_str()) {
            return Err(CliError::Config {
                path: path.to_owned(),
                message: format!("two jobs are named `{}`; job names must differ", job.name),
            });
        }
    }
    Ok(config)
}

/// Reads and parses the configuration file.
pub fn load(path: &Path) -> Result<Loaded, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| CliError::Config {
        path: path.to_owned(),
        message: if e.kind() == std::io::ErrorKind::NotFound {
            "the file does not exist; `cw-ap-sync init` writes an example to start from".to_owned()
        } else {
            format!("cannot be read: {e}")
        },
    })?;

    let mut config = parse(path, &text)?;
    // NB: a CA file is found beside the configuration, as the credentials file is.
    let dir = crate::paths::config_dir(path);
    for ca_file in [
        &mut config.connectwise.ca_file,
        &mut config.assetpanda.ca_file,
    ] {
        if let Some(file) = ca_file.as_mut() {
            *file = dir.join(&*file);
        }
    }
    Ok(Loaded {
        path: path.to_owned(),
        config,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
        [connectwise]
        site = "na"

        [[jobs]]
        name = "devices"
        entity = "configurations"
        target_group = 139300
        match_keys = [{ target = "field_20" }]
        fields = [{ source = "name", target = "field_1" }]
    "#;

    #[test]
    fn a_minimal_file_reads() {
        let config = parse(Path::new("x.toml"), MINIMAL).unwrap();

        assert_eq!(config.connectwise.site, "na");
        assert_eq!(config.assetpanda, ApConnection::default());
        assert_eq!(config.jobs.len(), 1);
        assert_eq!(config.jobs[0].name, "devices");
    }

    #[test]
    fn a_key_in_the_configuration_is_refused_by_name() {
        let text = MINIMAL.replace("site = \"na\"", "site = \"na\"\nprivate_key = \"PRIVKEY\"");

        let err = parse(Path::new("x.toml"), &text).unwrap_err().to_string();

        assert!(err.contains("private_key"), "{err}");
        assert!(err.contains("x.toml"), "{err}");
    }

    #[test]
    fn a_typo_names_its_line() {
        let text = MINIMAL.replace("entity = \"configurations\"", "entity = \"configuratons\"");

        let err = parse(Path::new("x.toml"), &text).unwrap_err().to_string();

        assert!(
            err.contains("line 7") && err.contains("configuratons"),
            "{err}"
        );
    }

    #[test]
    fn settings_out_of_range_are_named() {
        let cases = [
            (
                "[connectwise]",
                "timeout_secs = 0",
                "connectwise.timeout_secs` is 0",
            ),
            (
                "[connectwise]",
                "page_size = 1001",
                "connectwise.page_size` is 1001",
            ),
            (
                "[assetpanda]",
                "timeout_secs = 0",
                "assetpanda.timeout_secs` is 0",
            ),
            ("[sync]", "batch_size = 0", "sync.batch_size` is 0"),
            ("[sync]", "batch_size = 201", "sync.batch_size` is 201"),
            (
                "[sync]",
                "write_concurrency = 0",
                "sync.write_concurrency` is 0",
            ),
            (
                "[sync]",
                "read_concurrency = 17",
                "sync.read_concurrency` is 17",
            ),
        ];
        for (section, line, expected) in cases {
            let text = MINIMAL.replace("[connectwise]", "[connectwise]\nsite_placeholder = 1");
            let text = if section == "[connectwise]" {
                text.replace("site_placeholder = 1", line)
            } else {
                text.replace("site_placeholder = 1\n", "")
                    .replace("[[jobs]]", &format!("{section}\n{line}\n\n[[jobs]]"))
            };

            let err = parse(Path::new("x.toml"), &text).unwrap_err();

            assert_eq!(err.exit_status(), crate::ExitStatus::ConfigError, "{line}");
            assert!(err.to_string().contains(expected), "{line}: {err}");
        }
    }

    #[test]
    fn sync_settings_reach_the_engine() {
        let text = MINIMAL.replace(
            "[[jobs]]",
            "[sync]\nbatch_size = 7\nwrite_concurrency = 3\nread_concurrency = 2\n\n[[jobs]]",
        );

        let config = parse(Path::new("x.toml"), &text).unwrap();

        assert_eq!(config.sync.engine_options().batch_size, 7);
        assert_eq!(config.sync.engine_options().write_concurrency, 3);
        assert_eq!(config.sync.read_concurrency(), 2);
        let defaults = parse(Path::new("x.toml"), MINIMAL).unwrap().sync;
        assert_eq!(
            defaults.read_concurrency(),
            SyncSettings::DEFAULT_READ_CONCURRENCY
        );
        assert_eq!(
            defaults.engine_options().batch_size,
            cw_ap_mapping::EngineOptions::default().batch_size
        );
    }

    #[test]
    fn duplicate_job_names_are_refused() {
        let job = MINIMAL.split("[[jobs]]").nth(1).unwrap();
        let text = format!("{MINIMAL}\n[[jobs]]{job}");

        let err = parse(Path::new("x.toml"), &text).unwrap_err().to_string();

        assert!(err.contains("two jobs are named `devices`"), "{err}");
    }

    #[test]
    fn an_unknown_job_lists_the_known_ones() {
        let loaded = Loaded {
            path: "x.toml".into(),
            config: parse(Path::new("x.toml"), MINIMAL).unwrap(),
        };

        let err = loaded.jobs(Some("tickets")).unwrap_err().to_string();

        assert!(
            err.contains("no job `tickets`") && err.contains("devices"),
            "{err}"
        );
        assert_eq!(loaded.jobs(None).unwrap().len(), 1);
        let typo = loaded.jobs(Some("devics")).unwrap_err().to_string();
        assert!(
            typo.contains("no job `devics`; the jobs are: devices; did you mean `devices`?")
                && !typo.contains("?;"),
            "{typo}"
        );
    }

    #[test]
    fn a_configuration_without_jobs_is_an_error() {
        let text = MINIMAL.split("[[jobs]]").next().unwrap();
        for text in [text.to_owned(), format!("jobs = []\n{text}")] {
            let loaded = Loaded {
                path: "x.toml".into(),
                config: parse(Path::new("x.toml"), &text).unwrap(),
            };

            let err = loaded.jobs(None).unwrap_err();

            assert_eq!(err.exit_status(), crate::ExitStatus::ConfigError);
            assert!(err.to_string().contains("has no jobs"), "{err}");
            assert!(loaded.jobs(Some("devices")).is_err());
        }
    }
}
