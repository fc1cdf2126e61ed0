//! Lists the companies of a ConnectWise Manage account, reading the connection from
//! the environment: `CW_SITE` (a region such as `na`, a host name or a URL), `CW_COMPANY`,
//! `CW_PUBLIC_KEY`, `CW_PRIVATE_KEY` and `CW_CLIENT_ID`. Plain `http://` is accepted for a
//! loopback address only, such as the `fake-servers` program's.
//!
//! ```text
//! CW_SITE=na CW_COMPANY=examplemsp CW_PUBLIC_KEY=… CW_PRIVATE_KEY=… CW_CLIENT_ID=… \
//!     cargo run -p cw-ap-examples --bin cw-list-companies
//! ```

use std::io::Write;
use std::process::ExitCode;

use connectwise_api::conditions::Condition;
use connectwise_api::{Client, Site};
use futures::StreamExt;

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("the environment variable {name} is not set"))
}

fn build() -> Result<Client, String> {
    let text = env("CW_SITE")?;
    // NB: plain http is allowed for a server on this machine only (the fake servers).
    let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
        .iter()
        .any(|prefix| text.starts_with(prefix));
    let site: Site = text.parse().map_err(|e| format!("CW_SITE: {e}"))?;
    Client::builder()
        .company(env("CW_COMPANY")?)
        .public_key(env("CW_PUBLIC_KEY")?)
        .private_key(env("CW_PRIVATE_KEY")?)
        .client_id(env("CW_CLIENT_ID")?)
        .site(site)
        .allow_insecure_http(loopback)
        .build()
        .map_err(|e| e.to_string())
}

/// The exit status of a failed call, as cw-ap-sync's: 2 when the credentials were refused
/// or the company is unknown (fix the settings), 4 when the server could not be used.
fn exit_for(error: &connectwise_api::Error) -> ExitCode {
    let refused = matches!(error, connectwise_api::Error::UnknownCompany { .. })
        || error
            .api()
            .is_some_and(|a| a.kind() == connectwise_api::ApiErrorKind::Unauthorized);
    ExitCode::from(if refused { 2 } else { 4 })
}

#[tokio::main]
async fn main() -> ExitCode {
    let client = match build() {
        Ok(client) => client,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = client.discover().await {
        eprintln!("error: company lookup failed: {e}");
        return exit_for(&e);
    }

    let mut companies = client
        .companies()
        .list()
        .conditions(Condition::eq("deletedFlag", false))
        .fields(["id", "identifier", "name"])
        .order_by("name asc")
        .stream();
    let (mut shown, mut failed) = (0u64, 0u64);
    let mut out = std::io::stdout().lock();
    while let Some(item) = companies.next().await {
        match item {
            Ok(company) => {
                shown += 1;
                let id = company
                    .id
                    .map_or_else(|| "?".to_owned(), |id| id.to_string());
                let identifier = company.identifier.unwrap_or_default();
                let name = company.name.unwrap_or_default();
                if writeln!(out, "{id:>8}  {identifier:<30}  {name}").is_err() {
                    // NB: the reader has gone (`| head`): what it wanted is printed.
                    return ExitCode::SUCCESS;
                }
            }
            Err(e @ connectwise_api::Error::Decode { .. }) => {
                failed += 1;
                eprintln!("warning: skipped a record: {e}");
            }
            Err(e) => {
                eprintln!("error: {e}");
                return exit_for(&e);
            }
        }
    }

    eprintln!("{shown} companies listed, {failed} skipped");
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
