//! The benchmark's world: both fakes seeded with devices and their companies, the tool's
//! endpoints over them, the changes made between phases, and one sync measured through
//! the tool's own entry point ([`sync::execute`]) against the fakes' counters.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use assetpanda_api::fake::{Counters as ApCounters, Endpoint};
use connectwise_api::fake::{Counters as CwCounters, Entity as CwEntity};
use cw_ap_examples::config::{Loaded, SyncSettings};
use cw_ap_examples::demo::{self, DemoData, Servers};
use cw_ap_examples::progress::{Progress, ProgressMode};
use cw_ap_examples::sync::{self, Endpoints};
use cw_ap_examples::CliError;
use cw_ap_mapping::{resolve_target, validate_job, DateFormat, JobConfig, RunReport, Sink};
use rand::rngs::StdRng;
use rand::seq::index::sample;
use rand::SeedableRng;
use serde_json::Value;

use super::bound::{run_bound, Bound, JobWork};

/// Why the benchmark could not set up or measure.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// The tool refused the fakes' configuration or could not start them.
    #[error(transparent)]
    Tool(#[from] CliError),
    /// A listing the benchmark makes on its own failed.
    #[error(transparent)]
    Listing(Box<super::listing::ListingError>),
    /// Something the benchmark works out before a sync failed.
    #[error("{what}: {message}")]
    Setup {
        /// What was being done.
        what: String,
        /// Why it failed.
        message: String,
    },
}

impl From<super::listing::ListingError> for BenchError {
    fn from(e: super::listing::ListingError) -> BenchError {
        BenchError::Listing(Box::new(e))
    }
}

impl BenchError {
    fn setup(what: &str, message: impl std::fmt::Display) -> BenchError {
        BenchError::Setup {
            what: what.to_owned(),
            message: message.to_string(),
        }
    }
}

/// What the benchmark needs to know about one job, resolved once.
#[derive(Debug, Clone)]
pub struct JobInfo {
    /// The job's name.
    pub name: String,
    /// The ConnectWise collection it reads.
    pub entity: CwEntity,
    /// The target group's id.
    pub group: u64,
    /// The key of the target field that stores the ConnectWise id.
    pub id_field: String,
    /// The ids of the groups its links point to.
    pub linked: Vec<u64>,
    /// The `fields` projection the engine asks for.
    pub projection: Vec<String>,
}

/// Both fakes, the endpoints over them and the resolved jobs.
pub struct World {
    /// The running fakes.
    pub servers: Servers,
    /// The tool's source and sink over them.
    pub endpoints: Endpoints,
    /// The sample jobs (companies, then devices).
    pub jobs: Vec<JobConfig>,
    /// One entry per job.
    pub info: Vec<JobInfo>,
    /// The Asset Panda fake's search cap (objects per search page).
    pub search_cap: u64,
    /// The `[sync]` settings the syncs run with.
    pub settings: SyncSettings,
}

/// How the benchmark's syncs run: the tool's `[sync]` settings and a latency the fakes
/// add to every answer, as a network would.
#[derive(Debug, Clone, Default)]
pub struct Setup {
    /// The tool's `[sync]` section (defaults when empty).
    pub sync: SyncSettings,
    /// A wait before every answer of both fakes.
    pub latency: Option<Duration>,
}

/// Companies generated for `devices` devices: one for every ten, at least one.
pub fn companies_for(devices: usize) -> usize {
    (devices / 10).max(1)
}

/// The Asset Panda fake's default search cap, which the demo servers keep.
const SEARCH_CAP: u64 = 50;

impl World {
    /// Starts both fakes with `devices` configurations and their companies, connects the
    /// tool's endpoints and resolves the jobs against the empty groups.
    #[allow(
        dead_code,
        reason = "the request-count tests use it; the program passes a setup"
    )]
    pub async fn start(devices: usize, seed: u64) -> Result<World, BenchError> {
        World::start_with(devices, seed, Setup::default()).await
    }

    /// As [`start`](Self::start), with the syncs run under `setup`.
    pub async fn start_with(devices: usize, seed: u64, setup: Setup) -> Result<World, BenchError> {
        let data = DemoData {
            seed,
            companies: companies_for(devices),
            devices,
            cw_port: 0,
            ap_port: 0,
        };
        let servers = demo::start(data).await?;
        let mut config = servers.config()?;
        config.sync = setup.sync.clone();
        let loaded = Loaded {
            path: "(sync-bench)".into(),
            config,
        };
        if let Some(wait) = setup.latency {
            use assetpanda_api::fake::{Fault as ApFault, FaultPlan as ApPlan};
            use connectwise_api::fake::{Fault as CwFault, FaultPlan as CwPlan};
            servers
                .cw
                .state()
                .set_faults(CwPlan::new(seed).share(1.0, CwFault::Delay(wait)));
            servers
                .ap
                .core()
                .set_faults(ApPlan::new().share(1.0, ApFault::Delay(wait)))
                .map_err(|e| BenchError::setup("adding latency to Asset Panda", e))?;
        }
        let endpoints = sync::connect(&loaded, &servers.env())?;
        let jobs = loaded.config.jobs.clone();

        let mut info = Vec::new();
        for job in &jobs {
            info.push(resolve(&endpoints, job).await?);
        }
        Ok(World {
            servers,
            endpoints,
            jobs,
            info,
            search_cap: SEARCH_CAP,
            settings: setup.sync,
        })
    }

    /// The distinct groups the run uses: the jobs' targets and the groups they link to.
    pub fn groups_used(&self) -> u64 {
        let groups: BTreeSet<u64> = self
            .info
            .iter()
            .flat_map(|j| j.linked.iter().copied().chain([j.group]))
            .collect();
        groups.len() as u64
    }

    /// Runs one sync through the tool's entry point and measures it.
    pub async fn sync(&self) -> Result<Phase, BenchError> {
        self.sync_on(&self.endpoints).await
    }

    /// Runs one sync over `endpoints` and measures it.
    pub async fn sync_on(&self, endpoints: &Endpoints) -> Result<Phase, BenchError> {
        let before: Vec<Snapshot> = self.info.iter().map(|j| self.snapshot(j)).collect();
        let mut rereads = Vec::new();
        for (job, snap) in self.info.iter().zip(&before) {
            rereads.push(self.reread_batches(job, &snap.missing)?);
        }
        self.servers.cw.state().reset_counters();
        self.servers.ap.core().reset_counters();
        let progress = Progress::new(ProgressMode::Silent);

        let start = Instant::now();
        let options = self.settings.engine_options();
        let report = sync::execute(endpoints, &self.jobs, options, &progress).await;
        let wall = start.elapsed();

        let cw = self.servers.cw.counters();
        let ap = self.servers.ap.core().counters();
        let work = self.work(&report, &before, &rereads);
        let ranges = self.settings.read_concurrency() as u64;
        let bound = run_bound(&work, self.search_cap, ranges);
        Ok(Phase {
            wall,
            report,
            cw,
            ap,
            work,
            bound,
        })
    }

    fn snapshot(&self, job: &JobInfo) -> Snapshot {
        let objects = self.servers.ap.core().objects(job.group);
        let source: BTreeSet<i64> = self.servers.cw.ids(job.entity).into_iter().collect();
        let missing = objects
            .iter()
            .filter(|o| !o.is_archived)
            .filter_map(|o| id_value(o.data.get(&job.id_field)?))
            .filter(|id| !source.contains(id))
            .collect();
        Snapshot {
            objects: objects.len() as u64,
            missing,
        }
    }

    /// URL-sized `id in (…)` batches for `ids`, packed by the client itself.
    fn reread_batches(&self, job: &JobInfo, ids: &[i64]) -> Result<u64, BenchError> {
        if ids.is_empty() {
            return Ok(0);
        }
        let client = self.endpoints.source.client();
        let batches = client
            .list_json(job.entity.path())
            .page_size(connectwise_api::MAX_PAGE_SIZE)
            .fields(job.projection.iter().cloned())
            .split_in("id", ids.iter().copied())
            .map_err(|e| BenchError::setup("packing the re-read batches", e))?;
        Ok(batches.len() as u64)
    }

    fn work(&self, report: &RunReport, before: &[Snapshot], rereads: &[u64]) -> Vec<JobWork> {
        let mut out = Vec::new();
        for (index, job) in self.info.iter().enumerate() {
            let Some(group) = report.groups.iter().find(|g| g.job == job.name) else {
                continue;
            };
            // NB: the sink keeps a linked group's listing from an earlier job of the run, so
            // only a group no earlier job listed is listed again for its links.
            let listed_before: BTreeSet<u64> = self.info[..index]
                .iter()
                .flat_map(|j| j.linked.iter().copied().chain([j.group]))
                .collect();
            let linked = job
                .linked
                .iter()
                .filter(|g| !listed_before.contains(g))
                .map(|g| self.servers.ap.core().objects(*g).len() as u64)
                .collect();
            let c = &group.counts;
            out.push(JobWork {
                job: job.name.clone(),
                source_records: c.fetched as u64,
                reread_batches: rereads[index],
                target_objects: before[index].objects,
                linked_objects: linked,
                creates: c.created as u64,
                updates: c.updated as u64,
                archives: c.archived as u64,
                unarchives: c.unarchived as u64,
            });
        }
        out
    }

    /// Renames `changed_share` and deletes `deleted_share` of the devices at the source
    /// (disjoint sets, chosen from `seed`). Returns the ids (changed, deleted).
    pub fn change_devices(
        &self,
        seed: u64,
        changed_share: f64,
        deleted_share: f64,
    ) -> (Vec<i64>, Vec<i64>) {
        let cw = &self.servers.cw;
        let ids = cw.ids(CwEntity::Configurations);
        let n = ids.len();
        let changed_n = ((n as f64 * changed_share).round() as usize).min(n);
        let deleted_n = ((n as f64 * deleted_share).round() as usize).min(n - changed_n);
        let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed_0fc4_a96e_5000);
        let picked = sample(&mut rng, n, changed_n + deleted_n).into_vec();
        let (to_change, to_delete) = picked.split_at(changed_n);

        let mut changed = Vec::with_capacity(changed_n);
        for &i in to_change {
            let id = ids[i];
            let edited = cw.update(CwEntity::Configurations, id, |record| {
                let name = record.get("name").and_then(Value::as_str).unwrap_or("");
                let renamed = format!("{name} (changed)");
                record.insert("name".into(), renamed.into());
            });
            if edited {
                changed.push(id);
            }
        }
        let mut deleted = Vec::with_capacity(deleted_n);
        for &i in to_delete {
            if cw.remove(CwEntity::Configurations, ids[i]).is_some() {
                deleted.push(ids[i]);
            }
        }
        changed.sort_unstable();
        deleted.sort_unstable();
        (changed, deleted)
    }
}

/// A target group before a sync.
struct Snapshot {
    objects: u64,
    /// ConnectWise ids on live objects whose records are gone from the source.
    missing: Vec<i64>,
}

fn id_value(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

async fn resolve(endpoints: &Endpoints, job: &JobConfig) -> Result<JobInfo, BenchError> {
    let sink_error = |what: &str, e: cw_ap_mapping::SinkError| {
        BenchError::setup(&format!("{what} for job {}", job.name), e.message)
    };
    let group = endpoints
        .sink
        .resolve_group(&job.target_group)
        .await
        .map_err(|e| sink_error("resolving the group", e))?;
    let format = endpoints
        .sink
        .date_format()
        .await
        .map_err(|e| sink_error("reading the date format", e))?;
    let format = DateFormat::from_account(&format)
        .map_err(|e| BenchError::setup("reading the account date format", e))?;
    let compiled = validate_job(job, 0, &group, format, None)
        .job
        .ok_or_else(|| BenchError::setup(&format!("job {}", job.name), "it does not validate"))?;
    let id_field = job
        .match_keys
        .first()
        .and_then(|k| resolve_target(&group, &k.target).ok())
        .map(|f| f.key.clone())
        .ok_or_else(|| BenchError::setup(&format!("job {}", job.name), "it has no id match key"))?;

    let mut linked = Vec::new();
    for link in job.fields.iter().filter_map(|f| f.link.as_ref()) {
        let target = endpoints
            .sink
            .resolve_group(&link.group)
            .await
            .map_err(|e| sink_error("resolving a linked group", e))?;
        linked.push(target.id);
    }
    let entity = CwEntity::ALL
        .into_iter()
        .find(|e| e.path() == job.entity.api_path())
        .ok_or_else(|| {
            BenchError::setup(&format!("job {}", job.name), "it reads an unknown entity")
        })?;

    Ok(JobInfo {
        name: job.name.clone(),
        entity,
        group: group.id,
        id_field,
        linked,
        projection: compiled.projection(),
    })
}

/// One measured sync.
#[derive(Debug)]
pub struct Phase {
    /// Wall time of the sync.
    pub wall: Duration,
    /// The engine's report.
    pub report: RunReport,
    /// What the ConnectWise fake served during the sync.
    pub cw: CwCounters,
    /// What the Asset Panda fake served during the sync.
    pub ap: ApCounters,
    /// What each job had to do.
    pub work: Vec<JobWork>,
    /// The lower bound of the requests.
    pub bound: Bound,
}

impl Phase {
    /// Source records read over every job.
    pub fn records(&self) -> u64 {
        self.work.iter().map(|w| w.source_records).sum()
    }

    /// ConnectWise list requests (pages and re-reads) over the jobs' collections.
    pub fn cw_list_requests(&self, world: &World) -> u64 {
        let paths: BTreeSet<&str> = world.info.iter().map(|j| j.entity.path()).collect();
        paths.iter().map(|p| self.cw.get("GET", p)).sum()
    }

    /// ConnectWise requests other than the listings.
    pub fn cw_other_requests(&self, world: &World) -> u64 {
        self.cw.requests - self.cw_list_requests(world)
    }

    /// Asset Panda requests to one endpoint.
    pub fn ap(&self, endpoint: Endpoint) -> u64 {
        self.ap.requests_to(endpoint)
    }

    /// Asset Panda updates, one by one or in batches.
    pub fn ap_updates(&self) -> u64 {
        self.ap(Endpoint::UpdateMany) + self.ap(Endpoint::UpdateOne)
    }

    /// Asset Panda requests that are neither searches nor writes.
    pub fn ap_discovery(&self) -> u64 {
        self.ap.requests() - self.ap(Endpoint::Search) - self.ap.writes()
    }

    /// Asset Panda requests that describe groups: the group list, groups, their fields
    /// and statuses.
    pub fn ap_descriptions(&self) -> u64 {
        [
            Endpoint::Groups,
            Endpoint::Group,
            Endpoint::Fields,
            Endpoint::Statuses,
        ]
        .into_iter()
        .map(|e| self.ap(e))
        .sum()
    }
}
