//! The records of the five supported areas and the types they share.
//!
//! Every field is an `Option`, unknown fields are kept in `extra`, and re-encoding a
//! record leaves unset fields out, so the same types serve as request bodies.

/// Implements [`CustomFields`] and [`crate::ListItem`] for a record with an `id: Option<i32>`
/// (required in listings) and a `custom_fields: Option<Vec<CustomFieldValue>>`.
macro_rules! record_traits {
    ($record:ty) => {
        impl $crate::models::CustomFields for $record {
            fn custom_fields(&self) -> &[$crate::models::CustomFieldValue] {
                self.custom_fields.as_deref().unwrap_or_default()
            }
        }

        impl $crate::ListItem for $record {
            const REQUIRES_ID: bool = true;

            fn record_id(&self) -> Option<i64> {
                self.id.map(i64::from)
            }
        }
    };
}

mod agreement;
mod catalog;
mod common;
mod company;
mod configuration;
mod datetime;
pub(crate) mod de;
mod enums;
mod patch;
mod question;
mod ticket;

pub use agreement::Agreement;
pub use catalog::CatalogItem;
pub use common::{
    Count, CustomFieldType, CustomFieldValue, CustomFields, CustomValue, EntryMethod, Extra, Info,
    Reference,
};
pub use company::Company;
pub use configuration::Configuration;
pub use datetime::{CwDateTime, Parsed};
pub use enums::{
    AgreementStatus, ApplicationCycle, ApplicationUnits, BillingMethod, BillingOption, CycleBasis,
    EmployeeCompNotExceed, EmployeeCompRate, KnowledgeBaseLinkType, Level, PeriodType,
    PredecessorType, PriceAttribute, ProductClass, QuestionFieldType, RecordType,
};
pub(crate) use patch::patch_class;
pub use patch::{PatchKind, PatchOp};
pub use question::ConfigurationQuestion;
pub use ticket::Ticket;
