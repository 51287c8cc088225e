//! Sign-in, MFA, token refresh and revocation, and who-am-I.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::Value;

use super::AppState;
use super::extract::{Authenticated, BearerToken, ClientAddr, WireJson};
use super::openapi::{TooManyRequests, Unauthorized};
use super::problem::ApiError;
use crate::wire::auth::{CurrentUser, SignInBody};

#[utoipa::path(
    post,
    path = "/signinbody",
    operation_id = "signInBody",
    tag = "Auth",
    security(()),
    request_body = SignInBody,
    responses(
        (status = 200, description = "A bearer token; for an account with MFA, a pre-MFA token for POST /signin2fa", content_type = "application/json", body = String),
        (status = 401, response = Unauthorized),
        (status = 429, response = TooManyRequests),
    ),
)]
pub async fn sign_in_body(
    State(state): State<Arc<AppState>>,
    ClientAddr(from): ClientAddr,
    WireJson(body): WireJson<SignInBody>,
) -> Result<Json<String>, ApiError> {
    let issued = state
        .broker
        .sign_in(&body.login, &body.password, from)
        .await?;
    Ok(Json(issued.token))
}

#[utoipa::path(
    post,
    path = "/signin2fa",
    operation_id = "signIn2fa",
    tag = "Auth",
    request_body(content = String, content_type = "application/json", description = "The MFA code, as a JSON string (or number)"),
    responses(
        (status = 200, description = "A full bearer token", content_type = "application/json", body = String),
        (status = 429, response = TooManyRequests),
    ),
)]
pub async fn sign_in_2fa(
    State(state): State<Arc<AppState>>,
    ClientAddr(from): ClientAddr,
    BearerToken(token): BearerToken,
    WireJson(code): WireJson<Value>,
) -> Result<Json<String>, ApiError> {
    let code = match code {
        Value::String(code) => code,
        Value::Number(number) => number.to_string(),
        _ => {
            return Err(ApiError::bad_field(
                "body",
                "send the MFA code as a JSON string, e.g. \"123456\"",
            ));
        }
    };
    let issued = state.broker.complete_mfa(&token, &code, from).await?;
    Ok(Json(issued.token))
}

#[utoipa::path(
    get,
    path = "/api/v1/usertoken",
    operation_id = "refreshUserToken",
    tag = "Auth",
    responses((status = 200, description = "A fresh bearer token", content_type = "application/json", body = String)),
)]
pub async fn refresh_token(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
) -> Result<Json<String>, ApiError> {
    Ok(Json(state.broker.refresh_token(&caller).await?.token))
}

/// `DELETE /api/v1/UserToken` (pamctl extension): revokes the token that makes the call.
#[utoipa::path(
    delete,
    path = "/api/v1/usertoken",
    operation_id = "revokeUserToken",
    tag = "Auth",
    description = "pamctl extension: revokes the token that makes the call.",
    responses((status = 204, description = "The calling token is revoked")),
)]
pub async fn revoke_token(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
) -> Result<StatusCode, ApiError> {
    state.broker.revoke_token(&caller).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/CurrentUser` (pamctl extension).
#[utoipa::path(
    get,
    path = "/api/v1/currentuser",
    operation_id = "getCurrentUser",
    tag = "Auth",
    description = "pamctl extension: who the bearer token belongs to.",
    responses((status = 200, description = "The caller", body = CurrentUser)),
)]
pub async fn current_user(Authenticated(caller): Authenticated) -> Json<CurrentUser> {
    Json(CurrentUser {
        id: caller.account_id,
        user_name: caller.name,
        display_name: Some(caller.display_name),
        role: caller.role.to_string(),
        is_application: caller.kind == crate::core::AccountKind::Application,
        mfa_enrolled: caller.mfa_enrolled,
        token_expires_date_time_utc: Some(caller.token_expires_at),
    })
}
