//! Object decoding never fails on any JSON object and loses no key.

use assetpanda_api::{FieldValue, Object};
use proptest::prelude::*;
use serde_json::{Map, Value};

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        "[ -~]{0,12}".prop_map(Value::String),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn object_json() -> impl Strategy<Value = Map<String, Value>> {
    let key = prop_oneof!["field_[0-9]{1,3}", "[a-z_]{1,10}"];
    prop::collection::btree_map(key, value(), 0..12).prop_map(|m| m.into_iter().collect())
}

proptest! {
    #[test]
    fn any_object_decodes_and_keeps_its_field_keys(map in object_json()) {
        let object: Object = serde_json::from_value(Value::Object(map.clone())).unwrap();

        for (key, value) in &map {
            if key.starts_with("field_") {
                prop_assert_eq!(object.get(key), Some(value));
            }
        }
        for key in object.fields.keys() {
            let typed = object.value(key);
            prop_assert!(!matches!(typed, FieldValue::Other(Value::Null)));
        }
    }
}
