//! End-to-end tests of `cw-ap-sync` against the fake servers.

mod cases_access;
mod cases_source;
mod cases_target;
mod client_examples;
mod commands;
mod demo;
mod first_use;
mod readme;
mod secrets;
mod support;
