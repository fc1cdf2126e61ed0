//! JSON-patch operations for `PATCH` requests.

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::retry::RequestClass;

/// The operation of a [`PatchOp`], always sent in lower case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PatchKind {
    /// Set a field (also to `null`, to clear it).
    Replace,
    /// Add to a field; its meaning on a scalar is not documented.
    Add,
    /// Remove a field; whether it needs a value is not documented.
    Remove,
}

/// One patch operation: `{"op": "replace", "path": "summary", "value": "…"}`.
///
/// `path` is the bare, case-sensitive JSON field name. References are replaced whole
/// (`path: "company", value: {"id": 250}`), and custom fields as the whole
/// `customFields` array: patching `company/id` can answer 200 and change nothing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PatchOp {
    /// The operation.
    pub op: PatchKind,
    /// The field name.
    pub path: String,
    /// The new value; left out when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

impl PatchOp {
    /// Replaces a field's value (use `Value::Null` to clear it).
    pub fn replace(path: impl Into<String>, value: impl Into<Value>) -> Self {
        Self {
            op: PatchKind::Replace,
            path: path.into(),
            value: Some(value.into()),
        }
    }

    /// A raw `add` operation.
    pub fn add(path: impl Into<String>, value: impl Into<Value>) -> Self {
        Self {
            op: PatchKind::Add,
            path: path.into(),
            value: Some(value.into()),
        }
    }

    /// A raw `remove` operation.
    pub fn remove(path: impl Into<String>) -> Self {
        Self {
            op: PatchKind::Remove,
            path: path.into(),
            value: None,
        }
    }

    /// Refuses empty, pointer-style (`/summary`) and nested (`company/id`) paths.
    pub(crate) fn check(&self) -> Result<()> {
        let path = self.path.as_str();
        let valid = !path.is_empty() && path.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if valid {
            return Ok(());
        }
        Err(Error::InvalidRequest {
            reason: format!(
                "patch path `{path}` must be a bare field name; replace a reference as a whole \
                 object (path `company`, value {{\"id\": 250}})"
            ),
        })
    }
}

/// The retry column of a patch: only `replace` operations are safe to repeat.
pub(crate) fn patch_class(ops: &[PatchOp]) -> RequestClass {
    if ops.iter().all(|op| op.op == PatchKind::Replace) {
        RequestClass::IdempotentWrite
    } else {
        RequestClass::NonIdempotent
    }
}
