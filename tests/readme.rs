//! The README's recipes, run as written: every `sh` block from "A first tour" to the end of
//! "Usage", in order and in one home, against a dev broker (only the server address is the
//! test server's); the CI script and the GitHub Actions step's `run` script with an approver
//! deciding meanwhile, as a reviewer would.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use common::{DEV_PASSWORD, Http, Server, TestEnv, stderr_of, stdout_of};

const README_SERVER: &str = "http://127.0.0.1:6500";

/// The fenced blocks (language, body) between two headings of the README.
fn blocks(from: &str, to: &str) -> Vec<(String, String)> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme
        .find(from)
        .unwrap_or_else(|| panic!("README has no '{from}'"));
    let end = readme[start..].find(to).map_or(readme.len(), |i| start + i);
    let mut found = Vec::new();
    let mut lines = readme[start..end].lines();
    while let Some(line) = lines.next() {
        if let Some(language) = line.strip_prefix("```").filter(|l| !l.is_empty()) {
            let body: Vec<&str> = lines
                .by_ref()
                .take_while(|l| !l.starts_with("```"))
                .collect();
            found.push((language.to_owned(), body.join("\n")));
        }
    }
    found
}

/// The `run: |` script of a GitHub Actions step.
fn actions_run_script(yaml: &str) -> String {
    let mut lines = yaml
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("run: |"));
    let header = lines.next().expect("a run: | script");
    let indent = header.len() - header.trim_start().len() + 2;
    lines
        .map(|l| l.get(indent..).unwrap_or("").to_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

struct Shell<'a> {
    env: &'a TestEnv,
    server_url: String,
    bin_dir: PathBuf,
}

impl Shell<'_> {
    fn run(&self, script: &str, extra_env: &[(&str, String)]) -> std::process::Output {
        let script = script.replace(README_SERVER, &self.server_url);
        let path = format!(
            "{}:{}",
            self.bin_dir.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        // The same isolated environment as the harness gives pamctl, for a shell with pamctl
        // on its PATH.
        let isolated = self.env.command();
        let mut shell = std::process::Command::new("bash");
        for (name, value) in isolated.get_envs() {
            match value {
                Some(value) => shell.env(name, value),
                None => shell.env_remove(name),
            };
        }
        shell
            .args(["-e", "-o", "pipefail", "-c", &script])
            .env("PATH", path)
            .envs(extra_env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdin(std::process::Stdio::null())
            .output()
            .expect("bash")
    }
}

/// Approves, as rita, every request waiting for her until stopped.
fn approver(server_url: String, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<usize> {
    std::thread::spawn(move || {
        let http = Http::new(&server_url);
        let rita = http.sign_in("rita", DEV_PASSWORD);
        let mut approved = 0;
        while !stop.load(Ordering::SeqCst) {
            let pending = http
                .get("/api/v1/ActivitySession/Approvals", &rita)
                .expect(200)
                .json();
            for item in pending["data"].as_array().into_iter().flatten() {
                let id = item["id"].as_str().unwrap();
                http.send(
                    "POST",
                    &format!("/api/v1/ActivitySession/{id}/Approve"),
                    Some(&rita),
                    None,
                )
                .expect(200);
                approved += 1;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        approved
    })
}

#[test]
fn the_readme_recipes_run_as_written() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    // The tour reads the ci-bot key where a dev broker with the default data dir keeps it.
    let default_data = env.path("home").join(".local/share/pamctl");
    std::fs::create_dir_all(&default_data).unwrap();
    std::fs::copy(
        env.server_data_dir().join("ci-bot.key"),
        default_data.join("ci-bot.key"),
    )
    .unwrap();
    let bin = assert_cmd::cargo::cargo_bin("pamctl");
    let shell = Shell {
        env: &env,
        server_url: server.url.clone(),
        bin_dir: bin.parent().unwrap().to_path_buf(),
    };

    let blocks = blocks("### A first tour", "## Running a broker");
    let mut ran = 0;
    for (language, body) in &blocks {
        match language.as_str() {
            "sh" if body.starts_with("#!/bin/sh") => {
                let stop = Arc::new(AtomicBool::new(false));
                let approving = approver(server.url.clone(), Arc::clone(&stop));
                let ci_key =
                    std::fs::read_to_string(env.server_data_dir().join("ci-bot.key")).unwrap();
                let output = shell.run(
                    body,
                    &[
                        ("PAMCTL_SERVER", server.url.clone()),
                        ("CI_BOT_KEY", ci_key.trim().to_owned()),
                        ("GIT_COMMIT", "abc1234".to_owned()),
                    ],
                );
                stop.store(true, Ordering::SeqCst);
                assert!(
                    output.status.success(),
                    "the CI recipe failed:\n{body}\n{}",
                    stderr_of(&output)
                );
                assert!(
                    approving.join().unwrap() >= 1,
                    "the CI recipe waited through an approval"
                );
                assert!(
                    stdout_of(&output).contains(" ended"),
                    "its trap gave the access back: {}",
                    stdout_of(&output)
                );
            }
            "sh" => {
                let output = shell.run(body, &[]);
                assert!(
                    output.status.success(),
                    "README recipe failed:\n{body}\n--- stdout\n{}--- stderr\n{}",
                    stdout_of(&output),
                    stderr_of(&output)
                );
            }
            "yaml" => {
                let script = actions_run_script(body);
                let github_env = env.path("github-env");
                std::fs::write(&github_env, "").unwrap();
                let stop = Arc::new(AtomicBool::new(false));
                let approving = approver(server.url.clone(), Arc::clone(&stop));
                let ci_key =
                    std::fs::read_to_string(env.server_data_dir().join("ci-bot.key")).unwrap();
                let output = shell.run(
                    &script,
                    &[
                        ("PAMCTL_SERVER", server.url.clone()),
                        ("CI_BOT_KEY", ci_key.trim().to_owned()),
                        ("GITHUB_SHA", "0123abcd".to_owned()),
                        ("GITHUB_ENV", github_env.display().to_string()),
                    ],
                );
                stop.store(true, Ordering::SeqCst);
                approving.join().unwrap();
                assert!(
                    output.status.success(),
                    "the Actions step failed:\n{script}\n{}",
                    stderr_of(&output)
                );
                let exported = std::fs::read_to_string(&github_env).unwrap();
                let id = exported
                    .trim()
                    .strip_prefix("PAMCTL_SESSION=")
                    .expect("the step exports the session id");
                assert_eq!(id.len(), 36, "{exported}");
            }
            _ => continue,
        }
        ran += 1;
    }
    assert!(ran >= 12, "only {ran} recipes were found and run");

    // What the recipes did, seen from the wire: uma's sessions ended, the approved one ran.
    let http = server.http();
    let admin = http.sign_in("admin", DEV_PASSWORD);
    let sessions = http
        .get("/api/v1/ActivitySession/Search?take=500", &admin)
        .expect(200)
        .json();
    let messages: Vec<String> = sessions["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!(
                "{} {} {}",
                s["userDisplayName"], s["managedResourceName"], s["statusMessage"]
            )
        })
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("\"uma\" \"db01\" \"Available\"")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("\"ci-bot\" \"db01\" \"Complete\"")
                || m.contains("\"ci-bot\" \"db01\" \"Canceling\"")),
        "{messages:#?}"
    );
}
