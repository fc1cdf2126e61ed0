//! Every fixture file decodes, including both object layouts and both choice shapes.

use assetpanda_api::{
    Choice, DateFormat, Field, FieldValue, Group, LenientDate, Object, ObjectId, Settings, Status,
};
use chrono::NaiveDate;
use serde_json::{json, Value};

use crate::common::fixture;

fn list<T: serde::de::DeserializeOwned>(file: &str, key: &str) -> Vec<T> {
    let body: Value = serde_json::from_slice(&fixture(file)).unwrap();
    serde_json::from_value(body[key].clone()).unwrap()
}

fn page(file: &str) -> Vec<Object> {
    list(file, "objects")
}

#[test]
fn every_fixture_file_is_covered() {
    let dir = format!("{}/tests/fixtures/assetpanda", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();

    let covered = [
        "error_unprocessable.json",
        "group_fields.json",
        "groups.json",
        "login.json",
        "object.json",
        "search_objects_page.json",
        "search_objects_page_top_level.json",
        "settings.json",
        "statuses.json",
    ];
    assert_eq!(names, covered);
}

#[test]
fn groups_fields_statuses_and_settings_decode() {
    assert_eq!(list::<Group>("groups.json", "groups").len(), 5);
    assert_eq!(list::<Field>("group_fields.json", "fields").len(), 13);
    assert_eq!(list::<Status>("statuses.json", "statuses").len(), 4);

    let settings: Settings = serde_json::from_slice(&fixture("settings.json")).unwrap();
    assert_eq!(
        settings.user_details.email.as_deref(),
        Some("sync-service@example.com")
    );
    assert_eq!(settings.records.max_records, Some(5000));
}

#[test]
fn the_object_fixture_decodes_from_the_data_layout() {
    let object: Object = serde_json::from_slice(&fixture("object.json")).unwrap();

    assert_eq!(object.id, Some(ObjectId::from("65a1f0c2e4b0a1b2c3d4e601")));
    assert_eq!(object.text("field_1").as_deref(), Some("EXCO-WS-017"));
    assert_eq!(object.text("field_14").as_deref(), Some("1542"));
    assert_eq!(object.object_version_ids, Some(json!(8)));
    assert_eq!(object.entity.as_ref().and_then(|e| e.id), Some(204820));
    assert_eq!(
        object.choice("field_11"),
        Some(Choice {
            id: "88102".into(),
            label: Some("Assigned".into())
        })
    );
    assert_eq!(object.number("field_9"), Some(1099.5));
    assert!(object.extra.contains_key("share_url"));
    assert!(!object.extra.contains_key("data"));
}

#[test]
fn the_v3_page_decodes_with_numeric_ids_nulls_and_archived_objects() {
    let objects = page("search_objects_page.json");
    let format = DateFormat::from_account("MM/DD/YYYY").unwrap();

    assert_eq!(objects.len(), 3);
    let first = &objects[0];
    assert_eq!(first.number("field_9"), Some(1249.0));
    assert_eq!(
        first.date("field_2", &format),
        Some(LenientDate::Date(
            NaiveDate::from_ymd_opt(2024, 1, 15).unwrap()
        ))
    );
    assert_eq!(first.object_version_ids, Some(json!("5")));
    assert_eq!(first.value("field_12"), FieldValue::Null);

    let second = &objects[1];
    assert_eq!(second.choice("field_3").unwrap().id, "7740");
    assert_eq!(second.value("field_5"), FieldValue::Null);
    assert!(objects.iter().any(|o| o.is_archived == Some(true)));
}

#[test]
fn the_top_level_page_decodes_with_display_name_choices() {
    let objects = page("search_objects_page_top_level.json");

    assert_eq!(objects.len(), 2);
    let server = &objects[0];
    assert_eq!(server.text("field_1").as_deref(), Some("HARBOR-SRV-01"));
    assert_eq!(
        server.choice("field_3"),
        Some(Choice {
            id: "7740".into(),
            label: Some("Example Virtualization".into())
        })
    );
    assert_eq!(
        server.choice("field_11").unwrap().label.as_deref(),
        Some("Assigned")
    );
    assert_eq!(
        server.choice("field_16").unwrap().id,
        "65a1e9b0e4b0a1b2c3d40100"
    );
    assert_eq!(server.number("field_9"), Some(3850.0));
    // Older built-in keys are kept, field values are not duplicated into `extra`.
    assert!(server.extra.contains_key("integ_ad_sid"));
    assert!(server.extra.contains_key("locked_details"));
    assert!(!server.extra.contains_key("field_1"));

    let printer = &objects[1];
    assert_eq!(printer.value("field_2"), FieldValue::Null);
    assert_eq!(printer.value("field_10"), FieldValue::Null);
    assert_eq!(
        printer.object_version_ids.as_ref().map(Value::is_number),
        Some(true)
    );
}

#[test]
fn both_layouts_give_the_same_typed_reads() {
    let v3: Object = serde_json::from_value(json!({
        "id": "64b000000000000000000001",
        "data": {"field_3": {"id": "7731", "value": "Example Devices Inc"}, "field_1": "A"}
    }))
    .unwrap();
    let v2: Object = serde_json::from_value(json!({
        "id": "64b000000000000000000001",
        "field_3": {"id": 7731, "display_name": "Example Devices Inc"},
        "field_1": "A"
    }))
    .unwrap();

    assert_eq!(v3.choice("field_3"), v2.choice("field_3"));
    assert_eq!(v3.text("field_1"), v2.text("field_1"));
    assert_eq!(v3.fields.len(), v2.fields.len());
}

#[test]
fn data_wins_over_top_level_and_every_key_is_kept() {
    let object: Object = serde_json::from_value(json!({
        "id": 5,
        "field_1": "top",
        "field_7": "only-top",
        "data": {"field_1": "data", "gps_coordinates": [50, 50]}
    }))
    .unwrap();

    assert_eq!(object.id, Some(ObjectId::from("5")));
    assert_eq!(object.text("field_1").as_deref(), Some("data"));
    assert_eq!(object.text("field_7").as_deref(), Some("only-top"));
    assert_eq!(object.get("gps_coordinates"), Some(&json!([50, 50])));
}

#[test]
fn an_object_re_encodes_in_the_v3_layout() {
    let object: Object = serde_json::from_slice(&fixture("object.json")).unwrap();
    let back = serde_json::to_value(&object).unwrap();
    let original: Value = serde_json::from_slice(&fixture("object.json")).unwrap();

    assert_eq!(back["data"], original["data"]);
    for (key, value) in original.as_object().unwrap() {
        if !value.is_null() {
            assert_eq!(&back[key], value, "{key}");
        }
    }
}

#[test]
fn the_login_fixture_holds_an_access_token() {
    let body: Value = serde_json::from_slice(&fixture("login.json")).unwrap();
    assert!(body["access_token"].as_str().unwrap().starts_with("eyJ"));
    assert_eq!(body["token_type"], "bearer");
}

#[test]
fn dates_parse_leniently_and_write_in_the_account_format() {
    let format = DateFormat::from_account("MM/DD/YYYY").unwrap();
    let day = NaiveDate::from_ymd_opt(2022, 11, 24).unwrap();

    assert_eq!(format.format(day), "11/24/2022");
    assert_eq!(format.parse("2022-11-24"), Some(LenientDate::Date(day)));
    assert_eq!(
        format.parse("2022-11-24T10:00:00Z"),
        Some(LenientDate::Date(day))
    );
    assert_eq!(format.parse(""), None);
    assert_eq!(format.parse("soon"), Some(LenientDate::Raw("soon".into())));
    assert_eq!(
        DateFormat::from_account("DD.MM.YYYY").unwrap().format(day),
        "24.11.2022"
    );
    assert!(DateFormat::from_account("Do MMMM").is_err());
    assert_eq!(
        DateFormat::from_strftime("%d/%m/%Y").unwrap().format(day),
        "24/11/2022"
    );
}
