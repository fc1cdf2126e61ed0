//! Matching records to objects and sorting them into the plan.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use super::{
    guard, stored_key, ArchiveReason, Conflict, CreateGuardCheck, Fate, FieldChange, FilteredOut,
    GuardCheck, Held, Kept, MatchedBy, PlannedArchive, PlannedCreate, PlannedUpdate, Planner,
    Stored, SyncPlan, UpdateReason,
};
use crate::mapping::{CompiledJob, CompiledOrphan, Mapped};
use crate::value::target_values_equal;

enum Decision {
    Create,
    Match { object: usize, key: usize },
    Conflict,
}

struct TargetIndex {
    /// Normalised ConnectWise id of each object.
    ids: Vec<Option<String>>,
    /// ConnectWise id → objects.
    by_id: HashMap<String, Vec<usize>>,
    /// Per natural key (index 1…): value → objects without a ConnectWise id.
    natural: Vec<HashMap<String, Vec<usize>>>,
}

fn index_targets(p: &Planner<'_>) -> TargetIndex {
    let (job, targets) = (p.job, &p.targets);
    let key0 = &job.keys[0];
    let key0_slot = p.slot(&key0.target.key);
    let mut index = TargetIndex {
        ids: Vec::with_capacity(targets.len()),
        by_id: HashMap::new(),
        natural: vec![HashMap::new(); job.keys.len()],
    };
    for (t, object) in targets.iter().enumerate() {
        let id = stored_key(key0, &object.values[key0_slot]);
        match &id {
            Some(id) => index.by_id.entry(id.clone()).or_default().push(t),
            None => {
                for (k, key) in job.keys.iter().enumerate().skip(1) {
                    let value = stored_key(key, &object.values[p.slot(&key.target.key)]);
                    if let Some(value) = value {
                        index.natural[k].entry(value).or_default().push(t);
                    }
                }
            }
        }
        index.ids.push(id);
    }
    index
}

pub(super) fn finish(mut p: Planner<'_>) -> (SyncPlan, CreateGuardCheck) {
    let job = p.job;
    let index = index_targets(&p);
    let mut conflicts: Vec<Conflict> = Vec::new();
    let key0_name = job.keys[0].target.describe();

    // Objects sharing one ConnectWise id.
    let mut reported: HashMap<&str, usize> = HashMap::new();
    for id in index.ids.iter().flatten() {
        let objects = &index.by_id[id];
        if objects.len() > 1 && !reported.contains_key(id.as_str()) {
            reported.insert(id, conflicts.len());
            conflicts.push(Conflict {
                field: key0_name.clone(),
                value: id.clone(),
                records: Vec::new(),
                objects: objects.iter().map(|t| p.targets[*t].id.clone()).collect(),
                message: format!("{} objects carry the ConnectWise id {id}", objects.len()),
            });
        }
    }

    // Records sharing one ConnectWise id.
    let mut per_id: HashMap<&str, u32> = HashMap::with_capacity(p.records.len());
    for record in &p.records {
        if let Some(id) = record.keys[0].as_deref() {
            *per_id.entry(id).or_default() += 1;
        }
    }

    let mut decisions = Vec::with_capacity(p.records.len());
    let mut claims: HashMap<usize, Vec<usize>> = HashMap::new();
    for (r, record) in p.records.iter().enumerate() {
        let Some(id) = record.keys[0].as_deref() else {
            decisions.push(Decision::Conflict);
            continue;
        };
        if per_id.get(id).copied().unwrap_or(0) > 1 {
            let at = *reported.entry(id).or_insert_with(|| {
                conflicts.push(Conflict {
                    field: key0_name.clone(),
                    value: id.to_string(),
                    records: Vec::new(),
                    objects: index
                        .by_id
                        .get(id)
                        .map(|ts| ts.iter().map(|t| p.targets[*t].id.clone()).collect())
                        .unwrap_or_default(),
                    message: format!("several source records have the ConnectWise id {id}"),
                });
                conflicts.len() - 1
            });
            conflicts[at].records.push(record.id.clone());
            decisions.push(Decision::Conflict);
            continue;
        }
        if let Some(objects) = index.by_id.get(id) {
            if objects.len() > 1 {
                let at = reported[id];
                conflicts[at].records.push(record.id.clone());
                decisions.push(Decision::Conflict);
            } else {
                decisions.push(Decision::Match {
                    object: objects[0],
                    key: 0,
                });
            }
            continue;
        }
        decisions.push(natural_match(
            job,
            &index,
            &p.targets,
            record,
            r,
            &mut claims,
            &mut conflicts,
        ));
    }

    // An object claimed by several records through a natural key is a conflict.
    for (object, records) in &claims {
        if records.len() < 2 {
            continue;
        }
        conflicts.push(Conflict {
            field: "natural key".to_string(),
            value: p.targets[*object].id.clone(),
            records: records.iter().map(|r| p.records[*r].id.clone()).collect(),
            objects: vec![p.targets[*object].id.clone()],
            message: "several records match one object by a natural key".to_string(),
        });
        for r in records {
            decisions[*r] = Decision::Conflict;
        }
    }
    conflicts.sort_by(|a, b| (&a.field, &a.value).cmp(&(&b.field, &b.value)));

    let mut plan = SyncPlan {
        job: job.name.clone(),
        entity: job.entity,
        group_id: job.group.id,
        group_name: job.group.name.clone(),
        creates: Vec::new(),
        updates: Vec::new(),
        archives: Vec::new(),
        unchanged: 0,
        records: p.read,
        filtered_out: Vec::new(),
        errors: std::mem::take(&mut p.errors),
        warnings: std::mem::take(&mut p.warnings),
        conflicts,
        unverified: Vec::new(),
        guard: GuardCheck {
            enabled: job.guard_enabled,
            archives: 0,
            carrying_id: 0,
            max_share: job.guard_max_share,
            overridden: p.guard_override,
            tripped: false,
        },
        stopped: None,
        archive_disabled: p.archive_disabled.take(),
        watermark: p.watermark,
        failed: p.failed,
    };

    let mut matched = vec![false; p.targets.len()];
    for (record, decision) in p.records.iter().zip(&decisions) {
        match decision {
            Decision::Conflict => {}
            Decision::Create => plan.creates.push(PlannedCreate {
                record: record.id.clone(),
                fields: create_fields(job, record),
            }),
            Decision::Match { object, key } => {
                matched[*object] = true;
                let target = &p.targets[*object];
                let changes = diff(&p, record, target);
                if changes.is_empty() && !target.archived {
                    plan.unchanged += 1;
                    continue;
                }
                plan.updates.push(PlannedUpdate {
                    record: record.id.clone(),
                    object: target.id.clone(),
                    matched_by: MatchedBy {
                        field: job.keys[*key].target.describe(),
                        adopted: *key > 0,
                    },
                    unarchive: target.archived,
                    reason: UpdateReason::Changed,
                    changes,
                });
            }
        }
    }

    for id in &p.filtered_out {
        let norm = job.keys[0].normalise(id);
        let object = norm
            .and_then(|n| index.by_id.get(&n))
            .and_then(|ts| ts.first())
            .map(|t| p.targets[*t].id.clone());
        plan.filtered_out.push(FilteredOut {
            record: id.clone(),
            object,
        });
    }

    orphans(&p, &index, &matched, &mut plan);
    let live = |t: &usize| !p.targets[*t].archived;
    let create = CreateGuardCheck {
        enabled: job.create_guard.enabled,
        creates: plan.creates.len(),
        existing: (0..p.targets.len()).filter(live).count(),
        matched: (0..p.targets.len())
            .filter(|t| matched[*t])
            .filter(live)
            .count(),
        max_share: job.create_guard.max_share,
        overridden: p.create_guard_override,
        tripped: false,
    };
    let create = guard::check(&mut plan, create, &key0_name);
    (plan, create)
}

fn natural_match(
    job: &CompiledJob,
    index: &TargetIndex,
    targets: &[Held],
    record: &Kept,
    r: usize,
    claims: &mut HashMap<usize, Vec<usize>>,
    conflicts: &mut Vec<Conflict>,
) -> Decision {
    for k in 1..job.keys.len() {
        let Some(value) = record.keys[k].as_deref() else {
            continue;
        };
        let Some(candidates) = index.natural[k].get(value) else {
            continue;
        };
        if candidates.len() > 1 {
            conflicts.push(Conflict {
                field: job.keys[k].target.describe(),
                value: value.to_string(),
                records: vec![record.id.clone()],
                objects: candidates.iter().map(|t| targets[*t].id.clone()).collect(),
                message: format!(
                    "{} objects without a ConnectWise id share this key",
                    candidates.len()
                ),
            });
            return Decision::Conflict;
        }
        claims.entry(candidates[0]).or_default().push(r);
        return Decision::Match {
            object: candidates[0],
            key: k,
        };
    }
    Decision::Create
}

fn create_fields(job: &CompiledJob, record: &Kept) -> BTreeMap<String, Value> {
    job.fields
        .iter()
        .zip(&record.values)
        .filter_map(|(field, value)| match value {
            Mapped::Text(text) => Some((field.target.key.clone(), Value::String(text.to_string()))),
            _ => None,
        })
        .collect()
}

fn diff(p: &Planner<'_>, record: &Kept, target: &Held) -> Vec<FieldChange> {
    let job = p.job;
    let mut changes = Vec::new();
    for (field, value) in job.fields.iter().zip(record.values.iter()) {
        let Mapped::Text(text) = value else { continue };
        let stored = &target.values[p.slot(&field.target.key)];
        // Fast path: the same text, or both empty.
        match stored {
            Stored::Text(old) if **old == **text => continue,
            Stored::Empty if text.is_empty() => continue,
            _ => {}
        }
        let new = Value::String(text.to_string());
        let old = stored.to_value();
        if !target_values_equal(&field.target.kind, &job.date_format, &old, &new) {
            changes.push(FieldChange {
                key: field.target.key.clone(),
                name: field.target.name.clone(),
                old,
                new,
            });
        }
    }
    changes
}

fn orphans(p: &Planner<'_>, index: &TargetIndex, matched: &[bool], plan: &mut SyncPlan) {
    let (job, targets, fates, present) = (p.job, &p.targets, &p.fates, &p.present);
    for (t, target) in targets.iter().enumerate() {
        if matched[t] || target.archived {
            continue;
        }
        let Some(id) = &index.ids[t] else { continue };
        plan.guard.carrying_id += 1;

        let (policy, reason) = match fates.get(id.as_str()) {
            Some(Fate::Deleted) => (&job.on_deleted, ArchiveReason::DeletedAtSource),
            Some(Fate::FilteredOut) => (&job.on_filtered_out, ArchiveReason::FilteredOut),
            None => {
                if !present.contains(id.as_str()) {
                    plan.unverified.push(id.clone());
                }
                continue;
            }
        };
        if plan.archive_disabled.is_some() {
            continue;
        }
        apply_policy(p, policy, reason, id, target, plan);
    }

    // Objects matched by a record also carry an id: count them for the guard.
    plan.guard.carrying_id += targets
        .iter()
        .enumerate()
        .filter(|(t, o)| matched[*t] && !o.archived && index.ids[*t].is_some())
        .count();
}

fn apply_policy(
    p: &Planner<'_>,
    policy: &CompiledOrphan,
    reason: ArchiveReason,
    id: &str,
    target: &Held,
    plan: &mut SyncPlan,
) {
    let job = p.job;
    if let CompiledOrphan::SetStatus {
        field, status_id, ..
    } = policy
    {
        let new = Value::String(status_id.clone());
        let old = target.values[p.slot(&field.key)].to_value();
        if !target_values_equal(&field.kind, &job.date_format, &old, &new) {
            plan.updates.push(PlannedUpdate {
                record: id.to_string(),
                object: target.id.clone(),
                matched_by: MatchedBy {
                    field: job.keys[0].target.describe(),
                    adopted: false,
                },
                unarchive: false,
                reason: UpdateReason::SetStatus,
                changes: vec![FieldChange {
                    key: field.key.clone(),
                    name: field.name.clone(),
                    old,
                    new,
                }],
            });
        }
    }
    if policy.archives() {
        plan.archives.push(PlannedArchive {
            record: id.to_string(),
            object: target.id.clone(),
            reason,
        });
    }
}
