//! Paging: Link headers, filters on every page, forward-only, loop guards, limits.

use std::time::Duration;

use connectwise_api::{Error, ListItem, MAX_PAGE_SIZE};
use futures::{StreamExt, TryStreamExt};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::support::{
    builder, client, json as json_response, query_pairs, query_param, requests_to, TestClock, API,
};

fn rows(ids: impl IntoIterator<Item = i64>) -> Value {
    Value::Array(
        ids.into_iter()
            .map(|id| json!({"id": id, "name": format!("row {id}")}))
            .collect(),
    )
}

/// A mock answering every `GET` of `endpoint` with `responder`.
fn get(endpoint: &str, responder: impl Respond + 'static) -> Mock {
    Mock::given(method("GET"))
        .and(path(format!("{API}{endpoint}")))
        .respond_with(responder)
}

/// A server answering every `GET` of `endpoint` with `responder`.
async fn serve(endpoint: &str, responder: impl Respond + 'static) -> MockServer {
    let server = MockServer::start().await;
    get(endpoint, responder).mount(&server).await;
    server
}

fn without_page(request: &Request) -> Vec<(String, String)> {
    query_pairs(request)
        .into_iter()
        .filter(|(k, _)| k != "page" && k != "pageId")
        .collect()
}

#[tokio::test]
async fn h01_every_page_repeats_the_first_pages_filters() {
    let server = MockServer::start().await;
    let expected = "board/name=\"Help Desk\" and id>222000";
    let link_base = "https://api-cw.example.com/v4_6_release/apis/3.0/service/tickets?conditions=board%2Fname%3D%22Help%20Desk%22%20and%20id%3E222000&orderBy=id%20asc&fields=id%2Csummary&pageSize=2";
    let responder = move |request: &Request| {
        if query_param(request, "conditions").as_deref() != Some(expected) {
            return json_response(
                200,
                json!([{"id":1000,"summary":"Old ticket"},
                {"id":1001,"summary":"Older ticket"}]),
            );
        }
        let page = query_param(request, "page").unwrap_or_default();
        let (body, link) = match page.as_str() {
            "1" => (
                json!([{"id":222001,"summary":"Printer jam"},{"id":222002,"summary":"VPN down"}]),
                format!("<{link_base}&page=2>; rel=\"next\", <{link_base}&page=3>; rel=\"last\""),
            ),
            "2" => (
                json!([{"id":222003,"summary":"New laptop"},{"id":222004,"summary":"Password reset"}]),
                format!("<{link_base}&page=3>; rel=\"next\", <{link_base}&page=3>; rel=\"last\""),
            ),
            _ => (
                json!([{"id":222005,"summary":"New starter"}]),
                format!("<{link_base}&page=1>; rel=\"first\", <{link_base}&page=2>; rel=\"prev\""),
            ),
        };
        json_response(200, body).insert_header("Link", link.as_str())
    };
    get("/service/tickets", responder).mount(&server).await;
    let (client, _) = client(&server);

    let tickets: Vec<_> = client
        .tickets()
        .list()
        .conditions(expected)
        .order_by("id asc")
        .fields(["id", "summary"])
        .page_size(2)
        .stream()
        .try_collect()
        .await
        .unwrap();

    let ids: Vec<i32> = tickets.iter().map(|t| t.id.unwrap()).collect();
    assert_eq!(ids, vec![222001, 222002, 222003, 222004, 222005]);
    let requests = requests_to(&server, "/service/tickets").await;
    assert_eq!(requests.len(), 3);
    let first = without_page(&requests[0]);
    for (n, request) in requests.iter().enumerate() {
        assert_eq!(without_page(request), first);
        assert_eq!(query_param(request, "page").unwrap(), (n + 1).to_string());
        let raw_first = requests[0]
            .url
            .query()
            .unwrap()
            .rsplit_once("&page=")
            .unwrap()
            .0;
        let raw = request
            .url
            .query()
            .unwrap()
            .rsplit_once("&page=")
            .unwrap()
            .0;
        assert_eq!(raw, raw_first, "filters are re-sent byte for byte");
    }
}

/// A collection of companies 301..=330 that honours pageSize and page.
fn thirty_companies(request: &Request) -> ResponseTemplate {
    let size: usize = query_param(request, "pageSize").map_or(25, |s| s.parse().unwrap());
    let page: usize = query_param(request, "page").map_or(1, |s| s.parse().unwrap());
    let all: Vec<i64> = (301..=330).collect();
    let chunk: Vec<i64> = all
        .iter()
        .copied()
        .skip((page - 1) * size)
        .take(size)
        .collect();
    let last = all.len().div_ceil(size);
    let base = "https://api-cw.example.com/v4_6_release/apis/3.0/company/companies";
    let mut links = vec![format!("<{base}?pageSize={size}&page=1>; rel=\"first\"")];
    if page > 1 {
        links.push(format!(
            "<{base}?pageSize={size}&page={}>; rel=\"prev\"",
            page - 1
        ));
    }
    if page < last {
        links.push(format!(
            "<{base}?pageSize={size}&page={}>; rel=\"next\"",
            page + 1
        ));
        links.push(format!(
            "<{base}?pageSize={size}&page={last}>; rel=\"last\""
        ));
    }
    json_response(200, rows(chunk)).insert_header("Link", links.join(", ").as_str())
}

#[tokio::test]
async fn h02_always_send_page_size_and_follow_next_to_the_end() {
    let server = serve("/company/companies", thirty_companies).await;
    let (client, _) = client(&server);

    let all: Vec<_> = client
        .companies()
        .list()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 30);
    let requests = requests_to(&server, "/company/companies").await;
    assert_eq!(requests.len(), 1);
    assert_eq!(query_param(&requests[0], "pageSize").unwrap(), "1000");

    let small: Vec<_> = client
        .companies()
        .list()
        .page_size(10)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let mut ids: Vec<i32> = small.iter().map(|c| c.id.unwrap()).collect();
    ids.dedup();
    assert_eq!(ids, (301..=330).collect::<Vec<_>>());
    let requests = requests_to(&server, "/company/companies").await;
    assert_eq!(requests.len(), 4, "1 + 3 requests");

    let big = client
        .companies()
        .list()
        .page_size(5000)
        .stream()
        .try_collect::<Vec<_>>()
        .await;
    assert!(matches!(
        big,
        Err(Error::PageSizeTooLarge {
            requested: 5000,
            max: 1000
        })
    ));
    let requests = requests_to(&server, "/company/companies").await;
    assert_eq!(requests.len(), 4, "no request for a page size over 1000");
    for request in requests {
        let size: u32 = query_param(&request, "pageSize").unwrap().parse().unwrap();
        assert!(size <= MAX_PAGE_SIZE);
    }
}

#[tokio::test]
async fn page_size_over_1000_is_refused_for_one_page_and_at_build() {
    let server = MockServer::start().await;
    let (client, clock) = client(&server);
    let page = client
        .list_json("/company/companies")
        .page_size(1001)
        .send()
        .await;
    assert!(matches!(
        page,
        Err(Error::PageSizeTooLarge {
            requested: 1001,
            ..
        })
    ));
    assert!(server.received_requests().await.unwrap().is_empty());
    let built = builder(&server, &clock).page_size(2000).build();
    assert!(matches!(
        built,
        Err(Error::PageSizeTooLarge {
            requested: 2000,
            ..
        })
    ));
}

#[tokio::test]
async fn h03_a_short_page_without_link_ends_the_listing() {
    let server = MockServer::start().await;
    get(
        "/company/configurations",
        json_response(200, rows([1, 2, 3])),
    )
    .expect(1)
    .mount(&server)
    .await;
    let (client, _) = client(&server);
    let items: Vec<Value> = client
        .list_json("/company/configurations")
        .conditions("company/id=250")
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 3);
}

#[tokio::test]
async fn h03_a_full_page_without_link_asks_for_one_more() {
    let server = MockServer::start().await;
    let responder = |request: &Request| match query_param(request, "page").as_deref() {
        Some("1") => json_response(200, rows([1, 2])),
        _ => json_response(200, json!([])),
    };
    get("/company/configurations", responder)
        .expect(2)
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let items: Vec<Value> = client
        .list_json("/company/configurations")
        .page_size(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 2);
}

#[tokio::test]
async fn h03_next_is_read_by_rel_and_rebuilt_on_our_base() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    let other = elsewhere.uri();
    let responder = move |request: &Request| {
        match query_param(request, "page").as_deref() {
        Some("1") => json_response(200, rows([1, 2])).insert_header(
            "Link",
            format!("<{other}/v2019_1/apis/3.0/company/configurations?pageSize=2&page=2>; rel=\"next\"")
                .as_str(),
        ),
        Some("2") => json_response(200, rows([3, 4])).insert_header(
            "Link",
            format!(
                "<{other}/v2019_1/apis/3.0/company/configurations?pageSize=2&page=1>; rel=\"first\", \
                 <{other}/v2019_1/apis/3.0/company/configurations?pageSize=2&page=3>; REL=next, \
                 <{other}/v2019_1/apis/3.0/company/configurations?pageSize=2&page=1>; rel=\"prev\""
            )
            .as_str(),
        ),
        _ => json_response(200, rows([5])),
    }
    };
    get("/company/configurations", responder)
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let items: Vec<Value> = client
        .list_json("/company/configurations")
        .conditions("company/id=250")
        .page_size(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 5);
    let requests = requests_to(&server, "/company/configurations").await;
    let pages: Vec<String> = requests
        .iter()
        .map(|r| query_param(r, "page").unwrap())
        .collect();
    assert_eq!(pages, ["1", "2", "3"]);
    assert_eq!(
        query_param(&requests[2], "conditions").unwrap(),
        "company/id=250"
    );
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn h03_a_next_link_that_repeats_a_page_stalls() {
    let server = MockServer::start().await;
    let base = server.uri();
    let responder = move |_: &Request| {
        json_response(200, rows([1, 2])).insert_header(
            "Link",
            format!("<{base}{API}/company/configurations?pageSize=2&page=2>; rel=\"next\"")
                .as_str(),
        )
    };
    get("/company/configurations", responder)
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let walk = client
        .list_json("/company/configurations")
        .page_size(2)
        .stream()
        .collect::<Vec<_>>();
    let results = tokio::time::timeout(Duration::from_millis(500), walk)
        .await
        .unwrap();
    let last = results.last().unwrap();
    assert!(matches!(last, Err(Error::PagingStalled { .. })), "{last:?}");
    assert_eq!(
        requests_to(&server, "/company/configurations").await.len(),
        2
    );
}

#[tokio::test]
async fn h03_forward_only_walks_by_page_id() {
    let server = MockServer::start().await;
    let responder = |request: &Request| {
        match query_param(request, "pageId").as_deref() {
        None => json_response(200, rows([1, 2, 3])).insert_header(
            "Link",
            "<https://api-cw.example.com/v4_6_release/apis/3.0/company/configurations?pageSize=3&pageId=3>; rel=\"next\"",
        ),
        Some("3") => json_response(200, rows([4, 5, 6])),
        Some("6") => json_response(200, rows([7])),
        _ => ResponseTemplate::new(500),
    }
    };
    get("/company/configurations", responder)
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let items: Vec<_> = client
        .configurations()
        .list()
        .forward_only()
        .fields(["name"])
        .page_size(3)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 7);
    let requests = requests_to(&server, "/company/configurations").await;
    assert_eq!(requests.len(), 3);
    let ids: Vec<Option<String>> = requests.iter().map(|r| query_param(r, "pageId")).collect();
    assert_eq!(ids, [None, Some("3".into()), Some("6".into())]);
    for request in &requests {
        assert_eq!(
            request.headers.get("pagination-type").unwrap(),
            "forward-only"
        );
        assert!(query_param(request, "orderBy").is_none());
        assert!(query_param(request, "page").is_none());
        assert_eq!(
            query_param(request, "fields").unwrap(),
            "id,name",
            "id is always projected"
        );
    }
}

#[tokio::test]
async fn forward_only_refuses_order_by_and_stalls_when_page_id_is_ignored() {
    let server = serve("/company/configurations", json_response(200, rows([1, 2]))).await;
    let (client, _) = client(&server);
    let ordered = client
        .list_json("/company/configurations")
        .forward_only()
        .order_by("id")
        .send()
        .await;
    assert!(matches!(ordered, Err(Error::InvalidRequest { .. })));
    assert!(server.received_requests().await.unwrap().is_empty());

    let walk = client
        .list_json("/company/configurations")
        .forward_only()
        .page_size(2)
        .stream();
    let results: Vec<_> = tokio::time::timeout(Duration::from_millis(500), walk.collect())
        .await
        .unwrap();
    assert!(
        matches!(results.last(), Some(Err(Error::PagingStalled { .. }))),
        "{results:?}"
    );
    assert_eq!(
        requests_to(&server, "/company/configurations").await.len(),
        2
    );
}

fn out_of_range() -> Value {
    json!({"code":"InvalidObject","message":"pageSize object is invalid","errors":[{"code":"OutOfRange",
        "message":"The field pageSize must be between 1 and 100.","resource":"pageSize","field":"pageSize"}]})
}

fn old_server(request: &Request) -> ResponseTemplate {
    let size: usize = query_param(request, "pageSize").unwrap().parse().unwrap();
    if size > 100 {
        return json_response(400, out_of_range());
    }
    let page: usize = query_param(request, "page").unwrap().parse().unwrap();
    let chunk: Vec<i64> = (1..=140).skip((page - 1) * size).take(size).collect();
    let link = if page == 1 {
        "<https://x/?page=2>; rel=\"next\"".to_owned()
    } else {
        "<https://x/?page=1>; rel=\"first\"".to_owned()
    };
    json_response(200, rows(chunk)).insert_header("Link", link.as_str())
}

#[tokio::test]
async fn h04_a_rejected_page_size_is_an_error_never_an_empty_list() {
    let server = serve("/company/companies", old_server).await;
    let (client, clock) = client(&server);
    let result: Result<Vec<_>, _> = client
        .companies()
        .list()
        .conditions("id>0")
        .stream()
        .try_collect()
        .await;
    let error = result.unwrap_err();
    let api = error.api().expect("an Api error");
    assert_eq!(api.status, 400);
    assert_eq!(api.kind(), connectwise_api::ApiErrorKind::Validation);
    assert_eq!(api.code.as_deref(), Some("InvalidObject"));
    assert_eq!(api.errors.len(), 1);
    assert_eq!(api.errors[0].code.as_deref(), Some("OutOfRange"));
    assert_eq!(api.errors[0].field.as_deref(), Some("pageSize"));
    assert_eq!(requests_to(&server, "/company/companies").await.len(), 1);

    let fallback = builder(&server, &clock)
        .page_size_fallback(true)
        .build()
        .unwrap();
    let all: Vec<_> = fallback
        .companies()
        .list()
        .conditions("id>0")
        .stream()
        .try_collect()
        .await
        .unwrap();
    let mut ids: Vec<i32> = all.iter().map(|c| c.id.unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 140);
    let requests = requests_to(&server, "/company/companies").await;
    let sizes: Vec<(String, String)> = requests[1..]
        .iter()
        .map(|r| {
            (
                query_param(r, "pageSize").unwrap(),
                query_param(r, "page").unwrap(),
            )
        })
        .collect();
    let expected = [("1000", "1"), ("100", "1"), ("100", "2")];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(sizes, expected);
}

#[tokio::test]
async fn an_item_without_id_fails_alone_and_the_page_goes_on() {
    let server = serve(
        "/company/companies",
        json_response(200, json!([{"id": 1}, {"name": "no id"}, {"id": 3}])),
    )
    .await;
    let (client, _) = client(&server);
    let results: Vec<_> = client.companies().list().stream().collect().await;
    assert_eq!(results.len(), 3);
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 2);
    let bad = results.iter().find_map(|r| r.as_ref().err()).unwrap();
    assert!(
        matches!(bad, Error::Decode { json_path, .. } if json_path == "[1].id"),
        "{bad:?}"
    );
    let raw: Vec<Value> = client
        .list_json("/company/companies")
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(raw.len(), 3, "raw listings keep items without id");
    assert_eq!(raw[2].record_id(), Some(3));
}

#[tokio::test]
async fn a_list_stream_moves_into_tokio_spawn() {
    let server = serve("/company/companies", json_response(200, rows([7, 8]))).await;
    let clock = TestClock::new();
    let client = builder(&server, &clock).build().unwrap();
    let stream = client.list_json("/company/companies").stream();
    let typed = client.clone();
    let handle = tokio::spawn(async move {
        let raw: Vec<Value> = stream.try_collect().await.unwrap();
        let one = typed.companies().get(7).await;
        (raw.len(), one.is_err())
    });
    let (count, get_failed) = handle.await.unwrap();
    assert_eq!(count, 2);
    assert!(get_failed, "no mock serves /company/companies/7");
}

#[tokio::test]
async fn h09_fields_are_left_out_for_every_field_and_never_star() {
    let server = serve("/company/configurations", json_response(200, rows([1542]))).await;
    let (client, _) = client(&server);
    client.configurations().list().send().await.unwrap();
    let star = client.configurations().list().fields(["*"]).send().await;
    assert!(
        matches!(star, Err(Error::InvalidRequest { .. })),
        "{star:?}"
    );
    client
        .configurations()
        .list()
        .fields(["id", "name", "serialNumber", "ipAddress"])
        .send()
        .await
        .unwrap();
    let requests = requests_to(&server, "/company/configurations").await;
    assert_eq!(requests.len(), 2);
    assert!(query_param(&requests[0], "fields").is_none());
    assert_eq!(
        query_param(&requests[1], "fields").unwrap(),
        "id,name,serialNumber,ipAddress"
    );
    for request in &requests {
        assert!(!request.url.as_str().contains("fields=*"));
        assert!(!request.url.as_str().contains("fields=%2A"));
    }
}

#[tokio::test]
async fn h33_missing_ids_are_re_read_in_batches_that_fit() {
    let server = serve(
        "/company/configurations",
        json_response(
            200,
            json!([{"id":1543,"name":"ACME-WS-018","status":{"id":3,"name":"Inactive"}}]),
        ),
    )
    .await;
    let (client, _) = client(&server);
    let batches = client
        .configurations()
        .list()
        .split_in("id", [1543, 1544, 1545])
        .unwrap();
    assert_eq!(batches.len(), 1);
    let mut found = Vec::new();
    for batch in batches {
        let items: Vec<_> = batch.stream().try_collect().await.unwrap();
        found.extend(items.into_iter().filter_map(|c| c.id));
    }
    assert_eq!(found, vec![1543]);
    let requests = requests_to(&server, "/company/configurations").await;
    assert_eq!(requests.len(), 1);
    assert_eq!(
        query_param(&requests[0], "conditions").unwrap(),
        "id in (1543,1544,1545)"
    );

    let many: Vec<i64> = (1_000_000..1_001_000).collect();
    let batches = client.configurations().list().split_in("id", many).unwrap();
    assert!(batches.len() > 1);
    let none = client
        .configurations()
        .list()
        .split_in("id", Vec::<i64>::new())
        .unwrap();
    assert!(none.is_empty(), "an empty list needs no request");
}

#[tokio::test]
async fn a_bad_last_row_is_rejected_alone_and_its_id_still_moves_the_cursor() {
    let server = MockServer::start().await;
    let bad_row = br#"{"id": 2, "name": ["not", "a", "name"]}"#;
    let mut first = b"[{\"id\": 1, \"name\": \"one\"}, ".to_vec();
    first.extend_from_slice(bad_row);
    first.push(b']');
    Mock::given(method("GET"))
        .and(path(format!("{API}/company/companies")))
        .and(wiremock::matchers::query_param_is_missing("pageId"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(first, "application/json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{API}/company/companies")))
        .and(wiremock::matchers::query_param("pageId", "2"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(&br#"[{"id": 3}]"#[..], "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server);

    let results: Vec<_> = client
        .companies()
        .list()
        .forward_only()
        .page_size(2)
        .stream()
        .collect()
        .await;
    let ids: Vec<i32> = results.iter().filter_map(|r| r.as_ref().ok()?.id).collect();
    assert_eq!(ids, [1, 3]);
    let bad = results.iter().find_map(|r| r.as_ref().err());
    match bad {
        Some(Error::Decode {
            json_path, snippet, ..
        }) => {
            assert_eq!(json_path, "[1].name");
            assert_eq!(snippet.as_bytes(), bad_row);
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}
