//! [`FakeState`]: the records, the fault plan and the counters behind one fake server,
//! usable without any socket.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::counters::Counters;
use super::entity::Entity;
use super::faults::{Fault, FaultPlan};
use super::handler::{self, Route, Settings};
use super::response::{FakeRequest, FakeResponse};
use super::store::{Record, Store};

/// How a response is to be written to the socket.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Delivery {
    /// Send it as it is.
    Normal,
    /// Wait, then send it.
    Delayed(Duration),
    /// Announce the full `Content-Length`, send half the body, close the connection.
    Truncated,
    /// Close the connection without a response.
    Dropped,
}

/// The response to one request and how to deliver it.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeReply {
    /// The response (ignored when the delivery is [`Delivery::Dropped`]).
    pub response: FakeResponse,
    /// How it goes out.
    pub delivery: Delivery,
}

struct Core {
    settings: Settings,
    store: Mutex<Store>,
    plan: Mutex<FaultPlan>,
    sequence: AtomicU64,
    counters: Mutex<Counters>,
}

/// The state of a fake ConnectWise: records, fault plan and counters. Cheap to clone;
/// clones share everything.
///
/// Tests use it to read and change records between calls, and to answer requests with no
/// socket at all through [`FakeState::respond`].
#[derive(Clone)]
pub struct FakeState {
    core: Arc<Core>,
}

impl std::fmt::Debug for FakeState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeState")
            .field("company_id", &self.core.settings.company_id)
            .field("requests", &self.core.sequence.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock leaves plain data behind; keep serving it.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl FakeState {
    pub(crate) fn new(settings: Settings, store: Store, plan: FaultPlan) -> FakeState {
        FakeState {
            core: Arc::new(Core {
                settings,
                store: Mutex::new(store),
                plan: Mutex::new(plan),
                sequence: AtomicU64::new(0),
                counters: Mutex::new(Counters::default()),
            }),
        }
    }

    pub(crate) fn settings(&self) -> &Settings {
        &self.core.settings
    }

    /// Answers one request: numbers it, applies the fault plan, runs the handler and
    /// counts what goes out.
    pub fn respond(&self, req: &FakeRequest) -> FakeReply {
        let core = &self.core;
        let n = core.sequence.fetch_add(1, Ordering::SeqCst) + 1;
        let decision = lock(&core.plan).decide(n, &req.method);
        let faulted = decision.is_some();
        let run = || handler::handle(&mut lock(&core.store), &core.settings, req);

        let mut reply = match decision {
            None => FakeReply {
                response: run(),
                delivery: Delivery::Normal,
            },
            Some(d) => {
                // The handler runs when the fault leaves the real answer in place, or
                // when the write is to be applied before the error.
                let real = match d.fault {
                    Fault::Delay(_) | Fault::TruncatedBody => Some(run()),
                    _ if d.after_write => Some(run()),
                    _ => None,
                };
                let delivery = match d.fault {
                    Fault::Delay(wait) => Delivery::Delayed(wait),
                    Fault::TruncatedBody => Delivery::Truncated,
                    Fault::DropConnection => Delivery::Dropped,
                    _ => Delivery::Normal,
                };
                let response = d
                    .fault
                    .response()
                    .or(real)
                    .unwrap_or_else(|| FakeResponse::empty(http::StatusCode::OK));
                FakeReply { response, delivery }
            }
        };

        reply
            .response
            .headers
            .push(("x-cw-request-id".into(), format!("fake-{n:08}")));
        let endpoint = Route::of(&core.settings, &req.path).endpoint(&req.path);
        let sent = match reply.delivery {
            Delivery::Dropped => 0,
            Delivery::Truncated => reply.response.body.len() / 2,
            _ => reply.response.body.len(),
        };
        let mut counters = lock(&core.counters);
        if faulted {
            counters.faults_injected += 1;
        }
        let status = match reply.delivery {
            Delivery::Dropped => 0,
            _ => reply.response.status.as_u16(),
        };
        counters.record(req.method.as_str(), endpoint, status, sent);
        reply
    }

    /// A copy of the counters.
    pub fn counters(&self) -> Counters {
        lock(&self.core.counters).clone()
    }

    /// Sets the counters back to zero (request numbering for faults goes on).
    pub fn reset_counters(&self) {
        *lock(&self.core.counters) = Counters::default();
    }

    /// Every record of `entity`, in id order.
    pub fn records(&self, entity: Entity) -> Vec<Value> {
        let store = lock(&self.core.store);
        store
            .table(entity)
            .map(|t| t.records.values().map(Record::value).collect())
            .unwrap_or_default()
    }

    /// The ids of `entity`, ascending. Much cheaper than [`FakeState::records`].
    pub fn ids(&self, entity: Entity) -> Vec<i64> {
        let store = lock(&self.core.store);
        store
            .table(entity)
            .map(|t| t.records.keys().copied().collect())
            .unwrap_or_default()
    }

    /// Runs `f` over the records of `entity` in id order, parsing one at a time, so that
    /// a large collection is never copied whole. The fake answers no request until `f`
    /// returns.
    pub fn with_records<R>(
        &self,
        entity: Entity,
        f: impl FnOnce(&mut dyn Iterator<Item = Value>) -> R,
    ) -> R {
        let store = lock(&self.core.store);
        let mut records = store
            .table(entity)
            .into_iter()
            .flat_map(|t| t.records.values().map(Record::value));
        f(&mut records)
    }

    /// How many records `entity` holds.
    pub fn len(&self, entity: Entity) -> usize {
        lock(&self.core.store).len(entity)
    }

    /// Whether `entity` holds no record.
    pub fn is_empty(&self, entity: Entity) -> bool {
        self.len(entity) == 0
    }

    /// One record by id.
    pub fn get(&self, entity: Entity, id: i64) -> Option<Value> {
        lock(&self.core.store).get(entity, id)
    }

    /// Adds a record as stored (no validation). A positive, free `id` is kept; otherwise
    /// one is assigned. `_info` audit keys are added when missing. Returns the id.
    pub fn insert(&self, entity: Entity, record: Value) -> i64 {
        let map = match record {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        lock(&self.core.store).insert(entity, map)
    }

    /// Changes a stored record in place and stamps `_info/lastUpdated`, as a user editing
    /// it in the UI would. Returns `false` when there is no such record.
    pub fn update(
        &self,
        entity: Entity,
        id: i64,
        edit: impl FnOnce(&mut Map<String, Value>),
    ) -> bool {
        let mut store = lock(&self.core.store);
        let Some(Value::Object(mut record)) = store.get(entity, id) else {
            return false;
        };
        edit(&mut record);
        store.replace(entity, id, record)
    }

    /// Removes a record for good (no soft delete). Returns it.
    pub fn remove(&self, entity: Entity, id: i64) -> Option<Value> {
        lock(&self.core.store).remove(entity, id)
    }

    /// Freezes the clock used for `_info/lastUpdated` at `now`; `None` follows the system
    /// clock again.
    pub fn set_now(&self, now: Option<DateTime<Utc>>) {
        lock(&self.core.store).set_now(now);
    }

    /// Replaces the fault plan from the next request on (request numbers keep counting).
    ///
    /// The server kind was chosen at start: a plan that cuts bodies or drops connections
    /// needs a fake started with [`ServerKind::Socket`](super::ServerKind::Socket) (or
    /// with such a plan from the start).
    pub fn set_faults(&self, plan: FaultPlan) {
        *lock(&self.core.plan) = plan;
    }

    /// Whether the fault plan needs the socket server.
    pub(crate) fn needs_socket_server(&self) -> bool {
        lock(&self.core.plan).needs_socket_server()
    }
}
