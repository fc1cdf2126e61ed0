//! What an account holds before any object exists: groups, their fields and statuses.

use std::fmt;

/// The kind of a field, as the fields endpoint reports it in `type`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldType {
    /// Free text (`text`).
    Text,
    /// Long free text (`text_area`).
    TextArea,
    /// A number, stored and served as a string (`number`).
    Number,
    /// An amount of money, stored and served as a string (`currency`).
    Currency,
    /// A date in the account's date format (`date`).
    Date,
    /// A dropdown whose items have ids; served as `{"id", "value"}` (`list`).
    List,
    /// The group's status; written as a status id, served as `{"id", "value"}` (`status`).
    Status,
    /// A link to an object of another group; written as that object's id (`group_list`).
    GroupList {
        /// The group the linked objects belong to.
        group_id: u64,
    },
    /// Yes or no, served as a JSON boolean (`yes_no`).
    YesNo,
    /// Any other kind, treated as text; the string is what `type` reports.
    Other(String),
}

impl FieldType {
    /// The string the fields endpoint reports in `type`.
    pub fn as_str(&self) -> &str {
        match self {
            FieldType::Text => "text",
            FieldType::TextArea => "text_area",
            FieldType::Number => "number",
            FieldType::Currency => "currency",
            FieldType::Date => "date",
            FieldType::List => "list",
            FieldType::Status => "status",
            FieldType::GroupList { .. } => "group_list",
            FieldType::YesNo => "yes_no",
            FieldType::Other(name) => name,
        }
    }
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One field of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSpec {
    /// The machine key used in object payloads (`field_10`).
    pub key: String,
    /// The label users see ("Serial Number"); used in error messages.
    pub name: String,
    /// What the field holds.
    pub field_type: FieldType,
    /// A create without a value for it is refused with 422.
    pub required: bool,
    /// A value already held by another object of the group is refused with 422. The real
    /// server enforces this without reporting it, so the fields endpoint does not show it.
    pub unique: bool,
    /// For list fields: the items known from the start. Unknown text written to a list
    /// field becomes a new item.
    pub options: Vec<String>,
}

impl FieldSpec {
    /// A field of any type.
    pub fn new(key: impl Into<String>, name: impl Into<String>, field_type: FieldType) -> Self {
        FieldSpec {
            key: key.into(),
            name: name.into(),
            field_type,
            required: false,
            unique: false,
            options: Vec::new(),
        }
    }

    /// A text field.
    pub fn text(key: impl Into<String>, name: impl Into<String>) -> Self {
        FieldSpec::new(key, name, FieldType::Text)
    }

    /// A date field.
    pub fn date(key: impl Into<String>, name: impl Into<String>) -> Self {
        FieldSpec::new(key, name, FieldType::Date)
    }

    /// A number field.
    pub fn number(key: impl Into<String>, name: impl Into<String>) -> Self {
        FieldSpec::new(key, name, FieldType::Number)
    }

    /// A list field with the given items.
    pub fn list<S: Into<String>>(
        key: impl Into<String>,
        name: impl Into<String>,
        options: impl IntoIterator<Item = S>,
    ) -> Self {
        let mut spec = FieldSpec::new(key, name, FieldType::List);
        spec.options = options.into_iter().map(Into::into).collect();
        spec
    }

    /// The status field; its values are the group's statuses.
    pub fn status(key: impl Into<String>, name: impl Into<String>) -> Self {
        FieldSpec::new(key, name, FieldType::Status)
    }

    /// A link to objects of group `group_id`.
    pub fn link(key: impl Into<String>, name: impl Into<String>, group_id: u64) -> Self {
        FieldSpec::new(key, name, FieldType::GroupList { group_id })
    }

    /// Marks the field required.
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// Marks the field unique within its group.
    pub fn unique(mut self) -> Self {
        self.unique = true;
        self
    }
}

/// One status of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusSpec {
    /// The status id; written to the status field as a string.
    pub id: u64,
    /// The label ("Available").
    pub name: String,
}

/// A group (a collection of objects) with its fields and statuses.
///
/// The first status added is the default one, given to new objects that name none. The
/// display field (the first field unless set) gives `display_name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupSpec {
    /// The group id used in every object path.
    pub id: u64,
    /// The label ("Devices").
    pub name: String,
    /// The slug ("devices").
    pub key: String,
    /// The fields, in the order the fields endpoint lists them.
    pub fields: Vec<FieldSpec>,
    /// The statuses; the first is the default.
    pub statuses: Vec<StatusSpec>,
    /// The key of the field that gives `display_name`; the first field when unset.
    pub display_field: Option<String>,
    /// The key of the field that gives `secondary_name`, if any.
    pub secondary_field: Option<String>,
}

impl GroupSpec {
    /// An empty group.
    pub fn new(id: u64, name: impl Into<String>, key: impl Into<String>) -> Self {
        GroupSpec {
            id,
            name: name.into(),
            key: key.into(),
            fields: Vec::new(),
            statuses: Vec::new(),
            display_field: None,
            secondary_field: None,
        }
    }

    /// Adds a field.
    pub fn field(mut self, field: FieldSpec) -> Self {
        self.fields.push(field);
        self
    }

    /// Adds a status; the first one added is the default.
    pub fn status(mut self, id: u64, name: impl Into<String>) -> Self {
        self.statuses.push(StatusSpec {
            id,
            name: name.into(),
        });
        self
    }

    /// Sets the field that gives `display_name`.
    pub fn display_field(mut self, key: impl Into<String>) -> Self {
        self.display_field = Some(key.into());
        self
    }

    /// Sets the field that gives `secondary_name`.
    pub fn secondary_field(mut self, key: impl Into<String>) -> Self {
        self.secondary_field = Some(key.into());
        self
    }

    /// The field with key `key`.
    pub fn field_by_key(&self, key: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// The field with label `name` (exact match).
    pub fn field_by_name(&self, name: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Group 139300 "Devices", the target of ConnectWise configurations.
    ///
    /// `field_1` Name (required), `field_3` Manufacturer (list), `field_4` Model,
    /// `field_10` Serial Number, `field_11` Status, `field_12` Notes, `field_20` CW ID
    /// (unique), `field_31` Warranty Expires (date), `field_40` Company (link to group
    /// 139301), `field_41` IP Address, `field_50` Type (list), `field_51` Company
    /// Identifier, `field_52` Site, `field_60` Seats (number), `field_144` MAC Address and
    /// `field_150` MAC-Address. Statuses 88101 Available (default), 88102 Assigned, 88103 In
    /// Repair, 88104 Retired. It links to [`GroupSpec::companies`], so add that group too.
    pub fn devices() -> Self {
        let types = [
            "Workstation",
            "Laptop",
            "Server",
            "Printer",
            "Firewall",
            "Switch",
        ];
        let makers = ["Example Devices Inc", "Example Virtualization"];
        GroupSpec::new(139300, "Devices", "devices")
            .field(FieldSpec::text("field_1", "Name").required())
            .field(FieldSpec::list("field_3", "Manufacturer", makers))
            .field(FieldSpec::text("field_4", "Model"))
            .field(FieldSpec::text("field_10", "Serial Number"))
            .field(FieldSpec::status("field_11", "Status"))
            .field(FieldSpec::new("field_12", "Notes", FieldType::TextArea))
            .field(FieldSpec::text("field_20", "CW ID").unique())
            .field(FieldSpec::date("field_31", "Warranty Expires"))
            .field(FieldSpec::link("field_40", "Company", 139301))
            .field(FieldSpec::text("field_41", "IP Address"))
            .field(FieldSpec::list("field_50", "Type", types))
            .field(FieldSpec::text("field_51", "Company Identifier"))
            .field(FieldSpec::text("field_52", "Site"))
            .field(FieldSpec::number("field_60", "Seats"))
            .field(FieldSpec::text("field_144", "MAC Address"))
            .field(FieldSpec::text("field_150", "MAC-Address"))
            .status(88101, "Available")
            .status(88102, "Assigned")
            .status(88103, "In Repair")
            .status(88104, "Retired")
            .secondary_field("field_10")
    }

    /// Group 139301 "Companies", the target of ConnectWise companies.
    ///
    /// `field_1` Name (required), `field_2` Identifier, `field_3` City, `field_4` State,
    /// `field_5` Zip, `field_6` Phone, `field_7` Website, `field_11` Status, `field_20` CW ID
    /// (unique). Statuses 88201 Active (default) and 88202 Inactive.
    pub fn companies() -> Self {
        GroupSpec::new(139301, "Companies", "companies")
            .field(FieldSpec::text("field_1", "Name").required())
            .field(FieldSpec::text("field_2", "Identifier"))
            .field(FieldSpec::text("field_3", "City"))
            .field(FieldSpec::text("field_4", "State"))
            .field(FieldSpec::text("field_5", "Zip"))
            .field(FieldSpec::text("field_6", "Phone"))
            .field(FieldSpec::text("field_7", "Website"))
            .field(FieldSpec::status("field_11", "Status"))
            .field(FieldSpec::text("field_20", "CW ID").unique())
            .status(88201, "Active")
            .status(88202, "Inactive")
            .secondary_field("field_2")
    }

    /// Group 139302 "Tickets", the target of ConnectWise tickets.
    ///
    /// `field_1` Summary (required), `field_11` Status, `field_20` CW ID (unique),
    /// `field_30` Severity, `field_40` Company (link to group 139301). Statuses 88301 Open
    /// (default) and 88302 Closed. It links to [`GroupSpec::companies`], so add that group
    /// too.
    pub fn tickets() -> Self {
        GroupSpec::new(139302, "Tickets", "tickets")
            .field(FieldSpec::text("field_1", "Summary").required())
            .field(FieldSpec::status("field_11", "Status"))
            .field(FieldSpec::text("field_20", "CW ID").unique())
            .field(FieldSpec::text("field_30", "Severity"))
            .field(FieldSpec::link("field_40", "Company", 139301))
            .status(88301, "Open")
            .status(88302, "Closed")
    }
}
