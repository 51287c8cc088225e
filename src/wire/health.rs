//! `GET /api/v1/Health?detail=true`: how one broker replica and its database are doing. (The
//! plain `GET /api/v1/Health` answers the bare string NPS clients expect.)

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HealthReport {
    /// `Healthy`, or `Unhealthy` when the database does not answer.
    pub status: String,
    /// This replica's instance id (new at every start; also in its start-up log).
    pub instance: String,
    pub database: DatabaseReport,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseReport {
    /// `sqlite` or `postgres`; never the URL.
    pub backend: String,
    pub reachable: bool,
    /// How long a trivial query took, in milliseconds.
    pub latency_ms: f64,
}
