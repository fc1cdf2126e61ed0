//! The mapping configuration: one or more sync jobs, readable from TOML and JSON.
//!
//! ```
//! let config = cw_ap_mapping::Config::from_toml_str(r#"
//!     [[jobs]]
//!     name = "devices"
//!     entity = "configurations"
//!     target_group = 139300
//!     match_keys = [{ target = "field_20" }, { target = "field_10", source = "serialNumber" }]
//!     fields = [{ source = "name", target = "field_1" }]
//!     filter = { status = ["Active"] }
//! "#).unwrap();
//! assert_eq!(config.jobs[0].match_keys.len(), 2);
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::entity::Entity;
use crate::error::ConfigError;
use crate::filter::FilterConfig;
use crate::target::GroupRef;
use crate::transform::Transform;

/// A whole mapping configuration: the sync jobs.
///
/// The type can be embedded in a larger configuration file: declare a
/// `jobs: Vec<JobConfig>` field (or `#[serde(flatten)] Config`) next to your own sections.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The jobs, run in order.
    #[serde(default)]
    pub jobs: Vec<JobConfig>,
}

impl Config {
    /// Reads a configuration from TOML; errors name the line and column.
    pub fn from_toml_str(text: &str) -> Result<Self, ConfigError> {
        from_toml_str(text)
    }

    /// Reads a configuration from JSON; errors name the JSON path, line and column.
    pub fn from_json_str(text: &str) -> Result<Self, ConfigError> {
        from_json_str(text)
    }

    /// Writes the configuration as TOML.
    pub fn to_toml_string(&self) -> Result<String, ConfigError> {
        toml::to_string_pretty(self).map_err(|e| ConfigError::Encode {
            message: e.to_string(),
        })
    }

    /// The job with this name.
    pub fn job(&self, name: &str) -> Option<&JobConfig> {
        self.jobs.iter().find(|j| j.name == name)
    }
}

/// Reads any deserialisable configuration type from TOML, reporting the line and column of
/// the first problem and the setting it is in (`sync.read_concurrency`). Embedding programs
/// can use it for their own file type.
pub fn from_toml_str<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, ConfigError> {
    let fail = |error: toml::de::Error, path: Option<String>| {
        let span = error.span();
        let (line, column) = span
            .clone()
            .map(|span| line_column(text, span.start))
            .unwrap_or((0, 0));
        let mut message = plain_types(error.message());
        if message == "duplicate key" {
            // NB: the span of a duplicate is its key, which names it without any value.
            let key = span.and_then(|span| text.get(span)).map(str::trim);
            if let Some(key) = key.filter(|k| !k.is_empty() && k.len() <= 100 && !k.contains('\n'))
            {
                message = format!("duplicate key `{key}`");
            }
        }
        let message = match path.filter(|p| !p.is_empty() && p != ".") {
            Some(path) => format!("`{path}`: {message}"),
            None => message,
        };
        ConfigError::Toml {
            line,
            column,
            message,
        }
    };
    let deserializer = toml::Deserializer::parse(text).map_err(|e| fail(e, None))?;
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let path = e.path().to_string();
        fail(e.into_inner(), Some(path))
    })
}

/// The parser's message with Rust's number types said in words (`expected usize`).
fn plain_types(message: &str) -> String {
    const WORDS: [(&str, &str); 9] = [
        ("usize", "a whole number, 0 or more"),
        ("u64", "a whole number, 0 or more"),
        ("u32", "a whole number, 0 or more"),
        ("u16", "a whole number, 0 or more"),
        ("u8", "a whole number, 0 or more"),
        ("i64", "a whole number"),
        ("i32", "a whole number"),
        ("f64", "a number"),
        ("f32", "a number"),
    ];
    for (name, words) in WORDS {
        if let Some(head) = message.strip_suffix(&format!("expected {name}")) {
            return format!("{head}expected {words}");
        }
    }
    message.to_owned()
}

/// Reads any deserialisable configuration type from JSON, reporting the JSON path, line and
/// column of the first problem.
pub fn from_json_str<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, ConfigError> {
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        ConfigError::Json {
            path,
            line: inner.line(),
            column: inner.column(),
            message: inner.to_string(),
        }
    })
}

/// 1-based line and column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// One sync job: a ConnectWise entity into one Asset Panda group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobConfig {
    /// A unique name for the job (used in reports, locks and watermarks).
    pub name: String,
    /// The ConnectWise entity read.
    pub entity: Entity,
    /// The Asset Panda group written, by id or by name.
    pub target_group: GroupRef,
    /// Ordered match keys: first the target field that stores the ConnectWise id, then
    /// optional natural keys used only to adopt an object that has no ConnectWise id yet.
    pub match_keys: Vec<MatchKey>,
    /// The field mappings.
    #[serde(default)]
    pub fields: Vec<FieldMapping>,
    /// Which records the job covers.
    #[serde(default)]
    pub filter: FilterConfig,
    /// What happens to an object whose source record was deleted at source.
    #[serde(default = "OrphanPolicy::archive")]
    pub on_deleted: OrphanPolicy,
    /// What happens to an object whose source record left the filter.
    #[serde(default = "OrphanPolicy::keep")]
    pub on_filtered_out: OrphanPolicy,
    /// The mass-archive safety limit.
    #[serde(default)]
    pub archive_guard: GuardSettings,
    /// The mass-create safety limit: a run is stopped when its new objects are more than
    /// `max_share` of the objects the group holds, and the objects no record matched are
    /// more than `max_share` of the new ones, at least 10 of each (a large batch beside as
    /// many unmatched objects, the sign of a changed match key that would duplicate the
    /// group).
    #[serde(default)]
    pub create_guard: GuardSettings,
    /// Set to `true` to accept an unstable field (a name, phone, status…) as a unique
    /// identifier, knowing that a change of its value creates a duplicate.
    #[serde(default)]
    pub accept_unstable_identifiers: bool,
}

/// One match key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchKey {
    /// The target field (key `field_20` or name).
    pub target: String,
    /// The source field; defaults to `id` (the ConnectWise id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Compare values exactly instead of trimmed and case-folded.
    #[serde(default, skip_serializing_if = "is_false")]
    pub exact: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// What an unset (absent or null) source value does to the target field.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnUnset {
    /// Clear the target field (send `""`). The default.
    #[default]
    Clear,
    /// Leave the target field as it is.
    Keep,
}

/// One field mapping: a source field (or a template) into a target field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldMapping {
    /// The target field, by key (`field_10`) or by name.
    pub target: String,
    /// The source field: a catalog display name or a ConnectWise path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// A template joining several source fields: `"{addressLine1}, {city}"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// Transforms applied in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transforms: Vec<Transform>,
    /// What an unset source value does.
    #[serde(default)]
    pub on_unset: OnUnset,
    /// For list and status fields: source text → list item id (or status name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<BTreeMap<String, String>>,
    /// For a group-list field: the group whose objects the value links to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<LinkConfig>,
}

impl FieldMapping {
    /// A plain `source → target` mapping.
    pub fn new(source: impl Into<String>, target: impl Into<String>) -> Self {
        FieldMapping {
            target: target.into(),
            source: Some(source.into()),
            template: None,
            transforms: Vec::new(),
            on_unset: OnUnset::Clear,
            values: None,
            link: None,
        }
    }
}

/// A link from a mapped value (a ConnectWise reference id) to an object of another group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkConfig {
    /// The linked group.
    pub group: GroupRef,
    /// The field of the linked group that stores the ConnectWise id (key or name).
    pub field: String,
}

/// What happens to a target object whose source record is gone or out of scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum OrphanPolicy {
    /// `"keep"` or `"archive"`.
    Simple(OrphanAction),
    /// `{ set_status = "Retired", field = "field_11", archive = true }`.
    SetStatus {
        /// The status name to set.
        set_status: String,
        /// The status field (key or name).
        field: String,
        /// Archive the object as well.
        #[serde(default)]
        archive: bool,
    },
}

// NB: written out rather than derived (untagged), so that `"archiv"` or a table with a
// missing key says what is wrong instead of "did not match any variant".
impl<'de> Deserialize<'de> for OrphanPolicy {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;

        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct SetStatus {
            set_status: String,
            field: String,
            #[serde(default)]
            archive: bool,
        }

        let value = serde_json::Value::deserialize(deserializer)?;
        match value {
            serde_json::Value::String(_) => serde_json::from_value(value)
                .map(OrphanPolicy::Simple)
                .map_err(D::Error::custom),
            serde_json::Value::Object(_) => serde_json::from_value::<SetStatus>(value)
                .map(|s| OrphanPolicy::SetStatus {
                    set_status: s.set_status,
                    field: s.field,
                    archive: s.archive,
                })
                .map_err(D::Error::custom),
            _ => Err(D::Error::custom(
                "expected \"keep\", \"archive\" or \
                 { set_status = \"…\", field = \"…\", archive = true }",
            )),
        }
    }
}

/// The simple orphan actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrphanAction {
    /// Leave the object and report it.
    Keep,
    /// Archive the object.
    Archive,
}

impl OrphanPolicy {
    /// `keep`.
    pub fn keep() -> Self {
        OrphanPolicy::Simple(OrphanAction::Keep)
    }

    /// `archive`.
    pub fn archive() -> Self {
        OrphanPolicy::Simple(OrphanAction::Archive)
    }

    /// Whether the policy archives the object.
    pub fn archives(&self) -> bool {
        match self {
            OrphanPolicy::Simple(action) => *action == OrphanAction::Archive,
            OrphanPolicy::SetStatus { archive, .. } => *archive,
        }
    }
}

/// The settings of a safety guard: whether it is on, and the share that trips it. Both of a
/// job's guards take them ([`JobConfig::archive_guard`], [`JobConfig::create_guard`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuardSettings {
    /// Whether the guard is on (default `true`).
    #[serde(default = "default_true")]
    pub enabled: bool,
    /// The share, from 0 to 1, past which the guard stops the group (default 0.10): of the
    /// objects carrying a ConnectWise id that one run may archive, or of the group's objects
    /// that one run may add as new ones beside unmatched ones.
    #[serde(default = "default_share")]
    pub max_share: f64,
}

/// The mass-archive safety limit of a job (the settings every guard takes).
pub type ArchiveGuard = GuardSettings;

fn default_true() -> bool {
    true
}

fn default_share() -> f64 {
    0.10
}

impl Default for GuardSettings {
    fn default() -> Self {
        GuardSettings {
            enabled: true,
            max_share: default_share(),
        }
    }
}
