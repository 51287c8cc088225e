//! `pamctl session wait`, and the waiting behind `session create --wait`: poll each session's
//! summary until it reaches the goal, report every state change and every approval or denial
//! on stderr (a spinner on a terminal), and turn an end elsewhere (Denied, Failed...) or a
//! timeout into exit codes 6 and 7.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

use chrono::Utc;
use clap::{Args, ValueEnum};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use serde_json::json;
use uuid::Uuid;

use super::ids;
use super::view::{summary_json, summary_state};
use crate::cli::context::Context;
use crate::cli::error::{CliError, ExitKind};
use crate::cli::output::{Output, printable, short_id};
use crate::cli::when::{format_dur, parse_dur};
use crate::client::{Client, ClientError};
use crate::wire::enums::ApprovalState;
use crate::wire::session::{ActivitySession, ApprovalWorkflowApproval, SessionSummary};
use crate::wire::status::SessionState;

const POLL_EVERY: Duration = Duration::from_millis(500);
const SPINNER_TICK: Duration = Duration::from_millis(120);
/// Network hiccups tolerated in a row before a wait gives up.
const TRANSPORT_RETRIES: u32 = 10;

/// Wait until a session is available, logged in or complete
///
/// Each state change, and each approval or denial while the session waits for approval, is
/// reported on stderr as it happens: one line each (one JSON event each with -o json), and on a
/// terminal a spinner with the current state and who has approved so far.
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
    /// The approvals and denials given so far, oldest first.
    decisions: Vec<ApprovalWorkflowApproval>,
}

fn is_decided(approval: &ApprovalWorkflowApproval) -> bool {
    approval.approval_state != ApprovalState::Pending
}

fn approver(approval: &ApprovalWorkflowApproval) -> &str {
    approval
        .modified_by_user_name
        .as_deref()
        .unwrap_or("an approver")
}

/// `approved by rita` or `denied by ravi: change freeze`, with the approver's notes.
fn decision_text(approval: &ApprovalWorkflowApproval) -> String {
    let verb = match approval.approval_state {
        ApprovalState::Denied => "denied",
        _ => "approved",
    };
    match approval.approver_notes.as_deref().map(str::trim) {
        Some(notes) if !notes.is_empty() => format!("{verb} by {}: {notes}", approver(approval)),
        _ => format!("{verb} by {}", approver(approval)),
    }
}

impl Watched {
    /// Takes the session's decisions as they are now; returns those not seen before.
    fn take_decisions(&mut self, session: &ActivitySession) -> Vec<ApprovalWorkflowApproval> {
        let mut current: Vec<ApprovalWorkflowApproval> = session
            .approval_workflow_approvals
            .iter()
            .filter(|a| is_decided(a))
            .cloned()
            .collect();
        current.sort_by_key(|a| a.modified_date_time_utc);
        // Privilege Secure lists every approver and updates the entry in place when they
        // decide, so an entry is new when its id or its state is.
        let fresh = current
            .iter()
            .filter(|a| {
                !self
                    .decisions
                    .iter()
                    .any(|d| d.id == a.id && d.approval_state == a.approval_state)
            })
            .cloned()
            .collect();
        self.decisions = current;
        fresh
    }

    /// Who decided so far: `approved by rita, ravi` or `denied by ravi: change freeze`.
    fn decisions_text(&self) -> Option<String> {
        if let Some(denial) = self
            .decisions
            .iter()
            .find(|a| a.approval_state == ApprovalState::Denied)
        {
            return Some(decision_text(denial));
        }
        let approvers: Vec<&str> = self.decisions.iter().map(approver).collect();
        (!approvers.is_empty()).then(|| format!("approved by {}", approvers.join(", ")))
    }

    /// `session 3f2a9c1b: Waiting for Approval; approved by rita`.
    fn headline(&self) -> String {
        let state = self.state.map_or("unknown", SessionState::word);
        match self.decisions_text() {
            Some(decisions) => format!("session {}: {state}; {decisions}", short_id(&self.id)),
            None => format!("session {}: {state}", short_id(&self.id)),
        }
    }
}

/// How a wait shows its progress on stderr: on a terminal a spinner per session with its state
/// and who has approved, above which each change stays as a line; otherwise one line per
/// change, or one JSON event per line with `-o json`.
enum Progress {
    Lines {
        json: bool,
    },
    Spinners {
        multi: MultiProgress,
        bars: HashMap<Uuid, ProgressBar>,
    },
}

impl Progress {
    fn new(output: &Output, ids: &[Uuid]) -> Progress {
        if output.is_json() || !std::io::stderr().is_terminal() {
            return Progress::Lines {
                json: output.is_json(),
            };
        }
        let multi = MultiProgress::new();
        let style = ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        let bars = ids
            .iter()
            .map(|&id| {
                let bar = multi.add(ProgressBar::new_spinner());
                bar.set_style(style.clone());
                bar.set_message(format!("session {}: checking", short_id(&id)));
                bar.enable_steady_tick(SPINNER_TICK);
                (id, bar)
            })
            .collect();
        Progress::Spinners { multi, bars }
    }

    fn line(&self, text: &str) {
        let text = printable(text);
        let text = text.as_ref();
        match self {
            Progress::Lines { .. } => eprintln!("{text}"),
            Progress::Spinners { multi, .. } => {
                // Only fails when stderr is gone, and then there is nobody to tell.
                let _ = multi.println(text);
            }
        }
    }

    fn state_changed(&self, item: &Watched, previous: Option<SessionState>) {
        let Some(state) = item.state else {
            return;
        };
        if let Progress::Lines { json: true } = self {
            let event = json!({
                "event": "state",
                "id": item.id,
                "state": state.word(),
                "previous": previous.map(SessionState::word),
                "approvals": item.decisions,
                "time": now_text(),
            });
            eprintln!("{event}");
            return;
        }
        self.line(&format!("session {}: {}", short_id(&item.id), state.word()));
    }

    fn decided(&self, item: &Watched, decision: &ApprovalWorkflowApproval) {
        if let Progress::Lines { json: true } = self {
            let event = json!({
                "event": "approval",
                "id": item.id,
                "state": item.state.map(SessionState::word),
                "decision": match decision.approval_state {
                    ApprovalState::Denied => "denied",
                    _ => "approved",
                },
                "by": decision.modified_by_user_name,
                "notes": decision.approver_notes,
                "approval": decision,
                "approvals": item.decisions,
                "time": now_text(),
            });
            eprintln!("{event}");
            return;
        }
        self.line(&format!(
            "session {}: {}",
            short_id(&item.id),
            decision_text(decision)
        ));
    }

    /// The spinner's message: the current state and who has decided.
    fn show(&self, item: &Watched) {
        if let Progress::Spinners { bars, .. } = self {
            if let Some(bar) = bars.get(&item.id) {
                if item.done {
                    bar.finish_and_clear();
                } else {
                    bar.set_message(printable(&item.headline()).into_owned());
                }
            }
        }
    }

    fn finish(&self) {
        if let Progress::Spinners { bars, .. } = self {
            for bar in bars.values() {
                bar.finish_and_clear();
            }
        }
    }
}

fn now_text() -> String {
    Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Whether the approvals are worth a request: while the session waits for them, when it just
/// stopped waiting (the last approval or the denial), and when it ended in a decision.
fn wants_decisions(previous: Option<SessionState>, now: SessionState) -> bool {
    matches!(
        now,
        SessionState::WaitingForApproval | SessionState::Denied | SessionState::ApprovalFailed
    ) || previous == Some(SessionState::WaitingForApproval)
}

/// Polls until every session reaches `goal`, one ends otherwise, or the time is up.
pub async fn wait_for(
    client: &Client,
    output: &Output,
    ids: &[Uuid],
    goal: Goal,
    timeout: Option<Duration>,
) -> WaitOutcome {
    let progress = Progress::new(output, ids);
    let outcome = poll(client, &progress, ids, goal, timeout).await;
    progress.finish();
    outcome
}

async fn poll(
    client: &Client,
    progress: &Progress,
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
            decisions: Vec::new(),
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
            let previous = item.state;
            // The summary has no approvals; the session has. Missing them only makes the
            // report poorer, so a failure here is no reason to stop waiting.
            let fresh = if wants_decisions(previous, state) {
                match client.session(item.id).await {
                    Ok(session) => item.take_decisions(&session),
                    Err(_) => Vec::new(),
                }
            } else {
                Vec::new()
            };
            // The first state comes first; afterwards decisions come before the change they
            // caused (approved by ravi, then Provisioning).
            if previous.is_none() {
                item.state = Some(state);
                progress.state_changed(item, None);
            }
            for decision in &fresh {
                progress.decided(item, decision);
            }
            if previous.is_some() && previous != Some(state) {
                item.state = Some(state);
                progress.state_changed(item, previous);
            }
            last.insert(item.id, summary);
            if goal.reached(state) {
                item.done = true;
            } else if state.is_final() {
                progress.show(item);
                return WaitOutcome {
                    last,
                    result: Err(ended_otherwise(item, state, goal)),
                };
            }
            progress.show(item);
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

fn ended_otherwise(item: &Watched, state: SessionState, goal: Goal) -> CliError {
    let why = match (state, item.decisions_text()) {
        (SessionState::Denied, Some(decisions)) => format!(" ({decisions})"),
        _ => String::new(),
    };
    CliError::new(
        ExitKind::WaitEnded,
        format!(
            "session {} ended {} without becoming {}{why}",
            short_id(&item.id),
            state.word(),
            goal.word()
        ),
    )
    .hint(format!(
        "see why with `pamctl session logs {}`",
        short_id(&item.id)
    ))
}

fn timed_out(watched: &[Watched], goal: Goal, limit: Duration) -> CliError {
    let pending = watched
        .iter()
        .filter(|w| !w.done)
        .map(|w| match w.decisions_text() {
            Some(decisions) => format!(
                "{} is {} ({decisions})",
                short_id(&w.id),
                w.state.map_or("unknown", SessionState::word)
            ),
            None => format!(
                "{} is {}",
                short_id(&w.id),
                w.state.map_or("unknown", SessionState::word)
            ),
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
