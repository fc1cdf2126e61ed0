//! `sync-bench`: measures a sync between the fake ConnectWise and the fake Asset Panda
//! (requests by endpoint against their lower bound, bytes with and without projection,
//! time and peak memory), and the cost of decoding a listing against a plain HTTP loop.
//!
//! ```text
//! cargo run --release --bin sync-bench -- --records 100000
//! ```

#[path = "../bench/mod.rs"]
mod bench;

fn main() -> std::process::ExitCode {
    bench::main()
}
