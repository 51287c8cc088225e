//! Multi-ID commands and filters as scripts meet them: one result per item and the rest still
//! run, exit codes that say why, bulk decisions that are confirmed, filters that refuse what
//! names nothing, and lists that never silently cap. The real binary against a real
//! `pamctl server --dev`.

mod common;

use std::process::Output;

use common::{DEV_PASSWORD, Gateway, Server, TestEnv, stderr_of, stdout_of};
use serde_json::Value;

fn sign_in(env: &TestEnv, server: &Server, users: &[&str]) {
    for user in users {
        env.login(&server.url, user, DEV_PASSWORD, &["--profile", user])
            .assert()
            .success();
    }
}

fn with_stdin(env: &TestEnv, args: &[&str], stdin: &str) -> Output {
    env.pamctl(args)
        .write_stdin(stdin.to_owned())
        .output()
        .expect("run pamctl")
}

/// `session create` as `profile`; returns the new session's id.
fn create(env: &TestEnv, profile: &str, activity: &str, resource: &str) -> String {
    let created = env.json(&[
        "--profile",
        profile,
        "session",
        "create",
        "--activity",
        activity,
        "--resource",
        resource,
    ]);
    created["id"].as_str().expect("an id").to_owned()
}

fn state(env: &TestEnv, id: &str) -> String {
    env.json(&["--profile", "dev", "session", "show", id])["state"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A hex prefix that starts none of `ids`.
fn unused_prefix(ids: &[&str]) -> String {
    ["0000000", "fffffff", "1234567", "abcdef0"]
        .into_iter()
        .find(|p| !ids.iter().any(|id| id.starts_with(p)))
        .unwrap()
        .to_owned()
}

#[test]
fn one_bad_id_fails_only_its_own_item_and_the_exit_code_says_why() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    sign_in(&env, &server, &["uma"]);
    let a = create(&env, "uma", "Linux Admin", "web01");
    let b = create(&env, "uma", "Linux Admin", "web02");
    let unknown = unused_prefix(&[&a, &b]);

    // A malformed line and an unknown prefix between two good IDs: both good ones are ended,
    // each item has its line, in order; two different reasons make exit 1.
    let stdin = format!("{a}\nnot-an-id!\n{unknown}\n{b}\n");
    let mixed = with_stdin(&env, &["--profile", "dev", "session", "end", "-"], &stdin);
    assert_eq!(mixed.status.code(), Some(1), "{}", stderr_of(&mixed));
    let lines: Vec<String> = stdout_of(&mixed).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert_eq!(lines[0], format!("{a} ended"));
    assert!(
        lines[1].starts_with("not-an-id! error: ") && lines[1].contains("not a session ID"),
        "{lines:?}"
    );
    assert!(
        lines[2].starts_with(&format!("{unknown} error: no session")),
        "{lines:?}"
    );
    assert_eq!(lines[3], format!("{b} ended"));
    assert!(
        stderr_of(&mixed).contains("2 of 4 sessions could not be ended"),
        "{}",
        stderr_of(&mixed)
    );
    for id in [&a, &b] {
        assert_ne!(state(&env, id), "Available", "{id} was ended");
    }

    // Every item failed the same way: not found (3), with each item's result as JSON.
    let missing = env
        .pamctl(&[
            "--profile",
            "dev",
            "session",
            "end",
            &unknown,
            "00000000-0000-4000-8000-000000000000",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(3), "{}", stderr_of(&missing));
    let items: Value = serde_json::from_slice(&missing.stdout).unwrap();
    assert_eq!(items.as_array().unwrap().len(), 2, "{items}");
    assert!(
        items
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["ok"] == false && i["code"] == 3)
    );

    // A user may not lock: every item is not allowed (4), one ID or several.
    let c = create(&env, "uma", "Linux Admin", "web01");
    let d = create(&env, "uma", "Linux Admin", "web02");
    let one = env.run(&["--profile", "uma", "session", "lock", &c]);
    assert_eq!(one.status.code(), Some(4), "{}", stderr_of(&one));
    let both = env.run(&["--profile", "uma", "session", "lock", &c, &d]);
    assert_eq!(both.status.code(), Some(4), "{}", stderr_of(&both));
    assert_eq!(stdout_of(&both).lines().count(), 2);

    // A lock and an unknown ID: the good one is locked, the one failure sets the code.
    let mixed_lock = env.run(&["--profile", "dev", "session", "lock", &c, &unknown]);
    assert_eq!(
        mixed_lock.status.code(),
        Some(3),
        "only the unknown one failed"
    );
    assert_eq!(state(&env, &c), "Locked");
    let mixed_reasons = env.run(&["--profile", "dev", "session", "unlock", &c, "x!"]);
    assert_eq!(
        mixed_reasons.status.code(),
        Some(2),
        "a malformed ID alone failed: usage"
    );
    assert_eq!(state(&env, &c), "Available");
}

#[test]
fn bulk_decisions_are_confirmed_and_a_single_one_is_not() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    sign_in(&env, &server, &["uma", "rita"]);
    let first = create(&env, "uma", "Database Read Write", "db01");
    let second = create(&env, "uma", "Database Read Write", "db01");

    // Off a terminal, several IDs or `-` need --yes; nothing is decided without it.
    let several = env.run(&["--profile", "rita", "approval", "approve", &first, &second]);
    assert_eq!(several.status.code(), Some(2), "{}", stderr_of(&several));
    assert!(
        stderr_of(&several).contains("--yes"),
        "{}",
        stderr_of(&several)
    );
    let piped = with_stdin(
        &env,
        &[
            "--profile",
            "rita",
            "approval",
            "deny",
            "-",
            "--reason",
            "no",
        ],
        &format!("{first}\n{second}\n"),
    );
    assert_eq!(piped.status.code(), Some(2), "{}", stderr_of(&piped));
    for id in [&first, &second] {
        assert_eq!(state(&env, id), "Waiting for Approval");
    }

    // One explicit ID needs no --yes; with --yes a piped list is decided.
    assert_eq!(
        env.ok(&["--profile", "rita", "approval", "approve", &first]),
        format!("{first} approved\n")
    );
    let denied = with_stdin(
        &env,
        &[
            "--profile",
            "rita",
            "approval",
            "deny",
            "-",
            "--yes",
            "--reason",
            "use the replica",
        ],
        &format!("{second}\n"),
    );
    assert!(denied.status.success(), "{}", stderr_of(&denied));
    assert_eq!(stdout_of(&denied), format!("{second} denied\n"));
    assert_eq!(state(&env, &second), "Denied");
    assert_ne!(state(&env, &first), "Waiting for Approval");
}

#[test]
fn filters_refuse_unknown_values_and_types_work_as_categories() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    sign_in(&env, &server, &["uma"]);
    let web = create(&env, "uma", "Linux Admin", "web01");
    let db = create(&env, "uma", "Database Read Write", "db01");
    let win = create(&env, "uma", "Windows Local Admin", "win01");

    let bad_status = env.run(&["session", "list", "--status", "sleeping"]);
    assert_eq!(bad_status.status.code(), Some(2));
    assert!(
        stderr_of(&bad_status).contains("Waiting for Approval"),
        "the valid values are listed: {}",
        stderr_of(&bad_status)
    );
    let bad_type = env.run(&["session", "list", "--type", "mainframe"]);
    assert_eq!(bad_type.status.code(), Some(2), "{}", stderr_of(&bad_type));
    let said = stderr_of(&bad_type);
    assert!(
        said.contains("database") && said.contains("linux") && said.contains("PostgreSQL"),
        "{said}"
    );
    let bad_end = env.run(&[
        "--profile",
        "dev",
        "session",
        "end",
        "--type",
        "mainframe",
        "--yes",
    ]);
    assert_eq!(bad_end.status.code(), Some(2), "nothing is ended");
    assert_eq!(state(&env, &web), "Available");

    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["session", "list", "-q"];
        all.extend_from_slice(args);
        env.ok(&all).lines().map(str::to_owned).collect()
    };
    assert_eq!(ids(&["--type", "database"]), vec![db.clone()]);
    assert_eq!(ids(&["--type", "DATABASE"]), vec![db.clone()]);
    assert_eq!(ids(&["--type", "postgresql"]), vec![db.clone()]);
    assert_eq!(ids(&["--type", "linux"]), vec![web.clone()]);
    assert_eq!(ids(&["--type", "windows"]), vec![win.clone()]);

    // A resource named twice is one session.
    let twice = env.json(&[
        "--profile",
        "uma",
        "session",
        "create",
        "--activity",
        "Linux Admin",
        "--resource",
        "web02",
        "--resource",
        "WEB02",
    ]);
    assert!(twice.is_object(), "one session, not a group: {twice}");
    assert_eq!(ids(&["--resource", "web02"]).len(), 1);
}

#[test]
fn lists_for_pipes_are_complete_and_the_newest_comes_first() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    sign_in(&env, &server, &["uma"]);
    let created: Vec<String> = (0..3)
        .map(|i| {
            create(
                &env,
                "uma",
                "Linux Admin",
                if i % 2 == 0 { "web01" } else { "web02" },
            )
        })
        .collect();
    let listed: Vec<String> = env
        .ok(&["session", "list", "-q"])
        .lines()
        .map(str::to_owned)
        .collect();
    let mut newest_first = created.clone();
    newest_first.reverse();
    assert_eq!(listed, newest_first);
    let oldest_first: Vec<String> = env
        .ok(&["session", "list", "-q", "--asc"])
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(oldest_first, created);

    // A table under its limit says how many more there are, on stdout.
    let table = env.ok(&["session", "list", "--limit", "2"]);
    assert!(
        table.contains("… and 1 more (--limit 0 shows all)"),
        "{table}"
    );

    // A `--limit 2` list asks only for what it shows when the server filters (one request);
    // a server that does not (Privilege Secure) is read through and filtered here.
    let http = server.http();
    let admin = http.sign_in("admin", DEV_PASSWORD);
    let probe = http
        .get("/api/v1/ActivitySession/Search?take=1&active=true", &admin)
        .expect(200)
        .json();
    let traced = env
        .pamctl(&["-v", "session", "list", "--limit", "2"])
        .output()
        .unwrap();
    assert!(traced.status.success(), "{}", stderr_of(&traced));
    let searches = stderr_of(&traced)
        .lines()
        .filter(|l| l.starts_with("> GET") && l.contains("/ActivitySession/Search"))
        .count();
    if probe["filtersApplied"] == true {
        assert_eq!(searches, 1, "{}", stderr_of(&traced));
    } else {
        assert!(searches >= 1);
    }
}

#[test]
fn logs_until_stops_at_the_time_given() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    sign_in(&env, &server, &["uma"]);
    let id = create(&env, "uma", "Linux Admin", "web01");
    env.ok(&["session", "wait", &id, "--timeout", "30s"]);
    env.ok(&["session", "end", &id]);
    env.ok(&[
        "session",
        "wait",
        &id,
        "--for",
        "complete",
        "--timeout",
        "30s",
    ]);
    let all = env.json(&["session", "logs", &id]);
    let all = all.as_array().unwrap();
    assert!(all.len() >= 3, "{all:?}");
    let times: Vec<chrono::DateTime<chrono::Utc>> = all
        .iter()
        .map(|l| l["timestamp"].as_str().unwrap().parse().unwrap())
        .collect();
    // The first line's time: at least that line, and none after it.
    let until = times[0];
    let cut = env.json(&[
        "session",
        "logs",
        &id,
        "--until",
        &until.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
    ]);
    let cut = cut.as_array().unwrap();
    assert!(!cut.is_empty());
    assert!(cut.len() < all.len(), "later lines are left out: {cut:?}");
    assert_eq!(
        cut.len(),
        times.iter().filter(|t| **t <= until).count(),
        "{cut:?}"
    );
    let follow = env.run(&["session", "logs", &id, "--follow", "--until", "now"]);
    assert_eq!(follow.status.code(), Some(2));
}

/// On a terminal a bulk decision asks first: "no" decides nothing, "yes" decides them all.
#[cfg(unix)]
#[test]
fn on_a_terminal_a_bulk_decision_asks_first() {
    use expectrl::Expect;
    use expectrl::process::unix::WaitStatus;
    use expectrl::session::OsSession;

    let env = TestEnv::new();
    let server = Server::dev(&env);
    sign_in(&env, &server, &["uma", "rita"]);
    let first = create(&env, "uma", "Database Read Write", "db01");
    let second = create(&env, "uma", "Database Read Write", "db01");
    let decide = |answer: &str| -> i32 {
        let mut command = env.command();
        command
            .args(["--profile", "rita", "approval", "approve", &first, &second])
            .env("TERM", "xterm");
        let mut session = OsSession::spawn(command).expect("a pseudo-terminal");
        session.set_expect_timeout(Some(std::time::Duration::from_secs(10)));
        session
            .expect("Approve 2 requests?")
            .expect("the question is asked");
        session.send(answer).unwrap();
        // Drain what it prints until it ends, so it never blocks on a full terminal.
        let _ = session.expect(expectrl::Eof);
        match session.get_process().wait().unwrap() {
            WaitStatus::Exited(_, code) => code,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(decide("n"), 1, "no: nothing was approved");
    for id in [&first, &second] {
        assert_eq!(state(&env, id), "Waiting for Approval");
    }
    assert_eq!(decide("y"), 0);
    for id in [&first, &second] {
        assert_ne!(state(&env, id), "Waiting for Approval");
    }
}

/// Against a server without pamctl's batch end (Privilege Secure answers 404 for it), `end`
/// falls back to one DELETE per session and prints the same lines and exit code.
#[test]
fn without_the_batch_endpoint_end_falls_back_to_one_delete_per_session() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let gateway = Gateway::start(&server.url, |method, path| {
        method == "POST"
            && path
                .to_lowercase()
                .starts_with("/api/v1/activitysession/end")
    });
    sign_in(&env, &server, &["uma"]);
    env.login(&gateway.url, "admin", DEV_PASSWORD, &["--profile", "old"])
        .assert()
        .success();
    let a = create(&env, "uma", "Linux Admin", "web01");
    let b = create(&env, "uma", "Linux Admin", "web02");
    let unknown = "00000000-0000-4000-8000-00000000beef";

    let stdin = format!("{a}\n{unknown}\n{b}\n");
    let ended = with_stdin(&env, &["--profile", "old", "session", "end", "-"], &stdin);
    assert_eq!(ended.status.code(), Some(3), "{}", stderr_of(&ended));
    let lines: Vec<String> = stdout_of(&ended).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0], format!("{a} ended"));
    assert!(
        lines[1].starts_with(&format!("{unknown} error: no activity session")),
        "{lines:?}"
    );
    assert_eq!(lines[2], format!("{b} ended"));
    assert_eq!(gateway.refused().len(), 1, "one batch asked for");
    for id in [&a, &b] {
        assert_ne!(state(&env, id), "Available", "{id} was ended");
    }

    // The same through the server itself, in one batch: the same lines, the same code.
    let c = create(&env, "uma", "Linux Admin", "web01");
    let stdin = format!("{c}\n{unknown}\n");
    let direct = with_stdin(&env, &["--profile", "dev", "session", "end", "-"], &stdin);
    assert_eq!(direct.status.code(), Some(3), "{}", stderr_of(&direct));
    assert_eq!(
        stdout_of(&direct),
        format!("{c} ended\n{}\n", lines[1]),
        "the same line for the same failure"
    );
}
