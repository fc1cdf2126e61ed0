//! A typed async client for the Asset Panda REST API (v3).
//!
//! ```no_run
//! # async fn run() -> assetpanda_api::Result<()> {
//! use assetpanda_api::{Client, FieldMap};
//! use futures::TryStreamExt;
//!
//! let client = Client::builder()
//!     .v3_login("sync-service@example.com", "password")
//!     .build()?;
//! let info = client.test_connection().await?;
//! println!("connected as {}", info.user_label());
//!
//! let devices = client.objects(204820);
//! let all: Vec<_> = devices.search().stream().try_collect().await?;
//! devices.create(FieldMap::new().text("field_1", "EXCO-WS-018")).await?;
//! # Ok(())
//! # }
//! ```
//!
//! # Authentication
//!
//! A ready bearer token ([`ClientBuilder::token`]), the v3 e-mail and password login
//! ([`ClientBuilder::v3_login`]) or the v2 login with client id and secret
//! ([`ClientBuilder::v2_login`]). With a login mode the token is cached, and a 401 leads
//! to one new login and one repeat of the request; a second 401 is returned. Secrets never
//! appear in `Debug` output, logs or errors.
//!
//! # Paging
//!
//! [`Search::send`] fetches one page; [`Search::stream`] walks every page. The next
//! offset is the current one plus the objects actually received, because the server may
//! send fewer than asked for. Paging stops on an empty page or when the offset reaches
//! the reported total; objects are de-duplicated by id.
//!
//! # Throttling and retries
//!
//! Each client keeps under 360 calls in any 180 s window unless given another
//! [`Throttle`] or none. Failed calls are retried by [`retry::decide`]: a 429 for every
//! request after `Retry-After`; connection failures always; timeouts, 502, 503, 504 and a
//! timed-out 500 only for calls that are safe to repeat (reads, updates, archive and
//! unarchive); other 500s at most twice; a create never once it may have reached the
//! server.
//!
//! # Testing
//!
//! With the `test-util` feature, the `fake` module serves a stateful Asset Panda account on a
//! loopback port (`FakeAssetPanda`), with groups, objects and faults, for tests and demos
//! without an account.

mod auth;
mod client;
mod dates;
mod error;
#[cfg(feature = "test-util")]
pub mod fake;
pub mod models;
mod pagination;
mod request;
mod resources;
mod response;
pub mod retry;
mod throttle;

pub use auth::Credentials;
pub use client::{
    Client, ClientBuilder, SearchPath, UpdateMethod, DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_PAGE_SIZE,
};
pub use dates::{DateFormat, LenientDate};
pub use error::{ApiError, Error, FieldError, Result, TransportKind};
pub use models::fields::{Field, FieldType};
pub use models::groups::Group;
pub use models::ids::{GroupId, ObjectId};
pub use models::objects::{EntityRef, FieldMap, Object, ObjectUpdate, WriteOutcome};
pub use models::search::{Archived, SearchFilter, SearchPage, Totals};
pub use models::settings::{AccountSettings, ConnectionInfo, RecordQuota, Settings, UserDetails};
pub use models::statuses::Status;
pub use models::values::{Choice, FieldValue};
pub use resources::batch::{BatchReport, BatchResult, Rejection};
pub use resources::groups::Groups;
pub use resources::objects::{Objects, Search, MAX_BATCH};
pub use retry::{Clock, RetryPolicy, SystemClock};
pub use throttle::{Throttle, ThrottleConfig};
