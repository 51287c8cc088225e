//! `pamctl session show`: one session in full.

use chrono::Utc;
use clap::Args;

use super::ids;
use super::view::{details_json, summary_state, summary_user};
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::wire::session::{ActivitySession, SessionSummary};

/// Show one session in full
///
/// JSON is the session's summary (SummaryById) with the fields only the session itself has
/// (approvals, group, who cancelled it...) added, and `state`, the status word.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    pamctl session show 3f2a9c1b\n  \
    pamctl session show 3f2a9c1b -o json | jq -r .state")]
pub struct ShowArgs {
    /// The session: a full ID or a unique prefix
    #[arg(value_name = "ID")]
    pub id: String,
}

pub async fn run(context: &Context, args: ShowArgs) -> Result<(), CliError> {
    let client = context.client()?;
    let id = ids::resolve_one(&client, &args.id).await?;
    let (summary, session, connection) = tokio::join!(
        client.session_summary(id),
        client.session(id),
        client.session_connection(id)
    );
    let summary = summary?;
    // Only database-role sessions have one; the others answer 409.
    let connection = connection.ok().map(|c| c.connection_string);
    // The summary is the record; the session only adds what the summary lacks.
    let session = session.ok();
    let now = Utc::now();
    if context.output.is_json() {
        let mut object = details_json(&summary, session.as_ref(), now)?;
        if let (Some(map), Some(uri)) = (object.as_object_mut(), &connection) {
            map.insert("connectionString".to_owned(), uri.clone().into());
        }
        return context.output.json(&object);
    }
    print_details(context, &summary, session.as_ref(), connection);
    Ok(())
}

fn print_details(
    context: &Context,
    summary: &SessionSummary,
    session: Option<&ActivitySession>,
    connection: Option<String>,
) {
    let output = &context.output;
    let now = Utc::now();
    let text = |value: Option<&str>| value.unwrap_or_default().to_owned();
    let resource = match (
        summary.managed_resource_name.as_deref(),
        summary.managed_resource_display_name.as_deref(),
    ) {
        (Some(name), Some(display)) if name != display => format!("{name} ({display})"),
        (name, display) => text(name.or(display)),
    };
    let extension = match (
        summary.allow_session_extension,
        summary.session_extension_count,
    ) {
        (false, _) => "not allowed".to_owned(),
        (true, 0) => "allowed; not extended yet".to_owned(),
        (true, count) => format!(
            "allowed; extended {count} time(s), {} minutes in all",
            summary.session_extension_minutes
        ),
    };
    let state = summary_state(summary, now);
    // NPS writes a message here; pamctl repeats the status word, which says nothing new.
    let status_message = summary
        .status_message
        .clone()
        .filter(|m| m != state.word())
        .unwrap_or_default();
    let approvals = session
        .map(|s| {
            s.approval_workflow_approvals
                .iter()
                .map(|a| {
                    let who = a.modified_by_user_name.as_deref().unwrap_or("pending");
                    match &a.approver_notes {
                        Some(notes) if !notes.is_empty() => {
                            format!("{} by {who} ({notes})", a.approval_state)
                        }
                        _ => format!("{} by {who}", a.approval_state),
                    }
                })
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default();
    output.details(&[
        ("ID", summary.id.to_string()),
        ("Status", state.word().to_owned()),
        ("Status message", status_message),
        ("User", text(summary_user(summary))),
        ("Resource", resource),
        ("Platform", text(summary.platform_name.as_deref())),
        ("Activity", text(summary.activity_name.as_deref())),
        ("Login account", text(summary.login_account_name.as_deref())),
        ("Connection", connection.unwrap_or_default()),
        ("Policy", text(summary.access_policy_name.as_deref())),
        ("Requested", output.time(summary.created_date_time_utc)),
        ("Scheduled start", output.time(summary.start_date_time_utc)),
        ("Started", output.time(summary.actual_start_date_time_utc)),
        ("Scheduled end", output.time(summary.end_date_time_utc)),
        ("Ended", output.time(summary.actual_end_date_time_utc)),
        ("Logged in", output.time(summary.login_date_time_utc)),
        ("Locked", if summary.locked { "yes" } else { "" }.to_owned()),
        (
            "Lock title",
            text(session.and_then(|s| s.lock_title.as_deref())),
        ),
        (
            "Lock message",
            text(session.and_then(|s| s.lock_message.as_deref())),
        ),
        ("Extension", extension),
        ("Note", text(summary.note.as_deref())),
        ("Ticket", text(summary.ticket.as_deref())),
        ("Approvals", approvals),
        (
            "Cancelled by",
            text(session.and_then(|s| {
                s.cancelled_by_user_name
                    .as_deref()
                    .or(s.cancelled_by.as_deref())
            })),
        ),
        (
            "Group",
            session
                .and_then(|s| s.activity_session_group_id)
                .map(|id| id.to_string())
                .unwrap_or_default(),
        ),
    ]);
}
