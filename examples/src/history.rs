//! The run history: one JSON line per run appended to a file beside the configuration, and
//! the table that `cw-ap-sync history` prints from it.

use std::fs::OpenOptions;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The counts and status of one group in one run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct GroupSummary {
    /// The group's name in the job.
    pub group: String,
    /// `complete`, `incomplete`, `failed` or `stopped`.
    pub status: String,
    /// Objects created.
    pub created: u64,
    /// Objects updated.
    pub updated: u64,
    /// Objects already in step.
    pub unchanged: u64,
    /// Objects archived.
    pub archived: u64,
    /// Records that failed.
    pub failed: u64,
    /// Warnings raised.
    pub warnings: u64,
}

/// One line of the history file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunRecord {
    /// When the run started.
    pub started_at: DateTime<Utc>,
    /// How long it took, in milliseconds.
    pub duration_ms: u64,
    /// The job's name.
    pub job: String,
    /// `full` or `incremental`; `plan` for a dry run.
    pub mode: String,
    /// The run's exit code (see [`crate::exit::ExitStatus`]).
    pub exit_code: u8,
    /// Per-group counts.
    pub groups: Vec<GroupSummary>,
    /// Errors, each naming the job, and the group, record and field where they apply.
    #[serde(default)]
    pub errors: Vec<String>,
}

/// Appends one record to the history file, creating the file when needed.
pub fn append(path: &Path, record: &RunRecord) -> std::io::Result<()> {
    let mut line = serde_json::to_string(record).map_err(std::io::Error::other)?;
    line.push('\n');

    let mut file = OpenOptions::new().create(true).append(true).open(path)?;
    // NB: one write call per line, so concurrent appenders (other jobs) never interleave.
    file.write_all(line.as_bytes())
}

/// The last `limit` records of the history file, oldest first, optionally of one job only,
/// and the number of lines that could not be read. A missing file is an empty history.
pub fn read_last(
    path: &Path,
    limit: usize,
    job: Option<&str>,
) -> std::io::Result<(Vec<RunRecord>, usize)> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), 0)),
        Err(e) => return Err(e),
    };

    let mut records = Vec::new();
    let mut unreadable = 0;
    // NB: read as bytes, so that a line with a bad byte (a torn write) is skipped and
    // counted like any other unreadable line instead of ending the whole read.
    for line in BufReader::new(file).split(b'\n') {
        let line = line?;
        if line.trim_ascii().is_empty() {
            continue;
        }

        match serde_json::from_slice::<RunRecord>(&line) {
            Ok(r) if job.is_none_or(|j| r.job == j) => records.push(r),
            Ok(_) => {}
            Err(_) => unreadable += 1,
        }
    }

    let skip = records.len().saturating_sub(limit);
    Ok((records.split_off(skip), unreadable))
}

/// Renders records as an aligned text table, one row per run.
pub fn table(records: &[RunRecord]) -> String {
    let header = [
        "started (UTC)",
        "job",
        "mode",
        "exit",
        "created",
        "updated",
        "unchanged",
        "archived",
        "failed",
        "warnings",
        "duration",
    ];
    let mut rows: Vec<Vec<String>> = vec![header.iter().map(|s| s.to_string()).collect()];

    for r in records {
        let sum = |f: fn(&GroupSummary) -> u64| r.groups.iter().map(f).sum::<u64>().to_string();
        rows.push(vec![
            r.started_at.format("%Y-%m-%d %H:%M:%S").to_string(),
            r.job.clone(),
            r.mode.clone(),
            r.exit_code.to_string(),
            sum(|g| g.created),
            sum(|g| g.updated),
            sum(|g| g.unchanged),
            sum(|g| g.archived),
            sum(|g| g.failed),
            sum(|g| g.warnings),
            humantime::format_duration(std::time::Duration::from_millis(r.duration_ms)).to_string(),
        ]);
    }

    render(&rows)
}

/// Aligns rows of cells into columns: text left, numbers right.
pub fn render(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();

    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, cell)| {
                let pad = widths[c].saturating_sub(cell.chars().count());
                let numeric = !cell.is_empty() && cell.chars().all(|ch| ch.is_ascii_digit());
                if numeric {
                    format!("{}{cell}", " ".repeat(pad))
                } else {
                    format!("{cell}{}", " ".repeat(pad))
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(job: &str, created: u64, exit_code: u8) -> RunRecord {
        RunRecord {
            started_at: "2026-01-02T03:04:05Z".parse().unwrap(),
            duration_ms: 1500,
            job: job.into(),
            mode: "full".into(),
            exit_code,
            groups: vec![
                GroupSummary {
                    group: "Devices".into(),
                    status: "complete".into(),
                    created,
                    ..Default::default()
                },
                GroupSummary {
                    group: "Companies".into(),
                    status: "complete".into(),
                    created: 2,
                    ..Default::default()
                },
            ],
            errors: vec![],
        }
    }

    #[test]
    fn append_then_read_the_last_runs_of_a_job() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.jsonl");

        for i in 0..5 {
            append(&path, &record("devices", i, 0)).unwrap();
        }
        append(&path, &record("other", 99, 1)).unwrap();
        let (last, bad) = read_last(&path, 2, Some("devices")).unwrap();

        assert_eq!(bad, 0);
        assert_eq!(last.len(), 2);
        assert_eq!(last[0].groups[0].created, 3);
        assert_eq!(last[1].groups[0].created, 4);
    }

    #[test]
    fn a_damaged_line_is_counted_and_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.jsonl");
        append(&path, &record("devices", 1, 0)).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"{\"started_at\": tru\n\xff\xfe\n")
            .unwrap();
        append(&path, &record("devices", 2, 0)).unwrap();

        let (all, bad) = read_last(&path, 10, None).unwrap();

        assert_eq!(bad, 2);
        assert_eq!(all.len(), 2);
    }

    #[test]
    fn a_missing_file_is_an_empty_history() {
        let dir = tempfile::tempdir().unwrap();

        let (all, bad) = read_last(&dir.path().join("none.jsonl"), 10, None).unwrap();

        assert!(all.is_empty());
        assert_eq!(bad, 0);
    }

    #[test]
    fn the_table_sums_groups_and_aligns_columns() {
        let text = table(&[record("devices", 40, 1)]);
        let lines: Vec<&str> = text.lines().collect();

        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("started (UTC)"));
        assert!(lines[1].contains("2026-01-02 03:04:05"));
        // 40 + 2 created, right-aligned under the header.
        let col = lines[0].find("created").unwrap() + "created".len();
        assert_eq!(&lines[1][col - 2..col], "42");
        assert!(lines[1].ends_with("1s 500ms"));
    }
}
