//! Profiles as a user with several logins meets them: `profile list|use|show`, `login`
//! saying which profile is current, a re-login without retyping, and "not signed in" (exit 4).

mod common;

use common::{DEV_PASSWORD, Server, TestEnv, stderr_of, stdout_of};
use serde_json::Value;

fn stderr_json(output: &std::process::Output) -> Value {
    let text = stderr_of(output);
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[test]
fn no_profile_or_an_unknown_one_is_not_signed_in_with_a_hint_to_log_in() {
    let env = TestEnv::new();
    let none = env.run(&["activity", "list"]);
    assert_eq!(none.status.code(), Some(4), "{}", stderr_of(&none));
    let text = stderr_of(&none);
    assert!(text.contains("error: not signed in"), "{text}");
    assert!(
        text.contains("hint: sign in with `pamctl login --server URL --user NAME`"),
        "{text}"
    );

    let json = env.run(&["session", "list", "-o", "json"]);
    assert_eq!(json.status.code(), Some(4));
    let error = stderr_json(&json);
    assert_eq!(error["error"]["code"], 4);
    assert!(
        error["error"]["hint"]
            .as_str()
            .unwrap()
            .contains("pamctl login")
    );

    let _server = Server::dev(&env);
    let unknown = env.run(&["--profile", "nosuch", "whoami"]);
    assert_eq!(unknown.status.code(), Some(4), "{}", stderr_of(&unknown));
    let text = stderr_of(&unknown);
    assert!(text.contains("no profile named 'nosuch'"), "{text}");
    assert!(text.contains("--profile nosuch"), "{text}");
    assert!(text.contains("(dev)"), "names the saved profiles: {text}");
    let use_unknown = env.run(&["profile", "use", "nosuch"]);
    assert_eq!(use_unknown.status.code(), Some(4));
}

#[test]
fn login_says_which_profile_is_current_and_profile_use_switches() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    // The dev server made `dev` current.
    let uma = env
        .login(&server.url, "uma", DEV_PASSWORD, &["--profile", "uma"])
        .output()
        .unwrap();
    assert!(uma.status.success(), "{}", stderr_of(&uma));
    assert!(
        stderr_of(&uma).contains("Now using profile 'uma' (was 'dev'"),
        "{}",
        stderr_of(&uma)
    );
    assert!(stdout_of(&env.run(&["whoami"])).starts_with("uma "));

    let rita = env
        .login(
            &server.url,
            "rita",
            DEV_PASSWORD,
            &["--profile", "rita", "--keep-current"],
        )
        .output()
        .unwrap();
    assert!(rita.status.success(), "{}", stderr_of(&rita));
    assert!(
        stderr_of(&rita).contains("Profile 'rita' saved; the current profile stays 'uma'"),
        "{}",
        stderr_of(&rita)
    );
    assert!(
        stdout_of(&env.run(&["whoami"])).starts_with("uma "),
        "--keep-current kept uma current"
    );

    let list = env.ok(&["profile", "list"]);
    let current: Vec<&str> = list.lines().filter(|l| l.contains('*')).collect();
    assert_eq!(current.len(), 1, "{list}");
    assert!(current[0].contains("uma"), "{list}");
    assert_eq!(env.ok(&["profile", "list", "-q"]), "dev\nrita\numa\n");
    let listed = env.json(&["profile", "list"]);
    let flags: Vec<(String, bool)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_owned(),
                p["current"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        flags,
        [
            ("dev".to_owned(), false),
            ("rita".to_owned(), false),
            ("uma".to_owned(), true)
        ]
    );

    let switched = env.run(&["profile", "use", "rita"]);
    assert!(switched.status.success());
    assert!(stdout_of(&switched).contains("Now using profile 'rita' (was 'uma')"));
    assert!(stdout_of(&env.run(&["whoami"])).starts_with("rita "));
}

#[test]
fn profile_show_tells_server_user_tls_and_expiry_but_never_the_token() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    env.login(&server.url, "uma", DEV_PASSWORD, &["--profile", "uma"])
        .assert()
        .success();
    let file = std::fs::read_to_string(env.profile_file()).unwrap();
    let config: toml::Value = toml::from_str(&file).unwrap();
    let token = config["profiles"]["uma"]["token"]
        .as_str()
        .unwrap()
        .to_owned();

    let shown = env.ok(&["profile", "show", "uma"]);
    assert!(
        shown.contains(&format!("Server:         {}", server.url)),
        "{shown}"
    );
    assert!(shown.contains("User:           uma"), "{shown}");
    assert!(
        shown.contains("TLS:            none (plain HTTP)"),
        "{shown}"
    );
    assert!(shown.contains("Token expires:"), "{shown}");
    assert!(!shown.contains(&token), "the token never shows: {shown}");

    // Without a name: the current profile.
    let current = env.json(&["profile", "show"]);
    assert_eq!(current["name"], "uma");
    assert_eq!(current["current"], true);
    assert_eq!(current["signedIn"], true);
    assert!(current["tokenExpires"].is_string(), "{current}");
    assert!(!current.to_string().contains(&token));
    let dev = env.json(&["profile", "show", "dev"]);
    assert_eq!(dev["user"], "admin");
    assert_eq!(dev["current"], false);
}

#[test]
fn a_re_login_without_server_or_user_reuses_the_profile() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    env.login(&server.url, "uma", DEV_PASSWORD, &["--profile", "uma"])
        .assert()
        .success();
    env.ok(&["logout"]);
    let signed_out = env.run(&["whoami"]);
    assert_eq!(signed_out.status.code(), Some(4));

    // No --server, no --user: uma's server and user, into uma's profile.
    let again = env
        .pamctl(&["login", "--password-stdin"])
        .write_stdin(format!("{DEV_PASSWORD}\n"))
        .output()
        .unwrap();
    assert!(again.status.success(), "{}", stderr_of(&again));
    assert!(
        stdout_of(&again).contains(&format!(
            "Signed in to {} as uma (profile 'uma'",
            server.url
        )),
        "{}",
        stdout_of(&again)
    );
    assert!(stderr_of(&again).contains("Profile 'uma' stays the current profile."));
    assert!(stdout_of(&env.run(&["whoami"])).starts_with("uma "));

    // --profile names another saved login: its server and user.
    let dev = env
        .pamctl(&["--profile", "dev", "login", "--password-stdin"])
        .write_stdin(format!("{DEV_PASSWORD}\n"))
        .output()
        .unwrap();
    assert!(dev.status.success(), "{}", stderr_of(&dev));
    assert!(stdout_of(&dev).contains("as admin (profile 'dev'"));
    assert!(stderr_of(&dev).contains("Now using profile 'dev' (was 'uma'"));
}
