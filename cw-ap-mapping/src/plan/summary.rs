//! A readable summary of a plan.

use std::fmt;

use serde_json::Value;

use super::{ArchiveReason, SyncPlan};

/// Displays a plan as a readable summary; `detail` lists every change, otherwise only the
/// first few of each kind.
#[derive(Debug, Clone, Copy)]
pub struct Summary<'a> {
    plan: &'a SyncPlan,
    detail: bool,
}

/// How many items of each kind a short summary lists.
const SHORT: usize = 10;

impl SyncPlan {
    /// A short summary (counts and the first changes of each kind).
    pub fn summary(&self) -> Summary<'_> {
        Summary {
            plan: self,
            detail: false,
        }
    }

    /// A summary listing every change.
    pub fn detailed_summary(&self) -> Summary<'_> {
        Summary {
            plan: self,
            detail: true,
        }
    }
}

impl fmt::Display for SyncPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.summary().fmt(f)
    }
}

fn show(value: &Value) -> String {
    match value {
        Value::Null => "(empty)".to_string(),
        Value::String(s) if s.is_empty() => "(empty)".to_string(),
        Value::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    }
}

impl fmt::Display for Summary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.plan;
        let c = p.counts();
        let limit = if self.detail { usize::MAX } else { SHORT };

        writeln!(
            f,
            "job {}: {} → group {} ({})",
            p.job, p.entity, p.group_name, p.group_id
        )?;
        writeln!(
            f,
            "  {} records: {} to create, {} to update, {} unchanged, {} to archive, \
             {} to unarchive, {} filtered out, {} failed, {} conflicts, {} unverified",
            c.records,
            c.create,
            c.update,
            c.unchanged,
            c.archive,
            c.unarchive,
            c.filtered_out,
            c.failed,
            c.conflicts,
            c.unverified
        )?;
        if let Some(reason) = &p.stopped {
            writeln!(f, "  STOPPED, nothing will be written: {reason}")?;
        }
        if let Some(reason) = &p.archive_disabled {
            writeln!(f, "  archiving is off in this run: {reason}")?;
        }

        for create in p.creates.iter().take(limit) {
            writeln!(f, "  + create record {}", create.record)?;
        }
        for update in p.updates.iter().take(limit) {
            let how = if update.matched_by.adopted {
                format!(" (adopted by {})", update.matched_by.field)
            } else {
                String::new()
            };
            let unarchive = if update.unarchive { ", unarchive" } else { "" };
            writeln!(
                f,
                "  ~ update object {} for record {}{how}{unarchive}",
                update.object, update.record
            )?;
            for change in &update.changes {
                writeln!(
                    f,
                    "      {} ({}): {} → {}",
                    change.name,
                    change.key,
                    show(&change.old),
                    show(&change.new)
                )?;
            }
        }
        for archive in p.archives.iter().take(limit) {
            let why = match archive.reason {
                ArchiveReason::DeletedAtSource => "deleted at source",
                ArchiveReason::FilteredOut => "out of scope",
            };
            writeln!(
                f,
                "  - archive object {} (record {}, {why})",
                archive.object, archive.record
            )?;
        }
        for conflict in p.conflicts.iter().take(limit) {
            writeln!(
                f,
                "  ! conflict on {} = {}: {} (records: {}; objects: {})",
                conflict.field,
                conflict.value,
                conflict.message,
                conflict.records.join(", "),
                conflict.objects.join(", ")
            )?;
        }
        for error in p.errors.iter().take(limit) {
            writeln!(f, "  ! {error}")?;
        }
        for warning in p.warnings.iter().take(limit) {
            writeln!(f, "  ? {warning}")?;
        }
        let hidden = [
            p.creates.len(),
            p.updates.len(),
            p.archives.len(),
            p.conflicts.len(),
            p.errors.len(),
            p.warnings.len(),
        ]
        .iter()
        .map(|n| n.saturating_sub(limit))
        .sum::<usize>();
        if hidden > 0 {
            writeln!(f, "  … and {hidden} more lines (use the detailed summary)")?;
        }
        Ok(())
    }
}
