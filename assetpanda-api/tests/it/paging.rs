//! Walking every page of a search against a server that caps its pages.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use assetpanda_api::Error;
use futures::{StreamExt, TryStreamExt};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::common::client;

fn object(n: usize) -> Value {
    json!({"id": format!("64b0000000000000000{n:05}"), "data": {"field_1": format!("DEV-{n}")}})
}

/// Serves `total` objects, never more than `cap` a page, computing each page from the
/// query; records the (offset, limit) of every request.
struct CappedPages {
    total: usize,
    cap: usize,
    report_total: bool,
    seen: Arc<Mutex<Vec<(usize, usize)>>>,
}

impl Respond for CappedPages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let get = |k: &str| -> usize {
            request
                .url
                .query_pairs()
                .find(|(key, _)| key == k)
                .and_then(|(_, v)| v.parse().ok())
                .expect("offset and limit are sent")
        };
        let (offset, limit) = (get("offset"), get("limit"));
        self.seen.lock().unwrap().push((offset, limit));

        let end = (offset + limit.min(self.cap)).min(self.total);
        let objects: Vec<Value> = (offset.min(end)..end).map(object).collect();
        let mut body = json!({"objects": objects});
        if self.report_total {
            body["totals"] = json!({"objects": self.total, "offset": offset, "limit": limit});
        }
        ResponseTemplate::new(200).set_body_raw(body.to_string(), "application/json")
    }
}

async fn serve(
    total: usize,
    cap: usize,
    report_total: bool,
) -> (MockServer, Arc<Mutex<Vec<(usize, usize)>>>) {
    let server = MockServer::start().await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    Mock::given(method("POST"))
        .and(path("/v3/groups/204820/search/objects"))
        .respond_with(CappedPages {
            total,
            cap,
            report_total,
            seen: seen.clone(),
        })
        .mount(&server)
        .await;
    (server, seen)
}

#[tokio::test]
async fn a_capped_server_loses_no_object_and_repeats_none() {
    let (server, seen) = serve(23, 5, true).await;
    let (client, _) = client(&server);

    let objects: Vec<_> = client
        .objects(204820)
        .search()
        .limit(8)
        .stream()
        .try_collect()
        .await
        .unwrap();

    let ids: Vec<String> = objects.iter().map(|o| o.id.clone().unwrap().0).collect();
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(ids.len(), 23);
    assert_eq!(unique.len(), 23);
    assert_eq!(objects[22].text("field_1").as_deref(), Some("DEV-22"));
    let offsets: Vec<(usize, usize)> = seen.lock().unwrap().clone();
    assert_eq!(offsets, [(0, 8), (5, 8), (10, 8), (15, 8), (20, 8)]);
}

#[tokio::test]
async fn without_totals_paging_stops_on_the_first_empty_page() {
    let (server, seen) = serve(10, 4, false).await;
    let (client, _) = client(&server);

    let count = client
        .objects(204820)
        .search()
        .limit(4)
        .stream()
        .count()
        .await;

    assert_eq!(count, 10);
    let offsets: Vec<usize> = seen.lock().unwrap().iter().map(|(o, _)| *o).collect();
    assert_eq!(offsets, [0, 4, 8, 10]);
}

#[tokio::test]
async fn the_stream_is_send_and_static_and_runs_in_a_spawned_task() {
    let (server, _) = serve(7, 3, true).await;
    let (client, _) = client(&server);
    let stream = client.objects(204820).search().limit(3).stream();

    let handle = tokio::spawn(async move { stream.try_collect::<Vec<_>>().await });

    assert_eq!(handle.await.unwrap().unwrap().len(), 7);
}

#[tokio::test]
async fn duplicates_across_pages_are_dropped() {
    let server = MockServer::start().await;
    let pages = [
        json!({"objects": [object(1), object(2)], "totals": {"objects": 5}}),
        json!({"objects": [object(2), object(3)], "totals": {"objects": 5}}),
        json!({"objects": [object(4)], "totals": {"objects": 5}}),
    ];
    for (i, page) in pages.iter().enumerate() {
        Mock::given(method("POST"))
            .and(wiremock::matchers::query_param(
                "offset",
                ["0", "2", "4"][i],
            ))
            .respond_with(
                ResponseTemplate::new(200).set_body_raw(page.to_string(), "application/json"),
            )
            .mount(&server)
            .await;
    }
    let (client, _) = client(&server);

    let objects: Vec<_> = client
        .objects(1)
        .search()
        .limit(2)
        .stream()
        .try_collect()
        .await
        .unwrap();

    let ids: Vec<String> = objects.iter().map(|o| o.id.clone().unwrap().0).collect();
    assert_eq!(ids.len(), 4);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 4);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn pages_that_bring_nothing_new_stop_with_paging_stalled() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            json!({"objects": [object(1), object(2)]}).to_string(),
            "application/json",
        ))
        .mount(&server)
        .await;
    let (client, _) = client(&server);

    let items: Vec<_> = client.objects(1).search().limit(2).stream().collect().await;

    assert_eq!(items.len(), 3);
    assert!(items[0].is_ok() && items[1].is_ok());
    assert!(
        matches!(items[2], Err(Error::PagingStalled { pages: 2, .. })),
        "{:?}",
        items[2]
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn an_object_without_id_is_an_item_error_and_the_walk_goes_on() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            json!({"objects": [object(1), {"data": {"field_1": "orphan"}}, object(3)], "totals": {"objects": 3}})
                .to_string(),
            "application/json",
        ))
        .mount(&server)
        .await;
    let (client, _) = client(&server);

    let items: Vec<_> = client.objects(1).search().stream().collect().await;

    assert_eq!(items.len(), 3);
    assert!(items[0].is_ok() && items[2].is_ok());
    let Err(Error::Decode { json_path, .. }) = &items[1] else {
        panic!("{:?}", items[1]);
    };
    assert_eq!(json_path, "objects[1].id");
}

#[tokio::test]
async fn a_failed_page_ends_the_stream_with_its_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(403).set_body_raw(r#"{"error":"Forbidden"}"#, "application/json"),
        )
        .mount(&server)
        .await;
    let (client, _) = client(&server);

    let items: Vec<_> = client.objects(1).search().stream().collect().await;

    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0].as_ref().unwrap_err().status().unwrap().as_u16(),
        403
    );
}

#[tokio::test]
async fn the_list_may_come_under_data_or_results_with_a_plain_total() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            json!({"results": [object(1), object(2)], "total": 2}).to_string(),
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server);

    let objects: Vec<_> = client
        .objects(1)
        .search()
        .stream()
        .try_collect()
        .await
        .unwrap();

    assert_eq!(objects.len(), 2);
}

#[tokio::test]
async fn a_null_list_with_a_zero_total_is_an_empty_page_but_a_missing_list_is_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v3/groups/1/search/objects"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            json!({"objects": null, "totals": {"objects": 0}}).to_string(),
            "application/json",
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v3/groups/2/search/objects"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(json!({"message": "ok"}).to_string(), "application/json"),
        )
        .mount(&server)
        .await;
    let (client, _) = client(&server);

    let empty = client.objects(1).search().send().await.unwrap();
    let broken = client.objects(2).search().send().await.unwrap_err();

    assert!(empty.objects.is_empty() && empty.is_last());
    assert!(matches!(broken, Error::Decode { .. }), "{broken:?}");
}
