//! Listings read as disjoint id ranges at the same time (`stream_partitioned`).

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use connectwise_api::conditions::Condition;
use connectwise_api::fake::{Entity, FakeConnectWise};
use connectwise_api::models::Configuration;
use connectwise_api::{Client, Error, Site};
use futures::StreamExt;
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{self, API};

const LIST: &str = "/company/configurations";

async fn fake(devices: usize) -> FakeConnectWise {
    FakeConnectWise::builder()
        .seed(4242)
        .companies(40)
        .configurations(devices)
        .start()
        .await
}

fn client(fake: &FakeConnectWise) -> Client {
    fake.client().unwrap_or_else(|e| panic!("client: {e}"))
}

/// The ids of every item, failing on any item error.
async fn ids(list: connectwise_api::ListRequest<Configuration>, parts: usize) -> Vec<i64> {
    let items: Vec<_> = list.stream_partitioned(parts).collect().await;
    items
        .into_iter()
        .map(|item| {
            let device = item.unwrap_or_else(|e| panic!("item failed: {e}"));
            i64::from(device.id.unwrap_or_else(|| panic!("device without id")))
        })
        .collect()
}

fn assert_each_once(got: &[i64], expected: &BTreeSet<i64>) {
    let unique: BTreeSet<i64> = got.iter().copied().collect();
    assert_eq!(unique.len(), got.len(), "a record came twice");
    assert_eq!(&unique, expected, "records missing or extra");
}

/// List requests a single forward-only read of `records` takes (it ends on a short page).
fn forward_only_requests(records: usize, page_size: usize) -> u64 {
    (records / page_size + 1) as u64
}

#[tokio::test]
async fn every_record_comes_once_for_each_part_count_despite_uneven_gaps() {
    let fake = fake(2_000).await;
    // Uneven gaps: a long run of ids gone near the start and every seventh id after it.
    let all = fake.ids(Entity::Configurations);
    for (n, id) in all.iter().enumerate() {
        if (150..900).contains(&n) || (n > 900 && n % 7 == 0) {
            fake.remove(Entity::Configurations, *id);
        }
    }
    let expected: BTreeSet<i64> = fake.ids(Entity::Configurations).into_iter().collect();
    assert!(expected.len() > 1_000, "{} left", expected.len());
    let client = client(&fake);

    for parts in [0, 1, 2, 3, 4, 7, 16] {
        fake.state().reset_counters();
        let got = ids(client.configurations().list().page_size(100), parts).await;
        assert_each_once(&got, &expected);

        let requests = fake.counters().get("GET", LIST);
        let single = forward_only_requests(expected.len(), 100);
        let bound = if parts <= 1 {
            single
        } else {
            single + 1 + (parts as u64 - 1)
        };
        assert!(
            requests <= bound,
            "{parts} parts: {requests} requests, bound {bound}"
        );
    }
}

#[tokio::test]
async fn a_listing_of_one_page_costs_one_request() {
    let fake = fake(60).await;
    let client = client(&fake);
    let expected: BTreeSet<i64> = fake.ids(Entity::Configurations).into_iter().collect();

    let got = ids(client.configurations().list().page_size(100), 8).await;
    assert_each_once(&got, &expected);
    assert_eq!(fake.counters().get("GET", LIST), 1);
}

#[tokio::test]
async fn an_empty_listing_gives_nothing_after_one_request() {
    let fake = fake(0).await;
    let client = client(&fake);

    let got = ids(client.configurations().list(), 4).await;
    assert!(got.is_empty());
    assert_eq!(fake.counters().get("GET", LIST), 1);
}

#[tokio::test]
async fn a_raw_filter_is_combined_with_each_range() {
    let fake = fake(1_200).await;
    let client = client(&fake);
    let filter = || Condition::raw("name contains \"a\" or name contains \"e\"");

    let single: Vec<_> = client
        .configurations()
        .list()
        .conditions(filter())
        .page_size(50)
        .forward_only()
        .stream()
        .collect()
        .await;
    let expected: BTreeSet<i64> = single
        .into_iter()
        .map(|item| {
            let device = item.unwrap_or_else(|e| panic!("item failed: {e}"));
            i64::from(device.id.unwrap_or_default())
        })
        .collect();
    assert!(
        expected.len() > 100 && expected.len() < 1_200,
        "the filter keeps {} of 1200",
        expected.len()
    );

    let list = client
        .configurations()
        .list()
        .conditions(filter())
        .page_size(50);
    assert_each_once(&ids(list, 5).await, &expected);
}

#[tokio::test]
async fn records_added_past_the_largest_id_are_still_read() {
    let fake = fake(300).await;
    let client = client(&fake);
    let mut stream = client
        .configurations()
        .list()
        .page_size(100)
        .stream_partitioned(3);

    // The first page and the largest id are read before the first item is handed out.
    let first = stream.next().await;
    assert!(matches!(first, Some(Ok(_))));
    let template = fake.records(Entity::Configurations)[0].clone();
    let mut added = template;
    added["id"] = Value::Null;
    let new_id = fake.insert(Entity::Configurations, added);

    let mut got: Vec<i64> = vec![first
        .and_then(|r| r.ok())
        .and_then(|d| d.id)
        .map(i64::from)
        .unwrap_or_default()];
    while let Some(item) = stream.next().await {
        let device = item.unwrap_or_else(|e| panic!("item failed: {e}"));
        got.push(i64::from(device.id.unwrap_or_default()));
    }
    let expected: BTreeSet<i64> = fake.ids(Entity::Configurations).into_iter().collect();
    assert!(expected.contains(&new_id));
    assert_each_once(&got, &expected);
}

fn rows(ids: impl IntoIterator<Item = i64>) -> Vec<u8> {
    let rows: Vec<Value> = ids.into_iter().map(|id| json!({ "id": id })).collect();
    serde_json::to_vec(&rows).unwrap_or_default()
}

fn json_body(body: Vec<u8>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, "application/json")
}

#[tokio::test]
async fn a_failed_range_is_an_error_item_and_the_others_go_on() {
    let server = MockServer::start().await;
    let url = format!("{API}/company/configurations");
    // First page: full (2 rows), so the largest id is asked for.
    Mock::given(method("GET"))
        .and(path(url.as_str()))
        .and(query_param_is_missing("conditions"))
        .and(query_param_is_missing("orderBy"))
        .respond_with(json_body(rows([1, 2])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(url.as_str()))
        .and(query_param("orderBy", "id desc"))
        .and(query_param("pageSize", "1"))
        .and(query_param("fields", "id"))
        .respond_with(json_body(rows([10])))
        .expect(1)
        .mount(&server)
        .await;
    // Ids 3 to 10 in two ranges: [3, 7) fails, [7, ..) has one row.
    Mock::given(method("GET"))
        .and(path(url.as_str()))
        .and(query_param("conditions", "id>=3 and id<7"))
        .respond_with(ResponseTemplate::new(400).set_body_raw(
            include_bytes!("../fixtures/error_bad_condition.json").to_vec(),
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(url.as_str()))
        .and(query_param("conditions", "id>=7"))
        .respond_with(json_body(rows([7])))
        .expect(1)
        .mount(&server)
        .await;

    let client = support::no_retry_client(&server);
    let items: Vec<_> = client
        .list_json("/company/configurations")
        .page_size(2)
        .stream_partitioned(2)
        .collect()
        .await;
    let mut ok: Vec<i64> = Vec::new();
    let mut errors = Vec::new();
    for item in items {
        match item {
            Ok(row) => ok.push(row["id"].as_i64().unwrap_or_default()),
            Err(e) => errors.push(e),
        }
    }
    ok.sort_unstable();
    assert_eq!(ok, [1, 2, 7]);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(matches!(&errors[0], Error::Api(api) if api.status == 400));
}

/// A list endpoint over ids 1 to `total` that understands `id>=a and id<b`, waits a
/// little on each answer and records the most requests it had at once.
async fn gauged_server(total: i64) -> (String, Arc<AtomicUsize>) {
    use axum::extract::{Query, State};
    use axum::routing::get;
    use std::collections::HashMap;

    #[derive(Default)]
    struct Gauge {
        now: AtomicUsize,
        max: Arc<AtomicUsize>,
    }

    async fn list(
        State((gauge, total)): State<(Arc<Gauge>, i64)>,
        Query(query): Query<HashMap<String, String>>,
    ) -> ([(&'static str, &'static str); 1], Vec<u8>) {
        let now = gauge.now.fetch_add(1, Ordering::SeqCst) + 1;
        gauge.max.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(20)).await;
        let number = |key: &str| query.get(key).and_then(|v| v.parse::<i64>().ok());
        let body = if query.contains_key("orderBy") {
            rows([total])
        } else {
            let size = number("pageSize").unwrap_or(1000);
            let mut from = number("pageId").unwrap_or(0) + 1;
            let mut below = total + 1;
            for part in query
                .get("conditions")
                .map_or("", String::as_str)
                .split(" and ")
            {
                if let Some(a) = part.strip_prefix("id>=").and_then(|a| a.parse().ok()) {
                    from = from.max(a);
                }
                if let Some(b) = part.strip_prefix("id<").and_then(|b| b.parse().ok()) {
                    below = below.min(b);
                }
            }
            rows((from..below).take(size as usize))
        };
        gauge.now.fetch_sub(1, Ordering::SeqCst);
        ([("content-type", "application/json")], body)
    }

    let gauge = Arc::new(Gauge::default());
    let max = Arc::clone(&gauge.max);
    let app = axum::Router::new()
        .route(&format!("{API}/company/configurations"), get(list))
        .with_state((gauge, total));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("bind: {e}"));
    let address = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("address: {e}"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{address}"), max)
}

#[tokio::test]
async fn no_more_than_parts_requests_are_in_flight() {
    let (uri, max_in_flight) = gauged_server(1_000).await;
    let client = Client::builder()
        .company(support::COMPANY)
        .public_key(support::PUBLIC_KEY)
        .private_key(support::PRIVATE_KEY)
        .client_id(support::CLIENT_ID)
        .site(Site::Url(uri.parse().unwrap_or_else(|e| panic!("{e}"))))
        .allow_insecure_http(true)
        .throttle(None)
        .build()
        .unwrap_or_else(|e| panic!("client: {e}"));

    let items: Vec<_> = client
        .list_json("/company/configurations")
        .page_size(50)
        .stream_partitioned(3)
        .collect()
        .await;
    let ids: Vec<i64> = items
        .into_iter()
        .map(|item| {
            item.unwrap_or_else(|e| panic!("item failed: {e}"))["id"]
                .as_i64()
                .unwrap_or_default()
        })
        .collect();
    assert_each_once(&ids, &(1..=1_000).collect());
    let max = max_in_flight.load(Ordering::SeqCst);
    assert!((2..=3).contains(&max), "{max} requests in flight at most");
}

#[tokio::test]
async fn the_fake_orders_by_id_descending_for_the_largest_id() {
    let fake = fake(500).await;
    let client = client(&fake);
    let mut stored = fake.ids(Entity::Configurations);
    stored.sort_unstable();
    let top: Vec<i64> = stored.iter().rev().take(3).copied().collect();

    let page = client
        .list_json("/company/configurations")
        .conditions(Condition::ge("id", stored[10]).and(Condition::lt("id", stored[400])))
        .order_by("id desc")
        .fields(["id"])
        .page_size(3)
        .send()
        .await
        .unwrap_or_else(|e| panic!("page: {e}"));
    let got: Vec<i64> = page.items.iter().filter_map(|r| r["id"].as_i64()).collect();
    assert_eq!(got, [stored[399], stored[398], stored[397]]);

    let page = client
        .list_json("/company/configurations")
        .order_by("id desc")
        .page_size(3)
        .send()
        .await
        .unwrap_or_else(|e| panic!("page: {e}"));
    let got: Vec<i64> = page.items.iter().filter_map(|r| r["id"].as_i64()).collect();
    assert_eq!(got, top);
}

/// A record type whose decoding panics on one id, standing for a bug in a caller's type.
#[derive(Debug)]
struct PanicsOn(i64);

impl<'de> serde::Deserialize<'de> for PanicsOn {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let row = Value::deserialize(d)?;
        let id = row.get("id").and_then(Value::as_i64).unwrap_or_default();
        assert!(
            id != PANIC_ID.load(Ordering::Relaxed) as i64,
            "decoding bug"
        );
        Ok(PanicsOn(id))
    }
}

impl connectwise_api::ListItem for PanicsOn {
    const REQUIRES_ID: bool = true;

    fn record_id(&self) -> Option<i64> {
        Some(self.0)
    }
}

static PANIC_ID: AtomicUsize = AtomicUsize::new(usize::MAX);

#[tokio::test]
async fn a_range_whose_task_panics_ends_with_an_error_not_in_silence() {
    let fake = fake(600).await;
    let all = fake.ids(Entity::Configurations);
    // NB: past the first page of 100, so the panic happens inside a range's task.
    PANIC_ID.store(all[450] as usize, Ordering::Relaxed);
    let typed = client(&fake).list_of::<PanicsOn>(LIST).page_size(100);

    let items: Vec<_> = typed.stream_partitioned(3).collect().await;

    let aborted: Vec<String> = items
        .iter()
        .filter_map(|i| match i {
            Err(e @ Error::RangeAborted { .. }) => Some(e.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(aborted.len(), 1, "{aborted:?}");
    assert!(aborted[0].contains("panicked"), "{}", aborted[0]);
    assert!(aborted[0].contains(LIST), "{}", aborted[0]);
    let read = items.iter().filter(|i| i.is_ok()).count();
    assert!(read < all.len(), "the broken range cannot look complete");
}
