//! `cw-ap-sync validate`: every job checked against its live Asset Panda group (and a
//! sample ConnectWise record), writing nothing.

use cw_ap_mapping::{Engine, EngineOptions, Severity};

use crate::error::CliError;
use crate::exit::ExitStatus;
use crate::output::Output;
use crate::sync::Endpoints;

/// Validates `jobs` (at `indexes` in their configuration) and prints each problem; errors
/// give exit status 2.
pub async fn run(
    endpoints: &Endpoints,
    jobs: &[cw_ap_mapping::JobConfig],
    indexes: &[usize],
    output: &Output,
) -> Result<ExitStatus, CliError> {
    let engine =
        Engine::new(endpoints.source.clone(), endpoints.sink.clone()).with_options(EngineOptions {
            dry_run: true,
            ..EngineOptions::default()
        });
    let results = engine
        .validate_jobs(indexes.iter().copied().zip(jobs.iter()))
        .await;
    let mut status = ExitStatus::Success;

    for (job, validation) in &results {
        let errors = validation.errors().count();
        let warnings = validation.warnings().count();
        let verdict = if errors == 0 { "OK" } else { "INVALID" };
        output.line(&format!(
            "[{job}] {verdict}: {errors} error(s), {warnings} warning(s)"
        ));

        // NB: errors first; a problem's text starts with its severity.
        let (errs, warns): (Vec<_>, Vec<_>) = validation
            .problems
            .iter()
            .partition(|p| p.severity == Severity::Error);
        for problem in errs.into_iter().chain(warns) {
            output.line(&format!("  {problem}"));
        }
        if errors > 0 {
            status = status.combine(ExitStatus::ConfigError);
        }
    }
    Ok(status)
}
