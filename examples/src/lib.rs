//! The `cw-ap-sync` command line tool, the adapters that make the ConnectWise and Asset
//! Panda clients the sync engine's source and sink, and the fake servers' demo.
//!
//! The binary in `src/bin/cw-ap-sync.rs` is a thin wrapper around [`app::main`]; tests
//! drive the whole tool in-process through [`app::run_args`]. The modules are split by
//! concern: the command line ([`cli`]) and its commands ([`commands`], [`demo`]), the
//! configuration file ([`config`]) and credentials ([`credentials`]), the clients
//! ([`clients`]) and adapters ([`adapters`]), one sync run ([`sync`]) and its report
//! ([`report`], with issues summarised by kind in [`issues`]), and the run's surroundings:
//! logs ([`logging`]), progress ([`progress`]), history ([`history`]), incremental state
//! ([`state`]), the per-job lock ([`lock`]), scheduling ([`schedule`]), exit statuses
//! ([`exit`]) and name suggestions ([`suggest`]).

pub mod adapters;
pub mod app;
pub mod cli;
pub mod clients;
pub mod commands;
pub mod config;
pub mod credentials;
pub mod demo;
pub mod error;
pub mod exit;
pub mod history;
pub mod issues;
pub mod lock;
pub mod logging;
pub mod output;
pub mod paths;
pub mod progress;
pub mod report;
pub mod schedule;
pub mod state;
pub mod suggest;
pub mod sync;
pub mod template;

pub use adapters::{ApSink, CwSource};
pub use error::CliError;
pub use exit::ExitStatus;
