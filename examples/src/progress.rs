//! Progress display: `indicatif` spinners and bars when standard error is a terminal,
//! plain lines when it is not (a log file, a pipe, a CI job), nothing when asked for quiet.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The bars of this process, shared with the log writer so log lines do not tear them.
static BARS: OnceLock<MultiProgress> = OnceLock::new();

/// Runs `f` with the progress bars hidden, so that it can write to the terminal cleanly.
pub fn suspend<F: FnOnce()>(f: F) {
    match BARS.get() {
        Some(bars) => bars.suspend(f),
        None => f(),
    }
}

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressMode {
    /// Animated bars on a terminal.
    Bars,
    /// One line per stage start, every `PLAIN_EVERY` items, and stage end.
    Plain,
    /// Nothing at all.
    Silent,
}

impl ProgressMode {
    /// Bars when standard error is a terminal, plain lines otherwise, nothing when `quiet`.
    pub fn detect(quiet: bool) -> Self {
        if quiet {
            ProgressMode::Silent
        } else if std::io::stderr().is_terminal() {
            ProgressMode::Bars
        } else {
            ProgressMode::Plain
        }
    }
}

/// How many items pass between two plain progress lines.
const PLAIN_EVERY: u64 = 1000;

/// Hands out one progress display per stage of work.
#[derive(Debug, Clone)]
pub struct Progress {
    mode: ProgressMode,
}

impl Progress {
    /// A display in the given mode.
    pub fn new(mode: ProgressMode) -> Self {
        if mode == ProgressMode::Bars {
            BARS.get_or_init(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
        }

        Progress { mode }
    }

    /// The mode in use.
    pub fn mode(&self) -> ProgressMode {
        self.mode
    }

    /// Starts a stage (for example "Devices: reading ConnectWise"), with a known total
    /// when there is one.
    pub fn stage(&self, label: impl Into<String>, total: Option<u64>) -> Stage {
        let label = label.into();
        let bar = match (self.mode, BARS.get()) {
            (ProgressMode::Bars, Some(bars)) => Some(bars.add(new_bar(&label, total))),
            _ => None,
        };

        if self.mode == ProgressMode::Plain {
            plain_line(&format!("{label}: started"));
        }

        Stage {
            inner: Arc::new(StageInner {
                label,
                mode: self.mode,
                bar,
                count: AtomicU64::new(0),
            }),
        }
    }
}

fn new_bar(label: &str, total: Option<u64>) -> ProgressBar {
    let bar = match total {
        Some(n) => ProgressBar::new(n).with_style(
            ProgressStyle::with_template("{prefix:.bold} [{bar:30}] {pos}/{len} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        ),
        None => ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{spinner} {prefix:.bold} {pos} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        ),
    };

    bar.set_prefix(label.to_owned());
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

fn plain_line(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// One stage of work in progress. Cheap to clone; every clone moves the same counter.
#[derive(Debug, Clone)]
pub struct Stage {
    inner: Arc<StageInner>,
}

#[derive(Debug)]
struct StageInner {
    label: String,
    mode: ProgressMode,
    bar: Option<ProgressBar>,
    count: AtomicU64,
}

impl Stage {
    /// Counts `n` more items done.
    pub fn inc(&self, n: u64) {
        let before = self.inner.count.fetch_add(n, Ordering::Relaxed);
        let after = before + n;

        if let Some(bar) = &self.inner.bar {
            bar.inc(n);
        } else if self.inner.mode == ProgressMode::Plain
            && after / PLAIN_EVERY > before / PLAIN_EVERY
        {
            plain_line(&format!("{}: {after}", self.inner.label));
        }
    }

    /// Sets the count to `n` (for sources that report totals rather than steps).
    pub fn set(&self, n: u64) {
        let before = self.inner.count.swap(n, Ordering::Relaxed);

        if let Some(bar) = &self.inner.bar {
            bar.set_position(n);
        } else if self.inner.mode == ProgressMode::Plain && n / PLAIN_EVERY > before / PLAIN_EVERY {
            plain_line(&format!("{}: {n}", self.inner.label));
        }
    }

    /// The stage's label.
    pub fn label(&self) -> &str {
        &self.inner.label
    }

    /// Items counted so far.
    pub fn count(&self) -> u64 {
        self.inner.count.load(Ordering::Relaxed)
    }

    /// Sets the short message beside the bar (not shown in plain mode).
    pub fn message(&self, msg: impl Into<String>) {
        if let Some(bar) = &self.inner.bar {
            bar.set_message(msg.into());
        }
    }

    /// Ends the stage with a closing note.
    pub fn finish(&self, note: &str) {
        let count = self.count();

        match &self.inner.bar {
            Some(bar) => bar.finish_with_message(note.to_owned()),
            None if self.inner.mode == ProgressMode::Plain => {
                plain_line(&format!("{}: {note} ({count})", self.inner.label));
            }
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_means_silent_whatever_the_terminal() {
        assert_eq!(ProgressMode::detect(true), ProgressMode::Silent);
    }

    #[test]
    fn clones_of_a_stage_share_one_counter() {
        let progress = Progress::new(ProgressMode::Silent);
        let stage = progress.stage("Devices", None);
        let other = stage.clone();

        stage.inc(3);
        other.inc(1500);

        assert_eq!(stage.count(), 1503);
        assert_eq!(progress.mode(), ProgressMode::Silent);
    }

    #[test]
    fn suspend_runs_the_closure_without_bars() {
        let mut ran = false;

        suspend(|| ran = true);

        assert!(ran);
    }
}
