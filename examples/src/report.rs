//! Turning the engine's run report into text for people and into history records.

use cw_ap_mapping::SyncPlan;
use cw_ap_mapping::{GroupReport, GroupStatus, RunReport};
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

/// [`text`], listing at most `shown` errors and `shown` warnings per group.
pub fn text_showing(report: &RunReport, status: Option<ExitStatus>, shown: usize) -> String {
    let mut rows = vec![[
        "job",
        "group",
        "status",
        "fetched",
        "created",
        "updated",
        "unchanged",
        "archived",
        "unarchived",
        "failed",
        "warnings",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect::<Vec<_>>()];

    for g in &report.groups {
        let c = &g.counts;
        rows.push(vec![
            g.job.clone(),
            group_label(g),
            g.status.to_string(),
            c.fetched.to_string(),
            c.created.to_string(),
            c.updated.to_string(),
            c.unchanged.to_string(),
            c.archived.to_string(),
            c.unarchived.to_string(),
            c.failed.to_string(),
            g.warnings.len().to_string(),
        ]);
    }

    let mut out = crate::history::render(&rows);
    for g in &report.groups {
        if let Some(reason) = &g.reason {
            out.push_str(&format!("\n[{}] {}: {reason}\n", g.job, g.status));
        }
        out.push_str(&issues("error", &g.errors, shown));
        out.push_str(&issues("warning", &g.warnings, shown));
    }

    let status = status.unwrap_or_else(|| exit_status(report));
    let partial = if report.is_partial() {
        " (partial: some groups finished, others did not)"
    } else {
        ""
    };
    out.push_str(&format!(
        "\n{} in {}; exit {status}{partial}\n",
        if report.dry_run { "Planned" } else { "Synced" },
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

fn issues<T: std::fmt::Display>(kind: &str, list: &[T], shown: usize) -> String {
    let mut out = String::new();
    for issue in list.iter().take(shown) {
        out.push_str(&format!("  {kind}: {issue}\n"));
    }
    if list.len() > shown {
        out.push_str(&format!(
            "  … and {} more {kind}s (use --json for all)\n",
            list.len() - shown
        ));
    }
    out
}

/// The first `limit` changes of a plan in detail: record, field, old → new.
pub fn plan_detail(plan: &SyncPlan, limit: usize) -> String {
    let mut lines = Vec::new();

    for c in &plan.creates {
        let fields: Vec<String> = c
            .fields
            .iter()
            .map(|(k, v)| format!("{k}={}", show(v)))
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
        "[{}] {} ({}): {} create, {} update, {} archive, {} unchanged\n",
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

fn show(value: &Value) -> String {
    match value {
        Value::Null => "(empty)".to_owned(),
        Value::String(s) if s.is_empty() => "(empty)".to_owned(),
        Value::String(s) => format!("{s:?}"),
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
    use std::collections::BTreeMap;

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
        let text = plan_detail(&plan_with(5), 2);

        assert!(text
            .starts_with("[devices] Devices (139300): 5 create, 0 update, 0 archive, 4 unchanged"));
        assert!(
            text.contains("  create  record 1000: field_1=\"WS-0\""),
            "{text}"
        );
        assert!(text.contains("record 1001"), "{text}");
        assert!(!text.contains("record 1002"), "{text}");
        assert!(text.contains("… 3 more changes"), "{text}");
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
        assert!(
            given.contains("exit 5 (another run holds the lock)"),
            "{given}"
        );
        assert!(own.lines().nth(1).unwrap().starts_with("devices"), "{own}");
    }
}
