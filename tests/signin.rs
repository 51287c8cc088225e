//! Hardening of sign-in and tokens: each test replays an attack found on a dev broker and
//! expects it to fail now. A real `pamctl server`, driven over HTTP and through the CLI.

mod common;

use std::net::IpAddr;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use common::{DEV_PASSWORD, Reply, Server, ServerOptions, TestEnv, stderr_of};
use serde_json::{Value, json};

/// The line the broker logs (at debug level) each time a password reaches the hash check.
const HASH_CHECK_LINE: &str = "password checked against its hash";

/// A dev server that logs every hash check, so that a test can count them.
fn counting_server(env: &TestEnv) -> Server {
    Server::start(
        env,
        ServerOptions {
            envs: vec![(
                "PAMCTL_LOG".to_owned(),
                "info,sqlx=warn,pamctl::broker::auth=debug".to_owned(),
            )],
            ..ServerOptions::default()
        },
    )
}

/// An HTTP client whose connections come from `from` (any 127.x address reaches the server).
fn client_from(from: &str) -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .local_address(from.parse::<IpAddr>().unwrap())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

fn sign_in_from(
    client: &reqwest::blocking::Client,
    base: &str,
    login: &str,
    password: &str,
) -> u16 {
    client
        .post(format!("{base}/signinBody"))
        .json(&json!({"Login": login, "Password": password}))
        .send()
        .expect("sign-in request")
        .status()
        .as_u16()
}

fn sign_in_body(login: &str, password: &str) -> String {
    json!({"Login": login, "Password": password}).to_string()
}

fn hash_checks(server: &Server) -> usize {
    server.stderr_text().matches(HASH_CHECK_LINE).count()
}

fn resident_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.split_whitespace().next()?.parse().ok())
        .expect("VmRSS")
}

/// Waits until the server's log holds `count` hash checks (the log is read from a pipe).
fn settle_log() {
    std::thread::sleep(Duration::from_millis(300));
}

#[test]
fn concurrent_wrong_passwords_reach_the_hash_check_at_most_five_times() {
    let env = TestEnv::new();
    let server = counting_server(&env);
    let barrier = Arc::new(Barrier::new(64));
    let threads: Vec<_> = (0..64)
        .map(|n| {
            let barrier = Arc::clone(&barrier);
            let base = server.url.clone();
            std::thread::spawn(move || {
                let client = client_from("127.0.0.1");
                barrier.wait();
                sign_in_from(&client, &base, "uma", &format!("guess-{n}"))
            })
        })
        .collect();
    let statuses: Vec<u16> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    settle_log();
    let checks = hash_checks(&server);
    assert!(
        (1..=5).contains(&checks),
        "{checks} of 64 concurrent guesses reached the hash check"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        checks,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        64 - checks,
        "{statuses:?}"
    );
    let rss_mib = resident_kib(server.pid()) / 1024;
    assert!(rss_mib < 150, "the server holds {rss_mib} MiB");
    assert!(
        server
            .stderr_text()
            .contains("sign-in refused by the throttle"),
        "refusals are logged"
    );
}

#[test]
fn whitespace_and_case_variants_of_a_login_share_one_counter() {
    let env = TestEnv::new();
    let server = counting_server(&env);
    let http = server.http();
    for variant in ["uma ", "\tuma", "uma\u{a0}", "UMA", " uma\u{a0}\t"] {
        http.send(
            "POST",
            "/signinBody",
            None,
            Some(&sign_in_body(variant, "wrong")),
        )
        .problem(401);
    }
    for variant in ["uma", "uma\u{2003}", "Uma "] {
        let reply = http.send(
            "POST",
            "/signinBody",
            None,
            Some(&sign_in_body(variant, "wrong")),
        );
        assert!(reply.headers.contains_key("retry-after"), "{}", reply.body);
        reply.problem(429);
    }
    settle_log();
    assert_eq!(hash_checks(&server), 5);
}

#[test]
fn the_real_user_signs_in_while_another_address_guesses_every_50_ms() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let attacker = {
        let stop = Arc::clone(&stop);
        let base = server.url.clone();
        std::thread::spawn(move || {
            let client = client_from("127.0.0.2");
            let mut tries = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                let status = sign_in_from(&client, &base, "uma", "guess");
                assert!(status == 401 || status == 429, "{status}");
                tries += 1;
                std::thread::sleep(Duration::from_millis(50));
            }
            tries
        })
    };
    let user = client_from("127.0.0.1");
    std::thread::sleep(Duration::from_millis(500));
    for attempt in 0..10 {
        let started = Instant::now();
        let status = sign_in_from(&user, &server.url, "uma", DEV_PASSWORD);
        assert_eq!(status, 200, "attempt {attempt} of the real user");
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "attempt {attempt} took {:?}",
            started.elapsed()
        );
        std::thread::sleep(Duration::from_millis(300));
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let tries = attacker.join().unwrap();
    assert!(tries > 20, "the attacker only tried {tries} times");
}

#[test]
fn failures_for_one_login_do_not_lock_other_logins_out_of_the_address() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let statuses: Vec<u16> = (0..20)
        .map(|_| {
            http.send("POST", "/signinBody", None, Some(&sign_in_body("ulf", "x")))
                .status
        })
        .collect();
    assert!(statuses.contains(&429), "{statuses:?}");
    for login in ["uma", "rita", "ravi", "admin"] {
        http.sign_in(login, DEV_PASSWORD);
    }
}

#[test]
fn a_restart_keeps_the_throttle() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    for _ in 0..5 {
        http.send("POST", "/signinBody", None, Some(&sign_in_body("ulf", "x")))
            .problem(401);
    }
    server.terminate();

    let server = Server::dev(&env);
    let http = server.http();
    // The 1 s wait may have passed during the restart, but the count is still 5: the next
    // failure waits 2 s, so the attempt after it is refused.
    let sixth = http.send("POST", "/signinBody", None, Some(&sign_in_body("ulf", "x")));
    assert!(matches!(sixth.status, 401 | 429), "{}", sixth.body);
    let seventh = http.send(
        "POST",
        "/signinBody",
        None,
        Some(&sign_in_body("ulf", DEV_PASSWORD)),
    );
    let problem = seventh.problem(429);
    assert!(problem["retryAfterSeconds"].as_u64().unwrap() >= 1);
}

fn refresh(http: &common::Http, token: &str) -> Reply {
    http.get("/api/v1/UserToken", token)
}

fn current_user(http: &common::Http, token: &str) -> Reply {
    http.get("/api/v1/CurrentUser", token)
}

fn token_of(reply: Reply) -> String {
    reply
        .expect(200)
        .json()
        .as_str()
        .expect("a token")
        .to_owned()
}

#[test]
fn a_refreshed_token_dies_with_the_originals_logout_and_the_reverse() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();

    let original = http.sign_in("uma", DEV_PASSWORD);
    let refreshed = token_of(refresh(&http, &original));
    let refreshed_again = token_of(refresh(&http, &refreshed));
    let other_sign_in = http.sign_in("uma", DEV_PASSWORD);
    http.send("DELETE", "/api/v1/UserToken", Some(&original), None)
        .expect(204);
    for token in [&original, &refreshed, &refreshed_again] {
        let problem = current_user(&http, token).problem(401);
        assert!(
            problem["detail"].as_str().unwrap().contains("revoked"),
            "{problem}"
        );
    }
    current_user(&http, &other_sign_in).expect(200);

    let child = token_of(refresh(&http, &other_sign_in));
    http.send("DELETE", "/api/v1/UserToken", Some(&child), None)
        .expect(204);
    current_user(&http, &other_sign_in).problem(401);
}

/// The dev seed plus `mia`, whose password and role come from the test.
fn start_with_mia(env: &TestEnv, password: &str, role: &str) -> Server {
    let config = env.write(
        "mia.toml",
        &format!("[[users]]\nname = \"mia\"\nrole = \"{role}\"\npassword_env = \"MIA_PASSWORD\"\n"),
    );
    Server::start(
        env,
        ServerOptions {
            config: Some(&config),
            envs: vec![("MIA_PASSWORD".into(), password.into())],
            ..ServerOptions::default()
        },
    )
}

#[test]
fn a_password_or_role_change_in_the_config_revokes_the_accounts_tokens() {
    let env = TestEnv::new();
    let server = start_with_mia(&env, "first-password", "User");
    let http = server.http();
    let mia = http.sign_in("mia", "first-password");
    let uma = http.sign_in("uma", DEV_PASSWORD);
    server.terminate();

    // The same password, hashed with a new salt at start, is no change.
    let server = start_with_mia(&env, "first-password", "User");
    let http = server.http();
    current_user(&http, &mia).expect(200);
    server.terminate();

    let server = start_with_mia(&env, "second-password", "User");
    let http = server.http();
    current_user(&http, &mia).problem(401);
    current_user(&http, &uma).expect(200);
    let mia = http.sign_in("mia", "second-password");
    server.terminate();

    let server = start_with_mia(&env, "second-password", "Reviewer");
    let http = server.http();
    current_user(&http, &mia).problem(401);
    current_user(&http, &uma).expect(200);
}

#[test]
fn a_refresh_cannot_pass_the_absolute_lifetime() {
    let env = TestEnv::new();
    let config = env.write(
        "lifetime.toml",
        "[server]\ntoken_ttl = \"1h\"\ntoken_absolute_lifetime = \"2h\"\n",
    );
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
    let signed_in_at = expiry(&http, &uma) - chrono::Duration::hours(1);
    let advance = |seconds: i64| {
        // A fresh admin token each time: the test's own would expire as the clock moves.
        let admin = http.sign_in("admin", DEV_PASSWORD);
        http.send(
            "POST",
            "/api/v1/Test/Clock",
            Some(&admin),
            Some(&json!({"advanceSeconds": seconds}).to_string()),
        )
        .expect(200);
    };

    advance(50 * 60);
    let second = token_of(refresh(&http, &uma));
    assert_eq!(
        expiry(&http, &second),
        signed_in_at + chrono::Duration::minutes(110)
    );
    advance(50 * 60);
    let third = token_of(refresh(&http, &second));
    assert_eq!(
        expiry(&http, &third),
        signed_in_at + chrono::Duration::hours(2),
        "capped by the absolute lifetime"
    );
    advance(21 * 60);
    let problem = refresh(&http, &third).problem(401);
    assert!(
        problem["detail"].as_str().unwrap().contains("expired"),
        "{problem}"
    );
}

fn expiry(http: &common::Http, token: &str) -> chrono::DateTime<chrono::Utc> {
    let me: Value = current_user(http, token).expect(200).json();
    me["tokenExpiresDateTimeUtc"]
        .as_str()
        .unwrap_or_else(|| panic!("{me}"))
        .parse()
        .unwrap()
}

fn assert_refused(output: &std::process::Output, code: i32, needle: &str) {
    assert_eq!(output.status.code(), Some(code), "{}", stderr_of(output));
    assert!(stderr_of(output).contains(needle), "{}", stderr_of(output));
}

#[test]
fn an_admin_lists_and_revokes_another_users_tokens_with_the_cli() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let uma_laptop = http.sign_in("uma", DEV_PASSWORD);
    let uma_refreshed = token_of(refresh(&http, &uma_laptop));
    let uma_desktop = http.sign_in("uma", DEV_PASSWORD);
    let ulf = http.sign_in("ulf", DEV_PASSWORD);
    // The dev server signed the CLI in as the admin.

    let listed = env.json(&["token", "list", "--user", "uma"]);
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 3, "{listed:?}");
    assert!(listed.iter().all(|t| t["userName"] == "uma"));
    assert!(
        !serde_json::to_string(listed).unwrap().contains(&uma_laptop),
        "a token itself is never listed"
    );
    let table = env.ok(&["token", "list"]);
    assert!(table.contains("ulf") && table.contains("uma"), "{table}");

    // By ID: the laptop's sign-in ends (its refreshed token too), the desktop's stays.
    let laptop_id = listed[0]["id"].as_str().unwrap();
    let revoked = env.json(&["token", "revoke", &laptop_id[..8], "--yes"]);
    assert_eq!(revoked[0]["ok"], true, "{revoked}");
    assert_eq!(revoked[0]["revoked"], 2, "{revoked}");
    current_user(&http, &uma_laptop).problem(401);
    current_user(&http, &uma_refreshed).problem(401);
    current_user(&http, &uma_desktop).expect(200);

    // Off a terminal, revoking needs --yes and changes nothing without it.
    let output = env.run(&["token", "revoke", "--user", "uma"]);
    assert_refused(&output, 2, "--yes");
    current_user(&http, &uma_desktop).expect(200);

    let text = env.ok(&["token", "revoke", "--user", "uma", "--yes"]);
    assert!(text.contains("uma revoked (1 live token)"), "{text}");
    current_user(&http, &uma_desktop).problem(401);
    current_user(&http, &ulf).expect(200);

    // A result per item, and a non-zero exit when one fails.
    let output = env.run(&["token", "revoke", "00000000", "--yes", "-o", "json"]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr_of(&output));
    let items: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(items[0]["ok"], false, "{items}");
    let output = env.run(&["token", "revoke", "--user", "nobody", "--yes"]);
    assert_refused(&output, 3, "could not be revoked");
}

#[test]
fn a_non_admin_may_not_list_or_revoke_tokens() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let admin = http.sign_in("admin", DEV_PASSWORD);
    env.login(&server.url, "rita", DEV_PASSWORD, &[])
        .assert()
        .success();
    assert_refused(&env.run(&["token", "list"]), 4, "only admins");
    let output = env.run(&["token", "revoke", "--user", "admin", "--yes"]);
    assert_eq!(output.status.code(), Some(4), "{}", stderr_of(&output));
    current_user(&http, &admin).expect(200);

    let rita = http.sign_in("rita", DEV_PASSWORD);
    http.get("/api/v1/Token", &rita).problem(403);
    http.send("DELETE", "/api/v1/Token?user=admin", Some(&rita), None)
        .problem(403);
    let problem = http
        .send("DELETE", "/api/v1/Token", Some(&admin), None)
        .problem(400);
    assert!(problem.to_string().contains("user"), "{problem}");
}

#[test]
fn over_max_connections_new_sockets_are_closed_and_the_broker_keeps_working() {
    use std::io::Read;
    use std::net::TcpStream;

    if !common::raise_own_open_file_limit(2_500) {
        return;
    }
    let env = TestEnv::new();
    let config = env.write(
        "edge.toml",
        "[server]\nmax_connections = 50\nhttp_timeout = \"30s\"\n",
    );
    let server = Server::start(
        &env,
        ServerOptions {
            config: Some(&config),
            extra_args: vec!["--manual-clock".to_owned()],
            ..ServerOptions::default()
        },
    );
    // One client, one kept-alive connection, opened before the flood.
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
    std::thread::sleep(Duration::from_secs(1));
    let closed = idle
        .iter()
        .filter(|socket| {
            socket.set_nonblocking(true).unwrap();
            let mut buffer = [0u8; 16];
            let mut reader: &TcpStream = socket;
            !matches!(reader.read(&mut buffer), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock)
        })
        .count();
    assert!(
        closed >= 1_100 - 50,
        "only {closed} of 1,100 sockets over max_connections = 50 were closed"
    );

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
        "a create took {:?} beside 1,100 sockets",
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

    // Closed connections give their slots back.
    drop(idle);
    std::thread::sleep(Duration::from_millis(500));
    common::Http::new(&server.url).sign_in("ulf", DEV_PASSWORD);
    assert!(
        server
            .stderr_text()
            .contains("connection refused: the broker serves max_connections already"),
        "refusals are logged"
    );
}

#[test]
fn wrong_mfa_codes_are_throttled_like_wrong_passwords() {
    const TOTP: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    let env = TestEnv::new();
    let config = env.write(
        "mfa.toml",
        &format!(
            "[[users]]\nname = \"mia\"\nrole = \"User\"\npassword_env = \"MIA_PASSWORD\"\ntotp_secret = \"{TOTP}\"\n"
        ),
    );
    let server = Server::start(
        &env,
        ServerOptions {
            config: Some(&config),
            envs: vec![("MIA_PASSWORD".into(), "mia-password".into())],
            ..ServerOptions::default()
        },
    );
    let http = server.http();
    let pre_mfa = http.sign_in("mia", "mia-password");
    let bytes = totp_rs::Secret::Encoded(TOTP.to_owned())
        .to_bytes()
        .unwrap();
    let right = totp_rs::TOTP::new_unchecked(totp_rs::Algorithm::SHA1, 6, 1, 30, bytes)
        .generate_current()
        .unwrap();
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    for _ in 0..5 {
        http.send(
            "POST",
            "/signin2fa",
            Some(&pre_mfa),
            Some(&format!("\"{wrong}\"")),
        )
        .problem(401);
    }
    let reply = http.send(
        "POST",
        "/signin2fa",
        Some(&pre_mfa),
        Some(&format!("\"{right}\"")),
    );
    assert!(reply.headers.contains_key("retry-after"), "{}", reply.body);
    reply.problem(429);
    settle_log();
    assert!(
        server.stderr_text().contains("MFA refused by the throttle"),
        "the refusal is logged"
    );
}

#[test]
fn the_new_server_settings_are_checked_at_start() {
    for (setting, expected) in [
        (
            "token_absolute_lifetime = \"30s\"",
            "token_absolute_lifetime: must be at least 1m",
        ),
        ("max_connections = 0", "max_connections: must be at least 1"),
    ] {
        let env = TestEnv::new();
        let config = env.write("bad.toml", &format!("[server]\n{setting}\n"));
        let Err((status, stderr)) = Server::try_start(
            &env,
            ServerOptions {
                config: Some(&config),
                ..ServerOptions::default()
            },
        ) else {
            panic!("the server started with {setting}");
        };
        assert_ne!(status.and_then(|s| s.code()), Some(0));
        assert!(stderr.contains(expected), "{setting}: {stderr}");
    }
}
