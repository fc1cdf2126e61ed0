//! Validation of a job against its target group, reporting every problem at once, each
//! with where it is in the configuration; a job without errors compiles into a
//! [`CompiledJob`].

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::catalog::{Identifier, ValueKind};
use crate::config::{Config, GuardSettings, JobConfig, OrphanAction, OrphanPolicy};
use crate::mapping::{
    CompiledField, CompiledJob, CompiledKey, CompiledOrphan, LinkIndex, TemplatePart, ValueSource,
};
use crate::target::{DateFormat, GroupRef, TargetField, TargetFieldKind, TargetGroup};

pub(crate) mod resolve;

pub use resolve::resolve_target;
use resolve::{captions_of, nearest, resolve_source, strftime_ok, ResolvedSource};

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The job cannot run.
    Error,
    /// The job runs, but something looks wrong.
    Warning,
}

/// One problem found in a job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// Where in the configuration (`jobs[0].fields[2].target`).
    pub location: String,
    /// What is wrong.
    pub message: String,
    /// The nearest known name, when one is close.
    pub suggestion: Option<String>,
}

impl Problem {
    /// Where and what, without the severity: for a report that already says whether it
    /// lists errors or warnings.
    pub fn describe(&self) -> String {
        match &self.suggestion {
            Some(s) => format!("{}: {} (did you mean `{s}`?)", self.location, self.message),
            None => format!("{}: {}", self.location, self.message),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{level}: {}", self.describe())
    }
}

/// The outcome of validating one job.
#[derive(Debug, Clone)]
pub struct Validation {
    /// Every problem found.
    pub problems: Vec<Problem>,
    /// The compiled job, when there is no error.
    pub job: Option<CompiledJob>,
}

impl Validation {
    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
    }

    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Warning)
    }

    /// Whether the job has no error.
    pub fn is_ok(&self) -> bool {
        self.errors().next().is_none()
    }
}

/// Validates every job of a configuration against the given groups (matched by id, or by
/// name ignoring case). A job whose group is not among them gets an error.
pub fn validate(config: &Config, groups: &[TargetGroup]) -> Vec<Validation> {
    let mut out = Vec::new();
    let mut names = BTreeMap::new();
    for (index, job) in config.jobs.iter().enumerate() {
        let group = groups.iter().find(|g| match &job.target_group {
            GroupRef::Id(id) => g.id == *id,
            GroupRef::Name(name) => g.name.eq_ignore_ascii_case(name.trim()),
        });
        let mut validation = match group {
            Some(group) => validate_job(job, index, group, DateFormat::default(), None),
            None => Validation {
                problems: vec![error(
                    format!("jobs[{index}].target_group"),
                    format!("{} is not among the known groups", job.target_group),
                )],
                job: None,
            },
        };
        if let Some(previous) = names.insert(job.name.clone(), index) {
            validation.problems.push(error(
                format!("jobs[{index}].name"),
                format!("job name `{}` is used by jobs[{previous}] too", job.name),
            ));
            validation.job = None;
        }
        out.push(validation);
    }
    out
}

fn error(location: String, message: String) -> Problem {
    Problem {
        severity: Severity::Error,
        location,
        message,
        suggestion: None,
    }
}

fn warning(location: String, message: String) -> Problem {
    Problem {
        severity: Severity::Warning,
        ..error(location, message)
    }
}

/// Validates one job (`index` is its position, for locations) against its resolved group.
/// With a `sample` record, custom-field captions are resolved to ids and every mapping is
/// tried on the sample, so that a path that walks into a scalar is reported before anything
/// is written.
pub fn validate_job(
    job: &JobConfig,
    index: usize,
    group: &TargetGroup,
    date_format: DateFormat,
    sample: Option<&Value>,
) -> Validation {
    let mut v = Validator {
        job,
        group,
        sample,
        problems: Vec::new(),
        at: format!("jobs[{index}]"),
    };
    let compiled = v.run(date_format);
    let ok = v.problems.iter().all(|p| p.severity != Severity::Error);
    Validation {
        problems: v.problems,
        job: if ok { compiled } else { None },
    }
}

struct Validator<'a> {
    job: &'a JobConfig,
    group: &'a TargetGroup,
    sample: Option<&'a Value>,
    problems: Vec<Problem>,
    at: String,
}

impl Validator<'_> {
    fn err(&mut self, location: &str, message: String, suggestion: Option<String>) {
        self.problems.push(Problem {
            suggestion,
            ..error(format!("{}.{location}", self.at), message)
        });
    }

    fn warn(&mut self, location: &str, message: String) {
        self.problems
            .push(warning(format!("{}.{location}", self.at), message));
    }

    fn run(&mut self, date_format: DateFormat) -> Option<CompiledJob> {
        let job = self.job;
        if job.name.trim().is_empty() {
            self.err("name", "the job needs a name".into(), None);
        }

        let keys = self.keys();
        let fields = self.fields(&keys);
        let filter = self.filter();
        let on_deleted = self.orphan("on_deleted", &job.on_deleted);
        let on_filtered_out = self.orphan("on_filtered_out", &job.on_filtered_out);
        self.guard("archive_guard", &job.archive_guard);
        self.guard("create_guard", &job.create_guard);

        let mapped: Vec<&str> = fields.iter().map(|f| f.target.key.as_str()).collect();
        for field in self.group.fields.iter().filter(|f| f.required) {
            if !mapped.contains(&field.key.as_str()) {
                self.err(
                    "fields",
                    format!("required target field {} is not mapped", field.describe()),
                    None,
                );
            }
        }

        let compiled = CompiledJob {
            name: job.name.clone(),
            entity: job.entity,
            group: self.group.clone(),
            keys: keys?,
            fields,
            pushdown: job.filter.pushdown(filter.as_ref()?),
            filter: filter?,
            on_deleted: on_deleted?,
            on_filtered_out: on_filtered_out?,
            guard_enabled: job.archive_guard.enabled,
            guard_max_share: job.archive_guard.max_share,
            create_guard: job.create_guard.clone(),
            date_format,
        };

        if let Some(sample) = self.sample {
            match compiled.map_record(sample, &LinkIndex::new()) {
                Ok(mapped) => {
                    for (field, message) in mapped.field_errors {
                        let location = self.location_of(&compiled, &field);
                        self.err(
                            &location,
                            format!("{field}: {message} (in the sample record)"),
                            None,
                        );
                    }
                }
                Err(failure) => {
                    let field = failure.field.unwrap_or_default();
                    let location = self.location_of(&compiled, &field);
                    self.err(
                        &location,
                        format!("{field}: {} (in the sample record)", failure.message),
                        None,
                    );
                }
            }
        }
        Some(compiled)
    }

    fn location_of(&self, compiled: &CompiledJob, described: &str) -> String {
        let key = compiled
            .fields
            .iter()
            .find(|f| f.target.describe() == described)
            .map(|f| f.target.key.clone());
        let index = key.and_then(|key| {
            self.job
                .fields
                .iter()
                .position(|m| resolve_target(self.group, &m.target).is_ok_and(|t| t.key == key))
        });
        match index {
            Some(i) => format!("fields[{i}]"),
            None => "match_keys".to_string(),
        }
    }

    fn target(&mut self, location: &str, name: &str) -> Option<TargetField> {
        match resolve_target(self.group, name) {
            Ok(field) => Some(field.clone()),
            Err((message, suggestion)) => {
                self.err(location, message, suggestion);
                None
            }
        }
    }

    fn source(&mut self, location: &str, name: &str) -> Option<ResolvedSource> {
        match resolve_source(self.job.entity, name, self.sample) {
            Ok((resolved, note)) => {
                if let Some(note) = note {
                    self.warn(location, note);
                }
                Some(resolved)
            }
            Err((message, suggestion)) => {
                self.err(location, message, suggestion);
                None
            }
        }
    }

    fn keys(&mut self) -> Option<Vec<CompiledKey>> {
        let job = self.job;
        if job.match_keys.is_empty() {
            self.err(
                "match_keys",
                "no match key: the first must name the target field that stores the ConnectWise id"
                    .into(),
                None,
            );
            return None;
        }

        let mut keys = Vec::new();
        let mut ok = true;
        for (i, key) in job.match_keys.iter().enumerate() {
            let target = self.target(&format!("match_keys[{i}].target"), &key.target);
            let source_name = key.source.as_deref().unwrap_or("id");
            let source = self.source(&format!("match_keys[{i}].source"), source_name);
            let (Some(target), Some(source)) = (target, source) else {
                if i == 0 {
                    self.err(
                        "match_keys[0]",
                        "the target field that stores the ConnectWise id is missing".into(),
                        None,
                    );
                }
                ok = false;
                continue;
            };

            let location = format!("match_keys[{i}].source");
            match source.identifier {
                Some(Identifier::Unstable) if !job.accept_unstable_identifiers => self.err(
                    &location,
                    format!(
                        "`{source_name}` can change over time and is not a safe unique identifier; \
                         set `accept_unstable_identifiers = true` to use it anyway"
                    ),
                    None,
                ),
                Some(Identifier::Unstable) => self.warn(
                    &location,
                    format!("`{source_name}` is an unstable unique identifier (accepted)"),
                ),
                None if i == 0 && !job.accept_unstable_identifiers => self.err(
                    &location,
                    format!(
                        "`{source_name}` is not a known stable identifier; the first match key \
                         should store the ConnectWise id"
                    ),
                    None,
                ),
                None => self.warn(
                    &location,
                    format!("the stability of `{source_name}` as an identifier is unknown"),
                ),
                _ => {}
            }
            if source.path.is_child() {
                self.err(
                    &location,
                    "a match key must be a single value, not a list".into(),
                    None,
                );
                ok = false;
            }
            keys.push(CompiledKey {
                target,
                source: source.path,
                exact: key.exact,
            });
        }
        ok.then_some(keys)
    }

    fn fields(&mut self, keys: &Option<Vec<CompiledKey>>) -> Vec<CompiledField> {
        let mut out: Vec<CompiledField> = Vec::new();
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();

        for (i, mapping) in self.job.fields.iter().enumerate() {
            let at = format!("fields[{i}]");
            let target = self.target(&format!("{at}.target"), &mapping.target);
            let source = match (&mapping.source, &mapping.template) {
                (Some(_), Some(_)) => {
                    self.err(
                        &at,
                        "give either `source` or `template`, not both".into(),
                        None,
                    );
                    None
                }
                (None, None) => {
                    self.err(
                        &at,
                        "a mapping needs a `source` or a `template`".into(),
                        None,
                    );
                    None
                }
                (Some(name), None) => self
                    .source(&format!("{at}.source"), name)
                    .map(|s| (ValueSource::Path(s.path), s.kind)),
                (None, Some(template)) => self
                    .template(&format!("{at}.template"), template)
                    .map(|parts| (ValueSource::Template(parts), ValueKind::Text)),
            };
            let Some(target) = target else { continue };

            if let Some(previous) = seen.insert(target.key.clone(), i) {
                self.err(
                    &format!("{at}.target"),
                    format!(
                        "{} is already the target of fields[{previous}]",
                        target.describe()
                    ),
                    None,
                );
                continue;
            }
            let Some((source, kind)) = source else {
                continue;
            };

            for (t, transform) in mapping.transforms.iter().enumerate() {
                if let Some(message) = transform.check_kind(kind) {
                    self.err(&format!("{at}.transforms[{t}]"), message, None);
                }
                if let crate::transform::Transform::DateFormat { format } = transform {
                    if !strftime_ok(format) {
                        self.err(
                            &format!("{at}.transforms[{t}].format"),
                            format!("`{format}` is not a valid date format"),
                            None,
                        );
                    }
                }
            }
            self.check_kind_fit(
                &at,
                &target,
                mapping.values.is_some(),
                mapping.link.is_some(),
            );

            out.push(CompiledField {
                target,
                source,
                kind,
                transforms: mapping.transforms.clone(),
                on_unset: mapping.on_unset,
                values: mapping.values.clone(),
                link: mapping.link.clone(),
            });
        }

        // Match-key fields are written too, unless a mapping already writes them.
        for key in keys.iter().flatten() {
            if seen.contains_key(&key.target.key) {
                continue;
            }
            seen.insert(key.target.key.clone(), usize::MAX);
            out.push(CompiledField {
                target: key.target.clone(),
                source: ValueSource::Path(key.source.clone()),
                kind: ValueKind::Any,
                transforms: Vec::new(),
                on_unset: crate::config::OnUnset::Keep,
                values: None,
                link: None,
            });
        }
        out
    }

    fn check_kind_fit(&mut self, at: &str, target: &TargetField, has_values: bool, has_link: bool) {
        match target.kind {
            TargetFieldKind::List if !has_values => self.warn(
                at,
                format!(
                    "list field {} has no `values` map; values are written as text",
                    target.describe()
                ),
            ),
            TargetFieldKind::GroupList if !has_link => self.warn(
                at,
                format!(
                    "group-list field {} has no `link`; values are written as text",
                    target.describe()
                ),
            ),
            // NB: a link writes another object's id; an unknown kind may be a link under
            // another name, so only the known kinds are refused.
            TargetFieldKind::GroupList | TargetFieldKind::Other(_) => {}
            _ if has_link => self.err(
                at,
                format!(
                    "field {} is not a group-list field, so it cannot take a `link` (a link \
                     writes the id of an object of another group)",
                    target.describe()
                ),
                None,
            ),
            _ => {}
        }
    }

    fn template(&mut self, location: &str, template: &str) -> Option<Vec<TemplatePart>> {
        let mut parts = Vec::new();
        let mut rest = template;
        let mut ok = true;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(TemplatePart::Text(rest[..open].to_string()));
            }
            let Some(close) = rest[open..].find('}') else {
                self.err(location, "a `{` is never closed".into(), None);
                return None;
            };
            let name = &rest[open + 1..open + close];
            match self.source(location, name) {
                Some(source) => parts.push(TemplatePart::Field(source.path)),
                None => ok = false,
            }
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(TemplatePart::Text(rest.to_string()));
        }
        if !parts.iter().any(|p| matches!(p, TemplatePart::Field(_))) {
            self.err(
                location,
                "a template needs at least one `{field}`".into(),
                None,
            );
            return None;
        }
        ok.then_some(parts)
    }

    fn filter(&mut self) -> Option<crate::filter::FilterExpr> {
        let entity = self.job.entity;
        let sample = self.sample;
        let resolve = |name: &str| {
            resolve_source(entity, name, sample)
                .map(|(s, _)| s.path)
                .map_err(|(message, suggestion)| match suggestion {
                    Some(s) => format!("{message} (did you mean `{s}`?)"),
                    None => message,
                })
        };
        match self.job.filter.compile(entity, &resolve) {
            Ok(mut expr) => {
                let captions = sample.map(captions_of).unwrap_or_default();
                for c in expr.comparisons_mut() {
                    if let Some(("id", id)) = c.path.custom_field() {
                        c.caption = captions
                            .iter()
                            .find(|(i, _)| i == id)
                            .map(|(_, caption)| caption.clone());
                    }
                }
                Some(expr)
            }
            Err(errors) => {
                for e in errors {
                    self.err(&e.location, e.message, None);
                }
                None
            }
        }
    }

    /// Checks a guard's settings; `location` names the guard (`archive_guard`).
    fn guard(&mut self, location: &str, guard: &GuardSettings) {
        let share = guard.max_share;
        if !(0.0..=1.0).contains(&share) {
            self.err(
                &format!("{location}.max_share"),
                format!("{share} is not a share between 0 and 1"),
                None,
            );
        }
    }

    fn orphan(&mut self, location: &str, policy: &OrphanPolicy) -> Option<CompiledOrphan> {
        match policy {
            OrphanPolicy::Simple(OrphanAction::Keep) => Some(CompiledOrphan::Keep),
            OrphanPolicy::Simple(OrphanAction::Archive) => Some(CompiledOrphan::Archive),
            OrphanPolicy::SetStatus {
                set_status,
                field,
                archive,
            } => {
                let field = self.target(&format!("{location}.field"), field)?;
                if field.kind != TargetFieldKind::Status {
                    self.err(
                        &format!("{location}.field"),
                        format!("{} is not a status field", field.describe()),
                        None,
                    );
                    return None;
                }
                let status = self
                    .group
                    .statuses
                    .iter()
                    .find(|s| s.name.eq_ignore_ascii_case(set_status.trim()));
                let Some(status) = status else {
                    let names: Vec<&str> = self
                        .group
                        .statuses
                        .iter()
                        .map(|s| s.name.as_str())
                        .collect();
                    let suggestion = nearest(set_status, names.iter().copied());
                    self.err(
                        &format!("{location}.set_status"),
                        format!(
                            "`{set_status}` is not a status of group {}",
                            self.group.name
                        ),
                        suggestion,
                    );
                    return None;
                };
                Some(CompiledOrphan::SetStatus {
                    field,
                    status_id: status.id.clone(),
                    archive: *archive,
                })
            }
        }
    }
}
