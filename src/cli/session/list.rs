//! `pamctl session list`: the Active dashboard (or, with `--history`, every session).

use std::io::{IsTerminal, Write};
use std::time::Duration;

use chrono::Utc;
use clap::Args;

use super::filter::{FilterArgs, Order, Scope, Selection, SortField, select};
use super::view::{Row, print_table, summary_json};
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::client::Client;
use crate::wire::session::SessionSummary;

/// List sessions: those not finished yet, or with --history all of them
///
/// Newest request first unless --sort or --asc say otherwise. The table shows 50 (with a line
/// saying how many more match); -q, and JSON into a pipe or file, list every match.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    pamctl session list\n  \
    pamctl session list --mine --history --sort start --desc\n  \
    pamctl session list --history --asc --limit 0\n  \
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

    /// Sort by this column, ascending unless --desc [default: newest request first]
    #[arg(long, value_enum, value_name = "FIELD")]
    pub sort: Option<SortField>,

    /// Sort in descending order
    #[arg(long, conflicts_with = "asc")]
    pub desc: bool,

    /// Sort in ascending order (with no --sort: oldest request first)
    #[arg(long)]
    pub asc: bool,

    /// Show at most N sessions; 0 shows all. The table (and JSON on a terminal) shows 50
    /// unless told; -q, and JSON into a pipe or file, give every match unless told
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,

    /// Print only the full IDs of every match, one per line (to pipe into `session end -`)
    #[arg(short = 'q', long = "ids", conflicts_with = "watch")]
    pub ids: bool,

    /// Redraw the table every SECS seconds on a terminal until Ctrl-C
    #[arg(long, value_name = "SECS", num_args = 0..=1, default_missing_value = "2")]
    pub watch: Option<u64>,
}

/// Rows a table shows unless `--limit` says otherwise.
const TABLE_LIMIT: usize = 50;

impl ListArgs {
    fn order(&self) -> Order {
        match self.sort {
            None if !self.asc => Order::NEWEST_FIRST,
            field => Order {
                field: field.unwrap_or(SortField::Requested),
                descending: self.desc,
            },
        }
    }

    /// How many to show (None: all). Output for pipes (`-q`, JSON off a terminal) is every
    /// match, so that `list -q | end -` ends everything the filters select.
    fn limit(&self, context: &Context) -> Option<usize> {
        let for_pipes = self.ids || (context.output.is_json() && !std::io::stdout().is_terminal());
        match self.limit {
            Some(0) => None,
            Some(limit) => Some(limit),
            None if for_pipes => None,
            None => Some(TABLE_LIMIT),
        }
    }

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
    let limit = args.limit(context);
    let Selection { sessions, total } = select(
        context,
        client,
        &args.filters,
        args.scope(),
        args.order(),
        limit,
    )
    .await?;
    let more = total.saturating_sub(sessions.len());
    let now = Utc::now();
    if args.ids {
        print_ids(&sessions)?;
        if more > 0 {
            context
                .output
                .note(&format!("… and {more} more (--limit 0 shows all)"));
        }
        return Ok(());
    }
    if context.output.is_json() {
        let objects = sessions
            .iter()
            .map(|s| summary_json(s, now))
            .collect::<Result<Vec<_>, _>>()?;
        if more > 0 {
            context
                .output
                .note(&format!("… and {more} more (--limit 0 shows all)"));
        }
        return context.output.json(&objects);
    }
    let rows: Vec<Row> = sessions.iter().map(|s| Row::of_summary(s, now)).collect();
    let empty = if args.history || !args.filters.is_empty() {
        "No sessions match."
    } else {
        "No active sessions (--history shows finished ones too)."
    };
    print_table(&context.output, &rows, empty);
    if more > 0 {
        // On stdout, under the table: a limit that hides sessions is never silent.
        println!("… and {more} more (--limit 0 shows all)");
    }
    Ok(())
}

/// One full ID per line. A reader that stops early (`| head -n 1`) is no error.
fn print_ids(sessions: &[SessionSummary]) -> Result<(), CliError> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = sessions
        .iter()
        .try_for_each(|s| writeln!(out, "{}", s.id))
        .and_then(|()| out.flush());
    match written {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
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
                context.output.time_precise(Utc::now())
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
