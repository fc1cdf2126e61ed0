//! Where commands write: standard output for results (reports, tables, JSON) and standard
//! error for diagnostics, or in-memory buffers when a test drives the tool.

use std::io::Write;
use std::sync::{Arc, Mutex};

type Sink = Arc<Mutex<Box<dyn Write + Send>>>;

/// The two output streams of a command. Cheap to clone.
#[derive(Clone)]
pub struct Output {
    out: Sink,
    err: Sink,
}

impl std::fmt::Debug for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Output").finish_non_exhaustive()
    }
}

/// `n` and the noun in the number it takes: `1 company`, `3 companies`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Text captured by [`Output::capture`].
#[derive(Clone, Default, Debug)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    /// Everything written so far, as text.
    pub fn text(&self) -> String {
        let bytes = self.0.lock().map(|b| b.clone()).unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| std::io::Error::other("capture poisoned"))?
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Output {
    /// The process's standard output and standard error.
    pub fn stdio() -> Self {
        Output {
            out: Arc::new(Mutex::new(Box::new(std::io::stdout()))),
            err: Arc::new(Mutex::new(Box::new(std::io::stderr()))),
        }
    }

    /// Buffers for both streams, for tests.
    pub fn capture() -> (Output, Captured, Captured) {
        let (out, err) = (Captured::default(), Captured::default());
        let output = Output {
            out: Arc::new(Mutex::new(Box::new(out.clone()))),
            err: Arc::new(Mutex::new(Box::new(err.clone()))),
        };
        (output, out, err)
    }

    /// Writes text to the result stream as it is.
    pub fn print(&self, text: &str) {
        crate::progress::suspend(|| {
            if let Ok(mut w) = self.out.lock() {
                let _ = w.write_all(text.as_bytes());
                let _ = w.flush();
            }
        });
    }

    /// Writes one line to the result stream.
    pub fn line(&self, text: &str) {
        self.print(&format!("{text}\n"));
    }

    /// Writes one line to the diagnostic stream.
    pub fn eline(&self, text: &str) {
        crate::progress::suspend(|| {
            if let Ok(mut w) = self.err.lock() {
                let _ = writeln!(w, "{text}");
                let _ = w.flush();
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captured_streams_stay_apart() {
        let (output, out, err) = Output::capture();

        output.line("result");
        output.eline("problem");
        output.print("tail");

        assert_eq!(out.text(), "result\ntail");
        assert_eq!(err.text(), "problem\n");
    }

    #[test]
    fn a_count_of_one_takes_the_singular() {
        assert_eq!(count(1, "company", "companies"), "1 company");
        assert_eq!(count(0, "company", "companies"), "0 companies");
        assert_eq!(count(2, "device", "devices"), "2 devices");
    }
}
