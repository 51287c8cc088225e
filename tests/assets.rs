//! The committed completions/ and man/ are what the current clap definitions generate.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::TestEnv;

fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let entry = entry.unwrap();
            (
                entry.file_name().to_string_lossy().into_owned(),
                std::fs::read(entry.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn committed_completions_and_man_pages_are_up_to_date() {
    let env = TestEnv::new();
    let generated = env.path("generated");
    env.pamctl(&["generate-assets", "--dir", generated.to_str().unwrap()])
        .assert()
        .success();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for sub in ["completions", "man"] {
        let fresh = files_under(&generated.join(sub));
        let committed = files_under(&repo.join(sub));
        assert!(!fresh.is_empty());
        assert_eq!(
            fresh.keys().collect::<Vec<_>>(),
            committed.keys().collect::<Vec<_>>(),
            "{sub}/ differs: run `cargo run -- generate-assets` and commit"
        );
        for (name, contents) in &fresh {
            assert!(
                committed[name] == *contents,
                "{sub}/{name} is out of date: run `cargo run -- generate-assets` and commit"
            );
        }
    }
    assert!(generated.join("man/pamctl-resource-list.1").exists());
}

#[test]
fn every_command_has_a_description_and_an_example() {
    fn walk(command: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for sub in command
            .get_subcommands()
            .filter(|s| !s.is_hide_set() && s.get_name() != "help")
        {
            let name = format!("{path} {}", sub.get_name());
            if sub.get_about().is_none() {
                missing.push(format!("{name}: no description"));
            }
            let after = sub
                .get_after_help()
                .map(|h| h.to_string())
                .unwrap_or_default();
            if !after.contains("Example") {
                missing.push(format!("{name}: no example in its help"));
            }
            walk(sub, &name, missing);
        }
    }
    let mut missing = Vec::new();
    walk(&pamctl::cli::command(), "pamctl", &mut missing);
    assert!(missing.is_empty(), "{missing:#?}");
}

fn completion_shell(shell: &str, script: &str) -> String {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = std::process::Command::new(shell)
        .current_dir(repo)
        .args(["-c", script])
        .output()
        .unwrap_or_else(|e| panic!("{shell} is needed for this test (.ci/run installs it): {e}"));
    assert!(
        output.status.success(),
        "{shell}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

#[test]
fn bash_completes_commands_and_subcommands() {
    let complete = |words: &str, current: usize| {
        completion_shell(
            "bash",
            &format!(
                "source completions/pamctl.bash; COMP_WORDS=({words}); COMP_CWORD={current}; \
                 _pamctl pamctl \"${{COMP_WORDS[{current}]}}\" \"${{COMP_WORDS[{}]}}\"; echo \"${{COMPREPLY[@]}}\"",
                current - 1
            ),
        )
    };
    assert_eq!(complete("pamctl ses", 1), "session");
    assert_eq!(complete("pamctl session en", 2), "end");
    assert_eq!(complete("pamctl approval ap", 2), "approve");
    assert!(complete("pamctl session end --dry", 3).contains("--dry-run"));
}

#[test]
fn zsh_loads_the_completion_and_knows_the_commands() {
    let out = completion_shell(
        "zsh",
        "autoload -Uz compinit && compinit -u -d \"${TMPDIR:-/tmp}/pamctl-zcompdump-$$\" && \
         source completions/_pamctl && print -r -- \"$_comps[pamctl]\" && functions _pamctl_commands",
    );
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("_pamctl"),
        "compdef registered it: {out}"
    );
    let body: String = lines.collect::<Vec<_>>().join("\n");
    for command in ["session", "approval", "activity", "resource", "login"] {
        assert!(
            body.contains(&format!("'{command}:")),
            "{command} missing from the zsh completion"
        );
    }
}
