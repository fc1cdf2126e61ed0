//! `cw-ap-sync test-connection`: checks both accounts with the configured credentials and
//! says what it reached, or precisely why not.

use connectwise_api::ApiErrorKind;

use crate::error::CliError;
use crate::exit::ExitStatus;
use crate::output::Output;
use crate::sync::Endpoints;

/// What was reached on the ConnectWise side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CwReached {
    /// The company name the server reports.
    pub company: String,
    /// The codebase in use.
    pub codebase: String,
    /// The server's API version, and the one the client pins.
    pub server_version: Option<String>,
    /// The version pinned in the `Accept` header.
    pub pinned_version: String,
}

/// What was reached on the Asset Panda side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApReached {
    /// Who the credentials sign in as.
    pub user: String,
    /// The account's date format.
    pub date_format: Option<String>,
}

/// Reads the company info (unauthenticated) and makes one small authenticated call.
pub async fn check_connectwise(client: &connectwise_api::Client) -> Result<CwReached, CliError> {
    let fail = |e: connectwise_api::Error| {
        let refused = e
            .api()
            .is_some_and(|a| matches!(a.kind(), ApiErrorKind::Unauthorized));
        let unknown = matches!(e, connectwise_api::Error::UnknownCompany { .. });
        CliError::Connection {
            side: "ConnectWise",
            message: e.to_string(),
            credentials_refused: refused || unknown,
        }
    };

    let info = client.discover().await.map_err(fail)?;
    client
        .list_json("/company/companies")
        .fields(["id"])
        .page_size(1)
        .send()
        .await
        .map_err(fail)?;

    Ok(CwReached {
        company: info
            .company_name
            .clone()
            .unwrap_or_else(|| client.company().to_owned()),
        codebase: info
            .codebase
            .clone()
            .unwrap_or_else(|| client.base_url().path().to_owned()),
        server_version: info.api_version(),
        pinned_version: client.api_version(),
    })
}

/// Signs in and reads the account settings.
pub async fn check_assetpanda(client: &assetpanda_api::Client) -> Result<ApReached, CliError> {
    let info = client
        .test_connection()
        .await
        .map_err(|e| CliError::Connection {
            side: "Asset Panda",
            message: e.to_string(),
            credentials_refused: e.is_credentials_refused(),
        })?;

    Ok(ApReached {
        user: info.user_label(),
        date_format: info.date_format.clone(),
    })
}

/// Checks both sides and prints what each reached; both are checked even when the first
/// fails, and the worse outcome decides the exit status.
pub async fn run(endpoints: &Endpoints, output: &Output) -> Result<ExitStatus, CliError> {
    let cw = check_connectwise(endpoints.source.client()).await;
    let ap = check_assetpanda(endpoints.sink.client()).await;
    let mut status = ExitStatus::Success;

    match &cw {
        Ok(r) => output.line(&format!(
            "ConnectWise: OK — company \"{}\", codebase {}, server API version {}, pinned {}",
            r.company,
            r.codebase,
            r.server_version.as_deref().unwrap_or("unknown"),
            r.pinned_version
        )),
        Err(e) => {
            output.line(&format!("ConnectWise: FAILED — {e}"));
            status = status.combine(e.exit_status());
        }
    }
    match &ap {
        Ok(r) => output.line(&format!(
            "Asset Panda: OK — signed in as {}, date format {}",
            r.user,
            r.date_format.as_deref().unwrap_or("(not set)")
        )),
        Err(e) => {
            output.line(&format!("Asset Panda: FAILED — {e}"));
            status = status.combine(e.exit_status());
        }
    }
    Ok(status)
}
