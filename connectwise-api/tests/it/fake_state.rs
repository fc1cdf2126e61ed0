//! The fake server's state: writes and their validation, generated data, faults,
//! counters and direct access to the records.

use connectwise_api::fake::{Delivery, Entity, FakeConnectWise, Fault, FaultPlan};
use http::Method;
use serde_json::{json, Value};

use super::fake_server::{call, ids, request, state};

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
    let names = s.with_records(Entity::Configurations, |records| {
        records.filter(|r| r["serialNumber"] == "EDITED").count()
    });
    assert_eq!(names, 1);
    assert!(s.remove(Entity::Configurations, id).is_some());
    let new = s.insert(Entity::Configurations, json!({ "name": "hand-made" }));
    assert!(new > id);
    assert_eq!(s.len(Entity::Configurations), 3);
    let ids = s.ids(Entity::Configurations);
    assert_eq!(ids.len(), 3);
    assert!(ids.windows(2).all(|w| w[0] < w[1]) && ids.contains(&new) && !ids.contains(&id));
}

#[test]
fn a_duplicate_company_identifier_is_refused() {
    let s = state(0);
    let taken = s.records(Entity::Companies)[0]["identifier"].clone();
    let upper = taken.as_str().unwrap_or_default().to_uppercase();
    let body = json!({ "identifier": upper, "name": "Copy" });
    let resp = call(&s, Method::POST, "/company/companies", Some(body));
    assert_eq!(resp.status, 400);
    assert_eq!(
        resp.json_body().unwrap_or_default()["errors"][0]["code"],
        "ObjectExists"
    );

    // Sending a company back with its own identifier is not a clash.
    let id = s.records(Entity::Companies)[0]["id"]
        .as_i64()
        .unwrap_or_default();
    let body = json!({ "identifier": taken, "name": "Renamed" });
    let resp = call(
        &s,
        Method::PUT,
        &format!("/company/companies/{id}"),
        Some(body),
    );
    assert_eq!(resp.status, 200);
}

#[test]
fn a_fault_plan_set_after_start_applies_from_the_next_request_and_can_be_lifted() {
    let s = state(3);
    let get = || call(&s, Method::GET, "/company/configurations", None).status;
    assert_eq!(get(), 200);

    s.set_faults(FaultPlan::new(1).share(1.0, Fault::ServiceUnavailable));
    assert_eq!(get(), 503);
    assert_eq!(get(), 503);

    s.set_faults(FaultPlan::none());
    assert_eq!(get(), 200);
}
