//! The approval commands and waiting through approval, as reviewers, users and CI jobs drive
//! them: the real binary against a real `pamctl server`.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{DEV_PASSWORD, Server, ServerOptions, TestEnv, stderr_of, stdout_of};
use serde_json::Value;

const WAIT: &str = "60s";
/// How long a test waits for a child process that should finish on its own.
const CHILD_LIMIT: Duration = Duration::from_secs(60);

/// The dev seed plus a policy whose tiers decide in order, and one whose approval times out
/// at once.
const CONFIG: &str = r#"
[[activities]]
name = "Tiered Change"
platform = "Linux"

[[activities]]
name = "Short Fuse Task"
platform = "Linux"

[[policies]]
name = "Tiered"
users = ["uma"]
activities = ["Tiered Change"]
resources = ["web01"]
max_duration = "2h"
[[policies.approval]]
approvers = ["rita"]
required = 1
[[policies.approval]]
approvers = ["ravi"]
required = 1

[[policies]]
name = "Short Fuse"
users = ["uma"]
activities = ["Short Fuse Task"]
resources = ["web02"]
max_duration = "1h"
approval_timeout = "2s"
[[policies.approval]]
approvers = ["rita"]
"#;

fn start_with_policies(env: &TestEnv) -> Server {
    let path = env.write("approvals.toml", CONFIG);
    Server::start(
        env,
        ServerOptions {
            config: Some(&path),
            ..Default::default()
        },
    )
}

/// Signs each user in, in a profile of their name; the last one becomes the current profile.
fn sign_in(env: &TestEnv, server: &Server, users: &[&str]) {
    for user in users {
        env.login(&server.url, user, DEV_PASSWORD, &["--profile", user])
            .assert()
            .success();
    }
}

fn run_with_stdin(env: &TestEnv, args: &[&str], stdin: &str) -> Output {
    env.pamctl(args)
        .write_stdin(stdin.to_owned())
        .output()
        .expect("run pamctl")
}

/// `session create` as `profile`, without waiting; returns the new session's id.
fn request(env: &TestEnv, profile: &str, activity: &str, resource: &str, note: &str) -> String {
    let created = env.json(&[
        "--profile",
        profile,
        "session",
        "create",
        "--activity",
        activity,
        "--resource",
        resource,
        "--note",
        note,
        "--ticket",
        "CHG-7",
    ]);
    assert_eq!(created["state"], "Waiting for Approval", "{created}");
    created["id"].as_str().expect("id").to_owned()
}

fn state_of(env: &TestEnv, id: &str) -> String {
    let shown = env.json(&["--profile", "dev", "session", "show", id]);
    shown["state"].as_str().expect("state").to_owned()
}

/// A pamctl process in the background, its output collected.
fn spawn(env: &TestEnv, args: &[&str]) -> Child {
    let mut command = env.command();
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command.spawn().expect("spawn pamctl")
}

/// Waits for a background pamctl to end by itself (killing it after CHILD_LIMIT).
fn finish(mut child: Child) -> Output {
    let deadline = Instant::now() + CHILD_LIMIT;
    while child.try_wait().expect("poll child").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let output = child.wait_with_output().expect("child output");
            panic!(
                "pamctl did not finish; stderr so far:\n{}",
                stderr_of(&output)
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    child.wait_with_output().expect("child output")
}

/// Polls `approval list -q` as `profile` until `wanted` ids are listed; returns them.
fn pending_ids(env: &TestEnv, profile: &str, wanted: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let listed = env.ok(&["--profile", profile, "approval", "list", "-q"]);
        let ids: Vec<String> = listed.lines().map(str::to_owned).collect();
        if ids.len() >= wanted {
            return ids;
        }
        assert!(
            Instant::now() < deadline,
            "{profile} never saw {wanted} pending requests: {ids:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|line| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("one JSON event per line ({e}): {line}"))
        })
        .collect()
}

#[test]
fn a_ci_job_waits_through_approval_and_gets_json_when_a_reviewer_approves() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    sign_in(&env, &server, &["rita"]);
    // The CI recipe: sign in with the application's API key from a secret.
    let key = std::fs::read_to_string(env.server_data_dir().join("ci-bot.key")).expect("key");
    env.pamctl(&[
        "login",
        "--server",
        &server.url,
        "--user",
        "ci-bot",
        "--api-key-stdin",
        "--profile",
        "ci",
    ])
    .write_stdin(key)
    .assert()
    .success();

    let job = spawn(
        &env,
        &[
            "--profile",
            "ci",
            "session",
            "create",
            "--activity",
            "Database Read Write",
            "--resource",
            "db01",
            "--note",
            "nightly migration",
            "--wait",
            "--wait-timeout",
            WAIT,
            "-o",
            "json",
        ],
    );
    let ids = pending_ids(&env, "rita", 1);
    let id = ids[0].clone();
    let short = &id[..8];

    // The reviewer's list: the exact columns, the request, no approval yet.
    let table = env.ok(&["--profile", "rita", "approval", "list"]);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 2, "a header and the request:\n{table}");
    assert_eq!(
        common::cells(lines[0]),
        [
            "ID",
            "REQUESTED",
            "REQUESTER",
            "ACTIVITY",
            "HOST",
            "TICKET",
            "NOTE",
            "APPROVALS",
            "EXPIRES"
        ]
    );
    let row = common::cells(lines[1]);
    assert_eq!(row.len(), 8, "no ticket, so one cell fewer: {row:?}");
    assert_eq!(row[0], short);
    assert!(row[1].ends_with('Z'), "UTC off a terminal: {row:?}");
    assert_eq!(
        row[2..7],
        [
            "ci-bot",
            "Database Read Write",
            "db01",
            "nightly migration",
            "0/1"
        ]
    );
    assert!(row[7].ends_with('Z'), "{row:?}");

    let listed = env.json(&["--profile", "rita", "approval", "list"]);
    let item = &listed.as_array().expect("an array")[0];
    assert_eq!(item["id"], id.as_str());
    assert_eq!(item["state"], "Waiting for Approval");
    assert_eq!(item["status"], 8, "the wire object: SessionSummaryStatus");
    assert_eq!(item["approvalsRequiredInTier"], 1);
    assert_eq!(item["approvals"], Value::Array(Vec::new()));
    assert!(item["approvalExpiresDateTimeUtc"].is_string());

    std::thread::sleep(Duration::from_millis(1000));
    let mut job = job;
    assert!(
        job.try_wait().unwrap().is_none(),
        "the job blocks until someone approves"
    );

    let approved = env.ok(&[
        "--profile",
        "rita",
        "approval",
        "approve",
        short,
        "--note",
        "migration window",
    ]);
    assert_eq!(approved, format!("{id} approved\n"));

    let output = finish(job);
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let session: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("JSON on stdout ({e}): {}", stdout_of(&output)));
    assert_eq!(session["id"], id.as_str());
    assert_eq!(session["state"], "Available");
    let decision = &session["approvalWorkflowApprovals"][0];
    assert_eq!(decision["modifiedByUserName"], "rita");
    assert_eq!(decision["approverNotes"], "migration window");

    let events = json_lines(&stderr_of(&output));
    assert_eq!(events[0]["event"], "state");
    assert_eq!(events[0]["state"], "Waiting for Approval");
    let approval = events
        .iter()
        .find(|e| e["event"] == "approval")
        .unwrap_or_else(|| panic!("an approval event: {events:?}"));
    assert_eq!(approval["by"], "rita");
    assert_eq!(approval["decision"], "approved");
    assert_eq!(approval["notes"], "migration window");
    assert_eq!(approval["approvals"].as_array().unwrap().len(), 1);
    let last = events.last().unwrap();
    assert_eq!(last["state"], "Available");
    assert_eq!(last["approvals"][0]["modifiedByUserName"], "rita");
    assert!(events.iter().all(|e| e["id"] == id.as_str()));

    // It is done with the access; nothing waits for rita any more.
    assert_eq!(
        env.ok(&["--profile", "ci", "session", "end", short]),
        format!("{id} ended\n")
    );
    assert_eq!(env.ok(&["--profile", "rita", "approval", "list", "-q"]), "");
    let empty = env.run(&["--profile", "rita", "approval", "list"]);
    assert_eq!(stdout_of(&empty), "");
    assert!(stderr_of(&empty).contains("No requests wait for your decision"));
    assert_eq!(
        env.json(&["--profile", "rita", "approval", "list"]),
        Value::Array(Vec::new())
    );
}

#[test]
fn reviewers_decide_by_prefix_or_from_stdin_and_every_item_is_reported() {
    let env = TestEnv::new();
    let server = start_with_policies(&env);
    sign_in(&env, &server, &["rita", "ravi", "uma"]);
    let first = request(&env, "uma", "Database Read Write", "db01", "first");
    let second = request(&env, "uma", "Database Read Write", "db01", "second");
    let glass = request(&env, "uma", "Windows Local Admin", "win01", "break glass");
    let tiered = request(&env, "uma", "Tiered Change", "web01", "tiered");

    // What waits for whom, and how far each has come.
    let table = env.ok(&["--profile", "rita", "approval", "list"]);
    let progress_of = |table: &str, id: &str| -> String {
        let line = table
            .lines()
            .find(|line| line.trim_start().starts_with(&id[..8]))
            .unwrap_or_else(|| panic!("{id} is not listed:\n{table}"));
        let row = common::cells(line);
        assert_eq!(row.len(), 9, "{row:?}");
        assert_eq!(row[2], "uma");
        assert_eq!(row[5], "CHG-7");
        row[7].clone()
    };
    assert_eq!(table.lines().count(), 5, "{table}");
    assert_eq!(progress_of(&table, &first), "0/1");
    assert_eq!(progress_of(&table, &glass), "0/2");
    assert_eq!(progress_of(&table, &tiered), "0/1 (tier 1 of 2)");
    let ravi = env.ok(&["--profile", "ravi", "approval", "list", "-q"]);
    assert!(!ravi.contains(&tiered), "tier 2 is not ravi's turn yet");
    assert_eq!(ravi.lines().count(), 3, "{ravi}");
    let searched = env.json(&["--profile", "rita", "approval", "list", "--search", "BREAK"]);
    assert_eq!(searched.as_array().unwrap().len(), 1, "{searched}");
    assert_eq!(searched[0]["id"], glass.as_str());
    assert_eq!(searched[0]["approvalsRequiredInTier"], 2);

    // The tiered request moves to tier 2, ravi's.
    assert_eq!(
        env.ok(&["--profile", "rita", "approval", "approve", &tiered[..8]]),
        format!("{tiered} approved\n")
    );
    let table = env.ok(&["--profile", "ravi", "approval", "list"]);
    assert_eq!(progress_of(&table, &tiered), "0/1 (tier 2 of 2)");
    assert_eq!(state_of(&env, &tiered), "Waiting for Approval");

    // Requesters never decide on their own requests: the broker's 403 is the item's error,
    // and, the only failure, sets the exit code: not allowed (4).
    let own = env.run(&["--profile", "uma", "approval", "approve", &first]);
    assert_eq!(own.status.code(), Some(4), "{}", stderr_of(&own));
    assert!(
        stdout_of(&own).starts_with(&format!("{first} error: "))
            && stdout_of(&own).contains("someone else must approve"),
        "{}",
        stdout_of(&own)
    );

    // A denial needs a reason.
    let no_reason = env.run(&["--profile", "ravi", "approval", "deny", &first]);
    assert_eq!(
        no_reason.status.code(),
        Some(2),
        "{}",
        stderr_of(&no_reason)
    );
    assert!(stderr_of(&no_reason).contains("--reason"));
    let blank = env.run(&[
        "--profile",
        "ravi",
        "approval",
        "deny",
        &first,
        "--reason",
        "  ",
    ]);
    assert_eq!(blank.status.code(), Some(2));
    assert!(
        stderr_of(&blank).contains("hint: "),
        "{}",
        stderr_of(&blank)
    );
    assert_eq!(
        env.run(&["--profile", "ravi", "approval", "approve"])
            .status
            .code(),
        Some(2),
        "IDs are required"
    );
    assert_eq!(state_of(&env, &first), "Waiting for Approval");

    let denied = env.json(&[
        "--profile",
        "ravi",
        "approval",
        "deny",
        &first[..8],
        "--reason",
        "use the replica",
    ]);
    assert_eq!(denied[0]["id"], first.as_str());
    assert_eq!(denied[0]["ok"], true);
    assert_eq!(denied[0]["session"]["state"], "Denied");
    assert_eq!(
        denied[0]["session"]["approvalWorkflowApprovals"][0]["approverNotes"],
        "use the replica"
    );

    // From stdin: the decided one fails with the broker's 409, the others are approved, each
    // on its own line, in order; the exit code is the failure's: refused (5).
    let stdin = format!("{first}\n\n{}\n{}\n", &second[..8], &glass[..8]);
    let mixed = run_with_stdin(
        &env,
        &["--profile", "rita", "approval", "approve", "-", "--yes"],
        &stdin,
    );
    assert_eq!(mixed.status.code(), Some(5), "{}", stderr_of(&mixed));
    let lines: Vec<String> = stdout_of(&mixed).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(
        lines[0].starts_with(&format!("{first} error: ")) && lines[0].contains("Denied"),
        "{lines:?}"
    );
    assert_eq!(lines[1], format!("{second} approved"));
    assert_eq!(lines[2], format!("{glass} approved"));
    assert!(
        stderr_of(&mixed).contains("1 of 3 sessions could not be approved"),
        "{}",
        stderr_of(&mixed)
    );
    assert_eq!(state_of(&env, &glass), "Waiting for Approval", "2 of 2");

    // The same as JSON items; approving twice counts once and is no error.
    let again = env
        .pamctl(&[
            "--profile",
            "rita",
            "approval",
            "approve",
            "-",
            "--yes",
            "-o",
            "json",
        ])
        .write_stdin(format!("{glass}\n{first}\n"))
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(5));
    let items: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(items[0]["id"], glass.as_str());
    assert_eq!(items[0]["ok"], true);
    assert_eq!(items[0]["session"]["state"], "Waiting for Approval");
    assert_eq!(
        items[0]["session"]["approvalWorkflowApprovals"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "rita counts once"
    );
    assert_eq!(items[1]["id"], first.as_str());
    assert_eq!(items[1]["ok"], false);
    assert!(items[1]["error"].as_str().unwrap().contains("Denied"));
    assert!(items[1].get("session").is_none());
    assert_eq!(items[1]["code"], 5);
    let error: Value = serde_json::from_str(stderr_of(&again).trim()).unwrap();
    assert_eq!(error["error"]["code"], 5);

    // Unknown IDs: a prefix of nothing is not found (3); nonsense is a usage error (2).
    let other = if second.starts_with("ffff") {
        "0000"
    } else {
        "ffff"
    };
    let missing = env.run(&["--profile", "rita", "approval", "approve", other]);
    if ![&first, &second, &glass, &tiered]
        .iter()
        .any(|id| id.starts_with(other))
    {
        assert_eq!(missing.status.code(), Some(3), "{}", stderr_of(&missing));
        assert!(stderr_of(&missing).contains("hint: see `pamctl approval list`"));
    }
    assert_eq!(
        env.run(&["--profile", "rita", "approval", "approve", "not-an-id!"])
            .status
            .code(),
        Some(2)
    );
    let nothing = run_with_stdin(
        &env,
        &["--profile", "rita", "approval", "approve", "-", "--yes"],
        "",
    );
    assert_eq!(nothing.status.code(), Some(0));
    assert_eq!(stdout_of(&nothing), "");
}

#[test]
fn two_of_two_break_glass_waits_for_the_second_reviewer() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    sign_in(&env, &server, &["rita", "ravi", "uma"]);
    let job = spawn(
        &env,
        &[
            "session",
            "create",
            "--activity",
            "Windows Local Admin",
            "--resource",
            "win01",
            "--note",
            "incident 42",
            "--wait",
            "--wait-timeout",
            WAIT,
        ],
    );
    let id = pending_ids(&env, "rita", 1).remove(0);
    assert_eq!(
        env.ok(&["--profile", "rita", "approval", "approve", &id]),
        format!("{id} approved\n")
    );
    let table = env.ok(&["--profile", "ravi", "approval", "list"]);
    let row = common::cells(table.lines().nth(1).expect("a row"));
    assert_eq!(
        row[6], "1/2",
        "no ticket, so Approvals is the 7th cell: {row:?}"
    );
    std::thread::sleep(Duration::from_millis(1500));
    let mut job = job;
    assert!(
        job.try_wait().unwrap().is_none(),
        "one approval of two is not enough"
    );
    assert_eq!(state_of(&env, &id), "Waiting for Approval");

    assert_eq!(
        env.ok(&["--profile", "ravi", "approval", "approve", &id[..8]]),
        format!("{id} approved\n")
    );
    let output = finish(job);
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let short = &id[..8];
    let stderr = stderr_of(&output);
    let position = |needle: &str| {
        stderr
            .find(needle)
            .unwrap_or_else(|| panic!("no '{needle}' on stderr:\n{stderr}"))
    };
    let order = [
        position(&format!("session {short}: Waiting for Approval")),
        position(&format!("session {short}: approved by rita")),
        position(&format!("session {short}: approved by ravi")),
        position(&format!("session {short}: Available")),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{stderr}");
    let table = stdout_of(&output);
    assert!(
        table.contains(short) && table.contains("Available"),
        "{table}"
    );
}

#[test]
fn waiting_ends_with_6_when_denied_or_approval_fails_and_7_on_timeout() {
    let env = TestEnv::new();
    let server = start_with_policies(&env);
    sign_in(&env, &server, &["ravi", "uma"]);
    let id = request(&env, "uma", "Database Read Write", "db01", "report");
    let short = &id[..8];

    let started = Instant::now();
    let timed_out = env.run(&["session", "wait", short, "--timeout", "1s"]);
    assert_eq!(
        timed_out.status.code(),
        Some(7),
        "{}",
        stderr_of(&timed_out)
    );
    assert!(started.elapsed() < Duration::from_secs(15));
    assert!(stderr_of(&timed_out).contains("Waiting for Approval"));

    let waiting = spawn(&env, &["session", "wait", short, "--timeout", WAIT]);
    let watching = spawn(
        &env,
        &["session", "wait", short, "--timeout", WAIT, "-o", "json"],
    );
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        env.ok(&[
            "--profile",
            "ravi",
            "approval",
            "deny",
            short,
            "--reason",
            "change freeze"
        ]),
        format!("{id} denied\n")
    );
    let output = finish(waiting);
    assert_eq!(output.status.code(), Some(6), "{}", stderr_of(&output));
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains(&format!("session {short}: denied by ravi: change freeze")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("session {short}: Denied")),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: session") && stderr.contains("(denied by ravi: change freeze)"),
        "{stderr}"
    );

    let output = finish(watching);
    assert_eq!(output.status.code(), Some(6));
    let final_state: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(final_state["state"], "Denied");
    let stderr = stderr_of(&output);
    let mut lines: Vec<&str> = stderr.lines().collect();
    let error: Value = serde_json::from_str(lines.pop().unwrap()).unwrap();
    assert_eq!(error["error"]["code"], 6);
    let events = json_lines(&lines.join("\n"));
    let denial = events
        .iter()
        .find(|e| e["event"] == "approval")
        .unwrap_or_else(|| panic!("a denial event: {events:?}"));
    assert_eq!(denial["decision"], "denied");
    assert_eq!(denial["by"], "ravi");
    assert_eq!(denial["notes"], "change freeze");
    assert_eq!(denial["approval"]["approvalState"], 2);
    assert_eq!(events.last().unwrap()["state"], "Denied");

    // Decided is decided: the broker's 409 is the item's error, and the exit's (5).
    let late = env.run(&["--profile", "ravi", "approval", "approve", short]);
    assert_eq!(late.status.code(), Some(5));
    assert!(
        stdout_of(&late).starts_with(&format!("{id} error: ")),
        "{}",
        stdout_of(&late)
    );

    // Nobody decides in time: Approval Failed, exit 6.
    let expired = env.run(&[
        "session",
        "create",
        "--activity",
        "Short Fuse Task",
        "--resource",
        "web02",
        "--wait",
        "--wait-timeout",
        WAIT,
    ]);
    assert_eq!(expired.status.code(), Some(6), "{}", stderr_of(&expired));
    assert!(
        stderr_of(&expired).contains("Approval Failed"),
        "{}",
        stderr_of(&expired)
    );
}

/// `script` gives the command a terminal: the wait shows a spinner with who has approved.
#[cfg(target_os = "linux")]
#[test]
fn on_a_terminal_a_spinner_shows_the_state_and_who_approved() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    sign_in(&env, &server, &["rita", "ravi", "uma"]);
    let id = request(&env, "uma", "Windows Local Admin", "win01", "spin");
    let short = &id[..8];
    let binary = assert_cmd::cargo::cargo_bin("pamctl");
    let inner = format!(
        "'{}' session wait {short} --timeout {WAIT}",
        binary.display()
    );
    let isolated = env.command();
    let terminal = isolated
        .get_envs()
        .fold(
            std::process::Command::new("script"),
            |mut command, (k, v)| {
                match v {
                    Some(v) => command.env(k, v),
                    None => command.env_remove(k),
                };
                command
            },
        )
        .args(["-qec", &inner, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("`script` (util-linux) runs the wait on a terminal");
    std::thread::sleep(Duration::from_millis(2000));
    env.ok(&["--profile", "rita", "approval", "approve", short]);
    std::thread::sleep(Duration::from_millis(1500));
    env.ok(&["--profile", "ravi", "approval", "approve", short]);
    let output = finish(terminal);
    let screen = stdout_of(&output);
    assert_eq!(output.status.code(), Some(0), "{screen}");
    assert!(
        screen.contains(&format!(
            "session {short}: Waiting for Approval; approved by rita"
        )),
        "the spinner names who approved:\n{screen:?}"
    );
    assert!(
        screen.contains(&format!("session {short}: Available")),
        "{screen:?}"
    );
}

/// A stand-in for a Privilege Secure server: no approvals list (404), an ApprovalCheck count,
/// and an Approve that records how it was called.
fn fake_nps() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&requests);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { break };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            reader.read_line(&mut request_line).unwrap_or(0);
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(value) = line.to_lowercase().strip_prefix("content-length:") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0u8; length];
            let _ = reader.read_exact(&mut body);
            let request_line = request_line.trim().to_owned();
            seen.lock().unwrap().push(request_line.clone());
            let path = request_line.split(' ').nth(1).unwrap_or_default();
            let (status, reply) = if path.contains("/Approvals") {
                (
                    "404 Not Found",
                    r#"{"type":"about:blank","title":"Not Found","status":404}"#.to_owned(),
                )
            } else if path.ends_with("/ApprovalCheck") {
                ("200 OK", "3".to_owned())
            } else if let Some(rest) = path.strip_prefix("/api/v1/ActivitySession/") {
                let id = rest.split('/').next().unwrap_or_default();
                ("200 OK", format!(r#"{{"id":"{id}","status":0}}"#))
            } else {
                ("404 Not Found", String::new())
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{reply}",
                reply.len()
            );
        }
    });
    (url, requests)
}

#[test]
fn against_privilege_secure_the_list_says_it_is_an_extension_and_decisions_still_work() {
    let env = TestEnv::new();
    let (url, requests) = fake_nps();
    let listed = env.run(&["--server", &url, "--token", "t0ken", "approval", "list"]);
    assert_eq!(listed.status.code(), Some(1), "{}", stderr_of(&listed));
    let stderr = stderr_of(&listed);
    assert!(stderr.contains("pamctl extension"), "{stderr}");
    assert!(
        stderr.contains("hint: it says 3 requests wait for your decision"),
        "{stderr}"
    );

    let id = "3f2a9c1b-0000-4000-8000-000000000001";
    let approved = env.run(&[
        "--server", &url, "--token", "t0ken", "approval", "approve", id, "--note", "ok by me",
    ]);
    assert_eq!(approved.status.code(), Some(0), "{}", stderr_of(&approved));
    assert_eq!(stdout_of(&approved), format!("{id} approved\n"));
    let calls = requests.lock().unwrap().clone();
    assert!(
        calls.contains(&format!(
            "POST /api/v1/ActivitySession/{id}/Approve?notes=ok+by+me HTTP/1.1"
        )),
        "{calls:?}"
    );
}
