//! `cw-ap-sync`: keeps Asset Panda groups in step with a ConnectWise Manage account.
//! Run `cw-ap-sync --help` for the commands.

fn main() -> std::process::ExitCode {
    cw_ap_examples::app::main()
}
