//! One generator per model, shaped like the real records (see the fixtures).

use serde_json::{json, Map, Value};

use super::generate::{href, Gen, COMPANY_FIELDS, DEVICE_FIELDS, MEMBERS, OTHER_FIELDS};

const NAME_STEMS: &[&str] = &[
    "Harbor Technology",
    "Müller & Söhne",
    "Café Ōsaka 株式会社",
    "Société d'Électricité",
    "Ærø Fiskeri",
    "O'Brien Dental",
    "Zürich Legal",
    "Nørrebro Bikes",
    "São Paulo Logística",
    "Example Freight",
    "Kraków Software",
    "Acme \"Quoted\" Supplies",
    "Fjällräven Outdoor",
    "Ελληνική Ναυτιλία",
    "Smith, Jones & Partners",
];
const NAME_SUFFIXES: &[&str] = &["", " Ltd", " GmbH", " LLC", " S.A.", " ApS", " Inc."];
const CITIES: &[(&str, &str, &str)] = &[
    ("Springfield", "TX", "75000"),
    ("Portsmouth", "NH", "03801"),
    ("Köln", "NW", "50667"),
    ("Montréal", "QC", "H2X 1Y4"),
    ("Reykjavík", "", "101"),
    ("Tokyo", "", "100-0001"),
];

/// One company.
pub(crate) fn company(g: &mut Gen, id: i64, n: usize) -> Value {
    let stem = *g.pick(NAME_STEMS);
    let suffix = *g.pick(NAME_SUFFIXES);
    let name = format!("{stem}{suffix} #{n}");
    let ident: String = stem
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(14)
        .collect();
    let (city, state, zip) = *g.pick(CITIES);
    let links = [(
        "contacts_href",
        href(&format!("/company/contacts?conditions=company/id={id}")),
    )];

    let mut c = Map::new();
    c.insert("id".into(), id.into());
    c.insert("identifier".into(), format!("{ident}{id}").into());
    c.insert("name".into(), name.into());
    c.insert("status".into(), company_status(g));
    c.insert(
        "addressLine1".into(),
        format!("{} Example Street", g.int(1, 999)).into(),
    );
    if g.chance(0.3) {
        c.insert(
            "addressLine2".into(),
            format!("Floor {}", g.int(1, 30)).into(),
        );
    }
    c.insert("city".into(), city.into());
    c.insert("state".into(), state.into());
    c.insert("zip".into(), zip.into());
    c.insert(
        "country".into(),
        g.reference(
            "country",
            "company/countries",
            &[(1, "United States"), (2, "Deutschland"), (3, "Canada")],
        ),
    );
    // Real records show an empty phone number rather than none.
    let phone = if g.chance(0.3) {
        String::new()
    } else {
        format!("555{:07}", g.int(0, 9_999_999))
    };
    c.insert("phoneNumber".into(), phone.into());
    if g.chance(0.6) {
        c.insert(
            "website".into(),
            format!("https://www.example.org/{id}").into(),
        );
    }
    c.insert("annualRevenue".into(), g.money(0.0, 5_000_000.0).into());
    c.insert("numberOfEmployees".into(), g.int(1, 5_000).into());
    c.insert("leadFlag".into(), false.into());
    c.insert("unsubscribeFlag".into(), g.chance(0.1).into());
    let deleted = g.chance(0.05);
    c.insert("deletedFlag".into(), deleted.into());
    if deleted {
        c.insert("dateDeleted".into(), Gen::text_date(g.past(300)).into());
        c.insert("deletedBy".into(), (*g.pick(MEMBERS)).into());
    }
    c.insert("isVendorFlag".into(), g.chance(0.1).into());
    let kind = g.reference(
        "type",
        "company/companies/types",
        &[
            (1, "Client"),
            (2, "Prospect"),
            (3, "Vendor"),
            (4, "Partner"),
        ],
    );
    c.insert("types".into(), json!([kind]));
    if g.chance(0.05) {
        c.insert("territory".into(), Value::Null);
    }
    c.insert("_info".into(), g.info(&links));
    c.insert(
        "customFields".into(),
        g.custom_fields(&format!("C{id}"), COMPANY_FIELDS, true),
    );
    Value::Object(c)
}

fn company_status(g: &mut Gen) -> Value {
    if g.chance(0.03) {
        return Value::Null;
    }
    g.reference(
        "status",
        "company/companies/statuses",
        &[
            (1, "Active"),
            (1, "Active"),
            (1, "Active"),
            (2, "Inactive"),
            (3, "Credit Hold"),
            (4, "Not-Approved"),
        ],
    )
}

const DEVICE_TYPES: &[(i64, &str)] = &[
    (12, "Managed Workstation"),
    (14, "Managed Server"),
    (15, "Network Device"),
    (16, "Printer"),
    (17, "Mobile Device"),
];
const MODELS: &[&str] = &[
    "ProBook 450 G9",
    "OptiPlex 7010",
    "ThinkPad T14s",
    "PowerEdge R650",
    "MX64",
    "LaserJet M404",
    "iPhone 15",
];
const OPERATING_SYSTEMS: &[&str] = &[
    "Windows 11 Pro",
    "Windows Server 2022 Standard",
    "Ubuntu 24.04 LTS",
    "macOS 15",
    "iOS 18",
    "",
];

/// One configuration (device), owned by `company`.
pub(crate) fn configuration(g: &mut Gen, id: i64, n: usize, company: Value) -> Value {
    let prefix: String = company["identifier"]
        .as_str()
        .unwrap_or("DEV")
        .chars()
        .take(4)
        .collect();
    let type_ref = g.reference("type", "company/configurations/types", DEVICE_TYPES);
    let short = match type_ref["id"].as_i64() {
        Some(14) => "SRV",
        Some(15) => "NET",
        Some(16) => "PRN",
        Some(17) => "MOB",
        _ => "WS",
    };
    let mut name = format!("{}-{short}-{n:05}", prefix.to_uppercase());
    if g.chance(0.05) {
        name = format!("Ordinateur de Zoë №{n}");
    }

    let mut c = Map::new();
    c.insert("id".into(), id.into());
    c.insert("name".into(), name.into());
    c.insert("type".into(), type_ref);
    c.insert("status".into(), device_status(g));
    c.insert("company".into(), company);
    c.insert("locationId".into(), g.int(1, 5).into());
    c.insert(
        "deviceIdentifier".into(),
        format!("{:08x}-{:04x}", g.int(0, 0xffff_ffff), id % 0xffff).into(),
    );
    match g.int(0, 19) {
        0 => {}
        1 => {
            c.insert("serialNumber".into(), Value::Null);
        }
        2 => {
            c.insert("serialNumber".into(), format!("SÉR-{}", g.alnum(6)).into());
        }
        _ => {
            let serial = g.alnum(10);
            c.insert("serialNumber".into(), serial.into());
        }
    }
    c.insert("modelNumber".into(), (*g.pick(MODELS)).into());
    c.insert(
        "tagNumber".into(),
        if g.chance(0.2) {
            String::new()
        } else {
            format!("EX-{id:06}")
        }
        .into(),
    );
    let purchased = g.past(2_500);
    c.insert("purchaseDate".into(), Gen::text_date(purchased).into());
    c.insert(
        "installationDate".into(),
        Gen::text_date(purchased + chrono::Duration::days(g.int(0, 10))).into(),
    );
    let warranty = match g.int(0, 9) {
        0 => Value::Null,
        1 => "".into(),
        _ => Gen::text_date(purchased + chrono::Duration::days(365 * g.int(1, 5))).into(),
    };
    c.insert("warrantyExpirationDate".into(), warranty);
    let mac: Vec<String> = (0..6).map(|_| format!("{:02X}", g.int(0, 255))).collect();
    c.insert("macAddress".into(), mac.join(":").into());
    c.insert(
        "ipAddress".into(),
        format!("10.{}.{}.{}", g.int(0, 255), g.int(0, 255), g.int(1, 254)).into(),
    );
    c.insert("osType".into(), (*g.pick(OPERATING_SYSTEMS)).into());
    c.insert("ram".into(), format!("{} GB", 4 << g.int(0, 5)).into());
    c.insert(
        "cpuSpeed".into(),
        format!("{}.{} GHz", g.int(1, 4), g.int(0, 9)).into(),
    );
    c.insert("billFlag".into(), g.chance(0.4).into());
    c.insert("activeFlag".into(), g.chance(0.9).into());
    c.insert(
        "manufacturer".into(),
        g.reference(
            "manufacturer",
            "procurement/manufacturers",
            &[
                (5, "HP"),
                (6, "Dell"),
                (7, "Lenovo"),
                (8, "Cisco Meraki"),
                (9, "Apple"),
            ],
        ),
    );
    if g.chance(0.3) {
        c.insert(
            "lastLoginName".into(),
            format!("EXCO\\user{}", g.int(1, 500)).into(),
        );
    }
    if g.chance(0.2) {
        c.insert(
            "questions".into(),
            json!([{
                "answerId": id * 10, "questionId": 11, "question": "Backup agent installed?",
                "answer": g.chance(0.5), "sequenceNumber": 1.0, "numberOfDecimals": 0,
                "fieldType": "Checkbox", "requiredFlag": true,
            }]),
        );
    }
    let links = [(
        "tickets_href",
        href(&format!(
            "/service/tickets?conditions=configuration/id={id}"
        )),
    )];
    c.insert("_info".into(), g.info(&links));
    c.insert(
        "customFields".into(),
        g.custom_fields(&format!("D{id}"), DEVICE_FIELDS, false),
    );
    Value::Object(c)
}

fn device_status(g: &mut Gen) -> Value {
    if g.chance(0.02) {
        return Value::Null;
    }
    g.reference(
        "status",
        "company/configurations/statuses",
        &[
            (2, "Active"),
            (2, "Active"),
            (2, "Active"),
            (3, "Inactive"),
            (4, "Retired"),
            (5, "In Repair"),
        ],
    )
}

/// One agreement of `company`.
pub(crate) fn agreement(g: &mut Gen, id: i64, n: usize, company: Value) -> Value {
    let start = g.past(1_500);
    let status = *g.pick(&["Active", "Active", "Cancelled", "Expired", "Inactive"]);
    json!({
        "id": id,
        "name": format!("{} {n}", g.pick(&["Managed Services - Gold", "Block Hours", "Backup Plan", "Sécurité Premium"])),
        "type": g.reference("type", "finance/agreements/types", &[(3, "Managed Services"), (4, "Block Time"), (5, "Backup")]),
        "company": company,
        "contact": { "id": g.int(17_000, 19_000), "name": "Primary Contact" },
        "startDate": Gen::text_date(start),
        "endDate": if g.chance(0.2) { Value::Null } else { Gen::text_date(start + chrono::Duration::days(365)).into() },
        "noEndingDateFlag": false,
        "cancelledFlag": status == "Cancelled",
        "agreementStatus": status,
        "applicationUnits": g.pick(&["Amount", "Hours", "Incidents"]),
        "applicationLimit": g.money(0.0, 100.0),
        "billTime": g.pick(&["Billable", "DoNotBill", "NoCharge", "NoDefault"]),
        "billAmount": g.money(0.0, 9_999.0),
        "customerPO": format!("PO-{}", g.alnum(6)),
        "_info": g.info(&[]),
        "customFields": g.custom_fields(&format!("A{id}"), OTHER_FIELDS, false),
    })
}

/// One product catalog item.
pub(crate) fn catalog_item(g: &mut Gen, id: i64, n: usize) -> Value {
    let price = g.money(1.0, 2_000.0);
    json!({
        "id": id,
        "identifier": format!("SKU-{n:05}-{}", g.alnum(3)),
        "description": format!("{} {n}", g.pick(&["Cloud Suite - Business", "Laptop 14\"", "Firewall licence", "Câble réseau 2 m"])),
        "inactiveFlag": g.chance(0.1),
        "subcategory": g.reference("subcategory", "procurement/subcategories", &[(14, "Cloud Licensing"), (15, "Hardware"), (16, "Security")]),
        "type": g.reference("type", "procurement/types", &[(3, "Subscription"), (4, "Hardware"), (5, "Service")]),
        "productClass": g.pick(&["Agreement", "Bundle", "Inventory", "NonInventory", "Service"]),
        "price": price,
        "cost": (price * 0.8 * 100.0).round() / 100.0,
        "customerDescription": "Provided and supported by your managed service provider.",
        "integrationXRef": format!("xref-{id}"),
        "connectWiseID": format!("{:08x}-f5a6-4b7c-8d9e-{:012x}", g.int(0, 0xffff_ffff), id),
        "_info": g.info(&[]),
        "customFields": g.custom_fields(&format!("P{id}"), OTHER_FIELDS, false),
    })
}

/// One service ticket for `company`.
pub(crate) fn ticket(g: &mut Gen, id: i64, n: usize, company: Value) -> Value {
    let closed = g.chance(0.4);
    let status = if g.chance(0.02) {
        Value::Null
    } else {
        g.reference(
            "status",
            "service/boards/30/statuses",
            &[
                (548, "New"),
                (550, "In Progress"),
                (552, "Waiting on Client"),
                (555, ">Closed"),
            ],
        )
    };
    json!({
        "id": id,
        "summary": format!("{} ({n})", g.pick(&["Printer offline on 2nd floor", "Passwort zurücksetzen", "VPN drops every hour", "Nouvel employé : accès"])),
        "recordType": "ServiceTicket",
        "board": g.reference("board", "service/boards", &[(30, "Help Desk - North"), (31, "Projects"), (32, "Alerts")]),
        "status": status,
        "company": company,
        "priority": g.reference("priority", "service/priorities", &[(8, "Priority 4 - Low"), (7, "Priority 3 - Medium"), (6, "Priority 2 - High")]),
        "severity": g.pick(&["Low", "Medium", "High"]),
        "impact": g.pick(&["Low", "Medium", "High"]),
        "closedFlag": closed,
        "budgetHours": g.money(0.0, 40.0),
        "slaStatus": "Resolve by Tue 10/04 11:00 PM UTC-05",
        "_info": g.info(&[]),
        "customFields": g.custom_fields(&format!("T{id}"), OTHER_FIELDS, false),
    })
}
