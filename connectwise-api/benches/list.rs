//! Listing every configuration of the fake over loopback: a plain `reqwest` loop that does
//! not decode, the client's forward-only stream, and `stream_partitioned` with 2 and 4
//! ranges. Prints one line per way, the best of three runs; set `LIST_BENCH_RECORDS` for
//! another size (default 20,000).

use std::time::{Duration, Instant};

use connectwise_api::fake::FakeConnectWise;
use connectwise_api::models::Configuration;
use connectwise_api::{link_target, ListRequest, DEFAULT_API_VERSION, MAX_PAGE_SIZE};
use futures::StreamExt;

fn main() {
    let records: usize = std::env::var("LIST_BENCH_RECORDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(run(records));
}

async fn run(records: usize) {
    let fake = FakeConnectWise::builder()
        .seed(7)
        .companies(records / 10)
        .configurations(records)
        .start()
        .await;
    let client = fake.client().expect("a client for the fake");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("{records} configurations, 1,000 a page, {cores} cores, best of 3");

    let plain = best(|| plain_loop(&fake)).await;
    report("plain reqwest loop (pages, not items)", plain, plain);
    let list = || client.configurations().list().page_size(MAX_PAGE_SIZE);
    let forward = best(|| count(list().forward_only().stream())).await;
    report("forward_only().stream()", forward, plain);
    for parts in [2, 4] {
        let took = best(|| partitioned(list(), parts)).await;
        report(&format!("stream_partitioned({parts})"), took, plain);
    }
}

async fn partitioned(list: ListRequest<Configuration>, parts: usize) -> (Duration, usize) {
    count(list.stream_partitioned(parts)).await
}

async fn count(stream: connectwise_api::ItemStream<Configuration>) -> (Duration, usize) {
    let start = Instant::now();
    let items = stream
        .map(|item| usize::from(item.is_ok()))
        .fold(0, |n, ok| async move { n + ok })
        .await;
    (start.elapsed(), items)
}

async fn best<F, Fut>(mut run: F) -> (Duration, usize)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = (Duration, usize)>,
{
    let mut best: Option<(Duration, usize)> = None;
    for _ in 0..3 {
        let (took, items) = run().await;
        if best.is_none_or(|(b, _)| took < b) {
            best = Some((took, items));
        }
    }
    best.unwrap_or_default()
}

fn report(name: &str, (took, items): (Duration, usize), (plain, _): (Duration, usize)) {
    let secs = took.as_secs_f64();
    println!(
        "  {name:<38} {secs:>8.3} s {:>6.1}x the plain loop ({items})",
        secs / plain.as_secs_f64().max(f64::EPSILON),
    );
}

/// Every page, forward-only, read but not decoded.
async fn plain_loop(fake: &FakeConnectWise) -> (Duration, usize) {
    let http = reqwest::Client::new();
    let url = format!("{}/company/configurations", fake.api_root());
    let user = format!("{}+{}", fake.company_id(), fake.public_key());
    let accept = format!("application/vnd.connectwise.com+json; version={DEFAULT_API_VERSION}");
    let start = Instant::now();
    let mut page_id: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut query = vec![("pageSize", MAX_PAGE_SIZE.to_string())];
        if let Some(id) = &page_id {
            query.push(("pageId", id.clone()));
        }
        let response = http
            .get(&url)
            .query(&query)
            .basic_auth(&user, Some(fake.private_key()))
            .header("clientId", fake.client_id())
            .header("Accept", &accept)
            .header("pagination-type", "forward-only")
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .expect("a page");
        let next = response
            .headers()
            .get("link")
            .and_then(|v| v.to_str().ok())
            .and_then(|l| link_target(l, "next"))
            .and_then(|u| {
                u.split("pageId=")
                    .nth(1)
                    .map(|id| id.split('&').next().unwrap_or_default().to_owned())
            });
        let body = response.bytes().await.expect("a body");
        pages += 1;
        if body.as_ref() == b"[]" || next.is_none() {
            break;
        }
        page_id = next;
    }
    (start.elapsed(), pages)
}
