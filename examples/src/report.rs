//! Turning the engine's run report into text for people and into history records.

use std::collections::BTreeMap;

use cw_ap_mapping::SyncPlan;
use cw_ap_mapping::{GroupReport, GroupStatus, Issue, RunReport};
use serde_json::Value;

use crate::exit::ExitStatus;
use crate::history::{GroupSummary, RunRecord};

/// How many issues of each kind the text report lists per group before summarising.
pub const ISSUES_SHOWN: usize = 10;

/// The exit status of a run report.
pub fn exit_status(report: &RunReport) -> ExitStatus {
    ExitStatus::from_code(report.exit_code().code().clamp(0, 5) as u8)
        .unwrap_or(ExitStatus::GroupFailed)
}

/// A table of the groups with their counts, then each group's reason, errors and warnings,
/// and a closing line with the exit status (`status`, or the report's own when `None`).
pub fn text(report: &RunReport, status: Option<ExitStatus>) -> String {
    text_showing(report, status, ISSUES_SHOWN)
}

/// [`text`], listing at most `shown` kinds of error and `shown` kinds of warning per
/// group (issues that differ only in their numbers are one kind, listed once).
pub fn text_showing(report: &RunReport, status: Option<ExitStatus>, shown: usize) -> String {
    let dry = report.dry_run;
    let header: &[&str] = if dry {
        &[
            "job",
            "group",
            "status",
            "fetched",
            "to create",
            "to update",
            "unchanged",
            "to archive",
            "to unarchive",
            "filtered",
            "deleted",
            "failed",
            "warnings",
        ]
    } else {
        &[
            "job",
            "group",
            "status",
            "fetched",
            "created",
            "updated",
            "unchanged",
            "archived",
            "unarchived",
            "filtered",
            "deleted",
            "failed",
            "warnings",
        ]
    };
    let mut rows = vec![header.iter().map(|s| s.to_string()).collect::<Vec<_>>()];

    for g in &report.groups {
        let c = &g.counts;
        let status = match (dry, g.status) {
            (true, GroupStatus::Complete) => "planned".to_owned(),
            (_, other) => other.to_string(),
        };
        rows.push(vec![
            g.job.clone(),
            group_label(g),
            status,
            c.fetched.to_string(),
            c.created.to_string(),
            c.updated.to_string(),
            c.unchanged.to_string(),
            c.archived.to_string(),
            c.unarchived.to_string(),
            c.filtered_out.to_string(),
            c.deleted.to_string(),
            c.failed.to_string(),
            g.warnings.len().to_string(),
        ]);
    }

    let mut out = String::new();
    if dry {
        out.push_str("Dry run: nothing was written; the counts are what a run would do.\n");
    }
    // NB: no group ran (each job's lock was held): a table of no rows says nothing.
    if !report.groups.is_empty() {
        out.push_str(&crate::history::render(&rows));
    }
    for g in &report.groups {
        if let Some(reason) = &g.reason {
            out.push_str(&format!("\n[{}] {}: {reason}\n", g.job, g.status));
        }
        out.push_str(&issues("error", &g.errors, shown));
        // NB: a guard stop is also a job warning; the reason line above already says it.
        let warnings: Vec<Issue> = g
            .warnings
            .iter()
            .filter(|w| {
                !(w.record.is_none()
                    && w.field.is_none()
                    && g.reason.as_deref() == Some(w.message.as_str()))
            })
            .cloned()
            .collect();
        out.push_str(&issues("warning", &warnings, shown));
    }

    let status = status.unwrap_or_else(|| exit_status(report));
    let partial = match (report.is_partial(), dry) {
        (false, _) => "",
        (true, false) => "; partial: some groups finished, others did not",
        (true, true) => "; partial: some groups would finish, others would not",
    };
    out.push_str(&format!(
        "\n{} in {}; exit {status}{partial}\n",
        if report.groups.is_empty() {
            "No job ran"
        } else if dry {
            "Planned (nothing written)"
        } else {
            "Synced"
        },
        humantime::format_duration(std::time::Duration::from_millis(report.duration_ms)),
    ));
    out
}

fn group_label(g: &GroupReport) -> String {
    match (&g.group_name, g.group_id) {
        (Some(name), Some(id)) => format!("{name} ({id})"),
        (None, Some(id)) => id.to_string(),
        (Some(name), None) => name.clone(),
        (None, None) => "-".to_owned(),
    }
}

/// Lists `list` by kind: issues that differ only in their numbers (record ids, linked
/// ids, values) are one kind, printed once with the numbers that vary and the records it
/// concerns; at most `shown` kinds are listed.
fn issues(kind: &str, list: &[Issue], shown: usize) -> String {
    let kinds = crate::issues::by_kind(list);
    let mut out = String::new();
    for k in kinds.iter().take(shown) {
        out.push_str(&format!("  {kind}: {k}\n"));
    }
    if kinds.len() > shown {
        let rest: usize = kinds[shown..].iter().map(|k| k.count).sum();
        out.push_str(&format!(
            "  … and {rest} more {kind}s of {} more kinds (use --json for all)\n",
            kinds.len() - shown
        ));
    }
    out
}

/// The first `limit` changes of a plan in detail: record, field, old → new. Fields are
/// named `Name (field_1)` when `names` (field key → name) knows the key.
pub fn plan_detail(plan: &SyncPlan, limit: usize, names: &BTreeMap<String, String>) -> String {
    let mut lines = Vec::new();

    for c in &plan.creates {
        let fields: Vec<String> = c
            .fields
            .iter()
            .map(|(k, v)| match names.get(k) {
                Some(name) => format!("{name} ({k})={}", show(v)),
                None => format!("{k}={}", show(v)),
            })
            .collect();
        lines.push(format!(
            "  create  record {}: {}",
            c.record,
            fields.join(", ")
        ));
    }
    for u in &plan.updates {
        let how = if u.matched_by.adopted {
            format!(" (adopted by {})", u.matched_by.field)
        } else {
            String::new()
        };
        let unarchive = if u.unarchive { " unarchive," } else { "" };
        lines.push(format!(
            "  update  record {} → object {}{how}:{unarchive}",
            u.record, u.object
        ));
        for ch in &u.changes {
            lines.push(format!(
                "          {} ({}): {} → {}",
                ch.name,
                ch.key,
                show(&ch.old),
                show(&ch.new)
            ));
        }
    }
    for a in &plan.archives {
        lines.push(format!(
            "  archive object {} (record {}, {:?})",
            a.object, a.record, a.reason
        ));
    }

    let total = plan.creates.len() + plan.updates.len() + plan.archives.len();
    let mut shown: Vec<String> = Vec::new();
    let mut changes = 0;
    for line in lines {
        let starts_change = !line.starts_with("          ");
        if starts_change {
            changes += 1;
            if changes > limit {
                break;
            }
        }
        shown.push(line);
    }

    let mut out = format!(
        "[{}] {} ({}), dry run: would create {}, update {}, archive {}; {} unchanged\n",
        plan.job,
        plan.group_name,
        plan.group_id,
        plan.creates.len(),
        plan.updates.len(),
        plan.archives.len(),
        plan.unchanged
    );
    for line in shown {
        out.push_str(&line);
        out.push('\n');
    }
    if total > limit {
        out.push_str(&format!(
            "  … {} more changes (use --detail N or --json)\n",
            total - limit
        ));
    }
    out
}

/// A field value as a person reads it; a list item or status as Asset Panda stores it
/// (`{"id": "88101", "value": "Available"}`) is its text and id: `"Available" (88101)`.
fn show(value: &Value) -> String {
    let text_of = |v: Option<&Value>| match v {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    match value {
        Value::Null => "(empty)".to_owned(),
        Value::String(s) if s.is_empty() => "(empty)".to_owned(),
        Value::String(s) => format!("{s:?}"),
        Value::Object(item) => {
            let text = text_of(item.get("value")).or_else(|| text_of(item.get("name")));
            match (text, text_of(item.get("id"))) {
                (Some(text), Some(id)) => format!("{text:?} ({id})"),
                _ => value.to_string(),
            }
        }
        other => other.to_string(),
    }
}

/// The history line of a run.
pub fn history_record(report: &RunReport, job: &str, mode: &str) -> RunRecord {
    let groups: Vec<&GroupReport> = report.groups.iter().filter(|g| g.job == job).collect();

    let took: u64 = groups
        .iter()
        .map(|g| g.timings.fetch_ms + g.timings.plan_ms + g.timings.apply_ms)
        .sum();

    RunRecord {
        started_at: report.started_at,
        duration_ms: if took > 0 { took } else { report.duration_ms },
        job: job.to_owned(),
        mode: mode.to_owned(),
        exit_code: ExitStatus::worst(groups.iter().map(|g| group_status(g))).code(),
        groups: groups
            .iter()
            .map(|g| GroupSummary {
                group: group_label(g),
                status: g.status.to_string(),
                created: g.counts.created as u64,
                updated: g.counts.updated as u64,
                unchanged: g.counts.unchanged as u64,
                archived: g.counts.archived as u64,
                failed: g.counts.failed as u64,
                warnings: g.warnings.len() as u64,
            })
            .collect(),
        errors: groups
            .iter()
            .flat_map(|g| {
                let reason = g
                    .reason
                    .as_ref()
                    .filter(|_| g.status != GroupStatus::Complete)
                    .map(|r| format!("[{}] {r}", g.job));
                reason
                    .into_iter()
                    .chain(g.errors.iter().map(ToString::to_string))
            })
            .collect(),
    }
}

/// The exit status of one group.
pub fn group_status(g: &GroupReport) -> ExitStatus {
    ExitStatus::from_code(g.exit_code().code().clamp(0, 5) as u8).unwrap_or(ExitStatus::GroupFailed)
}

#[cfg(test)]
mod tests {
    use cw_ap_mapping::{Entity, GroupReport, GuardCheck, PlannedCreate};

    use super::*;

    fn plan_with(creates: usize) -> SyncPlan {
        SyncPlan {
            job: "devices".into(),
            entity: Entity::Configurations,
            group_id: 139300,
            group_name: "Devices".into(),
            creates: (0..creates)
                .map(|n| PlannedCreate {
                    record: (1000 + n).to_string(),
                    fields: BTreeMap::from([("field_1".to_owned(), format!("WS-{n}").into())]),
                })
                .collect(),
            updates: vec![],
            archives: vec![],
            unchanged: 4,
            records: creates + 4,
            filtered_out: vec![],
            errors: vec![],
            warnings: vec![],
            conflicts: vec![],
            unverified: vec![],
            guard: GuardCheck {
                enabled: true,
                archives: 0,
                carrying_id: 0,
                max_share: 0.1,
                overridden: false,
                tripped: false,
            },
            stopped: None,
            archive_disabled: None,
            watermark: None,
            failed: 0,
        }
    }

    #[test]
    fn plan_detail_shows_the_first_changes_and_counts_the_rest() {
        let names = BTreeMap::from([("field_1".to_owned(), "Name".to_owned())]);

        let text = plan_detail(&plan_with(5), 2, &names);
        let bare = plan_detail(&plan_with(1), 2, &BTreeMap::new());

        assert!(
            text.starts_with(
                "[devices] Devices (139300), dry run: would create 5, update 0, archive 0; \
                 4 unchanged"
            ),
            "{text}"
        );
        assert!(
            text.contains("  create  record 1000: Name (field_1)=\"WS-0\""),
            "{text}"
        );
        assert!(bare.contains("record 1000: field_1=\"WS-0\""), "{bare}");
        assert!(text.contains("record 1001"), "{text}");
        assert!(!text.contains("record 1002"), "{text}");
        assert!(text.contains("… 3 more changes"), "{text}");
    }

    #[test]
    fn a_dry_run_table_says_what_would_happen_and_every_record_is_counted() {
        let mut group = GroupReport::new("companies", Entity::Companies);
        group.counts.fetched = 300;
        group.counts.created = 290;
        group.counts.deleted = 10;
        group.warnings = (0..40)
            .map(|n| {
                Issue::record("companies", n.to_string(), format!("value {n} is too long"))
                    .with_field("Name (field_1)")
            })
            .collect();
        let report = RunReport {
            started_at: chrono::Utc::now(),
            duration_ms: 10,
            dry_run: true,
            groups: vec![group],
        };

        let text = text(&report, None);

        assert!(text.starts_with("Dry run: nothing was written"), "{text}");
        let header = text.lines().nth(1).unwrap();
        assert!(
            header.contains("to create") && header.contains("deleted"),
            "{text}"
        );
        let row: Vec<&str> = text.lines().nth(2).unwrap().split_whitespace().collect();
        assert_eq!(
            row[2..],
            ["planned", "300", "290", "0", "0", "0", "0", "0", "10", "0", "40"],
            "{text}"
        );
        assert_eq!(text.matches("warning:").count(), 1, "{text}");
        assert!(text.contains("— 40 times"), "{text}");
        assert!(text.contains("Planned (nothing written) in"), "{text}");
    }

    #[test]
    fn a_stored_list_item_shows_as_its_text_and_id() {
        assert_eq!(
            show(&serde_json::json!({"id": "88101", "value": "Available"})),
            "\"Available\" (88101)"
        );
        assert_eq!(
            show(&serde_json::json!({"id": 7, "name": "Retired"})),
            "\"Retired\" (7)"
        );
        assert_eq!(show(&serde_json::json!({"a": 1})), "{\"a\":1}");
        assert_eq!(show(&serde_json::json!("")), "(empty)");
    }

    #[test]
    fn a_run_of_no_group_prints_no_table() {
        let report = RunReport {
            started_at: chrono::Utc::now(),
            duration_ms: 10,
            dry_run: false,
            groups: Vec::new(),
        };

        let text = text(&report, Some(ExitStatus::Locked));

        assert!(!text.contains("fetched"), "{text}");
        assert!(text.trim_start().starts_with("No job ran in"), "{text}");
    }

    #[test]
    fn each_history_line_carries_its_own_jobs_duration() {
        let mut companies = GroupReport::new("companies", Entity::Companies);
        companies.timings.fetch_ms = 100;
        companies.timings.apply_ms = 50;
        let mut devices = GroupReport::new("devices", Entity::Configurations);
        devices.timings.fetch_ms = 900;
        let report = RunReport {
            started_at: chrono::Utc::now(),
            duration_ms: 5000,
            dry_run: false,
            groups: vec![companies, devices],
        };

        assert_eq!(
            history_record(&report, "companies", "full").duration_ms,
            150
        );
        assert_eq!(history_record(&report, "devices", "full").duration_ms, 900);
    }

    #[test]
    fn a_guard_stop_is_said_once() {
        let reason = "the archive guard stopped the group: 1 of the 5 objects";
        let mut group = GroupReport::new("devices", Entity::Configurations);
        group.status = GroupStatus::Stopped;
        group.reason = Some(reason.to_owned());
        group.warnings = vec![
            Issue::job("devices", reason),
            Issue::job("devices", "another warning"),
        ];
        let report = RunReport {
            started_at: chrono::Utc::now(),
            duration_ms: 0,
            dry_run: false,
            groups: vec![group],
        };

        let text = text(&report, None);

        assert_eq!(text.matches(reason).count(), 1, "{text}");
        assert!(
            text.contains("warning: [devices] another warning"),
            "{text}"
        );
    }

    #[test]
    fn the_closing_line_shows_the_status_given() {
        let report = RunReport {
            started_at: chrono::Utc::now(),
            duration_ms: 1200,
            dry_run: false,
            groups: vec![GroupReport::new("devices", Entity::Configurations)],
        };

        let own = text(&report, None);
        let given = text(&report, Some(ExitStatus::Locked));

        assert!(own.contains("Synced in 1s 200ms; exit 0 (ok)"), "{own}");
        assert!(!own.contains("Dry run"), "{own}");
        assert!(
            given.contains("exit 5 (another run holds the lock)"),
            "{given}"
        );
        assert!(own.lines().nth(1).unwrap().starts_with("devices"), "{own}");
    }
}
