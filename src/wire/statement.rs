//! The activity log of statements (pamctl extension): `POST …/{id}/Exec`, `GET …/{id}/Activity`,
//! re-runs and per-statement review.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The body of `POST /api/v1/ActivitySession/{id}/Exec`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExecRequest {
    pub sql: String,
}

/// The status words of an entry (what `status` holds).
pub const PENDING_REVIEW: &str = "pending review";
pub const SUCCEEDED: &str = "succeeded";
pub const FAILED: &str = "failed";

/// One entry of a session's activity log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActivityEntry {
    pub id: i64,
    pub session_id: Uuid,
    pub requested_by: Uuid,
    pub requested_by_user_name: String,
    pub requested_date_time_utc: DateTime<Utc>,
    pub sql: String,
    /// pending review, approved, running, succeeded, failed, denied or interrupted.
    pub status: String,
    #[serde(default)]
    pub rerun_of: Option<i64>,
    #[serde(default)]
    pub started_date_time_utc: Option<DateTime<Utc>>,
    #[serde(default)]
    pub duration_ms: Option<u64>,
    #[serde(default)]
    pub rows_affected: Option<u64>,
    /// The result's columns (empty for a statement without rows).
    #[serde(default)]
    pub columns: Vec<String>,
    /// Its first rows (at most `[server] exec_max_rows`), as text, `null` for NULL.
    #[serde(default)]
    pub rows: Vec<Vec<Option<String>>>,
    /// Rows the result had in all, kept or not.
    #[serde(default)]
    pub total_rows: Option<u64>,
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub reviewed_by_user_name: Option<String>,
    #[serde(default)]
    pub reviewed_date_time_utc: Option<DateTime<Utc>>,
    #[serde(default)]
    pub review_reason: Option<String>,
}

impl ActivityEntry {
    /// Whether nothing more will happen to it.
    pub fn is_final(&self) -> bool {
        matches!(
            self.status.as_str(),
            "succeeded" | "failed" | "denied" | "interrupted"
        )
    }
}

/// A held statement waiting for the caller's review
/// (`GET /api/v1/ActivitySession/StatementApprovals`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PendingStatement {
    #[serde(flatten)]
    pub entry: ActivityEntry,
    pub resource_name: String,
    pub activity_name: String,
}
