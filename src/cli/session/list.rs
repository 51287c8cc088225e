//! `pamctl session list`: the Active dashboard (or, with `--history`, every session).

use std::io::Write;
use std::time::Duration;

use chrono::{Local, Utc};
use clap::Args;

use super::filter::{FilterArgs, Scope, SortField, select, sort};
use super::view::{Row, print_table, summary_json};
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::client::Client;

/// List sessions: those not finished yet, or with --history all of them
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    pamctl session list\n  \
    pamctl session list --mine --history --sort start --desc\n  \
    pamctl session list --status \"waiting for approval\" --status scheduled\n  \
    pamctl session list --resource web01 --since -24h --history -o json\n  \
    pamctl session list --user uma -q | pamctl session end - --yes\n  \
    pamctl session list --watch")]
pub struct ListArgs {
    #[command(flatten)]
    pub filters: FilterArgs,

    /// Include finished sessions (Complete, Failed, Cancelled, Denied, Approval Failed)
    #[arg(long)]
    pub history: bool,

    /// Sort by this column
    #[arg(long, value_enum, value_name = "FIELD", default_value = "requested")]
    pub sort: SortField,

    /// Sort in descending order
    #[arg(long)]
    pub desc: bool,

    /// Show at most N sessions; 0 shows all
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub limit: usize,

    /// Print only the full IDs, one per line (to pipe into `session end -`)
    #[arg(short = 'q', long = "ids", conflicts_with = "watch")]
    pub ids: bool,

    /// Redraw the table every SECS seconds on a terminal until Ctrl-C
    #[arg(long, value_name = "SECS", num_args = 0..=1, default_missing_value = "2")]
    pub watch: Option<u64>,
}

impl ListArgs {
    fn scope(&self) -> Scope {
        // An explicit --status says which sessions are meant, finished or not.
        if self.history || !self.filters.status.is_empty() {
            Scope::All
        } else {
            Scope::Unfinished
        }
    }
}

pub async fn run(context: &Context, args: ListArgs) -> Result<(), CliError> {
    let client = context.client()?;
    match args.watch {
        Some(seconds) => watch(context, &client, &args, seconds).await,
        None => list_once(context, &client, &args).await,
    }
}

async fn list_once(context: &Context, client: &Client, args: &ListArgs) -> Result<(), CliError> {
    let mut sessions = select(context, client, &args.filters, args.scope()).await?;
    sort(&mut sessions, args.sort, args.desc);
    let total = sessions.len();
    if args.limit > 0 && total > args.limit {
        sessions.truncate(args.limit);
        context.output.note(&format!(
            "Showing {} of {total} sessions; --limit 0 shows all.",
            args.limit
        ));
    }
    let now = Utc::now();
    if args.ids {
        for session in &sessions {
            println!("{}", session.id);
        }
        return Ok(());
    }
    if context.output.is_json() {
        let objects = sessions
            .iter()
            .map(|s| summary_json(s, now))
            .collect::<Result<Vec<_>, _>>()?;
        return context.output.json(&objects);
    }
    let rows: Vec<Row> = sessions.iter().map(|s| Row::of_summary(s, now)).collect();
    let empty = if args.history || !args.filters.is_empty() {
        "No sessions match."
    } else {
        "No active sessions (--history shows finished ones too)."
    };
    print_table(&context.output, &rows, empty);
    Ok(())
}

async fn watch(
    context: &Context,
    client: &Client,
    args: &ListArgs,
    seconds: u64,
) -> Result<(), CliError> {
    if !context.output.on_terminal() || context.output.is_json() {
        return Err(
            CliError::usage("--watch redraws a table, so it needs a terminal").hint(
                "run it in a terminal without -o json; scripts can poll `pamctl session list -o json`",
            ),
        );
    }
    let every = Duration::from_secs(seconds.max(1));
    let redraw = async {
        loop {
            // Clear the screen and go home, then draw: the dashboards' Refresh.
            print!("\x1b[H\x1b[2J");
            println!(
                "Every {}s: pamctl session list    {}",
                every.as_secs(),
                Local::now().format("%Y-%m-%d %H:%M:%S")
            );
            println!();
            if let Err(error) = list_once(context, client, args).await {
                context.output.report_error(&error);
            }
            std::io::stdout().flush()?;
            tokio::time::sleep(every).await;
        }
    };
    // Ctrl-C is listened for from the start: a press while a refresh runs must count too.
    tokio::select! {
        result = redraw => result,
        _ = tokio::signal::ctrl_c() => Ok(()),
    }
}
