//! The steps of one job: listing targets and links, fetching, verifying missing records,
//! and folding the plan into the report.

use std::collections::HashMap;

use futures::StreamExt;

use super::{
    Engine, FailureKind, FetchRequest, GroupReport, GroupStatus, IdListRequest, Progress,
    RereadRequest, Sink, Source, SourceErrorKind, Stop,
};
use crate::mapping::{CompiledJob, LinkIndex};
use crate::plan::{Issue, Planner, SyncPlan};
use crate::validate::resolve_target;

impl<S: Source, K: Sink> Engine<S, K> {
    pub(super) fn absorb_plan(&self, plan: &SyncPlan, report: &mut GroupReport) {
        let c = plan.counts();
        report.counts.fetched += c.records;
        report.counts.unchanged = c.unchanged;
        report.counts.filtered_out = c.filtered_out;
        report.counts.failed += c.failed;
        report.counts.conflicts = c.conflicts;
        report.counts.unverified = c.unverified;
        report.errors.extend(plan.errors.iter().cloned());
        report.warnings.extend(plan.warnings.iter().cloned());
        for conflict in &plan.conflicts {
            report.errors.push(Issue::job(
                &plan.job,
                format!(
                    "conflict on {} = {}: {} (records: {}; objects: {})",
                    conflict.field,
                    conflict.value,
                    conflict.message,
                    conflict.records.join(", "),
                    conflict.objects.join(", ")
                ),
            ));
        }
        if !plan.unverified.is_empty() {
            report.warnings.push(Issue::job(
                &plan.job,
                format!(
                    "{} missing records could not be verified and were not archived: {}",
                    plan.unverified.len(),
                    first_of(&plan.unverified, 10)
                ),
            ));
        }
        for out in &plan.filtered_out {
            if let Some(object) = &out.object {
                report.warnings.push(
                    Issue::record(&plan.job, &out.record, "out of scope (left the filter)")
                        .with_object(object),
                );
            }
        }
    }

    /// The link indexes of the job's link fields. A linked group that cannot be read stops
    /// the job: planning without its index would clear every link of the group.
    pub(super) async fn links(&self, job: &CompiledJob) -> Result<LinkIndex, Stop> {
        let mut links = LinkIndex::new();
        for (index, field) in job.fields.iter().enumerate() {
            let Some(link) = &field.link else { continue };
            let map = self
                .link_index(link)
                .await
                .map_err(|(failure, message)| Stop {
                    status: GroupStatus::Failed,
                    failure: Some(failure),
                    reason: format!(
                        "{}: {message}; nothing was written, so that no link is cleared",
                        field.target.describe()
                    ),
                })?;
            links.insert(index, map);
        }
        Ok(links)
    }

    /// The ids of a linked group's live objects by their link field's value. An error says
    /// whether the configuration is at fault (a group or field that does not exist) or the
    /// group could not be read.
    pub(super) async fn link_index(
        &self,
        link: &crate::config::LinkConfig,
    ) -> Result<HashMap<String, String>, (FailureKind, String)> {
        let group = self.sink.resolve_group(&link.group).await.map_err(|e| {
            let failure = match e.status {
                Some(401 | 404) => FailureKind::Config,
                _ => FailureKind::Access,
            };
            let message = format!("linked {} could not be resolved: {}", link.group, e.message);
            (failure, message)
        })?;
        let field = resolve_target(&group, &link.field)
            .map_err(|(message, _)| (FailureKind::Config, message))?
            .key
            .clone();
        let mut map = HashMap::new();
        let mut stream = self.sink.list_objects(group.id);
        while let Some(item) = stream.next().await {
            let object = item.map_err(|e| {
                let message = format!(
                    "linked group {} could not be listed: {}",
                    group.name, e.message
                );
                (FailureKind::Access, message)
            })?;
            if object.archived {
                continue;
            }
            let key = object.fields.get(&field).and_then(link_key);
            if let Some(key) = key {
                map.entry(key).or_insert(object.id);
            }
        }
        if self.options.dry_run {
            // NB: a real run creates these before this job lists its links.
            let planned = self
                .planned
                .lock()
                .map_err(|_| (FailureKind::Access, "a job panicked".to_string()))?;
            for fields in planned.get(&group.id).into_iter().flatten() {
                if let Some(key) = fields.get(&field).and_then(link_key) {
                    map.entry(key)
                        .or_insert_with(|| super::PLANNED_LINK.to_string());
                }
            }
        }
        Ok(map)
    }

    pub(super) async fn list_targets(
        &self,
        job: &CompiledJob,
        planner: &mut Planner<'_>,
    ) -> Result<(), Stop> {
        let mut stream = self.sink.list_objects(job.group.id);
        let mut count = 0usize;
        while let Some(item) = stream.next().await {
            let object =
                item.map_err(|e| Stop::sink(&e, "the target group could not be listed"))?;
            planner.push_target(object);
            count += 1;
            if count % 1000 == 0 {
                self.emit(Progress::TargetListed {
                    job: job.name.clone(),
                    objects: count,
                });
            }
        }
        self.emit(Progress::TargetListed {
            job: job.name.clone(),
            objects: count,
        });
        Ok(())
    }

    /// Streams the source into the planner. `Ok(Some(reason))` when the listing broke off
    /// after some records (incomplete); `Err` when nothing could be read (failed).
    pub(super) async fn fetch(
        &self,
        job: &CompiledJob,
        planner: &mut Planner<'_>,
        report: &mut GroupReport,
    ) -> Result<Option<String>, Stop> {
        let since = self.options.since.get(&job.name).copied();
        let mut filter = job.pushdown.clone();
        let id_filter = filter.clone();
        if let Some(since) = since {
            filter = filter.with_updated_since(since);
        }
        let request = FetchRequest {
            job: job.name.clone(),
            entity: job.entity,
            filter,
            fields: job.projection(),
            updated_since: since,
        };

        let mut records = 0usize;
        let mut stream = self.source.fetch(&request);
        while let Some(item) = stream.next().await {
            match item {
                Ok(record) => {
                    planner.push_source(&record);
                    records += 1;
                    if records % 100 == 0 {
                        self.emit(Progress::Fetched {
                            job: job.name.clone(),
                            records,
                        });
                    }
                }
                Err(e) if e.kind == SourceErrorKind::Item => {
                    report.counts.failed += 1;
                    report.errors.push(Issue::job(
                        &job.name,
                        format!("a record could not be read: {}", e.describe()),
                    ));
                }
                Err(e) => {
                    let reason = format!("the source listing broke off: {}", e.describe());
                    if records == 0 {
                        return Err(Stop {
                            status: GroupStatus::Failed,
                            failure: Some(FailureKind::Access),
                            reason,
                        });
                    }
                    return Ok(Some(reason));
                }
            }
        }
        drop(stream);
        self.emit(Progress::Fetched {
            job: job.name.clone(),
            records,
        });

        if since.is_some() {
            let request = IdListRequest {
                job: job.name.clone(),
                entity: job.entity,
                filter: id_filter,
            };
            let mut ids = self.source.list_ids(&request);
            while let Some(item) = ids.next().await {
                match item {
                    Ok(id) => planner.push_present_id(id),
                    Err(e) if e.kind == SourceErrorKind::Item => {}
                    Err(e) => {
                        return Ok(Some(format!(
                            "the id listing for deletions broke off: {}",
                            e.describe()
                        )))
                    }
                }
            }
        }
        Ok(None)
    }

    pub(super) async fn verify_missing(
        &self,
        job: &CompiledJob,
        planner: &mut Planner<'_>,
        report: &mut GroupReport,
    ) {
        let missing = planner.missing_ids();
        let ids: Vec<i64> = missing.iter().filter_map(|id| id.parse().ok()).collect();
        for chunk in ids.chunks(self.options.reread_batch.max(1)) {
            let request = RereadRequest {
                job: job.name.clone(),
                entity: job.entity,
                ids: chunk.to_vec(),
                fields: job.projection(),
            };
            match self.source.reread(&request).await {
                Ok(records) => {
                    for record in &records {
                        planner.push_reread(record);
                    }
                    planner.confirm_absent(chunk.iter().map(|id| id.to_string()));
                }
                Err(e) => report.warnings.push(Issue::job(
                    &job.name,
                    format!(
                        "the re-read of {} missing records failed ({}); nothing is archived for them",
                        chunk.len(),
                        e.describe()
                    ),
                )),
            }
        }
    }
}

/// The key a link looks an object up by: its link field's text, trimmed and case-folded.
fn link_key(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.trim().to_lowercase()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
    .filter(|k| !k.is_empty())
}

/// The first `shown` items, and how many more there are: a warning names records, not
/// thousands of them.
pub(super) fn first_of(items: &[String], shown: usize) -> String {
    let first = items[..items.len().min(shown)].join(", ");
    match items.len().saturating_sub(shown) {
        0 => first,
        rest => format!("{first} and {rest} more"),
    }
}

#[cfg(test)]
mod tests {
    use super::first_of;

    #[test]
    fn a_long_list_is_cut_with_a_count() {
        let ids: Vec<String> = (1..=25).map(|n| n.to_string()).collect();

        assert_eq!(first_of(&ids[..3], 10), "1, 2, 3");
        assert_eq!(first_of(&ids[..10], 10), "1, 2, 3, 4, 5, 6, 7, 8, 9, 10");
        assert_eq!(
            first_of(&ids, 10),
            "1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 15 more"
        );
    }
}
