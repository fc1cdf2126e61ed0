//! Request counts of whole syncs against the fakes' counters: each must equal its lower
//! bound (source pages, URL-sized re-reads, search pages at the cap, writes in batches
//! of 200), and a second run with no change must write nothing. Read in several id
//! ranges, a listing past one page may pass its bound by the ranges' stated allowance and
//! no more. Counts, never timings.

#[path = "../../src/bench/bound.rs"]
#[allow(dead_code)]
mod bound;
#[path = "../../src/bench/listing.rs"]
#[allow(dead_code)]
mod listing;
#[path = "../../src/bench/world.rs"]
#[allow(dead_code)]
mod world;

use assetpanda_api::fake::Endpoint;
use bound::{search_pages, source_pages, write_batches, CW_PAGE, DESCRIBE_REQUESTS};
use connectwise_api::fake::Entity;
use cw_ap_examples::config::{Loaded, SyncSettings};
use cw_ap_examples::sync::{self, Endpoints};
use world::{Phase, Setup, World};

/// Checks every request kind of `phase` against its bound, naming the phase on failure.
fn assert_at_bound(world: &World, phase: &Phase, name: &str) {
    let b = phase.bound;
    let listed = phase.cw_list_requests(world);
    if world.settings.read_concurrency() == 1 {
        assert_eq!(
            listed,
            b.cw_list(),
            "{name}: ConnectWise list requests (work: {:?})",
            phase.work
        );
    } else {
        assert!(
            (b.cw_list()..=b.cw_list() + b.cw_range_allowance).contains(&listed),
            "{name}: {listed} ConnectWise list requests, bound {} + {} for the ranges \
             (work: {:?})",
            b.cw_list(),
            b.cw_range_allowance,
            phase.work
        );
    }
    assert_eq!(phase.ap(Endpoint::Search), b.ap_search, "{name}: searches");
    assert_eq!(phase.ap(Endpoint::Create), b.ap_create, "{name}: creates");
    assert_eq!(phase.ap_updates(), b.ap_update, "{name}: updates");
    assert_eq!(
        phase.ap(Endpoint::Archive),
        b.ap_archive,
        "{name}: archives"
    );
    assert_eq!(
        phase.ap(Endpoint::Unarchive),
        b.ap_unarchive,
        "{name}: unarchives"
    );
    assert_discovery(world, phase, name);
    for group in &phase.report.groups {
        assert_eq!(
            group.counts.failed, 0,
            "{name}: {} failed records",
            group.job
        );
    }
}

/// Discovery in a process that has already signed in and read the account settings:
/// each group the run uses described once, nothing else.
fn assert_discovery(world: &World, phase: &Phase, name: &str) {
    let groups = world.groups_used();
    for endpoint in [Endpoint::Group, Endpoint::Fields, Endpoint::Statuses] {
        assert_eq!(
            phase.ap(endpoint),
            groups,
            "{name}: {endpoint} requests, one per group of the run"
        );
    }
    assert_eq!(
        phase.ap(Endpoint::Groups),
        0,
        "{name}: groups are named by id"
    );
    assert_eq!(
        phase.ap(Endpoint::Settings),
        0,
        "{name}: settings already read"
    );
    assert_eq!(logins(phase), 0, "{name}: already signed in");
    assert_eq!(
        phase.ap_discovery(),
        DESCRIBE_REQUESTS * groups,
        "{name}: discovery requests other than the group descriptions"
    );
}

/// Asset Panda logins, of either version.
fn logins(phase: &Phase) -> u64 {
    phase.ap(Endpoint::LoginV3) + phase.ap(Endpoint::LoginV2)
}

/// New endpoints over the world's fakes, as a new process would connect: nothing read yet
/// (no login, no settings).
fn fresh_endpoints(world: &World) -> Endpoints {
    let loaded = Loaded {
        path: "(request counts)".into(),
        config: world.servers.config().expect("the fakes' configuration"),
    };
    sync::connect(&loaded, &world.servers.env()).expect("new endpoints connect")
}

fn job<'p>(phase: &'p Phase, name: &str) -> &'p bound::JobWork {
    phase
        .work
        .iter()
        .find(|w| w.job == name)
        .unwrap_or_else(|| panic!("no job {name} in {:?}", phase.work))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_second_and_changed_syncs_make_the_fewest_requests() {
    // NB: 2,000 devices is a multiple of the page size: the listing needs its empty page.
    // One id range, so that every count is exactly at its bound.
    let setup = Setup {
        sync: SyncSettings {
            read_concurrency: Some(1),
            ..SyncSettings::default()
        },
        latency: None,
    };
    let world = World::start_with(2_000, 7, setup)
        .await
        .expect("the fakes start");
    let companies = world.servers.cw.ids(Entity::Companies).len() as u64;

    let full = world.sync().await.expect("the full sync runs");
    assert_at_bound(&world, &full, "full sync");
    let devices = job(&full, "devices");
    assert_eq!(devices.source_records, 2_000);
    assert_eq!(devices.creates, 2_000, "every device is created");
    assert_eq!(source_pages(devices.source_records, CW_PAGE), 3);
    assert_eq!(
        full.ap(Endpoint::Create),
        10 + write_batches(job(&full, "companies").creates)
    );
    assert_eq!(job(&full, "companies").source_records, companies);

    let second = world.sync().await.expect("the second sync runs");
    assert_at_bound(&world, &second, "second sync");
    assert_eq!(second.ap.writes(), 0, "a run with no change writes nothing");
    assert_eq!(second.bound.cw_rereads, 0, "nothing is missing");
    let targets = job(&second, "devices").target_objects;
    assert_eq!(targets, 2_000);
    assert_eq!(
        second.ap(Endpoint::Search),
        search_pages(targets, world.search_cap)
            + search_pages(job(&second, "companies").target_objects, world.search_cap),
        "each group listed once: the devices job links to the companies the run listed"
    );
    assert_eq!(
        second.ap_discovery(),
        full.ap_discovery(),
        "discovery does not grow with the data or the run"
    );

    let (changed, deleted) = world.change_devices(7, 0.01, 0.005);
    assert_eq!((changed.len(), deleted.len()), (20, 10));
    let after = world.sync().await.expect("the sync after changes runs");
    assert_at_bound(&world, &after, "sync after changes");
    let devices = job(&after, "devices");
    assert_eq!(devices.updates, 20, "each renamed device is updated");
    assert_eq!(devices.archives, 10, "each deleted device is archived");
    assert_eq!(devices.reread_batches, 1, "ten missing ids fit one URL");
    assert_eq!(after.ap.writes(), 2, "one update and one archive call");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn id_ranges_pass_the_bound_by_their_allowance_at_most_and_read_everything() {
    // NB: the tool's default of 4 ranges, and a listing of 4 pages and a half.
    let world = World::start(4_500, 13).await.expect("the fakes start");
    assert_eq!(
        world.settings.read_concurrency(),
        SyncSettings::DEFAULT_READ_CONCURRENCY
    );

    let full = world.sync().await.expect("the full sync runs");
    assert_at_bound(&world, &full, "full sync in ranges");
    let devices = job(&full, "devices");
    assert_eq!(devices.source_records, 4_500, "every record read once");
    assert_eq!(devices.creates, 4_500);
    assert_eq!(
        full.bound.cw_range_allowance,
        SyncSettings::DEFAULT_READ_CONCURRENCY as u64,
        "companies fit one page; the devices listing may add its ranges' requests"
    );

    let second = world.sync().await.expect("the second sync runs");
    assert_at_bound(&world, &second, "second sync in ranges");
    assert_eq!(second.ap.writes(), 0, "a run with no change writes nothing");
    assert_eq!(job(&second, "devices").source_records, 4_500);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_records_are_reread_in_url_sized_batches() {
    let world = World::start(3_000, 11).await.expect("the fakes start");
    world.sync().await.expect("the full sync runs");

    // NB: 5 % stays under the archive guard's 10 %.
    let (_, deleted) = world.change_devices(11, 0.0, 0.05);
    assert_eq!(deleted.len(), 150);
    let after = world.sync().await.expect("the sync after deletions runs");
    assert_at_bound(&world, &after, "sync after deletions");
    let devices = job(&after, "devices");
    assert_eq!(devices.archives, 150, "each deleted device is archived");
    assert_eq!(
        devices.reread_batches, 1,
        "150 ids fit one URL, so one re-read is the bound"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_process_signs_in_and_reads_the_settings_once_and_each_run_describes_groups_once() {
    let world = World::start(300, 5).await.expect("the fakes start");
    let endpoints = fresh_endpoints(&world);
    assert_eq!(world.groups_used(), 2, "companies and devices");

    let first = world.sync_on(&endpoints).await.expect("the first run");
    assert_eq!(logins(&first), 1, "one login");
    assert_eq!(first.ap(Endpoint::Settings), 1, "one settings read");
    assert_eq!(
        first.ap_descriptions(),
        DESCRIBE_REQUESTS * 2,
        "each group described once, the linked one too"
    );
    assert_eq!(first.ap_discovery(), 1 + 1 + DESCRIBE_REQUESTS * 2);
    assert_eq!(
        first.ap(Endpoint::Search),
        1 + 1,
        "two empty groups, each listed once"
    );
    assert_eq!(job(&first, "devices").creates, 300);

    // NB: a second run of the same process (a schedule) describes the groups again, so a
    // group changed between runs is seen, but signs in and reads the settings no more.
    let (_, deleted) = world.change_devices(5, 0.0, 0.02);
    let second = world.sync_on(&endpoints).await.expect("the second run");
    assert_eq!(logins(&second), 0);
    assert_eq!(second.ap(Endpoint::Settings), 0);
    assert_eq!(second.ap_descriptions(), DESCRIBE_REQUESTS * 2);
    assert_eq!(job(&second, "devices").archives, deleted.len() as u64);
    assert_at_bound(&world, &second, "second run of a new process");
}
