//! Signing in: passwords, MFA with real TOTP codes, API keys, wrong secrets, throttling,
//! expired and revoked tokens, over the wire and through the CLI.

mod common;

use std::time::Duration;

use common::{DEV_PASSWORD, Server, ServerOptions, TestEnv, stderr_of, stdout_of};
use totp_rs::{Algorithm, Secret, TOTP};

/// A JWT's claims, decoded without verifying, as NPS clients read them.
fn claims_of(token: &str) -> serde_json::Value {
    use base64::Engine;
    let payload = token
        .split('.')
        .nth(1)
        .unwrap_or_else(|| panic!("not a JWT: {token}"));
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64url claims");
    serde_json::from_slice(&bytes).expect("JSON claims")
}

const ROLE_CLAIM: &str = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";

const MIA_TOTP: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const MIA_PASSWORD: &str = "mia-secret-password";

fn totp_code(secret: &str) -> String {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().unwrap();
    TOTP::new_unchecked(Algorithm::SHA1, 6, 1, 30, bytes)
        .generate_current()
        .unwrap()
}

/// The dev seed plus `mia`, a user enrolled in MFA, and any extra server settings.
fn start_with_mia(env: &TestEnv, server_section: &str) -> Server {
    let config = env.write(
        "extra.toml",
        &format!(
            "{server_section}\n[[users]]\nname = \"mia\"\nrole = \"User\"\npassword_env = \"MIA_PASSWORD\"\ntotp_secret = \"{MIA_TOTP}\"\n"
        ),
    );
    Server::start(
        env,
        ServerOptions {
            config: Some(&config),
            envs: vec![("MIA_PASSWORD".into(), MIA_PASSWORD.into())],
            ..ServerOptions::default()
        },
    )
}

#[test]
fn a_user_signs_in_with_a_password_and_the_token_identifies_them() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let token = http.sign_in("uma", DEV_PASSWORD);
    let me = http.get("/api/v1/CurrentUser", &token).expect(200).json();
    assert_eq!(me["userName"], "uma");
    assert_eq!(me["role"], "User");
    assert_eq!(me["isApplication"], false);

    let fresh = http.get("/api/v1/UserToken", &token).expect(200).json();
    let fresh = fresh.as_str().unwrap();
    assert_ne!(fresh, token, "a refresh issues a new token");
    assert_eq!(
        http.get("/api/v1/CurrentUser", fresh).expect(200).json()["userName"],
        "uma"
    );
}

#[test]
fn the_cli_signs_in_with_a_password_from_stdin_and_saves_a_private_profile() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    // The dev server made `dev` the current profile; a real login becomes current instead.
    env.login(&server.url, "ulf", DEV_PASSWORD, &[])
        .assert()
        .success();
    let profile = std::fs::read_to_string(env.profile_file()).unwrap();
    assert!(profile.contains("current = \"default\""), "{profile}");
    assert!(
        !profile.contains(DEV_PASSWORD),
        "a profile never holds a password"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(env.profile_file())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "profile file mode");
    }
    let output = env.pamctl(&["whoami"]).output().unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert!(
        stdout_of(&output).starts_with("ulf (user, role User)"),
        "{}",
        stdout_of(&output)
    );
}

#[test]
fn an_mfa_user_needs_a_real_totp_code() {
    let env = TestEnv::new();
    let server = start_with_mia(&env, "");
    let http = server.http();
    let pre_token = http.sign_in("mia", MIA_PASSWORD);
    let pre_claims = claims_of(&pre_token);
    assert_eq!(pre_claims["isMFA"], false, "{pre_claims}");

    let refused = http.get("/api/v1/Activity", &pre_token).problem(401);
    assert!(
        refused["detail"]
            .as_str()
            .unwrap()
            .contains("second factor"),
        "{refused}"
    );

    let wrong = http
        .send("POST", "/signin2fa", Some(&pre_token), Some("\"000000\""))
        .problem(401);
    assert!(
        wrong["detail"].as_str().unwrap().contains("MFA code"),
        "{wrong}"
    );

    let code = format!("\"{}\"", totp_code(MIA_TOTP));
    let full = http
        .send("POST", "/signin2fa", Some(&pre_token), Some(&code))
        .expect(200)
        .json();
    let full = full.as_str().unwrap();
    assert_eq!(claims_of(full)["isMFA"], true);
    let me = http.get("/api/v1/CurrentUser", full).expect(200).json();
    assert_eq!(me["userName"], "mia");
    assert_eq!(me["mfaEnrolled"], true);
    // The pre-MFA token is spent once exchanged.
    http.send("POST", "/signin2fa", Some(&pre_token), Some(&code))
        .problem(401);
    // And the code is spent too: a new sign-in cannot replay it within its window.
    let again = http.sign_in("mia", MIA_PASSWORD);
    let replay = http
        .send("POST", "/signin2fa", Some(&again), Some(&code))
        .problem(401);
    assert!(
        replay["detail"].as_str().unwrap().contains("already used"),
        "{replay}"
    );
}

#[test]
fn a_user_without_mfa_gets_the_token_reissued_by_signin2fa() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let token = http.sign_in("uma", DEV_PASSWORD);
    let reissued = http
        .send("POST", "/signin2fa", Some(&token), Some("\"anything\""))
        .expect(200)
        .json();
    assert_eq!(
        http.get("/api/v1/CurrentUser", reissued.as_str().unwrap())
            .expect(200)
            .json()["userName"],
        "uma"
    );
}

#[test]
fn the_cli_asks_for_the_mfa_code_or_says_how_to_give_it() {
    let env = TestEnv::new();
    let server = start_with_mia(&env, "");
    let output = env
        .login(&server.url, "mia", MIA_PASSWORD, &[])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4), "{}", stderr_of(&output));
    assert!(
        stderr_of(&output).contains("--mfa-code"),
        "{}",
        stderr_of(&output)
    );

    let code = totp_code(MIA_TOTP);
    env.login(&server.url, "mia", MIA_PASSWORD, &["--mfa-code", &code])
        .assert()
        .success();
    let output = env.pamctl(&["whoami", "-o", "json"]).output().unwrap();
    let me: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(me["userName"], "mia");
}

#[test]
fn an_application_signs_in_with_its_api_key() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let key_file = env.server_data_dir().join("ci-bot.key");
    let key = std::fs::read_to_string(&key_file).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "key file mode");
    }
    let http = server.http();
    let token = http.sign_in("ci-bot", key.trim());
    let me = http.get("/api/v1/CurrentUser", &token).expect(200).json();
    assert_eq!(me["isApplication"], true);
    assert_eq!(me["role"], "User");

    env.pamctl(&[
        "login",
        "--server",
        &server.url,
        "--user",
        "ci-bot",
        "--api-key-stdin",
        "--profile",
        "ci",
    ])
    .write_stdin(key.clone())
    .assert()
    .success();
    let output = env
        .pamctl(&["activity", "list", "-o", "json"])
        .output()
        .unwrap();
    let activities: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        common::names(&activities),
        ["Database Read Write", "Linux Admin"]
    );
    // A wrong key is refused like a wrong password.
    http.send(
        "POST",
        "/signinBody",
        None,
        Some(r#"{"Login":"ci-bot","Password":"pamk_wrong"}"#),
    )
    .problem(401);
}

#[test]
fn a_wrong_password_is_refused_and_never_logged() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let secret_attempt = "hunter2-not-the-password";
    let problem = server
        .http()
        .send(
            "POST",
            "/signinBody",
            None,
            Some(&format!(
                r#"{{"Login":"uma","Password":"{secret_attempt}"}}"#
            )),
        )
        .problem(401);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("wrong user name or password")
    );

    let output = env
        .login(&server.url, "uma", secret_attempt, &[])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4));
    assert!(
        stderr_of(&output).starts_with("error: wrong user name or password"),
        "{}",
        stderr_of(&output)
    );
    assert!(!stderr_of(&output).contains(secret_attempt));

    std::thread::sleep(Duration::from_millis(200));
    let log = server.stderr_text();
    assert!(log.contains("sign-in failed"), "failures are logged: {log}");
    assert!(
        !log.contains(secret_attempt),
        "the password reached the log"
    );
    assert!(!log.contains(DEV_PASSWORD), "a password reached the log");
}

#[test]
fn repeated_failures_slow_sign_in_down() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let wrong = r#"{"Login":"ulf","Password":"wrong"}"#;
    for _ in 0..5 {
        http.send("POST", "/signinBody", None, Some(wrong))
            .problem(401);
    }
    // Even the right password waits now.
    let right = format!(r#"{{"Login":"ulf","Password":"{DEV_PASSWORD}"}}"#);
    let reply = http.send("POST", "/signinBody", None, Some(&right));
    let retry_after: u64 = reply
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After header");
    let problem = reply.problem(429);
    assert!(problem["retryAfterSeconds"].as_u64().unwrap() >= 1);
    // Another user is not held up.
    http.sign_in("uma", DEV_PASSWORD);

    let output = env
        .login(&server.url, "ulf", DEV_PASSWORD, &[])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4));
    assert!(
        stderr_of(&output).contains("too many failed sign-ins"),
        "{}",
        stderr_of(&output)
    );

    std::thread::sleep(Duration::from_secs(retry_after + 1));
    http.sign_in("ulf", DEV_PASSWORD);
}

#[test]
fn an_expired_token_is_refused_with_a_hint_to_sign_in() {
    let env = TestEnv::new();
    let server = start_with_mia(&env, "[server]\ntoken_ttl = \"2s\"\n");
    env.login(&server.url, "uma", DEV_PASSWORD, &[])
        .assert()
        .success();
    env.pamctl(&["whoami"]).assert().success();
    std::thread::sleep(Duration::from_millis(2500));
    let output = env.pamctl(&["whoami"]).output().unwrap();
    assert_eq!(output.status.code(), Some(4));
    let stderr = stderr_of(&output);
    assert!(stderr.contains("expired"), "{stderr}");
    assert!(
        stderr.contains("hint: sign in again with `pamctl login`"),
        "{stderr}"
    );
}

#[test]
fn logout_revokes_the_token_on_the_server() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    env.login(&server.url, "uma", DEV_PASSWORD, &[])
        .assert()
        .success();
    let profile = std::fs::read_to_string(env.profile_file()).unwrap();
    let token = profile
        .lines()
        .skip_while(|l| !l.starts_with("[profiles.default]"))
        .find_map(|l| l.strip_prefix("token = "))
        .map(|t| t.trim_matches('"').to_owned())
        .expect("token in the default profile");

    env.pamctl(&["logout"]).assert().success();
    let problem = server
        .http()
        .get("/api/v1/CurrentUser", &token)
        .problem(401);
    assert!(
        problem["detail"].as_str().unwrap().contains("revoked"),
        "{problem}"
    );
    let output = env.pamctl(&["whoami"]).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(4),
        "signed out: {}",
        stderr_of(&output)
    );
}

#[test]
fn a_token_can_come_from_a_file_or_an_environment_variable() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let token = server.http().sign_in("ulf", DEV_PASSWORD);
    let file = env.write("token", &format!("{token}\n"));
    let from_file = env
        .pamctl(&[
            "whoami",
            "--server",
            &server.url,
            "--token",
            &format!("file:{}", file.display()),
        ])
        .output()
        .unwrap();
    assert!(
        stdout_of(&from_file).starts_with("ulf "),
        "{}",
        stderr_of(&from_file)
    );
    let from_env = env
        .pamctl(&["whoami", "--server", &server.url])
        .env("PAMCTL_TOKEN", "env:MY_TOKEN")
        .env("MY_TOKEN", &token)
        .output()
        .unwrap();
    assert!(
        stdout_of(&from_env).starts_with("ulf "),
        "{}",
        stderr_of(&from_env)
    );
    let missing = env
        .pamctl(&[
            "whoami",
            "--server",
            &server.url,
            "--token",
            "env:NOT_SET_ANYWHERE",
        ])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr_of(&missing).contains("NOT_SET_ANYWHERE"));
}

/// NPS's tokens are JWTs that clients decode (without verifying) to show expiry and rights;
/// pamctl's are too, with NPS's claims. The broker still checks each against its token table,
/// so signing out revokes a token whatever its claims say, and a forged one is refused.
#[test]
fn tokens_are_jwts_with_nps_claims_and_still_revocable() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let admin = http.sign_in("admin", DEV_PASSWORD);
    let claims = claims_of(&admin);
    assert_eq!(claims[ROLE_CLAIM], "Admin", "{claims}");
    assert_eq!(claims["isMFA"], true);
    assert_eq!(claims["isLocalUser"], true);
    assert_eq!(claims["unique_name"], "admin");
    let (iat, exp) = (
        claims["iat"].as_i64().unwrap(),
        claims["exp"].as_i64().unwrap(),
    );
    assert_eq!(exp - iat, 8 * 3600, "the default token lifetime");
    assert!(uuid::Uuid::parse_str(claims["jti"].as_str().unwrap()).is_ok());
    let header = claims_of(&format!("x.{}", admin.split('.').next().unwrap()));
    assert_eq!(header["alg"], "HS256");
    let uma = http.sign_in("uma", DEV_PASSWORD);
    assert_eq!(claims_of(&uma)[ROLE_CLAIM], "User");

    // Claims are not credentials: an edited token (Admin rights claimed by uma) is refused.
    use base64::Engine;
    let parts: Vec<&str> = uma.split('.').collect();
    let mut forged_claims = claims_of(&uma);
    forged_claims[ROLE_CLAIM] = "Admin".into();
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(forged_claims.to_string()),
        parts[2]
    );
    http.get("/api/v1/CurrentUser", &forged).problem(401);

    http.send("DELETE", "/api/v1/UserToken", Some(&admin), None)
        .expect(204);
    http.get("/api/v1/CurrentUser", &admin).problem(401);
}
