//! Integration tests of the Asset Panda client and its fake server.

mod fake_core;
mod fake_client;
mod fake_common;
mod fake_faults;
mod fake_writes;
mod fake_server;
mod auth;
mod common;
mod retry_table;
mod decode;
mod discovery;
mod errors;
mod objects;
mod batches;
mod paging;
mod field_cases;
mod secrets;
mod throttle;
mod field_cases_retry;
mod decode_props;
