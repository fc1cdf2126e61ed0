//! Account settings and the signed-in user.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::groups::Group;
use super::lenient;

/// The answer of `GET /v3/settings`. Only the keys the client uses are typed; the rest
/// stays in `extra`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Settings {
    /// The account's settings.
    #[serde(default)]
    pub settings: AccountSettings,
    /// The signed-in user.
    #[serde(default)]
    pub user_details: UserDetails,
    /// Record quota and use.
    #[serde(default)]
    pub records: RecordQuota,
    /// Every other key, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The `settings` part of the settings answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AccountSettings {
    /// The date format, such as `MM/DD/YYYY`; dates are written in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_format: Option<String>,
    /// The time format, such as `hh:mm A`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_format: Option<String>,
    /// Token lifetime as reported; the unit is not documented, so it is not interpreted.
    #[serde(
        default,
        deserialize_with = "lenient::opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub token_expires_in: Option<i64>,
    /// Rows per page in the web app.
    #[serde(
        default,
        deserialize_with = "lenient::opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub list_items_per_page: Option<i64>,
    /// The groups, as the settings embed them.
    #[serde(default, deserialize_with = "lenient::vec_or_null")]
    pub groups: Vec<Group>,
    /// Every other key, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The signed-in user.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UserDetails {
    /// The user's id.
    #[serde(
        default,
        deserialize_with = "lenient::opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<i64>,
    /// The login e-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// First name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// The account the user belongs to.
    #[serde(
        default,
        deserialize_with = "lenient::opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub account_id: Option<i64>,
    /// Whether the user is an administrator; API access needs one.
    #[serde(
        default,
        deserialize_with = "lenient::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_admin: Option<bool>,
    /// Whether the user is active.
    #[serde(
        default,
        deserialize_with = "lenient::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_active: Option<bool>,
    /// The user's time zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// Every other key, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl UserDetails {
    /// `First Last <email>`, or whatever part of it is known.
    pub fn label(&self) -> String {
        let name: Vec<&str> = [&self.first_name, &self.last_name]
            .into_iter()
            .flatten()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        match (name.is_empty(), &self.email) {
            (false, Some(email)) => format!("{} <{email}>", name.join(" ")),
            (false, None) => name.join(" "),
            (true, Some(email)) => email.clone(),
            (true, None) => self
                .id
                .map_or_else(|| "an unnamed user".to_owned(), |id| format!("user {id}")),
        }
    }
}

/// Record quota and use.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RecordQuota {
    /// Share of the quota in use, as the server's text (it sends a string).
    #[serde(
        default,
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub used_records_percent: Option<String>,
    /// Records in use.
    #[serde(
        default,
        deserialize_with = "lenient::opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub used_records: Option<i64>,
    /// Records allowed.
    #[serde(
        default,
        deserialize_with = "lenient::opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_records: Option<i64>,
    /// Every other key, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl RecordQuota {
    /// Records that can still be created, when both numbers are known.
    pub fn remaining(&self) -> Option<i64> {
        Some(self.max_records? - self.used_records?)
    }
}

/// What [`Client::test_connection`](crate::Client::test_connection) found.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ConnectionInfo {
    /// The account's date format as it spells it, such as `MM/DD/YYYY`.
    pub date_format: Option<String>,
    /// The signed-in user.
    pub user: UserDetails,
    /// The account id.
    pub account_id: Option<i64>,
}

impl ConnectionInfo {
    /// A label for "connected as ...".
    pub fn user_label(&self) -> String {
        self.user.label()
    }
}
