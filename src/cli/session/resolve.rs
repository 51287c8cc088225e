//! `pamctl session resolve`.

use chrono::Utc;
use clap::Args;

use super::ids;
use super::view::{session_json, session_state};
use crate::cli::context::Context;
use crate::cli::error::CliError;

/// Close a session whose end action keeps failing (admins only), once the access is gone
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    pamctl session list --status failed-to-revoke\n  \
    pamctl session resolve 3f2a9c1b --note \"role dropped by hand, INC-4711\"\n\n\
    A session whose end (revoke) action fails shows Failed to Revoke and the broker keeps\n\
    retrying the action. Resolving it stops the retries and closes it as Failed; the note\n\
    and who resolved it go to the session's log.")]
pub struct ResolveArgs {
    /// The session: a full ID or a unique prefix
    #[arg(value_name = "ID")]
    pub id: String,

    /// What was done about the access (required; it goes to the session's log)
    #[arg(long, value_name = "TEXT")]
    pub note: String,
}

pub async fn run(context: &Context, args: ResolveArgs) -> Result<(), CliError> {
    if args.note.trim().is_empty() {
        return Err(CliError::usage(
            "--note is empty: say what was done about the access",
        ));
    }
    let client = context.client()?;
    let id = ids::resolve_one(&client, &args.id).await?;
    let session = client.resolve_session(id, &args.note).await?;
    let state = session_state(&session, Utc::now());
    if context.output.is_json() {
        return context.output.json(&session_json(&session, state)?);
    }
    println!("Resolved {id}: it is closed as {state}; its end action will not run again.");
    Ok(())
}
