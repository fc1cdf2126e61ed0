//! Filters: local evaluation and rendering into the three ConnectWise parameters.

use cw_ap_mapping::filter::quote_literal;
use cw_ap_mapping::{Entity, FilterConfig, FilterExpr, RenderedFilter};
use serde_json::json;

use crate::support::{compile, devices, job};

fn compile_filter(entity: Entity, toml: &str) -> FilterExpr {
    #[derive(serde::Deserialize)]
    struct Wrap {
        filter: FilterConfig,
    }
    let wrap: Wrap = toml::from_str(toml).expect("filter TOML");
    let resolve =
        |name: &str| cw_ap_mapping::path::FieldPath::parse(name).map_err(|e| e.to_string());
    wrap.filter.compile(entity, &resolve).expect("compiles")
}

#[test]
fn golden_rendering_of_typed_literals() {
    let expr = compile_filter(
        Entity::Configurations,
        r#"[filter]
        conditions = [
          { field = "type/name", op = "=", value = "Managed Workstation" },
          { field = "activeFlag", op = "=", value = true },
          { field = "parentConfigurationId", op = "is null" },
          { field = "_info/lastUpdated", op = ">", value = "2024-05-05T00:00:00Z" },
          { field = "company/id", op = "=", value = 250 },
        ]"#,
    );
    let rendered = expr.render();
    assert_eq!(
        rendered.conditions.as_deref(),
        Some(
            "type/name=\"Managed Workstation\" and activeFlag=true and parentConfigurationId=null \
             and lastUpdated>[2024-05-05T00:00:00Z] and company/id=250"
        )
    );
    assert_eq!(rendered.child_conditions, None);
    assert!(rendered.local_only.is_empty());
}

#[test]
fn h23_child_and_custom_field_filters_go_to_their_parameters() {
    let expr = compile_filter(
        Entity::Companies,
        r#"[filter]
        status = ["Active"]
        types = ["Client", "Vendor"]
        conditions = [
          { field = "deletedFlag", op = "=", value = false },
          { field = "customFields[caption=Tier]", op = "in", value = ["Gold", "Silver"] },
          { field = "state", op = "not in", value = ["TX", "OK"] },
        ]"#,
    );
    let r = expr.render();
    assert_eq!(
        r.conditions.as_deref(),
        Some("status/name=\"Active\" and deletedFlag=false and state not in (\"TX\",\"OK\")")
    );
    assert_eq!(
        r.child_conditions.as_deref(),
        Some("(types/name=\"Client\" or types/name=\"Vendor\")")
    );
    assert_eq!(
        r.custom_field_conditions.as_deref(),
        Some("caption=\"Tier\" and (value=\"Gold\" or value=\"Silver\")")
    );

    let company = json!({"id": 1, "status": {"name": "active"}, "deletedFlag": false,
        "state": "CA", "types": [{"name": "Prospect"}, {"name": "Vendor"}],
        "customFields": [{"id": 4, "caption": "Tier", "value": "Gold"}]});
    assert!(expr.matches(&company));
    let mut other = company.clone();
    other["types"] = json!([{"name": "Prospect"}]);
    assert!(!expr.matches(&other));
    let mut texan = company.clone();
    texan["state"] = json!("TX");
    assert!(!expr.matches(&texan));
}

#[test]
fn raw_filters_are_sent_as_written() {
    let job = job(r#"name = "c"
        entity = "companies"
        target_group = 139300
        match_keys = [{ target = "field_20" }]
        [jobs.filter]
        raw_conditions = 'status/name="Active" AND deletedFlag=false'
        raw_child_conditions = 'types/name="Client"'
        raw_custom_field_conditions = 'caption="Tier" AND value="Gold"'"#);
    let compiled = compile(&job, &devices());
    assert_eq!(
        compiled.pushdown,
        RenderedFilter {
            conditions: Some("status/name=\"Active\" AND deletedFlag=false".into()),
            child_conditions: Some("types/name=\"Client\"".into()),
            custom_field_conditions: Some("caption=\"Tier\" AND value=\"Gold\"".into()),
            local_only: vec![],
        }
    );
}

#[test]
fn quoting_picks_a_quote_or_gives_up() {
    assert_eq!(
        quote_literal("Acme & Sons").as_deref(),
        Some("\"Acme & Sons\"")
    );
    assert_eq!(quote_literal("12\" rack").as_deref(), Some("'12\" rack'"));
    assert_eq!(quote_literal("O'Brien").as_deref(), Some("\"O'Brien\""));
    assert_eq!(quote_literal("both \" and '"), None);
    assert_eq!(quote_literal("tab\there"), None);

    let expr = compile_filter(
        Entity::Companies,
        r#"[filter]
        conditions = [{ field = "name", op = "contains", value = "both \" and '" },
                      { field = "city", op = "=", value = "Austin" }]"#,
    );
    let r = expr.render();
    assert_eq!(r.conditions.as_deref(), Some("city=\"Austin\""));
    assert_eq!(r.local_only.len(), 1);
    assert!(!expr.matches(&json!({"name": "plain", "city": "Austin"})));
    assert!(expr.matches(&json!({"name": "has both \" and ' inside", "city": "austin"})));
}

#[test]
fn mixed_connectives_are_parenthesised() {
    let expr = compile_filter(
        Entity::Tickets,
        r#"[filter]
        conditions = [
          { any = [{ field = "status/id", op = "in", value = [1, 2, 3] }, { field = "closedFlag", op = "=", value = false }] },
          { field = "company/id", op = "=", value = 250 },
        ]"#,
    );
    assert_eq!(
        expr.render().conditions.as_deref(),
        Some("(status/id in (1,2,3) or closedFlag=false) and company/id=250")
    );
    assert!(expr.matches(&json!({"status": {"id": 2}, "company": {"id": 250}})));
    assert!(expr.matches(&json!({"closedFlag": false, "company": {"id": 250}})));
    assert!(
        !expr.matches(&json!({"status": {"id": 9}, "closedFlag": true, "company": {"id": 250}}))
    );
}

#[test]
fn local_rules_for_unset_values_and_ranges() {
    let expr = compile_filter(
        Entity::Companies,
        "[filter]\nmin_employees = 10\nmax_employees = 50\ncountry = [\"United States\"]",
    );
    assert!(expr.matches(&json!({"numberOfEmployees": 10, "country": {"name": "united states"}})));
    assert!(!expr.matches(&json!({"numberOfEmployees": 51, "country": {"name": "United States"}})));
    assert!(!expr.matches(&json!({"country": {"name": "United States"}})));

    let ne = compile_filter(
        Entity::Companies,
        r#"[filter]
        conditions = [{ field = "city", op = "!=", value = "Austin" }]"#,
    );
    assert!(ne.matches(&json!({"city": "Dallas"})));
    assert!(
        !ne.matches(&json!({})),
        "a comparison with an unset value is false"
    );
}

#[test]
fn incremental_watermark_is_appended() {
    let since = chrono::DateTime::parse_from_rfc3339("2024-05-05T00:00:00.750Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    let r = RenderedFilter::default().with_updated_since(since);
    assert_eq!(
        r.conditions.as_deref(),
        Some("lastUpdated>=[2024-05-05T00:00:00Z]")
    );
    let r = RenderedFilter {
        conditions: Some("deletedFlag=false".into()),
        ..RenderedFilter::default()
    }
    .with_updated_since(since);
    assert_eq!(
        r.conditions.as_deref(),
        Some("deletedFlag=false and lastUpdated>=[2024-05-05T00:00:00Z]")
    );
}

#[test]
fn shortcuts_that_do_not_apply_are_errors() {
    #[derive(serde::Deserialize)]
    struct Wrap {
        filter: FilterConfig,
    }
    let wrap: Wrap =
        toml::from_str("[filter]\nstatus = [\"Active\"]\ncity = [\"Austin\"]").unwrap();
    let resolve =
        |name: &str| cw_ap_mapping::path::FieldPath::parse(name).map_err(|e| e.to_string());
    let errors = wrap
        .filter
        .compile(Entity::CatalogItems, &resolve)
        .unwrap_err();
    let locations: Vec<&str> = errors.iter().map(|e| e.location.as_str()).collect();
    assert_eq!(locations, ["filter.status", "filter.city"]);
}

#[test]
fn a_single_part_group_keeps_its_parents_parentheses() {
    let expr = compile_filter(
        Entity::Companies,
        r#"[filter]
        conditions = [
          { field = "numberOfEmployees", op = "!=", value = 1 },
          { any = [{ any = [{ field = "name", op = "=", value = "a" }, { field = "name", op = "=", value = "b" }] }] },
        ]"#,
    );
    assert_eq!(
        expr.render().conditions.as_deref(),
        Some("numberOfEmployees!=1 and (name=\"a\" or name=\"b\")")
    );
}
