//! Integration tests of the Asset Panda client and its fake server.

mod auth;
mod batches;
mod common;
mod decode;
mod decode_props;
mod discovery;
mod errors;
mod fake_client;
mod fake_common;
mod fake_core;
mod fake_faults;
mod fake_server;
mod fake_writes;
mod field_cases;
mod field_cases_retry;
mod hostile;
mod objects;
mod paging;
mod refusals;
mod retry_table;
mod secrets;
mod throttle;
