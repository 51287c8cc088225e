//! Activity session endpoints: create, read, search, end, lock, extend, log.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde_json::Value;
use uuid::Uuid;

use super::AppState;
use super::extract::{Authenticated, ClientAddr, QueryParams, WireJson, parse_id};
use super::openapi::{BadRequest, Conflict, Forbidden, NotFound, TooManyRequests, Unprocessable};
use super::paging::{Paging, PagingParams};
use super::problem::ApiError;
use crate::broker::Caller;
use crate::broker::approval::PendingRequest;
use crate::broker::session::{Reference, SessionRequest};
use crate::core::{Approval, Decision, LogLine, Session};
use crate::store::{Durations, LogQuery, SessionPage, SessionQuery, SessionSort};
use crate::wire::DataTable;
use crate::wire::enums::{
    ApprovalState, LogLevel, LoginSessionState, SessionSummaryStatus, TopUsersType, WireEnum,
};
use crate::wire::platform::platform_id;
use crate::wire::session::LogLine as WireLogLine;
use crate::wire::session::{
    ActivitySession, ActivitySessionGroup, ActivitySessionRequest, ApprovalWorkflowApproval,
    DurationSummary, LockRequest, PendingApproval, ResolveRequest, SessionActivity,
    SessionGroupRef, SessionLog, SessionPolicy, SessionResource, SessionSearchResult,
    SessionShares, SessionSummary, ShareRequest, TopUser,
};
use crate::wire::status::SessionState;

fn approval_to_wire(approval: &Approval) -> ApprovalWorkflowApproval {
    ApprovalWorkflowApproval {
        id: approval.id,
        approver_account_id: Some(approval.approver_id),
        modified_by_user_name: Some(approval.approver_name.clone()),
        approval_state: match approval.decision {
            Decision::Approved => ApprovalState::Approved,
            Decision::Denied => ApprovalState::Denied,
        },
        approver_notes: approval.notes.clone(),
        modified_date_time_utc: Some(approval.decided_at),
    }
}

pub(super) fn to_wire(session: &Session, approvals: &[Approval]) -> ActivitySession {
    let state = session.shown_state();
    ActivitySession {
        id: session.id,
        created_by: Some(session.created_by),
        created_by_user_name: Some(session.created_by_name.clone()),
        created_from_address: session.created_from.clone(),
        created_date_time_utc: Some(session.created_at),
        modified_date_time_utc: Some(session.modified_at),
        activity_id: Some(session.activity_id),
        activity_name: Some(session.activity_name.clone()),
        managed_resource_id: Some(session.resource_id),
        managed_resource_name: Some(session.resource_name.clone()),
        access_control_policy_id: Some(session.policy_id),
        access_control_policy_name: Some(session.policy_name.clone()),
        activity_session_group_id: session.group_id,
        activity: Some(SessionActivity {
            id: session.activity_id,
            name: Some(session.activity_name.clone()),
            platform_id: Some(platform_id(&session.platform)),
            platform_name: Some(session.platform.clone()),
            activity_type: Some(session.activity_type),
        }),
        managed_resource: Some(SessionResource {
            id: session.resource_id,
            name: Some(session.resource_name.clone()),
            display_name: session.resource_display_name.clone(),
            platform_id: Some(platform_id(&session.platform)),
            platform_name: Some(session.platform.clone()),
        }),
        access_control_policy: Some(SessionPolicy {
            id: session.policy_id,
            name: Some(session.policy_name.clone()),
        }),
        managed_account: None,
        activity_session_group: session.group_id.map(|id| SessionGroupRef { id }),
        login_account_name: session.login_account_name.clone(),
        status: state.session_status(),
        status_description: status_description(session, approvals),
        status_message: session.status_message.clone(),
        locked: session.locked,
        lock_title: session.lock_title.clone().filter(|_| session.locked),
        lock_message: session.lock_message.clone().filter(|_| session.locked),
        scheduled_start_date_time_utc: Some(session.scheduled_start),
        actual_start_date_time_utc: session.actual_start,
        scheduled_end_date_time_utc: Some(session.scheduled_end),
        actual_end_date_time_utc: session.actual_end,
        cancelled_by: session.cancelled_by.map(|id| id.to_string()),
        cancelled_by_user_name: session.cancelled_by_name.clone(),
        note: session.note.clone(),
        ticket: session.ticket.clone(),
        allow_session_extension: session.extension_allowed,
        session_extension_count: session.extension_count,
        session_extension_minutes: session.extension_minutes,
        approval_workflow_approvals: approvals.iter().map(approval_to_wire).collect(),
    }
}

/// `statusDescription`: what the status number alone does not say (who ended the session,
/// what failed, why approval failed), or null when there is nothing to add; clients label
/// the number themselves.
fn status_description(session: &Session, approvals: &[Approval]) -> Option<String> {
    let denial = || {
        approvals
            .iter()
            .find(|a| a.decision == Decision::Denied)
            .map(|a| match &a.notes {
                Some(notes) if !notes.trim().is_empty() => {
                    format!("denied by {}: {notes}", a.approver_name)
                }
                _ => format!("denied by {}", a.approver_name),
            })
    };
    match session.state {
        SessionState::Failed | SessionState::RevokeFailed => session
            .status_message
            .clone()
            .or_else(|| session.failure_reason.clone()),
        SessionState::Denied => denial(),
        SessionState::ApprovalFailed => session
            .failure_reason
            .clone()
            .or_else(|| Some("no decision before the approval deadline".to_owned())),
        SessionState::Canceling | SessionState::Cancelled | SessionState::Complete => session
            .cancelled_by_name
            .as_ref()
            .map(|name| format!("ended by {name}")),
        _ => None,
    }
}

/// The session as the wire shows it, with its approvals.
async fn session_reply(
    state: &AppState,
    session: &Session,
) -> Result<Json<ActivitySession>, ApiError> {
    let approvals = state.broker.approvals_of(session.id).await?;
    Ok(Json(to_wire(session, &approvals)))
}

fn to_summary(session: &Session, now: DateTime<Utc>) -> SessionSummary {
    let state = session.shown_state();
    SessionSummary {
        id: session.id,
        user_id: Some(session.created_by),
        user_display_name: Some(session.created_by_name.clone()),
        created_by: Some(session.created_by),
        created_by_display_name: Some(session.created_by_display_name.clone()),
        managed_resource_id: Some(session.resource_id),
        managed_resource_name: Some(session.resource_name.clone()),
        managed_resource_display_name: session.resource_display_name.clone(),
        activity_id: Some(session.activity_id),
        activity_name: Some(session.activity_name.clone()),
        activity_type: Some(session.activity_type),
        platform_name: Some(session.platform.clone()),
        access_policy_id: Some(session.policy_id),
        access_policy_name: Some(session.policy_name.clone()),
        login_account_name: session.login_account_name.clone(),
        start_date_time_utc: Some(session.scheduled_start),
        actual_start_date_time_utc: session.actual_start,
        end_date_time_utc: Some(session.scheduled_end),
        actual_end_date_time_utc: session.actual_end,
        created_date_time_utc: Some(session.created_at),
        expiration_date_time_utc: Some(session.scheduled_end),
        duration_in_seconds: session.duration_seconds(now),
        session_status: state.session_status(),
        session_status_description: Some(state.session_status().name().to_owned()),
        status: state.summary_status(),
        status_message: Some(
            session
                .status_message
                .clone()
                .unwrap_or_else(|| state.word().to_owned()),
        ),
        login_date_time_utc: session.login_at,
        login_session_state: match state {
            SessionState::LoggedIn | SessionState::Locked if session.login_at.is_some() => {
                LoginSessionState::Active
            }
            _ => LoginSessionState::Inactive,
        },
        locked: session.locked,
        note: session.note.clone(),
        ticket: session.ticket.clone(),
        allow_session_extension: session.extension_allowed,
        session_extension_count: session.extension_count,
        session_extension_minutes: session.extension_minutes,
    }
}

fn reference(id: Option<Uuid>, name: Option<String>, field: &str) -> Result<Reference, ApiError> {
    match (id, name.filter(|n| !n.trim().is_empty())) {
        (Some(id), _) => Ok(Reference::Id(id)),
        (None, Some(name)) => Ok(Reference::Name(name)),
        (None, None) => Err(ApiError::bad_field(
            &format!("{field}Id"),
            format!("required: give {field}Id or {field}Name"),
        )),
    }
}

fn to_request(request: ActivitySessionRequest) -> Result<SessionRequest, ApiError> {
    Ok(SessionRequest {
        activity: reference(request.activity_id, request.activity_name, "activity")?,
        resource: reference(
            request.managed_resource_id,
            request.managed_resource_name,
            "managedResource",
        )?,
        start: request.start_date_time_utc,
        end: request.end_date_time_utc,
        note: request.note,
        ticket: request.ticket,
        policy: request.access_policy_id,
        custom_fields: request.custom_fields,
    })
}

#[utoipa::path(
    post,
    path = "/api/v1/activitysession",
    operation_id = "createActivitySession",
    tag = "Sessions",
    request_body= ActivitySessionRequest,
    responses(
        (status = 201, description = "The new session", body = ActivitySession),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 422, response = Unprocessable),
        (status = 429, response = TooManyRequests),
    ),
)]
pub async fn create(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    ClientAddr(from): ClientAddr,
    WireJson(request): WireJson<ActivitySessionRequest>,
) -> Result<(StatusCode, Json<ActivitySession>), ApiError> {
    let (_, sessions) = state
        .broker
        .create_sessions(&caller, vec![to_request(request)?], Some(from.to_string()))
        .await?;
    let session = sessions.first().ok_or_else(|| {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "no session was created")
    })?;
    Ok((StatusCode::CREATED, Json(to_wire(session, &[]))))
}

#[utoipa::path(
    post,
    path = "/api/v1/activitysession/group",
    operation_id = "createActivitySessionGroup",
    tag = "Sessions",
    request_body= Vec<ActivitySessionRequest>,
    responses(
        (status = 201, description = "The group and its new sessions", body = ActivitySessionGroup),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 422, response = Unprocessable),
        (status = 429, response = TooManyRequests),
    ),
)]
pub async fn create_group(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    ClientAddr(from): ClientAddr,
    WireJson(requests): WireJson<Vec<ActivitySessionRequest>>,
) -> Result<(StatusCode, Json<ActivitySessionGroup>), ApiError> {
    let requests = requests
        .into_iter()
        .enumerate()
        .map(|(index, request)| {
            to_request(request).map_err(|e| e.prefix_field(&format!("[{index}].")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let (group, sessions) = state
        .broker
        .create_sessions(&caller, requests, Some(from.to_string()))
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ActivitySessionGroup {
            id: group.unwrap_or_else(|| sessions.first().map_or_else(Uuid::nil, |s| s.id)),
            activity_sessions: sessions.iter().map(|s| to_wire(s, &[])).collect(),
        }),
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/activitysession",
    operation_id = "listActivitySessions",
    tag = "Sessions",
    responses(
        (status = 200, description = "The sessions the caller may see", body = Vec<ActivitySession>),
    ),
)]
pub async fn list(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
) -> Result<Json<Vec<ActivitySession>>, ApiError> {
    let sessions = state
        .broker
        .search_sessions(&caller, &SessionQuery::default())
        .await?
        .sessions;
    let ids: Vec<Uuid> = sessions.iter().map(|s| s.id).collect();
    let mut approvals = state.broker.approvals_by_session(&ids).await?;
    Ok(Json(
        sessions
            .iter()
            .map(|s| to_wire(s, &approvals.remove(&s.id).unwrap_or_default()))
            .collect(),
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/activitysession/{id}",
    operation_id = "getActivitySession",
    tag = "Sessions",
    params(("id" = Uuid, Path, description = "The session's id")),
    responses(
        (status = 200, description = "The session", body = ActivitySession),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
    ),
)]
pub async fn get(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<ActivitySession>, ApiError> {
    let (session, approvals) = state
        .broker
        .visible_session_with_approvals(&caller, parse_id("id", &id)?)
        .await?;
    Ok(Json(to_wire(&session, &approvals)))
}

/// `GET /api/v1/ActivitySession/Ssh/{id}`: `ssh://login@host:port` for a live Linux session,
/// for its requester.
#[utoipa::path(
    get,
    path = "/api/v1/activitysession/ssh/{id}",
    operation_id = "getActivitySessionSshUrl",
    tag = "Sessions",
    params(("id" = Uuid, Path, description = "The session's id")),
    responses(
        (status = 200, description = "`ssh://login@host:port` for a live Linux session, for its requester", content_type = "application/json", body = String),
        (status = 400, response = BadRequest),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 422, response = Unprocessable),
    ),
)]
pub async fn ssh_url(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<String>, ApiError> {
    let connection = state
        .broker
        .connection(&caller, parse_id("id", &id)?)
        .await?;
    require_platform(&connection.platform, "Linux", "SSH", "Rdp")?;
    let login =
        url::form_urlencoded::byte_serialize(connection.login.as_bytes()).collect::<String>();
    Ok(Json(format!(
        "ssh://{login}@{}:{}",
        connection.host,
        connection.port_ssh.unwrap_or(22)
    )))
}

/// `GET /api/v1/ActivitySession/Rdp/{id}`: an .rdp file for a live Windows session, for its
/// requester.
#[utoipa::path(
    get,
    path = "/api/v1/activitysession/rdp/{id}",
    operation_id = "getActivitySessionRdpFile",
    tag = "Sessions",
    params(("id" = Uuid, Path, description = "The session's id")),
    responses(
        (status = 200, description = "An .rdp file for a live Windows session, for its requester", content_type = "application/x-rdp", body = String),
        (status = 400, response = BadRequest),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 422, response = Unprocessable),
    ),
)]
pub async fn rdp_file(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let connection = state
        .broker
        .connection(&caller, parse_id("id", &id)?)
        .await?;
    require_platform(&connection.platform, "Windows", "RDP", "Ssh")?;
    // One setting per line; a value cannot hold a line break.
    let clean = |value: &str| value.replace(['\r', '\n'], "");
    let file = format!(
        "full address:s:{}:{}\r\nusername:s:{}\r\nprompt for credentials:i:1\r\n",
        clean(&connection.host),
        connection.port_rdp.unwrap_or(3389),
        clean(&connection.login)
    );
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "application/x-rdp"),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"session.rdp\"",
            ),
        ],
        file,
    )
        .into_response())
}

/// Refuses a connection kind the session's platform does not take (422), naming the other.
fn require_platform(platform: &str, wanted: &str, kind: &str, other: &str) -> Result<(), ApiError> {
    let known = crate::wire::platform::known_platform(platform).map(|p| p.name);
    if known == Some(wanted) {
        return Ok(());
    }
    Err(ApiError::from(crate::broker::BrokerError::PolicyRefused {
        message: format!("{kind} is for {wanted} sessions; this one is on {platform}"),
        hint: Some(format!(
            "for a Windows session ask for .../{other}/{{id}}, for a Linux one .../Ssh/{{id}}"
        )),
    }))
}

#[utoipa::path(
    get,
    path = "/api/v1/activitysession/summarybyid/{id}",
    operation_id = "getActivitySessionSummary",
    tag = "Sessions",
    params(("id" = Uuid, Path, description = "The session's id")),
    responses(
        (status = 200, description = "The session's summary", body = SessionSummary),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
    ),
)]
pub async fn summary_by_id(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<SessionSummary>, ApiError> {
    let session = state
        .broker
        .visible_session(&caller, parse_id("id", &id)?)
        .await?;
    Ok(Json(to_summary(&session, state.broker.now())))
}

#[utoipa::path(
    delete,
    path = "/api/v1/activitysession/{id}",
    operation_id = "endActivitySession",
    tag = "Sessions",
    params(("id" = Uuid, Path, description = "The session's id")),
    responses(
        (status = 200, description = "The session, ending", body = ActivitySession),
        (status = 400, response = BadRequest),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 422, response = Unprocessable),
    ),
)]
pub async fn end(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<ActivitySession>, ApiError> {
    let (session, approvals) = state
        .broker
        .end_session_with_approvals(&caller, parse_id("id", &id)?)
        .await?;
    Ok(Json(to_wire(&session, &approvals)))
}

#[utoipa::path(
    put,
    path = "/api/v1/activitysession/lock",
    operation_id = "lockActivitySessions",
    tag = "Sessions",
    request_body= LockRequest,
    responses(
        (status = 200, description = "The request, done", body = LockRequest),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 422, response = Unprocessable),
    ),
)]
pub async fn lock(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    WireJson(request): WireJson<LockRequest>,
) -> Result<Json<LockRequest>, ApiError> {
    state
        .broker
        .set_locked_all(
            &caller,
            &request.activity_session_ids,
            request.locked,
            request.lock_title.clone(),
            request.lock_message.clone(),
        )
        .await?;
    Ok(Json(request))
}

#[utoipa::path(
    post,
    path = "/api/v1/activitysession/{id}/extend",
    operation_id = "extendActivitySession",
    tag = "Sessions",
    params(("id" = Uuid, Path, description = "The session's id")),
    request_body(content = i64, content_type = "application/json", description = "Minutes to extend by: a JSON integer (30), or {\"extensionMinutes\": 30}"),
    responses(
        (status = 200, description = "The extended session", body = ActivitySession),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 422, response = Unprocessable),
    ),
)]
pub async fn extend(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    WireJson(minutes): WireJson<Value>,
) -> Result<Json<ActivitySession>, ApiError> {
    // The reference documents a bare integer; NPS clients also send an object.
    let minutes = match &minutes {
        Value::Object(fields) => fields
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("extensionMinutes"))
            .map(|(_, value)| value),
        other => Some(other),
    };
    let minutes = match minutes {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
    .ok_or_else(|| {
        ApiError::bad_field(
            "body",
            "send the extension in minutes as a JSON integer (30) or as {\"extensionMinutes\": 30}",
        )
    })?;
    let (session, approvals) = state
        .broker
        .extend_session(&caller, parse_id("id", &id)?, minutes)
        .await?;
    Ok(Json(to_wire(&session, &approvals)))
}

/// `POST /api/v1/ActivitySession/{id}/Resolve` (pamctl extension): an admin closes a session
/// whose end action keeps failing, saying in `note` what was done about the access.
#[utoipa::path(
    post,
    path = "/api/v1/activitysession/{id}/resolve",
    operation_id = "resolveActivitySession",
    tag = "Sessions",
    description = "pamctl extension: an admin closes a session whose end action keeps failing.",
    params(("id" = Uuid, Path, description = "The session's id")),
    request_body= ResolveRequest,
    responses(
        (status = 200, description = "The resolved session", body = ActivitySession),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 422, response = Unprocessable),
    ),
)]
pub async fn resolve(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    WireJson(body): WireJson<ResolveRequest>,
) -> Result<Json<ActivitySession>, ApiError> {
    let session = state
        .broker
        .resolve_session(&caller, parse_id("id", &id)?, body.note.unwrap_or_default())
        .await?;
    session_reply(&state, &session).await
}

/// `POST /api/v1/ActivitySession/{id}/Share` (pamctl extension): lets a named user read the
/// session, its log and activity log.
#[utoipa::path(
    post,
    path = "/api/v1/activitysession/{id}/share",
    operation_id = "shareActivitySession",
    tag = "Sessions",
    description = "pamctl extension: the requester or an admin lets a named user read the session, its log and activity log.",
    params(("id" = Uuid, Path, description = "The session's id")),
    request_body = ShareRequest,
    responses(
        (status = 200, description = "Everyone the session is shared with now", body = SessionShares),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
)]
pub async fn share(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    WireJson(body): WireJson<ShareRequest>,
) -> Result<Json<SessionShares>, ApiError> {
    let id = parse_id("id", &id)?;
    let with = body
        .user_name
        .filter(|name| !name.trim().is_empty())
        .ok_or_else(|| ApiError::bad_field("userName", "required: the user to share it with"))?;
    let shared_with = state.broker.share_session(&caller, id, &with).await?;
    Ok(Json(SessionShares { id, shared_with }))
}

/// `GET /api/v1/ActivitySession/{id}/Password`: the session's database password, as a JSON
/// string, for its requester; the view is logged with who, when and from where.
#[utoipa::path(
    get,
    path = "/api/v1/activitysession/{id}/password",
    operation_id = "getActivitySessionPassword",
    tag = "Sessions",
    description = "The database role's password of a live session, for its requester only; every view is logged.",
    params(("id" = Uuid, Path, description = "The session's id")),
    responses(
        (status = 200, description = "The password", body = String, content_type = "application/json"),
        (status = 400, response = BadRequest),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    ),
)]
pub async fn password(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    ClientAddr(from): ClientAddr,
    Path(id): Path<String>,
) -> Result<Json<String>, ApiError> {
    let password = state
        .broker
        .session_password(&caller, parse_id("id", &id)?, from)
        .await?;
    // The one place the password leaves the broker.
    Ok(Json(password.expose().to_owned()))
}

/// `GET /api/v1/ActivitySession/{id}/CanViewPassword`: whether the caller may see it now.
#[utoipa::path(
    get,
    path = "/api/v1/activitysession/{id}/canviewpassword",
    operation_id = "canViewActivitySessionPassword",
    tag = "Sessions",
    params(("id" = Uuid, Path, description = "The session's id")),
    responses(
        (status = 200, description = "Whether the caller may see the password now", body = bool, content_type = "application/json"),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
    ),
)]
pub async fn can_view_password(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<bool>, ApiError> {
    Ok(Json(
        state
            .broker
            .can_view_password(&caller, parse_id("id", &id)?)
            .await?,
    ))
}

/// `GET /api/v1/ActivitySession/{id}/Connection` (pamctl extension): where a database-role
/// session connects, without the password.
#[utoipa::path(
    get,
    path = "/api/v1/activitysession/{id}/connection",
    operation_id = "getActivitySessionConnection",
    tag = "Sessions",
    description = "pamctl extension: where a database-role session connects (never the password).",
    params(("id" = Uuid, Path, description = "The session's id")),
    responses(
        (status = 200, description = "The connection", body = crate::wire::session::DatabaseConnection),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    ),
)]
pub async fn connection(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<crate::wire::session::DatabaseConnection>, ApiError> {
    let connection = state
        .broker
        .database_connection(&caller, parse_id("id", &id)?)
        .await?;
    Ok(Json(crate::wire::session::DatabaseConnection {
        connection_string: connection.uri(),
        host: connection.host,
        port: connection.port,
        database: connection.database,
        user: connection.user,
    }))
}

/// `POST /api/v1/ActivitySession/{id}/Login` (pamctl extension): a login to the resource was
/// detected; reported by an admin or an application (a resource agent).
#[utoipa::path(
    post,
    path = "/api/v1/activitysession/{id}/login",
    operation_id = "recordActivitySessionLogin",
    tag = "Sessions",
    description = "pamctl extension: a login to the resource was detected (admins and applications).",
    params(("id" = Uuid, Path, description = "The session's id")),
    responses(
        (status = 200, description = "The session", body = ActivitySession),
        (status = 400, response = BadRequest),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 422, response = Unprocessable),
    ),
)]
pub async fn login_detected(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<ActivitySession>, ApiError> {
    let session = state
        .broker
        .record_login(&caller, parse_id("id", &id)?)
        .await?;
    session_reply(&state, &session).await
}

pub(super) fn time_param(
    query: &QueryParams,
    name: &str,
) -> Result<Option<DateTime<Utc>>, ApiError> {
    query
        .get(name)
        .map(|text| {
            DateTime::parse_from_rfc3339(text)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| {
                    ApiError::bad_field(
                        name,
                        format!("'{text}' is not an ISO-8601 time such as 2026-01-31T09:00:00Z"),
                    )
                })
        })
        .transpose()
}

/// Whether any of the session's text fields or status words contain the filter text.
fn matches_text(paging: &Paging, session: &Session) -> bool {
    let state = session.shown_state();
    paging.matches(&[
        Some(&session.created_by_name),
        Some(&session.created_by_display_name),
        Some(&session.resource_name),
        session.resource_display_name.as_deref(),
        Some(&session.activity_name),
        session.note.as_deref(),
        session.ticket.as_deref(),
        Some(state.word()),
        Some(state.summary_status().name()),
    ])
}

/// `orderBy` names and the store's orders: the summary's sortable columns, and (pamctl
/// extension) `id` and `loginAccountName`.
const SUMMARY_SORTABLE: &[(&str, SessionSort)] = &[
    ("createdDateTimeUtc", SessionSort::Created),
    ("startDateTimeUtc", SessionSort::ScheduledStart),
    ("endDateTimeUtc", SessionSort::ScheduledEnd),
    ("userDisplayName", SessionSort::User),
    ("managedResourceName", SessionSort::Resource),
    ("activityName", SessionSort::Activity),
    ("status", SessionSort::Status),
    ("durationInSeconds", SessionSort::Duration),
    ("id", SessionSort::Id),
    ("loginAccountName", SessionSort::LoginAccount),
];

/// The paging of a summary list as a session query: order, page and free text.
fn paged_query(paging: &Paging) -> Result<SessionQuery, ApiError> {
    let sort = match &paging.order_by {
        None => SessionSort::Created,
        Some(order_by) => SUMMARY_SORTABLE
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(order_by))
            .map(|(_, sort)| *sort)
            .ok_or_else(|| {
                ApiError::bad_field(
                    "orderBy",
                    format!(
                        "cannot sort by '{order_by}'; use one of {}",
                        SUMMARY_SORTABLE
                            .iter()
                            .map(|(name, _)| *name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?,
    };
    Ok(SessionQuery {
        text: paging.filter_text.clone(),
        sort,
        descending: paging.descending,
        skip: paging.skip,
        take: Some(paging.take),
        ..SessionQuery::default()
    })
}

fn durations_to_wire(durations: Durations) -> DurationSummary {
    DurationSummary {
        count_sessions: durations.count,
        sum_duration: durations.sum,
        avg_duration: durations.avg,
        min_duration: durations.min,
        max_duration: durations.max,
    }
}

async fn summary_page(
    state: &AppState,
    caller: &Caller,
    query: &SessionQuery,
) -> Result<DataTable<SessionSummary>, ApiError> {
    let page = state.broker.search_sessions(caller, query).await?;
    Ok(summary_data(state, &page))
}

/// A page of sessions as the wire's summaries.
fn summary_data(state: &AppState, page: &SessionPage) -> DataTable<SessionSummary> {
    let now = state.broker.now();
    DataTable {
        data: page.sessions.iter().map(|s| to_summary(s, now)).collect(),
        records_total: page.total,
    }
}

/// The pamctl filters of Search (extensions NPS ignores): each list parameter repeatable,
/// its values ORed; parameters ANDed.
fn search_filters(
    query: &QueryParams,
    caller: &Caller,
    into: &mut SessionQuery,
) -> Result<(), ApiError> {
    for word in query.all("status") {
        let state = SessionState::from_word(&word).ok_or_else(|| {
            ApiError::bad_field(
                "status",
                format!(
                    "'{word}' is not a session status; use one of: {}",
                    SessionState::ALL
                        .iter()
                        .map(|s| s.word())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?;
        if !into.states.contains(&state) {
            into.states.push(state);
        }
    }
    into.finished = query.boolean("active")?.map(|active| !active);
    if query.boolean("mine")? == Some(true) {
        into.created_by = Some(caller.account_id);
    }
    into.users = query.all("userName");
    into.resources = query.all("managedResourceName");
    into.activities = query.all("activityName");
    into.platforms = query.all("platformName");
    Ok(())
}

#[utoipa::path(
    get,
    path = "/api/v1/activitysession/search",
    operation_id = "searchActivitySessions",
    tag = "Sessions",
    params(("filterDateTimeMin" = Option<DateTime<Utc>>, Query, description = "Sessions from this time"),
        ("filterDateTimeMax" = Option<DateTime<Utc>>, Query, description = "Sessions until this time"),
        ("filterTopUsersType" = Option<TopUsersType>, Query, description = "Which users to rank in topUsers (integer or name)"),
        ("status" = Option<Vec<String>>, Query, explode, description = "pamctl extension: only sessions in these states (repeatable, e.g. Available, logged-in)"),
        ("active" = Option<bool>, Query, description = "pamctl extension: only live (true) or only finished (false) sessions"),
        ("mine" = Option<bool>, Query, description = "pamctl extension: only the caller's own requests"),
        ("userName" = Option<Vec<String>>, Query, explode, description = "pamctl extension (repeatable)"),
        ("managedResourceName" = Option<Vec<String>>, Query, explode, description = "pamctl extension (repeatable)"),
        ("activityName" = Option<Vec<String>>, Query, explode, description = "pamctl extension (repeatable)"),
        ("platformName" = Option<Vec<String>>, Query, explode, description = "pamctl extension (repeatable)"),
        ("summary" = Option<bool>, Query, description = "pamctl extension: false leaves `summary` and `topUsers` empty (cheaper when paging through every match)"),
        PagingParams),
    responses(
        (status = 200, description = "A page of summaries with duration aggregates", body = SessionSearchResult),
        (status = 400, response = BadRequest),
    ),
)]
pub async fn search(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    query: QueryParams,
) -> Result<Json<SessionSearchResult>, ApiError> {
    let paging = Paging::from_query(&query)?;
    let mut sessions = paged_query(&paging)?;
    sessions.from = time_param(&query, "filterDateTimeMin")?;
    sessions.to = time_param(&query, "filterDateTimeMax")?;
    search_filters(&query, &caller, &mut sessions)?;
    let top = match query.get("filterTopUsersType") {
        None => TopUsersType::None,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .and_then(TopUsersType::from_value)
            .or_else(|| TopUsersType::from_name(text))
            .ok_or_else(|| {
                ApiError::bad_field(
                    "filterTopUsersType",
                    format!("'{text}' is not one of {}", TopUsersType::names()),
                )
            })?,
    };
    let top = match top {
        TopUsersType::None => Some(0),
        TopUsersType::Top5 => Some(5),
        TopUsersType::Top10 => Some(10),
        TopUsersType::Everyone => None,
    };
    // pamctl extension: `summary=false` leaves `summary` and `topUsers` empty, so that a
    // client paging through every match (`session list -q`) pays only for its pages.
    let (summary, top_users, page) = if query.boolean("summary")?.unwrap_or(true) {
        // The summary first: its count is the page's total, so the matches are read once
        // (and a search that matches nothing reads no page).
        let (summary, top_users, page) = state
            .broker
            .search_sessions_summarized(&caller, &sessions, state.broker.now(), top)
            .await?;
        (summary, top_users, summary_data(&state, &page))
    } else {
        let page = summary_page(&state, &caller, &sessions).await?;
        (Durations::default(), Vec::new(), page)
    };
    Ok(Json(SessionSearchResult {
        data: page.data,
        records_total: page.records_total,
        top_users: top_users
            .into_iter()
            .map(|user| TopUser {
                managed_account_id: user.account_id,
                managed_account_name: user.name,
                durations: durations_to_wire(user.durations),
            })
            .collect(),
        summary: durations_to_wire(summary),
        filters_applied: Some(true),
    }))
}

/// What a `{status}` path segment names: a SessionSummaryStatus, or `Historical` for every
/// finished session.
enum StatusFilter {
    Historical,
    Summary(SessionSummaryStatus),
}

impl StatusFilter {
    fn parse(status: &str) -> Result<Self, ApiError> {
        if status.eq_ignore_ascii_case("historical") {
            return Ok(StatusFilter::Historical);
        }
        status
            .parse::<i64>()
            .ok()
            .and_then(SessionSummaryStatus::from_value)
            .or_else(|| SessionSummaryStatus::from_name(status))
            .map(StatusFilter::Summary)
            .ok_or_else(|| {
                ApiError::bad_field(
                    "status",
                    format!(
                        "'{status}' is not a session summary status; use Historical or one of {}",
                        SessionSummaryStatus::names()
                    ),
                )
            })
    }

    fn apply(&self, query: &mut SessionQuery) {
        match self {
            StatusFilter::Historical => query.finished = Some(true),
            StatusFilter::Summary(wanted) => {
                query.states = SessionState::ALL
                    .into_iter()
                    .filter(|s| s.summary_status() == *wanted)
                    .collect();
            }
        }
    }
}

async fn summaries_by_status(
    state: &AppState,
    caller: &Caller,
    status: &str,
    query: &QueryParams,
    only_mine: bool,
) -> Result<DataTable<SessionSummary>, ApiError> {
    let paging = Paging::from_query(query)?;
    let mut sessions = paged_query(&paging)?;
    StatusFilter::parse(status)?.apply(&mut sessions);
    sessions.from = time_param(query, "startDate")?;
    sessions.to = time_param(query, "endDate")?;
    sessions.created_by = only_mine.then_some(caller.account_id);
    if let Some(user) = query.uuid("userId")? {
        if sessions.created_by.is_some_and(|mine| mine != user) {
            return Ok(DataTable {
                data: Vec::new(),
                records_total: 0,
            });
        }
        sessions.created_by = Some(user);
    }
    sessions.resources = query.all("resourceName");
    sessions.users = query.all("userName");
    summary_page(state, caller, &sessions).await
}

/// The filters `SummaryByStatus` and `MySummaryByStatus` take beside paging, as the OpenAPI
/// description shows them; [`summaries_by_status`] reads them.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
#[allow(dead_code)] // Only described, never built.
struct StatusFilterParams {
    /// Sessions from this time
    start_date: Option<DateTime<Utc>>,
    /// Sessions until this time
    end_date: Option<DateTime<Utc>>,
    /// Only this user's sessions
    user_id: Option<Uuid>,
    /// pamctl extension: only these users' sessions (repeatable)
    #[param(explode)]
    user_name: Option<Vec<String>>,
    /// pamctl extension: only sessions on these resources (repeatable)
    #[param(explode)]
    resource_name: Option<Vec<String>>,
}

#[utoipa::path(
    get,
    path = "/api/v1/activitysession/summarybystatus/{status}",
    operation_id = "listActivitySessionSummariesByStatus",
    tag = "Sessions",
    params(("status" = String, Path, description = "A SessionSummaryStatus (name or integer), or Historical for every finished session"),
        StatusFilterParams,
        PagingParams),
    responses(
        (status = 200, description = "A page of summaries", body = DataTable<SessionSummary>),
        (status = 400, response = BadRequest),
    ),
)]
pub async fn summary_by_status(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(status): Path<String>,
    query: QueryParams,
) -> Result<Json<DataTable<SessionSummary>>, ApiError> {
    Ok(Json(
        summaries_by_status(&state, &caller, &status, &query, false).await?,
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/activitysession/mysummarybystatus/{status}",
    operation_id = "listMyActivitySessionSummariesByStatus",
    tag = "Sessions",
    params(("status" = String, Path, description = "A SessionSummaryStatus (name or integer), or Historical for every finished session"),
        StatusFilterParams,
        PagingParams),
    responses(
        (status = 200, description = "A page of the caller's summaries", body = DataTable<SessionSummary>),
        (status = 400, response = BadRequest),
    ),
)]
pub async fn my_summary_by_status(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(status): Path<String>,
    query: QueryParams,
) -> Result<Json<DataTable<SessionSummary>>, ApiError> {
    Ok(Json(
        summaries_by_status(&state, &caller, &status, &query, true).await?,
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/activitysession/summaryforresource/{id}",
    operation_id = "listActivitySessionSummariesForResource",
    tag = "Sessions",
    params(("id" = Uuid, Path, description = "The resource's id"),
        ("startDate" = Option<DateTime<Utc>>, Query, description = "Sessions from this time"),
        ("endDate" = Option<DateTime<Utc>>, Query, description = "Sessions until this time"),
        PagingParams),
    responses(
        (status = 200, description = "A page of the resource's sessions", body = DataTable<SessionSummary>),
        (status = 400, response = BadRequest),
    ),
)]
pub async fn summary_for_resource(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(resource): Path<String>,
    query: QueryParams,
) -> Result<Json<DataTable<SessionSummary>>, ApiError> {
    let resource = parse_id("managedResourceId", &resource)?;
    let paging = Paging::from_query(&query)?;
    let mut sessions = paged_query(&paging)?;
    sessions.resource_id = Some(resource);
    sessions.from = time_param(&query, "startDate")?;
    sessions.to = time_param(&query, "endDate")?;
    Ok(Json(summary_page(&state, &caller, &sessions).await?))
}

#[utoipa::path(
    get,
    path = "/api/v1/activitysession/count",
    operation_id = "countActivitySessions",
    tag = "Sessions",
    responses(
        (status = 200, description = "Sessions the caller may see, by SessionSummaryStatus name", body = BTreeMap<String, u64>),
    ),
)]
pub async fn count(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
) -> Result<Json<BTreeMap<String, u64>>, ApiError> {
    let mut counts: HashMap<SessionSummaryStatus, u64> = HashMap::new();
    for (shown, n) in state
        .broker
        .count_sessions(&caller, &SessionQuery::default())
        .await?
    {
        *counts.entry(shown.summary_status()).or_default() += n;
    }
    Ok(Json(
        SessionSummaryStatus::ALL
            .iter()
            .filter(|s| **s != SessionSummaryStatus::Unknown)
            .map(|s| (s.name().to_owned(), counts.get(s).copied().unwrap_or(0)))
            .collect(),
    ))
}

fn log_to_wire(line: &LogLine) -> WireLogLine {
    let message = match &line.actor {
        Some(actor) if !line.message.contains(actor.as_str()) => {
            format!("{} ({actor})", line.message)
        }
        _ => line.message.clone(),
    };
    WireLogLine {
        line_number: line.line_number,
        timestamp: line.at,
        status: line.level,
        status_string: Some(line.level.name().to_owned()),
        log_message: message,
    }
}

const DEFAULT_LOG_TAKE: u64 = 1000;
const MAX_LOG_TAKE: u64 = 10_000;

#[utoipa::path(
    get,
    path = "/api/v1/activitysession/{id}/log",
    operation_id = "getActivitySessionLog",
    tag = "Sessions",
    params(("id" = Uuid, Path, description = "The session's id"),
        ("logLevel" = Option<String>, Query, description = "The least level: Debug, Info, Warn or Error"),
        ("skip" = Option<u64>, Query, minimum = 0, description = "Lines to skip"),
        ("take" = Option<u64>, Query, minimum = 0, maximum = 10000, description = "Lines to return (default 1000, at most 10000)"),
        ("startDate" = Option<DateTime<Utc>>, Query, description = "Lines from this time"),
        ("endDate" = Option<DateTime<Utc>>, Query, description = "Lines until this time"),
        ("filterText" = Option<String>, Query, description = "Text the lines must contain"),
        ("orderDescending" = Option<bool>, Query, description = "Newest first")),
    responses(
        (status = 200, description = "A page of the session's log", body = SessionLog),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
    ),
)]
pub async fn log(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    query: QueryParams,
) -> Result<Json<SessionLog>, ApiError> {
    let id = parse_id("id", &id)?;
    let level = match query.get("logLevel") {
        None => LogLevel::Debug,
        Some(text) => LogLevel::parse(text).ok_or_else(|| {
            ApiError::bad_field(
                "logLevel",
                format!("'{text}' is not a level; use Debug, Info, Warn or Error"),
            )
        })?,
    };
    let skip = query.number("skip")?.unwrap_or(0);
    let take = query.number("take")?.unwrap_or(DEFAULT_LOG_TAKE);
    if take > MAX_LOG_TAKE {
        return Err(ApiError::bad_field(
            "take",
            format!("{take} is over the maximum of {MAX_LOG_TAKE}"),
        ));
    }
    let log_query = LogQuery {
        min_level: Some(level),
        from: time_param(&query, "startDate")?,
        to: time_param(&query, "endDate")?,
        text: query.get("filterText").map(str::to_owned),
        descending: query.boolean("orderDescending")?.unwrap_or(false),
        skip,
        take: Some(take),
    };
    let (lines, total_count) = state
        .broker
        .session_log_page(&caller, id, &log_query)
        .await?;
    Ok(Json(SessionLog {
        lines: lines.iter().map(log_to_wire).collect(),
        total_count,
    }))
}

/// `POST /api/v1/ActivitySession/{id}/Approve?notes=`.
#[utoipa::path(
    post,
    path = "/api/v1/activitysession/{id}/approve",
    operation_id = "approveActivitySession",
    tag = "Approvals",
    params(("id" = Uuid, Path, description = "The session's id"),
        ("notes" = Option<String>, Query, description = "The approver's notes")),
    responses(
        (status = 200, description = "The session after the approval", body = ActivitySession),
        (status = 400, response = BadRequest),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 422, response = Unprocessable),
    ),
)]
pub async fn approve(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    ClientAddr(from): ClientAddr,
    Path(id): Path<String>,
    query: QueryParams,
) -> Result<Json<ActivitySession>, ApiError> {
    let notes = query.get("notes").map(str::to_owned);
    let session = state
        .broker
        .approve(&caller, parse_id("id", &id)?, notes, Some(from.to_string()))
        .await?;
    session_reply(&state, &session).await
}

/// `POST /api/v1/ActivitySession/{id}/Deny` with the reason as a JSON string.
#[utoipa::path(
    post,
    path = "/api/v1/activitysession/{id}/deny",
    operation_id = "denyActivitySession",
    tag = "Approvals",
    params(("id" = Uuid, Path, description = "The session's id")),
    request_body(content = String, content_type = "application/json", description = "The reason for the denial, as a JSON string"),
    responses(
        (status = 200, description = "The denied session", body = ActivitySession),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 422, response = Unprocessable),
    ),
)]
pub async fn deny(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    ClientAddr(from): ClientAddr,
    Path(id): Path<String>,
    WireJson(reason): WireJson<Value>,
) -> Result<Json<ActivitySession>, ApiError> {
    let Value::String(reason) = reason else {
        return Err(ApiError::bad_field(
            "body",
            "send the reason for the denial as a JSON string",
        ));
    };
    let session = state
        .broker
        .deny(
            &caller,
            parse_id("id", &id)?,
            reason,
            Some(from.to_string()),
        )
        .await?;
    session_reply(&state, &session).await
}

/// `GET /api/v1/ActivitySession/ApprovalCheck`: how many requests wait for the caller.
#[utoipa::path(
    get,
    path = "/api/v1/activitysession/approvalcheck",
    operation_id = "countPendingApprovals",
    tag = "Approvals",
    responses(
        (status = 200, description = "How many requests wait for the caller's decision", content_type = "application/json", body = u64),
    ),
)]
pub async fn approval_check(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
) -> Result<Json<u64>, ApiError> {
    Ok(Json(state.broker.pending_for(&caller).await?.len() as u64))
}

fn pending_to_wire(pending: &PendingRequest, now: DateTime<Utc>) -> PendingApproval {
    let current = pending.progress.current.unwrap_or(0);
    let (required, approved_by) = pending
        .progress
        .tiers
        .get(current)
        .cloned()
        .unwrap_or_default();
    PendingApproval {
        summary: to_summary(&pending.session, now),
        approvals: pending.approvals.iter().map(approval_to_wire).collect(),
        approval_tier: current as u32 + 1,
        approval_tiers: pending.progress.tiers.len() as u32,
        approvals_in_tier: approved_by.len() as u32,
        approvals_required_in_tier: required,
        approval_expires_date_time_utc: pending.session.approval_deadline,
    }
}

/// `GET /api/v1/ActivitySession/Approvals` (pamctl extension): the requests waiting for the
/// caller's decision, each with its approvals so far.
#[utoipa::path(
    get,
    path = "/api/v1/activitysession/approvals",
    operation_id = "listPendingApprovals",
    tag = "Approvals",
    description = "pamctl extension: the requests waiting for the caller's decision.",
    params(PagingParams),
    responses(
        (status = 200, description = "A page of the requests waiting for the caller", body = DataTable<PendingApproval>),
        (status = 400, response = BadRequest),
    ),
)]
pub async fn approvals(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    query: QueryParams,
) -> Result<Json<DataTable<PendingApproval>>, ApiError> {
    let paging = Paging::from_query(&query)?;
    let now = state.broker.now();
    let pending: Vec<PendingApproval> = state
        .broker
        .pending_for(&caller)
        .await?
        .iter()
        .filter(|p| matches_text(&paging, &p.session))
        .map(|p| pending_to_wire(p, now))
        .collect();
    Ok(Json(paging.page(
        pending,
        &["createdDateTimeUtc"],
        |p, _| {
            p.summary
                .created_date_time_utc
                .map(|t| t.to_rfc3339())
                .unwrap_or_default()
        },
    )?))
}
