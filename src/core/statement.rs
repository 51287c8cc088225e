//! Statements run in a session through the broker (`session exec`): the activity log's
//! entries, their states, and which statements need a reviewer. No I/O.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Where an entry of the activity log stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatementStatus {
    /// Held until a reviewer approves or denies it.
    PendingReview,
    /// Approved; its outbox run has not started it yet.
    Approved,
    /// Started on the target; its outcome is not recorded yet.
    Running,
    Succeeded,
    /// It ran and the target refused it (or could not be reached).
    Failed,
    /// A reviewer denied it: it never runs.
    Denied,
    /// It was started but its outcome was lost (the broker stopped mid-run); it is never
    /// started again, so that nothing runs twice.
    Interrupted,
}

impl StatementStatus {
    pub const ALL: [StatementStatus; 7] = [
        StatementStatus::PendingReview,
        StatementStatus::Approved,
        StatementStatus::Running,
        StatementStatus::Succeeded,
        StatementStatus::Failed,
        StatementStatus::Denied,
        StatementStatus::Interrupted,
    ];

    /// The word the API, the CLI and the store use.
    pub fn word(self) -> &'static str {
        match self {
            StatementStatus::PendingReview => "pending review",
            StatementStatus::Approved => "approved",
            StatementStatus::Running => "running",
            StatementStatus::Succeeded => "succeeded",
            StatementStatus::Failed => "failed",
            StatementStatus::Denied => "denied",
            StatementStatus::Interrupted => "interrupted",
        }
    }

    pub fn from_word(word: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|status| status.word().eq_ignore_ascii_case(word))
    }

    /// Whether nothing more will happen to the entry.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            StatementStatus::Succeeded
                | StatementStatus::Failed
                | StatementStatus::Denied
                | StatementStatus::Interrupted
        )
    }
}

/// Which statements an activity holds for a reviewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatementReview {
    /// None: every statement runs at once.
    #[default]
    None,
    /// Every statement.
    All,
    /// Every statement that may write (see [`may_write`]).
    Writes,
}

impl StatementReview {
    pub fn requires_review(self, sql: &str) -> bool {
        match self {
            StatementReview::None => false,
            StatementReview::All => true,
            StatementReview::Writes => may_write(sql),
        }
    }
}

/// Whether a statement may change anything, conservatively: only one statement that starts
/// with SELECT, SHOW, EXPLAIN, VALUES or TABLE is taken as a read. Anything else, and any
/// text after a `;`, counts as a write. (`SELECT … INTO`, a function with side effects or
/// `EXPLAIN ANALYZE` of a write can still write: an activity that must review those reviews
/// `all`.)
pub fn may_write(sql: &str) -> bool {
    let text = sql.trim();
    if let Some(position) = text.find(';')
        && !text[position + 1..].trim().is_empty()
    {
        return true;
    }
    let first: String = text
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_ascii_uppercase();
    !["SELECT", "SHOW", "EXPLAIN", "VALUES", "TABLE"].contains(&first.as_str())
}

/// The result rows an entry keeps (at most the configured number).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StatementRows {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Option<String>>>,
    /// Rows the result had in all, kept or not.
    pub total: u64,
}

/// One entry of a session's activity log: a statement asked for, and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementEntry {
    /// Given by the store; unique across sessions.
    pub id: i64,
    pub session_id: Uuid,
    pub requested_by: Uuid,
    pub requested_by_name: String,
    pub requested_at: DateTime<Utc>,
    pub sql: String,
    pub status: StatementStatus,
    /// The entry this one runs again.
    pub rerun_of: Option<i64>,
    pub started_at: Option<DateTime<Utc>>,
    pub duration_ms: Option<u64>,
    pub rows_affected: Option<u64>,
    pub result: Option<StatementRows>,
    pub error: Option<String>,
    pub reviewed_by: Option<Uuid>,
    pub reviewed_by_name: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub review_reason: Option<String>,
    /// The outbox run (its idempotency key) that runs an approved statement.
    pub run_id: Option<Uuid>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_single_plain_read_is_a_read() {
        for read in [
            "SELECT 1",
            "  select * from t;",
            "show search_path",
            "EXPLAIN SELECT 1",
            "values (1)",
            "TABLE t",
            "SELECT 1;  ",
        ] {
            assert!(!may_write(read), "{read}");
        }
        for write in [
            "INSERT INTO t VALUES (1)",
            "update t set a = 1",
            "SELECT 1; DROP TABLE t",
            "with x as (delete from t returning *) select * from x",
            "",
            "(SELECT 1)",
            "SELECTED",
        ] {
            assert!(may_write(write), "{write}");
        }
    }

    #[test]
    fn status_words_round_trip() {
        for status in StatementStatus::ALL {
            assert_eq!(StatementStatus::from_word(status.word()), Some(status));
        }
    }
}
