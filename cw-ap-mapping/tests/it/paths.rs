//! Paths in ConnectWise's syntax.

use cw_ap_mapping::path::{Extracted, FieldPath, Selector};
use serde_json::json;

use crate::support::fixture;

#[test]
fn parses_every_form() {
    let p = FieldPath::parse("types[]/name").unwrap();
    assert_eq!(p.segments()[0].selector, Some(Selector::All));
    assert_eq!(p.projection(), "types");
    assert_eq!(p.condition_name(), "types/name");
    assert!(p.is_child());

    let p = FieldPath::parse("customFields[caption=RMM ID]").unwrap();
    assert_eq!(p.custom_field(), Some(("caption", "RMM ID")));
    assert_eq!(p.projection(), "customFields");

    assert_eq!(
        FieldPath::parse("_info/lastUpdated")
            .unwrap()
            .condition_name(),
        "lastUpdated"
    );
    assert_eq!(
        FieldPath::parse("company/name").unwrap().projection(),
        "company/name"
    );

    for bad in ["", "a//b", "types[", "types]x", "a[b]", "a[=1]", "a[]x"] {
        assert!(FieldPath::parse(bad).is_err(), "{bad:?} should fail");
    }
}

#[test]
fn extracts_nested_lists_and_custom_fields() {
    let company = fixture("company.json");
    let name = FieldPath::parse("name").unwrap().extract(&company).unwrap();
    assert!(matches!(name, Extracted::One(v) if v.is_string()));

    let record = json!({"types":[{"id":1,"name":"Client"},{"id":5,"name":"Vendor"}],
        "customFields":[{"id":9,"caption":"Seats","value":12.5},{"id":10,"caption":"Rack"}],
        "company": null});
    let types = FieldPath::parse("types[]/name")
        .unwrap()
        .extract(&record)
        .unwrap();
    assert_eq!(
        types,
        Extracted::Many(vec![&json!("Client"), &json!("Vendor")])
    );
    let implicit = FieldPath::parse("types/name")
        .unwrap()
        .extract(&record)
        .unwrap();
    assert_eq!(implicit, types);

    let seats = FieldPath::parse("customFields[id=9]")
        .unwrap()
        .extract(&record)
        .unwrap();
    assert_eq!(seats, Extracted::One(&json!(12.5)));
    let rack = FieldPath::parse("customFields[caption=Rack]")
        .unwrap()
        .extract(&record)
        .unwrap();
    assert_eq!(rack, Extracted::Unset);
    let none = FieldPath::parse("customFields[id=77]")
        .unwrap()
        .extract(&record)
        .unwrap();
    assert_eq!(none, Extracted::Unset);

    let null_ref = FieldPath::parse("company/name")
        .unwrap()
        .extract(&record)
        .unwrap();
    assert_eq!(null_ref, Extracted::Unset);
}

#[test]
fn walking_into_a_scalar_names_the_segment() {
    let record = json!({"type":{"name":"Managed Workstation"},"count":3,"flag":true});
    let err = FieldPath::parse("type/name/value")
        .unwrap()
        .extract(&record)
        .unwrap_err();
    assert_eq!(err.segment, "value");
    assert_eq!(err.found, "string");
    assert!(err.to_string().contains("segment `value`"));
    let err = FieldPath::parse("count/x")
        .unwrap()
        .extract(&record)
        .unwrap_err();
    assert_eq!(err.found, "number");
    let err = FieldPath::parse("flag/x")
        .unwrap()
        .extract(&record)
        .unwrap_err();
    assert_eq!(err.found, "boolean");
}
