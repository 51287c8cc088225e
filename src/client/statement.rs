//! The activity log endpoints (pamctl extensions): exec, activity, rerun and review.

use uuid::Uuid;

use super::{Client, ClientError};
use crate::wire::statement::{ActivityEntry, ExecRequest, PendingStatement};

impl Client {
    /// `POST /api/v1/ActivitySession/{id}/Exec`: the entry, run or held for review.
    pub async fn exec_statement(&self, id: Uuid, sql: &str) -> Result<ActivityEntry, ClientError> {
        self.post(
            &format!("api/v1/ActivitySession/{id}/Exec"),
            &ExecRequest {
                sql: sql.to_owned(),
            },
        )
        .await
    }

    pub async fn activity_log(&self, id: Uuid) -> Result<Vec<ActivityEntry>, ClientError> {
        self.get(&format!("api/v1/ActivitySession/{id}/Activity"), &[])
            .await
    }

    pub async fn activity_entry(&self, id: Uuid, entry: i64) -> Result<ActivityEntry, ClientError> {
        self.get(
            &format!("api/v1/ActivitySession/{id}/Activity/{entry}"),
            &[],
        )
        .await
    }

    pub async fn rerun_statement(
        &self,
        id: Uuid,
        entry: i64,
    ) -> Result<ActivityEntry, ClientError> {
        self.post(
            &format!("api/v1/ActivitySession/{id}/Activity/{entry}/Rerun"),
            &(),
        )
        .await
    }

    /// `GET /api/v1/ActivitySession/StatementApprovals`: held statements the caller may review.
    pub async fn pending_statements(&self) -> Result<Vec<PendingStatement>, ClientError> {
        self.get("api/v1/ActivitySession/StatementApprovals", &[])
            .await
    }

    pub async fn approve_statement(
        &self,
        id: Uuid,
        entry: i64,
    ) -> Result<ActivityEntry, ClientError> {
        self.post(
            &format!("api/v1/ActivitySession/{id}/Activity/{entry}/Approve"),
            &(),
        )
        .await
    }

    pub async fn deny_statement(
        &self,
        id: Uuid,
        entry: i64,
        reason: &str,
    ) -> Result<ActivityEntry, ClientError> {
        self.post(
            &format!("api/v1/ActivitySession/{id}/Activity/{entry}/Deny"),
            reason,
        )
        .await
    }
}
