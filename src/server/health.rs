//! `GET /api/v1/Health`: no sign-in, for load balancers and monitors. It asks the database,
//! so that a replica cut off from it is taken out of rotation (503).

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::extract::QueryParams;
use crate::wire::health::{DatabaseReport, HealthReport};

pub async fn health(State(state): State<Arc<AppState>>, query: QueryParams) -> Response {
    let database = state.broker.database_health().await;
    let (code, word) = if database.reachable {
        (StatusCode::OK, "Healthy")
    } else {
        if let Some(error) = &database.error {
            tracing::warn!(%error, backend = database.backend, "health: the database does not answer");
        }
        (StatusCode::SERVICE_UNAVAILABLE, "Unhealthy")
    };
    let detail = query
        .get("detail")
        .is_some_and(|v| !matches!(v.to_ascii_lowercase().as_str(), "false" | "0" | "no"));
    if !detail {
        return (code, Json(word)).into_response();
    }
    let report = HealthReport {
        status: word.to_owned(),
        instance: state.broker.instance().to_owned(),
        database: DatabaseReport {
            backend: database.backend.to_owned(),
            reachable: database.reachable,
            latency_ms: database.latency.as_secs_f64() * 1000.0,
        },
    };
    (code, Json(report)).into_response()
}
