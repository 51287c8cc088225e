//! Real access on PostgreSQL, end to end: a real `pamctl server` whose database-role activity
//! makes a role on a real throwaway cluster for each session, hands its password to the
//! requester only, sees logins, locks, revokes, reconciles, and never lets the password out
//! anywhere but the Password endpoint.
//!
//! Each test has its own database and its own marker role (so the reconcilers of tests
//! running side by side never take each other's roles). The harness's cluster trusts local
//! logins; like tests/targets_postgres.rs, this process tells it once to ask members of
//! `pamctl_test_scram` (each test's marker is one) for their SCRAM password, so that a wrong
//! password is refused as on a real server.

mod common;

use std::str::FromStr;
use std::time::{Duration, Instant};

use common::postgres::fresh_database;
use common::{DEV_PASSWORD, Server, ServerOptions, TestEnv, stderr_of};
use postgres_protocol::escape::{escape_identifier, escape_literal};
use serde_json::Value;
use tokio::runtime::Runtime;
use tokio_postgres::{Client, Config, NoTls};
use uuid::Uuid;

const POLL: Duration = Duration::from_millis(300);
/// The role whose members (direct or not) the cluster asks for a password: each test's
/// marker, and the dev seed's `pamctl_managed`, are members. Not `pamctl_managed` itself, so
/// that the dev broker's reconciler sees only its own roles.
const SCRAM_CHECKED: &str = "pamctl_test_scram";
const DEV_MARKER: &str = "pamctl_managed";

struct Fixture {
    runtime: Runtime,
    admin: Client,
    config: Config,
    marker: String,
    access_role: String,
    passwords_checked: bool,
    env: TestEnv,
    server: Server,
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

/// Makes the cluster ask `pamctl_managed`'s members for their password (once per process).
async fn check_passwords(admin: &Client, config: &Config) -> bool {
    static DONE: tokio::sync::Mutex<Option<bool>> = tokio::sync::Mutex::const_new(None);
    let mut checked = DONE.lock().await;
    if let Some(done) = *checked {
        return done;
    }
    if std::env::var_os("PAMCTL_TEST_DATABASE_URL").is_some() {
        *checked = Some(false);
        return false;
    }
    for role in [SCRAM_CHECKED, DEV_MARKER] {
        admin
            .batch_execute(&format!("CREATE ROLE {role} NOLOGIN"))
            .await
            .ok();
    }
    admin
        .batch_execute(&format!("GRANT {SCRAM_CHECKED} TO {DEV_MARKER}"))
        .await
        .ok();
    let line = format!("host all +{SCRAM_CHECKED} 127.0.0.1/32 scram-sha-256");
    let row = admin
        .query_one(
            "SELECT current_setting('hba_file'), pg_read_file(current_setting('hba_file'))",
            &[],
        )
        .await
        .expect("read pg_hba.conf");
    let (path, hba): (String, String) = (row.get(0), row.get(1));
    if !hba.contains(&line) {
        let content = format!("{line}\n{hba}");
        admin
            .batch_execute(&format!(
                "COPY (SELECT unnest(string_to_array(rtrim({}, E'\\n'), E'\\n'))) TO {};
                 SELECT pg_reload_conf();",
                escape_literal(&content),
                escape_literal(&path)
            ))
            .await
            .expect("rewrite pg_hba.conf");
    }
    // The reload is asynchronous: wait until a marked role's wrong password is refused.
    let probe = random("pamctl_probe");
    admin
        .batch_execute(&format!(
            "CREATE ROLE {probe} LOGIN PASSWORD 'right-password' IN ROLE {SCRAM_CHECKED}"
        ))
        .await
        .expect("create the probe role");
    let mut probe_config = config.clone();
    probe_config.user(&probe).password("wrong-password");
    let mut refused = false;
    for _ in 0..100 {
        if connect(&probe_config).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    admin
        .batch_execute(&format!("DROP ROLE {probe}"))
        .await
        .ok();
    *checked = Some(refused);
    refused
}

impl Fixture {
    /// A fresh database with an access role and a marker, and a dev server whose "PG Role"
    /// activity on resource pg1 gives a role there; `None` without PostgreSQL.
    fn new() -> Option<Fixture> {
        let runtime = Runtime::new().expect("a runtime");
        let url = runtime.block_on(fresh_database())?;
        let config = Config::from_str(&url).expect("the harness gives a valid URL");
        let admin = runtime
            .block_on(connect(&config))
            .expect("connect as the superuser");
        let passwords_checked = runtime.block_on(check_passwords(&admin, &config));
        let marker = random("pamctl_m");
        let access_role = random("app_rw");
        runtime
            .block_on(admin.batch_execute(&format!(
                "CREATE ROLE {marker} NOLOGIN; GRANT {SCRAM_CHECKED} TO {marker};
                 CREATE ROLE {access_role} NOLOGIN;
                 GRANT CREATE, USAGE ON SCHEMA public TO {access_role};"
            )))
            .expect("create the marker and the access role");
        let tokio_postgres::config::Host::Tcp(host) = &config.get_hosts()[0] else {
            panic!("the harness gives a TCP host");
        };
        let env = TestEnv::new();
        let file = env.write(
            "access.toml",
            &format!(
                r#"
[server]
login_poll_interval = "{poll}ms"
reconcile_interval = "1s"
action_retry_backoff = "1s"

[[activities]]
name = "PG Role"
platform = "PostgreSQL"
[activities.database_role]
access_roles = ["{access_role}"]
connection_limit = 3

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
activities = ["PG Role"]
resources = ["pg1"]
max_duration = "1h"
extension = {{ max_count = 2, max_each = "30m" }}
"#,
                poll = POLL.as_millis(),
                port = config.get_ports()[0],
                database = config.get_dbname().expect("a database"),
                user = config.get_user().expect("a user"),
            ),
        );
        let server = Server::start(
            &env,
            ServerOptions {
                config: Some(&file),
                ..ServerOptions::default()
            },
        );
        Some(Fixture {
            runtime,
            admin,
            config,
            marker,
            access_role,
            passwords_checked,
            env,
            server,
        })
    }

    fn login(&self, user: &str) {
        self.env
            .login(&self.server.url, user, DEV_PASSWORD, &[])
            .assert()
            .success();
    }

    /// uma's new session on pg1, once it is Available.
    fn available_session(&self) -> (String, String) {
        self.login("uma");
        let created = self.env.json(&[
            "session",
            "create",
            "--activity",
            "PG Role",
            "--resource",
            "pg1",
        ]);
        let created = if created.is_array() {
            created[0].clone()
        } else {
            created
        };
        let id = created["id"].as_str().expect("an id").to_owned();
        let shown = self.wait_for(&id, "Available");
        let role = shown["loginAccountName"]
            .as_str()
            .expect("the login is the role")
            .to_owned();
        assert!(role.starts_with("pamctl_"), "{shown}");
        (id, role)
    }

    fn show(&self, id: &str) -> Value {
        self.env.json(&["session", "show", id])
    }

    fn wait_for(&self, id: &str, state: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let shown = self.show(id);
            if shown["state"] == state {
                return shown;
            }
            assert!(
                Instant::now() < deadline,
                "session {id} never became {state}: {shown}\n{}",
                self.server.stderr_text()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn role(&self, role: &str) -> Option<(bool, Vec<String>)> {
        self.runtime.block_on(async {
            let row = self
                .admin
                .query_opt(
                    "SELECT r.rolcanlogin,
                            ARRAY(SELECT g.rolname::text FROM pg_auth_members m
                                  JOIN pg_roles g ON g.oid = m.roleid
                                  WHERE m.member = r.oid ORDER BY 1)
                     FROM pg_roles r WHERE r.rolname = $1",
                    &[&role],
                )
                .await
                .expect("read pg_roles");
            row.map(|row| (row.get(0), row.get(1)))
        })
    }

    fn valid_until(&self, role: &str) -> chrono::DateTime<chrono::Utc> {
        self.runtime.block_on(async {
            self.admin
                .query_one(
                    "SELECT rolvaliduntil FROM pg_roles WHERE rolname = $1",
                    &[&role],
                )
                .await
                .expect("read the role's expiry")
                .get::<_, Option<chrono::DateTime<chrono::Utc>>>(0)
                .expect("the role has an expiry")
        })
    }

    fn connect_as(&self, role: &str, password: &str) -> Result<Client, tokio_postgres::Error> {
        let mut config = self.config.clone();
        config.user(role).password(password);
        self.runtime.block_on(connect(&config))
    }

    fn alive(&self, client: &Client) -> bool {
        self.runtime
            .block_on(client.simple_query("SELECT 1"))
            .is_ok()
    }

    fn password(&self, id: &str) -> String {
        self.env.ok(&["session", "password", id]).trim().to_owned()
    }

    fn sign_in(&self, user: &str) -> String {
        self.server.http().sign_in(user, DEV_PASSWORD)
    }

    fn wait_until(&self, what: &str, mut done: impl FnMut() -> bool, within: Duration) {
        let deadline = Instant::now() + within;
        while !done() {
            assert!(
                Instant::now() < deadline,
                "{what} did not happen within {within:?}\n{}",
                self.server.stderr_text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// The whole life of a session's role: made with its memberships, its password for the
/// requester only (each view logged), Logged In seen and undone by the poller, the open
/// connection ended and the role gone at the end, and the password nowhere else.
#[test]
fn a_session_gets_a_real_role_that_is_gone_after_the_end() {
    let Some(fx) = Fixture::new() else { return };
    let (id, role) = fx.available_session();

    let (can_login, memberships) = fx.role(&role).expect("the role exists while Available");
    assert!(can_login);
    assert!(memberships.contains(&fx.access_role), "{memberships:?}");
    assert!(memberships.contains(&fx.marker), "{memberships:?}");

    let password = fx.password(&id);
    assert!(password.len() >= 24, "a long random password");
    if fx.passwords_checked {
        assert!(
            fx.connect_as(&role, "not-the-password").is_err(),
            "a wrong password is refused"
        );
    }

    // `session show` gives the connection string, never the password.
    let shown = fx.show(&id);
    let uri = shown["connectionString"]
        .as_str()
        .expect("a connection string");
    assert!(
        uri.contains(&role) && uri.starts_with("postgresql://"),
        "{uri}"
    );

    // The Password endpoint: the requester only; CanViewPassword says so.
    let http = fx.server.http();
    let uma = fx.sign_in("uma");
    let reply = http
        .get(&format!("/api/v1/ActivitySession/{id}/Password"), &uma)
        .expect(200);
    assert_eq!(reply.json(), Value::String(password.clone()));
    let can = |token: &str| {
        http.get(
            &format!("/api/v1/ActivitySession/{id}/CanViewPassword"),
            token,
        )
    };
    assert_eq!(can(&uma).expect(200).json(), Value::Bool(true));
    let ulf = fx.sign_in("ulf");
    http.get(&format!("/api/v1/ActivitySession/{id}/Password"), &ulf)
        .problem(404);
    can(&ulf).problem(404);
    let admin = fx.sign_in("admin");
    let refused = http
        .get(&format!("/api/v1/ActivitySession/{id}/Password"), &admin)
        .problem(403);
    assert!(!refused.to_string().contains(&password));
    assert_eq!(can(&admin).expect(200).json(), Value::Bool(false));

    // The password works; the poller sees the login within two intervals, and its end.
    let client = fx.connect_as(&role, &password).expect("the password works");
    let connected = Instant::now();
    fx.wait_until(
        "Logged In",
        || fx.show(&id)["state"] == "Logged In",
        POLL * 2 + Duration::from_secs(2),
    );
    eprintln!("Logged In seen after {:?}", connected.elapsed());
    let shown = fx.show(&id);
    assert!(shown["loginDateTimeUtc"].is_string(), "{shown}");
    let logged_in = fx
        .env
        .ok(&["session", "list", "--status", "logged in", "-q"]);
    assert!(logged_in.contains(&id), "{logged_in}");
    drop(client);
    fx.wait_for(&id, "Available");

    // The end: the open connection is ended, the role dropped, the password refused.
    let client = fx.connect_as(&role, &password).expect("the password works");
    fx.env.ok(&["session", "end", &id]);
    fx.wait_for(&id, "Complete");
    assert!(fx.role(&role).is_none(), "the role is gone after Complete");
    assert!(!fx.alive(&client), "the open connection was ended");
    assert!(fx.connect_as(&role, &password).is_err());
    let reply = http.get(&format!("/api/v1/ActivitySession/{id}/Password"), &uma);
    assert_ne!(reply.status, 200);

    // Every view is in the log, with who and from where.
    let logs = fx.env.ok(&["session", "logs", &id, "-o", "json"]);
    assert!(
        logs.contains("password viewed by uma from 127.0.0.1"),
        "{logs}"
    );

    // The password is nowhere but in the Password endpoint's answers.
    let everything = [
        fx.server.stderr_text(),
        fx.server.stdout_text(),
        logs,
        fx.env.ok(&["session", "show", &id, "-o", "json"]),
        fx.env.ok(&["session", "list", "--history", "-o", "json"]),
        http.get(&format!("/api/v1/ActivitySession/{id}"), &uma)
            .body,
        std::fs::read_to_string(fx.env.profile_file()).unwrap_or_default(),
    ]
    .join("\n");
    assert!(
        !everything.contains(&password),
        "the password leaked outside the Password endpoint"
    );
}

/// A lock ends the role's connections and refuses new ones; unlock gives the login back.
#[test]
fn a_lock_ends_connections_and_refuses_logins_until_unlocked() {
    let Some(fx) = Fixture::new() else { return };
    let (id, role) = fx.available_session();
    let password = fx.password(&id);
    let client = fx.connect_as(&role, &password).expect("the password works");

    // An extension moves the role's expiry (through the outbox) with the session's end.
    let valid_until = fx.valid_until(&role);
    fx.env.ok(&["session", "extend", &id, "--by", "30m"]);
    fx.wait_until(
        "the role's new expiry",
        || fx.valid_until(&role) >= valid_until + chrono::Duration::minutes(29),
        Duration::from_secs(20),
    );

    fx.login("admin");
    fx.env.ok(&["session", "lock", &id]);
    fx.wait_until(
        "the lock on the target",
        || fx.role(&role).is_some_and(|(can_login, _)| !can_login),
        Duration::from_secs(20),
    );
    fx.wait_until(
        "the connection's end",
        || !fx.alive(&client),
        Duration::from_secs(20),
    );
    assert!(
        fx.connect_as(&role, &password).is_err(),
        "no login while locked"
    );

    fx.env.ok(&["session", "unlock", &id]);
    fx.wait_until(
        "the unlock on the target",
        || fx.role(&role).is_some_and(|(can_login, _)| can_login),
        Duration::from_secs(20),
    );
    fx.connect_as(&role, &password)
        .expect("the password works again after unlock");
    fx.env.ok(&["session", "end", &id]);
    fx.wait_for(&id, "Complete");
}

/// A role of the target's marker that no live session explains is revoked by the reconciler.
#[test]
fn the_reconciler_drops_an_orphan_role() {
    let Some(fx) = Fixture::new() else { return };
    let orphan = random("pamctl_orphan");
    fx.runtime
        .block_on(fx.admin.batch_execute(&format!(
            "CREATE ROLE {} LOGIN IN ROLE {}",
            escape_identifier(&orphan),
            escape_identifier(&fx.marker)
        )))
        .expect("create an orphan role");
    fx.wait_until(
        "the orphan's revocation",
        || fx.role(&orphan).is_none(),
        Duration::from_secs(20),
    );
    assert!(
        fx.server.stderr_text().contains(&orphan),
        "the reconciler says what it revoked"
    );
}

/// A role that owns a table cannot be dropped: the session shows Failed to Revoke with the
/// reason until an admin resolves it.
#[test]
fn a_role_that_owns_a_table_leaves_the_session_failed_to_revoke() {
    let Some(fx) = Fixture::new() else { return };
    let (id, role) = fx.available_session();
    let table = random("owned");
    fx.runtime
        .block_on(fx.admin.batch_execute(&format!(
            "CREATE TABLE {table} (id int); ALTER TABLE {table} OWNER TO {}",
            escape_identifier(&role)
        )))
        .expect("give the role a table");
    fx.env.ok(&["session", "end", &id]);
    // The wire cannot tell Failed to Revoke from Failed (both CompletedWithErrors): the
    // statusMessage says which, with the reason.
    let mut shown = Value::Null;
    fx.wait_until(
        "Failed to Revoke",
        || {
            shown = fx.show(&id);
            shown["statusMessage"]
                .as_str()
                .is_some_and(|m| m.contains("access may still be in place"))
        },
        Duration::from_secs(30),
    );
    assert_eq!(shown["state"], "Failed", "{shown}");
    let message = shown["statusMessage"].as_str().unwrap_or_default();
    assert!(
        message.contains(&role) && message.contains("owns objects"),
        "{shown}"
    );
    let (can_login, _) = fx.role(&role).expect("the role is kept");
    assert!(!can_login, "but it may not log in");

    fx.login("admin");
    fx.env.ok(&[
        "session",
        "resolve",
        &id,
        "--note",
        "table reassigned by hand",
    ]);
    let shown = fx.show(&id);
    let message = shown["statusMessage"].as_str().unwrap_or_default();
    assert!(message.contains("resolved by admin"), "{shown}");
}

/// A policy that offers a database-role activity on a resource without a target is refused
/// when the configuration loads.
#[test]
fn a_database_role_on_a_resource_without_a_target_is_refused_at_load() {
    let env = TestEnv::new();
    let file = env.write(
        "bad.toml",
        r#"
[[activities]]
name = "PG Role"
platform = "PostgreSQL"
[activities.database_role]
access_roles = ["app_rw"]

[[policies]]
name = "Bad"
users = ["uma"]
activities = ["PG Role"]
resources = ["db01"]
max_duration = "1h"
"#,
    );
    let Err((_, stderr)) = Server::try_start(
        &env,
        ServerOptions {
            config: Some(&file),
            ..ServerOptions::default()
        },
    ) else {
        panic!("the server started with a database role on a resource without a target");
    };
    assert!(
        stderr.contains("resource \"db01\" has no target"),
        "{stderr}"
    );
}

/// The README's tour of real access, run as written against `pamctl server --dev
/// --dev-postgres` on the test cluster (only the addresses are the test's): the dev seed's
/// db01 becomes a real target, its access role is made, and the role is gone at the end.
#[test]
fn the_readme_tour_of_real_access_runs_as_written() {
    let runtime = Runtime::new().expect("a runtime");
    let Some(url) = runtime.block_on(fresh_database()) else {
        return;
    };
    if std::process::Command::new("psql")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("SKIPPED: no psql on PATH for the README tour");
        return;
    }
    let config = Config::from_str(&url).expect("a valid URL");
    let admin = runtime.block_on(connect(&config)).expect("connect");
    runtime.block_on(check_passwords(&admin, &config));
    let env = TestEnv::new();
    let server = Server::start(
        &env,
        ServerOptions {
            envs: vec![("PAMCTL_DEV_POSTGRES".to_owned(), url.clone())],
            ..ServerOptions::default()
        },
    );
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .expect("README");
    let section = &readme[readme
        .find("### Real access on PostgreSQL")
        .expect("the README has the section")..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    let tour = section
        .split("```sh\n")
        .nth(2)
        .and_then(|block| block.split("```").next())
        .expect("the tour is the section's second sh block");
    let script = tour
        .replace("http://127.0.0.1:6500", &server.url)
        .replace("postgres://postgres@127.0.0.1:5433/postgres", &url);
    let bin_dir = std::path::PathBuf::from(env!("CARGO_BIN_EXE_pamctl"))
        .parent()
        .expect("the binary's directory")
        .to_owned();
    let isolated = env.command();
    let mut shell = std::process::Command::new("bash");
    for (name, value) in isolated.get_envs() {
        match value {
            Some(value) => shell.env(name, value),
            None => shell.env_remove(name),
        };
    }
    let output = shell
        .args(["-e", "-o", "pipefail", "-c", &script])
        .env(
            "PATH",
            format!(
                "{}:{}",
                bin_dir.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .stdin(std::process::Stdio::null())
        .output()
        .expect("bash");
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        output.status.success(),
        "the README tour failed:\n{script}\n--- stdout\n{stdout}--- stderr\n{}\n--- server\n{}",
        stderr_of(&output),
        server.stderr_text()
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines.iter().any(|l| l.trim().starts_with("pamctl_")),
        "psql ran as the session's role:\n{stdout}"
    );
    assert_eq!(lines.last().map(|l| l.trim()), Some("0"), "{stdout}");
    // The password uma printed is the only place it shows.
    let password = lines
        .iter()
        .find(|l| l.len() == 32 && l.chars().all(|c| c.is_ascii_alphanumeric()))
        .expect("the password line")
        .to_string();
    assert!(!server.stderr_text().contains(&password));
}
