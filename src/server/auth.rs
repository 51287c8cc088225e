//! Sign-in, MFA, token refresh and revocation, and who-am-I.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::Value;

use super::AppState;
use axum::extract::Path;

use super::extract::{Authenticated, BearerToken, ClientAddr, QueryParams, WireJson, parse_id};
use super::openapi::{BadRequest, Forbidden, NotFound, TooManyRequests, Unauthorized};
use super::problem::ApiError;
use crate::wire::auth::{CurrentUser, SignInBody, TokenInfo, TokenRevocation};

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

/// `GET /api/v1/Token[?user=NAME]` (pamctl extension, admins): the live tokens.
#[utoipa::path(
    get,
    path = "/api/v1/token",
    operation_id = "listTokens",
    tag = "Auth",
    description = "pamctl extension, admins only: the live tokens (never the tokens themselves).",
    params(("user" = Option<String>, Query, description = "Only this user's tokens")),
    responses(
        (status = 200, description = "The live tokens", body = Vec<TokenInfo>),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
)]
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
#[utoipa::path(
    delete,
    path = "/api/v1/token",
    operation_id = "revokeUserTokens",
    tag = "Auth",
    description = "pamctl extension, admins only: revokes every token of a user.",
    params(("user" = String, Query, description = "The user whose tokens to revoke (required)")),
    responses(
        (status = 200, description = "How many tokens were revoked", body = TokenRevocation),
        (status = 400, response = BadRequest),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
)]
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
#[utoipa::path(
    delete,
    path = "/api/v1/token/{id}",
    operation_id = "revokeToken",
    tag = "Auth",
    description = "pamctl extension, admins only: revokes a token and the rest of its sign-in.",
    params(("id" = Uuid, Path, description = "The token's id")),
    responses(
        (status = 200, description = "How many tokens were revoked", body = TokenRevocation),
        (status = 400, response = BadRequest),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
)]
pub async fn revoke_token_by_id(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<TokenRevocation>, ApiError> {
    let id = parse_id("id", &id)?;
    let revoked = state.broker.revoke_token_by_id(&caller, id).await?;
    Ok(Json(TokenRevocation { revoked }))
}
