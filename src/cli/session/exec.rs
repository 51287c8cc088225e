//! `pamctl session exec`, `session activity` and `session rerun`: statements run in a live
//! database session through the broker, as the session's own role, and its activity log.

use std::io::Read;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;
use uuid::Uuid;

use super::ids;
use crate::cli::context::Context;
use crate::cli::error::{CliError, ExitKind};
use crate::cli::output::Output;
use crate::cli::when::parse_dur;
use crate::client::Client;
use crate::wire::statement::{ActivityEntry, FAILED, PENDING_REVIEW, SUCCEEDED};

const WAIT_EVERY: Duration = Duration::from_secs(1);

/// Run a SQL statement in your live database session, as its role, and show the result
///
/// The statement runs through the broker with a statement timeout, and is recorded in the
/// session's activity log (who, when, the SQL, the duration, the rows affected and the first
/// rows of the result). When the activity holds statements for review, it waits as "pending
/// review" until an approver decides (`pamctl approval approve ID --statement ENTRY`); with
/// --wait pamctl follows it until it has run. The exit status is non-zero when the statement
/// failed (1) or was denied (5).
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    pamctl session exec 3f2a9c1b \"SELECT id, name FROM customers LIMIT 5\"\n  \
    pamctl session exec 3f2a9c1b -f fix.sql --wait\n  \
    echo \"SELECT now()\" | pamctl session exec 3f2a9c1b - -o json")]
pub struct ExecArgs {
    /// The session: a full ID or a unique prefix
    #[arg(value_name = "ID")]
    pub id: String,

    /// The statement; `-` reads it from stdin
    #[arg(
        value_name = "SQL",
        required_unless_present = "file",
        conflicts_with = "file"
    )]
    pub sql: Option<String>,

    /// Read the statement from FILE
    #[arg(long, short = 'f', value_name = "FILE")]
    pub file: Option<PathBuf>,

    /// Follow a statement held for review until it is decided and has run
    #[arg(long)]
    pub wait: bool,

    /// With --wait: give up after this long (exit 7) [default: no limit]
    #[arg(long, value_name = "DUR", value_parser = parse_dur, requires = "wait")]
    pub wait_timeout: Option<Duration>,
}

/// Show a session's activity log: the statements run in it through the broker
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    pamctl session activity 3f2a9c1b\n  \
    pamctl session activity 3f2a9c1b -o json")]
pub struct ActivityArgs {
    /// The session: a full ID or a unique prefix
    #[arg(value_name = "ID")]
    pub id: String,
}

/// Run a statement of the activity log again in your live session
///
/// The new entry points to the original (rerunOf), and is held for review again when the
/// activity requires it.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    pamctl session rerun 3f2a9c1b 12\n  \
    pamctl session rerun 3f2a9c1b 12 --wait -o json")]
pub struct RerunArgs {
    /// The session: a full ID or a unique prefix
    #[arg(value_name = "ID")]
    pub id: String,

    /// The activity log entry to run again (see `pamctl session activity ID`)
    #[arg(value_name = "ENTRY")]
    pub entry: i64,

    /// Follow a statement held for review until it is decided and has run
    #[arg(long)]
    pub wait: bool,

    /// With --wait: give up after this long (exit 7) [default: no limit]
    #[arg(long, value_name = "DUR", value_parser = parse_dur, requires = "wait")]
    pub wait_timeout: Option<Duration>,
}

fn read_sql(args: &ExecArgs) -> Result<String, CliError> {
    let sql = match (&args.file, args.sql.as_deref()) {
        (Some(path), _) => std::fs::read_to_string(path).map_err(|e| {
            CliError::usage(format!("cannot read {}: {e}", path.display()))
                .hint("give a readable file of SQL with -f, or the statement itself")
        })?,
        (None, Some("-")) => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).map_err(|e| {
                CliError::usage(format!("cannot read the statement from stdin: {e}"))
            })?;
            text
        }
        (None, Some(sql)) => sql.to_owned(),
        (None, None) => String::new(),
    };
    if sql.trim().is_empty() {
        return Err(CliError::usage("the statement is empty")
            .hint("give it as an argument, with -f FILE, or on stdin with -"));
    }
    Ok(sql)
}

pub async fn exec(context: &Context, args: ExecArgs) -> Result<(), CliError> {
    let sql = read_sql(&args)?;
    let client = context.client()?;
    let id = ids::resolve_one(&client, &args.id).await?;
    let entry = client.exec_statement(id, &sql).await?;
    finish(context, &client, id, entry, args.wait, args.wait_timeout).await
}

pub async fn rerun(context: &Context, args: RerunArgs) -> Result<(), CliError> {
    let client = context.client()?;
    let id = ids::resolve_one(&client, &args.id).await?;
    let entry = client.rerun_statement(id, args.entry).await?;
    finish(context, &client, id, entry, args.wait, args.wait_timeout).await
}

/// Follows a held entry when asked, shows it, and turns its outcome into the exit status.
async fn finish(
    context: &Context,
    client: &Client,
    session: Uuid,
    mut entry: ActivityEntry,
    wait: bool,
    wait_timeout: Option<Duration>,
) -> Result<(), CliError> {
    let output = &context.output;
    if wait && !entry.is_final() {
        output.note(&format!(
            "Statement {} is {}; waiting for it to be decided and run…",
            entry.id, entry.status
        ));
        let started = Instant::now();
        while !entry.is_final() {
            if wait_timeout.is_some_and(|limit| started.elapsed() >= limit) {
                show_entry(output, &entry)?;
                return Err(CliError::new(
                    ExitKind::WaitTimeout,
                    format!("statement {} is still {}", entry.id, entry.status),
                )
                .hint(format!(
                    "follow it with `pamctl session activity {session}`"
                )));
            }
            tokio::time::sleep(WAIT_EVERY).await;
            entry = client.activity_entry(session, entry.id).await?;
        }
    }
    show_entry(output, &entry)?;
    match entry.status.as_str() {
        SUCCEEDED => Ok(()),
        PENDING_REVIEW => {
            output.note(&format!(
                "Statement {} is held for review: an approver decides it with `pamctl approval approve {session} --statement {}`; follow it with `pamctl session activity {session}`.",
                entry.id, entry.id
            ));
            Ok(())
        }
        "denied" => Err(CliError::new(
            ExitKind::Refused,
            format!(
                "statement {} was denied{}",
                entry.id,
                entry
                    .review_reason
                    .as_deref()
                    .map(|r| format!(": {r}"))
                    .unwrap_or_default()
            ),
        )),
        FAILED | "interrupted" => Err(CliError::failure(format!(
            "statement {} {}: {}",
            entry.id,
            entry.status,
            entry.error.as_deref().unwrap_or("no reason given")
        ))),
        // Approved or running, without --wait.
        _ => {
            output.note(&format!(
                "Statement {} is {}; follow it with `pamctl session activity {session}`.",
                entry.id, entry.status
            ));
            Ok(())
        }
    }
}

/// An entry's result: its rows as a table and a summary line, or its JSON.
fn show_entry(output: &Output, entry: &ActivityEntry) -> Result<(), CliError> {
    if output.is_json() {
        return output.json(entry);
    }
    if !entry.columns.is_empty() {
        let headers: Vec<&str> = entry.columns.iter().map(String::as_str).collect();
        let rows = entry
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|cell| cell.clone().unwrap_or_else(|| "NULL".to_owned()))
                    .collect()
            })
            .collect();
        output.table(&headers, rows, "(no rows)");
    }
    let mut summary = format!("Statement {}: {}", entry.id, entry.status);
    if let Some(total) = entry.total_rows
        && total > entry.rows.len() as u64
    {
        summary.push_str(&format!(", {total} rows ({} shown)", entry.rows.len()));
    } else if let Some(rows) = entry.rows_affected {
        summary.push_str(&format!(", {rows} rows"));
    }
    if let Some(ms) = entry.duration_ms {
        summary.push_str(&format!(" in {ms} ms"));
    }
    output.note(&summary);
    Ok(())
}

const ACTIVITY_COLUMNS: [&str; 8] = [
    "Entry",
    "Requested",
    "By",
    "Status",
    "Rows",
    "Duration",
    "Rerun of",
    "SQL",
];

pub async fn activity(context: &Context, args: ActivityArgs) -> Result<(), CliError> {
    let client = context.client()?;
    let id = ids::resolve_one(&client, &args.id).await?;
    let entries = client.activity_log(id).await?;
    let output = &context.output;
    if output.is_json() {
        return output.json(&entries);
    }
    let rows = entries
        .iter()
        .map(|entry| {
            vec![
                entry.id.to_string(),
                output.time(Some(entry.requested_date_time_utc)),
                entry.requested_by_user_name.clone(),
                match &entry.error {
                    Some(error) => format!("{}: {error}", entry.status),
                    None => entry.status.clone(),
                },
                entry
                    .rows_affected
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                entry
                    .duration_ms
                    .map(|ms| format!("{ms} ms"))
                    .unwrap_or_default(),
                entry.rerun_of.map(|n| n.to_string()).unwrap_or_default(),
                entry.sql.split_whitespace().collect::<Vec<_>>().join(" "),
            ]
        })
        .collect();
    output.table(
        &ACTIVITY_COLUMNS,
        rows,
        "No statements were run in this session through pamctl.",
    );
    Ok(())
}
