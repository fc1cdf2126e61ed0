//! Turning a written value into the value the server stores and serves, per field type.

use serde_json::{json, Value};

use super::clock::DateFormat;
use super::spec::{FieldSpec, FieldType, StatusSpec};

/// What checking a value needs besides the field itself.
pub(crate) struct ValueContext<'a> {
    pub(crate) date_format: &'a DateFormat,
    pub(crate) statuses: &'a [StatusSpec],
    /// The items of this list field: (id, label); unknown text appends one.
    pub(crate) list_items: &'a mut Vec<(String, String)>,
    /// The next id for a new list item.
    pub(crate) next_item_id: &'a mut u64,
    /// The display name of object `id` in group `group`, if it exists.
    pub(crate) linked: &'a dyn Fn(u64, &str) -> Option<String>,
}

/// The stored form of `input` for `field`, or the message of a 422.
///
/// `null` and `""` clear a field: text-like fields store `""`, choice fields `null`.
pub(crate) fn normalise(
    field: &FieldSpec,
    input: &Value,
    ctx: &mut ValueContext<'_>,
) -> Result<Value, String> {
    let name = &field.name;
    if is_blank(input) {
        return Ok(match field.field_type {
            FieldType::List | FieldType::Status | FieldType::GroupList { .. } => Value::Null,
            FieldType::YesNo => Value::Null,
            _ => json!(""),
        });
    }
    match &field.field_type {
        FieldType::Text | FieldType::TextArea | FieldType::Other(_) => match input {
            Value::String(text) => Ok(json!(text)),
            Value::Number(n) => Ok(json!(n.to_string())),
            Value::Bool(b) => Ok(json!(b.to_string())),
            _ => Err(format!("{name} must be text")),
        },
        FieldType::Number | FieldType::Currency => {
            let text = scalar_text(input).ok_or_else(|| format!("{name} is not a number"))?;
            let plain: String = text.trim().chars().filter(|c| *c != ',').collect();
            match plain.parse::<f64>() {
                Ok(n) if n.is_finite() => Ok(json!(text.trim())),
                _ => Err(format!("{name} is not a number")),
            }
        }
        FieldType::Date => {
            let text = scalar_text(input).ok_or_else(|| format!("{name} is not a valid date"))?;
            if ctx.date_format.accepts(&text) {
                Ok(json!(text.trim()))
            } else {
                Err(format!(
                    "{name} is not a valid date (expected {})",
                    ctx.date_format.account
                ))
            }
        }
        FieldType::List => {
            let (id, text) = choice_parts(input).ok_or_else(|| format!("{name} is not valid"))?;
            if let Some(id) = id {
                let item = ctx.list_items.iter().find(|(item_id, _)| *item_id == id);
                return item
                    .map(|(id, label)| json!({ "id": id, "value": label }))
                    .ok_or_else(|| format!("{name} has no item with id {id}"));
            }
            let text = text.unwrap_or_default();
            let wanted = text.trim();
            let by_id = ctx.list_items.iter().find(|(id, _)| id == wanted);
            let by_label = || {
                ctx.list_items
                    .iter()
                    .find(|(_, label)| label.trim().eq_ignore_ascii_case(wanted))
            };
            if let Some((id, label)) = by_id.or_else(by_label) {
                return Ok(json!({ "id": id, "value": label }));
            }
            let id = ctx.next_item_id.to_string();
            *ctx.next_item_id += 1;
            ctx.list_items.push((id.clone(), wanted.to_owned()));
            Ok(json!({ "id": id, "value": wanted }))
        }
        FieldType::Status => {
            let (id, text) = choice_parts(input).ok_or_else(|| format!("{name} is not valid"))?;
            let id = id.or(text).unwrap_or_default();
            let status = ctx.statuses.iter().find(|s| s.id.to_string() == id.trim());
            status
                .map(|s| json!({ "id": s.id.to_string(), "value": s.name }))
                .ok_or_else(|| format!("{name} has no status with id {id:?}"))
        }
        FieldType::GroupList { group_id } => {
            // TODO: the label is copied at write time; renaming the linked object later
            // does not reach objects that link to it, as it may on the real server.
            let (id, text) = choice_parts(input).ok_or_else(|| format!("{name} is not valid"))?;
            let id = id.or(text).unwrap_or_default();
            let id = id.trim();
            (ctx.linked)(*group_id, id)
                .map(|label| json!({ "id": id, "value": label }))
                .ok_or_else(|| format!("{name} links to no record with id {id:?}"))
        }
        FieldType::YesNo => match input {
            Value::Bool(b) => Ok(json!(b)),
            Value::String(text) => match text.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "1" => Ok(json!(true)),
                "false" | "no" | "0" => Ok(json!(false)),
                _ => Err(format!("{name} must be yes or no")),
            },
            _ => Err(format!("{name} must be yes or no")),
        },
    }
}

/// Whether a value clears the field.
pub(crate) fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.trim().is_empty(),
        _ => false,
    }
}

/// The text a stored value shows: a string itself, a choice's `value`, a boolean or number
/// as text; `None` when empty.
pub(crate) fn display_text(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(text) => text.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Object(map) => map.get("value").and_then(display_text)?,
        _ => return None,
    };
    (!text.trim().is_empty()).then_some(text)
}

/// A string or number as text.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The (id, text) of a written choice: `{"id": …}` gives an id, a string or number gives
/// text that may be an id or a label.
fn choice_parts(value: &Value) -> Option<(Option<String>, Option<String>)> {
    match value {
        Value::Object(map) => {
            let id = map.get("id").and_then(scalar_text)?;
            Some((Some(id), None))
        }
        other => scalar_text(other).map(|text| (None, Some(text))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(field: &FieldSpec, input: Value) -> Result<Value, String> {
        let format = DateFormat::parse("MM/DD/YYYY").unwrap();
        let statuses = [StatusSpec {
            id: 88101,
            name: "Available".into(),
        }];
        let mut items = vec![("7731".to_owned(), "Example Devices Inc".to_owned())];
        let mut next = 9000;
        let linked = |group: u64, id: &str| (group == 1 && id == "abc").then(|| "Acme".to_owned());
        let mut ctx = ValueContext {
            date_format: &format,
            statuses: &statuses,
            list_items: &mut items,
            next_item_id: &mut next,
            linked: &linked,
        };
        normalise(field, &input, &mut ctx)
    }

    #[test]
    fn values_are_stored_in_the_served_shape() {
        let list = FieldSpec::list("field_3", "Maker", ["Example Devices Inc"]);
        let status = FieldSpec::status("field_11", "Status");
        let link = FieldSpec::link("field_40", "Company", 1);
        let date = FieldSpec::date("field_31", "Warranty");
        let number = FieldSpec::number("field_60", "Seats");
        assert_eq!(
            check(&list, json!("example devices inc")).unwrap(),
            json!({"id": "7731", "value": "Example Devices Inc"})
        );
        assert_eq!(
            check(&list, json!("New Maker")).unwrap(),
            json!({"id": "9000", "value": "New Maker"})
        );
        assert_eq!(
            check(&status, json!("88101")).unwrap(),
            json!({"id": "88101", "value": "Available"})
        );
        assert!(check(&status, json!("Available")).is_err());
        assert_eq!(
            check(&link, json!("abc")).unwrap(),
            json!({"id": "abc", "value": "Acme"})
        );
        assert!(check(&link, json!("zzz")).unwrap_err().contains("Company"));
        assert_eq!(
            check(&date, json!("11/24/2022")).unwrap(),
            json!("11/24/2022")
        );
        assert!(check(&date, json!("2022-11-24"))
            .unwrap_err()
            .contains("MM/DD/YYYY"));
        assert_eq!(check(&number, json!(12.5)).unwrap(), json!("12.5"));
        assert_eq!(
            check(&number, json!("1,249.00")).unwrap(),
            json!("1,249.00")
        );
        assert!(check(&number, json!("twelve")).is_err());
        assert_eq!(check(&link, json!("")).unwrap(), Value::Null);
    }
}
