//! Statements held for review (per-statement approval): listed by `approval list`, decided by
//! `approval approve ID --statement ENTRY` and `approval deny ID --statement ENTRY --reason`.
//! A statement is addressed by its session and its activity log entry, as
//! `pamctl session activity ID` shows them.

use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::output::{Output, short_id};
use crate::cli::session::ids;
use crate::client::Client;
use crate::wire::statement::{ActivityEntry, PendingStatement};

const COLUMNS: [&str; 6] = ["Session", "Entry", "Requested", "Requester", "Host", "SQL"];

fn one_session(given: &[String]) -> Result<&str, CliError> {
    match given {
        [one] if one != "-" => Ok(one),
        _ => Err(CliError::usage("--statement decides one statement of one session")
            .hint("give the session's ID once, e.g. `pamctl approval approve 3f2a9c1b --statement 12`")),
    }
}

pub async fn approve(context: &Context, given: &[String], entry: i64) -> Result<(), CliError> {
    let client = context.client()?;
    let session = ids::resolve_one(&client, one_session(given)?).await?;
    let decided = client.approve_statement(session, entry).await?;
    report(
        &context.output,
        &decided,
        "approved; it runs once, through the broker",
    )
}

pub async fn deny(
    context: &Context,
    given: &[String],
    entry: i64,
    reason: &str,
) -> Result<(), CliError> {
    let client = context.client()?;
    let session = ids::resolve_one(&client, one_session(given)?).await?;
    let decided = client.deny_statement(session, entry, reason).await?;
    report(&context.output, &decided, "denied; it never runs")
}

fn report(output: &Output, entry: &ActivityEntry, what: &str) -> Result<(), CliError> {
    if output.is_json() {
        return output.json(entry);
    }
    println!(
        "Statement {} of session {}: {what}",
        entry.id, entry.session_id
    );
    Ok(())
}

/// The held statements the caller may decide (those containing `search`, in any case, in
/// their SQL, requester, resource or activity); none from a server without the route.
pub async fn pending(
    client: &Client,
    search: Option<&str>,
) -> Result<Vec<PendingStatement>, CliError> {
    let search = search.map(str::to_lowercase);
    let matches = |p: &PendingStatement| {
        search.as_deref().is_none_or(|text| {
            [
                &p.entry.sql,
                &p.entry.requested_by_user_name,
                &p.resource_name,
                &p.activity_name,
            ]
            .iter()
            .any(|field| field.to_lowercase().contains(text))
        })
    };
    match client.pending_statements().await {
        Ok(pending) => Ok(pending.into_iter().filter(matches).collect()),
        Err(error) if super::list::is_missing_route(&error) => Ok(Vec::new()),
        Err(error) => Err(error.into()),
    }
}

pub fn table(output: &Output, pending: &[PendingStatement]) {
    if pending.is_empty() {
        return;
    }
    output.note("Statements waiting for your review (approve with --statement ENTRY):");
    output.table(
        &COLUMNS,
        pending
            .iter()
            .map(|p| {
                vec![
                    short_id(&p.entry.session_id),
                    p.entry.id.to_string(),
                    output.time(Some(p.entry.requested_date_time_utc)),
                    p.entry.requested_by_user_name.clone(),
                    p.resource_name.clone(),
                    p.entry.sql.split_whitespace().collect::<Vec<_>>().join(" "),
                ]
            })
            .collect(),
        "",
    );
}
