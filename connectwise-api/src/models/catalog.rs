//! Product catalog items (`/procurement/catalog`).

use serde::{Deserialize, Serialize};

use super::common::{CustomFieldValue, Extra, Info, Reference};
use super::de;
use super::enums::{BillingOption, CycleBasis, PriceAttribute, ProductClass};

/// A product catalog item (schema `CatalogItem`).
///
/// Every field is optional: the server leaves unset fields out, a `fields=` projection
/// returns a subset, and a restricted role can hide some. Unknown fields land in `extra`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CatalogItem {
    /// `id` (int32): server-assigned
    #[serde(
        rename = "id",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<i32>,
    /// `identifier` (string): required on POST; max 75
    #[serde(
        rename = "identifier",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub identifier: Option<String>,
    /// `description` (string): required on POST; max 60
    #[serde(
        rename = "description",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    /// `inactiveFlag` (bool, nullable).
    #[serde(
        rename = "inactiveFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub inactive_flag: Option<bool>,
    /// `subcategory` (ProductSubCategoryReference): required on POST
    #[serde(
        rename = "subcategory",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub subcategory: Option<Reference>,
    /// `type` (ProductTypeReference): required on POST
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<Reference>,
    /// `productClass` (string, nullable): enum `Agreement` `Bundle` `Inventory` `NonInventory`
    /// `Service`; defaults to NonInventory
    #[serde(
        rename = "productClass",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub product_class: Option<ProductClass>,
    /// `serializedFlag` (bool, nullable).
    #[serde(
        rename = "serializedFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub serialized_flag: Option<bool>,
    /// `serializedCostFlag` (bool, nullable).
    #[serde(
        rename = "serializedCostFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub serialized_cost_flag: Option<bool>,
    /// `phaseProductFlag` (bool, nullable).
    #[serde(
        rename = "phaseProductFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub phase_product_flag: Option<bool>,
    /// `unitOfMeasure` (UnitOfMeasureReference).
    #[serde(
        rename = "unitOfMeasure",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub unit_of_measure: Option<Reference>,
    /// `minStockLevel` (int32, nullable).
    #[serde(
        rename = "minStockLevel",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub min_stock_level: Option<i32>,
    /// `price` (double, nullable).
    #[serde(
        rename = "price",
        default,
        deserialize_with = "de::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub price: Option<f64>,
    /// `cost` (double, nullable).
    #[serde(
        rename = "cost",
        default,
        deserialize_with = "de::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub cost: Option<f64>,
    /// `priceAttribute` (string, nullable): enum `FixedFee` `NotToExceed` `OverrideRate`
    /// `TimeAndMaterials`
    #[serde(
        rename = "priceAttribute",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub price_attribute: Option<PriceAttribute>,
    /// `taxableFlag` (bool, nullable).
    #[serde(
        rename = "taxableFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub taxable_flag: Option<bool>,
    /// `dropShipFlag` (bool, nullable).
    #[serde(
        rename = "dropShipFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub drop_ship_flag: Option<bool>,
    /// `specialOrderFlag` (bool, nullable).
    #[serde(
        rename = "specialOrderFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub special_order_flag: Option<bool>,
    /// `customerDescription` (string): required on POST; max 6000
    #[serde(
        rename = "customerDescription",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub customer_description: Option<String>,
    /// `manufacturer` (ManufacturerReference).
    #[serde(
        rename = "manufacturer",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub manufacturer: Option<Reference>,
    /// `manufacturerPartNumber` (string).
    #[serde(
        rename = "manufacturerPartNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub manufacturer_part_number: Option<String>,
    /// `vendor` (CompanyReference).
    #[serde(rename = "vendor", default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<Reference>,
    /// `vendorSku` (string).
    #[serde(rename = "vendorSku", default, skip_serializing_if = "Option::is_none")]
    pub vendor_sku: Option<String>,
    /// `notes` (string).
    #[serde(rename = "notes", default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// `integrationXRef` (string): irregular casing (`XRef`, where other models use `Xref`)
    #[serde(
        rename = "integrationXRef",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub integration_x_ref: Option<String>,
    /// `sla` (SLAReference).
    #[serde(rename = "sla", default, skip_serializing_if = "Option::is_none")]
    pub sla: Option<Reference>,
    /// `entityType` (EntityTypeReference).
    #[serde(
        rename = "entityType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub entity_type: Option<Reference>,
    /// `recurringFlag` (bool, nullable).
    #[serde(
        rename = "recurringFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub recurring_flag: Option<bool>,
    /// `recurringRevenue` (double, nullable).
    #[serde(
        rename = "recurringRevenue",
        default,
        deserialize_with = "de::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub recurring_revenue: Option<f64>,
    /// `recurringCost` (double, nullable).
    #[serde(
        rename = "recurringCost",
        default,
        deserialize_with = "de::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub recurring_cost: Option<f64>,
    /// `recurringOneTimeFlag` (bool, nullable).
    #[serde(
        rename = "recurringOneTimeFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub recurring_one_time_flag: Option<bool>,
    /// `recurringBillCycle` (BillingCycleReference).
    #[serde(
        rename = "recurringBillCycle",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub recurring_bill_cycle: Option<Reference>,
    /// `recurringCycleType` (string, nullable): enum `ContractYear` `CalendarYear`
    #[serde(
        rename = "recurringCycleType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub recurring_cycle_type: Option<CycleBasis>,
    /// `calculatedPriceFlag` (bool, nullable).
    #[serde(
        rename = "calculatedPriceFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub calculated_price_flag: Option<bool>,
    /// `calculatedCostFlag` (bool, nullable).
    #[serde(
        rename = "calculatedCostFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub calculated_cost_flag: Option<bool>,
    /// `category` (ProductCategoryReference).
    #[serde(rename = "category", default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Reference>,
    /// `calculatedPrice` (double, nullable).
    #[serde(
        rename = "calculatedPrice",
        default,
        deserialize_with = "de::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub calculated_price: Option<f64>,
    /// `calculatedCost` (double, nullable).
    #[serde(
        rename = "calculatedCost",
        default,
        deserialize_with = "de::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub calculated_cost: Option<f64>,
    /// `billableOption` (string, nullable): enum `Billable` `DoNotBill` `NoCharge` `NoDefault`
    #[serde(
        rename = "billableOption",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub billable_option: Option<BillingOption>,
    /// `connectWiseID` (string): irregular casing (`ID`, where `CustomFieldValue` uses
    /// `connectWiseId`)
    #[serde(
        rename = "connectWiseID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub connect_wise_id: Option<String>,
    /// `agreementType` (AgreementTypeReference).
    #[serde(
        rename = "agreementType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub agreement_type: Option<Reference>,
    /// `markupPercentage` (double, nullable).
    #[serde(
        rename = "markupPercentage",
        default,
        deserialize_with = "de::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub markup_percentage: Option<f64>,
    /// `markupFlag` (bool, nullable).
    #[serde(
        rename = "markupFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub markup_flag: Option<bool>,
    /// `autoUpdateUnitCostFlag` (bool, nullable).
    #[serde(
        rename = "autoUpdateUnitCostFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub auto_update_unit_cost_flag: Option<bool>,
    /// `autoUpdateUnitPriceFlag` (bool, nullable).
    #[serde(
        rename = "autoUpdateUnitPriceFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub auto_update_unit_price_flag: Option<bool>,
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

record_traits!(CatalogItem);
