//! The fake's own `conditions` parser and evaluator.

use connectwise_api::fake::{
    condition_matches, parse_conditions, ConditionError, Expr, Literal, Op,
};
use serde_json::{json, Value};

fn device() -> Value {
    json!({
        "id": 1542,
        "name": "EXCO-WS-017",
        "serialNumber": "5CG1234XYZ",
        "status": { "id": 2, "name": "Active" },
        "company": { "id": 250, "identifier": "ExampleCo", "name": "Müller & Söhne" },
        "activeFlag": true,
        "budgetHours": 10.5,
        "contact": null,
        "notes": "Reimaged [2024] with 100% success",
        "types": [{ "id": 1, "name": "Client" }, { "id": 4, "name": "Partner" }],
        "_info": { "lastUpdated": "2025-03-01T10:00:00Z", "dateEntered": "2019-06-13T15:27:10Z" },
    })
}

fn holds(text: &str) -> bool {
    let expr = parse_conditions(text).unwrap_or_else(|e| panic!("{text}: {}", e.message()));
    condition_matches(&expr, &device())
}

#[test]
fn comparison_operators_on_numbers_text_and_booleans() {
    assert!(holds("id=1542"));
    assert!(holds("id != 1"));
    assert!(holds(
        "id > 1541 and id >= 1542 and id < 1543 and id <= 1542"
    ));
    assert!(!holds("id > 1542"));
    assert!(holds(
        "budgetHours > 10.25 and budgetHours < -1 or budgetHours = 10.5"
    ));
    assert!(holds("activeFlag = true"));
    assert!(!holds("activeFlag = false"));
    assert!(holds("name < \"F\" and name > 'A'"));
}

#[test]
fn text_compares_case_insensitively_including_unicode() {
    assert!(holds("name = \"exco-ws-017\""));
    assert!(holds("company/name = 'MÜLLER & SÖHNE'"));
    assert!(holds("company/name contains \"söhne\""));
    assert!(holds("name not contains \"SRV\""));
    assert!(!holds("name not contains \"ws\""));
}

#[test]
fn nested_paths_and_arrays_match_any_element() {
    assert!(holds("company/id = 250 and status/name = \"Active\""));
    assert!(holds("types/id = 4"));
    assert!(!holds("types/id = 3"));
    assert!(!holds("company/missing = 1"));
}

#[test]
fn like_supports_percent_star_underscore_and_bracket_escape() {
    assert!(holds("name like \"EXCO%\""));
    assert!(holds("name like \"*ws*\""));
    assert!(holds("name like \"EXCO-WS-01_\""));
    assert!(!holds("name like \"EXCO-WS-0_\""));
    assert!(holds("notes like \"Reimaged [[]2024]%\""));
    assert!(holds("serialNumber not like \"X%\""));
    assert!(!holds("serialNumber not like \"5CG%\""));
}

#[test]
fn in_and_not_in_lists() {
    assert!(holds("status/id in (1, 2, 3)"));
    assert!(holds("status/name in ('Inactive',\"active\")"));
    assert!(!holds("status/id not in (2)"));
    assert!(holds("status/id not in (3,4)"));
}

#[test]
fn null_matches_only_equals_null() {
    assert!(holds("contact = null"));
    assert!(holds("parentCompany = null"));
    assert!(!holds("contact != null"));
    assert!(holds("serialNumber != null"));
    // SQL semantics: a missing value is neither equal nor unequal to a value.
    assert!(!holds("contact/id != 5"));
    assert!(!holds("contact/id = 5"));
    assert!(!holds("contact/name not contains \"x\""));
}

#[test]
fn dates_in_brackets_compare_with_audit_names_at_top_level() {
    assert!(holds("lastUpdated > [2025-01-01T00:00:00Z]"));
    assert!(holds("lastUpdated >= [2025-03-01T10:00:00Z]"));
    assert!(!holds("lastUpdated > [2025-03-01T10:00:00Z]"));
    assert!(holds("dateEntered < [2020-01-01T00:00:00+01:00]"));
    assert!(holds("lastUpdated = [2025-03-01T10:00:00]"));
}

#[test]
fn and_binds_tighter_than_or_and_parentheses_override() {
    // false or (true and true)
    assert!(holds("id = 1 or id = 1542 and activeFlag = true"));
    // (false or true) and false
    assert!(!holds("(id = 1 or id = 1542) and activeFlag = false"));
    assert!(holds(
        "((id = 1542)) AND (status/id = 9 OR company/id = 250)"
    ));

    let expr = parse_conditions("a = 1 or b = 2 and c = 3").unwrap_or_else(|e| panic!("{e:?}"));
    let Expr::Or(parts) = expr else {
        panic!("expected or at the root")
    };
    assert_eq!(parts.len(), 2);
    assert!(matches!(parts[1], Expr::And(_)));
}

#[test]
fn literals_parse_to_their_types() {
    let expr = parse_conditions("x in (\"a\", 'b', -1.5, true, null, [2024-05-05T00:00:00Z])");
    let Ok(Expr::Cmp {
        path,
        op,
        value: Literal::List(items),
    }) = expr
    else {
        panic!("unexpected parse: {expr:?}");
    };
    assert_eq!(path, vec!["x".to_owned()]);
    assert_eq!(op, Op::In);
    assert_eq!(items[0], Literal::Str("a".into()));
    assert_eq!(items[1], Literal::Str("b".into()));
    assert_eq!(items[2], Literal::Num(-1.5));
    assert_eq!(items[3], Literal::Bool(true));
    assert_eq!(items[4], Literal::Null);
    assert!(matches!(items[5], Literal::Date(_)));
}

#[test]
fn syntax_errors_name_the_position_and_the_literal_rules() {
    let cases = [
        ("name = ", 7),
        ("name = \"open", 7),
        ("name == 1", 6),
        ("= 1", 0),
        ("(id = 1", 7),
        ("id = 1 and", 10),
        ("id in 1", 6),
        ("lastUpdated > [yesterday]", 15),
        ("name = unquoted", 7),
        ("id = 1 id = 2", 7),
    ];
    for (text, position) in cases {
        match parse_conditions(text) {
            Err(e @ ConditionError::Syntax { position: p, .. }) => {
                assert_eq!(p, position, "position for {text:?}");
                assert!(e.message().contains("square brackets"), "{}", e.message());
            }
            other => panic!("{text:?} should not parse: {other:?}"),
        }
    }
}

#[test]
fn hostile_nesting_is_refused_without_overflowing() {
    let deep = format!("{}id = 1{}", "(".repeat(10_000), ")".repeat(10_000));
    assert!(matches!(
        parse_conditions(&deep),
        Err(ConditionError::Syntax { .. })
    ));
    let fine = format!("{}id = 1542{}", "(".repeat(20), ")".repeat(20));
    assert!(holds(&fine));
}
