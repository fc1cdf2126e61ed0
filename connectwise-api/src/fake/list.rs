//! Listing and counting: filters, ordering, both kinds of paging, the `Link` header and
//! the `fields` projection.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use http::StatusCode;
use serde_json::{json, Map, Value};

use super::conditions::{self, ConditionError, Expr, Op};
use super::entity::Entity;
use super::evaluate;
use super::query::Query;
use super::response::{self, FakeResponse};
use super::scope::IdScope;
use super::store::{Record, Store};

/// The default page size when the request names none.
const DEFAULT_PAGE_SIZE: u32 = 25;

/// The three filter parameters of one request, parsed.
#[derive(Debug, Default)]
pub(crate) struct Filter {
    conditions: Option<Expr>,
    child: Option<Expr>,
    custom: Option<Expr>,
    /// Only `conditions`, and it reads only `id`: records need not be parsed.
    ids_only: bool,
}

impl Filter {
    /// Parses and checks `conditions`, `childConditions` and `customFieldConditions`.
    pub(crate) fn from_query(entity: Entity, query: &Query) -> Result<Filter, FakeResponse> {
        let parse = |name: &str, in_allowed: bool, custom: bool| {
            let Some(text) = query.non_empty(name) else {
                return Ok(None);
            };
            let expr = conditions::parse(text).and_then(|e| check(entity, &e, in_allowed, custom));
            expr.map(Some).map_err(|e| bad_condition(&e))
        };

        let conditions = parse("conditions", true, false)?;
        let child = parse("childConditions", false, false)?;
        let custom = parse("customFieldConditions", false, true)?;
        let mut ids_only = child.is_none() && custom.is_none();
        if let Some(expr) = &conditions {
            conditions::for_each_path(expr, &mut |path, _| {
                ids_only &= path.len() == 1 && path[0] == "id";
            });
        }
        Ok(Filter {
            conditions,
            child,
            custom,
            ids_only,
        })
    }

    /// Whether a stored record passes; parses it only when the filter reads more than ids.
    pub(crate) fn accepts_record(&self, id: i64, record: &Record) -> bool {
        let unfiltered = self.conditions.is_none() && self.child.is_none() && self.custom.is_none();
        if unfiltered {
            return true;
        }
        if self.ids_only {
            return self.accepts(&json!({ "id": id }));
        }
        self.accepts(&record.value())
    }

    pub(crate) fn accepts(&self, record: &Value) -> bool {
        self.conditions
            .as_ref()
            .is_none_or(|e| evaluate::matches(e, record))
            && self
                .child
                .as_ref()
                .is_none_or(|e| evaluate::matches(e, record))
            && self
                .custom
                .as_ref()
                .is_none_or(|e| evaluate::matches_custom_field(e, record))
    }
}

/// Refuses unknown names, and `in` where the parameter does not take it.
fn check(
    entity: Entity,
    expr: &Expr,
    in_allowed: bool,
    custom: bool,
) -> Result<Expr, ConditionError> {
    const CUSTOM_FIELD_NAMES: &[&str] = &[
        "id",
        "caption",
        "type",
        "entryMethod",
        "numberOfDecimals",
        "value",
        "connectWiseId",
    ];
    let mut problem = None;
    conditions::for_each_path(expr, &mut |path, op| {
        if problem.is_some() {
            return;
        }
        let head = path[0].as_str();
        let known = if custom {
            CUSTOM_FIELD_NAMES.contains(&head)
        } else {
            entity.knows_field(head)
        };
        if !known {
            problem = Some(ConditionError::UnknownField(path.join("/")));
        } else if !in_allowed && matches!(op, Op::In | Op::NotIn) {
            problem = Some(ConditionError::Unsupported("in".into()));
        }
    });
    match problem {
        Some(p) => Err(p),
        None => Ok(expr.clone()),
    }
}

fn bad_condition(e: &ConditionError) -> FakeResponse {
    response::error(StatusCode::BAD_REQUEST, "ApiFindCondition", &e.message())
}

/// Where a `Link` header points: the server's address and the API prefix.
pub(crate) struct LinkBase<'a> {
    /// `http://127.0.0.1:1234/v4_6_release/apis/3.0`
    pub(crate) api_root: &'a str,
}

/// `GET {collection}`.
pub(crate) fn list(
    store: &Store,
    entity: Entity,
    query: &Query,
    forward_only: bool,
    max_page_size: u32,
    link: &LinkBase<'_>,
) -> FakeResponse {
    let page_size = match read_number(query, "pageSize", DEFAULT_PAGE_SIZE) {
        Ok(n) if (1..=max_page_size).contains(&n) => n as usize,
        Ok(_) => return response::page_size_out_of_range(max_page_size),
        Err(r) => return r,
    };
    let filter = match Filter::from_query(entity, query) {
        Ok(f) => f,
        Err(r) => return r,
    };
    let order = match query.non_empty("orderBy") {
        None => Vec::new(),
        Some(_) if forward_only => {
            let msg = "orderBy cannot be used with forward-only pagination.";
            return response::error(StatusCode::BAD_REQUEST, "InvalidObject", msg);
        }
        Some(text) => match parse_order(entity, text) {
            Ok(o) => o,
            Err(e) => return bad_condition(&e),
        },
    };
    let fields = query.non_empty("fields").map(parse_fields);
    let empty = BTreeMap::new();
    let records = store.table(entity).map_or(&empty, |t| &t.records);
    let scope = IdScope::of(filter.conditions.as_ref());

    let (rows, link_header) = if forward_only {
        let after = match read_number(query, "pageId", 0) {
            Ok(n) => i64::from(n),
            Err(r) => return r,
        };
        let rows: Vec<(i64, &Record)> = scope
            .records(records, after.saturating_add(1))
            .filter(|(id, r)| filter.accepts_record(*id, r))
            .take(page_size)
            .collect();
        let header = rows.last().map(|(id, _)| {
            let url = link_url(link, entity, query, &format!("pageId={id}"));
            format!("<{url}>; rel=\"next\"")
        });
        (rows, header)
    } else {
        let page = match read_number(query, "page", 1) {
            Ok(0) => {
                let msg = "The field page must be at least 1.";
                return response::invalid_object("page", "OutOfRange", "page", msg);
            }
            Ok(n) => n as usize,
            Err(r) => return r,
        };
        let mut matching: Vec<(i64, &Record)> = scope
            .records(records, i64::MIN)
            .filter(|(id, r)| filter.accepts_record(*id, r))
            .collect();
        if !order.is_empty() {
            matching = sorted(matching, &order);
        }
        let last = matching.len().div_ceil(page_size).max(1);
        let start = (page - 1).saturating_mul(page_size).min(matching.len());
        let end = (start + page_size).min(matching.len());
        let header = page_links(link, entity, query, page, last);
        matching.truncate(end);
        (matching.split_off(start), header)
    };

    let mut resp = FakeResponse::json_text(StatusCode::OK, page_body(&rows, fields.as_deref()));
    if let Some(h) = link_header {
        resp = resp.with_header("link", h);
    }
    resp
}

/// The JSON array of a page. Without a projection the stored text is copied as it is;
/// with one, each record is parsed and projected.
fn page_body(rows: &[(i64, &Record)], fields: Option<&[Vec<String>]>) -> Vec<u8> {
    let size: usize = rows.iter().map(|(_, r)| r.text().len() + 1).sum();
    let mut out = Vec::with_capacity(if fields.is_some() { size / 4 } else { size } + 2);
    out.push(b'[');
    for (index, (_, record)) in rows.iter().enumerate() {
        if index > 0 {
            out.push(b',');
        }
        match fields {
            None => out.extend_from_slice(record.text()),
            Some(paths) => {
                let projected = project(&record.value(), paths);
                // NB: writing a `Value` into a `Vec` cannot fail.
                let _ = serde_json::to_writer(&mut out, &projected);
            }
        }
    }
    out.push(b']');
    out
}

/// `rows` (in id order) in the requested order, ties broken by id. Only the sort keys
/// are kept parsed; an order by `id` alone parses nothing.
fn sorted<'t>(mut rows: Vec<(i64, &'t Record)>, order: &[OrderKey]) -> Vec<(i64, &'t Record)> {
    if let [(path, descending)] = order {
        if path.len() == 1 && path[0] == "id" {
            if *descending {
                rows.reverse();
            }
            return rows;
        }
    }
    let mut keyed: Vec<(Vec<SortValue>, i64, &Record)> = rows
        .into_iter()
        .map(|(id, record)| {
            let value = record.value();
            let keys = order
                .iter()
                .map(|(path, _)| sort_value(at(&value, path)))
                .collect();
            (keys, id, record)
        })
        .collect();
    keyed.sort_by(|a, b| compare_keys(&a.0, &b.0, order).then(a.1.cmp(&b.1)));
    keyed.into_iter().map(|(_, id, r)| (id, r)).collect()
}

/// `GET {collection}/count`.
pub(crate) fn count(store: &Store, entity: Entity, query: &Query) -> FakeResponse {
    let filter = match Filter::from_query(entity, query) {
        Ok(f) => f,
        Err(r) => return r,
    };
    let scope = IdScope::of(filter.conditions.as_ref());
    let n = store.table(entity).map_or(0, |t| {
        scope
            .records(&t.records, i64::MIN)
            .filter(|(id, r)| filter.accepts_record(*id, r))
            .count()
    });
    FakeResponse::json(StatusCode::OK, &json!({ "count": n }))
}

fn read_number(query: &Query, name: &str, default: u32) -> Result<u32, FakeResponse> {
    match query.non_empty(name) {
        None => Ok(default),
        Some(text) => text.parse::<u32>().map_err(|_| {
            let msg = format!("The value '{text}' is not valid for {name}.");
            response::invalid_object(name, "InvalidValue", name, &msg)
        }),
    }
}

fn link_url(link: &LinkBase<'_>, entity: Entity, query: &Query, cursor: &str) -> String {
    let mut params = query.raw_without(&["page", "pageId"]);
    params.push(cursor);
    format!("{}{}/?{}", link.api_root, entity.path(), params.join("&"))
}

/// The navigable `Link` header: `prev`/`first` after page 1, `next`/`last` before the end.
fn page_links(
    link: &LinkBase<'_>,
    entity: Entity,
    query: &Query,
    page: usize,
    last: usize,
) -> Option<String> {
    let mut parts = Vec::new();
    let mut add = |n: usize, rel: &str| {
        let url = link_url(link, entity, query, &format!("page={n}"));
        parts.push(format!("<{url}>; rel=\"{rel}\""));
    };
    if page > 1 {
        add((page - 1).min(last), "prev");
    }
    if page < last {
        add(page + 1, "next");
    }
    if page > 1 {
        add(1, "first");
    }
    if page < last {
        add(last, "last");
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

type OrderKey = (Vec<String>, bool);

fn parse_order(entity: Entity, text: &str) -> Result<Vec<OrderKey>, ConditionError> {
    text.split(',')
        .map(|part| {
            let mut words = part.split_whitespace();
            let field = words.next().unwrap_or("");
            let descending = match words.next().map(str::to_ascii_lowercase).as_deref() {
                None | Some("asc") => false,
                Some("desc") => true,
                Some(_) => {
                    return Err(ConditionError::Syntax {
                        position: 0,
                        expected: "asc or desc after the orderBy field".into(),
                    })
                }
            };
            let path: Vec<String> = field.split('/').map(str::to_owned).collect();
            if !entity.knows_field(&path[0]) {
                return Err(ConditionError::UnknownField(field.to_owned()));
            }
            Ok((path, descending))
        })
        .collect()
}

fn compare_keys(a: &[SortValue], b: &[SortValue], order: &[OrderKey]) -> Ordering {
    for ((x, y), (_, descending)) in a.iter().zip(b).zip(order) {
        let ord = x.cmp_with(y);
        if ord != Ordering::Equal {
            return if *descending { ord.reverse() } else { ord };
        }
    }
    Ordering::Equal
}

fn at<'a>(record: &'a Value, path: &[String]) -> Option<&'a Value> {
    let start = match path {
        [one] if super::entity::AUDIT.contains(&one.as_str()) => record.get("_info")?,
        _ => record,
    };
    path.iter().try_fold(start, |v, key| v.get(key.as_str()))
}

enum SortValue {
    Null,
    Bool(bool),
    Num(f64),
    Text(String),
}

fn sort_value(v: Option<&Value>) -> SortValue {
    match v {
        Some(Value::Bool(b)) => SortValue::Bool(*b),
        Some(Value::Number(n)) => SortValue::Num(n.as_f64().unwrap_or(0.0)),
        Some(Value::String(s)) => SortValue::Text(s.to_lowercase()),
        _ => SortValue::Null,
    }
}

impl SortValue {
    fn rank(&self) -> u8 {
        match self {
            SortValue::Null => 0,
            SortValue::Bool(_) => 1,
            SortValue::Num(_) => 2,
            SortValue::Text(_) => 3,
        }
    }

    fn cmp_with(&self, other: &SortValue) -> Ordering {
        match (self, other) {
            (SortValue::Bool(a), SortValue::Bool(b)) => a.cmp(b),
            (SortValue::Num(a), SortValue::Num(b)) => a.total_cmp(b),
            (SortValue::Text(a), SortValue::Text(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

/// Splits `fields=id,name,company/id` into paths. `*` keeps only `id`, as the server does.
pub(crate) fn parse_fields(text: &str) -> Vec<Vec<String>> {
    text.split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(|f| match f {
            "*" => vec!["id".to_owned()],
            _ => f.split('/').map(str::to_owned).collect(),
        })
        .collect()
}

/// Keeps only the named paths of `record`, nested as in the record.
pub(crate) fn project(record: &Value, paths: &[Vec<String>]) -> Value {
    let mut out = Value::Object(Map::new());
    for path in paths {
        copy_path(record, path, &mut out);
    }
    out
}

fn copy_path(src: &Value, path: &[String], dst: &mut Value) {
    let Some((head, tail)) = path.split_first() else {
        return;
    };
    let (Some(value), Value::Object(dst)) = (src.get(head.as_str()), dst) else {
        return;
    };
    if tail.is_empty() {
        dst.insert(head.clone(), value.clone());
        return;
    }
    match value {
        Value::Object(_) => {
            let slot = dst
                .entry(head.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            copy_path(value, tail, slot);
        }
        Value::Array(items) => {
            let slot = dst.entry(head.clone()).or_insert_with(|| {
                Value::Array(items.iter().map(|_| Value::Object(Map::new())).collect())
            });
            if let Value::Array(slots) = slot {
                for (item, s) in items.iter().zip(slots.iter_mut()) {
                    copy_path(item, tail, s);
                }
            }
        }
        // A path that walks into a scalar or null keeps what is there.
        other => {
            dst.insert(head.clone(), other.clone());
        }
    }
}
