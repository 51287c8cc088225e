//! The server's configuration file: who exists, the catalog, the policies, and server settings.
//! The format is documented by `examples/pamctl.toml`. Loading validates everything up front
//! so that a mistake fails start-up with the file, the entry and the field, never later.

pub mod dev;
mod resolve;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

use super::secret;
use crate::core::{ActionSpec, Role, parse_duration};
use crate::targets::postgres::{PostgresConfig, PostgresSettings};
use crate::wire::enums::{ActivityType, LoginAccount, ResourceType, WireEnum};

#[derive(Debug, thiserror::Error)]
#[error("invalid configuration in {source_name}: {entry}: {message}")]
pub struct ConfigError {
    pub source_name: String,
    pub entry: String,
    pub message: String,
}

impl ConfigError {
    fn new(source_name: &str, entry: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            source_name: source_name.to_owned(),
            entry: entry.into(),
            message: message.into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MfaMode {
    /// Users with a TOTP secret must give a code; others sign in with a password alone.
    #[default]
    Optional,
    /// Every user must have a TOTP secret; applications are exempt (they have API keys).
    Required,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub server: ServerSection,
    #[serde(default)]
    pub database: DatabaseSection,
    #[serde(default)]
    pub audit: AuditSection,
    #[serde(default)]
    pub users: Vec<UserEntry>,
    #[serde(default)]
    pub applications: Vec<ApplicationEntry>,
    #[serde(default)]
    pub activities: Vec<ActivityEntry>,
    #[serde(default)]
    pub resources: Vec<ResourceEntry>,
    #[serde(default)]
    pub policies: Vec<PolicyEntry>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSection {
    pub token_ttl: Option<String>,
    /// How long a sign-in's tokens may be refreshed for, at most (default 12h).
    pub token_absolute_lifetime: Option<String>,
    /// The most client connections served at once (default: the open-file limit less a
    /// reserve for the scheduler, action processes and the database).
    pub max_connections: Option<u32>,
    pub mfa: Option<MfaMode>,
    pub sign_in_failures_before_delay: Option<u32>,
    pub max_open_sessions_per_user: Option<u32>,
    pub max_pending_requests_per_user: Option<u32>,
    pub max_schedule_ahead: Option<String>,
    pub action_retry_backoff: Option<String>,
    pub action_lease: Option<String>,
    pub http_timeout: Option<String>,
    /// The key that seals the passwords targets hand out: `file:PATH` or `env:NAME`
    /// (default: `credential.key` in the data directory). Replicas must share it.
    pub credential_key: Option<String>,
    /// How often the broker asks targets whether a session's role is connected.
    pub login_poll_interval: Option<String>,
    /// How often the broker compares what targets hold with the live sessions.
    pub reconcile_interval: Option<String>,
    /// The statement timeout of `session exec` (default 30s).
    pub exec_timeout: Option<String>,
    /// Result rows an activity-log entry keeps (default 100).
    pub exec_max_rows: Option<u32>,
}

/// The audit trail's settings.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditSection {
    /// Where the key that makes the chain's hashes keyed (HMAC-SHA256) is: `file:PATH` or
    /// `env:NAME` (never the key). Without it the chain is plain SHA-256.
    pub key: Option<String>,
}

/// Where the broker keeps its state. `--database` and `PAMCTL_DATABASE_URL` come first.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSection {
    /// `sqlite://PATH` or `postgres://USER@HOST:PORT/DATABASE`.
    pub url: Option<String>,
    /// Where the PostgreSQL password is: `file:PATH` or `env:NAME` (never the password).
    pub password: Option<String>,
    /// The most connections this broker keeps to PostgreSQL (default 8). Every replica
    /// keeps its own, so their sum must stay under the server's `max_connections`.
    pub max_connections: Option<u32>,
}

/// The URL may hold a password: shown redacted.
impl std::fmt::Debug for DatabaseSection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseSection")
            .field("url", &self.url.as_deref().map(crate::store::redact_url))
            .field("password", &self.password)
            .field("max_connections", &self.max_connections)
            .finish()
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserEntry {
    pub name: String,
    pub display_name: Option<String>,
    pub role: String,
    pub password_hash: Option<String>,
    pub password_env: Option<String>,
    pub totp_secret: Option<String>,
    pub totp_secret_env: Option<String>,
    /// Only the dev seed sets a plain password; a file never can.
    #[serde(skip)]
    pub dev_password: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationEntry {
    pub name: String,
    pub display_name: Option<String>,
    pub role: String,
    pub api_key_hash: Option<String>,
    pub api_key_env: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityEntry {
    pub name: String,
    pub description: Option<String>,
    pub platform: String,
    #[serde(rename = "type")]
    pub activity_type: Option<String>,
    pub login_account: Option<String>,
    pub login_account_name_format: Option<String>,
    #[serde(default)]
    pub pre_session: Vec<ActionSpec>,
    #[serde(default)]
    pub post_session: Vec<ActionSpec>,
    #[serde(default)]
    pub on_lock: Vec<ActionSpec>,
    #[serde(default)]
    pub on_unlock: Vec<ActionSpec>,
    /// Sessions of this activity get a role of their own on the resource's target.
    pub database_role: Option<DatabaseRoleEntry>,
}

/// An activity of kind "database role": what the session's role is given.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseRoleEntry {
    /// The NOLOGIN roles the session's role becomes a member of (its only rights).
    #[serde(default)]
    pub access_roles: Vec<String>,
    /// How many connections the role may hold at once (default: no limit).
    pub connection_limit: Option<u32>,
    /// Which statements `session exec` holds for a reviewer: "all", "writes" (anything but
    /// one plain SELECT/SHOW/EXPLAIN/VALUES/TABLE) or "none" (the default).
    #[serde(default)]
    pub review_statements: ReviewStatements,
}

/// The `review_statements` option of a database-role activity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReviewStatements {
    #[default]
    None,
    All,
    Writes,
}

impl ReviewStatements {
    pub fn rule(self) -> crate::core::StatementReview {
        match self {
            ReviewStatements::None => crate::core::StatementReview::None,
            ReviewStatements::All => crate::core::StatementReview::All,
            ReviewStatements::Writes => crate::core::StatementReview::Writes,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceEntry {
    pub name: String,
    pub display_name: Option<String>,
    pub platform: String,
    #[serde(rename = "type")]
    pub resource_type: Option<String>,
    pub address: Option<String>,
    pub port_ssh: Option<u16>,
    pub port_rdp: Option<u16>,
    /// The PostgreSQL server sessions on this resource get their roles on.
    pub postgres: Option<PostgresSettings>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyEntry {
    pub name: String,
    pub description: Option<String>,
    pub users: Vec<String>,
    pub activities: Vec<String>,
    pub resources: Vec<String>,
    pub max_duration: String,
    pub extension: Option<ExtensionEntry>,
    #[serde(default)]
    pub approval: Vec<ApprovalTierEntry>,
    pub approval_timeout: Option<String>,
    #[serde(default)]
    pub admins_may_approve: bool,
    #[serde(default)]
    pub ticket_required: bool,
    #[serde(default)]
    pub notify: Vec<NotifyEntry>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotifyEntry {
    pub url: String,
    pub timeout: Option<String>,
    pub retries: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtensionEntry {
    pub max_count: u32,
    pub max_each: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApprovalTierEntry {
    /// Account names, or `role:Reviewer` for everyone with that role.
    pub approvers: Vec<String>,
    pub required: Option<u32>,
}

/// Server settings after validation.
#[derive(Debug, Clone)]
pub struct ServerSettings {
    pub token_ttl: Duration,
    /// No token of a sign-in's family lives past the sign-in plus this, however refreshed.
    pub token_absolute_lifetime: Duration,
    /// The most client connections served at once; `None`: derived from the open-file limit.
    pub max_connections: Option<u32>,
    pub mfa: MfaMode,
    pub sign_in_failures_before_delay: u32,
    /// Unfinished sessions one requester may have; 0: no cap.
    pub max_open_sessions_per_user: u32,
    /// Requests waiting for approval one requester may have; 0: no cap.
    pub max_pending_requests_per_user: u32,
    /// How far ahead a session may start.
    pub max_schedule_ahead: Duration,
    /// The first retry delay of a failed action; it doubles, up to `MAX_ACTION_BACKOFF`.
    pub action_retry_backoff: Duration,
    /// How long a broker holds an action run without renewing its claim.
    pub action_lease: Duration,
    /// The longest a client may take to send a request's headers or its body, and the
    /// longest an idle connection stays open: slow or silent clients cannot hold the
    /// broker's sockets.
    pub http_timeout: Duration,
    /// The key that signs bearer tokens (JWTs): kept in the data directory, so tokens keep
    /// their signature across restarts.
    pub token_signing_key: SigningKey,
    /// How the audit chain's hashes are made (keyed when `[audit] key` is set).
    pub audit_seal: crate::core::audit::AuditSeal,
    /// Seals the passwords targets hand out, at rest in the store.
    pub credential_key: CredentialKey,
    pub login_poll_interval: Duration,
    pub reconcile_interval: Duration,
    /// The statement timeout and the rows kept of `session exec`.
    pub exec_limits: crate::targets::StatementLimits,
}

/// The key that seals session credentials: never shown, not even in `Debug`.
#[derive(Clone)]
pub struct CredentialKey(pub [u8; 32]);

impl std::fmt::Debug for CredentialKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CredentialKey(***)")
    }
}

impl CredentialKey {
    /// The key a secret text stands for (a key file's line, a variable's value): its
    /// SHA-256, so that any length of text gives a full key.
    pub fn from_text(text: &str) -> Self {
        use sha2::Digest;
        Self(sha2::Sha256::digest(text.trim().as_bytes()).into())
    }

    /// A key of this process alone: for a broker that keeps no key (tests).
    pub fn random() -> Self {
        Self::from_text(&crate::broker::secret::random_token())
    }
}

/// A token-signing key: never shown, not even in `Debug`.
#[derive(Clone)]
pub struct SigningKey(pub Vec<u8>);

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey(***)")
    }
}

impl SigningKey {
    /// 256 random bits: for a broker that keeps no key (tests, or before one is loaded).
    pub fn random() -> Self {
        Self(crate::broker::secret::random_token().into_bytes())
    }
}

/// The longest wait between two attempts of a failing action.
pub const MAX_ACTION_BACKOFF: Duration = Duration::from_secs(300);

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            token_ttl: Duration::from_secs(8 * 3600),
            token_absolute_lifetime: Duration::from_secs(12 * 3600),
            max_connections: None,
            mfa: MfaMode::Optional,
            sign_in_failures_before_delay: 5,
            max_open_sessions_per_user: 500,
            max_pending_requests_per_user: 50,
            max_schedule_ahead: Duration::from_secs(365 * 24 * 3600),
            action_retry_backoff: Duration::from_secs(5),
            http_timeout: Duration::from_secs(30),
            token_signing_key: SigningKey::random(),
            action_lease: Duration::from_secs(30),
            audit_seal: crate::core::audit::AuditSeal::unkeyed(),
            credential_key: CredentialKey::random(),
            login_poll_interval: Duration::from_secs(5),
            reconcile_interval: Duration::from_secs(300),
            exec_limits: crate::targets::StatementLimits::default(),
        }
    }
}

/// A configuration that passed validation: every reference resolves, every secret is at hand.
#[derive(Debug)]
pub struct ValidConfig {
    pub settings: ServerSettings,
    pub file: ConfigFile,
    /// Secrets (hashes) per account name, read from the file, the environment or the dev seed.
    pub secret_hashes: HashMap<String, String>,
    /// The plain secrets given through the environment or the dev seed, per account name:
    /// hashed afresh at every start, they are kept to tell whether a stored hash still
    /// matches (a new salt is not a new password). Never printed.
    pub plain_secrets: HashMap<String, PlainSecret>,
    pub totp_secrets: HashMap<String, String>,
    /// The target of each resource that has one, by lower-cased resource name.
    pub targets: HashMap<String, PostgresConfig>,
}

/// A plain secret that `Debug` does not show.
#[derive(Clone)]
pub struct PlainSecret(pub String);

impl std::fmt::Debug for PlainSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PlainSecret(..)")
    }
}

fn plain_secret(env: Option<&str>, dev_plain: Option<&str>) -> Option<PlainSecret> {
    env.and_then(|var| std::env::var(var).ok())
        .or_else(|| dev_plain.map(str::to_owned))
        .filter(|plain| !plain.is_empty())
        .map(PlainSecret)
}

impl ConfigFile {
    pub fn load(path: &Path) -> Result<ConfigFile, ConfigError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|error| ConfigError::new(&name, "file", format!("cannot read it: {error}")))?;
        toml::from_str(&text).map_err(|error| {
            let message = error.message().to_owned();
            let location = error
                .span()
                .map(|span| {
                    let line = text[..span.start].matches('\n').count() + 1;
                    format!("line {line}")
                })
                .unwrap_or_else(|| "syntax".to_owned());
            ConfigError::new(&name, location, message)
        })
    }

    /// Adds another file's entries to this one; a name declared twice is caught by validation.
    pub fn merge(&mut self, other: ConfigFile) {
        let ServerSection {
            token_ttl,
            token_absolute_lifetime,
            max_connections,
            mfa,
            sign_in_failures_before_delay,
            max_open_sessions_per_user,
            max_pending_requests_per_user,
            max_schedule_ahead,
            action_retry_backoff,
            action_lease,
            http_timeout,
            credential_key,
            login_poll_interval,
            reconcile_interval,
            exec_timeout,
            exec_max_rows,
        } = other.server;
        self.server.exec_timeout = exec_timeout.or(self.server.exec_timeout.take());
        self.server.exec_max_rows = exec_max_rows.or(self.server.exec_max_rows);
        self.server.credential_key = credential_key.or(self.server.credential_key.take());
        self.server.login_poll_interval =
            login_poll_interval.or(self.server.login_poll_interval.take());
        self.server.reconcile_interval =
            reconcile_interval.or(self.server.reconcile_interval.take());
        self.server.http_timeout = http_timeout.or(self.server.http_timeout.take());
        self.server.max_open_sessions_per_user =
            max_open_sessions_per_user.or(self.server.max_open_sessions_per_user);
        self.server.max_pending_requests_per_user =
            max_pending_requests_per_user.or(self.server.max_pending_requests_per_user);
        self.server.max_schedule_ahead =
            max_schedule_ahead.or(self.server.max_schedule_ahead.take());
        self.server.action_retry_backoff =
            action_retry_backoff.or(self.server.action_retry_backoff.take());
        self.server.action_lease = action_lease.or(self.server.action_lease.take());
        self.server.token_ttl = token_ttl.or(self.server.token_ttl.take());
        self.server.token_absolute_lifetime =
            token_absolute_lifetime.or(self.server.token_absolute_lifetime.take());
        self.server.max_connections = max_connections.or(self.server.max_connections);
        self.server.mfa = mfa.or(self.server.mfa);
        self.server.sign_in_failures_before_delay =
            sign_in_failures_before_delay.or(self.server.sign_in_failures_before_delay);
        self.database.url = other.database.url.or(self.database.url.take());
        self.database.password = other.database.password.or(self.database.password.take());
        self.database.max_connections = other
            .database
            .max_connections
            .or(self.database.max_connections);
        self.audit.key = other.audit.key.or(self.audit.key.take());
        self.users.extend(other.users);
        self.applications.extend(other.applications);
        self.activities.extend(other.activities);
        self.resources.extend(other.resources);
        self.policies.extend(other.policies);
    }

    pub fn validate(self, source_name: &str) -> Result<ValidConfig, ConfigError> {
        Validator {
            source: source_name,
        }
        .run(self)
    }
}

struct Validator<'a> {
    source: &'a str,
}

impl Validator<'_> {
    fn error(&self, entry: impl Into<String>, message: impl Into<String>) -> ConfigError {
        ConfigError::new(self.source, entry, message)
    }

    fn run(&self, file: ConfigFile) -> Result<ValidConfig, ConfigError> {
        let mut settings = self.settings(&file.server)?;
        let pool = file.database.max_connections;
        if pool.is_some_and(|max| !(1..=crate::store::MAX_DATABASE_CONNECTIONS).contains(&max)) {
            return Err(self.error(
                "[database]",
                format!(
                    "max_connections: must be from 1 to {} (the connections this broker keeps to PostgreSQL; leave it out for {})",
                    crate::store::MAX_DATABASE_CONNECTIONS,
                    crate::store::DEFAULT_DATABASE_CONNECTIONS
                ),
            ));
        }
        if let Some(source) = &file.audit.key {
            settings.audit_seal = crate::broker::audit::read_audit_key(source)
                .map_err(|message| self.error("[audit]", format!("key: {message}")))?;
        }
        let mut secret_hashes = HashMap::new();
        let mut plain_secrets = HashMap::new();
        let mut totp_secrets = HashMap::new();

        let mut logins = HashSet::new();
        for (index, user) in file.users.iter().enumerate() {
            let entry = self.entry_name(("users", "user"), index, &user.name)?;
            self.unique(&mut logins, &user.name, &entry, "user or application")?;
            self.role(&user.role, &entry)?;
            let hash = self.secret_hash(
                &entry,
                ("password_hash", user.password_hash.as_deref()),
                ("password_env", user.password_env.as_deref()),
                user.dev_password.as_deref(),
            )?;
            secret_hashes.insert(user.name.to_lowercase(), hash);
            if let Some(plain) =
                plain_secret(user.password_env.as_deref(), user.dev_password.as_deref())
            {
                plain_secrets.insert(user.name.to_lowercase(), plain);
            }
            if let Some(totp) = self.totp_secret(user, &entry)? {
                totp_secrets.insert(user.name.to_lowercase(), totp);
            } else if settings.mfa == MfaMode::Required {
                return Err(self.error(
                    entry,
                    "totp_secret: the server requires MFA (server.mfa = \"required\") but this user has no totp_secret or totp_secret_env",
                ));
            }
        }
        for (index, app) in file.applications.iter().enumerate() {
            let entry = self.entry_name(("applications", "application"), index, &app.name)?;
            self.unique(&mut logins, &app.name, &entry, "user or application")?;
            self.role(&app.role, &entry)?;
            let hash = self.secret_hash(
                &entry,
                ("api_key_hash", app.api_key_hash.as_deref()),
                ("api_key_env", app.api_key_env.as_deref()),
                None,
            )?;
            secret_hashes.insert(app.name.to_lowercase(), hash);
            if let Some(plain) = plain_secret(app.api_key_env.as_deref(), None) {
                plain_secrets.insert(app.name.to_lowercase(), plain);
            }
        }

        let mut activities = HashSet::new();
        for (index, activity) in file.activities.iter().enumerate() {
            let entry = self.entry_name(("activities", "activity"), index, &activity.name)?;
            self.unique(&mut activities, &activity.name, &entry, "activity")?;
            self.non_empty(&activity.platform, &entry, "platform")?;
            self.wire_enum::<ActivityType>(activity.activity_type.as_deref(), &entry, "type")?;
            self.wire_enum::<LoginAccount>(
                activity.login_account.as_deref(),
                &entry,
                "login_account",
            )?;
            for (phase, actions) in [
                ("pre_session", &activity.pre_session),
                ("post_session", &activity.post_session),
                ("on_lock", &activity.on_lock),
                ("on_unlock", &activity.on_unlock),
            ] {
                for (position, action) in actions.iter().enumerate() {
                    self.action(action, &format!("{entry}, {phase}[{position}]"))?;
                }
            }
        }

        let mut resources = HashSet::new();
        let mut targets = HashMap::new();
        for (index, resource) in file.resources.iter().enumerate() {
            let entry = self.entry_name(("resources", "resource"), index, &resource.name)?;
            self.unique(&mut resources, &resource.name, &entry, "resource")?;
            self.non_empty(&resource.platform, &entry, "platform")?;
            self.wire_enum::<ResourceType>(resource.resource_type.as_deref(), &entry, "type")?;
            if let Some(settings) = &resource.postgres {
                let config = settings
                    .clone()
                    .into_config()
                    .and_then(|config| {
                        crate::targets::postgres::PostgresTarget::new(config.clone())?;
                        Ok(config)
                    })
                    .map_err(|error| self.error(&entry, format!("postgres: {error}")))?;
                targets.insert(resource.name.to_lowercase(), config);
            }
        }

        let users: HashSet<String> = file.users.iter().map(|u| u.name.to_lowercase()).collect();
        let mut policies = HashSet::new();
        for (index, policy) in file.policies.iter().enumerate() {
            let entry = self.entry_name(("policies", "policy"), index, &policy.name)?;
            self.unique(&mut policies, &policy.name, &entry, "policy")?;
            self.references(
                &policy.users,
                &logins,
                &entry,
                "users",
                "user or application",
            )?;
            self.references(
                &policy.activities,
                &activities,
                &entry,
                "activities",
                "activity",
            )?;
            self.references(
                &policy.resources,
                &resources,
                &entry,
                "resources",
                "resource",
            )?;
            self.duration(Some(&policy.max_duration), &entry, "max_duration")?;
            self.duration(
                policy.approval_timeout.as_deref(),
                &entry,
                "approval_timeout",
            )?;
            if let Some(extension) = &policy.extension {
                if extension.max_count == 0 {
                    return Err(self.error(
                        entry,
                        "extension.max_count: must be at least 1; remove the extension table to forbid extensions",
                    ));
                }
                self.duration(Some(&extension.max_each), &entry, "extension.max_each")?;
            }
            for (position, notify) in policy.notify.iter().enumerate() {
                let entry = format!("{entry}, notify[{position}]");
                if !(notify.url.starts_with("https://") || notify.url.starts_with("http://")) {
                    return Err(self.error(
                        entry,
                        format!("url: \"{}\" is not an http:// or https:// URL", notify.url),
                    ));
                }
                self.duration(notify.timeout.as_deref(), &entry, "timeout")?;
            }
            for (tier_index, tier) in policy.approval.iter().enumerate() {
                self.approval_tier(tier, &users, &format!("{entry}, approval[{tier_index}]"))?;
            }
            self.database_roles_have_targets(&file, policy, &targets, &entry)?;
        }

        Ok(ValidConfig {
            settings,
            file,
            secret_hashes,
            plain_secrets,
            totp_secrets,
            targets,
        })
    }

    fn settings(&self, server: &ServerSection) -> Result<ServerSettings, ConfigError> {
        let mut settings = ServerSettings::default();
        if let Some(ttl) = self.duration(server.token_ttl.as_deref(), "[server]", "token_ttl")? {
            settings.token_ttl = ttl;
        }
        if let Some(lifetime) = self.duration(
            server.token_absolute_lifetime.as_deref(),
            "[server]",
            "token_absolute_lifetime",
        )? {
            if lifetime < Duration::from_secs(60) {
                return Err(self.error(
                    "[server]",
                    "token_absolute_lifetime: must be at least 1m (the default is 12h)",
                ));
            }
            settings.token_absolute_lifetime = lifetime;
        }
        if let Some(max) = server.max_connections {
            if max == 0 {
                return Err(self.error(
                    "[server]",
                    "max_connections: must be at least 1 (leave it out for the default, derived from the open-file limit)",
                ));
            }
            settings.max_connections = Some(max);
        }
        if let Some(mfa) = server.mfa {
            settings.mfa = mfa;
        }
        if let Some(failures) = server.sign_in_failures_before_delay {
            if failures == 0 {
                return Err(self.error(
                    "[server]",
                    "sign_in_failures_before_delay: must be at least 1",
                ));
            }
            settings.sign_in_failures_before_delay = failures;
        }
        if let Some(cap) = server.max_open_sessions_per_user {
            settings.max_open_sessions_per_user = cap;
        }
        if let Some(cap) = server.max_pending_requests_per_user {
            settings.max_pending_requests_per_user = cap;
        }
        if let Some(ahead) = self.duration(
            server.max_schedule_ahead.as_deref(),
            "[server]",
            "max_schedule_ahead",
        )? {
            settings.max_schedule_ahead = ahead;
        }
        if let Some(backoff) = self.duration(
            server.action_retry_backoff.as_deref(),
            "[server]",
            "action_retry_backoff",
        )? {
            settings.action_retry_backoff = backoff.min(MAX_ACTION_BACKOFF);
        }
        if let Some(lease) =
            self.duration(server.action_lease.as_deref(), "[server]", "action_lease")?
        {
            if lease < Duration::from_millis(300) {
                return Err(self.error(
                    "[server]",
                    "action_lease: must be at least 300ms, so that a broker can renew it in time",
                ));
            }
            settings.action_lease = lease;
        }
        if let Some(timeout) =
            self.duration(server.http_timeout.as_deref(), "[server]", "http_timeout")?
        {
            if timeout < Duration::from_secs(1) || timeout > Duration::from_secs(300) {
                return Err(self.error(
                    "[server]",
                    "http_timeout: must be between 1s and 5m (the default is 30s)",
                ));
            }
            settings.http_timeout = timeout;
        }
        for (field, value, target) in [
            (
                "login_poll_interval",
                &server.login_poll_interval,
                &mut settings.login_poll_interval,
            ),
            (
                "reconcile_interval",
                &server.reconcile_interval,
                &mut settings.reconcile_interval,
            ),
        ] {
            if let Some(interval) = self.duration(value.as_deref(), "[server]", field)? {
                if interval < Duration::from_millis(100) {
                    return Err(self.error("[server]", format!("{field}: must be at least 100ms")));
                }
                *target = interval;
            }
        }
        if let Some(timeout) =
            self.duration(server.exec_timeout.as_deref(), "[server]", "exec_timeout")?
        {
            if timeout < Duration::from_millis(100) || timeout > Duration::from_secs(3600) {
                return Err(self.error(
                    "[server]",
                    "exec_timeout: must be between 100ms and 1h (the default is 30s)",
                ));
            }
            settings.exec_limits.timeout = timeout;
        }
        if let Some(rows) = server.exec_max_rows {
            if !(1..=10_000).contains(&rows) {
                return Err(self.error(
                    "[server]",
                    "exec_max_rows: must be between 1 and 10000 (the default is 100)",
                ));
            }
            settings.exec_limits.max_rows = rows as usize;
        }
        if let Some(source) = &server.credential_key {
            crate::targets::SecretSource::parse(source)
                .map_err(|error| self.error("[server]", format!("credential_key: {error}")))?;
        }
        Ok(settings)
    }

    /// A policy that offers a database-role activity on a resource must find a target there:
    /// refused at load, so that no session can be granted a role nobody can make.
    fn database_roles_have_targets(
        &self,
        file: &ConfigFile,
        policy: &PolicyEntry,
        targets: &HashMap<String, PostgresConfig>,
        entry: &str,
    ) -> Result<(), ConfigError> {
        let role_activities = file.activities.iter().filter(|activity| {
            activity.database_role.is_some()
                && policy
                    .activities
                    .iter()
                    .any(|name| name.eq_ignore_ascii_case(&activity.name))
        });
        for activity in role_activities {
            if let Some(resource) = policy
                .resources
                .iter()
                .find(|name| !targets.contains_key(&name.to_lowercase()))
            {
                return Err(self.error(
                    entry,
                    format!(
                        "activity \"{}\" gives a database role, but resource \"{resource}\" has no target; add a [resources.postgres] table to it, or offer that activity on resources that have one",
                        activity.name
                    ),
                ));
            }
        }
        Ok(())
    }

    /// How errors name an entry: `policy "Web Ops"`, or `policies[2]` while it has no name.
    fn entry_name(
        &self,
        (table, kind): (&str, &str),
        index: usize,
        name: &str,
    ) -> Result<String, ConfigError> {
        if name.trim().is_empty() {
            return Err(self.error(format!("{table}[{index}]"), "name: must not be empty"));
        }
        Ok(format!("{kind} \"{name}\""))
    }

    fn unique(
        &self,
        seen: &mut HashSet<String>,
        name: &str,
        entry: &str,
        what: &str,
    ) -> Result<(), ConfigError> {
        if !seen.insert(name.to_lowercase()) {
            return Err(self.error(
                entry,
                format!("name: another {what} is already named \"{name}\" (names are case-insensitive); rename one"),
            ));
        }
        Ok(())
    }

    fn role(&self, role: &str, entry: &str) -> Result<Role, ConfigError> {
        role.parse()
            .map_err(|message: String| self.error(entry, format!("role: {message}")))
    }

    fn non_empty(&self, value: &str, entry: &str, field: &str) -> Result<(), ConfigError> {
        if value.trim().is_empty() {
            return Err(self.error(entry, format!("{field}: must not be empty")));
        }
        Ok(())
    }

    fn wire_enum<E: WireEnum>(
        &self,
        value: Option<&str>,
        entry: &str,
        field: &str,
    ) -> Result<(), ConfigError> {
        match value {
            Some(name) if E::from_name(name).is_none() => Err(self.error(
                entry,
                format!(
                    "{field}: unknown value \"{name}\"; use one of {}",
                    E::names()
                ),
            )),
            _ => Ok(()),
        }
    }

    fn duration(
        &self,
        value: Option<&str>,
        entry: &str,
        field: &str,
    ) -> Result<Option<Duration>, ConfigError> {
        value
            .map(|text| {
                parse_duration(text).map_err(|m| self.error(entry, format!("{field}: {m}")))
            })
            .transpose()
    }

    fn secret_hash(
        &self,
        entry: &str,
        (hash_field, hash): (&str, Option<&str>),
        (env_field, env): (&str, Option<&str>),
        dev_plain: Option<&str>,
    ) -> Result<String, ConfigError> {
        match (hash, env, dev_plain) {
            (Some(hash), None, None) => {
                if secret::is_valid_hash(hash) {
                    Ok(hash.to_owned())
                } else {
                    Err(self.error(
                        entry,
                        format!("{hash_field}: not an argon2 hash in PHC form ($argon2id$v=19$...); make one with `pamctl hash-secret`"),
                    ))
                }
            }
            (None, Some(var), None) => match std::env::var(var) {
                Ok(value) if !value.is_empty() => Ok(secret::hash_secret(&value)),
                _ => Err(self.error(
                    entry,
                    format!("{env_field}: the environment variable {var} is not set or empty; set it before starting the server"),
                )),
            },
            (None, None, Some(plain)) => Ok(secret::hash_secret(plain)),
            (None, None, None) => Err(self.error(
                entry,
                format!("{hash_field}: missing; give {hash_field} or {env_field}"),
            )),
            _ => Err(self.error(
                entry,
                format!("{hash_field}: give either {hash_field} or {env_field}, not both"),
            )),
        }
    }

    fn totp_secret(&self, user: &UserEntry, entry: &str) -> Result<Option<String>, ConfigError> {
        let secret = match (&user.totp_secret, &user.totp_secret_env) {
            (Some(_), Some(_)) => {
                return Err(self.error(
                    entry,
                    "totp_secret: give either totp_secret or totp_secret_env, not both",
                ));
            }
            (Some(secret), None) => secret.clone(),
            (None, Some(var)) => std::env::var(var).map_err(|_| {
                self.error(
                    entry,
                    format!("totp_secret_env: the environment variable {var} is not set"),
                )
            })?,
            (None, None) => return Ok(None),
        };
        let normalized: String = secret
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        match totp_rs::Secret::Encoded(normalized.clone()).to_bytes() {
            Ok(bytes) if bytes.len() >= 10 => Ok(Some(normalized)),
            _ => Err(self.error(
                entry,
                "totp_secret: must be base32 (A-Z, 2-7) of at least 80 bits, as authenticator apps show it",
            )),
        }
    }

    fn action(&self, action: &ActionSpec, entry: &str) -> Result<(), ConfigError> {
        match action {
            ActionSpec::Command { program, .. } if program.trim().is_empty() => {
                Err(self.error(entry, "program: must not be empty"))
            }
            ActionSpec::Webhook { url, .. }
                if !(url.starts_with("https://") || url.starts_with("http://")) =>
            {
                Err(self.error(
                    entry,
                    format!("url: \"{url}\" is not an http:// or https:// URL"),
                ))
            }
            _ => Ok(()),
        }
    }

    fn references(
        &self,
        names: &[String],
        declared: &HashSet<String>,
        entry: &str,
        field: &str,
        what: &str,
    ) -> Result<(), ConfigError> {
        if names.is_empty() {
            return Err(self.error(entry, format!("{field}: must name at least one {what}")));
        }
        match names
            .iter()
            .find(|name| !declared.contains(&name.to_lowercase()))
        {
            Some(unknown) => Err(self.error(
                entry,
                format!(
                    "{field}: no {what} named \"{unknown}\" is declared; declare it or fix the name"
                ),
            )),
            None => Ok(()),
        }
    }

    fn approval_tier(
        &self,
        tier: &ApprovalTierEntry,
        users: &HashSet<String>,
        entry: &str,
    ) -> Result<(), ConfigError> {
        if tier.approvers.is_empty() {
            return Err(self.error(entry, "approvers: must name at least one approver"));
        }
        let mut named = 0u32;
        for approver in &tier.approvers {
            match approver.strip_prefix("role:") {
                Some(role) => {
                    self.role(role, entry)?;
                }
                None if users.contains(&approver.to_lowercase()) => named += 1,
                None => {
                    return Err(self.error(
                        entry,
                        format!("approvers: no user named \"{approver}\" is declared (write role:Reviewer for everyone with a role)"),
                    ));
                }
            }
        }
        let has_role = tier.approvers.iter().any(|a| a.starts_with("role:"));
        match tier.required {
            Some(0) => Err(self.error(entry, "required: must be at least 1")),
            Some(required) if !has_role && required > named => Err(self.error(
                entry,
                format!(
                    "required: {required} approvals can never be met by {named} named approvers"
                ),
            )),
            _ => Ok(()),
        }
    }
}

pub(crate) fn parse_wire_enum<E: WireEnum>(value: Option<&str>, default: E) -> E {
    value.and_then(E::from_name).unwrap_or(default)
}
