//! `pamctl session share`.

use clap::Args;

use super::ids;
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::output::printable;

/// Let other users read a session: its details, log and activity log
///
/// Only the session's requester or an admin may share it. A user it is shared with can read
/// it (`session show`, `session logs`), never act on it. Each share is written to the
/// session's log with who shared it.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    pamctl session share 3f2a9c1b --with rita\n  \
    pamctl session share 3f2a9c1b --with rita --with ravi -o json")]
pub struct ShareArgs {
    /// The session: a full ID or a unique prefix
    #[arg(value_name = "ID")]
    pub id: String,

    /// The user to share it with, by login name (repeat it for several)
    #[arg(long = "with", value_name = "USER", required = true)]
    pub with: Vec<String>,
}

pub async fn run(context: &Context, args: ShareArgs) -> Result<(), CliError> {
    let client = context.client()?;
    let id = ids::resolve_one(&client, &args.id).await?;
    let mut shares = None;
    for user in &args.with {
        shares = Some(client.share_session(id, user).await?);
    }
    let Some(shares) = shares else {
        return Err(CliError::usage("name a user with --with USER"));
    };
    if context.output.is_json() {
        return context.output.json(&shares);
    }
    let names: Vec<String> = shares
        .shared_with
        .iter()
        .map(|name| printable(name).into_owned())
        .collect();
    println!("Shared {id} with {}.", names.join(", "));
    Ok(())
}
