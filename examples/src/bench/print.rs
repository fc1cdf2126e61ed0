//! The benchmark's printed tables.

use assetpanda_api::fake::Endpoint;

use super::bound::{search_pages, source_pages, write_batches, CW_PAGE, DESCRIBE_REQUESTS};
use super::listing::{self, Listing};
use super::memory::mib;
use super::world::{BenchError, Phase, World};
use super::Memory;

fn mb(bytes: u64) -> String {
    format!("{:.2} MB", bytes as f64 / 1e6)
}

fn verdict(measured: u64, bound: u64) -> &'static str {
    match measured.cmp(&bound) {
        std::cmp::Ordering::Equal => "at bound",
        std::cmp::Ordering::Greater => "ABOVE bound",
        std::cmp::Ordering::Less => "below bound?",
    }
}

fn row(what: &str, measured: u64, bound: Option<u64>, formula: &str) {
    row_with(what, measured, bound, 0, formula);
}

/// A row whose measure may pass the bound by `allowance` requests, for a stated reason.
fn row_with(what: &str, measured: u64, bound: Option<u64>, allowance: u64, formula: &str) {
    if let Some(b) = bound.filter(|b| allowance > 0 && measured > *b) {
        let verdict = if measured <= b + allowance {
            format!("+{} (<= +{allowance})", measured - b)
        } else {
            "ABOVE bound".to_owned()
        };
        say!("  {what:<34} {measured:>8} {b:>8}  {verdict:<12} {formula}");
        return;
    }
    match bound {
        Some(b) => say!(
            "  {what:<34} {measured:>8} {b:>8}  {:<12} {formula}",
            verdict(measured, b)
        ),
        None => say!(
            "  {what:<34} {measured:>8} {:>8}  {:<12} {formula}",
            "-",
            ""
        ),
    }
}

/// Prints one phase: time, rate, memory, requests against the bound, bytes.
pub async fn phase(
    world: &World,
    title: &str,
    measured: (Phase, Memory),
) -> Result<(), BenchError> {
    let (p, memory) = measured;
    let secs = p.wall.as_secs_f64();
    say!("\n== {title}");
    for g in &p.report.groups {
        let c = &g.counts;
        say!(
            "  {:<10} {}: fetched {}, created {}, updated {}, unchanged {}, archived {}, failed {}",
            g.job,
            g.status,
            c.fetched,
            c.created,
            c.updated,
            c.unchanged,
            c.archived,
            c.failed
        );
    }
    say!(
        "  wall {secs:.2} s, {:.0} records/s ({} source records)",
        p.records() as f64 / secs.max(1e-9),
        p.records()
    );
    let scope = if memory.reset {
        "during the sync"
    } else {
        "since start"
    };
    say!(
        "  resident memory: {} before, peak {} {scope}",
        mib(memory.before),
        mib(memory.peak)
    );

    say!(
        "\n  {:<34} {:>8} {:>8}  {:<12} formula",
        "requests",
        "measured",
        "bound",
        ""
    );
    let b = p.bound;
    row_with(
        "ConnectWise GET list (pages+re-reads)",
        p.cw_list_requests(world),
        Some(b.cw_list()),
        b.cw_range_allowance,
        &cw_formula(&p, world.settings.read_concurrency()),
    );
    row("ConnectWise other", p.cw_other_requests(world), None, "");
    row(
        "Asset Panda search",
        p.ap(Endpoint::Search),
        Some(b.ap_search),
        &search_formula(&p, world.search_cap),
    );
    let writes = [
        (
            "Asset Panda create",
            p.ap(Endpoint::Create),
            b.ap_create,
            "creates",
        ),
        ("Asset Panda update", p.ap_updates(), b.ap_update, "updates"),
        (
            "Asset Panda archive",
            p.ap(Endpoint::Archive),
            b.ap_archive,
            "archives",
        ),
        (
            "Asset Panda unarchive",
            p.ap(Endpoint::Unarchive),
            b.ap_unarchive,
            "unarchives",
        ),
    ];
    for (what, measured, bound, kind) in writes {
        row(what, measured, Some(bound), &write_formula(&p, kind));
    }
    row(
        "Asset Panda writes, all kinds",
        p.ap.writes(),
        Some(b.ap_writes()),
        "the four rows above",
    );
    row(
        "Asset Panda group descriptions",
        p.ap_descriptions(),
        Some(DESCRIBE_REQUESTS * world.groups_used()),
        &format!(
            "{DESCRIBE_REQUESTS} (group, fields, statuses) x {} groups, once per run",
            world.groups_used()
        ),
    );
    let discovery: Vec<String> =
        p.ap.iter()
            .filter(|(_, e, _)| *e != Endpoint::Search && !e.is_write())
            .map(|(method, e, t)| format!("{method} {e} {}", t.requests))
            .collect();
    row(
        "Asset Panda discovery (constant)",
        p.ap_discovery(),
        None,
        &discovery.join(", "),
    );

    say!(
        "\n  bytes received from ConnectWise in this sync: {}",
        mb(p.cw.bytes_sent)
    );
    for job in &world.info {
        let fields = job.projection.join(",");
        let with = listing::raw(&world.servers.cw, job.entity.path(), Some(&fields)).await?;
        let without = listing::raw(&world.servers.cw, job.entity.path(), None).await?;
        say!(
            "  full listing of {}: {} with fields= ({} fields), {} without; {:.1}x fewer bytes",
            job.entity.path(),
            mb(with.bytes),
            job.projection.len(),
            mb(without.bytes),
            without.bytes as f64 / with.bytes.max(1) as f64
        );
    }
    Ok(())
}

fn cw_formula(p: &Phase, ranges: usize) -> String {
    let jobs = p
        .work
        .iter()
        .map(|w| {
            let pages = source_pages(w.source_records, CW_PAGE);
            format!(
                "{}: {}/{CW_PAGE}+1={pages} pages + {} re-reads",
                w.job, w.source_records, w.reread_batches
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    if ranges > 1 {
        format!(
            "{jobs}; in {ranges} id ranges a listing past one page may add the largest-id \
             request and {} short pages",
            ranges - 1
        )
    } else {
        jobs
    }
}

fn search_formula(p: &Phase, cap: u64) -> String {
    p.work
        .iter()
        .map(|w| {
            let mut parts = vec![pages_formula(w.target_objects, cap)];
            for &n in &w.linked_objects {
                parts.push(format!("link {}", pages_formula(n, cap)));
            }
            format!("{}: {}", w.job, parts.join(" + "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The search pages of `objects` objects, as arithmetic the reader can check.
fn pages_formula(objects: u64, cap: u64) -> String {
    let pages = search_pages(objects, cap);
    if objects == 0 {
        format!("{pages} (an empty group still takes one search)")
    } else {
        format!("ceil({objects}/{cap})={pages}")
    }
}

fn write_formula(p: &Phase, kind: &str) -> String {
    let parts: Vec<String> = p
        .work
        .iter()
        .map(|w| {
            let n = match kind {
                "creates" => w.creates,
                "updates" => w.updates,
                "archives" => w.archives,
                _ => w.unarchives,
            };
            format!("{}: ceil({n}/200)={}", w.job, write_batches(n))
        })
        .collect();
    parts.join("; ")
}

/// Lists every configuration three ways and prints the times and their ratio.
pub async fn listing(world: &World) -> Result<(), BenchError> {
    let cw = &world.servers.cw;
    let records = cw
        .state()
        .len(connectwise_api::fake::Entity::Configurations);
    let client = world.endpoints.source.client();
    say!("\n== Listing all {records} configurations (forward-only, 1,000 a page)");

    let raw = listing::raw(cw, "/company/configurations", None).await?;
    cw.state().reset_counters();
    let typed = listing::typed(client).await?;
    let typed_requests = cw.counters().requests;
    cw.state().reset_counters();
    let json = listing::json(client).await?;
    let json_requests = cw.counters().requests;

    let show = |what: &str, l: &Listing, requests: u64| {
        let secs = l.wall.as_secs_f64();
        let rate = records as f64 / secs.max(1e-9);
        let decoded = match l.records {
            Some(n) => format!("{n} records decoded"),
            None => "not decoded".to_owned(),
        };
        say!(
            "  {what:<44} {secs:>8.3} s {rate:>10.0} records/s {requests:>5} requests  \
             {:>5.2}x the plain loop's time  ({decoded})",
            secs / raw.wall.as_secs_f64().max(1e-9)
        );
    };
    show("plain reqwest loop, bodies not decoded", &raw, raw.requests);
    show(
        "connectwise-api stream, typed Configuration",
        &typed,
        typed_requests,
    );
    show(
        "connectwise-api stream, serde_json::Value",
        &json,
        json_requests,
    );
    say!(
        "  bytes: {} over {} pages (the plain loop, which does not count rows, reads on \
         until an empty page or no `next` link; the stream stops at a short page)",
        mb(raw.bytes),
        raw.requests
    );
    Ok(())
}
