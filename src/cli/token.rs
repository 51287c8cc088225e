//! `pamctl token list|revoke` (admins): the live bearer tokens, and revoking them by ID (the
//! whole sign-in the token belongs to) or every token of a user.

use std::io::IsTerminal;

use clap::{Args, Subcommand};
use serde_json::{Value, json};
use uuid::Uuid;

use super::context::Context;
use super::error::{CliError, ExitKind};
use super::output::printable;
use super::session::bulk::confirm;
use crate::wire::auth::TokenInfo;

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// List the live tokens (admins): who holds them, from where, until when
    #[command(
        after_help = "Examples:\n  pamctl token list\n  pamctl token list --user uma\n  pamctl token list --user uma -o json"
    )]
    List {
        /// Only the tokens of this user or application
        #[arg(long, value_name = "NAME")]
        user: Option<String>,
    },
    /// Revoke tokens (admins): by ID, or every token of a user
    Revoke(RevokeArgs),
}

/// Revoke tokens (admins): by ID, or every token of a user
///
/// Revoking a token by ID revokes the whole sign-in it belongs to (the tokens refreshed from
/// it, and the one it was refreshed from). IDs are full IDs or unique prefixes of the IDs
/// `pamctl token list` shows. On a terminal pamctl asks first; without one it needs --yes.
/// Every item is reported on its own line (with -o json an array of {"id" or "user", "ok",
/// "revoked", "error", "code"}); when items failed the exit status is their shared reason
/// (3 not found, 4 not allowed), or 1 when the reasons differ.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    pamctl token revoke 3f2a9c1b\n  \
    pamctl token revoke --user uma --yes")]
pub struct RevokeArgs {
    /// Token IDs (full or unique prefixes)
    #[arg(value_name = "ID")]
    pub ids: Vec<String>,

    /// Revoke every token of this user or application
    #[arg(long, value_name = "NAME", conflicts_with = "ids")]
    pub user: Option<String>,

    /// Do not ask (needed off a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,
}

pub async fn run(context: &Context, command: TokenCommand) -> Result<(), CliError> {
    match command {
        TokenCommand::List { user } => list(context, user.as_deref()).await,
        TokenCommand::Revoke(args) => revoke(context, args).await,
    }
}

async fn list(context: &Context, user: Option<&str>) -> Result<(), CliError> {
    let client = context.client()?;
    let tokens = client.tokens(user).await?;
    if context.output.is_json() {
        return context.output.json(&tokens);
    }
    let output = &context.output;
    let rows = tokens
        .iter()
        .map(|token| {
            vec![
                token.id.to_string(),
                printable(&token.user_name).into_owned(),
                token.stage.clone(),
                output.time(Some(token.created_date_time_utc)),
                output.time(Some(token.expires_date_time_utc)),
                output.time(Some(token.family_expires_date_time_utc)),
                printable(token.created_from.as_deref().unwrap_or("")).into_owned(),
            ]
        })
        .collect();
    output.table(
        &[
            "ID",
            "User",
            "Stage",
            "Created",
            "Expires",
            "Sign-in Ends",
            "From",
        ],
        rows,
        "No live tokens.",
    );
    Ok(())
}

async fn revoke(context: &Context, args: RevokeArgs) -> Result<(), CliError> {
    if args.ids.is_empty() && args.user.is_none() {
        return Err(
            CliError::usage("which tokens? give token IDs or --user NAME")
                .hint("e.g. pamctl token revoke --user uma; pamctl token list shows the IDs"),
        );
    }
    let client = context.client()?;
    let what = match &args.user {
        Some(user) => format!("every token of {}", printable(user)),
        None if args.ids.len() == 1 => "1 token and the rest of its sign-in".to_owned(),
        None => format!("{} tokens and the rest of their sign-ins", args.ids.len()),
    };
    if !args.yes {
        if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
            return Err(CliError::usage(format!(
                "revoking {what} needs --yes without a terminal to ask on"
            ))
            .hint("add --yes"));
        }
        confirm(format!("Revoke {what}?"), "revoked").await?;
    }

    let mut results: Vec<(Value, Result<u64, CliError>)> = Vec::new();
    if let Some(user) = &args.user {
        let result = client
            .revoke_user_tokens(user)
            .await
            .map(|r| r.revoked)
            .map_err(CliError::from);
        results.push((json!({"user": user}), result));
    } else {
        let live = client.tokens(None).await?;
        for wanted in &args.ids {
            let result = match resolve(&live, wanted) {
                Ok(id) => client
                    .revoke_token_id(id)
                    .await
                    .map(|r| r.revoked)
                    .map_err(CliError::from),
                Err(error) => Err(error),
            };
            results.push((json!({"id": wanted}), result));
        }
    }
    report(context, results)
}

/// A full token ID, or the one live token whose ID starts with `wanted`.
fn resolve(live: &[TokenInfo], wanted: &str) -> Result<Uuid, CliError> {
    let wanted = wanted.trim().to_lowercase();
    if let Ok(id) = Uuid::parse_str(&wanted) {
        return Ok(id);
    }
    if wanted.is_empty() || !wanted.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return Err(CliError::usage(format!(
            "'{}' is not a token ID",
            printable(&wanted)
        )));
    }
    let found: Vec<Uuid> = live
        .iter()
        .map(|t| t.id)
        .filter(|id| id.to_string().starts_with(&wanted))
        .collect();
    match found.as_slice() {
        [id] => Ok(*id),
        [] => Err(CliError::new(
            ExitKind::NotFound,
            format!("no live token with an ID starting with {wanted}"),
        )),
        _ => Err(CliError::usage(format!(
            "{} live tokens have IDs starting with {wanted}; give more of the ID",
            found.len()
        ))),
    }
}

fn report(context: &Context, results: Vec<(Value, Result<u64, CliError>)>) -> Result<(), CliError> {
    let total = results.len();
    let mut items = Vec::with_capacity(total);
    let mut failures = Vec::new();
    for (mut item, result) in results {
        let label = item
            .get("id")
            .or_else(|| item.get("user"))
            .and_then(Value::as_str)
            .map(|s| printable(s).into_owned())
            .unwrap_or_default();
        match result {
            Ok(revoked) => {
                if !context.output.is_json() {
                    let tokens = if revoked == 1 { "token" } else { "tokens" };
                    println!("{label} revoked ({revoked} live {tokens})");
                }
                item["ok"] = json!(true);
                item["revoked"] = json!(revoked);
            }
            Err(error) => {
                if !context.output.is_json() {
                    println!("{label} error: {}", error.message);
                }
                item["ok"] = json!(false);
                item["error"] = json!(error.message);
                item["code"] = json!(error.exit_code());
                failures.push(error.kind);
            }
        }
        items.push(item);
    }
    if context.output.is_json() {
        context.output.json(&items)?;
    }
    if failures.is_empty() {
        return Ok(());
    }
    let kind = match failures.split_first() {
        Some((first, rest)) if rest.iter().all(|k| k == first) => *first,
        _ => ExitKind::Failure,
    };
    Err(CliError::new(
        kind,
        format!("{} of {total} could not be revoked", failures.len()),
    )
    .hint(if total == 1 {
        "the line above says why"
    } else {
        "the lines above say why for each"
    }))
}
