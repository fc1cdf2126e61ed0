//! `/service/tickets`: the service tickets.

use crate::client::Client;
use crate::models::Ticket;
use crate::resources::Resource;

impl Client {
    /// The calls of `/service/tickets`: the service tickets.
    pub fn tickets(&self) -> Resource<Ticket> {
        Resource::new(self, "/service/tickets")
    }
}
