//! Agreements (`/finance/agreements`).

use serde::{Deserialize, Serialize};

use super::common::{CustomFieldValue, Extra, Info, Reference};
use super::de;
use super::enums::{
    AgreementStatus, ApplicationCycle, ApplicationUnits, BillingOption, CycleBasis,
    EmployeeCompNotExceed, EmployeeCompRate, PeriodType,
};
use super::CwDateTime;

/// An agreement (schema `Agreement`).
///
/// Every field is optional: the server leaves unset fields out, a `fields=` projection
/// returns a subset, and a restricted role can hide some. Unknown fields land in `extra`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    /// `id` (int32): server-assigned
    #[serde(
        rename = "id",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<i32>,
    /// `name` (string): required on POST; max 100
    #[serde(rename = "name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `type` (AgreementTypeReference): required on POST
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<Reference>,
    /// `company` (CompanyReference): required on POST
    #[serde(rename = "company", default, skip_serializing_if = "Option::is_none")]
    pub company: Option<Reference>,
    /// `contact` (ContactReference): required on POST
    #[serde(rename = "contact", default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Reference>,
    /// `site` (SiteReference).
    #[serde(rename = "site", default, skip_serializing_if = "Option::is_none")]
    pub site: Option<Reference>,
    /// `subContractCompany` (CompanyReference).
    #[serde(
        rename = "subContractCompany",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sub_contract_company: Option<Reference>,
    /// `subContractContact` (ContactReference).
    #[serde(
        rename = "subContractContact",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sub_contract_contact: Option<Reference>,
    /// `parentAgreement` (AgreementReference).
    #[serde(
        rename = "parentAgreement",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub parent_agreement: Option<Reference>,
    /// `customerPO` (string): max 50; note `PO` capitalised
    #[serde(
        rename = "customerPO",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub customer_po: Option<String>,
    /// `location` (SystemLocationReference).
    #[serde(rename = "location", default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Reference>,
    /// `department` (SystemDepartmentReference).
    #[serde(
        rename = "department",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub department: Option<Reference>,
    /// `restrictLocationFlag` (bool, nullable).
    #[serde(
        rename = "restrictLocationFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub restrict_location_flag: Option<bool>,
    /// `restrictDepartmentFlag` (bool, nullable).
    #[serde(
        rename = "restrictDepartmentFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub restrict_department_flag: Option<bool>,
    /// `startDate` (date-time string): send `yyyy-MM-ddTHH:mm:ssZ`; a locally formatted date
    /// fails with `UnsupportedFormat`
    #[serde(
        rename = "startDate",
        default,
        deserialize_with = "de::date",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_date: Option<CwDateTime>,
    /// `endDate` (date-time string): same format rule as `startDate`
    #[serde(
        rename = "endDate",
        default,
        deserialize_with = "de::date",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_date: Option<CwDateTime>,
    /// `noEndingDateFlag` (bool, nullable).
    #[serde(
        rename = "noEndingDateFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub no_ending_date_flag: Option<bool>,
    /// `opportunity` (OpportunityReference).
    #[serde(
        rename = "opportunity",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub opportunity: Option<Reference>,
    /// `cancelledFlag` (bool, nullable).
    #[serde(
        rename = "cancelledFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cancelled_flag: Option<bool>,
    /// `dateCancelled` (date-time string).
    #[serde(
        rename = "dateCancelled",
        default,
        deserialize_with = "de::date",
        skip_serializing_if = "Option::is_none"
    )]
    pub date_cancelled: Option<CwDateTime>,
    /// `reasonCancelled` (string): max 100
    #[serde(
        rename = "reasonCancelled",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub reason_cancelled: Option<String>,
    /// `sla` (SLAReference).
    #[serde(rename = "sla", default, skip_serializing_if = "Option::is_none")]
    pub sla: Option<Reference>,
    /// `workOrder` (string): max 20
    #[serde(rename = "workOrder", default, skip_serializing_if = "Option::is_none")]
    pub work_order: Option<String>,
    /// `internalNotes` (string).
    #[serde(
        rename = "internalNotes",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub internal_notes: Option<String>,
    /// `applicationUnits` (string, nullable): enum `Amount` `Hours` `Incidents`
    #[serde(
        rename = "applicationUnits",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub application_units: Option<ApplicationUnits>,
    /// `applicationLimit` (double, nullable).
    #[serde(
        rename = "applicationLimit",
        default,
        deserialize_with = "de::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub application_limit: Option<f64>,
    /// `applicationCycle` (string, nullable): enum `Contract2Weeks` `Contract4Weeks`
    /// `ContractYear` `CalendarMonth` `CalendarQuarter` `CalendarWeek` `ContractQuarter`
    /// `CalendarYear`
    #[serde(
        rename = "applicationCycle",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub application_cycle: Option<ApplicationCycle>,
    /// `applicationUnlimitedFlag` (bool, nullable).
    #[serde(
        rename = "applicationUnlimitedFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub application_unlimited_flag: Option<bool>,
    /// `oneTimeFlag` (bool, nullable).
    #[serde(
        rename = "oneTimeFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub one_time_flag: Option<bool>,
    /// `coverAgreementTime` (bool, nullable).
    #[serde(
        rename = "coverAgreementTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cover_agreement_time: Option<bool>,
    /// `coverAgreementProduct` (bool, nullable).
    #[serde(
        rename = "coverAgreementProduct",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cover_agreement_product: Option<bool>,
    /// `coverAgreementExpense` (bool, nullable).
    #[serde(
        rename = "coverAgreementExpense",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cover_agreement_expense: Option<bool>,
    /// `coverSalesTax` (bool, nullable).
    #[serde(
        rename = "coverSalesTax",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cover_sales_tax: Option<bool>,
    /// `carryOverUnused` (bool, nullable).
    #[serde(
        rename = "carryOverUnused",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub carry_over_unused: Option<bool>,
    /// `allowOverruns` (bool, nullable).
    #[serde(
        rename = "allowOverruns",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub allow_overruns: Option<bool>,
    /// `expiredDays` (int32, nullable).
    #[serde(
        rename = "expiredDays",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub expired_days: Option<i32>,
    /// `limit` (int32, nullable).
    #[serde(
        rename = "limit",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub limit: Option<i32>,
    /// `expireWhenZero` (bool, nullable).
    #[serde(
        rename = "expireWhenZero",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub expire_when_zero: Option<bool>,
    /// `chargeToFirm` (bool, nullable).
    #[serde(
        rename = "chargeToFirm",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub charge_to_firm: Option<bool>,
    /// `employeeCompRate` (string, nullable): enum `Actual` `Hourly`; required on updates
    #[serde(
        rename = "employeeCompRate",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub employee_comp_rate: Option<EmployeeCompRate>,
    /// `employeeCompNotExceed` (string, nullable): enum `Billing` `Amount` `Percent`
    #[serde(
        rename = "employeeCompNotExceed",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub employee_comp_not_exceed: Option<EmployeeCompNotExceed>,
    /// `compHourlyRate` (double, nullable).
    #[serde(
        rename = "compHourlyRate",
        default,
        deserialize_with = "de::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub comp_hourly_rate: Option<f64>,
    /// `compLimitAmount` (double, nullable).
    #[serde(
        rename = "compLimitAmount",
        default,
        deserialize_with = "de::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub comp_limit_amount: Option<f64>,
    /// `billingCycle` (BillingCycleReference).
    #[serde(
        rename = "billingCycle",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub billing_cycle: Option<Reference>,
    /// `billOneTimeFlag` (bool, nullable).
    #[serde(
        rename = "billOneTimeFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub bill_one_time_flag: Option<bool>,
    /// `billingTerms` (BillingTermsReference).
    #[serde(
        rename = "billingTerms",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub billing_terms: Option<Reference>,
    /// `invoicingCycle` (string, nullable): enum `ContractYear` `CalendarYear`; required on
    /// updates
    #[serde(
        rename = "invoicingCycle",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub invoicing_cycle: Option<CycleBasis>,
    /// `billToCompany` (CompanyReference).
    #[serde(
        rename = "billToCompany",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub bill_to_company: Option<Reference>,
    /// `billToContact` (ContactReference).
    #[serde(
        rename = "billToContact",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub bill_to_contact: Option<Reference>,
    /// `billToSite` (SiteReference).
    #[serde(
        rename = "billToSite",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub bill_to_site: Option<Reference>,
    /// `billAmount` (double, nullable).
    #[serde(
        rename = "billAmount",
        default,
        deserialize_with = "de::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub bill_amount: Option<f64>,
    /// `taxable` (bool, nullable).
    #[serde(rename = "taxable", default, skip_serializing_if = "Option::is_none")]
    pub taxable: Option<bool>,
    /// `prorateFirstBill` (double, nullable).
    #[serde(
        rename = "prorateFirstBill",
        default,
        deserialize_with = "de::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub prorate_first_bill: Option<f64>,
    /// `billStartDate` (date-time string).
    #[serde(
        rename = "billStartDate",
        default,
        deserialize_with = "de::date",
        skip_serializing_if = "Option::is_none"
    )]
    pub bill_start_date: Option<CwDateTime>,
    /// `taxCode` (TaxCodeReference).
    #[serde(rename = "taxCode", default, skip_serializing_if = "Option::is_none")]
    pub tax_code: Option<Reference>,
    /// `restrictDownPayment` (bool, nullable).
    #[serde(
        rename = "restrictDownPayment",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub restrict_down_payment: Option<bool>,
    /// `prorateFlag` (bool, nullable).
    #[serde(
        rename = "prorateFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub prorate_flag: Option<bool>,
    /// `invoiceProratedAdditionsFlag` (bool, nullable).
    #[serde(
        rename = "invoiceProratedAdditionsFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub invoice_prorated_additions_flag: Option<bool>,
    /// `invoiceDescription` (string).
    #[serde(
        rename = "invoiceDescription",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub invoice_description: Option<String>,
    /// `topComment` (bool, nullable).
    #[serde(
        rename = "topComment",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub top_comment: Option<bool>,
    /// `bottomComment` (bool, nullable).
    #[serde(
        rename = "bottomComment",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub bottom_comment: Option<bool>,
    /// `workRole` (WorkRoleReference).
    #[serde(rename = "workRole", default, skip_serializing_if = "Option::is_none")]
    pub work_role: Option<Reference>,
    /// `workType` (WorkTypeReference).
    #[serde(rename = "workType", default, skip_serializing_if = "Option::is_none")]
    pub work_type: Option<Reference>,
    /// `projectType` (ProjectTypeReference).
    #[serde(
        rename = "projectType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub project_type: Option<Reference>,
    /// `invoiceTemplate` (InvoiceTemplateReference).
    #[serde(
        rename = "invoiceTemplate",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub invoice_template: Option<Reference>,
    /// `billTime` (string, nullable): enum `Billable` `DoNotBill` `NoCharge` `NoDefault`;
    /// required on updates
    #[serde(rename = "billTime", default, skip_serializing_if = "Option::is_none")]
    pub bill_time: Option<BillingOption>,
    /// `billExpenses` (string, nullable): same enum and rule as `billTime`
    #[serde(
        rename = "billExpenses",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub bill_expenses: Option<BillingOption>,
    /// `billProducts` (string, nullable): same enum and rule as `billTime`
    #[serde(
        rename = "billProducts",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub bill_products: Option<BillingOption>,
    /// `billableTimeInvoice` (bool, nullable).
    #[serde(
        rename = "billableTimeInvoice",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub billable_time_invoice: Option<bool>,
    /// `billableExpenseInvoice` (bool, nullable).
    #[serde(
        rename = "billableExpenseInvoice",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub billable_expense_invoice: Option<bool>,
    /// `billableProductInvoice` (bool, nullable).
    #[serde(
        rename = "billableProductInvoice",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub billable_product_invoice: Option<bool>,
    /// `currency` (CurrencyReference).
    #[serde(rename = "currency", default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Reference>,
    /// `periodType` (string, nullable): enum `Current` `Future` `Both` `Undefined`
    #[serde(
        rename = "periodType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub period_type: Option<PeriodType>,
    /// `autoInvoiceFlag` (bool, nullable).
    #[serde(
        rename = "autoInvoiceFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub auto_invoice_flag: Option<bool>,
    /// `nextInvoiceDate` (string): plain `string` in the spec (no `format`), but holds an ISO
    /// timestamp; parse leniently
    #[serde(
        rename = "nextInvoiceDate",
        default,
        deserialize_with = "de::date",
        skip_serializing_if = "Option::is_none"
    )]
    pub next_invoice_date: Option<CwDateTime>,
    /// `companyLocation` (SystemLocationReference).
    #[serde(
        rename = "companyLocation",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub company_location: Option<Reference>,
    /// `shipToCompany` (CompanyReference).
    #[serde(
        rename = "shipToCompany",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ship_to_company: Option<Reference>,
    /// `shipToContact` (ContactReference).
    #[serde(
        rename = "shipToContact",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ship_to_contact: Option<Reference>,
    /// `shipToSite` (SiteReference).
    #[serde(
        rename = "shipToSite",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ship_to_site: Option<Reference>,
    /// `agreementStatus` (string, nullable): enum `Active` `Cancelled` `Expired` `Inactive`
    #[serde(
        rename = "agreementStatus",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub agreement_status: Option<AgreementStatus>,
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

record_traits!(Agreement);
