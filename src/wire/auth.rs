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
