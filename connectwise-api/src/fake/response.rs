//! Requests and responses of the pure handler, and the server's error bodies.

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};
use serde_json::{json, Value};

/// The API version the fake reports in `api-current-version`.
pub(crate) const API_VERSION: &str = "2025.8";

/// One HTTP request, as the handler sees it (no socket involved).
#[derive(Debug, Clone)]
pub struct FakeRequest {
    /// The method.
    pub method: Method,
    /// The path, percent-encoded as received (`/v4_6_release/apis/3.0/company/companies`).
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
    pub fn new(method: Method, path_and_query: &str) -> FakeRequest {
        let (path, query) = match path_and_query.split_once('?') {
            Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
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
}

/// One HTTP response computed by the handler.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeResponse {
    /// The status.
    pub status: StatusCode,
    /// Response headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl FakeResponse {
    /// A JSON response.
    pub(crate) fn json(status: StatusCode, value: &impl serde::Serialize) -> FakeResponse {
        FakeResponse {
            status,
            headers: vec![(
                "content-type".into(),
                "application/json; charset=utf-8".into(),
            )],
            body: serde_json::to_vec(value).unwrap_or_default(),
        }
    }

    /// A JSON response whose body is already JSON text.
    pub(crate) fn json_text(status: StatusCode, body: Vec<u8>) -> FakeResponse {
        FakeResponse {
            status,
            headers: vec![(
                "content-type".into(),
                "application/json; charset=utf-8".into(),
            )],
            body,
        }
    }

    /// A response with no body (`204` for a DELETE).
    pub(crate) fn empty(status: StatusCode) -> FakeResponse {
        FakeResponse {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// An HTML page, as a portal host or the edge would send.
    pub(crate) fn html(status: StatusCode, title: &str) -> FakeResponse {
        let body = format!(
            "<!DOCTYPE html>\n<html><head><title>{title}</title></head>\
             <body><h1>{title}</h1><p>Please sign in to continue.</p></body></html>\n"
        );
        FakeResponse {
            status,
            headers: vec![("content-type".into(), "text/html; charset=utf-8".into())],
            body: body.into_bytes(),
        }
    }

    /// The value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON, if it is JSON.
    pub fn json_body(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    pub(crate) fn with_header(mut self, name: &str, value: impl Into<String>) -> FakeResponse {
        self.headers.push((name.to_owned(), value.into()));
        self
    }
}

/// The standard error shape `{code, message}` (no `errors` key).
pub(crate) fn error(status: StatusCode, code: &str, message: &str) -> FakeResponse {
    FakeResponse::json(status, &json!({ "code": code, "message": message }))
}

/// A `400 InvalidObject` with one field error.
pub(crate) fn invalid_object(
    resource: &str,
    field_code: &str,
    field: &str,
    msg: &str,
) -> FakeResponse {
    FakeResponse::json(
        StatusCode::BAD_REQUEST,
        &json!({
            "code": "InvalidObject",
            "message": format!("{resource} object is invalid"),
            "errors": [{
                "code": field_code,
                "message": msg,
                "resource": resource,
                "field": field,
            }],
        }),
    )
}

/// The 400 a page size out of range gets.
pub(crate) fn page_size_out_of_range(max: u32) -> FakeResponse {
    invalid_object(
        "pageSize",
        "OutOfRange",
        "pageSize",
        &format!("The field pageSize must be between 1 and {max}."),
    )
}

/// The 429 body, in its own shape, with `Retry-After`.
pub(crate) fn rate_limited(retry_after_secs: u64) -> FakeResponse {
    let message = format!("Too many requests. Please try again in {retry_after_secs} seconds.");
    FakeResponse::json(
        StatusCode::TOO_MANY_REQUESTS,
        &json!({ "error": "ConnectWiseAPI", "message": message }),
    )
    .with_header("retry-after", retry_after_secs.to_string())
}

/// `401` for credentials that do not match.
pub(crate) fn unauthorized(message: &str) -> FakeResponse {
    error(StatusCode::UNAUTHORIZED, "Unauthorized", message)
}
