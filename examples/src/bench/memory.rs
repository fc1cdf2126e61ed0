//! Resident memory of this process, read from `/proc/self/status` (Linux only).

/// A `kB` line of `/proc/self/status` (`VmRSS`, `VmHWM`), in bytes; `None` where the file
/// or the line does not exist.
fn status_bytes(key: &str) -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = text.lines().find(|l| l.starts_with(key))?;
    let kb: u64 = line[key.len()..]
        .trim_start_matches(':')
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

/// The resident set now.
pub fn current() -> Option<u64> {
    status_bytes("VmRSS")
}

/// The peak resident set (`VmHWM`) since the start or the last [`reset_peak`].
pub fn peak() -> Option<u64> {
    status_bytes("VmHWM")
}

/// Sets the peak back to the current resident set, so the next [`peak`] covers only what
/// follows. Returns whether the kernel accepted it.
pub fn reset_peak() -> bool {
    // NB: writing 5 to clear_refs resets VmHWM (Linux 4.0 and later).
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Bytes as MiB with one decimal, or `n/a`.
pub fn mib(bytes: Option<u64>) -> String {
    match bytes {
        Some(b) => format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0)),
        None => "n/a".to_owned(),
    }
}
