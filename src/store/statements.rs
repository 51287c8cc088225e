//! The activity log's entries as both stores keep them: the column list, the result rows as
//! JSON text, and the checks on what comes back.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::StoreError;
use crate::core::{StatementEntry, StatementRows, StatementStatus};

pub(super) const COLUMNS: &str = "id, session_id, requested_by, requested_by_name, requested_at, \
     sql_text, status, rerun_of, started_at, duration_ms, rows_affected, result, error, \
     reviewed_by, reviewed_by_name, reviewed_at, review_reason, run_id";

const TABLE: &str = "session_statements";

/// An entry's columns as read, before they are checked.
pub(super) struct RawStatement {
    pub id: i64,
    pub session_id: Uuid,
    pub requested_by: Uuid,
    pub requested_by_name: String,
    pub requested_at: i64,
    pub sql: String,
    pub status: String,
    pub rerun_of: Option<i64>,
    pub started_at: Option<i64>,
    pub duration_ms: Option<i64>,
    pub rows_affected: Option<i64>,
    pub result: Option<String>,
    pub error: Option<String>,
    pub reviewed_by: Option<Uuid>,
    pub reviewed_by_name: Option<String>,
    pub reviewed_at: Option<i64>,
    pub review_reason: Option<String>,
    pub run_id: Option<Uuid>,
}

fn corrupt(message: String) -> StoreError {
    StoreError::Corrupt {
        table: TABLE,
        message,
    }
}

fn time(value: i64, column: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_millis(value)
        .ok_or_else(|| corrupt(format!("{column}: {value} is out of range")))
}

fn count(value: Option<i64>, column: &str) -> Result<Option<u64>, StoreError> {
    value
        .map(|v| u64::try_from(v).map_err(|_| corrupt(format!("{column}: {v} is negative"))))
        .transpose()
}

impl RawStatement {
    pub(super) fn into_entry(self) -> Result<StatementEntry, StoreError> {
        Ok(StatementEntry {
            id: self.id,
            session_id: self.session_id,
            requested_by: self.requested_by,
            requested_by_name: self.requested_by_name,
            requested_at: time(self.requested_at, "requested_at")?,
            sql: self.sql,
            status: StatementStatus::from_word(&self.status)
                .ok_or_else(|| corrupt(format!("status: {}", self.status)))?,
            rerun_of: self.rerun_of,
            started_at: self.started_at.map(|t| time(t, "started_at")).transpose()?,
            duration_ms: count(self.duration_ms, "duration_ms")?,
            rows_affected: count(self.rows_affected, "rows_affected")?,
            result: self.result.as_deref().map(rows_from_json).transpose()?,
            error: self.error,
            reviewed_by: self.reviewed_by,
            reviewed_by_name: self.reviewed_by_name,
            reviewed_at: self
                .reviewed_at
                .map(|t| time(t, "reviewed_at"))
                .transpose()?,
            review_reason: self.review_reason,
            run_id: self.run_id,
        })
    }
}

pub(super) fn rows_to_json(rows: Option<&StatementRows>) -> Option<String> {
    rows.map(|rows| {
        serde_json::json!({"columns": rows.columns, "rows": rows.rows, "total": rows.total})
            .to_string()
    })
}

fn rows_from_json(text: &str) -> Result<StatementRows, StoreError> {
    #[derive(serde::Deserialize)]
    struct Stored {
        columns: Vec<String>,
        rows: Vec<Vec<Option<String>>>,
        total: u64,
    }
    let stored: Stored = serde_json::from_str(text).map_err(|e| corrupt(format!("result: {e}")))?;
    Ok(StatementRows {
        columns: stored.columns,
        rows: stored.rows,
        total: stored.total,
    })
}

/// A count as the stores keep it (they have no unsigned integers).
pub(super) fn signed(value: Option<u64>) -> Option<i64> {
    value.map(|v| i64::try_from(v).unwrap_or(i64::MAX))
}
