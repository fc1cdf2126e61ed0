//! Integration tests of the mapping crate: one binary, one module per area.

mod cases;
mod catalog;
mod concurrency;
mod config;
mod create_guard;
mod engine;
mod filters;
mod first_use;
mod hostile_config;
mod paths;
mod planner;
mod properties;
mod support;
mod sync_cases;
mod validation;
