//! The demo: three runs with their counts, deterministic for a seed.

use cw_ap_examples::demo::{self, DemoData};
use cw_ap_examples::output::Output;
use cw_ap_examples::progress::{Progress, ProgressMode};
use cw_ap_examples::ExitStatus;
use cw_ap_mapping::GroupStatus;

const COMPANIES: usize = 40;
const DEVICES: usize = 400;

async fn demo_counts(seed: u64) -> (demo::DemoOutcome, String) {
    let servers = demo::start(DemoData {
        seed,
        companies: COMPANIES,
        devices: DEVICES,
        cw_port: 0,
        ap_port: 0,
    })
    .await
    .unwrap();
    let (output, out, _) = Output::capture();
    let progress = Progress::new(ProgressMode::Silent);

    let outcome = demo::run_with(&servers, seed, false, &progress, &output)
        .await
        .unwrap();

    let live_companies = servers
        .cw
        .records(connectwise_api::fake::Entity::Companies)
        .iter()
        .filter(|c| c["deletedFlag"] != serde_json::Value::Bool(true))
        .count();
    assert_eq!(servers.ap.core().live_objects(139301).len(), live_companies);
    let devices_left = DEVICES - outcome.changes.deleted.len() + outcome.changes.created.len();
    assert_eq!(servers.ap.core().live_objects(139300).len(), devices_left);
    (outcome, out.text())
}

#[tokio::test]
async fn the_demo_creates_then_updates_creates_and_archives_then_changes_nothing() {
    let (outcome, text) = demo_counts(42).await;
    let group = |r: &cw_ap_mapping::RunReport, job: &str| r.group(job).unwrap().clone();
    let changes = &outcome.changes;

    let first = group(&outcome.first, "devices");
    assert_eq!(first.status, GroupStatus::Complete);
    assert_eq!(first.counts.created, DEVICES);
    let companies = group(&outcome.first, "companies");
    assert_eq!(companies.counts.fetched, COMPANIES);
    assert!(
        companies.counts.created > COMPANIES * 3 / 4,
        "{:?}",
        companies.counts
    );

    assert_eq!(changes.edited.len(), DEVICES * 3 / 100);
    assert_eq!(changes.created.len(), DEVICES / 100);
    assert_eq!(changes.deleted.len(), DEVICES * 2 / 100);
    let second = group(&outcome.second, "devices");
    assert_eq!(second.counts.updated, changes.edited.len());
    assert_eq!(second.counts.created, changes.created.len());
    assert_eq!(second.counts.archived, changes.deleted.len());
    assert_eq!(group(&outcome.second, "companies").counts.updated, 0);

    for job in ["companies", "devices"] {
        let third = group(&outcome.third, job);
        assert_eq!(
            (
                third.counts.created,
                third.counts.updated,
                third.counts.archived
            ),
            (0, 0, 0),
            "{job}"
        );
    }
    assert_eq!(outcome.status, ExitStatus::Success);
    assert!(
        text.contains("== Run 3: nothing has changed since"),
        "{text}"
    );
    let link_lines = text
        .lines()
        .filter(|l| l.contains("the link is left empty"))
        .count();
    assert!(link_lines <= 3, "one summary line per run: {text}");
    let header = text.lines().find(|l| l.starts_with("job")).unwrap();
    assert!(header.contains("deleted"), "{header}");
}

#[tokio::test]
async fn the_demo_is_deterministic_for_a_seed() {
    let (a, _) = demo_counts(7).await;
    let (b, _) = demo_counts(7).await;
    let (c, _) = demo_counts(8).await;

    assert_eq!(a.changes, b.changes);
    assert_ne!(a.changes, c.changes);
    let counts = |o: &demo::DemoOutcome| {
        [&o.first, &o.second, &o.third]
            .map(|r| r.groups.iter().map(|g| g.counts).collect::<Vec<_>>())
    };
    assert_eq!(counts(&a), counts(&b));
}

#[tokio::test]
async fn a_tiny_demo_still_shows_its_three_runs() {
    let servers = demo::start(DemoData {
        seed: 42,
        companies: 3,
        devices: 5,
        cw_port: 0,
        ap_port: 0,
    })
    .await
    .unwrap();
    let (output, out, _) = Output::capture();
    let progress = Progress::new(ProgressMode::Silent);

    let outcome = demo::run_with(&servers, 42, false, &progress, &output)
        .await
        .unwrap();

    assert_eq!(outcome.status, ExitStatus::Success, "{:?}", outcome.second);
    assert_eq!(outcome.changes.edited.len(), 1);
    let text = out.text();
    assert!(text.contains("edited 1 device,"), "{text}");
    assert!(
        !text.contains(" 1 devices") && !text.contains(" 1 companies"),
        "{text}"
    );
    let devices = outcome.second.group("devices").unwrap();
    assert_eq!(devices.status, GroupStatus::Complete);
    assert_eq!(devices.counts.archived, outcome.changes.deleted.len());
}
