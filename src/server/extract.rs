//! Request extractors that speak the contract: case-insensitive JSON bodies and query
//! parameters, bearer authentication, and the client's address; each fails as problem details.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::AppState;
use super::problem::ApiError;
use crate::broker::Caller;
use crate::wire::case_insensitive;

/// A JSON body read with case-insensitive property names.
pub struct WireJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<Arc<AppState>> for WireJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &Arc<AppState>) -> Result<Self, ApiError> {
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            let status = rejection.status();
            let detail = if status == StatusCode::PAYLOAD_TOO_LARGE {
                "the body is larger than the 1 MiB limit".to_owned()
            } else {
                rejection.body_text()
            };
            ApiError::new(status, detail)
        })?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::bad_field("body", "missing; send a JSON body"));
        }
        Ok(WireJson(case_insensitive::from_slice(&bytes)?))
    }
}

/// Query parameters by lower-cased name (NPS clients vary the case).
pub struct QueryParams(HashMap<String, Vec<String>>);

impl QueryParams {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(&name.to_lowercase())
            .and_then(|values| values.last())
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// Every value of a repeated parameter (`name=a&name=b`, also `name[]=a`).
    pub fn all(&self, name: &str) -> Vec<String> {
        let name = name.to_lowercase();
        [name.clone(), format!("{name}[]")]
            .iter()
            .filter_map(|key| self.0.get(key))
            .flatten()
            .filter(|v| !v.is_empty())
            .cloned()
            .collect()
    }

    pub fn uuid(&self, name: &str) -> Result<Option<Uuid>, ApiError> {
        self.get(name).map(|text| parse_id(name, text)).transpose()
    }

    pub fn number(&self, name: &str) -> Result<Option<u64>, ApiError> {
        self.get(name)
            .map(|text| {
                text.parse().map_err(|_| {
                    ApiError::bad_field(name, format!("'{text}' is not a whole number"))
                })
            })
            .transpose()
    }

    pub fn boolean(&self, name: &str) -> Result<Option<bool>, ApiError> {
        self.get(name)
            .map(|text| match text.to_lowercase().as_str() {
                "true" | "1" => Ok(true),
                "false" | "0" => Ok(false),
                _ => Err(ApiError::bad_field(
                    name,
                    format!("'{text}' is not true or false"),
                )),
            })
            .transpose()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for QueryParams {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or_default();
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query)
            .map_err(|e| ApiError::bad_field("query", format!("cannot be read: {e}")))?;
        let mut params: HashMap<String, Vec<String>> = HashMap::new();
        for (name, value) in pairs {
            params.entry(name.to_lowercase()).or_default().push(value);
        }
        Ok(QueryParams(params))
    }
}

pub fn parse_id(field: &str, text: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(text.trim())
        .map_err(|_| ApiError::bad_field(field, format!("'{text}' is not a UUID")))
}

/// The client's address, for sign-in throttling and the audit trail.
pub struct ClientAddr(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let addr = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip())
            .unwrap_or(IpAddr::from([127, 0, 0, 1]));
        Ok(ClientAddr(addr))
    }
}

/// The bearer token, as sent.
pub struct BearerToken(pub String);

impl<S: Send + Sync> FromRequestParts<S> for BearerToken {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let value = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| {
                ApiError::new(StatusCode::UNAUTHORIZED, "no bearer token: this call needs one")
                    .with_hint("send `Authorization: Bearer <token>`; get one with `pamctl login` or POST /signinBody")
            })?;
        let token = match value.split_once(' ') {
            Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
            _ => {
                return Err(ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "the Authorization header is not `Bearer <token>`",
                ));
            }
        };
        Ok(BearerToken(token.to_owned()))
    }
}

/// The signed-in caller behind a full bearer token.
pub struct Authenticated(pub Caller);

impl FromRequestParts<Arc<AppState>> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, ApiError> {
        let BearerToken(token) = BearerToken::from_request_parts(parts, state).await?;
        let ClientAddr(source) = ClientAddr::from_request_parts(parts, state).await?;
        let mut caller = state.broker.authenticate(&token).await?;
        caller.source = Some(source);
        Ok(Authenticated(caller))
    }
}
