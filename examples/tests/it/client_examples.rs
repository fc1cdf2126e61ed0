//! The client examples' exit status: refused credentials are 2 and a server that cannot
//! be used is 4, as in cw-ap-sync; no secret is printed; a closed output ends them, and
//! sync-bench, quietly.

use crate::support::World;

/// Runs `cw-list-companies` against the demo fake with `CW_SITE` and one variable changed.
async fn list_companies(site: Option<&str>, private_key: &str) -> (Option<i32>, String) {
    let world = World::demo(23, 3, 0).await;
    let mut env = world.env();
    let site = site.map_or_else(|| world.servers.cw.uri().to_owned(), str::to_owned);
    env.insert("CW_SITE".into(), site);
    env.insert("CW_PRIVATE_KEY".into(), private_key.to_owned());

    // NB: the fakes live on this test's runtime; the binary runs on a blocking thread.
    tokio::task::spawn_blocking(move || {
        let out = assert_cmd::Command::cargo_bin("cw-list-companies")
            .expect("the binary is built")
            .env_clear()
            .envs(env)
            .output()
            .expect("the binary runs");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.code(), text)
    })
    .await
    .expect("the command thread ends")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cw_list_companies_exits_2_for_a_refused_key_without_printing_it() {
    const WRONG: &str = "WRONG-KEY-5c1e-never-print-me";

    let (code, text) = list_companies(None, WRONG).await;

    assert_eq!(code, Some(2), "{text}");
    assert!(text.starts_with("error: "), "{text}");
    assert!(!text.contains(WRONG), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cw_list_companies_exits_4_when_the_server_cannot_be_reached() {
    let (code, text) = list_companies(Some("http://127.0.0.1:1"), "fake-private-key").await;

    assert_eq!(code, Some(4), "{text}");
    assert!(text.starts_with("error: "), "{text}");
}

/// Runs a client example against the demo fakes with its standard output already closed,
/// as `| head` leaves it once it has read what it wanted.
async fn run_into_a_closed_pipe(
    binary: &'static str,
    args: &'static [&'static str],
) -> (Option<i32>, String) {
    let world = World::demo(23, 3, 0).await;
    let mut env = world.env();
    env.insert("CW_SITE".into(), world.servers.cw.uri().to_owned());
    env.insert("AP_BASE_URL".into(), world.servers.ap.uri().to_owned());

    tokio::task::spawn_blocking(move || {
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin(binary))
            .args(args)
            .env_clear()
            .envs(env)
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .expect("the binary runs");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    })
    .await
    .expect("the command thread ends")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_examples_stop_quietly_when_their_reader_goes_away() {
    for (binary, args) in [
        ("cw-list-companies", &[][..]),
        ("ap-list-groups", &[][..]),
        ("sync-bench", &["--records", "20", "--mode", "list"][..]),
    ] {
        let (code, stderr) = run_into_a_closed_pipe(binary, args).await;

        assert_eq!(code, Some(0), "{binary}: {stderr}");
        assert!(!stderr.contains("panicked"), "{binary}: {stderr}");
    }
}
