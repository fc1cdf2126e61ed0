//! Request counters, readable from tests and benchmarks.

use std::collections::BTreeMap;

/// A snapshot of what the fake has served since it started (or was last reset).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counters {
    /// Requests received, faults included.
    pub requests: u64,
    /// Body bytes written to clients (a cut-off body counts what was sent).
    pub bytes_sent: u64,
    /// Requests answered by an injected fault.
    pub faults_injected: u64,
    /// Requests per `(method, endpoint)`; endpoints are templates such as
    /// `/company/configurations/{id}` or `/company/configurations/count`.
    pub by_endpoint: BTreeMap<(String, String), u64>,
    /// Responses per status code (0 counts connections dropped without a response).
    pub by_status: BTreeMap<u16, u64>,
}

impl Counters {
    /// Requests with this method (`"GET"`) to this endpoint template.
    pub fn get(&self, method: &str, endpoint: &str) -> u64 {
        self.by_endpoint
            .get(&(method.to_owned(), endpoint.to_owned()))
            .copied()
            .unwrap_or(0)
    }

    /// Requests with this method to any endpoint.
    pub fn by_method(&self, method: &str) -> u64 {
        self.by_endpoint
            .iter()
            .filter(|((m, _), _)| m == method)
            .map(|(_, n)| n)
            .sum()
    }

    pub(crate) fn record(&mut self, method: &str, endpoint: String, status: u16, bytes: usize) {
        self.requests += 1;
        self.bytes_sent += bytes as u64;
        *self
            .by_endpoint
            .entry((method.to_owned(), endpoint))
            .or_default() += 1;
        *self.by_status.entry(status).or_default() += 1;
    }
}
