//! `pamctl server` itself: configuration errors, restarts on the same data, TLS, the plain-HTTP
//! refusal, structured logs and graceful shutdown.

mod common;

use common::{DEV_PASSWORD, Server, ServerOptions, TestEnv, stderr_of};
use serde_json::Value;

/// Starts a server on `config` alone and expects start-up to fail; returns its stderr.
fn refused_config(env: &TestEnv, config: &str) -> String {
    let path = env.write("pamctl.toml", config);
    let (status, stderr) = match Server::try_start(
        env,
        ServerOptions {
            dev: false,
            config: Some(&path),
            envs: vec![("OLGA_PASSWORD".into(), "olga-pass".into())],
            ..Default::default()
        },
    ) {
        Ok(_) => panic!("the server started with an invalid configuration:\n{config}"),
        Err(failure) => failure,
    };
    assert_eq!(status.and_then(|s| s.code()), Some(2), "{stderr}");
    assert!(
        stderr.contains(&path.display().to_string()),
        "the error names the file: {stderr}"
    );
    stderr
}

const VALID_START: &str = r#"
[[users]]
name = "olga"
role = "Admin"
password_env = "OLGA_PASSWORD"

[[activities]]
name = "Ops Shell"
platform = "Linux"

[[resources]]
name = "app01"
platform = "Linux"
"#;

#[test]
fn invalid_configuration_fails_start_up_naming_file_entry_and_field() {
    let env = TestEnv::new();
    let cases: &[(&str, &[&str])] = &[
        (
            "[[policies]]\nname = \"Ops\"\nusers = [\"bob\"]\nactivities = [\"Ops Shell\"]\nresources = [\"app01\"]\nmax_duration = \"1h\"\n",
            &["policy \"Ops\"", "users", "\"bob\""],
        ),
        (
            "[[policies]]\nname = \"Ops\"\nusers = [\"olga\"]\nactivities = [\"Ops Shell\"]\nresources = [\"app01\"]\nmax_duration = \"forever\"\n",
            &["policy \"Ops\"", "max_duration", "forever"],
        ),
        (
            "[[policies]]\nname = \"Ops\"\nusers = [\"olga\"]\nactivities = [\"Ops Shell\"]\nresources = [\"app01\"]\nmax_duraton = \"1h\"\n",
            &["line ", "unknown field `max_duraton`"],
        ),
        (
            "[[policies]]\nname = \"Ops\"\nusers = [\"olga\"]\nactivities = [\"Ops Shell\"]\nresources = [\"app01\"]\nmax_duration = \"1h\"\n[[policies.approval]]\napprovers = [\"olga\"]\nrequired = 2\n",
            &["policy \"Ops\"", "approval[0]", "required"],
        ),
        (
            "[[users]]\nname = \"OLGA\"\nrole = \"User\"\npassword_env = \"OLGA_PASSWORD\"\n",
            &["user \"OLGA\"", "already named"],
        ),
        (
            "[[users]]\nname = \"pat\"\nrole = \"Superuser\"\npassword_env = \"OLGA_PASSWORD\"\n",
            &["user \"pat\"", "role", "Superuser"],
        ),
        (
            "[[users]]\nname = \"pat\"\nrole = \"User\"\npassword_env = \"PAT_PASSWORD_IS_NOT_SET\"\n",
            &["user \"pat\"", "password_env", "PAT_PASSWORD_IS_NOT_SET"],
        ),
        (
            "[[users]]\nname = \"pat\"\nrole = \"User\"\npassword_hash = \"plain-text\"\n",
            &["user \"pat\"", "password_hash", "pamctl hash-secret"],
        ),
        (
            "[[activities]]\nname = \"Hook\"\nplatform = \"Linux\"\n[[activities.pre_session]]\ntype = \"webhook\"\nurl = \"ftp://example\"\n",
            &["activity \"Hook\"", "pre_session[0]", "url"],
        ),
        (
            "[[resources]]\nname = \"db9\"\nplatform = \"\"\n",
            &["resource \"db9\"", "platform"],
        ),
        (
            "[[resources]]\nname = \" \"\nplatform = \"Linux\"\n",
            &["resources[1]", "name: must not be empty"],
        ),
        ("this is not toml", &["line 1"]),
    ];
    for (addition, expected) in cases {
        let stderr = refused_config(&env, &format!("{VALID_START}\n{addition}"));
        for fragment in *expected {
            assert!(
                stderr.contains(fragment),
                "'{fragment}' missing from:\n{stderr}"
            );
        }
        assert!(
            stderr.starts_with("error: invalid configuration in "),
            "{stderr}"
        );
        assert!(stderr.contains("\nhint: "), "{stderr}");
    }
}

#[test]
fn a_valid_configuration_file_serves_its_own_catalog() {
    let env = TestEnv::new();
    let config = env.write(
        "pamctl.toml",
        &format!("{VALID_START}\n[[users]]\nname = \"pia\"\nrole = \"User\"\npassword_env = \"OLGA_PASSWORD\"\n[[policies]]\nname = \"Ops\"\nusers = [\"pia\"]\nactivities = [\"Ops Shell\"]\nresources = [\"app01\"]\nmax_duration = \"90m\"\n"),
    );
    let server = Server::start(
        &env,
        ServerOptions {
            dev: false,
            config: Some(&config),
            envs: vec![("OLGA_PASSWORD".into(), "olga-pass".into())],
            ..Default::default()
        },
    );
    let http = server.http();
    let token = http.sign_in("pia", "olga-pass");
    assert_eq!(
        common::names(&http.get("/api/v1/Activity", &token).expect(200).json()),
        ["Ops Shell"]
    );
    // Without --dev there are no demo users.
    http.send(
        "POST",
        "/signinBody",
        None,
        Some(&format!(r#"{{"Login":"uma","Password":"{DEV_PASSWORD}"}}"#)),
    )
    .problem(401);
}

#[test]
fn the_example_configuration_starts() {
    let env = TestEnv::new();
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/pamctl.toml");
    let text = std::fs::read_to_string(&example).expect("examples/pamctl.toml");
    let envs: Vec<(String, String)> = text
        .lines()
        .find_map(|line| line.strip_prefix("# env:"))
        .expect("a '# env: NAME=value ...' line in the example")
        .split_whitespace()
        .filter_map(|pair| pair.split_once('='))
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
    let server = Server::start(
        &env,
        ServerOptions {
            dev: false,
            config: Some(&example),
            envs,
            ..Default::default()
        },
    );
    assert_eq!(
        server
            .http()
            .send("GET", "/api/v1/Health", None, None)
            .expect(200)
            .json(),
        "Healthy"
    );
}

#[test]
fn starting_without_configuration_says_what_to_pass() {
    let env = TestEnv::new();
    let (status, stderr) = Server::try_start(
        &env,
        ServerOptions {
            dev: false,
            ..Default::default()
        },
    )
    .err()
    .expect("no configuration, no server");
    assert_eq!(status.and_then(|s| s.code()), Some(2));
    assert!(
        stderr.contains("--config") && stderr.contains("--dev"),
        "{stderr}"
    );
}

#[test]
fn a_restart_on_the_same_data_keeps_ids_keys_and_logins() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let admin = http.sign_in("admin", DEV_PASSWORD);
    let before = http.get("/api/v1/Activity", &admin).expect(200).json();
    let key_before = std::fs::read_to_string(env.server_data_dir().join("ci-bot.key")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(env.server_data_dir().join("pamctl.db"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the database is private to its owner");
    }
    let uma = http.sign_in("uma", DEV_PASSWORD);
    assert!(server.terminate().success(), "SIGTERM is a clean exit");

    let again = Server::dev(&env);
    let http = again.http();
    let admin = http.sign_in("admin", DEV_PASSWORD);
    let after = http.get("/api/v1/Activity", &admin).expect(200).json();
    assert_eq!(
        before, after,
        "same ids and timestamps: seeding is idempotent"
    );
    let key_after = std::fs::read_to_string(env.server_data_dir().join("ci-bot.key")).unwrap();
    assert_eq!(key_before, key_after);
    http.sign_in("ci-bot", key_after.trim());
    assert_eq!(
        http.get("/api/v1/CurrentUser", &uma).expect(200).json()["userName"],
        "uma",
        "tokens survive a restart"
    );
}

#[test]
fn sigterm_shuts_down_gracefully() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    server
        .http()
        .send("GET", "/api/v1/Health", None, None)
        .expect(200);
    let stderr = server.stderr.clone();
    let status = server.terminate();
    assert!(status.success(), "{status:?}");
    let log = stderr.lock().unwrap().clone();
    assert!(log.contains("shutting down"), "{log}");
    assert!(log.contains("stopped"), "{log}");
}

#[test]
fn plain_http_is_refused_off_loopback_unless_allowed() {
    let env = TestEnv::new();
    let (status, stderr) = Server::try_start(
        &env,
        ServerOptions {
            listen: "0.0.0.0:0",
            ..Default::default()
        },
    )
    .err()
    .expect("plain HTTP on all interfaces must be refused");
    assert_eq!(status.and_then(|s| s.code()), Some(2));
    assert!(stderr.contains("refusing to serve plain HTTP"), "{stderr}");
    assert!(stderr.contains("--tls-cert"), "{stderr}");

    let server = Server::start(
        &env,
        ServerOptions {
            listen: "0.0.0.0:0",
            extra_args: vec!["--allow-plain-http".into()],
            ..Default::default()
        },
    );
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
    server
        .http()
        .send("GET", "/api/v1/Health", None, None)
        .expect(200);
}

#[test]
fn https_with_a_certificate_and_a_client_that_trusts_it() {
    let env = TestEnv::new();
    let certified =
        rcgen::generate_simple_self_signed(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
            .unwrap();
    let cert = env.write("cert.pem", &certified.cert.pem());
    let key = env.write("key.pem", &certified.key_pair.serialize_pem());
    let server = Server::start(
        &env,
        ServerOptions {
            extra_args: vec![
                "--tls-cert".into(),
                cert.display().to_string(),
                "--tls-key".into(),
                key.display().to_string(),
            ],
            ..Default::default()
        },
    );
    assert!(server.url.starts_with("https://"), "{}", server.url);
    // The dev profile trusts the server's own certificate.
    env.pamctl(&["activity", "list"]).assert().success();

    let stranger = TestEnv::new();
    let untrusted = stranger
        .pamctl(&["whoami", "--server", &server.url, "--token", "x"])
        .output()
        .unwrap();
    assert_eq!(
        untrusted.status.code(),
        Some(1),
        "{}",
        stderr_of(&untrusted)
    );
    assert!(
        stderr_of(&untrusted).contains("hint: the server's certificate is not trusted"),
        "{}",
        stderr_of(&untrusted)
    );

    let cert_arg = cert.display().to_string();
    env.pamctl(&[
        "login",
        "--server",
        &server.url,
        "--ca-cert",
        &cert_arg,
        "--user",
        "uma",
        "--password-stdin",
        "--profile",
        "tls",
    ])
    .write_stdin(format!("{DEV_PASSWORD}\n"))
    .assert()
    .success();
    env.pamctl(&["whoami", "--profile", "tls"])
        .assert()
        .success();
    env.pamctl(&[
        "login",
        "--server",
        &server.url,
        "--insecure",
        "--user",
        "uma",
        "--password-stdin",
        "--profile",
        "lax",
    ])
    .write_stdin(format!("{DEV_PASSWORD}\n"))
    .assert()
    .success();

    let missing_key = Server::try_start(
        &TestEnv::new(),
        ServerOptions {
            extra_args: vec!["--tls-cert".into(), cert.display().to_string()],
            ..Default::default()
        },
    );
    assert_eq!(
        missing_key
            .err()
            .and_then(|(s, _)| s)
            .and_then(|s| s.code()),
        Some(2)
    );
}

#[test]
fn json_logs_are_one_object_per_line_without_secrets() {
    let env = TestEnv::new();
    let server = Server::start(
        &env,
        ServerOptions {
            extra_args: vec!["--log-format".into(), "json".into()],
            ..Default::default()
        },
    );
    let http = server.http();
    let token = http.sign_in("uma", DEV_PASSWORD);
    http.get("/api/v1/Activity", &token).expect(200);
    http.send(
        "POST",
        "/signinBody",
        None,
        Some(r#"{"Login":"uma","Password":"wrong-one"}"#),
    )
    .problem(401);
    std::thread::sleep(std::time::Duration::from_millis(200));
    let log = server.stderr_text();
    let lines: Vec<Value> = log
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect();
    assert!(
        lines.iter().any(|l| l["fields"]["message"] == "signed in"),
        "{log}"
    );
    assert!(!log.contains(&token), "a token reached the log");
    assert!(
        !log.contains(DEV_PASSWORD) && !log.contains("wrong-one"),
        "a password reached the log"
    );
}

/// Every error is a problem body, whatever made it and however large: a path segment that is
/// not UTF-8 (axum's own rejection, once plain text), a query that cannot be decoded, and a
/// problem larger than 64 KiB (once sent with an empty body).
#[test]
fn every_error_is_a_whole_problem_body() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let uma = http.sign_in("uma", DEV_PASSWORD);

    let problem = http
        .get("/api/v1/ActivitySession/%FF%FE", &uma)
        .problem(400);
    assert!(
        problem["detail"].as_str().unwrap().contains("UTF-8"),
        "{problem}"
    );
    assert_eq!(problem["instance"], "/api/v1/ActivitySession/%FF%FE");

    // The refusal names the activity asked for, so its problem is as large as the name.
    let huge_name = "n".repeat(100 * 1024);
    let reply = http.send(
        "POST",
        "/api/v1/ActivitySession",
        Some(&uma),
        Some(&format!(
            "{{\"activityName\": \"{huge_name}\", \"managedResourceName\": \"web01\"}}"
        )),
    );
    assert!(reply.body.len() > 64 * 1024, "{}", reply.body);
    let status = reply.status;
    let problem = reply.problem(status);
    assert!((400..500).contains(&status), "{problem}");
    assert!(
        problem["detail"].as_str().unwrap().contains(&huge_name),
        "the detail names what was asked for"
    );
    assert_eq!(
        http.get("/api/v1/ActivitySession", &uma).status,
        200,
        "nothing else changed"
    );
}

/// 1,100 idle sockets (more than the usual soft limit of 1,024 open files) and a client that
/// sends half its headers and stops: the broker keeps answering signed-in clients, still
/// expires sessions on time, and closes the silent connections after `http_timeout`.
#[test]
fn idle_and_slow_connections_cannot_hold_the_broker() {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::time::{Duration, Instant};

    // The test itself needs the sockets.
    if !common::raise_own_open_file_limit(2_500) {
        return;
    }
    let env = TestEnv::new();
    let config = env.write("edge.toml", "[server]\nhttp_timeout = \"2s\"\n");
    let server = Server::start(
        &env,
        ServerOptions {
            config: Some(&config),
            extra_args: vec!["--manual-clock".to_owned()],
            ..ServerOptions::default()
        },
    );
    let http = server.http();
    let uma = http.sign_in("uma", DEV_PASSWORD);
    let admin = http.sign_in("admin", DEV_PASSWORD);
    let address = server.url.trim_start_matches("http://").to_owned();

    let idle: Vec<TcpStream> = (0..1_100)
        .map(|n| {
            TcpStream::connect(&address)
                .unwrap_or_else(|e| panic!("idle socket {n} could not connect: {e}"))
        })
        .collect();
    let mut slow = TcpStream::connect(&address).unwrap();
    slow.write_all(b"GET /api/v1/Version HTTP/1.1\r\nHost: pamctl\r\n")
        .unwrap();

    let started = Instant::now();
    let created = http
        .send(
            "POST",
            "/api/v1/ActivitySession",
            Some(&uma),
            Some(r#"{"activityName": "Linux Admin", "managedResourceName": "web01"}"#),
        )
        .json();
    let id = created["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{created}"))
        .to_owned();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "a create took {:?} beside 1,100 idle sockets",
        started.elapsed()
    );
    http.send(
        "POST",
        "/api/v1/Test/Clock",
        Some(&admin),
        Some(r#"{"advanceSeconds": 18000}"#),
    )
    .expect(200);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let session = http
            .get(&format!("/api/v1/ActivitySession/{id}"), &uma)
            .expect(200)
            .json();
        if session["status"] == 3 {
            break;
        }
        assert!(Instant::now() < deadline, "never expired: {session}");
        std::thread::sleep(Duration::from_millis(100));
    }

    // The silent connections are closed once http_timeout (2 s) has passed.
    std::thread::sleep(Duration::from_secs(3));
    slow.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut buffer = [0u8; 512];
    let read = slow.read(&mut buffer);
    assert!(
        matches!(read, Ok(0) | Err(_)) || String::from_utf8_lossy(&buffer).contains("408"),
        "the half-sent request was not closed: {read:?} {}",
        String::from_utf8_lossy(&buffer)
    );
    let mut first = &idle[0];
    first
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    assert!(
        matches!(first.read(&mut buffer), Ok(0) | Err(_)),
        "an idle socket stayed open past http_timeout"
    );
    drop(idle);
}
