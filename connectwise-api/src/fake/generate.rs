//! The seeded generator of realistic records.
//!
//! The same seed and counts give the same records, byte for byte. The data is varied on
//! purpose: Unicode names, fields left out or `null`, empty-string dates, custom fields
//! holding every JSON value type, soft-deleted companies, and ids with gaps.

use chrono::{DateTime, Duration, SecondsFormat, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde_json::{json, Map, Value};

use super::entity::Entity;
use super::models;
use super::store::Store;

/// How many records of each collection to generate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub(crate) companies: usize,
    pub(crate) configurations: usize,
    pub(crate) agreements: usize,
    pub(crate) catalog_items: usize,
    pub(crate) tickets: usize,
}

/// Where the generated `_href` values point. They are opaque text, with the doubled slash
/// real responses carry.
const HREF_ROOT: &str = "https://api-na.myconnectwise.net/v4_6_release/apis/3.0/";

/// An href for `path` (which starts with `/`).
pub(crate) fn href(path: &str) -> String {
    format!("{HREF_ROOT}{path}")
}

/// The random source and the shared helpers of the model generators.
pub(crate) struct Gen {
    rng: StdRng,
    anchor: DateTime<Utc>,
}

impl Gen {
    pub(crate) fn new(seed: u64) -> Gen {
        Gen {
            rng: StdRng::seed_from_u64(seed),
            // NB: a fixed anchor keeps generated dates independent of the wall clock.
            anchor: Utc
                .with_ymd_and_hms(2025, 6, 1, 12, 0, 0)
                .single()
                .unwrap_or_default(),
        }
    }

    /// `true` with probability `p`.
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p.clamp(0.0, 1.0))
    }

    pub(crate) fn int(&mut self, low: i64, high: i64) -> i64 {
        self.rng.random_range(low..=high)
    }

    pub(crate) fn money(&mut self, low: f64, high: f64) -> f64 {
        let cents = self
            .rng
            .random_range((low * 100.0) as i64..=(high * 100.0) as i64);
        cents as f64 / 100.0
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        // NB: every list passed here is a non-empty constant.
        items.choose(&mut self.rng).unwrap_or(&items[0])
    }

    pub(crate) fn alnum(&mut self, len: usize) -> String {
        const CHARS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
        (0..len).map(|_| *self.pick(CHARS) as char).collect()
    }

    /// A date-time `days_back` days or less before the anchor, as the server writes it.
    pub(crate) fn past(&mut self, days_back: i64) -> DateTime<Utc> {
        let secs = self.rng.random_range(0..days_back.max(1) * 86_400);
        self.anchor - Duration::seconds(secs)
    }

    pub(crate) fn text_date(date: DateTime<Utc>) -> String {
        date.to_rfc3339_opts(SecondsFormat::Secs, true)
    }

    /// `_info` with audit keys, sometimes with a `null` or empty value as seen in the wild.
    pub(crate) fn info(&mut self, links: &[(&str, String)]) -> Value {
        let entered = self.past(2_000);
        let span = (self.anchor - entered).num_seconds().max(1);
        let updated = entered + Duration::seconds(self.rng.random_range(0..span));
        let mut info = Map::new();
        info.insert("lastUpdated".into(), Gen::text_date(updated).into());
        info.insert("updatedBy".into(), self.pick(MEMBERS).to_string().into());
        if self.chance(0.02) {
            info.insert("dateEntered".into(), "".into());
        } else {
            info.insert("dateEntered".into(), Gen::text_date(entered).into());
        }
        if self.chance(0.02) {
            info.insert("enteredBy".into(), Value::Null);
        } else {
            info.insert("enteredBy".into(), self.pick(MEMBERS).to_string().into());
        }
        for (key, url) in links {
            info.insert((*key).to_owned(), url.clone().into());
        }
        Value::Object(info)
    }

    /// A reference `{id, name, _info}` to a setup record.
    pub(crate) fn reference(&mut self, kind: &str, path: &str, choices: &[(i64, &str)]) -> Value {
        let (id, name) = *self.pick(choices);
        json!({
            "id": id,
            "name": name,
            "_info": { format!("{kind}_href"): href(&format!("/{path}/{id}")) },
        })
    }

    /// The custom fields of one record: every definition in `defs`, some without a value.
    /// `with_cw_id` adds `connectWiseId`; leaving it out keeps large device sets lean.
    pub(crate) fn custom_fields(
        &mut self,
        key: &str,
        defs: &[CustomField],
        with_cw_id: bool,
    ) -> Value {
        let mut out = Vec::with_capacity(defs.len());
        for &(id, caption, kind, entry) in defs {
            let mut field = json!({
                "id": id,
                "caption": caption,
                "type": kind,
                "entryMethod": entry,
                "numberOfDecimals": if kind == "Percent" { 2 } else { 0 },
            });
            if with_cw_id {
                let cw_id = format!("{id:08x}-0000-4000-8000-{id:012x}");
                field["connectWiseId"] = cw_id.into();
            }
            // Roughly one value in six is never set, so the key is left out.
            if !self.chance(1.0 / 6.0) {
                let value = self.custom_value(kind, key);
                field["value"] = value;
            }
            out.push(field);
        }
        Value::Array(out)
    }

    fn custom_value(&mut self, kind: &str, key: &str) -> Value {
        match kind {
            "Date" => Gen::text_date(self.past(900)).into(),
            "Number" => self.int(0, 500).into(),
            "Percent" => self.money(0.0, 100.0).into(),
            "Checkbox" => self.chance(0.5).into(),
            "Text" => format!("RMM-{key}").into(),
            "TextArea" if self.chance(0.5) => Value::Null,
            "TextArea" => "Line one; line two — überprüft".into(),
            "Button" => {
                json!({ "label": "Open portal", "url": format!("https://portal.example.org/{key}") })
            }
            "Hyperlink" if self.chance(0.3) => Value::Null,
            "Hyperlink" => json!(["https://docs.example.org/a", "https://docs.example.org/b"]),
            _ => (*self.pick(&["Gold", "Silver", "Bronze", "Platinum"])).into(),
        }
    }
}

/// A custom field definition: `(id, caption, type, entryMethod)`.
pub(crate) type CustomField = (i64, &'static str, &'static str, &'static str);

/// The company custom fields. Between them the values cover string, number (integer and
/// fraction), boolean, `null`, object, array and absent.
pub(crate) const COMPANY_FIELDS: &[CustomField] = &[
    (13, "Contract Start", "Date", "Date"),
    (25, "Key Count", "Number", "EntryField"),
    (26, "Uplift %", "Percent", "EntryField"),
    (27, "Managed", "Checkbox", "EntryField"),
    (28, "RMM ID", "Text", "EntryField"),
    (29, "Support Tier", "Text", "List"),
    (30, "Notes & Remarks", "TextArea", "EntryField"),
    (31, "Portal", "Button", "EntryField"),
    (32, "Runbooks", "Hyperlink", "EntryField"),
];

/// The device custom fields: still every JSON value type, in fewer fields.
pub(crate) const DEVICE_FIELDS: &[CustomField] = &[
    (13, "Contract Start", "Date", "Date"),
    (25, "Key Count", "Number", "EntryField"),
    (26, "Uplift %", "Percent", "EntryField"),
    (27, "Managed", "Checkbox", "EntryField"),
    (28, "RMM ID", "Text", "EntryField"),
    (31, "Portal", "Button", "EntryField"),
    (32, "Runbooks", "Hyperlink", "EntryField"),
];

/// The custom fields of agreements, catalog items and tickets.
pub(crate) const OTHER_FIELDS: &[CustomField] = &[
    (13, "Contract Start", "Date", "Date"),
    (27, "Managed", "Checkbox", "EntryField"),
    (29, "Support Tier", "Text", "List"),
    (30, "Notes & Remarks", "TextArea", "EntryField"),
];

/// Members named in audit fields.
pub(crate) const MEMBERS: &[&str] = &["svc-admin", "jdoe", "CONVERSION", "zoë.ng", "api-sync"];

/// Fills `store` with generated records, companies first so that others can refer to them.
pub(crate) fn generate(seed: u64, counts: Counts, store: &mut Store) {
    let mut g = Gen::new(seed);
    let needs_company = counts.configurations + counts.agreements + counts.tickets > 0;
    let companies = counts.companies.max(usize::from(needs_company));

    let mut id = 249;
    let mut company_refs = Vec::with_capacity(companies);
    for n in 0..companies {
        id += g.int(1, 3);
        let company = models::company(&mut g, id, n);
        company_refs.push(super::writes::company_reference(&company));
        insert(store, Entity::Companies, company);
    }

    let mut id = 999;
    for n in 0..counts.configurations {
        id += g.int(1, 3);
        let company = g.pick(&company_refs).clone();
        insert(
            store,
            Entity::Configurations,
            models::configuration(&mut g, id, n, company),
        );
    }
    let mut id = 200;
    for n in 0..counts.agreements {
        id += g.int(1, 2);
        let company = g.pick(&company_refs).clone();
        insert(
            store,
            Entity::Agreements,
            models::agreement(&mut g, id, n, company),
        );
    }
    let mut id = 800;
    for n in 0..counts.catalog_items {
        id += g.int(1, 2);
        insert(
            store,
            Entity::CatalogItems,
            models::catalog_item(&mut g, id, n),
        );
    }
    let mut id = 940_000;
    for n in 0..counts.tickets {
        id += g.int(1, 4);
        let company = g.pick(&company_refs).clone();
        insert(
            store,
            Entity::Tickets,
            models::ticket(&mut g, id, n, company),
        );
    }
}

fn insert(store: &mut Store, entity: Entity, record: Value) {
    if let Value::Object(map) = record {
        store.insert(entity, map);
    }
}
