//! `pamctl session create`: one session, or a group of them with several `--resource`.

use std::collections::HashMap;
use std::time::Duration;

use chrono::Utc;
use clap::Args;
use uuid::Uuid;

use super::view::{Row, print_table, session_json, session_state, summary_state};
use super::wait::{Goal, wait_for};
use crate::cli::activity;
use crate::cli::context::Context;
use crate::cli::error::{CliError, ExitKind};
use crate::cli::output::short_id;
use crate::cli::when::{When, parse_dur, parse_when};
use crate::client::Client;
use crate::wire::catalog::ManagedResource;
use crate::wire::session::{ActivitySession, ActivitySessionRequest, SessionSummary};
use crate::wire::status::SessionState;

/// Request an activity on one or more resources
///
/// Several --resource create one session per resource (a session group). Without --start the
/// session starts now; without --duration or --end it lasts the policy's maximum.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    pamctl session create --activity \"Linux Admin\" --resource web01 --note \"deploy fix\" --wait\n  \
    pamctl session create --activity \"Linux Admin\" --resource web01 --resource web02 --duration 1h\n  \
    pamctl session create --activity \"Database Read Write\" --resource db01 --ticket CHG-1234 \\\n    \
    --start \"2026-05-01 09:00\" --end \"2026-05-01 10:00\"\n  \
    pamctl session create --activity \"Linux Admin\" --resource web01 -o json | jq -r .id")]
pub struct CreateArgs {
    /// The activity to request (name or ID), as `pamctl activity list` shows
    #[arg(long, value_name = "NAME|ID")]
    pub activity: Option<String>,

    /// A resource to request it on (name or ID); repeat for a session group
    #[arg(long, value_name = "NAME|ID")]
    pub resource: Vec<String>,

    /// Why you need it (shown to approvers and in the session log)
    #[arg(long, visible_alias = "reason", value_name = "TEXT")]
    pub note: Option<String>,

    /// A change or incident ticket to record with the session
    #[arg(long, value_name = "ID")]
    pub ticket: Option<String>,

    /// When to start: now, RFC 3339, "YYYY-MM-DD HH:MM" (local), or +DUR [default: now]
    #[arg(long, value_name = "WHEN", value_parser = parse_when, allow_hyphen_values = true)]
    pub start: Option<When>,

    /// How long it lasts from its start: 90s, 30m, 2h, 1h30m [default: the policy maximum]
    #[arg(long, value_name = "DUR", value_parser = parse_dur, conflicts_with = "end")]
    pub duration: Option<Duration>,

    /// When it ends (same forms as --start)
    #[arg(long, value_name = "WHEN", value_parser = parse_when, allow_hyphen_values = true)]
    pub end: Option<When>,

    /// Wait until every session is Available (or Logged In), through approval, printing state
    /// changes and approvals on stderr (a spinner on a terminal); exit 6 if one ends otherwise
    #[arg(long)]
    pub wait: bool,

    /// With --wait: give up after this long (exit 7) [default: no limit]
    #[arg(long, value_name = "DUR", value_parser = parse_dur, requires = "wait")]
    pub wait_timeout: Option<Duration>,
}

fn missing_flags(args: &CreateArgs) -> Result<(), CliError> {
    let mut missing = Vec::new();
    if args.activity.is_none() {
        missing.push("--activity NAME");
    }
    if args.resource.is_empty() {
        missing.push("--resource NAME");
    }
    if missing.is_empty() {
        return Ok(());
    }
    Err(
        CliError::usage(format!("missing {}", missing.join(" and "))).hint(
            "e.g. pamctl session create --activity \"Linux Admin\" --resource web01; \
             see `pamctl activity list` and `pamctl resource list --activity NAME`",
        ),
    )
}

/// A resource by full ID, unique ID prefix, name or display name (any case).
fn find_resource<'a>(
    resources: &'a [ManagedResource],
    wanted: &str,
    activity: &str,
) -> Result<&'a ManagedResource, CliError> {
    let lowered = wanted.trim().to_lowercase();
    let by_name: Vec<_> = resources
        .iter()
        .filter(|r| {
            r.name.to_lowercase() == lowered
                || r.display_name
                    .as_deref()
                    .is_some_and(|d| d.to_lowercase() == lowered)
        })
        .collect();
    let found: Vec<_> = if by_name.is_empty() && lowered.len() >= 4 {
        resources
            .iter()
            .filter(|r| r.id.to_string().starts_with(&lowered))
            .collect()
    } else {
        by_name
    };
    match found.as_slice() {
        [one] => Ok(one),
        [] => Err(CliError::new(
            ExitKind::NotFound,
            format!("no resource named '{wanted}' that you may request"),
        )
        .hint(format!(
            "see `pamctl resource list --activity \"{activity}\"` for the names"
        ))),
        many => Err(CliError::usage(format!(
            "'{wanted}' matches several resources: {}",
            many.iter()
                .map(|r| format!("{} ({})", r.id, r.name))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .hint("give more of the ID, or the name")),
    }
}

async fn requests(
    client: &Client,
    args: &CreateArgs,
    activity_wanted: &str,
) -> Result<Vec<ActivitySessionRequest>, CliError> {
    let activity = activity::resolve(client, activity_wanted).await?;
    let resources = client.resources().await?;
    let now = Utc::now();
    let start = args.start.map(|w| w.at(now));
    let end = match (args.duration, args.end) {
        (Some(duration), _) => {
            let duration = chrono::Duration::from_std(duration)
                .map_err(|_| CliError::usage("--duration is too long"))?;
            Some(start.unwrap_or(now) + duration)
        }
        (None, Some(end)) => Some(end.at(now)),
        (None, None) => None,
    };
    if let Some(end) = end {
        if end <= start.unwrap_or(now) {
            return Err(CliError::usage("the session would end before it starts")
                .hint("give --end after --start (and in the future), or use --duration"));
        }
    }
    args.resource
        .iter()
        .map(|wanted| {
            let resource = find_resource(&resources, wanted, &activity.name)?;
            Ok(ActivitySessionRequest {
                activity_id: Some(activity.id),
                managed_resource_id: Some(resource.id),
                start_date_time_utc: start,
                end_date_time_utc: end,
                note: args.note.clone(),
                ticket: args.ticket.clone(),
                ..ActivitySessionRequest::default()
            })
        })
        .collect()
}

pub async fn run(context: &Context, args: CreateArgs) -> Result<(), CliError> {
    missing_flags(&args)?;
    let activity = args.activity.clone().unwrap_or_default();
    let client = context.client()?;
    let requests = requests(&client, &args, &activity).await?;
    let grouped = requests.len() > 1;
    let sessions = if grouped {
        client
            .create_session_group(&requests)
            .await?
            .activity_sessions
    } else {
        vec![client.create_session(&requests[0]).await?]
    };
    let ids: Vec<Uuid> = sessions.iter().map(|s| s.id).collect();
    let (sessions, mut summaries, result) = if args.wait {
        let outcome = wait_for(
            &client,
            &context.output,
            &ids,
            Goal::Available,
            args.wait_timeout,
        )
        .await;
        // The sessions as they are now, even when the wait failed: scripts need the IDs.
        let mut current = Vec::with_capacity(sessions.len());
        for created in sessions {
            current.push(client.session(created.id).await.unwrap_or(created));
        }
        (current, outcome.last, outcome.result)
    } else {
        (sessions, HashMap::new(), Ok(()))
    };
    if !context.output.is_json() {
        // The table shows what lists show (the user's display name, Logged In): summaries.
        for id in &ids {
            if !summaries.contains_key(id) {
                if let Ok(summary) = client.session_summary(*id).await {
                    summaries.insert(*id, summary);
                }
            }
        }
    }
    print_created(context, &sessions, &summaries, grouped)?;
    if result.is_ok() && !args.wait {
        let short = short_id(&ids[0]);
        let now = Utc::now();
        let waiting = summaries
            .values()
            .any(|s| summary_state(s, now) == SessionState::WaitingForApproval);
        if waiting {
            context.output.note(&format!(
                "It needs approval: an approver decides with `pamctl approval approve {short}`. \
                 Follow it with `pamctl session wait {short}`."
            ));
        } else {
            context.output.note(&format!(
                "Follow it with `pamctl session wait {short}` or `pamctl session list`."
            ));
        }
    }
    result
}

fn print_created(
    context: &Context,
    sessions: &[ActivitySession],
    summaries: &HashMap<Uuid, SessionSummary>,
    grouped: bool,
) -> Result<(), CliError> {
    let output = &context.output;
    let now = Utc::now();
    if output.is_json() {
        let objects = sessions
            .iter()
            .map(|session| {
                let state = summaries.get(&session.id).map_or_else(
                    || session_state(session, now),
                    |summary| summary_state(summary, now),
                );
                session_json(session, state)
            })
            .collect::<Result<Vec<_>, _>>()?;
        return match (grouped, objects.as_slice()) {
            (false, [one]) => output.json(one),
            _ => output.json(&objects),
        };
    }
    let rows: Vec<Row> = sessions
        .iter()
        .map(|session| match summaries.get(&session.id) {
            Some(summary) => Row::of_summary(summary, now),
            None => Row::of_session(session, session_state(session, now)),
        })
        .collect();
    print_table(output, &rows, "No session was created.");
    Ok(())
}
