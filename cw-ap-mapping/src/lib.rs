//! Mapping configuration, validation, filters and sync planning from ConnectWise records to
//! Asset Panda objects, with a sync engine written against traits and no HTTP dependency.
//!
//! - [`Config`] / [`JobConfig`]: the jobs, readable from TOML ([`Config::from_toml_str`])
//!   and JSON.
//! - [`catalog`]: the source fields people map, per [`Entity`].
//! - [`validate_job`]: every problem of a job against its target group, at once; a job
//!   without errors compiles into a [`CompiledJob`].
//! - [`FilterExpr`]: filters evaluated locally and rendered into ConnectWise's three
//!   condition parameters ([`RenderedFilter`]).
//! - [`Planner`] → [`SyncPlan`]: the pure, linear planner.
//! - [`Engine`]: fetch, plan and apply against a [`Source`] and a [`Sink`], with a
//!   [`RunReport`] and its [`ExitCode`].
//!
//! ```
//! use cw_ap_mapping::{validate_job, Config, DateFormat, Planner, TargetField, TargetGroup};
//! use serde_json::json;
//!
//! let config = Config::from_toml_str(r#"
//!     [[jobs]]
//!     name = "devices"
//!     entity = "configurations"
//!     target_group = 139300
//!     match_keys = [{ target = "field_20" }]
//!     fields = [{ source = "name", target = "Name" }]
//! "#).unwrap();
//! let group = TargetGroup {
//!     id: 139300,
//!     name: "Devices".into(),
//!     fields: vec![TargetField::text("field_1", "Name"), TargetField::text("field_20", "CW ID")],
//!     statuses: vec![],
//! };
//! let validation = validate_job(&config.jobs[0], 0, &group, DateFormat::default(), None);
//! let job = validation.job.expect("valid");
//!
//! let mut planner = Planner::new(&job);
//! planner.push_source(&json!({"id": 1542, "name": "ACME-WS-017"}));
//! let plan = planner.finish();
//! assert_eq!(plan.creates.len(), 1);
//! assert_eq!(plan.creates[0].fields["field_20"], "1542");
//! ```

/// The attribute that implements [`Source`] and [`Sink`], whose methods are async:
/// `#[cw_ap_mapping::async_trait] impl Sink for MySink { … }`.
pub use async_trait::async_trait;

pub mod catalog;
mod config;
mod engine;
mod entity;
mod error;
pub mod filter;
mod mapping;
pub mod path;
mod plan;
mod target;
mod transform;
mod validate;
pub mod value;

pub use config::{
    from_json_str, from_toml_str, ArchiveGuard, Config, FieldMapping, GuardSettings, JobConfig,
    LinkConfig, MatchKey, OnUnset, OrphanAction, OrphanPolicy,
};
pub use engine::{
    Counts, Engine, EngineOptions, ExitCode, FailureKind, FetchRequest, FieldMessage, GroupReport,
    GroupStatus, IdListRequest, IdStream, NewObject, ObjectOutcome, ObjectStream, ObjectUpdate,
    Progress, ProgressFn, RecordStream, RereadRequest, RunReport, Sink, SinkError, SinkErrorKind,
    Source, SourceError, SourceErrorKind, Timings, MAX_BATCH, PLANNED_LINK,
};
pub use entity::Entity;
pub use error::ConfigError;
pub use filter::{FilterConfig, FilterExpr, RenderedFilter};
pub use mapping::{
    CompiledField, CompiledJob, CompiledKey, CompiledOrphan, LinkIndex, Mapped, MappedRecord,
    RecordFailure, TemplatePart, ValueSource,
};
pub use plan::{
    ArchiveReason, Conflict, CreateGuardCheck, FieldChange, FilteredOut, GuardCheck, Issue,
    MatchedBy, PlanCounts, PlannedArchive, PlannedCreate, PlannedUpdate, Planner, Summary,
    SyncPlan, UpdateReason,
};
pub use target::{
    DateFormat, DateFormatError, GroupRef, TargetField, TargetFieldKind, TargetGroup, TargetObject,
    TargetStatus,
};
pub use transform::{Transform, TransformError};
pub use validate::{resolve_target, validate, validate_job, Problem, Severity, Validation};
