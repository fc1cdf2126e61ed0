//! The fake's writes: validation, uniqueness, batches, updates, archive.

use assetpanda_api::fake::{BatchFailure, FakeAssetPanda, FakeCore, FakeReply};
use http::Method;
use serde_json::{json, Value};

use super::fake_common::{core, core_with, send, DEVICES};

/// Sends `body` with `method` to the devices group's object collection.
fn send_objects(core: &FakeCore, method: Method, body: Value) -> FakeReply {
    send(core, method, "/v3/groups/139300/objects", Some(body))
}

#[test]
fn unique_fields_get_the_real_422_body() {
    let core = core();
    let first = json!({"field_1": "A", "field_20": "1542"});
    assert_eq!(send_objects(&core, Method::POST, first).status, 200);
    let again = json!({"field_1": "B", "field_20": " 1542 "});
    let reply = send_objects(&core, Method::POST, again);
    assert_eq!(reply.status, 422);
    assert_eq!(
        reply.body_json(),
        json!({"errors": [{"field_20": ["CW ID is not unique"]}], "code": 2})
    );
    let batch = json!({"objects": [
        {"field_1": "C", "field_20": "1600"},
        {"field_1": "D", "field_20": "1600"}
    ]});
    let reply = send_objects(&core, Method::POST, batch);
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
    assert_eq!(send_objects(&core, Method::PUT, own).status, 200);
    let steal = json!({"objects": [{"id": b.id, "field_20": "1542"}]});
    let reply = send_objects(&core, Method::PUT, steal);
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
    let reply = send_objects(&strict, Method::POST, batch.clone());
    assert_eq!(reply.status, 422);
    assert_eq!(
        reply.body_json(),
        json!({"errors": [{"field_1": ["Name is required"]}], "code": 2})
    );
    assert!(strict.objects(DEVICES).is_empty());
    let lenient = core_with(FakeAssetPanda::builder().batch_failure(BatchFailure::KeepEarlier));
    let reply = send_objects(&lenient, Method::POST, batch);
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
    let reply = send_objects(&core, Method::POST, json!({ "objects": objects }));
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
    let reply = send_objects(&core, Method::POST, json!({ "objects": objects }));
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
    let reply = send_objects(&core, Method::POST, bad);
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
    let reply = send_objects(&core, Method::PUT, body);
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
