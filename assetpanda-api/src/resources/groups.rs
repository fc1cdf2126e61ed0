//! Groups, their fields and their statuses.

use serde_json::Value;

use crate::client::Client;
use crate::error::Result;
use crate::models::fields::Field;
use crate::models::groups::{unwrap_group, Group};
use crate::models::ids::GroupId;
use crate::models::statuses::Status;
use crate::request::Request;
use crate::response::{decode, decode_list};

/// Calls about groups; get one with [`Client::groups`].
#[derive(Debug, Clone)]
pub struct Groups {
    client: Client,
}

impl Client {
    /// Calls about groups, their fields and statuses.
    pub fn groups(&self) -> Groups {
        Groups {
            client: self.clone(),
        }
    }
}

impl Groups {
    /// Lists every group of the account (`GET /v3/groups`).
    ///
    /// ```no_run
    /// # async fn run(client: assetpanda_api::Client) -> assetpanda_api::Result<()> {
    /// for group in client.groups().list().await? {
    ///     println!("{:?} {:?}", group.id, group.name);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn list(&self) -> Result<Vec<Group>> {
        self.list_of("/v3/groups".to_owned(), "groups").await
    }

    /// Reads one group (`GET /v3/groups/{id}`); a `{"group": {...}}` wrapper is removed.
    pub async fn get(&self, id: impl Into<GroupId>) -> Result<Group> {
        let request = Request::get(format!("/v3/groups/{}", id.into()));
        let response = self.client.execute(&request).await?;

        let raw: Value = decode(&request.method, &request.path, &response.body)?;
        let body = unwrap_group(raw).to_string();
        decode(&request.method, &request.path, body.as_bytes())
    }

    /// Lists a group's fields (`GET /v3/groups/{id}/fields`).
    pub async fn fields(&self, id: impl Into<GroupId>) -> Result<Vec<Field>> {
        self.list_of(format!("/v3/groups/{}/fields", id.into()), "fields")
            .await
    }

    /// Lists a group's statuses (`GET /v3/groups/{id}/statuses`).
    pub async fn statuses(&self, id: impl Into<GroupId>) -> Result<Vec<Status>> {
        self.list_of(format!("/v3/groups/{}/statuses", id.into()), "statuses")
            .await
    }

    async fn list_of<T: serde::de::DeserializeOwned>(
        &self,
        path: String,
        key: &str,
    ) -> Result<Vec<T>> {
        let request = Request::get(path);
        let response = self.client.execute(&request).await?;

        decode_list(&request.method, &request.path, &response.body, key)
    }
}
