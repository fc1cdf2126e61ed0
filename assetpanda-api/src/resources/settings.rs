//! Settings, the connection test and the account's date format.

use crate::client::Client;
use crate::dates::DateFormat;
use crate::error::Result;
use crate::models::settings::{ConnectionInfo, Settings};
use crate::request::Request;

impl Client {
    /// Reads the account settings (`GET /v3/settings`).
    ///
    /// ```no_run
    /// # async fn run(client: assetpanda_api::Client) -> assetpanda_api::Result<()> {
    /// let settings = client.settings().await?;
    /// println!("dates look like {:?}", settings.settings.date_format);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn settings(&self) -> Result<Settings> {
        self.call(Request::get("/v3/settings")).await
    }

    /// Checks the credentials by reading the settings, and returns the account's date
    /// format and the signed-in user, for a "connected as ..." line.
    pub async fn test_connection(&self) -> Result<ConnectionInfo> {
        let settings = self.settings().await?;
        if let Some(format) = &settings.settings.date_format {
            if let Ok(parsed) = DateFormat::from_account(format) {
                // NB: a configured override was set at build time and wins; this is a no-op then.
                let _ = self.inner.date_format.set(parsed);
            }
        }

        Ok(ConnectionInfo {
            date_format: settings.settings.date_format.clone(),
            account_id: settings.user_details.account_id,
            user: settings.user_details,
        })
    }

    /// The date format used to write dates: the configured override, else the account's
    /// format read once from the settings. An account format the client does not
    /// understand is a `Config` error asking for an override.
    pub async fn date_format(&self) -> Result<DateFormat> {
        let format = self
            .inner
            .date_format
            .get_or_try_init(|| async {
                let settings = self.settings().await?;
                let text = settings.settings.date_format.ok_or_else(|| {
                    crate::error::Error::config(
                        "the account settings name no date format; set a date format override",
                    )
                })?;
                DateFormat::from_account(&text)
            })
            .await?;
        Ok(format.clone())
    }
}
