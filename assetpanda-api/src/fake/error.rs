//! What can go wrong when building, starting or driving the fake.

use std::net::SocketAddr;

/// An error of the fake itself (not an HTTP answer it gives).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FakeError {
    /// The builder's settings do not fit together; the text says which.
    #[error("fake Asset Panda configuration: {0}")]
    Config(String),
    /// The listening socket could not be bound.
    #[error("fake Asset Panda could not listen on {addr}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why binding failed.
        #[source]
        source: std::io::Error,
    },
    /// An object stored directly was refused; the text holds the 422 errors.
    #[error("object refused: {0}")]
    Rejected(String),
    /// The account has no such group.
    #[error("the account has no group {0}")]
    UnknownGroup(u64),
    /// The group has no such object.
    #[error("no object {0} in the group")]
    UnknownObject(String),
    /// The fault plan drops or cuts connections, which wiremock cannot do.
    #[error("this fault plan needs the raw transport (Transport::Raw)")]
    NeedsRawTransport,
}
