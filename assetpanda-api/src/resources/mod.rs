//! Calls grouped by area.

pub mod batch;
pub mod groups;
pub mod objects;
pub mod settings;
