//! A chaos world shared by the reliability tests: both fakes filled with seeded source
//! data, the sync engine driven through the tool's adapters with clocks that never sleep,
//! and an oracle that computes the exact end state the Asset Panda groups must reach.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use assetpanda_api::fake::{
    Endpoint, FakeAssetPanda, Fault as ApFault, FaultPlan as ApPlan, FaultRule, FieldSpec,
    GroupSpec, StoredObject, Transport,
};
use connectwise_api::fake::ServerKind;
use connectwise_api::fake::{Entity, FakeConnectWise, Fault as CwFault, FaultPlan as CwPlan};
use cw_ap_examples::progress::{Progress, ProgressMode};
use cw_ap_examples::sync::{self, Endpoints};
use cw_ap_examples::{ApSink, CwSource, ExitStatus};
use cw_ap_mapping::{EngineOptions, JobConfig, RunReport};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Map, Value};

pub const COMPANIES: u64 = 139301;
/// Credentials distinctive enough to search every output for.
pub const CW_PRIVATE_KEY: &str = "cw-private-7d1e55-never-print";
pub const AP_PASSWORD: &str = "ap-password-31c9aa-never-print";
pub const AP_TOKEN: &str = "ap-token-e40b12-never-print";
pub const DEVICES: u64 = 139300;

/// The jobs every chaos run syncs: companies (soft-deleted ones archived), then the active
/// devices linked to their company; devices that leave the filter are archived too. The
/// world is small, so both guards allow 60 %: its first sync of a dozen companies beside
/// the two made by hand is past the create guard's default 10 %.
pub const JOBS: &str = r#"
[[jobs]]
name = "companies"
entity = "companies"
target_group = 139301
match_keys = [{ target = "field_20" }]
on_deleted = "archive"
create_guard = { max_share = 0.6 }
archive_guard = { max_share = 0.6 }
fields = [
  { source = "name", target = "field_1" },
  { source = "identifier", target = "field_2" },
  { source = "city", target = "field_3" },
]

[[jobs]]
name = "devices"
entity = "configurations"
target_group = 139300
match_keys = [{ target = "field_20" }]
on_deleted = "archive"
on_filtered_out = "archive"
create_guard = { max_share = 0.6 }
archive_guard = { max_share = 0.6 }
filter = { status = ["Active"] }
fields = [
  { source = "name", target = "field_1" },
  { source = "serialNumber", target = "field_10" },
  { source = "ipAddress", target = "field_41" },
  { source = "company/identifier", target = "field_51" },
  { source = "company/id", target = "field_40", link = { group = 139301, field = "field_20" } },
]
"#;

/// The jobs, parsed.
pub fn jobs() -> Vec<JobConfig> {
    cw_ap_mapping::Config::from_toml_str(JOBS)
        .expect("the chaos jobs parse")
        .jobs
}

/// A clock for both clients whose sleeps return at once, so `Retry-After` and backoff
/// waits cost no real time; it adds up what was asked for.
#[derive(Debug, Default)]
pub struct InstantClock {
    slept_ms: std::sync::atomic::AtomicU64,
}

impl InstantClock {
    /// The total wait asked for so far.
    #[allow(
        dead_code,
        reason = "no test reads it yet; kept for looking into a seed"
    )]
    pub fn slept(&self) -> Duration {
        Duration::from_millis(self.slept_ms.load(std::sync::atomic::Ordering::Relaxed))
    }

    fn add(&self, d: Duration) {
        self.slept_ms
            .fetch_add(d.as_millis() as u64, std::sync::atomic::Ordering::Relaxed);
    }
}

impl connectwise_api::Clock for InstantClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now()
    }

    fn sleep(&self, duration: Duration) -> connectwise_api::retry::Sleep {
        self.add(duration);
        Box::pin(async {})
    }
}

impl assetpanda_api::Clock for InstantClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now()
    }

    fn sleep(&self, duration: Duration) -> futures::future::BoxFuture<'static, ()> {
        self.add(duration);
        Box::pin(async {})
    }
}

/// The Asset Panda groups, with the CW ID field deliberately not unique: the fake must
/// not hide a duplicate the sync would create.
fn groups() -> [GroupSpec; 2] {
    let companies = GroupSpec::new(COMPANIES, "Companies", "companies")
        .field(FieldSpec::text("field_1", "Name").required())
        .field(FieldSpec::text("field_2", "Identifier"))
        .field(FieldSpec::text("field_3", "City"))
        .field(FieldSpec::text("field_20", "CW ID"));
    let devices = GroupSpec::new(DEVICES, "Devices", "devices")
        .field(FieldSpec::text("field_1", "Name").required())
        .field(FieldSpec::text("field_10", "Serial Number"))
        .field(FieldSpec::text("field_20", "CW ID"))
        .field(FieldSpec::link("field_40", "Company", COMPANIES))
        .field(FieldSpec::text("field_41", "IP Address"))
        .field(FieldSpec::text("field_51", "Company Identifier"));
    [companies, devices]
}

/// Both fakes with seeded data, hand-made Asset Panda objects, and what the oracle needs.
pub struct World {
    pub cw: FakeConnectWise,
    pub ap: FakeAssetPanda,
    pub clock: Arc<InstantClock>,
    pub rng: StdRng,
    /// Every ConnectWise id ever in the source, per group.
    pub ever: BTreeMap<u64, BTreeSet<String>>,
    /// The hand-made objects (no CW ID) as they were made.
    pub hand_made: Vec<StoredObject>,
    next_device: i64,
    next_company: i64,
}

/// Text values with some variety: Unicode, quotes, commas, long strings.
fn name(rng: &mut StdRng, prefix: &str, n: i64) -> String {
    let flavours = [
        "",
        " – Zürich",
        " \"Ops\"",
        ", Inc.",
        " 東京",
        " O'Brien & Sons",
    ];
    let flavour = flavours[rng.random_range(0..flavours.len())];
    format!("{prefix}-{n:04}{flavour}")
}

fn maybe(rng: &mut StdRng, value: Value) -> Option<Value> {
    match rng.random_range(0..10) {
        0 => None,
        1 => Some(Value::Null),
        _ => Some(value),
    }
}

impl World {
    /// Starts both fakes for `seed`: 12 companies (9 to 12 own no device) and about 40
    /// devices, some inactive; 3 hand-made objects in each group.
    pub async fn start(seed: u64) -> World {
        let cw = FakeConnectWise::builder()
            .seed(seed)
            .credentials("examplemsp", "PUBKEY", CW_PRIVATE_KEY)
            .server(ServerKind::Socket)
            .start()
            .await;
        let [companies, devices] = groups();
        let ap = FakeAssetPanda::builder()
            .seed(seed)
            .group(companies)
            .group(devices)
            .search_limit_cap(10)
            .user("sync@example.com", AP_PASSWORD)
            .token(AP_TOKEN)
            .transport(Transport::Raw)
            .start()
            .await;
        let mut world = World {
            cw,
            ap,
            clock: Arc::new(InstantClock::default()),
            rng: StdRng::seed_from_u64(seed ^ 0x5EED),
            ever: BTreeMap::new(),
            hand_made: Vec::new(),
            next_device: 5000,
            next_company: 100,
        };
        for id in 1..=12 {
            world.add_company(id);
        }
        let devices = world.rng.random_range(30..=45);
        for _ in 0..devices {
            world.add_device();
        }
        for (group, n) in [(COMPANIES, 1), (DEVICES, 2), (DEVICES, 3), (COMPANIES, 4)] {
            let object = world
                .ap
                .core()
                .insert_object(group, json!({ "field_1": format!("Hand-made {n}") }))
                .expect("a hand-made object is stored");
            world.hand_made.push(object);
        }
        world
    }

    fn add_company(&mut self, id: i64) {
        let mut record = Map::new();
        record.insert("id".into(), json!(id));
        record.insert("identifier".into(), json!(format!("C{id}")));
        record.insert("name".into(), json!(name(&mut self.rng, "Company", id)));
        if let Some(city) = maybe(&mut self.rng, json!("Springfield")) {
            record.insert("city".into(), city);
        }
        record.insert("deletedFlag".into(), json!(false));
        self.cw.insert(Entity::Companies, Value::Object(record));
        self.ever
            .entry(COMPANIES)
            .or_default()
            .insert(id.to_string());
    }

    /// Adds `n` new companies at the source (with new ids); returns their ids.
    pub fn add_companies(&mut self, n: usize) -> Vec<i64> {
        let mut ids = Vec::with_capacity(n);
        for _ in 0..n {
            let id = self.next_company;
            self.next_company += 1;
            self.add_company(id);
            ids.push(id);
        }
        ids
    }

    /// Adds a device owned by one of companies 1 to 8; returns its id.
    pub fn add_device(&mut self) -> i64 {
        self.next_device += self.rng.random_range(1..=3);
        let id = self.next_device;
        let company = self.rng.random_range(1..=8);
        self.add_device_with(id, company)
    }

    /// Adds a device owned by `company`; returns its id.
    pub fn add_device_owned_by(&mut self, company: i64) -> i64 {
        self.next_device += self.rng.random_range(1..=3);
        let id = self.next_device;
        self.add_device_with(id, company)
    }

    fn add_device_with(&mut self, id: i64, company: i64) -> i64 {
        let status = if self.rng.random_bool(0.85) {
            "Active"
        } else {
            "Inactive"
        };
        let mut record = Map::new();
        record.insert("id".into(), json!(id));
        record.insert("name".into(), json!(name(&mut self.rng, "DEV", id)));
        record.insert(
            "status".into(),
            json!({ "id": if status == "Active" { 1 } else { 2 }, "name": status }),
        );
        record.insert(
            "company".into(),
            json!({ "id": company, "identifier": format!("C{company}"), "name": "x" }),
        );
        if let Some(serial) = maybe(&mut self.rng, json!(format!("SN{id:06}X"))) {
            record.insert("serialNumber".into(), serial);
        }
        if let Some(ip) = maybe(
            &mut self.rng,
            json!(format!("10.0.{}.{}", id % 250, id % 7)),
        ) {
            record.insert("ipAddress".into(), ip);
        }
        self.cw
            .insert(Entity::Configurations, Value::Object(record));
        self.ever.entry(DEVICES).or_default().insert(id.to_string());
        id
    }

    /// Changes the source between two syncs: renames, cleared and changed values, devices
    /// leaving and re-entering the filter, deletions, additions, a soft-deleted company
    /// (one that owns no device) and a new company.
    pub fn mutate(&mut self) {
        let ids = self.cw.ids(Entity::Configurations);
        for id in ids {
            let roll = self.rng.random_range(0..100);
            let tag = self.rng.random_range(0..1000);
            match roll {
                0..=9 => {
                    self.cw.update(Entity::Configurations, id, |r| {
                        r.insert("name".into(), json!(format!("RENAMED-{id}-{tag}")));
                    });
                }
                10..=14 => {
                    self.cw.update(Entity::Configurations, id, |r| {
                        r.remove("ipAddress");
                        r.insert("serialNumber".into(), Value::Null);
                    });
                }
                15..=19 => {
                    self.cw.update(Entity::Configurations, id, |r| {
                        let active = r["status"]["name"] == "Active";
                        let (sid, name) = if active {
                            (2, "Inactive")
                        } else {
                            (1, "Active")
                        };
                        r.insert("status".into(), json!({ "id": sid, "name": name }));
                    });
                }
                20..=23 => {
                    self.cw.remove(Entity::Configurations, id);
                }
                _ => {}
            }
        }
        for _ in 0..self.rng.random_range(1..=5) {
            self.add_device();
        }
        let gone = self.rng.random_range(9..=12);
        self.cw.update(Entity::Companies, gone, |r| {
            r.insert("deletedFlag".into(), json!(true));
        });
        let id = self.next_company;
        self.next_company += 1;
        self.add_company(id);
    }

    /// The tool's adapters over clients aimed at both fakes, with clocks that never sleep.
    pub fn endpoints(&self) -> Endpoints {
        let cw = self
            .cw
            .client_builder()
            .clock(self.clock.clone())
            .retry_policy(connectwise_api::RetryPolicy::default())
            .timeout(Duration::from_secs(5))
            .page_size(9)
            .build()
            .expect("the ConnectWise client builds");
        let ap = self
            .ap
            .v3_login_client_builder()
            .clock(self.clock.clone())
            .retry_policy(assetpanda_api::RetryPolicy::default())
            .timeout(Duration::from_secs(5))
            .page_size(10)
            .build()
            .expect("the Asset Panda client builds");
        Endpoints {
            source: CwSource::new(cw, 9),
            sink: ApSink::new(ap, None),
        }
    }

    /// One sync of both jobs, in batches of 7 and re-reads of 5 ids.
    pub async fn sync(&self) -> (RunReport, ExitStatus) {
        let options = EngineOptions {
            batch_size: 7,
            reread_batch: 5,
            ..EngineOptions::default()
        };
        let progress = Progress::new(ProgressMode::Silent);
        let report = sync::execute(&self.endpoints(), &jobs(), options, &progress).await;
        let status = cw_ap_examples::report::exit_status(&report);
        (report, status)
    }

    /// A configuration file's text for the `cw-ap-sync` binary: both fakes and [`JOBS`].
    pub fn config_toml(&self) -> String {
        self.config_toml_with("")
    }

    /// [`World::config_toml`] whose writes carry at most `batch_size` objects each.
    pub fn config_toml_batched(&self, batch_size: usize) -> String {
        self.config_toml_with(&format!("\n[sync]\nbatch_size = {batch_size}\n"))
    }

    /// The configuration with `extra` (whole sections) before the jobs.
    fn config_toml_with(&self, extra: &str) -> String {
        format!(
            "[connectwise]\nsite = \"{}\"\npage_size = 9\nrequests_per_minute = 0\n\
             timeout_secs = 5\nbackoff_base_ms = 1\nbackoff_cap_ms = 20\n\
             allow_insecure_http = true\n\n[assetpanda]\nbase_url = \"{}\"\n\
             max_calls = 0\npage_size = 10\ntimeout_secs = 5\nbackoff_base_ms = 1\n\
             backoff_cap_ms = 20\nallow_insecure_http = true\n{extra}{JOBS}",
            self.cw.uri(),
            self.ap.uri()
        )
    }

    /// The credentials both fakes accept, as the binary reads them from the environment.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("CW_COMPANY", self.cw.company_id().to_owned()),
            ("CW_PUBLIC_KEY", self.cw.public_key().to_owned()),
            ("CW_PRIVATE_KEY", self.cw.private_key().to_owned()),
            ("CW_CLIENT_ID", self.cw.client_id().to_owned()),
            ("AP_EMAIL", self.ap.core().email()),
            ("AP_PASSWORD", self.ap.core().password()),
        ]
    }

    /// Runs `cw-ap-sync -c <config> <args…>` in-process with the fakes' credentials;
    /// returns the exit status and everything printed.
    pub async fn run_tool(&self, config: &Path, args: &[&str]) -> (ExitStatus, String) {
        let env = self.env().into_iter().map(|(k, v)| (k.to_owned(), v));
        self.run_tool_with(config, args, env.collect()).await
    }

    /// [`World::run_tool`] with a given environment.
    pub async fn run_tool_with(
        &self,
        config: &Path,
        args: &[&str],
        env: Vec<(String, String)>,
    ) -> (ExitStatus, String) {
        let ran = super::run_in_process(config, args, &env.into_iter().collect()).await;
        (ran.status, format!("{}{}", ran.out, ran.err))
    }

    /// Turns seeded faults on at both fakes, each kind at about `rate` of the requests.
    pub fn faults_on(&self, seed: u64, rate: f64) {
        self.faults_waiting(seed, rate, 7, 60);
    }

    /// [`World::faults_on`] with the given `Retry-After` of each fake's 429s (a process
    /// with the real clock waits them out).
    pub fn faults_waiting(&self, seed: u64, rate: f64, cw_wait: u64, ap_wait: u64) {
        let each = rate / 8.0;
        self.cw.state().set_faults(
            CwPlan::new(seed)
                .share(
                    each,
                    CwFault::RateLimited {
                        retry_after_secs: cw_wait,
                    },
                )
                .share(each, CwFault::ServerError)
                .share(each, CwFault::BadGateway)
                .share(each, CwFault::ServiceUnavailable)
                .share(each, CwFault::HtmlPage)
                .share(each, CwFault::EmptyBody)
                .share(each, CwFault::TruncatedBody)
                .share(each, CwFault::DropConnection),
        );
        let plan = ApPlan::new()
            .rule(
                FaultRule::share(each, ApFault::InternalServerError)
                    .only_writes()
                    .after_apply(),
            )
            .rule(
                FaultRule::share(each, ApFault::DropConnection)
                    .only_writes()
                    .after_apply(),
            )
            .rule(FaultRule::share(each, ApFault::CutConnection).only_writes())
            .share(
                each,
                ApFault::TooManyRequests {
                    retry_after_secs: ap_wait,
                },
            )
            .share(each, ApFault::InternalServerError)
            .share(each / 2.0, ApFault::BadGateway)
            .share(each / 2.0, ApFault::ServiceUnavailable)
            .share(each / 2.0, ApFault::HtmlPage)
            .rule(FaultRule::share(each / 4.0, ApFault::EmptyBody).only(Endpoint::Search))
            // NB: an empty 2xx to an update or an archive is taken as done (those answers
            // are not documented; a create's is re-read), so writes get empty answers only
            // once the server has applied them.
            .rule(
                FaultRule::share(each / 4.0, ApFault::EmptyBody)
                    .only_writes()
                    .after_apply(),
            )
            .share(each / 2.0, ApFault::TruncatedBody)
            .share(each / 2.0, ApFault::DropConnection);
        self.ap
            .core()
            .set_faults(plan)
            .expect("the raw transport takes every fault");
    }

    /// Turns all faults off.
    pub fn faults_off(&self) {
        self.cw.state().set_faults(CwPlan::none());
        self.ap
            .core()
            .set_faults(ApPlan::new())
            .expect("an empty plan is accepted");
    }

    /// Faults served so far by both fakes.
    pub fn faults_injected(&self) -> u64 {
        self.cw.counters().faults_injected + self.ap.core().counters().faults_injected()
    }

    /// Asset Panda write requests so far.
    pub fn ap_writes(&self) -> u64 {
        self.ap.core().counters().writes()
    }

    /// The exact state each group must reach: CW id → expected field values (`None`
    /// for the link when the linked company is not synced).
    pub fn expected(&self) -> BTreeMap<u64, BTreeMap<String, BTreeMap<&'static str, String>>> {
        let text = |v: Option<&Value>| match v {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        let mut companies = BTreeMap::new();
        for record in self.cw.records(Entity::Companies) {
            if record["deletedFlag"] == json!(true) {
                continue;
            }
            let fields = BTreeMap::from([
                ("field_1", text(record.get("name"))),
                ("field_2", text(record.get("identifier"))),
                ("field_3", text(record.get("city"))),
            ]);
            companies.insert(record["id"].to_string(), fields);
        }
        let company_objects: BTreeMap<String, String> = self
            .ap
            .core()
            .live_objects(COMPANIES)
            .into_iter()
            .filter_map(|o| o.text("field_20").map(|cw| (cw, o.id)))
            .collect();
        let mut devices = BTreeMap::new();
        for record in self.cw.records(Entity::Configurations) {
            if record["status"]["name"] != json!("Active") {
                continue;
            }
            let company = record["company"]["id"].to_string();
            let link = if companies.contains_key(&company) {
                company_objects.get(&company).cloned().unwrap_or_default()
            } else {
                String::new()
            };
            let fields = BTreeMap::from([
                ("field_1", text(record.get("name"))),
                ("field_10", text(record.get("serialNumber"))),
                ("field_41", text(record.get("ipAddress"))),
                ("field_51", text(record["company"].get("identifier"))),
                ("field_40", link),
            ]);
            devices.insert(record["id"].to_string(), fields);
        }
        BTreeMap::from([(COMPANIES, companies), (DEVICES, devices)])
    }

    /// What must hold at every moment, even after a run that ended with failures: no CW id
    /// on two objects, no object for an id that never existed, no object of a record that
    /// is still in scope archived, and the hand-made objects untouched.
    pub fn assert_safe(&self, context: &str) {
        let expected = self.expected();
        for (group, wanted) in &expected {
            let mut seen = BTreeMap::<String, usize>::new();
            for object in self.ap.core().objects(*group) {
                let Some(cw) = object.text("field_20") else {
                    continue;
                };
                *seen.entry(cw.clone()).or_default() += 1;
                assert!(
                    self.ever[group].contains(&cw),
                    "{context}: group {group} holds CW id {cw}, which never existed"
                );
                assert!(
                    !(object.is_archived && wanted.contains_key(&cw)),
                    "{context}: group {group} archived CW id {cw}, which is still in scope"
                );
            }
            let doubles: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
            assert!(
                doubles.is_empty(),
                "{context}: group {group} duplicates {doubles:?}"
            );
        }
        for made in &self.hand_made {
            let now = self.ap.core().object(made.group_id, &made.id);
            assert_eq!(
                now.as_ref(),
                Some(made),
                "{context}: a hand-made object changed"
            );
        }
    }

    /// The exact end state: every in-scope record once, live, with the right values;
    /// every other synced object archived; nothing else changed. Returns the number of
    /// objects checked.
    pub fn assert_exact(&self, context: &str) -> usize {
        self.assert_safe(context);
        let mut checked = 0;
        for (group, wanted) in self.expected() {
            let objects = self.ap.core().objects(group);
            for (cw, fields) in &wanted {
                let found: Vec<&StoredObject> = objects
                    .iter()
                    .filter(|o| o.text("field_20").as_deref() == Some(cw.as_str()))
                    .collect();
                assert_eq!(
                    found.len(),
                    1,
                    "{context}: group {group}, CW id {cw}; the group holds {:#?}",
                    objects
                        .iter()
                        .map(|o| (&o.id, &o.data, o.is_archived))
                        .collect::<Vec<_>>()
                );
                let object = found[0];
                assert!(!object.is_archived, "{context}: CW id {cw} is archived");
                for (key, value) in fields {
                    let stored = if *key == "field_40" {
                        object
                            .value(key)
                            .and_then(|v| v.get("id"))
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_owned()
                    } else {
                        object.text(key).unwrap_or_default()
                    };
                    assert_eq!(
                        &stored, value,
                        "{context}: group {group}, CW id {cw}, {key}"
                    );
                }
                checked += 1;
            }
            for object in &objects {
                if let Some(cw) = object.text("field_20") {
                    if !wanted.contains_key(&cw) {
                        assert!(
                            object.is_archived,
                            "{context}: group {group}, CW id {cw} left the source but is live"
                        );
                        checked += 1;
                    }
                }
            }
        }
        checked
    }
}
