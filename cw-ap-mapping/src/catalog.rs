//! The catalog of source fields people map, per entity: display name, path, description,
//! value kind and whether the field is stable enough to identify a record.

use serde::Serialize;

use crate::entity::Entity;

/// The kind of value a source field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// Free text.
    Text,
    /// A whole number.
    Integer,
    /// A decimal number (money, hours).
    Decimal,
    /// `true` / `false`.
    Boolean,
    /// A date-time (ISO 8601, UTC).
    DateTime,
    /// A list of texts (the members of a child list).
    List,
    /// Any JSON value (custom fields).
    Any,
}

impl ValueKind {
    /// A short lower-case name for messages.
    pub fn label(self) -> &'static str {
        match self {
            ValueKind::Text => "text",
            ValueKind::Integer => "integer",
            ValueKind::Decimal => "decimal",
            ValueKind::Boolean => "boolean",
            ValueKind::DateTime => "date-time",
            ValueKind::List => "list",
            ValueKind::Any => "any value",
        }
    }
}

/// Whether a field can serve as a unique identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Identifier {
    /// The best choice: system-generated and never reused.
    Best,
    /// Usable, if the account keeps it unique.
    Usable,
    /// Not stable: it can change (names, phones, statuses); refused as a unique identifier
    /// unless the job accepts the risk.
    Unstable,
}

/// One catalog entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SourceField {
    /// The display name ("Company ID").
    pub name: &'static str,
    /// The ConnectWise path (`id`, `company/name`, `types[]/name`).
    pub path: &'static str,
    /// One line on what it holds.
    pub description: &'static str,
    /// Its value kind.
    pub kind: ValueKind,
    /// Whether it can identify a record.
    pub identifier: Identifier,
}

const fn f(
    name: &'static str,
    path: &'static str,
    description: &'static str,
    kind: ValueKind,
    identifier: Identifier,
) -> SourceField {
    SourceField {
        name,
        path,
        description,
        kind,
        identifier,
    }
}

use Identifier::{Best, Unstable, Usable};
use ValueKind::{Boolean, DateTime, Decimal, Integer, List, Text};

#[rustfmt::skip]
const COMPANIES: &[SourceField] = &[
    f("Company ID", "id", "System-generated company id", Integer, Best),
    f("Company Identifier", "identifier", "Short company code set by the account", Text, Usable),
    f("Company", "name", "Official company name", Text, Unstable),
    f("Address 1", "addressLine1", "Primary address line", Text, Unstable),
    f("Address 2", "addressLine2", "Additional address details", Text, Unstable),
    f("City", "city", "City of the company", Text, Unstable),
    f("State", "state", "State or province (free text)", Text, Unstable),
    f("Zip", "zip", "Postal or ZIP code", Text, Unstable),
    f("Country", "country/name", "Country of operation", Text, Unstable),
    f("Number of Employees", "numberOfEmployees", "Total employee count", Integer, Unstable),
    f("Phone", "phoneNumber", "Primary contact number", Text, Unstable),
    f("Fax", "faxNumber", "Fax number", Text, Unstable),
    f("Status", "status/name", "Active, inactive or another status", Text, Unstable),
    f("Type", "types[]/name", "The company's types (Client, Vendor…)", List, Unstable),
    f("Website", "website", "Company website", Text, Unstable),
    f("Account Number", "accountNumber", "Account number", Text, Usable),
    f("Territory", "territory/name", "Sales territory", Text, Unstable),
    f("Deleted", "deletedFlag", "Soft-deleted at source", Boolean, Unstable),
    f("Date Entered", "_info/dateEntered", "When the record was created", DateTime, Unstable),
    f("Last Updated", "_info/lastUpdated", "When the record last changed", DateTime, Unstable),
];

#[rustfmt::skip]
const CONFIGURATIONS: &[SourceField] = &[
    f("Configuration ID", "id", "System-generated configuration id", Integer, Best),
    f("Name", "name", "Configuration (device) name", Text, Unstable),
    f("Type", "type/name", "Configuration type", Text, Unstable),
    f("Status", "status/name", "Configuration status", Text, Unstable),
    f("Company", "company/name", "Owning company name", Text, Unstable),
    f("Company ID", "company/id", "Owning company id", Integer, Unstable),
    f("Company Identifier", "company/identifier", "Owning company code", Text, Unstable),
    f("Contact", "contact/name", "Contact name", Text, Unstable),
    f("Site", "site/name", "Company site", Text, Unstable),
    f("Location", "location/name", "Internal location", Text, Unstable),
    f("Serial Number", "serialNumber", "Manufacturer serial number", Text, Usable),
    f("Model Number", "modelNumber", "Model number", Text, Unstable),
    f("Tag Number", "tagNumber", "Asset tag", Text, Usable),
    f("MAC Address", "macAddress", "Network MAC address", Text, Usable),
    f("IP Address", "ipAddress", "IP address (free text)", Text, Unstable),
    f("Default Gateway", "defaultGateway", "Default gateway", Text, Unstable),
    f("OS Type", "osType", "Operating system", Text, Unstable),
    f("OS Info", "osInfo", "Operating system details", Text, Unstable),
    f("Purchase Date", "purchaseDate", "Date of purchase", DateTime, Unstable),
    f("Installation Date", "installationDate", "Date of installation", DateTime, Unstable),
    f("Warranty Expiration", "warrantyExpirationDate", "Warranty end", DateTime, Unstable),
    f("Vendor", "vendor/name", "Vendor company", Text, Unstable),
    f("Manufacturer", "manufacturer/name", "Manufacturer", Text, Unstable),
    f("Manufacturer Part Number", "manufacturerPartNumber", "Part number", Text, Unstable),
    f("Device Identifier", "deviceIdentifier", "RMM device identifier", Text, Usable),
    f("Last Login Name", "lastLoginName", "Last user logged in", Text, Unstable),
    f("Active", "activeFlag", "Whether the configuration is active", Boolean, Unstable),
    f("Date Entered", "_info/dateEntered", "When the record was created", DateTime, Unstable),
    f("Last Updated", "_info/lastUpdated", "When the record last changed", DateTime, Unstable),
];

#[rustfmt::skip]
const AGREEMENTS: &[SourceField] = &[
    f("Agreement ID", "id", "System-generated agreement id", Integer, Best),
    f("Name", "name", "Agreement name", Text, Unstable),
    f("Type", "type/name", "Agreement type", Text, Unstable),
    f("Company", "company/name", "Customer company name", Text, Unstable),
    f("Company ID", "company/id", "Customer company id", Integer, Unstable),
    f("Contact", "contact/name", "Customer contact", Text, Unstable),
    f("Start Date", "startDate", "First day of the agreement", DateTime, Unstable),
    f("End Date", "endDate", "Last day of the agreement", DateTime, Unstable),
    f("Date Cancelled", "dateCancelled", "When it was cancelled", DateTime, Unstable),
    f("Status", "agreementStatus", "Active, Cancelled, Expired or Inactive", Text, Unstable),
    f("Cancelled", "cancelledFlag", "Whether it is cancelled", Boolean, Unstable),
    f("Customer PO", "customerPO", "Customer purchase order", Text, Unstable),
    f("Bill Amount", "billAmount", "Amount billed per cycle", Decimal, Unstable),
    f("Last Updated", "_info/lastUpdated", "When the record last changed", DateTime, Unstable),
];

#[rustfmt::skip]
const CATALOG_ITEMS: &[SourceField] = &[
    f("Product ID", "id", "System-generated catalog item id", Integer, Best),
    f("Product SKU", "identifier", "Product identifier (SKU)", Text, Best),
    f("Description", "description", "Short description", Text, Unstable),
    f("Customer Description", "customerDescription", "Customer-facing text", Text, Unstable),
    f("Category", "category/name", "Product category", Text, Unstable),
    f("Subcategory", "subcategory/name", "Product subcategory", Text, Unstable),
    f("Product Type", "type/name", "Product type", Text, Unstable),
    f("Manufacturer", "manufacturer/name", "Manufacturer", Text, Unstable),
    f("Manufacturer Part Number", "manufacturerPartNumber", "Part number", Text, Usable),
    f("Vendor SKU", "vendorSku", "Vendor's SKU", Text, Unstable),
    f("Price", "price", "Sale price", Decimal, Unstable),
    f("Cost", "cost", "Cost", Decimal, Unstable),
    f("Inactive", "inactiveFlag", "Whether the item is inactive", Boolean, Unstable),
    f("Last Updated", "_info/lastUpdated", "When the record last changed", DateTime, Unstable),
];

#[rustfmt::skip]
const TICKETS: &[SourceField] = &[
    f("Ticket Number", "id", "Service ticket number", Integer, Best),
    f("Summary", "summary", "Ticket summary", Text, Unstable),
    f("Board", "board/name", "Service board", Text, Unstable),
    f("Status", "status/name", "Ticket status", Text, Unstable),
    f("Priority", "priority/name", "Ticket priority", Text, Unstable),
    f("Severity", "severity", "Low, Medium or High", Text, Unstable),
    f("Impact", "impact", "Low, Medium or High", Text, Unstable),
    f("Type", "type/name", "Service type", Text, Unstable),
    f("Company", "company/name", "Customer company name", Text, Unstable),
    f("Company ID", "company/id", "Customer company id", Integer, Unstable),
    f("Contact", "contactName", "Contact name", Text, Unstable),
    f("Owner", "owner/name", "Assigned member", Text, Unstable),
    f("Required Date", "requiredDate", "When it is due", DateTime, Unstable),
    f("Closed Date", "closedDate", "When it was closed", DateTime, Unstable),
    f("Closed", "closedFlag", "Whether it is closed", Boolean, Unstable),
    f("Budget Hours", "budgetHours", "Budgeted hours", Decimal, Unstable),
    f("Date Entered", "_info/dateEntered", "When the ticket was opened", DateTime, Unstable),
    f("Last Updated", "_info/lastUpdated", "When the record last changed", DateTime, Unstable),
];

/// The catalog of an entity.
pub fn catalog(entity: Entity) -> &'static [SourceField] {
    match entity {
        Entity::Companies => COMPANIES,
        Entity::Configurations => CONFIGURATIONS,
        Entity::Agreements => AGREEMENTS,
        Entity::CatalogItems => CATALOG_ITEMS,
        Entity::Tickets => TICKETS,
    }
}

/// The catalog entry with this display name (case-insensitive).
pub fn by_name(entity: Entity, name: &str) -> Option<&'static SourceField> {
    let name = name.trim();
    catalog(entity)
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case(name))
}

/// The catalog entry for this path, if the catalog describes it.
pub fn by_path(entity: Entity, path: &str) -> Option<&'static SourceField> {
    catalog(entity).iter().find(|f| f.path == path)
}
