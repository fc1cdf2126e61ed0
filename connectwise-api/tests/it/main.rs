//! Integration tests of the ConnectWise client.

mod auth;
mod conditions;
mod decode;
mod discovery;
mod errors;
mod fake_client;
mod fake_conditions;
mod fake_server;
mod fake_state;
mod hostile;
mod hostile_props;
mod logging;
mod pagination;
mod partitioned;
mod resources;
mod retry_http;
mod retry_table;
mod sandbox;
mod site_paths;
mod support;
mod throttle;
