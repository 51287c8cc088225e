//! The audit trail at the HTTP edge: refused requests recorded once their answer is known,
//! and `GET /api/v1/Audit` for admins.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::Json;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;

use super::AppState;
use super::extract::{Authenticated, QueryParams};
use super::problem::ApiError;
use super::session::time_param;
use crate::core::audit::AuditRecord;
use crate::store::AuditQuery;
use crate::wire::DataTable;
use crate::wire::audit::AuditEntry;

/// The answers that refuse a caller: each is recorded, with the caller when the request
/// carried a good token. (Sign-in routes record their own outcome, with the login tried.)
pub(super) const REFUSALS: [u16; 6] = [401, 403, 404, 409, 422, 429];
const SIGN_IN_ROUTES: [&str; 2] = ["/signinbody", "/signin2fa"];

/// Records a refused request after the handler answered.
pub async fn record_refusals(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let route = format!("{} {}", request.method(), request.uri().path());
    let path_is_sign_in = SIGN_IN_ROUTES.contains(&request.uri().path());
    let from = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip())
        .unwrap_or(IpAddr::from([127, 0, 0, 1]));
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim().to_owned());
    let response = next.run(request).await;
    let status = response.status();
    if REFUSALS.contains(&status.as_u16()) && !path_is_sign_in {
        let caller = match token {
            Some(token) => state.broker.authenticate(&token).await.ok(),
            None => None,
        };
        let outcome = format!(
            "{} {}",
            status.as_u16(),
            status.canonical_reason().unwrap_or("refused")
        );
        state
            .broker
            .record_refusal(caller.as_ref(), from, &route, &outcome)
            .await;
    }
    response
}

/// `GET /api/v1/Audit?user=&action=&since=&until=&session=&skip=&take=` (admins): newest
/// first.
#[utoipa::path(
    get,
    path = "/api/v1/audit",
    operation_id = "listAudit",
    tag = "Service",
    description = "pamctl extension, admins only: the audit trail, newest first.",
    params(
        ("user" = Option<String>, Query, description = "Only this actor's records"),
        ("action" = Option<String>, Query, description = "An action, or a family of them (`session`)"),
        ("since" = Option<String>, Query, description = "RFC 3339 time: records from then on"),
        ("until" = Option<String>, Query, description = "RFC 3339 time: records up to then"),
        ("session" = Option<Uuid>, Query, description = "Only records about this session"),
        ("skip" = Option<u64>, Query, description = "Records to skip"),
        ("take" = Option<u64>, Query, description = "Records to return"),
    ),
    responses(
        (status = 200, description = "A page of the audit trail", body = DataTable<AuditEntry>),
        (status = 400, response = super::openapi::BadRequest),
        (status = 403, response = super::openapi::Forbidden),
    ),
)]
pub async fn list(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    query: QueryParams,
) -> Result<Json<DataTable<AuditEntry>>, ApiError> {
    let audit_query = AuditQuery {
        actor: query.get("user").map(str::to_owned),
        action: query.get("action").map(str::to_owned),
        since: time_param(&query, "since")?,
        until: time_param(&query, "until")?,
        target: query.uuid("session")?.map(|id| id.to_string()),
        ascending: false,
        skip: query.number("skip")?.unwrap_or(0),
        take: query.number("take")?,
    };
    let (records, total) = state.broker.audit_page(&caller, audit_query).await?;
    Ok(Json(DataTable {
        data: records.into_iter().map(entry).collect(),
        records_total: total,
    }))
}

fn entry(record: AuditRecord) -> AuditEntry {
    let event = record.event;
    AuditEntry {
        seq: record.seq,
        at: event.at,
        actor_id: event.actor_id,
        actor: event.actor_name,
        source: event.source,
        action: event.action,
        target: event.target,
        outcome: event.outcome,
        detail: event.detail,
        prev_hash: record.prev_hash,
        hash: record.hash,
    }
}
