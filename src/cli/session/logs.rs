//! `pamctl session logs`: the session's log, every page of it, and with `--follow` the new
//! lines as they come until the session is finished.

use std::time::Duration;

use chrono::Utc;
use clap::{Args, ValueEnum};
use uuid::Uuid;

use super::ids;
use super::view::summary_state;
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
    pamctl session logs 3f2a9c1b --search grant -o json\n\n\
    With -o json the lines are a JSON array; with --follow, one JSON object per line.")]
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
