//! Configurations (`/company/configurations`): the devices of a company.

use serde::{Deserialize, Serialize};

use super::common::{CustomFieldValue, Extra, Info, Reference};
use super::de;
use super::ConfigurationQuestion;
use super::CwDateTime;

/// A configuration, i.e. a device (schema `Company.Configuration`).
///
/// Every field is optional: the server leaves unset fields out, a `fields=` projection
/// returns a subset, and a restricted role can hide some. Unknown fields land in `extra`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Configuration {
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
    /// `type` (ConfigurationTypeReference): required on POST
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<Reference>,
    /// `status` (ConfigurationStatusReference).
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Reference>,
    /// `company` (CompanyReference): required on POST
    #[serde(rename = "company", default, skip_serializing_if = "Option::is_none")]
    pub company: Option<Reference>,
    /// `contact` (ContactReference).
    #[serde(rename = "contact", default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Reference>,
    /// `site` (SiteReference).
    #[serde(rename = "site", default, skip_serializing_if = "Option::is_none")]
    pub site: Option<Reference>,
    /// `locationId` (int32, nullable): bare id, no reference wrapper (compare `location`)
    #[serde(
        rename = "locationId",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub location_id: Option<i32>,
    /// `location` (SystemLocationReference).
    #[serde(rename = "location", default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Reference>,
    /// `businessUnitId` (int32, nullable): bare id, no reference wrapper
    #[serde(
        rename = "businessUnitId",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub business_unit_id: Option<i32>,
    /// `department` (SystemDepartmentReference).
    #[serde(
        rename = "department",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub department: Option<Reference>,
    /// `deviceIdentifier` (string): max 100
    #[serde(
        rename = "deviceIdentifier",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub device_identifier: Option<String>,
    /// `serialNumber` (string): max 250; the schema does not mark it unique
    #[serde(
        rename = "serialNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub serial_number: Option<String>,
    /// `modelNumber` (string): max 50
    #[serde(
        rename = "modelNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub model_number: Option<String>,
    /// `tagNumber` (string): max 50
    #[serde(rename = "tagNumber", default, skip_serializing_if = "Option::is_none")]
    pub tag_number: Option<String>,
    /// `purchaseDate` (date-time string).
    #[serde(
        rename = "purchaseDate",
        default,
        deserialize_with = "de::date",
        skip_serializing_if = "Option::is_none"
    )]
    pub purchase_date: Option<CwDateTime>,
    /// `installationDate` (date-time string).
    #[serde(
        rename = "installationDate",
        default,
        deserialize_with = "de::date",
        skip_serializing_if = "Option::is_none"
    )]
    pub installation_date: Option<CwDateTime>,
    /// `installedBy` (MemberReference).
    #[serde(
        rename = "installedBy",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub installed_by: Option<Reference>,
    /// `warrantyExpirationDate` (date-time string).
    #[serde(
        rename = "warrantyExpirationDate",
        default,
        deserialize_with = "de::date",
        skip_serializing_if = "Option::is_none"
    )]
    pub warranty_expiration_date: Option<CwDateTime>,
    /// `vendorNotes` (string).
    #[serde(
        rename = "vendorNotes",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub vendor_notes: Option<String>,
    /// `notes` (string).
    #[serde(rename = "notes", default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// `macAddress` (string): max 25
    #[serde(
        rename = "macAddress",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub mac_address: Option<String>,
    /// `lastLoginName` (string).
    #[serde(
        rename = "lastLoginName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_login_name: Option<String>,
    /// `billFlag` (bool, nullable).
    #[serde(rename = "billFlag", default, skip_serializing_if = "Option::is_none")]
    pub bill_flag: Option<bool>,
    /// `backupSuccesses` (int32, nullable).
    #[serde(
        rename = "backupSuccesses",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub backup_successes: Option<i32>,
    /// `backupIncomplete` (int32, nullable).
    #[serde(
        rename = "backupIncomplete",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub backup_incomplete: Option<i32>,
    /// `backupFailed` (int32, nullable).
    #[serde(
        rename = "backupFailed",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub backup_failed: Option<i32>,
    /// `backupRestores` (int32, nullable).
    #[serde(
        rename = "backupRestores",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub backup_restores: Option<i32>,
    /// `lastBackupDate` (date-time string).
    #[serde(
        rename = "lastBackupDate",
        default,
        deserialize_with = "de::date",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_backup_date: Option<CwDateTime>,
    /// `backupServerName` (string).
    #[serde(
        rename = "backupServerName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub backup_server_name: Option<String>,
    /// `backupBillableSpaceGb` (double, nullable).
    #[serde(
        rename = "backupBillableSpaceGb",
        default,
        deserialize_with = "de::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub backup_billable_space_gb: Option<f64>,
    /// `backupProtectedDeviceList` (string).
    #[serde(
        rename = "backupProtectedDeviceList",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub backup_protected_device_list: Option<String>,
    /// `backupYear` (int32, nullable).
    #[serde(
        rename = "backupYear",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub backup_year: Option<i32>,
    /// `backupMonth` (int32, nullable).
    #[serde(
        rename = "backupMonth",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub backup_month: Option<i32>,
    /// `ipAddress` (string): max 50; free text
    #[serde(rename = "ipAddress", default, skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
    /// `defaultGateway` (string).
    #[serde(
        rename = "defaultGateway",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub default_gateway: Option<String>,
    /// `osType` (string): max 250
    #[serde(rename = "osType", default, skip_serializing_if = "Option::is_none")]
    pub os_type: Option<String>,
    /// `osInfo` (string): max 250
    #[serde(rename = "osInfo", default, skip_serializing_if = "Option::is_none")]
    pub os_info: Option<String>,
    /// `cpuSpeed` (string): free text, not a number
    #[serde(rename = "cpuSpeed", default, skip_serializing_if = "Option::is_none")]
    pub cpu_speed: Option<String>,
    /// `ram` (string): free text, not a number
    #[serde(rename = "ram", default, skip_serializing_if = "Option::is_none")]
    pub ram: Option<String>,
    /// `localHardDrives` (string): free text
    #[serde(
        rename = "localHardDrives",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub local_hard_drives: Option<String>,
    /// `parentConfigurationId` (int32, nullable).
    #[serde(
        rename = "parentConfigurationId",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub parent_configuration_id: Option<i32>,
    /// `vendor` (CompanyReference).
    #[serde(rename = "vendor", default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<Reference>,
    /// `manufacturer` (ManufacturerReference).
    #[serde(
        rename = "manufacturer",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub manufacturer: Option<Reference>,
    /// `questions` (ConfigurationQuestion[]): configuration-type questions; see
    /// [`ConfigurationQuestion`]
    #[serde(rename = "questions", default, skip_serializing_if = "Option::is_none")]
    pub questions: Option<Vec<ConfigurationQuestion>>,
    /// `activeFlag` (bool, nullable).
    #[serde(
        rename = "activeFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub active_flag: Option<bool>,
    /// `managementLink` (string).
    #[serde(
        rename = "managementLink",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub management_link: Option<String>,
    /// `remoteLink` (string).
    #[serde(
        rename = "remoteLink",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub remote_link: Option<String>,
    /// `sla` (SLAReference).
    #[serde(rename = "sla", default, skip_serializing_if = "Option::is_none")]
    pub sla: Option<Reference>,
    /// `mobileGuid` (string, nullable): UUID
    #[serde(
        rename = "mobileGuid",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub mobile_guid: Option<String>,
    /// `displayVendorFlag` (bool, nullable).
    #[serde(
        rename = "displayVendorFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub display_vendor_flag: Option<bool>,
    /// `companyLocationId` (int32, nullable).
    #[serde(
        rename = "companyLocationId",
        default,
        deserialize_with = "de::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub company_location_id: Option<i32>,
    /// `showRemoteFlag` (bool, nullable).
    #[serde(
        rename = "showRemoteFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub show_remote_flag: Option<bool>,
    /// `showAutomateFlag` (bool, nullable).
    #[serde(
        rename = "showAutomateFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub show_automate_flag: Option<bool>,
    /// `needsRenewalFlag` (bool, nullable).
    #[serde(
        rename = "needsRenewalFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub needs_renewal_flag: Option<bool>,
    /// `manufacturerPartNumber` (string).
    #[serde(
        rename = "manufacturerPartNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub manufacturer_part_number: Option<String>,
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

record_traits!(Configuration);

impl Configuration {
    /// The location id, from the `location` reference when present, else from the bare
    /// `locationId`: servers send either shape, or both.
    pub fn location_ref_id(&self) -> Option<i32> {
        self.location
            .as_ref()
            .and_then(|l| l.id)
            .or(self.location_id)
    }
}
