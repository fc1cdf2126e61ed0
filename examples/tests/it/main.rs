//! End-to-end tests of `cw-ap-sync` against the fake servers.

mod commands;
mod demo;
mod secrets;
mod support;
