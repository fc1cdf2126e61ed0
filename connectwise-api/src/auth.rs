//! API-member credentials and the headers built from them.

use std::fmt;

use base64::Engine as _;
use http::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

use crate::error::{Error, Result};

/// The credentials of an API member (or an integrator login) plus the integration's clientId.
///
/// `Debug` shows the company id only.
#[derive(Clone)]
pub struct Credentials {
    company: String,
    public_key: SecretString,
    private_key: SecretString,
    client_id: SecretString,
}

impl Credentials {
    /// Bundles the four values. Each must be non-empty and free of control characters.
    pub fn new(
        company: impl Into<String>,
        public_key: impl Into<String>,
        private_key: impl Into<String>,
        client_id: impl Into<String>,
    ) -> Result<Self> {
        let company = company.into();
        check("company", &company)?;
        let public_key = SecretString::from(public_key.into());
        check("publicKey", public_key.expose_secret())?;
        let private_key = SecretString::from(private_key.into());
        check("privateKey", private_key.expose_secret())?;
        let client_id = SecretString::from(client_id.into());
        check("clientId", client_id.expose_secret())?;
        Ok(Self {
            company,
            public_key,
            private_key,
            client_id,
        })
    }

    /// The company id (the login company name).
    pub fn company(&self) -> &str {
        &self.company
    }

    /// `Basic base64("{company}+{public}:{private}")`, marked sensitive.
    pub(crate) fn authorization(&self) -> Result<HeaderValue> {
        let plain = format!(
            "{}+{}:{}",
            self.company,
            self.public_key.expose_secret(),
            self.private_key.expose_secret()
        );
        let encoded = base64::engine::general_purpose::STANDARD.encode(plain);
        sensitive(&format!("Basic {encoded}"), "privateKey")
    }

    /// The `clientId` header value, marked sensitive.
    pub(crate) fn client_id(&self) -> Result<HeaderValue> {
        sensitive(self.client_id.expose_secret(), "clientId")
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("company", &self.company)
            .field("public_key", &"<redacted>")
            .field("private_key", &"<redacted>")
            .field("client_id", &"<redacted>")
            .finish()
    }
}

fn check(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::Config {
            field: field.to_owned(),
            reason: "is required".to_owned(),
        });
    }
    if value.chars().any(char::is_control) {
        return Err(Error::Config {
            field: field.to_owned(),
            reason: "contains control characters".to_owned(),
        });
    }
    Ok(())
}

fn sensitive(value: &str, field: &str) -> Result<HeaderValue> {
    let mut header = HeaderValue::from_str(value).map_err(|_| Error::Config {
        field: field.to_owned(),
        reason: "cannot be sent in an HTTP header (non-ASCII characters?)".to_owned(),
    })?;
    header.set_sensitive(true);
    Ok(header)
}
