//! The source field catalog.

use cw_ap_mapping::catalog::{by_name, catalog, Identifier, ValueKind};
use cw_ap_mapping::path::FieldPath;
use cw_ap_mapping::Entity;

#[test]
fn companies_cover_the_integration_guide_fields() {
    for name in [
        "Address 1",
        "Address 2",
        "City",
        "Company",
        "Company ID",
        "Company Identifier",
        "Country",
        "Number of Employees",
        "Phone",
        "State",
        "Status",
        "Type",
        "Website",
        "Zip",
    ] {
        assert!(by_name(Entity::Companies, name).is_some(), "{name}");
    }
    assert_eq!(
        by_name(Entity::Companies, "company id").unwrap().identifier,
        Identifier::Best
    );
    assert_eq!(
        by_name(Entity::Companies, "Company Identifier")
            .unwrap()
            .identifier,
        Identifier::Usable
    );
    for unstable in ["Company", "Phone", "Status"] {
        assert_eq!(
            by_name(Entity::Companies, unstable).unwrap().identifier,
            Identifier::Unstable
        );
    }
    assert_eq!(
        by_name(Entity::Companies, "Type").unwrap().kind,
        ValueKind::List
    );
}

#[test]
fn every_entry_is_a_valid_path_of_its_entity() {
    for entity in Entity::ALL {
        let entries = catalog(entity);
        assert!(
            entries
                .iter()
                .filter(|f| f.identifier == Identifier::Best)
                .count()
                >= 1
        );
        for entry in entries {
            let path = FieldPath::parse(entry.path).expect(entry.path);
            assert!(
                entity.has_top_level_field(path.root()),
                "{entity}: {}",
                entry.path
            );
            assert!(!entry.description.is_empty());
        }
        let mut names: Vec<_> = entries.iter().map(|f| f.name.to_lowercase()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), entries.len(), "{entity} has duplicate names");
    }
}

#[test]
fn the_guide_identifiers_are_best() {
    assert_eq!(
        by_name(Entity::CatalogItems, "Product SKU").unwrap().path,
        "identifier"
    );
    assert_eq!(
        by_name(Entity::Tickets, "Ticket Number")
            .unwrap()
            .identifier,
        Identifier::Best
    );
    assert_eq!(
        by_name(Entity::Agreements, "Agreement ID")
            .unwrap()
            .identifier,
        Identifier::Best
    );
    assert_eq!(
        by_name(Entity::Configurations, "Serial Number")
            .unwrap()
            .identifier,
        Identifier::Usable
    );
}
