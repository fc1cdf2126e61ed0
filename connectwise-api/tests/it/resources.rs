//! Each resource's get, list, count, create, patch, update and delete on the wire.

use connectwise_api::models::{Company, PatchOp, Reference, Ticket};
use connectwise_api::{Condition, Error, ListItem, Resource};
use serde_json::{json, Value};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{client, fixture, json as json_response, json_bytes, API, BASIC, CLIENT_ID};

/// Runs every verb against one collection and checks method, path, query and body.
async fn exercise<T: ListItem + std::fmt::Debug>(
    server: &MockServer,
    resource: Resource<T>,
    collection: &str,
    record: &str,
) {
    let base = format!("{API}{collection}");
    let one = fixture(record);
    let id: i64 = serde_json::from_slice::<Value>(&one).unwrap()["id"]
        .as_i64()
        .unwrap();
    let item = format!("{base}/{id}");
    let auth = || header("authorization", BASIC);

    Mock::given(method("GET"))
        .and(path(item.clone()))
        .and(auth())
        .respond_with(json_bytes(200, one.clone()))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(base.clone()))
        .and(auth())
        .and(query_param("conditions", "id>0"))
        .and(query_param("orderBy", "id desc"))
        .and(query_param("fields", "id,name"))
        .and(query_param("pageSize", "50"))
        .and(query_param("page", "1"))
        .respond_with(json_bytes(
            200,
            format!("[{}]", String::from_utf8_lossy(&one)),
        ))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{base}/count")))
        .and(auth())
        .and(query_param("conditions", "id>0"))
        .respond_with(json_bytes(200, fixture("count.json")))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path(base.clone()))
        .and(auth())
        .and(header("content-type", "application/json; charset=utf-8"))
        .and(body_json(json!({"name": "New"})))
        .respond_with(json_bytes(201, one.clone()))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(item.clone()))
        .and(auth())
        .and(body_json(
            json!([{"op": "replace", "path": "name", "value": "Renamed"},
            {"op": "replace", "path": "company", "value": {"id": 250}}]),
        ))
        .respond_with(json_bytes(200, one.clone()))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("PUT"))
        .and(path(item.clone()))
        .and(auth())
        .and(body_json(json!({"id": id, "name": "Whole"})))
        .respond_with(json_bytes(200, one.clone()))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(item.clone()))
        .and(auth())
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(server)
        .await;

    let id = i32::try_from(id).unwrap();
    let got = resource.get(id).await.unwrap();
    assert_eq!(got.record_id(), Some(i64::from(id)));
    let page = resource
        .list()
        .conditions(Condition::gt("id", 0))
        .order_by("id desc")
        .fields(["id", "name"])
        .page_size(50)
        .send()
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert!(page.next.is_none());
    let count = resource.count(Condition::gt("id", 0)).await.unwrap();
    let expected: Value = serde_json::from_slice(&fixture("count.json")).unwrap();
    assert_eq!(count, expected["count"].as_u64().unwrap());
    let created = resource.create(&json!({"name": "New"})).await.unwrap();
    assert_eq!(created.record_id(), Some(i64::from(id)));
    let ops = [
        PatchOp::replace("name", "Renamed"),
        PatchOp::replace("company", json!({"id": 250})),
    ];
    resource.patch(id, ops).await.unwrap();
    resource
        .update(id, &json!({"id": id, "name": "Whole"}))
        .await
        .unwrap();
    resource.delete(id).await.unwrap();
}

#[tokio::test]
async fn companies_every_verb() {
    let server = MockServer::start().await;
    let (client, _) = client(&server);
    exercise(
        &server,
        client.companies(),
        "/company/companies",
        "company.json",
    )
    .await;
}

#[tokio::test]
async fn configurations_every_verb() {
    let server = MockServer::start().await;
    let (client, _) = client(&server);
    exercise(
        &server,
        client.configurations(),
        "/company/configurations",
        "configuration.json",
    )
    .await;
}

#[tokio::test]
async fn agreements_every_verb() {
    let server = MockServer::start().await;
    let (client, _) = client(&server);
    exercise(
        &server,
        client.agreements(),
        "/finance/agreements",
        "agreement.json",
    )
    .await;
}

#[tokio::test]
async fn catalog_items_every_verb() {
    let server = MockServer::start().await;
    let (client, _) = client(&server);
    exercise(
        &server,
        client.catalog_items(),
        "/procurement/catalog",
        "catalog_item.json",
    )
    .await;
}

#[tokio::test]
async fn tickets_every_verb() {
    let server = MockServer::start().await;
    let (client, _) = client(&server);
    exercise(&server, client.tickets(), "/service/tickets", "ticket.json").await;
}

#[tokio::test]
async fn typed_create_omits_unset_fields_and_sends_references_as_objects() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("{API}/service/tickets")))
        .and(header("clientId", CLIENT_ID))
        .and(body_json(
            json!({"summary": "Printer offline", "company": {"id": 250},
            "initialDescription": "Paper jam"}),
        ))
        .respond_with(json_response(
            201,
            json!({"id": 9, "summary": "Printer offline"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let ticket = Ticket {
        summary: Some("Printer offline".into()),
        company: Some(Reference::id(250)),
        initial_description: Some("Paper jam".into()),
        ..Ticket::default()
    };
    let created = client.tickets().create(&ticket).await.unwrap();
    assert_eq!(created.id, Some(9));
}

#[tokio::test]
async fn patch_refuses_nested_paths_and_empty_lists_without_sending() {
    let server = MockServer::start().await;
    let (client, _) = client(&server);
    let nested = client
        .companies()
        .patch(1, [PatchOp::replace("company/id", 250)])
        .await;
    assert!(matches!(nested, Err(Error::InvalidRequest { .. })));
    let pointer = client
        .companies()
        .patch(1, [PatchOp::replace("/name", "x")])
        .await;
    assert!(matches!(pointer, Err(Error::InvalidRequest { .. })));
    let empty = client.companies().patch(1, Vec::new()).await;
    assert!(matches!(empty, Err(Error::InvalidRequest { .. })));
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[test]
fn patch_ops_serialise_lowercase_with_bare_paths() {
    let ops = vec![
        PatchOp::replace("summary", "New text"),
        PatchOp::replace("parentTicketId", Value::Null),
        PatchOp::add("integratorTags", json!(["a"])),
        PatchOp::remove("site"),
    ];
    assert_eq!(
        serde_json::to_value(&ops).unwrap(),
        json!([{"op":"replace","path":"summary","value":"New text"},
               {"op":"replace","path":"parentTicketId","value":null},
               {"op":"add","path":"integratorTags","value":["a"]},
               {"op":"remove","path":"site"}])
    );
}

#[tokio::test]
async fn raw_json_get_and_count_all() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{API}/system/info")))
        .and(header("authorization", BASIC))
        .respond_with(json_response(200, json!({"version": "v2025.1"})))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{API}/company/companies/count")))
        .respond_with(json_response(200, json!({"count": 1342})))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let info = client.get_json("/system/info").await.unwrap();
    assert_eq!(info["version"], "v2025.1");
    let again = client.get_json("system/info").await.unwrap();
    assert_eq!(
        again, info,
        "a path without its leading slash reaches the same endpoint"
    );
    assert_eq!(client.companies().count_all().await.unwrap(), 1342);
    let requests = server.received_requests().await.unwrap();
    let count = requests
        .iter()
        .find(|r| r.url.path().ends_with("/count"))
        .unwrap();
    assert_eq!(count.url.query(), None);
}

#[test]
fn company_update_body_round_trips_only_what_is_set() {
    let company = Company {
        id: Some(5),
        name: Some("Acme".into()),
        ..Company::default()
    };
    assert_eq!(
        serde_json::to_value(&company).unwrap(),
        json!({"id": 5, "name": "Acme"})
    );
}

#[tokio::test]
async fn ticket_search_posts_the_conditions_and_pages_by_query() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("{API}/service/tickets/search")))
        .and(query_param("pageSize", "500"))
        .and(query_param("page", "2"))
        .and(body_json(json!({"conditions": "status/id in (1,2,3)"})))
        .respond_with(json_response(200, json!([{"id": 11}, {"id": 12}])))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let found = client
        .tickets()
        .search(Condition::in_list("status/id", [1, 2, 3]), 500, 2)
        .await
        .unwrap();
    assert_eq!(
        found.iter().map(|t| t.id.unwrap()).collect::<Vec<_>>(),
        vec![11, 12]
    );
    let too_big = client.tickets().search("id>0", 1001, 1).await;
    assert!(matches!(too_big, Err(Error::PageSizeTooLarge { .. })));
}

#[tokio::test]
async fn raw_post_json_reaches_any_path() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("{API}/system/members/jdoe/tokens")))
        .and(header("clientId", CLIENT_ID))
        .and(body_json(json!({})))
        .respond_with(json_response(
            200,
            json!({"publicKey": "p", "expiration": "x"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let token = client
        .post_json("system/members/jdoe/tokens", &json!({}))
        .await
        .unwrap();
    assert_eq!(token["publicKey"], "p");
}
