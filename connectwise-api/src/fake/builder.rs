//! [`FakeConnectWise`] and its builder: the public entry point of the fake.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use serde_json::{Map, Value};

use super::counters::Counters;
use super::entity::Entity;
use super::faults::FaultPlan;
use super::generate::{self, Counts};
use super::handler::Settings;
use super::server::{self, Running};
use super::state::FakeState;
use super::store::Store;
use crate::{Client, ClientBuilder, RetryPolicy, Site};

/// Which server delivers the responses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServerKind {
    /// wiremock, unless the fault plan cuts bodies or drops connections (then hyper).
    #[default]
    Auto,
    /// Always wiremock. A cut-off body or a dropped connection then becomes half the body
    /// with a matching `Content-Length`: broken JSON, but a complete HTTP response.
    Wiremock,
    /// Always the small hyper server.
    Socket,
}

/// Configures and starts a [`FakeConnectWise`]. See [`FakeConnectWise::builder`].
#[derive(Debug, Clone)]
pub struct FakeConnectWiseBuilder {
    seed: u64,
    counts: Counts,
    faults: FaultPlan,
    settings: Settings,
    bind: SocketAddr,
    kind: ServerKind,
    link_origin: Option<String>,
}

impl Default for FakeConnectWiseBuilder {
    fn default() -> Self {
        FakeConnectWiseBuilder {
            seed: 0,
            counts: Counts::default(),
            faults: FaultPlan::none(),
            settings: Settings {
                company_id: "fakemsp".into(),
                company_name: "Fake MSP".into(),
                public_key: "fake-public-key".into(),
                private_key: "fake-private-key".into(),
                client_id: "5d0c7a2e-3f41-4b8e-9c6d-0a1b2c3d4e5f".into(),
                codebase: "v4_6_release/".into(),
                max_page_size: 1000,
                link_origin: "http://127.0.0.1".into(),
            },
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            kind: ServerKind::Auto,
            link_origin: None,
        }
    }
}

impl FakeConnectWiseBuilder {
    /// The seed of the generated records (default 0).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Generates `n` companies.
    pub fn companies(mut self, n: usize) -> Self {
        self.counts.companies = n;
        self
    }

    /// Generates `n` configurations (devices), each tied to a generated company.
    pub fn configurations(mut self, n: usize) -> Self {
        self.counts.configurations = n;
        self
    }

    /// Generates `n` agreements.
    pub fn agreements(mut self, n: usize) -> Self {
        self.counts.agreements = n;
        self
    }

    /// Generates `n` product catalog items.
    pub fn catalog_items(mut self, n: usize) -> Self {
        self.counts.catalog_items = n;
        self
    }

    /// Generates `n` service tickets.
    pub fn tickets(mut self, n: usize) -> Self {
        self.counts.tickets = n;
        self
    }

    /// The fault plan (default: none).
    pub fn faults(mut self, plan: FaultPlan) -> Self {
        self.faults = plan;
        self
    }

    /// The credentials the fake accepts (company login name, public and private key).
    pub fn credentials(
        mut self,
        company_id: impl Into<String>,
        public_key: impl Into<String>,
        private_key: impl Into<String>,
    ) -> Self {
        self.settings.company_id = company_id.into();
        self.settings.public_key = public_key.into();
        self.settings.private_key = private_key.into();
        self
    }

    /// The `clientId` the fake accepts.
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.settings.client_id = client_id.into();
        self
    }

    /// The codebase served (default `v4_6_release/`); other codebases answer 404, as
    /// after a hosted upgrade.
    pub fn codebase(mut self, codebase: impl Into<String>) -> Self {
        let mut codebase: String = codebase.into().trim_matches('/').to_owned();
        codebase.push('/');
        self.settings.codebase = codebase;
        self
    }

    /// The largest page size accepted (default 1000; older servers took 100).
    pub fn max_page_size(mut self, max: u32) -> Self {
        self.settings.max_page_size = max.max(1);
        self
    }

    /// Serves on this loopback port instead of a free one.
    pub fn port(mut self, port: u16) -> Self {
        self.bind.set_port(port);
        self
    }

    /// Serves on this address (default `127.0.0.1:0`, a free loopback port).
    pub fn bind(mut self, address: SocketAddr) -> Self {
        self.bind = address;
        self
    }

    /// Chooses the server (default [`ServerKind::Auto`]).
    pub fn server(mut self, kind: ServerKind) -> Self {
        self.kind = kind;
        self
    }

    /// Makes `Link` headers name another origin (`https://na.myconnectwise.net`), as the
    /// documented example does, instead of the fake's own address.
    pub fn link_origin(mut self, origin: impl Into<String>) -> Self {
        self.link_origin = Some(origin.into().trim_end_matches('/').to_owned());
        self
    }

    /// Builds the state alone, with no server: answer requests with
    /// [`FakeState::respond`].
    pub fn build_state(self) -> FakeState {
        let mut settings = self.settings;
        if let Some(origin) = self.link_origin {
            settings.link_origin = origin;
        }
        let mut store = Store::default();
        generate::generate(self.seed, self.counts, &mut store);
        FakeState::new(settings, store, self.faults)
    }

    /// Generates the records, binds the address and starts serving.
    ///
    /// # Panics
    ///
    /// When the address cannot be bound (a fixed port already in use, say); use
    /// [`FakeConnectWiseBuilder::try_start`] to get the error instead.
    pub async fn start(self) -> FakeConnectWise {
        let address = self.bind;
        match self.try_start().await {
            Ok(fake) => fake,
            Err(e) => panic!("the fake ConnectWise server could not listen on {address}: {e}"),
        }
    }

    /// Like [`FakeConnectWiseBuilder::start`], returning an error when the address cannot
    /// be bound.
    pub async fn try_start(mut self) -> io::Result<FakeConnectWise> {
        let listener = std::net::TcpListener::bind(self.bind)?;
        let address = listener.local_addr()?;
        let uri = format!("http://{address}");
        if self.link_origin.is_none() {
            self.link_origin = Some(uri.clone());
        }
        let kind = self.kind;
        let state = self.build_state();

        let socket = match kind {
            ServerKind::Socket => true,
            ServerKind::Wiremock => false,
            ServerKind::Auto => state.needs_socket_server(),
        };
        let running = if socket {
            listener.set_nonblocking(true)?;
            let listener = tokio::net::TcpListener::from_std(listener)?;
            server::start_socket(listener, state.clone())
        } else {
            server::start_wiremock(listener, state.clone()).await
        };
        Ok(FakeConnectWise {
            state,
            address,
            uri,
            _running: running,
        })
    }
}

/// A running fake ConnectWise server on a loopback port. Dropping it stops the server.
///
/// ```no_run
/// use connectwise_api::fake::FakeConnectWise;
///
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let fake = FakeConnectWise::builder().seed(1).companies(10).start().await;
/// let client = fake.client()?;
/// assert_eq!(client.companies().count_all().await?, 10);
/// # Ok(())
/// # }
/// ```
pub struct FakeConnectWise {
    state: FakeState,
    address: SocketAddr,
    uri: String,
    _running: Running,
}

impl std::fmt::Debug for FakeConnectWise {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeConnectWise")
            .field("uri", &self.uri)
            .finish_non_exhaustive()
    }
}

impl FakeConnectWise {
    /// A builder with seed 0, no records, no faults and the default credentials.
    pub fn builder() -> FakeConnectWiseBuilder {
        FakeConnectWiseBuilder::default()
    }

    /// The server's root, `http://127.0.0.1:{port}` (no trailing slash).
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// The socket address served.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The API root, `http://127.0.0.1:{port}/{codebase}apis/3.0`.
    pub fn api_root(&self) -> String {
        format!("{}{}", self.uri, self.state.settings().api_prefix())
    }

    /// The company login name the fake accepts.
    pub fn company_id(&self) -> &str {
        &self.state.settings().company_id
    }

    /// The public key the fake accepts.
    pub fn public_key(&self) -> &str {
        &self.state.settings().public_key
    }

    /// The private key the fake accepts.
    pub fn private_key(&self) -> &str {
        &self.state.settings().private_key
    }

    /// The `clientId` the fake accepts.
    pub fn client_id(&self) -> &str {
        &self.state.settings().client_id
    }

    /// A client builder pointed at the fake, with its credentials, plain HTTP allowed,
    /// no throttle, and retry backoff shortened to milliseconds.
    pub fn client_builder(&self) -> ClientBuilder {
        let site = url::Url::parse(&self.uri).map(Site::Url);
        let builder = Client::builder()
            .company(self.company_id())
            .public_key(self.public_key())
            .private_key(self.private_key())
            .client_id(self.client_id())
            .allow_insecure_http(true)
            .throttle(None)
            .retry_policy(RetryPolicy {
                backoff_base: Duration::from_millis(1),
                backoff_cap: Duration::from_millis(20),
                ..RetryPolicy::default()
            });
        match site {
            Ok(site) => builder.site(site),
            // NB: `uri` is always `http://127.0.0.1:port`, which parses.
            Err(_) => builder,
        }
    }

    /// A ready client pointed at the fake (see [`FakeConnectWise::client_builder`]).
    pub fn client(&self) -> crate::Result<Client> {
        self.client_builder().build()
    }

    /// The shared state: records, counters, socket-less requests.
    pub fn state(&self) -> &FakeState {
        &self.state
    }

    /// Every record of `entity`, in id order.
    pub fn records(&self, entity: Entity) -> Vec<Value> {
        self.state.records(entity)
    }

    /// The ids of `entity`, ascending.
    pub fn ids(&self, entity: Entity) -> Vec<i64> {
        self.state.ids(entity)
    }

    /// One record by id.
    pub fn get(&self, entity: Entity, id: i64) -> Option<Value> {
        self.state.get(entity, id)
    }

    /// Adds a record as stored; returns its id. See [`FakeState::insert`].
    pub fn insert(&self, entity: Entity, record: Value) -> i64 {
        self.state.insert(entity, record)
    }

    /// Edits a stored record and stamps `lastUpdated`. See [`FakeState::update`].
    pub fn update(
        &self,
        entity: Entity,
        id: i64,
        edit: impl FnOnce(&mut Map<String, Value>),
    ) -> bool {
        self.state.update(entity, id, edit)
    }

    /// Removes a record for good; returns it.
    pub fn remove(&self, entity: Entity, id: i64) -> Option<Value> {
        self.state.remove(entity, id)
    }

    /// A copy of the counters.
    pub fn counters(&self) -> Counters {
        self.state.counters()
    }
}
