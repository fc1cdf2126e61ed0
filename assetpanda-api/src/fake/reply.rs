//! A request as the fake's core sees it, and the reply it computes, free of any socket.

use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method};
use serde_json::{json, Value};

/// One HTTP request, as handed to [`FakeCore::handle`](super::FakeCore::handle).
#[derive(Debug, Clone)]
pub struct FakeRequest {
    /// The method.
    pub method: Method,
    /// The path, without the query (`/v3/groups`).
    pub path: String,
    /// The raw query string, without `?`.
    pub query: Option<String>,
    /// The request headers.
    pub headers: HeaderMap,
    /// The request body.
    pub body: Bytes,
}

impl FakeRequest {
    /// A request with no headers and no body.
    pub fn new(method: Method, path_and_query: &str) -> Self {
        let (path, query) = match path_and_query.split_once('?') {
            Some((path, query)) => (path.to_owned(), Some(query.to_owned())),
            None => (path_and_query.to_owned(), None),
        };
        FakeRequest {
            method,
            path,
            query,
            headers: HeaderMap::new(),
            body: Bytes::new(),
        }
    }

    /// Adds `Authorization: Bearer <token>`.
    pub fn bearer(mut self, token: &str) -> Self {
        if let Ok(value) = format!("Bearer {token}").parse() {
            self.headers.insert(http::header::AUTHORIZATION, value);
        }
        self
    }

    /// Sets a JSON body and its content type.
    pub fn json(mut self, body: &Value) -> Self {
        self.body = Bytes::from(body.to_string());
        self.headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/json"),
        );
        self
    }

    /// Sets a form-encoded body and its content type.
    pub fn form(mut self, body: &str) -> Self {
        self.body = Bytes::from(body.to_owned());
        self.headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        self
    }

    /// The value of query parameter `name`, percent-decoded.
    pub(crate) fn query_param(&self, name: &str) -> Option<String> {
        let query = self.query.as_deref()?;
        url::form_urlencoded::parse(query.as_bytes())
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    }
}

/// How the transport must break the answer, beyond what a status and body can say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawFault {
    /// Close the connection without answering.
    DropConnection,
    /// Announce the whole body's length, send this many bytes of it, then close.
    CutBodyAt(usize),
}

/// The reply the core computed for one request.
#[derive(Debug, Clone)]
pub struct FakeReply {
    /// The status code.
    pub status: u16,
    /// Headers besides `Content-Type`.
    pub headers: Vec<(String, String)>,
    /// The `Content-Type` of the body.
    pub content_type: &'static str,
    /// The body.
    pub body: Bytes,
    /// Wait this long before answering.
    pub delay: Option<Duration>,
    /// A break only a raw transport can produce.
    pub raw: Option<RawFault>,
}

impl FakeReply {
    /// A JSON reply.
    pub fn json(status: u16, body: &Value) -> Self {
        FakeReply {
            status,
            headers: Vec::new(),
            content_type: "application/json; charset=utf-8",
            body: Bytes::from(body.to_string()),
            delay: None,
            raw: None,
        }
    }

    /// A reply with a body of any type.
    pub fn raw_body(status: u16, content_type: &'static str, body: impl Into<Bytes>) -> Self {
        FakeReply {
            status,
            headers: Vec::new(),
            content_type,
            body: body.into(),
            delay: None,
            raw: None,
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    /// The body parsed as JSON (`Null` when it is not JSON).
    pub fn body_json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    /// The bytes that reach the client.
    pub(crate) fn bytes_on_wire(&self) -> usize {
        match self.raw {
            Some(RawFault::DropConnection) => 0,
            Some(RawFault::CutBodyAt(n)) => n.min(self.body.len()),
            None => self.body.len(),
        }
    }
}

/// `{"message": …}` with `status`.
pub(crate) fn message(status: u16, text: &str) -> FakeReply {
    FakeReply::json(status, &json!({ "message": text }))
}

/// The validation body the real server sends: one object per failing record, each mapping
/// a field key to its messages, and the integer `code` 2.
pub(crate) fn unprocessable(errors: Vec<serde_json::Map<String, Value>>) -> FakeReply {
    let errors: Vec<Value> = errors.into_iter().map(Value::Object).collect();
    FakeReply::json(422, &json!({ "errors": errors, "code": 2 }))
}

/// A 422 with one message about the request as a whole (`base`).
pub(crate) fn unprocessable_base(text: &str) -> FakeReply {
    let mut entry = serde_json::Map::new();
    entry.insert("base".to_owned(), json!([text]));
    unprocessable(vec![entry])
}
