//! Dynamic shell completion (`source <(COMPLETE=bash pamctl)`): profile names from the
//! profile file; session IDs, activity and resource names from the server of the current
//! profile (or PAMCTL_PROFILE, PAMCTL_SERVER, PAMCTL_TOKEN). A completer must never get in
//! the way of typing: on any error, or when the server is slow, it offers nothing.
//!
//! The completers are attached here, by argument, to the whole command tree, so the command
//! files need not know about completion.

use std::future::Future;
use std::time::Duration;

use chrono::Utc;
use clap::Arg;
use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};

use super::GlobalArgs;
use super::context::Context;
use super::output::{Format, Output};
use super::session::view::{describe, summary_state};
use crate::client::Client;
use crate::client::profile::ProfileFile;

/// How long a completer waits for the server before offering nothing.
const SERVER_PATIENCE: Duration = Duration::from_secs(2);
/// Enough recent sessions to pick from; more would flood the shell.
const MOST_SESSIONS: usize = 200;

/// Adds the dynamic completers to every argument that takes a profile, activity, resource
/// or session (or approval request) ID, in `command` and all its subcommands.
pub fn add_completers(command: clap::Command) -> clap::Command {
    add_to_tree(command, false)
}

fn add_to_tree(command: clap::Command, under_approval: bool) -> clap::Command {
    let under_approval = under_approval || command.get_name() == "approval";
    let name = command.get_name().to_owned();
    command
        .mut_args(|arg| add_to_arg(arg, under_approval, &name))
        .mut_subcommands(|sub| add_to_tree(sub, under_approval))
}

fn add_to_arg(arg: Arg, under_approval: bool, command: &str) -> Arg {
    let in_profile_command = command == "use" || command == "show";
    // Reading a session (show, logs) may be about a finished one; acting on one (end, lock,
    // extend, wait...) only about one that is not finished.
    let reads = command == "show" || command == "logs";
    let takes_id = arg.is_positional()
        && arg
            .get_value_names()
            .is_some_and(|names| names.iter().any(|n| n.as_str() == "ID"));
    let takes_profile_name = arg.is_positional()
        && in_profile_command
        && arg
            .get_value_names()
            .is_some_and(|names| names.iter().any(|n| n.as_str() == "NAME"));
    match arg.get_id().as_str() {
        "profile" => arg.add(ArgValueCandidates::new(profile_names)),
        "activity" if !arg.is_positional() => arg.add(ArgValueCandidates::new(activity_names)),
        "resource" if !arg.is_positional() => arg.add(ArgValueCandidates::new(resource_names)),
        _ if takes_id && under_approval => arg.add(ArgValueCandidates::new(pending_ids)),
        _ if takes_id && reads => arg.add(ArgValueCandidates::new(|| session_ids(true))),
        _ if takes_id => arg.add(ArgValueCandidates::new(|| session_ids(false))),
        _ if takes_profile_name => arg.add(ArgValueCandidates::new(profile_names)),
        _ => arg,
    }
}

pub fn profile_names() -> Vec<CompletionCandidate> {
    let Ok(profiles) = ProfileFile::load() else {
        return Vec::new();
    };
    profiles
        .profiles
        .iter()
        .map(|(name, profile)| {
            let current = profiles.current.as_deref() == Some(name.as_str());
            let help = match (&profile.user, current) {
                (Some(user), true) => format!("{user} on {} (current)", profile.server),
                (Some(user), false) => format!("{user} on {}", profile.server),
                (None, _) => profile.server.clone(),
            };
            CompletionCandidate::new(name).help(Some(help.into()))
        })
        .collect()
}

fn activity_names() -> Vec<CompletionCandidate> {
    from_server(|client| async move {
        let activities = client.activities().await.ok()?;
        Some(
            activities
                .into_iter()
                .map(|a| {
                    let help = a.platform_name.clone().map(Into::into);
                    CompletionCandidate::new(a.name).help(help)
                })
                .collect(),
        )
    })
}

fn resource_names() -> Vec<CompletionCandidate> {
    from_server(|client| async move {
        let resources = client.resources().await.ok()?;
        Some(
            resources
                .into_iter()
                .map(|r| {
                    let help = r.platform_name.clone().map(Into::into);
                    CompletionCandidate::new(r.name).help(help)
                })
                .collect(),
        )
    })
}

/// The newest sessions first; only the unfinished ones unless `finished_too`.
fn session_ids(finished_too: bool) -> Vec<CompletionCandidate> {
    from_server(|client| async move {
        let mut sessions = client.search_sessions(None).await.ok()?;
        sessions.sort_by_key(|s| std::cmp::Reverse(s.created_date_time_utc));
        let now = Utc::now();
        Some(
            sessions
                .iter()
                .filter(|s| finished_too || !summary_state(s, now).is_final())
                .take(MOST_SESSIONS)
                .map(|s| {
                    CompletionCandidate::new(s.id.to_string()).help(Some(describe(s, now).into()))
                })
                .collect(),
        )
    })
}

fn pending_ids() -> Vec<CompletionCandidate> {
    from_server(|client| async move {
        let pending = client.pending_approvals(None).await.ok()?;
        let now = Utc::now();
        Some(
            pending
                .iter()
                .map(|p| {
                    CompletionCandidate::new(p.summary.id.to_string())
                        .help(Some(describe(&p.summary, now).into()))
                })
                .collect(),
        )
    })
}

/// Runs `ask` with a client for the current profile (the same rules as any command, from
/// the environment only: the command line being completed is not parsed yet), within
/// `SERVER_PATIENCE`; any failure is no candidates.
fn from_server<F, Fut>(ask: F) -> Vec<CompletionCandidate>
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = Option<Vec<CompletionCandidate>>>,
{
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let global = GlobalArgs {
        server: env("PAMCTL_SERVER"),
        token: env("PAMCTL_TOKEN"),
        profile: env("PAMCTL_PROFILE"),
        output: Format::Table,
        no_color: true,
        utc: false,
        insecure: false,
        ca_cert: None,
        verbose: false,
    };
    let context = Context::new(global, Output::new(Format::Table, true, false));
    let Ok(client) = context.client() else {
        return Vec::new();
    };
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return Vec::new();
    };
    runtime
        .block_on(async { tokio::time::timeout(SERVER_PATIENCE, ask(client)).await })
        .ok()
        .flatten()
        .unwrap_or_default()
}
