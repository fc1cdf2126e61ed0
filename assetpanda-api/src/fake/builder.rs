//! Configuring a fake account and starting its server.

use std::collections::VecDeque;
use std::net::{Ipv4Addr, SocketAddr};

use super::account::{Account, AccountConfig, BatchFailure, FieldMatch};
use super::auth::{Auth, Credentials};
use super::clock::{DateFormat, FakeClock};
use super::core::{FakeCore, Inner, SearchPaths};
use super::counters::Counters;
use super::error::FakeError;
use super::faults::FaultPlan;
use super::rate_limit::{Limiter, RateLimit};
use super::search::DEFAULT_LIMIT;
use super::server::{FakeAssetPanda, Transport};
use super::spec::GroupSpec;

/// Builds a [`FakeAssetPanda`] (served) or a [`FakeCore`] (no socket).
///
/// Defaults: seed 0, no groups, search limit capped at 50, batches of at most 200, date
/// format `MM/DD/YYYY`, 1,000,000 records allowed, partial `field_filters` matching,
/// all-or-nothing batches, no rate limit, no faults, the system clock, a random loopback
/// port, credentials `sync-service@example.com` / `fake-password` and client
/// `fake-client-id` / `fake-client-secret`, v3 login on `/v3/session/token` answering
/// with the key `token`.
#[derive(Debug, Clone)]
pub struct FakeAssetPandaBuilder {
    seed: u64,
    groups: Vec<GroupSpec>,
    populate: Vec<(u64, u64)>,
    search_cap: usize,
    batch_limit: usize,
    max_records: u64,
    date_format: String,
    field_match: FieldMatch,
    batch_failure: BatchFailure,
    token: Option<String>,
    email: String,
    password: String,
    client_id: String,
    client_secret: String,
    v3_login_path: String,
    v3_token_key: String,
    search_paths: SearchPaths,
    faults: FaultPlan,
    rate_limit: Option<RateLimit>,
    clock: FakeClock,
    bind: SocketAddr,
    transport: Transport,
}

impl Default for FakeAssetPandaBuilder {
    fn default() -> Self {
        FakeAssetPandaBuilder {
            seed: 0,
            groups: Vec::new(),
            populate: Vec::new(),
            search_cap: DEFAULT_LIMIT,
            batch_limit: 200,
            max_records: 1_000_000,
            date_format: "MM/DD/YYYY".into(),
            field_match: FieldMatch::default(),
            batch_failure: BatchFailure::default(),
            token: None,
            email: "sync-service@example.com".into(),
            password: "fake-password".into(),
            client_id: "fake-client-id".into(),
            client_secret: "fake-client-secret".into(),
            v3_login_path: "/v3/session/token".into(),
            v3_token_key: "token".into(),
            search_paths: SearchPaths::default(),
            faults: FaultPlan::default(),
            rate_limit: None,
            clock: FakeClock::system(),
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            transport: Transport::default(),
        }
    }
}

impl FakeAssetPanda {
    /// A builder with the defaults listed on [`FakeAssetPandaBuilder`].
    pub fn builder() -> FakeAssetPandaBuilder {
        FakeAssetPandaBuilder::default()
    }

    /// Starts a fake with the Devices and Companies groups, empty, on a random port.
    ///
    /// # Panics
    ///
    /// When no loopback port can be bound.
    pub async fn start() -> FakeAssetPanda {
        FakeAssetPanda::builder()
            .group(GroupSpec::devices())
            .group(GroupSpec::companies())
            .start()
            .await
    }
}

impl FakeAssetPandaBuilder {
    /// The seed for object ids, tokens, generated data and fault shares.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Adds a group.
    pub fn group(mut self, group: GroupSpec) -> Self {
        self.groups.push(group);
        self
    }

    /// Fills group `group_id` with `count` generated objects at start
    /// (see [`FakeCore::populate`]); groups fill in the order of these calls.
    pub fn populate(mut self, group_id: u64, count: u64) -> Self {
        self.populate.push((group_id, count));
        self
    }

    /// The largest page a search returns, whatever `limit` asks (50 by default).
    pub fn search_limit_cap(mut self, cap: usize) -> Self {
        self.search_cap = cap;
        self
    }

    /// The most objects one create, update or archive accepts (200 by default).
    pub fn batch_limit(mut self, limit: usize) -> Self {
        self.batch_limit = limit;
        self
    }

    /// The account's record quota (`records.max_records`); creates beyond it get 422.
    pub fn max_records(mut self, max: u64) -> Self {
        self.max_records = max;
        self
    }

    /// The account date format (`MM/DD/YYYY`, `DD/MM/YYYY`, `YYYY-MM-DD`, …).
    pub fn date_format(mut self, format: impl Into<String>) -> Self {
        self.date_format = format.into();
        self
    }

    /// How `field_filters` match.
    pub fn field_match(mut self, rule: FieldMatch) -> Self {
        self.field_match = rule;
        self
    }

    /// What a batch with a refused object keeps.
    pub fn batch_failure(mut self, mode: BatchFailure) -> Self {
        self.batch_failure = mode;
        self
    }

    /// The static bearer token (a seeded random one otherwise).
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// The login email and password accepted by both logins.
    pub fn user(mut self, email: impl Into<String>, password: impl Into<String>) -> Self {
        self.email = email.into();
        self.password = password.into();
        self
    }

    /// The client id and secret accepted by the v2 login.
    pub fn api_client(mut self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.client_id = id.into();
        self.client_secret = secret.into();
        self
    }

    /// The path of the v3 login (`/v3/session/token` by default; `/v3/session-token` is the
    /// other form seen in the wild). The other path answers 404.
    pub fn v3_login_path(mut self, path: impl Into<String>) -> Self {
        self.v3_login_path = path.into();
        self
    }

    /// The key holding the token in the v3 login answer (`token`, `access_token`,
    /// `accessToken`, …).
    pub fn v3_token_key(mut self, key: impl Into<String>) -> Self {
        self.v3_token_key = key.into();
        self
    }

    /// Which search paths are answered.
    pub fn search_paths(mut self, paths: SearchPaths) -> Self {
        self.search_paths = paths;
        self
    }

    /// The fault plan.
    pub fn faults(mut self, plan: FaultPlan) -> Self {
        self.faults = plan;
        self
    }

    /// Enforces a call limit with 429 and `Retry-After`
    /// ([`RateLimit::asset_panda`] is the documented 400 per 3 minutes).
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// The clock (the system clock by default; tests use [`FakeClock::manual`]).
    pub fn clock(mut self, clock: FakeClock) -> Self {
        self.clock = clock;
        self
    }

    /// Listens on `port` of 127.0.0.1 instead of a random port.
    pub fn port(mut self, port: u16) -> Self {
        self.bind = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        self
    }

    /// Listens on `addr`.
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.bind = addr;
        self
    }

    /// The transport ([`Transport::Auto`] by default).
    pub fn transport(mut self, transport: Transport) -> Self {
        self.transport = transport;
        self
    }

    /// Builds the core without serving it.
    pub fn build(self) -> Result<FakeCore, FakeError> {
        let date_format = DateFormat::parse(&self.date_format).map_err(FakeError::Config)?;
        if self.batch_limit == 0 || self.search_cap == 0 {
            return Err(FakeError::Config(
                "batch_limit and search_limit_cap must be at least 1".into(),
            ));
        }
        if !self.v3_login_path.starts_with('/') {
            return Err(FakeError::Config(
                "v3_login_path must start with '/'".into(),
            ));
        }
        let config = AccountConfig {
            date_format,
            max_records: self.max_records,
            batch_limit: self.batch_limit,
            search_cap: self.search_cap,
            field_match: self.field_match,
            batch_failure: self.batch_failure,
        };
        let account = Account::new(self.groups, config, self.seed).map_err(FakeError::Config)?;
        let credentials = Credentials {
            email: self.email,
            password: self.password,
            client_id: self.client_id,
            client_secret: self.client_secret,
        };
        let auth = Auth::new(
            credentials,
            self.token,
            self.v3_login_path,
            self.v3_token_key,
            self.seed,
        );
        let core = FakeCore::from_inner(Inner {
            account,
            auth,
            faults: self.faults,
            limiter: self.rate_limit.map(Limiter::new),
            counters: Counters::default(),
            log: VecDeque::new(),
            seq: 0,
            seed: self.seed,
            clock: self.clock,
            search_paths: self.search_paths,
            raw_transport: true,
        });
        for (group, count) in self.populate {
            core.populate(group, count)?;
        }
        Ok(core)
    }

    /// Builds the core and serves it.
    pub async fn try_start(self) -> Result<FakeAssetPanda, FakeError> {
        let needs_raw = self.faults.needs_raw_transport();
        let transport = match (self.transport, needs_raw) {
            (Transport::Wiremock, true) => return Err(FakeError::NeedsRawTransport),
            (Transport::Auto, true) => Transport::Raw,
            (Transport::Auto, false) => Transport::Wiremock,
            (chosen, _) => chosen,
        };
        let addr = self.bind;
        let core = self.build()?;
        let bind_error = |source| FakeError::Bind { addr, source };
        let listener = std::net::TcpListener::bind(addr).map_err(bind_error)?;
        FakeAssetPanda::serve(core, listener, transport)
            .await
            .map_err(bind_error)
    }

    /// Builds the core and serves it.
    ///
    /// # Panics
    ///
    /// When the configuration is inconsistent or the address cannot be bound; use
    /// [`FakeAssetPandaBuilder::try_start`] to get the error instead.
    pub async fn start(self) -> FakeAssetPanda {
        match self.try_start().await {
            Ok(fake) => fake,
            Err(error) => panic!("{error}"),
        }
    }
}
