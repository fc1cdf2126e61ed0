//! The fake server's behaviour, request by request, without sockets.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use connectwise_api::fake::{
    Delivery, Entity, FakeConnectWise, FakeRequest, FakeResponse, FakeState, Fault, FaultPlan,
};
use http::{HeaderValue, Method};
use serde_json::{json, Value};

const API: &str = "/v4_6_release/apis/3.0";

fn state(configurations: usize) -> FakeState {
    FakeConnectWise::builder()
        .seed(11)
        .companies(20)
        .configurations(configurations)
        .credentials("acme", "pub", "priv")
        .client_id("cid")
        .link_origin("https://na.myconnectwise.net")
        .build_state()
}

fn request(method: Method, path_and_query: &str, body: Option<Value>) -> FakeRequest {
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

fn call(
    state: &FakeState,
    method: Method,
    path_and_query: &str,
    body: Option<Value>,
) -> FakeResponse {
    state
        .respond(&request(method, path_and_query, body))
        .response
}

fn ids(resp: &FakeResponse) -> Vec<i64> {
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
fn create_get_patch_put_delete_keep_the_record_and_its_audit_stamps() {
    let s = state(0);
    let company = s.records(Entity::Companies)[0].clone();
    let created = call(
        &s,
        Method::POST,
        "/company/configurations",
        Some(
            json!({ "name": "NEW-1", "type": { "id": 12 }, "company": { "id": company["id"] }, "id": 5 }),
        ),
    );
    assert_eq!(created.status, 201);
    let body = created.json_body().unwrap_or_default();
    let id = body["id"].as_i64().unwrap_or_default();
    assert_ne!(id, 5, "the server assigns ids");
    assert_eq!(body["company"]["identifier"], company["identifier"]);
    assert!(body["_info"]["lastUpdated"].is_string());

    let fetched = call(
        &s,
        Method::GET,
        &format!("/company/configurations/{id}"),
        None,
    );
    assert_eq!(fetched.json_body(), Some(body.clone()));

    let ts = chrono::DateTime::parse_from_rfc3339("2030-01-02T03:04:05Z")
        .unwrap_or_default()
        .to_utc();
    s.set_now(Some(ts));
    let ops = json!([{ "op": "replace", "path": "serialNumber", "value": "SN-1" }, { "op": "remove", "path": "name" }]);
    let patched = call(
        &s,
        Method::PATCH,
        &format!("/company/configurations/{id}"),
        Some(ops),
    );
    assert_eq!(
        patched.status, 400,
        "removing a required field fails validation"
    );
    let ops = json!([{ "op": "replace", "path": "serialNumber", "value": "SN-1" }]);
    let patched = call(
        &s,
        Method::PATCH,
        &format!("/company/configurations/{id}"),
        Some(ops),
    )
    .json_body()
    .unwrap_or_default();
    assert_eq!(patched["serialNumber"], "SN-1");
    assert_eq!(patched["_info"]["lastUpdated"], "2030-01-02T03:04:05Z");
    assert_eq!(
        patched["_info"]["dateEntered"],
        body["_info"]["dateEntered"]
    );

    let nested = json!([{ "op": "replace", "path": "company/id", "value": 1 }]);
    let same = call(
        &s,
        Method::PATCH,
        &format!("/company/configurations/{id}"),
        Some(nested),
    );
    assert_eq!(
        (same.status.as_u16(), same.json_body()),
        (200, Some(patched.clone()))
    );
    let capital = json!([{ "op": "Replace", "path": "name", "value": "x" }]);
    assert_eq!(
        call(
            &s,
            Method::PATCH,
            &format!("/company/configurations/{id}"),
            Some(capital)
        )
        .status,
        400
    );

    let put = json!({ "name": "PUT-1", "type": { "id": 14 }, "company": { "id": company["id"] } });
    let replaced = call(
        &s,
        Method::PUT,
        &format!("/company/configurations/{id}"),
        Some(put),
    )
    .json_body()
    .unwrap_or_default();
    assert_eq!(replaced["name"], "PUT-1");
    assert!(
        replaced.get("serialNumber").is_none(),
        "PUT replaces the whole record"
    );

    assert_eq!(
        call(
            &s,
            Method::DELETE,
            &format!("/company/configurations/{id}"),
            None
        )
        .status,
        204
    );
    let gone = call(
        &s,
        Method::GET,
        &format!("/company/configurations/{id}"),
        None,
    );
    assert_eq!(gone.status, 404);
    assert_eq!(
        gone.json_body().unwrap_or_default()["message"],
        format!("Configuration {id} not found")
    );
}

#[test]
fn writes_are_validated_like_the_server() {
    let s = state(0);
    let missing = call(
        &s,
        Method::POST,
        "/service/tickets",
        Some(json!({ "summary": "x" })),
    );
    assert_eq!(
        missing.json_body().unwrap_or_default()["errors"][0]["field"],
        "company"
    );
    let scalar = call(
        &s,
        Method::POST,
        "/service/tickets",
        Some(json!({ "summary": "x", "company": "250" })),
    );
    let text = scalar.json_body().unwrap_or_default()["errors"][0]["message"]
        .as_str()
        .unwrap_or("")
        .to_owned();
    assert!(text.contains("Error converting value \"250\""), "{text}");
    let unknown = call(
        &s,
        Method::POST,
        "/service/tickets",
        Some(json!({ "summary": "x", "company": { "id": 19299 } })),
    );
    assert_eq!(
        unknown.json_body().unwrap_or_default()["errors"][0],
        json!({ "code": "NotFound", "message": "company 19299 not found", "resource": "ticket", "field": "company/id" })
    );
    let ok = call(
        &s,
        Method::POST,
        "/service/tickets",
        Some(
            json!({ "summary": "x", "company": { "id": s.records(Entity::Companies)[1]["id"] }, "initialDescription": "secret" }),
        ),
    );
    assert_eq!(ok.status, 201);
    assert!(ok
        .json_body()
        .unwrap_or_default()
        .get("initialDescription")
        .is_none());
}

#[test]
fn deleting_a_company_only_flags_it() {
    let s = state(0);
    let id = s.records(Entity::Companies)[0]["id"]
        .as_i64()
        .unwrap_or_default();
    assert_eq!(
        call(
            &s,
            Method::DELETE,
            &format!("/company/companies/{id}"),
            None
        )
        .status,
        204
    );
    let company = s.get(Entity::Companies, id).unwrap_or_default();
    assert_eq!(company["deletedFlag"], true);
    assert!(company["dateDeleted"].is_string());
}

#[test]
fn generated_records_are_deterministic_and_varied() {
    let build = |seed| {
        FakeConnectWise::builder()
            .seed(seed)
            .companies(50)
            .configurations(500)
            .agreements(20)
            .catalog_items(20)
            .tickets(20)
            .build_state()
    };
    let (a, b, c) = (build(5), build(5), build(6));
    for entity in Entity::ALL {
        assert_eq!(a.records(entity), b.records(entity), "{entity}");
        assert_ne!(a.records(entity), c.records(entity), "{entity}");
    }
    let devices = a.records(Entity::Configurations);
    let companies: Vec<Value> = a
        .records(Entity::Companies)
        .iter()
        .map(|c| c["id"].clone())
        .collect();
    assert!(devices
        .iter()
        .all(|d| companies.contains(&d["company"]["id"])));
    assert!(devices.iter().any(|d| d.get("serialNumber").is_none()));
    assert!(devices
        .iter()
        .any(|d| d["serialNumber"].is_null() && d.get("serialNumber").is_some()));
    assert!(devices.iter().any(|d| d["warrantyExpirationDate"] == ""));
    assert!(devices
        .iter()
        .any(|d| !d["name"].as_str().unwrap_or("").is_ascii()));
    let statuses: std::collections::BTreeSet<String> = devices
        .iter()
        .map(|d| d["status"]["name"].to_string())
        .collect();
    assert!(statuses.len() >= 4, "{statuses:?}");

    let values: Vec<&Value> = devices
        .iter()
        .flat_map(|d| d["customFields"].as_array().into_iter().flatten())
        .collect();
    for kind in [
        "string", "integer", "fraction", "bool", "null", "object", "array", "absent",
    ] {
        let found = values.iter().any(|f| match (kind, f.get("value")) {
            ("absent", None) => true,
            ("string", Some(Value::String(_))) | ("bool", Some(Value::Bool(_))) => true,
            ("null", Some(Value::Null))
            | ("object", Some(Value::Object(_)))
            | ("array", Some(Value::Array(_))) => true,
            ("integer", Some(Value::Number(n))) => n.is_i64(),
            ("fraction", Some(Value::Number(n))) => n.is_f64(),
            _ => false,
        });
        assert!(found, "no custom field value of kind {kind}");
    }
}

#[test]
fn seeded_faults_are_deterministic_and_hit_the_given_requests() {
    let plan = FaultPlan::new(3)
        .on_requests(
            [2],
            Fault::RateLimited {
                retry_after_secs: 7,
            },
        )
        .share(0.3, Fault::BadGateway);
    let run = || {
        let s = FakeConnectWise::builder()
            .faults(plan.clone())
            .credentials("acme", "pub", "priv")
            .client_id("cid")
            .build_state();
        (0..200)
            .map(|_| {
                call(&s, Method::GET, "/company/companies", None)
                    .status
                    .as_u16()
            })
            .collect::<Vec<_>>()
    };
    let first = run();
    assert_eq!(first, run());
    assert_eq!(first[1], 429);
    let gateway = first.iter().filter(|s| **s == 502).count();
    assert!(
        (30..=90).contains(&gateway),
        "{gateway} of 200 should be about 60"
    );

    let s = FakeConnectWise::builder()
        .faults(plan)
        .credentials("acme", "pub", "priv")
        .client_id("cid")
        .build_state();
    call(&s, Method::GET, "/company/companies", None);
    let limited = call(&s, Method::GET, "/company/companies", None);
    assert_eq!(limited.header("retry-after"), Some("7"));
    assert_eq!(
        limited.json_body().unwrap_or_default()["error"],
        "ConnectWiseAPI"
    );
    assert_eq!(s.counters().faults_injected, 1 + u64::from(first[0] == 502));
}

#[test]
fn a_write_can_be_applied_yet_answered_with_an_error() {
    let s = FakeConnectWise::builder()
        .companies(1)
        .faults(FaultPlan::new(1).after_write_on([1], Fault::DropConnection))
        .credentials("acme", "pub", "priv")
        .client_id("cid")
        .build_state();
    let company = s.records(Entity::Companies)[0]["id"].clone();
    let reply = s.respond(&request(
        Method::POST,
        "/service/tickets",
        Some(json!({ "summary": "s", "company": { "id": company } })),
    ));
    assert_eq!(reply.delivery, Delivery::Dropped);
    assert_eq!(s.records(Entity::Tickets).len(), 1, "the write was applied");
}

#[test]
fn counters_count_by_method_endpoint_and_bytes() {
    let s = state(5);
    let id = s.records(Entity::Configurations)[0]["id"]
        .as_i64()
        .unwrap_or_default();
    let list = call(&s, Method::GET, "/company/configurations", None);
    let one = call(
        &s,
        Method::GET,
        &format!("/company/configurations/{id}"),
        None,
    );
    call(&s, Method::GET, "/company/configurations/count", None);
    call(&s, Method::GET, "/company/configurations/999999", None);
    let c = s.counters();
    assert_eq!(c.requests, 4);
    assert_eq!(c.get("GET", "/company/configurations"), 1);
    assert_eq!(c.get("GET", "/company/configurations/{id}"), 2);
    assert_eq!(c.get("GET", "/company/configurations/count"), 1);
    assert_eq!(c.by_status.get(&404), Some(&1));
    assert!(c.bytes_sent > (list.body.len() + one.body.len()) as u64);
    s.reset_counters();
    assert_eq!(s.counters().requests, 0);
}

#[test]
fn records_can_be_edited_between_calls() {
    let s = state(3);
    let id = s.records(Entity::Configurations)[0]["id"]
        .as_i64()
        .unwrap_or_default();
    assert!(s.update(Entity::Configurations, id, |r| {
        r.insert("serialNumber".into(), "EDITED".into());
    }));
    let resp = call(
        &s,
        Method::GET,
        "/company/configurations?conditions=serialNumber%3D%22edited%22",
        None,
    );
    assert_eq!(ids(&resp), vec![id]);
    assert!(s.remove(Entity::Configurations, id).is_some());
    let new = s.insert(Entity::Configurations, json!({ "name": "hand-made" }));
    assert!(new > id);
    assert_eq!(s.len(Entity::Configurations), 3);
}
