//! Brokers as replicas on one PostgreSQL (issue 9): real `pamctl server` processes on
//! ephemeral ports sharing one throwaway database. Due sessions and actions are claimed, not
//! just read, so replicas share the work; one replica killed with SIGKILL loses its claims
//! when their leases run out and the others finish its work, each end action once; what one
//! replica writes the others serve at once; the catalog is synced by one replica at a time,
//! the last one to start deciding it; and Health reports the database.

mod common;

use std::collections::HashMap;
use std::io::ErrorKind;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use common::postgres::fresh_database;
use common::{DEV_PASSWORD, Http, Server, ServerOptions, TestEnv, lines_of, stderr_of};
use expectrl::Expect;
use expectrl::session::OsSession;
use serde_json::{Value, json};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().expect("a tokio runtime")
}

/// `pamctl server --dev` on `url`, with `config` when given. Replicas of one test share its
/// environment: the last one started signs the CLI's `dev` profile in.
fn replica(env: &TestEnv, url: &str, config: Option<&Path>) -> Server {
    Server::start(
        env,
        ServerOptions {
            config,
            extra_args: vec!["--database".to_owned(), url.to_owned()],
            ..Default::default()
        },
    )
}

fn str_of<'a>(value: &'a Value, field: &str) -> &'a str {
    value[field]
        .as_str()
        .unwrap_or_else(|| panic!("no string {field} in {value}"))
}

/// Polls `check` until it gives a value or `timeout` passes; `what` says what was awaited.
fn poll<T>(
    what: impl Fn() -> String,
    timeout: Duration,
    mut check: impl FnMut() -> Option<T>,
) -> T {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out: {}", what());
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Runs SQL against the test database, for what the API does not show (outbox rows).
struct Database {
    runtime: tokio::runtime::Runtime,
    pool: sqlx::PgPool,
}

impl Database {
    fn connect(url: &str) -> Self {
        let runtime = runtime();
        let pool = runtime
            .block_on(sqlx::PgPool::connect(url))
            .expect("connect to the test database");
        Self { runtime, pool }
    }

    fn count(&self, sql: &str) -> i64 {
        self.runtime
            .block_on(sqlx::query_scalar::<_, i64>(sql).fetch_one(&self.pool))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    fn texts(&self, sql: &str) -> Vec<String> {
        self.runtime
            .block_on(sqlx::query_scalar::<_, String>(sql).fetch_all(&self.pool))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    fn states(&self) -> HashMap<String, i64> {
        self.runtime
            .block_on(
                sqlx::query_as::<_, (String, i64)>(
                    "SELECT state, COUNT(*) FROM sessions GROUP BY state",
                )
                .fetch_all(&self.pool),
            )
            .expect("count sessions by state")
            .into_iter()
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Failover

/// Sessions that end at the same moment in the failover test: 5,000, as the issue asks
/// (`PAMCTL_FAILOVER_SESSIONS` to change it). On a debug build on 2 cores three replicas
/// create them in about 41 s and, after one is killed, end the last three quarters in about
/// 24 s (each end action is a `sh`).
fn failover_sessions() -> usize {
    std::env::var("PAMCTL_FAILOVER_SESSIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5_000)
}

/// The sessions' end, counted from the first request: time enough to create them all, with
/// room for the other tests of this file running beside it.
fn end_after(sessions: usize) -> Duration {
    Duration::from_secs(10) + Duration::from_millis(13) * sessions as u32
}

/// "Expiring Task" has one end action: it appends "SESSION PHASE RUN" to `effects` once per
/// run id (its idempotency key, the same for every retry), as real actions must be idempotent:
/// a SIGKILL can land after an action did its work and before its broker recorded it. A first
/// attempt leaves a marker in `marks` and appends (shell builtins only, so 5,000 of them stay
/// cheap); an attempt that finds the marker appends only if `effects` lacks its run id. Every
/// attempt appends the run id to `attempts`. Leases are short, so that the test sees a
/// dead replica's claims lapse, and the per-user caps are off.
fn expiring_config(effects: &Path, marks: &Path, attempts: &Path) -> String {
    let script = format!(
        "echo \"$PAMCTL_RUN_ID\" >> {attempts}; line=\"$PAMCTL_SESSION_ID $PAMCTL_PHASE $PAMCTL_RUN_ID\"; \
         if [ -e {marks}/$PAMCTL_RUN_ID ]; then grep -qF \"$PAMCTL_RUN_ID\" {effects} || echo \"$line\" >> {effects}; \
         else : > {marks}/$PAMCTL_RUN_ID; echo \"$line\" >> {effects}; fi",
        attempts = attempts.display(),
        marks = marks.display(),
        effects = effects.display(),
    );
    format!(
        "[server]\naction_lease = \"3s\"\nmax_open_sessions_per_user = 0\nmax_pending_requests_per_user = 0\n\n\
         [[activities]]\nname = \"Expiring Task\"\nplatform = \"Linux\"\n\
         [[activities.post_session]]\ntype = \"command\"\nprogram = \"sh\"\nargs = [\"-c\", '{script}']\ntimeout = \"30s\"\n\n\
         [[policies]]\nname = \"Expiring\"\nusers = [\"uma\"]\nactivities = [\"Expiring Task\"]\nresources = [\"web01\", \"web02\"]\nmax_duration = \"1h\"\n"
    )
}

/// Creates `count` sessions ending at `end`, spread over the replicas by several threads;
/// returns their ids.
fn create_expiring(
    urls: &[String],
    token: &str,
    count: usize,
    end: chrono::DateTime<Utc>,
) -> Vec<String> {
    const THREADS: usize = 12;
    let next = Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> = (0..THREADS)
        .map(|thread| {
            let http = Http::new(&urls[thread % urls.len()]);
            let token = token.to_owned();
            let next = Arc::clone(&next);
            std::thread::spawn(move || {
                let mut ids = Vec::new();
                while next.fetch_add(1, Ordering::SeqCst) < count {
                    let body = json!({
                        "activityName": "Expiring Task",
                        "managedResourceName": "web01",
                        "endDateTimeUtc": end,
                    });
                    let created = http
                        .send(
                            "POST",
                            "/api/v1/ActivitySession",
                            Some(&token),
                            Some(&body.to_string()),
                        )
                        .expect(201)
                        .json();
                    ids.push(str_of(&created, "id").to_owned());
                }
                ids
            })
        })
        .collect();
    handles
        .into_iter()
        .flat_map(|h| h.join().expect("a creating thread"))
        .collect()
}

/// The first warnings and errors each replica logged.
fn warnings(replicas: &[Server]) -> Vec<String> {
    replicas
        .iter()
        .flat_map(|r| {
            r.stderr_text()
                .lines()
                .filter(|l| l.contains("WARN") || l.contains("ERROR"))
                .take(5)
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Three replicas on one PostgreSQL; thousands of sessions end at the same moment; one replica is
/// killed with SIGKILL while their end actions run. Every end action takes effect exactly
/// once, no session is left due or with work pending, and all are Complete within 30 s of
/// their end.
#[test]
fn three_replicas_end_every_session_once_though_one_is_killed() {
    let Some(url) = runtime().block_on(fresh_database()) else {
        return;
    };
    let (sessions, end_after) = (failover_sessions(), end_after(failover_sessions()));
    let env = TestEnv::new();
    let (effects, marks, attempts) = (env.path("effects"), env.path("marks"), env.path("attempts"));
    std::fs::create_dir_all(&marks).unwrap();
    let config = env.write(
        "replicas.toml",
        &expiring_config(&effects, &marks, &attempts),
    );
    let mut replicas: Vec<Server> = (0..3).map(|_| replica(&env, &url, Some(&config))).collect();
    let urls: Vec<String> = replicas.iter().map(|r| r.url.clone()).collect();
    let uma = replicas[0].http().sign_in("uma", DEV_PASSWORD);

    let started = Instant::now();
    let end = Utc::now() + chrono::Duration::from_std(end_after).unwrap();
    let ids = create_expiring(&urls, &uma, sessions, end);
    let created_in = started.elapsed();
    assert_eq!(ids.len(), sessions);
    assert!(
        Utc::now() < end,
        "creating {sessions} sessions took {created_in:?}, past their end: make end_after longer"
    );
    let database = Database::connect(&url);

    // Midway: a quarter of the end actions have taken effect.
    poll(
        || {
            let warnings = warnings(&replicas);
            format!(
                "a quarter of the end actions ({} so far, {} attempts); sessions {:?}; runs pending {}, leased {}; warnings:\n{}",
                lines_of(&effects).len(),
                lines_of(&attempts).len(),
                database.states(),
                database.count("SELECT COUNT(*) FROM outbox WHERE state = 'pending'"),
                database.count("SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND lease_owner IS NOT NULL"),
                warnings.join("\n")
            )
        },
        end_after + Duration::from_secs(30),
        || (lines_of(&effects).len() >= sessions / 4).then_some(()),
    );
    let ending_began = Instant::now();
    let done_at_kill = lines_of(&effects).len();
    replicas.pop().expect("three replicas").kill_hard();
    assert!(
        done_at_kill < sessions,
        "all {sessions} end actions ran before the kill; the test killed nothing midway"
    );

    let complete = poll(
        || {
            format!(
                "every session Complete; now {:?}; why some are not: {:?}; warnings:\n{}",
                database.states(),
                database.texts(
                    "SELECT format('%s: %s leased, lease ends in %s ms, due in %s ms; %s', state,
                        COUNT(*) FILTER (WHERE lease_owner IS NOT NULL),
                        MIN(lease_until) - (extract(epoch FROM clock_timestamp()) * 1000)::bigint,
                        MIN(due_at) - (extract(epoch FROM clock_timestamp()) * 1000)::bigint,
                        MIN(status_message))
                     FROM sessions WHERE state <> 'Complete' GROUP BY state"
                ),
                warnings(&replicas).join("\n")
            )
        },
        (end - Utc::now()).to_std().unwrap_or_default() + Duration::from_secs(30),
        || {
            let states = database.states();
            (states.get("Complete").copied() == Some(sessions as i64)).then_some(states)
        },
    );
    let ended_in = ending_began.elapsed();
    assert_eq!(complete.len(), 1, "only Complete sessions: {complete:?}");
    assert_eq!(
        database.count("SELECT COUNT(*) FROM sessions WHERE due_at IS NOT NULL"),
        0,
        "no session is left due"
    );
    assert_eq!(
        database.count("SELECT COUNT(*) FROM outbox WHERE state = 'pending'"),
        0,
        "no action is left pending"
    );

    let mut by_session: HashMap<String, Vec<String>> = HashMap::new();
    for line in lines_of(&effects) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(fields.len(), 3, "an effect line: {line:?}");
        assert_eq!(fields[1], "post-session", "{line:?}");
        by_session
            .entry(fields[0].to_owned())
            .or_default()
            .push(fields[2].to_owned());
    }
    let twice: Vec<_> = by_session
        .iter()
        .filter(|(_, runs)| runs.len() != 1)
        .collect();
    assert!(
        twice.is_empty(),
        "end actions that took effect more than once: {twice:?}"
    );
    let missing: Vec<_> = ids
        .iter()
        .filter(|id| !by_session.contains_key(*id))
        .collect();
    assert!(
        missing.is_empty(),
        "sessions whose end action never took effect: {missing:?}"
    );
    assert_eq!(by_session.len(), sessions);

    let attempts = lines_of(&attempts);
    let retried = database.count("SELECT COUNT(*) FROM outbox WHERE attempts > 1");
    eprintln!(
        "{sessions} sessions: created in {created_in:?}; {done_at_kill} end actions done at the kill, \
         all Complete {ended_in:?} after it; {} attempts in all, {retried} runs taken over after a lapsed lease",
        attempts.len()
    );
}

// ---------------------------------------------------------------------------------------------
// Shared state

/// The binary in a pseudo-terminal, and everything it has shown so far.
struct Terminal {
    session: OsSession,
    shown: String,
    seen_up_to: usize,
}

impl Terminal {
    fn spawn(env: &TestEnv, args: &[&str]) -> Terminal {
        let mut command = env.command();
        command.args(args).env("TERM", "xterm");
        let mut session = OsSession::spawn(command).expect("spawn pamctl in a pseudo-terminal");
        session
            .get_process_mut()
            .set_window_size(200, 40)
            .expect("set the terminal size");
        Terminal {
            session,
            shown: String::new(),
            seen_up_to: 0,
        }
    }

    /// Waits until the program shows `text` (after what was matched before).
    fn expect(&mut self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut buffer = [0u8; 8192];
        loop {
            loop {
                match self.session.try_read(&mut buffer) {
                    Ok(0) => break,
                    Ok(n) => self.shown.push_str(&String::from_utf8_lossy(&buffer[..n])),
                    Err(error) if error.kind() == ErrorKind::WouldBlock => break,
                    Err(_) => break,
                }
            }
            if let Some(at) = self.shown[self.seen_up_to..].find(text) {
                self.seen_up_to += at + text.len();
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the terminal never showed {text:?}; it showed:\n{}",
                self.shown.replace('\x1b', "<ESC>")
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        let _ = self.session.send("\x03");
    }
}

/// A session created through replica A is at once visible through B; ended through B, the
/// end shows in a `session list --watch` running against A.
#[test]
fn a_session_created_on_one_replica_is_seen_and_ended_on_another() {
    let Some(url) = runtime().block_on(fresh_database()) else {
        return;
    };
    let env = TestEnv::new();
    let a = replica(&env, &url, None);
    let b = replica(&env, &url, None);
    env.login(&a.url, "uma", DEV_PASSWORD, &["--profile", "uma-a"])
        .assert()
        .success();
    env.login(&b.url, "uma", DEV_PASSWORD, &["--profile", "uma-b"])
        .assert()
        .success();

    let created = env.json(&[
        "--profile",
        "uma-a",
        "session",
        "create",
        "--activity",
        "Linux Admin",
        "--resource",
        "web01",
        "--note",
        "made on A",
    ]);
    let id = str_of(&created, "id").to_owned();
    // At once: the very next request, to the other replica, finds it.
    let seen = env.json(&["--profile", "uma-b", "session", "show", &id]);
    assert_eq!(str_of(&seen, "id"), id, "{seen}");
    env.ok(&[
        "--profile",
        "uma-b",
        "session",
        "wait",
        &id,
        "--timeout",
        "30s",
    ]);

    let mut watch = Terminal::spawn(
        &env,
        &[
            "--profile",
            "uma-a",
            "session",
            "list",
            "--history",
            "--watch",
            "1",
        ],
    );
    watch.expect(&id[..8]);
    watch.expect("Available");
    assert_eq!(
        env.ok(&["--profile", "uma-b", "session", "end", &id]),
        format!("{id} ended\n")
    );
    watch.expect("Complete");
}

// ---------------------------------------------------------------------------------------------
// The catalog: one replica at a time, the last to start decides

fn one_activity_config(name: &str) -> String {
    format!(
        "[[activities]]\nname = \"{name}\"\nplatform = \"Linux\"\n\n\
         [[policies]]\nname = \"Shared\"\nusers = [\"uma\"]\nactivities = [\"{name}\"]\nresources = [\"web01\"]\nmax_duration = \"1h\"\n"
    )
}

fn activity_ids(server: &Server) -> HashMap<String, String> {
    let http = server.http();
    let admin = http.sign_in("admin", DEV_PASSWORD);
    let list = http.get("/api/v1/Activity", &admin).expect(200).json();
    let items = list["data"]
        .as_array()
        .or(list.as_array())
        .cloned()
        .unwrap_or_default();
    items
        .iter()
        .map(|a| (str_of(a, "name").to_owned(), str_of(a, "id").to_owned()))
        .collect()
}

/// Three replicas started at the same moment with one configuration all come up, and the
/// catalog has one id per name: they took turns.
#[test]
fn replicas_starting_together_sync_the_catalog_in_turn() {
    let Some(url) = runtime().block_on(fresh_database()) else {
        return;
    };
    // An environment each: --dev signs each one's CLI in, and they must not share a file.
    let envs: Vec<Arc<TestEnv>> = (0..3).map(|_| Arc::new(TestEnv::new())).collect();
    let starts: Vec<_> = envs
        .iter()
        .map(|env| {
            let (env, url) = (Arc::clone(env), url.clone());
            let config = env.write("shared.toml", &one_activity_config("Deploy"));
            std::thread::spawn(move || {
                Server::try_start(
                    &env,
                    ServerOptions {
                        config: Some(&config),
                        extra_args: vec!["--database".to_owned(), url],
                        ..Default::default()
                    },
                )
            })
        })
        .collect();
    let replicas: Vec<Server> = starts
        .into_iter()
        .map(|s| {
            s.join()
                .expect("a starting thread")
                .unwrap_or_else(|(status, stderr)| {
                    panic!("a replica did not start ({status:?}):\n{stderr}")
                })
        })
        .collect();
    let database = Database::connect(&url);
    assert_eq!(
        database.count("SELECT COUNT(*) FROM activities WHERE lower(name) = 'deploy'"),
        1,
        "one Deploy activity, whoever synced first"
    );
    for replica in &replicas {
        assert!(
            replica.stderr_text().contains("broker instance registered"),
            "each replica logs its instance id at start:\n{}",
            replica.stderr_text()
        );
    }
}

/// Replicas started with different configuration files: each start makes the shared catalog
/// its file's, so the last replica to start decides what every replica serves.
#[test]
fn with_different_configurations_the_last_replica_to_start_decides_the_catalog() {
    let Some(url) = runtime().block_on(fresh_database()) else {
        return;
    };
    let env = TestEnv::new();
    let first = env.write("first.toml", &one_activity_config("Deploy Old"));
    let second = env.write("second.toml", &one_activity_config("Deploy New"));
    let a = replica(&env, &url, Some(&first));
    let before = activity_ids(&a);
    assert!(before.contains_key("Deploy Old"), "{before:?}");

    let b = replica(&env, &url, Some(&second));
    for server in [&a, &b] {
        let now = activity_ids(server);
        assert!(
            now.contains_key("Deploy New"),
            "{} serves the last start's catalog: {now:?}",
            server.url
        );
        assert!(!now.contains_key("Deploy Old"), "{now:?}");
    }
    // The first file's entry is retired, not forgotten: restarting with it brings back its id.
    drop(b);
    let c = replica(&env, &url, Some(&first));
    assert_eq!(activity_ids(&c)["Deploy Old"], before["Deploy Old"]);
    assert!(!activity_ids(&a).contains_key("Deploy New"));
}

/// The expired-token clean-up is one replica's at a time: while another holds its advisory
/// lock, a replica deletes nothing (and does not wait); once the lock is free, it deletes.
#[test]
fn one_replica_at_a_time_purges_expired_tokens() {
    /// The store's key for the purge's advisory lock ("pamctl" in ASCII, then 2).
    const TOKEN_PURGE_LOCK: i64 = 0x7061_6d63_746c_0002;
    let Some(url) = runtime().block_on(fresh_database()) else {
        return;
    };
    let env = TestEnv::new();
    let server = replica(&env, &url, None);
    server.http().sign_in("uma", DEV_PASSWORD);
    runtime().block_on(async {
        use sqlx::Connection;
        let store = pamctl::store::open(Some(&url), env.dir.path()).await.unwrap();
        let mut other = sqlx::PgConnection::connect(&url).await.unwrap();
        let expired = sqlx::query(
            "UPDATE tokens SET expires_at = 1 WHERE account_id = (SELECT id FROM accounts WHERE name = 'uma')",
        )
        .execute(&mut other)
        .await
        .unwrap()
        .rows_affected();
        assert!(expired >= 1);
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(TOKEN_PURGE_LOCK)
            .execute(&mut other)
            .await
            .unwrap();
        let busy = store.delete_tokens_expired_before(Utc::now()).await.unwrap();
        assert_eq!(busy, 0, "another replica is purging: this one leaves it");
        sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(TOKEN_PURGE_LOCK)
            .execute(&mut other)
            .await
            .unwrap();
        let purged = store.delete_tokens_expired_before(Utc::now()).await.unwrap();
        assert_eq!(purged, expired, "free again: the expired tokens go");
    });
}

// ---------------------------------------------------------------------------------------------
// Health

#[test]
fn health_reports_the_database_without_its_password() {
    let env = TestEnv::new();
    let sqlite = Server::dev(&env);
    let plain = sqlite
        .http()
        .send("GET", "/api/v1/Health", None, None)
        .expect(200);
    assert_eq!(
        plain.json(),
        json!("Healthy"),
        "NPS clients get the bare string"
    );
    let report = sqlite
        .http()
        .send("GET", "/api/v1/Health?detail=true", None, None)
        .expect(200)
        .json();
    assert_eq!(report["status"], "Healthy");
    assert_eq!(report["database"]["backend"], "sqlite");
    assert_eq!(report["database"]["reachable"], true);
    assert!(
        report["database"]["latencyMs"].as_f64().is_some(),
        "{report}"
    );
    assert!(
        sqlite.stderr_text().contains(str_of(&report, "instance")),
        "the instance id is in the start-up log"
    );

    let Some(url) = runtime().block_on(fresh_database()) else {
        return;
    };
    let env = TestEnv::new();
    let postgres = replica(&env, &url, None);
    let report = postgres
        .http()
        .send("GET", "/api/v1/health?Detail=true", None, None)
        .expect(200)
        .json();
    assert_eq!(report["database"]["backend"], "postgres", "{report}");
    assert_eq!(report["database"]["reachable"], true);
    let text = report.to_string();
    assert!(!text.contains("postgres://"), "no URL in Health: {text}");
    assert_ne!(str_of(&report, "instance"), "");
}

/// A replica cut off from its database answers 503 (a problem, as every error), so a load
/// balancer takes it out of rotation, and "Healthy" again once the database lets it back in;
/// its detailed report says "Unhealthy" and that the database is not reachable.
#[test]
fn health_answers_503_while_the_database_refuses_the_replica() {
    let Some(url) = runtime().block_on(fresh_database()) else {
        return;
    };
    let admin = common::postgres::admin_url().expect("the test server's admin URL");
    let name = url
        .rsplit('/')
        .next()
        .and_then(|tail| tail.split('?').next())
        .expect("a database name")
        .to_owned();
    let env = TestEnv::new();
    let server = replica(&env, &url, None);
    let http = server.http();
    let health = || http.send("GET", "/api/v1/Health", None, None);
    assert_eq!(health().expect(200).json(), json!("Healthy"));

    let rt = runtime();
    let run = |sql: String| {
        rt.block_on(async {
            use sqlx::Connection;
            let mut connection = sqlx::PgConnection::connect(&admin).await.unwrap();
            sqlx::raw_sql(&sql).execute(&mut connection).await.unwrap();
        })
    };
    run(format!(
        "ALTER DATABASE {name} ALLOW_CONNECTIONS false;
         SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
    ));
    let refused = poll(
        || "a 503 while the database refuses the replica".to_owned(),
        Duration::from_secs(45),
        || {
            let reply = health();
            (reply.status == 503).then_some(reply)
        },
    );
    let problem = refused.json();
    assert_eq!(
        problem["status"], 503,
        "a problem, as every error: {problem}"
    );
    assert!(
        str_of(&problem, "detail").contains("database does not answer"),
        "{problem}"
    );
    let detail = http
        .send("GET", "/api/v1/Health?detail=true", None, None)
        .expect(200)
        .json();
    assert_eq!(detail["status"], "Unhealthy", "{detail}");
    assert_eq!(detail["database"]["reachable"], false, "{detail}");
    assert!(
        !detail.to_string().contains(&name),
        "no database name: {detail}"
    );

    run(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"));
    poll(
        || "Healthy once the database lets the replica back in".to_owned(),
        Duration::from_secs(45),
        || (health().status == 200).then_some(()),
    );
}

// ---------------------------------------------------------------------------------------------
// The CLI against a PostgreSQL-backed broker

/// The CLI's daily round on PostgreSQL: uma asks for a database session that needs approval,
/// rita approves it with `approval approve`, uma lists and shows it, and an admin ends it in
/// bulk by filter; the log tells the whole story.
#[test]
fn the_cli_requests_approves_lists_shows_and_ends_on_postgres() {
    let Some(url) = runtime().block_on(fresh_database()) else {
        return;
    };
    let env = TestEnv::new();
    let server = replica(&env, &url, None);
    for user in ["uma", "rita"] {
        env.login(&server.url, user, DEV_PASSWORD, &["--profile", user])
            .assert()
            .success();
    }
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
        "schema fix",
    ]);
    let id = str_of(&created, "id").to_owned();
    assert_eq!(
        env.ok(&["--profile", "rita", "approval", "list", "-q"]),
        format!("{id}\n")
    );
    let approved = env.run(&[
        "--profile",
        "rita",
        "approval",
        "approve",
        &id[..8],
        "--note",
        "go ahead",
    ]);
    assert_eq!(approved.status.code(), Some(0), "{}", stderr_of(&approved));
    env.ok(&[
        "--profile",
        "uma",
        "session",
        "wait",
        &id[..8],
        "--timeout",
        "30s",
    ]);

    let listed = env.ok(&[
        "--profile",
        "uma",
        "session",
        "list",
        "--status",
        "available",
    ]);
    assert!(
        listed.contains(&id[..8]) && listed.contains("db01"),
        "{listed}"
    );
    let shown = env.json(&["--profile", "uma", "session", "show", &id[..8]]);
    assert_eq!(str_of(&shown, "id"), id);

    let ended = env.ok(&[
        "--profile",
        "dev",
        "session",
        "end",
        "--user",
        "uma",
        "--yes",
    ]);
    assert!(ended.contains(&id), "{ended}");
    env.ok(&[
        "--profile",
        "uma",
        "session",
        "wait",
        &id[..8],
        "--for",
        "complete",
        "--timeout",
        "30s",
    ]);
    let log = env.ok(&["--profile", "uma", "session", "logs", &id[..8]]);
    for step in ["approved by rita", "go ahead", "ended by admin", "complete"] {
        assert!(log.contains(step), "the log tells {step:?}:\n{log}");
    }
}
