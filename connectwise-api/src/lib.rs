//! A typed async client for the ConnectWise Manage (PSA) REST API 3.0.
//!
//! Build a [`Client`] with [`Client::builder`], then reach each area through a
//! resource handler: `client.companies()`, `client.configurations()`,
//! `client.agreements()`, `client.catalog_items()` and `client.tickets()`. Every handler
//! offers `get`, `list`, `count`, `create`, `patch`, `update` and `delete`; any other
//! endpoint is reachable as raw JSON through [`Client::get_json`] and [`Client::list_json`].
//!
//! ```no_run
//! # async fn run() -> connectwise_api::Result<()> {
//! use connectwise_api::{conditions::Condition, Client, Region};
//! use futures::TryStreamExt;
//!
//! let client = Client::builder()
//!     .company("examplemsp")
//!     .public_key("public")
//!     .private_key("private")
//!     .client_id("11111111-2222-4333-8444-555555555555")
//!     .site(Region::Na)
//!     .build()?;
//! let active: Vec<_> = client
//!     .companies()
//!     .list()
//!     .conditions(Condition::eq("deletedFlag", false))
//!     .stream()
//!     .try_collect()
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! Requests carry `Authorization: Basic …` and `clientId` and go only to the configured
//! host; the `Accept` header pins API version 2025.8 unless configured. Failures are
//! retried by the rules of [`retry::decide`], and a client-side throttle keeps the rate at
//! 600 requests a minute unless configured otherwise.
//!
//! With the `test-util` feature, the `fake` module serves a stateful ConnectWise on a loopback port
//! (`FakeConnectWise`), with seeded records and faults, for tests and demos without an
//! account.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod auth;
mod client;
pub mod conditions;
mod discovery;
mod error;
#[cfg(feature = "test-util")]
pub mod fake;
pub mod models;
mod pagination;
mod request;
pub mod resources;
pub mod retry;
mod site;
mod throttle;

pub use auth::Credentials;
pub use client::{
    Client, ClientBuilder, DEFAULT_API_VERSION, DEFAULT_CODEBASE, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_URL_LEN,
};
pub use conditions::{split_in_list, Condition, Literal};
pub use discovery::CompanyInfo;
pub use error::{ApiError, ApiErrorKind, Error, Result, TransportKind, ValidationError};
pub use pagination::{link_target, Cursor, ItemStream, ListItem, ListRequest, Page, MAX_PAGE_SIZE};
pub use resources::Resource;
pub use retry::{Clock, RetryPolicy, SystemClock};
pub use site::{Region, Site};
pub use throttle::Throttle;
