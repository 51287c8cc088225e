//! `pamctl session create`: one session, or a group of them with several `--resource`.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::io::IsTerminal;
use std::time::Duration;

use chrono::Utc;
use clap::Args;
use uuid::Uuid;

use super::view::{Row, print_table, session_json, session_state, summary_state};
use super::wait::{Goal, wait_for};
use super::wizard;
use crate::cli::activity;
use crate::cli::context::Context;
use crate::cli::error::{CliError, ExitKind};
use crate::cli::output::{Output, short_id};
use crate::cli::when::{When, parse_dur, parse_when};
use crate::client::Client;
use crate::wire::catalog::{ActivityCard, ManagedResource};
use crate::wire::session::{ActivitySession, ActivitySessionRequest, SessionSummary};
use crate::wire::status::SessionState;

/// Request an activity on one or more resources
///
/// Several --resource create one session per resource (a session group). Without --start the
/// session starts now; without --duration or --end it lasts the policy's maximum.
///
/// With -i, or with no flags at all on a terminal, a wizard asks for the activity, the
/// resources, a note and ticket, the start and the duration, shows the request for review, and
/// creates it once you confirm. Esc or Ctrl-C leaves it (exit 130) with nothing created.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    pamctl session create -i                      # the wizard: choose, review, confirm\n  \
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

    /// Ask for everything in a wizard (needs a terminal); --activity, --resource, --note and
    /// --ticket fill in its first answers, --wait skips its last question
    #[arg(short, long, conflicts_with_all = ["start", "duration", "end"])]
    pub interactive: bool,
}

impl CreateArgs {
    /// Whether no flag was given: then a terminal gets the wizard.
    fn is_bare(&self) -> bool {
        !self.wait
            && self.activity.is_none()
            && self.resource.is_empty()
            && self.note.is_none()
            && self.ticket.is_none()
            && self.start.is_none()
            && self.duration.is_none()
            && self.end.is_none()
    }

    /// The ticket as given, without surrounding blanks; a blank one is none.
    pub(super) fn ticket(&self) -> Option<String> {
        non_blank(self.ticket.as_deref())
    }
}

pub(super) fn non_blank(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
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
             see `pamctl activity list` and `pamctl resource list --activity NAME`, \
             or run `pamctl session create` in a terminal for the wizard",
        ),
    )
}

/// `-i` where nothing can be asked.
fn no_terminal_for_wizard() -> CliError {
    CliError::usage("the wizard (-i) needs a terminal to ask on, and there is none").hint(
        "pass --activity NAME and --resource NAME (see `pamctl activity list`), \
         or run it in a terminal",
    )
}

/// The names of the policies granting the card's activity when every one of them requires a
/// ticket: then a request without one is refused whatever the resource. When only some do,
/// the server knows which grants the resource, and decides.
pub(super) fn ticket_required(card: &ActivityCard) -> Option<Vec<&str>> {
    let policies = &card.access_control_policies;
    (!policies.is_empty() && policies.iter().all(|p| p.ticket_required))
        .then(|| policies.iter().map(|p| p.name.as_str()).collect())
}

pub(super) fn ticket_missing(activity: &str, policies: &[&str]) -> String {
    let named = policies
        .iter()
        .map(|name| format!("\"{name}\""))
        .collect::<Vec<_>>()
        .join(" and ");
    let (noun, verb) = if policies.len() == 1 {
        ("policy", "requires")
    } else {
        ("policies", "require")
    };
    format!("{noun} {named} {verb} a ticket for {activity}")
}

/// Refuses a request without a ticket that its policies require, before the server does (it
/// answers 400), so the message can name the flag. Without the policy cards (an older server),
/// the server's answer has to do.
async fn check_ticket(client: &Client, args: &CreateArgs, activity: &str) -> Result<(), CliError> {
    if args.ticket().is_some() {
        return Ok(());
    }
    let Ok(cards) = client.activity_cards().await else {
        return Ok(());
    };
    let wanted = activity.to_lowercase();
    let Some(card) = cards
        .iter()
        .find(|c| c.activity.name.to_lowercase() == wanted)
    else {
        return Ok(());
    };
    match ticket_required(card) {
        Some(policies) => Err(
            CliError::usage(ticket_missing(&card.activity.name, &policies)).hint(
                "pass --ticket ID with the change or incident ticket, e.g. --ticket CHG-1234",
            ),
        ),
        None => Ok(()),
    }
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
    check_ticket(client, args, &activity.name).await?;
    // The resources this activity may be requested on, as NPS lets every user ask for them
    // (its full resource list is for admins).
    let resources = client.activity_session_resources(activity.id).await?;
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
    // A resource named twice (by name, ID or prefix alike) is one session, not two.
    let mut seen = std::collections::HashSet::new();
    args.resource
        .iter()
        .map(|wanted| find_resource(&resources, wanted, &activity.name))
        .filter(|found| match found {
            Ok(resource) => seen.insert(resource.id),
            Err(_) => true,
        })
        .map(|found| {
            let resource = found?;
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
    if args.interactive || args.is_bare() {
        if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
            return wizard::run(context, args).await;
        }
        if args.interactive {
            return Err(no_terminal_for_wizard());
        }
    }
    missing_flags(&args)?;
    let activity = args.activity.clone().unwrap_or_default();
    let client = context.client()?;
    let requests = requests(&client, &args, &activity).await?;
    let created = submit(&client, &requests).await?;
    if args.wait {
        let waited = wait_available(&client, &context.output, &created, args.wait_timeout).await;
        show(
            context,
            &client,
            &waited.sessions,
            waited.summaries,
            created.grouped,
        )
        .await?;
        return waited.result;
    }
    let summaries = show(
        context,
        &client,
        &created.sessions,
        HashMap::new(),
        created.grouped,
    )
    .await?;
    follow_up(context, &created.ids(), &summaries);
    Ok(())
}

/// The sessions one request made: one, or a group of them.
pub(super) struct Created {
    pub sessions: Vec<ActivitySession>,
    pub grouped: bool,
}

impl Created {
    pub fn ids(&self) -> Vec<Uuid> {
        self.sessions.iter().map(|s| s.id).collect()
    }
}

/// Creates one session, or a group when there are several requests (all or none).
pub(super) async fn submit(
    client: &Client,
    requests: &[ActivitySessionRequest],
) -> Result<Created, CliError> {
    let sessions = match requests {
        [one] => vec![client.create_session(one).await?],
        several => {
            client
                .create_session_group(several)
                .await?
                .activity_sessions
        }
    };
    Ok(Created {
        sessions,
        grouped: requests.len() > 1,
    })
}

/// How `--wait` ended, with the sessions as they are now and their last summaries.
pub(super) struct Waited {
    pub sessions: Vec<ActivitySession>,
    pub summaries: HashMap<Uuid, SessionSummary>,
    pub result: Result<(), CliError>,
}

/// `--wait`: until every session is Available (or Logged In), one ends otherwise (exit 6) or
/// the time is up (exit 7).
pub(super) async fn wait_available(
    client: &Client,
    output: &Output,
    created: &Created,
    timeout: Option<Duration>,
) -> Waited {
    let outcome = wait_for(client, output, &created.ids(), Goal::Available, timeout).await;
    // The sessions as they are now, even when the wait failed: scripts need the IDs.
    let mut sessions = Vec::with_capacity(created.sessions.len());
    for session in &created.sessions {
        sessions.push(
            client
                .session(session.id)
                .await
                .unwrap_or_else(|_| session.clone()),
        );
    }
    Waited {
        sessions,
        summaries: outcome.last,
        result: outcome.result,
    }
}

/// Prints the sessions as `create` shows them; returns the summaries it fetched for the table.
pub(super) async fn show(
    context: &Context,
    client: &Client,
    sessions: &[ActivitySession],
    mut summaries: HashMap<Uuid, SessionSummary>,
    grouped: bool,
) -> Result<HashMap<Uuid, SessionSummary>, CliError> {
    if !context.output.is_json() {
        // The table shows what lists show (the user's display name, Logged In): summaries.
        for session in sessions {
            if let Entry::Vacant(slot) = summaries.entry(session.id) {
                if let Ok(summary) = client.session_summary(session.id).await {
                    slot.insert(summary);
                }
            }
        }
    }
    print_created(context, sessions, &summaries, grouped)?;
    Ok(summaries)
}

/// What to do next with sessions that were not waited for.
pub(super) fn follow_up(
    context: &Context,
    ids: &[Uuid],
    summaries: &HashMap<Uuid, SessionSummary>,
) {
    let Some(first) = ids.first() else {
        return;
    };
    let short = short_id(first);
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
