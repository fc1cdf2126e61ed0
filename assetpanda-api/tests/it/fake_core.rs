//! The fake Asset Panda's core without sockets: layout, search, settings, logins.

use std::time::Duration;

use assetpanda_api::fake::{FakeAssetPanda, FakeRequest, FieldMatch, GroupSpec};
use http::Method;
use serde_json::json;

use super::fake_common::{core, core_with, ids_of, search, send, COMPANIES, DEVICES};

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
    // Any change shows on the next page, even mid-walk with the same body.
    let extra = core
        .insert_object(DEVICES, json!({"field_1": "EXTRA"}))
        .unwrap();
    let page = search(&core, DEVICES, "offset=100", json!({}));
    assert_eq!(page["totals"]["objects"], 121);
    assert_eq!(ids_of(&page).last(), Some(&extra.id));
    core.set_archived(DEVICES, &extra.id, true).unwrap();
    let page = search(&core, DEVICES, "offset=100", json!({}));
    assert_eq!(page["totals"]["objects"], 120);
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
