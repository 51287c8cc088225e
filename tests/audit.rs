//! The tamper-evident audit trail: sign-ins, refusals and session actions recorded with who,
//! from where and how it ended; `audit list` for admins; `audit verify` offline, naming the
//! first edited, deleted or reordered row of a copied database, on SQLite and PostgreSQL.

mod common;

use std::path::{Path, PathBuf};

use common::postgres::fresh_database;
use common::{DEV_PASSWORD, Server, ServerOptions, TestEnv, stderr_of, stdout_of};
use serde_json::{Value, json};

fn entries_where(trail: &Value, test: impl Fn(&Value) -> bool) -> Vec<&Value> {
    trail
        .as_array()
        .expect("a JSON array of audit entries")
        .iter()
        .filter(|entry| test(entry))
        .collect()
}

fn one_entry<'a>(trail: &'a Value, what: &str, test: impl Fn(&Value) -> bool) -> &'a Value {
    let found = entries_where(trail, test);
    assert!(!found.is_empty(), "no audit entry for {what} in {trail:#}");
    found[0]
}

#[test]
fn sign_ins_refusals_and_session_actions_are_recorded_with_who_where_and_outcome() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();

    let uma = http.sign_in("uma", DEV_PASSWORD);
    let wrong = json!({"Login": "uma", "Password": "not-the-password"}).to_string();
    http.send("POST", "/signinBody", None, Some(&wrong))
        .expect(401);
    let ulf = http.sign_in("ulf", DEV_PASSWORD);

    let created = http
        .send(
            "POST",
            "/api/v1/ActivitySession",
            Some(&uma),
            Some(
                &json!({"activityName": "Linux Admin", "managedResourceName": "web01"}).to_string(),
            ),
        )
        .expect(201)
        .json();
    let id = created["id"].as_str().unwrap().to_owned();

    // A user calling an admin endpoint, and another user's session: refused, and attributed.
    http.get("/api/v1/Audit", &uma).expect(403);
    http.get(&format!("/api/v1/ActivitySession/{id}"), &ulf)
        .expect(404);
    // Nobody signed in: refused, attributed to no account but still to an address.
    http.send("GET", "/api/v1/ActivitySession", None, None)
        .expect(401);

    http.send(
        "DELETE",
        &format!("/api/v1/ActivitySession/{id}"),
        Some(&uma),
        None,
    )
    .expect(200);

    let trail = env.json(&["audit", "list", "--limit", "100"]);
    let signed_in = one_entry(&trail, "uma's sign-in", |e| {
        e["action"] == "sign_in" && e["actor"] == "uma" && e["outcome"] == "ok"
    });
    assert_eq!(signed_in["source"], "127.0.0.1", "{signed_in}");
    assert!(signed_in["actorId"].is_string(), "{signed_in}");
    let failed = one_entry(&trail, "the wrong password", |e| {
        e["action"] == "sign_in" && e["outcome"] == "failed"
    });
    assert_eq!(failed["actor"], "uma", "{failed}");
    assert_eq!(failed["source"], "127.0.0.1", "{failed}");
    assert!(failed["actorId"].is_null(), "{failed}");

    let forbidden = one_entry(&trail, "the 403", |e| {
        e["action"] == "refused" && e["outcome"] == "403 Forbidden"
    });
    assert_eq!(forbidden["actor"], "uma", "{forbidden}");
    assert_eq!(forbidden["target"], "GET /api/v1/audit", "{forbidden}");
    assert_eq!(forbidden["source"], "127.0.0.1", "{forbidden}");
    let not_found = one_entry(&trail, "the 404", |e| {
        e["action"] == "refused" && e["outcome"] == "404 Not Found"
    });
    assert_eq!(not_found["actor"], "ulf", "{not_found}");
    assert_eq!(
        not_found["target"],
        format!("GET /api/v1/activitysession/{id}"),
        "{not_found}"
    );
    let anonymous = one_entry(&trail, "the 401", |e| {
        e["action"] == "refused" && e["outcome"] == "401 Unauthorized"
    });
    assert!(anonymous["actor"].is_null(), "{anonymous}");
    assert_eq!(anonymous["source"], "127.0.0.1", "{anonymous}");

    let create = one_entry(&trail, "the request", |e| e["action"] == "session.create");
    assert_eq!(create["actor"], "uma", "{create}");
    assert_eq!(create["target"], id.as_str(), "{create}");
    let end = one_entry(&trail, "the end", |e| {
        (e["action"] == "session.end" || e["action"] == "session.cancel")
            && e["target"] == id.as_str()
    });
    assert_eq!(end["actor"], "uma", "{end}");
    assert_eq!(end["source"], "127.0.0.1", "{end}");
    assert_eq!(end["outcome"], "ok", "{end}");
    one_entry(&trail, "the server's start", |e| {
        e["action"] == "server.start"
            && e["detail"]
                .as_str()
                .is_some_and(|d| d.starts_with("catalog synced"))
    });

    // The end's log line says where it came from, as the request's does. The session may
    // still have been provisioning when the end came (its words differ then).
    let log = http
        .get(&format!("/api/v1/ActivitySession/{id}/Log"), &uma)
        .expect(200)
        .json();
    let end_line = log["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|line| line["logMessage"].as_str())
        .find(|message| {
            message.starts_with("ended by uma") || message.starts_with("end requested by uma")
        })
        .unwrap_or_else(|| panic!("no end line in {log}"));
    assert!(end_line.contains("(from 127.0.0.1)"), "{end_line}");

    // Filters: who, action family, session.
    let ulf_only = env.json(&["audit", "list", "--user", "ULF"]);
    assert!(
        entries_where(&ulf_only, |e| e["actor"] != "ulf").is_empty(),
        "{ulf_only:#}"
    );
    assert_eq!(
        entries_where(&ulf_only, |e| e["action"] == "refused").len(),
        1,
        "{ulf_only:#}"
    );
    let session_only = env.json(&["audit", "list", "--session", &id]);
    let actions: Vec<&str> = session_only
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"session.create"), "{session_only:#}");
    assert!(
        entries_where(&session_only, |e| e["target"] != id.as_str()).is_empty(),
        "{session_only:#}"
    );
    let sessions = env.json(&["audit", "list", "--action", "session"]);
    assert!(
        entries_where(&sessions, |e| !e["action"]
            .as_str()
            .unwrap()
            .starts_with("session."))
        .is_empty(),
        "{sessions:#}"
    );
    let future = env.json(&["audit", "list", "--since", "+1h"]);
    assert_eq!(future, json!([]));

    // The table names the same things.
    let table = env.ok(&["audit", "list", "--user", "ulf"]);
    assert!(
        table.contains("refused") && table.contains("404 Not Found"),
        "{table}"
    );

    // A user may not read the trail through the CLI either.
    env.login(&server.url, "uma", DEV_PASSWORD, &["--profile", "uma"])
        .assert()
        .success();
    let refused = env.run(&["audit", "list"]);
    assert_eq!(refused.status.code(), Some(4), "{}", stderr_of(&refused));
}

/// The server's SQLite files copied (after it stopped, so that everything is in them).
fn copy_database(env: &TestEnv, name: &str) -> PathBuf {
    let dir = env.path(name);
    std::fs::create_dir_all(&dir).unwrap();
    for suffix in ["", "-wal", "-shm"] {
        let from = env.server_data_dir().join(format!("pamctl.db{suffix}"));
        if from.exists() {
            std::fs::copy(&from, dir.join(format!("pamctl.db{suffix}"))).unwrap();
        }
    }
    dir.join("pamctl.db")
}

fn tamper(path: &Path, sql: &str) {
    let connection = rusqlite::Connection::open(path).unwrap();
    connection.execute_batch(sql).unwrap();
}

fn verify(env: &TestEnv, database: &Path, key: Option<&str>) -> std::process::Output {
    let mut args = vec![
        "audit".to_owned(),
        "verify".to_owned(),
        "--database".to_owned(),
        database.display().to_string(),
    ];
    if let Some(key) = key {
        args.extend(["--key".to_owned(), key.to_owned()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env.run(&args)
}

/// `audit verify --database DATABASE -o json`, parsed.
fn verify_json(env: &TestEnv, database: &str) -> Value {
    let output = env
        .pamctl(&["audit", "verify", "--database", database, "-o", "json"])
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout).unwrap()
}

fn assert_broken(output: &std::process::Output, words: &[&str]) {
    assert_eq!(output.status.code(), Some(1), "{}", stdout_of(output));
    let stderr = stderr_of(output);
    for word in words {
        assert!(stderr.contains(word), "'{word}' not in: {stderr}");
    }
}

/// Signs in a few times (each a row), then stops the server.
fn server_with_a_trail(env: &TestEnv, options: ServerOptions) {
    let server = Server::start(env, options);
    let http = server.http();
    for user in ["uma", "ulf", "rita", "ravi"] {
        http.sign_in(user, DEV_PASSWORD);
    }
    let wrong = json!({"Login": "nobody", "Password": "x"}).to_string();
    http.send("POST", "/signinBody", None, Some(&wrong))
        .expect(401);
    assert!(server.terminate().success());
}

#[test]
fn verify_names_the_first_edited_deleted_or_reordered_row_of_a_copy() {
    let env = TestEnv::new();
    server_with_a_trail(&env, ServerOptions::default());

    let untouched = copy_database(&env, "untouched");
    let output = verify(&env, &untouched, None);
    assert!(output.status.success(), "{}", stderr_of(&output));
    let said = stdout_of(&output);
    assert!(said.contains("The audit chain is intact"), "{said}");
    let checked = verify_json(&env, &format!("sqlite://{}", untouched.display()));
    assert_eq!(checked["intact"], true, "{checked}");
    assert!(checked["checked"].as_u64().unwrap() >= 6, "{checked}");

    let edited = copy_database(&env, "edited");
    tamper(
        &edited,
        "UPDATE audit_log SET outcome = 'ok' WHERE action = 'sign_in' AND outcome = 'failed'",
    );
    let failed_seq: i64 = rusqlite::Connection::open(&edited)
        .unwrap()
        .query_row(
            "SELECT seq FROM audit_log WHERE actor_name = 'nobody'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_broken(
        &verify(&env, &edited, None),
        &[&format!("row {failed_seq} was edited")],
    );

    let deleted = copy_database(&env, "deleted");
    tamper(&deleted, "DELETE FROM audit_log WHERE seq = 3");
    assert_broken(
        &verify(&env, &deleted, None),
        &["broken at row 3", "row 3 was deleted"],
    );

    let reordered = copy_database(&env, "reordered");
    tamper(
        &reordered,
        "UPDATE audit_log SET seq = -1 WHERE seq = 3;
         UPDATE audit_log SET seq = 3 WHERE seq = 4;
         UPDATE audit_log SET seq = 4 WHERE seq = -1;",
    );
    assert_broken(
        &verify(&env, &reordered, None),
        &["broken at row 3", "row 3 was moved"],
    );

    // Rewriting the hashes does not help the forger who leaves a later row's link behind.
    let rehashed = copy_database(&env, "rehashed");
    tamper(
        &rehashed,
        "UPDATE audit_log SET hash = 'forged' WHERE seq = 2",
    );
    assert_broken(&verify(&env, &rehashed, None), &["row 2 was edited"]);

    let missing = verify(&env, &env.path("no-such.db"), None);
    assert_eq!(missing.status.code(), Some(3), "{}", stderr_of(&missing));
    assert!(
        !env.path("no-such.db").exists(),
        "verify must not create a database"
    );
}

#[test]
fn a_keyed_chain_verifies_only_with_its_key() {
    let env = TestEnv::new();
    let key = env.write("audit.key", "the-audit-key-0123456789\n");
    let config = env.write(
        "audit.toml",
        &format!("[audit]\nkey = \"file:{}\"\n", key.display()),
    );
    server_with_a_trail(
        &env,
        ServerOptions {
            config: Some(&config),
            ..ServerOptions::default()
        },
    );
    let copy = copy_database(&env, "keyed");

    let right = verify(&env, &copy, Some(&format!("file:{}", key.display())));
    assert!(right.status.success(), "{}", stderr_of(&right));

    let other = env.write("other.key", "another-key\n");
    assert_broken(
        &verify(&env, &copy, Some(&format!("file:{}", other.display()))),
        &["row 1 was edited", "--key"],
    );
    // Without the key, plain SHA-256 cannot reproduce keyed hashes either.
    assert_broken(&verify(&env, &copy, None), &["row 1 was edited"]);

    // The key itself is refused on the command line.
    let literal = verify(&env, &copy, Some("the-audit-key-0123456789"));
    assert_eq!(literal.status.code(), Some(2), "{}", stderr_of(&literal));
    assert!(
        !stderr_of(&literal).contains("the-audit-key"),
        "{}",
        stderr_of(&literal)
    );
}

#[test]
fn verify_checks_a_postgresql_chain_too() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let Some(url) = runtime.block_on(fresh_database()) else {
        return;
    };
    let env = TestEnv::new();
    server_with_a_trail(
        &env,
        ServerOptions {
            extra_args: vec!["--database".to_owned(), url.clone()],
            ..ServerOptions::default()
        },
    );
    let intact = env.run(&["audit", "verify", "--database", &url]);
    assert!(intact.status.success(), "{}", stderr_of(&intact));
    // The stopping broker chained every event its requests queued.
    let checked = verify_json(&env, &url);
    assert_eq!(checked["unchained"], 0, "{checked}");
    let rows = checked["checked"].as_u64().unwrap();
    assert!(rows >= 6, "{checked}");

    let sql = |statement: &'static str| {
        runtime.block_on(async {
            use sqlx::Connection;
            let mut connection = sqlx::PgConnection::connect(&url).await.unwrap();
            sqlx::query(statement)
                .execute(&mut connection)
                .await
                .unwrap();
        });
    };
    // An event queued by a broker that died before chaining it is counted, not checked, and
    // never chained by verify (whose key may not be the broker's).
    sql("INSERT INTO audit_queue (at, action, outcome) VALUES (0, 'sign_in', 'ok')");
    for _ in 0..2 {
        let waiting = verify_json(&env, &url);
        assert_eq!(waiting["intact"], true, "{waiting}");
        assert_eq!(waiting["checked"], rows, "{waiting}");
        assert_eq!(waiting["unchained"], 1, "{waiting}");
    }
    let said = env.run(&["audit", "verify", "--database", &url]);
    assert!(
        stderr_of(&said).contains("not checked: 1 newer event waits"),
        "{}",
        stderr_of(&said)
    );

    sql("UPDATE audit_log SET actor_name = 'mallory' WHERE seq = 2");
    let edited = env.run(&["audit", "verify", "--database", &url]);
    assert_broken(&edited, &["row 2 was edited"]);
}

/// Polls until the session's summary status is `status` (a SessionSummaryStatus integer).
fn wait_for_status(http: &common::Http, token: &str, id: &str, status: u64) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let summary = http
            .get(&format!("/api/v1/ActivitySession/SummaryById/{id}"), token)
            .expect(200)
            .json();
        if summary["status"] == status {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "never reached {status}: {summary}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn extend_lock_unlock_login_and_decisions_are_recorded_with_the_address_in_the_log_too() {
    const ACTIVE_NO_LOGON: u64 = 2;
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let uma = http.sign_in("uma", DEV_PASSWORD);
    let admin = http.sign_in("admin", DEV_PASSWORD);
    let rita = http.sign_in("rita", DEV_PASSWORD);
    let create = |body: Value| {
        http.send(
            "POST",
            "/api/v1/ActivitySession",
            Some(&uma),
            Some(&body.to_string()),
        )
        .expect(201)
        .json()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let linux = create(json!({"activityName": "Linux Admin", "managedResourceName": "web01"}));
    wait_for_status(&http, &uma, &linux, ACTIVE_NO_LOGON);
    http.send(
        "POST",
        &format!("/api/v1/ActivitySession/{linux}/Extend"),
        Some(&uma),
        Some("30"),
    )
    .expect(200);
    for locked in [true, false] {
        let body = json!({"activitySessionIds": [linux], "locked": locked});
        http.send(
            "PUT",
            "/api/v1/ActivitySession/lock",
            Some(&admin),
            Some(&body.to_string()),
        )
        .expect(200);
    }
    http.send(
        "POST",
        &format!("/api/v1/ActivitySession/{linux}/Login"),
        Some(&admin),
        None,
    )
    .expect(200);

    let approved =
        create(json!({"activityName": "Database Read Write", "managedResourceName": "db01"}));
    http.send(
        "POST",
        &format!("/api/v1/ActivitySession/{approved}/Approve?notes=fine"),
        Some(&rita),
        None,
    )
    .expect(200);
    let denied =
        create(json!({"activityName": "Database Read Write", "managedResourceName": "db01"}));
    http.send(
        "POST",
        &format!("/api/v1/ActivitySession/{denied}/Deny"),
        Some(&rita),
        Some("\"not today\""),
    )
    .expect(200);
    // Deciding twice is refused by state: a 409, attributed.
    http.send(
        "POST",
        &format!("/api/v1/ActivitySession/{denied}/Approve"),
        Some(&rita),
        None,
    )
    .expect(409);

    let trail = env.json(&["audit", "list", "--limit", "200"]);
    for (action, actor, target) in [
        ("session.extend", "uma", &linux),
        ("session.lock", "admin", &linux),
        ("session.unlock", "admin", &linux),
        ("session.login", "admin", &linux),
        ("session.approve", "rita", &approved),
        ("session.deny", "rita", &denied),
    ] {
        let entry = one_entry(&trail, action, |e| e["action"] == action);
        assert_eq!(entry["actor"], actor, "{entry}");
        assert_eq!(entry["target"], target.as_str(), "{entry}");
        assert_eq!(entry["source"], "127.0.0.1", "{entry}");
        assert_eq!(entry["outcome"], "ok", "{entry}");
    }
    let conflict = one_entry(&trail, "the 409", |e| {
        e["action"] == "refused" && e["outcome"] == "409 Conflict"
    });
    assert_eq!(conflict["actor"], "rita", "{conflict}");

    let log = http
        .get(&format!("/api/v1/ActivitySession/{linux}/Log"), &uma)
        .expect(200)
        .json();
    let lines: Vec<String> = log["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| line["logMessage"].as_str().unwrap_or_default().to_owned())
        .collect();
    for start in ["extended by uma", "locked by admin", "unlocked by admin"] {
        let line = lines
            .iter()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("no line starting '{start}' in {lines:#?}"));
        assert!(line.ends_with("(from 127.0.0.1)"), "{line}");
    }
    // The log shows the actor after a line that does not name them: "… (from …) (admin)".
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("login detected") && l.contains("(from 127.0.0.1)")),
        "{lines:#?}"
    );
}

const MIA_TOTP: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const MIA_PASSWORD: &str = "mia-secret-password";

fn totp_code(secret: &str) -> String {
    use totp_rs::{Algorithm, Secret, TOTP};
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().unwrap();
    TOTP::new_unchecked(Algorithm::SHA1, 6, 1, 30, bytes)
        .generate_current()
        .unwrap()
}

#[test]
fn second_factor_steps_and_throttled_sign_ins_are_recorded_and_no_secret_is() {
    let env = TestEnv::new();
    let config = env.write(
        "mia.toml",
        &format!(
            "[[users]]\nname = \"mia\"\nrole = \"User\"\npassword_env = \"MIA_PASSWORD\"\ntotp_secret = \"{MIA_TOTP}\"\n"
        ),
    );
    let server = Server::start(
        &env,
        ServerOptions {
            config: Some(&config),
            envs: vec![("MIA_PASSWORD".into(), MIA_PASSWORD.into())],
            ..ServerOptions::default()
        },
    );
    let http = server.http();
    let pre = http.sign_in("mia", MIA_PASSWORD);
    http.send("POST", "/signin2fa", Some(&pre), Some("\"000000\""))
        .expect(401);
    let code = totp_code(MIA_TOTP);
    let quoted = format!("\"{code}\"");
    http.send("POST", "/signin2fa", Some(&pre), Some(&quoted))
        .expect(200);
    let again = http.sign_in("mia", MIA_PASSWORD);
    http.send("POST", "/signin2fa", Some(&again), Some(&quoted))
        .expect(401);
    // Failures until the throttle refuses even the right password.
    let wrong = json!({"Login": "ulf", "Password": "guess-123"}).to_string();
    let right = json!({"Login": "ulf", "Password": DEV_PASSWORD}).to_string();
    let mut throttled = false;
    for _ in 0..20 {
        http.send("POST", "/signinBody", None, Some(&wrong));
        if http.send("POST", "/signinBody", None, Some(&right)).status == 429 {
            throttled = true;
            break;
        }
    }
    assert!(throttled, "the sign-in throttle never answered 429");

    let trail = env.json(&["audit", "list", "--action", "sign_in", "--limit", "200"]);
    let mia = |e: &Value| e["actor"] == "mia";
    let password_step = one_entry(&trail, "mia's password", |e| {
        mia(e) && e["action"] == "sign_in" && e["outcome"] == "ok"
    });
    assert!(
        password_step["detail"]
            .as_str()
            .unwrap()
            .contains("second factor is next"),
        "{password_step}"
    );
    for (outcome, detail) in [
        ("failed", "wrong or expired code"),
        ("ok", "second factor accepted"),
        ("refused", "a code already used"),
    ] {
        one_entry(&trail, detail, |e| {
            mia(e)
                && e["action"] == "sign_in.mfa"
                && e["outcome"] == outcome
                && e["detail"] == detail
        });
    }
    let refused = one_entry(&trail, "the throttled sign-in", |e| {
        e["actor"] == "ulf" && e["action"] == "sign_in" && e["outcome"] == "refused"
    });
    assert_eq!(refused["source"], "127.0.0.1", "{refused}");

    let everything = env.ok(&["audit", "list", "--limit", "1000", "-o", "json"]);
    for secret in [MIA_PASSWORD, "guess-123", DEV_PASSWORD, &pre] {
        assert!(!everything.contains(secret), "'{secret}' is in the trail");
    }
}

#[test]
fn an_audit_key_written_in_the_configuration_is_refused_without_repeating_it() {
    let env = TestEnv::new();
    let config = env.write("audit.toml", "[audit]\nkey = \"s3cret-audit-key\"\n");
    let Err((status, stderr)) = Server::try_start(
        &env,
        ServerOptions {
            config: Some(&config),
            ..ServerOptions::default()
        },
    ) else {
        panic!("the server started with the key written in its configuration");
    };
    assert_ne!(status.and_then(|s| s.code()), Some(0), "{stderr}");
    assert!(
        stderr.contains("[audit]") && stderr.contains("file:PATH or env:NAME"),
        "{stderr}"
    );
    assert!(!stderr.contains("s3cret-audit-key"), "{stderr}");
}

/// Writes that commit together (the broker's group commit) each chain their records after
/// the one before, whether the batch reads the chain's head once or a refused request's
/// record lands between two transitions.
#[test]
fn concurrent_requests_chain_every_record_in_turn() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let tokens = [
        http.sign_in("uma", DEV_PASSWORD),
        http.sign_in("ulf", DEV_PASSWORD),
    ];
    const THREADS: usize = 8;
    const ROUNDS: usize = 6;
    std::thread::scope(|scope| {
        for thread in 0..THREADS {
            let token = tokens[thread % tokens.len()].clone();
            let base = server.url.clone();
            scope.spawn(move || {
                let http = common::Http::new(&base);
                let resource = if thread % 2 == 0 { "web01" } else { "web02" };
                let request =
                    json!({"activityName": "Linux Admin", "managedResourceName": resource})
                        .to_string();
                for _ in 0..ROUNDS {
                    let created = http
                        .send(
                            "POST",
                            "/api/v1/ActivitySession",
                            Some(&token),
                            Some(&request),
                        )
                        .expect(201)
                        .json();
                    let id = created["id"].as_str().unwrap().to_owned();
                    http.send(
                        "DELETE",
                        &format!("/api/v1/ActivitySession/{id}"),
                        Some(&token),
                        None,
                    )
                    .expect(200);
                    http.send(
                        "DELETE",
                        &format!("/api/v1/ActivitySession/{}", uuid::Uuid::new_v4()),
                        Some(&token),
                        None,
                    )
                    .expect(404);
                }
            });
        }
    });
    assert!(server.terminate().success());

    let copy = copy_database(&env, "concurrent");
    let checked = verify_json(&env, &copy.display().to_string());
    assert_eq!(checked["intact"], true, "{checked}");
    // Two sign-ins, then per round a request, an end and a refusal in every thread.
    let at_least = 2 + THREADS * ROUNDS * 3;
    assert!(
        checked["checked"].as_u64().unwrap() >= at_least as u64,
        "{checked}"
    );
}
