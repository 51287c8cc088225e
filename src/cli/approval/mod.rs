//! `pamctl approval ...`: the reviewer's side of approval workflows. List what waits for your
//! decision, approve it or deny it. The broker enforces who may decide; these commands only
//! ask and report. One file per command; this module only lists and dispatches.

mod decide;
mod list;
mod statement;

use clap::Subcommand;

use super::context::Context;
use super::error::CliError;

#[derive(Debug, Subcommand)]
pub enum ApprovalCommand {
    List(list::ListArgs),
    Approve(decide::ApproveArgs),
    Deny(decide::DenyArgs),
}

pub async fn run(context: &Context, command: ApprovalCommand) -> Result<(), CliError> {
    match command {
        ApprovalCommand::List(args) => list::run(context, args).await,
        ApprovalCommand::Approve(args) => decide::approve(context, args).await,
        ApprovalCommand::Deny(args) => decide::deny(context, args).await,
    }
}
