//! Every error leaves the server as RFC 7807 problem details.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::broker::BrokerError;
use crate::wire::case_insensitive::WireDecodeError;
use crate::wire::problem::{CONTENT_TYPE, ProblemDetails};

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    detail: String,
    hint: Option<String>,
    field: Option<String>,
    retry_after_secs: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        Self {
            status,
            detail: detail.into(),
            hint: None,
            field: None,
            retry_after_secs: None,
        }
    }

    pub fn bad_field(field: &str, message: impl std::fmt::Display) -> Self {
        let mut error = Self::new(StatusCode::BAD_REQUEST, format!("{field}: {message}"));
        error.field = Some(field.to_owned());
        error
    }

    /// Places the field at fault inside a list: `[2].activityId`.
    pub fn prefix_field(mut self, prefix: &str) -> Self {
        if let Some(field) = &self.field {
            let prefixed = format!("{prefix}{field}");
            self.detail = self.detail.replacen(field.as_str(), &prefixed, 1);
            self.field = Some(prefixed);
        }
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn not_found_route() -> Self {
        Self::new(StatusCode::NOT_FOUND, "no such endpoint")
            .with_hint("see the API reference in docs/api.md for the endpoints pamctl serves")
    }
}

impl From<BrokerError> for ApiError {
    fn from(error: BrokerError) -> Self {
        let detail = error.to_string();
        match error {
            BrokerError::InvalidInput { field, .. } => {
                let mut api = ApiError::new(StatusCode::BAD_REQUEST, detail);
                api.field = Some(field);
                api
            }
            BrokerError::Unauthenticated { hint, .. } => {
                let mut api = ApiError::new(StatusCode::UNAUTHORIZED, detail);
                api.hint = hint;
                api
            }
            BrokerError::MfaRequired => ApiError::new(StatusCode::UNAUTHORIZED, detail)
                .with_hint("sign in with `pamctl login --mfa-code CODE`"),
            BrokerError::Forbidden(_) => ApiError::new(StatusCode::FORBIDDEN, detail),
            BrokerError::NotFound { .. } | BrokerError::NoSuchName { .. } => {
                ApiError::new(StatusCode::NOT_FOUND, detail)
            }
            BrokerError::Conflict(_) => ApiError::new(StatusCode::CONFLICT, detail),
            BrokerError::PolicyRefused { hint, .. } => {
                let mut api = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, detail);
                api.hint = hint;
                api
            }
            BrokerError::OutOfBounds { field, .. } => {
                let mut api = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, detail);
                api.field = Some(field);
                api
            }
            BrokerError::TooMany { hint, .. } => {
                let mut api = ApiError::new(StatusCode::TOO_MANY_REQUESTS, detail);
                api.hint = hint;
                api
            }
            BrokerError::RateLimited { retry_after } => {
                let mut api = ApiError::new(StatusCode::TOO_MANY_REQUESTS, detail);
                api.retry_after_secs = Some(retry_after.as_secs().max(1));
                api.with_hint("wait, then try again with the right credentials")
            }
            BrokerError::Store(store) => {
                tracing::error!(error = %store, "store failure");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the broker could not reach its database; the request changed nothing",
                )
                .with_hint("try again; if it persists, check the server's log")
            }
            BrokerError::Internal(message) => {
                tracing::error!(error = %message, "broker failure");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the broker failed; the request changed nothing",
                )
                .with_hint("try again; if it persists, check the server's log")
            }
        }
    }
}

impl From<WireDecodeError> for ApiError {
    fn from(error: WireDecodeError) -> Self {
        match error.field() {
            Some(field) => {
                let field = field.to_owned();
                let mut api = ApiError::new(StatusCode::BAD_REQUEST, error.to_string());
                api.field = Some(field);
                api
            }
            None => ApiError::new(StatusCode::BAD_REQUEST, error.to_string())
                .with_hint("send a JSON body as the API reference shows"),
        }
    }
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The body this error is answered with (its `instance` filled in on the way out).
    pub fn into_problem(self) -> ProblemDetails {
        ProblemDetails {
            r#type: "about:blank".to_owned(),
            title: self.status.canonical_reason().unwrap_or("Error").to_owned(),
            status: self.status.as_u16(),
            detail: Some(self.detail),
            instance: None,
            hint: self.hint,
            field: self.field,
            retry_after_seconds: self.retry_after_secs,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status;
        let retry_after_secs = self.retry_after_secs;
        let body = serde_json::to_vec(&self.into_problem()).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
        if let Some(secs) = retry_after_secs {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// Fills in a problem's `instance` with the path the client asked for, and turns every other
/// error answer (axum's own rejections: a path that is not UTF-8, a query it cannot decode)
/// into a problem too, so that clients parse one shape for every error. It runs outside the
/// routing, where the path is still as sent, so handlers need not know it.
pub async fn with_instance(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value == CONTENT_TYPE);
    let status = response.status();
    let is_error = status.is_client_error() || status.is_server_error();
    if !is_problem && !is_error {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // Every error body here was made by this server (a problem, or a rejection's line of
    // text), so it is read whole, whatever its size: a cap would send an empty body.
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let body = match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(serde_json::Value::Object(mut problem)) if is_problem => {
            problem.insert("instance".to_owned(), serde_json::Value::String(path));
            serde_json::to_vec(&problem).unwrap_or_else(|_| bytes.to_vec())
        }
        _ if is_problem => bytes.to_vec(),
        _ => {
            let text = String::from_utf8_lossy(&bytes);
            let detail = match text.trim() {
                "" => status.canonical_reason().unwrap_or("error").to_owned(),
                text => text.to_owned(),
            };
            let problem = ProblemDetails {
                r#type: "about:blank".to_owned(),
                title: status.canonical_reason().unwrap_or("Error").to_owned(),
                status: status.as_u16(),
                detail: Some(detail),
                instance: Some(path),
                hint: None,
                field: None,
                retry_after_seconds: None,
            };
            parts
                .headers
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
            serde_json::to_vec(&problem).unwrap_or_default()
        }
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(body))
}
