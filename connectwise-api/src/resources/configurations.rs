//! `/company/configurations`: the configurations (devices).

use crate::client::Client;
use crate::models::Configuration;
use crate::resources::Resource;

impl Client {
    /// The calls of `/company/configurations`: the configurations (devices).
    pub fn configurations(&self) -> Resource<Configuration> {
        Resource::new(self, "/company/configurations")
    }
}
