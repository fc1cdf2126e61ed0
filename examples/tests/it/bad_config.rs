//! Bad configurations and credentials, table-driven: each one ends `cw-ap-sync run` with
//! exit 2 and a message that names the problem and where it is. A problem of the whole
//! run writes nothing at all; a problem of one job leaves that job's group untouched.

use cw_ap_examples::ExitStatus;

use crate::support::chaos::{World, DEVICES};

/// How a case breaks the working setup.
enum Break {
    /// Replace text in the configuration file.
    Config(&'static str, &'static str),
    /// Set (or, with `None`, remove) an environment variable.
    Env(&'static str, Option<&'static str>),
    /// Remove an environment variable and name a credentials file with this text, which
    /// must never be quoted back in any of `hides`.
    Credentials {
        unset: &'static str,
        file: &'static str,
        hides: &'static [&'static str],
    },
}

struct Case {
    name: &'static str,
    change: Break,
    /// Every one of these must appear in the output.
    says: &'static [&'static str],
    /// Whether the problem is in one job only: the other jobs still run, and only the
    /// devices group must stay untouched.
    one_job: bool,
}

const CASES: &[Case] = &[
    Case {
        name: "a misspelt setting",
        change: Break::Config("page_size = 9", "page_sise = 9"),
        says: &["page_sise", "line 3"],
        one_job: false,
    },
    Case {
        name: "a page size over the maximum",
        change: Break::Config("page_size = 9", "page_size = 5000"),
        says: &["connectwise", "5000", "1000"],
        one_job: false,
    },
    Case {
        name: "plain http without the loopback opt-in",
        change: Break::Config("allow_insecure_http = true\n\n", "\n\n"),
        says: &["connectwise", "http"],
        one_job: false,
    },
    Case {
        name: "plain http to a real host, even with the opt-in",
        change: Break::Config(
            "site = \"http://127.0.0.1",
            "site = \"http://psa.example.com",
        ),
        says: &["connectwise", "http", "loopback"],
        one_job: false,
    },
    Case {
        name: "a site that is neither a region nor a host",
        change: Break::Config("site = \"", "site = \"xx\"\n# was \""),
        says: &["connectwise", "`xx`", "neither a region"],
        one_job: false,
    },
    Case {
        name: "a codebase that climbs out of the path",
        change: Break::Config("page_size = 9", "page_size = 9\ncodebase = \"../../etc\""),
        says: &["codebase", "../../etc"],
        one_job: false,
    },
    Case {
        name: "an API version that is not a number",
        change: Break::Config("page_size = 9", "page_size = 9\napi_version = \"latest\""),
        says: &["api_version", "latest"],
        one_job: false,
    },
    Case {
        name: "an unknown entity",
        change: Break::Config("entity = \"configurations\"", "entity = \"configuratons\""),
        says: &["configuratons", "line"],
        one_job: false,
    },
    Case {
        name: "a guard share over 1",
        change: Break::Config("max_share = 0.6 }\nfilter", "max_share = 1.5 }\nfilter"),
        says: &["devices", "max_share"],
        one_job: true,
    },
    Case {
        name: "a target field the group does not have",
        change: Break::Config("target = \"field_41\"", "target = \"field_999\""),
        says: &["devices", "field_999"],
        one_job: true,
    },
    Case {
        name: "a credentials file that does not exist",
        change: Break::Config(
            "[connectwise]",
            "credentials_file = \"nowhere.toml\"\n[connectwise]",
        ),
        says: &["nowhere.toml"],
        one_job: false,
    },
    Case {
        name: "a blank private key in the credentials file",
        change: Break::Credentials {
            unset: "CW_PRIVATE_KEY",
            file: "[connectwise]\nprivate_key = \"  \"\n",
            hides: &[],
        },
        says: &["`connectwise.private_key`", "blank", "CW_PRIVATE_KEY"],
        one_job: false,
    },
    Case {
        name: "a credentials file written as JSON",
        change: Break::Credentials {
            unset: "CW_PRIVATE_KEY",
            file: "{\"connectwise\": {\"private_key\": \"KEY-IN-JSON-77\"}}\n",
            hides: &["KEY-IN-JSON-77"],
        },
        says: &["creds.toml", "line 1, column"],
        one_job: false,
    },
    Case {
        name: "a private key that is not a quoted string",
        change: Break::Credentials {
            unset: "CW_PRIVATE_KEY",
            file: "[connectwise]\nprivate_key = 8675309\n",
            hides: &["8675309"],
        },
        says: &["creds.toml", "line 2", "quoted string"],
        one_job: false,
    },
    Case {
        name: "no ConnectWise client id",
        change: Break::Env("CW_CLIENT_ID", None),
        says: &["CW_CLIENT_ID"],
        one_job: false,
    },
    Case {
        name: "no Asset Panda password",
        change: Break::Env("AP_PASSWORD", None),
        says: &["AP_PASSWORD"],
        one_job: false,
    },
    Case {
        name: "a wrong ConnectWise private key",
        change: Break::Env("CW_PRIVATE_KEY", Some("WRONG-KEY-1f2e")),
        says: &["ConnectWise", "401"],
        one_job: false,
    },
    Case {
        name: "a wrong Asset Panda password",
        change: Break::Env("AP_PASSWORD", Some("WRONG-PASSWORD-9a8b")),
        says: &["Asset Panda", "password"],
        one_job: false,
    },
    Case {
        name: "an unknown company",
        change: Break::Env("CW_COMPANY", Some("nosuchcompany")),
        says: &["ConnectWise", "nosuchcompany"],
        one_job: false,
    },
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bad_configuration_or_credential_exits_2_naming_the_problem_and_where() {
    let world = World::start(9).await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let config = dir.path().join("sync.toml");
    let good = world.config_toml();
    let mut failures = Vec::new();

    for case in CASES {
        let mut env: Vec<(String, String)> = world
            .env()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        let mut text = good.clone();
        match case.change {
            Break::Config(from, to) => {
                assert!(
                    text.contains(from),
                    "{}: `{from}` is in the file",
                    case.name
                );
                text = text.replacen(from, to, 1);
            }
            Break::Env(name, value) => {
                env.retain(|(k, _)| k != name);
                if let Some(value) = value {
                    env.push((name.to_owned(), value.to_owned()));
                }
            }
            Break::Credentials { unset, file, .. } => {
                env.retain(|(k, _)| k != unset);
                let path = dir.path().join("creds.toml");
                std::fs::write(&path, file).expect("the credentials file is written");
                text = format!(
                    "credentials_file = {:?}\n{text}",
                    path.display().to_string()
                );
            }
        }
        std::fs::write(&config, &text).expect("the configuration is written");
        let writes = world.ap_writes();
        let devices = world.ap.core().objects(DEVICES);

        let (status, output) = world.run_tool_with(&config, &["run"], env).await;

        let missing: Vec<_> = case.says.iter().filter(|s| !output.contains(**s)).collect();
        if let Break::Credentials { hides, .. } = case.change {
            if let Some(secret) = hides.iter().find(|h| output.contains(**h)) {
                failures.push(format!("{}: `{secret}` is printed:\n{output}", case.name));
            }
        }
        if status != ExitStatus::ConfigError || !missing.is_empty() {
            failures.push(format!(
                "{}: exit {status}, missing {missing:?} in:\n{output}",
                case.name
            ));
        }
        let written = if case.one_job {
            world.ap.core().objects(DEVICES) != devices
        } else {
            world.ap_writes() != writes
        };
        if written {
            failures.push(format!("{}: something was written:\n{output}", case.name));
        }
    }

    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
