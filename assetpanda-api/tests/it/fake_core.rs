//! The fake Asset Panda's core, driven without sockets.

use std::time::Duration;

use assetpanda_api::fake::{
    BatchFailure, Endpoint, FakeAssetPanda, FakeClock, FakeCore, FakeReply, FakeRequest, Fault,
    FaultPlan, FaultRule, FieldMatch, GroupSpec, RateLimit,
};
use http::Method;
use serde_json::{json, Value};

const DEVICES: u64 = 139300;
const COMPANIES: u64 = 139301;

fn core_with(builder: assetpanda_api::fake::FakeAssetPandaBuilder) -> FakeCore {
    builder
        .seed(7)
        .group(GroupSpec::devices())
        .group(GroupSpec::companies())
        .clock(FakeClock::manual_default())
        .build()
        .expect("valid fake configuration")
}

fn core() -> FakeCore {
    core_with(FakeAssetPanda::builder())
}

fn send(core: &FakeCore, method: Method, path: &str, body: Option<Value>) -> FakeReply {
    let mut request = FakeRequest::new(method, path).bearer(&core.token());
    if let Some(body) = body {
        request = request.json(&body);
    }
    core.handle(&request)
}

fn search(core: &FakeCore, group: u64, query: &str, body: Value) -> Value {
    let path = format!("/v3/groups/{group}/search/objects?{query}");
    let reply = send(core, Method::POST, &path, Some(body));
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    reply.body_json()
}

fn ids_of(page: &Value) -> Vec<String> {
    page["objects"]
        .as_array()
        .expect("objects array")
        .iter()
        .map(|o| o["id"].as_str().expect("id").to_owned())
        .collect()
}

#[test]
fn search_caps_the_limit_and_reports_totals() {
    let core = core();
    core.populate(DEVICES, 120).unwrap();
    let page = search(&core, DEVICES, "offset=0&limit=100", json!({}));
    assert_eq!(page["objects"].as_array().unwrap().len(), 50);
    assert_eq!(page["totals"]["objects"], 120);
    assert_eq!(page["totals"]["limit"], 50);
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let page = search(
            &core,
            DEVICES,
            &format!("offset={offset}&limit=100"),
            json!({}),
        );
        let ids = ids_of(&page);
        if ids.is_empty() {
            break;
        }
        offset += ids.len();
        seen.extend(ids);
    }
    let stored: Vec<String> = core.objects(DEVICES).into_iter().map(|o| o.id).collect();
    assert_eq!(seen, stored);
    let small = core_with(FakeAssetPanda::builder().search_limit_cap(500));
    small.populate(DEVICES, 120).unwrap();
    let page = search(&small, DEVICES, "limit=100", json!({}));
    assert_eq!(page["objects"].as_array().unwrap().len(), 100);
    let page = search(&small, DEVICES, "", json!({}));
    assert_eq!(page["totals"]["limit"], 50, "the default page size is 50");
}

#[test]
fn objects_are_served_in_the_v3_layout() {
    let core = core();
    let company = core
        .insert_object(
            COMPANIES,
            json!({"field_1": "Acme Corp", "field_20": "250"}),
        )
        .unwrap();
    let body = json!({
        "field_1": "ACME-WS-017", "field_10": "5CG1234XYZ", "field_20": "1542",
        "field_11": "88102", "field_40": company.id, "field_31": "02/01/2026",
        "field_50": "laptop", "field_60": 3
    });
    let reply = send(&core, Method::POST, "/v3/groups/139300/objects", Some(body));
    assert_eq!(reply.status, 200);
    let object = reply.body_json();
    let id = object["id"].as_str().unwrap();
    assert_eq!(id.len(), 24);
    assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(object["display_name"], "ACME-WS-017");
    assert_eq!(object["display_with_secondary"], "ACME-WS-017 <5CG1234XYZ>");
    assert_eq!(
        object["data"]["field_11"],
        json!({"id": "88102", "value": "Assigned"})
    );
    assert_eq!(
        object["data"]["field_40"],
        json!({"id": company.id, "value": "Acme Corp"})
    );
    assert_eq!(object["data"]["field_50"]["value"], "Laptop");
    assert_eq!(object["data"]["field_60"], "3");
    assert_eq!(object["is_archived"], false);
    assert_eq!(object["entity"], json!({"id": DEVICES, "key": "devices"}));
    assert_eq!(object["created_at"], "2025-01-15T00:00:00.000Z");
    assert!(
        object.get("field_1").is_none(),
        "values live under data only"
    );
    let got = send(
        &core,
        Method::GET,
        &format!("/v3/groups/139300/objects/{id}"),
        None,
    );
    assert_eq!(got.body_json(), object);
}

#[test]
fn field_filters_free_text_ids_and_archived_view() {
    let core = core();
    for (name, serial) in [
        ("HARBOR-WS-1", "5CG111"),
        ("HARBOR-WS-10", "5CG222"),
        ("KITE-LT-1", "X9"),
    ] {
        core.insert_object(DEVICES, json!({"field_1": name, "field_10": serial}))
            .unwrap();
    }
    let partial = search(
        &core,
        DEVICES,
        "",
        json!({"field_filters": {"field_1": "harbor-ws-1"}}),
    );
    assert_eq!(partial["totals"]["objects"], 2, "partial match by default");
    let exact = core_with(FakeAssetPanda::builder().field_match(FieldMatch::Exact));
    for name in ["HARBOR-WS-1", "HARBOR-WS-10"] {
        exact
            .insert_object(DEVICES, json!({"field_1": name}))
            .unwrap();
    }
    let page = search(
        &exact,
        DEVICES,
        "",
        json!({"field_filters": {"field_1": "harbor-ws-1"}}),
    );
    assert_eq!(page["totals"]["objects"], 1);
    let text = search(&core, DEVICES, "", json!({"search": "5cg2"}));
    assert_eq!(text["objects"][0]["display_name"], "HARBOR-WS-10");
    let kite = core.find(DEVICES, "field_1", "kite-lt-1").pop().unwrap();
    core.set_archived(DEVICES, &kite.id, true).unwrap();
    let live = search(&core, DEVICES, "", json!({}));
    assert_eq!(live["totals"]["objects"], 2);
    let all = search(&core, DEVICES, "", json!({"view_archived": "all"}));
    assert_eq!(all["totals"]["objects"], 3);
    let only = search(&core, DEVICES, "", json!({"view_archived": "archived"}));
    assert_eq!(ids_of(&only), vec![kite.id.clone()]);
    let by_id = search(
        &core,
        DEVICES,
        "",
        json!({"ids": [kite.id], "view_archived": "all"}),
    );
    assert_eq!(by_id["totals"]["objects"], 1);
    let unknown = send(
        &core,
        Method::POST,
        "/v3/groups/139300/search/objects",
        Some(json!({"field_filters": {"field_999": "x"}})),
    );
    assert_eq!(unknown.status, 422);
    assert!(unknown.body_json()["errors"][0]["field_999"].is_array());
}

#[test]
fn last_modified_filters_on_updated_at() {
    let core = core();
    let old = core
        .insert_object(DEVICES, json!({"field_1": "OLD"}))
        .unwrap();
    core.clock().advance(Duration::from_secs(3600));
    core.insert_object(DEVICES, json!({"field_1": "NEW"}))
        .unwrap();
    let body = json!({"last_modified": {"gte": "2025-01-15T00:30:00.000Z"}});
    let page = search(&core, DEVICES, "", body);
    assert_eq!(page["totals"]["objects"], 1);
    assert_eq!(page["objects"][0]["display_name"], "NEW");
    let patch = json!({"field_4": "ProBook"});
    let path = format!("/v3/groups/139300/objects/{}", old.id);
    assert_eq!(send(&core, Method::PATCH, &path, Some(patch)).status, 200);
    let body = json!({"last_modified": {"gte": "2025-01-15T00:30:00+00:00"}});
    assert_eq!(search(&core, DEVICES, "", body)["totals"]["objects"], 2);
}

#[test]
fn unique_fields_get_the_real_422_body() {
    let core = core();
    let first = json!({"field_1": "A", "field_20": "1542"});
    assert_eq!(
        send(
            &core,
            Method::POST,
            "/v3/groups/139300/objects",
            Some(first)
        )
        .status,
        200
    );
    let again = json!({"field_1": "B", "field_20": " 1542 "});
    let reply = send(
        &core,
        Method::POST,
        "/v3/groups/139300/objects",
        Some(again),
    );
    assert_eq!(reply.status, 422);
    assert_eq!(
        reply.body_json(),
        json!({"errors": [{"field_20": ["CW ID is not unique"]}], "code": 2})
    );
    let batch = json!({"objects": [
        {"field_1": "C", "field_20": "1600"},
        {"field_1": "D", "field_20": "1600"}
    ]});
    let reply = send(
        &core,
        Method::POST,
        "/v3/groups/139300/objects",
        Some(batch),
    );
    assert_eq!(reply.status, 422);
    assert_eq!(
        reply.body_json()["errors"][0]["field_20"][0],
        "CW ID is not unique"
    );
    assert_eq!(
        core.objects(DEVICES).len(),
        1,
        "an all-or-nothing batch stores nothing"
    );
    let b = core
        .insert_object(DEVICES, json!({"field_1": "B", "field_20": "1543"}))
        .unwrap();
    let own = json!({"objects": [{"id": b.id, "field_20": "1543", "field_4": "M"}]});
    assert_eq!(
        send(&core, Method::PUT, "/v3/groups/139300/objects", Some(own)).status,
        200
    );
    let steal = json!({"objects": [{"id": b.id, "field_20": "1542"}]});
    let reply = send(&core, Method::PUT, "/v3/groups/139300/objects", Some(steal));
    assert_eq!(reply.status, 422);
    assert_eq!(
        core.object(DEVICES, &b.id)
            .unwrap()
            .text("field_20")
            .unwrap(),
        "1543"
    );
}

#[test]
fn h16_batch_with_a_refused_record_in_both_modes() {
    let batch = json!({"objects": [
        {"field_1": "ACME-WS-017", "field_10": "5CG1234XYZ", "field_20": "1542"},
        {"field_1": "", "field_10": "", "field_20": "1543"},
        {"field_1": "ACME-WS-020", "field_10": "5CG1234XZA", "field_20": "1544"}
    ]});
    let strict = core();
    let reply = send(
        &strict,
        Method::POST,
        "/v3/groups/139300/objects",
        Some(batch.clone()),
    );
    assert_eq!(reply.status, 422);
    assert_eq!(
        reply.body_json(),
        json!({"errors": [{"field_1": ["Name is required"]}], "code": 2})
    );
    assert!(strict.objects(DEVICES).is_empty());
    let lenient = core_with(FakeAssetPanda::builder().batch_failure(BatchFailure::KeepEarlier));
    let reply = send(
        &lenient,
        Method::POST,
        "/v3/groups/139300/objects",
        Some(batch),
    );
    assert_eq!(reply.status, 422);
    let kept: Vec<String> = lenient
        .objects(DEVICES)
        .iter()
        .map(|o| o.text("field_20").unwrap())
        .collect();
    assert_eq!(kept, vec!["1542"]);
}

#[test]
fn batches_over_the_limit_are_refused_naming_it() {
    let core = core();
    let objects: Vec<Value> = (0..201)
        .map(|i| json!({"field_1": format!("D{i}")}))
        .collect();
    let reply = send(
        &core,
        Method::POST,
        "/v3/groups/139300/objects",
        Some(json!({ "objects": objects })),
    );
    assert_eq!(reply.status, 422);
    let text = reply.body_json()["errors"][0]["base"][0]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(text.contains("200") && text.contains("201"), "{text}");
    assert!(core.objects(DEVICES).is_empty());
    let objects: Vec<Value> = (0..200)
        .map(|i| json!({"field_1": format!("D{i}")}))
        .collect();
    let reply = send(
        &core,
        Method::POST,
        "/v3/groups/139300/objects",
        Some(json!({ "objects": objects })),
    );
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body_json()["objects"].as_array().unwrap().len(), 200);
    assert_eq!(core.objects(DEVICES).len(), 200);
}

#[test]
fn values_are_checked_per_field_type() {
    let core = core();
    let bad = json!({
        "field_1": "X", "field_31": "2026-02-01", "field_11": "Assigned",
        "field_40": "000000000000000000000000", "field_77": "?", "field_60": "many"
    });
    let reply = send(&core, Method::POST, "/v3/groups/139300/objects", Some(bad));
    assert_eq!(reply.status, 422);
    let errors = &reply.body_json()["errors"][0];
    for key in ["field_31", "field_11", "field_40", "field_77", "field_60"] {
        assert!(errors[key].is_array(), "{key} missing in {errors}");
    }
    assert!(errors["field_31"][0]
        .as_str()
        .unwrap()
        .contains("MM/DD/YYYY"));
    assert!(errors.get("field_1").is_none());
}

#[test]
fn put_many_and_patch_one_change_only_what_is_sent() {
    let core = core();
    let a = core
        .insert_object(
            DEVICES,
            json!({"field_1": "A", "field_10": "S1", "field_41": "10.0.0.1"}),
        )
        .unwrap();
    let body = json!({"objects": [{"id": a.id, "field_41": "10.0.0.31"}]});
    let reply = send(&core, Method::PUT, "/v3/groups/139300/objects", Some(body));
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.body_json()["objects"][0]["data"]["field_41"],
        "10.0.0.31"
    );
    let path = format!("/v3/groups/139300/objects/{}", a.id);
    let reply = send(&core, Method::PATCH, &path, Some(json!({"field_10": ""})));
    assert_eq!(reply.status, 200);
    let stored = core.object(DEVICES, &a.id).unwrap();
    assert_eq!(stored.text("field_1").unwrap(), "A");
    assert_eq!(stored.text("field_41").unwrap(), "10.0.0.31");
    assert_eq!(stored.value("field_10"), Some(&json!("")));
    assert_eq!(stored.version, 3);
    let cleared = send(&core, Method::PATCH, &path, Some(json!({"field_1": ""})));
    assert_eq!(cleared.status, 422, "a required field cannot be cleared");
    let missing = send(
        &core,
        Method::PATCH,
        "/v3/groups/139300/objects/ffffffffffffffffffffffff",
        Some(json!({"field_1": "Z"})),
    );
    assert_eq!(missing.status, 404);
}

#[test]
fn archive_needs_a_stop_date_in_the_account_format() {
    let core = core();
    let a = core
        .insert_object(DEVICES, json!({"field_1": "A"}))
        .unwrap();
    let path = "/v3/groups/139300/objects/archive";
    let no_date = send(
        &core,
        Method::POST,
        path,
        Some(json!({"object_ids": [a.id]})),
    );
    assert_eq!(no_date.status, 422);
    let iso = json!({"object_ids": [a.id], "stop_date": "2022-11-24"});
    assert_eq!(send(&core, Method::POST, path, Some(iso)).status, 422);
    assert!(!core.object(DEVICES, &a.id).unwrap().is_archived);
    let good = json!({"object_ids": [a.id], "stop_date": "11/24/2022"});
    assert_eq!(send(&core, Method::POST, path, Some(good)).status, 200);
    let stored = core.object(DEVICES, &a.id).unwrap();
    assert!(stored.is_archived);
    assert_eq!(stored.stop_date.as_deref(), Some("11/24/2022"));
    let back = json!({"object_ids": [a.id]});
    let reply = send(
        &core,
        Method::POST,
        "/v3/groups/139300/objects/unarchive",
        Some(back),
    );
    assert_eq!(reply.status, 200);
    assert!(!core.object(DEVICES, &a.id).unwrap().is_archived);
    assert_eq!(core.live_objects(DEVICES).len(), 1);
}

#[test]
fn logins_tokens_and_expiry() {
    let core = core();
    let anonymous = core.handle(&FakeRequest::new(Method::GET, "/v3/groups"));
    assert_eq!(anonymous.status, 401);
    let login = FakeRequest::new(Method::POST, "/v3/session/token")
        .json(&json!({"email": core.email(), "password": core.password()}));
    let reply = core.handle(&login);
    assert_eq!(reply.status, 200);
    let token = reply.body_json()["token"].as_str().unwrap().to_owned();
    let groups = FakeRequest::new(Method::GET, "/v3/groups").bearer(&token);
    assert_eq!(core.handle(&groups).status, 200);
    core.expire_token(&token);
    let expired = core.handle(&groups);
    assert_eq!(expired.status, 401);
    assert_eq!(expired.body_json()["message"], "Token expired");
    let wrong = FakeRequest::new(Method::POST, "/v3/session/token")
        .json(&json!({"email": core.email(), "password": "nope"}));
    assert_eq!(
        core.handle(&wrong).body_json(),
        json!({"errors": [{"base": ["Email or password is incorrect"]}], "code": 2})
    );
    let form = format!(
        "client_id={}&client_secret={}&email={}&password={}&device=Desktop&app_version=1.0\
         &grant_type=password",
        core.client_id(),
        core.client_secret(),
        core.email().replace('@', "%40"),
        core.password()
    );
    let v2 = core.handle(&FakeRequest::new(Method::POST, "/v2/session/token").form(&form));
    assert_eq!(v2.status, 200);
    assert_eq!(v2.body_json()["token_type"], "bearer");
    let bad_client = form.replace(&core.client_secret(), "wrong");
    let reply = core.handle(&FakeRequest::new(Method::POST, "/v2/session/token").form(&bad_client));
    assert_eq!(reply.status, 500);
    assert_eq!(core.logins(), 2);
}

#[test]
fn settings_groups_fields_and_statuses() {
    let core = core_with(FakeAssetPanda::builder().date_format("DD.MM.YYYY"));
    let settings = send(&core, Method::GET, "/v3/settings", None).body_json();
    assert_eq!(settings["settings"]["date_format"], "DD.MM.YYYY");
    assert_eq!(settings["settings"]["groups"][1]["id"], COMPANIES);
    assert!(settings["records"]["used_records_percent"].is_string());
    let fields = send(&core, Method::GET, "/v3/groups/139300/fields", None).body_json();
    let cw = fields["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "field_20");
    assert_eq!(cw.unwrap()["name"], "CW ID");
    assert!(
        cw.unwrap().get("is_unique").is_none(),
        "uniqueness is not exposed"
    );
    let statuses = send(&core, Method::GET, "/v3/groups/139300/statuses", None).body_json();
    assert_eq!(statuses["statuses"][0]["is_default"], true);
    assert_eq!(
        send(&core, Method::GET, "/v3/groups/1/fields", None).status,
        404
    );
    assert_eq!(
        core.format_date(chrono::NaiveDate::from_ymd_opt(2022, 11, 24).unwrap()),
        "24.11.2022"
    );
}

#[test]
fn the_rate_limit_answers_429_with_retry_after_and_slides() {
    let core = core_with(FakeAssetPanda::builder().rate_limit(RateLimit {
        max_calls: 3,
        window: Duration::from_secs(180),
    }));
    for _ in 0..3 {
        assert_eq!(send(&core, Method::GET, "/v3/groups", None).status, 200);
        core.clock().advance(Duration::from_secs(10));
    }
    let refused = send(&core, Method::GET, "/v3/groups", None);
    assert_eq!(refused.status, 429);
    let retry_after = refused
        .headers
        .iter()
        .find(|(k, _)| k == "Retry-After")
        .unwrap();
    assert_eq!(retry_after.1, "150");
    core.clock().advance(Duration::from_secs(150));
    assert_eq!(send(&core, Method::GET, "/v3/groups", None).status, 200);
    assert_eq!(core.counters().throttled(), 1);
    let documented = RateLimit::asset_panda();
    assert_eq!(
        (documented.max_calls, documented.window.as_secs()),
        (400, 180)
    );
}

#[test]
fn faults_answer_chosen_requests_and_can_apply_writes_first() {
    let core = core_with(
        FakeAssetPanda::builder().faults(
            FaultPlan::new()
                .at(
                    [1],
                    Fault::TooManyRequests {
                        retry_after_secs: 7,
                    },
                )
                .at([2], Fault::BadGateway)
                .at([3], Fault::HtmlPage)
                .at([4], Fault::EmptyBody)
                .at([5], Fault::TruncatedBody)
                .rule(FaultRule::at([6], Fault::InternalServerError).after_apply())
                .at([7], Fault::ServiceUnavailable),
        ),
    );
    let create = |name: &str| {
        send(
            &core,
            Method::POST,
            "/v3/groups/139300/objects",
            Some(json!({"field_1": name})),
        )
    };
    let r = create("one");
    assert_eq!(r.status, 429);
    assert!(r
        .headers
        .contains(&("Retry-After".to_owned(), "7".to_owned())));
    let r = create("two");
    assert_eq!((r.status, r.content_type), (502, "text/html"));
    let r = create("three");
    assert_eq!(r.status, 200);
    assert!(r.content_type.starts_with("text/html"));
    assert!(create("four").body.is_empty());
    let r = create("five");
    assert_eq!(r.status, 200);
    assert!(
        serde_json::from_slice::<Value>(&r.body).is_err(),
        "cut JSON"
    );
    assert_eq!(create("six").status, 500);
    assert_eq!(create("seven").status, 503);
    let names: Vec<String> = core
        .objects(DEVICES)
        .iter()
        .map(|o| o.text("field_1").unwrap())
        .collect();
    assert_eq!(
        names,
        vec!["five", "six"],
        "truncated and after-apply writes are stored"
    );
    let counters = core.counters();
    assert_eq!(counters.faults_injected(), 7);
    assert_eq!(counters.requests_by(&Method::POST, Endpoint::Create), 7);
    assert_eq!(counters.responses_with(502), 1);
    let log = core.requests();
    assert_eq!(log[1].fault.as_deref(), Some("502"));
    assert_eq!(log[6].number, 7);
}

#[test]
fn a_token_expired_fault_expires_the_token_it_met() {
    let core =
        core_with(FakeAssetPanda::builder().faults(FaultPlan::new().at([2], Fault::TokenExpired)));
    assert_eq!(send(&core, Method::GET, "/v3/groups", None).status, 200);
    assert_eq!(send(&core, Method::GET, "/v3/groups", None).status, 401);
    assert_eq!(send(&core, Method::GET, "/v3/groups", None).status, 401);
    core.renew_static_token();
    assert_eq!(send(&core, Method::GET, "/v3/groups", None).status, 200);
}

#[test]
fn seeded_shares_repeat_for_the_same_seed() {
    let run = |seed: u64| {
        let core = FakeAssetPanda::builder()
            .seed(seed)
            .group(GroupSpec::companies())
            .faults(FaultPlan::new().share(0.3, Fault::ServiceUnavailable))
            .build()
            .unwrap();
        (0..200)
            .map(|_| send(&core, Method::GET, "/v3/groups", None).status)
            .collect::<Vec<_>>()
    };
    let first = run(11);
    assert_eq!(first, run(11));
    assert_ne!(first, run(12));
    let failed = first.iter().filter(|s| **s == 503).count();
    assert!((35..=85).contains(&failed), "{failed} of 200");
}

#[test]
fn counters_count_bytes_by_method_and_endpoint() {
    let core = core();
    core.populate(DEVICES, 10).unwrap();
    let reply = send(
        &core,
        Method::POST,
        "/v3/groups/139300/search/objects",
        Some(json!({})),
    );
    send(&core, Method::GET, "/v3/groups", None);
    let counters = core.counters();
    assert_eq!(counters.requests(), 2);
    assert_eq!(counters.requests_to(Endpoint::Search), 1);
    assert_eq!(
        counters.tally_of(Endpoint::Search).bytes_sent,
        reply.body.len() as u64
    );
    assert_eq!(counters.tally_of(Endpoint::Search).bytes_received, 2);
    assert!(counters.bytes_sent() > reply.body.len() as u64);
    core.reset_counters();
    assert_eq!(core.counters().requests(), 0);
    assert_eq!(core.request_count(), 2);
}

#[test]
fn populate_is_deterministic_and_fills_links() {
    let make = || {
        let core = core();
        core.populate(COMPANIES, 5).unwrap();
        core.populate(DEVICES, 50).unwrap();
        core
    };
    let (a, b) = (make(), make());
    assert_eq!(a.objects(DEVICES), b.objects(DEVICES));
    let devices = a.objects(DEVICES);
    let cw_ids: std::collections::HashSet<_> = devices
        .iter()
        .map(|o| o.text("field_20").unwrap())
        .collect();
    assert_eq!(cw_ids.len(), 50);
    let companies: Vec<String> = a.objects(COMPANIES).into_iter().map(|o| o.id).collect();
    assert!(devices.iter().any(|d| d.value("field_40").is_some()));
    for device in &devices {
        if let Some(link) = device.value("field_40") {
            assert!(companies.contains(&link["id"].as_str().unwrap().to_owned()));
        }
    }
}

#[test]
fn bad_configurations_are_errors_not_panics() {
    let no_companies = FakeAssetPanda::builder()
        .group(GroupSpec::devices())
        .build();
    assert!(no_companies.unwrap_err().to_string().contains("139301"));
    let format = FakeAssetPanda::builder().date_format("Do MMM").build();
    assert!(format.is_err());
    let twice = FakeAssetPanda::builder()
        .group(GroupSpec::companies())
        .group(GroupSpec::companies())
        .build();
    assert!(twice.is_err());
}
