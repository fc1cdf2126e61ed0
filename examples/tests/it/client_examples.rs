//! The ConnectWise client example's exit status: refused credentials are 2 and a server
//! that cannot be used is 4, as in cw-ap-sync and ap-list-groups; no secret is printed.

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
