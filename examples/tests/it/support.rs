//! A test world: both fakes, a configuration file in a temporary directory, and the tool
//! run in-process against them. [`chaos`] holds the seeded world of the reliability tests.

pub mod chaos;

use std::path::{Path, PathBuf};

use assetpanda_api::fake::{Endpoint, FakeAssetPanda, GroupSpec, StoredObject};
use connectwise_api::fake::{FakeConnectWise, FakeConnectWiseBuilder};
use cw_ap_examples::credentials::Env;
use cw_ap_examples::demo::{DemoData, Servers, SAMPLE_JOBS};
use cw_ap_examples::output::Output;
use cw_ap_examples::ExitStatus;

/// A private key distinctive enough to search every output for.
pub const PRIVATE_KEY: &str = "PRIVKEY-7f3a9c-never-print-me";

/// Both fakes, and a configuration for them on disk.
pub struct World {
    pub servers: Servers,
    pub dir: tempfile::TempDir,
    pub config: PathBuf,
}

/// What one in-process run of the tool gave.
#[derive(Debug)]
pub struct Ran {
    pub status: ExitStatus,
    pub out: String,
    pub err: String,
}

impl World {
    /// Generated data in both fakes, the demo's sample jobs.
    pub async fn demo(seed: u64, companies: usize, devices: usize) -> World {
        let servers = cw_ap_examples::demo::start(DemoData {
            seed,
            companies,
            devices,
            cw_port: 0,
            ap_port: 0,
        })
        .await
        .expect("fakes start");
        World::with(servers, SAMPLE_JOBS)
    }

    /// Custom fakes: a ConnectWise built from `cw` (credentials set here) and an Asset
    /// Panda with the Companies, Devices and Tickets groups.
    pub async fn custom(cw: FakeConnectWiseBuilder, jobs: &str) -> World {
        let cw: FakeConnectWise = cw
            .credentials("examplemsp", "PUBKEY", PRIVATE_KEY)
            .start()
            .await;
        let ap = FakeAssetPanda::builder()
            .group(GroupSpec::companies())
            .group(GroupSpec::devices())
            .group(GroupSpec::tickets())
            .start()
            .await;
        World::with(Servers { cw, ap }, jobs)
    }

    /// Custom fakes on both sides (the ConnectWise credentials are set here).
    pub async fn build(
        cw: FakeConnectWiseBuilder,
        ap: assetpanda_api::fake::FakeAssetPandaBuilder,
        jobs: &str,
    ) -> World {
        let cw = cw
            .credentials("examplemsp", "PUBKEY", PRIVATE_KEY)
            .start()
            .await;
        World::with(
            Servers {
                cw,
                ap: ap.start().await,
            },
            jobs,
        )
    }

    /// Edits the configuration file's text.
    pub fn patch_config(&self, edit: impl FnOnce(String) -> String) {
        let text = std::fs::read_to_string(&self.config).expect("configuration read");
        self.write_config(&edit(text));
    }

    /// A world over running fakes with `jobs` as the configuration's jobs.
    pub fn with(servers: Servers, jobs: &str) -> World {
        let dir = tempfile::tempdir().expect("temporary directory");
        let config = dir.path().join("sync.toml");
        let text = format!("{}\n{jobs}", servers.connections_toml());
        std::fs::write(&config, text).expect("configuration written");
        World {
            servers,
            dir,
            config,
        }
    }

    /// Replaces the configuration file's text.
    pub fn write_config(&self, text: &str) {
        std::fs::write(&self.config, text).expect("configuration written");
    }

    /// The credentials of both fakes.
    pub fn env(&self) -> Env {
        self.servers.env()
    }

    /// Runs `cw-ap-sync -c <config> <args…>` in-process.
    pub async fn run(&self, args: &[&str]) -> Ran {
        self.run_with_env(args, &self.env()).await
    }

    /// Runs with a given environment.
    pub async fn run_with_env(&self, args: &[&str], env: &Env) -> Ran {
        run_in_process(&self.config, args, env).await
    }

    /// Asset Panda write requests served so far.
    pub fn ap_writes(&self) -> u64 {
        self.servers.ap.core().counters().writes()
    }

    /// Asset Panda requests to one endpoint so far.
    pub fn ap_requests(&self, endpoint: Endpoint) -> u64 {
        self.servers.ap.core().counters().requests_to(endpoint)
    }

    /// The live (not archived) objects of a group.
    pub fn live(&self, group: u64) -> Vec<StoredObject> {
        self.servers.ap.core().live_objects(group)
    }

    /// Every object of a group, archived ones included.
    pub fn all(&self, group: u64) -> Vec<StoredObject> {
        self.servers.ap.core().objects(group)
    }
}

/// Runs `cw-ap-sync -c <config> <args…>` in-process with `env`, capturing what it prints.
pub async fn run_in_process(config: &Path, args: &[&str], env: &Env) -> Ran {
    let (output, out, err) = Output::capture();
    let mut argv = vec![
        "cw-ap-sync".to_owned(),
        "-c".to_owned(),
        config.display().to_string(),
    ];
    argv.extend(args.iter().map(|a| a.to_string()));

    let status = cw_ap_examples::app::run_args(argv, env, &output).await;
    Ran {
        status,
        out: out.text(),
        err: err.text(),
    }
}

/// The `field_20` (CW ID) texts of some objects, sorted.
pub fn cw_ids(objects: &[StoredObject]) -> Vec<String> {
    let mut ids: Vec<String> = objects.iter().filter_map(|o| o.text("field_20")).collect();
    ids.sort();
    ids
}

/// The object of `group` whose CW ID (`field_20`) is `id`.
pub fn by_cw_id(world: &World, group: u64, id: &str) -> Vec<StoredObject> {
    world
        .all(group)
        .into_iter()
        .filter(|o| o.text("field_20").as_deref() == Some(id))
        .collect()
}

/// A devices job (configurations into group 139300, matched on `field_20`) with the guards
/// off unless `options` says otherwise, and the given extra TOML lines and fields.
pub fn devices_job(options: &str, fields: &[(&str, &str)]) -> String {
    let mut text = format!(
        "[[jobs]]\nname = \"devices\"\nentity = \"configurations\"\ntarget_group = 139300\n\
         {options}\n"
    );
    if !options.contains("match_keys") {
        text.push_str("match_keys = [{ target = \"field_20\" }]\n");
    }
    if !options.contains("archive_guard") {
        text.push_str("archive_guard = { enabled = false }\n");
    }
    if !options.contains("create_guard") {
        text.push_str("create_guard = { enabled = false }\n");
    }
    for (source, target) in fields {
        text.push_str(&format!(
            "[[jobs.fields]]\nsource = \"{source}\"\ntarget = \"{target}\"\n"
        ));
    }
    text
}
