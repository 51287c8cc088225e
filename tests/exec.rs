//! Statements run through the broker in a database-role session, end to end: a real `pamctl
//! server` on a real throwaway PostgreSQL cluster, driven by the real binary. `session exec`
//! records what it ran in the activity log; a failing statement is recorded with its error
//! and exits non-zero; a statement held for review runs exactly once after an approval (one
//! row in the table) and never after a denial; nobody approves their own statement; a re-run
//! points to the original; and the session's password appears in nothing captured.

mod common;

use std::process::Stdio;
use std::str::FromStr;
use std::time::{Duration, Instant};

use common::postgres::fresh_database;
use common::{DEV_PASSWORD, Server, ServerOptions, TestEnv, stderr_of, stdout_of};
use serde_json::Value;
use tokio::runtime::Runtime;
use tokio_postgres::{Client, Config, NoTls};
use uuid::Uuid;

struct Fixture {
    runtime: Runtime,
    admin: Client,
    /// uma's and ulf's CLI (one profile, signed in as whoever asked last).
    env: TestEnv,
    /// rita's CLI: the policy's approver.
    reviewer: TestEnv,
    /// `None` only while it is being replaced (see `restart_hard`).
    server: Option<Server>,
    config_file: std::path::PathBuf,
    /// Everything the CLI printed, to look for the password in.
    captured: std::cell::RefCell<Vec<String>>,
}

fn random(prefix: &str) -> String {
    format!("{prefix}_{}", &Uuid::new_v4().simple().to_string()[..10])
}

async fn connect(config: &Config) -> Result<Client, tokio_postgres::Error> {
    let (client, connection) = config.connect(NoTls).await?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(client)
}

impl Fixture {
    /// A fresh database with a table `items` the access role may read and insert into, and a
    /// dev server with two database-role activities on pg1: "PG Role" runs every statement
    /// at once, "PG Reviewed" holds writes for review. Sessions need rita's (or ulf's)
    /// approval. `None` without PostgreSQL.
    fn new() -> Option<Fixture> {
        let runtime = Runtime::new().expect("a runtime");
        let url = runtime.block_on(fresh_database())?;
        let config = Config::from_str(&url).expect("the harness gives a valid URL");
        let admin = runtime
            .block_on(connect(&config))
            .expect("connect as the superuser");
        let marker = random("pamctl_m");
        let access_role = random("app_rw");
        runtime
            .block_on(admin.batch_execute(&format!(
                "CREATE ROLE {marker} NOLOGIN;
                 CREATE ROLE {access_role} NOLOGIN;
                 CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL);
                 GRANT SELECT, INSERT ON items TO {access_role};
                 GRANT USAGE ON SEQUENCE items_id_seq TO {access_role};"
            )))
            .expect("create the marker, the access role and the table");
        let tokio_postgres::config::Host::Tcp(host) = &config.get_hosts()[0] else {
            panic!("the harness gives a TCP host");
        };
        let env = TestEnv::new();
        let file = env.write(
            "exec.toml",
            &format!(
                r#"
[server]
login_poll_interval = "300ms"
reconcile_interval = "1s"
action_retry_backoff = "1s"
exec_timeout = "5s"
exec_max_rows = 2

[[activities]]
name = "PG Role"
platform = "PostgreSQL"
[activities.database_role]
access_roles = ["{access_role}"]

[[activities]]
name = "PG Reviewed"
platform = "PostgreSQL"
[activities.database_role]
access_roles = ["{access_role}"]
review_statements = "writes"

[[resources]]
name = "pg1"
platform = "PostgreSQL"
address = "{host}"
[resources.postgres]
host = "{host}"
port = {port}
database = "{database}"
admin_user = "{user}"
marker_role = "{marker}"

[[policies]]
name = "PG Access"
users = ["uma", "ulf"]
activities = ["PG Role", "PG Reviewed"]
resources = ["pg1"]
max_duration = "1h"
[[policies.approval]]
approvers = ["rita", "ulf"]
"#,
                port = config.get_ports()[0],
                database = config.get_dbname().expect("a database"),
                user = config.get_user().expect("a user"),
            ),
        );
        let server = Self::start(&env, &file);
        let reviewer = TestEnv::new();
        reviewer
            .login(&server.url, "rita", DEV_PASSWORD, &[])
            .assert()
            .success();
        Some(Fixture {
            runtime,
            admin,
            env,
            reviewer,
            server: Some(server),
            config_file: file,
            captured: std::cell::RefCell::default(),
        })
    }

    fn start(env: &TestEnv, config: &std::path::Path) -> Server {
        Server::start(
            env,
            ServerOptions {
                config: Some(config),
                ..ServerOptions::default()
            },
        )
    }

    fn server(&self) -> &Server {
        self.server.as_ref().expect("a server")
    }

    /// SIGKILLs the server, as in a crash, and starts it again on the same data; both CLIs
    /// sign in to it again.
    fn restart_hard(&mut self) {
        self.server.take().expect("a server").kill_hard();
        self.server = Some(Self::start(&self.env, &self.config_file));
        self.reviewer
            .login(&self.server().url, "rita", DEV_PASSWORD, &[])
            .assert()
            .success();
    }

    fn login(&self, user: &str) {
        self.env
            .login(&self.server().url, user, DEV_PASSWORD, &[])
            .assert()
            .success();
    }

    /// `pamctl ARGS -o json` in `env`: its exit code and its stdout as JSON.
    fn run_json(&self, env: &TestEnv, args: &[&str]) -> (Option<i32>, Value) {
        let mut with_json = args.to_vec();
        with_json.extend(["-o", "json"]);
        let output = env.run(&with_json);
        let (stdout, stderr) = (stdout_of(&output), stderr_of(&output));
        self.captured
            .borrow_mut()
            .extend([stdout.clone(), stderr.clone()]);
        let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
        (output.status.code(), json)
    }

    /// `pamctl ARGS -o json` in `env`, which must succeed.
    fn json(&self, env: &TestEnv, args: &[&str]) -> Value {
        let (code, json) = self.run_json(env, args);
        assert_eq!(
            code,
            Some(0),
            "pamctl {args:?} failed: {}",
            self.captured.borrow().last().cloned().unwrap_or_default()
        );
        json
    }

    /// `user`'s new session of `activity` on pg1, approved by rita, once it is Available.
    fn available_session(&self, user: &str, activity: &str) -> String {
        self.login(user);
        let created = self.json(
            &self.env,
            &[
                "session",
                "create",
                "--activity",
                activity,
                "--resource",
                "pg1",
            ],
        );
        let created = if created.is_array() {
            created[0].clone()
        } else {
            created
        };
        let id = created["id"].as_str().expect("an id").to_owned();
        self.json(&self.reviewer, &["approval", "approve", &id]);
        self.wait_for(&id, "Available");
        id
    }

    fn wait_for(&self, id: &str, state: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let shown = self.env.json(&["session", "show", id]);
            if shown["state"] == state {
                return shown;
            }
            assert!(
                Instant::now() < deadline,
                "session {id} never became {state}: {shown}\n{}",
                self.server().stderr_text()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn items(&self) -> i64 {
        self.runtime.block_on(async {
            self.admin
                .query_one("SELECT count(*) FROM items", &[])
                .await
                .expect("count the items")
                .get(0)
        })
    }

    fn activity(&self, id: &str) -> Vec<Value> {
        self.json(&self.env, &["session", "activity", id])
            .as_array()
            .expect("an array")
            .clone()
    }

    fn wait_until(&self, what: &str, mut done: impl FnMut() -> bool) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !done() {
            assert!(
                Instant::now() < deadline,
                "{what} did not happen\n{}",
                self.server().stderr_text()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Asserts the password is in nothing captured: the CLI's output, the server's, the
    /// session log and the activity log.
    fn assert_no_password(&self, id: &str, password: &str) {
        let everything = [
            self.captured.borrow().join("\n"),
            self.server().stderr_text(),
            self.server().stdout_text(),
            self.env.ok(&["session", "logs", id]),
            self.env.ok(&["session", "logs", id, "-o", "json"]),
            self.env.ok(&["session", "activity", id, "-o", "json"]),
            self.env.ok(&["session", "show", id, "-o", "json"]),
        ]
        .join("\n");
        assert!(password.len() >= 24);
        assert!(
            !everything.contains(password),
            "the session's password leaked"
        );
    }
}

#[test]
fn exec_records_results_failures_and_reruns() {
    let Some(fx) = Fixture::new() else { return };
    let id = fx.available_session("uma", "PG Role");

    // An INSERT: its rows affected.
    let inserted = fx.json(
        &fx.env,
        &[
            "session",
            "exec",
            &id,
            "INSERT INTO items (name) VALUES ('apple'), ('banana'), ('cherry')",
        ],
    );
    assert_eq!(inserted["status"], "succeeded", "{inserted}");
    assert_eq!(inserted["rowsAffected"], 3, "{inserted}");
    assert!(inserted["rerunOf"].is_null());
    assert_eq!(fx.items(), 3);

    // A SELECT: its columns and first rows (exec_max_rows = 2), and how many there were.
    let selected = fx.json(
        &fx.env,
        &[
            "session",
            "exec",
            &id,
            "SELECT name, NULL AS nothing FROM items ORDER BY id",
        ],
    );
    assert_eq!(selected["status"], "succeeded", "{selected}");
    assert_eq!(selected["columns"], serde_json::json!(["name", "nothing"]));
    assert_eq!(
        selected["rows"],
        serde_json::json!([["apple", null], ["banana", null]])
    );
    assert_eq!(selected["totalRows"], 3);
    assert!(selected["durationMs"].is_u64());

    // From a file and from stdin; a table on a terminal-less stdout is still the rows.
    let file = fx.env.write("count.sql", "SELECT count(*) AS n FROM items");
    let counted = fx.json(
        &fx.env,
        &["session", "exec", &id, "-f", file.to_str().expect("a path")],
    );
    assert_eq!(counted["rows"], serde_json::json!([["3"]]));
    let output = fx
        .env
        .pamctl(&["session", "exec", &id, "-"])
        .write_stdin("SELECT current_user = session_user AS own_role")
        .output()
        .expect("run pamctl");
    let table = stdout_of(&output);
    fx.captured.borrow_mut().push(table.clone());
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert!(table.contains("OWN_ROLE") && table.contains('t'), "{table}");

    // A failing statement: recorded with its error, and a non-zero exit.
    let (code, failed) = fx.run_json(
        &fx.env,
        &["session", "exec", &id, "SELECT * FROM no_such_table"],
    );
    assert_eq!(code, Some(1), "{failed}");
    assert_eq!(failed["status"], "failed", "{failed}");
    assert!(
        failed["error"]
            .as_str()
            .is_some_and(|e| e.contains("no_such_table")),
        "{failed}"
    );
    // The role may not write where its access role does not let it.
    let (code, refused) = fx.run_json(&fx.env, &["session", "exec", &id, "DELETE FROM items"]);
    assert_eq!(code, Some(1), "{refused}");
    assert!(
        refused["error"]
            .as_str()
            .is_some_and(|e| e.contains("permission denied")),
        "{refused}"
    );
    assert_eq!(fx.items(), 3);

    // A re-run: a new entry pointing to the original, run again.
    let original = inserted["id"].as_i64().expect("an entry id");
    let rerun = fx.json(&fx.env, &["session", "rerun", &id, &original.to_string()]);
    assert_eq!(rerun["rerunOf"], original, "{rerun}");
    assert_ne!(rerun["id"], original);
    assert_eq!(rerun["status"], "succeeded");
    assert_eq!(fx.items(), 6);

    // The activity log: every entry, oldest first, with who ran it.
    let log = fx.activity(&id);
    assert_eq!(log.len(), 7, "{log:?}");
    assert!(log.iter().all(|e| e["requestedByUserName"] == "uma"));
    assert_eq!(log[0]["sql"], inserted["sql"]);
    assert_eq!(log[6]["rerunOf"], original);
    let table = fx.env.ok(&["session", "activity", &id]);
    assert!(
        table.contains("no_such_table") && table.contains("ENTRY"),
        "{table}"
    );
    // `session logs` shows them among its lines.
    let logs = fx.env.ok(&["session", "logs", &id]);
    assert!(
        logs.contains(&format!("#{original} succeeded by uma")),
        "{logs}"
    );
    // `session logs --download` keeps them with the session and its log.
    let download = fx.env.path("session.json");
    fx.env.ok(&[
        "session",
        "logs",
        &id,
        "--download",
        download.to_str().unwrap(),
    ]);
    let document: Value =
        serde_json::from_str(&std::fs::read_to_string(&download).unwrap()).expect("JSON");
    let kept = document["activity"].as_array().expect("the activity log");
    assert_eq!(kept.len(), 7, "{document}");
    assert_eq!(kept[6]["rerunOf"], original);
    let text_download = fx.env.path("session.txt");
    fx.env.ok(&[
        "session",
        "logs",
        &id,
        "--download",
        text_download.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&text_download).unwrap();
    fx.captured.borrow_mut().push(text.clone());
    fx.captured.borrow_mut().push(document.to_string());
    assert!(text.contains("Activity (7 statements)"), "{text}");
    assert!(text.contains("no_such_table"), "{text}");

    // Who may: only the requester runs statements (403 for a reader, 404 for a stranger);
    // whoever may read the session reads its activity log.
    let http = fx.server().http();
    let rita = http.sign_in("rita", DEV_PASSWORD);
    let body = Some(r#"{"sql": "SELECT 1"}"#);
    http.send(
        "POST",
        &format!("/api/v1/ActivitySession/{id}/Exec"),
        Some(&rita),
        body,
    )
    .problem(403);
    let admin = http.sign_in("admin", DEV_PASSWORD);
    http.send(
        "POST",
        &format!("/api/v1/ActivitySession/{id}/Exec"),
        Some(&admin),
        body,
    )
    .problem(403);
    let readable = http
        .get(&format!("/api/v1/ActivitySession/{id}/Activity"), &rita)
        .expect(200)
        .json();
    assert_eq!(readable.as_array().map(Vec::len), Some(7));
    // Bad input names the field.
    let uma = http.sign_in("uma", DEV_PASSWORD);
    let problem = http
        .send(
            "POST",
            &format!("/api/v1/ActivitySession/{id}/Exec"),
            Some(&uma),
            Some(r#"{"sql": "  "}"#),
        )
        .problem(400);
    assert!(problem.to_string().contains("sql"), "{problem}");

    // The password is nowhere in what was captured.
    let password = fx.env.ok(&["session", "password", &id]).trim().to_owned();
    fx.assert_no_password(&id, &password);

    // After the end nothing runs: 409.
    fx.env.ok(&["session", "end", &id]);
    fx.wait_for(&id, "Complete");
    let problem = http
        .send(
            "POST",
            &format!("/api/v1/ActivitySession/{id}/Exec"),
            Some(&uma),
            body,
        )
        .problem(409);
    assert!(problem.to_string().contains("Complete"), "{problem}");
    let (code, _) = fx.run_json(&fx.env, &["session", "rerun", &id, &original.to_string()]);
    assert_ne!(code, Some(0));
    assert_eq!(fx.items(), 6);
}

#[test]
fn a_held_statement_runs_once_after_approval_and_never_after_denial() {
    let Some(fx) = Fixture::new() else { return };
    // ulf requests (rita approves his session); ulf is also an approver of the policy, so
    // only the self-approval rule stops him approving his own statement.
    let id = fx.available_session("ulf", "PG Reviewed");

    // A read runs at once; a write waits for review (202, "pending review", exit 0).
    let read = fx.json(
        &fx.env,
        &["session", "exec", &id, "SELECT count(*) FROM items"],
    );
    assert_eq!(read["status"], "succeeded", "{read}");
    let held = fx.json(
        &fx.env,
        &[
            "session",
            "exec",
            &id,
            "INSERT INTO items (name) VALUES ('held')",
        ],
    );
    assert_eq!(held["status"], "pending review", "{held}");
    let entry = held["id"].as_i64().expect("an entry id").to_string();
    let http = fx.server().http();
    let ulf = http.sign_in("ulf", DEV_PASSWORD);
    let reply = http.send(
        "POST",
        &format!("/api/v1/ActivitySession/{id}/Exec"),
        Some(&ulf),
        Some(r#"{"sql": "SELECT 1; DELETE FROM items"}"#),
    );
    assert_eq!(reply.status, 202, "{}", reply.body);
    let multi = reply.json()["id"]
        .as_i64()
        .expect("an entry id")
        .to_string();
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(fx.items(), 0, "a held statement does not run");

    // Self-approval is refused, for the requester of the session and of the statement.
    let (code, _) = fx.run_json(
        &fx.env,
        &["approval", "approve", &id, "--statement", &entry],
    );
    assert_eq!(code, Some(4));
    assert!(
        fx.captured
            .borrow()
            .last()
            .is_some_and(|e| e.contains("somebody else")),
        "{:?}",
        fx.captured.borrow().last()
    );

    // rita sees both in `approval list`, with their SQL.
    let pending = fx.json(&fx.reviewer, &["approval", "list"]);
    let statements: Vec<&Value> = pending
        .as_array()
        .expect("an array")
        .iter()
        .filter(|p| p["kind"] == "statement")
        .collect();
    assert_eq!(statements.len(), 2, "{pending}");
    assert_eq!(
        statements[0]["sql"],
        "INSERT INTO items (name) VALUES ('held')"
    );
    assert_eq!(statements[0]["sessionId"], id.as_str());
    let table = fx.reviewer.ok(&["approval", "list"]);
    assert!(table.contains("VALUES ('held')"), "{table}");

    // ulf follows a third held write with --wait while rita approves it.
    let mut follower = fx.env.command();
    follower
        .args([
            "session",
            "exec",
            &id,
            "INSERT INTO items (name) VALUES ('waited')",
            "--wait",
            "--wait-timeout",
            "60s",
            "-o",
            "json",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let follower = follower.spawn().expect("start the follower");
    let mut waited_entry = None;
    fx.wait_until("the followed statement to be held", || {
        let pending = fx.json(&fx.reviewer, &["approval", "list"]);
        waited_entry = pending.as_array().and_then(|all| {
            all.iter()
                .find(|p| p["sql"] == "INSERT INTO items (name) VALUES ('waited')")
                .and_then(|p| p["id"].as_i64())
        });
        waited_entry.is_some()
    });
    let waited_entry = waited_entry.expect("found").to_string();

    // rita approves the first: it runs exactly once, through the outbox.
    let approved = fx.json(
        &fx.reviewer,
        &["approval", "approve", &id, "--statement", &entry],
    );
    assert_eq!(approved["status"], "approved", "{approved}");
    fx.wait_until("the approved statement to run", || {
        fx.activity(&id).iter().any(|e| {
            e["id"] == entry.parse::<i64>().expect("a number") && e["status"] == "succeeded"
        })
    });
    assert_eq!(fx.items(), 1);
    let (code, _) = fx.run_json(
        &fx.reviewer,
        &["approval", "approve", &id, "--statement", &entry],
    );
    assert_eq!(
        code,
        Some(5),
        "a decided statement is not decided again (409)"
    );

    // rita approves the followed one: the follower sees it run.
    fx.json(
        &fx.reviewer,
        &["approval", "approve", &id, "--statement", &waited_entry],
    );
    let output = follower.wait_with_output().expect("the follower ends");
    let followed: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    fx.captured
        .borrow_mut()
        .push(String::from_utf8_lossy(&output.stderr).into_owned());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(followed["status"], "succeeded", "{followed}");
    assert_eq!(fx.items(), 2);

    // rita denies the multi-statement one: it never runs, and says why.
    let denied = fx.json(
        &fx.reviewer,
        &[
            "approval",
            "deny",
            &id,
            "--statement",
            &multi,
            "--reason",
            "no deletes",
        ],
    );
    assert_eq!(denied["status"], "denied", "{denied}");
    assert_eq!(denied["reviewReason"], "no deletes");
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(fx.items(), 2, "nothing deleted");
    let (code, _) = fx.run_json(
        &fx.reviewer,
        &["approval", "approve", &id, "--statement", &multi],
    );
    assert_eq!(code, Some(5), "a denied statement cannot be approved after");

    // Exactly once: still one 'held' row, and the approved entries ran once each.
    let held_rows: i64 = fx.runtime.block_on(async {
        fx.admin
            .query_one("SELECT count(*) FROM items WHERE name = 'held'", &[])
            .await
            .expect("count")
            .get(0)
    });
    assert_eq!(held_rows, 1);
    let log = fx.activity(&id);
    let by_id = |wanted: &str| {
        log.iter()
            .find(|e| e["id"] == wanted.parse::<i64>().expect("a number"))
            .cloned()
            .expect("the entry")
    };
    assert_eq!(by_id(&entry)["rowsAffected"], 1);
    assert_eq!(by_id(&entry)["reviewedByUserName"], "rita");
    assert_eq!(by_id(&multi)["status"], "denied");
    assert!(by_id(&multi)["startedDateTimeUtc"].is_null());

    // The audit trail has every step on a statement, by whom, without its SQL.
    let audit_http = fx.server().http();
    let admin = audit_http.sign_in("admin", DEV_PASSWORD);
    let trail = audit_http
        .get("/api/v1/Audit?action=statement&take=100", &admin)
        .expect(200)
        .json();
    let steps: Vec<(String, String, String)> = trail["data"]
        .as_array()
        .expect("a page")
        .iter()
        .map(|row| {
            (
                row["action"].as_str().unwrap_or_default().to_owned(),
                row["actor"].as_str().unwrap_or_default().to_owned(),
                row["detail"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    for (action, actor, statement) in [
        ("statement.exec", "ulf", &entry),
        ("statement.approve", "rita", &entry),
        ("statement.deny", "rita", &multi),
    ] {
        assert!(
            steps.iter().any(|(a, who, detail)| a == action
                && who == actor
                && detail.starts_with(&format!("statement {statement}:"))),
            "{action} by {actor} on {statement} missing from {steps:?}"
        );
    }
    assert!(
        !trail.to_string().contains("INSERT INTO"),
        "no SQL in the audit trail: {trail}"
    );

    // A re-run of a held write is held again, pointing to the original.
    let rerun = fx.json(&fx.env, &["session", "rerun", &id, &entry]);
    assert_eq!(rerun["status"], "pending review", "{rerun}");
    assert_eq!(rerun["rerunOf"].to_string(), entry);
    let rerun_id = rerun["id"].to_string();
    fx.json(
        &fx.reviewer,
        &[
            "approval",
            "deny",
            &id,
            "--statement",
            &rerun_id,
            "--reason",
            "once is enough",
        ],
    );
    assert_eq!(fx.items(), 2);

    let password = fx.env.ok(&["session", "password", &id]).trim().to_owned();
    fx.assert_no_password(&id, &password);
}

/// Exactly once even when the broker dies mid-statement: the approved statement's run finds
/// its entry started, marks it interrupted and never starts it again.
#[test]
fn a_statement_interrupted_by_a_crash_is_never_run_twice() {
    let Some(mut fx) = Fixture::new() else { return };
    let id = fx.available_session("ulf", "PG Reviewed");
    let slow = "INSERT INTO items (name) SELECT 'slow' FROM pg_sleep(2)";
    let held = fx.json(&fx.env, &["session", "exec", &id, slow]);
    assert_eq!(held["status"], "pending review", "{held}");
    let entry = held["id"].as_i64().expect("an entry id");
    fx.json(
        &fx.reviewer,
        &[
            "approval",
            "approve",
            &id,
            "--statement",
            &entry.to_string(),
        ],
    );
    let status = |fx: &Fixture| {
        fx.activity(&id)
            .into_iter()
            .find(|e| e["id"] == entry)
            .expect("the entry")["status"]
            .as_str()
            .expect("a status")
            .to_owned()
    };
    fx.wait_until("the statement to start", || status(&fx) == "running");
    fx.restart_hard();
    fx.login("ulf");
    fx.wait_until("the interrupted statement to be settled", || {
        status(&fx) == "interrupted"
    });
    std::thread::sleep(Duration::from_secs(3));
    let slow_rows: i64 = fx.runtime.block_on(async {
        fx.admin
            .query_one("SELECT count(*) FROM items WHERE name = 'slow'", &[])
            .await
            .expect("count")
            .get(0)
    });
    assert!(slow_rows <= 1, "the statement ran {slow_rows} times");
    let interrupted = fx
        .activity(&id)
        .into_iter()
        .find(|e| e["id"] == entry)
        .expect("the entry");
    assert!(
        interrupted["error"]
            .as_str()
            .is_some_and(|e| e.contains("not run again")),
        "{interrupted}"
    );
}

/// The configuration of exec is checked at load, naming the key and what it accepts.
#[test]
fn exec_settings_are_checked_at_load() {
    let env = TestEnv::new();
    for (text, expected) in [
        (
            "[server]\nexec_timeout = \"2h\"\n",
            "exec_timeout: must be between 100ms and 1h",
        ),
        (
            "[server]\nexec_max_rows = 0\n",
            "exec_max_rows: must be between 1 and 10000",
        ),
        (
            "[[activities]]\nname = \"PG\"\nplatform = \"PostgreSQL\"\n[activities.database_role]\nreview_statements = \"some\"\n",
            "`none`, `all`",
        ),
    ] {
        let file = env.write("bad.toml", text);
        let Err((_, stderr)) = Server::try_start(
            &env,
            ServerOptions {
                config: Some(&file),
                ..ServerOptions::default()
            },
        ) else {
            panic!("the server started with {text}");
        };
        assert!(stderr.contains(expected), "{text}\n{stderr}");
    }
}
