//! The safety guards. A group whose plan would archive too much of it (the source looks
//! broken) or fill it with new objects beside as many old ones (the match key looks
//! changed) gets no write at all: the plan is `stopped`, with the reason as a job warning.

use super::{CreateGuardCheck, Issue, SyncPlan};

/// Runs both guards over a finished plan and returns the create guard's check. When either
/// trips, the plan is stopped with every reason, said once.
pub(super) fn check(plan: &mut SyncPlan, create: CreateGuardCheck, key: &str) -> CreateGuardCheck {
    let archive = archive(plan);
    let (create, created) = mass_create(create, key);
    for note in overridden(plan, &create) {
        plan.warnings.push(Issue::job(&plan.job, note));
    }

    let reasons: Vec<String> = archive.into_iter().chain(created).collect();
    if !reasons.is_empty() {
        let reason = reasons.join("; ");
        plan.warnings.push(Issue::job(&plan.job, reason.clone()));
        plan.stopped = Some(reason);
    }
    create
}

/// The archive guard: trips when the plan archives more than the share allowed of the
/// objects that carry a ConnectWise id.
fn archive(plan: &mut SyncPlan) -> Option<String> {
    let g = &mut plan.guard;
    g.archives = plan.archives.len();
    if !(g.enabled && !g.overridden && g.past_limit()) {
        return None;
    }

    g.tripped = true;
    Some(format!(
        "the archive guard stopped the group: {} of the {} objects that carry a ConnectWise \
         id would have been archived (limit {} %, at most {} objects). Check the source and \
         the filter, or run with --allow-mass-archive once",
        g.archives,
        g.carrying_id,
        percent(g.max_share),
        g.limit().floor()
    ))
}

/// The create guard: trips when the plan creates a large batch of objects in a group that
/// already holds a comparable number of objects no record matched (see
/// [`CreateGuardCheck::past_limit`]).
fn mass_create(mut g: CreateGuardCheck, key: &str) -> (CreateGuardCheck, Option<String>) {
    if !(g.enabled && !g.overridden && g.past_limit()) {
        return (g, None);
    }

    g.tripped = true;
    let matched = match g.matched {
        0 if g.existing == 1 => "it did not match".to_owned(),
        0 => "none of them matched".to_owned(),
        n => format!("only {n} of them matched"),
    };
    let reason = format!(
        "the create guard stopped the group: {} would be created in a group that already \
         holds {}, and {matched} a record (the first match key is {key}); if the match keys \
         changed, the objects of the earlier key would be duplicated. Check `match_keys`, or run with \
         --allow-mass-create once (limit {} % of the group, at most {} new objects)",
        count(g.creates, "new object"),
        count(g.existing, "object"),
        percent(g.max_share),
        (g.max_share * g.existing as f64).floor()
    );
    (g, Some(reason))
}

/// What an override let through that a guard would have stopped, said in the report so
/// that a forced run leaves a trace.
fn overridden(plan: &SyncPlan, create: &CreateGuardCheck) -> Vec<String> {
    let mut notes = Vec::new();
    let g = &plan.guard;
    if g.enabled && g.overridden && g.past_limit() {
        notes.push(format!(
            "the archive guard was overridden for this run: {} of the {} objects that carry a \
             ConnectWise id are archived",
            g.archives, g.carrying_id
        ));
    }
    if create.enabled && create.overridden && create.past_limit() {
        notes.push(format!(
            "the create guard was overridden for this run: {} are created beside {}",
            count(create.creates, "new object"),
            count(create.existing, "object")
        ));
    }
    notes
}

/// `1 object`, `2 objects`.
fn count(n: usize, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        n => format!("{n} {noun}s"),
    }
}

/// A share as a percentage with the decimals it needs: `0.1` is `10`, `0.001` is `0.1`.
fn percent(share: f64) -> String {
    let text = format!("{:.3}", share * 100.0);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(creates: usize, existing: usize, max_share: f64) -> CreateGuardCheck {
        matching(creates, existing, 0, max_share)
    }

    fn matching(creates: usize, existing: usize, matched: usize, share: f64) -> CreateGuardCheck {
        let g = CreateGuardCheck {
            enabled: true,
            creates,
            existing,
            matched,
            max_share: share,
            overridden: false,
            tripped: false,
        };
        mass_create(g, "CW ID (field_20)").0
    }

    #[test]
    fn a_small_share_keeps_its_decimals() {
        assert_eq!(percent(0.10), "10");
        assert_eq!(percent(0.6), "60");
        assert_eq!(percent(0.001), "0.1");
        assert_eq!(percent(0.0005), "0.05");
        assert_eq!(percent(0.125), "12.5");
        assert_eq!(percent(0.0), "0");
    }

    #[test]
    fn the_create_guard_trips_on_a_large_batch_into_a_group_of_comparable_size() {
        assert!(check(3000, 3000, 0.10).tripped);
        assert!(check(301, 3000, 0.10).tripped);
        assert!(check(10, 10, 0.10).tripped);
        assert!(check(10, 10, 0.0).tripped);
    }

    #[test]
    fn the_churn_of_a_small_group_passes() {
        assert!(!check(9, 9, 0.10).tripped);
        assert!(!check(1, 1, 0.0).tripped);
        assert!(!matching(3, 4, 0, 0.6).tripped);
        assert!(!matching(40, 40, 31, 0.10).tripped, "9 unmatched");
        assert!(matching(40, 40, 30, 0.10).tripped, "10 unmatched");
    }

    #[test]
    fn the_create_guard_lets_a_few_new_records_a_first_sync_and_a_small_group_pass() {
        assert!(!check(30, 3000, 0.10).tripped);
        assert!(!check(3000, 5, 0.10).tripped);
        assert!(!check(3000, 0, 0.10).tripped);
        assert!(!check(0, 3000, 0.10).tripped);
        assert!(!check(0, 0, 0.0).tripped);
        assert!(!check(3000, 3000, 1.0).tripped);
    }

    #[test]
    fn the_create_guard_trips_only_past_the_limit_both_ways() {
        // NB: 10 % of 3000 is 300, and 300 is not past it; nor is 3000 past 10 % of 30000.
        assert!(!check(300, 3000, 0.10).tripped);
        assert!(check(301, 3000, 0.10).tripped);
        assert!(!check(30000, 3000, 0.10).tripped);
        assert!(check(29999, 3000, 0.10).tripped);
    }

    #[test]
    fn objects_a_record_matched_do_not_count() {
        // A first sync resumed after a crash, and a small group gaining one object.
        assert!(!matching(1000, 2000, 2000, 0.10).tripped);
        assert!(!matching(1, 1, 1, 0.10).tripped);
        // A changed key that still matches a few objects by chance.
        assert!(matching(3000, 3000, 40, 0.10).tripped);
        assert!(!matching(3000, 3000, 2800, 0.10).tripped);
        // Ordinary churn: a few new records beside the few objects of deleted ones.
        assert!(!matching(3, 35, 31, 0.6).tripped);
        assert!(matching(12, 14, 0, 0.6).tripped);
    }

    #[test]
    fn the_create_reason_names_the_counts_the_key_and_the_fix() {
        let g = matching(3000, 3000, 2, 0.10);
        let (_, reason) = mass_create(
            CreateGuardCheck {
                tripped: false,
                ..g
            },
            "Asset Tag (field_12)",
        );
        let reason = reason.expect("a reason");

        assert!(
            reason.starts_with(
                "the create guard stopped the group: 3000 new objects would be created in a \
                 group that already holds 3000 objects, and only 2 of them matched a record \
                 (the first match key is Asset Tag (field_12));"
            ),
            "{reason}"
        );
        assert!(reason.contains("Check `match_keys`"), "{reason}");
        assert!(reason.contains("--allow-mass-create"), "{reason}");
        assert!(
            reason.ends_with("(limit 10 % of the group, at most 300 new objects)"),
            "{reason}"
        );
    }
}
