//! `pamctl approval approve` and `deny`: decide on one or many requests, named by ID or `-`
//! (IDs on stdin). Like `session end`, every item is done, several at a time, and reported on
//! its own line; a failed item sets the exit code (see `report_results`). Whether the caller
//! may decide is the broker's call (never on their own request, only as a named approver, not
//! after the decision): its refusal is the item's error. Deciding on more than one ID, or on
//! `-`, asks first on a terminal and needs `--yes` off one.

use std::io::IsTerminal;
use std::sync::Arc;

use chrono::Utc;
use clap::Args;

use super::list::is_missing_route;
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::session::bulk::{confirm, for_each_target, nothing_on_stdin, report_results};
use crate::cli::session::ids::{self, Target, Wanted};
use crate::cli::session::view::{session_json, session_state};
use crate::client::Client;
use crate::wire::session::ActivitySession;

/// Approve requests waiting for your decision
///
/// Your approval counts once, however often you give it. A request becomes Scheduled (or
/// starts) when every tier of its policy has the approvals it needs.
///
/// With more than one ID, or `-`, pamctl asks first on a terminal, and needs --yes without
/// one; a single ID needs neither.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    pamctl approval approve 3f2a9c1b\n  \
    pamctl approval approve 3f2a9c1b 7d41e0aa --note \"matches CHG-1234\"\n  \
    pamctl approval approve 3f2a9c1b --statement 12\n  \
    pamctl approval list -q | pamctl approval approve - --yes")]
pub struct ApproveArgs {
    /// Session IDs (full or unique prefixes); `-` reads them from stdin, one per line
    #[arg(value_name = "ID", required = true)]
    pub ids: Vec<String>,

    /// Decide on several requests (or `-`) without asking (needed off a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// A note recorded with your approval (in the session and its log)
    #[arg(long, value_name = "TEXT", conflicts_with = "statement")]
    pub note: Option<String>,

    /// Approve the session's statement held for review with this activity log entry (one
    /// session ID): it then runs once, through the broker
    #[arg(long, value_name = "ENTRY")]
    pub statement: Option<i64>,
}

/// Deny requests waiting for your decision: they end as Denied, with your reason
///
/// With more than one ID, or `-`, pamctl asks first on a terminal, and needs --yes without
/// one; a single ID needs neither.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    pamctl approval deny 3f2a9c1b --reason \"change freeze until Monday\"\n  \
    pamctl approval deny 3f2a9c1b --statement 12 --reason \"use a transaction\"\n  \
    pamctl approval list --search ulf -q | pamctl approval deny - --yes --reason \"use the staging copy\"")]
pub struct DenyArgs {
    /// Session IDs (full or unique prefixes); `-` reads them from stdin, one per line
    #[arg(value_name = "ID", required = true)]
    pub ids: Vec<String>,

    /// Decide on several requests (or `-`) without asking (needed off a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Why (required): recorded on the session and in its log, for the requester to read
    #[arg(long, value_name = "TEXT")]
    pub reason: String,

    /// Deny the session's statement held for review with this activity log entry (one
    /// session ID): it never runs, and the session goes on
    #[arg(long, value_name = "ENTRY")]
    pub statement: Option<i64>,
}

pub async fn approve(context: &Context, args: ApproveArgs) -> Result<(), CliError> {
    if let Some(entry) = args.statement {
        return super::statement::approve(context, &args.ids, entry).await;
    }
    let client = Arc::new(context.client()?);
    let Some(targets) = targets(context, &client, &args.ids, args.yes, "approve").await? else {
        return Ok(());
    };
    let note = args.note;
    let results = for_each_target(&client, targets, "approving", move |client, id| {
        let note = note.clone();
        async move {
            let session = client.approve_session(id, note.as_deref()).await?;
            Ok(item_json(&session))
        }
    })
    .await;
    report_results(context, "approved", results)
}

pub async fn deny(context: &Context, args: DenyArgs) -> Result<(), CliError> {
    let reason = args.reason.trim().to_owned();
    if reason.is_empty() {
        return Err(CliError::usage("--reason is empty").hint(
            "say why, e.g. --reason \"change freeze until Monday\": the requester reads it",
        ));
    }
    if let Some(entry) = args.statement {
        return super::statement::deny(context, &args.ids, entry, &reason).await;
    }
    let client = Arc::new(context.client()?);
    let Some(targets) = targets(context, &client, &args.ids, args.yes, "deny").await? else {
        return Ok(());
    };
    let results = for_each_target(&client, targets, "denying", move |client, id| {
        let reason = reason.clone();
        async move {
            let session = client.deny_session(id, &reason).await?;
            Ok(item_json(&session))
        }
    })
    .await;
    report_results(context, "denied", results)
}

fn item_json(session: &ActivitySession) -> Option<serde_json::Value> {
    session_json(session, session_state(session, Utc::now())).ok()
}

/// Whether a decision is a bulk one, which is confirmed first: `-`, or more than one ID.
fn is_bulk(given: &[String]) -> bool {
    given.len() > 1 || given.iter().any(|g| g == "-")
}

/// Whether a question can be asked and answered: stderr shows it, and the terminal (stdin, or
/// the controlling terminal when stdin carries the IDs) answers it.
fn can_ask() -> bool {
    std::io::stderr().is_terminal()
        && (std::io::stdin().is_terminal()
            || std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open("/dev/tty")
                .is_ok())
}

/// The items to decide on, or None when there is nothing to do (`-` read no IDs, or the person
/// at the terminal said no). Prefixes are looked up among the requests waiting for the caller
/// first (what a reviewer means), then among every session they may see (so a decided one
/// gets the broker's own answer).
async fn targets(
    context: &Context,
    client: &Client,
    given: &[String],
    yes: bool,
    verb: &str,
) -> Result<Option<Vec<Target>>, CliError> {
    let bulk = is_bulk(given) && !yes;
    // Refused before anything is read or asked of the server, so nothing half happens.
    if bulk && !can_ask() {
        return Err(CliError::usage(format!(
            "to {verb} more than one request (or IDs from -) without a terminal to ask on, add --yes"
        ))
        .hint(format!(
            "check them with `pamctl approval list` first, then e.g. `pamctl approval list -q | pamctl approval {verb} - --yes`"
        )));
    }
    let given = ids::expand_stdin(given).await?;
    if given.is_empty() {
        nothing_on_stdin(context)?;
        return Ok(None);
    }
    let mut wanted = Wanted::parse(&given);
    if wanted.has_prefixes() {
        match client.pending_approvals(None).await {
            Ok(pending) => {
                let summaries: Vec<_> = pending.into_iter().map(|p| p.summary).collect();
                wanted.match_in(&summaries);
            }
            // A Privilege Secure server: only the sessions list is there to look in.
            Err(error) if is_missing_route(&error) => {}
            Err(error) => return Err(error.into()),
        }
    }
    if wanted.has_prefixes() {
        wanted.match_in(&client.search_sessions(None).await?);
    }
    let targets =
        wanted.finish_each("see `pamctl approval list` for the requests waiting for your decision");
    if bulk {
        let count = targets.len();
        let requests = if count == 1 { "request" } else { "requests" };
        let mut word = verb.to_owned();
        word[..1].make_ascii_uppercase();
        let done = if verb == "deny" { "denied" } else { "approved" };
        confirm(format!("{word} {count} {requests}?"), done).await?;
    }
    Ok(Some(targets))
}
