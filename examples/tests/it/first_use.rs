//! What a new user runs into first: empty configurations, wrong passwords, schedules that
//! never fire, typos in names, and how the reports read.

use cw_ap_examples::ExitStatus;

use crate::support::World;

#[tokio::test]
async fn a_configuration_without_jobs_exits_2_for_every_command() {
    let world = World::demo(11, 3, 6).await;
    let connections = world.servers.connections_toml();

    for text in [connections.clone(), format!("jobs = []\n{connections}")] {
        world.write_config(&text);
        for command in ["run", "plan", "validate"] {
            let ran = world.run(&[command]).await;

            assert_eq!(ran.status, ExitStatus::ConfigError, "{command}: {ran:?}");
            assert!(ran.err.contains("has no jobs"), "{command}: {}", ran.err);
        }
    }
    assert_eq!(world.ap_writes(), 0);
}

#[tokio::test]
async fn a_wrong_asset_panda_password_is_a_credential_problem() {
    let world = World::demo(12, 3, 6).await;
    let mut env = world.env();
    env.insert("AP_PASSWORD".into(), "not-the-password".into());

    let test = world.run_with_env(&["test-connection"], &env).await;
    let run = world.run_with_env(&["run"], &env).await;

    assert_eq!(test.status, ExitStatus::ConfigError, "{test:?}");
    assert!(test.out.contains("Asset Panda: FAILED"), "{}", test.out);
    assert_eq!(run.status, ExitStatus::ConfigError, "{run:?}");
    assert!(!format!("{test:?}{run:?}").contains("not-the-password"));
    assert_eq!(world.ap_writes(), 0);
}

#[tokio::test]
async fn a_cron_schedule_that_never_fires_exits_2_and_says_so() {
    let world = World::demo(13, 3, 6).await;

    let ran = world.run(&["run", "--every", "0 0 31 2 *"]).await;

    assert_eq!(ran.status, ExitStatus::ConfigError, "{ran:?}");
    assert!(ran.err.contains("never fires"), "{}", ran.err);
    assert_eq!(world.ap_writes(), 0);
}

#[tokio::test]
async fn job_and_group_typos_get_a_suggestion() {
    let world = World::demo(14, 3, 6).await;

    let job = world.run(&["run", "--job", "devics"]).await;
    world.patch_config(|t| t.replacen("target_group = 139300", "target_group = \"Devicez\"", 1));
    let group = world.run(&["validate", "--job", "devices"]).await;

    assert_eq!(job.status, ExitStatus::ConfigError);
    assert!(job.err.contains("did you mean `devices`?"), "{}", job.err);
    assert_ne!(group.status, ExitStatus::Success, "{group:?}");
    assert!(
        format!("{}{}", group.out, group.err).contains("did you mean `Devices`?"),
        "{group:?}"
    );
}

#[tokio::test]
async fn a_first_plan_names_fields_summarises_warnings_and_says_it_is_a_dry_run() {
    let world = World::demo(15, 20, 200).await;

    let ran = world.run(&["plan", "--detail", "3"]).await;

    assert_eq!(ran.status, ExitStatus::Success, "{ran:?}");
    assert_eq!(world.ap_writes(), 0);
    let create = ran
        .out
        .lines()
        .find(|l| l.starts_with("  create  record"))
        .expect("a create line");
    assert!(create.contains(" (field_1)=\""), "{create}");
    assert!(
        ran.out.contains("Dry run: nothing was written"),
        "{}",
        ran.out
    );
    assert!(ran.out.contains("would create"), "{}", ran.out);
    assert!(
        ran.out.lines().filter(|l| l.contains("warning:")).count() <= 2,
        "{}",
        ran.out
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plan_progress_shows_no_writing_stage() {
    let world = World::demo(16, 5, 40).await;
    let env = world.env();
    let config = world.config.display().to_string();

    let (stdout, stderr) = tokio::task::spawn_blocking(move || {
        let out = assert_cmd::Command::cargo_bin("cw-ap-sync")
            .expect("the binary is built")
            .env_clear()
            .envs(env)
            .args(["-c", &config, "plan"])
            .output()
            .expect("the binary runs");
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    })
    .await
    .expect("the command thread ends");

    assert!(stdout.contains("Dry run"), "{stdout}");
    assert!(stderr.contains("reading ConnectWise"), "{stderr}");
    assert!(!stderr.contains("writing"), "{stderr}");
    assert_eq!(world.ap_writes(), 0);
}

#[tokio::test]
async fn many_warnings_of_one_kind_are_one_line() {
    // NB: 300 generated companies include soft-deleted ones, whose devices stay unlinked.
    let world = World::demo(42, 300, 600).await;

    let ran = world.run(&["run"]).await;

    assert_eq!(ran.status, ExitStatus::Success, "{ran:?}");
    let devices: Vec<&str> = ran
        .out
        .lines()
        .find(|l| l.starts_with("devices"))
        .expect("a devices row")
        .split_whitespace()
        .collect();
    let warnings: usize = devices.last().unwrap().parse().unwrap();
    assert!(warnings > 1, "{}", ran.out);
    let lines: Vec<&str> = ran
        .out
        .lines()
        .filter(|l| l.contains("the link is left empty"))
        .collect();
    assert_eq!(lines.len(), 1, "{}", ran.out);
    assert!(
        lines[0].contains(&format!("— {warnings} times; records ")),
        "{}",
        ran.out
    );
}

#[tokio::test]
async fn discover_lists_the_custom_fields_of_the_sample_with_their_paths() {
    let world = World::demo(17, 5, 30).await;

    let text = world.run(&["discover", "--group", "Devices"]).await;
    let json = world
        .run(&["discover", "--group", "Devices", "--json"])
        .await;

    assert_eq!(text.status, ExitStatus::Success, "{text:?}");
    let row = text
        .out
        .lines()
        .find(|l| l.trim_start().starts_with("customFields[caption="))
        .expect("a custom field row");
    assert!(row.split_whitespace().count() >= 3, "{row}");
    let doc: serde_json::Value = serde_json::from_str(&json.out).expect("JSON");
    let custom = doc["custom_fields"].as_array().expect("custom_fields");
    assert!(!custom.is_empty(), "{doc}");
    for field in custom {
        assert!(field["id"].is_i64(), "{field}");
        let caption = field["caption"].as_str().unwrap();
        assert_eq!(field["path"], format!("customFields[caption={caption}]"));
        assert!(field["type"].is_string(), "{field}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fake_servers_help_describes_the_program() {
    let help = tokio::task::spawn_blocking(|| {
        let out = assert_cmd::Command::cargo_bin("fake-servers")
            .expect("the binary is built")
            .arg("--help")
            .output()
            .expect("the binary runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    })
    .await
    .expect("the command thread ends");

    let first = help.lines().next().unwrap_or_default();
    assert!(first.starts_with("Starts a fake ConnectWise"), "{help}");
    assert!(!help.contains("small examples of each client"), "{help}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cw_list_companies_reaches_the_fake_on_loopback() {
    let world = World::demo(18, 4, 4).await;
    let mut env = world.env();
    env.insert("CW_SITE".into(), world.servers.cw.uri().to_owned());

    let (code, out, err) = tokio::task::spawn_blocking(move || {
        let out = assert_cmd::Command::cargo_bin("cw-list-companies")
            .expect("the binary is built")
            .env_clear()
            .envs(env)
            .output()
            .expect("the binary runs");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    })
    .await
    .expect("the command thread ends");

    assert_eq!(code, Some(0), "{out}{err}");
    assert!(!err.contains("plain http"), "{err}");
    let readme = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"),
    )
    .unwrap();
    assert!(readme.contains("`CW_SITE`") && readme.contains("`AP_BASE_URL`"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ap_list_groups_reports_a_wrong_password_like_cw_ap_sync() {
    let world = World::demo(19, 3, 3).await;
    let mut env = world.env();
    env.insert("AP_BASE_URL".into(), world.servers.ap.uri().to_string());
    env.insert("AP_PASSWORD".into(), "not-the-password".into());

    let (code, err) = tokio::task::spawn_blocking(move || {
        let out = assert_cmd::Command::cargo_bin("ap-list-groups")
            .expect("the binary is built")
            .env_clear()
            .envs(env)
            .output()
            .expect("the binary runs");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    })
    .await
    .expect("the command thread ends");

    assert_eq!(code, Some(2), "{err}");
    assert!(err.starts_with("error: "), "{err}");
    assert!(!err.contains("not-the-password"), "{err}");
}

#[tokio::test]
async fn init_from_a_configuration_keeps_its_connection_sections() {
    let world = World::demo(20, 3, 3).await;
    let target = world.dir.path().join("proposed.toml");
    let target_text = target.display().to_string();

    let ran = world
        .run(&["init", "--devices-group", "Devices", "-o", &target_text])
        .await;

    assert_eq!(ran.status, ExitStatus::Success, "{ran:?}");
    let written = cw_ap_examples::config::load(&target).expect("the file reads");
    let source = cw_ap_examples::config::load(&world.config).unwrap();
    assert_eq!(written.config.connectwise, source.config.connectwise);
    assert_eq!(written.config.assetpanda, source.config.assetpanda);
    assert!(written
        .config
        .jobs
        .iter()
        .any(|j| j.name == "devices-proposed"));
}
