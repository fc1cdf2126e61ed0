//! Lists the groups of an Asset Panda account and the fields of each, reading the
//! credentials from the environment: `AP_TOKEN` (a ready bearer token), or `AP_EMAIL` and
//! `AP_PASSWORD` (the v3 login). `AP_BASE_URL` overrides the API host. It exits 2 when the
//! setup is incomplete or the credentials are refused, and 4 when the server cannot be used.
//!
//! ```text
//! AP_EMAIL=sync-service@example.com AP_PASSWORD=… \
//!     cargo run -p cw-ap-examples --bin ap-list-groups
//! ```

use std::io::Write;
use std::process::ExitCode;

use assetpanda_api::{Client, Field};

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn build() -> Result<Client, String> {
    let mut builder = Client::builder();
    if let Some(url) = env("AP_BASE_URL") {
        let loopback = url.starts_with("http://127.0.0.1") || url.starts_with("http://localhost");
        builder = builder.base_url(url).allow_insecure_http(loopback);
    }

    builder = match (env("AP_TOKEN"), env("AP_EMAIL"), env("AP_PASSWORD")) {
        (Some(token), _, _) => builder.token(token),
        (None, Some(email), Some(password)) => builder.v3_login(email, password),
        _ => return Err("set AP_TOKEN, or AP_EMAIL and AP_PASSWORD".to_owned()),
    };
    builder.build().map_err(|e| e.to_string())
}

fn describe(field: &Field) -> String {
    let kind = field
        .field_type
        .as_ref()
        .map_or_else(|| "?".to_owned(), ToString::to_string);
    let required = if field.required() { ", required" } else { "" };

    format!(
        "    {:<12} {} ({kind}{required})",
        field.key.as_deref().unwrap_or("?"),
        field.name.as_deref().unwrap_or("")
    )
}

/// Why a listing stopped early.
enum Stop {
    /// The server could not be used, or refused the credentials.
    Api(assetpanda_api::Error),
    /// Standard output was closed (`| head`): what its reader wanted is printed.
    Closed,
}

impl From<assetpanda_api::Error> for Stop {
    fn from(error: assetpanda_api::Error) -> Self {
        Stop::Api(error)
    }
}

impl From<std::io::Error> for Stop {
    fn from(_: std::io::Error) -> Self {
        Stop::Closed
    }
}

async fn run(client: &Client, out: &mut impl Write) -> Result<(), Stop> {
    let info = client.test_connection().await?;
    writeln!(
        out,
        "Connected as {} (dates as {})",
        info.user_label(),
        info.date_format.as_deref().unwrap_or("unknown")
    )?;

    for group in client.groups().list().await? {
        let Some(id) = group.id else {
            continue;
        };
        writeln!(
            out,
            "\n{id}  {}  [{}]",
            group.name.as_deref().unwrap_or("(no name)"),
            group.key.as_deref().unwrap_or("")
        )?;

        for field in client.groups().fields(id).await? {
            writeln!(out, "{}", describe(&field))?;
        }
    }
    Ok(())
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

    // NB: the exit codes follow cw-ap-sync's: 2 for refused credentials, 4 for a server
    // that could not be used.
    match run(&client, &mut std::io::stdout().lock()).await {
        Ok(()) | Err(Stop::Closed) => ExitCode::SUCCESS,
        Err(Stop::Api(error)) => {
            eprintln!("error: {error}");
            if error.is_credentials_refused() {
                ExitCode::from(2)
            } else {
                ExitCode::from(4)
            }
        }
    }
}
