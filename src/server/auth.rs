//! Sign-in, MFA, token refresh and revocation, and who-am-I.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::Value;

use super::AppState;
use axum::extract::Path;

use super::extract::{Authenticated, BearerToken, ClientAddr, QueryParams, WireJson, parse_id};
use super::problem::ApiError;
use crate::wire::auth::{CurrentUser, SignInBody, TokenInfo, TokenRevocation};

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

/// `GET /api/v1/Token[?user=NAME]` (pamctl extension, admins): the live tokens.
pub async fn list_tokens(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    query: QueryParams,
) -> Result<Json<Vec<TokenInfo>>, ApiError> {
    let tokens = state.broker.list_tokens(&caller, query.get("user")).await?;
    Ok(Json(
        tokens
            .into_iter()
            .map(|(token, user_name)| TokenInfo {
                id: token.id,
                user_id: token.account_id,
                user_name,
                stage: token.stage.as_str().to_owned(),
                family_id: token.family_id,
                created_date_time_utc: token.created_at,
                expires_date_time_utc: token.expires_at,
                family_expires_date_time_utc: token.family_expires_at,
                created_from: token.created_from,
            })
            .collect(),
    ))
}

/// `DELETE /api/v1/Token?user=NAME` (pamctl extension, admins): revokes every token of a
/// user. The user is required, so that no typo revokes everyone's.
pub async fn revoke_user_tokens(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    query: QueryParams,
) -> Result<Json<TokenRevocation>, ApiError> {
    let user = query.get("user").ok_or_else(|| {
        ApiError::bad_field(
            "user",
            "missing; give ?user=NAME, or DELETE /api/v1/Token/{id} for one sign-in",
        )
    })?;
    let revoked = state.broker.revoke_user_tokens(&caller, user).await?;
    Ok(Json(TokenRevocation { revoked }))
}

/// `DELETE /api/v1/Token/{id}` (pamctl extension, admins): revokes a token and its family.
pub async fn revoke_token_by_id(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<TokenRevocation>, ApiError> {
    let id = parse_id("id", &id)?;
    let revoked = state.broker.revoke_token_by_id(&caller, id).await?;
    Ok(Json(TokenRevocation { revoked }))
}
