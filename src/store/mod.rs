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
    Account, Activity, Approval, Catalog, LogEntry, LogLine, Policy, Resource, Session, TokenRecord,
};

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
    /// Every session, or those one account created.
    async fn sessions(&self, created_by: Option<Uuid>) -> Result<Vec<Session>, StoreError>;
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
    async fn session_log(&self, id: Uuid) -> Result<Vec<LogLine>, StoreError>;

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
