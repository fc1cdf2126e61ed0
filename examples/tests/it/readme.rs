//! The configuration shown in the README is a real one.

use std::path::Path;

#[test]
fn the_readme_configuration_example_parses() {
    let readme = Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    let text = std::fs::read_to_string(&readme).unwrap();
    let start = text.find("## A full configuration").expect("the section");
    let block = text[start..].split("```toml\n").nth(1).unwrap();
    let toml = block.split("\n```").next().unwrap();

    let config = cw_ap_examples::config::parse(&readme, toml).unwrap();

    let names: Vec<&str> = config.jobs.iter().map(|j| j.name.as_str()).collect();
    assert_eq!(names, vec!["companies", "devices"]);
    assert_eq!(config.jobs[1].fields.len(), 7);
    assert!(config.jobs[1].fields[6].values.is_some());
}

#[test]
fn every_setting_the_readme_configuration_comments_out_is_a_real_one() {
    let readme = Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    let text = std::fs::read_to_string(&readme).unwrap();
    let start = text.find("## A full configuration").expect("the section");
    let block = text[start..].split("```toml\n").nth(1).unwrap();
    let toml = block.split("\n```").next().unwrap();

    // A commented-out setting is `# key = value`, with the value's own comment after it.
    let setting = |line: &str| {
        let rest = line.strip_prefix("# ")?;
        let (key, _) = rest.split_once(" = ")?;
        key.chars()
            .all(|c| c.is_ascii_lowercase() || c == '_')
            .then(|| {
                rest.split("  #")
                    .next()
                    .unwrap_or(rest)
                    .trim_end()
                    .to_owned()
            })
    };
    let mut uncommented = 0;
    let live: Vec<String> = toml
        .lines()
        .map(|line| match setting(line) {
            Some(live) => {
                uncommented += 1;
                live
            }
            None => line.to_owned(),
        })
        .collect();

    let parsed = cw_ap_examples::config::parse(&readme, &live.join("\n"));

    assert!(uncommented >= 15, "only {uncommented} settings found");
    assert!(parsed.is_ok(), "{:?}\n{}", parsed.err(), live.join("\n"));
}

#[test]
fn the_readme_keeps_the_two_commands_at_the_top() {
    let readme = Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    let text = std::fs::read_to_string(readme).unwrap();
    let top: String = text.lines().take(20).collect::<Vec<_>>().join("\n");

    assert!(top.contains("cargo run --release --bin cw-ap-sync -- demo"));
    assert!(top.contains("cargo test --workspace"));
}

#[test]
fn the_readme_says_what_an_unreachable_side_and_ctrl_c_give() {
    let readme = Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    let text = std::fs::read_to_string(readme).unwrap();
    let exit = &text[text
        .find("Exit status:")
        .expect("the exit status paragraph")..];
    let exit = exit.split("\n\n").next().unwrap();

    assert!(
        exit.contains("cannot be") && exit.contains("gives 4"),
        "{exit}"
    );
    assert!(exit.contains("`test-connection`"), "{exit}");
    assert!(
        text.contains("A single `run` (without\n`--every`) stops at the first Ctrl-C"),
        "the Ctrl-C paragraph"
    );
}

#[test]
fn every_transform_the_readme_shows_is_a_real_one() {
    #[derive(serde::Deserialize)]
    struct One {
        #[allow(dead_code)]
        t: cw_ap_mapping::Transform,
    }
    let readme = Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    let text = std::fs::read_to_string(readme).unwrap();

    let shown: Vec<&str> = text
        .split('`')
        .filter(|s| s.starts_with("{ op = "))
        .collect();

    assert!(shown.len() >= 7, "{shown:?}");
    for snippet in shown {
        let parsed = toml::from_str::<One>(&format!("t = {snippet}"));
        assert!(parsed.is_ok(), "{snippet}: {:?}", parsed.err());
    }
}
