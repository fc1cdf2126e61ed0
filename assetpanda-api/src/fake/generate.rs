//! Realistic, varied objects for a group, deterministic for a seed.

use chrono::NaiveDate;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Map, Value};

use super::core::FakeCore;
use super::error::FakeError;
use super::faults::mix;
use super::spec::{FieldSpec, FieldType, GroupSpec};

const SITES: [&str; 8] = [
    "HARBOR",
    "EXCO",
    "NORTHWIND",
    "BLUEFIN",
    "ÅRHUS",
    "CAFÉ-LYON",
    "MÜNCHEN",
    "KITE",
];
const KINDS: [&str; 6] = ["WS", "LT", "SRV", "PRN", "FW", "SW"];
const CITIES: [(&str, &str); 6] = [
    ("Springfield", "IL"),
    ("Portland", "OR"),
    ("Montréal", "QC"),
    ("Austin", "TX"),
    ("Zürich", "ZH"),
    ("Denver", "CO"),
];
const NOTES: [&str; 5] = [
    "",
    "Reimaged after a disk failure.",
    "Loaner; return to the front desk.",
    "Décommissionné bientôt — à vérifier ✓",
    "Warranty extended by the vendor.",
];

/// Builds the field values of the `at`-th generated object of a group.
struct Generator<'a> {
    rng: SmallRng,
    spec: &'a GroupSpec,
    linked: &'a dyn Fn(u64, &mut SmallRng) -> Option<String>,
    format_date: &'a dyn Fn(NaiveDate) -> String,
}

impl Generator<'_> {
    fn object(&mut self, at: u64) -> Map<String, Value> {
        let mut out = Map::new();
        let display = self
            .spec
            .display_field
            .clone()
            .or_else(|| self.spec.fields.first().map(|f| f.key.clone()));
        let site = SITES[self.rng.random_range(0..SITES.len())];
        let kind = KINDS[self.rng.random_range(0..KINDS.len())];
        for field in &self.spec.fields {
            // Leave about one optional field in eight unset, as real records do.
            if !field.required && !field.unique && self.rng.random_ratio(1, 8) {
                continue;
            }
            let is_display = Some(&field.key) == display.as_ref();
            if let Some(value) = self.value(field, at, is_display, site, kind) {
                out.insert(field.key.clone(), value);
            }
        }
        out
    }

    fn value(
        &mut self,
        field: &FieldSpec,
        at: u64,
        is_display: bool,
        site: &str,
        kind: &str,
    ) -> Option<Value> {
        let name = field.name.to_lowercase();
        let rng = &mut self.rng;
        let text = match &field.field_type {
            FieldType::Status => {
                let statuses = &self.spec.statuses;
                let status = &statuses[rng.random_range(0..statuses.len())];
                return Some(json!(status.id.to_string()));
            }
            FieldType::List => {
                if field.options.is_empty() {
                    return None;
                }
                let label = &field.options[rng.random_range(0..field.options.len())];
                return Some(json!(label));
            }
            FieldType::GroupList { group_id } => {
                return (self.linked)(*group_id, rng).map(|id| json!(id));
            }
            FieldType::YesNo => return Some(json!(rng.random_bool(0.5))),
            FieldType::Date => {
                let day = rng.random_range(0..3650);
                let base = NaiveDate::from_ymd_opt(2018, 1, 1)?;
                return Some(json!((self.format_date)(base + chrono::Days::new(day))));
            }
            FieldType::Number => rng.random_range(1..500).to_string(),
            FieldType::Currency => {
                let cents: u32 = rng.random_range(5_000..500_000);
                format!("{}.{:02}", cents / 100, cents % 100)
            }
            FieldType::TextArea => NOTES[rng.random_range(0..NOTES.len())].to_owned(),
            _ if field.unique => format!("{}", 10_000 + at),
            _ if is_display && self.spec.key == "companies" => {
                format!("{} {} Ltd", site, at + 1)
            }
            _ if is_display => format!("{site}-{kind}-{:04}", at + 1),
            _ if name.contains("serial") => {
                format!("5CG{:07X}", mix(at ^ rng.random::<u64>()) & 0xFFF_FFFF)
            }
            _ if name.contains("ip") => format!(
                "10.{}.{}.{}",
                rng.random_range(0..255),
                rng.random_range(0..255),
                rng.random_range(1..255)
            ),
            _ if name.contains("mac") => {
                let bytes: [u8; 6] = rng.random();
                let parts: Vec<String> = bytes.iter().map(|b| format!("{b:02X}")).collect();
                parts.join("-")
            }
            _ if name.contains("city") => CITIES[at as usize % CITIES.len()].0.to_owned(),
            _ if name.contains("state") => CITIES[at as usize % CITIES.len()].1.to_owned(),
            _ if name.contains("identifier") => format!("{}{}", site.replace('-', ""), at + 1),
            _ if name.contains("phone") => format!("+1-555-{:04}", rng.random_range(0..10_000)),
            _ if name.contains("site") => format!("{site} Main"),
            _ => format!("{} {}", field.name, at + 1),
        };
        Some(json!(text))
    }
}

impl FakeCore {
    /// Stores `count` generated objects in group `group_id` and returns their ids.
    ///
    /// The values are varied and realistic for each field's type and name (names, serial
    /// numbers, IP and MAC addresses, cities, dates in the account format, list items,
    /// statuses, links to existing objects of linked groups, some Unicode, some fields
    /// left unset), and the same for the same seed, group and starting size. Unique
    /// fields get distinct values. No counters, faults or limits apply.
    pub fn populate(&self, group_id: u64, count: u64) -> Result<Vec<String>, FakeError> {
        let mut inner = self.lock();
        let now = inner.clock.now();
        let spec = inner
            .account
            .groups
            .get(&group_id)
            .ok_or(FakeError::UnknownGroup(group_id))?
            .spec
            .clone();
        let start = inner.account.groups[&group_id].objects.len() as u64;
        let seed = mix(inner.seed ^ mix(group_id) ^ start);
        let mut ids = Vec::with_capacity(count as usize);
        for at in start..start + count {
            let account = &inner.account;
            let linked = |group: u64, rng: &mut SmallRng| {
                let objects = &account.groups.get(&group)?.objects;
                (!objects.is_empty())
                    .then(|| objects[rng.random_range(0..objects.len())].id.clone())
            };
            let format_date = |date: NaiveDate| account.date_format.format(date);
            let mut generator = Generator {
                rng: SmallRng::seed_from_u64(mix(seed ^ at)),
                spec: &spec,
                linked: &linked,
                format_date: &format_date,
            };
            let fields = generator.object(at);
            let id = inner
                .account
                .insert(group_id, fields, now)
                .map_err(FakeError::Rejected)?;
            ids.push(id);
        }
        Ok(ids)
    }
}
