//! The two fake servers the demo and `fake-servers` run, filled with generated data, and
//! the configuration that points the tool at them.

use std::path::PathBuf;

use assetpanda_api::fake::{FakeAssetPanda, GroupSpec};
use connectwise_api::fake::FakeConnectWise;

use crate::config::{ApConnection, CwConnection, FileConfig};
use crate::credentials::Env;
use crate::error::CliError;

/// The sample mapping the demo runs: companies, then devices linked to their company.
pub const SAMPLE_JOBS: &str = include_str!("sample-jobs.toml");

/// How much data to generate, and where to listen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoData {
    /// The seed of the generated records.
    pub seed: u64,
    /// Companies in the fake ConnectWise.
    pub companies: usize,
    /// Configurations (devices) in the fake ConnectWise.
    pub devices: usize,
    /// The ConnectWise fake's port (0: any free port).
    pub cw_port: u16,
    /// The Asset Panda fake's port (0: any free port).
    pub ap_port: u16,
}

/// Both fakes, running until dropped.
pub struct Servers {
    /// The fake ConnectWise.
    pub cw: FakeConnectWise,
    /// The fake Asset Panda, with the Companies (139301) and Devices (139300) groups.
    pub ap: FakeAssetPanda,
}

impl std::fmt::Debug for Servers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Servers")
            .field("cw", &self.cw.uri())
            .field("ap", &self.ap.uri())
            .finish()
    }
}

/// Starts both fakes on loopback.
pub async fn start(data: DemoData) -> Result<Servers, CliError> {
    let cw = FakeConnectWise::builder()
        .seed(data.seed)
        .companies(data.companies)
        .configurations(data.devices)
        .port(data.cw_port)
        .try_start()
        .await
        .map_err(|source| CliError::Io {
            what: format!("starting the fake ConnectWise on port {}", data.cw_port),
            source,
        })?;

    let ap = FakeAssetPanda::builder()
        .seed(data.seed)
        .group(GroupSpec::companies())
        .group(GroupSpec::devices())
        .port(data.ap_port)
        .try_start()
        .await
        .map_err(|e| CliError::Io {
            what: format!("starting the fake Asset Panda on port {}", data.ap_port),
            source: std::io::Error::other(e.to_string()),
        })?;

    Ok(Servers { cw, ap })
}

impl Servers {
    /// A configuration pointing at both fakes, with the sample jobs.
    pub fn config(&self) -> Result<FileConfig, CliError> {
        let text = format!("{}\n{SAMPLE_JOBS}", self.connections_toml());
        crate::config::parse(&PathBuf::from("(demo)"), &text)
    }

    /// The `[connectwise]` and `[assetpanda]` sections for these fakes.
    pub fn connections_toml(&self) -> String {
        let config = FileConfig {
            credentials_file: None,
            state_dir: None,
            sync: Default::default(),
            connectwise: CwConnection {
                site: self.cw.uri().to_owned(),
                codebase: None,
                api_version: None,
                page_size: None,
                requests_per_minute: Some(0),
                timeout_secs: None,
                retries: None,
                backoff_base_ms: Some(1),
                backoff_cap_ms: Some(20),
                allow_insecure_http: true,
                ca_file: None,
            },
            assetpanda: ApConnection {
                base_url: Some(self.ap.uri().to_owned()),
                max_calls: Some(0),
                window_secs: None,
                page_size: None,
                date_format: None,
                timeout_secs: None,
                retries: None,
                backoff_base_ms: Some(1),
                backoff_cap_ms: Some(20),
                allow_insecure_http: true,
                ca_file: None,
            },
            jobs: Vec::new(),
        };
        // NB: serialising a plain struct of strings and numbers cannot fail.
        toml::to_string(&config).unwrap_or_default()
    }

    /// The credentials both fakes accept, as environment variables.
    pub fn env(&self) -> Env {
        let mut env = Env::new();
        env.insert("CW_COMPANY".into(), self.cw.company_id().to_owned());
        env.insert("CW_PUBLIC_KEY".into(), self.cw.public_key().to_owned());
        env.insert("CW_PRIVATE_KEY".into(), self.cw.private_key().to_owned());
        env.insert("CW_CLIENT_ID".into(), self.cw.client_id().to_owned());
        env.insert("AP_EMAIL".into(), self.ap.core().email());
        env.insert("AP_PASSWORD".into(), self.ap.core().password());
        env
    }
}
