//! Resolving names: target fields by key or name, source fields by display name or path,
//! custom-field captions, and the nearest name to suggest.

use serde_json::Value;

use crate::catalog::{self, Identifier, ValueKind};
use crate::entity::Entity;
use crate::path::FieldPath;
use crate::target::{TargetField, TargetGroup};

/// A source field resolved to a path.
pub(super) struct ResolvedSource {
    pub(super) path: FieldPath,
    pub(super) kind: ValueKind,
    pub(super) identifier: Option<Identifier>,
}

pub(super) fn strftime_ok(format: &str) -> bool {
    use chrono::format::{Item, StrftimeItems};
    StrftimeItems::new(format).all(|item| !matches!(item, Item::Error))
}

fn normalise_name(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

pub(crate) fn nearest<'a>(
    wanted: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<String> {
    let wanted_n = normalise_name(wanted);
    candidates
        .map(|c| (strsim::jaro_winkler(&wanted_n, &normalise_name(c)), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.to_string())
}

/// Resolves a target field named by key or by name: the key first, then an exact name,
/// then a name after case-folding and dropping non-alphanumerics; two matches are an error.
pub fn resolve_target<'g>(
    group: &'g TargetGroup,
    name: &str,
) -> Result<&'g TargetField, (String, Option<String>)> {
    let name = name.trim();
    if let Some(field) = group.fields.iter().find(|f| f.key == name) {
        return Ok(field);
    }
    let exact: Vec<_> = group.fields.iter().filter(|f| f.name == name).collect();
    let candidates = if exact.is_empty() {
        let wanted = normalise_name(name);
        group
            .fields
            .iter()
            .filter(|f| !wanted.is_empty() && normalise_name(&f.name) == wanted)
            .collect()
    } else {
        exact
    };
    match candidates.as_slice() {
        [one] => Ok(one),
        [] if name.is_empty() => Err((
            "the target is empty; name a field of the group by key (`field_1`) or by name"
                .to_owned(),
            None,
        )),
        [] => {
            // NB: keys differ only in their numbers, so a near key (`field_4` for
            // `field_9999`) is no hint: a missing key gets no suggestion.
            let is_key = name
                .strip_prefix("field_")
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            let names = group
                .fields
                .iter()
                .flat_map(|f| [f.key.as_str(), f.name.as_str()]);
            let suggestion = if is_key { None } else { nearest(name, names) };
            Err((
                format!("group {} has no field `{name}`", group.name),
                suggestion,
            ))
        }
        many => Err((
            format!(
                "`{name}` matches several fields of group {}: {}; name the field by key",
                group.name,
                many.iter()
                    .map(|f| f.describe())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None,
        )),
    }
}

/// The `(id, caption)` pairs of a sample record's custom fields.
pub(super) fn captions_of(sample: &Value) -> Vec<(String, String)> {
    sample
        .get("customFields")
        .and_then(Value::as_array)
        .map(|fields| {
            fields
                .iter()
                .filter_map(|f| {
                    let id = match f.get("id")? {
                        Value::Number(n) => n.to_string(),
                        Value::String(s) => s.clone(),
                        _ => return None,
                    };
                    let caption = f.get("caption")?.as_str()?.to_string();
                    Some((id, caption))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Resolves a source field named by catalog display name or by path. Returns the path, its
/// kind and stability, and a note when something is worth a warning.
pub(super) fn resolve_source(
    entity: Entity,
    name: &str,
    sample: Option<&Value>,
) -> Result<(ResolvedSource, Option<String>), (String, Option<String>)> {
    // An exact display name first, then a path, then a display name in any case: `company`
    // is the reference path, while `Company` is the catalog's display name.
    let exact = catalog::catalog(entity)
        .iter()
        .find(|f| f.name == name.trim());
    let as_path = FieldPath::parse(name)
        .ok()
        .filter(|p| entity.has_top_level_field(p.root()));
    let entry = match (exact, &as_path) {
        (Some(entry), _) => Some(entry),
        (None, Some(_)) => None,
        (None, None) => catalog::by_name(entity, name),
    };
    if let Some(entry) = entry {
        let path = FieldPath::parse(entry.path).map_err(|e| (e.to_string(), None))?;
        return Ok((
            ResolvedSource {
                path,
                kind: entry.kind,
                identifier: Some(entry.identifier),
            },
            None,
        ));
    }

    let mut path = FieldPath::parse(name).map_err(|e| (e.to_string(), None))?;
    if !entity.has_top_level_field(path.root()) {
        let names = catalog::catalog(entity)
            .iter()
            .map(|f| f.name)
            .chain(entity.top_level_fields().iter().copied());
        return Err((
            format!("{entity} records have no field `{name}`"),
            nearest(name, names),
        ));
    }

    let mut note = None;
    if let Some(("caption", caption)) = path.custom_field() {
        let caption = caption.to_string();
        match sample {
            Some(sample) => {
                let ids: Vec<String> = captions_of(sample)
                    .into_iter()
                    .filter(|(_, c)| *c == caption)
                    .map(|(id, _)| id)
                    .collect();
                match ids.as_slice() {
                    [id] => {
                        path = FieldPath::parse(&format!("customFields[id={id}]"))
                            .map_err(|e| (e.to_string(), None))?;
                    }
                    [] => {
                        return Err((
                            format!(
                                "no custom field has the caption `{caption}` in the sample record"
                            ),
                            None,
                        ))
                    }
                    many => {
                        return Err((
                            format!(
                            "the caption `{caption}` belongs to several custom fields (ids {}); \
                                 name one by id",
                            many.join(", ")
                        ),
                            None,
                        ))
                    }
                }
            }
            None => {
                note = Some(format!(
                    "custom field caption `{caption}` is matched by caption until validated \
                     against a sample record"
                ))
            }
        }
    }

    let entry = catalog::by_path(entity, path.as_str());
    if entry.is_none() && path.custom_field().is_none() {
        if let Some(unknown) = check_reference_field(entity, &path, sample)? {
            note = Some(match note {
                Some(earlier) => format!("{earlier}; {unknown}"),
                None => unknown,
            });
        }
    }
    let kind = entry.map_or_else(
        || {
            if path.custom_field().is_some() {
                ValueKind::Any
            } else if path.is_child() {
                ValueKind::List
            } else {
                ValueKind::Any
            }
        },
        |e| e.kind,
    );
    Ok((
        ResolvedSource {
            path,
            kind,
            identifier: entry.map(|e| e.identifier),
        },
        note,
    ))
}

/// Fields every ConnectWise reference object may carry (`company/id`, `type/name`, …).
const REFERENCE_FIELDS: &[&str] = &["id", "identifier", "name", "_info"];

/// Checks the field named under a reference (`company/identifer`): a name the catalog, the
/// common reference fields or the sample record know is accepted; a near miss of one is an
/// error naming it; anything else is accepted with a note, since ConnectWise may return it.
fn check_reference_field(
    entity: Entity,
    path: &FieldPath,
    sample: Option<&Value>,
) -> Result<Option<String>, (String, Option<String>)> {
    let segments = path.segments();
    let [root, field, ..] = segments else {
        return Ok(None);
    };
    if root.selector.is_some() {
        return Ok(None);
    }
    let root = root.name.as_str();
    let field = field.name.as_str();

    let prefix = format!("{root}/");
    let mut known: Vec<&str> = REFERENCE_FIELDS.to_vec();
    known.extend(
        catalog::catalog(entity)
            .iter()
            .filter_map(|f| f.path.strip_prefix(prefix.as_str()))
            .map(|rest| rest.split(['/', '[']).next().unwrap_or(rest)),
    );
    if let Some(Value::Object(members)) = sample.and_then(|s| s.get(root)) {
        known.extend(members.keys().map(String::as_str));
    }
    if known.contains(&field) {
        return Ok(None);
    }

    if let Some(near) = nearest(field, known.iter().copied()) {
        return Err((
            format!("`{root}` has no field `{field}`"),
            Some(format!("{root}/{near}")),
        ));
    }
    Ok(Some(format!(
        "`{}` is not a field this tool knows under `{root}`; it is read as written and stays \
         empty if ConnectWise does not return it",
        path.as_str()
    )))
}
