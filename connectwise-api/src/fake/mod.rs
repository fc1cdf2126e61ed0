//! A fake, stateful ConnectWise Manage server for tests, demos and benchmarks.
//!
//! It holds companies, configurations, agreements, catalog items and tickets in memory as
//! compact JSON text shaped like the real API (about 2 KB a device, parsed only when a
//! filter, projection or ordering reads it), and serves them on a loopback port:
//!
//! - `GET /login/companyinfo/{company}` (no credentials; an unknown company gets `null`);
//! - list with navigable paging (`page`, `pageSize`, the `Link` header) and forward-only
//!   paging (`pagination-type: forward-only`, `pageId`), `count`, get, create, PUT,
//!   PATCH (the list of `{op, path, value}`) and DELETE, stamping `_info/lastUpdated`;
//! - `conditions`, `childConditions`, `customFieldConditions`, `orderBy` and `fields`,
//!   with the server's 400 bodies for a condition it cannot read or a page size over the
//!   maximum;
//! - `POST /service/tickets/search` with the filters in the body;
//! - Basic authentication and the `clientId` header on every API call.
//!
//! Writes are checked as the server checks them: required fields, references sent as
//! objects, the referenced company existing. Write-only ticket fields are dropped, company
//! `types` change on POST only, a PATCH of a nested path such as `company/id` answers 200
//! and changes nothing, and deleting a company only flags it (`deletedFlag`), as the real
//! server does.
//!
//! A [`FaultPlan`] makes chosen or seeded requests fail (429, 5xx, HTML, empty or cut-off
//! bodies, delays, dropped connections, or a write applied but answered with an error),
//! and [`Counters`] tell what was served. Records can be read and changed directly
//! between calls.
//!
//! Requests are served by `wiremock` custom responders; when the fault plan needs to cut
//! a body short or drop a connection, a small `hyper` server takes its place around the
//! same handler.
//!
//! ```no_run
//! use connectwise_api::fake::{Entity, FakeConnectWise, FaultPlan};
//!
//! # async fn demo() -> connectwise_api::Result<()> {
//! let fake = FakeConnectWise::builder()
//!     .seed(42)
//!     .companies(30)
//!     .configurations(300)
//!     .faults(FaultPlan::retryable_mix(7, 0.05))
//!     .start()
//!     .await;
//! let client = fake.client()?;
//! assert_eq!(client.configurations().count_all().await?, 300);
//! assert_eq!(fake.state().len(Entity::Configurations), 300);
//! # Ok(())
//! # }
//! ```

mod builder;
mod conditions;
mod counters;
mod entity;
mod evaluate;
mod faults;
mod generate;
mod handler;
mod list;
mod models;
mod query;
mod response;
mod scope;
mod server;
mod state;
mod store;
mod writes;

pub use builder::{FakeConnectWise, FakeConnectWiseBuilder, ServerKind};
pub use conditions::{parse as parse_conditions, ConditionError, Expr, Literal, Op};
pub use counters::Counters;
pub use entity::Entity;
pub use evaluate::matches as condition_matches;
pub use faults::{Fault, FaultPlan};
pub use response::{FakeRequest, FakeResponse};
pub use state::{Delivery, FakeReply, FakeState};
