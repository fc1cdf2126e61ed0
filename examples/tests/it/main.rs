//! End-to-end tests of `cw-ap-sync` against the fake servers.

mod bad_config;
mod cases_access;
mod cases_source;
mod cases_target;
mod chaos;
mod client_examples;
mod commands;
mod crash_rerun;
mod demo;
mod first_use;
mod readme;
mod request_counts;
mod secrets;
mod support;
