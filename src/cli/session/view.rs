//! How sessions look: their shown state, the table of `shared/cli.md`, and the JSON objects
//! (the wire object plus `state`).

use chrono::{DateTime, Utc};
use serde_json::Value;
use uuid::Uuid;

use crate::cli::error::CliError;
use crate::cli::output::{Output, short_id, with_field};
use crate::wire::session::{ActivitySession, SessionSummary};
use crate::wire::status::SessionState;

pub const COLUMNS: [&str; 9] = [
    "ID",
    "Status",
    "Requested",
    "User",
    "Host",
    "Login Account",
    "Activity",
    "Start",
    "End",
];

pub fn summary_state(summary: &SessionSummary, now: DateTime<Utc>) -> SessionState {
    SessionState::from_summary(summary.status, summary.start_date_time_utc, now)
}

pub fn session_state(session: &ActivitySession, now: DateTime<Utc>) -> SessionState {
    SessionState::from_session(
        session.status,
        session.locked,
        session.scheduled_start_date_time_utc,
        now,
    )
}

/// The user a summary belongs to, as the table shows it.
pub fn summary_user(summary: &SessionSummary) -> Option<&str> {
    summary
        .user_display_name
        .as_deref()
        .or(summary.created_by_display_name.as_deref())
}

/// When a session starts (or started) and ends (or is to end).
pub fn summary_span(summary: &SessionSummary) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
    (
        summary
            .actual_start_date_time_utc
            .or(summary.start_date_time_utc),
        summary
            .actual_end_date_time_utc
            .or(summary.end_date_time_utc),
    )
}

/// One line of the sessions table.
pub struct Row {
    pub id: Uuid,
    pub state: SessionState,
    pub requested: Option<DateTime<Utc>>,
    pub user: Option<String>,
    pub host: Option<String>,
    pub login_account: Option<String>,
    pub activity: Option<String>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
}

impl Row {
    pub fn of_summary(summary: &SessionSummary, now: DateTime<Utc>) -> Row {
        let (start, end) = summary_span(summary);
        Row {
            id: summary.id,
            state: summary_state(summary, now),
            requested: summary.created_date_time_utc,
            user: summary_user(summary).map(str::to_owned),
            host: summary.managed_resource_name.clone(),
            login_account: summary.login_account_name.clone(),
            activity: summary.activity_name.clone(),
            start,
            end,
        }
    }

    pub fn of_session(session: &ActivitySession, state: SessionState) -> Row {
        Row {
            id: session.id,
            state,
            requested: session.created_date_time_utc,
            user: session.created_by_user_name.clone(),
            host: session.resource_name().map(str::to_owned),
            login_account: session.login_account_name.clone(),
            activity: session.activity_name().map(str::to_owned),
            start: session
                .actual_start_date_time_utc
                .or(session.scheduled_start_date_time_utc),
            end: session
                .actual_end_date_time_utc
                .or(session.scheduled_end_date_time_utc),
        }
    }

    fn cells(&self, output: &Output) -> Vec<String> {
        vec![
            short_id(&self.id),
            self.state.word().to_owned(),
            output.time(self.requested),
            self.user.clone().unwrap_or_default(),
            self.host.clone().unwrap_or_default(),
            self.login_account.clone().unwrap_or_default(),
            self.activity.clone().unwrap_or_default(),
            output.time(self.start),
            output.time(self.end),
        ]
    }
}

pub fn print_table(output: &Output, rows: &[Row], empty_note: &str) {
    output.table(
        &COLUMNS,
        rows.iter().map(|row| row.cells(output)).collect(),
        empty_note,
    );
}

pub fn summary_json(summary: &SessionSummary, now: DateTime<Utc>) -> Result<Value, CliError> {
    with_field(summary, "state", summary_state(summary, now).word())
}

/// A session in full, as `session show -o json` gives it: its summary (with `state`) and the
/// fields only the session itself has (approvals, group, who cancelled it...).
pub fn details_json(
    summary: &SessionSummary,
    session: Option<&ActivitySession>,
    now: DateTime<Utc>,
) -> Result<Value, CliError> {
    let mut object = summary_json(summary, now)?;
    if let (Some(map), Some(Value::Object(extra))) = (
        object.as_object_mut(),
        session.and_then(|s| serde_json::to_value(s).ok()),
    ) {
        for (key, value) in extra {
            map.entry(key).or_insert(value);
        }
    }
    Ok(object)
}

pub fn session_json(session: &ActivitySession, state: SessionState) -> Result<Value, CliError> {
    with_field(session, "state", state.word())
}

/// A few words on a session for result lines: `Available, Uma User, web01, Linux Admin`.
pub fn describe(summary: &SessionSummary, now: DateTime<Utc>) -> String {
    [
        Some(summary_state(summary, now).word()),
        summary_user(summary),
        summary.managed_resource_name.as_deref(),
        summary.activity_name.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ")
}
