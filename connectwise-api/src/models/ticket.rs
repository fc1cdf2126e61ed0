//! Service tickets (`/service/tickets`).

use serde::{Deserialize, Serialize};

use super::common::{CustomFieldValue, Extra, Info, Reference};
use super::de;
use super::enums::{
    BillingMethod, BillingOption, KnowledgeBaseLinkType, Level, PredecessorType, RecordType,
};
use super::CwDateTime;

/// A service ticket (schema `Ticket`).
///
/// Every field is optional: the server leaves unset fields out, a `fields=` projection
/// returns a subset, and a restricted role can hide some. Unknown fields land in `extra`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    /// `id` (int32): server-assigned
    #[serde(
        rename = "id",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<i32>,
    /// `summary` (string): required on POST; max 100
    #[serde(rename = "summary", default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// `recordType` (string, nullable): enum `ProjectIssue` `ProjectTicket` `ServiceTicket`
    #[serde(
        rename = "recordType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub record_type: Option<RecordType>,
    /// `board` (BoardReference).
    #[serde(rename = "board", default, skip_serializing_if = "Option::is_none")]
    pub board: Option<Reference>,
    /// `status` (ServiceStatusReference).
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Reference>,
    /// `workRole` (WorkRoleReference).
    #[serde(rename = "workRole", default, skip_serializing_if = "Option::is_none")]
    pub work_role: Option<Reference>,
    /// `workType` (WorkTypeReference).
    #[serde(rename = "workType", default, skip_serializing_if = "Option::is_none")]
    pub work_type: Option<Reference>,
    /// `company` (CompanyReference): required on POST
    #[serde(rename = "company", default, skip_serializing_if = "Option::is_none")]
    pub company: Option<Reference>,
    /// `site` (SiteReference).
    #[serde(rename = "site", default, skip_serializing_if = "Option::is_none")]
    pub site: Option<Reference>,
    /// `siteName` (string).
    #[serde(rename = "siteName", default, skip_serializing_if = "Option::is_none")]
    pub site_name: Option<String>,
    /// `addressLine1` (string).
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
    /// `stateIdentifier` (string): free text state code
    #[serde(
        rename = "stateIdentifier",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub state_identifier: Option<String>,
    /// `zip` (string).
    #[serde(rename = "zip", default, skip_serializing_if = "Option::is_none")]
    pub zip: Option<String>,
    /// `country` (CountryReference).
    #[serde(rename = "country", default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Reference>,
    /// `contact` (ContactReference).
    #[serde(rename = "contact", default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Reference>,
    /// `contactName` (string).
    #[serde(
        rename = "contactName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub contact_name: Option<String>,
    /// `contactPhoneNumber` (string).
    #[serde(
        rename = "contactPhoneNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub contact_phone_number: Option<String>,
    /// `contactPhoneExtension` (string).
    #[serde(
        rename = "contactPhoneExtension",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub contact_phone_extension: Option<String>,
    /// `contactEmailAddress` (string).
    #[serde(
        rename = "contactEmailAddress",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub contact_email_address: Option<String>,
    /// `type` (ServiceTypeReference).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<Reference>,
    /// `subType` (ServiceSubTypeReference).
    #[serde(rename = "subType", default, skip_serializing_if = "Option::is_none")]
    pub sub_type: Option<Reference>,
    /// `item` (ServiceItemReference).
    #[serde(rename = "item", default, skip_serializing_if = "Option::is_none")]
    pub item: Option<Reference>,
    /// `team` (ServiceTeamReference).
    #[serde(rename = "team", default, skip_serializing_if = "Option::is_none")]
    pub team: Option<Reference>,
    /// `owner` (MemberReference).
    #[serde(rename = "owner", default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Reference>,
    /// `priority` (PriorityReference).
    #[serde(rename = "priority", default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Reference>,
    /// `serviceLocation` (ServiceLocationReference).
    #[serde(
        rename = "serviceLocation",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub service_location: Option<Reference>,
    /// `source` (ServiceSourceReference).
    #[serde(rename = "source", default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Reference>,
    /// `requiredDate` (date-time string).
    #[serde(
        rename = "requiredDate",
        default,
        deserialize_with = "de::date",
        skip_serializing_if = "Option::is_none"
    )]
    pub required_date: Option<CwDateTime>,
    /// `budgetHours` (double, nullable): real JSON shows `10.50`
    #[serde(
        rename = "budgetHours",
        default,
        deserialize_with = "de::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub budget_hours: Option<f64>,
    /// `opportunity` (OpportunityReference).
    #[serde(
        rename = "opportunity",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub opportunity: Option<Reference>,
    /// `agreement` (AgreementReference).
    #[serde(rename = "agreement", default, skip_serializing_if = "Option::is_none")]
    pub agreement: Option<Reference>,
    /// `agreementType` (string).
    #[serde(
        rename = "agreementType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub agreement_type: Option<String>,
    /// `severity` (string, nullable): enum `Low` `Medium` `High`; required on updates
    #[serde(rename = "severity", default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Level>,
    /// `impact` (string, nullable): enum `Low` `Medium` `High`; required on updates
    #[serde(rename = "impact", default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<Level>,
    /// `externalXRef` (string): irregular casing (`XRef`)
    #[serde(
        rename = "externalXRef",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub external_x_ref: Option<String>,
    /// `poNumber` (string).
    #[serde(rename = "poNumber", default, skip_serializing_if = "Option::is_none")]
    pub po_number: Option<String>,
    /// `knowledgeBaseCategoryId` (int32, nullable).
    #[serde(
        rename = "knowledgeBaseCategoryId",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub knowledge_base_category_id: Option<i32>,
    /// `knowledgeBaseSubCategoryId` (int32, nullable).
    #[serde(
        rename = "knowledgeBaseSubCategoryId",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub knowledge_base_sub_category_id: Option<i32>,
    /// `allowAllClientsPortalView` (bool, nullable).
    #[serde(
        rename = "allowAllClientsPortalView",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub allow_all_clients_portal_view: Option<bool>,
    /// `customerUpdatedFlag` (bool, nullable).
    #[serde(
        rename = "customerUpdatedFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub customer_updated_flag: Option<bool>,
    /// `automaticEmailContactFlag` (bool, nullable).
    #[serde(
        rename = "automaticEmailContactFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub automatic_email_contact_flag: Option<bool>,
    /// `automaticEmailResourceFlag` (bool, nullable).
    #[serde(
        rename = "automaticEmailResourceFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub automatic_email_resource_flag: Option<bool>,
    /// `automaticEmailCcFlag` (bool, nullable).
    #[serde(
        rename = "automaticEmailCcFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub automatic_email_cc_flag: Option<bool>,
    /// `automaticEmailCc` (string).
    #[serde(
        rename = "automaticEmailCc",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub automatic_email_cc: Option<String>,
    /// `initialDescription` (string): write-only, accepted on create and never returned
    #[serde(
        rename = "initialDescription",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub initial_description: Option<String>,
    /// `initialInternalAnalysis` (string): write-only (POST), never returned
    #[serde(
        rename = "initialInternalAnalysis",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub initial_internal_analysis: Option<String>,
    /// `initialResolution` (string): write-only (POST), never returned
    #[serde(
        rename = "initialResolution",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub initial_resolution: Option<String>,
    /// `initialDescriptionFrom` (string).
    #[serde(
        rename = "initialDescriptionFrom",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub initial_description_from: Option<String>,
    /// `contactEmailLookup` (string).
    #[serde(
        rename = "contactEmailLookup",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub contact_email_lookup: Option<String>,
    /// `processNotifications` (bool, nullable): set `false` to skip notification processing on
    /// add/update (default true)
    #[serde(
        rename = "processNotifications",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub process_notifications: Option<bool>,
    /// `skipCallback` (bool, nullable).
    #[serde(
        rename = "skipCallback",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub skip_callback: Option<bool>,
    /// `closedDate` (string): plain `string` in the spec; ISO timestamp in practice
    #[serde(
        rename = "closedDate",
        default,
        deserialize_with = "de::date",
        skip_serializing_if = "Option::is_none"
    )]
    pub closed_date: Option<CwDateTime>,
    /// `closedBy` (string).
    #[serde(rename = "closedBy", default, skip_serializing_if = "Option::is_none")]
    pub closed_by: Option<String>,
    /// `closedFlag` (bool, nullable).
    #[serde(
        rename = "closedFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub closed_flag: Option<bool>,
    /// `actualHours` (double, nullable).
    #[serde(
        rename = "actualHours",
        default,
        deserialize_with = "de::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub actual_hours: Option<f64>,
    /// `approved` (bool, nullable).
    #[serde(rename = "approved", default, skip_serializing_if = "Option::is_none")]
    pub approved: Option<bool>,
    /// `estimatedExpenseCost` (double, nullable).
    #[serde(
        rename = "estimatedExpenseCost",
        default,
        deserialize_with = "de::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub estimated_expense_cost: Option<f64>,
    /// `estimatedExpenseRevenue` (double, nullable).
    #[serde(
        rename = "estimatedExpenseRevenue",
        default,
        deserialize_with = "de::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub estimated_expense_revenue: Option<f64>,
    /// `estimatedProductCost` (double, nullable).
    #[serde(
        rename = "estimatedProductCost",
        default,
        deserialize_with = "de::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub estimated_product_cost: Option<f64>,
    /// `estimatedProductRevenue` (double, nullable).
    #[serde(
        rename = "estimatedProductRevenue",
        default,
        deserialize_with = "de::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub estimated_product_revenue: Option<f64>,
    /// `estimatedTimeCost` (double, nullable).
    #[serde(
        rename = "estimatedTimeCost",
        default,
        deserialize_with = "de::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub estimated_time_cost: Option<f64>,
    /// `estimatedTimeRevenue` (double, nullable).
    #[serde(
        rename = "estimatedTimeRevenue",
        default,
        deserialize_with = "de::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub estimated_time_revenue: Option<f64>,
    /// `billingMethod` (string, nullable): enum `ActualRates` `FixedFee` `NotToExceed`
    /// `OverrideRate`
    #[serde(
        rename = "billingMethod",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub billing_method: Option<BillingMethod>,
    /// `billingAmount` (double, nullable).
    #[serde(
        rename = "billingAmount",
        default,
        deserialize_with = "de::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub billing_amount: Option<f64>,
    /// `hourlyRate` (double, nullable).
    #[serde(
        rename = "hourlyRate",
        default,
        deserialize_with = "de::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub hourly_rate: Option<f64>,
    /// `subBillingMethod` (string, nullable): same enum as `billingMethod`
    #[serde(
        rename = "subBillingMethod",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sub_billing_method: Option<BillingMethod>,
    /// `subBillingAmount` (double, nullable).
    #[serde(
        rename = "subBillingAmount",
        default,
        deserialize_with = "de::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub sub_billing_amount: Option<f64>,
    /// `subDateAccepted` (string): plain `string` in the spec
    #[serde(
        rename = "subDateAccepted",
        default,
        deserialize_with = "de::date",
        skip_serializing_if = "Option::is_none"
    )]
    pub sub_date_accepted: Option<CwDateTime>,
    /// `dateResolved` (string): plain `string` in the spec
    #[serde(
        rename = "dateResolved",
        default,
        deserialize_with = "de::date",
        skip_serializing_if = "Option::is_none"
    )]
    pub date_resolved: Option<CwDateTime>,
    /// `dateResplan` (string): plain `string` in the spec; real value `2022-09-02T08:29:34Z`
    #[serde(
        rename = "dateResplan",
        default,
        deserialize_with = "de::date",
        skip_serializing_if = "Option::is_none"
    )]
    pub date_resplan: Option<CwDateTime>,
    /// `dateResponded` (string): plain `string` in the spec
    #[serde(
        rename = "dateResponded",
        default,
        deserialize_with = "de::date",
        skip_serializing_if = "Option::is_none"
    )]
    pub date_responded: Option<CwDateTime>,
    /// `resolveMinutes` (int32, nullable): current SLA figures: GET by id or
    /// `/service/tickets/calculateSLA`
    #[serde(
        rename = "resolveMinutes",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub resolve_minutes: Option<i32>,
    /// `resPlanMinutes` (int32, nullable): irregular casing (`resPlan…` here, `resplan…`
    /// elsewhere)
    #[serde(
        rename = "resPlanMinutes",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub res_plan_minutes: Option<i32>,
    /// `respondMinutes` (int32, nullable).
    #[serde(
        rename = "respondMinutes",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub respond_minutes: Option<i32>,
    /// `isInSla` (bool, nullable).
    #[serde(rename = "isInSla", default, skip_serializing_if = "Option::is_none")]
    pub is_in_sla: Option<bool>,
    /// `knowledgeBaseLinkId` (int32, nullable).
    #[serde(
        rename = "knowledgeBaseLinkId",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub knowledge_base_link_id: Option<i32>,
    /// `resources` (string).
    #[serde(rename = "resources", default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<String>,
    /// `parentTicketId` (int32, nullable).
    #[serde(
        rename = "parentTicketId",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub parent_ticket_id: Option<i32>,
    /// `hasChildTicket` (bool, nullable).
    #[serde(
        rename = "hasChildTicket",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub has_child_ticket: Option<bool>,
    /// `hasMergedChildTicketFlag` (bool, nullable).
    #[serde(
        rename = "hasMergedChildTicketFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub has_merged_child_ticket_flag: Option<bool>,
    /// `knowledgeBaseLinkType` (string, nullable): enum `Activity` `ProjectIssue`
    /// `KnowledgeBaseArticle` `ProjectTicket` `ServiceTicket` `Time`
    #[serde(
        rename = "knowledgeBaseLinkType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub knowledge_base_link_type: Option<KnowledgeBaseLinkType>,
    /// `billTime` (string, nullable): enum `Billable` `DoNotBill` `NoCharge` `NoDefault`
    #[serde(rename = "billTime", default, skip_serializing_if = "Option::is_none")]
    pub bill_time: Option<BillingOption>,
    /// `billExpenses` (string, nullable): same enum as `billTime`
    #[serde(
        rename = "billExpenses",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub bill_expenses: Option<BillingOption>,
    /// `billProducts` (string, nullable): same enum as `billTime`
    #[serde(
        rename = "billProducts",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub bill_products: Option<BillingOption>,
    /// `predecessorType` (string, nullable): enum `Ticket` `Phase`
    #[serde(
        rename = "predecessorType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub predecessor_type: Option<PredecessorType>,
    /// `predecessorId` (int32, nullable).
    #[serde(
        rename = "predecessorId",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub predecessor_id: Option<i32>,
    /// `predecessorClosedFlag` (bool, nullable).
    #[serde(
        rename = "predecessorClosedFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub predecessor_closed_flag: Option<bool>,
    /// `lagDays` (int32, nullable).
    #[serde(
        rename = "lagDays",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub lag_days: Option<i32>,
    /// `lagNonworkingDaysFlag` (bool, nullable).
    #[serde(
        rename = "lagNonworkingDaysFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub lag_nonworking_days_flag: Option<bool>,
    /// `estimatedStartDate` (date-time string).
    #[serde(
        rename = "estimatedStartDate",
        default,
        deserialize_with = "de::date",
        skip_serializing_if = "Option::is_none"
    )]
    pub estimated_start_date: Option<CwDateTime>,
    /// `duration` (int32, nullable).
    #[serde(
        rename = "duration",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub duration: Option<i32>,
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
    /// `mobileGuid` (string, nullable): UUID
    #[serde(
        rename = "mobileGuid",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub mobile_guid: Option<String>,
    /// `sla` (SLAReference).
    #[serde(rename = "sla", default, skip_serializing_if = "Option::is_none")]
    pub sla: Option<Reference>,
    /// `slaStatus` (string): human-readable display text (e.g. `Resolve by Tue 10/04 11:00 PM
    /// UTC-05`); do not parse as a date
    #[serde(rename = "slaStatus", default, skip_serializing_if = "Option::is_none")]
    pub sla_status: Option<String>,
    /// `requestForChangeFlag` (bool, nullable).
    #[serde(
        rename = "requestForChangeFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub request_for_change_flag: Option<bool>,
    /// `currency` (CurrencyReference).
    #[serde(rename = "currency", default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Reference>,
    /// `mergedParentTicket` (TicketReference).
    #[serde(
        rename = "mergedParentTicket",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub merged_parent_ticket: Option<Reference>,
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
    /// `escalationStartDateUTC` (string): irregular casing (`UTC`); plain `string` in the spec
    #[serde(
        rename = "escalationStartDateUTC",
        default,
        deserialize_with = "de::date",
        skip_serializing_if = "Option::is_none"
    )]
    pub escalation_start_date_utc: Option<CwDateTime>,
    /// `escalationLevel` (int32, nullable).
    #[serde(
        rename = "escalationLevel",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub escalation_level: Option<i32>,
    /// `minutesBeforeWaiting` (int32, nullable).
    #[serde(
        rename = "minutesBeforeWaiting",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub minutes_before_waiting: Option<i32>,
    /// `respondedSkippedMinutes` (int32, nullable).
    #[serde(
        rename = "respondedSkippedMinutes",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub responded_skipped_minutes: Option<i32>,
    /// `resplanSkippedMinutes` (int32, nullable): lower-case `resplan`
    #[serde(
        rename = "resplanSkippedMinutes",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub resplan_skipped_minutes: Option<i32>,
    /// `respondedHours` (double, nullable).
    #[serde(
        rename = "respondedHours",
        default,
        deserialize_with = "de::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub responded_hours: Option<f64>,
    /// `respondedBy` (string).
    #[serde(
        rename = "respondedBy",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub responded_by: Option<String>,
    /// `resplanHours` (double, nullable): lower-case `resplan`
    #[serde(
        rename = "resplanHours",
        default,
        deserialize_with = "de::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub resplan_hours: Option<f64>,
    /// `resplanBy` (string): lower-case `resplan`
    #[serde(rename = "resplanBy", default, skip_serializing_if = "Option::is_none")]
    pub resplan_by: Option<String>,
    /// `resolutionHours` (double, nullable).
    #[serde(
        rename = "resolutionHours",
        default,
        deserialize_with = "de::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub resolution_hours: Option<f64>,
    /// `resolvedBy` (string).
    #[serde(
        rename = "resolvedBy",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub resolved_by: Option<String>,
    /// `minutesWaiting` (int32, nullable).
    #[serde(
        rename = "minutesWaiting",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub minutes_waiting: Option<i32>,
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

record_traits!(Ticket);
