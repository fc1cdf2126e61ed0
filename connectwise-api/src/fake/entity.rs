//! The five collections the fake serves, and what it knows about each.

use std::fmt;

/// A collection of the fake server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Entity {
    /// `/company/companies`
    Companies,
    /// `/company/configurations` (devices)
    Configurations,
    /// `/finance/agreements`
    Agreements,
    /// `/procurement/catalog`
    CatalogItems,
    /// `/service/tickets`
    Tickets,
}

impl Entity {
    /// Every collection, in a fixed order.
    pub const ALL: [Entity; 5] = [
        Entity::Companies,
        Entity::Configurations,
        Entity::Agreements,
        Entity::CatalogItems,
        Entity::Tickets,
    ];

    /// The collection path below `apis/3.0`, without a trailing slash.
    pub fn path(self) -> &'static str {
        match self {
            Entity::Companies => "/company/companies",
            Entity::Configurations => "/company/configurations",
            Entity::Agreements => "/finance/agreements",
            Entity::CatalogItems => "/procurement/catalog",
            Entity::Tickets => "/service/tickets",
        }
    }

    /// Finds the collection whose path is `path` (no trailing slash).
    pub fn from_path(path: &str) -> Option<Entity> {
        Entity::ALL.into_iter().find(|e| e.path() == path)
    }

    /// The name the server uses for one record in error messages.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Entity::Companies => "Company",
            Entity::Configurations => "Configuration",
            Entity::Agreements => "Agreement",
            Entity::CatalogItems => "Catalog Item",
            Entity::Tickets => "Service Ticket",
        }
    }

    /// The lower-case resource name used in validation errors (`ticket object is invalid`).
    pub(crate) fn resource(self) -> &'static str {
        match self {
            Entity::Companies => "company",
            Entity::Configurations => "configuration",
            Entity::Agreements => "agreement",
            Entity::CatalogItems => "catalogItem",
            Entity::Tickets => "ticket",
        }
    }

    /// Top-level JSON names of the model, as the 2025.8 schema spells them, separated by
    /// white space.
    pub(crate) fn fields(self) -> &'static str {
        match self {
            Entity::Companies => COMPANY,
            Entity::Configurations => CONFIGURATION,
            Entity::Agreements => AGREEMENT,
            Entity::CatalogItems => CATALOG_ITEM,
            Entity::Tickets => TICKET,
        }
    }

    /// Fields a POST or PUT must carry.
    pub(crate) fn required(self) -> &'static [&'static str] {
        match self {
            Entity::Companies => &["identifier", "name"],
            Entity::Configurations => &["name", "type", "company"],
            Entity::Agreements => &["name", "type", "company", "contact"],
            Entity::CatalogItems => &[
                "identifier",
                "description",
                "subcategory",
                "type",
                "customerDescription",
            ],
            Entity::Tickets => &["summary", "company"],
        }
    }

    /// Fields accepted on POST but never stored or returned.
    pub(crate) fn write_only(self) -> &'static [&'static str] {
        match self {
            Entity::Tickets => &[
                "initialDescription",
                "initialInternalAnalysis",
                "initialResolution",
            ],
            _ => &[],
        }
    }

    /// Whether `name` is a field a filter may name at the top level.
    ///
    /// The audit names (`lastUpdated`, `dateEntered`, ...) are filtered at the top level
    /// although the records carry them inside `_info`. Names are case-sensitive.
    pub(crate) fn knows_field(self, name: &str) -> bool {
        AUDIT.contains(&name) || (name != "_info" && self.has_field(name))
    }
}

impl Entity {
    /// Whether the model has a top-level field `name`.
    pub(crate) fn has_field(self, name: &str) -> bool {
        self.fields().split_ascii_whitespace().any(|f| f == name)
    }
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.path())
    }
}

/// Audit names a filter uses at the top level; the records keep them in `_info`.
pub(crate) const AUDIT: &[&str] = &["lastUpdated", "dateEntered", "updatedBy", "enteredBy"];

/// Whether a field holds a reference object (`{"id": .., "name": ..}`) in this model.
pub(crate) fn is_reference(entity: Entity, name: &str) -> bool {
    const REFS: &str = "\
        status country territory market defaultContact sicCode parentCompany ownershipType \
        timeZoneSetup calendar taxCode billingTerms invoiceTemplate pricingSchedule \
        companyEntityType billToCompany billingSite billingContact invoiceDeliveryMethod \
        currency territoryManager site type company contact location department installedBy \
        vendor manufacturer sla subContractCompany subContractContact parentAgreement \
        opportunity billingCycle billToContact billToSite workRole workType projectType \
        companyLocation shipToCompany shipToContact shipToSite subcategory unitOfMeasure \
        entityType recurringBillCycle category board subType item team owner priority \
        serviceLocation source agreement mergedParentTicket";
    // NB: `agreementType` is a reference on catalog items but plain text on tickets.
    if name == "agreementType" {
        return entity == Entity::CatalogItems;
    }
    REFS.split_ascii_whitespace().any(|r| r == name) && entity.has_field(name)
}

const COMPANY: &str = "\
    id identifier name status addressLine1 addressLine2 city state zip country phoneNumber \
    faxNumber website territory market accountNumber defaultContact dateAcquired sicCode \
    parentCompany annualRevenue creditLimit additionalDebt numberOfEmployees yearEstablished \
    revenueYear ownershipType timeZoneSetup leadSource leadFlag unsubscribeFlag calendar \
    userDefinedField1 userDefinedField2 userDefinedField3 userDefinedField4 userDefinedField5 \
    userDefinedField6 userDefinedField7 userDefinedField8 userDefinedField9 userDefinedField10 \
    vendorIdentifier taxIdentifier taxCode billingTerms invoiceTemplate pricingSchedule \
    companyEntityType billToCompany billingSite billingContact invoiceDeliveryMethod \
    invoiceToEmailAddress invoiceCCEmailAddress deletedFlag dateDeleted deletedBy mobileGuid \
    facebookUrl twitterUrl linkedInUrl currency territoryManager resellerIdentifier isVendorFlag \
    types site integratorTags _info customFields";

const CONFIGURATION: &str = "\
    id name type status company contact site locationId location businessUnitId department \
    deviceIdentifier serialNumber modelNumber tagNumber purchaseDate installationDate \
    installedBy warrantyExpirationDate vendorNotes notes macAddress lastLoginName billFlag \
    backupSuccesses backupIncomplete backupFailed backupRestores lastBackupDate backupServerName \
    backupBillableSpaceGb backupProtectedDeviceList backupYear backupMonth ipAddress \
    defaultGateway osType osInfo cpuSpeed ram localHardDrives parentConfigurationId vendor \
    manufacturer questions activeFlag managementLink remoteLink sla mobileGuid displayVendorFlag \
    companyLocationId showRemoteFlag showAutomateFlag needsRenewalFlag manufacturerPartNumber \
    _info customFields";

const AGREEMENT: &str = "\
    id name type company contact site subContractCompany subContractContact parentAgreement \
    customerPO location department restrictLocationFlag restrictDepartmentFlag startDate endDate \
    noEndingDateFlag opportunity cancelledFlag dateCancelled reasonCancelled sla workOrder \
    internalNotes applicationUnits applicationLimit applicationCycle applicationUnlimitedFlag \
    oneTimeFlag coverAgreementTime coverAgreementProduct coverAgreementExpense coverSalesTax \
    carryOverUnused allowOverruns expiredDays limit expireWhenZero chargeToFirm employeeCompRate \
    employeeCompNotExceed compHourlyRate compLimitAmount billingCycle billOneTimeFlag \
    billingTerms invoicingCycle billToCompany billToContact billToSite billAmount taxable \
    prorateFirstBill billStartDate taxCode restrictDownPayment prorateFlag \
    invoiceProratedAdditionsFlag invoiceDescription topComment bottomComment workRole workType \
    projectType invoiceTemplate billTime billExpenses billProducts billableTimeInvoice \
    billableExpenseInvoice billableProductInvoice currency periodType autoInvoiceFlag \
    nextInvoiceDate companyLocation shipToCompany shipToContact shipToSite agreementStatus _info \
    customFields";

const CATALOG_ITEM: &str = "\
    id identifier description inactiveFlag subcategory type productClass serializedFlag \
    serializedCostFlag phaseProductFlag unitOfMeasure minStockLevel price cost priceAttribute \
    taxableFlag dropShipFlag specialOrderFlag customerDescription manufacturer \
    manufacturerPartNumber vendor vendorSku notes integrationXRef sla entityType recurringFlag \
    recurringRevenue recurringCost recurringOneTimeFlag recurringBillCycle recurringCycleType \
    calculatedPriceFlag calculatedCostFlag category calculatedPrice calculatedCost \
    billableOption connectWiseID agreementType markupPercentage markupFlag \
    autoUpdateUnitCostFlag autoUpdateUnitPriceFlag _info customFields";

const TICKET: &str = "\
    id summary recordType board status workRole workType company site siteName addressLine1 \
    addressLine2 city stateIdentifier zip country contact contactName contactPhoneNumber \
    contactPhoneExtension contactEmailAddress type subType item team owner priority \
    serviceLocation source requiredDate budgetHours opportunity agreement agreementType severity \
    impact externalXRef poNumber knowledgeBaseCategoryId knowledgeBaseSubCategoryId \
    allowAllClientsPortalView customerUpdatedFlag automaticEmailContactFlag \
    automaticEmailResourceFlag automaticEmailCcFlag automaticEmailCc initialDescription \
    initialInternalAnalysis initialResolution initialDescriptionFrom contactEmailLookup \
    processNotifications skipCallback closedDate closedBy closedFlag actualHours approved \
    estimatedExpenseCost estimatedExpenseRevenue estimatedProductCost estimatedProductRevenue \
    estimatedTimeCost estimatedTimeRevenue billingMethod billingAmount hourlyRate \
    subBillingMethod subBillingAmount subDateAccepted dateResolved dateResplan dateResponded \
    resolveMinutes resPlanMinutes respondMinutes isInSla knowledgeBaseLinkId resources \
    parentTicketId hasChildTicket hasMergedChildTicketFlag knowledgeBaseLinkType billTime \
    billExpenses billProducts predecessorType predecessorId predecessorClosedFlag lagDays \
    lagNonworkingDaysFlag estimatedStartDate duration location department mobileGuid sla \
    slaStatus requestForChangeFlag currency mergedParentTicket integratorTags _info \
    escalationStartDateUTC escalationLevel minutesBeforeWaiting respondedSkippedMinutes \
    resplanSkippedMinutes respondedHours respondedBy resplanHours resplanBy resolutionHours \
    resolvedBy minutesWaiting customFields";
