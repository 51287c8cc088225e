//! RFC 7807 problem details, the body of every error response.

use serde::{Deserialize, Serialize};

pub const CONTENT_TYPE: &str = "application/problem+json";

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProblemDetails {
    #[serde(default = "about_blank")]
    pub r#type: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// pamctl extension member: how to fix it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// pamctl extension member: the request field at fault, for 400s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// pamctl extension member: for 429s, also sent as `Retry-After`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<u64>,
}

fn about_blank() -> String {
    "about:blank".to_owned()
}
