//! Dynamic completion (`COMPLETE=fish pamctl -- pamctl ...`, what the shell hook runs) of
//! profile names, and of activities, resources and sessions from a real dev server; and the
//! man pages a `cargo install` user writes with `pamctl man`.

mod common;

use std::time::{Duration, Instant};

use common::{DEV_PASSWORD, Server, TestEnv, stderr_of, stdout_of};

/// The candidates the shell would offer for the last word of `line` (fish's protocol: one
/// `value<TAB>help` per line).
fn candidates(env: &TestEnv, line: &[&str]) -> Vec<String> {
    let mut args = vec!["--", "pamctl"];
    args.extend_from_slice(line);
    let output = env.pamctl(&args).env("COMPLETE", "fish").output().unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    stdout_of(&output)
        .lines()
        .map(|l| l.split('\t').next().unwrap().to_owned())
        .filter(|v| !v.starts_with('-'))
        .collect()
}

#[test]
fn profile_names_complete_from_the_profile_file_without_a_server() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.profile_file().parent().unwrap()).unwrap();
    std::fs::write(
        env.profile_file(),
        "current = \"work\"\n\n[profiles.work]\nserver = \"http://127.0.0.1:9\"\nuser = \"uma\"\n\n\
         [profiles.lab]\nserver = \"http://127.0.0.1:9\"\n\n[profiles.prod]\nserver = \"https://nps.example.com\"\n",
    )
    .unwrap();
    assert_eq!(
        candidates(&env, &["--profile", ""]),
        ["lab", "prod", "work"]
    );
    assert_eq!(candidates(&env, &["--profile", "p"]), ["prod"]);
    assert_eq!(
        candidates(&env, &["profile", "use", ""]),
        ["lab", "prod", "work"]
    );
    assert_eq!(candidates(&env, &["profile", "show", "w"]), ["work"]);

    // The current profile's server is not there (port 9): nothing, quickly, no error.
    let started = Instant::now();
    assert!(candidates(&env, &["session", "show", ""]).is_empty());
    assert!(candidates(&env, &["session", "create", "--activity", ""]).is_empty());
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn activities_resources_and_sessions_complete_from_the_server() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    assert_eq!(
        candidates(&env, &["session", "create", "--activity", ""]),
        ["Database Read Write", "Linux Admin", "Windows Local Admin"]
    );
    assert_eq!(
        candidates(
            &env,
            &[
                "session",
                "create",
                "--activity",
                "Linux Admin",
                "--resource",
                "w"
            ]
        ),
        ["web01", "web02", "win01"]
    );
    assert_eq!(
        candidates(&env, &["resource", "list", "--activity", "Data"]),
        ["Database Read Write"]
    );

    env.login(&server.url, "uma", DEV_PASSWORD, &["--profile", "uma"])
        .assert()
        .success();
    let web = env.json(&[
        "session",
        "create",
        "--activity",
        "Linux Admin",
        "--resource",
        "web01",
    ]);
    let db = env.json(&[
        "session",
        "create",
        "--activity",
        "Database Read Write",
        "--resource",
        "db01",
        "--note",
        "x",
    ]);
    let web_id = web["id"].as_str().unwrap().to_owned();
    let db_id = db["id"].as_str().unwrap().to_owned();
    let mut sessions = candidates(&env, &["session", "show", ""]);
    sessions.sort();
    let mut both = vec![web_id.clone(), db_id.clone()];
    both.sort();
    assert_eq!(sessions, both);
    let to_end = candidates(&env, &["session", "end", &web_id[..6]]);
    assert_eq!(to_end, std::slice::from_ref(&web_id));

    // A finished session is still there to show, but no longer to end.
    env.ok(&["session", "end", &web_id]);
    env.ok(&[
        "session",
        "wait",
        &web_id,
        "--for",
        "complete",
        "--timeout",
        "30s",
    ]);
    assert!(candidates(&env, &["session", "end", &web_id[..6]]).is_empty());
    assert_eq!(
        candidates(&env, &["session", "logs", &web_id[..6]]).len(),
        1
    );

    // Approval IDs are the requests waiting for the caller: rita sees uma's db01 request.
    env.login(&server.url, "rita", DEV_PASSWORD, &["--profile", "rita"])
        .assert()
        .success();
    assert_eq!(candidates(&env, &["approval", "approve", ""]), [db_id]);
}

#[test]
fn the_shell_hook_and_man_pages_are_there_for_installed_users() {
    let env = TestEnv::new();
    let hook = env.pamctl(&[]).env("COMPLETE", "bash").output().unwrap();
    assert!(hook.status.success());
    let script = stdout_of(&hook);
    assert!(
        script.contains("complete ") && script.contains("COMPLETE=\"bash\""),
        "{script}"
    );

    let dir = env.path("man/man1");
    let written = env.run(&["man", "--dir", dir.to_str().unwrap()]);
    assert!(written.status.success(), "{}", stderr_of(&written));
    for page in [
        "pamctl.1",
        "pamctl-session-list.1",
        "pamctl-profile-use.1",
        "pamctl-man.1",
    ] {
        let text =
            std::fs::read_to_string(dir.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(text.contains(".TH"), "{page} is a man page");
    }
    let one = env.ok(&["man"]);
    assert!(
        one.contains(".TH pamctl 1"),
        "{}",
        &one[..one.len().min(200)]
    );
}
