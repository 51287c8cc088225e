//! The activity log endpoints (pamctl extensions): run a statement in a session, list and
//! read its entries, run one again, and review held statements.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::Value;

use super::AppState;
use super::extract::{Authenticated, WireJson, parse_id};
use super::openapi::{BadRequest, Conflict, Forbidden, NotFound};
use super::problem::ApiError;
use crate::broker::exec::{PendingStatement, StatementDecision};
use crate::core::{StatementEntry, StatementStatus};
use crate::wire::statement::{ActivityEntry, ExecRequest, PendingStatement as WirePending};

pub fn entry_to_wire(entry: &StatementEntry) -> ActivityEntry {
    let result = entry.result.clone().unwrap_or_default();
    ActivityEntry {
        id: entry.id,
        session_id: entry.session_id,
        requested_by: entry.requested_by,
        requested_by_user_name: entry.requested_by_name.clone(),
        requested_date_time_utc: entry.requested_at,
        sql: entry.sql.clone(),
        status: entry.status.word().to_owned(),
        rerun_of: entry.rerun_of,
        started_date_time_utc: entry.started_at,
        duration_ms: entry.duration_ms,
        rows_affected: entry.rows_affected,
        columns: result.columns,
        rows: result.rows,
        total_rows: entry.result.as_ref().map(|r| r.total),
        error: entry.error.clone(),
        reviewed_by_user_name: entry.reviewed_by_name.clone(),
        reviewed_date_time_utc: entry.reviewed_at,
        review_reason: entry.review_reason.clone(),
    }
}

fn parse_entry(text: &str) -> Result<i64, ApiError> {
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| {
            ApiError::bad_field(
                "entry",
                format!("'{text}' is not an activity log entry id (a positive number)"),
            )
        })
}

/// 202 for a statement held for review (it has not run), 200 once it ran, failed or not.
fn reply(entry: &StatementEntry) -> (StatusCode, Json<ActivityEntry>) {
    let status = if entry.status == StatementStatus::PendingReview {
        StatusCode::ACCEPTED
    } else {
        StatusCode::OK
    };
    (status, Json(entry_to_wire(entry)))
}

/// `POST /api/v1/ActivitySession/{id}/Exec` with `{"sql": "..."}`.
#[utoipa::path(
    post,
    path = "/api/v1/activitysession/{id}/exec",
    operation_id = "execStatement",
    tag = "Sessions",
    description = "pamctl extension: runs a SQL statement as the session's own role (through the outbox), or holds it for review.",
    params(("id" = Uuid, Path, description = "The session's id")),
    request_body = ExecRequest,
    responses(
        (status = 200, description = "The entry, run (succeeded or failed)", body = ActivityEntry),
        (status = 202, description = "The entry, held for review", body = ActivityEntry),
        (status = 400, response = BadRequest),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    ),
)]
pub async fn exec(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    WireJson(body): WireJson<ExecRequest>,
) -> Result<(StatusCode, Json<ActivityEntry>), ApiError> {
    let entry = state
        .broker
        .exec_statement(&caller, parse_id("id", &id)?, &body.sql)
        .await?;
    Ok(reply(&entry))
}

/// `GET /api/v1/ActivitySession/{id}/Activity`: the session's activity log, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/activitysession/{id}/activity",
    operation_id = "listActivity",
    tag = "Sessions",
    description = "pamctl extension: the session's activity log of statements, oldest first.",
    params(("id" = Uuid, Path, description = "The session's id")),
    responses(
        (status = 200, description = "The activity log", body = Vec<ActivityEntry>),
        (status = 400, response = BadRequest),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
)]
pub async fn activity(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<Vec<ActivityEntry>>, ApiError> {
    let entries = state
        .broker
        .activity_log(&caller, parse_id("id", &id)?)
        .await?;
    Ok(Json(entries.iter().map(entry_to_wire).collect()))
}

/// `GET /api/v1/ActivitySession/{id}/Activity/{entry}`.
#[utoipa::path(
    get,
    path = "/api/v1/activitysession/{id}/activity/{entry}",
    operation_id = "getActivityEntry",
    tag = "Sessions",
    description = "pamctl extension: one entry of the activity log.",
    params(("id" = Uuid, Path, description = "The session's id"), ("entry" = i64, Path, description = "The activity log entry's id")),
    responses(
        (status = 200, description = "The entry", body = ActivityEntry),
        (status = 400, response = BadRequest),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
)]
pub async fn activity_entry(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path((id, entry)): Path<(String, String)>,
) -> Result<Json<ActivityEntry>, ApiError> {
    let entry = state
        .broker
        .activity_entry(&caller, parse_id("id", &id)?, parse_entry(&entry)?)
        .await?;
    Ok(Json(entry_to_wire(&entry)))
}

/// `POST /api/v1/ActivitySession/{id}/Activity/{entry}/Rerun`.
#[utoipa::path(
    post,
    path = "/api/v1/activitysession/{id}/activity/{entry}/rerun",
    operation_id = "rerunStatement",
    tag = "Sessions",
    description = "pamctl extension: runs a recorded statement again (reviewed again when the activity requires it).",
    params(("id" = Uuid, Path, description = "The session's id"), ("entry" = i64, Path, description = "The activity log entry's id")),
    responses(
        (status = 200, description = "The new entry, run", body = ActivityEntry),
        (status = 202, description = "The new entry, held for review", body = ActivityEntry),
        (status = 400, response = BadRequest),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    ),
)]
pub async fn rerun(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path((id, entry)): Path<(String, String)>,
) -> Result<(StatusCode, Json<ActivityEntry>), ApiError> {
    let entry = state
        .broker
        .rerun_statement(&caller, parse_id("id", &id)?, parse_entry(&entry)?)
        .await?;
    Ok(reply(&entry))
}

/// `GET /api/v1/ActivitySession/StatementApprovals`: held statements the caller may review.
#[utoipa::path(
    get,
    path = "/api/v1/activitysession/statementapprovals",
    operation_id = "listStatementApprovals",
    tag = "Approvals",
    description = "pamctl extension: held statements the caller may review.",
    responses(
        (status = 200, description = "The held statements", body = Vec<WirePending>),
    ),
)]
pub async fn statement_approvals(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
) -> Result<Json<Vec<WirePending>>, ApiError> {
    let pending = state.broker.pending_statements_for(&caller).await?;
    Ok(Json(
        pending
            .iter()
            .map(|PendingStatement { entry, session }| WirePending {
                entry: entry_to_wire(entry),
                resource_name: session.resource_name.clone(),
                activity_name: session.activity_name.clone(),
            })
            .collect(),
    ))
}

/// `POST /api/v1/ActivitySession/{id}/Activity/{entry}/Approve`.
#[utoipa::path(
    post,
    path = "/api/v1/activitysession/{id}/activity/{entry}/approve",
    operation_id = "approveStatement",
    tag = "Approvals",
    description = "pamctl extension: approves a held statement; it then runs once, through the outbox.",
    params(("id" = Uuid, Path, description = "The session's id"), ("entry" = i64, Path, description = "The activity log entry's id")),
    responses(
        (status = 200, description = "The entry, approved", body = ActivityEntry),
        (status = 400, response = BadRequest),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    ),
)]
pub async fn approve(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path((id, entry)): Path<(String, String)>,
) -> Result<Json<ActivityEntry>, ApiError> {
    decide(&state, &caller, &id, &entry, StatementDecision::Approve).await
}

/// `POST /api/v1/ActivitySession/{id}/Activity/{entry}/Deny` with the reason as a JSON
/// string.
#[utoipa::path(
    post,
    path = "/api/v1/activitysession/{id}/activity/{entry}/deny",
    operation_id = "denyStatement",
    tag = "Approvals",
    description = "pamctl extension: denies a held statement; it never runs. The body is the reason, a JSON string.",
    params(("id" = Uuid, Path, description = "The session's id"), ("entry" = i64, Path, description = "The activity log entry's id")),
    request_body = String,
    responses(
        (status = 200, description = "The entry, denied", body = ActivityEntry),
        (status = 400, response = BadRequest),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    ),
)]
pub async fn deny(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path((id, entry)): Path<(String, String)>,
    WireJson(reason): WireJson<Value>,
) -> Result<Json<ActivityEntry>, ApiError> {
    let Value::String(reason) = reason else {
        return Err(ApiError::bad_field(
            "body",
            "send the reason for the denial as a JSON string",
        ));
    };
    decide(
        &state,
        &caller,
        &id,
        &entry,
        StatementDecision::Deny { reason },
    )
    .await
}

async fn decide(
    state: &AppState,
    caller: &crate::broker::Caller,
    id: &str,
    entry: &str,
    decision: StatementDecision,
) -> Result<Json<ActivityEntry>, ApiError> {
    let session = parse_id("id", id)?;
    let entry_id = parse_entry(entry)?;
    // The entry must belong to the session the path names (404 otherwise).
    state
        .broker
        .activity_entry(caller, session, entry_id)
        .await?;
    let entry = state
        .broker
        .decide_statement(caller, entry_id, decision)
        .await?;
    Ok(Json(entry_to_wire(&entry)))
}
