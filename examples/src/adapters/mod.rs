//! The adapters that make the two clients the engine's source and sink.

mod ap_sink;
mod cw_source;

pub use ap_sink::{sink_error, ApSink};
pub use cw_source::{classify, describe, CwSource};
