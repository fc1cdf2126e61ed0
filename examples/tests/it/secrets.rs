//! No secret in any output of the `cw-ap-sync` binary, at any verbosity: on the demo data,
//! the ConnectWise private key and the Basic credential built from it (H-18).
//!
//! Then runs at the most verbose level (`-vvv`, `RUST_LOG=trace`) while both fakes inject
//! faults, runs with refused credentials, and the `Debug` and `Display` forms of the
//! clients, the adapters and every error they return. None may hold the ConnectWise private
//! key, the Basic credential built from it, the Asset Panda password, the static token or a
//! token issued at login.

use std::path::PathBuf;
use std::process::Command;

use base64::Engine as _;
use connectwise_api::fake::FakeConnectWise;

use crate::support::chaos::{self, AP_PASSWORD, AP_TOKEN, CW_PRIVATE_KEY};
use crate::support::{World, PRIVATE_KEY};

/// Environment variables, as given to the binary.
type EnvVars = Vec<(String, String)>;

/// Runs the real binary with only `env` set; returns its exit code and everything it
/// printed.
async fn run_binary(env: EnvVars, config: PathBuf, args: Vec<String>) -> (i32, String) {
    tokio::task::spawn_blocking(move || {
        let out = Command::new(env!("CARGO_BIN_EXE_cw-ap-sync"))
            .env_clear()
            .envs(env)
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

/// Runs the real binary with the demo world's credentials and `private_key`; a first
/// argument `--trace` sets `RUST_LOG=trace` instead.
async fn run_demo_binary(world: &World, args: Vec<String>, private_key: &str) -> (i32, String) {
    let mut env = world.env();
    env.insert("CW_PRIVATE_KEY".into(), private_key.to_owned());
    if args.first().is_some_and(|a| a == "--trace") {
        env.insert("RUST_LOG".into(), "trace".into());
    }
    let args: Vec<String> = args.into_iter().filter(|a| a != "--trace").collect();
    run_binary(env.into_iter().collect(), world.config.clone(), args).await
}

/// The Basic credential the ConnectWise client builds from `private_key`.
fn basic(private_key: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("examplemsp+PUBKEY:{private_key}"))
}

/// Whether `text` holds `key` or the Basic credential built from it.
fn leaks(text: &str, key: &str) -> Option<&'static str> {
    if text.contains(key) {
        Some("the private key")
    } else if text.contains(&basic(key)) {
        Some("the Basic credential")
    } else {
        None
    }
}

/// What of the chaos world's secrets leaked into `text`, if anything.
fn leak(text: &str) -> Option<String> {
    if let Some(what) = leaks(text, CW_PRIVATE_KEY) {
        return Some(format!("{what} of ConnectWise"));
    }
    for (what, secret) in [
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

fn env_of(world: &chaos::World) -> EnvVars {
    world
        .env()
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
}

fn with(mut env: EnvVars, name: &str, value: Option<&str>) -> EnvVars {
    env.retain(|(k, _)| k != name);
    if let Some(value) = value {
        env.push((name.to_owned(), value.to_owned()));
    }
    env
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn h18_private_key_never_in_any_output_at_any_verbosity() {
    let world = World::custom(
        FakeConnectWise::builder()
            .seed(3)
            .companies(5)
            .configurations(20),
        cw_ap_examples::demo::SAMPLE_JOBS,
    )
    .await;
    let runs: Vec<Vec<&str>> = vec![
        vec!["-vvv", "run"],
        vec!["-vv", "plan", "--json"],
        vec!["-v", "test-connection"],
        vec!["-qq", "run"],
        vec!["-vvv", "validate"],
        vec!["-vvv", "discover"],
        vec!["--trace", "run"],
    ];

    let password = world.env()["AP_PASSWORD"].clone();
    let mut logged = 0;

    for args in runs {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let (code, text) = run_demo_binary(&world, args.clone(), PRIVATE_KEY).await;

        assert!(code == 0 || code == 1, "{args:?} exited {code}: {text}");
        assert_eq!(leaks(&text, PRIVATE_KEY), None, "{args:?} printed a secret");
        assert!(
            !text.contains(&password),
            "{args:?} printed the Asset Panda password"
        );
        logged += text.matches("DEBUG").count() + text.matches("TRACE").count();
    }
    assert!(
        logged > 100,
        "the verbose runs logged almost nothing ({logged} lines)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn h18_refused_credentials_exit_2_and_the_wrong_key_is_not_printed() {
    let world = World::custom(
        FakeConnectWise::builder()
            .seed(3)
            .companies(3)
            .configurations(5),
        cw_ap_examples::demo::SAMPLE_JOBS,
    )
    .await;
    let wrong = "WRONGKEY-0c1d-also-secret";

    let (code, text) = run_demo_binary(&world, vec!["-vvv".into(), "run".into()], wrong).await;

    assert_eq!(code, 2, "{text}");
    assert!(text.contains("401"), "{text}");
    assert_eq!(leaks(&text, wrong), None);
    assert_eq!(world.ap_writes(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn h18_no_secret_in_trace_logs_under_faults_nor_with_refused_credentials() {
    let world = chaos::World::start(17).await;
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
        let env = with(env, "RUST_LOG", Some("trace"));
        let args = args.iter().map(|a| a.to_string()).collect();
        let (code, text) = run_binary(env, config.clone(), args).await;

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
    let world = chaos::World::start(18).await;
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
