//! `cw-ap-sync`: keeps Asset Panda groups in step with a ConnectWise Manage account.

fn main() {
    eprintln!("cw-ap-sync: the sync tool is not built yet");
    std::process::exit(2);
}
