//! `pamctl session password` and `pamctl session connect`: the database role of a live
//! session, for its requester. The password goes to stdout, a clipboard, or the client's
//! environment; never to a command line, where other users of the machine could read it.

use std::io::Write;
use std::process::Stdio;

use clap::Args;

use super::ids;
use crate::cli::context::Context;
use crate::cli::error::CliError;

/// Print the password of your live database session (or copy it with --copy)
///
/// Only the session's requester may see it, and every view is written in the session's log
/// with who, when and from where.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    pamctl session password 3f2a9c1b\n  \
    pamctl session password 3f2a9c1b --copy")]
pub struct PasswordArgs {
    /// The session: a full ID or a unique prefix
    #[arg(value_name = "ID")]
    pub id: String,

    /// Copy it to the clipboard (wl-copy, xclip, xsel or pbcopy) instead of printing it
    #[arg(long)]
    pub copy: bool,
}

/// Open psql (or $PAMCTL_PSQL) on your live database session as its role
///
/// The connection's details and password reach the client through its environment (PGHOST,
/// PGPORT, PGDATABASE, PGUSER, PGPASSWORD), never its command line. Arguments after `--` go
/// to the client.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    pamctl session connect 3f2a9c1b\n  \
    pamctl session connect 3f2a9c1b -- -c 'SELECT current_user'")]
pub struct ConnectArgs {
    /// The session: a full ID or a unique prefix
    #[arg(value_name = "ID")]
    pub id: String,

    /// Arguments for the client (after --)
    #[arg(last = true, value_name = "ARGS")]
    pub client_args: Vec<String>,
}

/// Clipboard programs tried in order; each reads the text on stdin.
const CLIPBOARDS: &[(&str, &[&str])] = &[
    ("wl-copy", &[]),
    ("xclip", &["-selection", "clipboard"]),
    ("xsel", &["--clipboard", "--input"]),
    ("pbcopy", &[]),
];

pub async fn password(context: &Context, args: PasswordArgs) -> Result<(), CliError> {
    let client = context.client()?;
    let id = ids::resolve_one(&client, &args.id).await?;
    let password = client.session_password(id).await?;
    if args.copy {
        let program = copy_to_clipboard(&password)?;
        eprintln!("Copied the password of session {id} to the clipboard (with {program}).");
        return Ok(());
    }
    println!("{password}");
    Ok(())
}

fn copy_to_clipboard(text: &str) -> Result<&'static str, CliError> {
    for (program, args) in CLIPBOARDS {
        let Ok(mut child) = std::process::Command::new(program)
            .args(*args)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
        else {
            continue;
        };
        let written = child
            .stdin
            .take()
            .is_some_and(|mut stdin| stdin.write_all(text.as_bytes()).is_ok());
        if written && child.wait().is_ok_and(|status| status.success()) {
            return Ok(program);
        }
    }
    Err(
        CliError::failure("no clipboard here: none of wl-copy, xclip, xsel or pbcopy works")
            .hint("print the password instead (leave out --copy), or use `pamctl session connect`"),
    )
}

pub async fn connect(context: &Context, args: ConnectArgs) -> Result<(), CliError> {
    let client = context.client()?;
    let id = ids::resolve_one(&client, &args.id).await?;
    let connection = client.session_connection(id).await?;
    let password = client.session_password(id).await?;
    let program = std::env::var("PAMCTL_PSQL")
        .ok()
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| "psql".to_owned());
    let status = tokio::process::Command::new(&program)
        .args(&args.client_args)
        .env("PGHOST", &connection.host)
        .env("PGPORT", connection.port.to_string())
        .env("PGDATABASE", &connection.database)
        .env("PGUSER", &connection.user)
        .env("PGPASSWORD", &password)
        .status()
        .await
        .map_err(|e| {
            CliError::failure(format!("cannot start {program}: {e}"))
                .hint("install the PostgreSQL client, or name one in $PAMCTL_PSQL")
        })?;
    if status.success() {
        Ok(())
    } else {
        Err(CliError::failure(format!(
            "{program} ended with {}",
            status
                .code()
                .map_or("a signal".to_owned(), |c| format!("exit status {c}"))
        )))
    }
}
