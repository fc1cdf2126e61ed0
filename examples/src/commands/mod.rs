//! One module per command of `cw-ap-sync`.

pub mod discover;
pub mod history;
pub mod init;
pub mod run;
pub mod test_connection;
pub mod validate;
