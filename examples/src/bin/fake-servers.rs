//! `fake-servers`: a fake ConnectWise and a fake Asset Panda on fixed loopback ports, filled
//! with generated data, until Ctrl-C, so that `cw-ap-sync` or any other client can be
//! pointed at them.

use std::path::PathBuf;

use clap::builder::RangedU64ValueParser;
use clap::Parser;
use cw_ap_examples::cli::{MAX_COMPANIES, MAX_DEVICES};
use cw_ap_examples::demo::{self, DemoData};
use cw_ap_examples::output::Output;

/// Starts a fake ConnectWise Manage and a fake Asset Panda on loopback ports, filled with
/// generated data, and serves them until Ctrl-C.
///
/// It prints the environment variables and the cw-ap-sync configuration that reach them,
/// so that `cw-ap-sync plan`, `run` or any other client can be tried without real accounts.
#[derive(Debug, Parser)]
#[command(name = "fake-servers", version, max_term_width = 100)]
struct Args {
    /// The seed of the generated data.
    #[arg(long, default_value_t = 42)]
    seed: u64,

    /// Companies in the fake ConnectWise (1 to 100000).
    #[arg(
        long,
        default_value_t = 300,
        value_parser = RangedU64ValueParser::<usize>::new().range(1..=MAX_COMPANIES)
    )]
    companies: usize,

    /// Devices (configurations) in the fake ConnectWise (0 to 1000000).
    #[arg(
        long,
        default_value_t = 3000,
        value_parser = RangedU64ValueParser::<usize>::new().range(0..=MAX_DEVICES)
    )]
    devices: usize,

    /// The fake ConnectWise's port.
    #[arg(long, default_value_t = 18080)]
    cw_port: u16,

    /// The fake Asset Panda's port.
    #[arg(long, default_value_t = 18081)]
    ap_port: u16,

    /// Also write a cw-ap-sync configuration for these servers to this file.
    #[arg(long, value_name = "FILE")]
    write_config: Option<PathBuf>,
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let output = Output::stdio();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            output.eline(&format!("error: cannot start the async runtime: {e}"));
            return std::process::ExitCode::from(1);
        }
    };
    match runtime.block_on(serve(&args, &output)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            output.eline(&format!("error: {e}"));
            std::process::ExitCode::from(e.exit_status().code())
        }
    }
}

async fn serve(args: &Args, output: &Output) -> Result<(), cw_ap_examples::CliError> {
    let servers = demo::start(DemoData {
        seed: args.seed,
        companies: args.companies,
        devices: args.devices,
        cw_port: args.cw_port,
        ap_port: args.ap_port,
    })
    .await?;

    let config = format!("{}\n{}", servers.connections_toml(), demo::SAMPLE_JOBS);
    if let Some(path) = &args.write_config {
        std::fs::write(path, &config).map_err(|source| cw_ap_examples::CliError::Io {
            what: format!("writing {}", path.display()),
            source,
        })?;
    }

    output.line(&format!(
        "Fake ConnectWise: {} ({} companies, {} devices, seed {})",
        servers.cw.uri(),
        args.companies,
        args.devices,
        args.seed
    ));
    output.line(&format!(
        "Fake Asset Panda: {} (groups 139301 Companies and 139300 Devices, empty)",
        servers.ap.uri()
    ));
    output.line("\nThese are the fakes' own test credentials; point cw-ap-sync at them with:\n");
    for (name, value) in servers.env() {
        output.line(&format!("  export {name}='{value}'"));
    }
    match &args.write_config {
        Some(path) => output.line(&format!(
            "\nand the configuration written to {}:\n\n  cw-ap-sync -c {} plan",
            path.display(),
            path.display()
        )),
        None => output.line(&format!(
            "\nand a configuration holding (or rerun with --write-config FILE):\n\n{config}"
        )),
    }
    output.line("\nServing until Ctrl-C.");

    let _ = tokio::signal::ctrl_c().await;
    Ok(())
}
