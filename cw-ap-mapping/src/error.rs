//! Errors of reading a configuration.

/// A configuration that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The TOML text is malformed or does not fit the configuration type.
    #[error("TOML line {line}, column {column}: {message}")]
    Toml {
        /// 1-based line of the problem (0 when unknown).
        line: usize,
        /// 1-based column of the problem (0 when unknown).
        column: usize,
        /// What was wrong.
        message: String,
    },
    /// The JSON text is malformed or does not fit the configuration type.
    #[error("JSON at `{path}`, line {line}, column {column}: {message}")]
    Json {
        /// The JSON path of the problem (`jobs[0].entity`).
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What was wrong.
        message: String,
    },
    /// The configuration could not be written out.
    #[error("configuration could not be encoded: {message}")]
    Encode {
        /// What was wrong.
        message: String,
    },
}
