//! Codebase and version discovery through `login/companyinfo/{company}`.

use std::sync::atomic::Ordering;

use http::Method;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::client::{normalise_codebase, Client};
use crate::error::{Error, Result};
use crate::request::{decode, Call, Target};
use crate::retry::RequestClass;

/// The company-info document. Its keys are PascalCase, unlike the rest of the API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct CompanyInfo {
    /// Company name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    /// Codebase, e.g. `v2025_1/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codebase: Option<String>,
    /// Version code, e.g. `v2025.1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_code: Option<String>,
    /// Build number, e.g. `v4.6.38842`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_number: Option<String>,
    /// Company id as the server spells it.
    #[serde(rename = "CompanyID", default, skip_serializing_if = "Option::is_none")]
    pub company_id: Option<String>,
    /// Whether the tenant is hosted; sent as a bool or as the text `"True"`.
    #[serde(
        default,
        deserialize_with = "flexible_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_cloud: Option<bool>,
    /// The site URL or host; its format varies, so it is kept as text and never used
    /// unless the caller chooses to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_url: Option<String>,
}

impl CompanyInfo {
    /// The API version of the server (`VersionCode` without its `v`), e.g. `2025.1`.
    pub fn api_version(&self) -> Option<String> {
        let code = self.version_code.as_deref()?.trim();
        let version = code.strip_prefix(['v', 'V']).unwrap_or(code);
        parse_version(version).map(|_| version.to_owned())
    }
}

impl Client {
    /// Reads `login/companyinfo/{company}` (sent without credentials), adopts its
    /// codebase and lowers the pinned API version when the server is older than the pin.
    ///
    /// After a successful discovery a 404 makes the client read the document once more
    /// and repeat the call if the codebase moved.
    ///
    /// ```no_run
    /// # async fn run(client: connectwise_api::Client) -> connectwise_api::Result<()> {
    /// let info = client.discover().await?;
    /// println!("codebase {:?}", info.codebase);
    /// # Ok(()) }
    /// ```
    pub async fn discover(&self) -> Result<CompanyInfo> {
        let info = self.fetch_company_info().await?;
        self.adopt(&info)?;
        self.inner.discovered.store(true, Ordering::Release);
        Ok(info)
    }

    /// Discovers once, even when several calls start together.
    pub(crate) async fn discover_once(&self) -> Result<()> {
        let _guard = self.inner.discovery_lock.lock().await;
        if !self.inner.discovered.load(Ordering::Acquire) {
            self.discover().await?;
        }
        Ok(())
    }

    /// Reads the company info again; true when the codebase changed.
    pub(crate) async fn refresh_codebase(&self) -> Result<bool> {
        let before = self.server().codebase;
        let info = self.fetch_company_info().await?;
        self.adopt(&info)?;
        Ok(self.server().codebase != before)
    }

    async fn fetch_company_info(&self) -> Result<CompanyInfo> {
        let company = self.company().to_owned();
        let encoded = crate::conditions::encode_component(&company);
        let path = format!("login/companyinfo/{encoded}");
        let mut call = Call::api(Method::GET, &path, RequestClass::Read);
        call.target = Target::Unauthenticated;

        let received = self.execute_once(&call).await?;
        let value: Value = decode(&Method::GET, &path, &received.body)?;
        if value.is_null() {
            return Err(Error::UnknownCompany { company });
        }
        decode(&Method::GET, &path, &received.body)
    }

    fn adopt(&self, info: &CompanyInfo) -> Result<()> {
        let codebase = info
            .codebase
            .as_deref()
            .map(normalise_codebase)
            .transpose()?;
        let version = match info.api_version() {
            Some(server) if older(&server, &self.inner.configured_version) => server,
            _ => self.inner.configured_version.clone(),
        };
        let mut state = match self.inner.server.write() {
            Ok(state) => state,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(codebase) = codebase {
            state.codebase = codebase;
        }
        state.api_version = version;
        Ok(())
    }
}

/// Whether version `a` is older than `b` (both like `2025.8`).
fn older(a: &str, b: &str) -> bool {
    match (parse_version(a), parse_version(b)) {
        (Some(a), Some(b)) => a < b,
        _ => false,
    }
}

fn parse_version(text: &str) -> Option<Vec<u32>> {
    let parts: Option<Vec<u32>> = text.split('.').map(|p| p.parse().ok()).collect();
    parts.filter(|p| !p.is_empty())
}

fn flexible_bool<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<bool>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Bool(b) => Some(b),
        Value::String(s) if s.trim().eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.trim().eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    })
}
