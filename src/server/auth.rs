//! Sign-in, MFA, token refresh and revocation, and who-am-I.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::Value;

use super::AppState;
use super::extract::{Authenticated, BearerToken, ClientAddr, WireJson};
use super::problem::ApiError;
use crate::wire::auth::{CurrentUser, SignInBody};

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

pub async fn refresh_token(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
) -> Result<Json<String>, ApiError> {
    Ok(Json(state.broker.refresh_token(&caller).await?.token))
}

/// `DELETE /api/v1/UserToken` (pamctl extension): revokes the token that makes the call.
pub async fn revoke_token(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
) -> Result<StatusCode, ApiError> {
    state.broker.revoke_token(&caller).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/CurrentUser` (pamctl extension).
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
