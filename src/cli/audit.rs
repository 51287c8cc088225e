//! `pamctl audit list` (through the API, admins only) and `pamctl audit verify` (offline:
//! straight from the database, no broker needed).

use std::path::Path;

use clap::Subcommand;
use serde::Serialize;

use super::context::Context;
use super::error::{CliError, ExitKind};
use super::output::Output;
use super::when::{When, parse_when};
use crate::broker::audit::{ChainReport, read_audit_key, verify_chain};
use crate::core::audit::AuditSeal;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// List the audit trail, newest first: sign-ins, privileged actions and refusals (admins)
    #[command(
        after_help = "Examples:\n  pamctl audit list\n  pamctl audit list --user uma --since -1h\n  pamctl audit list --action sign_in --limit 20 -o json\n  pamctl audit list --session 3f2a9c1b-0000-4000-8000-000000000000"
    )]
    List {
        /// Only what this account did (or the login a failed sign-in tried), any case
        #[arg(long, value_name = "NAME")]
        user: Option<String>,
        /// Only this action (sign_in, session.end, refused…), or a family of them (session)
        #[arg(long, value_name = "ACTION")]
        action: Option<String>,
        /// Only records from this time on
        #[arg(long, value_name = "WHEN", value_parser = parse_when, allow_hyphen_values = true)]
        since: Option<When>,
        /// Only records up to this time
        #[arg(long, value_name = "WHEN", value_parser = parse_when, allow_hyphen_values = true)]
        until: Option<When>,
        /// Only records about this session (its full ID)
        #[arg(long, value_name = "ID")]
        session: Option<uuid::Uuid>,
        /// At most this many records (1 to 1000)
        #[arg(long, value_name = "N", default_value_t = 50,
              value_parser = clap::value_parser!(u64).range(1..=1000))]
        limit: u64,
    },
    /// Check the audit trail's hash chain offline, straight from the database: names the
    /// first edited, deleted or moved row and exits 1
    #[command(
        after_help = "Examples:\n  pamctl audit verify --database /var/lib/pamctl/pamctl.db\n  pamctl audit verify --database sqlite:///backup/pamctl.db --key file:/etc/pamctl/audit.key\n  pamctl audit verify --database postgres://auditor@db/pamctl --key env:PAMCTL_AUDIT_KEY"
    )]
    Verify {
        /// The database: a SQLite file (path or sqlite://PATH) or postgres://USER@HOST/DB
        #[arg(long, value_name = "URL")]
        database: String,
        /// The chain's key when the broker has `[audit] key`: file:PATH or env:NAME
        #[arg(long, value_name = "SOURCE")]
        key: Option<String>,
    },
}

pub async fn run(context: &Context, command: AuditCommand) -> Result<(), CliError> {
    match command {
        AuditCommand::List {
            user,
            action,
            since,
            until,
            session,
            limit,
        } => {
            let now = chrono::Utc::now();
            let mut query = vec![("take", limit.to_string())];
            let mut add = |name, value: Option<String>| {
                if let Some(value) = value {
                    query.push((name, value));
                }
            };
            let time = |when: When| {
                when.at(now)
                    .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
            };
            add("user", user);
            add("action", action);
            add("since", since.map(time));
            add("until", until.map(time));
            add("session", session.map(|id| id.to_string()));
            list(context, &query).await
        }
        AuditCommand::Verify { database, key } => {
            verify(&context.output, &database, key.as_deref()).await
        }
    }
}

async fn list(context: &Context, query: &[(&str, String)]) -> Result<(), CliError> {
    let page = context.client()?.audit_page(query).await?;
    if context.output.is_json() {
        return context.output.json(&page.data);
    }
    let rows = page
        .data
        .iter()
        .map(|entry| {
            vec![
                entry.seq.to_string(),
                context.output.time(Some(entry.at)),
                entry.actor.clone().unwrap_or_default(),
                entry.source.clone().unwrap_or_default(),
                entry.action.clone(),
                entry.target.clone().unwrap_or_default(),
                entry.outcome.clone(),
                entry.detail.clone().unwrap_or_default(),
            ]
        })
        .collect();
    context.output.table(
        &[
            "Seq", "When", "Who", "From", "Action", "Target", "Outcome", "Detail",
        ],
        rows,
        "No audit records match.",
    );
    if page.records_total > page.data.len() as u64 {
        context.output.note(&format!(
            "showing the newest {} of {} records; narrow the filters or raise --limit",
            page.data.len(),
            page.records_total
        ));
    }
    Ok(())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VerifyResult {
    intact: bool,
    checked: u64,
    last_good_seq: Option<i64>,
    broken_seq: Option<i64>,
    problem: Option<String>,
    /// Events queued (PostgreSQL) that no broker has chained yet: not checked.
    unchained: u64,
}

async fn verify(output: &Output, database: &str, key: Option<&str>) -> Result<(), CliError> {
    let url = database_url(database)?;
    let seal = match key {
        Some(source) => read_audit_key(source)
            .map_err(|message| CliError::usage(format!("--key: {message}")))?,
        None => AuditSeal::unkeyed(),
    };
    let store = crate::store::open(Some(&url), Path::new("."))
        .await
        .map_err(|e| CliError::failure(format!("cannot open the database: {e}")))?;
    let report = verify_chain(store.as_ref(), seal)
        .await
        .map_err(|e| CliError::failure(format!("cannot read the audit trail: {e}")))?;
    report_verification(output, &report)
}

fn report_verification(output: &Output, report: &ChainReport) -> Result<(), CliError> {
    if output.is_json() {
        output.json(&VerifyResult {
            intact: report.broken.is_none(),
            checked: report.checked,
            last_good_seq: report.last_seq,
            broken_seq: report.broken.as_ref().map(|b| b.seq()),
            problem: report.broken.as_ref().map(ToString::to_string),
            unchained: report.unchained,
        })?;
    } else if report.unchained > 0 {
        let events = if report.unchained == 1 {
            "event waits"
        } else {
            "events wait"
        };
        output.note(&format!(
            "not checked: {} newer {events} for a running broker to chain them",
            report.unchained
        ));
    }
    match &report.broken {
        None => {
            if !output.is_json() {
                println!(
                    "The audit chain is intact: {} rows checked{}.",
                    report.checked,
                    report
                        .last_seq
                        .map(|seq| format!(" (rows 1 to {seq})"))
                        .unwrap_or_default()
                );
            }
            Ok(())
        }
        Some(broken) => Err(CliError::new(
            ExitKind::Failure,
            format!(
                "the audit chain is broken at row {}: {broken} ({} rows before it are intact)",
                broken.seq(),
                report.checked
            ),
        )
        .hint(
            "restore the database from a backup to see what the row said; with a keyed chain, check that --key is the broker's [audit] key",
        )),
    }
}

/// A database URL from what was given: a plain path is a SQLite file. A SQLite file must
/// exist: opening it would otherwise create an empty one, which verifies as intact.
fn database_url(database: &str) -> Result<String, CliError> {
    if crate::store::is_postgres_url(database) {
        return Ok(database.to_owned());
    }
    let path = database
        .strip_prefix("sqlite://")
        .or_else(|| database.strip_prefix("sqlite:"))
        .unwrap_or(database);
    let path = path.split('?').next().unwrap_or(path);
    if !Path::new(path).is_file() {
        return Err(CliError::new(
            ExitKind::NotFound,
            format!("no database file at {path}"),
        )
        .hint("give the broker's SQLite file (pamctl.db in its data directory) or a postgres:// URL"));
    }
    Ok(format!("sqlite://{path}"))
}
