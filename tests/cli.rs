//! The command line as scripts see it: exit codes, tables, JSON, errors and profiles.

mod common;

use common::{DEV_PASSWORD, Server, TestEnv, stderr_of, stdout_of};
use serde_json::Value;

#[test]
fn the_dev_server_leaves_the_cli_signed_in_as_admin() {
    let env = TestEnv::new();
    let _server = Server::dev(&env);
    let output = env.pamctl(&["activity", "list"]).output().unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    let table = stdout_of(&output);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(
        lines.len(),
        4,
        "a header and the three dev activities:\n{table}"
    );
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(
        header,
        ["ID", "NAME", "PLATFORM", "TYPE", "LOGIN", "ACCOUNT"]
    );
    for (line, (name, platform)) in lines[1..].iter().zip([
        ("Database Read Write", "PostgreSQL"),
        ("Linux Admin", "Linux"),
        ("Windows Local Admin", "Windows"),
    ]) {
        assert!(line.contains(name) && line.contains(platform), "{line}");
        let id = line.split_whitespace().next().unwrap();
        assert_eq!(id.len(), 8, "short ids: {line}");
        assert!(!line.contains('\x1b'), "no colour when not on a terminal");
    }
    let whoami = env.pamctl(&["whoami"]).output().unwrap();
    assert!(stdout_of(&whoami).starts_with("admin (user, role Admin)"));
}

#[test]
fn json_output_is_the_wire_objects_and_lists_are_arrays() {
    let env = TestEnv::new();
    let _server = Server::dev(&env);
    let output = env
        .pamctl(&[
            "-o",
            "json",
            "resource",
            "list",
            "--activity",
            "linux admin",
        ])
        .output()
        .unwrap();
    let resources: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(common::names(&resources), ["web01", "web02"]);
    assert_eq!(resources[0]["platformName"], "Linux");
    assert!(resources[0]["id"].as_str().unwrap().len() == 36);

    let output = env
        .pamctl(&[
            "resource",
            "list",
            "--search",
            "nothing-matches",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(stdout_of(&output).trim(), "[]");

    let output = env
        .pamctl(&["resource", "list", "--search", "nothing-matches"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(stdout_of(&output), "", "an empty table leaves stdout empty");
    assert!(stderr_of(&output).contains("No resources"));

    let output = env
        .pamctl(&["activity", "list", "--search", "POSTGRES"])
        .env("PAMCTL_OUTPUT", "json")
        .output()
        .unwrap();
    let activities: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(common::names(&activities), ["Database Read Write"]);
}

#[test]
fn resources_can_be_listed_for_an_activity_by_name_or_id_prefix() {
    let env = TestEnv::new();
    let _server = Server::dev(&env);
    let output = env
        .pamctl(&["activity", "list", "-o", "json"])
        .output()
        .unwrap();
    let activities: Value = serde_json::from_slice(&output.stdout).unwrap();
    let db = activities
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "Database Read Write")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for reference in [db.as_str(), &db[..8], "DATABASE READ WRITE"] {
        let output = env
            .pamctl(&["resource", "list", "--activity", reference, "-q"])
            .output();
        // Every list has `-q`: db01's full ID, alone.
        let output = output.unwrap();
        assert!(output.status.success(), "{}", stderr_of(&output));
        assert_eq!(stdout_of(&output).lines().count(), 1);
        let output = env
            .pamctl(&["resource", "list", "--activity", reference])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{reference}: {}",
            stderr_of(&output)
        );
        let table = stdout_of(&output);
        assert!(
            table.contains("db01") && !table.contains("web01"),
            "{table}"
        );
    }
}

#[test]
fn every_exit_code_so_far_is_reachable() {
    let env = TestEnv::new();
    let server = Server::dev(&env);

    env.pamctl(&["activity", "list"]).assert().code(0);

    let unreachable = env
        .pamctl(&[
            "activity",
            "list",
            "--server",
            "http://127.0.0.1:1",
            "--token",
            "x",
        ])
        .output()
        .unwrap();
    assert_eq!(unreachable.status.code(), Some(1));
    assert!(
        stderr_of(&unreachable).starts_with("error: cannot reach http://127.0.0.1:1"),
        "{}",
        stderr_of(&unreachable)
    );
    assert!(stderr_of(&unreachable).contains("\nhint: "));

    env.pamctl(&["activity", "list", "--no-such-flag"])
        .assert()
        .code(2);
    env.pamctl(&["activity"]).assert().code(2);
    let no_user = env
        .pamctl(&["login", "--server", &server.url, "--password-stdin"])
        .output()
        .unwrap();
    assert_eq!(no_user.status.code(), Some(2));
    assert!(stderr_of(&no_user).contains("--user"));

    let not_found = env
        .pamctl(&["resource", "list", "--activity", "No Such Activity"])
        .output()
        .unwrap();
    assert_eq!(not_found.status.code(), Some(3));
    assert!(
        stderr_of(&not_found).contains("pamctl activity list"),
        "the hint names the fix"
    );

    let anonymous = env
        .pamctl(&["activity", "list", "--server", "http://127.0.0.1:9"])
        .output()
        .unwrap();
    assert_eq!(
        anonymous.status.code(),
        Some(4),
        "no token for that server: {}",
        stderr_of(&anonymous)
    );
    assert!(stderr_of(&anonymous).contains("not signed in"));
    env.pamctl(&["activity", "list", "--token", "forged"])
        .assert()
        .code(4);
}

#[test]
fn errors_are_json_on_stderr_when_json_is_asked_for() {
    let env = TestEnv::new();
    let _server = Server::dev(&env);
    let output = env
        .pamctl(&["activity", "list", "--token", "forged", "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4));
    assert_eq!(stdout_of(&output), "");
    let error: Value = serde_json::from_slice(&output.stderr).unwrap();
    assert_eq!(error["error"]["code"], 4);
    assert_eq!(error["error"]["status"], 401);
    assert!(error["error"]["detail"].as_str().unwrap().contains("token"));
    assert!(error["error"]["hint"].is_string());
}

#[test]
fn a_profile_token_is_never_sent_to_another_server() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let other = TestEnv::new();
    let other_server = Server::dev(&other);
    // The profile holds a token for `server`; pointing the CLI at another server must not
    // hand that token over.
    let output = env
        .pamctl(&["whoami", "--server", &other_server.url])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4), "{}", stderr_of(&output));
    env.pamctl(&["whoami", "--server", &server.url])
        .assert()
        .success();
}

#[test]
fn profiles_select_logins_and_the_dev_profile_never_replaces_a_real_one() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    env.login(&server.url, "ulf", DEV_PASSWORD, &["--profile", "work"])
        .assert()
        .success();
    let whoami = |profile: Option<&str>| {
        let mut args = vec!["whoami"];
        if let Some(profile) = profile {
            args.extend(["--profile", profile]);
        }
        let output = env.pamctl(&args).output().unwrap();
        stdout_of(&output)
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(whoami(None), "ulf");
    assert_eq!(whoami(Some("dev")), "admin");
    let unknown = env
        .pamctl(&["whoami", "--profile", "nope"])
        .output()
        .unwrap();
    // An unknown profile is "not signed in".
    assert_eq!(unknown.status.code(), Some(4));

    // A dev server started again re-signs `dev` but keeps the user's current profile.
    assert!(server.terminate().success());
    let _again = Server::dev(&env);
    let profiles = std::fs::read_to_string(env.profile_file()).unwrap();
    assert!(profiles.starts_with("current = \"work\""), "{profiles}");
    assert!(
        profiles.contains("[profiles.work]") && profiles.contains("user = \"ulf\""),
        "{profiles}"
    );
    assert_eq!(whoami(Some("dev")), "admin");
}

#[test]
fn completions_are_printed_for_each_shell() {
    let env = TestEnv::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = env.pamctl(&["completions", shell]).output().unwrap();
        assert!(output.status.success());
        assert!(stdout_of(&output).contains("pamctl"), "{shell}");
    }
    env.pamctl(&["completions", "tcsh"]).assert().code(2);
}

#[test]
fn hash_secret_makes_a_hash_the_server_accepts() {
    let env = TestEnv::new();
    let output = env
        .pamctl(&["hash-secret"])
        .write_stdin("s3cret-pass\n")
        .output()
        .unwrap();
    assert!(output.status.success());
    let hash = stdout_of(&output).trim().to_owned();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    let config = env.write(
        "extra.toml",
        &format!("[[users]]\nname = \"hana\"\nrole = \"User\"\npassword_hash = \"{hash}\"\n"),
    );
    let server = Server::start(
        &env,
        common::ServerOptions {
            config: Some(&config),
            ..Default::default()
        },
    );
    server.http().sign_in("hana", "s3cret-pass");
    env.pamctl(&["hash-secret"]).assert().code(2);
}

#[test]
fn a_closed_pipe_ends_the_cli_quietly() {
    let env = TestEnv::new();
    let _server = Server::dev(&env);
    let mut child = env
        .command()
        .args(["activity", "list", "-o", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert!(
        !stderr_of(&output).contains("panicked"),
        "{}",
        stderr_of(&output)
    );
    assert_ne!(output.status.code(), Some(101));
}
