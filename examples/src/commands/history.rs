//! `cw-ap-sync history`: the last runs, as a table or as JSON lines.

use crate::cli::HistoryArgs;
use crate::error::CliError;
use crate::exit::ExitStatus;
use crate::history;
use crate::output::Output;
use crate::paths::Paths;

/// Prints the last runs recorded beside the configuration. `jobs` are the configuration's
/// job names, when it could be read: a job asked for that is neither there nor in the
/// history is a mistake.
pub fn run(
    args: &HistoryArgs,
    paths: &Paths,
    jobs: Option<&[String]>,
    output: &Output,
) -> Result<ExitStatus, CliError> {
    let file = paths.history();
    let (records, unreadable) = history::read_last(&file, args.limit, args.job.as_deref())
        .map_err(|source| CliError::Io {
            what: format!("reading the history file {}", file.display()),
            source,
        })?;

    if let (Some(name), Some(jobs)) = (args.job.as_deref(), jobs) {
        if records.is_empty() && !jobs.iter().any(|j| j == name) {
            let known: Vec<&str> = jobs.iter().map(String::as_str).collect();
            return Err(CliError::Usage(CliError::no_job_message(name, &known)));
        }
    }

    if unreadable > 0 {
        output.eline(&format!(
            "warning: {unreadable} line(s) of {} could not be read and were skipped",
            file.display()
        ));
    }

    if args.json {
        for r in &records {
            let line = serde_json::to_string(r).map_err(|e| CliError::Io {
                what: "writing JSON".to_owned(),
                source: std::io::Error::other(e),
            })?;
            output.line(&line);
        }
    } else if records.is_empty() {
        output.line(&format!("No runs recorded yet in {}.", file.display()));
    } else {
        output.print(&history::table(&records));
    }

    Ok(ExitStatus::Success)
}
