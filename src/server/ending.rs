//! `POST /api/v1/ActivitySession/End` (pamctl extension): many sessions ended in one request,
//! each answered as its own `DELETE /api/v1/ActivitySession/{id}` would be.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;

use super::AppState;
use super::audit::REFUSALS;
use super::extract::{Authenticated, ClientAddr, WireJson};
use super::openapi::{BadRequest, Unprocessable};
use super::problem::ApiError;
use super::session::to_wire;
use crate::wire::session::{EndSessionResult, EndSessionsRequest};

/// Ends each session as `DELETE /api/v1/ActivitySession/{id}` would (the same checks, log
/// lines, audit records and post-session actions), in one transaction where it can.
#[utoipa::path(
    post,
    path = "/api/v1/activitysession/end",
    operation_id = "endActivitySessions",
    tag = "Sessions",
    description = "pamctl extension: ends up to 500 sessions, each as its own DELETE would; one result per id, in order. One id's failure never fails the others.",
    request_body = EndSessionsRequest,
    responses(
        (status = 200, description = "One result per id, in the request's order", body = Vec<EndSessionResult>),
        (status = 400, response = BadRequest),
        (status = 422, response = Unprocessable),
    ),
)]
pub async fn end_many(
    State(state): State<Arc<AppState>>,
    ClientAddr(from): ClientAddr,
    Authenticated(caller): Authenticated,
    WireJson(request): WireJson<EndSessionsRequest>,
) -> Result<Json<Vec<EndSessionResult>>, ApiError> {
    let ids = request.activity_session_ids;
    let results = state.broker.end_sessions(&caller, &ids).await?;
    let ended: Vec<uuid::Uuid> = results
        .iter()
        .filter_map(|r| r.as_ref().ok().map(|s| s.id))
        .collect();
    let mut approvals = state.broker.approvals_by_session(&ended).await?;
    let mut answers = Vec::with_capacity(results.len());
    for (id, result) in ids.into_iter().zip(results) {
        answers.push(match result {
            Ok(session) => EndSessionResult {
                id,
                ok: true,
                status: 200,
                error: None,
                problem: None,
                activity_session: Some(to_wire(
                    &session,
                    &approvals.remove(&session.id).unwrap_or_default(),
                )),
            },
            Err(error) => {
                let error = ApiError::from(error);
                let status = error.status();
                // As the refusal of its own DELETE would be.
                if REFUSALS.contains(&status.as_u16()) {
                    let outcome = format!(
                        "{} {}",
                        status.as_u16(),
                        status.canonical_reason().unwrap_or("refused")
                    );
                    let route = format!("POST /api/v1/activitysession/end: {id}");
                    state
                        .broker
                        .record_refusal(Some(&caller), from, &route, &outcome)
                        .await;
                }
                let mut problem = error.into_problem();
                problem.instance = Some(format!("/api/v1/activitysession/{id}"));
                EndSessionResult {
                    id,
                    ok: false,
                    status: status.as_u16(),
                    error: problem.detail.clone(),
                    problem: Some(problem),
                    activity_session: None,
                }
            }
        });
    }
    Ok(Json(answers))
}
