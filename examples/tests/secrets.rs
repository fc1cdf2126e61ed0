//! No secret in any output: runs of the `cw-ap-sync` binary at the most verbose level
//! (`-vvv`, `RUST_LOG=trace`) while both fakes inject faults, runs with refused
//! credentials, and the `Debug` and `Display` forms of the clients, the adapters and every
//! error they return. None may hold the ConnectWise private key, the Basic credential built
//! from it, the Asset Panda password, the static token or a token issued at login.

mod common;

use std::process::Command;

use base64::Engine as _;
use common::{World, AP_PASSWORD, AP_TOKEN, CW_PRIVATE_KEY};

/// Environment variables, as given to the binary.
type EnvVars = Vec<(String, String)>;

/// What leaked into `text`, if anything.
fn leak(text: &str) -> Option<String> {
    let basic = base64::engine::general_purpose::STANDARD
        .encode(format!("examplemsp+PUBKEY:{CW_PRIVATE_KEY}"));
    for (what, secret) in [
        ("the ConnectWise private key", CW_PRIVATE_KEY),
        ("the Basic credential", basic.as_str()),
        ("the Asset Panda password", AP_PASSWORD),
        ("the Asset Panda static token", AP_TOKEN),
    ] {
        if text.contains(secret) {
            return Some(what.to_owned());
        }
    }
    // NB: the fake issues login tokens as `fake.` and 32 hex digits.
    let issued = text.match_indices("fake.").find(|(at, _)| {
        let rest = &text[at + 5..];
        rest.len() >= 32 && rest[..32].bytes().all(|b| b.is_ascii_hexdigit())
    });
    issued.map(|(at, _)| format!("an issued token at byte {at}"))
}

/// Runs the binary; returns its exit code and everything it printed.
async fn run_binary(
    env: Vec<(String, String)>,
    config: std::path::PathBuf,
    args: &[&str],
) -> (i32, String) {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let out = Command::new(env!("CARGO_BIN_EXE_cw-ap-sync"))
            .env_clear()
            .envs(env)
            .env("RUST_LOG", "trace")
            .arg("-c")
            .arg(config)
            .args(args)
            .output()
            .expect("the binary runs");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.code().unwrap_or(-1), text)
    })
    .await
    .expect("the command thread ends")
}

fn env_of(world: &World) -> Vec<(String, String)> {
    world
        .env()
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
}

fn with(mut env: Vec<(String, String)>, name: &str, value: Option<&str>) -> Vec<(String, String)> {
    env.retain(|(k, _)| k != name);
    if let Some(value) = value {
        env.push((name.to_owned(), value.to_owned()));
    }
    env
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn h18_no_secret_in_trace_logs_under_faults_nor_with_refused_credentials() {
    let world = World::start(17).await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let config = dir.path().join("sync.toml");
    std::fs::write(&config, world.config_toml()).expect("the configuration is written");
    world.faults_waiting(17, 0.3, 0, 0);
    let good = env_of(&world);
    let token = with(with(good.clone(), "AP_EMAIL", None), "AP_PASSWORD", None);
    let token = with(token, "AP_TOKEN", Some(AP_TOKEN));

    let runs: Vec<(&str, EnvVars, Vec<&str>)> = vec![
        ("run under faults", good.clone(), vec!["-vvv", "run"]),
        (
            "plan under faults",
            good.clone(),
            vec!["-vvv", "plan", "--json"],
        ),
        (
            "test-connection",
            good.clone(),
            vec!["-vvv", "test-connection"],
        ),
        ("discover", good.clone(), vec!["-vvv", "discover"]),
        ("run with the static token", token, vec!["-vvv", "run"]),
        (
            "a refused private key",
            with(
                good.clone(),
                "CW_PRIVATE_KEY",
                Some("cw-wrong-0a0a-never-print"),
            ),
            vec!["-vvv", "run"],
        ),
        (
            "a refused password",
            with(
                good.clone(),
                "AP_PASSWORD",
                Some("ap-wrong-0b0b-never-print"),
            ),
            vec!["-vvv", "run"],
        ),
    ];

    let mut printed = 0;
    for (name, env, args) in runs {
        let (code, text) = run_binary(env, config.clone(), &args).await;

        assert!((0..=4).contains(&code), "{name}: exit {code}\n{text}");
        assert_eq!(leak(&text), None, "{name} printed a secret");
        assert!(
            !text.contains("-never-print"),
            "{name} printed a refused secret"
        );
        printed += text.len();
    }
    assert!(
        printed > 10_000,
        "trace logging produced output: {printed} bytes"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn h18_no_secret_in_the_debug_or_display_of_clients_adapters_and_errors() {
    let world = World::start(18).await;
    let endpoints = world.endpoints();
    let mut texts = vec![
        format!("{endpoints:?}"),
        format!("{:?}", endpoints.source.client()),
        format!("{:?}", endpoints.sink.client()),
    ];

    let refused_cw = world
        .cw
        .client_builder()
        .private_key("cw-wrong-0c0c-never-print")
        .build()
        .expect("the client builds");
    let error = refused_cw
        .companies()
        .get(1)
        .await
        .expect_err("a wrong key is refused");
    texts.push(format!("{error}\n{error:?}"));

    let refused_ap = world
        .ap
        .v3_login_client_builder()
        .v3_login("sync@example.com", "ap-wrong-0d0d-never-print")
        .build()
        .expect("the client builds");
    let error = refused_ap
        .groups()
        .list()
        .await
        .expect_err("a wrong password is refused");
    texts.push(format!("{error}\n{error:?}"));

    world.faults_on(18, 0.6);
    let (report, _) = world.sync().await;
    texts.push(format!("{report:?}"));
    texts.push(serde_json::to_string(&report).expect("the report encodes"));

    for text in texts {
        assert_eq!(leak(&text), None, "{text}");
        assert!(!text.contains("-never-print"), "{text}");
    }
}
