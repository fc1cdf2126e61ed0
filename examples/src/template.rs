//! The commented example configuration that `init` writes, and the mapping it proposes
//! for a live Asset Panda group by matching field names to the source catalog.

use cw_ap_mapping::catalog::{self, Identifier};
use cw_ap_mapping::Entity;
use cw_ap_mapping::{TargetField, TargetFieldKind, TargetGroup};

/// One proposed field mapping, for a person to confirm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// The source path (`serialNumber`).
    pub source: &'static str,
    /// The catalog's display name ("Serial Number").
    pub source_name: &'static str,
    /// The target field key (`field_10`).
    pub target: String,
    /// The target field's name ("Serial Number").
    pub target_name: String,
    /// How the two were matched, for the comment.
    pub why: &'static str,
}

/// Lower-case letters and digits only: "MAC-Address" and "macAddress" both give
/// "macaddress".
fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The last segment of a path, without `[]`: `company/name` → `name`.
fn leaf(path: &str) -> &str {
    path.rsplit('/')
        .next()
        .unwrap_or(path)
        .trim_end_matches("[]")
}

/// Names people give the field that stores the ConnectWise id.
const ID_NAMES: [&str; 5] = ["cwid", "connectwiseid", "cw", "connectwise", "psaid"];

/// The target field that should hold the ConnectWise id, if one is named like it.
pub fn id_field(group: &TargetGroup) -> Option<&TargetField> {
    group
        .fields
        .iter()
        .find(|f| ID_NAMES.contains(&fold(&f.name).as_str()))
}

/// Matches the group's fields to the entity's catalog by name: first the catalog's
/// display name, then the path's last segment, both compared folded. The field that
/// stores the ConnectWise id is left out (it is the match key), and each source is
/// proposed for its first matching field only.
pub fn propose(entity: Entity, group: &TargetGroup) -> Vec<Proposal> {
    let id_key = id_field(group).map(|f| f.key.clone());
    let mut out: Vec<Proposal> = Vec::new();

    for field in &group.fields {
        if Some(&field.key) == id_key.as_ref() {
            continue;
        }
        let name = fold(&field.name);
        let by_name = catalog::catalog(entity)
            .iter()
            .find(|s| fold(s.name) == name)
            .map(|s| (s, "same name as the catalog entry"));
        let by_path = || {
            catalog::catalog(entity)
                .iter()
                .find(|s| fold(leaf(s.path)) == name || fold(s.path) == name)
                .map(|s| (s, "same name as the ConnectWise field"))
        };

        let found = by_name
            .or_else(by_path)
            .filter(|(source, _)| out.iter().all(|p| p.source != source.path));
        if let Some((source, why)) = found {
            out.push(Proposal {
                source: source.path,
                source_name: source.name,
                target: field.key.clone(),
                target_name: field.name.clone(),
                why,
            });
        }
    }
    out
}

/// A job section for a live group, with every guess marked for a person to confirm.
pub fn job_for_group(name: &str, entity: Entity, group: &TargetGroup) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "# Proposed from the fields of Asset Panda group {} \"{}\".\n",
        group.id, group.name
    ));
    out.push_str("[[jobs]]\n");
    out.push_str(&format!("name = \"{name}\"\n"));
    out.push_str(&format!("entity = \"{}\"\n", entity.as_str()));
    out.push_str(&format!("target_group = {}\n", group.id));

    match id_field(group) {
        Some(f) => out.push_str(&format!(
            "# GUESS, confirm: \"{}\" stores the ConnectWise id.\n\
             match_keys = [{{ target = \"{}\" }}]\n",
            f.name, f.key
        )),
        None => out.push_str(
            "# CHOOSE: no field looks like it stores the ConnectWise id. Add a text field\n\
             # such as \"CW ID\" to the group and name its key here.\n\
             match_keys = [{ target = \"field_CHANGE_ME\" }]\n",
        ),
    }

    let best = catalog::catalog(entity)
        .iter()
        .find(|s| s.identifier == Identifier::Best)
        .map_or("id", |s| s.name);
    out.push_str(&format!(
        "# The ConnectWise side of the first match key is `id` ({best}).\n"
    ));

    for p in propose(entity, group) {
        let kind = group
            .fields
            .iter()
            .find(|f| f.key == p.target)
            .map(|f| &f.kind);
        // NB: a link resolves the linked record by its ConnectWise id, so a link field
        // takes the reference's `id` (`company/id`), not the name that matched it.
        let source = match (kind, p.source.rsplit_once('/')) {
            (Some(TargetFieldKind::GroupList), Some((parent, _))) => format!("{parent}/id"),
            _ => p.source.to_owned(),
        };
        let mapping = format!(
            "[[jobs.fields]]  # GUESS, confirm: {} ({}), {}\n\
             source = \"{source}\"\n\
             target = \"{}\"  # {}\n",
            p.source_name, p.source, p.why, p.target, p.target_name
        );
        // NB: a link or status field written as plain text fails on every record, so those
        // guesses stay commented out until a person names the linked group or the statuses.
        let choose = match kind {
            Some(TargetFieldKind::GroupList) => Some(
                "# CHOOSE: a link field; name the linked group and the field that holds the \
                 ConnectWise id there, then uncomment:\n\
                 # link = { group = \"CHANGE_ME\", field = \"CW ID\" }\n"
                    .to_owned(),
            ),
            Some(TargetFieldKind::Status) => {
                let statuses: Vec<&str> = group.statuses.iter().map(|s| s.name.as_str()).collect();
                Some(format!(
                    "# CHOOSE: a status field; map each ConnectWise value to one of the group's \
                     statuses ({}), then uncomment:\n\
                     # values = {{ \"Active\" = \"CHANGE_ME\" }}\n",
                    statuses.join(", ")
                ))
            }
            _ => None,
        };
        match choose {
            Some(choose) => {
                // NB: the setting to choose comes last, so that uncommenting the block
                // line by line keeps it with its own field.
                for line in mapping.lines().chain(choose.lines()) {
                    let line = line.trim_start_matches("# ");
                    out.push_str(&format!("# {line}\n"));
                }
            }
            None => out.push_str(&mapping),
        }
    }
    out
}

/// The example configuration, with `site` set to `cw_url`.
pub fn example(cw_url: &str) -> String {
    EXAMPLE.replace("{CW_URL}", &cw_url.replace('"', ""))
}

/// The example text with its `[connectwise]` and `[assetpanda]` sections replaced by
/// `sections` (those of a configuration that already reaches the accounts).
pub fn with_connections(example: &str, sections: &str) -> String {
    let start = example.find("[connectwise]\n");
    let end = example.find("# Companies first");
    match (start, end) {
        (Some(start), Some(end)) if start < end => {
            format!("{}{sections}\n{}", &example[..start], &example[end..])
        }
        _ => example.to_owned(),
    }
}

const EXAMPLE: &str = r#"# cw-ap-sync configuration.
#
# Credentials never go in this file. Set them in the environment:
#   CW_COMPANY, CW_PUBLIC_KEY, CW_PRIVATE_KEY, CW_CLIENT_ID
#   AP_TOKEN            (or AP_EMAIL and AP_PASSWORD)
# or name a credentials file here (keep it `chmod 600`):
# credentials_file = "cw-ap-sync.credentials.toml"

[connectwise]
# A region (na, eu, au), a host name or a URL. Use the api- host, not the portal host.
site = "{CW_URL}"
# codebase = "v4_6_release/"     # read from the server when not set
# page_size = 1000               # records per request, at most 1000
# requests_per_minute = 600      # 0 turns the client-side limit off

[assetpanda]
# base_url = "https://api.assetpanda.com"
# max_calls = 360                # calls in any window (the vendor allows 400)
# window_secs = 180
# date_format = "MM/DD/YYYY"     # read from the account when not set

# Companies first: the devices job links each device to its company object.
[[jobs]]
name = "companies"
entity = "companies"
target_group = "Companies"       # a group id (preferred) or its name
# The first match key stores the ConnectWise id; it must be a text field of the group.
match_keys = [{ target = "CW ID" }]
filter = { status = ["Active"] }
on_deleted = "archive"           # a company deleted in ConnectWise is archived
on_filtered_out = "keep"         # one that left the filter is left alone and reported
archive_guard = { enabled = true, max_share = 0.10 }
# Stops a run that would create about as many new objects as the group already holds: the
# sign of a changed match key, which would duplicate every object.
create_guard = { enabled = true, max_share = 0.10 }

[[jobs.fields]]
source = "name"
target = "Name"

[[jobs.fields]]
source = "identifier"
target = "Identifier"

[[jobs.fields]]
source = "city"
target = "City"

[[jobs.fields]]
source = "state"
target = "State"

[[jobs.fields]]
source = "phoneNumber"
target = "Phone"

[[jobs]]
name = "devices"
entity = "configurations"
target_group = "Devices"
# The ConnectWise id first; then the serial number, used only to adopt a device that was
# entered by hand before the sync existed (values are trimmed and case-folded).
match_keys = [{ target = "CW ID" }, { target = "Serial Number", source = "serialNumber" }]
filter = { status = ["Active"] }

[[jobs.fields]]
source = "name"
target = "Name"

[[jobs.fields]]
source = "serialNumber"
target = "Serial Number"

[[jobs.fields]]
source = "ipAddress"
target = "IP Address"
on_unset = "keep"                # leave the field alone when ConnectWise has no value

[[jobs.fields]]
source = "warrantyExpirationDate"
target = "Warranty Expires"      # a date field: written in the account's date format

[[jobs.fields]]
source = "type/name"
target = "Type"

[[jobs.fields]]
source = "company/id"
target = "Company"               # a link field: the company object with this CW ID
link = { group = "Companies", field = "CW ID" }
"#;

#[cfg(test)]
mod tests {
    use cw_ap_mapping::TargetField;

    use super::*;

    fn devices() -> TargetGroup {
        TargetGroup {
            id: 139300,
            name: "Devices".into(),
            fields: vec![
                TargetField::text("field_1", "Name"),
                TargetField::text("field_10", "Serial Number"),
                TargetField::text("field_20", "CW ID"),
                TargetField::text("field_144", "MAC-Address"),
                TargetField::text("field_99", "Purchase Order Notes"),
            ],
            statuses: vec![],
        }
    }

    /// The devices group as a real account has it: a second MAC field, a company link and
    /// a status.
    fn devices_with_links() -> TargetGroup {
        let mut group = devices();
        group.fields.extend([
            TargetField::text("field_145", "MAC Address"),
            TargetField::new("field_40", "Company", TargetFieldKind::GroupList),
            TargetField::new("field_11", "Status", TargetFieldKind::Status),
        ]);
        group.statuses = vec![cw_ap_mapping::TargetStatus {
            id: "88101".into(),
            name: "Available".into(),
        }];
        group
    }

    #[test]
    fn a_source_is_proposed_once_and_link_and_status_guesses_wait_for_a_choice() {
        let job = job_for_group("devices", Entity::Configurations, &devices_with_links());
        let text = format!("[connectwise]\nsite = \"na\"\n{job}");

        let config = crate::config::parse(std::path::Path::new("x.toml"), &text).unwrap();

        let targets: Vec<&str> = config.jobs[0]
            .fields
            .iter()
            .map(|f| f.target.as_str())
            .collect();
        assert_eq!(targets, ["field_1", "field_10", "field_144"], "{job}");
        assert!(job.contains("# link = { group = \"CHANGE_ME\""), "{job}");
        assert!(job.contains("statuses (Available)"), "{job}");
        assert!(job.contains("# target = \"field_40\""), "{job}");
        assert!(job.contains("# target = \"field_11\""), "{job}");

        // Uncommented as a whole, each block is a whole field: the link with its link field
        // (by the company's id), the status with its values.
        let uncommented: String = job
            .lines()
            .map(|l| l.strip_prefix("# ").unwrap_or(l))
            .filter(|l| {
                !l.starts_with("CHOOSE")
                    && !l.starts_with("Proposed")
                    && !l.starts_with("GUESS")
                    && !l.starts_with("The ConnectWise")
            })
            .map(|l| format!("{l}\n"))
            .collect::<String>()
            .replace("CHANGE_ME", "Available");
        let text = format!("[connectwise]\nsite = \"na\"\n{uncommented}");
        let config = crate::config::parse(std::path::Path::new("x.toml"), &text).unwrap();
        let field = |key: &str| {
            config.jobs[0]
                .fields
                .iter()
                .find(|f| f.target == key)
                .unwrap_or_else(|| panic!("{key} in\n{text}"))
        };
        assert_eq!(field("field_40").source.as_deref(), Some("company/id"));
        assert!(field("field_40").link.is_some(), "{text}");
        assert!(field("field_11").values.is_some(), "{text}");
        assert!(field("field_10").link.is_none() && field("field_10").values.is_none());
    }

    #[test]
    fn names_match_the_catalog_and_the_id_field_is_the_key() {
        let proposals = propose(Entity::Configurations, &devices());
        let pairs: Vec<(&str, &str)> = proposals
            .iter()
            .map(|p| (p.source, p.target.as_str()))
            .collect();

        assert_eq!(
            pairs,
            vec![
                ("name", "field_1"),
                ("serialNumber", "field_10"),
                ("macAddress", "field_144"),
            ]
        );
        assert_eq!(
            id_field(&devices()).map(|f| f.key.as_str()),
            Some("field_20")
        );
    }

    #[test]
    fn the_proposed_job_marks_every_guess_and_parses() {
        let job = job_for_group("devices", Entity::Configurations, &devices());
        let text = format!("[connectwise]\nsite = \"na\"\n{job}");

        let config = crate::config::parse(std::path::Path::new("x.toml"), &text).unwrap();

        assert_eq!(job.matches("GUESS, confirm").count(), 4, "{job}");
        assert_eq!(config.jobs[0].fields.len(), 3);
        assert_eq!(config.jobs[0].match_keys[0].target, "field_20");
    }

    #[test]
    fn the_example_configuration_parses() {
        let text = example("https://api-eu.myconnectwise.net");

        let config = crate::config::parse(std::path::Path::new("x.toml"), &text).unwrap();

        assert_eq!(config.connectwise.site, "https://api-eu.myconnectwise.net");
        let names: Vec<&str> = config.jobs.iter().map(|j| j.name.as_str()).collect();
        assert_eq!(names, vec!["companies", "devices"]);
        assert_eq!(config.jobs[1].match_keys.len(), 2);
    }
}
