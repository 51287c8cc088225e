//! `pamctl approval approve` and `deny`: decide on one or many requests, named by ID or `-`
//! (IDs on stdin). Like `session end`, every item is done, several at a time, and reported on
//! its own line; the exit code is 1 if any failed. Whether the caller may decide is the
//! broker's call (never on their own request, only as a named approver, not after the
//! decision): its refusal is the item's error.

use std::sync::Arc;

use chrono::Utc;
use clap::Args;
use uuid::Uuid;

use super::list::is_missing_route;
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::session::bulk::{for_each_bounded, nothing_on_stdin, report_results};
use crate::cli::session::ids::{self, Wanted};
use crate::cli::session::view::{session_json, session_state};
use crate::client::Client;
use crate::wire::session::ActivitySession;

/// Approve requests waiting for your decision
///
/// Your approval counts once, however often you give it. A request becomes Scheduled (or
/// starts) when every tier of its policy has the approvals it needs.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    pamctl approval approve 3f2a9c1b\n  \
    pamctl approval approve 3f2a9c1b 7d41e0aa --note \"matches CHG-1234\"\n  \
    pamctl approval list -q | pamctl approval approve -")]
pub struct ApproveArgs {
    /// Session IDs (full or unique prefixes); `-` reads them from stdin, one per line
    #[arg(value_name = "ID", required = true)]
    pub ids: Vec<String>,

    /// A note recorded with your approval (in the session and its log)
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

/// Deny requests waiting for your decision: they end as Denied, with your reason
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    pamctl approval deny 3f2a9c1b --reason \"change freeze until Monday\"\n  \
    pamctl approval list --search ulf -q | pamctl approval deny - --reason \"use the staging copy\"")]
pub struct DenyArgs {
    /// Session IDs (full or unique prefixes); `-` reads them from stdin, one per line
    #[arg(value_name = "ID", required = true)]
    pub ids: Vec<String>,

    /// Why (required): recorded on the session and in its log, for the requester to read
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
}

pub async fn approve(context: &Context, args: ApproveArgs) -> Result<(), CliError> {
    let client = Arc::new(context.client()?);
    let Some(ids) = targets(context, &client, &args.ids).await? else {
        return Ok(());
    };
    let note = args.note;
    let results = for_each_bounded(&client, &ids, "approving", move |client, id| {
        let note = note.clone();
        async move {
            let session = client.approve_session(id, note.as_deref()).await?;
            Ok(item_json(&session))
        }
    })
    .await;
    report_results(context, "approved", &ids, results)
}

pub async fn deny(context: &Context, args: DenyArgs) -> Result<(), CliError> {
    let reason = args.reason.trim().to_owned();
    if reason.is_empty() {
        return Err(CliError::usage("--reason is empty").hint(
            "say why, e.g. --reason \"change freeze until Monday\": the requester reads it",
        ));
    }
    let client = Arc::new(context.client()?);
    let Some(ids) = targets(context, &client, &args.ids).await? else {
        return Ok(());
    };
    let results = for_each_bounded(&client, &ids, "denying", move |client, id| {
        let reason = reason.clone();
        async move {
            let session = client.deny_session(id, &reason).await?;
            Ok(item_json(&session))
        }
    })
    .await;
    report_results(context, "denied", &ids, results)
}

fn item_json(session: &ActivitySession) -> Option<serde_json::Value> {
    session_json(session, session_state(session, Utc::now())).ok()
}

/// The full IDs to decide on, or None when `-` read none. Prefixes are looked up among the
/// requests waiting for the caller first (what a reviewer means), then among every session
/// they may see (so a decided one gets the broker's own answer).
async fn targets(
    context: &Context,
    client: &Client,
    given: &[String],
) -> Result<Option<Vec<Uuid>>, CliError> {
    let given = ids::expand_stdin(given).await?;
    if given.is_empty() {
        nothing_on_stdin(context)?;
        return Ok(None);
    }
    let mut wanted = Wanted::parse(&given)?;
    if wanted.has_prefixes() {
        match client.pending_approvals(None).await {
            Ok(pending) => {
                let summaries: Vec<_> = pending.into_iter().map(|p| p.summary).collect();
                wanted.match_in(&summaries)?;
            }
            // A Privilege Secure server: only the sessions list is there to look in.
            Err(error) if is_missing_route(&error) => {}
            Err(error) => return Err(error.into()),
        }
    }
    if wanted.has_prefixes() {
        wanted.match_in(&client.search_sessions(None).await?)?;
    }
    wanted
        .finish("see `pamctl approval list` for the requests waiting for your decision")
        .map(Some)
}
