//! `cw-ap-sync discover`: the Asset Panda groups with their fields, and the source fields
//! of a ConnectWise entity with a sample value from the account, so that a person can
//! write a mapping.

use cw_ap_mapping::catalog;
use cw_ap_mapping::path::{Extracted, FieldPath};
use cw_ap_mapping::{Entity, GroupRef, Sink, TargetGroup};
use serde_json::{json, Value};

use crate::cli::DiscoverArgs;
use crate::error::CliError;
use crate::exit::ExitStatus;
use crate::history::render;
use crate::output::Output;
use crate::sync::Endpoints;

/// How many records are read to find a sample value for each field.
const SAMPLE_RECORDS: u32 = 25;

/// Reads an entity name as the command line spells it (`catalog-items` or
/// `catalog_items`, singular or plural).
pub fn parse_entity(text: &str) -> Result<Entity, CliError> {
    let folded = text.trim().to_ascii_lowercase().replace('-', "_");
    Entity::ALL
        .into_iter()
        .find(|e| {
            let name = e.as_str();
            folded == name || format!("{folded}s") == name
        })
        .ok_or_else(|| {
            let names: Vec<&str> = Entity::ALL.iter().map(|e| e.as_str()).collect();
            CliError::Usage(format!(
                "`{text}` is not an entity; choose one of: {}",
                names.join(", ")
            ))
        })
}

/// The groups to show: one by id or name, or every group of the account.
async fn groups(endpoints: &Endpoints, only: Option<&str>) -> Result<Vec<TargetGroup>, CliError> {
    let fail = |e: cw_ap_mapping::SinkError| CliError::group_lookup(e, "");
    let refs: Vec<GroupRef> = match only {
        Some(text) => vec![match text.trim().parse::<u64>() {
            Ok(id) => GroupRef::Id(id),
            Err(_) => GroupRef::Name(text.to_owned()),
        }],
        None => endpoints
            .sink
            .client()
            .groups()
            .list()
            .await
            .map_err(|e| fail(crate::adapters::sink_error(&e, false)))?
            .into_iter()
            .filter_map(|g| Some(GroupRef::Id(u64::try_from(g.id?.0).ok()?)))
            .collect(),
    };

    let mut out = Vec::with_capacity(refs.len());
    for r in refs {
        out.push(endpoints.sink.resolve_group(&r).await.map_err(fail)?);
    }
    Ok(out)
}

/// The first set value of `path` among `records`, as short text.
fn sample(path: &str, records: &[Value]) -> String {
    let Ok(path) = FieldPath::parse(path) else {
        return String::new();
    };
    for record in records {
        let text = match path.extract(record) {
            Ok(Extracted::One(v)) => short(v),
            Ok(Extracted::Many(vs)) if !vs.is_empty() => {
                vs.iter().map(|v| short(v)).collect::<Vec<_>>().join(", ")
            }
            _ => continue,
        };
        if !text.is_empty() {
            return text;
        }
    }
    String::new()
}

fn short(value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(39).collect::<String>())
    } else {
        text
    }
}

/// A custom field seen in the sample records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenCustomField {
    /// Its id.
    pub id: Option<i64>,
    /// Its caption.
    pub caption: String,
    /// Its type (`Text`, `Number`, `Date`, …).
    pub kind: String,
    /// The first value set in the sample, as short text.
    pub sample: String,
}

impl SeenCustomField {
    /// The path a mapping names it by: by caption when it has one, else by id.
    pub fn path(&self) -> String {
        let by_caption = !self.caption.is_empty() && !self.caption.contains(']');
        match (&self.id, by_caption) {
            (_, true) => format!("customFields[caption={}]", self.caption),
            (Some(id), false) => format!("customFields[id={id}]"),
            (None, false) => format!("customFields[caption={}]", self.caption),
        }
    }
}

/// Every custom field of the sample records, once each (by id, else by caption), in order
/// of first appearance, with the first value set.
pub fn custom_fields(records: &[Value]) -> Vec<SeenCustomField> {
    let mut seen: Vec<SeenCustomField> = Vec::new();
    let all = records
        .iter()
        .filter_map(|r| r.get("customFields").and_then(Value::as_array))
        .flatten();
    for field in all {
        let id = field.get("id").and_then(Value::as_i64);
        let caption = field
            .get("caption")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let value = field.get("value").map(short).unwrap_or_default();
        let same = |f: &SeenCustomField| match (id, f.id) {
            (Some(a), Some(b)) => a == b,
            _ => f.caption == caption,
        };
        match seen.iter_mut().find(|f| same(f)) {
            Some(known) => {
                if known.sample.is_empty() {
                    known.sample = value;
                }
            }
            None => seen.push(SeenCustomField {
                id,
                caption,
                kind: field
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                sample: value,
            }),
        }
    }
    seen
}

/// Prints the groups and the entity's catalog with sample values.
pub async fn run(
    args: &DiscoverArgs,
    endpoints: &Endpoints,
    output: &Output,
) -> Result<ExitStatus, CliError> {
    let entity = parse_entity(&args.entity)?;
    let groups = groups(endpoints, args.group.as_deref()).await?;
    let records: Vec<Value> = endpoints
        .source
        .client()
        .list_json(entity.api_path())
        .page_size(SAMPLE_RECORDS)
        .send()
        .await
        .map_err(|e| CliError::Connection {
            side: "ConnectWise",
            message: format!(
                "reading sample {}: {}",
                entity,
                crate::adapters::describe(&e)
            ),
            credentials_refused: e.status().is_some_and(|s| s.as_u16() == 401),
        })?
        .items;
    let catalog = catalog::catalog(entity);
    let custom = custom_fields(&records);

    if args.json {
        let doc = json!({
            "groups": groups,
            "entity": entity.as_str(),
            "source_fields": catalog.iter().map(|f| json!({
                "name": f.name,
                "path": f.path,
                "kind": f.kind.label(),
                "identifier": f.identifier,
                "description": f.description,
                "sample": sample(f.path, &records),
            })).collect::<Vec<_>>(),
            "custom_fields": custom.iter().map(|f| json!({
                "id": f.id,
                "caption": f.caption,
                "type": f.kind,
                "path": f.path(),
                "sample": f.sample,
            })).collect::<Vec<_>>(),
        });
        output.line(&serde_json::to_string_pretty(&doc).unwrap_or_default());
        return Ok(ExitStatus::Success);
    }

    for group in &groups {
        output.line(&format!(
            "Asset Panda group {} \"{}\"",
            group.id, group.name
        ));
        let mut rows = vec![vec![
            "  key".to_owned(),
            "name".to_owned(),
            "type".to_owned(),
            "required".to_owned(),
        ]];
        for f in &group.fields {
            rows.push(vec![
                format!("  {}", f.key),
                f.name.clone(),
                f.kind.label().to_owned(),
                if f.required { "yes" } else { "" }.to_owned(),
            ]);
        }
        output.print(&render(&rows));
        if !group.statuses.is_empty() {
            let statuses: Vec<String> = group
                .statuses
                .iter()
                .map(|s| format!("{} ({})", s.name, s.id))
                .collect();
            output.line(&format!("  statuses: {}", statuses.join(", ")));
        }
        output.line("");
    }

    output.line(&match records.len() {
        0 => format!("ConnectWise {entity} fields (no record to take samples from):"),
        n => format!(
            "ConnectWise {entity} fields (samples from the first {}):",
            crate::output::count(n, "record", "records")
        ),
    });
    let mut rows = vec![vec![
        "  path".to_owned(),
        "name".to_owned(),
        "kind".to_owned(),
        "identifier".to_owned(),
        "sample".to_owned(),
    ]];
    for f in catalog {
        rows.push(vec![
            format!("  {}", f.path),
            f.name.to_owned(),
            f.kind.label().to_owned(),
            format!("{:?}", f.identifier).to_lowercase(),
            sample(f.path, &records),
        ]);
    }
    output.print(&render(&rows));

    if custom.is_empty() {
        output.line(&format!(
            "\nNo custom fields in the sample {entity} records."
        ));
    } else {
        output.line(&format!(
            "\nCustom fields in the sample {entity} records (map one by its path; \
             `customFields[id=N]` works too):"
        ));
        let mut rows = vec![vec![
            "  path".to_owned(),
            "id".to_owned(),
            "type".to_owned(),
            "sample".to_owned(),
        ]];
        for f in &custom {
            rows.push(vec![
                format!("  {}", f.path()),
                f.id.map(|id| id.to_string()).unwrap_or_default(),
                f.kind.clone(),
                f.sample.clone(),
            ]);
        }
        output.print(&render(&rows));
    }
    Ok(ExitStatus::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_names_are_forgiving() {
        assert_eq!(parse_entity("catalog-items").unwrap(), Entity::CatalogItems);
        assert_eq!(
            parse_entity("Configuration").unwrap(),
            Entity::Configurations
        );
        let err = parse_entity("devices").unwrap_err().to_string();
        assert!(err.contains("configurations"), "{err}");
    }

    #[test]
    fn samples_take_the_first_set_value_and_walk_paths() {
        let records = vec![
            json!({"id": 1, "company": null}),
            json!({"id": 2, "company": {"name": "Acme"}, "types": [{"name": "A"}, {"name": "B"}]}),
        ];

        assert_eq!(sample("company/name", &records), "Acme");
        assert_eq!(sample("types[]/name", &records), "A, B");
        assert_eq!(sample("serialNumber", &records), "");
    }

    #[test]
    fn custom_fields_are_listed_once_with_the_first_value_set() {
        let records = vec![
            json!({"id": 1, "customFields": [
                {"id": 7, "caption": "RMM ID", "type": "Text"},
                {"id": 9, "caption": "Key Count", "type": "Number", "value": 3}
            ]}),
            json!({"id": 2, "customFields": [
                {"id": 7, "caption": "RMM ID", "type": "Text", "value": "agent-42"}
            ]}),
            json!({"id": 3}),
        ];

        let seen = custom_fields(&records);

        assert_eq!(seen.len(), 2, "{seen:?}");
        assert_eq!(seen[0].path(), "customFields[caption=RMM ID]");
        assert_eq!(
            (seen[0].id, seen[0].kind.as_str(), seen[0].sample.as_str()),
            (Some(7), "Text", "agent-42")
        );
        assert_eq!(seen[1].sample, "3");
        let nameless = SeenCustomField {
            id: Some(4),
            caption: String::new(),
            kind: String::new(),
            sample: String::new(),
        };
        assert_eq!(nameless.path(), "customFields[id=4]");
    }
}
