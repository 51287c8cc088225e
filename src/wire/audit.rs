//! `GET /api/v1/Audit` (a pamctl extension): rows of the tamper-evident audit trail.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One audit row as the API shows it, with its place in the hash chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    /// The row's sequence number: consecutive from 1.
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    /// The account's name, or the login a failed sign-in tried.
    pub actor: Option<String>,
    /// The client's address.
    pub source: Option<String>,
    pub action: String,
    /// A session id, a token id, a route.
    pub target: Option<String>,
    /// `ok`, `failed`, `refused`, or a refusal's HTTP status (`403 Forbidden`).
    pub outcome: String,
    pub detail: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}
