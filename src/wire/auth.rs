//! Sign-in bodies and the caller's identity.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// `POST /signinBody`. For an application, `login` is its name and `password` its API key.
#[derive(Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct SignInBody {
    pub login: String,
    pub password: String,
}

impl fmt::Debug for SignInBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignInBody")
            .field("login", &self.login)
            .field("password", &"***")
            .finish()
    }
}

/// `GET /api/v1/CurrentUser` (pamctl extension): who the bearer token belongs to.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CurrentUser {
    pub id: Uuid,
    pub user_name: String,
    #[serde(default)]
    pub display_name: Option<String>,
    pub role: String,
    #[serde(default)]
    pub is_application: bool,
    #[serde(default)]
    pub mfa_enrolled: bool,
    #[serde(default)]
    pub token_expires_date_time_utc: Option<DateTime<Utc>>,
}

/// `GET /api/v1/Token` (pamctl extension, admins): a live token, never the token itself.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TokenInfo {
    pub id: Uuid,
    pub user_id: Uuid,
    pub user_name: String,
    /// `full`, or `pre_mfa` while the second factor is outstanding.
    pub stage: String,
    /// The sign-in this token descends from; revoking any token revokes its whole family.
    pub family_id: Uuid,
    pub created_date_time_utc: DateTime<Utc>,
    pub expires_date_time_utc: DateTime<Utc>,
    /// No token of the family lives past this, however often it is refreshed.
    pub family_expires_date_time_utc: DateTime<Utc>,
    /// The address the sign-in came from, when known.
    #[serde(default)]
    pub created_from: Option<String>,
}

/// `DELETE /api/v1/Token/{id}` and `DELETE /api/v1/Token?user=NAME` (pamctl extension,
/// admins): how many live tokens were revoked.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TokenRevocation {
    pub revoked: u64,
}
