//! PostgreSQL beyond the store contract: the real `pamctl server` on a PostgreSQL database,
//! chosen by flag, environment or configuration; a password from a file or the environment
//! (SCRAM) that never shows in errors or logs; and Search's trigram index.

mod common;

use common::postgres::{fresh_database, scram_database};
use common::{DEV_PASSWORD, Server, ServerOptions, TestEnv, stderr_of};
use pamctl::store;
use serde_json::Value;

const WAIT: &str = "30s";
const PASSWORD: &str = "s3cret-Pg-pw";

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().expect("a tokio runtime")
}

fn str_of<'a>(value: &'a Value, field: &str) -> &'a str {
    value[field]
        .as_str()
        .unwrap_or_else(|| panic!("no string {field} in {value}"))
}

/// uma requests Linux Admin on web01, sees it in the list, ends it, and it completes.
fn a_session_lives_and_ends(env: &TestEnv, server: &Server) {
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
        "--note",
        "on postgres",
    ]);
    let id = str_of(&created, "id").to_owned();
    let short = &id[..8];
    env.ok(&["session", "wait", short, "--timeout", WAIT]);
    assert_eq!(env.ok(&["session", "list", "-q"]), format!("{id}\n"));
    let found = env.json(&["session", "list", "--history", "--search", "on postgres"]);
    assert!(found.to_string().contains(&id), "{found}");

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
    assert_eq!(env.ok(&["session", "list"]), "", "nothing active now");

    // Several at once: one batch, written in one transaction, each reported on its line.
    let two: Vec<String> = ["web01", "web02"]
        .iter()
        .map(|resource| {
            let created = env.json(&[
                "session",
                "create",
                "--activity",
                "Linux Admin",
                "--resource",
                resource,
            ]);
            str_of(&created, "id").to_owned()
        })
        .collect();
    for id in &two {
        env.ok(&["session", "wait", id, "--timeout", WAIT]);
    }
    assert_eq!(
        env.ok(&["session", "end", &two[0], &two[1]]),
        format!("{} ended\n{} ended\n", two[0], two[1])
    );
    for id in &two {
        env.ok(&[
            "session",
            "wait",
            id,
            "--for",
            "complete",
            "--timeout",
            WAIT,
        ]);
    }
}

#[test]
fn a_server_on_postgres_serves_a_session_from_request_to_complete() {
    let Some(url) = runtime().block_on(scram_database(PASSWORD)) else {
        return;
    };
    let env = TestEnv::new();
    // The password from the environment, through SCRAM; the URL has none.
    let server = Server::start(
        &env,
        ServerOptions {
            extra_args: vec![
                "--database".to_owned(),
                url.clone(),
                "--database-password".to_owned(),
                "env:PAMCTL_TEST_PG_SECRET".to_owned(),
            ],
            envs: vec![("PAMCTL_TEST_PG_SECRET".to_owned(), PASSWORD.to_owned())],
            ..Default::default()
        },
    );
    a_session_lives_and_ends(&env, &server);
    assert!(
        !env.server_data_dir().join("pamctl.db").exists(),
        "nothing went to SQLite"
    );
    let logs = format!("{}{}", server.stderr_text(), server.stdout_text());
    assert!(
        !logs.contains(PASSWORD),
        "the password in the logs:\n{logs}"
    );
}

#[test]
fn the_environment_comes_before_the_configuration_and_a_password_file_is_read() {
    let Some(url) = runtime().block_on(scram_database(PASSWORD)) else {
        return;
    };
    let env = TestEnv::new();
    let secret = env.write("pg-password", &format!("{PASSWORD}\n"));
    // The configuration names a database that does not exist; the environment wins.
    let config = env.write(
        "pamctl.toml",
        &format!(
            "[database]\nurl = \"postgres://nobody@127.0.0.1:1/nothing\"\npassword = \"file:{}\"\n",
            secret.display()
        ),
    );
    let server = Server::start(
        &env,
        ServerOptions {
            config: Some(&config),
            envs: vec![("PAMCTL_DATABASE_URL".to_owned(), url.clone())],
            ..Default::default()
        },
    );
    a_session_lives_and_ends(&env, &server);
    drop(server);

    // The configuration alone: its URL is used (and fails, saying where, without secrets).
    let failed = Server::try_start(
        &env,
        ServerOptions {
            config: Some(&config),
            ..Default::default()
        },
    );
    let Err((_, stderr)) = failed else {
        panic!("a server on a database that does not exist started");
    };
    assert!(stderr.contains("127.0.0.1:1/nothing"), "{stderr}");
    assert!(!stderr.contains(PASSWORD), "{stderr}");
}

#[test]
fn a_wrong_or_missing_password_is_an_error_that_never_shows_it() {
    runtime().block_on(async {
        let Some(url) = scram_database(PASSWORD).await else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pw");

        std::fs::write(&file, format!("{PASSWORD}\n")).unwrap();
        let source = format!("file:{}", file.display());
        store::open_with_password(Some(&url), Some(&source), dir.path())
            .await
            .expect("the password from a file signs in");

        let wrong = "not-the-Pg-pw";
        std::fs::write(&file, wrong).unwrap();
        let error = store::open_with_password(Some(&url), Some(&source), dir.path())
            .await
            .err()
            .expect("a wrong password fails")
            .to_string();
        assert!(error.contains("password authentication failed"), "{error}");
        assert!(!error.contains(wrong), "{error}");

        // In the URL itself: redacted from the error.
        let (scheme, rest) = url.split_once("://").unwrap();
        let (user, host) = rest.split_once('@').unwrap();
        let in_url = format!("{scheme}://{user}:{wrong}@{host}");
        let error = store::open(Some(&in_url), dir.path())
            .await
            .err()
            .expect("a wrong password fails")
            .to_string();
        assert!(!error.contains(wrong), "{error}");

        let error = store::open_with_password(Some(&url), Some(PASSWORD), dir.path())
            .await
            .err()
            .expect("a bare password is refused")
            .to_string();
        assert!(error.contains("file:PATH or env:NAME"), "{error}");
        assert!(!error.contains(PASSWORD), "{error}");

        let error = store::open_with_password(
            Some(&url),
            Some("env:PAMCTL_TEST_NO_SUCH_VARIABLE"),
            dir.path(),
        )
        .await
        .err()
        .expect("an unset variable fails")
        .to_string();
        assert!(
            error.contains("PAMCTL_TEST_NO_SUCH_VARIABLE is not set"),
            "{error}"
        );
    });
}

#[test]
fn search_text_has_a_trigram_index_when_pg_trgm_is_installed() {
    runtime().block_on(async {
        let Some(url) = fresh_database().await else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        store::open(Some(&url), dir.path()).await.unwrap();
        use sqlx::Connection;
        let mut connection = sqlx::PgConnection::connect(&url).await.unwrap();
        let available: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm')",
        )
        .fetch_one(&mut connection)
        .await
        .unwrap();
        let indexes: Vec<String> = sqlx::query_scalar(
            "SELECT indexname::text FROM pg_indexes WHERE tablename = 'sessions' AND indexdef LIKE '%gin_trgm_ops%' ORDER BY 1",
        )
        .fetch_all(&mut connection)
        .await
        .unwrap();
        if available {
            assert_eq!(indexes, ["sessions_search_text_trgm"]);
        } else {
            eprintln!("pg_trgm is not installed: Search's free text scans");
            assert!(indexes.is_empty());
        }
    });
}

#[test]
fn urls_are_shown_without_their_password() {
    assert_eq!(
        store::redact_url("postgres://pamctl:hunter2@db:5432/pamctl?sslmode=require&password=x"),
        "postgres://***@db:5432/pamctl?sslmode=***&password=***"
    );
    assert_eq!(
        store::redact_url("postgres://db/pamctl"),
        "postgres://db/pamctl"
    );
}

/// Connections of pamctl brokers to the database `url` names, as PostgreSQL counts them.
async fn broker_connections(url: &str) -> i64 {
    use sqlx::Connection;
    let mut connection = sqlx::PgConnection::connect(url).await.unwrap();
    sqlx::query_scalar(
        "SELECT count(*) FROM pg_stat_activity
         WHERE application_name = 'pamctl' AND datname = current_database()",
    )
    .fetch_one(&mut connection)
    .await
    .unwrap()
}

/// 24 searches at once through `server`, each answered.
fn burst_of_searches(server: &Server) {
    let admin = server.http().sign_in("admin", DEV_PASSWORD);
    std::thread::scope(|scope| {
        for _ in 0..24 {
            let (base, admin) = (server.url.clone(), admin.clone());
            scope.spawn(move || {
                let http = common::Http::new(&base);
                for _ in 0..5 {
                    http.send(
                        "GET",
                        "/api/v1/ActivitySession/Search?take=25&filterText=web",
                        Some(&admin),
                        None,
                    )
                    .expect(200);
                }
            });
        }
    });
}

/// `[database] max_connections` caps the connections a broker keeps to PostgreSQL (replicas'
/// pools add up against the server's own limit); the default pool takes more under the same
/// burst, so the cap is what holds it.
#[test]
fn a_broker_keeps_at_most_its_configured_connections() {
    let Some(url) = runtime().block_on(fresh_database()) else {
        return;
    };
    for (setting, most) in [("", None), ("max_connections = 2\n", Some(2))] {
        let env = TestEnv::new();
        let config = env.write(
            "pamctl.toml",
            &format!("[database]\nurl = \"{url}\"\n{setting}"),
        );
        let server = Server::start(
            &env,
            ServerOptions {
                config: Some(&config),
                ..Default::default()
            },
        );
        burst_of_searches(&server);
        let connections = runtime().block_on(broker_connections(&url));
        match most {
            Some(most) => assert!(connections <= most, "{connections} connections"),
            None => assert!(connections > 2, "the default pool took {connections}"),
        }
        let expected_log = format!(
            "max_connections={}",
            most.unwrap_or(i64::from(store::DEFAULT_DATABASE_CONNECTIONS))
        );
        assert!(
            server.stderr_text().contains(&expected_log),
            "{}",
            server.stderr_text()
        );
        assert!(server.terminate().success());
    }
}

#[test]
fn a_pool_size_out_of_range_is_refused_at_start() {
    for value in ["0", "1001"] {
        let env = TestEnv::new();
        let config = env.write(
            "pamctl.toml",
            &format!("[database]\nmax_connections = {value}\n"),
        );
        let Err((status, stderr)) = Server::try_start(
            &env,
            ServerOptions {
                config: Some(&config),
                ..Default::default()
            },
        ) else {
            panic!("the server started with max_connections = {value}");
        };
        assert_ne!(status.and_then(|s| s.code()), Some(0));
        assert!(
            stderr.contains("[database]")
                && stderr.contains("max_connections: must be from 1 to 1000"),
            "{value}: {stderr}"
        );
    }
}
