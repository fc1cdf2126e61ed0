//! Credentials for both accounts, read from the environment or from a credentials file that
//! the configuration names, never from the command line, and held in `secrecy` types.
//!
//! The environment wins over the file, variable by variable, so a file can hold the stable
//! parts (company, client id) while a secret store injects the keys.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// A snapshot of the process environment (or a test's stand-in for it).
pub type Env = BTreeMap<String, String>;

/// Reads the process environment into an [`Env`], skipping variables that are not UTF-8.
pub fn process_env() -> Env {
    std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect()
}

/// What went wrong while gathering credentials. Messages name variables and files, never
/// a value.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// The credentials file could not be read.
    #[error("cannot read the credentials file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The credentials file is not valid TOML of the expected shape.
    #[error("the credentials file {path} is not valid: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The parser's message (it quotes positions and keys, not values).
        message: String,
    },
    /// A needed value is in neither the environment nor the file.
    #[error("{what} is missing or blank: set {variable} or `{file_key}` in the credentials file")]
    Missing {
        /// What the value is, in words.
        what: &'static str,
        /// The environment variable that can hold it.
        variable: &'static str,
        /// The key in the credentials file that can hold it.
        file_key: &'static str,
    },
}

/// ConnectWise Manage API-member credentials.
#[derive(Clone)]
pub struct CwCredentials {
    /// The company id used at login (not secret).
    pub company: String,
    /// The API member's public key.
    pub public_key: SecretString,
    /// The API member's private key.
    pub private_key: SecretString,
    /// The integration's client id (a GUID, not secret).
    pub client_id: String,
}

impl fmt::Debug for CwCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CwCredentials")
            .field("company", &self.company)
            .field("public_key", &"[redacted]")
            .field("private_key", &"[redacted]")
            .field("client_id", &self.client_id)
            .finish()
    }
}

/// Asset Panda credentials, in one of the three login modes.
#[derive(Clone)]
pub enum ApCredentials {
    /// A ready-made bearer token.
    Token(SecretString),
    /// The v3 login with a web-login email and password.
    Password {
        /// The user's email (not secret).
        email: String,
        /// The password.
        password: SecretString,
    },
    /// The v2 password grant, which also needs an API client id and secret.
    ClientPassword {
        /// The API client id (not secret).
        client_id: String,
        /// The API client secret.
        client_secret: SecretString,
        /// The user's email (not secret).
        email: String,
        /// The password.
        password: SecretString,
    },
}

impl fmt::Debug for ApCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApCredentials::Token(_) => f.write_str("ApCredentials::Token([redacted])"),
            ApCredentials::Password { email, .. } => f
                .debug_struct("ApCredentials::Password")
                .field("email", email)
                .finish_non_exhaustive(),
            ApCredentials::ClientPassword {
                client_id, email, ..
            } => f
                .debug_struct("ApCredentials::ClientPassword")
                .field("client_id", client_id)
                .field("email", email)
                .finish_non_exhaustive(),
        }
    }
}

/// The shape of a credentials file (TOML). Every key is optional; the environment fills in
/// or overrides each one.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CredentialsFile {
    #[serde(default)]
    connectwise: CwSection,
    #[serde(default)]
    assetpanda: ApSection,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CwSection {
    company: Option<String>,
    public_key: Option<SecretString>,
    private_key: Option<SecretString>,
    client_id: Option<String>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ApSection {
    token: Option<SecretString>,
    email: Option<String>,
    password: Option<SecretString>,
    client_id: Option<String>,
    client_secret: Option<SecretString>,
}

/// Credentials gathered from the environment and an optional file, resolved per account on
/// demand, so that a command needing only one side does not ask for the other.
pub struct CredentialSource {
    env: Env,
    file: CredentialsFile,
}

impl fmt::Debug for CredentialSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialSource").finish_non_exhaustive()
    }
}

impl CredentialSource {
    /// Reads the optional credentials file and keeps the environment snapshot.
    pub fn load(env: Env, file: Option<&Path>) -> Result<Self, CredentialsError> {
        let file = match file {
            None => CredentialsFile::default(),
            Some(path) => read_file(path)?,
        };

        Ok(CredentialSource { env, file })
    }

    fn var(&self, name: &str) -> Option<String> {
        self.env
            .get(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    fn secret(&self, name: &str) -> Option<SecretString> {
        self.var(name).map(SecretString::from)
    }

    /// The ConnectWise credentials: `CW_COMPANY`, `CW_PUBLIC_KEY`, `CW_PRIVATE_KEY` and
    /// `CW_CLIENT_ID`, or the `[connectwise]` section of the file.
    pub fn connectwise(&self) -> Result<CwCredentials, CredentialsError> {
        let s = &self.file.connectwise;
        let missing = |what, variable, file_key| CredentialsError::Missing {
            what,
            variable,
            file_key,
        };

        Ok(CwCredentials {
            company: self
                .var("CW_COMPANY")
                .or_else(|| s.company.clone())
                .ok_or_else(|| {
                    missing(
                        "the ConnectWise company id",
                        "CW_COMPANY",
                        "connectwise.company",
                    )
                })?,
            public_key: self
                .secret("CW_PUBLIC_KEY")
                .or_else(|| s.public_key.clone())
                .ok_or_else(|| {
                    missing(
                        "the ConnectWise public key",
                        "CW_PUBLIC_KEY",
                        "connectwise.public_key",
                    )
                })?,
            private_key: self
                .secret("CW_PRIVATE_KEY")
                .or_else(|| s.private_key.clone())
                .ok_or_else(|| {
                    missing(
                        "the ConnectWise private key",
                        "CW_PRIVATE_KEY",
                        "connectwise.private_key",
                    )
                })?,
            client_id: self
                .var("CW_CLIENT_ID")
                .or_else(|| s.client_id.clone())
                .ok_or_else(|| {
                    missing(
                        "the ConnectWise client id",
                        "CW_CLIENT_ID",
                        "connectwise.client_id",
                    )
                })?,
        })
    }

    /// The Asset Panda credentials: `AP_TOKEN`, or `AP_EMAIL` and `AP_PASSWORD` (with
    /// `AP_CLIENT_ID` and `AP_CLIENT_SECRET` for the older password grant), or the
    /// `[assetpanda]` section of the file. A token wins over a password.
    pub fn assetpanda(&self) -> Result<ApCredentials, CredentialsError> {
        let s = &self.file.assetpanda;

        if let Some(token) = self.secret("AP_TOKEN").or_else(|| s.token.clone()) {
            if self.var("AP_PASSWORD").is_some() || s.password.is_some() {
                tracing::warn!(
                    "both an Asset Panda token and a password are set; the token is used \
                     (AP_TOKEN or `assetpanda.token` wins over AP_PASSWORD and \
                     `assetpanda.password`)"
                );
            }
            return Ok(ApCredentials::Token(token));
        }

        let email = self.var("AP_EMAIL").or_else(|| s.email.clone());
        let password = self.secret("AP_PASSWORD").or_else(|| s.password.clone());
        let (email, password) = match (email, password) {
            (Some(e), Some(p)) => (e, p),
            (Some(_), None) => {
                return Err(CredentialsError::Missing {
                    what: "the Asset Panda password",
                    variable: "AP_PASSWORD",
                    file_key: "assetpanda.password",
                })
            }
            _ => {
                return Err(CredentialsError::Missing {
                    what: "Asset Panda credentials (a token, or an email and password)",
                    variable: "AP_TOKEN",
                    file_key: "assetpanda.token",
                })
            }
        };

        let client_id = self.var("AP_CLIENT_ID").or_else(|| s.client_id.clone());
        let client_secret = self
            .secret("AP_CLIENT_SECRET")
            .or_else(|| s.client_secret.clone());

        Ok(match (client_id, client_secret) {
            (Some(client_id), Some(client_secret)) => ApCredentials::ClientPassword {
                client_id,
                client_secret,
                email,
                password,
            },
            _ => ApCredentials::Password { email, password },
        })
    }

    /// Every secret value known to this source, so that output can be checked for leaks.
    pub fn secret_values(&self) -> Vec<String> {
        let mut out: Vec<String> = [
            "CW_PUBLIC_KEY",
            "CW_PRIVATE_KEY",
            "AP_TOKEN",
            "AP_PASSWORD",
            "AP_CLIENT_SECRET",
        ]
        .iter()
        .filter_map(|n| self.var(n))
        .collect();
        let f = &self.file;
        let file_secrets = [
            &f.connectwise.public_key,
            &f.connectwise.private_key,
            &f.assetpanda.token,
            &f.assetpanda.password,
            &f.assetpanda.client_secret,
        ];
        out.extend(
            file_secrets
                .into_iter()
                .flatten()
                .map(|s| s.expose_secret().to_owned()),
        );
        out
    }
}

fn read_file(path: &Path) -> Result<CredentialsFile, CredentialsError> {
    let text = std::fs::read_to_string(path).map_err(|source| CredentialsError::Read {
        path: path.to_owned(),
        source,
    })?;

    warn_if_readable_by_others(path);

    let file: CredentialsFile =
        cw_ap_mapping::from_toml_str(&text).map_err(|e| CredentialsError::Parse {
            path: path.to_owned(),
            message: without_values(e),
        })?;
    Ok(file.without_blanks())
}

/// A parse error as a position and the parser's message, never the source text. A value of
/// the wrong type is quoted by the parser (`integer 8675309`), and any value here may be a
/// secret, so that message is replaced by what is expected.
fn without_values(error: cw_ap_mapping::ConfigError) -> String {
    match error {
        cw_ap_mapping::ConfigError::Toml {
            line,
            column,
            message,
        } => {
            let quoting = ["invalid type", "invalid value", "invalid length"]
                .iter()
                .find_map(|quoting| message.find(quoting));
            match quoting {
                // NB: what comes before is the setting's path (`connectwise.private_key`: ).
                Some(at) => format!(
                    "TOML line {line}, column {column}: {}a value of the wrong type (each \
                     credential is a quoted string)",
                    &message[..at]
                ),
                None => format!("TOML line {line}, column {column}: {message}"),
            }
        }
        other => other.to_string(),
    }
}

impl CredentialsFile {
    /// The file with its blank values unset, as an empty environment variable is, so that a
    /// blank key is reported as missing under its own name.
    fn without_blanks(self) -> Self {
        fn text(value: Option<String>) -> Option<String> {
            value.filter(|v| !v.trim().is_empty())
        }
        fn secret(value: Option<SecretString>) -> Option<SecretString> {
            value.filter(|v| !v.expose_secret().trim().is_empty())
        }
        let (cw, ap) = (self.connectwise, self.assetpanda);
        CredentialsFile {
            connectwise: CwSection {
                company: text(cw.company),
                public_key: secret(cw.public_key),
                private_key: secret(cw.private_key),
                client_id: text(cw.client_id),
            },
            assetpanda: ApSection {
                token: secret(ap.token),
                email: text(ap.email),
                password: secret(ap.password),
                client_id: text(ap.client_id),
                client_secret: secret(ap.client_secret),
            },
        }
    }
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt;

    if let Ok(meta) = std::fs::metadata(path) {
        if meta.permissions().mode() & 0o077 != 0 {
            tracing::warn!(
                file = %path.display(),
                "the credentials file can be read by other users; `chmod 600` it"
            );
        }
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_path: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Env {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn connectwise_from_the_environment() {
        let src = CredentialSource::load(
            env(&[
                ("CW_COMPANY", "examplemsp"),
                ("CW_PUBLIC_KEY", "PUBKEY"),
                ("CW_PRIVATE_KEY", "PRIVKEY"),
                ("CW_CLIENT_ID", "11111111-2222-4333-8444-555555555555"),
            ]),
            None,
        )
        .unwrap();

        let cw = src.connectwise().unwrap();

        assert_eq!(cw.company, "examplemsp");
        assert_eq!(cw.private_key.expose_secret(), "PRIVKEY");
        assert!(!format!("{cw:?}").contains("PRIVKEY"));
        assert!(!format!("{cw:?}").contains("PUBKEY"));
    }

    #[test]
    fn a_missing_key_names_the_variable_and_never_a_value() {
        let src = CredentialSource::load(
            env(&[("CW_COMPANY", "examplemsp"), ("CW_PUBLIC_KEY", "PUBKEY")]),
            None,
        )
        .unwrap();

        let err = src.connectwise().unwrap_err().to_string();

        assert!(err.contains("CW_PRIVATE_KEY"), "{err}");
        assert!(!err.contains("PUBKEY"), "{err}");
    }

    #[test]
    fn the_environment_overrides_the_file_and_the_file_fills_gaps() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("creds.toml");
        std::fs::write(
            &path,
            "[connectwise]\ncompany = \"filemsp\"\npublic_key = \"FILEPUB\"\n\
             private_key = \"FILEPRIV\"\nclient_id = \"cid\"\n\
             [assetpanda]\nemail = \"ops@example.com\"\npassword = \"FILEPW\"\n",
        )
        .unwrap();
        let src =
            CredentialSource::load(env(&[("CW_PRIVATE_KEY", "ENVPRIV")]), Some(&path)).unwrap();

        let cw = src.connectwise().unwrap();
        let ap = src.assetpanda().unwrap();

        assert_eq!(cw.company, "filemsp");
        assert_eq!(cw.private_key.expose_secret(), "ENVPRIV");
        assert!(
            matches!(ap, ApCredentials::Password { ref email, .. } if email == "ops@example.com")
        );
        assert!(!format!("{ap:?}").contains("FILEPW"));
        let secrets = src.secret_values();
        assert!(secrets.contains(&"ENVPRIV".to_string()));
        assert!(secrets.contains(&"FILEPW".to_string()));
    }

    #[test]
    fn a_token_wins_and_a_client_pair_selects_the_older_grant() {
        let token = CredentialSource::load(
            env(&[
                ("AP_TOKEN", "tkn"),
                ("AP_EMAIL", "a@b.c"),
                ("AP_PASSWORD", "pw"),
            ]),
            None,
        )
        .unwrap();
        let grant = CredentialSource::load(
            env(&[
                ("AP_EMAIL", "a@b.c"),
                ("AP_PASSWORD", "pw"),
                ("AP_CLIENT_ID", "id"),
                ("AP_CLIENT_SECRET", "sec"),
            ]),
            None,
        )
        .unwrap();

        assert!(matches!(
            token.assetpanda().unwrap(),
            ApCredentials::Token(_)
        ));
        assert!(matches!(
            grant.assetpanda().unwrap(),
            ApCredentials::ClientPassword { .. }
        ));
    }

    #[test]
    fn a_bad_file_is_reported_without_its_contents() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("creds.toml");
        std::fs::write(
            &path,
            "[connectwise]\nprivate_key = \"SECRETVALUE\"\nbogus = 1\n",
        )
        .unwrap();

        let err = CredentialSource::load(Env::new(), Some(&path))
            .unwrap_err()
            .to_string();

        assert!(err.contains("creds.toml"), "{err}");
        assert!(err.contains("bogus"), "{err}");
        assert!(err.contains("line 3"), "{err}");
        assert!(!err.contains("SECRETVALUE"), "{err}");
    }

    #[test]
    fn a_file_that_is_not_toml_is_reported_with_its_position_and_without_its_contents() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("creds.json");
        std::fs::write(&path, "{\n  \"private_key\": \"SECRETVALUE\"\n}\n").unwrap();

        let err = CredentialSource::load(Env::new(), Some(&path))
            .unwrap_err()
            .to_string();

        assert!(err.contains("creds.json"), "{err}");
        assert!(err.contains("line 1, column 1"), "{err}");
        assert!(!err.contains("SECRETVALUE"), "{err}");
    }

    #[test]
    fn a_secret_of_the_wrong_type_is_not_quoted_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("creds.toml");
        std::fs::write(&path, "[connectwise]\nprivate_key = 8675309\n").unwrap();

        let err = CredentialSource::load(Env::new(), Some(&path))
            .unwrap_err()
            .to_string();

        assert!(err.contains("line 2"), "{err}");
        assert!(err.contains("`connectwise.private_key`"), "{err}");
        assert!(!err.contains("8675309"), "{err}");
    }

    #[test]
    fn a_blank_value_in_the_file_is_missing_under_its_own_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("creds.toml");
        std::fs::write(
            &path,
            "[connectwise]\ncompany = \"acme\"\npublic_key = \"pub\"\nprivate_key = \"  \"\n\
             client_id = \"id\"\n[assetpanda]\nemail = \"ops@example.com\"\npassword = \"\"\n",
        )
        .unwrap();
        let source = CredentialSource::load(Env::new(), Some(&path)).unwrap();

        let cw = source.connectwise().unwrap_err().to_string();
        let ap = source.assetpanda().unwrap_err().to_string();

        assert!(cw.contains("`connectwise.private_key`"), "{cw}");
        assert!(cw.contains("CW_PRIVATE_KEY"), "{cw}");
        assert!(ap.contains("`assetpanda.password`"), "{ap}");
        assert!(ap.contains("AP_PASSWORD"), "{ap}");
    }
}
