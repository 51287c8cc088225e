//! The session commands as users and scripts drive them: the real binary against a real
//! `pamctl server --dev`.

mod common;

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use common::{DEV_PASSWORD, Server, TestEnv, stderr_of, stdout_of};
use serde_json::{Value, json};

const WAIT: &str = "30s";

fn str_of<'a>(value: &'a Value, field: &str) -> &'a str {
    value[field]
        .as_str()
        .unwrap_or_else(|| panic!("no string {field} in {value}"))
}

fn time_of(value: &Value, field: &str) -> DateTime<Utc> {
    str_of(value, field).parse().expect("a UTC time")
}

/// Signs uma in (in profile `uma`, which becomes the current one); `dev` stays admin.
fn as_uma(env: &TestEnv, server: &Server) {
    env.login(&server.url, "uma", DEV_PASSWORD, &["--profile", "uma"])
        .assert()
        .success();
}

fn create_linux(env: &TestEnv, extra: &[&str]) -> Value {
    let mut args = vec![
        "session",
        "create",
        "--activity",
        "Linux Admin",
        "--resource",
        "web01",
    ];
    args.extend_from_slice(extra);
    env.json(&args)
}

fn state_of(env: &TestEnv, id: &str, profile: &str) -> String {
    let shown = env.json(&["--profile", profile, "session", "show", id]);
    str_of(&shown, "state").to_owned()
}

/// `POST /api/v1/ActivitySession/{id}/Login` (a login detector's report), as admin.
fn report_login(server: &Server, id: &str) {
    let http = server.http();
    let token = http.sign_in("admin", DEV_PASSWORD);
    http.send(
        "POST",
        &format!("/api/v1/ActivitySession/{id}/Login"),
        Some(&token),
        None,
    )
    .expect(200);
}

#[test]
fn a_session_lives_from_request_to_complete() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    as_uma(&env, &server);

    let created = create_linux(&env, &["--note", "deploy fix", "--ticket", "CHG-1"]);
    let id = str_of(&created, "id").to_owned();
    let short = &id[..8];
    assert_eq!(created["activityName"], "Linux Admin");
    assert_eq!(created["managedResourceName"], "web01");
    assert_eq!(created["note"], "deploy fix");
    assert!(
        ["Provisioning", "Available"].contains(&str_of(&created, "state")),
        "{created}"
    );

    let waited = env.run(&["session", "wait", short, "--timeout", WAIT]);
    assert_eq!(waited.status.code(), Some(0), "{}", stderr_of(&waited));
    assert!(
        stderr_of(&waited).contains(&format!("session {short}: Available")),
        "state changes on stderr: {}",
        stderr_of(&waited)
    );
    assert_eq!(stdout_of(&waited), "", "table mode keeps stdout for data");

    // The Active dashboard: the exact columns, a short id, UTC times off a terminal.
    let table = env.ok(&["session", "list"]);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 2, "a header and the session:\n{table}");
    assert_eq!(
        common::cells(lines[0]),
        [
            "ID",
            "STATUS",
            "REQUESTED",
            "USER",
            "HOST",
            "LOGIN ACCOUNT",
            "ACTIVITY",
            "START",
            "END"
        ]
    );
    let row = common::cells(lines[1]);
    assert_eq!(row.len(), 9, "{row:?}");
    assert_eq!(
        row[..7],
        [
            short.to_owned(),
            "Available".to_owned(),
            row[2].clone(),
            "uma".to_owned(),
            "web01".to_owned(),
            "uma".to_owned(),
            "Linux Admin".to_owned()
        ]
    );
    let start: DateTime<Utc> = row[7].parse().expect("start in RFC 3339 UTC");
    let end: DateTime<Utc> = row[8].parse().expect("end in RFC 3339 UTC");
    let length = end - start;
    assert!(
        length <= chrono::Duration::hours(4) && length > chrono::Duration::minutes(239),
        "the policy maximum, from the actual start: {row:?}"
    );
    assert!(row[2].ends_with('Z'), "{row:?}");

    assert_eq!(env.ok(&["session", "list", "-q"]), format!("{id}\n"));

    let shown = env.json(&["session", "show", short]);
    assert_eq!(shown["state"], "Available");
    assert_eq!(shown["id"], id.as_str());
    assert_eq!(shown["status"], 2, "SessionSummaryStatus ActiveNoLogon");
    assert_eq!(shown["ticket"], "CHG-1");
    let human = env.ok(&["session", "show", short]);
    assert!(human.contains("ID:") && human.contains(&id), "{human}");
    assert!(
        human.contains("Available") && human.contains("Web Ops"),
        "{human}"
    );

    let before = time_of(&shown, "endDateTimeUtc");
    let extended = env.json(&["session", "extend", short, "--by", "90s"]);
    assert_eq!(
        time_of(&extended, "scheduledEndDateTimeUtc") - before,
        chrono::Duration::minutes(2),
        "90s is rounded up to 2 minutes"
    );
    let said = env.ok(&["session", "extend", short, "--by", "30m"]);
    assert!(
        said.starts_with(&format!("Extended {id} by 30m")),
        "the full ID, as every other command prints it: {said}"
    );

    // Admins lock and unlock; the state shows it.
    let locked = env.ok(&[
        "--profile",
        "dev",
        "session",
        "lock",
        short,
        "--title",
        "Incident 42",
        "--message",
        "Looking into it",
    ]);
    assert_eq!(locked, format!("{id} locked\n"));
    assert_eq!(state_of(&env, &id, "uma"), "Locked");
    // The user sees why: `show` gives the lock's title and message.
    let shown_locked = env.ok(&["session", "show", short]);
    assert!(
        shown_locked.contains("Lock title:") && shown_locked.contains("Incident 42"),
        "{shown_locked}"
    );
    assert!(shown_locked.contains("Looking into it"), "{shown_locked}");
    let locked_json = env.json(&["session", "show", short]);
    assert_eq!(locked_json["lockTitle"], "Incident 42");
    assert_eq!(locked_json["lockMessage"], "Looking into it");
    let listed = env.ok(&["session", "list", "--status", "LOCKED"]);
    assert!(listed.contains(short), "{listed}");
    assert_eq!(
        env.ok(&["--profile", "dev", "session", "unlock", &id]),
        format!("{id} unlocked\n")
    );
    assert_eq!(state_of(&env, &id, "uma"), "Available");

    // A login detected makes it Logged In, which also satisfies waiting for available.
    report_login(&server, &id);
    env.ok(&[
        "session",
        "wait",
        short,
        "--for",
        "logged-in",
        "--timeout",
        WAIT,
    ]);
    env.ok(&["session", "wait", short, "--timeout", WAIT]);
    assert!(env.ok(&["session", "list"]).contains("Logged In"));

    assert_eq!(env.ok(&["session", "end", short]), format!("{id} ended\n"));
    let waited = env.run(&[
        "session",
        "wait",
        short,
        "--for",
        "complete",
        "--timeout",
        WAIT,
        "-o",
        "json",
    ]);
    assert_eq!(waited.status.code(), Some(0), "{}", stderr_of(&waited));
    let final_state: Value = serde_json::from_slice(&waited.stdout).unwrap();
    assert_eq!(final_state["state"], "Complete");
    for event in stderr_of(&waited).lines() {
        let event: Value = serde_json::from_str(event)
            .unwrap_or_else(|e| panic!("one JSON event per line ({e}): {event}"));
        assert_eq!(event["id"], id.as_str());
    }

    assert_eq!(env.ok(&["session", "list"]), "", "nothing active now");
    let history = env.ok(&["session", "list", "--history"]);
    assert!(
        history.contains(short) && history.contains("Complete"),
        "{history}"
    );

    // Ending it again is fine: scripts re-run safely.
    assert_eq!(env.ok(&["session", "end", &id]), format!("{id} ended\n"));
    assert_eq!(state_of(&env, &id, "uma"), "Complete");

    // The log tells the whole story, in order.
    let log = env.ok(&["session", "logs", short]);
    let position = |needle: &str| {
        log.find(needle)
            .unwrap_or_else(|| panic!("the log has no '{needle}':\n{log}"))
    };
    let order = [
        position("requested Linux Admin on web01"),
        position("grant: sudo for uma on web01"),
        position("Incident 42"),
        position("revoke: sudo for uma on web01"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{log}");
    let first = log.lines().next().unwrap();
    assert!(first.contains("  INFO  "), "time, level, message: {first}");

    let lines: Value = env.json(&["session", "logs", short, "--search", "REVOKE"]);
    let lines = lines.as_array().unwrap();
    assert!(!lines.is_empty());
    assert!(
        lines
            .iter()
            .all(|l| str_of(l, "logMessage").contains("revoke"))
    );
    let none = env.json(&["session", "logs", short, "--since", "+1h"]);
    assert_eq!(none, json!([]));

    // --follow on a finished session prints what there is and returns.
    let followed = env.ok(&["session", "logs", short, "--follow"]);
    assert_eq!(followed, log);
}

#[test]
fn follow_prints_new_log_lines_until_the_session_ends() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    as_uma(&env, &server);
    let created = create_linux(&env, &["--wait"]);
    let id = str_of(&created, "id").to_owned();

    let mut follower = env.command();
    follower
        .args(["session", "logs", &id, "--follow"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let child = follower.spawn().expect("spawn logs --follow");
    std::thread::sleep(Duration::from_millis(1500));
    env.ok(&["session", "end", &id]);
    let started = Instant::now();
    let output = child.wait_with_output().expect("logs --follow ends");
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert!(started.elapsed() < Duration::from_secs(20));
    let text = stdout_of(&output);
    assert!(text.contains("grant: sudo"), "{text}");
    assert!(
        text.contains("revoke: sudo"),
        "lines after the start: {text}"
    );
    assert_eq!(
        text,
        env.ok(&["session", "logs", &id]),
        "every line once, in order"
    );
}

#[test]
fn a_group_waits_for_every_session_with_json_events() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    as_uma(&env, &server);
    let output = env.run(&[
        "session",
        "create",
        "--activity",
        "linux admin",
        "--resource",
        "web01",
        "--resource",
        "WEB02.dev.internal",
        "--duration",
        "1h",
        "--wait",
        "--wait-timeout",
        WAIT,
        "-o",
        "json",
    ]);
    assert!(output.status.success(), "{}", stderr_of(&output));
    let sessions: Value = serde_json::from_slice(&output.stdout).unwrap();
    let sessions = sessions.as_array().expect("a group is an array");
    assert_eq!(sessions.len(), 2);
    let group = &sessions[0]["activitySessionGroupId"];
    assert!(group.is_string());
    let mut resources = Vec::new();
    for session in sessions {
        assert_eq!(session["state"], "Available", "{session}");
        assert_eq!(&session["activitySessionGroupId"], group);
        // The end is now + 1h on the client; the server starts it a moment later.
        let length = time_of(session, "scheduledEndDateTimeUtc")
            - time_of(session, "scheduledStartDateTimeUtc");
        assert!(
            length <= chrono::Duration::hours(1) && length > chrono::Duration::minutes(59),
            "{length:?}"
        );
        resources.push(str_of(session, "managedResourceName").to_owned());
    }
    resources.sort();
    assert_eq!(resources, ["web01", "web02"]);

    let events: Vec<Value> = stderr_of(&output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    for session in sessions {
        let mine: Vec<&Value> = events.iter().filter(|e| e["id"] == session["id"]).collect();
        assert!(!mine.is_empty(), "events for {}", session["id"]);
        assert_eq!(mine.last().unwrap()["state"], "Available");
        assert!(
            mine.iter()
                .all(|e| e["event"] == "state" && e["time"].is_string())
        );
    }

    // Table output of a create is the sessions table.
    let table = env.ok(&[
        "session",
        "create",
        "--activity",
        "Linux Admin",
        "--resource",
        "web01",
        "--reason",
        "on call",
    ]);
    assert_eq!(table.lines().count(), 2, "{table}");
    assert!(table.contains("web01") && table.contains("uma"), "{table}");
}

#[test]
fn hundreds_of_sessions_end_from_a_piped_id_list() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    as_uma(&env, &server);
    let http = server.http();
    let token = http.sign_in("uma", DEV_PASSWORD);
    let requests: Vec<Value> = (0..200)
        .map(|i| {
            json!({
                "activityName": "Linux Admin",
                "managedResourceName": if i % 2 == 0 { "web01" } else { "web02" },
                "note": format!("bulk {i}"),
            })
        })
        .collect();
    let group = http
        .send(
            "POST",
            "/api/v1/ActivitySession/Group",
            Some(&token),
            Some(&Value::from(requests).to_string()),
        )
        .expect(201)
        .json();
    let mut created: Vec<String> = group["activitySessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| str_of(s, "id").to_owned())
        .collect();
    created.sort();
    assert_eq!(created.len(), 200);

    // Output for pipes is every match; the table shows 50 and says how many more there are.
    let every = env.run(&["session", "list", "-q"]);
    assert!(every.status.success(), "{}", stderr_of(&every));
    assert_eq!(stdout_of(&every).lines().count(), 200, "-q has no cap");
    let json = env.json(&["session", "list"]);
    assert_eq!(
        json.as_array().unwrap().len(),
        200,
        "JSON into a pipe has no cap"
    );
    let table = env.ok(&["session", "list"]);
    assert_eq!(
        table
            .lines()
            .filter(|l| l.contains("Available") || l.contains("Provisioning"))
            .count(),
        50,
        "{table}"
    );
    assert!(
        table
            .trim_end()
            .ends_with("… and 150 more (--limit 0 shows all)"),
        "{table}"
    );
    assert_eq!(
        env.ok(&["session", "list", "-q", "--limit", "7"])
            .lines()
            .count(),
        7,
        "an explicit --limit still applies"
    );
    // Newest request first, unless --asc (or --sort) says otherwise.
    let requested = |list: &Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|s| str_of(s, "createdDateTimeUtc").to_owned())
            .collect()
    };
    let newest_first = requested(&json);
    let mut sorted = newest_first.clone();
    sorted.sort();
    sorted.reverse();
    assert_eq!(newest_first, sorted);
    let mut oldest_first = requested(&env.json(&["session", "list", "--asc"]));
    oldest_first.reverse();
    assert_eq!(oldest_first, sorted);

    // An ambiguous prefix lists its candidates; it is a usage error.
    let first = created[0].chars().next().unwrap().to_string();
    let candidates = created.iter().filter(|id| id.starts_with(&first)).count();
    if candidates > 1 {
        let output = env.run(&["session", "show", &first]);
        assert_eq!(output.status.code(), Some(2), "{}", stderr_of(&output));
        assert!(
            stderr_of(&output).contains(&created[0]),
            "{}",
            stderr_of(&output)
        );
        assert!(stderr_of(&output).contains("hint: give more of the ID"));
    }

    let ids = env.ok(&["session", "list", "-q", "--limit", "0", "--mine"]);
    let mut listed: Vec<String> = ids.lines().map(str::to_owned).collect();
    listed.sort();
    assert_eq!(listed, created);

    let started = Instant::now();
    let output = env
        .pamctl(&["session", "end", "-", "--yes"])
        .write_stdin(ids)
        .output()
        .unwrap();
    let took = started.elapsed();
    assert!(output.status.success(), "{}", stderr_of(&output));
    let mut ended: Vec<String> = stdout_of(&output)
        .lines()
        .map(|line| {
            line.strip_suffix(" ended")
                .unwrap_or_else(|| panic!("one result per line: {line}"))
                .to_owned()
        })
        .collect();
    ended.sort();
    assert_eq!(ended, created);
    assert!(took < Duration::from_secs(60), "bulk end took {took:?}");

    // Nothing unfinished is left once the post-session actions ran.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let left = env.ok(&["session", "list", "-q", "--limit", "0"]);
        if left.is_empty() {
            break;
        }
        assert!(Instant::now() < deadline, "still unfinished: {left}");
        std::thread::sleep(Duration::from_millis(250));
    }
    let history = env.json(&["session", "list", "--history", "--limit", "0"]);
    let history = history.as_array().unwrap();
    assert_eq!(history.len(), 200);
    assert!(
        history
            .iter()
            .all(|s| ["Complete", "Cancelled"].contains(&str_of(s, "state"))),
        "every one finished"
    );

    // Ending them all again reports each one, still successfully, as JSON items.
    let again = env
        .pamctl(&["session", "end", "-", "-o", "json"])
        .write_stdin(created[..3].join("\n"))
        .output()
        .unwrap();
    assert!(again.status.success(), "{}", stderr_of(&again));
    let items: Value = serde_json::from_slice(&again.stdout).unwrap();
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 3);
    for (item, id) in items.iter().zip(&created) {
        assert_eq!(item["id"], id.as_str());
        assert_eq!(item["ok"], true);
        assert!(item.get("error").is_none());
        assert!(
            ["Complete", "Cancelled"].contains(&str_of(&item["session"], "state")),
            "{item}"
        );
    }
}

#[test]
fn filters_pick_sessions_and_bulk_end_asks_first() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    env.login(&server.url, "ulf", DEV_PASSWORD, &["--profile", "ulf"])
        .assert()
        .success();
    let ulf_web02 = env.json(&[
        "session",
        "create",
        "--activity",
        "Linux Admin",
        "--resource",
        "web02",
        "--wait",
    ]);
    as_uma(&env, &server);
    let uma_web01 = create_linux(&env, &["--wait", "--note", "needle in a haystack"]);
    let uma_db01 = env.json(&[
        "session",
        "create",
        "--activity",
        "Database Read Write",
        "--resource",
        "db01",
    ]);
    assert_eq!(uma_db01["state"], "Waiting for Approval");
    let ulf = str_of(&ulf_web02, "id");
    let web01 = str_of(&uma_web01, "id");
    let db01 = str_of(&uma_db01, "id");

    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["--profile", "dev", "session", "list", "-q"];
        all.extend_from_slice(args);
        let mut ids: Vec<String> = env.ok(&all).lines().map(str::to_owned).collect();
        ids.sort();
        ids
    };
    let sorted = |list: &[&str]| -> Vec<String> {
        let mut list: Vec<String> = list.iter().map(|s| (*s).to_owned()).collect();
        list.sort();
        list
    };
    assert_eq!(ids(&[]), sorted(&[ulf, web01, db01]), "admin sees all");
    assert_eq!(ids(&["--status", "waiting for approval"]), [db01]);
    assert_eq!(ids(&["--status", "Waiting-For-Approval"]), [db01]);
    assert_eq!(
        ids(&["--status", "available", "--status", "logged in"]),
        sorted(&[ulf, web01])
    );
    assert_eq!(ids(&["--resource", "WEB02"]), [ulf]);
    assert_eq!(ids(&["--resource", "web01.dev.internal"]), [web01]);
    assert_eq!(ids(&["--user", "ulf"]), [ulf]);
    assert_eq!(ids(&["--user", "Uma User"]), sorted(&[web01, db01]));
    assert_eq!(ids(&["--activity", "database read write"]), [db01]);
    assert_eq!(ids(&["--type", "postgresql"]), [db01]);
    assert_eq!(ids(&["--search", "haystack"]), [web01]);
    assert_eq!(
        ids(&["--since", "+30m"]).len(),
        3,
        "their spans reach past it"
    );
    assert_eq!(
        ids(&["--since", "+2h"]),
        sorted(&[ulf, web01]),
        "db01 has 1h"
    );
    assert_eq!(ids(&["--until", "-1h"]), Vec::<String>::new());
    assert_eq!(ids(&["--since", "+5h"]), Vec::<String>::new());
    assert_eq!(ids(&["--mine"]), Vec::<String>::new(), "admin has none");
    let mine = env.ok(&["session", "list", "-q", "--mine"]);
    let mut mine: Vec<&str> = mine.lines().collect();
    mine.sort();
    assert_eq!(mine, sorted(&[web01, db01]), "uma's own");
    let sorted_by_host = env.ok(&[
        "--profile",
        "dev",
        "session",
        "list",
        "--sort",
        "host",
        "--desc",
    ]);
    let hosts: Vec<String> = sorted_by_host
        .lines()
        .skip(1)
        .map(|line| common::cells(line)[4].clone())
        .collect();
    assert_eq!(hosts, ["web02", "web01", "db01"]);

    let bad = env.run(&["session", "list", "--status", "sleeping"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr_of(&bad).contains("--status") && stderr_of(&bad).contains("Waiting for Approval"),
        "{}",
        stderr_of(&bad)
    );

    // A dry run says what would end and changes nothing.
    let dry = env.run(&[
        "--profile",
        "dev",
        "session",
        "end",
        "--user",
        "ulf",
        "--dry-run",
    ]);
    assert!(dry.status.success(), "{}", stderr_of(&dry));
    assert_eq!(
        stdout_of(&dry),
        format!("{ulf} would be ended: Available, ulf, web02, Linux Admin\n")
    );
    assert!(stderr_of(&dry).contains("nothing was changed"));
    assert_eq!(state_of(&env, ulf, "dev"), "Available");

    // Off a terminal, filters without --yes are refused, and nothing ends.
    let unconfirmed = env.run(&["--profile", "dev", "session", "end", "--user", "ulf"]);
    assert_eq!(
        unconfirmed.status.code(),
        Some(2),
        "{}",
        stderr_of(&unconfirmed)
    );
    assert!(stderr_of(&unconfirmed).contains("--yes"));
    assert_eq!(state_of(&env, ulf, "dev"), "Available");
    let neither = env.run(&["session", "end"]);
    assert_eq!(neither.status.code(), Some(2));
    let both = env.run(&["session", "end", ulf, "--user", "ulf"]);
    assert_eq!(both.status.code(), Some(2));

    let ended = env.ok(&[
        "--profile",
        "dev",
        "session",
        "end",
        "--user",
        "ulf",
        "--yes",
    ]);
    assert_eq!(ended, format!("{ulf} ended\n"));
    env.ok(&[
        "--profile",
        "dev",
        "session",
        "wait",
        ulf,
        "--for",
        "complete",
        "--timeout",
        WAIT,
    ]);
    assert_eq!(ids(&["--user", "ulf"]), Vec::<String>::new());
    assert_eq!(ids(&["--user", "ulf", "--history"]), [ulf]);
    assert_eq!(
        ids(&["--status", "complete"]),
        [ulf],
        "--status alone reaches history"
    );

    // A bulk lock locks what a user holds; a user may not lock.
    let locked = env.ok(&[
        "--profile",
        "dev",
        "session",
        "lock",
        "--user",
        "uma",
        "--yes",
        "--title",
        "Incident",
    ]);
    assert_eq!(locked, format!("{web01} locked\n"), "only the active one");
    let refused = env.run(&["session", "unlock", web01]);
    assert_eq!(refused.status.code(), Some(4), "the item was not allowed");
    assert!(
        stdout_of(&refused).starts_with(&format!("{web01} error: ")),
        "{}",
        stdout_of(&refused)
    );
    assert!(stderr_of(&refused).contains("1 of 1 sessions could not be unlocked"));
    assert_eq!(
        env.ok(&[
            "--profile",
            "dev",
            "session",
            "unlock",
            "--user",
            "uma",
            "--yes"
        ]),
        format!("{web01} unlocked\n")
    );
}

#[test]
fn exit_codes_tell_scripts_what_happened() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    env.login(&server.url, "ulf", DEV_PASSWORD, &["--profile", "ulf"])
        .assert()
        .success();
    as_uma(&env, &server);

    let bare = env.run(&["session", "create"]);
    assert_eq!(bare.status.code(), Some(2));
    assert!(
        stderr_of(&bare).contains("--activity") && stderr_of(&bare).contains("--resource"),
        "{}",
        stderr_of(&bare)
    );
    let bad_when = env.run(&[
        "session",
        "create",
        "--activity",
        "Linux Admin",
        "--resource",
        "web01",
        "--start",
        "tomorrow",
    ]);
    assert_eq!(bad_when.status.code(), Some(2));
    assert!(
        stderr_of(&bad_when).contains("--start") && stderr_of(&bad_when).contains("RFC 3339"),
        "{}",
        stderr_of(&bad_when)
    );
    let bad_dur = env.run(&["session", "extend", "abcd", "--by", "a while"]);
    assert_eq!(bad_dur.status.code(), Some(2));
    assert!(stderr_of(&bad_dur).contains("--by") && stderr_of(&bad_dur).contains("1h30m"));

    let no_resource = env.run(&[
        "session",
        "create",
        "--activity",
        "Linux Admin",
        "--resource",
        "nosuch",
    ]);
    assert_eq!(
        no_resource.status.code(),
        Some(3),
        "{}",
        stderr_of(&no_resource)
    );
    assert!(stderr_of(&no_resource).contains("hint: "));
    let no_activity = env.run(&[
        "session",
        "create",
        "--activity",
        "Juggling",
        "--resource",
        "web01",
    ]);
    assert_eq!(no_activity.status.code(), Some(3));

    let too_long = env.run(&[
        "session",
        "create",
        "--activity",
        "Linux Admin",
        "--resource",
        "web01",
        "--duration",
        "5h",
    ]);
    assert_eq!(too_long.status.code(), Some(5), "{}", stderr_of(&too_long));
    assert!(
        stderr_of(&too_long).contains("maximum"),
        "{}",
        stderr_of(&too_long)
    );
    let json_error = env.run(&[
        "session",
        "create",
        "--activity",
        "Linux Admin",
        "--resource",
        "web01",
        "--duration",
        "5h",
        "-o",
        "json",
    ]);
    let error: Value = serde_json::from_slice(&json_error.stderr).unwrap();
    assert_eq!(error["error"]["code"], 5);

    // Unknown sessions: a full id the server does not know, a prefix nobody has.
    let unknown = "00000000-0000-4000-8000-000000000000";
    assert_eq!(
        env.run(&["session", "show", unknown]).status.code(),
        Some(3)
    );
    assert_eq!(env.run(&["session", "show", "zzzz"]).status.code(), Some(2));
    let session = create_linux(&env, &["--wait", "--duration", "2h"]);
    let id = str_of(&session, "id");
    let other_prefix = if id.starts_with('0') { "1" } else { "0" };
    let missing = env.run(&["session", "show", other_prefix]);
    assert_eq!(missing.status.code(), Some(3), "{}", stderr_of(&missing));
    assert!(stderr_of(&missing).contains("session list --history"));

    // Web Ops allows two extensions of at most 60 minutes.
    let over = env.run(&["session", "extend", id, "--by", "2h"]);
    assert_eq!(over.status.code(), Some(5), "{}", stderr_of(&over));
    env.ok(&["session", "extend", id, "--by", "1h"]);
    env.ok(&["session", "extend", id, "--by", "1h"]);
    assert_eq!(
        env.run(&["session", "extend", id, "--by", "1m"])
            .status
            .code(),
        Some(5)
    );

    // Other users cannot see, end or extend it; they are not told it exists.
    assert_eq!(
        env.run(&["--profile", "ulf", "session", "extend", id, "--by", "5m"])
            .status
            .code(),
        Some(3)
    );
    let foreign_end = env.run(&["--profile", "ulf", "session", "end", id]);
    assert_eq!(foreign_end.status.code(), Some(3), "the item was not found");
    assert!(stdout_of(&foreign_end).starts_with(&format!("{id} error: ")));
    assert_eq!(state_of(&env, id, "uma"), "Available");

    // A mix of good and unknown ids does every item and exits with the failure's code (3).
    let mixed = env.run(&["session", "end", id, unknown]);
    assert_eq!(mixed.status.code(), Some(3));
    let lines: Vec<String> = stdout_of(&mixed).lines().map(str::to_owned).collect();
    assert_eq!(lines[0], format!("{id} ended"));
    assert!(
        lines[1].starts_with(&format!("{unknown} error: ")),
        "{lines:?}"
    );

    // Approval needed: waiting times out (7); ended before approval: it ended otherwise (6).
    let db = env.json(&[
        "session",
        "create",
        "--activity",
        "Database Read Write",
        "--resource",
        "db01",
    ]);
    let db = str_of(&db, "id");
    let started = Instant::now();
    let timed_out = env.run(&["session", "wait", db, "--timeout", "1s"]);
    assert_eq!(
        timed_out.status.code(),
        Some(7),
        "{}",
        stderr_of(&timed_out)
    );
    assert!(started.elapsed() < Duration::from_secs(15));
    assert!(stderr_of(&timed_out).contains("Waiting for Approval"));
    let create_timeout = env.run(&[
        "session",
        "create",
        "--activity",
        "Database Read Write",
        "--resource",
        "db01",
        "--wait",
        "--wait-timeout",
        "1s",
        "-o",
        "json",
    ]);
    assert_eq!(create_timeout.status.code(), Some(7));
    let printed: Value = serde_json::from_slice(&create_timeout.stdout).unwrap();
    assert_eq!(
        printed["state"], "Waiting for Approval",
        "the session is still printed"
    );
    env.ok(&["session", "end", db]);
    let ended = env.run(&["session", "wait", db, "--timeout", WAIT]);
    assert_eq!(ended.status.code(), Some(6), "{}", stderr_of(&ended));
    assert!(stderr_of(&ended).contains("Cancelled"));

    let watch = env.run(&["session", "list", "--watch"]);
    assert_eq!(watch.status.code(), Some(2), "--watch needs a terminal");
}

/// `session logs --download FILE`: the session's details and whole log as JSON, or as text
/// for a `.txt` name; a file that cannot be written is a clear failure and leaves nothing.
#[test]
fn logs_download_writes_the_details_and_the_log_to_a_file() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    env.login(&server.url, "admin", DEV_PASSWORD, &["--profile", "dev"])
        .assert()
        .success();
    as_uma(&env, &server);
    let created = create_linux(&env, &["--note", "rotate\u{1b}[2J the keys", "--wait"]);
    let id = str_of(&created, "id").to_owned();

    let json_path = env.path("session.json");
    let output = env.run(&[
        "session",
        "logs",
        &id,
        "--download",
        json_path.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert!(
        stdout_of(&output).is_empty(),
        "the log goes to the file only"
    );
    assert!(
        stderr_of(&output).contains("session.json"),
        "{}",
        stderr_of(&output)
    );
    let document: Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).expect("JSON");
    assert_eq!(document["session"]["id"], id.as_str());
    assert_eq!(document["session"]["state"], "Available");
    assert_eq!(document["session"]["managedResourceName"], "web01");
    let lines = document["log"].as_array().expect("the log lines");
    let printed = env.json(&["session", "logs", &id]);
    assert_eq!(lines.len(), printed.as_array().unwrap().len());
    assert!(!lines.is_empty());

    let text_path = env.path("session.TXT");
    env.ok(&[
        "session",
        "logs",
        &id,
        "--download",
        text_path.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&text_path).unwrap();
    assert!(text.contains(&format!("Session:       {id}")), "{text}");
    assert!(text.contains("Resource:      web01"), "{text}");
    assert!(
        text.contains(&format!("Log ({} lines)", lines.len())),
        "{text}"
    );
    assert!(
        !text.contains('\u{1b}'),
        "no raw escape from the note: {text}"
    );

    let nowhere = env.path("no-such-dir").join("out.json");
    let failed = env.run(&[
        "session",
        "logs",
        &id,
        "--download",
        nowhere.to_str().unwrap(),
    ]);
    assert!(!failed.status.success());
    assert!(
        stderr_of(&failed).contains("cannot write"),
        "{}",
        stderr_of(&failed)
    );
    assert!(!nowhere.exists());
}

/// `session share ID --with USER`: the named user may read the session (details and log)
/// and never act on it; the share is logged; only the requester or an admin may share.
#[test]
fn a_shared_session_can_be_read_by_the_named_user_only() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    env.login(&server.url, "ulf", DEV_PASSWORD, &["--profile", "ulf"])
        .assert()
        .success();
    as_uma(&env, &server);
    let created = create_linux(&env, &["--wait"]);
    let id = str_of(&created, "id").to_owned();

    // Before: ulf cannot see it at all.
    let hidden = env.run(&["--profile", "ulf", "session", "show", &id]);
    assert!(!hidden.status.success());

    let shared = env.json(&["session", "share", &id, "--with", "ulf"]);
    assert_eq!(shared["sharedWith"], json!(["ulf"]));
    // Sharing again changes nothing.
    let again = env.json(&["session", "share", &id, "--with", "ulf"]);
    assert_eq!(again["sharedWith"], json!(["ulf"]));

    assert_eq!(state_of(&env, &id, "ulf"), "Available");
    let log = env.ok(&["--profile", "ulf", "session", "logs", &id]);
    assert_eq!(
        log.matches("shared with ulf by uma").count(),
        1,
        "one log line per share: {log}"
    );
    // Reading is all it gives: ulf cannot end it, nor share it further.
    let end = env.run(&["--profile", "ulf", "session", "end", &id, "--yes"]);
    assert!(!end.status.success());
    assert!(
        stderr_of(&end).contains("could not be ended"),
        "{}",
        stderr_of(&end)
    );
    let reshare = env.run(&[
        "--profile",
        "ulf",
        "session",
        "share",
        &id,
        "--with",
        "rita",
    ]);
    assert!(!reshare.status.success());
    assert!(stderr_of(&reshare).contains("only the requester or an admin"));

    // A user that does not exist is a clear error naming the field.
    let nobody = env.run(&["session", "share", &id, "--with", "nobody"]);
    assert!(!nobody.status.success());
    assert!(
        stderr_of(&nobody).contains("userName"),
        "{}",
        stderr_of(&nobody)
    );
    assert!(
        stderr_of(&nobody).contains("nobody"),
        "{}",
        stderr_of(&nobody)
    );
}
