//! Persistence behind one small trait, so that the broker does not know which database it
//! runs on. SQLite (embedded, the default) is here; PostgreSQL implements the same trait.

mod sqlite;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::broker::model::{
    Account, Activity, Approval, Catalog, LogEntry, LogLine, Policy, Resource, Role, Session,
    TokenRecord,
};
use crate::wire::enums::LogLevel;
use crate::wire::status::SessionState;

pub use sqlite::SqliteStore;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("cannot bring the database schema up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("the database holds a value this version cannot read ({table}: {message})")]
    Corrupt {
        table: &'static str,
        message: String,
    },
    #[error("unsupported database URL '{0}': use sqlite://PATH")]
    UnsupportedUrl(String),
}

/// The ids already given to catalog entries, by lower-cased name, so that a restart with the
/// same configuration keeps every id (and the sessions that refer to them).
#[derive(Debug, Default)]
pub struct CatalogIds {
    pub accounts: HashMap<String, Uuid>,
    pub activities: HashMap<String, Uuid>,
    pub resources: HashMap<String, Uuid>,
    pub policies: HashMap<String, Uuid>,
}

/// What a session list asks for: every filter of Search and `session list`, the order and the
/// page. Filters are ANDed; the values of one list filter are ORed. Empty means "any".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SessionQuery {
    /// Only sessions this account created (a plain user's visibility, or `mine`).
    pub created_by: Option<Uuid>,
    /// Shown states (`Locked` is an Available or Logged In session with its lock set).
    pub states: Vec<SessionState>,
    /// `Some(false)`: only sessions not finished; `Some(true)`: only finished ones.
    pub finished: Option<bool>,
    /// Users by login or display name, or the account part of `DOMAIN\name` or
    /// `name@domain`, in any case.
    pub users: Vec<String>,
    /// Resources by name, display name or id, in any case.
    pub resources: Vec<String>,
    /// Activities by name or id, in any case.
    pub activities: Vec<String>,
    /// Platforms of the session's activity, in any case.
    pub platforms: Vec<String>,
    /// Sessions on this resource (by id).
    pub resource_id: Option<Uuid>,
    /// Sessions the period [from, to] overlaps: the actual span, else the scheduled one.
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Free text, case-insensitive: a substring of the user's login or display name, the
    /// resource's name or display name, the activity, the note, the ticket, or the status word
    /// or summary status name.
    pub text: Option<String>,
    pub sort: SessionSort,
    pub descending: bool,
    pub skip: u64,
    /// `None`: every matching session.
    pub take: Option<u64>,
}

/// The orders a session list can have; ties always fall back to created time, then id.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SessionSort {
    #[default]
    Created,
    ScheduledStart,
    ScheduledEnd,
    /// The requester's login name, any case.
    User,
    Resource,
    Activity,
    /// The summary status value of the shown state.
    Status,
    /// Seconds the session ran or will run (see `SessionStats`).
    Duration,
    Id,
    LoginAccount,
}

/// A page of sessions and how many match in all.
#[derive(Debug, Clone, Default)]
pub struct SessionPage {
    pub sessions: Vec<Session>,
    pub total: u64,
}

/// Count, sum, average, minimum and maximum of session durations in seconds. A session's
/// duration: from its actual start to its actual end (or `now`); one that never started and
/// is finished ran for no time; one that has not started yet, its scheduled span.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Durations {
    pub count: u64,
    pub sum: i64,
    pub avg: i64,
    pub min: i64,
    pub max: i64,
}

/// The durations of one requester's sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserDurations {
    pub account_id: Uuid,
    pub name: String,
    pub durations: Durations,
}

/// A session log page: lines at `level` or above, in the period, containing `text` (in the
/// message or the actor), in line order (or reversed), skipped and taken.
#[derive(Debug, Clone, Default)]
pub struct LogQuery {
    pub min_level: Option<LogLevel>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub text: Option<String>,
    pub descending: bool,
    pub skip: u64,
    pub take: Option<u64>,
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    async fn catalog_ids(&self) -> Result<CatalogIds, StoreError>;
    /// Makes the stored catalog exactly `catalog`, in one transaction: entries are upserted by
    /// id, and entries it no longer names are retired (kept for history, no longer usable).
    async fn replace_catalog(
        &self,
        catalog: &Catalog,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    async fn account(&self, id: Uuid) -> Result<Option<Account>, StoreError>;
    /// Every account that may sign in (not retired).
    async fn accounts(&self) -> Result<Vec<Account>, StoreError>;
    async fn account_by_name(&self, name: &str) -> Result<Option<Account>, StoreError>;

    async fn insert_token(&self, token: &TokenRecord) -> Result<(), StoreError>;
    async fn token_by_digest(&self, digest: &str) -> Result<Option<TokenRecord>, StoreError>;
    async fn revoke_token(&self, id: Uuid, at: DateTime<Utc>) -> Result<(), StoreError>;
    async fn delete_tokens_expired_before(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;

    async fn activities(&self) -> Result<Vec<Activity>, StoreError>;
    async fn resources(&self) -> Result<Vec<Resource>, StoreError>;
    async fn policies(&self) -> Result<Vec<Policy>, StoreError>;

    /// Inserts new sessions (and their group, when they form one) with their first log lines,
    /// in one transaction: all of them or none.
    async fn insert_sessions(
        &self,
        group: Option<Uuid>,
        sessions: &[(Session, Vec<LogEntry>)],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    async fn session(&self, id: Uuid) -> Result<Option<Session>, StoreError>;
    /// The sessions a query selects, in its order and page, with the number that match.
    async fn search_sessions(&self, query: &SessionQuery) -> Result<SessionPage, StoreError>;
    /// How many sessions the query's filters select, by shown state (states with none left
    /// out); the query's order and page do not count.
    async fn count_sessions_by_state(
        &self,
        query: &SessionQuery,
    ) -> Result<Vec<(SessionState, u64)>, StoreError>;
    /// The durations of the sessions the query's filters select as of `now`, and per
    /// requester, most sessions first (then longest in all), at most `top_users` of them.
    async fn session_durations(
        &self,
        query: &SessionQuery,
        now: DateTime<Utc>,
        top_users: Option<u64>,
    ) -> Result<(Durations, Vec<UserDurations>), StoreError>;
    /// Requests in Waiting for Approval that `account` (with `role`) might decide: under a
    /// policy that names the account or its role in any tier, or lets admins approve when the
    /// role is Admin; never the account's own requests nor those it already decided. Oldest
    /// first. The broker applies the current-tier rule to these.
    async fn approval_candidates(
        &self,
        account: Uuid,
        role: Role,
    ) -> Result<Vec<Session>, StoreError>;
    /// Writes a changed session and its log lines together, if nobody wrote it since
    /// `session.version` was read; `false` when someone did (read it again and retry).
    async fn save_session(
        &self,
        session: &Session,
        log: &[LogEntry],
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
    /// As `save_session`, recording an approver's decision in the same transaction.
    async fn save_session_with_approval(
        &self,
        session: &Session,
        log: &[LogEntry],
        approval: &Approval,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
    /// The decisions on one session, or on every session, in the order they were made.
    async fn approvals(&self, session: Option<Uuid>) -> Result<Vec<Approval>, StoreError>;
    /// The decisions on these sessions (a page of a list), in the order they were made.
    async fn approvals_of_sessions(&self, sessions: &[Uuid]) -> Result<Vec<Approval>, StoreError>;
    async fn session_log(&self, id: Uuid) -> Result<Vec<LogLine>, StoreError>;
    /// A page of a session's log and how many lines match in all.
    async fn session_log_page(
        &self,
        id: Uuid,
        query: &LogQuery,
    ) -> Result<(Vec<LogLine>, u64), StoreError>;

    /// Sessions whose due time has come, earliest first (from the due-time index).
    async fn due_sessions(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<Uuid>, StoreError>;
    async fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError>;
    /// Takes the lease that lets one broker run a session's actions: granted when nobody
    /// holds it, it expired, or `owner` already holds it.
    async fn claim_session(
        &self,
        id: Uuid,
        owner: &str,
        until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
    async fn release_session(&self, id: Uuid, owner: &str) -> Result<(), StoreError>;
}

/// Opens the database a URL names (`sqlite://PATH`), or the SQLite file in `data_dir`.
pub async fn open(url: Option<&str>, data_dir: &Path) -> Result<Arc<dyn Store>, StoreError> {
    match url {
        None => Ok(Arc::new(
            SqliteStore::open_file(&data_dir.join("pamctl.db")).await?,
        )),
        Some(url) if url.starts_with("sqlite:") => Ok(Arc::new(SqliteStore::open_url(url).await?)),
        Some(other) => Err(StoreError::UnsupportedUrl(redact_url(other))),
    }
}

/// Database URLs may carry a password; errors show the URL without it.
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}://***{}", &url[..scheme_end], &url[at..])
        }
        _ => url.to_owned(),
    }
}
