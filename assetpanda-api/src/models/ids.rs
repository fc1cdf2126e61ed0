//! Identifiers of groups and objects.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// The number of a group (called an entity in v2), such as `139256`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct GroupId(pub i64);

impl fmt::Display for GroupId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl From<i64> for GroupId {
    fn from(id: i64) -> Self {
        Self(id)
    }
}

impl From<i32> for GroupId {
    fn from(id: i32) -> Self {
        Self(i64::from(id))
    }
}

impl From<u32> for GroupId {
    fn from(id: u32) -> Self {
        Self(i64::from(id))
    }
}

impl From<u64> for GroupId {
    /// Group numbers are far below `i64::MAX`; a larger value saturates (and will not be
    /// found by the server).
    fn from(id: u64) -> Self {
        Self(i64::try_from(id).unwrap_or(i64::MAX))
    }
}

impl<'de> Deserialize<'de> for GroupId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Number(n) => n.as_i64().map(Self),
            Value::String(s) => s.trim().parse().ok().map(Self),
            _ => None,
        }
        .ok_or_else(|| serde::de::Error::custom("a group id must be an integer"))
    }
}

/// The id of an object (a record), 24 hexadecimal characters such as
/// `629a0431ce890d002b55ebc3`. A number sent by the server becomes its decimal text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct ObjectId(pub String);

impl ObjectId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for ObjectId {
    fn from(id: &str) -> Self {
        Self(id.to_owned())
    }
}

impl From<String> for ObjectId {
    fn from(id: String) -> Self {
        Self(id)
    }
}

impl From<&ObjectId> for ObjectId {
    fn from(id: &ObjectId) -> Self {
        id.clone()
    }
}

impl<'de> Deserialize<'de> for ObjectId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        super::lenient::string_of(&Value::deserialize(d)?)
            .map(Self)
            .ok_or_else(|| serde::de::Error::custom("an object id must be a string or number"))
    }
}
