//! Targets: the systems a session grants real access to. The broker calls a [`Target`] from
//! its outbox actions (pre-session, post-session, lock, unlock), from the login poller and
//! from `session exec`; the reconciler lists what a target holds and revokes what no live
//! session explains.
//!
//! Every call is safe to repeat. The outbox delivers at least once, a broker may die between
//! a step and its record, and a reconciler may race a revocation: so each step states the end
//! it wants ("this role exists with these rights", "no such role") rather than a change to
//! make, and "already so" is success.
//!
//! Secrets stay inside: the one credential a target hands out is a [`Password`], which
//! neither `Debug` nor `Display` reveals, and no [`TargetError`] carries it.
//!
//! PostgreSQL ([`postgres::PostgresTarget`]) is the first implementation.

pub mod postgres;
mod secret;

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

pub use secret::{Password, SecretSource};

/// What one session is to be given on a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The session the access is for; it names the role and is written on it, so that a
    /// role is never shared by two sessions.
    pub session_id: Uuid,
    /// When the session is due to end. The target adds its own margin as a backstop: the
    /// broker revokes at the end, the target refuses logins a little later even if the
    /// broker never comes back.
    pub ends_at: DateTime<Utc>,
    /// How many connections the role may hold at once (`None`: no limit).
    pub connection_limit: Option<u32>,
    /// The access roles (NOLOGIN, not superuser) the session's role becomes a member of;
    /// access comes only from these, never from owning objects.
    pub access_roles: Vec<String>,
}

/// A role made for a session, and its password, handed out once: the target keeps only a
/// verifier. Provisioning again sets a fresh password, so the last one returned is the one
/// that works.
#[derive(Debug)]
pub struct Provisioned {
    /// The login name, the session's `loginAccountName`.
    pub role: String,
    pub password: Password,
}

/// How a revocation ended when it succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revoked {
    /// The role was there and is gone now.
    Dropped,
    /// There was no such role: an earlier attempt (or the reconciler) finished the job.
    AlreadyGone,
}

/// Whether a session's role is connected right now, for login detection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LoginState {
    /// Open client connections of the role.
    pub connections: u32,
    /// When the oldest of them started (`None` with no connection).
    pub first_login: Option<DateTime<Utc>>,
}

impl LoginState {
    pub fn logged_in(&self) -> bool {
        self.connections > 0
    }
}

/// Bounds on one statement run through the broker, so that a query can neither hold a
/// backend nor fill the broker's memory and the activity log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatementLimits {
    /// The server's `statement_timeout` for the run (the broker also gives up a little after
    /// it, should the server not).
    pub timeout: Duration,
    /// Rows kept of the result; the rest are counted, not kept.
    pub max_rows: usize,
}

impl Default for StatementLimits {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            max_rows: 100,
        }
    }
}

/// What a statement run as the session's role gave: what the activity log records.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StatementResult {
    /// The columns of the last result set (empty for a statement without rows).
    pub columns: Vec<String>,
    /// Its first rows, as the server's text, `None` for NULL; at most `max_rows` of them.
    pub rows: Vec<Vec<Option<String>>>,
    /// Rows it had in all, kept or not.
    pub total_rows: u64,
    /// The count of the last command (rows inserted, updated, deleted or returned), when the
    /// server gave one.
    pub rows_affected: Option<u64>,
    pub duration: Duration,
    /// The server's error, when the statement failed (a timeout is one); rows of statements
    /// before it are not reported, as nothing of a failed transaction remains.
    pub error: Option<String>,
}

impl StatementResult {
    /// Rows the result had beyond those kept.
    pub fn truncated(&self) -> bool {
        self.total_rows > self.rows.len() as u64
    }
}

/// A target's failure. None carries a password: messages are the server's words, the role,
/// and where the target is.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    /// The target's settings cannot work (a bad role template, TLS mode, CA file…).
    #[error("target configuration: {0}")]
    Config(String),
    /// The admin password could not be read from its source.
    #[error("target admin password: {0}")]
    Secret(String),
    /// The target could not be reached or refused the sign-in.
    #[error("cannot connect to {target}: {message}")]
    Connect { target: String, message: String },
    /// A statement of the target's own work failed.
    #[error("{action} failed: {message}")]
    Database {
        action: &'static str,
        /// The SQLSTATE, when the server gave one.
        code: Option<String>,
        message: String,
    },
    /// The role still owns objects (or holds privileges on them), so it cannot be dropped
    /// (SQLSTATE 2BP01). It is left NOLOGIN, stripped of its access roles and still marked
    /// as managed, so the reconciler keeps reporting it; an administrator must reassign or
    /// drop the objects.
    #[error(
        "role {role} cannot be dropped: it owns objects or holds privileges ({detail}); it is \
         left NOLOGIN without its access roles. Reassign or drop its objects (REASSIGN OWNED BY \
         / DROP OWNED BY), then revoke again"
    )]
    OwnsObjects { role: String, detail: String },
    /// A role of that name exists but pamctl did not make it (it is not in the marker role):
    /// pamctl never changes or drops such a role.
    #[error(
        "role {role} exists and is not managed by pamctl (not a member of {marker}); pamctl \
         leaves it alone. Rename it or change the role name template"
    )]
    NotManaged { role: String, marker: String },
    /// A managed role of that name belongs to another session (short ids collided).
    #[error(
        "role {role} already belongs to another pamctl session ({owner}); use a role name \
         template with more of the session id"
    )]
    RoleTaken { role: String, owner: String },
    /// The role does not exist, and the step needs it.
    #[error("role {role} does not exist")]
    NoSuchRole { role: String },
    /// An access role the activity names cannot be granted.
    #[error("access role {role} {reason}")]
    AccessRole { role: String, reason: String },
}

impl TargetError {
    /// Whether trying again later may succeed without anyone changing anything: the outbox
    /// retries these with backoff, and makes the others loud at once.
    pub fn is_transient(&self) -> bool {
        match self {
            TargetError::Connect { .. } => true,
            TargetError::Database { code, .. } => code.as_deref().is_none_or(|code| {
                // Connection exceptions, serialization failures and deadlocks, too many
                // connections, shutdowns, lock timeouts.
                ["08", "40", "53", "57"]
                    .iter()
                    .any(|class| code.starts_with(class))
                    || code == "55P03"
            }),
            _ => false,
        }
    }
}

/// A system a session grants access to. Implementations must make every method safe to
/// repeat, and must refuse to touch roles they did not make.
#[async_trait]
pub trait Target: Send + Sync + fmt::Debug {
    /// The role a session gets, known before provisioning: the broker can show the
    /// `loginAccountName` early, and find the role again after a crash.
    fn role_name(&self, session_id: Uuid) -> String;

    /// Creates (or, on a repeat, brings up to date) the session's role, with a fresh
    /// password returned once.
    async fn provision(&self, grant: &Grant) -> Result<Provisioned, TargetError>;

    /// Moves the role's expiry to a new session end (plus the target's margin).
    async fn extend(&self, role: &str, ends_at: DateTime<Utc>) -> Result<(), TargetError>;

    /// Takes the access away for good: no more logins, open connections ended, memberships
    /// revoked, the role dropped. A role that owns objects is left locked and reported as
    /// [`TargetError::OwnsObjects`].
    async fn revoke(&self, role: &str) -> Result<Revoked, TargetError>;

    /// Suspends the access: no more logins, open connections ended. A role that is gone is
    /// locked already.
    async fn lock(&self, role: &str) -> Result<(), TargetError>;

    /// Gives logins back after a lock.
    async fn unlock(&self, role: &str) -> Result<(), TargetError>;

    /// Whether the role is connected, for login detection.
    async fn logged_in(&self, role: &str) -> Result<LoginState, TargetError>;

    /// Runs `sql` as the session's own role (so it can do exactly what the session may), with
    /// the limits. A statement that fails is a result with an error; `Err` means the target
    /// could not be reached or refused the role's sign-in.
    async fn run_statement(
        &self,
        role: &str,
        password: &Password,
        sql: &str,
        limits: &StatementLimits,
    ) -> Result<StatementResult, TargetError>;

    /// The roles this target made that still exist, for the reconciler to compare with the
    /// live sessions.
    async fn managed_roles(&self) -> Result<Vec<String>, TargetError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database(code: Option<&str>) -> TargetError {
        TargetError::Database {
            action: "test",
            code: code.map(str::to_owned),
            message: String::new(),
        }
    }

    #[test]
    fn only_what_time_may_fix_is_transient() {
        for transient in [
            database(None),
            database(Some("08006")),
            database(Some("40001")),
            database(Some("53300")),
            database(Some("57P01")),
            database(Some("55P03")),
        ] {
            assert!(transient.is_transient(), "{transient:?}");
        }
        for lasting in [
            database(Some("42501")),
            TargetError::OwnsObjects {
                role: "pamctl_x".to_owned(),
                detail: "owner of table t".to_owned(),
            },
            TargetError::Config("bad".to_owned()),
        ] {
            assert!(!lasting.is_transient(), "{lasting:?}");
        }
    }
}
