//! `/procurement/catalog`: the product catalog.

use crate::client::Client;
use crate::models::CatalogItem;
use crate::resources::Resource;

impl Client {
    /// The calls of `/procurement/catalog`: the product catalog.
    pub fn catalog_items(&self) -> Resource<CatalogItem> {
        Resource::new(self, "/procurement/catalog")
    }
}
