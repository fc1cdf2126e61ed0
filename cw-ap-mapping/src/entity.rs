//! The ConnectWise entities a job can read, and the top-level JSON names each one carries.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A ConnectWise collection that a sync job reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    /// `/company/companies`.
    Companies,
    /// `/company/configurations` (devices).
    Configurations,
    /// `/finance/agreements`.
    Agreements,
    /// `/procurement/catalog` (product catalog items).
    CatalogItems,
    /// `/service/tickets`.
    Tickets,
}

impl Entity {
    /// Every entity, in a stable order.
    pub const ALL: [Entity; 5] = [
        Entity::Companies,
        Entity::Configurations,
        Entity::Agreements,
        Entity::CatalogItems,
        Entity::Tickets,
    ];

    /// The name used in configuration files (`companies`, `catalog_items`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Companies => "companies",
            Entity::Configurations => "configurations",
            Entity::Agreements => "agreements",
            Entity::CatalogItems => "catalog_items",
            Entity::Tickets => "tickets",
        }
    }

    /// The API path of the collection, relative to the `apis/3.0` base.
    pub fn api_path(self) -> &'static str {
        match self {
            Entity::Companies => "/company/companies",
            Entity::Configurations => "/company/configurations",
            Entity::Agreements => "/finance/agreements",
            Entity::CatalogItems => "/procurement/catalog",
            Entity::Tickets => "/service/tickets",
        }
    }

    /// The boolean field that marks a soft-deleted record, when the entity has one.
    ///
    /// A record that carries `true` there counts as deleted at source, whether it comes in
    /// the listing or in a re-read.
    pub fn deleted_flag(self) -> Option<&'static str> {
        match self {
            Entity::Companies => Some("deletedFlag"),
            _ => None,
        }
    }

    /// Every top-level JSON name a record of this entity may carry (API version 2025.8).
    ///
    /// Validation uses it to tell a misspelt path from a real field that the catalog does
    /// not describe.
    pub fn top_level_fields(self) -> &'static [&'static str] {
        match self {
            Entity::Companies => COMPANY_FIELDS,
            Entity::Configurations => CONFIGURATION_FIELDS,
            Entity::Agreements => AGREEMENT_FIELDS,
            Entity::CatalogItems => CATALOG_ITEM_FIELDS,
            Entity::Tickets => TICKET_FIELDS,
        }
    }

    /// Whether `name` is a top-level JSON name of this entity.
    pub fn has_top_level_field(self, name: &str) -> bool {
        self.top_level_fields().contains(&name)
    }
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[rustfmt::skip]
const COMPANY_FIELDS: &[&str] = &[
    "id", "identifier", "name", "status", "addressLine1", "addressLine2", "city", "state", "zip",
    "country", "phoneNumber", "faxNumber", "website", "territory", "market", "accountNumber",
    "defaultContact", "dateAcquired", "sicCode", "parentCompany", "annualRevenue",
    "creditLimit", "additionalDebt", "numberOfEmployees", "yearEstablished", "revenueYear",
    "ownershipType", "timeZoneSetup", "leadSource", "leadFlag", "unsubscribeFlag", "calendar",
    "userDefinedField1", "userDefinedField2", "userDefinedField3", "userDefinedField4",
    "userDefinedField5", "userDefinedField6", "userDefinedField7", "userDefinedField8",
    "userDefinedField9", "userDefinedField10", "vendorIdentifier", "taxIdentifier", "taxCode",
    "billingTerms", "invoiceTemplate", "pricingSchedule", "companyEntityType", "billToCompany",
    "billingSite", "billingContact", "invoiceDeliveryMethod", "invoiceToEmailAddress",
    "invoiceCCEmailAddress", "deletedFlag", "dateDeleted", "deletedBy", "mobileGuid",
    "facebookUrl", "twitterUrl", "linkedInUrl", "currency", "territoryManager",
    "resellerIdentifier", "isVendorFlag", "types", "site", "integratorTags", "_info",
    "customFields",
];

#[rustfmt::skip]
const CONFIGURATION_FIELDS: &[&str] = &[
    "id", "name", "type", "status", "company", "contact", "site", "locationId", "location",
    "businessUnitId", "department", "deviceIdentifier", "serialNumber", "modelNumber",
    "tagNumber", "purchaseDate", "installationDate", "installedBy", "warrantyExpirationDate",
    "vendorNotes", "notes", "macAddress", "lastLoginName", "billFlag", "backupSuccesses",
    "backupIncomplete", "backupFailed", "backupRestores", "lastBackupDate", "backupServerName",
    "backupBillableSpaceGb", "backupProtectedDeviceList", "backupYear", "backupMonth",
    "ipAddress", "defaultGateway", "osType", "osInfo", "cpuSpeed", "ram", "localHardDrives",
    "parentConfigurationId", "vendor", "manufacturer", "questions", "activeFlag",
    "managementLink", "remoteLink", "sla", "mobileGuid", "displayVendorFlag",
    "companyLocationId", "showRemoteFlag", "showAutomateFlag", "needsRenewalFlag",
    "manufacturerPartNumber", "_info", "customFields",
];

#[rustfmt::skip]
const AGREEMENT_FIELDS: &[&str] = &[
    "id", "name", "type", "company", "contact", "site", "subContractCompany",
    "subContractContact", "parentAgreement", "customerPO", "location", "department",
    "restrictLocationFlag", "restrictDepartmentFlag", "startDate", "endDate",
    "noEndingDateFlag", "opportunity", "cancelledFlag", "dateCancelled", "reasonCancelled",
    "sla", "workOrder", "internalNotes", "applicationUnits", "applicationLimit",
    "applicationCycle", "applicationUnlimitedFlag", "oneTimeFlag", "coverAgreementTime",
    "coverAgreementProduct", "coverAgreementExpense", "coverSalesTax", "carryOverUnused",
    "allowOverruns", "expiredDays", "limit", "expireWhenZero", "chargeToFirm",
    "employeeCompRate", "employeeCompNotExceed", "compHourlyRate", "compLimitAmount",
    "billingCycle", "billOneTimeFlag", "billingTerms", "invoicingCycle", "billToCompany",
    "billToContact", "billToSite", "billAmount", "taxable", "prorateFirstBill",
    "billStartDate", "taxCode", "restrictDownPayment", "prorateFlag",
    "invoiceProratedAdditionsFlag", "invoiceDescription", "topComment", "bottomComment",
    "workRole", "workType", "projectType", "invoiceTemplate", "billTime", "billExpenses",
    "billProducts", "billableTimeInvoice", "billableExpenseInvoice", "billableProductInvoice",
    "currency", "periodType", "autoInvoiceFlag", "nextInvoiceDate", "companyLocation",
    "shipToCompany", "shipToContact", "shipToSite", "agreementStatus", "_info", "customFields",
];

#[rustfmt::skip]
const CATALOG_ITEM_FIELDS: &[&str] = &[
    "id", "identifier", "description", "inactiveFlag", "subcategory", "type", "productClass",
    "serializedFlag", "serializedCostFlag", "phaseProductFlag", "unitOfMeasure",
    "minStockLevel", "price", "cost", "priceAttribute", "taxableFlag", "dropShipFlag",
    "specialOrderFlag", "customerDescription", "manufacturer", "manufacturerPartNumber",
    "vendor", "vendorSku", "notes", "integrationXRef", "sla", "entityType", "recurringFlag",
    "recurringRevenue", "recurringCost", "recurringOneTimeFlag", "recurringBillCycle",
    "recurringCycleType", "calculatedPriceFlag", "calculatedCostFlag", "category",
    "calculatedPrice", "calculatedCost", "billableOption", "connectWiseID", "agreementType",
    "markupPercentage", "markupFlag", "autoUpdateUnitCostFlag", "autoUpdateUnitPriceFlag",
    "_info", "customFields",
];

#[rustfmt::skip]
const TICKET_FIELDS: &[&str] = &[
    "id", "summary", "recordType", "board", "status", "workRole", "workType", "company", "site",
    "siteName", "addressLine1", "addressLine2", "city", "stateIdentifier", "zip", "country",
    "contact", "contactName", "contactPhoneNumber", "contactPhoneExtension",
    "contactEmailAddress", "type", "subType", "item", "team", "owner", "priority",
    "serviceLocation", "source", "requiredDate", "budgetHours", "opportunity", "agreement",
    "agreementType", "severity", "impact", "externalXRef", "poNumber",
    "knowledgeBaseCategoryId", "knowledgeBaseSubCategoryId", "allowAllClientsPortalView",
    "customerUpdatedFlag", "automaticEmailContactFlag", "automaticEmailResourceFlag",
    "automaticEmailCcFlag", "automaticEmailCc", "initialDescriptionFrom", "contactEmailLookup",
    "processNotifications", "skipCallback", "closedDate", "closedBy", "closedFlag",
    "actualHours", "approved", "estimatedExpenseCost", "estimatedExpenseRevenue",
    "estimatedProductCost", "estimatedProductRevenue", "estimatedTimeCost",
    "estimatedTimeRevenue", "billingMethod", "billingAmount", "hourlyRate", "subBillingMethod",
    "subBillingAmount", "subDateAccepted", "dateResolved", "dateResplan", "dateResponded",
    "resolveMinutes", "resPlanMinutes", "respondMinutes", "isInSla", "knowledgeBaseLinkId",
    "resources", "parentTicketId", "hasChildTicket", "hasMergedChildTicketFlag",
    "knowledgeBaseLinkType", "billTime", "billExpenses", "billProducts", "predecessorType",
    "predecessorId", "predecessorClosedFlag", "lagDays", "lagNonworkingDaysFlag",
    "estimatedStartDate", "duration", "location", "department", "mobileGuid", "sla",
    "slaStatus", "requestForChangeFlag", "currency", "mergedParentTicket", "integratorTags",
    "_info", "escalationStartDateUTC", "escalationLevel", "minutesBeforeWaiting",
    "respondedSkippedMinutes", "resplanSkippedMinutes", "respondedHours", "respondedBy",
    "resplanHours", "resplanBy", "resolutionHours", "resolvedBy", "minutesWaiting",
    "customFields",
];
