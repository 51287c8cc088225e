//! The README's recipes, run as written: every `sh` block from "A first tour" to the end of
//! "Usage", in order and in one home, against a dev broker (only the server address is the
//! test server's); the CI script (under POSIX `sh`) and the GitHub Actions step's `run` script
//! (under `bash -e`, as Actions runs it) with a reviewer approving meanwhile, and again with
//! one denying and with nobody deciding: then the job must fail and its guarded step not run.

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

/// The first `run: |` script of a GitHub Actions step (up to the next, less indented, key).
fn actions_run_script(yaml: &str) -> String {
    let mut lines = yaml
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("run: |"));
    let header = lines.next().expect("a run: | script");
    let indent = header.len() - header.trim_start().len() + 2;
    lines
        .take_while(|l| l.trim().is_empty() || l.len() - l.trim_start().len() >= indent)
        .map(|l| l.get(indent..).unwrap_or("").to_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The comment in the CI recipe where the job's real work goes.
const GUARDED_STEP: &str = "# ... run the migration against db01 here ...";

/// The CI script with its guarded step made visible: it writes the file `$GUARDED`.
fn ci_script(body: &str) -> String {
    assert!(
        body.contains(GUARDED_STEP),
        "the recipe has its guarded step"
    );
    body.replace(GUARDED_STEP, "touch \"$GUARDED\"")
}

/// The Actions step's script (in a subshell, as its own step) followed by what the next step
/// stands for, which runs only when this one succeeded.
fn actions_script(body: &str) -> String {
    format!("(\n{}\n)\ntouch \"$GUARDED\"\n", actions_run_script(body))
}

struct Shell<'a> {
    env: &'a TestEnv,
    server_url: String,
    bin_dir: PathBuf,
}

impl Shell<'_> {
    /// Runs a recipe block under `bash -e -o pipefail`, as a reader's careful shell would.
    fn run(&self, script: &str, extra_env: &[(&str, String)]) -> std::process::Output {
        self.run_with(&["bash", "-e", "-o", "pipefail", "-c"], script, extra_env)
    }

    /// Runs a script under `shell_and_flags` followed by the script text.
    fn run_with(
        &self,
        shell_and_flags: &[&str],
        script: &str,
        extra_env: &[(&str, String)],
    ) -> std::process::Output {
        let script = script.replace(README_SERVER, &self.server_url);
        let path = format!(
            "{}:{}",
            self.bin_dir.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        // The same isolated environment as the harness gives pamctl, for a shell with pamctl
        // on its PATH.
        let isolated = self.env.command();
        let mut shell = std::process::Command::new(shell_and_flags[0]);
        for (name, value) in isolated.get_envs() {
            match value {
                Some(value) => shell.env(name, value),
                None => shell.env_remove(name),
            };
        }
        shell
            .args(&shell_and_flags[1..])
            .arg(&script)
            .env("PATH", path)
            .envs(extra_env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdin(std::process::Stdio::null())
            .output()
            .expect("bash")
    }
}

/// Approves, as rita, every request waiting for her until stopped.
fn approver(server_url: String, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<usize> {
    reviewer(server_url, stop, "Approve")
}

/// Decides (`Approve` or `Deny`), as rita, every request waiting for her until stopped.
fn reviewer(
    server_url: String,
    stop: Arc<AtomicBool>,
    decision: &'static str,
) -> std::thread::JoinHandle<usize> {
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
                let body = (decision == "Deny").then(|| "\"change freeze\"".to_owned());
                http.send(
                    "POST",
                    &format!("/api/v1/ActivitySession/{id}/{decision}"),
                    Some(&rita),
                    body.as_deref(),
                )
                .expect(200);
                approved += 1;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        approved
    })
}

fn ci_bot_key(env: &TestEnv) -> String {
    std::fs::read_to_string(env.server_data_dir().join("ci-bot.key"))
        .unwrap()
        .trim()
        .to_owned()
}

/// The CI recipe as a file run by POSIX `sh` (dash here: no pipefail to lean on).
fn run_ci_sh(
    shell: &Shell,
    env: &TestEnv,
    server: &Server,
    body: &str,
    guarded: &Path,
) -> std::process::Output {
    let script = env.write(
        "ci.sh",
        &ci_script(body).replace(README_SERVER, &server.url),
    );
    shell.run_with(
        &["sh", &script.display().to_string()],
        "",
        &[
            ("PAMCTL_SERVER", server.url.clone()),
            ("CI_BOT_KEY", ci_bot_key(env)),
            ("GIT_COMMIT", "abc1234".to_owned()),
            ("GUARDED", guarded.display().to_string()),
        ],
    )
}

/// The Actions step's `run` script under `bash -e`, GitHub's default shell (no pipefail).
fn run_actions(
    shell: &Shell,
    env: &TestEnv,
    server: &Server,
    body: &str,
    github_env: &Path,
    guarded: &Path,
) -> std::process::Output {
    std::fs::write(github_env, "").unwrap();
    shell.run_with(
        &["bash", "-e", "-c"],
        &actions_script(body),
        &[
            ("PAMCTL_SERVER", server.url.clone()),
            ("CI_BOT_KEY", ci_bot_key(env)),
            ("GITHUB_SHA", "0123abcd".to_owned()),
            ("GITHUB_ENV", github_env.display().to_string()),
            ("GUARDED", guarded.display().to_string()),
        ],
    )
}

/// `count` unfinished Linux Admin sessions on `resource`, spread over the Web Ops users.
fn seed_sessions(server: &Server, resource: &str, count: usize) {
    let http = server.http();
    for (index, user) in ["uma", "ulf"].iter().enumerate() {
        let token = http.sign_in(user, DEV_PASSWORD);
        let share = count / 2 + if index == 0 { count % 2 } else { 0 };
        let requests: Vec<serde_json::Value> = (0..share)
            .map(|i| {
                serde_json::json!({
                    "activityName": "Linux Admin",
                    "managedResourceName": resource,
                    "note": format!("bulk {user} {i}"),
                })
            })
            .collect();
        http.send(
            "POST",
            "/api/v1/ActivitySession/Group",
            Some(&token),
            Some(&serde_json::Value::from(requests).to_string()),
        )
        .expect(201);
    }
}

#[test]
fn the_ci_recipes_stop_on_a_denial_and_on_a_timeout() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let bin = assert_cmd::cargo::cargo_bin("pamctl");
    let shell = Shell {
        env: &env,
        server_url: server.url.clone(),
        bin_dir: bin.parent().unwrap().to_path_buf(),
    };
    let recipes = blocks("### In CI", "## Running a broker");
    let sh = &recipes
        .iter()
        .find(|(language, body)| language == "sh" && body.starts_with("#!/bin/sh"))
        .expect("the CI script")
        .1;
    let yaml = &recipes
        .iter()
        .find(|(language, _)| language == "yaml")
        .expect("the Actions step")
        .1;
    let timeout_of = |body: &str| {
        assert!(body.contains("--wait-timeout 30m"), "{body}");
        body.replace("--wait-timeout 30m", "--wait-timeout 3s")
    };
    let http = server.http();
    let admin = http.sign_in("admin", DEV_PASSWORD);
    let state_of = |id: &str| {
        http.get(&format!("/api/v1/ActivitySession/SummaryById/{id}"), &admin)
            .expect(200)
            .json()["statusMessage"]
            .as_str()
            .unwrap()
            .to_owned()
    };

    // A reviewer denies: exit 6, and the migration never runs.
    for (name, run) in [("sh", true), ("actions", false)] {
        let guarded = env.path(&format!("denied-{name}"));
        let github_env = env.path(&format!("denied-{name}-env"));
        let stop = Arc::new(AtomicBool::new(false));
        let denying = reviewer(server.url.clone(), Arc::clone(&stop), "Deny");
        let output = if run {
            run_ci_sh(&shell, &env, &server, sh, &guarded)
        } else {
            run_actions(&shell, &env, &server, yaml, &github_env, &guarded)
        };
        stop.store(true, Ordering::SeqCst);
        assert!(denying.join().unwrap() >= 1, "{name}: the reviewer denied");
        assert_eq!(
            output.status.code(),
            Some(6),
            "{name}: a denial fails the job\n{}",
            stderr_of(&output)
        );
        assert!(!guarded.exists(), "{name}: the guarded step did not run");
    }

    // Nobody decides: exit 7 at the timeout, nothing guarded runs; the sh recipe withdraws
    // its request on the way out, the Actions step leaves its id for the clean-up step.
    let guarded = env.path("timeout-sh");
    let output = run_ci_sh(&shell, &env, &server, &timeout_of(sh), &guarded);
    assert_eq!(output.status.code(), Some(7), "{}", stderr_of(&output));
    assert!(!guarded.exists());
    assert!(
        stdout_of(&output).contains(" ended"),
        "{}",
        stdout_of(&output)
    );

    let guarded = env.path("timeout-actions");
    let github_env = env.path("timeout-actions-env");
    let output = run_actions(
        &shell,
        &env,
        &server,
        &timeout_of(yaml),
        &github_env,
        &guarded,
    );
    assert_eq!(output.status.code(), Some(7), "{}", stderr_of(&output));
    assert!(!guarded.exists());
    let exported = std::fs::read_to_string(&github_env).unwrap();
    let id = exported
        .trim()
        .strip_prefix("PAMCTL_SESSION=")
        .expect("the step exports the session id");
    assert_eq!(
        state_of(id),
        "Waiting for Approval",
        "left for the clean-up step"
    );
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
                let guarded = env.path("guarded-sh");
                let output = run_ci_sh(&shell, &env, &server, body, &guarded);
                stop.store(true, Ordering::SeqCst);
                assert!(
                    output.status.success(),
                    "the CI recipe failed:\n{body}\n{}",
                    stderr_of(&output)
                );
                assert!(guarded.exists(), "with access, the guarded step ran");
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
                let bulk_end = body.contains(
                    "session list --resource web02 -q | pamctl --profile dev session end - --yes",
                );
                if bulk_end {
                    // More sessions than a table shows: the pipe must still end every one.
                    seed_sessions(&server, "web02", 57);
                }
                let output = shell.run(body, &[]);
                if bulk_end {
                    // Every session the pipe ended finishes: one still provisioning when it
                    // was ended is cleaned up once its grant is done, so wait for the broker.
                    let deadline = std::time::Instant::now() + Duration::from_secs(90);
                    let left = loop {
                        let left = env.json(&[
                            "--profile",
                            "dev",
                            "session",
                            "list",
                            "--resource",
                            "web02",
                        ]);
                        let left = left.as_array().unwrap().len();
                        if left == 0 || std::time::Instant::now() > deadline {
                            break left;
                        }
                        std::thread::sleep(Duration::from_millis(250));
                    };
                    assert!(
                        left == 0,
                        "the bulk end ended all, but {left} are left; it said:\n{}{}",
                        stdout_of(&output),
                        stderr_of(&output)
                    );
                    let ended = stdout_of(&output)
                        .lines()
                        .filter(|l| l.ends_with(" ended"))
                        .count();
                    assert!(ended > 57, "{ended} ended");
                }
                assert!(
                    output.status.success(),
                    "README recipe failed:\n{body}\n--- stdout\n{}--- stderr\n{}",
                    stdout_of(&output),
                    stderr_of(&output)
                );
            }
            "yaml" => {
                let github_env = env.path("github-env");
                let guarded = env.path("guarded-actions");
                let stop = Arc::new(AtomicBool::new(false));
                let approving = approver(server.url.clone(), Arc::clone(&stop));
                let output = run_actions(&shell, &env, &server, body, &github_env, &guarded);
                stop.store(true, Ordering::SeqCst);
                approving.join().unwrap();
                assert!(
                    output.status.success(),
                    "the Actions step failed:\n{body}\n{}",
                    stderr_of(&output)
                );
                assert!(guarded.exists(), "with access, the next step ran");
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

/// A free port on 127.0.0.1 (released at once, for a server the recipe starts).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}

/// The recipe under "Replicas", as written, in a directory of its own, with a throwaway
/// PostgreSQL database in `PAMCTL_DATABASE_URL` and free ports for 6501 and 6502: a session
/// created through one replica is ended through the other and completes.
#[test]
fn the_replicas_recipe_runs_as_written() {
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let Some(url) = runtime.block_on(common::postgres::fresh_database()) else {
        return;
    };
    let recipes: Vec<String> = blocks("### Replicas", "## Global flags")
        .into_iter()
        .filter(|(language, _)| language == "sh")
        .map(|(_, body)| body)
        .collect();
    assert_eq!(recipes.len(), 1, "one recipe for replicas");
    let mut script = recipes[0].clone();
    for port in ["6501", "6502"] {
        let address = format!("127.0.0.1:{port}");
        assert!(script.contains(&address), "the recipe uses {address}");
        script = script.replace(&address, &format!("127.0.0.1:{}", free_port()));
    }
    let env = TestEnv::new();
    let workdir = env.path("recipe");
    std::fs::create_dir_all(&workdir).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("pamctl");
    let shell = Shell {
        env: &env,
        server_url: README_SERVER.to_owned(),
        bin_dir: bin.parent().unwrap().to_path_buf(),
    };
    let output = shell.run(
        &format!("cd \"$RECIPE_DIR\"\n{script}"),
        &[
            ("PAMCTL_DATABASE_URL", url),
            ("RECIPE_DIR", workdir.display().to_string()),
        ],
    );
    let (stdout, stderr) = (stdout_of(&output), stderr_of(&output));
    let logs = |replica: &str| {
        std::fs::read_to_string(workdir.join(replica).join("log")).unwrap_or_default()
    };
    assert!(
        output.status.success(),
        "the replicas recipe failed:\n{stderr}\n{stdout}\nreplica A:\n{}\nreplica B:\n{}",
        logs("replica-a"),
        logs("replica-b")
    );
    assert!(stdout.contains(" ended"), "{stdout}");
    assert!(
        stdout.contains("via A") || stdout.contains("complete"),
        "{stdout}"
    );
    assert!(stdout.contains("\"backend\":\"postgres\""), "{stdout}");
    for replica in ["replica-a", "replica-b"] {
        assert!(
            logs(replica).contains("broker instance registered"),
            "{replica} logs its instance id:\n{}",
            logs(replica)
        );
    }
}
