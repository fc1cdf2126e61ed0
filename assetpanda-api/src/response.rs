//! Turning a raw answer into a value or an error: status first, then the body.

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::{Map, Value};

use crate::error::{snippet, ApiError, Error, FieldError, Result};

/// A complete answer from the server.
#[derive(Debug)]
pub(crate) struct RawResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

/// Why a 2xx body cannot be used.
pub(crate) enum BodyFault {
    Empty,
    NotJson,
}

/// Checks a 2xx body: JSON, complete, and not empty unless `allow_empty`.
pub(crate) fn check_body(response: &RawResponse, allow_empty: bool) -> Option<BodyFault> {
    let body = response.body.as_ref();
    if body.iter().all(u8::is_ascii_whitespace) {
        return (!allow_empty).then_some(BodyFault::Empty);
    }

    if let Some(kind) = content_type(&response.headers) {
        if !kind.to_ascii_lowercase().contains("json") {
            return Some(BodyFault::NotJson);
        }
    }
    match serde_json::from_slice::<IgnoredAny>(body) {
        Ok(_) => None,
        Err(e) if e.is_eof() => Some(BodyFault::Empty),
        Err(_) => Some(BodyFault::NotJson),
    }
}

/// The error for a faulty 2xx body.
pub(crate) fn body_error(fault: &BodyFault, method: &Method, path: &str, r: &RawResponse) -> Error {
    match fault {
        BodyFault::Empty => Error::EmptyBody {
            method: method.clone(),
            path: path.to_owned(),
            received: r.body.len(),
        },
        BodyFault::NotJson => Error::UnexpectedContentType {
            method: method.clone(),
            path: path.to_owned(),
            content_type: content_type(&r.headers)
                .unwrap_or("no content type")
                .to_owned(),
            snippet: snippet(&r.body),
        },
    }
}

fn content_type(headers: &HeaderMap) -> Option<&str> {
    headers.get(http::header::CONTENT_TYPE)?.to_str().ok()
}

/// Decodes a checked 2xx body into `T`, naming the JSON path on failure. An empty body
/// decodes from `null`.
pub(crate) fn decode<T: DeserializeOwned>(method: &Method, path: &str, body: &[u8]) -> Result<T> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        body
    };

    let mut de = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut de).map_err(|e| Error::Decode {
        method: method.clone(),
        path: path.to_owned(),
        json_path: e.path().to_string(),
        snippet: snippet(body),
        source: e.into_inner(),
    })
}

/// Builds the API error of a non-2xx answer from whatever its body holds.
pub(crate) fn api_error(method: &Method, path: &str, r: &RawResponse) -> ApiError {
    let body: Option<Value> = serde_json::from_slice(&r.body).ok();
    let map = body.as_ref().and_then(Value::as_object);

    let text = |key: &str| match map?.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let message = text("message").or_else(|| text("error"));
    let field_errors = map
        .and_then(|m| m.get("errors"))
        .map(flatten_errors)
        .unwrap_or_default();

    let request_id = ["x-request-id", "x-amzn-requestid", "request-id"]
        .iter()
        .find_map(|h| r.headers.get(*h)?.to_str().ok().map(str::to_owned));
    let body_snippet = (body.is_none() && !r.body.is_empty()).then(|| snippet(&r.body));

    ApiError {
        status: r.status,
        method: method.clone(),
        path: path.to_owned(),
        message,
        code: map.and_then(|m| m.get("code")).cloned(),
        field_errors,
        request_id,
        retry_after: None,
        body,
        body_snippet,
        note: None,
        login: false,
    }
}

/// Flattens an `errors` value: an array of `{field: [messages]}` (observed), one such
/// object, `{field: "message"}`, or an array of plain strings.
pub(crate) fn flatten_errors(errors: &Value) -> Vec<FieldError> {
    let mut out = Vec::new();
    match errors {
        Value::Array(entries) => {
            for (i, entry) in entries.iter().enumerate() {
                match entry {
                    Value::Object(map) => push_map(&mut out, Some(i), map),
                    other => push_messages(&mut out, Some(i), "", other),
                }
            }
        }
        Value::Object(map) => push_map(&mut out, None, map),
        other => push_messages(&mut out, None, "", other),
    }
    out
}

fn push_map(out: &mut Vec<FieldError>, entry: Option<usize>, map: &Map<String, Value>) {
    for (field, messages) in map {
        push_messages(out, entry, field, messages);
    }
}

fn push_messages(out: &mut Vec<FieldError>, entry: Option<usize>, field: &str, v: &Value) {
    let mut push = |message: String| {
        out.push(FieldError {
            entry,
            field: field.to_owned(),
            message,
        });
    };
    match v {
        Value::Null => {}
        Value::String(s) => push(s.clone()),
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::String(s) => push(s.clone()),
                    Value::Null => {}
                    other => push(other.to_string()),
                }
            }
        }
        other => push(other.to_string()),
    }
}

/// True for a 500 whose body says the server timed out.
pub(crate) fn says_timeout(body: &[u8]) -> bool {
    let text = String::from_utf8_lossy(body).to_ascii_lowercase();
    text.contains("timeout") || text.contains("timed out")
}

/// Decodes a list sent either bare or wrapped as `{"<key>": [...]}`. An object without
/// the key is a `Decode` error, never an empty list.
pub(crate) fn decode_list<T: DeserializeOwned>(
    method: &Method,
    path: &str,
    body: &[u8],
    key: &str,
) -> Result<Vec<T>> {
    let value: Value = decode(method, path, body)?;
    let (list, prefix) = match value {
        Value::Array(_) => (value, String::new()),
        Value::Object(mut map) => match map.remove(key) {
            Some(list @ Value::Array(_)) => (list, key.to_owned()),
            Some(Value::Null) => (Value::Array(Vec::new()), String::new()),
            _ => {
                let keys: Vec<&String> = map.keys().collect();
                return Err(shape_error(
                    method,
                    path,
                    body,
                    key,
                    &format!("keys {keys:?}"),
                ));
            }
        },
        other => return Err(shape_error(method, path, body, key, kind_of(&other))),
    };

    serde_path_to_error::deserialize(list).map_err(|e| Error::Decode {
        method: method.clone(),
        path: path.to_owned(),
        json_path: join_path(&prefix, &e.path().to_string()),
        snippet: snippet(body),
        source: e.into_inner(),
    })
}

/// Joins a key and a path from `serde_path_to_error`: `groups` + `[1].name`.
fn join_path(prefix: &str, rest: &str) -> String {
    match (prefix.is_empty(), rest) {
        (true, _) => rest.to_owned(),
        (false, ".") => prefix.to_owned(),
        (false, _) if rest.starts_with('[') => format!("{prefix}{rest}"),
        (false, _) => format!("{prefix}.{rest}"),
    }
}

fn shape_error(method: &Method, path: &str, body: &[u8], key: &str, found: &str) -> Error {
    use serde::de::Error as _;
    Error::Decode {
        method: method.clone(),
        path: path.to_owned(),
        json_path: ".".to_owned(),
        snippet: snippet(body),
        source: serde_json::Error::custom(format!(
            "expected an array or an object with `{key}`, found {found}"
        )),
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
