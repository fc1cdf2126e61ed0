//! The conditions builder: operators, literals, quoting, encoding and the URL limit.

use chrono::{FixedOffset, TimeZone, Utc};
use connectwise_api::conditions::{encode_component, like_escape, split_in_list};
use connectwise_api::{Condition, Error, Literal};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

use crate::support::{client, json, query_param, requests_to, API};

#[test]
fn each_operator_renders_canonically() {
    let cases = [
        (Condition::eq("company/id", 250), "company/id=250"),
        (
            Condition::ne("status/name", "Closed"),
            "status/name!=\"Closed\"",
        ),
        (Condition::lt("id", 10), "id<10"),
        (Condition::le("id", 10), "id<=10"),
        (Condition::gt("id", 10), "id>10"),
        (Condition::ge("id", 10), "id>=10"),
        (
            Condition::contains("name", "Acme"),
            "name contains \"Acme\"",
        ),
        (
            Condition::not_contains("summary", "Low"),
            "summary not contains \"Low\"",
        ),
        (
            Condition::like("contact/name", "Fred%"),
            "contact/name like \"Fred%\"",
        ),
        (
            Condition::not_like("name", "Test%"),
            "name not like \"Test%\"",
        ),
        (
            Condition::in_list("board/id", [3, 2, 4]),
            "board/id in (3,2,4)",
        ),
        (
            Condition::not_in("status/id", [1, 2]),
            "status/id not in (1,2)",
        ),
        (Condition::is_null("parentTicketId"), "parentTicketId=null"),
        (Condition::is_not_null("value"), "value!=null"),
    ];
    for (condition, expected) in cases {
        assert_eq!(condition.render().unwrap(), expected);
    }
}

#[test]
fn each_literal_kind_renders() {
    let at = FixedOffset::east_opt(10 * 3600).unwrap();
    let local = at.with_ymd_and_hms(2024, 5, 5, 10, 0, 0).unwrap();
    let cases = [
        (Literal::from("text"), "\"text\""),
        (Literal::from(-42i64), "-42"),
        (Literal::number(1.5).unwrap(), "1.5"),
        (Literal::from(true), "true"),
        (Literal::from(false), "false"),
        (Literal::null(), "null"),
        (Literal::from(local), "[2024-05-05T00:00:00Z]"),
    ];
    for (literal, expected) in cases {
        assert_eq!(literal.render().unwrap(), expected);
    }
    let fraction =
        Utc.with_ymd_and_hms(2024, 5, 5, 0, 0, 0).unwrap() + chrono::Duration::milliseconds(123);
    assert_eq!(
        Literal::from(fraction).render().unwrap(),
        "[2024-05-05T00:00:00Z]"
    );
}

#[test]
fn quoting_picks_a_quote_style_and_refuses_what_it_cannot_write() {
    let double = Condition::eq("name", "Say \"hi\"").render().unwrap();
    assert_eq!(double, "name='Say \"hi\"'");
    let single = Condition::eq("name", "O'Brien").render().unwrap();
    assert_eq!(single, "name=\"O'Brien\"");
    let both = Condition::eq("name", "O'Brien \"Jr\"").render();
    assert!(
        matches!(both, Err(Error::InvalidCondition { .. })),
        "{both:?}"
    );
    let control = Condition::eq("name", "line\nbreak").render();
    assert!(matches!(control, Err(Error::InvalidCondition { .. })));
    assert!(!double.contains('\\') && !single.contains('\\'));
}

#[test]
fn grouping_is_explicit_and_flat() {
    let mixed = Condition::in_list("status/id", [1, 2, 3])
        .or(Condition::eq("closedFlag", false))
        .and(Condition::eq("company/id", 250));
    assert_eq!(
        mixed.render().unwrap(),
        "(status/id in (1,2,3) or closedFlag=false) and company/id=250"
    );
    let chain = Condition::eq("a", 1)
        .and(Condition::eq("b", 2))
        .and(Condition::eq("c", 3));
    assert_eq!(chain.render().unwrap(), "a=1 and b=2 and c=3");
    let raw = Condition::raw("x=1 or y=2").and(Condition::eq("z", 3));
    assert_eq!(raw.render().unwrap(), "(x=1 or y=2) and z=3");
}

#[test]
fn child_conditions_expand_in_lists() {
    let types = Condition::in_list("types/id", [1, 2]);
    assert_eq!(
        types.render_without_in().unwrap(),
        "types/id=1 or types/id=2"
    );
    let excluded = Condition::not_in("types/id", [1, 2]).and(Condition::eq("x", 1));
    assert_eq!(
        excluded.render_without_in().unwrap(),
        "types/id!=1 and types/id!=2 and x=1"
    );
    let nested = Condition::in_list("types/id", [1, 2]).and(Condition::eq("x", 1));
    assert_eq!(
        nested.render_without_in().unwrap(),
        "(types/id=1 or types/id=2) and x=1"
    );
}

#[test]
fn bad_fields_and_empty_lists_are_refused() {
    assert!(Condition::eq("name\" or 1=1", 1).render().is_err());
    let empty: Vec<i32> = Vec::new();
    assert!(Condition::in_list("id", empty).render().is_err());
}

#[test]
fn like_escape_brackets() {
    assert_eq!(like_escape("[draft] report%"), "[[]draft] report%");
}

#[test]
fn encoding_leaves_only_unreserved_characters() {
    let text = "name=\"Acme & Sons\" and lastUpdated>[2024-05-05T00:00:00Z]";
    assert_eq!(
        encode_component(text),
        "name%3D%22Acme%20%26%20Sons%22%20and%20lastUpdated%3E%5B2024-05-05T00%3A00%3A00Z%5D"
    );
    assert_eq!(encode_component("a+b*c%'~-._"), "a%2Bb%2Ac%25%27~-._");
}

#[test]
fn h22_typed_literals_and_one_encoded_conditions_parameter_golden() {
    let at = Utc.with_ymd_and_hms(2024, 5, 5, 0, 0, 0).unwrap();
    let condition = Condition::eq("type/name", "Managed Workstation")
        .and(Condition::eq("activeFlag", true))
        .and(Condition::is_null("parentConfigurationId"))
        .and(Condition::gt("lastUpdated", at))
        .and(Condition::eq("company/id", 250));
    assert_eq!(
        condition.render().unwrap(),
        "type/name=\"Managed Workstation\" and activeFlag=true and parentConfigurationId=null \
         and lastUpdated>[2024-05-05T00:00:00Z] and company/id=250"
    );
    assert!(Literal::number(f64::NAN).is_err());
    assert!(Literal::try_from(f64::INFINITY).is_err());
}

#[tokio::test]
async fn h22_typed_literals_and_one_encoded_conditions_parameter_on_the_wire() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{API}/company/configurations")))
        .respond_with(json(200, serde_json::json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let at = Utc.with_ymd_and_hms(2024, 5, 5, 0, 0, 0).unwrap();
    let condition = Condition::eq("type/name", "Managed Workstation")
        .and(Condition::eq("activeFlag", true))
        .and(Condition::is_null("parentConfigurationId"))
        .and(Condition::gt("lastUpdated", at))
        .and(Condition::eq("company/id", 250));
    let golden = condition.render().unwrap();
    client
        .configurations()
        .list()
        .conditions(condition)
        .send()
        .await
        .unwrap();

    let requests = requests_to(&server, "/company/configurations").await;
    let raw = requests[0].url.query().unwrap().to_owned();
    assert_eq!(raw.matches("conditions=").count(), 1);
    for forbidden in [' ', '"', '[', ']'] {
        assert!(
            !raw.contains(forbidden),
            "raw query holds {forbidden:?}: {raw}"
        );
    }
    assert_eq!(query_param(&requests[0], "conditions").unwrap(), golden);
}

#[tokio::test]
async fn h23_child_and_custom_field_filters_go_to_their_own_parameters() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{API}/company/companies")))
        .respond_with(json(200, serde_json::json!([{"id": 250}])))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    client
        .companies()
        .list()
        .conditions("status/name=\"Active\" AND deletedFlag=false")
        .child_conditions("types/name=\"Client\"")
        .custom_field_conditions("caption=\"Tier\" AND value=\"Gold\"")
        .send()
        .await
        .unwrap();

    let requests = requests_to(&server, "/company/companies").await;
    let pairs = crate::support::query_pairs(&requests[0]);
    let expected = [
        ("conditions", "status/name=\"Active\" AND deletedFlag=false"),
        ("childConditions", "types/name=\"Client\""),
        (
            "customFieldConditions",
            "caption=\"Tier\" AND value=\"Gold\"",
        ),
        ("pageSize", "1000"),
        ("page", "1"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(pairs, expected);
}

#[tokio::test]
async fn h23_a_rejected_raw_filter_keeps_the_vendor_message() {
    let server = MockServer::start().await;
    let body = serde_json::json!({"code": "ApiFindCondition",
        "message": "typeids is not a recognized name."});
    Mock::given(method("GET"))
        .and(path(format!("{API}/company/companies")))
        .respond_with(json(400, body))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let error = client
        .companies()
        .list()
        .conditions("typeids=\"1\"")
        .send()
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("typeids is not a recognized name."),
        "{error}"
    );
    assert_eq!(
        error.api().unwrap().kind(),
        connectwise_api::ApiErrorKind::BadCondition
    );
}

#[tokio::test]
async fn a_url_over_the_limit_is_refused_before_sending() {
    let server = MockServer::start().await;
    let (client, _) = client(&server);
    let ids: Vec<i32> = (100_000..100_400).collect();
    let result = client
        .tickets()
        .list()
        .conditions(Condition::in_list("id", ids))
        .send()
        .await;
    match result {
        Err(Error::UrlTooLong { length, limit, .. }) => {
            assert_eq!(limit, 2000);
            assert!(length > 2000);
        }
        other => panic!("expected UrlTooLong, got {other:?}"),
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[test]
fn split_in_list_chunks_fit_and_cover_every_value() {
    let ids: Vec<i64> = (1_000_000..1_000_700).collect();
    let chunks = split_in_list("id", ids.clone(), 500).unwrap();
    assert!(chunks.len() > 1);
    let mut seen = Vec::new();
    for chunk in &chunks {
        let text = chunk.render().unwrap();
        assert!(encode_component(&text).len() <= 500, "{}", text.len());
        let Condition::In { values, .. } = chunk else {
            panic!("not an in list")
        };
        seen.extend(values.iter().map(|v| v.render().unwrap()));
    }
    let expected: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
    assert_eq!(seen, expected);
    assert!(split_in_list("id", Vec::<i64>::new(), 500)
        .unwrap()
        .is_empty());
    assert!(matches!(
        split_in_list("id", [1], 5),
        Err(Error::UrlTooLong { .. })
    ));
}

#[tokio::test]
async fn split_in_on_a_list_request_gives_requests_that_fit_and_are_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{API}/company/configurations")))
        .respond_with(json(200, serde_json::json!([])))
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let ids: Vec<i64> = (5_000_000..5_000_600).collect();
    let requests = client
        .list_json("/company/configurations")
        .conditions(Condition::eq("status/name", "Active"))
        .fields(["id", "name"])
        .split_in("id", ids)
        .unwrap();
    assert!(requests.len() >= 2);
    for request in requests {
        request.send().await.unwrap();
    }
    for received in requests_to(&server, "/company/configurations").await {
        assert!(
            received.url.as_str().len() <= 2000,
            "{}",
            received.url.as_str().len()
        );
        let conditions = query_param(&received, "conditions").unwrap();
        assert!(
            conditions.starts_with("status/name=\"Active\" and id in ("),
            "{conditions}"
        );
    }
}

proptest::proptest! {
    #[test]
    fn any_writable_text_encodes_and_decodes_back(text in "[^\\x00-\\x1f\\x7f-\\x9f]{0,40}") {
        let rendered = Condition::eq("name", text.as_str()).render();
        if text.contains('"') && text.contains('\'') {
            proptest::prop_assert!(rendered.is_err());
        } else {
            let rendered = rendered.unwrap();
            proptest::prop_assert!(!rendered.contains('\\') || text.contains('\\'));
            let encoded = encode_component(&rendered);
            proptest::prop_assert!(encoded
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)));
            let decoded = percent_encoding::percent_decode_str(&encoded).decode_utf8().unwrap();
            proptest::prop_assert_eq!(decoded.as_ref(), rendered.as_str());
        }
    }
}

#[test]
fn field_paths_the_server_cannot_read_are_refused() {
    for field in [
        "",
        "/",
        "a//b",
        "company/",
        "6NLJ",
        "null",
        "company/and",
        "Contains",
        "na me",
    ] {
        let rendered = Condition::eq(field, 1).render();
        assert!(
            matches!(rendered, Err(Error::InvalidCondition { .. })),
            "`{field}` was accepted: {rendered:?}"
        );
    }
    for field in [
        "id",
        "company/name",
        "_info/lastUpdated",
        "types.name",
        "nullable",
    ] {
        assert!(
            Condition::eq(field, 1).render().is_ok(),
            "`{field}` was refused"
        );
    }
}

#[tokio::test]
async fn conditions_given_twice_both_hold_and_fields_always_ask_for_the_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{API}/company/companies")))
        .and(wiremock::matchers::query_param(
            "fields",
            "id,name,identifier",
        ))
        .respond_with(json(
            200,
            serde_json::json!([
                {"id": 250, "name": "Acme", "identifier": "ACME"},
                {"id": 251, "name": "Globex", "identifier": "GLOBEX"},
            ]),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server);

    let page = client
        .companies()
        .list()
        .conditions(Condition::eq("deletedFlag", false))
        .conditions(Condition::eq("status/name", "Active"))
        .fields(["name", "identifier"])
        .send()
        .await
        .unwrap();

    let ids: Vec<Option<i32>> = page.items.iter().map(|c| c.id).collect();
    assert_eq!(ids, [Some(250), Some(251)]);
    let requests = requests_to(&server, "/company/companies").await;
    assert_eq!(
        query_param(&requests[0], "conditions").unwrap(),
        "deletedFlag=false and status/name=\"Active\""
    );
}
