//! Log setup: `tracing-subscriber` writing to standard error, its level chosen by `-v`/`-q`
//! or overridden by `RUST_LOG`, and kept clear of progress bars while they draw.

use std::io::{self, Write};

use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::EnvFilter;

use crate::progress;

/// The crates whose logs the tool shows at its default level.
const OUR_CRATES: [&str; 4] = [
    "cw_ap_examples",
    "cw_ap_mapping",
    "connectwise_api",
    "assetpanda_api",
];

/// The filter directive for a number of `-v` and `-q` flags.
///
/// No flag shows warnings from everything and information from this project; each `-v`
/// adds detail to this project's crates (debug, then trace), and `-q` keeps errors only
/// (`-qq` silences logs).
pub fn directive(verbose: u8, quiet: u8) -> String {
    let ours = match (verbose, quiet) {
        (_, q) if q >= 2 => "off",
        (_, 1) => "error",
        (0, _) => "info",
        (1, _) => "debug",
        _ => "trace",
    };
    let others = match (verbose, quiet) {
        (_, q) if q >= 2 => "off",
        (_, 1) => "error",
        (v, _) if v >= 3 => "debug",
        _ => "warn",
    };

    let mut parts = vec![others.to_owned()];
    parts.extend(OUR_CRATES.iter().map(|c| format!("{c}={ours}")));
    parts.join(",")
}

/// Installs the global subscriber. `RUST_LOG`, when set in `env`, replaces the level that
/// the flags chose. Calling it twice is harmless (the second call does nothing).
pub fn init(verbose: u8, quiet: u8, rust_log: Option<&str>) {
    let filter = rust_log
        .and_then(|spec| EnvFilter::try_new(spec).ok())
        .unwrap_or_else(|| EnvFilter::new(directive(verbose, quiet)));

    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(StderrAroundBars)
        .with_ansi(std::io::IsTerminal::is_terminal(&io::stderr()))
        .with_target(verbose >= 2)
        .try_init();
}

/// A writer to standard error that hides the progress bars while a line is written.
#[derive(Clone, Copy)]
struct StderrAroundBars;

impl<'a> MakeWriter<'a> for StderrAroundBars {
    type Writer = LineWriter;

    fn make_writer(&'a self) -> Self::Writer {
        LineWriter(Vec::new())
    }
}

/// Buffers one event and writes it whole when dropped.
struct LineWriter(Vec<u8>);

impl Write for LineWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for LineWriter {
    fn drop(&mut self) {
        let bytes = std::mem::take(&mut self.0);

        progress::suspend(|| {
            let _ = io::stderr().lock().write_all(&bytes);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_shows_our_info_and_others_warnings() {
        let d = directive(0, 0);

        assert!(d.starts_with("warn,"), "{d}");
        assert!(d.contains("cw_ap_examples=info"), "{d}");
        assert!(d.contains("connectwise_api=info"), "{d}");
    }

    #[test]
    fn verbosity_steps_up_and_quiet_wins() {
        assert!(directive(1, 0).contains("cw_ap_mapping=debug"));
        assert!(directive(2, 0).contains("assetpanda_api=trace"));
        assert!(directive(3, 0).starts_with("debug,"));
        assert!(directive(2, 1).contains("cw_ap_examples=error"));
        assert!(directive(0, 2).starts_with("off,"));
    }

    #[test]
    fn every_directive_parses() {
        for v in 0..4 {
            for q in 0..3 {
                assert!(EnvFilter::try_new(directive(v, q)).is_ok(), "v={v} q={q}");
            }
        }
    }
}
