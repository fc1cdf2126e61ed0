//! `/finance/agreements`: the agreements.

use crate::client::Client;
use crate::models::Agreement;
use crate::resources::Resource;

impl Client {
    /// The calls of `/finance/agreements`: the agreements.
    pub fn agreements(&self) -> Resource<Agreement> {
        Resource::new(self, "/finance/agreements")
    }
}
