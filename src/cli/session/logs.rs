//! `pamctl session logs`: the session's log, every page of it, and with `--follow` the new
//! lines as they come until the session is finished.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::Utc;
use clap::{Args, ValueEnum};
use uuid::Uuid;

use super::ids;
use super::view::{details_json, summary_state, summary_user};
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::output::{Output, printable};
use crate::cli::when::{When, parse_when};
use crate::client::{Client, LogQuery};
use crate::wire::session::LogLine;

const FOLLOW_EVERY: Duration = Duration::from_secs(1);
const PAGE: u64 = 500;

/// Print a session's log: every transition, action run, lock, extension and end
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    pamctl session logs 3f2a9c1b\n  \
    pamctl session logs 3f2a9c1b --follow\n  \
    pamctl session logs 3f2a9c1b --level warning --since -1h\n  \
    pamctl session logs 3f2a9c1b --since \"2026-11-25 09:00\" --until \"2026-11-25 10:00\"\n  \
    pamctl session logs 3f2a9c1b --search grant -o json\n  \
    pamctl session logs 3f2a9c1b --download 3f2a9c1b.json\n\n\
    With -o json the lines are a JSON array; with --follow, one JSON object per line.\n\
    --download writes the session's details, its log and its activity log to a file (JSON; text for a .txt name).")]
pub struct LogsArgs {
    /// The session: a full ID or a unique prefix
    #[arg(value_name = "ID")]
    pub id: String,

    /// Keep printing new lines (checking every second) until the session is finished
    #[arg(long, short = 'f')]
    pub follow: bool,

    /// Only lines of this level and above
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub level: Option<Level>,

    /// Only lines from WHEN on: now, RFC 3339, "YYYY-MM-DD HH:MM" (local), or -DUR
    #[arg(long, value_name = "WHEN", value_parser = parse_when, allow_hyphen_values = true)]
    pub since: Option<When>,

    /// Only lines up to WHEN: now, RFC 3339, "YYYY-MM-DD HH:MM" (local), or -DUR
    #[arg(long, value_name = "WHEN", value_parser = parse_when, allow_hyphen_values = true,
          conflicts_with = "follow")]
    pub until: Option<When>,

    /// Only lines containing TEXT (any case)
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,

    /// Write the session's details, its log and its activity log (statements) to FILE instead
    /// of printing the log: JSON, or text for a name ending in .txt (the filters above apply
    /// to the log)
    #[arg(long, value_name = "FILE", conflicts_with = "follow")]
    pub download: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Level {
    Debug,
    Info,
    #[value(alias = "warn")]
    Warning,
    Error,
}

impl Level {
    /// The contract's `logLevel` names.
    fn wire(self) -> &'static str {
        match self {
            Level::Debug => "Debug",
            Level::Info => "Info",
            Level::Warning => "Warn",
            Level::Error => "Error",
        }
    }
}

/// Every line from `skip` on, page by page.
async fn lines_from(
    client: &Client,
    id: Uuid,
    base: &LogQuery,
    skip: u64,
) -> Result<Vec<LogLine>, CliError> {
    let mut lines = Vec::new();
    loop {
        let query = LogQuery {
            skip: skip + lines.len() as u64,
            take: Some(PAGE),
            ..base.clone()
        };
        let page = client.session_log(id, &query).await?;
        let received = page.lines.len() as u64;
        lines.extend(page.lines);
        if received == 0 || skip + lines.len() as u64 >= page.total_count {
            return Ok(lines);
        }
    }
}

fn print_line(output: &Output, line: &LogLine) -> Result<(), CliError> {
    if output.is_json() {
        let text = serde_json::to_string(line)
            .map_err(|e| CliError::failure(format!("cannot write JSON: {e}")))?;
        println!("{text}");
    } else {
        println!(
            "{}  {:<5}  {}",
            output.time_precise(line.timestamp),
            line.status.to_string().to_uppercase(),
            printable(&line.log_message)
        );
    }
    Ok(())
}

fn print_activity(output: &Output, entry: &crate::wire::statement::ActivityEntry) {
    println!(
        "{}  {:<5}  #{} {} by {}{}: {}",
        output.time_precise(entry.requested_date_time_utc),
        "SQL",
        entry.id,
        entry.status,
        entry.requested_by_user_name,
        entry
            .rows_affected
            .map(|n| format!(" ({n} rows)"))
            .unwrap_or_default(),
        printable(&entry.sql.split_whitespace().collect::<Vec<_>>().join(" "))
    );
}

pub async fn run(context: &Context, args: LogsArgs) -> Result<(), CliError> {
    let client = context.client()?;
    let id = ids::resolve_one(&client, &args.id).await?;
    let query = LogQuery {
        level: args.level.map(|l| l.wire().to_owned()),
        filter_text: args.search.clone(),
        start_date: args.since.map(When::resolve),
        end_date: args.until.map(When::resolve),
        ..LogQuery::default()
    };
    let output = &context.output;
    let lines = lines_from(&client, id, &query, 0).await?;
    if let Some(path) = &args.download {
        return download(context, &client, id, &lines, path).await;
    }
    if !args.follow {
        if output.is_json() {
            return output.json(&lines);
        }
        if lines.is_empty() {
            output.note("No log lines match.");
        }
        // Unfiltered, the activity log's statements come in among the lines, by time.
        let unfiltered = args.level.is_none()
            && args.search.is_none()
            && args.since.is_none()
            && args.until.is_none();
        let mut activity = if unfiltered {
            client.activity_log(id).await.unwrap_or_default()
        } else {
            Vec::new()
        };
        activity.reverse();
        for line in &lines {
            while activity
                .last()
                .is_some_and(|entry| entry.requested_date_time_utc < line.timestamp)
            {
                print_activity(output, &activity.pop().expect("checked"));
            }
            print_line(output, line)?;
        }
        while let Some(entry) = activity.pop() {
            print_activity(output, &entry);
        }
        return Ok(());
    }

    let mut seen = lines.len() as u64;
    let mut last_number = lines.last().map(|l| l.line_number);
    for line in &lines {
        print_line(output, line)?;
    }
    loop {
        let finished = summary_state(&client.session_summary(id).await?, Utc::now()).is_final();
        // Read once more after seeing it finished, so the last lines are not missed.
        let new = lines_from(&client, id, &query, seen).await?;
        seen += new.len() as u64;
        for line in &new {
            if last_number.is_none_or(|last| line.line_number > last) {
                print_line(output, line)?;
                last_number = Some(line.line_number);
            }
        }
        if finished {
            return Ok(());
        }
        tokio::time::sleep(FOLLOW_EVERY).await;
    }
}

/// `--download FILE`: the session (its summary with what only the session has, and `state`)
/// and its log lines, as one JSON document or as text for a `.txt` name. The file is written
/// whole or not at all (a temporary file renamed into place).
async fn download(
    context: &Context,
    client: &Client,
    id: Uuid,
    lines: &[LogLine],
    path: &Path,
) -> Result<(), CliError> {
    let (summary, session, activity) = tokio::join!(
        client.session_summary(id),
        client.session(id),
        client.activity_log(id)
    );
    let summary = summary?;
    let session = session.ok();
    // The activity log of statements is a pamctl extension: a server without it has none.
    let activity = match activity {
        Ok(entries) => entries,
        Err(error) if matches!(error.status(), Some(404 | 405)) => Vec::new(),
        Err(error) => return Err(error.into()),
    };
    let now = Utc::now();
    let text = path
        .extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("txt"));
    let contents = if text {
        let state = summary_state(&summary, now);
        let field = |value: Option<&str>| printable(value.unwrap_or("")).into_owned();
        let time = |value: Option<chrono::DateTime<Utc>>| {
            value.map_or_else(String::new, |t| {
                t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            })
        };
        let mut out = String::new();
        for (name, value) in [
            ("Session", id.to_string()),
            ("State", state.word().to_owned()),
            ("Requested by", field(summary_user(&summary))),
            ("Activity", field(summary.activity_name.as_deref())),
            ("Resource", field(summary.managed_resource_name.as_deref())),
            ("Policy", field(summary.access_policy_name.as_deref())),
            (
                "Login account",
                field(summary.login_account_name.as_deref()),
            ),
            ("Created", time(summary.created_date_time_utc)),
            (
                "Start",
                time(
                    summary
                        .actual_start_date_time_utc
                        .or(summary.start_date_time_utc),
                ),
            ),
            (
                "End",
                time(
                    summary
                        .actual_end_date_time_utc
                        .or(summary.end_date_time_utc),
                ),
            ),
            ("Note", field(summary.note.as_deref())),
            ("Ticket", field(summary.ticket.as_deref())),
            (
                "Downloaded",
                now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            ),
        ] {
            out.push_str(&format!("{:<14} {value}\n", format!("{name}:")));
        }
        out.push_str(&format!("\nLog ({} lines)\n", lines.len()));
        for line in lines {
            out.push_str(&format!(
                "{}  {:<5}  {}\n",
                line.timestamp
                    .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                line.status.to_string().to_uppercase(),
                printable(&line.log_message)
            ));
        }
        out.push_str(&format!("\nActivity ({} statements)\n", activity.len()));
        for entry in &activity {
            let outcome = match (&entry.error, entry.rows_affected) {
                (Some(error), _) => format!("error: {}", printable(error)),
                (None, Some(rows)) => format!("{rows} row(s)"),
                (None, None) => String::new(),
            };
            out.push_str(&format!(
                "{}  #{}  {}  {}  {}  {}\n",
                entry
                    .requested_date_time_utc
                    .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                entry.id,
                printable(&entry.requested_by_user_name),
                entry.status,
                printable(&entry.sql),
                outcome
            ));
        }
        out
    } else {
        let details = details_json(&summary, session.as_ref(), now)?;
        let document = serde_json::json!({
            "session": details,
            "log": lines,
            "activity": activity,
            "downloadedDateTimeUtc": now,
        });
        let mut json = serde_json::to_string_pretty(&document)
            .map_err(|e| CliError::failure(format!("cannot write JSON: {e}")))?;
        json.push('\n');
        json
    };
    write_whole(path, contents.as_bytes())?;
    context.output.note(&format!(
        "Wrote session {id}, {} log line(s) and {} statement(s) to {}.",
        lines.len(),
        activity.len(),
        path.display()
    ));
    Ok(())
}

/// Writes `contents` to `path` through a temporary file beside it, so that a failure never
/// leaves half a file where a whole one was asked for.
fn write_whole(path: &Path, contents: &[u8]) -> Result<(), CliError> {
    let cannot = |error: std::io::Error| {
        CliError::failure(format!("cannot write {}: {error}", path.display()))
            .hint("check that the directory exists and that you may write in it")
    };
    let name = path.file_name().ok_or_else(|| {
        CliError::usage(format!("--download {}: not a file name", path.display()))
    })?;
    let mut partial = name.to_owned();
    partial.push(format!(".partial-{}", std::process::id()));
    let temporary = path.with_file_name(partial);
    std::fs::write(&temporary, contents).map_err(cannot)?;
    std::fs::rename(&temporary, path).map_err(|error| {
        let _ = std::fs::remove_file(&temporary);
        cannot(error)
    })
}
