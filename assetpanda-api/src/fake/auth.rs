//! Credentials, tokens and the two login endpoints.

use std::collections::HashMap;

use http::HeaderMap;
use serde_json::{json, Value};

use super::faults::mix;
use super::reply::{message, unprocessable_base, FakeReply};

/// The credentials the fake accepts.
#[derive(Clone)]
pub(crate) struct Credentials {
    pub(crate) email: String,
    pub(crate) password: String,
    pub(crate) client_id: String,
    pub(crate) client_secret: String,
}

/// Token state: which tokens exist and which have expired.
pub(crate) struct Auth {
    pub(crate) credentials: Credentials,
    pub(crate) static_token: String,
    /// The path of the v3 login (`/v3/session/token` unless configured).
    pub(crate) v3_login_path: String,
    /// The key of the token in the v3 login answer (`token` unless configured).
    pub(crate) v3_token_key: String,
    /// Token → expired.
    tokens: HashMap<String, bool>,
    issued: u64,
    seed: u64,
    pub(crate) logins: u64,
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Auth")
            .field("email", &self.credentials.email)
            .field("v3_login_path", &self.v3_login_path)
            .field("tokens", &self.tokens.len())
            .finish_non_exhaustive()
    }
}

/// The failure a request without a usable token gets.
fn unauthorized(text: &str) -> FakeReply {
    message(401, text)
}

impl Auth {
    pub(crate) fn new(
        credentials: Credentials,
        static_token: Option<String>,
        v3_login_path: String,
        v3_token_key: String,
        seed: u64,
    ) -> Self {
        let mut auth = Auth {
            credentials,
            static_token: String::new(),
            v3_login_path,
            v3_token_key,
            tokens: HashMap::new(),
            issued: 0,
            seed,
            logins: 0,
        };
        auth.static_token = static_token.unwrap_or_else(|| auth.mint());
        auth.tokens.insert(auth.static_token.clone(), false);
        auth
    }

    /// A new token, different for each call and each seed.
    fn mint(&mut self) -> String {
        self.issued += 1;
        let a = mix(self.seed ^ self.issued.wrapping_mul(0xA24B_AED4_963E_E407));
        let b = mix(a ^ self.issued);
        let token = format!("fake.{a:016x}{b:016x}");
        self.tokens.insert(token.clone(), false);
        token
    }

    /// The bearer token of a request, if it has one.
    pub(crate) fn bearer(headers: &HeaderMap) -> Option<String> {
        let value = headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
        let (scheme, token) = value.trim().split_once(' ')?;
        scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| token.trim().to_owned())
    }

    /// Lets the request through, or gives the 401 it gets.
    pub(crate) fn check(&self, headers: &HeaderMap) -> Result<(), FakeReply> {
        let Some(token) = Auth::bearer(headers) else {
            return Err(unauthorized(
                "Authorization header is missing or is not a bearer token",
            ));
        };
        match self.tokens.get(&token) {
            Some(false) => Ok(()),
            Some(true) => Err(unauthorized("Token expired")),
            None => Err(unauthorized("Invalid token")),
        }
    }

    /// Marks one token expired.
    pub(crate) fn expire(&mut self, token: &str) {
        if let Some(expired) = self.tokens.get_mut(token) {
            *expired = true;
        }
    }

    /// Marks every token issued so far expired, the static one included.
    pub(crate) fn expire_all(&mut self) {
        self.tokens.values_mut().for_each(|expired| *expired = true);
    }

    /// Gives the static token a fresh life (after [`Auth::expire_all`]).
    pub(crate) fn renew_static(&mut self) {
        self.tokens.insert(self.static_token.clone(), false);
    }

    fn check_user(&self, email: &str, password: &str) -> Result<(), FakeReply> {
        if !email.trim().eq_ignore_ascii_case(&self.credentials.email) {
            return Err(unprocessable_base("User email not found!"));
        }
        if password != self.credentials.password {
            return Err(unprocessable_base("Email or password is incorrect"));
        }
        Ok(())
    }

    /// `POST /v3/session/token` with `{"email", "password"}`.
    pub(crate) fn login_v3(&mut self, body: &[u8]) -> FakeReply {
        let Ok(body) = serde_json::from_slice::<Value>(body) else {
            return message(400, "The login body must be JSON with email and password");
        };
        let email = body
            .get("email")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let password = body
            .get("password")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if let Err(reply) = self.check_user(email, password) {
            return reply;
        }
        self.logins += 1;
        let token = self.mint();
        let mut answer = serde_json::Map::new();
        answer.insert(self.v3_token_key.clone(), json!(token));
        answer.insert("token_type".into(), json!("bearer"));
        FakeReply::json(200, &Value::Object(answer))
    }

    /// `POST /v2/session/token`, form-encoded (or JSON, as a mobile client sends it).
    pub(crate) fn login_v2(&mut self, body: &[u8], json_body: bool) -> FakeReply {
        let fields: HashMap<String, String> = if json_body {
            let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) else {
                return message(400, "The login body is not valid JSON");
            };
            map.into_iter()
                .filter_map(|(k, v)| v.as_str().map(|v| (k, v.to_owned())))
                .collect()
        } else {
            url::form_urlencoded::parse(body).into_owned().collect()
        };
        let get = |key: &str| fields.get(key).map(String::as_str);
        if get("grant_type").is_some_and(|g| g != "password") {
            return FakeReply::json(400, &json!({ "error": "unsupported_grant_type" }));
        }
        let client_ok = match (get("client_id"), get("client_secret")) {
            (None, None) => json_body,
            (Some(id), Some(secret)) => {
                id == self.credentials.client_id && secret == self.credentials.client_secret
            }
            _ => false,
        };
        if !client_ok {
            // NB: the real server answers a wrong client id or secret with a 5xx.
            let error = json!({ "status": 500, "error": "Internal Server Error" });
            return FakeReply::json(500, &error);
        }
        let email = get("email").unwrap_or_default();
        if let Err(reply) = self.check_user(email, get("password").unwrap_or_default()) {
            return if email.trim().eq_ignore_ascii_case(&self.credentials.email) {
                reply
            } else {
                unprocessable_base("Email or password is incorrect")
            };
        }
        self.logins += 1;
        let token = self.mint();
        FakeReply::json(
            200,
            &json!({ "access_token": token, "token_type": "bearer" }),
        )
    }
}
