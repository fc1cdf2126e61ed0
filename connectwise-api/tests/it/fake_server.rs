//! The fake server's protocol, request by request, without sockets: credentials,
//! companyinfo, paging, filters and projection.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use connectwise_api::fake::{Entity, FakeConnectWise, FakeRequest, FakeResponse, FakeState};
use http::{HeaderValue, Method};
use serde_json::{json, Value};

const API: &str = "/v4_6_release/apis/3.0";

pub(crate) fn state(configurations: usize) -> FakeState {
    FakeConnectWise::builder()
        .seed(11)
        .companies(20)
        .configurations(configurations)
        .credentials("acme", "pub", "priv")
        .client_id("cid")
        .link_origin("https://na.myconnectwise.net")
        .build_state()
}

pub(crate) fn request(method: Method, path_and_query: &str, body: Option<Value>) -> FakeRequest {
    let mut req = FakeRequest::new(method, &format!("{API}{path_and_query}"));
    let auth = format!("Basic {}", STANDARD.encode("acme+pub:priv"));
    req.headers.insert(
        "authorization",
        HeaderValue::from_str(&auth).unwrap_or_else(|_| unreachable!()),
    );
    req.headers
        .insert("clientid", HeaderValue::from_static("cid"));
    if let Some(body) = body {
        req.body = serde_json::to_vec(&body).unwrap_or_default().into();
    }
    req
}

pub(crate) fn call(
    state: &FakeState,
    method: Method,
    path_and_query: &str,
    body: Option<Value>,
) -> FakeResponse {
    state
        .respond(&request(method, path_and_query, body))
        .response
}

pub(crate) fn ids(resp: &FakeResponse) -> Vec<i64> {
    let body = resp.json_body().unwrap_or(Value::Null);
    body.as_array()
        .map(|rows| rows.iter().filter_map(|r| r["id"].as_i64()).collect())
        .unwrap_or_default()
}

#[test]
fn credentials_and_client_id_are_checked() {
    let s = state(0);
    let mut req = request(Method::GET, "/company/companies", None);
    req.headers.remove("clientid");
    let resp = s.respond(&req).response;
    assert_eq!(resp.status, 401);
    assert_eq!(
        resp.json_body().unwrap_or_default()["code"],
        "ConnectWiseApi"
    );

    let mut req = request(Method::GET, "/company/companies", None);
    let wrong = format!("Basic {}", STANDARD.encode("acme+pub:wrong"));
    req.headers.insert(
        "authorization",
        HeaderValue::from_str(&wrong).unwrap_or_else(|_| unreachable!()),
    );
    let resp = s.respond(&req).response;
    assert_eq!(resp.status, 401);
    assert_eq!(resp.json_body().unwrap_or_default()["code"], "Unauthorized");

    assert_eq!(
        call(&s, Method::GET, "/company/companies", None).status,
        200
    );
}

#[test]
fn companyinfo_needs_no_credentials_and_answers_null_for_unknown_companies() {
    let s = state(0);
    let known = s
        .respond(&FakeRequest::new(Method::GET, "/login/companyinfo/ACME"))
        .response;
    assert_eq!(known.status, 200);
    let body = known.json_body().unwrap_or_default();
    assert_eq!(body["Codebase"], "v4_6_release/");
    assert_eq!(body["CompanyID"], "acme");

    let unknown = s
        .respond(&FakeRequest::new(Method::GET, "/login/companyinfo/nobody"))
        .response;
    assert_eq!(unknown.status, 200);
    assert_eq!(unknown.body, b"null");
}

#[test]
fn another_codebase_answers_not_found() {
    let s = state(0);
    let mut req = request(Method::GET, "/company/companies", None);
    req.path = "/v2025_1/apis/3.0/company/companies".into();
    assert_eq!(s.respond(&req).response.status, 404);
}

#[test]
fn navigable_pages_carry_the_link_header_in_the_server_shape() {
    let s = state(60);
    let first = call(
        &s,
        Method::GET,
        "/company/configurations?pageSize=25&conditions=id%3E0",
        None,
    );
    assert_eq!(ids(&first).len(), 25);
    let root = "https://na.myconnectwise.net/v4_6_release/apis/3.0/company/configurations/";
    assert_eq!(
        first.header("link"),
        Some(
            format!(
                "<{root}?pageSize=25&conditions=id%3E0&page=2>; rel=\"next\", \
                 <{root}?pageSize=25&conditions=id%3E0&page=3>; rel=\"last\""
            )
            .as_str()
        )
    );

    let middle = call(
        &s,
        Method::GET,
        "/company/configurations?pageSize=25&page=2",
        None,
    );
    let link = middle.header("link").unwrap_or_default().to_owned();
    assert_eq!(
        link,
        format!(
            "<{root}?pageSize=25&page=1>; rel=\"prev\", <{root}?pageSize=25&page=3>; rel=\"next\", \
             <{root}?pageSize=25&page=1>; rel=\"first\", <{root}?pageSize=25&page=3>; rel=\"last\""
        )
    );

    let last = call(
        &s,
        Method::GET,
        "/company/configurations?pageSize=25&page=3",
        None,
    );
    assert_eq!(ids(&last).len(), 10);
    assert!(!last
        .header("link")
        .unwrap_or_default()
        .contains("rel=\"next\""));

    let all: Vec<i64> = [&first, &middle, &last]
        .iter()
        .flat_map(|r| ids(r))
        .collect();
    let stored: Vec<i64> = s
        .records(Entity::Configurations)
        .iter()
        .filter_map(|r| r["id"].as_i64())
        .collect();
    assert_eq!(all, stored);
}

#[test]
fn default_page_size_is_25() {
    let s = state(30);
    assert_eq!(
        ids(&call(&s, Method::GET, "/company/configurations", None)).len(),
        25
    );
}

#[test]
fn page_size_over_the_maximum_gets_the_servers_400_body() {
    let s = state(1);
    let resp = call(
        &s,
        Method::GET,
        "/company/configurations?pageSize=1001",
        None,
    );
    assert_eq!(resp.status, 400);
    assert_eq!(
        resp.json_body().unwrap_or_default(),
        json!({
            "code": "InvalidObject",
            "message": "pageSize object is invalid",
            "errors": [{
                "code": "OutOfRange",
                "message": "The field pageSize must be between 1 and 1000.",
                "resource": "pageSize",
                "field": "pageSize",
            }],
        })
    );
    let old = FakeConnectWise::builder()
        .max_page_size(100)
        .credentials("acme", "pub", "priv")
        .client_id("cid")
        .build_state();
    let resp = call(&old, Method::GET, "/company/companies?pageSize=101", None);
    let body = resp.json_body().unwrap_or_default();
    assert_eq!(
        body["errors"][0]["message"],
        "The field pageSize must be between 1 and 100."
    );
}

#[test]
fn forward_only_pages_follow_ids_and_ignore_page() {
    let s = state(45);
    let stored: Vec<i64> = s
        .records(Entity::Configurations)
        .iter()
        .filter_map(|r| r["id"].as_i64())
        .collect();
    let mut req = request(
        Method::GET,
        "/company/configurations?pageSize=20&page=7",
        None,
    );
    req.headers
        .insert("pagination-type", HeaderValue::from_static("forward-only"));
    let first = s.respond(&req).response;
    assert_eq!(ids(&first), stored[..20].to_vec());
    let expected = format!(
        "<https://na.myconnectwise.net/v4_6_release/apis/3.0/company/configurations/?pageSize=20&pageId={}>; rel=\"next\"",
        stored[19]
    );
    assert_eq!(first.header("link"), Some(expected.as_str()));

    let mut req = request(
        Method::GET,
        &format!("/company/configurations?pageSize=20&pageId={}", stored[39]),
        None,
    );
    req.headers
        .insert("pagination-type", HeaderValue::from_static("forward-only"));
    assert_eq!(ids(&s.respond(&req).response), stored[40..].to_vec());

    let mut req = request(Method::GET, "/company/configurations?orderBy=name", None);
    req.headers
        .insert("pagination-type", HeaderValue::from_static("forward-only"));
    assert_eq!(s.respond(&req).response.status, 400);
}

#[test]
fn conditions_filter_lists_and_counts_alike() {
    let s = state(200);
    let company = s.records(Entity::Configurations)[0]["company"]["id"]
        .as_i64()
        .unwrap_or_default();
    let expected = s
        .records(Entity::Configurations)
        .iter()
        .filter(|r| r["company"]["id"] == company && r["status"]["name"] == "Active")
        .count();
    assert!(expected > 0);
    let query = format!("conditions=company%2Fid%3D{company}%20and%20status%2Fname%3D%22active%22");
    let count = call(
        &s,
        Method::GET,
        &format!("/company/configurations/count?{query}"),
        None,
    );
    assert_eq!(
        count.json_body().unwrap_or_default(),
        json!({ "count": expected })
    );
    let list = call(
        &s,
        Method::GET,
        &format!("/company/configurations?pageSize=1000&{query}"),
        None,
    );
    assert_eq!(ids(&list).len(), expected);
}

#[test]
fn bad_conditions_get_the_api_find_condition_body() {
    let s = state(1);
    let resp = call(
        &s,
        Method::GET,
        "/company/configurations?conditions=serialnumber%3D%22x%22",
        None,
    );
    assert_eq!(resp.status, 400);
    assert_eq!(
        resp.json_body().unwrap_or_default(),
        json!({ "code": "ApiFindCondition", "message": "serialnumber is not a recognized name." })
    );
    let resp = call(
        &s,
        Method::GET,
        "/company/configurations?conditions=name%3D",
        None,
    );
    assert_eq!(resp.status, 400);
    assert_eq!(
        resp.json_body().unwrap_or_default()["code"],
        "ApiFindCondition"
    );
    let resp = call(
        &s,
        Method::GET,
        "/company/companies?childConditions=types%2Fid%20in%20(1)",
        None,
    );
    assert_eq!(resp.status, 400);
}

#[test]
fn child_and_custom_field_conditions_look_inside_arrays() {
    let s = state(0);
    let vendors = s
        .records(Entity::Companies)
        .iter()
        .filter(|c| c["types"][0]["name"] == "Vendor")
        .count();
    let resp = call(
        &s,
        Method::GET,
        "/company/companies/count?childConditions=types%2Fname%3D%22Vendor%22",
        None,
    );
    assert_eq!(resp.json_body().unwrap_or_default()["count"], vendors);

    let managed = s
        .records(Entity::Companies)
        .iter()
        .filter(|c| {
            c["customFields"].as_array().is_some_and(|f| {
                f.iter()
                    .any(|f| f["caption"] == "Managed" && f["value"] == true)
            })
        })
        .count();
    let q = "customFieldConditions=caption%3D%22Managed%22%20and%20value%3Dtrue";
    let resp = call(
        &s,
        Method::GET,
        &format!("/company/companies/count?{q}"),
        None,
    );
    assert_eq!(resp.json_body().unwrap_or_default()["count"], managed);
}

#[test]
fn fields_projection_keeps_nested_paths_and_star_keeps_only_id() {
    let s = state(3);
    let resp = call(
        &s,
        Method::GET,
        "/company/configurations?fields=id,company/id,_info/lastUpdated,customFields/value",
        None,
    );
    let rows = resp.json_body().unwrap_or_default();
    let row = &rows[0];
    let keys: Vec<&String> = row
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    assert_eq!(keys, ["id", "company", "_info", "customFields"]);
    assert_eq!(row["company"].as_object().map(|o| o.len()), Some(1));
    assert!(row["_info"]["lastUpdated"].is_string());
    assert!(row["customFields"]
        .as_array()
        .is_some_and(|f| f.iter().all(|f| f.get("caption").is_none())));

    let star = call(&s, Method::GET, "/company/configurations?fields=*", None);
    assert_eq!(
        star.json_body().unwrap_or_default()[0]
            .as_object()
            .map(|o| o.len()),
        Some(1)
    );
}

#[test]
fn order_by_sorts_and_unknown_names_are_refused() {
    let s = state(40);
    let resp = call(
        &s,
        Method::GET,
        "/company/configurations?pageSize=1000&orderBy=name%20desc",
        None,
    );
    let rows = resp.json_body().unwrap_or_default();
    let names: Vec<String> = rows
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| r["name"].as_str().unwrap_or("").to_lowercase())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(names, sorted);
    assert_eq!(
        call(
            &s,
            Method::GET,
            "/company/configurations?orderBy=bogus",
            None
        )
        .status,
        400
    );
}

#[test]
fn ticket_search_takes_its_filters_from_the_body() {
    let s = FakeConnectWise::builder()
        .seed(4)
        .companies(3)
        .tickets(40)
        .credentials("acme", "pub", "priv")
        .client_id("cid")
        .build_state();
    let closed: Vec<i64> = s
        .records(Entity::Tickets)
        .iter()
        .filter(|t| t["closedFlag"] == true)
        .filter_map(|t| t["id"].as_i64())
        .collect();
    assert!(!closed.is_empty());
    let body = json!({ "conditions": "closedFlag = true", "orderBy": "id asc" });
    let resp = call(
        &s,
        Method::POST,
        "/service/tickets/search?pageSize=1000",
        Some(body),
    );
    assert_eq!(resp.status, 200);
    assert_eq!(ids(&resp), closed);

    let bad = call(
        &s,
        Method::POST,
        "/service/tickets/search",
        Some(json!({ "conditions": "closedflag = true" })),
    );
    assert_eq!(
        bad.json_body().unwrap_or_default()["code"],
        "ApiFindCondition"
    );
}
