//! Property tests: a plan applied and planned again changes nothing; no record is lost or
//! counted twice; filters rendered for the server and evaluated locally agree.

use std::collections::BTreeMap;

use cw_ap_mapping::{
    CompiledJob, Entity, FilterConfig, FilterExpr, Planner, SyncPlan, TargetObject, UpdateReason,
};
use proptest::prelude::*;
use serde_json::{json, Value};

use crate::support::{compile, devices, job, oid};

fn planning_job() -> CompiledJob {
    let job = job(r#"
        name = "devices"
        entity = "configurations"
        target_group = 139300
        match_keys = [{ target = "field_20" }, { target = "field_10", source = "serialNumber" }]
        fields = [
          { source = "name", target = "field_1" },
          { source = "backupBillableSpaceGb", target = "field_61" },
          { source = "warrantyExpirationDate", target = "field_31" },
          { source = "activeFlag", target = "field_62" },
          { source = "ipAddress", target = "field_41", on_unset = "keep" },
        ]
        filter = { conditions = [{ field = "name", op = "not contains", value = "skip" }] }
        on_filtered_out = "archive"
        archive_guard = { enabled = false }
    "#);
    compile(&job, &devices())
}

fn name() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        "[a-c]{1,3}".prop_map(Value::from),
        Just(json!("skip me")),
    ]
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        (0i64..5).prop_map(Value::from),
        (0i64..5).prop_map(|n| json!(n as f64 + 0.5)),
    ]
}

fn date() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        (1u32..4).prop_map(|d| json!(format!("2026-02-0{d}T00:00:00Z"))),
        Just(json!("not a date")),
    ]
}

fn record() -> impl Strategy<Value = Value> {
    (
        1i64..12,
        name(),
        number(),
        date(),
        proptest::option::of(any::<bool>()),
        proptest::option::of("[xy]{1}"),
        proptest::option::of("10\\.0\\.0\\.[1-3]"),
    )
        .prop_map(|(id, name, space, warranty, active, serial, ip)| {
            let mut r = json!({"id": id, "name": name, "backupBillableSpaceGb": space,
                "warrantyExpirationDate": warranty});
            if let Some(a) = active {
                r["activeFlag"] = json!(a);
            }
            if let Some(s) = serial {
                r["serialNumber"] = json!(s);
            }
            if let Some(ip) = ip {
                r["ipAddress"] = json!(ip);
            }
            r
        })
}

fn target_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        Just(json!("")),
        "[a-c]{1,3}".prop_map(Value::from),
        (0i64..5).prop_map(|n| json!(format!("{n}.00"))),
        (1u32..4).prop_map(|d| json!(format!("02/0{d}/2026"))),
        Just(json!("Yes")),
    ]
}

/// A generated object: its CW id, serial, four field values and archived flag.
type RawTarget = (Option<i64>, Option<String>, Vec<Value>, bool);

fn target() -> impl Strategy<Value = RawTarget> {
    (
        proptest::option::of(1i64..12),
        proptest::option::of("[xy]{1}"),
        proptest::collection::vec(target_value(), 4),
        any::<bool>(),
    )
}

fn build_targets(raw: &[RawTarget]) -> Vec<TargetObject> {
    raw.iter()
        .enumerate()
        .map(|(n, (id, serial, values, archived))| {
            let mut fields = BTreeMap::new();
            fields.insert(
                "field_20".to_string(),
                json!(id.map(|i| i.to_string()).unwrap_or_default()),
            );
            if let Some(serial) = serial {
                fields.insert("field_10".to_string(), json!(serial));
            }
            for (key, value) in ["field_1", "field_61", "field_31", "field_62"]
                .iter()
                .zip(values)
            {
                fields.insert(key.to_string(), value.clone());
            }
            let mut object = TargetObject::new(oid(n + 1), fields);
            object.archived = *archived;
            object
        })
        .collect()
}

fn run(job: &CompiledJob, targets: &[TargetObject], records: &[Value]) -> SyncPlan {
    let mut planner = Planner::new(job);
    for t in targets {
        planner.push_target(t.clone());
    }
    for r in records {
        planner.push_source(r);
    }
    let missing = planner.missing_ids();
    planner.confirm_absent(missing);
    planner.finish()
}

fn apply(plan: &SyncPlan, targets: &mut Vec<TargetObject>) {
    for create in &plan.creates {
        let id = oid(1000 + targets.len());
        targets.push(TargetObject::new(id, create.fields.clone()));
    }
    for update in &plan.updates {
        let object = targets.iter_mut().find(|o| o.id == update.object).unwrap();
        if update.unarchive {
            object.archived = false;
        }
        for change in &update.changes {
            object.fields.insert(change.key.clone(), change.new.clone());
        }
    }
    for archive in &plan.archives {
        targets
            .iter_mut()
            .find(|o| o.id == archive.object)
            .unwrap()
            .archived = true;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn a_plan_applied_and_planned_again_changes_nothing(
        records in proptest::collection::vec(record(), 0..14),
        raw in proptest::collection::vec(target(), 0..10),
    ) {
        let job = planning_job();
        let mut targets = build_targets(&raw);
        let first = run(&job, &targets, &records);
        apply(&first, &mut targets);
        let second = run(&job, &targets, &records);
        prop_assert!(second.creates.is_empty(), "{}", second.detailed_summary());
        prop_assert!(second.updates.is_empty(), "{}", second.detailed_summary());
        prop_assert!(second.archives.is_empty(), "{}", second.detailed_summary());
    }

    #[test]
    fn no_record_is_lost_or_counted_twice(
        records in proptest::collection::vec(record(), 0..14),
        raw in proptest::collection::vec(target(), 0..10),
    ) {
        let job = planning_job();
        let plan = run(&job, &build_targets(&raw), &records);
        let changed = plan.updates.iter().filter(|u| u.reason == UpdateReason::Changed).count();
        let in_conflict: usize = plan.conflicts.iter().map(|c| c.records.len()).sum();
        let total = plan.creates.len() + changed + plan.unchanged + in_conflict
            + plan.filtered_out.len() + plan.failed;
        prop_assert_eq!(total, records.len(), "{}", plan.detailed_summary());
        prop_assert_eq!(plan.records, records.len());

        // No object is written twice.
        let mut objects: Vec<&str> = plan.updates.iter().map(|u| u.object.as_str()).collect();
        objects.extend(plan.archives.iter().map(|a| a.object.as_str()));
        let before = objects.len();
        objects.sort();
        objects.dedup();
        prop_assert_eq!(before, objects.len());
    }
}

// ---------------------------------------------------------------------------------------
// Filters: a model of the server that reads the rendered parameters.

fn text_literal() -> impl Strategy<Value = Value> {
    prop_oneof![
        "[a-c]{1,2}".prop_map(Value::from),
        Just(json!("a\"b")),
        Just(json!("o'c"))
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        (
            prop_oneof![
                Just("name"),
                Just("city"),
                Just("types[]/name"),
                Just("customFields[caption=Tier]")
            ],
            prop_oneof![
                Just("="),
                Just("!="),
                Just("contains"),
                Just("not contains"),
                Just("<"),
                Just(">=")
            ],
            text_literal()
        )
            .prop_map(|(f, op, v)| json!({"field": f, "op": op, "value": v})),
        (
            prop_oneof![
                Just("name"),
                Just("types[]/name"),
                Just("customFields[caption=Tier]")
            ],
            prop_oneof![Just("in"), Just("not in")],
            proptest::collection::vec(text_literal(), 1..3)
        )
            .prop_map(|(f, op, v)| json!({"field": f, "op": op, "value": v})),
        (
            prop_oneof![Just("="), Just("!="), Just("<"), Just(">")],
            0i64..4
        )
            .prop_map(|(op, v)| json!({"field": "numberOfEmployees", "op": op, "value": v})),
        any::<bool>().prop_map(|b| json!({"field": "deletedFlag", "op": "=", "value": b})),
        (
            prop_oneof![Just("city"), Just("numberOfEmployees")],
            prop_oneof![Just("is null"), Just("is not null")]
        )
            .prop_map(|(f, op)| json!({"field": f, "op": op})),
    ]
}

fn filter_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 1..3).prop_map(|v| json!({"any": v})),
            proptest::collection::vec(inner, 1..3).prop_map(|v| json!({"all": v})),
        ]
    })
}

fn company() -> impl Strategy<Value = Value> {
    (
        proptest::option::of("[a-c]{1,2}"),
        proptest::option::of(prop_oneof![
            "[a-c]{1,2}".prop_map(String::from),
            Just("a\"b".to_string())
        ]),
        proptest::option::of(0i64..4),
        any::<bool>(),
        proptest::collection::vec("[a-c]{1,2}", 0..3),
        proptest::option::of("[a-c]{1,2}"),
    )
        .prop_map(|(name, city, employees, deleted, types, tier)| {
            let types: Vec<Value> = types.into_iter().map(|t| json!({"name": t})).collect();
            let mut custom = vec![json!({"id": 1, "caption": "Other", "value": "a"})];
            if let Some(tier) = tier {
                custom.push(json!({"id": 4, "caption": "Tier", "value": tier}));
            }
            json!({"id": 1, "name": name, "city": city, "numberOfEmployees": employees,
                   "deletedFlag": deleted, "types": types, "customFields": custom})
        })
}

fn compile_filter(conditions: Vec<Value>) -> FilterExpr {
    let config: FilterConfig =
        serde_json::from_value(json!({"conditions": conditions})).expect("filter config");
    let resolve =
        |name: &str| cw_ap_mapping::path::FieldPath::parse(name).map_err(|e| e.to_string());
    config
        .compile(Entity::Companies, &resolve)
        .expect("compiles")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn rendered_filters_agree_with_local_evaluation(
        conditions in proptest::collection::vec(filter_value(), 1..4),
        record in company(),
    ) {
        let expr = compile_filter(conditions);
        let rendered = expr.render();
        let server = server::matches(&rendered, &record);
        let local = expr.matches(&record);
        if rendered.local_only.is_empty() {
            prop_assert_eq!(server, local, "{:?}", rendered);
        } else {
            // The server gets a weaker filter: it may send more, never less.
            prop_assert!(!local || server, "{:?}", rendered);
        }
    }
}

/// A model of the server: parses the three rendered parameters and evaluates them.
mod server {
    use std::cmp::Ordering;

    use cw_ap_mapping::RenderedFilter;
    use serde_json::Value;

    #[derive(Debug)]
    enum Expr {
        And(Vec<Expr>),
        Or(Vec<Expr>),
        Cmp(String, String, Vec<Lit>),
    }

    #[derive(Debug, Clone)]
    enum Lit {
        Text(String),
        Num(f64),
        Bool(bool),
        Null,
    }

    struct Parser<'a> {
        s: &'a str,
    }

    impl Parser<'_> {
        fn eat(&mut self, token: &str) -> bool {
            if self.s.starts_with(token) {
                self.s = &self.s[token.len()..];
                true
            } else {
                false
            }
        }

        fn expr(&mut self) -> Expr {
            let first = self.term();
            let mut parts = vec![first];
            let mut connective = None;
            loop {
                if self.eat(" and ") {
                    connective = Some(true);
                } else if self.eat(" or ") {
                    connective = Some(false);
                } else {
                    break;
                }
                parts.push(self.term());
            }
            match (parts.len(), connective) {
                (1, _) => parts.pop().unwrap(),
                (_, Some(true)) => Expr::And(parts),
                _ => Expr::Or(parts),
            }
        }

        fn term(&mut self) -> Expr {
            if self.eat("(") {
                let e = self.expr();
                assert!(self.eat(")"), "unbalanced at {}", self.s);
                return e;
            }
            let end = self
                .s
                .find(|c: char| !(c.is_alphanumeric() || c == '/' || c == '_'))
                .unwrap_or(self.s.len());
            let name = self.s[..end].to_string();
            self.s = &self.s[end..];
            for op in [" not in ", " in "] {
                if self.eat(op) {
                    assert!(self.eat("("));
                    let mut items = vec![self.lit()];
                    while self.eat(",") {
                        items.push(self.lit());
                    }
                    assert!(self.eat(")"));
                    return Expr::Cmp(name, op.trim().to_string(), items);
                }
            }
            for op in [
                " not contains ",
                " contains ",
                "!=",
                "<=",
                ">=",
                "=",
                "<",
                ">",
            ] {
                if self.eat(op) {
                    return Expr::Cmp(name, op.trim().to_string(), vec![self.lit()]);
                }
            }
            panic!("no operator at {}", self.s)
        }

        fn lit(&mut self) -> Lit {
            for q in ['"', '\''] {
                if self.s.starts_with(q) {
                    let end = self.s[1..].find(q).expect("closed string") + 1;
                    let text = self.s[1..end].to_string();
                    self.s = &self.s[end + 1..];
                    return Lit::Text(text);
                }
            }
            for (word, lit) in [
                ("true", Lit::Bool(true)),
                ("false", Lit::Bool(false)),
                ("null", Lit::Null),
            ] {
                if self.eat(word) {
                    return lit;
                }
            }
            let end = self
                .s
                .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
                .unwrap_or(self.s.len());
            let n = self.s[..end].parse().expect("a number");
            self.s = &self.s[end..];
            Lit::Num(n)
        }
    }

    fn parse(text: &str) -> Expr {
        let mut p = Parser { s: text };
        let e = p.expr();
        assert!(p.s.is_empty(), "trailing text: {}", p.s);
        e
    }

    fn lookup<'a>(record: &'a Value, name: &str) -> Vec<&'a Value> {
        let mut current = vec![record];
        for segment in name.split('/') {
            let mut next = Vec::new();
            for v in current {
                match v.get(segment) {
                    Some(Value::Array(items)) => next.extend(items.iter()),
                    Some(Value::Null) | None => {}
                    Some(other) => next.push(other),
                }
            }
            current = next;
        }
        current
    }

    fn compare(member: &Value, lit: &Lit) -> Option<Ordering> {
        match (member, lit) {
            (Value::String(s), Lit::Text(t)) => Some(s.to_lowercase().cmp(&t.to_lowercase())),
            (Value::Number(n), Lit::Num(l)) => n.as_f64()?.partial_cmp(l),
            (Value::Bool(b), Lit::Bool(l)) => Some(b.cmp(l)),
            _ => None,
        }
    }

    fn holds(op: &str, lits: &[Lit], members: &[&Value]) -> bool {
        if matches!(lits.first(), Some(Lit::Null)) {
            return (op == "=") == members.is_empty();
        }
        members.iter().any(|m| {
            let eq = |l: &Lit| compare(m, l) == Some(Ordering::Equal);
            let text = |l: &Lit| match (m, l) {
                (Value::String(s), Lit::Text(t)) => {
                    Some(s.to_lowercase().contains(&t.to_lowercase()))
                }
                _ => None,
            };
            match op {
                "=" | "in" => lits.iter().any(eq),
                "!=" | "not in" => !lits.iter().any(eq),
                "<" => compare(m, &lits[0]) == Some(Ordering::Less),
                ">" => compare(m, &lits[0]) == Some(Ordering::Greater),
                "<=" => matches!(compare(m, &lits[0]), Some(Ordering::Less | Ordering::Equal)),
                ">=" => matches!(
                    compare(m, &lits[0]),
                    Some(Ordering::Greater | Ordering::Equal)
                ),
                "contains" => text(&lits[0]) == Some(true),
                "not contains" => text(&lits[0]) == Some(false),
                other => panic!("unknown operator {other}"),
            }
        })
    }

    fn eval(e: &Expr, record: &Value) -> bool {
        match e {
            Expr::And(parts) => parts.iter().all(|p| eval(p, record)),
            Expr::Or(parts) => parts.iter().any(|p| eval(p, record)),
            Expr::Cmp(name, op, lits) => holds(op, lits, &lookup(record, name)),
        }
    }

    pub fn matches(filter: &RenderedFilter, record: &Value) -> bool {
        if let Some(c) = &filter.conditions {
            if !eval(&parse(c), record) {
                return false;
            }
        }
        if let Some(c) = &filter.child_conditions {
            if !eval(&parse(c), record) {
                return false;
            }
        }
        if let Some(c) = &filter.custom_field_conditions {
            let rest = c.strip_prefix("caption=").expect("caption first");
            let mut p = Parser { s: rest };
            let Lit::Text(caption) = p.lit() else {
                panic!("caption text")
            };
            assert!(p.eat(" and "));
            let e = p.expr();
            let fields = record["customFields"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let Some(field) = fields.iter().find(|f| f["caption"] == caption.as_str()) else {
                return false;
            };
            let view =
                serde_json::json!({"value": field.get("value").cloned().unwrap_or(Value::Null)});
            if !eval(&e, &view) {
                return false;
            }
        }
        true
    }
}
