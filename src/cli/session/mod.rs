//! `pamctl session ...`: request, list, watch, extend, lock and end activity sessions. One
//! file per command; this module only lists and dispatches.

mod access;
pub(crate) mod bulk;
mod create;
mod exec;
mod extend;
mod filter;
pub(crate) mod ids;
mod list;
mod logs;
mod resolve;
mod share;
mod show;
pub(crate) mod view;
mod wait;
mod wizard;

use clap::Subcommand;

use super::context::Context;
use super::error::CliError;

#[derive(Debug, Subcommand)]
pub enum SessionCommand {
    Create(create::CreateArgs),
    List(list::ListArgs),
    Show(show::ShowArgs),
    End(bulk::EndArgs),
    Lock(bulk::LockArgs),
    Unlock(bulk::UnlockArgs),
    Extend(extend::ExtendArgs),
    Logs(logs::LogsArgs),
    Resolve(resolve::ResolveArgs),
    Share(share::ShareArgs),
    Wait(wait::WaitArgs),
    Password(access::PasswordArgs),
    Connect(access::ConnectArgs),
    Exec(exec::ExecArgs),
    Activity(exec::ActivityArgs),
    Rerun(exec::RerunArgs),
}

pub async fn run(context: &Context, command: SessionCommand) -> Result<(), CliError> {
    match command {
        SessionCommand::Create(args) => create::run(context, args).await,
        SessionCommand::List(args) => list::run(context, args).await,
        SessionCommand::Show(args) => show::run(context, args).await,
        SessionCommand::End(args) => bulk::end(context, args).await,
        SessionCommand::Lock(args) => bulk::lock(context, args).await,
        SessionCommand::Unlock(args) => bulk::unlock(context, args).await,
        SessionCommand::Extend(args) => extend::run(context, args).await,
        SessionCommand::Logs(args) => logs::run(context, args).await,
        SessionCommand::Resolve(args) => resolve::run(context, args).await,
        SessionCommand::Share(args) => share::run(context, args).await,
        SessionCommand::Wait(args) => wait::run(context, args).await,
        SessionCommand::Password(args) => access::password(context, args).await,
        SessionCommand::Connect(args) => access::connect(context, args).await,
        SessionCommand::Exec(args) => exec::exec(context, args).await,
        SessionCommand::Activity(args) => exec::activity(context, args).await,
        SessionCommand::Rerun(args) => exec::rerun(context, args).await,
    }
}
