//! Building both clients from the configuration's connection sections and the credentials.

use std::time::Duration;

use secrecy::ExposeSecret;

use crate::config::{ApConnection, CwConnection};
use crate::credentials::{ApCredentials, CwCredentials};
use crate::error::CliError;

/// Refuses a credential with control characters (a stray newline from a copied key),
/// naming where it can come from and never its value.
fn check_credential(
    value: &str,
    what: &str,
    variable: &str,
    file_key: &str,
) -> Result<(), CliError> {
    if value.chars().any(char::is_control) {
        return Err(CliError::Usage(format!(
            "{what} contains control characters (a line break?); check the environment \
             variable {variable}, or `{file_key}` in the credentials file"
        )));
    }
    Ok(())
}

fn config_error(section: &str, message: String) -> CliError {
    CliError::Config {
        path: format!("[{section}]").into(),
        message,
    }
}

/// Refuses a plain `http://` URL in `key` of `[section]` unless the section allows it, naming
/// the setting that allows it (the clients name their builder call instead).
fn check_plain_http(section: &str, key: &str, url: &str, allowed: bool) -> Result<(), CliError> {
    let plain = url
        .trim()
        .get(..7)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("http://"));
    if plain && !allowed {
        return Err(config_error(
            section,
            format!(
                "`{key}` `{url}` uses plain http; use https, or for a fake server on this \
                 machine set `allow_insecure_http = true` in [{section}]"
            ),
        ));
    }
    Ok(())
}

/// The text of `[section] ca_file`, when set; the client checks that it holds certificates.
fn ca_file(section: &str, file: Option<&std::path::Path>) -> Result<Option<Vec<u8>>, CliError> {
    let Some(file) = file else {
        return Ok(None);
    };
    let pem = std::fs::read(file).map_err(|e| {
        config_error(
            section,
            format!("`ca_file` {}: cannot be read: {e}", file.display()),
        )
    })?;
    Ok(Some(pem))
}

/// A client's complaint about the certificates of `ca_file`, naming the file.
fn ca_file_error(section: &str, file: Option<&std::path::Path>, reason: &str) -> CliError {
    let file = file
        .map(|f| format!(" {}", f.display()))
        .unwrap_or_default();
    config_error(section, format!("`ca_file`{file}: {reason}"))
}

/// A ConnectWise client's configuration error, as the setting it names and what is wrong.
fn cw_config_error(error: connectwise_api::Error) -> CliError {
    let message = match error {
        connectwise_api::Error::Config { field, reason } => format!("`{field}`: {reason}"),
        other => other.to_string(),
    };
    config_error("connectwise", message)
}

/// A ConnectWise client for the `[connectwise]` section.
///
/// Without a configured codebase the client reads it from the server's company info before
/// its first call (and again once when a call answers 404).
pub fn connectwise(
    conn: &CwConnection,
    creds: &CwCredentials,
) -> Result<connectwise_api::Client, CliError> {
    check_plain_http("connectwise", "site", &conn.site, conn.allow_insecure_http)?;
    let site: connectwise_api::Site = conn.site.parse().map_err(cw_config_error)?;

    for (value, what, variable, key) in [
        (
            creds.company.as_str(),
            "the ConnectWise company id",
            "CW_COMPANY",
            "company",
        ),
        (
            creds.public_key.expose_secret(),
            "the ConnectWise public key",
            "CW_PUBLIC_KEY",
            "public_key",
        ),
        (
            creds.private_key.expose_secret(),
            "the ConnectWise private key",
            "CW_PRIVATE_KEY",
            "private_key",
        ),
        (
            creds.client_id.as_str(),
            "the ConnectWise client id",
            "CW_CLIENT_ID",
            "client_id",
        ),
    ] {
        check_credential(value, what, variable, &format!("connectwise.{key}"))?;
    }
    let mut builder = connectwise_api::Client::builder()
        .company(creds.company.clone())
        .public_key(creds.public_key.expose_secret().to_owned())
        .private_key(creds.private_key.expose_secret().to_owned())
        .client_id(creds.client_id.clone())
        .site(site)
        .allow_insecure_http(conn.allow_insecure_http)
        .user_agent(format!("cw-ap-sync/{}", env!("CARGO_PKG_VERSION")));

    if let Some(pem) = ca_file("connectwise", conn.ca_file.as_deref())? {
        builder = builder.root_certificates_pem(pem);
    }
    builder = match &conn.codebase {
        Some(codebase) => builder.codebase(codebase.clone()),
        None => builder.codebase_discovery(true),
    };
    if let Some(version) = &conn.api_version {
        builder = builder.api_version(version.clone());
    }
    if let Some(size) = conn.page_size {
        builder = builder.page_size(size);
    }
    if let Some(secs) = conn.timeout_secs {
        builder = builder.timeout(Duration::from_secs(secs));
    }
    if conn.retries.is_some() || conn.backoff_base_ms.is_some() || conn.backoff_cap_ms.is_some() {
        let mut policy = connectwise_api::RetryPolicy::default();
        if let Some(n) = conn.retries {
            policy.max_retries = n;
        }
        if let Some(ms) = conn.backoff_base_ms {
            policy.backoff_base = Duration::from_millis(ms);
        }
        if let Some(ms) = conn.backoff_cap_ms {
            policy.backoff_cap = Duration::from_millis(ms);
        }
        builder = builder.retry_policy(policy);
    }
    builder = match conn.requests_per_minute {
        Some(0) => builder.throttle(None),
        Some(per_minute) => builder.throttle(Some(connectwise_api::Throttle {
            per_minute,
            ..connectwise_api::Throttle::default()
        })),
        None => builder,
    };

    builder.build().map_err(|e| match e {
        connectwise_api::Error::Config { field, reason } if field == "root_certificates" => {
            ca_file_error("connectwise", conn.ca_file.as_deref(), &reason)
        }
        other => cw_config_error(other),
    })
}

/// An Asset Panda client for the `[assetpanda]` section.
pub fn assetpanda(
    conn: &ApConnection,
    creds: &ApCredentials,
) -> Result<assetpanda_api::Client, CliError> {
    let mut builder = assetpanda_api::Client::builder()
        .allow_insecure_http(conn.allow_insecure_http)
        .user_agent(format!("cw-ap-sync/{}", env!("CARGO_PKG_VERSION")));

    builder = match creds {
        ApCredentials::Token(token) => builder.token(token.expose_secret().to_owned()),
        ApCredentials::Password { email, password } => {
            builder.v3_login(email.clone(), password.expose_secret().to_owned())
        }
        ApCredentials::ClientPassword {
            client_id,
            client_secret,
            email,
            password,
        } => builder.v2_login(
            client_id.clone(),
            client_secret.expose_secret().to_owned(),
            email.clone(),
            password.expose_secret().to_owned(),
        ),
    };
    if let Some(url) = &conn.base_url {
        check_plain_http("assetpanda", "base_url", url, conn.allow_insecure_http)?;
        builder = builder.base_url(url.clone());
    }
    if let Some(size) = conn.page_size {
        builder = builder.page_size(size);
    }
    if let Some(secs) = conn.timeout_secs {
        builder = builder.timeout(Duration::from_secs(secs));
    }
    if let Some(pem) = ca_file("assetpanda", conn.ca_file.as_deref())? {
        builder = builder.root_certificates_pem(pem);
    }
    if conn.window_secs == Some(0) {
        return Err(config_error(
            "assetpanda",
            "`window_secs` must be at least 1 (to turn the limit off, set `max_calls = 0`)"
                .to_owned(),
        ));
    }
    if conn.max_calls.is_some() || conn.window_secs.is_some() {
        let settings = assetpanda_api::ThrottleConfig::new(
            conn.max_calls.unwrap_or(360),
            Duration::from_secs(conn.window_secs.unwrap_or(180)),
        );
        let throttle = if settings.max_calls == 0 {
            None
        } else {
            Some(
                assetpanda_api::Throttle::new(settings)
                    .map_err(|e| config_error("assetpanda", e.to_string()))?,
            )
        };
        builder = builder.throttle(throttle);
    }
    if conn.retries.is_some() || conn.backoff_base_ms.is_some() || conn.backoff_cap_ms.is_some() {
        let mut policy = assetpanda_api::RetryPolicy::default();
        if let Some(n) = conn.retries {
            policy.max_retries = n;
        }
        if let Some(ms) = conn.backoff_base_ms {
            policy.backoff_base = Duration::from_millis(ms);
        }
        if let Some(ms) = conn.backoff_cap_ms {
            policy.backoff_cap = Duration::from_millis(ms);
        }
        builder = builder.retry_policy(policy);
    }
    if let Some(format) = &conn.date_format {
        let parsed = assetpanda_api::DateFormat::from_account(format)
            .map_err(|e| config_error("assetpanda", format!("date_format `{format}`: {e}")))?;
        builder = builder.date_format_override(parsed.pattern().to_owned());
    }

    // NB: the client's configuration errors are plain messages; its certificate ones start
    // with "root certificates: ".
    builder.build().map_err(|e| match e {
        assetpanda_api::Error::Config { message } => {
            match message.strip_prefix("root certificates: ") {
                Some(reason) => ca_file_error("assetpanda", conn.ca_file.as_deref(), reason),
                None => config_error("assetpanda", message),
            }
        }
        other => config_error("assetpanda", other.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use secrecy::SecretString;

    use super::*;

    fn creds(private_key: &str) -> CwCredentials {
        CwCredentials {
            company: "examplemsp".into(),
            public_key: SecretString::from("PUBKEY"),
            private_key: SecretString::from(private_key.to_owned()),
            client_id: "11111111-2222-4333-8444-555555555555".into(),
        }
    }

    fn conn() -> CwConnection {
        crate::config::parse(
            std::path::Path::new("x.toml"),
            "[connectwise]\nsite = \"na\"\n",
        )
        .unwrap()
        .connectwise
    }

    #[test]
    fn a_bad_credential_names_its_variable_and_never_its_value() {
        let err = connectwise(&conn(), &creds("SECRET\nTAIL"))
            .unwrap_err()
            .to_string();

        assert!(err.contains("CW_PRIVATE_KEY"), "{err}");
        assert!(err.contains("connectwise.private_key"), "{err}");
        assert!(
            !err.contains("SECRET") && !err.contains("configuration"),
            "{err}"
        );
    }

    #[test]
    fn plain_http_names_the_setting_that_allows_it_on_both_sides() {
        let mut cw = conn();
        cw.site = "http://127.0.0.1:8080".into();
        let ap = ApConnection {
            base_url: Some("HTTP://localhost:8081".into()),
            ..ApConnection::default()
        };
        let token = ApCredentials::Token(SecretString::from("TOKEN"));

        let cw_err = connectwise(&cw, &creds("KEY")).unwrap_err().to_string();
        let ap_err = assetpanda(&ap, &token).unwrap_err().to_string();

        for (err, section, key) in [
            (cw_err, "[connectwise]", "`site`"),
            (ap_err, "[assetpanda]", "`base_url`"),
        ] {
            assert!(err.contains(key), "{err}");
            assert!(
                err.contains(&format!("`allow_insecure_http = true` in {section}")),
                "{err}"
            );
            assert!(!err.contains("allow_insecure_http(true)"), "{err}");
        }
        cw.allow_insecure_http = true;
        assert!(connectwise(&cw, &creds("KEY")).is_ok());
    }

    #[test]
    fn a_ca_file_is_read_beside_the_configuration_and_a_bad_one_named() {
        let dir = tempfile::tempdir().unwrap();
        let pem = include_str!("../tests/fixtures/test-ca.pem");
        std::fs::write(dir.path().join("corp-ca.pem"), pem).unwrap();
        std::fs::write(dir.path().join("empty.pem"), "").unwrap();
        let config = dir.path().join("sync.toml");
        let with = |section: &str, file: &str| {
            let line = format!("ca_file = \"{file}\"\n");
            let text = match section {
                "connectwise" => format!("[connectwise]\nsite = \"na\"\n{line}"),
                _ => format!("[connectwise]\nsite = \"na\"\n[assetpanda]\n{line}"),
            };
            std::fs::write(&config, text).unwrap();
            crate::config::load(&config).unwrap().config
        };
        let token = ApCredentials::Token(SecretString::from("TOKEN"));

        let good = with("assetpanda", "corp-ca.pem");
        assert!(assetpanda(&good.assetpanda, &token).is_ok());
        let good = with("connectwise", "corp-ca.pem").connectwise;
        assert!(connectwise(&good, &creds("KEY")).is_ok());

        let missing = with("assetpanda", "nowhere.pem");
        let err = assetpanda(&missing.assetpanda, &token)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`ca_file`") && err.contains("nowhere.pem"),
            "{err}"
        );
        let empty = with("connectwise", "empty.pem").connectwise;
        let err = connectwise(&empty, &creds("KEY")).unwrap_err().to_string();
        assert!(
            err.contains("`ca_file`") && err.contains("no certificate"),
            "{err}"
        );
        assert!(err.contains("empty.pem"), "{err}");
        std::fs::write(
            dir.path().join("damaged.pem"),
            pem.replacen("MII", "M!!", 1),
        )
        .unwrap();
        let damaged = with("connectwise", "damaged.pem").connectwise;
        let err = connectwise(&damaged, &creds("KEY"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("damaged.pem") && err.contains("is damaged"),
            "{err}"
        );
        let empty = with("assetpanda", "empty.pem");
        let err = assetpanda(&empty.assetpanda, &token)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`ca_file`") && err.contains("no certificate"),
            "{err}"
        );
    }

    #[test]
    fn a_bad_site_is_named_once() {
        let mut cw = conn();
        cw.site = "xx".into();

        let err = connectwise(&cw, &creds("KEY")).unwrap_err().to_string();

        assert_eq!(err.matches("site").count(), 1, "{err}");
        assert!(err.contains("`xx` is neither a region"), "{err}");
    }

    #[test]
    fn a_zero_window_names_the_setting() {
        let conn = ApConnection {
            window_secs: Some(0),
            ..ApConnection::default()
        };
        let creds = ApCredentials::Token(SecretString::from("TOKEN"));

        let err = assetpanda(&conn, &creds).unwrap_err().to_string();

        assert!(err.contains("`window_secs` must be at least 1"), "{err}");
        assert!(!err.contains("burst"), "{err}");
    }
}
