//! The product's status words and how each is written on the wire: the one table that maps
//! them (`shared/api/nps-v1.md`, "Status: the three vocabularies"). The broker stores these
//! states; the server and the client convert here and nowhere else.

use std::fmt;

use chrono::{DateTime, Utc};

use super::enums::{SessionStatus, SessionSummaryStatus};

pub use crate::core::SessionState;

use SessionState::*;

/// state, the word the CLI shows, SessionStatus, SessionSummaryStatus.
const TABLE: &[(SessionState, &str, SessionStatus, SessionSummaryStatus)] = &[
    (
        WaitingForApproval,
        "Waiting for Approval",
        SessionStatus::ApprovalRequired,
        SessionSummaryStatus::ApprovalRequired,
    ),
    (
        Scheduled,
        "Scheduled",
        SessionStatus::Pending,
        SessionSummaryStatus::Pending,
    ),
    (
        Provisioning,
        "Provisioning",
        SessionStatus::Pending,
        SessionSummaryStatus::Pending,
    ),
    (
        Available,
        "Available",
        SessionStatus::Active,
        SessionSummaryStatus::ActiveNoLogon,
    ),
    (
        LoggedIn,
        "Logged In",
        SessionStatus::Active,
        SessionSummaryStatus::Active,
    ),
    (
        Locked,
        "Locked",
        SessionStatus::Active,
        SessionSummaryStatus::Locked,
    ),
    (
        Canceling,
        "Canceling",
        SessionStatus::Cancelling,
        SessionSummaryStatus::Cancelling,
    ),
    (
        Complete,
        "Complete",
        SessionStatus::Complete,
        SessionSummaryStatus::Completed,
    ),
    (
        Failed,
        "Failed",
        SessionStatus::Failed,
        SessionSummaryStatus::CompletedWithErrors,
    ),
    (
        RevokeFailed,
        "Failed to Revoke",
        SessionStatus::Failed,
        SessionSummaryStatus::CompletedWithErrors,
    ),
    (
        Cancelled,
        "Cancelled",
        SessionStatus::Cancelled,
        SessionSummaryStatus::Cancelled,
    ),
    (
        Denied,
        "Denied",
        SessionStatus::ApprovalDenied,
        SessionSummaryStatus::ApprovalDenied,
    ),
    (
        ApprovalFailed,
        "Approval Failed",
        SessionStatus::ApprovalFailed,
        SessionSummaryStatus::ApprovalFailed,
    ),
];

impl SessionState {
    fn row(
        self,
    ) -> &'static (
        SessionState,
        &'static str,
        SessionStatus,
        SessionSummaryStatus,
    ) {
        TABLE
            .iter()
            .find(|row| row.0 == self)
            .expect("every state has a row in the status table")
    }

    pub fn session_status(self) -> SessionStatus {
        self.row().2
    }

    pub fn summary_status(self) -> SessionSummaryStatus {
        self.row().3
    }

    /// A word in any case, with spaces, dashes or underscores: `logged-in`, "Logged In".
    pub fn from_word(text: &str) -> Option<SessionState> {
        let wanted = squash(text);
        TABLE
            .iter()
            .find(|row| squash(row.1) == wanted || squash(&format!("{:?}", row.0)) == wanted)
            .map(|row| row.0)
    }

    /// The state of a session summary: the summary status tells Available, Logged In and
    /// Locked apart; Pending is Scheduled until the start time, then Provisioning.
    pub fn from_summary(
        status: SessionSummaryStatus,
        scheduled_start: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> SessionState {
        match status {
            SessionSummaryStatus::Pending => Self::pending(scheduled_start, now),
            SessionSummaryStatus::Unknown => Provisioning,
            other => TABLE
                .iter()
                .find(|row| row.3 == other)
                .map_or(Provisioning, |row| row.0),
        }
    }

    /// The state of an `ActivitySession`, which cannot tell Available from Logged In: an
    /// active session is shown as Available (or Locked).
    pub fn from_session(
        status: SessionStatus,
        locked: bool,
        scheduled_start: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> SessionState {
        match status {
            SessionStatus::Pending => Self::pending(scheduled_start, now),
            SessionStatus::Active => Available.shown(locked),
            other => TABLE
                .iter()
                .find(|row| row.2 == other)
                .map_or(Provisioning, |row| row.0),
        }
    }

    fn pending(scheduled_start: Option<DateTime<Utc>>, now: DateTime<Utc>) -> SessionState {
        match scheduled_start {
            Some(start) if start > now => Scheduled,
            _ => Provisioning,
        }
    }
}

fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase()
}

impl fmt::Display for SessionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_has_one_row_and_words_parse_back() {
        for state in SessionState::ALL {
            assert_eq!(TABLE.iter().filter(|row| row.0 == state).count(), 1);
            assert_eq!(
                state.row().1,
                state.word(),
                "the table's word for {state:?}"
            );
            assert_eq!(SessionState::from_word(state.word()), Some(state));
            assert_eq!(
                SessionState::from_identifier(&state.identifier()),
                Some(state)
            );
        }
        assert_eq!(SessionState::from_word("logged-in"), Some(LoggedIn));
        assert_eq!(
            SessionState::from_word("WAITING FOR APPROVAL"),
            Some(WaitingForApproval)
        );
        assert_eq!(
            SessionState::from_word("approval_failed"),
            Some(ApprovalFailed)
        );
        assert_eq!(SessionState::from_word("bogus"), None);
    }

    #[test]
    fn summary_statuses_map_back_to_the_shown_state() {
        let now = Utc::now();
        for state in SessionState::ALL {
            let start = match state {
                Scheduled => Some(now + chrono::Duration::hours(1)),
                _ => Some(now - chrono::Duration::hours(1)),
            };
            // The wire cannot tell a session failing to revoke from a failed one: both are
            // CompletedWithErrors, and statusMessage says which.
            let expected = if state == RevokeFailed { Failed } else { state };
            assert_eq!(
                SessionState::from_summary(state.summary_status(), start, now),
                expected
            );
        }
    }
}
