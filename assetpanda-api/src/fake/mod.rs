//! A fake, stateful Asset Panda server for tests, demos and benchmarks.
//!
//! It holds an account in memory (groups with typed fields and statuses, objects with
//! 24-hex ids and an archived flag, settings with a date format), answers the v3 API the
//! way the real server does as far as it is known (logins in both versions, search with a
//! silently capped `limit` and `totals`, batch creates and updates of at most 200, archive
//! and unarchive, unique fields refused with the real 422 body), and can misbehave on
//! purpose: a seeded [`FaultPlan`] answers chosen requests with 429, 5xx, HTML, empty or
//! cut bodies, delays or dropped connections, optionally after the write was applied. A
//! [`RateLimit`] enforces a call limit with 429 and `Retry-After`, read from a
//! [`FakeClock`] that tests move by hand.
//!
//! The behaviour lives in [`FakeCore`], which answers a [`FakeRequest`] without any socket.
//! [`FakeAssetPanda`] serves a core over HTTP on a loopback port, through a wiremock
//! responder, or a small hyper server when the faults need to break connections.
//!
//! ```no_run
//! # async fn demo() {
//! use assetpanda_api::fake::{Fault, FaultPlan, FakeAssetPanda, GroupSpec};
//!
//! let fake = FakeAssetPanda::builder()
//!     .seed(7)
//!     .group(GroupSpec::devices())
//!     .group(GroupSpec::companies())
//!     .populate(139301, 20)
//!     .search_limit_cap(50)
//!     .faults(FaultPlan::new().share(0.05, Fault::ServiceUnavailable))
//!     .start()
//!     .await;
//! assert_eq!(fake.objects(139301).len(), 20);
//! # }
//! ```
//!
//! Choices where the real server's behaviour is unknown, made to catch client mistakes:
//! `field_filters` match partially (clients must check matches), unknown field keys are
//! refused with 422, a status is written as its id, a link as the linked object's id, a
//! date only in the account format, and unknown text in a list field adds an item.

mod access;
mod account;
mod auth;
mod builder;
mod client;
mod clock;
mod core;
mod counters;
mod error;
mod faults;
mod generate;
mod rate_limit;
mod reply;
mod search;
mod server;
mod spec;
mod values;
mod writes;

pub use account::{BatchFailure, FieldMatch, StoredObject};
pub use builder::FakeAssetPandaBuilder;
pub use clock::FakeClock;
pub use core::{FakeCore, SearchPaths};
pub use counters::{Counters, Endpoint, RequestRecord, Tally};
pub use error::FakeError;
pub use faults::{Fault, FaultPlan, FaultRule};
pub use rate_limit::RateLimit;
pub use reply::{FakeReply, FakeRequest, RawFault};
pub use server::{FakeAssetPanda, Transport};
pub use spec::{FieldSpec, FieldType, GroupSpec, StatusSpec};
