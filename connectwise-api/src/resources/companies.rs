//! `/company/companies`: the companies.

use crate::client::Client;
use crate::models::Company;
use crate::resources::Resource;

impl Client {
    /// The calls of `/company/companies`: the companies.
    pub fn companies(&self) -> Resource<Company> {
        Resource::new(self, "/company/companies")
    }
}
