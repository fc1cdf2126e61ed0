//! `/service/tickets`: the service tickets.

use http::Method;
use serde::Serialize;

use crate::client::Client;
use crate::conditions::Condition;
use crate::error::{Error, Result};
use crate::models::Ticket;
use crate::pagination::MAX_PAGE_SIZE;
use crate::resources::Resource;
use crate::retry::RequestClass;

impl Client {
    /// The calls of `/service/tickets`: the service tickets.
    pub fn tickets(&self) -> Resource<Ticket> {
        Resource::new(self, "/service/tickets")
    }
}

/// The body of `POST /service/tickets/search`; the key spelling follows the API schema.
#[derive(Debug, Serialize)]
struct SearchBody {
    conditions: String,
}

impl Resource<Ticket> {
    /// Reads one page of tickets matching a condition too long for a URL, through
    /// `POST /service/tickets/search` (it changes nothing, so it is retried like a read).
    pub async fn search(
        &self,
        conditions: impl Into<Condition>,
        page_size: u32,
        page: u64,
    ) -> Result<Vec<Ticket>> {
        if page_size > MAX_PAGE_SIZE {
            return Err(Error::PageSizeTooLarge {
                requested: page_size,
                max: MAX_PAGE_SIZE,
            });
        }
        if page_size == 0 || page == 0 {
            return Err(Error::InvalidRequest {
                reason: "page size and page start at 1".to_owned(),
            });
        }
        let body = SearchBody {
            conditions: conditions.into().render()?,
        };
        let body = serde_json::to_vec(&body).map_err(|e| Error::InvalidRequest {
            reason: format!("the body cannot be written as JSON: {e}"),
        })?;
        let path = format!("{}/search", self.path());
        let query = format!("pageSize={page_size}&page={page}");
        self.client()
            .send_json_with_query(Method::POST, &path, &query, RequestClass::Read, body)
            .await
    }
}
