//! `cw-ap-sync init`: writes a commented example configuration, and with Asset Panda
//! credentials at hand proposes mappings for live groups.

use std::path::Path;

use cw_ap_mapping::{Entity, GroupRef, Sink};

use crate::adapters::ApSink;
use crate::cli::InitArgs;
use crate::config::ApConnection;
use crate::credentials::{CredentialSource, Env};
use crate::error::CliError;
use crate::exit::ExitStatus;
use crate::output::Output;
use crate::{clients, template};

fn group_ref(text: &str) -> GroupRef {
    match text.trim().parse::<u64>() {
        Ok(id) => GroupRef::Id(id),
        Err(_) => GroupRef::Name(text.trim().to_owned()),
    }
}

/// Writes the example (and any proposed jobs) to `--output` or the configuration path.
pub async fn run(
    args: &InitArgs,
    config_path: &Path,
    env: &Env,
    output: &Output,
) -> Result<ExitStatus, CliError> {
    let target = args.output.as_deref().unwrap_or(config_path);
    if target.exists() && !args.force {
        return Err(CliError::Config {
            path: target.to_owned(),
            message: "the file exists; pass --force to replace it".to_owned(),
        });
    }

    let mut text = template::example(&args.cw_url);
    let live: Vec<(&str, Entity, &String)> = [
        (
            "devices-proposed",
            Entity::Configurations,
            &args.devices_group,
        ),
        (
            "companies-proposed",
            Entity::Companies,
            &args.companies_group,
        ),
    ]
    .into_iter()
    .filter_map(|(name, entity, group)| Some((name, entity, group.as_ref()?)))
    .collect();

    if !live.is_empty() {
        // NB: an existing configuration says how to reach the account; else the defaults.
        let (connection, credentials_file) = match crate::config::load(config_path) {
            Ok(loaded) => {
                // NB: the proposals come from this account, so the file reaches it too.
                let section = |name: &str, body: Result<String, toml::ser::Error>| {
                    body.map(|b| format!("[{name}]\n{b}")).unwrap_or_default()
                };
                let sections = format!(
                    "{}\n{}",
                    section("connectwise", toml::to_string(&loaded.config.connectwise)),
                    section("assetpanda", toml::to_string(&loaded.config.assetpanda)),
                );
                text = template::with_connections(&text, &sections);
                (loaded.config.assetpanda.clone(), loaded.credentials_path())
            }
            Err(_) => (ApConnection::default(), None),
        };
        let credentials = CredentialSource::load(env.clone(), credentials_file.as_deref())?;
        let client = clients::assetpanda(&connection, &credentials.assetpanda()?)?;
        let sink = ApSink::new(client, None);
        text.push_str(
            "\n# ---------------------------------------------------------------------------\n\
             # Jobs proposed from live groups. Every GUESS needs a person to confirm it; then\n\
             # remove or rename the example jobs above.\n",
        );
        for (name, entity, group) in live {
            let resolved = sink
                .resolve_group(&group_ref(group))
                .await
                .map_err(|e| CliError::group_lookup(e, &format!("reading group {group}: ")))?;
            text.push('\n');
            text.push_str(&template::job_for_group(name, entity, &resolved));
        }
    }

    std::fs::write(target, text).map_err(|source| CliError::Io {
        what: format!("writing {}", target.display()),
        source,
    })?;
    output.line(&format!(
        "Wrote {}. Set the credentials in the environment, then run `cw-ap-sync \
         test-connection` and `cw-ap-sync validate`.",
        target.display()
    ));
    Ok(ExitStatus::Success)
}
