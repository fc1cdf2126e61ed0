//! Data sent to and received from Asset Panda.
//!
//! Every response type tolerates missing and unknown keys: each field is optional and
//! unknown keys are kept in `extra`.

pub mod fields;
pub mod groups;
pub mod ids;
pub mod objects;
pub mod search;
pub mod settings;
pub mod statuses;
pub mod values;

pub(crate) mod lenient;
