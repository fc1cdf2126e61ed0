//! Credentials, logging in, and the cached bearer token.
//!
//! Three modes: a ready bearer token (never refreshed; a 401 is final), the v3 email and
//! password login, and the v2 login with client id and secret. With a login mode the token
//! is cached; on a 401 the client logs in again once and repeats the request. Concurrent
//! requests that meet the same stale token share one login.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use serde_json::{Map, Value};
use url::Url;

use crate::error::{Error, Result};

/// The default path of the v3 login.
pub const V3_TOKEN_PATH: &str = "/v3/session/token";

/// The other spelling of the v3 login path, tried once when the default answers 404.
pub const V3_TOKEN_PATH_ALT: &str = "/v3/session-token";

/// The v2 login path, relative to the base URL unless a login URL is configured.
pub const V2_TOKEN_PATH: &str = "/v2/session/token";

/// How the client proves who it is. `Debug` never shows a secret.
#[derive(Clone)]
#[non_exhaustive]
pub enum Credentials {
    /// A token obtained elsewhere, sent as `Authorization: Bearer <token>`; never refreshed.
    BearerToken(SecretString),
    /// The v3 login with the e-mail and password of a web login.
    V3Login {
        /// Login e-mail.
        email: String,
        /// Login password.
        password: SecretString,
        /// Path of the login call. Unset means `/v3/session/token`, with one fallback to
        /// `/v3/session-token` on 404; a set path is used as is.
        token_path: Option<String>,
    },
    /// The v2 password grant with the API configuration's client id and secret.
    V2Login {
        /// Client id from Settings › API Configuration.
        client_id: String,
        /// Client secret from Settings › API Configuration.
        client_secret: SecretString,
        /// Login e-mail.
        email: String,
        /// Login password.
        password: SecretString,
        /// Sent as `device` (default `Desktop`).
        device: String,
        /// Sent as `app_version` (default `1.0`).
        app_version: String,
        /// Full login URL; unset means `/v2/session/token` on the base URL.
        login_url: Option<Url>,
    },
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BearerToken(_) => f.debug_tuple("BearerToken").field(&"[redacted]").finish(),
            Self::V3Login {
                email, token_path, ..
            } => f
                .debug_struct("V3Login")
                .field("email", email)
                .field("password", &"[redacted]")
                .field("token_path", token_path)
                .finish(),
            Self::V2Login {
                client_id,
                email,
                device,
                app_version,
                login_url,
                ..
            } => f
                .debug_struct("V2Login")
                .field("client_id", client_id)
                .field("client_secret", &"[redacted]")
                .field("email", email)
                .field("password", &"[redacted]")
                .field("device", device)
                .field("app_version", app_version)
                .field("login_url", login_url)
                .finish(),
        }
    }
}

impl Credentials {
    /// A ready bearer token.
    pub fn token(token: impl Into<String>) -> Self {
        Self::BearerToken(SecretString::from(token.into()))
    }

    /// The v3 login with the default token path.
    pub fn v3_login(email: impl Into<String>, password: impl Into<String>) -> Self {
        Self::V3Login {
            email: email.into(),
            password: SecretString::from(password.into()),
            token_path: None,
        }
    }

    /// The v2 login with the default device, app version and login URL.
    pub fn v2_login(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        email: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        Self::V2Login {
            client_id: client_id.into(),
            client_secret: SecretString::from(client_secret.into()),
            email: email.into(),
            password: SecretString::from(password.into()),
            device: "Desktop".to_owned(),
            app_version: "1.0".to_owned(),
            login_url: None,
        }
    }

    /// True when the client can obtain a new token by itself.
    pub fn can_log_in(&self) -> bool {
        !matches!(self, Self::BearerToken(_))
    }

    pub(crate) fn validate(&self) -> Result<()> {
        let blank = |what: &str| Err(Error::config(format!("credentials: {what} is empty")));
        match self {
            Self::BearerToken(token) if token.expose_secret().trim().is_empty() => blank("token"),
            Self::V3Login { email, .. } | Self::V2Login { email, .. }
                if email.trim().is_empty() =>
            {
                blank("email")
            }
            Self::V3Login {
                token_path: Some(path),
                ..
            } if !path.starts_with('/') => Err(Error::config(format!(
                "credentials: token path `{path}` must start with `/`"
            ))),
            Self::V2Login { client_id, .. } if client_id.trim().is_empty() => blank("client_id"),
            _ => Ok(()),
        }
    }
}

/// The form fields of the v2 login. They hold secrets; never log them.
pub(crate) fn v2_form(creds: &Credentials) -> Vec<(&'static str, String)> {
    match creds {
        Credentials::V2Login {
            client_id,
            client_secret,
            email,
            password,
            device,
            app_version,
            ..
        } => vec![
            ("client_id", client_id.clone()),
            ("client_secret", client_secret.expose_secret().to_owned()),
            ("email", email.clone()),
            ("password", password.expose_secret().to_owned()),
            ("device", device.clone()),
            ("app_version", app_version.clone()),
            ("grant_type", "password".to_owned()),
        ],
        _ => Vec::new(),
    }
}

/// The JSON body of the v3 login. It holds a secret; never log it.
pub(crate) fn v3_body(creds: &Credentials) -> Value {
    match creds {
        Credentials::V3Login {
            email, password, ..
        } => serde_json::json!({ "email": email, "password": password.expose_secret() }),
        _ => Value::Null,
    }
}

/// Reads the token from a login answer: `token`, then `access_token`, then `accessToken`.
///
/// When none holds a non-empty string, the `Auth` error lists the key names present, never
/// their values.
pub(crate) fn token_from_login(body: &Value) -> Result<SecretString> {
    let map = body.as_object();
    let found = ["token", "access_token", "accessToken"]
        .iter()
        .find_map(|key| {
            let text = map?.get(*key)?.as_str()?.trim();
            (!text.is_empty()).then(|| SecretString::from(text.to_owned()))
        });

    found.ok_or_else(|| {
        let keys = map.map(Map::keys).into_iter().flatten();
        let keys: Vec<&str> = keys.map(String::as_str).collect();
        Error::Auth {
            message: format!(
                "login response not recognised: no `token`, `access_token` or `accessToken`; \
                 keys present: [{}]",
                keys.join(", ")
            ),
        }
    })
}

/// The cached token and how many times it was replaced.
#[derive(Default)]
pub(crate) struct TokenState {
    pub(crate) token: Option<SecretString>,
    pub(crate) generation: u64,
    /// The v3 login path that worked, once known.
    pub(crate) v3_path: Option<String>,
}

/// A token handed to one request, with the generation it came from.
#[derive(Clone)]
pub(crate) struct IssuedToken {
    pub(crate) token: SecretString,
    pub(crate) generation: u64,
}

impl crate::client::Client {
    /// The cached token, logging in first when there is none.
    pub(crate) async fn current_token(&self) -> Result<IssuedToken> {
        let mut state = self.inner.tokens.lock().await;
        if let Some(token) = &state.token {
            return Ok(IssuedToken {
                token: token.clone(),
                generation: state.generation,
            });
        }

        self.log_in(&mut state).await
    }

    /// Replaces the token that was rejected. When another request already replaced it,
    /// that newer token is used and no second login happens.
    pub(crate) async fn refresh_token(&self, rejected: u64) -> Result<IssuedToken> {
        let mut state = self.inner.tokens.lock().await;
        if state.generation != rejected {
            if let Some(token) = &state.token {
                return Ok(IssuedToken {
                    token: token.clone(),
                    generation: state.generation,
                });
            }
        }

        state.token = None;
        self.log_in(&mut state).await
    }

    /// Logs in by the configured mode and caches the token. The caller holds the lock, so
    /// concurrent requests wait for this one login.
    async fn log_in(&self, state: &mut TokenState) -> Result<IssuedToken> {
        let token = match &self.inner.credentials {
            Credentials::BearerToken(token) => token.clone(),
            Credentials::V3Login { token_path, .. } => {
                self.v3_log_in(token_path.as_deref(), state).await?
            }
            Credentials::V2Login { login_url, .. } => self.v2_log_in(login_url.as_ref()).await?,
        };

        state.generation += 1;
        state.token = Some(token.clone());
        Ok(IssuedToken {
            token,
            generation: state.generation,
        })
    }

    async fn v3_log_in(
        &self,
        configured: Option<&str>,
        state: &mut TokenState,
    ) -> Result<SecretString> {
        let body = v3_body(&self.inner.credentials);
        let first = configured
            .or(state.v3_path.as_deref())
            .unwrap_or(V3_TOKEN_PATH)
            .to_owned();

        let answer = self
            .login_call(&first, None, crate::request::Body::Json(body.clone()))
            .await;
        let fallback_allowed = configured.is_none() && state.v3_path.is_none();
        let (path, answer) = match answer {
            Err(e) if fallback_allowed && e.status() == Some(http::StatusCode::NOT_FOUND) => {
                tracing::info!(tried = %first, next = V3_TOKEN_PATH_ALT, "login path not found");
                let alt = V3_TOKEN_PATH_ALT.to_owned();
                let answer = self
                    .login_call(&alt, None, crate::request::Body::Json(body))
                    .await;
                (alt, answer)
            }
            other => (first, other),
        };

        let token = token_from_login(&answer?)?;
        if configured.is_none() {
            state.v3_path = Some(path);
        }
        Ok(token)
    }

    async fn v2_log_in(&self, login_url: Option<&Url>) -> Result<SecretString> {
        let form = crate::request::Body::Form(v2_form(&self.inner.credentials));
        let path = login_url.map_or(V2_TOKEN_PATH, Url::path).to_owned();

        let answer = self.login_call(&path, login_url.cloned(), form).await;
        let answer = answer.map_err(|e| {
            if e.status().is_some_and(|s| s.is_server_error()) {
                e.with_note("a server error from the v2 login can mean a wrong client id or secret")
            } else {
                e
            }
        })?;
        token_from_login(&answer)
    }

    async fn login_call(
        &self,
        path: &str,
        url: Option<Url>,
        body: crate::request::Body,
    ) -> Result<Value> {
        let mut request = crate::request::Request::new(
            http::Method::POST,
            path,
            crate::retry::RequestClass::Read,
        );
        request.url = url;
        request.body = body;
        request.authenticated = false;

        let response = self
            .send_with_retries(&request, None)
            .await
            .map_err(Error::mark_login)?;
        crate::response::decode(&request.method, &request.path, &response.body)
    }
}
