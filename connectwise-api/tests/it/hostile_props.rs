//! Property twins of the fuzz targets in `fuzz/`: the same properties on generated input,
//! run with every test.

use connectwise_api::fake::{condition_matches, parse_conditions, Expr, Literal as Parsed};
use connectwise_api::models::{Agreement, CatalogItem, Company, Configuration, Ticket};
use connectwise_api::{link_target, Condition};
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Any JSON value, nested a few levels.
fn json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        ".{0,12}".prop_map(serde_json::Value::from),
        "20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:00:00Z".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
            prop::collection::btree_map(
                prop_oneof![
                    Just("id".to_owned()),
                    Just("name".to_owned()),
                    Just("company".to_owned()),
                    Just("customFields".to_owned()),
                    Just("_info".to_owned()),
                    Just("status".to_owned()),
                    "[a-zA-Z]{1,10}",
                ],
                inner,
                0..6
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

fn round_trip<T: DeserializeOwned + Serialize>(bytes: &[u8]) -> Result<(), TestCaseError> {
    if let Ok(model) = serde_json::from_slice::<T>(bytes) {
        let json = serde_json::to_vec(&model).expect("a decoded model encodes");
        prop_assert!(serde_json::from_slice::<T>(&json).is_ok());
    }
    Ok(())
}

proptest! {
    #[test]
    fn every_model_decodes_any_json_without_panicking_and_round_trips(value in json()) {
        let bytes = serde_json::to_vec(&value).unwrap();
        round_trip::<Company>(&bytes)?;
        round_trip::<Configuration>(&bytes)?;
        round_trip::<Ticket>(&bytes)?;
        round_trip::<Agreement>(&bytes)?;
        round_trip::<CatalogItem>(&bytes)?;
    }

    #[test]
    fn every_model_survives_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        round_trip::<Company>(&bytes)?;
        round_trip::<Configuration>(&bytes)?;
        round_trip::<Ticket>(&bytes)?;
    }

    #[test]
    fn the_link_parser_returns_only_text_from_the_header(
        header in r#"(<[^>]{0,30}>|;|,| |rel=|"next"|next|"last"|=|"|<|>){0,12}"#,
    ) {
        for rel in ["next", "last", "first", "prev"] {
            if let Some(target) = link_target(&header, rel) {
                prop_assert!(header.contains(target.as_str()), "{target:?} in {header:?}");
            }
        }
    }

    #[test]
    fn a_rendered_condition_parses_back_with_the_same_literal(
        field in "[a-zA-Z][a-zA-Z0-9_]{0,8}(/[a-zA-Z][a-zA-Z0-9_]{0,8}){0,2}",
        value in "[^\\x00-\\x1f\\x7f-\\x9f]{0,24}",
    ) {
        let Ok(rendered) = Condition::eq(field.as_str(), value.as_str()).render() else {
            return Ok(());
        };
        match parse_conditions(&rendered) {
            Ok(Expr::Cmp { value: Parsed::Str(back), .. }) => prop_assert_eq!(back, value),
            other => prop_assert!(false, "{rendered:?} parsed as {other:?}"),
        }
    }

    #[test]
    fn the_fake_parser_and_evaluator_take_any_text(text in ".{0,60}") {
        if let Ok(expr) = parse_conditions(&text) {
            let record = serde_json::json!({"id": 1, "name": "A", "company": {"id": 2}});
            let _ = condition_matches(&expr, &record);
        }
    }
}
