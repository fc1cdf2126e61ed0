//! The open enums of the models. Each keeps a value it does not know as `Unknown`.

use super::de::open_enum;

open_enum!(
    /// What an agreement's application limit counts.
    ApplicationUnits { Amount = "Amount", Hours = "Hours", Incidents = "Incidents" }
);

open_enum!(
    /// The period an agreement's application limit applies to.
    ApplicationCycle {
        Contract2Weeks = "Contract2Weeks",
        Contract4Weeks = "Contract4Weeks",
        ContractYear = "ContractYear",
        CalendarMonth = "CalendarMonth",
        CalendarQuarter = "CalendarQuarter",
        CalendarWeek = "CalendarWeek",
        ContractQuarter = "ContractQuarter",
        CalendarYear = "CalendarYear",
    }
);

open_enum!(
    /// How employees are compensated under an agreement.
    EmployeeCompRate { Actual = "Actual", Hourly = "Hourly" }
);

open_enum!(
    /// What employee compensation may not exceed.
    EmployeeCompNotExceed { Billing = "Billing", Amount = "Amount", Percent = "Percent" }
);

open_enum!(
    /// Whether a yearly cycle follows the contract year or the calendar year.
    CycleBasis { ContractYear = "ContractYear", CalendarYear = "CalendarYear" }
);

open_enum!(
    /// How time, expenses or products are billed.
    BillingOption {
        Billable = "Billable",
        DoNotBill = "DoNotBill",
        NoCharge = "NoCharge",
        NoDefault = "NoDefault",
    }
);

open_enum!(
    /// Which periods an agreement addition covers.
    PeriodType { Current = "Current", Future = "Future", Both = "Both", Undefined = "Undefined" }
);

open_enum!(
    /// The state of an agreement.
    AgreementStatus {
        Active = "Active",
        Cancelled = "Cancelled",
        Expired = "Expired",
        Inactive = "Inactive",
    }
);

open_enum!(
    /// The class of a catalog product.
    ProductClass {
        Agreement = "Agreement",
        Bundle = "Bundle",
        Inventory = "Inventory",
        NonInventory = "NonInventory",
        Service = "Service",
    }
);

open_enum!(
    /// How a catalog product is priced.
    PriceAttribute {
        FixedFee = "FixedFee",
        NotToExceed = "NotToExceed",
        OverrideRate = "OverrideRate",
        TimeAndMaterials = "TimeAndMaterials",
    }
);

open_enum!(
    /// The kind of a ticket record.
    RecordType {
        ProjectIssue = "ProjectIssue",
        ProjectTicket = "ProjectTicket",
        ServiceTicket = "ServiceTicket",
    }
);

open_enum!(
    /// A ticket's severity or impact.
    Level { Low = "Low", Medium = "Medium", High = "High" }
);

open_enum!(
    /// How a ticket is billed.
    BillingMethod {
        ActualRates = "ActualRates",
        FixedFee = "FixedFee",
        NotToExceed = "NotToExceed",
        OverrideRate = "OverrideRate",
    }
);

open_enum!(
    /// What a ticket's knowledge-base link points at.
    KnowledgeBaseLinkType {
        Activity = "Activity",
        ProjectIssue = "ProjectIssue",
        KnowledgeBaseArticle = "KnowledgeBaseArticle",
        ProjectTicket = "ProjectTicket",
        ServiceTicket = "ServiceTicket",
        Time = "Time",
    }
);

open_enum!(
    /// What a ticket's predecessor is.
    PredecessorType { Ticket = "Ticket", Phase = "Phase" }
);

open_enum!(
    /// The type of a configuration question.
    QuestionFieldType {
        TextArea = "TextArea",
        Currency = "Currency",
        Date = "Date",
        Hyperlink = "Hyperlink",
        IpAddress = "IPAddress",
        Checkbox = "Checkbox",
        Number = "Number",
        Percent = "Percent",
        Text = "Text",
        Password = "Password",
    }
);
