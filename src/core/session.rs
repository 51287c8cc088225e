//! A session and its log lines: what the lifecycle reads and writes.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::state::SessionState;

/// How a session of the activity is used (the contract's integers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActivityType {
    Interactive = 0,
    InteractiveAppLaunch = 1,
    TaskAutomation = 2,
    CredentialRelease = 3,
}

/// The level of a session log line, least severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LogLevel {
    Debug = 0,
    Info = 1,
    Warn = 2,
    Error = 3,
}

/// An activity session, with the names of what it refers to.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub id: Uuid,
    pub group_id: Option<Uuid>,
    pub created_by: Uuid,
    pub created_by_name: String,
    pub created_by_display_name: String,
    pub created_from: Option<String>,
    pub activity_id: Uuid,
    pub activity_name: String,
    pub activity_type: ActivityType,
    pub platform: String,
    pub resource_id: Uuid,
    pub resource_name: String,
    pub resource_display_name: Option<String>,
    pub policy_id: Uuid,
    pub policy_name: String,
    /// Whether the session's policy allows extending it.
    pub extension_allowed: bool,
    pub login_account_name: Option<String>,
    /// Never `Locked`: that is `locked` on an active state.
    pub state: SessionState,
    pub locked: bool,
    pub lock_title: Option<String>,
    pub lock_message: Option<String>,
    pub scheduled_start: DateTime<Utc>,
    pub actual_start: Option<DateTime<Utc>>,
    pub scheduled_end: DateTime<Utc>,
    pub actual_end: Option<DateTime<Utc>>,
    pub login_at: Option<DateTime<Utc>>,
    pub cancelled_by: Option<Uuid>,
    pub cancelled_by_name: Option<String>,
    pub note: Option<String>,
    pub ticket: Option<String>,
    pub custom_fields: Option<serde_json::Value>,
    pub extension_count: u32,
    pub extension_minutes: i64,
    pub approval_deadline: Option<DateTime<Utc>>,
    pub pre_actions_done: u32,
    pub post_actions_done: u32,
    pub failure_reason: Option<String>,
    /// What is wrong right now, for people: the failing end action and its error.
    pub status_message: Option<String>,
    pub cancel_requested: bool,
    /// When the scheduler must next look at the session; `None` once nothing is due.
    pub due_at: Option<DateTime<Utc>>,
    /// Bumped by every write; a write based on an older version is refused.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub modified_at: DateTime<Utc>,
}

impl Session {
    /// Seconds the session ran, or will run if it has not started; one that ended without
    /// ever starting ran for no time at all. Counted between whole seconds (the second of the
    /// start to the second of the end, or of `now`), so that a running session's duration is
    /// `now`'s second minus its start's: the stores keep sums of start seconds per group and
    /// answer Search's summary without reading every session.
    pub fn duration_seconds(&self, now: DateTime<Utc>) -> i64 {
        let between =
            |start: DateTime<Utc>, end: DateTime<Utc>| (end.timestamp() - start.timestamp()).max(0);
        match self.actual_start {
            Some(start) => between(start, self.actual_end.unwrap_or(now)),
            None if self.state.is_final() => 0,
            None => between(self.scheduled_start, self.scheduled_end),
        }
    }

    /// The state as shown: Locked for a locked active session.
    pub fn shown_state(&self) -> SessionState {
        self.state.shown(self.locked)
    }
}

/// A line for a session's log, before the store numbers it.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    pub level: LogLevel,
    pub actor: Option<String>,
    pub message: String,
}

impl LogEntry {
    pub fn new(level: LogLevel, actor: Option<&str>, message: impl Into<String>) -> Self {
        Self {
            level,
            actor: actor.map(str::to_owned),
            message: message.into(),
        }
    }

    pub fn info(actor: Option<&str>, message: impl Into<String>) -> Self {
        Self::new(LogLevel::Info, actor, message)
    }
}
