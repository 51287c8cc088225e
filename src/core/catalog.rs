//! The domain's catalog: who exists, what they may do, on what, under which rules.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::session::{ActivityType, LogLevel};

/// Which account the user logs in with during the session (the contract's integers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LoginAccount {
    Requester = 0,
    Managed = 1,
    ActivityIdentity = 2,
    Vault = 3,
    Resource = 4,
}

/// What kind of thing a managed resource is, with the integers of NPS's
/// `SbPAM.Models.ManagedResourceType` (Host 0, Domain 1, Website 2, AzureAdTenant 3,
/// SecretVault 4, Database 5): clients switch on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResourceType {
    Host = 0,
    Domain = 1,
    Website = 2,
    AzureAdTenant = 3,
    SecretVault = 4,
    Database = 5,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    Admin,
    Reviewer,
    User,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Reviewer, Role::User];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "Admin",
            Role::Reviewer => "Reviewer",
            Role::User => "User",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown role '{s}': use Admin, Reviewer or User"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountKind {
    User,
    Application,
}

impl AccountKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::User => "user",
            AccountKind::Application => "application",
        }
    }
}

impl FromStr for AccountKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "user" => Ok(AccountKind::User),
            "application" => Ok(AccountKind::Application),
            other => Err(format!("unknown account kind '{other}'")),
        }
    }
}

/// A user or an application. The secret is a password for users and an API key for
/// applications, kept only as an argon2 hash.
#[derive(Clone)]
pub struct Account {
    pub id: Uuid,
    pub name: String,
    pub display_name: String,
    pub kind: AccountKind,
    pub role: Role,
    pub secret_hash: Option<String>,
    pub totp_secret: Option<String>,
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Account")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("role", &self.role)
            .field("mfa_enrolled", &self.totp_secret.is_some())
            .finish_non_exhaustive()
    }
}

/// Something the broker runs before or after a session: a program (no shell) or a webhook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
pub enum ActionSpec {
    Command {
        program: String,
        #[serde(default)]
        args: Vec<String>,
        #[serde(default)]
        env: BTreeMap<String, String>,
        /// Names of `env` entries whose values are secret: masked in the session log.
        #[serde(default)]
        secret_env: Vec<String>,
        #[serde(default, with = "optional_duration")]
        timeout: Option<Duration>,
    },
    Webhook {
        url: String,
        #[serde(default)]
        headers: BTreeMap<String, String>,
        #[serde(default, with = "optional_duration")]
        timeout: Option<Duration>,
        #[serde(default)]
        retries: Option<u32>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub platform: String,
    pub activity_type: ActivityType,
    pub login_account: LoginAccount,
    pub login_account_name_format: Option<String>,
    pub pre_session: Vec<ActionSpec>,
    pub post_session: Vec<ActionSpec>,
    pub on_lock: Vec<ActionSpec>,
    pub on_unlock: Vec<ActionSpec>,
    pub created_at: DateTime<Utc>,
    pub modified_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    pub id: Uuid,
    pub name: String,
    pub display_name: Option<String>,
    pub platform: String,
    pub resource_type: ResourceType,
    pub address: Option<String>,
    pub port_ssh: Option<u16>,
    pub port_rdp: Option<u16>,
    pub created_at: DateTime<Utc>,
    pub modified_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Approver {
    Account(Uuid),
    Role(Role),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ApprovalTier {
    pub required: u32,
    pub approvers: Vec<Approver>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExtensionRule {
    pub max_count: u32,
    pub max_each: Duration,
}

/// Who may request which activities on which resources, and under what rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub members: Vec<Uuid>,
    pub activities: Vec<Uuid>,
    pub resources: Vec<Uuid>,
    pub max_duration: Duration,
    pub extension: Option<ExtensionRule>,
    pub approval_tiers: Vec<ApprovalTier>,
    pub approval_timeout: Duration,
    pub admins_may_approve: bool,
    pub ticket_required: bool,
    /// Called when a request needs approval and when it is decided.
    pub notify: Vec<Notification>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub url: String,
    pub timeout: Duration,
    pub retries: u32,
}

impl Policy {
    pub fn grants(&self, account: Uuid, activity: Uuid, resource: Uuid) -> bool {
        self.members.contains(&account)
            && self.activities.contains(&activity)
            && self.resources.contains(&resource)
    }
}

/// Everything the configuration declares, with ids assigned: what the store is made to hold.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub accounts: Vec<Account>,
    pub activities: Vec<Activity>,
    pub resources: Vec<Resource>,
    pub policies: Vec<Policy>,
}

/// Durations in configuration and stored specs: `90s`, `30m`, `1h30m`.
pub mod optional_duration {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(duration) => s.serialize_str(&humantime::format_duration(*duration).to_string()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|text| super::parse_duration(&text).map_err(serde::de::Error::custom))
            .transpose()
    }
}

pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let duration = humantime::parse_duration(text.trim()).map_err(|e| {
        format!("'{text}' is not a duration ({e}); write e.g. 90s, 30m, 2h or 1h30m")
    })?;
    if duration.is_zero() {
        return Err(format!("'{text}' is zero; a duration must be positive"));
    }
    Ok(duration)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenStage {
    /// Issued after the password of an MFA-enrolled user; only `/signin2fa` accepts it.
    PreMfa,
    Full,
}

impl TokenStage {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenStage::PreMfa => "pre_mfa",
            TokenStage::Full => "full",
        }
    }
}

impl FromStr for TokenStage {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "pre_mfa" => Ok(TokenStage::PreMfa),
            "full" => Ok(TokenStage::Full),
            other => Err(format!("unknown token stage '{other}'")),
        }
    }
}

/// A bearer token as stored: its digest, never the token.
#[derive(Debug, Clone)]
pub struct TokenRecord {
    pub id: Uuid,
    pub digest: String,
    pub account_id: Uuid,
    pub stage: TokenStage,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub created_from: Option<String>,
    /// The sign-in this token descends from (by refresh or MFA); logout ends the family.
    pub family_id: Uuid,
    /// No token of the family lives past this, however often it is refreshed.
    pub family_expires_at: DateTime<Utc>,
}

pub use super::session::{LogEntry, Session};

/// A line of a session's log as stored: numbered in order, never rewritten.
#[derive(Debug, Clone, PartialEq)]
pub struct LogLine {
    pub line_number: u64,
    pub at: DateTime<Utc>,
    pub level: LogLevel,
    pub actor: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approved,
    Denied,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Approved => "Approved",
            Decision::Denied => "Denied",
        }
    }
}

impl FromStr for Decision {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "Approved" => Ok(Decision::Approved),
            "Denied" => Ok(Decision::Denied),
            other => Err(format!("unknown decision '{other}'")),
        }
    }
}

/// One approver's decision on a session, in the tier it counted for.
#[derive(Debug, Clone, PartialEq)]
pub struct Approval {
    pub id: Uuid,
    pub session_id: Uuid,
    pub tier: u32,
    pub approver_id: Uuid,
    pub approver_name: String,
    pub decision: Decision,
    pub notes: Option<String>,
    pub from_address: Option<String>,
    pub decided_at: DateTime<Utc>,
}
