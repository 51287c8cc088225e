//! `pamctl session wait`, and the waiting behind `session create --wait`: poll each session's
//! summary until it reaches the goal, report every state change on stderr, and turn an end
//! elsewhere (Denied, Failed...) or a timeout into exit codes 6 and 7.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::Utc;
use clap::{Args, ValueEnum};
use serde_json::json;
use uuid::Uuid;

use super::ids;
use super::view::{summary_json, summary_state};
use crate::cli::context::Context;
use crate::cli::error::{CliError, ExitKind};
use crate::cli::output::{Output, short_id};
use crate::cli::when::{format_dur, parse_dur};
use crate::client::{Client, ClientError};
use crate::wire::session::SessionSummary;
use crate::wire::status::SessionState;

const POLL_EVERY: Duration = Duration::from_millis(500);
/// Network hiccups tolerated in a row before a wait gives up.
const TRANSPORT_RETRIES: u32 = 10;

/// Wait until a session is available, logged in or complete
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    pamctl session wait 3f2a9c1b                  # until it is Available (or Logged In)\n  \
    pamctl session wait 3f2a9c1b --for complete --timeout 2h\n\n\
    Exit codes: 0 reached, 6 the session ended otherwise (Denied, Failed, Approval Failed,\n\
    Cancelled), 7 timed out.")]
pub struct WaitArgs {
    /// The session: a full ID or a unique prefix
    #[arg(value_name = "ID")]
    pub id: String,

    /// What to wait for (Logged In also satisfies available)
    #[arg(long = "for", value_enum, default_value = "available")]
    pub goal: Goal,

    /// Give up after this long (exit 7): 90s, 30m, 2h, 1h30m [default: no limit]
    #[arg(long, value_name = "DUR", value_parser = parse_dur)]
    pub timeout: Option<Duration>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Goal {
    Available,
    LoggedIn,
    Complete,
}

impl Goal {
    fn reached(self, state: SessionState) -> bool {
        match self {
            // Locked is an available session with the lock flag set.
            Goal::Available => state.is_active(),
            Goal::LoggedIn => state == SessionState::LoggedIn,
            Goal::Complete => state == SessionState::Complete,
        }
    }

    fn word(self) -> &'static str {
        match self {
            Goal::Available => "Available",
            Goal::LoggedIn => "Logged In",
            Goal::Complete => "Complete",
        }
    }
}

/// How a wait ended, with the last summary seen of each session (for printing them).
pub struct WaitOutcome {
    pub last: HashMap<Uuid, SessionSummary>,
    pub result: Result<(), CliError>,
}

struct Watched {
    id: Uuid,
    state: Option<SessionState>,
    done: bool,
}

fn report_change(output: &Output, id: Uuid, previous: Option<SessionState>, now: SessionState) {
    if output.is_json() {
        let event = json!({
            "event": "state",
            "id": id,
            "state": now.word(),
            "previous": previous.map(SessionState::word),
            "time": Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        });
        eprintln!("{event}");
    } else {
        eprintln!("session {}: {}", short_id(&id), now.word());
    }
}

/// Polls until every session reaches `goal`, one ends otherwise, or the time is up.
pub async fn wait_for(
    client: &Client,
    output: &Output,
    ids: &[Uuid],
    goal: Goal,
    timeout: Option<Duration>,
) -> WaitOutcome {
    let started = Instant::now();
    let mut watched: Vec<Watched> = ids
        .iter()
        .map(|&id| Watched {
            id,
            state: None,
            done: false,
        })
        .collect();
    let mut last = HashMap::new();
    let mut transport_failures = 0;
    loop {
        for item in watched.iter_mut().filter(|w| !w.done) {
            let summary = match client.session_summary(item.id).await {
                Ok(summary) => {
                    transport_failures = 0;
                    summary
                }
                Err(ClientError::Transport { .. }) if transport_failures < TRANSPORT_RETRIES => {
                    transport_failures += 1;
                    continue;
                }
                Err(other) => {
                    return WaitOutcome {
                        last,
                        result: Err(other.into()),
                    };
                }
            };
            let state = summary_state(&summary, Utc::now());
            if item.state != Some(state) {
                report_change(output, item.id, item.state, state);
                item.state = Some(state);
            }
            last.insert(item.id, summary);
            if goal.reached(state) {
                item.done = true;
            } else if state.is_final() {
                let error = CliError::new(
                    ExitKind::WaitEnded,
                    format!(
                        "session {} ended {} without becoming {}",
                        short_id(&item.id),
                        state.word(),
                        goal.word()
                    ),
                )
                .hint(format!(
                    "see why with `pamctl session logs {}`",
                    short_id(&item.id)
                ));
                return WaitOutcome {
                    last,
                    result: Err(error),
                };
            }
        }
        if watched.iter().all(|w| w.done) {
            return WaitOutcome {
                last,
                result: Ok(()),
            };
        }
        let mut pause = POLL_EVERY;
        if let Some(limit) = timeout {
            let elapsed = started.elapsed();
            if elapsed >= limit {
                return WaitOutcome {
                    last,
                    result: Err(timed_out(&watched, goal, limit)),
                };
            }
            pause = pause.min(limit - elapsed);
        }
        tokio::time::sleep(pause).await;
    }
}

fn timed_out(watched: &[Watched], goal: Goal, limit: Duration) -> CliError {
    let pending = watched
        .iter()
        .filter(|w| !w.done)
        .map(|w| {
            format!(
                "{} is {}",
                short_id(&w.id),
                w.state.map_or("unknown", SessionState::word)
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    CliError::new(
        ExitKind::WaitTimeout,
        format!(
            "timed out after {} waiting for {}: {pending}",
            format_dur(limit),
            goal.word()
        ),
    )
    .hint("wait longer with a larger timeout; a session waiting for approval needs an approver")
}

pub async fn run(context: &Context, args: WaitArgs) -> Result<(), CliError> {
    let client = context.client()?;
    let id = ids::resolve_one(&client, &args.id).await?;
    let outcome = wait_for(&client, &context.output, &[id], args.goal, args.timeout).await;
    if context.output.is_json() {
        if let Some(summary) = outcome.last.get(&id) {
            context.output.json(&summary_json(summary, Utc::now())?)?;
        }
    }
    outcome.result
}
