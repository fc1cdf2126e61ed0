//! Decoding the sample records, and the field cases about missing, null and odd values.

use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use connectwise_api::models::{
    Agreement, BillingOption, CatalogItem, Company, Configuration, CustomFieldType, CustomFields,
    CustomValue, CwDateTime, Level, Parsed, ProductClass, Ticket,
};
use connectwise_api::Error;
use futures::StreamExt;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

use crate::support::{client, fixture, json_bytes, API};

fn decode<T: DeserializeOwned>(name: &str) -> T {
    serde_json::from_slice(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Every non-null key path of a JSON document (array indices included); keys holding
/// `""` also go to `empty`.
fn non_null_keys(
    value: &Value,
    prefix: &str,
    out: &mut BTreeSet<String>,
    empty: &mut BTreeSet<String>,
) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if !v.is_null() {
                    let key = format!("{prefix}/{k}");
                    out.insert(key.clone());
                    if v.as_str() == Some("") {
                        empty.insert(key.clone());
                    }
                    non_null_keys(v, &key, out, empty);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                non_null_keys(v, &format!("{prefix}[{i}]"), out, empty);
            }
        }
        _ => {}
    }
}

fn assert_round_trip<T: DeserializeOwned + Serialize>(name: &str) {
    let original: Value = serde_json::from_slice(&fixture(name)).unwrap();
    let typed: T = serde_json::from_value(original.clone()).unwrap();
    let again = serde_json::to_value(&typed).unwrap();
    let (mut before, mut after, mut empty) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    non_null_keys(&original, "", &mut before, &mut empty);
    non_null_keys(&again, "", &mut after, &mut BTreeSet::new());
    assert!(
        after.is_subset(&before),
        "{name}: keys appeared: {:?}",
        after.difference(&before)
    );
    let lost: Vec<&String> = before.difference(&after).collect();
    // NB: only an empty date text may go: it decodes to "no date".
    assert!(
        lost.iter().all(|k| empty.contains(*k)),
        "{name}: keys lost: {lost:?}"
    );
}

#[test]
fn golden_round_trip_keeps_every_non_null_key() {
    assert_round_trip::<Company>("company.json");
    assert_round_trip::<Vec<Company>>("companies_page.json");
    assert_round_trip::<Configuration>("configuration.json");
    assert_round_trip::<Vec<Configuration>>("configurations_page.json");
    assert_round_trip::<Agreement>("agreement.json");
    assert_round_trip::<CatalogItem>("catalog_item.json");
    assert_round_trip::<Ticket>("ticket.json");
}

#[test]
fn sample_records_decode_with_their_quirks() {
    let company: Company = decode("company.json");
    assert_eq!(company.deleted_flag, Some(true));
    assert_eq!(company.phone_number.as_deref(), Some(""));
    assert!(company.sic_code.as_ref().unwrap().info.is_none());
    assert!(company.custom_fields().iter().all(|f| f.value.is_none()));

    let ticket: Ticket = decode("ticket.json");
    assert_eq!(ticket.id, Some(945366));
    let resplan = ticket.date_resplan.unwrap();
    assert_eq!(
        resplan.instant(),
        Some(Utc.with_ymd_and_hms(2022, 9, 2, 8, 29, 34).unwrap())
    );
    assert!(ticket
        .escalation_start_date_utc
        .unwrap()
        .instant()
        .is_some());
    assert_eq!(
        ticket.sla_status.as_deref(),
        Some("Resolve by Tue 10/04 11:00 PM UTC-05")
    );

    let agreement: Agreement = decode("agreement.json");
    assert_eq!(agreement.bill_time, Some(BillingOption::Billable));
    assert_eq!(agreement.customer_po.as_deref(), Some("PO-2025-0042"));
    assert!(agreement.next_invoice_date.unwrap().instant().is_some());
    assert_eq!(agreement.custom_fields.as_deref(), Some(&[][..]));

    let item: CatalogItem = decode("catalog_item.json");
    assert_eq!(
        item.connect_wise_id.as_deref(),
        Some("b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e")
    );
    assert_eq!(item.integration_x_ref.as_deref(), Some("ecs-bus-monthly"));
    assert_eq!(item.product_class, Some(ProductClass::NonInventory));
    let encoded = serde_json::to_value(&item).unwrap();
    assert!(encoded.get("connectWiseID").is_some() && encoded.get("integrationXRef").is_some());
}

#[test]
fn companies_page_custom_fields_of_every_json_type() {
    let page: Vec<Company> = decode("companies_page.json");
    let values: Vec<CustomValue> = page[0].custom_fields().iter().map(|f| f.typed()).collect();
    assert!(
        matches!(&values[0], CustomValue::Date(d) if d.date() == NaiveDate::from_ymd_opt(2026, 3, 1))
    );
    assert_eq!(values[1], CustomValue::Number(12.0));
    assert_eq!(values[2], CustomValue::Number(12.5));
    assert_eq!(values[3], CustomValue::Bool(true));
    assert_eq!(values[4], CustomValue::Text("Registrar A".into()));
    assert_eq!(values[5], CustomValue::None);
    assert_eq!(values[6], CustomValue::None);

    let odd = &page[2];
    let rich = odd.custom_field_by_caption("Signature Block").unwrap();
    assert_eq!(
        rich.field_type,
        Some(CustomFieldType::Unknown("RichText".into()))
    );
    assert_eq!(
        rich.typed(),
        CustomValue::Raw(json!("Thank you – Danke – ありがとう"))
    );
    assert!(odd.status.is_none());
    assert!(odd.extra.contains_key("unknownFutureField"));
    let info = odd.info.as_ref().unwrap();
    assert_eq!(info.updated_by(), None);
    assert_eq!(info.date_entered(), None);
    assert_eq!(info.entered_by(), Some("svc-admin"));
    assert!(info.last_updated().unwrap().instant().is_some());
    assert_eq!(page[1].name.as_deref().map(|n| !n.is_empty()), Some(true));
}

#[test]
fn configurations_page_nulls_and_unknown_values() {
    let page: Vec<Configuration> = decode("configurations_page.json");
    assert_eq!(page.len(), 3);
    assert!(
        page[2].warranty_expiration_date.is_none(),
        "an empty date is none"
    );
    let question = &page[2].questions.as_ref().unwrap()[0];
    assert_eq!(question.field_type.as_ref().unwrap().as_str(), "Slider");
    let one: Configuration = decode("configuration.json");
    let answers: Vec<Value> = one
        .questions
        .unwrap()
        .into_iter()
        .map(|q| q.answer.unwrap())
        .collect();
    assert_eq!(answers, vec![json!(true), json!("B2-14"), json!(2)]);
}

#[tokio::test]
async fn h05_a_record_decodes_with_any_field_missing() {
    let server = MockServer::start().await;
    let body = r#"[{"id":31,"name":"Acme Managed Services","type":{"id":4,"name":"Managed"},"company":{"id":250,"identifier":"Acme","name":"Acme Corp"},"contact":{"id":17,"name":"Sam Example"},"startDate":"2024-01-01T00:00:00Z","_info":{"lastUpdated":"2024-06-01T10:00:00Z"}},
 {"id":32,"name":"Acme Backup"},
 {"id":33},
 {"name":"item without id"}]"#;
    Mock::given(method("GET"))
        .and(path(format!("{API}/finance/agreements")))
        .respond_with(json_bytes(200, body))
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let results: Vec<_> = client.agreements().list().stream().collect().await;
    assert_eq!(results.len(), 4);
    let ok: Vec<&Agreement> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(
        ok.iter().map(|a| a.id.unwrap()).collect::<Vec<_>>(),
        vec![31, 32, 33]
    );
    assert!(matches!(results[3], Err(Error::Decode { .. })));
    let backup = ok[1];
    assert!(backup.r#type.is_none() && backup.company.is_none() && backup.contact.is_none());
    assert!(backup.start_date.is_none());
    assert!(backup
        .info
        .as_ref()
        .and_then(|i| i.last_updated())
        .is_none());
    assert!(ok[2].name.is_none());
    assert_eq!(serde_json::to_string(ok[2]).unwrap(), r#"{"id":33}"#);
}

#[test]
fn h06_explicit_null_and_empty_or_bad_dates_keep_the_record() {
    let body = r#"[{"id":1542,"name":"ACME-WS-017","type":{"id":12,"name":"Managed Workstation"},"status":null,
  "company":{"id":250,"identifier":"Acme","name":"Acme Corp"},"serialNumber":"5CG1234XYZ","ipAddress":null,
  "purchaseDate":"","warrantyExpirationDate":"31/02/2026",
  "_info":{"lastUpdated":"2024-01-02T03:04:05Z","dateEntered":""}},
 {"id":1543,"name":"ACME-WS-018","type":{"id":12,"name":"Managed Workstation"},"status":{"id":2,"name":"Active"},
  "company":{"id":250,"identifier":"Acme","name":"Acme Corp"},"serialNumber":"5CG1234XZZ","ipAddress":"10.0.0.18"}]"#;
    let page: Vec<Configuration> = serde_json::from_str(body).unwrap();
    assert_eq!(page.len(), 2);
    let first = &page[0];
    assert!(first.status.is_none() && first.ip_address.is_none() && first.purchase_date.is_none());
    assert!(first.info.as_ref().unwrap().date_entered().is_none());
    let warranty = first.warranty_expiration_date.as_ref().unwrap();
    assert!(warranty.is_unparsed());
    assert_eq!(warranty.raw(), "31/02/2026");
    assert_eq!(page[1].ip_address.as_deref(), Some("10.0.0.18"));
}

#[test]
fn h07_older_and_newer_shapes_of_the_same_data() {
    let shapes = [
        json!({"id":1542,"name":"ACME-WS-017","locationId":3}),
        json!({"id":1542,"name":"ACME-WS-017","locationId":3,"location":{"id":3,"name":"North"}}),
        json!({"id":1542,"name":"ACME-WS-017","location":{"id":3,"name":"North"}}),
    ];
    let configs: Vec<Configuration> = shapes
        .into_iter()
        .map(|v| serde_json::from_value(v).unwrap())
        .collect();
    for config in &configs {
        assert_eq!(config.location_ref_id(), Some(3));
    }
    let names: Vec<Option<&str>> = configs
        .iter()
        .map(|c| c.location.as_ref().and_then(|l| l.name.as_deref()))
        .collect();
    assert_eq!(names, [None, Some("North"), Some("North")]);

    let ticket: Ticket = serde_json::from_value(json!({"id":555,"summary":"Printer offline",
        "recordType":"ServiceTicket","severity":"Critical","impact":"Low",
        "board":{"id":2,"name":"Help Desk"},"company":{"id":250,"identifier":"Acme","name":"Acme Corp"},
        "futureField":{"anything":[1,2,3]}}))
    .unwrap();
    assert_eq!(ticket.impact, Some(Level::Low));
    assert_eq!(ticket.severity, Some(Level::Unknown("Critical".into())));
    let again = serde_json::to_value(&ticket).unwrap();
    assert_eq!(again["severity"], "Critical");
}

#[test]
fn h08_one_lenient_timestamp_parser() {
    let instant = Utc.with_ymd_and_hms(2024, 3, 10, 8, 0, 0).unwrap();
    let cases = [
        ("2024-03-10T08:00:00Z", 0),
        ("2024-03-10T08:00:00.1Z", 100_000_000),
        ("2024-03-10T08:00:00.123456789Z", 123_456_789),
        ("2024-03-10T18:00:00+10:00", 0),
        ("2024-03-10T08:00:00", 0),
    ];
    for (text, nanos) in cases {
        let parsed = CwDateTime::parse(text)
            .instant()
            .unwrap_or_else(|| panic!("{text}"));
        assert_eq!(
            parsed - chrono::Duration::nanoseconds(nanos),
            instant,
            "{text}"
        );
        assert_eq!(chrono::Timelike::nanosecond(&parsed), nanos as u32);
    }
    assert_eq!(
        CwDateTime::parse("2018-11-23").parsed(),
        Parsed::Date(NaiveDate::from_ymd_opt(2018, 11, 23).unwrap())
    );
    assert_eq!(
        CwDateTime::parse("08:00:00").parsed(),
        Parsed::Time(NaiveTime::from_hms_opt(8, 0, 0).unwrap())
    );
    let midnight = CwDateTime::parse("2026-02-01T00:00:00Z");
    assert_eq!(midnight.date(), NaiveDate::from_ymd_opt(2026, 2, 1));
}

#[test]
fn h11_custom_field_values_come_in_every_json_type() {
    let record = json!({"id":501,"name":"acme.example.com","type":{"id":55,"name":"Domain"},
     "customFields":[
      {"id":7,"caption":"Expires","type":"Date","entryMethod":"EntryField","numberOfDecimals":0,"value":"2026-03-01T00:00:00Z"},
      {"id":8,"caption":"Auto Renew","type":"Checkbox","entryMethod":"EntryField","numberOfDecimals":0,"value":true},
      {"id":9,"caption":"Seats","type":"Number","entryMethod":"EntryField","numberOfDecimals":2,"value":12.5},
      {"id":10,"caption":"Registrar","type":"Text","entryMethod":"List","numberOfDecimals":0,"value":null},
      {"id":11,"caption":"Rack","type":"Text","entryMethod":"EntryField","numberOfDecimals":0},
      {"id":12,"caption":"Portal","type":"Button","entryMethod":"EntryField","numberOfDecimals":0,"value":{"label":"Open","url":"https://portal.example.com"}}],
     "questions":[{"questionId":3,"question":"Managed DNS?","answer":"Yes"},{"questionId":4,"question":"Zones","answer":3}]});
    let config: Configuration = serde_json::from_value(record.clone()).unwrap();
    let typed = |id| config.custom_field(id).unwrap().typed();
    assert!(
        matches!(typed(7), CustomValue::Date(d) if d.date() == NaiveDate::from_ymd_opt(2026, 3, 1))
    );
    assert_eq!(typed(8), CustomValue::Bool(true));
    assert_eq!(typed(9), CustomValue::Number(12.5));
    assert_eq!(typed(10), CustomValue::None);
    assert_eq!(typed(11), CustomValue::None);
    assert_eq!(
        typed(12),
        CustomValue::Raw(json!({"label":"Open","url":"https://portal.example.com"}))
    );
    let answers: Vec<Value> = config
        .questions
        .unwrap()
        .into_iter()
        .map(|q| q.answer.unwrap())
        .collect();
    assert_eq!(answers, vec![json!("Yes"), json!(3)]);

    let page = Value::Array(vec![record; 1000]);
    let many: Vec<Configuration> = serde_json::from_value(page).unwrap();
    assert_eq!(many.len(), 1000);
}

#[test]
fn lenient_numbers_accept_numeric_text() {
    let company: Company = serde_json::from_value(
        json!({"id": "42", "annualRevenue": "10.50", "numberOfEmployees": ""}),
    )
    .unwrap();
    assert_eq!(company.id, Some(42));
    assert_eq!(company.annual_revenue, Some(10.5));
    assert_eq!(company.number_of_employees, None);
    assert!(serde_json::from_value::<Company>(json!({"id": "forty"})).is_err());
}
