//! POST, PUT, PATCH and DELETE on one collection, with the server's validation.

use http::StatusCode;
use serde_json::{json, Map, Value};

use super::entity::{is_reference, Entity};
use super::handler::not_found;
use super::response::{self, FakeResponse};
use super::store::{Record, Store, API_MEMBER};

/// `POST {collection}` → 201 with the stored record.
pub(crate) fn create(store: &mut Store, entity: Entity, body: &[u8]) -> FakeResponse {
    let mut record = match object_body(entity, body) {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    for key in entity.write_only() {
        record.remove(*key);
    }
    // Ids and audit data are the server's to assign.
    record.remove("id");
    record.remove("_info");
    if let Err(resp) = validate(store, entity, None, &mut record) {
        return resp;
    }

    let id = store.insert(entity, record);
    let stored = store.get(entity, id).unwrap_or(Value::Null);
    FakeResponse::json(StatusCode::CREATED, &stored)
}

/// `PUT {collection}/{id}`: replaces the whole record.
pub(crate) fn put(store: &mut Store, entity: Entity, id: i64, body: &[u8]) -> FakeResponse {
    let Some(old) = store.get(entity, id) else {
        return not_found(entity, id);
    };
    let mut record = match object_body(entity, body) {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    for key in entity.write_only() {
        record.remove(*key);
    }
    if let Err(resp) = validate(store, entity, Some(id), &mut record) {
        return resp;
    }
    keep_post_only(entity, &old, &mut record);

    store.replace(entity, id, record);
    stored(store, entity, id)
}

/// `PATCH {collection}/{id}` with a list of `{op, path, value}` operations.
pub(crate) fn patch(store: &mut Store, entity: Entity, id: i64, body: &[u8]) -> FakeResponse {
    let Some(Value::Object(old)) = store.get(entity, id) else {
        return not_found(entity, id);
    };
    let ops = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Array(ops)) => ops,
        _ => {
            let msg = "The body must be a list of patch operations.";
            return response::invalid_object(entity.resource(), "InvalidValue", "", msg);
        }
    };

    let mut record = old.clone();
    let mut changed = false;
    for op in &ops {
        match apply(entity, &mut record, op) {
            Ok(true) => changed = true,
            Ok(false) => {}
            Err(resp) => return resp,
        }
    }
    // A nested path such as `company/id` answers 200 and changes nothing, as the real
    // server does.
    if !changed {
        return FakeResponse::json(StatusCode::OK, &Value::Object(old));
    }
    if let Err(resp) = validate(store, entity, Some(id), &mut record) {
        return resp;
    }
    keep_post_only(entity, &Value::Object(old), &mut record);

    store.replace(entity, id, record);
    stored(store, entity, id)
}

/// `DELETE {collection}/{id}` → 204. Companies are only flagged as deleted.
pub(crate) fn delete(store: &mut Store, entity: Entity, id: i64) -> FakeResponse {
    if entity != Entity::Companies {
        return match store.remove(entity, id) {
            Some(_) => FakeResponse::empty(StatusCode::NO_CONTENT),
            None => not_found(entity, id),
        };
    }

    let Some(Value::Object(mut record)) = store.get(entity, id) else {
        return not_found(entity, id);
    };
    let now = store.now();
    record.insert("deletedFlag".into(), true.into());
    record.insert("dateDeleted".into(), now.into());
    record.insert("deletedBy".into(), API_MEMBER.into());
    store.replace(entity, id, record);
    FakeResponse::empty(StatusCode::NO_CONTENT)
}

fn stored(store: &Store, entity: Entity, id: i64) -> FakeResponse {
    let record = store.get(entity, id).unwrap_or(Value::Null);
    FakeResponse::json(StatusCode::OK, &record)
}

fn object_body(entity: Entity, body: &[u8]) -> Result<Map<String, Value>, FakeResponse> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(response::invalid_object(
            entity.resource(),
            "InvalidValue",
            "",
            "The body must be a JSON object.",
        )),
        Err(e) => Err(response::error(
            StatusCode::BAD_REQUEST,
            "InvalidObject",
            &format!("The request body is not valid JSON: {e}"),
        )),
    }
}

/// Applies one patch operation; `Ok(false)` when it is silently ignored.
fn apply(
    entity: Entity,
    record: &mut Map<String, Value>,
    op: &Value,
) -> Result<bool, FakeResponse> {
    let resource = entity.resource();
    let kind = op.get("op").and_then(Value::as_str).unwrap_or("");
    let Some(path) = op.get("path").and_then(Value::as_str) else {
        let msg = "Each operation needs a path.";
        return Err(response::invalid_object(resource, "Required", "path", msg));
    };
    if !matches!(kind, "add" | "replace" | "remove") {
        let msg = format!("The operation '{kind}' is not supported; use add, replace or remove.");
        return Err(response::invalid_object(
            resource,
            "InvalidValue",
            "op",
            &msg,
        ));
    }
    if path.contains('/') && !path.starts_with('/') {
        return Ok(false);
    }
    if !entity.has_field(path) || path == "id" || path == "_info" {
        let msg = format!("{path} is not a valid field for a patch.");
        return Err(response::invalid_object(
            resource,
            "InvalidField",
            path,
            &msg,
        ));
    }

    let value = op.get("value").cloned().unwrap_or(Value::Null);
    if path == "customFields" && !matches!(value, Value::Array(_) | Value::Null) {
        let msg = "customFields must be replaced with a list of custom field values.";
        return Err(response::invalid_object(
            resource,
            "InvalidValue",
            path,
            msg,
        ));
    }
    match kind {
        "remove" => record.remove(path),
        _ => record.insert(path.to_owned(), value),
    };
    Ok(true)
}

/// Checks required fields and reference shapes, and fills company references in.
fn validate(
    store: &Store,
    entity: Entity,
    own_id: Option<i64>,
    record: &mut Map<String, Value>,
) -> Result<(), FakeResponse> {
    let resource = entity.resource();
    for field in entity.required() {
        let missing = match record.get(*field) {
            None | Some(Value::Null) => true,
            Some(Value::String(s)) => s.trim().is_empty(),
            _ => false,
        };
        if missing {
            let msg = format!("{field} is required.");
            return Err(response::invalid_object(resource, "NullValue", field, &msg));
        }
    }

    for (name, value) in record.iter() {
        if is_reference(entity, name) && !matches!(value, Value::Object(_) | Value::Null) {
            let msg = format!(
                "Error converting value {value} to type '{}Reference'. Path '{name}'.",
                capitalise(name)
            );
            return Err(response::invalid_object(
                resource,
                "InvalidValue",
                name,
                &msg,
            ));
        }
    }
    if let Some(Value::Array(_)) | None | Some(Value::Null) = record.get("customFields") {
    } else {
        let msg = "customFields must be a list.";
        return Err(response::invalid_object(
            resource,
            "InvalidValue",
            "customFields",
            msg,
        ));
    }

    if entity == Entity::Companies {
        if let Some(ident) = record.get("identifier").and_then(Value::as_str) {
            if identifier_taken(store, ident, own_id) {
                let msg = format!("The identifier {ident} is already in use.");
                return Err(response::invalid_object(
                    resource,
                    "ObjectExists",
                    "identifier",
                    &msg,
                ));
            }
        }
    }
    if entity != Entity::Companies {
        if let Some(reference) = record.get("company").filter(|v| v.is_object()) {
            let resolved = resolve_company(store, reference).ok_or_else(|| {
                let key = reference.get("id").or_else(|| reference.get("identifier"));
                let shown = key.map_or_else(String::new, |k| match k {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                });
                let msg = format!("company {shown} not found");
                response::invalid_object(resource, "NotFound", "company/id", &msg)
            })?;
            record.insert("company".into(), resolved);
        }
    }
    Ok(())
}

/// Whether another company than `own_id` has this identifier (compared case-insensitively).
fn identifier_taken(store: &Store, ident: &str, own_id: Option<i64>) -> bool {
    store.table(Entity::Companies).is_some_and(|t| {
        t.records.iter().any(|(id, c)| {
            Some(*id) != own_id
                && c.value()
                    .get("identifier")
                    .and_then(Value::as_str)
                    .is_some_and(|i| i.eq_ignore_ascii_case(ident))
        })
    })
}

/// The company named by `{id}` or `{identifier}`, as a full reference.
fn resolve_company(store: &Store, reference: &Value) -> Option<Value> {
    let company = match reference.get("id").and_then(Value::as_i64) {
        Some(id) => store.get(Entity::Companies, id)?,
        None => {
            let ident = reference.get("identifier")?.as_str()?;
            let table = store.table(Entity::Companies)?;
            table.records.values().map(Record::value).find(|c| {
                c.get("identifier")
                    .and_then(Value::as_str)
                    .is_some_and(|i| i.eq_ignore_ascii_case(ident))
            })?
        }
    };
    Some(company_reference(&company))
}

/// A company reference built from a company record.
pub(crate) fn company_reference(company: &Value) -> Value {
    let id = company.get("id").cloned().unwrap_or(Value::Null);
    json!({
        "id": id,
        "identifier": company.get("identifier").cloned().unwrap_or(Value::Null),
        "name": company.get("name").cloned().unwrap_or(Value::Null),
        "_info": { "company_href": format!("/company/companies/{id}") },
    })
}

/// Company `types` are honoured on POST only: PUT and PATCH keep the stored ones.
fn keep_post_only(entity: Entity, old: &Value, record: &mut Map<String, Value>) {
    if entity == Entity::Companies {
        match old.get("types") {
            Some(types) => record.insert("types".into(), types.clone()),
            None => record.remove("types"),
        };
    }
}

fn capitalise(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
