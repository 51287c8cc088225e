//! `GET /api/v1/Health`: no sign-in, for load balancers and monitors. It asks the database,
//! so that a replica cut off from it is taken out of rotation: `"Healthy"`, or a 503 problem
//! when the database does not answer. `?detail=true` always answers 200 with a report of the
//! replica and its database, whose `status` says the same.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::extract::QueryParams;
use super::problem::ApiError;
use crate::wire::health::{DatabaseReport, HealthReport};

/// What Health answers: the bare string, or with `?detail=true` the report.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[allow(dead_code)] // Only described, never built.
#[serde(untagged)]
pub enum HealthAnswer {
    /// `"Healthy"`.
    Plain(String),
    Detail(HealthReport),
}

#[utoipa::path(
    get,
    path = "/api/v1/health",
    operation_id = "getHealth",
    tag = "Service",
    security(()),
    params(("detail" = Option<bool>, Query, description = "pamctl extension: answer 200 with a report of the replica and its database")),
    responses(
        (status = 200, description = "`\"Healthy\"`, or with `detail=true` a HealthReport", body = HealthAnswer),
        (status = 503, response = super::openapi::Unavailable),
    ),
)]
pub async fn health(State(state): State<Arc<AppState>>, query: QueryParams) -> Response {
    let database = state.broker.database_health().await;
    if let Some(error) = database.error.as_deref().filter(|_| !database.reachable) {
        tracing::warn!(%error, backend = database.backend, "health: the database does not answer");
    }
    let detail = query
        .get("detail")
        .is_some_and(|v| !matches!(v.to_ascii_lowercase().as_str(), "false" | "0" | "no"));
    if detail {
        let report = HealthReport {
            status: if database.reachable {
                "Healthy"
            } else {
                "Unhealthy"
            }
            .to_owned(),
            instance: state.broker.instance().to_owned(),
            database: DatabaseReport {
                backend: database.backend.to_owned(),
                reachable: database.reachable,
                latency_ms: database.latency.as_secs_f64() * 1000.0,
            },
        };
        return Json(report).into_response();
    }
    if database.reachable {
        Json("Healthy").into_response()
    } else {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "unhealthy: the {} database does not answer",
                database.backend
            ),
        )
        .with_hint("the broker's log says why; GET /api/v1/Health?detail=true reports the database")
        .into_response()
    }
}
