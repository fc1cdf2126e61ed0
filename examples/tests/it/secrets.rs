//! No output of the binary, at any verbosity, holds the ConnectWise private key or the
//! Basic credential built from it (H-18).

use assert_cmd::Command;
use base64::Engine as _;
use connectwise_api::fake::FakeConnectWise;

use crate::support::{World, PRIVATE_KEY};

/// Runs the real binary with the world's credentials; returns (exit code, stdout+stderr).
async fn run_binary(world: &World, args: Vec<String>, private_key: &str) -> (i32, String) {
    let mut env = world.env();
    env.insert("CW_PRIVATE_KEY".into(), private_key.to_owned());
    if args.first().is_some_and(|a| a == "--trace") {
        env.insert("RUST_LOG".into(), "trace".into());
    }
    let args: Vec<String> = args.into_iter().filter(|a| a != "--trace").collect();
    let config = world.config.display().to_string();

    tokio::task::spawn_blocking(move || {
        let mut cmd = Command::cargo_bin("cw-ap-sync").expect("the binary is built");
        cmd.env_clear().envs(env).arg("-c").arg(config).args(args);
        let out = cmd.output().expect("the binary runs");
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

fn leaks(text: &str, key: &str) -> Option<&'static str> {
    let basic =
        base64::engine::general_purpose::STANDARD.encode(format!("examplemsp+PUBKEY:{key}"));
    if text.contains(key) {
        Some("the private key")
    } else if text.contains(&basic) {
        Some("the Basic credential")
    } else {
        None
    }
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
        let (code, text) = run_binary(&world, args.clone(), PRIVATE_KEY).await;

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

    let (code, text) = run_binary(&world, vec!["-vvv".into(), "run".into()], wrong).await;

    assert_eq!(code, 2, "{text}");
    assert!(text.contains("401"), "{text}");
    assert_eq!(leaks(&text, wrong), None);
    assert_eq!(world.ap_writes(), 0);
}
