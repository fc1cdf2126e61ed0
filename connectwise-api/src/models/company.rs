//! Companies (`/company/companies`). Companies are soft-deleted: a deleted one can
//! still be returned, with `deletedFlag` set.

use serde::{Deserialize, Serialize};

use super::common::{CustomFieldValue, Extra, Info, Reference};
use super::de;
use super::CwDateTime;

/// A company (schema `Company`).
///
/// Every field is optional: the server leaves unset fields out, a `fields=` projection
/// returns a subset, and a restricted role can hide some. Unknown fields land in `extra`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Company {
    /// `id` (int32): server-assigned; the only field you can count on in a response
    #[serde(
        rename = "id",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<i32>,
    /// `identifier` (string): required on POST; max length 30 in 2025.8, 156 in 2026.4
    #[serde(
        rename = "identifier",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub identifier: Option<String>,
    /// `name` (string): required on POST
    #[serde(rename = "name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `status` (CompanyStatusReference): observed with `_info.status_href`
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Reference>,
    /// `addressLine1` (string): the schema says at least one address field is required on POST
    #[serde(
        rename = "addressLine1",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub address_line1: Option<String>,
    /// `addressLine2` (string).
    #[serde(
        rename = "addressLine2",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub address_line2: Option<String>,
    /// `city` (string).
    #[serde(rename = "city", default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// `state` (string): free text (e.g. `TX`), not a reference
    #[serde(rename = "state", default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// `zip` (string).
    #[serde(rename = "zip", default, skip_serializing_if = "Option::is_none")]
    pub zip: Option<String>,
    /// `country` (CountryReference).
    #[serde(rename = "country", default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Reference>,
    /// `phoneNumber` (string): observed as `""` (empty string) rather than absent
    #[serde(
        rename = "phoneNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub phone_number: Option<String>,
    /// `faxNumber` (string).
    #[serde(rename = "faxNumber", default, skip_serializing_if = "Option::is_none")]
    pub fax_number: Option<String>,
    /// `website` (string).
    #[serde(rename = "website", default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// `territory` (SystemLocationReference).
    #[serde(rename = "territory", default, skip_serializing_if = "Option::is_none")]
    pub territory: Option<Reference>,
    /// `market` (MarketDescriptionReference).
    #[serde(rename = "market", default, skip_serializing_if = "Option::is_none")]
    pub market: Option<Reference>,
    /// `accountNumber` (string).
    #[serde(
        rename = "accountNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub account_number: Option<String>,
    /// `defaultContact` (ContactReference).
    #[serde(
        rename = "defaultContact",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub default_contact: Option<Reference>,
    /// `dateAcquired` (date-time string): e.g. `2006-06-21T04:00:00Z`
    #[serde(
        rename = "dateAcquired",
        default,
        deserialize_with = "de::date",
        skip_serializing_if = "Option::is_none"
    )]
    pub date_acquired: Option<CwDateTime>,
    /// `sicCode` (SicCodeReference): observed without `_info`
    #[serde(rename = "sicCode", default, skip_serializing_if = "Option::is_none")]
    pub sic_code: Option<Reference>,
    /// `parentCompany` (CompanyReference).
    #[serde(
        rename = "parentCompany",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub parent_company: Option<Reference>,
    /// `annualRevenue` (double, nullable): real JSON shows `0.00`
    #[serde(
        rename = "annualRevenue",
        default,
        deserialize_with = "de::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub annual_revenue: Option<f64>,
    /// `creditLimit` (double, nullable): present in the 2025.8 and 2026.4 specs, absent from
    /// the 2025.1 generated model
    #[serde(
        rename = "creditLimit",
        default,
        deserialize_with = "de::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub credit_limit: Option<f64>,
    /// `additionalDebt` (double, nullable): same as `creditLimit`
    #[serde(
        rename = "additionalDebt",
        default,
        deserialize_with = "de::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub additional_debt: Option<f64>,
    /// `numberOfEmployees` (int32, nullable).
    #[serde(
        rename = "numberOfEmployees",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub number_of_employees: Option<i32>,
    /// `yearEstablished` (int32, nullable).
    #[serde(
        rename = "yearEstablished",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub year_established: Option<i32>,
    /// `revenueYear` (int32, nullable).
    #[serde(
        rename = "revenueYear",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub revenue_year: Option<i32>,
    /// `ownershipType` (OwnershipTypeReference).
    #[serde(
        rename = "ownershipType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ownership_type: Option<Reference>,
    /// `timeZoneSetup` (TimeZoneSetupReference).
    #[serde(
        rename = "timeZoneSetup",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub time_zone_setup: Option<Reference>,
    /// `leadSource` (string).
    #[serde(
        rename = "leadSource",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub lead_source: Option<String>,
    /// `leadFlag` (bool, nullable).
    #[serde(rename = "leadFlag", default, skip_serializing_if = "Option::is_none")]
    pub lead_flag: Option<bool>,
    /// `unsubscribeFlag` (bool, nullable).
    #[serde(
        rename = "unsubscribeFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub unsubscribe_flag: Option<bool>,
    /// `calendar` (CalendarReference).
    #[serde(rename = "calendar", default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<Reference>,
    /// `userDefinedField1` (string): free-text slots 1–10, separate from `customFields`
    #[serde(
        rename = "userDefinedField1",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub user_defined_field1: Option<String>,
    /// `userDefinedField2` (string).
    #[serde(
        rename = "userDefinedField2",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub user_defined_field2: Option<String>,
    /// `userDefinedField3` (string).
    #[serde(
        rename = "userDefinedField3",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub user_defined_field3: Option<String>,
    /// `userDefinedField4` (string).
    #[serde(
        rename = "userDefinedField4",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub user_defined_field4: Option<String>,
    /// `userDefinedField5` (string).
    #[serde(
        rename = "userDefinedField5",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub user_defined_field5: Option<String>,
    /// `userDefinedField6` (string).
    #[serde(
        rename = "userDefinedField6",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub user_defined_field6: Option<String>,
    /// `userDefinedField7` (string).
    #[serde(
        rename = "userDefinedField7",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub user_defined_field7: Option<String>,
    /// `userDefinedField8` (string).
    #[serde(
        rename = "userDefinedField8",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub user_defined_field8: Option<String>,
    /// `userDefinedField9` (string).
    #[serde(
        rename = "userDefinedField9",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub user_defined_field9: Option<String>,
    /// `userDefinedField10` (string).
    #[serde(
        rename = "userDefinedField10",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub user_defined_field10: Option<String>,
    /// `vendorIdentifier` (string).
    #[serde(
        rename = "vendorIdentifier",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub vendor_identifier: Option<String>,
    /// `taxIdentifier` (string).
    #[serde(
        rename = "taxIdentifier",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub tax_identifier: Option<String>,
    /// `taxCode` (TaxCodeReference).
    #[serde(rename = "taxCode", default, skip_serializing_if = "Option::is_none")]
    pub tax_code: Option<Reference>,
    /// `billingTerms` (BillingTermsReference): observed without `_info`
    #[serde(
        rename = "billingTerms",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub billing_terms: Option<Reference>,
    /// `invoiceTemplate` (InvoiceTemplateReference).
    #[serde(
        rename = "invoiceTemplate",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub invoice_template: Option<Reference>,
    /// `pricingSchedule` (PricingScheduleReference).
    #[serde(
        rename = "pricingSchedule",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub pricing_schedule: Option<Reference>,
    /// `companyEntityType` (EntityTypeReference).
    #[serde(
        rename = "companyEntityType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub company_entity_type: Option<Reference>,
    /// `billToCompany` (CompanyReference).
    #[serde(
        rename = "billToCompany",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub bill_to_company: Option<Reference>,
    /// `billingSite` (SiteReference).
    #[serde(
        rename = "billingSite",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub billing_site: Option<Reference>,
    /// `billingContact` (ContactReference).
    #[serde(
        rename = "billingContact",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub billing_contact: Option<Reference>,
    /// `invoiceDeliveryMethod` (BillingDeliveryReference).
    #[serde(
        rename = "invoiceDeliveryMethod",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub invoice_delivery_method: Option<Reference>,
    /// `invoiceToEmailAddress` (string).
    #[serde(
        rename = "invoiceToEmailAddress",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub invoice_to_email_address: Option<String>,
    /// `invoiceCCEmailAddress` (string): note the capitalised `CC`
    #[serde(
        rename = "invoiceCCEmailAddress",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub invoice_cc_email_address: Option<String>,
    /// `deletedFlag` (bool, nullable): soft delete: a deleted company can still be returned
    /// (seen with `status` "Active"); filter with `deletedFlag=false`
    #[serde(
        rename = "deletedFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub deleted_flag: Option<bool>,
    /// `dateDeleted` (date-time string): set when `deletedFlag` is true
    #[serde(
        rename = "dateDeleted",
        default,
        deserialize_with = "de::date",
        skip_serializing_if = "Option::is_none"
    )]
    pub date_deleted: Option<CwDateTime>,
    /// `deletedBy` (string).
    #[serde(rename = "deletedBy", default, skip_serializing_if = "Option::is_none")]
    pub deleted_by: Option<String>,
    /// `mobileGuid` (string, nullable): UUID
    #[serde(
        rename = "mobileGuid",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub mobile_guid: Option<String>,
    /// `facebookUrl` (string).
    #[serde(
        rename = "facebookUrl",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub facebook_url: Option<String>,
    /// `twitterUrl` (string).
    #[serde(
        rename = "twitterUrl",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub twitter_url: Option<String>,
    /// `linkedInUrl` (string): note the capital `I`
    #[serde(
        rename = "linkedInUrl",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub linked_in_url: Option<String>,
    /// `currency` (CurrencyReference).
    #[serde(rename = "currency", default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Reference>,
    /// `territoryManager` (MemberReference).
    #[serde(
        rename = "territoryManager",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub territory_manager: Option<Reference>,
    /// `resellerIdentifier` (string).
    #[serde(
        rename = "resellerIdentifier",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub reseller_identifier: Option<String>,
    /// `isVendorFlag` (bool, nullable).
    #[serde(
        rename = "isVendorFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_vendor_flag: Option<bool>,
    /// `types` (CompanyTypeReference[]): only honoured on POST; change later through
    /// `/company/companyTypeAssociations` or `/company/companies/{id}/typeAssociations`; filter
    /// with `childConditions=types/id=1`
    #[serde(rename = "types", default, skip_serializing_if = "Option::is_none")]
    pub types: Option<Vec<Reference>>,
    /// `site` (SiteReference).
    #[serde(rename = "site", default, skip_serializing_if = "Option::is_none")]
    pub site: Option<Reference>,
    /// `integratorTags` (string[]).
    #[serde(
        rename = "integratorTags",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub integrator_tags: Option<Vec<String>>,
    /// `_info` (object (string → string map)): see [`Info`]
    #[serde(rename = "_info", default, skip_serializing_if = "Option::is_none")]
    pub info: Option<Info>,
    /// `customFields` (CustomFieldValue[]): see [`CustomFieldValue`]
    #[serde(
        rename = "customFields",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub custom_fields: Option<Vec<CustomFieldValue>>,
    /// Fields this crate does not model, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

record_traits!(Company);
