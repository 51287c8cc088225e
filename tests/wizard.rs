//! The `session create` wizard as a person at a terminal meets it: the real binary in a
//! pseudo-terminal, driven by keystrokes, against a real `pamctl server --dev`.

#![cfg(unix)]

mod common;

use std::io::ErrorKind;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use common::{DEV_PASSWORD, Server, ServerOptions, TestEnv, stderr_of};
use expectrl::Expect;
use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession;
use serde_json::Value;

const PATIENCE: Duration = Duration::from_secs(10);
const ENTER: &str = "\r";
const ESC: &str = "\x1b";
const CTRL_C: &str = "\x03";
const ARROW_DOWN: &str = "\x1b[B";
const BACKSPACE: &str = "\x7f";
const CTRL_U: &str = "\x15";
const SHOW_CURSOR: &str = "\x1b[?25h";
const HIDE_CURSOR: &str = "\x1b[?25l";

/// The binary in a pseudo-terminal, and everything it has shown so far.
struct Terminal {
    session: OsSession,
    shown: String,
    /// Where the next `expect` starts looking: what was matched is not matched again.
    seen_up_to: usize,
    ended: bool,
}

impl Terminal {
    fn spawn(env: &TestEnv, args: &[&str]) -> Terminal {
        Terminal::spawn_with(env, &[], args)
    }

    /// Spawns with these environment variables set as well.
    fn spawn_with(env: &TestEnv, vars: &[(&str, &str)], args: &[&str]) -> Terminal {
        let mut command = env.command();
        command
            .args(args)
            .env("TERM", "xterm")
            .envs(vars.iter().copied());
        let mut session = OsSession::spawn(command).expect("spawn pamctl in a pseudo-terminal");
        session
            .get_process_mut()
            .set_window_size(120, 40)
            .expect("set the terminal size");
        Terminal {
            session,
            shown: String::new(),
            seen_up_to: 0,
            ended: false,
        }
    }

    /// Takes what the program wrote since the last look, without blocking.
    fn read_available(&mut self) {
        let mut buffer = [0u8; 8192];
        while !self.ended {
            match self.session.try_read(&mut buffer) {
                Ok(0) => self.ended = true,
                Ok(n) => self.shown.push_str(&String::from_utf8_lossy(&buffer[..n])),
                Err(error) if error.kind() == ErrorKind::WouldBlock => return,
                // Linux answers EIO on the terminal's side once the program has exited.
                Err(_) => self.ended = true,
            }
        }
    }

    /// Waits until the program shows `text`, and returns what it showed before it.
    fn expect(&mut self, text: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            self.read_available();
            if let Some(at) = self.shown[self.seen_up_to..].find(text) {
                let before = self.shown[self.seen_up_to..self.seen_up_to + at].to_owned();
                self.seen_up_to += at + text.len();
                return before;
            }
            assert!(
                !self.ended && Instant::now() < deadline,
                "the terminal never showed {text:?}; it showed:\n{}",
                self.transcript()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn send(&mut self, keys: &str) {
        self.session.send(keys).expect("type into the terminal");
    }

    /// Everything shown, with escape sequences made visible, for failure messages.
    fn transcript(&self) -> String {
        self.shown.replace('\x1b', "<ESC>")
    }

    /// Reads to the end and returns the exit code.
    fn exit_code(&mut self) -> i32 {
        let deadline = Instant::now() + PATIENCE;
        while !self.ended {
            self.read_available();
            assert!(
                Instant::now() < deadline,
                "the program did not end; it showed:\n{}",
                self.transcript()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        match self.session.get_process().wait().expect("wait for pamctl") {
            WaitStatus::Exited(_, code) => code,
            other => panic!(
                "pamctl did not exit normally ({other:?}); it showed:\n{}",
                self.transcript()
            ),
        }
    }
}

/// Signs uma in as the current profile; returns her token for checking through the API.
fn as_uma(env: &TestEnv, server: &Server) -> String {
    env.login(&server.url, "uma", DEV_PASSWORD, &["--profile", "uma"])
        .assert()
        .success();
    server.http().sign_in("uma", DEV_PASSWORD)
}

/// uma's sessions, as the API lists them.
fn sessions_of(server: &Server, token: &str) -> Vec<Value> {
    let list = server
        .http()
        .get("/api/v1/ActivitySession", token)
        .expect(200)
        .json();
    list.as_array().expect("a list of sessions").clone()
}

fn time_of(session: &Value, field: &str) -> DateTime<Utc> {
    session[field]
        .as_str()
        .unwrap_or_else(|| panic!("no {field} in {session}"))
        .parse()
        .expect("a UTC time")
}

/// Through the wizard's first pages: Linux Admin on web01 and web02, a note, no ticket, now.
fn request_linux_admin_on_both_web_servers(terminal: &mut Terminal, note: &str) {
    terminal.expect("Activity (type to filter)");
    terminal.send("linux");
    terminal.send(ENTER);

    terminal.expect("Resources (Space ticks");
    // Nothing ticked: the wizard says so and asks again.
    terminal.send(ENTER);
    terminal.expect("choose at least one resource");
    terminal.expect("Resources (Space ticks");
    terminal.send(" ");
    terminal.send(ARROW_DOWN);
    terminal.send(" ");
    terminal.send(ENTER);

    terminal.expect("Note (optional");
    terminal.send(note);
    terminal.send(ENTER);
    terminal.expect("Ticket (optional)");
    terminal.send(ENTER);

    terminal.expect("Later: a date and time");
    terminal.send(ENTER);
    terminal.expect("Duration (");
}

#[test]
fn the_wizard_creates_a_session_group_from_choices() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let token = as_uma(&env, &server);

    let mut terminal = Terminal::spawn(&env, &["session", "create"]);
    request_linux_admin_on_both_web_servers(&mut terminal, "deploy fix");
    terminal.send("30m");
    terminal.send(ENTER);

    terminal.expect("Review your request");
    let review = terminal.expect("Create these 2 sessions");
    for shown in [
        "Linux Admin (Linux)",
        "web01, web02 (a session group of 2)",
        "deploy fix",
        "now",
        "(30m)",
        "\"Web Ops\" (at most 4h)",
    ] {
        assert!(
            review.contains(shown),
            "{shown:?} not in the review:\n{review}"
        );
    }
    assert!(
        review.contains("Approval needed:") && review.contains(" no"),
        "{review}"
    );
    let asked_at = Utc::now();
    terminal.send("y");
    terminal.expect("Wait until they are available?");
    terminal.send("n");
    terminal.expect("Follow it with `pamctl session wait");
    assert_eq!(terminal.exit_code(), 0, "{}", terminal.transcript());
    assert!(
        terminal.shown.contains("web01") && terminal.shown.contains("ACTIVITY"),
        "the sessions table: {}",
        terminal.transcript()
    );

    let sessions = sessions_of(&server, &token);
    assert_eq!(sessions.len(), 2, "{sessions:?}");
    let mut hosts: Vec<&str> = sessions
        .iter()
        .map(|s| s["managedResourceName"].as_str().expect("a host"))
        .collect();
    hosts.sort_unstable();
    assert_eq!(hosts, ["web01", "web02"]);
    let group = &sessions[0]["activitySessionGroupId"];
    assert!(group.is_string(), "a session group: {sessions:?}");
    for session in &sessions {
        assert_eq!(session["activityName"], "Linux Admin");
        assert_eq!(session["note"], "deploy fix");
        assert!(session["ticket"].is_null(), "{session}");
        assert_eq!(&session["activitySessionGroupId"], group);
        let end = time_of(session, "scheduledEndDateTimeUtc");
        let expected = asked_at + chrono::Duration::minutes(30);
        assert!(
            (end - expected).num_seconds().abs() < 60,
            "ends {end}, expected about {expected}"
        );
    }
}

#[test]
fn the_review_shows_times_in_the_zone_every_command_uses() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let token = as_uma(&env, &server);

    let kolkata = [("TZ", "Asia/Kolkata")];
    let in_utc = [("TZ", "Asia/Kolkata"), ("PAMCTL_UTC", "1")];
    for (vars, flags, zone) in [
        (&kolkata[..], &[][..], "+05:30"),
        (&kolkata[..], &["--utc"][..], "+00:00"),
        (&in_utc[..], &[][..], "+00:00"),
    ] {
        let mut args = vec!["session", "create"];
        args.extend_from_slice(flags);
        let mut terminal = Terminal::spawn_with(&env, vars, &args);
        request_linux_admin_on_both_web_servers(&mut terminal, "zone check");
        let asked_at = Utc::now();
        terminal.send("30m");
        terminal.send(ENTER);
        let review = terminal.expect("Create these 2 sessions");
        let end = review
            .lines()
            .find_map(|line| line.trim().strip_prefix("End:"))
            .unwrap_or_else(|| panic!("no End line in the review:\n{review}"))
            .trim()
            .strip_suffix("(30m)")
            .unwrap_or_else(|| panic!("the duration after the end:\n{review}"))
            .trim();
        assert!(end.ends_with(zone), "{vars:?} {flags:?}: {end:?}");
        let end = DateTime::parse_from_str(end, "%Y-%m-%d %H:%M %:z")
            .unwrap_or_else(|e| panic!("{end:?} is not the CLI's time form: {e}"));
        let expected = asked_at + chrono::Duration::minutes(30);
        assert!(
            (end.with_timezone(&Utc) - expected).num_seconds().abs() < 120,
            "{vars:?} {flags:?}: ends {end}, expected about {expected}"
        );
        terminal.send("n");
        terminal.expect("cancelled: no session was created");
        assert_eq!(terminal.exit_code(), 130, "{}", terminal.transcript());
    }
    assert_eq!(sessions_of(&server, &token), Vec::<Value>::new());
}

#[test]
fn esc_or_ctrl_c_leaves_the_wizard_with_nothing_created() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let token = as_uma(&env, &server);

    // Esc in a text field, after answers that flags filled in.
    let mut terminal = Terminal::spawn(
        &env,
        &[
            "session",
            "create",
            "-i",
            "--activity",
            "linux admin",
            "--resource",
            "web02",
            "--note",
            "never",
        ],
    );
    terminal.expect("Activity (type to filter)");
    terminal.send(ENTER);
    terminal.expect("Activity: Linux Admin");
    terminal.expect("Resources (Space ticks");
    terminal.send(ENTER);
    terminal.expect("Resources: web02\r\n");
    terminal.expect("Note (optional");
    terminal.send(" mind");
    terminal.expect("never mind");
    terminal.send(ESC);
    terminal.expect("cancelled: no session was created");
    assert_eq!(terminal.exit_code(), 130, "{}", terminal.transcript());

    // Ctrl-C in a selection, which hides the cursor while it is open.
    let mut terminal = Terminal::spawn(&env, &["session", "create"]);
    terminal.expect("Activity (type to filter)");
    terminal.send(ENTER);
    terminal.expect("Resources (Space ticks");
    terminal.send(CTRL_C);
    terminal.expect("cancelled: no session was created");
    assert_eq!(terminal.exit_code(), 130, "{}", terminal.transcript());
    let hidden = terminal
        .shown
        .rfind(HIDE_CURSOR)
        .expect("the selection hid the cursor");
    assert!(
        terminal.shown[hidden..].contains(SHOW_CURSOR),
        "the cursor stays hidden: {}",
        terminal.transcript()
    );

    // Esc at the review, the last moment before anything is created.
    let mut terminal = Terminal::spawn(&env, &["session", "create"]);
    request_linux_admin_on_both_web_servers(&mut terminal, "");
    terminal.send(ENTER);
    terminal.expect("Create these 2 sessions");
    terminal.send(ESC);
    terminal.expect("cancelled: no session was created");
    assert_eq!(terminal.exit_code(), 130, "{}", terminal.transcript());

    assert_eq!(sessions_of(&server, &token), Vec::<Value>::new());
}

#[test]
fn without_a_terminal_it_never_prompts() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let token = as_uma(&env, &server);

    for args in [&["session", "create"][..], &["session", "create", "-i"]] {
        let output = env.pamctl(args).output().expect("run pamctl");
        let stderr = stderr_of(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("--activity") && stderr.contains("--resource"),
            "{args:?} names the flags: {stderr}"
        );
        assert!(stderr.contains("terminal"), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("Activity (type"),
            "{args:?} prompted: {stderr}"
        );
        assert!(output.stdout.is_empty(), "{args:?}");
    }
    assert_eq!(sessions_of(&server, &token), Vec::<Value>::new());
}

#[test]
fn a_duration_over_the_policy_maximum_is_refused_before_the_review() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let token = as_uma(&env, &server);

    let mut terminal = Terminal::spawn(&env, &["session", "create"]);
    request_linux_admin_on_both_web_servers(&mut terminal, "long job");
    terminal.send("5h");
    terminal.send(ENTER);
    let refused = terminal.expect("over the maximum of 4h");
    assert!(!refused.contains("Review your request"), "{refused}");
    // The answer stays for editing: take the 5 back and ask for 2 hours.
    terminal.expect("[4h]: 5h");
    // One key at a time, each once shown: between two keys the prompt leaves raw mode, and
    // a backspace that arrives then is the terminal's own erase of nothing.
    terminal.send(BACKSPACE);
    terminal.expect("[4h]: 5");
    terminal.send(BACKSPACE);
    terminal.expect("[4h]: ");
    terminal.send("2h");
    terminal.send(ENTER);
    let review = terminal.expect("Create these 2 sessions");
    assert!(review.contains("(2h)"), "{review}");
    terminal.send("n");
    terminal.expect("cancelled: no session was created");
    assert_eq!(terminal.exit_code(), 130, "{}", terminal.transcript());
    assert_eq!(sessions_of(&server, &token), Vec::<Value>::new());
}

#[test]
fn a_later_start_is_checked_as_typed_and_kept() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let token = as_uma(&env, &server);

    let mut terminal = Terminal::spawn(&env, &["session", "create"]);
    terminal.expect("Activity (type to filter)");
    terminal.send("linux");
    terminal.send(ENTER);
    terminal.expect("Resources (Space ticks");
    terminal.send(" ");
    terminal.send(ENTER);
    terminal.expect("Note (optional");
    terminal.send(ENTER);
    terminal.expect("Ticket (optional)");
    terminal.send(ENTER);
    terminal.expect("Later: a date and time");
    terminal.send(ARROW_DOWN);
    terminal.send(ENTER);
    terminal.expect("Start (YYYY-MM-DD HH:MM");
    terminal.send("2001-01-01 09:00");
    terminal.send(ENTER);
    terminal.expect("is in the past");
    terminal.send(CTRL_U);
    terminal.send("+2h");
    terminal.send(ENTER);
    let asked_at = Utc::now();
    terminal.expect("Duration (");
    terminal.send(ENTER);
    let review = terminal.expect("Create this session?");
    assert!(review.contains("(4h, the most)"), "{review}");
    terminal.send("y");
    terminal.expect("Wait until it is available?");
    terminal.send("n");
    assert_eq!(terminal.exit_code(), 0, "{}", terminal.transcript());

    let sessions = sessions_of(&server, &token);
    assert_eq!(sessions.len(), 1, "{sessions:?}");
    let start = time_of(&sessions[0], "scheduledStartDateTimeUtc");
    let expected = asked_at + chrono::Duration::hours(2);
    assert!(
        (start - expected).num_seconds().abs() < 60,
        "starts {start}, expected about {expected}"
    );
    let end = time_of(&sessions[0], "scheduledEndDateTimeUtc");
    assert_eq!((end - start).num_minutes(), 240, "{}", sessions[0]);
}

const TICKET_CONFIG: &str = r#"
[[activities]]
name = "Change Task"
platform = "Linux"

[[policies]]
name = "Change Control"
users = ["uma"]
activities = ["Change Task"]
resources = ["web01"]
max_duration = "1h"
ticket_required = true
"#;

#[test]
fn a_ticket_the_policy_requires_is_asked_for_and_checked_on_the_flags() {
    let env = TestEnv::new();
    let config = env.write("ticket.toml", TICKET_CONFIG);
    let server = Server::start(
        &env,
        ServerOptions {
            config: Some(&config),
            ..Default::default()
        },
    );
    let token = as_uma(&env, &server);

    let output = env
        .pamctl(&[
            "session",
            "create",
            "--activity",
            "Change Task",
            "--resource",
            "web01",
        ])
        .output()
        .expect("run pamctl");
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--ticket"), "{stderr}");
    assert!(stderr.contains("\"Change Control\""), "{stderr}");
    assert_eq!(sessions_of(&server, &token), Vec::<Value>::new());

    let mut terminal = Terminal::spawn(&env, &["session", "create", "-i"]);
    terminal.expect("Activity (type to filter)");
    terminal.send("change");
    terminal.send(ENTER);
    // The only resource comes ticked.
    terminal.expect("Resources (Space ticks");
    terminal.send(ENTER);
    terminal.expect("Note (optional");
    terminal.send(ENTER);
    terminal.expect("Ticket (required)");
    terminal.send(ENTER);
    terminal.expect("requires a ticket");
    terminal.send("CHG-7");
    terminal.send(ENTER);
    terminal.expect("Later: a date and time");
    terminal.send(ENTER);
    // Enter takes the default, the policy's maximum.
    terminal.expect("Duration (");
    terminal.send(ENTER);
    let review = terminal.expect("Create this session?");
    assert!(review.contains("CHG-7"), "{review}");
    assert!(review.contains("(1h, the most)"), "{review}");
    terminal.send("y");
    terminal.expect("Wait until it is available?");
    terminal.send("n");
    assert_eq!(terminal.exit_code(), 0, "{}", terminal.transcript());

    let sessions = sessions_of(&server, &token);
    assert_eq!(sessions.len(), 1, "{sessions:?}");
    assert_eq!(sessions[0]["ticket"], "CHG-7");
    let span = time_of(&sessions[0], "scheduledEndDateTimeUtc")
        - time_of(&sessions[0], "scheduledStartDateTimeUtc");
    assert_eq!(span.num_minutes(), 60, "{}", sessions[0]);
}
