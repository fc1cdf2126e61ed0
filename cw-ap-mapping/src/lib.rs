//! Mapping configuration, validation, filters and sync planning from ConnectWise records to
//! Asset Panda objects, with a sync engine written against traits and no HTTP dependency.
