//! The embedded store: one SQLite file in WAL mode with foreign keys on.

use std::collections::HashMap;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqliteRow, SqliteSynchronous,
};
use sqlx::{ConnectOptions, Connection, QueryBuilder, Row, Sqlite, Transaction};
use uuid::Uuid;

use super::audit::{
    AUDIT_COLUMNS, AUDIT_HEAD, chain_after, insert_records, push_audit_filters, push_audit_page,
    record_from_row,
};
use super::common::{
    CATALOG_NAMES, duration, duration_sql, final_identifiers, fingerprint, like_pattern, ms,
    names_user, opt_ms, secs,
};
use super::statements;
use super::{
    AuditAppend, AuditQuery, CatalogIds, ClaimedRun, DatabaseHealth, Durations, GrantCatalog,
    LogQuery, NewRun, RunRecord, RunSettle, SessionPage, SessionQuery, SessionSort, SessionWrite,
    Settlement, Store, StoreError, UserDurations, WriteOutcome, fold_search_text,
};
use crate::core::ActionKind;
use crate::core::SessionState;
use crate::core::audit::{AuditEvent, AuditRecord, AuditSeal};
use crate::core::throttle::{FailureCount, Reservation, SignInKeys, ThrottlePolicy, after_success};
use crate::core::{
    Account, ActionSpec, Activity, Approval, ApprovalTier, Approver, Catalog, Decision,
    ExtensionRule, LogEntry, LogLine, Notification, Policy, Resource, Role, Session,
    StatementEntry, StatementStatus, TokenRecord,
};
use crate::wire::enums::{ActivityType, LogLevel, LoginAccount, ResourceType, WireEnum};

mod connections;
mod creates;
mod priority;
mod tally;
mod together;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("src/store/migrations/sqlite");

/// Writes go through one connection, so writers queue in the pool instead of spinning on
/// SQLite's busy lock; reads run on their own connections beside it (WAL lets them). sqlx runs
/// each connection on its own thread, so no query blocks the async runtime.
pub struct SqliteStore {
    writer: Arc<connections::Connections>,
    reader: connections::Connections,
    /// New sessions and transitions go through one task that commits whatever is waiting in
    /// one transaction (group commit), each in its own savepoint: writes happen at the rate of
    /// transactions, not of requests.
    writes: tokio::sync::mpsc::Sender<WriteJob>,
    /// The catalog read once and kept until `replace_catalog` changes it: it changes only at
    /// start, and every request needs it.
    catalog: std::sync::RwLock<Option<CachedCatalog>>,
    /// Bumped by `replace_catalog`, so that a read that began before a replacement does not
    /// cache what it read.
    catalog_version: std::sync::atomic::AtomicU64,
    /// The catalog's names (accounts, resources, activities, retired ones too) for free text:
    /// kept like the catalog, read again after `replace_catalog`.
    names: std::sync::RwLock<Option<Arc<[CatalogName]>>>,
    /// Set when a summary met a stale tally group: the next bookkeeping refreshes the stale
    /// groups, and a broker nobody asks (an idle one) runs no statement for it.
    stale_seen: std::sync::atomic::AtomicBool,
    /// How long a write has waited for its group commit lately (microseconds, a moving
    /// average): the head start of a read that such a write will follow.
    commit_wait_micros: std::sync::atomic::AtomicU64,
}

/// A row of `CATALOG_NAMES`: kind, id, name and other name.
type CatalogName = (i64, String, String, Option<String>);

struct WriteJob {
    work: Work,
    now: DateTime<Utc>,
    done: tokio::sync::oneshot::Sender<Result<WriteOutcome, StoreError>>,
}

impl WriteJob {
    /// The create this job writes, if it is one.
    fn as_create(&self) -> Option<creates::Create<'_>> {
        match &self.work {
            Work::Insert {
                group,
                sessions,
                runs,
                audit,
                seal,
            } => Some(creates::Create {
                group: *group,
                sessions,
                runs,
                audit,
                seal,
                now: self.now,
            }),
            _ => None,
        }
    }
}

/// What one request writes.
enum Work {
    Insert {
        group: Option<Uuid>,
        sessions: Vec<(Session, Vec<LogEntry>)>,
        runs: Vec<(Uuid, NewRun)>,
        /// Chained in the same savepoint as the sessions.
        audit: Vec<AuditEvent>,
        seal: AuditSeal,
    },
    Transition(Box<OwnedWrite>),
    /// Audit events to chain: the one writer appends them in turn, batched with the others.
    Audit {
        events: Vec<AuditEvent>,
        seal: AuditSeal,
    },
}

/// A `SessionWrite` that owns its parts, to cross to the committing task.
struct OwnedWrite {
    session: Session,
    log: Vec<LogEntry>,
    approval: Option<Approval>,
    runs: Vec<NewRun>,
    drop_pending: Vec<ActionKind>,
    settles: Option<(i64, String, Settlement)>,
    audit: Option<(Vec<AuditEvent>, AuditSeal)>,
}

impl OwnedWrite {
    fn of(write: &SessionWrite<'_>) -> Self {
        Self {
            session: write.session.clone(),
            log: write.log.to_vec(),
            approval: write.approval.cloned(),
            runs: write.runs.to_vec(),
            drop_pending: write.drop_pending.to_vec(),
            settles: write
                .settles
                .as_ref()
                .map(|s| (s.id, s.owner.to_owned(), s.settlement.clone())),
            audit: write.audit.map(|a| (a.events.to_vec(), a.seal.clone())),
        }
    }

    fn as_write(&self) -> SessionWrite<'_> {
        SessionWrite {
            session: &self.session,
            log: &self.log,
            approval: self.approval.as_ref(),
            runs: &self.runs,
            drop_pending: &self.drop_pending,
            settles: self
                .settles
                .as_ref()
                .map(|(id, owner, settlement)| RunSettle {
                    id: *id,
                    owner,
                    settlement: settlement.clone(),
                }),
            audit: self
                .audit
                .as_ref()
                .map(|(events, seal)| AuditAppend { events, seal }),
        }
    }
}

/// The most writes one group commit takes.
const WRITE_BATCH: usize = 256;

type CachedCatalog = Arc<GrantCatalog>;

const READ_CONNECTIONS: usize = 4;
/// The writer's page cache, in KiB as SQLite's negative `cache_size` takes it (16 MiB; the
/// default is 2 MiB).
const WRITER_CACHE_KIB: &str = "-16384";
/// WAL pages after which the writer's own commit copies them into the database: only a
/// backstop, should the checkpoints after commits (`checkpoint_after_commits`) fall behind.
const WRITER_CHECKPOINT_PAGES: &str = "16000";
/// The most head start a read that a write will follow takes (see `connections`): a commit
/// stalled for a while must not put such reads ahead of every other read.
const MOST_HEAD_START: Duration = Duration::from_millis(50);
/// The least time between two checkpoints after commits: each copies what the commits of
/// that time wrote, and a burst rewrites the same pages (the tally, the state index, the
/// outbox's queue) commit after commit, so fewer checkpoints copy each of them fewer times.
const CHECKPOINT_PACE: Duration = Duration::from_millis(50);

impl SqliteStore {
    pub async fn open_file(path: &Path) -> Result<Self, StoreError> {
        Self::open(SqliteConnectOptions::new().filename(path)).await
    }

    pub async fn open_url(url: &str) -> Result<Self, StoreError> {
        Self::open(SqliteConnectOptions::from_str(url)?).await
    }

    async fn open(options: SqliteConnectOptions) -> Result<Self, StoreError> {
        let options = options
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10));
        migrate(options.clone()).await?;
        fold_search_text_of_older_rows(options.clone()).await?;
        let options = options.foreign_keys(true);
        // The one writer keeps the pages it writes (sessions, their indexes, the tally, the
        // outbox, the log's tail) in its own cache rather than reading them again per
        // transaction: a burst of transitions was spent mostly copying pages in from the OS.
        let writer = Arc::new(
            connections::Connections::open(
                &options
                    .clone()
                    .pragma("cache_size", WRITER_CACHE_KIB)
                    .pragma("wal_autocheckpoint", WRITER_CHECKPOINT_PAGES)
                    // Savepoints and multi-row statements keep the pages they change in a
                    // journal of their own; past 64 KiB SQLite spills it to a temporary file,
                    // and a batch of creates spent a fifth of the writer's time writing there.
                    .pragma("temp_store", "memory")
                    .thread_name(|_| priority::WRITER_THREAD.to_owned()),
                1,
            )
            .await?,
        );
        priority::favour_writer_thread();
        let reader = connections::Connections::open(&options, READ_CONNECTIONS).await?;
        let (writes, jobs) = tokio::sync::mpsc::channel(4 * WRITE_BATCH);
        // The group commit runs on a thread and runtime of its own: on the API's runtime each
        // of its statements' answers waited behind every request ready to run, and under load
        // a commit took that wait a dozen times over.
        let committer = Arc::clone(&writer);
        let checkpointer = options.connect().await?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .map_err(|e| StoreError::Database(sqlx::Error::Io(e)))?;
        std::thread::Builder::new()
            .name("pamctl-sqlite-commit".to_owned())
            .spawn(move || {
                priority::favour_this_thread();
                let commits = Arc::new(tokio::sync::Notify::new());
                // The checkpoints stop with the commits (when the store is dropped).
                runtime.block_on(async {
                    tokio::select! {
                        () = commit_writes(committer, jobs, Arc::clone(&commits)) => {}
                        () = checkpoint_after_commits(checkpointer, &commits) => {}
                    }
                });
            })
            .map_err(|e| StoreError::Database(sqlx::Error::Io(e)))?;
        Ok(Self {
            writer,
            reader,
            writes,
            catalog: std::sync::RwLock::new(None),
            catalog_version: std::sync::atomic::AtomicU64::new(0),
            names: std::sync::RwLock::new(None),
            stale_seen: std::sync::atomic::AtomicBool::new(false),
            commit_wait_micros: std::sync::atomic::AtomicU64::new(0),
        })
    }
}

/// Sessions written before their note and ticket were kept folded for search get it now, a
/// batch per transaction; a no-op once done.
async fn fold_search_text_of_older_rows(options: SqliteConnectOptions) -> Result<(), StoreError> {
    let mut connection = options.connect().await?;
    loop {
        let rows = sqlx::query(
            "SELECT seq, note, ticket FROM sessions
             WHERE search_text IS NULL AND (COALESCE(note, '') <> '' OR COALESCE(ticket, '') <> '')
             LIMIT 1000",
        )
        .fetch_all(&mut connection)
        .await?;
        if rows.is_empty() {
            return Ok(());
        }
        let mut tx = connection.begin().await?;
        for row in &rows {
            let note: Option<String> = row.try_get("note")?;
            let ticket: Option<String> = row.try_get("ticket")?;
            sqlx::query("UPDATE sessions SET search_text = ? WHERE seq = ?")
                .bind(fold_search_text(note.as_deref(), ticket.as_deref()))
                .bind(row.try_get::<i64, _>("seq")?)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
    }
}

/// Runs the migrations on a connection of its own with foreign keys off: a migration that
/// rebuilds a table (SQLite's only way to change a column's type) drops the old one, and with
/// foreign keys on that would delete every row referring to it. The references are checked
/// once the migrations are done.
async fn migrate(options: SqliteConnectOptions) -> Result<(), StoreError> {
    let mut connection = options.foreign_keys(false).connect().await?;
    MIGRATOR.run(&mut connection).await?;
    let broken = sqlx::query("PRAGMA foreign_key_check")
        .fetch_all(&mut connection)
        .await?;
    if let Some(row) = broken.first() {
        let table: String = row.try_get(0)?;
        return Err(corrupt(
            "schema",
            format!(
                "{} rows refer to missing entries after the migration (first in {table})",
                broken.len()
            ),
        ));
    }
    connection.close().await?;
    Ok(())
}

fn corrupt(table: &'static str, message: impl ToString) -> StoreError {
    StoreError::Corrupt {
        table,
        message: message.to_string(),
    }
}

fn uuid(row: &SqliteRow, table: &'static str, column: &str) -> Result<Uuid, StoreError> {
    let text: String = row.try_get(column)?;
    Uuid::parse_str(&text).map_err(|e| corrupt(table, format!("{column}: {e}")))
}

fn parsed<T: FromStr>(row: &SqliteRow, table: &'static str, column: &str) -> Result<T, StoreError>
where
    T::Err: ToString,
{
    let text: String = row.try_get(column)?;
    text.parse()
        .map_err(|e: T::Err| corrupt(table, format!("{column}: {}", e.to_string())))
}

fn wire_enum<E: WireEnum>(
    row: &SqliteRow,
    table: &'static str,
    column: &str,
) -> Result<E, StoreError> {
    let value: i64 = row.try_get(column)?;
    E::from_value(value).ok_or_else(|| corrupt(table, format!("{column}: {value}")))
}

fn actions(row: &SqliteRow, column: &str) -> Result<Vec<ActionSpec>, StoreError> {
    let json: String = row.try_get(column)?;
    serde_json::from_str(&json).map_err(|e| corrupt("activities", format!("{column}: {e}")))
}

fn time(row: &SqliteRow, column: &str) -> Result<DateTime<Utc>, StoreError> {
    let value: i64 = row.try_get(column)?;
    DateTime::from_timestamp_millis(value)
        .ok_or_else(|| corrupt("time", format!("{column}: {value} is out of range")))
}

fn opt_time(row: &SqliteRow, column: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
    let value: Option<i64> = row.try_get(column)?;
    value
        .map(|v| {
            DateTime::from_timestamp_millis(v)
                .ok_or_else(|| corrupt("time", format!("{column}: {v} is out of range")))
        })
        .transpose()
}

fn account_from_row(row: &SqliteRow) -> Result<Account, StoreError> {
    Ok(Account {
        id: uuid(row, "accounts", "id")?,
        name: row.try_get("name")?,
        display_name: row.try_get("display_name")?,
        kind: parsed(row, "accounts", "kind")?,
        role: parsed(row, "accounts", "role")?,
        secret_hash: row.try_get("secret_hash")?,
        totp_secret: row.try_get("totp_secret")?,
    })
}

fn token_from_row(row: &SqliteRow) -> Result<TokenRecord, StoreError> {
    Ok(TokenRecord {
        id: uuid(row, "tokens", "id")?,
        digest: row.try_get("token_digest")?,
        account_id: uuid(row, "tokens", "account_id")?,
        stage: parsed(row, "tokens", "stage")?,
        created_at: time(row, "created_at")?,
        expires_at: time(row, "expires_at")?,
        revoked_at: opt_time(row, "revoked_at")?,
        created_from: row.try_get("created_from")?,
        family_id: match row.try_get::<Option<String>, _>("family_id")? {
            Some(_) => uuid(row, "tokens", "family_id")?,
            None => uuid(row, "tokens", "id")?,
        },
        family_expires_at: match opt_time(row, "family_expires_at")? {
            Some(at) => at,
            None => time(row, "expires_at")?,
        },
    })
}

fn failure_count_from_row(row: &SqliteRow) -> Result<FailureCount, StoreError> {
    let failures: i64 = row.try_get("failures")?;
    Ok(FailureCount {
        failures: u32::try_from(failures).unwrap_or(u32::MAX),
        last_failure_at: time(row, "last_failure_at")?,
        blocked_until: opt_time(row, "blocked_until")?,
    })
}

async fn failure_count(
    tx: &mut Transaction<'_, Sqlite>,
    key: &str,
) -> Result<Option<FailureCount>, StoreError> {
    sqlx::query("SELECT * FROM sign_in_failures WHERE key = ?")
        .bind(key)
        .fetch_optional(&mut **tx)
        .await?
        .as_ref()
        .map(failure_count_from_row)
        .transpose()
}

async fn put_failure_count(
    tx: &mut Transaction<'_, Sqlite>,
    key: &str,
    count: &FailureCount,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO sign_in_failures (key, failures, last_failure_at, blocked_until)
         VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET failures = excluded.failures,
            last_failure_at = excluded.last_failure_at, blocked_until = excluded.blocked_until",
    )
    .bind(key)
    .bind(i64::from(count.failures))
    .bind(ms(count.last_failure_at))
    .bind(opt_ms(count.blocked_until))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn names_to_ids(
    connection: &mut SqliteConnection,
    table: &str,
) -> Result<HashMap<String, Uuid>, StoreError> {
    let rows = sqlx::query(&format!("SELECT id, name FROM {table}"))
        .fetch_all(connection)
        .await?;
    rows.iter()
        .map(|row| {
            let name: String = row.try_get("name")?;
            Ok((name.to_lowercase(), uuid(row, "catalog", "id")?))
        })
        .collect()
}

async fn retire_all(
    tx: &mut Transaction<'_, Sqlite>,
    table: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "UPDATE {table} SET retired_at = ? WHERE retired_at IS NULL"
    ))
    .bind(ms(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn upsert_account(
    tx: &mut Transaction<'_, Sqlite>,
    account: &Account,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO accounts (id, name, display_name, kind, role, secret_hash, totp_secret, created_at, modified_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET
            name = excluded.name, display_name = excluded.display_name, kind = excluded.kind,
            role = excluded.role, secret_hash = excluded.secret_hash, totp_secret = excluded.totp_secret,
            modified_at = CASE WHEN accounts.name = excluded.name AND accounts.display_name = excluded.display_name
                               AND accounts.kind = excluded.kind AND accounts.role = excluded.role
                               AND accounts.totp_secret IS excluded.totp_secret
                          THEN accounts.modified_at ELSE excluded.modified_at END,
            retired_at = NULL",
    )
    .bind(account.id.to_string())
    .bind(&account.name)
    .bind(&account.display_name)
    .bind(account.kind.as_str())
    .bind(account.role.as_str())
    .bind(&account.secret_hash)
    .bind(&account.totp_secret)
    .bind(ms(now))
    .bind(ms(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn upsert_activity(
    tx: &mut Transaction<'_, Sqlite>,
    activity: &Activity,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let pre = serde_json::to_string(&activity.pre_session).map_err(|e| corrupt("activities", e))?;
    let post =
        serde_json::to_string(&activity.post_session).map_err(|e| corrupt("activities", e))?;
    let on_lock = serde_json::to_string(&activity.on_lock).map_err(|e| corrupt("activities", e))?;
    let on_unlock =
        serde_json::to_string(&activity.on_unlock).map_err(|e| corrupt("activities", e))?;
    let content = (
        &activity.name,
        &activity.description,
        &activity.platform,
        activity.activity_type,
        activity.login_account,
        &activity.login_account_name_format,
        &pre,
        &post,
        &on_lock,
        &on_unlock,
    );
    sqlx::query(
        "INSERT INTO activities (id, name, description, platform, activity_type, login_account,
            login_account_name_format, pre_session_actions, post_session_actions, lock_actions, unlock_actions,
            fingerprint, created_at, modified_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET
            name = excluded.name, description = excluded.description, platform = excluded.platform,
            activity_type = excluded.activity_type, login_account = excluded.login_account,
            login_account_name_format = excluded.login_account_name_format,
            pre_session_actions = excluded.pre_session_actions, post_session_actions = excluded.post_session_actions,
            lock_actions = excluded.lock_actions, unlock_actions = excluded.unlock_actions,
            modified_at = CASE WHEN activities.fingerprint = excluded.fingerprint
                          THEN activities.modified_at ELSE excluded.modified_at END,
            fingerprint = excluded.fingerprint,
            retired_at = NULL",
    )
    .bind(activity.id.to_string())
    .bind(&activity.name)
    .bind(&activity.description)
    .bind(&activity.platform)
    .bind(activity.activity_type.value())
    .bind(activity.login_account.value())
    .bind(&activity.login_account_name_format)
    .bind(&pre)
    .bind(&post)
    .bind(&on_lock)
    .bind(&on_unlock)
    .bind(fingerprint(content))
    .bind(ms(now))
    .bind(ms(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn upsert_resource(
    tx: &mut Transaction<'_, Sqlite>,
    resource: &Resource,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let content = (
        &resource.name,
        &resource.display_name,
        &resource.platform,
        resource.resource_type,
        &resource.address,
        resource.port_ssh,
        resource.port_rdp,
    );
    sqlx::query(
        "INSERT INTO resources (id, name, display_name, platform, resource_type, address, port_ssh, port_rdp,
            fingerprint, created_at, modified_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET
            name = excluded.name, display_name = excluded.display_name, platform = excluded.platform,
            resource_type = excluded.resource_type, address = excluded.address,
            port_ssh = excluded.port_ssh, port_rdp = excluded.port_rdp,
            modified_at = CASE WHEN resources.fingerprint = excluded.fingerprint
                          THEN resources.modified_at ELSE excluded.modified_at END,
            fingerprint = excluded.fingerprint,
            retired_at = NULL",
    )
    .bind(resource.id.to_string())
    .bind(&resource.name)
    .bind(&resource.display_name)
    .bind(&resource.platform)
    .bind(resource.resource_type.value())
    .bind(&resource.address)
    .bind(resource.port_ssh.map(i64::from))
    .bind(resource.port_rdp.map(i64::from))
    .bind(fingerprint(content))
    .bind(ms(now))
    .bind(ms(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn upsert_policy(
    tx: &mut Transaction<'_, Sqlite>,
    policy: &Policy,
    position: usize,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO policies (id, name, description, position, max_duration_secs, extension_max_count,
            extension_max_secs, approval_timeout_secs, admins_may_approve, ticket_required, fingerprint,
            created_at, modified_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET
            name = excluded.name, description = excluded.description, position = excluded.position,
            max_duration_secs = excluded.max_duration_secs, extension_max_count = excluded.extension_max_count,
            extension_max_secs = excluded.extension_max_secs, approval_timeout_secs = excluded.approval_timeout_secs,
            admins_may_approve = excluded.admins_may_approve, ticket_required = excluded.ticket_required,
            modified_at = CASE WHEN policies.fingerprint = excluded.fingerprint
                          THEN policies.modified_at ELSE excluded.modified_at END,
            fingerprint = excluded.fingerprint,
            retired_at = NULL",
    )
    .bind(policy.id.to_string())
    .bind(&policy.name)
    .bind(&policy.description)
    .bind(i64::try_from(position).unwrap_or(i64::MAX))
    .bind(secs(policy.max_duration))
    .bind(policy.extension.as_ref().map(|e| i64::from(e.max_count)))
    .bind(policy.extension.as_ref().map(|e| secs(e.max_each)))
    .bind(secs(policy.approval_timeout))
    .bind(policy.admins_may_approve)
    .bind(policy.ticket_required)
    .bind(fingerprint(policy))
    .bind(ms(now))
    .bind(ms(now))
    .execute(&mut **tx)
    .await?;

    let id = policy.id.to_string();
    for table in [
        "policy_members",
        "policy_activities",
        "policy_resources",
        "approval_tiers",
        "policy_webhooks",
    ] {
        sqlx::query(&format!("DELETE FROM {table} WHERE policy_id = ?"))
            .bind(&id)
            .execute(&mut **tx)
            .await?;
    }
    for (table, column, ids) in [
        ("policy_members", "account_id", &policy.members),
        ("policy_activities", "activity_id", &policy.activities),
        ("policy_resources", "resource_id", &policy.resources),
    ] {
        for member in ids {
            sqlx::query(&format!(
                "INSERT OR IGNORE INTO {table} (policy_id, {column}) VALUES (?, ?)"
            ))
            .bind(&id)
            .bind(member.to_string())
            .execute(&mut **tx)
            .await?;
        }
    }
    for (position, notify) in policy.notify.iter().enumerate() {
        sqlx::query(
            "INSERT INTO policy_webhooks (policy_id, position, url, timeout_secs, retries) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(&notify.url)
        .bind(secs(notify.timeout))
        .bind(i64::from(notify.retries))
        .execute(&mut **tx)
        .await?;
    }
    for (position, tier) in policy.approval_tiers.iter().enumerate() {
        let position = i64::try_from(position).unwrap_or(i64::MAX);
        sqlx::query("INSERT INTO approval_tiers (policy_id, position, required) VALUES (?, ?, ?)")
            .bind(&id)
            .bind(position)
            .bind(i64::from(tier.required))
            .execute(&mut **tx)
            .await?;
        for approver in &tier.approvers {
            let (account, role) = match approver {
                Approver::Account(account) => (Some(account.to_string()), None),
                Approver::Role(role) => (None, Some(role.as_str())),
            };
            sqlx::query(
                "INSERT INTO approval_tier_approvers (policy_id, position, account_id, role) VALUES (?, ?, ?, ?)",
            )
            .bind(&id)
            .bind(position)
            .bind(account)
            .bind(role)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

async fn links(
    connection: &mut SqliteConnection,
    table: &str,
    column: &str,
) -> Result<HashMap<Uuid, Vec<Uuid>>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT policy_id, {column} FROM {table} ORDER BY rowid"
    ))
    .fetch_all(connection)
    .await?;
    let mut links: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for row in &rows {
        links
            .entry(uuid(row, "policies", "policy_id")?)
            .or_default()
            .push(uuid(row, "policies", column)?);
    }
    Ok(links)
}

#[async_trait]
impl Store for SqliteStore {
    async fn catalog_ids(&self) -> Result<CatalogIds, StoreError> {
        let mut reader = self.reader.get().await?;
        Ok(CatalogIds {
            accounts: names_to_ids(&mut reader, "accounts").await?,
            activities: names_to_ids(&mut reader, "activities").await?,
            resources: names_to_ids(&mut reader, "resources").await?,
            policies: names_to_ids(&mut reader, "policies").await?,
        })
    }

    async fn replace_catalog(
        &self,
        catalog: &Catalog,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut writer = self.writer.get().await?;
        let mut tx = writer.begin().await?;
        for table in ["accounts", "activities", "resources", "policies"] {
            retire_all(&mut tx, table, now).await?;
        }
        for account in &catalog.accounts {
            upsert_account(&mut tx, account, now).await?;
        }
        for activity in &catalog.activities {
            upsert_activity(&mut tx, activity, now).await?;
        }
        for resource in &catalog.resources {
            upsert_resource(&mut tx, resource, now).await?;
        }
        for (position, policy) in catalog.policies.iter().enumerate() {
            upsert_policy(&mut tx, policy, position, now).await?;
        }
        tx.commit().await?;
        self.catalog_version.fetch_add(1, Ordering::SeqCst);
        *self.catalog.write().unwrap_or_else(|e| e.into_inner()) = None;
        *self.names.write().unwrap_or_else(|e| e.into_inner()) = None;
        Ok(())
    }

    async fn account(&self, id: Uuid) -> Result<Option<Account>, StoreError> {
        account_on(&mut *self.reader.get().await?, id).await
    }

    async fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        let rows = sqlx::query("SELECT * FROM accounts WHERE retired_at IS NULL ORDER BY name")
            .fetch_all(&mut *self.reader.get().await?)
            .await?;
        rows.iter().map(account_from_row).collect()
    }

    async fn account_by_name(&self, name: &str) -> Result<Option<Account>, StoreError> {
        sqlx::query("SELECT * FROM accounts WHERE name = ? AND retired_at IS NULL")
            .bind(name)
            .fetch_optional(&mut *self.reader.get().await?)
            .await?
            .as_ref()
            .map(account_from_row)
            .transpose()
    }

    async fn insert_token(&self, token: &TokenRecord) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO tokens (id, token_digest, account_id, stage, created_at, expires_at, revoked_at, created_from,
                family_id, family_expires_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(token.id.to_string())
        .bind(&token.digest)
        .bind(token.account_id.to_string())
        .bind(token.stage.as_str())
        .bind(ms(token.created_at))
        .bind(ms(token.expires_at))
        .bind(opt_ms(token.revoked_at))
        .bind(&token.created_from)
        .bind(token.family_id.to_string())
        .bind(ms(token.family_expires_at))
        .execute(&mut *self.writer.get().await?)
        .await?;
        Ok(())
    }

    async fn revoke_token_family(
        &self,
        family: Uuid,
        at: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let result = sqlx::query(
            "UPDATE tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL",
        )
        .bind(ms(at))
        .bind(family.to_string())
        .execute(&mut *self.writer.get().await?)
        .await?;
        Ok(result.rows_affected())
    }

    async fn revoke_account_tokens(
        &self,
        account: Uuid,
        at: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let result = sqlx::query(
            "UPDATE tokens SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL",
        )
        .bind(ms(at))
        .bind(account.to_string())
        .execute(&mut *self.writer.get().await?)
        .await?;
        Ok(result.rows_affected())
    }

    async fn token(&self, id: Uuid) -> Result<Option<TokenRecord>, StoreError> {
        sqlx::query("SELECT * FROM tokens WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(&mut *self.reader.get().await?)
            .await?
            .as_ref()
            .map(token_from_row)
            .transpose()
    }

    async fn live_tokens(
        &self,
        account: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> Result<Vec<TokenRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM tokens WHERE revoked_at IS NULL AND expires_at > ?1
                AND (?2 IS NULL OR account_id = ?2)
             ORDER BY created_at, id",
        )
        .bind(ms(now))
        .bind(account.map(|id| id.to_string()))
        .fetch_all(&mut *self.reader.get().await?)
        .await?;
        rows.iter().map(token_from_row).collect()
    }

    async fn reserve_sign_in(
        &self,
        keys: &SignInKeys,
        policy: &ThrottlePolicy,
        now: DateTime<Utc>,
    ) -> Result<Reservation, StoreError> {
        // The one writer connection makes this transaction the only one at a time.
        let mut writer = self.writer.get().await?;
        let mut tx = writer.begin().await?;
        let pair = failure_count(&mut tx, &keys.pair).await?;
        let account = failure_count(&mut tx, &keys.account).await?;
        let reservation = policy.reserve(pair, account, now);
        if let Reservation::Allowed { pair, account } = &reservation {
            put_failure_count(&mut tx, &keys.pair, pair).await?;
            put_failure_count(&mut tx, &keys.account, account).await?;
        }
        tx.commit().await?;
        Ok(reservation)
    }

    async fn sign_in_succeeded(&self, keys: &SignInKeys) -> Result<(), StoreError> {
        let mut writer = self.writer.get().await?;
        let mut tx = writer.begin().await?;
        sqlx::query("DELETE FROM sign_in_failures WHERE key = ?")
            .bind(&keys.pair)
            .execute(&mut *tx)
            .await?;
        if let Some(account) = failure_count(&mut tx, &keys.account).await? {
            put_failure_count(&mut tx, &keys.account, &after_success(account)).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn purge_sign_in_failures(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let result = sqlx::query("DELETE FROM sign_in_failures WHERE last_failure_at < ?")
            .bind(ms(before))
            .execute(&mut *self.writer.get().await?)
            .await?;
        Ok(result.rows_affected())
    }

    async fn token_by_digest(&self, digest: &str) -> Result<Option<TokenRecord>, StoreError> {
        token_on(&mut *self.reader.get().await?, digest).await
    }

    /// On one connection, first in line (see `Connections::get_first`).
    async fn token_with_account(
        &self,
        digest: &str,
    ) -> Result<Option<(TokenRecord, Option<Account>)>, StoreError> {
        let mut reader = self.reader.get_first().await?;
        let Some(token) = token_on(&mut reader, digest).await? else {
            return Ok(None);
        };
        let account = account_on(&mut reader, token.account_id).await?;
        Ok(Some((token, account)))
    }

    async fn revoke_token(&self, id: Uuid, at: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
            .bind(ms(at))
            .bind(id.to_string())
            .execute(&mut *self.writer.get().await?)
            .await?;
        Ok(())
    }

    async fn accept_totp_step(&self, account: Uuid, step: u64) -> Result<bool, StoreError> {
        let step = i64::try_from(step).unwrap_or(i64::MAX);
        let result = sqlx::query(
            "UPDATE accounts SET totp_last_step = ?1
             WHERE id = ?2 AND (totp_last_step IS NULL OR totp_last_step < ?1)",
        )
        .bind(step)
        .bind(account.to_string())
        .execute(&mut *self.writer.get().await?)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    async fn delete_tokens_expired_before(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let result = sqlx::query("DELETE FROM tokens WHERE expires_at < ?")
            .bind(ms(before))
            .execute(&mut *self.writer.get().await?)
            .await?;
        Ok(result.rows_affected())
    }

    async fn activities(&self) -> Result<Vec<Activity>, StoreError> {
        self.cached(|catalog| catalog.activities.clone()).await
    }

    async fn resources(&self) -> Result<Vec<Resource>, StoreError> {
        self.cached(|catalog| catalog.resources.clone()).await
    }

    async fn policies(&self) -> Result<Vec<Policy>, StoreError> {
        self.cached(|catalog| catalog.policies.clone()).await
    }

    async fn grant_catalog(&self) -> Result<Arc<GrantCatalog>, StoreError> {
        self.cached_catalog().await
    }

    async fn insert_sessions(
        &self,
        group: Option<Uuid>,
        sessions: &[(Session, Vec<LogEntry>)],
        runs: &[(Uuid, NewRun)],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.insert_sessions_batched(group, sessions, runs, &[], &AuditSeal::unkeyed(), now)
            .await
    }

    async fn insert_sessions_audited(
        &self,
        group: Option<Uuid>,
        sessions: &[(Session, Vec<LogEntry>)],
        runs: &[(Uuid, NewRun)],
        audit: &[AuditEvent],
        seal: &AuditSeal,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.insert_sessions_batched(group, sessions, runs, audit, seal, now)
            .await
    }

    async fn session(&self, id: Uuid) -> Result<Option<Session>, StoreError> {
        self.session_by_id(id).await
    }

    /// On one connection: one wait for a reader, not two.
    async fn session_with_approvals(
        &self,
        id: Uuid,
    ) -> Result<Option<(Session, Vec<Approval>)>, StoreError> {
        session_with_approvals_on(&mut *self.reader.get().await?, id).await
    }

    /// `session_with_approvals`, read with a head start: a write follows.
    async fn session_with_approvals_to_change(
        &self,
        id: Uuid,
    ) -> Result<Option<(Session, Vec<Approval>)>, StoreError> {
        let mut reader = self.reader.get_ahead(self.head_start()).await?;
        session_with_approvals_on(&mut reader, id).await
    }

    async fn sessions(&self, ids: &[Uuid]) -> Result<Vec<Session>, StoreError> {
        let mut sessions = Vec::with_capacity(ids.len());
        // One JSON array per query: any number of ids, one statement.
        for chunk in ids.chunks(IDS_PER_QUERY) {
            let ids: Vec<String> = chunk.iter().map(Uuid::to_string).collect();
            let ids = serde_json::to_string(&ids).map_err(|e| corrupt("sessions", e))?;
            let rows = sqlx::query(&format!(
                "{SESSION_COLUMNS}{SESSION_FROM} WHERE s.id IN (SELECT value FROM json_each(?))"
            ))
            .bind(ids)
            .fetch_all(&mut *self.reader.get().await?)
            .await?;
            for row in &rows {
                sessions.push(session_from_row(row)?);
            }
        }
        Ok(sessions)
    }

    async fn search_sessions(&self, query: &SessionQuery) -> Result<SessionPage, StoreError> {
        self.search(query).await
    }

    async fn count_sessions_by_state(
        &self,
        query: &SessionQuery,
    ) -> Result<Vec<(SessionState, u64)>, StoreError> {
        self.count_by_state(query).await
    }

    async fn session_durations(
        &self,
        query: &SessionQuery,
        now: DateTime<Utc>,
        top_users: Option<u64>,
    ) -> Result<(Durations, Vec<UserDurations>), StoreError> {
        self.durations(query, now, top_users).await
    }

    /// The writer keeps the tally itself; what is left is the extremes of the stale groups,
    /// once a summary has met one.
    async fn fold_session_tally(&self) -> Result<u64, StoreError> {
        if !self.stale_seen.swap(false, Ordering::SeqCst) {
            return Ok(0);
        }
        let refreshed = tally::refresh(&self.writer).await;
        if refreshed.is_err() {
            self.stale_seen.store(true, Ordering::SeqCst);
        }
        refreshed
    }

    async fn search_summarized(
        &self,
        query: &SessionQuery,
        now: DateTime<Utc>,
        top_users: Option<u64>,
    ) -> Result<(Durations, Vec<UserDurations>, SessionPage), StoreError> {
        // The names and the scope read once, for the summary and then the page.
        let mut lent = self.reader.get().await?;
        let db = &mut *lent;
        let resolved = self.resolve(db, query).await?;
        let (durations, users) = self
            .durations_resolved(db, &resolved, now, top_users)
            .await?;
        let page = self
            .search_resolved(db, &resolved, Some(durations.count))
            .await?;
        Ok((durations, users, page))
    }

    async fn approval_candidates(
        &self,
        account: Uuid,
        role: Role,
    ) -> Result<Vec<Session>, StoreError> {
        self.candidates(account, role).await
    }

    async fn write_session(
        &self,
        write: &SessionWrite<'_>,
        now: DateTime<Utc>,
    ) -> Result<WriteOutcome, StoreError> {
        let (done, outcome) = tokio::sync::oneshot::channel();
        let job = WriteJob {
            work: Work::Transition(Box::new(OwnedWrite::of(write))),
            now,
            done,
        };
        self.commit(job, outcome).await
    }

    async fn write_sessions(
        &self,
        writes: &[SessionWrite<'_>],
        now: DateTime<Utc>,
    ) -> Result<Vec<WriteOutcome>, StoreError> {
        let mut writer = self.writer.get().await?;
        let mut tx = writer.begin().await?;
        let (together, alone) = split_together(writes.iter());
        let timed: Vec<together::Timed<'_, '_>> = together
            .iter()
            .map(|&i| together::Timed {
                write: &writes[i],
                now,
            })
            .collect();
        let mut outcomes: Vec<Option<WriteOutcome>> = vec![None; writes.len()];
        let mut one_by_one = alone;
        let mut head = KnownHead::default();
        match together::write_together(&mut tx, &timed, &mut head).await? {
            Some(written) => {
                for (&index, outcome) in together.iter().zip(written) {
                    outcomes[index] = Some(outcome);
                }
            }
            None => one_by_one.extend(together),
        }
        one_by_one.sort_unstable();
        for index in one_by_one {
            outcomes[index] = Some(write_alone(&mut tx, &writes[index], now, &mut head).await?);
        }
        tx.commit().await?;
        Ok(outcomes
            .into_iter()
            .map(|o| o.unwrap_or(WriteOutcome::Stale))
            .collect())
    }

    async fn append_log(
        &self,
        id: Uuid,
        log: &[LogEntry],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut writer = self.writer.get().await?;
        let mut tx = writer.begin().await?;
        insert_log(&mut tx, id, log, now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn share_session(
        &self,
        id: Uuid,
        with: Uuid,
        by: Uuid,
        log: &[LogEntry],
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut writer = self.writer.get().await?;
        let mut tx = writer.begin().await?;
        let added = sqlx::query(
            "INSERT INTO session_shares (session_id, account_id, shared_by, shared_at)
             VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(id.to_string())
        .bind(with.to_string())
        .bind(by.to_string())
        .bind(ms(now))
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if added {
            insert_log(&mut tx, id, log, now).await?;
        }
        tx.commit().await?;
        Ok(added)
    }

    async fn is_shared_with(&self, id: Uuid, account: Uuid) -> Result<bool, StoreError> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM session_shares WHERE session_id = ? AND account_id = ?",
        )
        .bind(id.to_string())
        .bind(account.to_string())
        .fetch_optional(&mut *self.reader.get().await?)
        .await?;
        Ok(found.is_some())
    }

    async fn session_shares(&self, id: Uuid) -> Result<Vec<Uuid>, StoreError> {
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT account_id FROM session_shares WHERE session_id = ?
             ORDER BY shared_at, account_id",
        )
        .bind(id.to_string())
        .fetch_all(&mut *self.reader.get().await?)
        .await?;
        ids.iter()
            .map(|text| {
                Uuid::parse_str(text)
                    .map_err(|_| corrupt("session_shares", format!("account_id: {text}")))
            })
            .collect()
    }

    async fn approvals(&self, session: Option<Uuid>) -> Result<Vec<Approval>, StoreError> {
        self.approvals_of(session).await
    }

    async fn approvals_of_sessions(&self, sessions: &[Uuid]) -> Result<Vec<Approval>, StoreError> {
        self.approvals_of_many(sessions).await
    }

    async fn session_log(&self, id: Uuid) -> Result<Vec<LogLine>, StoreError> {
        self.log_of(id).await
    }

    async fn session_log_page(
        &self,
        id: Uuid,
        query: &LogQuery,
    ) -> Result<(Vec<LogLine>, u64), StoreError> {
        let mut reader = self.reader.get().await?;
        log_page(&mut reader, id, query).await
    }

    /// On one connection: one wait for a reader, not two.
    async fn session_with_log_page(
        &self,
        id: Uuid,
        query: &LogQuery,
    ) -> Result<Option<(Session, Vec<LogLine>, u64)>, StoreError> {
        let mut reader = self.reader.get().await?;
        let Some(session) = session_on(&mut reader, id).await? else {
            return Ok(None);
        };
        let (lines, total) = log_page(&mut reader, id, query).await?;
        Ok(Some((session, lines, total)))
    }

    async fn due_sessions(
        &self,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Session>, StoreError> {
        self.due(now, limit).await
    }

    async fn claim_due_sessions(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Session>, StoreError> {
        // One writer connection: the claim is one statement, so no two claims interleave. The
        // claimed sessions are read after it committed, so a reader sees them as they are.
        let ids: Vec<String> = sqlx::query_scalar(
            "UPDATE sessions SET lease_owner = ?, lease_until = ?
             WHERE id IN (
                SELECT id FROM sessions
                WHERE due_at IS NOT NULL AND due_at <= ? AND (lease_until IS NULL OR lease_until < ?)
                ORDER BY due_at LIMIT ?)
             RETURNING id",
        )
        .bind(owner)
        .bind(ms(lease_until))
        .bind(ms(now))
        .bind(ms(now))
        .bind(i64::from(limit))
        .fetch_all(&mut *self.writer.get().await?)
        .await?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids = serde_json::to_string(&ids).map_err(|e| corrupt("sessions", e))?;
        let rows = sqlx::query(&format!(
            "{SESSION_COLUMNS}{SESSION_FROM} WHERE s.id IN (SELECT value FROM json_each(?)) ORDER BY s.due_at"
        ))
        .bind(ids)
        .fetch_all(&mut *self.reader.get().await?)
        .await?;
        rows.iter().map(session_from_row).collect()
    }

    async fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.earliest_due().await
    }

    async fn health(&self) -> DatabaseHealth {
        let started = std::time::Instant::now();
        let answer: Result<i64, StoreError> = async {
            let mut reader = self.reader.get().await?;
            Ok(sqlx::query_scalar("SELECT 1")
                .fetch_one(&mut *reader)
                .await?)
        }
        .await;
        DatabaseHealth {
            backend: "sqlite",
            reachable: answer.is_ok(),
            latency: started.elapsed(),
            error: answer.err().map(|e| e.to_string()),
        }
    }

    async fn open_sessions_of(&self, account: Uuid) -> Result<(u64, u64), StoreError> {
        let row = sqlx::query(&format!(
            "SELECT COUNT(*) AS open, COALESCE(SUM(state = 'WaitingForApproval'), 0) AS pending
             FROM sessions WHERE created_by = ? AND state NOT IN ({})",
            final_identifiers()
        ))
        .bind(account.to_string())
        .fetch_one(&mut *self.reader.get().await?)
        .await?;
        let open: i64 = row.try_get("open")?;
        let pending: i64 = row.try_get("pending")?;
        Ok((open.max(0) as u64, pending.max(0) as u64))
    }

    async fn claim_runs(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<ClaimedRun>, StoreError> {
        let rows = sqlx::query(
            "UPDATE outbox SET lease_owner = ?, lease_until = ?, attempts = attempts + 1
             WHERE id IN (
                SELECT o.id FROM outbox o
                WHERE o.state = 'pending' AND o.next_attempt_at <= ?
                  AND (o.lease_until IS NULL OR o.lease_until < ?)
                  AND NOT EXISTS (SELECT 1 FROM outbox p
                                  WHERE p.session_id = o.session_id AND p.state = 'pending' AND p.id < o.id)
                ORDER BY o.next_attempt_at, o.id LIMIT ?)
             RETURNING id, run_id, session_id, kind, action_index, payload, attempts",
        )
        .bind(owner)
        .bind(ms(lease_until))
        .bind(ms(now))
        .bind(ms(now))
        .bind(i64::from(limit))
        .fetch_all(&mut *self.writer.get().await?)
        .await?;
        rows.iter().map(claimed_run_from_row).collect()
    }

    async fn renew_run(
        &self,
        id: i64,
        owner: &str,
        lease_until: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let renewed = sqlx::query(
            "UPDATE outbox SET lease_until = ? WHERE id = ? AND lease_owner = ? AND state = 'pending'",
        )
        .bind(ms(lease_until))
        .bind(id)
        .bind(owner)
        .execute(&mut *self.writer.get().await?)
        .await?;
        Ok(renewed.rows_affected() == 1)
    }

    async fn settle_run(
        &self,
        settle: &RunSettle<'_>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut writer = self.writer.get().await?;
        let mut tx = writer.begin().await?;
        let settled = settle_in_tx(&mut tx, settle, now).await?;
        tx.commit().await?;
        Ok(settled)
    }

    async fn next_run_at(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let next: Option<i64> = sqlx::query_scalar(
            "SELECT MIN(MAX(next_attempt_at, COALESCE(lease_until + 1, 0))) FROM outbox WHERE state = 'pending'",
        )
        .fetch_one(&mut *self.reader.get().await?)
        .await?;
        next.map(|at| {
            DateTime::from_timestamp_millis(at)
                .ok_or_else(|| corrupt("outbox", format!("next_attempt_at: {at} is out of range")))
        })
        .transpose()
    }

    async fn runs_of(&self, session: Uuid) -> Result<Vec<RunRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT run_id, kind, action_index, state, attempts, last_error, next_attempt_at
             FROM outbox WHERE session_id = ? ORDER BY id",
        )
        .bind(session.to_string())
        .fetch_all(&mut *self.reader.get().await?)
        .await?;
        rows.iter()
            .map(|row| {
                let kind: String = row.try_get("kind")?;
                Ok(RunRecord {
                    run_id: uuid(row, "outbox", "run_id")?,
                    kind: ActionKind::from_label(&kind)
                        .ok_or_else(|| corrupt("outbox", format!("kind: {kind}")))?,
                    index: count(row, "action_index")?,
                    state: row.try_get("state")?,
                    attempts: count(row, "attempts")?,
                    last_error: row.try_get("last_error")?,
                    next_attempt_at: time(row, "next_attempt_at")?,
                })
            })
            .collect()
    }

    async fn register_instance(
        &self,
        id: &str,
        host: &str,
        pid: u32,
        now: DateTime<Utc>,
    ) -> Result<Vec<(String, u32)>, StoreError> {
        sqlx::query("INSERT OR REPLACE INTO broker_instances (id, host, pid, started_at) VALUES (?, ?, ?, ?)")
            .bind(id)
            .bind(host)
            .bind(i64::from(pid))
            .bind(ms(now))
            .execute(&mut *self.writer.get().await?)
            .await?;
        let rows = sqlx::query("SELECT id, pid FROM broker_instances WHERE host = ? AND id <> ?")
            .bind(host)
            .bind(id)
            .fetch_all(&mut *self.reader.get().await?)
            .await?;
        rows.iter()
            .map(|row| {
                let pid: i64 = row.try_get("pid")?;
                Ok((row.try_get("id")?, u32::try_from(pid).unwrap_or(0)))
            })
            .collect()
    }

    async fn append_audit(
        &self,
        events: &[AuditEvent],
        seal: &AuditSeal,
    ) -> Result<(), StoreError> {
        if events.is_empty() {
            return Ok(());
        }
        let (done, outcome) = tokio::sync::oneshot::channel();
        let job = WriteJob {
            work: Work::Audit {
                events: events.to_vec(),
                seal: seal.clone(),
            },
            now: events[0].at,
            done,
        };
        self.commit(job, outcome).await.map(|_| ())
    }

    async fn audit_page(&self, query: &AuditQuery) -> Result<(Vec<AuditRecord>, u64), StoreError> {
        let mut count = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM audit_log");
        push_audit_filters(&mut count, query);
        let total: i64 = count
            .build_query_scalar()
            .fetch_one(&mut *self.reader.get().await?)
            .await?;
        let mut select = QueryBuilder::<Sqlite>::new(AUDIT_COLUMNS);
        select.push(" FROM audit_log");
        push_audit_filters(&mut select, query);
        push_audit_page(&mut select, query);
        let rows = select
            .build()
            .fetch_all(&mut *self.reader.get().await?)
            .await?;
        Ok((
            rows.iter().map(record_from_row).collect::<Result<_, _>>()?,
            u64::try_from(total).unwrap_or(0),
        ))
    }

    async fn audit_rows_after(
        &self,
        after: i64,
        limit: u32,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "{AUDIT_COLUMNS} FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?"
        ))
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&mut *self.reader.get().await?)
        .await?;
        rows.iter().map(record_from_row).collect()
    }

    async fn put_credential(
        &self,
        session: Uuid,
        sealed: &[u8],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO session_credentials (session_id, sealed, created_at) VALUES (?, ?, ?)
             ON CONFLICT (session_id) DO UPDATE SET sealed = excluded.sealed, created_at = excluded.created_at",
        )
        .bind(session.to_string())
        .bind(sealed)
        .bind(ms(now))
        .execute(&mut *self.writer.get().await?)
        .await?;
        Ok(())
    }

    async fn credential(&self, session: Uuid) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT sealed FROM session_credentials WHERE session_id = ?")
                .bind(session.to_string())
                .fetch_optional(&mut *self.reader.get().await?)
                .await?,
        )
    }

    async fn delete_credential(&self, session: Uuid) -> Result<bool, StoreError> {
        let result = sqlx::query("DELETE FROM session_credentials WHERE session_id = ?")
            .bind(session.to_string())
            .execute(&mut *self.writer.get().await?)
            .await?;
        Ok(result.rows_affected() > 0)
    }

    async fn insert_statement(
        &self,
        entry: &StatementEntry,
        run: Option<&NewRun>,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let mut writer = self.writer.get().await?;
        let mut tx = writer.begin().await?;
        let id: i64 = bind_statement(
            sqlx::query(
                "INSERT INTO session_statements (session_id, requested_by, requested_by_name,
                requested_at, sql_text, status, rerun_of, started_at, duration_ms, rows_affected,
                result, error, reviewed_by, reviewed_by_name, reviewed_at, review_reason, run_id)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            ),
            entry,
        )
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        if let Some(run) = run {
            let run = NewRun {
                payload: Some(id.to_string()),
                ..run.clone()
            };
            insert_run(&mut tx, entry.session_id, &run, now).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    async fn statement(&self, id: i64) -> Result<Option<StatementEntry>, StoreError> {
        sqlx::query(&format!(
            "SELECT {} FROM session_statements WHERE id = ?",
            statements::COLUMNS
        ))
        .bind(id)
        .fetch_optional(&mut *self.reader.get().await?)
        .await?
        .as_ref()
        .map(statement_from_row)
        .transpose()
    }

    async fn statements_of(&self, session: Uuid) -> Result<Vec<StatementEntry>, StoreError> {
        sqlx::query(&format!(
            "SELECT {} FROM session_statements WHERE session_id = ? ORDER BY id",
            statements::COLUMNS
        ))
        .bind(session.to_string())
        .fetch_all(&mut *self.reader.get().await?)
        .await?
        .iter()
        .map(statement_from_row)
        .collect()
    }

    async fn pending_statements(&self) -> Result<Vec<StatementEntry>, StoreError> {
        sqlx::query(&format!(
            "SELECT {} FROM session_statements WHERE status = 'pending review' ORDER BY id",
            statements::COLUMNS
        ))
        .fetch_all(&mut *self.reader.get().await?)
        .await?
        .iter()
        .map(statement_from_row)
        .collect()
    }

    async fn update_statement(
        &self,
        entry: &StatementEntry,
        expected: StatementStatus,
        run: Option<&NewRun>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut writer = self.writer.get().await?;
        let mut tx = writer.begin().await?;
        let updated = bind_statement(
            sqlx::query(
                "UPDATE session_statements SET session_id = ?, requested_by = ?,
                requested_by_name = ?, requested_at = ?, sql_text = ?, status = ?, rerun_of = ?,
                started_at = ?, duration_ms = ?, rows_affected = ?, result = ?, error = ?,
                reviewed_by = ?, reviewed_by_name = ?, reviewed_at = ?, review_reason = ?,
                run_id = ?
             WHERE id = ? AND status = ?",
            ),
            entry,
        )
        .bind(entry.id)
        .bind(expected.word())
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !updated {
            return Ok(false);
        }
        if let Some(run) = run {
            insert_run(&mut tx, entry.session_id, run, now).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn retire_instance(&self, id: &str) -> Result<u64, StoreError> {
        let mut writer = self.writer.get().await?;
        let mut tx = writer.begin().await?;
        let freed = sqlx::query(
            "UPDATE outbox SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ? AND state = 'pending'",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        // Its claimed due sessions too, so that they are not late by a lease.
        sqlx::query(
            "UPDATE sessions SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM broker_instances WHERE id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(freed)
    }
}

fn claimed_run_from_row(row: &SqliteRow) -> Result<ClaimedRun, StoreError> {
    let kind: String = row.try_get("kind")?;
    Ok(ClaimedRun {
        id: row.try_get("id")?,
        run_id: uuid(row, "outbox", "run_id")?,
        session_id: uuid(row, "outbox", "session_id")?,
        kind: ActionKind::from_label(&kind)
            .ok_or_else(|| corrupt("outbox", format!("kind: {kind}")))?,
        index: count(row, "action_index")?,
        payload: row.try_get("payload")?,
        attempts: count(row, "attempts")?,
    })
}

/// Binds an entry's columns, in [`statements::COLUMNS`] order without the id.
fn bind_statement<'q>(
    query: sqlx::query::Query<'q, Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
    entry: &'q StatementEntry,
) -> sqlx::query::Query<'q, Sqlite, sqlx::sqlite::SqliteArguments<'q>> {
    query
        .bind(entry.session_id.to_string())
        .bind(entry.requested_by.to_string())
        .bind(&entry.requested_by_name)
        .bind(ms(entry.requested_at))
        .bind(&entry.sql)
        .bind(entry.status.word())
        .bind(entry.rerun_of)
        .bind(opt_ms(entry.started_at))
        .bind(statements::signed(entry.duration_ms))
        .bind(statements::signed(entry.rows_affected))
        .bind(statements::rows_to_json(entry.result.as_ref()))
        .bind(&entry.error)
        .bind(entry.reviewed_by.map(|id| id.to_string()))
        .bind(&entry.reviewed_by_name)
        .bind(opt_ms(entry.reviewed_at))
        .bind(&entry.review_reason)
        .bind(entry.run_id.map(|id| id.to_string()))
}

fn statement_from_row(row: &SqliteRow) -> Result<StatementEntry, StoreError> {
    let optional_uuid = |column: &str| -> Result<Option<Uuid>, StoreError> {
        let text: Option<String> = row.try_get(column)?;
        text.map(|text| {
            Uuid::parse_str(&text)
                .map_err(|e| corrupt("session_statements", format!("{column}: {e}")))
        })
        .transpose()
    };
    statements::RawStatement {
        id: row.try_get("id")?,
        session_id: uuid(row, "session_statements", "session_id")?,
        requested_by: uuid(row, "session_statements", "requested_by")?,
        requested_by_name: row.try_get("requested_by_name")?,
        requested_at: row.try_get("requested_at")?,
        sql: row.try_get("sql_text")?,
        status: row.try_get("status")?,
        rerun_of: row.try_get("rerun_of")?,
        started_at: row.try_get("started_at")?,
        duration_ms: row.try_get("duration_ms")?,
        rows_affected: row.try_get("rows_affected")?,
        result: row.try_get("result")?,
        error: row.try_get("error")?,
        reviewed_by: optional_uuid("reviewed_by")?,
        reviewed_by_name: row.try_get("reviewed_by_name")?,
        reviewed_at: row.try_get("reviewed_at")?,
        review_reason: row.try_get("review_reason")?,
        run_id: optional_uuid("run_id")?,
    }
    .into_entry()
}

async fn insert_run(
    tx: &mut Transaction<'_, Sqlite>,
    session: Uuid,
    run: &NewRun,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO outbox (run_id, session_id, kind, action_index, payload, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(run.run_id.to_string())
    .bind(session.to_string())
    .bind(run.kind.label())
    .bind(i64::from(run.index))
    .bind(&run.payload)
    .bind(ms(now))
    .bind(ms(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Settles a run in the caller's transaction, if `owner` still holds its lease.
async fn settle_in_tx(
    tx: &mut Transaction<'_, Sqlite>,
    settle: &RunSettle<'_>,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let (state, next, error) = match &settle.settlement {
        Settlement::Done => ("done", None, None),
        Settlement::Retry { at, error } => ("pending", Some(ms(*at)), Some(error.as_str())),
        Settlement::GaveUp { error } => ("failed", None, Some(error.as_str())),
        Settlement::Dropped => ("dropped", None, None),
    };
    let settled = sqlx::query(
        "UPDATE outbox SET state = ?, next_attempt_at = COALESCE(?, next_attempt_at),
            last_error = COALESCE(?, last_error), lease_owner = NULL, lease_until = NULL,
            finished_at = CASE WHEN ? = 'pending' THEN NULL ELSE ? END
         WHERE id = ? AND lease_owner = ? AND state = 'pending'",
    )
    .bind(state)
    .bind(next)
    .bind(error)
    .bind(state)
    .bind(ms(now))
    .bind(settle.id)
    .bind(settle.owner)
    .execute(&mut **tx)
    .await?;
    Ok(settled.rows_affected() == 1)
}

/// Splits writes (by index) into those written together and those written alone: one with
/// an approval or audit events, or a second write of a session already in the batch (it is
/// then written after the first, and finds it stale).
fn split_together<'a, 'w: 'a>(
    writes: impl Iterator<Item = &'a SessionWrite<'w>>,
) -> (Vec<usize>, Vec<usize>) {
    let mut sessions = std::collections::HashSet::new();
    let (mut together, mut alone) = (Vec::new(), Vec::new());
    for (index, write) in writes.enumerate() {
        let first = sessions.insert(write.session.id);
        if first && together::goes_together(write) {
            together.push(index);
        } else {
            alone.push(index);
        }
    }
    (together, alone)
}

/// One transition in the caller's transaction, in a savepoint when it settles a run: a
/// lost lease is found after the session's update, which is then rolled back.
async fn write_alone(
    tx: &mut Transaction<'_, Sqlite>,
    write: &SessionWrite<'_>,
    now: DateTime<Utc>,
    head: &mut KnownHead,
) -> Result<WriteOutcome, StoreError> {
    let settles = write.settles.is_some();
    if settles {
        sqlx::query("SAVEPOINT settle_write")
            .execute(&mut **tx)
            .await?;
    }
    let outcome = write_in_tx(tx, write, now, head).await?;
    if settles {
        let lost = outcome == WriteOutcome::LeaseLost;
        if lost {
            *head = KnownHead::default();
        }
        close_savepoint(tx, "settle_write", lost).await?;
    }
    Ok(outcome)
}

/// Ends savepoint `name`, undoing what was written since it when `roll_back`.
pub(super) async fn close_savepoint(
    tx: &mut Transaction<'_, Sqlite>,
    name: &str,
    roll_back: bool,
) -> Result<(), sqlx::Error> {
    if roll_back {
        sqlx::query(&format!("ROLLBACK TO {name}"))
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query(&format!("RELEASE {name}"))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// One transition in the caller's transaction: nothing is written unless the session is at
/// the version it was read at, and nothing is kept unless the settled run's lease still
/// holds (the caller rolls back to a savepoint taken before it on `LeaseLost`).
async fn write_in_tx(
    tx: &mut Transaction<'_, Sqlite>,
    write: &SessionWrite<'_>,
    now: DateTime<Utc>,
    head: &mut KnownHead,
) -> Result<WriteOutcome, StoreError> {
    let session = write.session;
    // The session's own update is the first change: when its version moved on, it changes
    // nothing and the write is stale.
    let updated = sqlx::query(
        "UPDATE sessions SET state = ?, locked = ?, lock_title = ?, lock_message = ?,
            scheduled_start_at = ?, actual_start_at = ?, scheduled_end_at = ?, actual_end_at = ?, login_at = ?, cancelled_by = ?,
            extension_count = ?, extension_minutes = ?, approval_deadline_at = ?,
            pre_actions_done = ?, post_actions_done = ?, failure_reason = ?, status_message = ?, cancel_requested = ?,
            due_at = ?, version = version + 1, modified_at = ?, lease_owner = NULL, lease_until = NULL
         WHERE id = ? AND version = ?",
    )
    .bind(session.state.identifier())
    .bind(session.locked)
    .bind(&session.lock_title)
    .bind(&session.lock_message)
    .bind(ms(session.scheduled_start))
    .bind(opt_ms(session.actual_start))
    .bind(ms(session.scheduled_end))
    .bind(opt_ms(session.actual_end))
    .bind(opt_ms(session.login_at))
    .bind(session.cancelled_by.map(|id| id.to_string()))
    .bind(i64::from(session.extension_count))
    .bind(session.extension_minutes)
    .bind(opt_ms(session.approval_deadline))
    .bind(i64::from(session.pre_actions_done))
    .bind(i64::from(session.post_actions_done))
    .bind(&session.failure_reason)
    .bind(&session.status_message)
    .bind(session.cancel_requested)
    .bind(opt_ms(session.due_at))
    .bind(ms(now))
    .bind(session.id.to_string())
    .bind(session.version)
    .execute(&mut **tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Ok(WriteOutcome::Stale);
    }
    if let Some(settle) = &write.settles {
        if !settle_in_tx(tx, settle, now).await? {
            // The caller rolls the update back: its savepoint ends where this write began.
            return Ok(WriteOutcome::LeaseLost);
        }
    }
    if let Some(approval) = write.approval {
        sqlx::query(
            "INSERT INTO approvals (id, session_id, tier, approver_id, decision, notes, from_address, decided_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(approval.id.to_string())
        .bind(approval.session_id.to_string())
        .bind(i64::from(approval.tier))
        .bind(approval.approver_id.to_string())
        .bind(approval.decision.as_str())
        .bind(&approval.notes)
        .bind(&approval.from_address)
        .bind(ms(approval.decided_at))
        .execute(&mut **tx)
        .await?;
    }
    for kind in write.drop_pending {
        sqlx::query(
            "UPDATE outbox SET state = 'dropped', finished_at = ?
             WHERE session_id = ? AND kind = ? AND state = 'pending' AND lease_owner IS NULL",
        )
        .bind(ms(now))
        .bind(session.id.to_string())
        .bind(kind.label())
        .execute(&mut **tx)
        .await?;
    }
    for run in write.runs {
        insert_run(tx, session.id, run, now).await?;
    }
    insert_log(tx, session.id, write.log, now).await?;
    if let Some(audit) = &write.audit {
        let append = AuditAppend {
            events: audit.events,
            seal: audit.seal,
        };
        append_audit_in_tx(tx, &[append], head).await?;
    }
    Ok(WriteOutcome::Written)
}

const SESSION_COLUMNS: &str = "SELECT s.*, a.name AS activity_name, a.activity_type AS activity_type,
        a.platform AS platform, r.name AS resource_name, r.display_name AS resource_display_name,
        p.name AS policy_name, p.extension_max_count IS NOT NULL AS extension_allowed, c.name AS created_by_name, c.display_name AS created_by_display_name,
        x.name AS cancelled_by_name";

fn optional_uuid(row: &SqliteRow, column: &str) -> Result<Option<Uuid>, StoreError> {
    let text: Option<String> = row.try_get(column)?;
    text.map(|t| Uuid::parse_str(&t).map_err(|e| corrupt("sessions", format!("{column}: {e}"))))
        .transpose()
}

fn count(row: &SqliteRow, column: &str) -> Result<u32, StoreError> {
    let value: i64 = row.try_get(column)?;
    u32::try_from(value).map_err(|e| corrupt("sessions", format!("{column}: {e}")))
}

fn session_from_row(row: &SqliteRow) -> Result<Session, StoreError> {
    let state: String = row.try_get("state")?;
    let custom_fields: Option<String> = row.try_get("custom_fields")?;
    Ok(Session {
        id: uuid(row, "sessions", "id")?,
        group_id: optional_uuid(row, "group_id")?,
        created_by: uuid(row, "sessions", "created_by")?,
        created_by_name: row.try_get("created_by_name")?,
        created_by_display_name: row.try_get("created_by_display_name")?,
        created_from: row.try_get("created_from")?,
        activity_id: uuid(row, "sessions", "activity_id")?,
        activity_name: row.try_get("activity_name")?,
        activity_type: wire_enum::<ActivityType>(row, "activities", "activity_type")?,
        platform: row.try_get("platform")?,
        resource_id: uuid(row, "sessions", "resource_id")?,
        resource_name: row.try_get("resource_name")?,
        resource_display_name: row.try_get("resource_display_name")?,
        policy_id: uuid(row, "sessions", "policy_id")?,
        policy_name: row.try_get("policy_name")?,
        extension_allowed: row.try_get("extension_allowed")?,
        login_account_name: row.try_get("login_account_name")?,
        state: SessionState::from_identifier(&state)
            .ok_or_else(|| corrupt("sessions", format!("state: {state}")))?,
        locked: row.try_get("locked")?,
        lock_title: row.try_get("lock_title")?,
        lock_message: row.try_get("lock_message")?,
        scheduled_start: time(row, "scheduled_start_at")?,
        actual_start: opt_time(row, "actual_start_at")?,
        scheduled_end: time(row, "scheduled_end_at")?,
        actual_end: opt_time(row, "actual_end_at")?,
        login_at: opt_time(row, "login_at")?,
        cancelled_by: optional_uuid(row, "cancelled_by")?,
        cancelled_by_name: row.try_get("cancelled_by_name")?,
        note: row.try_get("note")?,
        ticket: row.try_get("ticket")?,
        custom_fields: custom_fields
            .map(|json| serde_json::from_str(&json).map_err(|e| corrupt("sessions", e)))
            .transpose()?,
        extension_count: count(row, "extension_count")?,
        extension_minutes: row.try_get("extension_minutes")?,
        approval_deadline: opt_time(row, "approval_deadline_at")?,
        pre_actions_done: count(row, "pre_actions_done")?,
        post_actions_done: count(row, "post_actions_done")?,
        failure_reason: row.try_get("failure_reason")?,
        status_message: row.try_get("status_message")?,
        cancel_requested: row.try_get("cancel_requested")?,
        due_at: opt_time(row, "due_at")?,
        version: row.try_get("version")?,
        created_at: time(row, "created_at")?,
        modified_at: time(row, "modified_at")?,
    })
}

/// Appends log lines in one INSERT, each numbered one past the session's last, in the
/// caller's transaction.
async fn insert_log(
    tx: &mut Transaction<'_, Sqlite>,
    session: Uuid,
    entries: &[LogEntry],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if entries.is_empty() {
        return Ok(());
    }
    let mut query =
        QueryBuilder::<Sqlite>::new("WITH s(seq) AS (SELECT seq FROM sessions WHERE id = ");
    query.push_bind(session.to_string());
    query.push(
        "), last(n) AS (SELECT COALESCE(MAX(line_number), 0) FROM session_log, s
            WHERE session_seq = s.seq)
         INSERT INTO session_log (session_seq, line_number, at, level, actor, message)
         SELECT s.seq, last.n + v.column1, ",
    );
    query.push_bind(ms(now));
    query.push(", v.column2, v.column3, v.column4 FROM s, last, (VALUES ");
    push_log_values(&mut query, entries);
    query.push(") AS v");
    query.build().execute(&mut **tx).await?;
    Ok(())
}

/// Ids per read of several rows by id (sessions, approvals).
const IDS_PER_QUERY: usize = 1000;

const APPROVAL_SELECT: &str =
    "SELECT v.*, a.name AS approver_name FROM approvals v JOIN accounts a ON a.id = v.approver_id";

fn approval_from_row(row: &SqliteRow) -> Result<Approval, StoreError> {
    let tier: i64 = row.try_get("tier")?;
    Ok(Approval {
        id: uuid(row, "approvals", "id")?,
        session_id: uuid(row, "approvals", "session_id")?,
        tier: u32::try_from(tier).map_err(|e| corrupt("approvals", e))?,
        approver_id: uuid(row, "approvals", "approver_id")?,
        approver_name: row.try_get("approver_name")?,
        decision: parsed::<Decision>(row, "approvals", "decision")?,
        notes: row.try_get("notes")?,
        from_address: row.try_get("from_address")?,
        decided_at: time(row, "decided_at")?,
    })
}

fn log_line_from_row(row: &SqliteRow) -> Result<LogLine, StoreError> {
    let line: i64 = row.try_get("line_number")?;
    Ok(LogLine {
        line_number: u64::try_from(line).map_err(|e| corrupt("session_log", e))?,
        at: time(row, "at")?,
        level: wire_enum::<LogLevel>(row, "session_log", "level")?,
        actor: row.try_get("actor")?,
        message: row.try_get("message")?,
    })
}

/// `(number, level, actor, message), ...` for the lines, numbered from 1.
fn push_log_values(query: &mut QueryBuilder<'_, Sqlite>, entries: &[LogEntry]) {
    for (number, entry) in (1_i64..).zip(entries) {
        if number > 1 {
            query.push(", ");
        }
        query.push("(");
        query.push_bind(number);
        query.push(", ");
        query.push_bind(entry.level.value());
        query.push(", ");
        query.push_bind(entry.actor.clone());
        query.push(", ");
        query.push_bind(entry.message.clone());
        query.push(")");
    }
}

fn custom_fields_json(session: &Session) -> Option<String> {
    session
        .custom_fields
        .as_ref()
        .map(|value| value.to_string())
}

/// What `slot` keeps, if anything (a shared pointer: cloning it is cheap).
fn kept<T: Clone>(slot: &std::sync::RwLock<Option<T>>) -> Option<T> {
    slot.read().unwrap_or_else(|e| e.into_inner()).clone()
}

/// The catalog: read from the tables once, then from memory.
impl SqliteStore {
    /// One part of the cached catalog, cloned alone: the scheduler asks for the activities
    /// several times per action run, and the policies (with their members) are the big part.
    async fn cached<T>(&self, part: impl Fn(&CachedCatalog) -> T) -> Result<T, StoreError> {
        if let Some(catalog) = self
            .catalog
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
        {
            return Ok(part(catalog));
        }
        Ok(part(&self.cached_catalog().await?))
    }

    async fn cached_catalog(&self) -> Result<CachedCatalog, StoreError> {
        if let Some(catalog) = kept(&self.catalog) {
            return Ok(catalog);
        }
        let version = self.catalog_version.load(Ordering::SeqCst);
        let catalog = Arc::new(GrantCatalog {
            activities: self.load_activities().await?,
            resources: self.load_resources().await?,
            policies: self.load_policies().await?,
        });
        self.keep(&self.catalog, &catalog, version);
        Ok(catalog)
    }

    /// Keeps `value` in `slot`, unless `replace_catalog` ran since `version` was read: a read
    /// that began before a replacement must not keep what it read.
    fn keep<T: Clone>(&self, slot: &std::sync::RwLock<Option<T>>, value: &T, version: u64) {
        let mut kept = slot.write().unwrap_or_else(|e| e.into_inner());
        if self.catalog_version.load(Ordering::SeqCst) == version {
            *kept = Some(value.clone());
        }
    }

    async fn load_activities(&self) -> Result<Vec<Activity>, StoreError> {
        let rows = sqlx::query("SELECT * FROM activities WHERE retired_at IS NULL ORDER BY name")
            .fetch_all(&mut *self.reader.get().await?)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(Activity {
                    id: uuid(row, "activities", "id")?,
                    name: row.try_get("name")?,
                    description: row.try_get("description")?,
                    platform: row.try_get("platform")?,
                    activity_type: wire_enum::<ActivityType>(row, "activities", "activity_type")?,
                    login_account: wire_enum::<LoginAccount>(row, "activities", "login_account")?,
                    login_account_name_format: row.try_get("login_account_name_format")?,
                    pre_session: actions(row, "pre_session_actions")?,
                    post_session: actions(row, "post_session_actions")?,
                    on_lock: actions(row, "lock_actions")?,
                    on_unlock: actions(row, "unlock_actions")?,
                    created_at: time(row, "created_at")?,
                    modified_at: time(row, "modified_at")?,
                })
            })
            .collect()
    }

    async fn load_resources(&self) -> Result<Vec<Resource>, StoreError> {
        let rows = sqlx::query("SELECT * FROM resources WHERE retired_at IS NULL ORDER BY name")
            .fetch_all(&mut *self.reader.get().await?)
            .await?;
        rows.iter()
            .map(|row| {
                let port = |column: &str| -> Result<Option<u16>, StoreError> {
                    let value: Option<i64> = row.try_get(column)?;
                    value
                        .map(|p| u16::try_from(p).map_err(|e| corrupt("resources", e)))
                        .transpose()
                };
                Ok(Resource {
                    id: uuid(row, "resources", "id")?,
                    name: row.try_get("name")?,
                    display_name: row.try_get("display_name")?,
                    platform: row.try_get("platform")?,
                    resource_type: wire_enum::<ResourceType>(row, "resources", "resource_type")?,
                    address: row.try_get("address")?,
                    port_ssh: port("port_ssh")?,
                    port_rdp: port("port_rdp")?,
                    created_at: time(row, "created_at")?,
                    modified_at: time(row, "modified_at")?,
                })
            })
            .collect()
    }

    async fn load_policies(&self) -> Result<Vec<Policy>, StoreError> {
        let mut reader = self.reader.get().await?;
        let rows = sqlx::query("SELECT * FROM policies WHERE retired_at IS NULL ORDER BY position")
            .fetch_all(&mut *reader)
            .await?;
        let mut members = links(&mut reader, "policy_members", "account_id").await?;
        let mut activities = links(&mut reader, "policy_activities", "activity_id").await?;
        let mut resources = links(&mut reader, "policy_resources", "resource_id").await?;

        let tier_rows = sqlx::query(
            "SELECT policy_id, position, required FROM approval_tiers ORDER BY policy_id, position",
        )
        .fetch_all(&mut *reader)
        .await?;
        let approver_rows = sqlx::query(
            "SELECT policy_id, position, account_id, role FROM approval_tier_approvers ORDER BY rowid",
        )
        .fetch_all(&mut *reader)
        .await?;
        let mut approvers: HashMap<(Uuid, i64), Vec<Approver>> = HashMap::new();
        for row in &approver_rows {
            let account: Option<String> = row.try_get("account_id")?;
            let role: Option<String> = row.try_get("role")?;
            let approver = match (account, role) {
                (Some(account), _) => Approver::Account(
                    Uuid::parse_str(&account).map_err(|e| corrupt("approval_tier_approvers", e))?,
                ),
                (None, Some(role)) => Approver::Role(
                    role.parse()
                        .map_err(|e: String| corrupt("approval_tier_approvers", e))?,
                ),
                (None, None) => {
                    return Err(corrupt(
                        "approval_tier_approvers",
                        "neither account nor role",
                    ));
                }
            };
            approvers
                .entry((
                    uuid(row, "approval_tier_approvers", "policy_id")?,
                    row.try_get("position")?,
                ))
                .or_default()
                .push(approver);
        }
        let mut tiers: HashMap<Uuid, Vec<ApprovalTier>> = HashMap::new();
        for row in &tier_rows {
            let policy = uuid(row, "approval_tiers", "policy_id")?;
            let position: i64 = row.try_get("position")?;
            let required: i64 = row.try_get("required")?;
            tiers.entry(policy).or_default().push(ApprovalTier {
                required: u32::try_from(required).map_err(|e| corrupt("approval_tiers", e))?,
                approvers: approvers.remove(&(policy, position)).unwrap_or_default(),
            });
        }

        let mut notify: HashMap<Uuid, Vec<Notification>> = HashMap::new();
        for row in sqlx::query("SELECT * FROM policy_webhooks ORDER BY policy_id, position")
            .fetch_all(&mut *reader)
            .await?
            .iter()
        {
            let retries: i64 = row.try_get("retries")?;
            notify
                .entry(uuid(row, "policy_webhooks", "policy_id")?)
                .or_default()
                .push(Notification {
                    url: row.try_get("url")?,
                    timeout: duration(row.try_get("timeout_secs")?),
                    retries: u32::try_from(retries).map_err(|e| corrupt("policy_webhooks", e))?,
                });
        }

        rows.iter()
            .map(|row| {
                let id = uuid(row, "policies", "id")?;
                let extension_count: Option<i64> = row.try_get("extension_max_count")?;
                let extension_secs: Option<i64> = row.try_get("extension_max_secs")?;
                Ok(Policy {
                    id,
                    name: row.try_get("name")?,
                    description: row.try_get("description")?,
                    members: members.remove(&id).unwrap_or_default(),
                    activities: activities.remove(&id).unwrap_or_default(),
                    resources: resources.remove(&id).unwrap_or_default(),
                    max_duration: duration(row.try_get("max_duration_secs")?),
                    extension: match (extension_count, extension_secs) {
                        (Some(count), Some(each)) => Some(ExtensionRule {
                            max_count: u32::try_from(count).map_err(|e| corrupt("policies", e))?,
                            max_each: duration(each),
                        }),
                        _ => None,
                    },
                    approval_tiers: tiers.remove(&id).unwrap_or_default(),
                    approval_timeout: duration(row.try_get("approval_timeout_secs")?),
                    admins_may_approve: row.try_get("admins_may_approve")?,
                    ticket_required: row.try_get("ticket_required")?,
                    notify: notify.remove(&id).unwrap_or_default(),
                })
            })
            .collect()
    }
}

async fn commit_batch(
    writer: &connections::Connections,
    batch: &[WriteJob],
) -> Result<Vec<Result<WriteOutcome, StoreError>>, sqlx::Error> {
    let mut outcomes: Vec<Option<Result<WriteOutcome, StoreError>>> =
        (0..batch.len()).map(|_| None).collect();
    let mut writer = writer.get().await?;
    let mut tx = writer.begin().await?;
    // Transitions that can go together are written first, as a few statements for all of
    // them: the jobs of one batch were all waiting at once, so any order is theirs.
    let owned: Vec<Option<SessionWrite<'_>>> = batch
        .iter()
        .map(|job| match &job.work {
            Work::Transition(write) => Some(write.as_write()),
            _ => None,
        })
        .collect();
    let (together, _) = split_together(owned.iter().flatten());
    let transitions: Vec<usize> = owned
        .iter()
        .enumerate()
        .filter_map(|(index, write)| write.as_ref().map(|_| index))
        .collect();
    let together: Vec<usize> = together.into_iter().map(|i| transitions[i]).collect();
    let mut head = KnownHead::default();
    if together.len() > 1 {
        let timed: Vec<together::Timed<'_, '_>> = together
            .iter()
            .filter_map(|&index| {
                owned[index].as_ref().map(|write| together::Timed {
                    write,
                    now: batch[index].now,
                })
            })
            .collect();
        let written = together::write_together(&mut tx, &timed, &mut head)
            .await
            .map_err(|error| sqlx::Error::Protocol(error.to_string()))?;
        if let Some(written) = written {
            for (&index, outcome) in together.iter().zip(written) {
                outcomes[index] = Some(Ok(outcome));
            }
        }
    }
    // Creates next, together; should one of them fail, all of them are written one by one
    // below, so that only that one fails.
    let (indices, together): (Vec<usize>, Vec<creates::Create<'_>>) = batch
        .iter()
        .enumerate()
        .filter_map(|(index, job)| Some((index, job.as_create()?)))
        .unzip();
    if together.len() > 1 {
        sqlx::query("SAVEPOINT insert_together")
            .execute(&mut *tx)
            .await?;
        let written = creates::insert_creates(&mut tx, &together, &mut head)
            .await
            .is_ok();
        if written {
            for &index in &indices {
                outcomes[index] = Some(Ok(WriteOutcome::Written));
            }
        } else {
            head = KnownHead::default();
        }
        close_savepoint(&mut tx, "insert_together", !written).await?;
    }
    for (index, job) in batch.iter().enumerate() {
        if outcomes[index].is_some() {
            continue;
        }
        sqlx::query("SAVEPOINT insert_job")
            .execute(&mut *tx)
            .await?;
        let outcome = match &job.work {
            Work::Insert { .. } => insert_job(&mut tx, job, &mut head)
                .await
                .map(|()| WriteOutcome::Written),
            // A stale write changed nothing: the session's update, its first change, found it.
            Work::Transition(write) => {
                write_in_tx(&mut tx, &write.as_write(), job.now, &mut head).await
            }
            Work::Audit { events, seal } => {
                let append = AuditAppend { events, seal };
                append_audit_in_tx(&mut tx, &[append], &mut head)
                    .await
                    .map(|()| WriteOutcome::Written)
            }
        };
        // A lost lease is found after the session's update: rolled back like a failure.
        let failed = !matches!(outcome, Ok(WriteOutcome::Written | WriteOutcome::Stale));
        if failed {
            // What the job appended is gone: the head is read again.
            head = KnownHead::default();
        }
        close_savepoint(&mut tx, "insert_job", failed).await?;
        outcomes[index] = Some(outcome);
    }
    tx.commit().await?;
    Ok(outcomes
        .into_iter()
        .map(|o| o.unwrap_or(Ok(WriteOutcome::Stale)))
        .collect())
}

/// The audit chain's last row as one transaction knows it: read at its first append, then
/// kept as it appends, so that a group commit reads the head once rather than once per
/// write. Only this transaction appends meanwhile (there is one writer connection).
#[derive(Default)]
struct KnownHead {
    /// `None` until read; `Some(None)` for an empty chain.
    last: Option<Option<(i64, String)>>,
}

/// Chains each append's events after the last row, in order, inside the one writer's
/// transaction (nobody else appends meanwhile), a few statements for all of them.
async fn append_audit_in_tx(
    tx: &mut Transaction<'_, Sqlite>,
    appends: &[AuditAppend<'_>],
    known: &mut KnownHead,
) -> Result<(), StoreError> {
    if appends.iter().all(|append| append.events.is_empty()) {
        return Ok(());
    }
    let mut last = match known.last.take() {
        Some(head) => head,
        None => sqlx::query_as(AUDIT_HEAD).fetch_optional(&mut **tx).await?,
    };
    let mut records = Vec::new();
    for append in appends {
        let chained = chain_after(last.clone(), append.events, append.seal);
        if let Some(record) = chained.last() {
            last = Some((record.seq, record.hash.clone()));
        }
        records.extend(chained);
    }
    for chunk in records.chunks(together::ROWS_PER_STATEMENT) {
        insert_records::<Sqlite>(chunk)
            .build()
            .execute(&mut **tx)
            .await?;
    }
    // Kept only once the rows are in: a failed insert leaves the head to be read again.
    known.last = Some(last);
    Ok(())
}

/// Commits waiting writes together: each request in its own savepoint, so one that fails
/// (a foreign key, say) fails alone, and all of them in one commit.
async fn commit_writes(
    writer: Arc<connections::Connections>,
    mut jobs: tokio::sync::mpsc::Receiver<WriteJob>,
    commits: Arc<tokio::sync::Notify>,
) {
    while let Some(first) = jobs.recv().await {
        let mut batch = vec![first];
        while batch.len() < WRITE_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let committed = commit_batch(&writer, &batch).await;
        match committed {
            Ok(outcomes) => {
                commits.notify_one();
                for (job, outcome) in batch.into_iter().zip(outcomes) {
                    let _ = job.done.send(outcome);
                }
            }
            Err(error) => {
                let message = error.to_string();
                for job in batch {
                    let _ = job
                        .done
                        .send(Err(StoreError::Database(sqlx::Error::Protocol(format!(
                            "the batch of writes was not committed: {message}"
                        )))));
                }
            }
        }
    }
}

/// Copies what the commits wrote from the WAL into the database, on a connection of its own
/// and beside the writer (WAL lets a checkpoint and a commit run together), at most once per
/// `CHECKPOINT_PACE`. When the writer's own commit did it, every write waiting for the next
/// group commit waited for the copy too, and a longer WAL slows every read. Runs only after
/// commits, so an idle broker runs nothing.
async fn checkpoint_after_commits(
    mut connection: sqlx::sqlite::SqliteConnection,
    commits: &tokio::sync::Notify,
) {
    loop {
        commits.notified().await;
        if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&mut connection)
            .await
        {
            tracing::warn!(%error, "checkpoint after commits failed; the writer's own will follow");
        }
        tokio::time::sleep(CHECKPOINT_PACE).await;
    }
}

async fn insert_job(
    tx: &mut Transaction<'_, Sqlite>,
    job: &WriteJob,
    head: &mut KnownHead,
) -> Result<(), StoreError> {
    match job.as_create() {
        Some(create) => creates::insert_creates(tx, &[create], head).await,
        None => Ok(()),
    }
}

/// Sessions: the trait's methods delegate here.
impl SqliteStore {
    async fn insert_sessions_batched(
        &self,
        group: Option<Uuid>,
        sessions: &[(Session, Vec<LogEntry>)],
        runs: &[(Uuid, NewRun)],
        audit: &[AuditEvent],
        seal: &AuditSeal,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (done, outcome) = tokio::sync::oneshot::channel();
        let job = WriteJob {
            work: Work::Insert {
                group,
                sessions: sessions.to_vec(),
                runs: runs.to_vec(),
                audit: audit.to_vec(),
                seal: seal.clone(),
            },
            now,
            done,
        };
        self.commit(job, outcome).await.map(|_| ())
    }

    /// Hands a write to the committing task and waits for its outcome.
    async fn commit(
        &self,
        job: WriteJob,
        outcome: tokio::sync::oneshot::Receiver<Result<WriteOutcome, StoreError>>,
    ) -> Result<WriteOutcome, StoreError> {
        let began = std::time::Instant::now();
        if self.writes.send(job).await.is_err() {
            return Err(StoreError::Database(sqlx::Error::PoolClosed));
        }
        let outcome = outcome
            .await
            .unwrap_or(Err(StoreError::Database(sqlx::Error::PoolClosed)));
        self.note_commit_wait(began.elapsed());
        outcome
    }

    /// Moves the average wait for a group commit an eighth of the way to `waited`.
    fn note_commit_wait(&self, waited: Duration) {
        let waited = u64::try_from(waited.as_micros()).unwrap_or(u64::MAX);
        let _ =
            self.commit_wait_micros
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |average| {
                    Some(average - average / 8 + waited / 8)
                });
    }

    /// The head start of a read that a write will follow: the recent wait for a group
    /// commit, at most `MOST_HEAD_START`.
    fn head_start(&self) -> Duration {
        Duration::from_micros(self.commit_wait_micros.load(Ordering::Relaxed)).min(MOST_HEAD_START)
    }

    async fn session_by_id(&self, id: Uuid) -> Result<Option<Session>, StoreError> {
        session_on(&mut *self.reader.get().await?, id).await
    }

    async fn approvals_of(&self, session: Option<Uuid>) -> Result<Vec<Approval>, StoreError> {
        let mut reader = self.reader.get().await?;
        match session {
            Some(id) => approvals_on(&mut reader, id).await,
            None => sqlx::query(&format!("{APPROVAL_SELECT} ORDER BY v.decided_at, v.rowid"))
                .fetch_all(&mut *reader)
                .await?
                .iter()
                .map(approval_from_row)
                .collect(),
        }
    }

    async fn approvals_of_many(&self, sessions: &[Uuid]) -> Result<Vec<Approval>, StoreError> {
        let mut approvals = Vec::new();
        // SQLite takes at most 32,766 parameters in one statement.
        for chunk in sessions.chunks(IDS_PER_QUERY) {
            let mut builder = QueryBuilder::<Sqlite>::new(APPROVAL_SELECT);
            builder.push(" WHERE v.session_id IN (");
            let mut list = builder.separated(", ");
            for id in chunk {
                list.push_bind(id.to_string());
            }
            builder.push(") ORDER BY v.decided_at, v.rowid");
            let rows = builder
                .build()
                .fetch_all(&mut *self.reader.get().await?)
                .await?;
            for row in &rows {
                approvals.push(approval_from_row(row)?);
            }
        }
        if sessions.len() > IDS_PER_QUERY {
            approvals.sort_by_key(|a| a.decided_at);
        }
        Ok(approvals)
    }

    async fn log_of(&self, id: Uuid) -> Result<Vec<LogLine>, StoreError> {
        let rows = sqlx::query(
            "SELECT line_number, at, level, actor, message FROM session_log
             WHERE session_seq = (SELECT seq FROM sessions WHERE id = ?) ORDER BY line_number",
        )
        .bind(id.to_string())
        .fetch_all(&mut *self.reader.get().await?)
        .await?;
        rows.iter().map(log_line_from_row).collect()
    }

    async fn due(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<Session>, StoreError> {
        let rows = sqlx::query(&format!(
            "{SESSION_COLUMNS}{SESSION_FROM} WHERE s.due_at IS NOT NULL AND s.due_at <= ? ORDER BY s.due_at LIMIT ?"
        ))
        .bind(ms(now))
        .bind(i64::from(limit))
        .fetch_all(&mut *self.reader.get().await?)
        .await?;
        rows.iter().map(session_from_row).collect()
    }

    async fn earliest_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let earliest: Option<i64> = sqlx::query_scalar(
            // A session is looked at when due, or when its claim lapses if that is later.
            // The first unclaimed one in due order bounds the answer (no later one can be
            // earlier), so only it and the claimed ones before it are read, not every
            // running session waiting for its end.
            "SELECT MIN(MAX(due_at, COALESCE(lease_until + 1, 0))) FROM sessions
                 WHERE due_at IS NOT NULL AND due_at <= COALESCE(
                    (SELECT due_at FROM sessions
                     WHERE due_at IS NOT NULL AND (lease_until IS NULL OR lease_until < due_at)
                     ORDER BY due_at LIMIT 1),
                    9223372036854775807)",
        )
        .fetch_one(&mut *self.reader.get().await?)
        .await?;
        earliest
            .map(|at| {
                DateTime::from_timestamp_millis(at)
                    .ok_or_else(|| corrupt("sessions", format!("due_at: {at} is out of range")))
            })
            .transpose()
    }
}

/// The stored condition for one shown state: Locked is an active state with its lock set, and
/// Available and Logged In are those states without it.
fn state_condition(state: SessionState) -> String {
    match state {
        SessionState::Locked => "(s.locked <> 0 AND s.state IN ('Available', 'LoggedIn'))".into(),
        SessionState::Available | SessionState::LoggedIn => {
            format!("(s.locked = 0 AND s.state = '{}')", state.identifier())
        }
        other => format!("s.state = '{}'", other.identifier()),
    }
}

fn states_condition(states: &[SessionState]) -> String {
    if states.is_empty() {
        return "0".into();
    }
    let parts: Vec<String> = states.iter().map(|s| state_condition(*s)).collect();
    format!("({})", parts.join(" OR "))
}

/// The summary status value of the shown state, for sorting by status.
fn status_value_expression() -> String {
    let mut cases = vec![format!(
        "WHEN s.locked <> 0 AND s.state IN ('Available', 'LoggedIn') THEN {}",
        SessionState::Locked.summary_status().value()
    )];
    for state in SessionState::ALL {
        if state != SessionState::Locked {
            cases.push(format!(
                "WHEN s.state = '{}' THEN {}",
                state.identifier(),
                state.summary_status().value()
            ));
        }
    }
    format!("(CASE {} ELSE 0 END)", cases.join(" "))
}

/// Seconds the session aliased `s` ran, or will run if it has not started:
/// `Session::duration_seconds`, with `now` the one bound parameter it needs.
fn push_duration(builder: &mut QueryBuilder<'_, Sqlite>, now: DateTime<Utc>) {
    push_duration_of(builder, "s", now);
}

/// `SELECT alias.created_by AS account_id, <duration> AS d FROM `: the head of a read of
/// durations per requester (`add_row_durations`), the tables to follow.
fn push_duration_rows(builder: &mut QueryBuilder<'_, Sqlite>, alias: &str, now: DateTime<Utc>) {
    builder.push(format!("SELECT {alias}.created_by AS account_id, "));
    push_duration_of(builder, alias, now);
    builder.push(" AS d FROM ");
}

/// `push_duration` for the session aliased `alias`.
fn push_duration_of(builder: &mut QueryBuilder<'_, Sqlite>, alias: &str, now: DateTime<Utc>) {
    let (before, after) = duration_sql(alias, "MAX");
    builder.push(before);
    builder.push_bind(now.timestamp());
    builder.push(after);
}

/// The page's order column (the direction and tie-breakers follow it).
fn push_order(select: &mut QueryBuilder<'_, Sqlite>, sort: SessionSort, now: DateTime<Utc>) {
    match sort {
        SessionSort::Created => {
            select.push("s.created_at");
        }
        SessionSort::ScheduledStart => {
            select.push("s.scheduled_start_at");
        }
        SessionSort::ScheduledEnd => {
            select.push("s.scheduled_end_at");
        }
        SessionSort::User => {
            select.push("c.name COLLATE NOCASE");
        }
        SessionSort::Resource => {
            select.push("r.name COLLATE NOCASE");
        }
        SessionSort::Activity => {
            select.push("a.name COLLATE NOCASE");
        }
        SessionSort::Status => {
            select.push(status_value_expression());
        }
        SessionSort::Duration => push_duration(select, now),
        SessionSort::Id => {
            select.push("s.id");
        }
        SessionSort::LoginAccount => {
            select.push("s.login_account_name COLLATE NOCASE");
        }
    }
}

/// ` LIMIT ... OFFSET ...` after the query's take and skip (no take: every row).
fn push_page(select: &mut QueryBuilder<'_, Sqlite>, query: &SessionQuery) {
    select.push_bind(
        query
            .take
            .map_or(-1, |take| i64::try_from(take).unwrap_or(i64::MAX)),
    );
    select.push(" OFFSET ");
    select.push_bind(i64::try_from(query.skip).unwrap_or(i64::MAX));
}

/// Below this many characters the trigram index cannot help, and LIKE tests each row instead.
const TRIGRAM: usize = 3;

/// A scope (the sessions the filters other than the free text allow) this small is searched
/// by walking it: cheaper than the text index, whose matches may lie mostly outside it.
const SMALL_SCOPE: i64 = 10_000;

/// A scope this small is read whole by walking it when every match must be read (the
/// summary): beyond it the text index costs less than testing every session's row.
const SMALL_SCOPE_TO_READ: i64 = 1_000;

/// The requester's index, which also holds the folded note and ticket.
const CREATOR_INDEX: &str = " INDEXED BY sessions_by_creator";

/// A page in created order walks the created-time index and tests each session when at least
/// one session in this many matches; rarer matches are gathered from the indexes and sorted.
const SPARSE: i64 = 64;

/// Matches this rare, and no more than this many, are gathered from the indexes and sorted.
const GATHER_AT_MOST: i64 = 20_000;

/// A free text split by where its words live, with the conditions SQLite tests it by.
type TextMatch = super::common::TextMatch<String>;

impl TextMatch {
    /// Whether the trigram index can find the text in notes and tickets.
    fn indexable(&self) -> bool {
        self.folded.chars().count() >= TRIGRAM
    }

    /// The text as one FTS5 phrase: with the trigram tokenizer, a substring.
    fn phrase(&self) -> String {
        format!("\"{}\"", self.folded.replace('"', "\"\""))
    }

    /// `(...)`: the session (or tally row) aliased `s` has a matching name or state; `(0)`
    /// when nothing is named. Only the terms that exist are written, so that SQLite can take
    /// each from its index (a constant term would make it test every row).
    fn push_names(&self, builder: &mut QueryBuilder<'_, Sqlite>) {
        builder.push("(");
        let mut joiner = "";
        for (column, ids) in [
            ("s.created_by", &self.users),
            ("s.resource_id", &self.resources),
            ("s.activity_id", &self.activities),
        ] {
            if !ids.is_empty() {
                push_in_list(builder, joiner, column, ids);
                joiner = " OR ";
            }
        }
        if !self.states.is_empty() {
            builder.push(joiner);
            builder.push(states_condition(&self.states));
            joiner = " OR ";
        }
        if joiner.is_empty() {
            builder.push("0");
        }
        builder.push(")");
    }

    /// `(...)`: the session aliased `s` matches the text anywhere. The note test is a row
    /// test (a unary `+` keeps SQLite from planning around it): used on walks and scans.
    fn push_anywhere(&self, builder: &mut QueryBuilder<'_, Sqlite>) {
        builder.push("(");
        if self.names_anything() {
            self.push_names(builder);
            builder.push(" OR ");
        }
        self.push_note_test(builder);
        builder.push(")");
    }

    /// The session aliased `s` holds the text in its note or ticket, tested on the row (or
    /// on an index that holds the text). `instr` rather than LIKE: the text and the row's
    /// are both folded, so a plain substring test answers the same, and it costs less than
    /// LIKE's pattern walk on each of the many rows a summary tests.
    fn push_note_test(&self, builder: &mut QueryBuilder<'_, Sqlite>) {
        builder.push("instr(s.search_text, ");
        builder.push_bind(self.folded.clone());
        builder.push(") > 0");
    }

    /// `(...)`: the session aliased `s` matches the text anywhere, each part as an indexed
    /// set (id lists and the text index), so that SQLite visits only the matching sessions:
    /// for reads of every match (aggregates) rather than walks of a page.
    fn push_indexed(&self, builder: &mut QueryBuilder<'_, Sqlite>) {
        if !self.indexable() {
            self.push_anywhere(builder);
            return;
        }
        builder.push("(");
        if self.names_anything() {
            self.push_names(builder);
            builder.push(" OR ");
        }
        builder.push("s.seq IN (");
        self.push_note_rows(builder);
        builder.push("))");
    }

    /// The rowids of the sessions whose note or ticket holds the text, from the index.
    fn push_note_rows(&self, builder: &mut QueryBuilder<'_, Sqlite>) {
        builder.push("SELECT rowid FROM session_text WHERE session_text MATCH ");
        builder.push_bind(self.phrase());
    }

    /// `session_text MATCH ...` for the text index joined to the session aliased `s`: the
    /// notes that hold a few of the text's trigrams, a superset of those holding the text,
    /// so every row it finds must also pass `push_note_test`. For reads of every match's row
    /// (aggregates): the index answers without the trigrams' positions, about three times
    /// faster than the phrase, and the row the test reads is read for the aggregate anyway.
    fn push_note_candidates(&self, builder: &mut QueryBuilder<'_, Sqlite>) {
        builder.push("session_text MATCH ");
        builder.push_bind(self.trigrams_query());
    }

    /// The trigrams starting every third character, and the last: together they cover the
    /// text, each as a one-token phrase (a quoted trigram), joined by AND.
    fn trigrams_query(&self) -> String {
        let chars: Vec<char> = self.folded.chars().collect();
        let last = chars.len().saturating_sub(TRIGRAM);
        let mut starts: Vec<usize> = (0..=last).step_by(TRIGRAM).collect();
        if starts.last() != Some(&last) {
            starts.push(last);
        }
        starts
            .into_iter()
            .map(|start| {
                let trigram: String = chars[start..start + TRIGRAM].iter().collect();
                format!("\"{}\"", trigram.replace('"', "\"\""))
            })
            .collect::<Vec<_>>()
            .join(" AND ")
    }
}

fn push_in_list(
    builder: &mut QueryBuilder<'_, Sqlite>,
    joiner: &str,
    column: &str,
    ids: &[String],
) {
    if ids.is_empty() {
        return;
    }
    builder.push(format!("{joiner}{column} IN ("));
    let mut list = builder.separated(", ");
    for id in ids {
        list.push_bind(id.clone());
    }
    builder.push(")");
}

/// A query's filters with the names it gives resolved to ids (from the small catalog
/// tables), so that the session table is filtered by its own indexed columns only.
struct Resolved {
    query: SessionQuery,
    /// `None`: no such filter; `Some(empty)`: nothing can match.
    users: Option<Vec<String>>,
    resources: Option<Vec<String>>,
    activities: Option<Vec<String>>,
    text: Option<TextMatch>,
    /// The number of sessions the filters other than the text select, once read (Search
    /// asks for it for its summary and again for its page).
    scope: std::sync::OnceLock<i64>,
}

impl Resolved {
    fn matches_nothing(&self) -> bool {
        [&self.users, &self.resources, &self.activities]
            .iter()
            .any(|ids| ids.as_ref().is_some_and(Vec::is_empty))
    }

    /// Whether the tally (counts by requester, resource, activity, state and lock) can answer
    /// for the filters: all but the period are on its columns.
    fn tally_answers(&self) -> bool {
        self.query.from.is_none() && self.query.to.is_none()
    }

    /// Whether any filter other than the free text is set.
    fn filtered(&self) -> bool {
        let query = &self.query;
        query.created_by.is_some()
            || query.resource_id.is_some()
            || !query.states.is_empty()
            || query.finished.is_some()
            || self.users.is_some()
            || self.resources.is_some()
            || self.activities.is_some()
            || query.from.is_some()
            || query.to.is_some()
    }

    /// ` WHERE ...` for the sessions table aliased `s`, every filter and the free text.
    fn push_where(&self, builder: &mut QueryBuilder<'_, Sqlite>) {
        self.push_filters(builder);
        if let Some(text) = &self.text {
            builder.push(" AND ");
            text.push_anywhere(builder);
        }
    }

    /// ` WHERE ...` for the sessions table aliased `s`, every filter and the free text as
    /// indexed sets: for reads of every match.
    fn push_where_indexed(&self, builder: &mut QueryBuilder<'_, Sqlite>) {
        self.push_filters(builder);
        if let Some(text) = &self.text {
            builder.push(" AND ");
            text.push_indexed(builder);
        }
    }

    /// ` WHERE ...` with every filter but the free text, for the sessions table or the tally
    /// (aliased `s`; the tally only without a period).
    fn push_filters(&self, builder: &mut QueryBuilder<'_, Sqlite>) {
        let query = &self.query;
        builder.push(" WHERE 1");
        if let Some(account) = query.created_by {
            builder.push(" AND s.created_by = ");
            builder.push_bind(account.to_string());
        }
        if let Some(resource) = query.resource_id {
            builder.push(" AND s.resource_id = ");
            builder.push_bind(resource.to_string());
        }
        if !query.states.is_empty() {
            builder.push(" AND ");
            builder.push(states_condition(&query.states));
        }
        match query.finished {
            Some(true) => {
                builder.push(format!(" AND s.state IN ({})", final_identifiers()));
            }
            Some(false) => {
                builder.push(format!(" AND s.state NOT IN ({})", final_identifiers()));
            }
            None => {}
        }
        for (column, ids) in [
            ("s.created_by", &self.users),
            ("s.resource_id", &self.resources),
            ("s.activity_id", &self.activities),
        ] {
            if let Some(ids) = ids {
                push_in_list(builder, " AND ", column, ids);
            }
        }
        if let Some(from) = query.from {
            builder.push(" AND COALESCE(s.actual_end_at, s.scheduled_end_at) >= ");
            builder.push_bind(ms(from));
        }
        if let Some(to) = query.to {
            builder.push(" AND COALESCE(s.actual_start_at, s.scheduled_start_at) <= ");
            builder.push_bind(ms(to));
        }
    }

    /// The index a walk in created order takes: the requester's own when the scope is one
    /// requester's sessions, else the created-time index when nothing else narrows it.
    fn walk_index(&self) -> &'static str {
        let query = &self.query;
        let only_requester = query.created_by.is_some()
            && query.resource_id.is_none()
            && self.resources.is_none()
            && self.activities.is_none()
            && self.users.is_none()
            && query.from.is_none()
            && query.to.is_none();
        if only_requester {
            CREATOR_INDEX
        } else if !self.filtered() {
            " INDEXED BY sessions_by_created"
        } else {
            ""
        }
    }
}

/// How many sessions match, and how many the filters other than the text allow (the scope,
/// when the tally knows it).
struct Matches {
    total: i64,
    scope: Option<i64>,
}

const SESSION_FROM: &str = " FROM sessions s
    JOIN activities a ON a.id = s.activity_id
    JOIN resources r ON r.id = s.resource_id
    JOIN policies p ON p.id = s.policy_id
    JOIN accounts c ON c.id = s.created_by
    LEFT JOIN accounts x ON x.id = s.cancelled_by";

/// Session queries: the trait's methods delegate here.
impl SqliteStore {
    async fn resolve(
        &self,
        db: &mut SqliteConnection,
        query: &SessionQuery,
    ) -> Result<Resolved, StoreError> {
        let users = if query.users.is_empty() {
            None
        } else {
            let rows = sqlx::query("SELECT id, name, display_name FROM accounts")
                .fetch_all(&mut *db)
                .await?;
            let mut ids = Vec::new();
            for row in &rows {
                let name: String = row.try_get("name")?;
                let display: String = row.try_get("display_name")?;
                if query
                    .users
                    .iter()
                    .any(|u| names_user(&name, u) || names_user(&display, u))
                {
                    ids.push(row.try_get::<String, _>("id")?);
                }
            }
            Some(ids)
        };
        let resources = self
            .ids_named(
                db,
                "SELECT id FROM resources WHERE name = ?1 COLLATE NOCASE
                    OR display_name = ?1 COLLATE NOCASE OR id = lower(?1)",
                &query.resources,
            )
            .await?;
        let mut activities = self
            .ids_named(
                db,
                "SELECT id FROM activities WHERE name = ?1 COLLATE NOCASE OR id = lower(?1)",
                &query.activities,
            )
            .await?;
        if let Some(of_platforms) = self
            .ids_named(
                db,
                "SELECT id FROM activities WHERE platform = ?1 COLLATE NOCASE",
                &query.platforms,
            )
            .await?
        {
            activities = Some(match activities {
                None => of_platforms,
                Some(named) => named
                    .into_iter()
                    .filter(|id| of_platforms.contains(id))
                    .collect(),
            });
        }
        let text = match query.text.as_deref() {
            Some(text) if !text.is_empty() => Some(self.text_match(db, text).await?),
            _ => None,
        };
        Ok(Resolved {
            query: query.clone(),
            users,
            resources,
            activities,
            text,
            scope: std::sync::OnceLock::new(),
        })
    }

    /// Splits the free text: the names that contain it are found in the catalog tables (small:
    /// people, systems and activities, not sessions) and compared case-folded in Rust, as the
    /// notes are folded when written.
    async fn text_match(
        &self,
        db: &mut SqliteConnection,
        text: &str,
    ) -> Result<TextMatch, StoreError> {
        let names = self.catalog_names(db).await?;
        Ok(TextMatch::new(text, names.iter().cloned()))
    }

    /// The catalog's names, read once and kept until `replace_catalog` (the only writer of
    /// accounts, resources and activities) changes them: every free-text search needs them.
    async fn catalog_names(
        &self,
        db: &mut SqliteConnection,
    ) -> Result<Arc<[CatalogName]>, StoreError> {
        if let Some(names) = kept(&self.names) {
            return Ok(names);
        }
        let version = self.catalog_version.load(Ordering::SeqCst);
        let rows: Vec<CatalogName> = sqlx::query_as(CATALOG_NAMES).fetch_all(&mut *db).await?;
        let names: Arc<[CatalogName]> = rows.into();
        self.keep(&self.names, &names, version);
        Ok(names)
    }

    /// The ids `sql` (with the name as `?1`) finds for any of `names`; `None` when there are
    /// no names (no filter).
    async fn ids_named(
        &self,
        db: &mut SqliteConnection,
        sql: &str,
        names: &[String],
    ) -> Result<Option<Vec<String>>, StoreError> {
        if names.is_empty() {
            return Ok(None);
        }
        let mut ids = Vec::new();
        for name in names {
            let found: Vec<String> = sqlx::query_scalar(sql)
                .bind(name.trim())
                .fetch_all(&mut *db)
                .await?;
            for id in found {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        Ok(Some(ids))
    }

    /// The sessions matching the query, counted from the tally and the text index when they
    /// can answer, else from the sessions table.
    async fn matches(
        &self,
        db: &mut SqliteConnection,
        resolved: &Resolved,
    ) -> Result<Matches, StoreError> {
        if !resolved.tally_answers() {
            return Ok(Matches {
                total: self.count_rows(db, resolved, false).await?,
                scope: None,
            });
        }
        let scope = self.scope(db, resolved).await?;
        let Some(text) = &resolved.text else {
            return Ok(Matches {
                total: scope,
                scope: Some(scope),
            });
        };
        if scope == 0 {
            return Ok(Matches {
                total: 0,
                scope: Some(0),
            });
        }
        if scope <= SMALL_SCOPE || !text.indexable() {
            return Ok(Matches {
                total: self.count_rows(db, resolved, true).await?,
                scope: Some(scope),
            });
        }
        // The names' part from the tally, plus the notes that match in sessions no name of
        // which did (so that none is counted twice).
        let mut by_names = 0;
        if text.names_anything() {
            let mut tally =
                QueryBuilder::<Sqlite>::new("SELECT COALESCE(SUM(n), 0) FROM session_tally s");
            resolved.push_filters(&mut tally);
            tally.push(" AND ");
            text.push_names(&mut tally);
            by_names = tally.build_query_scalar().fetch_one(&mut *db).await?;
        }
        let by_notes: i64 = if !resolved.filtered() && !text.names_anything() {
            let mut notes = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM (");
            text.push_note_rows(&mut notes);
            notes.push(")");
            notes.build_query_scalar().fetch_one(&mut *db).await?
        } else {
            let mut notes = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM sessions s");
            resolved.push_filters(&mut notes);
            notes.push(" AND s.seq IN (");
            text.push_note_rows(&mut notes);
            notes.push(")");
            if text.names_anything() {
                notes.push(" AND NOT ");
                text.push_names(&mut notes);
            }
            notes.build_query_scalar().fetch_one(&mut *db).await?
        };
        Ok(Matches {
            total: by_names + by_notes,
            scope: Some(scope),
        })
    }

    /// How many sessions the filters other than the free text allow, from the tally (so
    /// only for queries without a period).
    async fn scope(
        &self,
        db: &mut SqliteConnection,
        resolved: &Resolved,
    ) -> Result<i64, StoreError> {
        if let Some(scope) = resolved.scope.get() {
            return Ok(*scope);
        }
        let mut tally =
            QueryBuilder::<Sqlite>::new("SELECT COALESCE(SUM(n), 0) FROM session_tally s");
        resolved.push_filters(&mut tally);
        let scope = tally.build_query_scalar().fetch_one(&mut *db).await?;
        Ok(*resolved.scope.get_or_init(|| scope))
    }

    /// Counts the matching sessions themselves: in a small scope by walking it and testing
    /// each, else through the indexed sets of the text.
    async fn count_rows(
        &self,
        db: &mut SqliteConnection,
        resolved: &Resolved,
        small_scope: bool,
    ) -> Result<i64, StoreError> {
        let mut count = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM sessions s");
        if small_scope {
            if resolved.text.is_some() {
                count.push(resolved.walk_index());
            }
            resolved.push_where(&mut count);
        } else {
            resolved.push_where_indexed(&mut count);
        }
        Ok(count.build_query_scalar().fetch_one(&mut *db).await?)
    }

    async fn search(&self, query: &SessionQuery) -> Result<SessionPage, StoreError> {
        let mut lent = self.reader.get().await?;
        let db = &mut *lent;
        let resolved = self.resolve(db, query).await?;
        self.search_resolved(db, &resolved, None).await
    }

    /// `search` of a resolved query, with its total when already counted.
    async fn search_resolved(
        &self,
        db: &mut SqliteConnection,
        resolved: &Resolved,
        known_total: Option<u64>,
    ) -> Result<SessionPage, StoreError> {
        let query = &resolved.query;
        if resolved.matches_nothing() {
            return Ok(SessionPage::default());
        }
        let Matches { total, scope } = match known_total {
            Some(known) => Matches {
                total: i64::try_from(known).unwrap_or(i64::MAX),
                scope: if resolved.tally_answers() {
                    Some(self.scope(db, resolved).await?)
                } else {
                    None
                },
            },
            None => self.matches(db, resolved).await?,
        };
        let page_total = u64::try_from(total).unwrap_or(0);
        if query.take == Some(0) || total == 0 {
            return Ok(SessionPage {
                sessions: Vec::new(),
                total: page_total,
            });
        }
        let direction = if query.descending { "DESC" } else { "ASC" };
        let mut select = QueryBuilder::<Sqlite>::new(SESSION_COLUMNS);
        select.push(SESSION_FROM);
        match (&resolved.text, query.sort) {
            (Some(text), SessionSort::Created) => {
                // The page's rows first, from the sessions alone, then their columns.
                select.push(" WHERE s.seq IN (SELECT s.seq FROM sessions s");
                let walk =
                    scope.is_none_or(|scope| scope <= SMALL_SCOPE || total * SPARSE >= scope);
                if walk || !text.indexable() || total > GATHER_AT_MOST {
                    select.push(resolved.walk_index());
                    resolved.push_where(&mut select);
                } else {
                    // Rare matches: the sessions of each matching name and each note match,
                    // from their indexes, filtered and sorted.
                    resolved.push_filters(&mut select);
                    select.push(" AND s.seq IN (");
                    text.push_note_rows(&mut select);
                    for (column, ids) in [
                        ("created_by", &text.users),
                        ("resource_id", &text.resources),
                        ("activity_id", &text.activities),
                    ] {
                        push_in_list(
                            &mut select,
                            " UNION ALL SELECT seq FROM sessions WHERE ",
                            column,
                            ids,
                        );
                    }
                    if !text.states.is_empty() {
                        select.push(" UNION ALL SELECT seq FROM sessions s WHERE ");
                        select.push(states_condition(&text.states));
                    }
                    select.push(")");
                }
                select.push(format!(
                    " ORDER BY s.created_at {direction}, s.id {direction} LIMIT "
                ));
                push_page(&mut select, query);
                select.push(format!(
                    ") ORDER BY s.created_at {direction}, s.id {direction}"
                ));
            }
            _ => {
                resolved.push_where(&mut select);
                select.push(" ORDER BY ");
                push_order(&mut select, query.sort, query.now.unwrap_or_default());
                if query.sort == SessionSort::Created {
                    select.push(format!(" {direction}, s.id {direction} LIMIT "));
                } else {
                    select.push(format!(
                        " {direction}, s.created_at {direction}, s.id {direction} LIMIT "
                    ));
                }
                push_page(&mut select, query);
            }
        }
        let rows = select.build().fetch_all(&mut *db).await?;
        Ok(SessionPage {
            sessions: rows
                .iter()
                .map(session_from_row)
                .collect::<Result<_, _>>()?,
            total: page_total,
        })
    }

    async fn count_by_state(
        &self,
        query: &SessionQuery,
    ) -> Result<Vec<(SessionState, u64)>, StoreError> {
        let mut lent = self.reader.get().await?;
        let db = &mut *lent;
        let resolved = self.resolve(db, query).await?;
        if resolved.matches_nothing() {
            return Ok(Vec::new());
        }
        let mut builder = if resolved.tally_answers() && resolved.text.is_none() {
            let mut builder = QueryBuilder::<Sqlite>::new(
                "SELECT s.state, s.locked, SUM(s.n) AS n FROM session_tally s",
            );
            resolved.push_filters(&mut builder);
            // Groups whose sessions all moved on leave rows at zero.
            builder.push(" GROUP BY s.state, s.locked HAVING SUM(s.n) > 0");
            builder
        } else {
            let mut builder = QueryBuilder::<Sqlite>::new(
                "SELECT s.state, s.locked, COUNT(*) AS n FROM sessions s",
            );
            resolved.push_where(&mut builder);
            builder.push(" GROUP BY s.state, s.locked");
            builder
        };
        let rows = builder.build().fetch_all(&mut *db).await?;
        let mut counts: Vec<(SessionState, u64)> = Vec::new();
        for row in &rows {
            let state: String = row.try_get("state")?;
            let locked: bool = row.try_get("locked")?;
            let n: i64 = row.try_get("n")?;
            let shown = SessionState::from_identifier(&state)
                .ok_or_else(|| corrupt("sessions", format!("state: {state}")))?
                .shown(locked);
            let n = u64::try_from(n).unwrap_or(0);
            match counts.iter_mut().find(|(s, _)| *s == shown) {
                Some((_, total)) => *total += n,
                None => counts.push((shown, n)),
            }
        }
        Ok(counts)
    }

    async fn durations(
        &self,
        query: &SessionQuery,
        now: DateTime<Utc>,
        top_users: Option<u64>,
    ) -> Result<(Durations, Vec<UserDurations>), StoreError> {
        let mut lent = self.reader.get().await?;
        let db = &mut *lent;
        let resolved = self.resolve(db, query).await?;
        self.durations_resolved(db, &resolved, now, top_users).await
    }

    /// `durations` of a resolved query.
    async fn durations_resolved(
        &self,
        db: &mut SqliteConnection,
        resolved: &Resolved,
        now: DateTime<Utc>,
        top_users: Option<u64>,
    ) -> Result<(Durations, Vec<UserDurations>), StoreError> {
        if resolved.matches_nothing() {
            return Ok((Durations::default(), Vec::new()));
        }
        // Split by requester only for the top users: a split sorts every match.
        let split = top_users != Some(0);
        let per_requester = match self.durations_from_tally(db, resolved, now, split).await? {
            Some(parts) => parts,
            None => {
                // A period filter (or a clock behind a start): every match is read.
                let walk = resolved.text.is_some()
                    && resolved.tally_answers()
                    && self.scope(db, resolved).await? <= SMALL_SCOPE;
                let every_match = |rows: &mut QueryBuilder<'_, Sqlite>| {
                    push_duration_rows(rows, "s", now);
                    rows.push("sessions s");
                    if walk {
                        rows.push(resolved.walk_index());
                        resolved.push_where(rows);
                    } else {
                        resolved.push_where_indexed(rows);
                    }
                };
                let mut parts = HashMap::new();
                self.add_row_durations(db, every_match, split, &mut parts)
                    .await?;
                parts
            }
        };
        let mut summary = DurationPart::default();
        for part in per_requester.values() {
            summary.add(*part);
        }
        let mut users = Vec::new();
        if split {
            let mut ranked: Vec<(String, DurationPart)> = per_requester
                .into_iter()
                .filter(|(_, part)| part.count > 0)
                .collect();
            ranked.sort_by(|(a, x), (b, y)| {
                y.count.cmp(&x.count).then(y.sum.cmp(&x.sum)).then(a.cmp(b))
            });
            if let Some(top) = top_users {
                ranked.truncate(usize::try_from(top).unwrap_or(usize::MAX));
            }
            let names = self
                .account_names(db, ranked.iter().map(|(id, _)| id.as_str()))
                .await?;
            for (id, part) in ranked {
                users.push(UserDurations {
                    account_id: Uuid::parse_str(&id)
                        .map_err(|_| corrupt("sessions", format!("created_by: {id}")))?,
                    name: names.get(&id).cloned().unwrap_or_default(),
                    durations: part.durations(),
                });
            }
        }
        Ok((summary.durations(), users))
    }

    /// The durations of the matches per requester, from the tally's groups, the rows of the
    /// sessions that match by note alone, and the rows of stale groups for their extremes;
    /// `None` when the tally cannot answer (a period filter, or a running session that
    /// started after `now`, whose duration the rule clamps at zero).
    async fn durations_from_tally(
        &self,
        db: &mut SqliteConnection,
        resolved: &Resolved,
        now: DateTime<Utc>,
        split: bool,
    ) -> Result<Option<HashMap<String, DurationPart>>, StoreError> {
        if !resolved.tally_answers() {
            return Ok(None);
        }
        let now_second = now.timestamp();
        let text = resolved.text.as_ref();
        let by_names = text.is_none_or(TextMatch::names_anything);
        let mut parts: HashMap<String, DurationPart> = HashMap::new();
        if by_names {
            let push_groups = |builder: &mut QueryBuilder<'_, Sqlite>| {
                resolved.push_filters(builder);
                if let Some(text) = text {
                    builder.push(" AND ");
                    text.push_names(builder);
                }
                builder.push(" AND s.n > 0");
            };
            let mut groups = QueryBuilder::<Sqlite>::new(if split {
                "SELECT s.created_by AS account_id,"
            } else {
                "SELECT '' AS account_id,"
            });
            groups.push(
                " COALESCE(SUM(s.fixed_n), 0) AS fixed_n,
                    COALESCE(SUM(s.fixed_sum), 0) AS fixed_sum,
                    MIN(CASE WHEN s.stale = 0 THEN s.fixed_min END) AS fixed_min,
                    MAX(CASE WHEN s.stale = 0 THEN s.fixed_max END) AS fixed_max,
                    COALESCE(SUM(s.run_n), 0) AS run_n, COALESCE(SUM(s.run_sum), 0) AS run_sum,
                    MIN(CASE WHEN s.stale = 0 THEN s.run_min END) AS run_min,
                    MAX(CASE WHEN s.stale = 0 THEN s.run_max END) AS run_max,
                    MAX(s.run_max) AS latest_start, COALESCE(SUM(s.stale <> 0), 0) AS stale
                 FROM session_tally s",
            );
            push_groups(&mut groups);
            if split {
                groups.push(" GROUP BY s.created_by");
            }
            let mut any_stale = false;
            let rows = groups.build().fetch_all(&mut *db).await?;
            for row in rows {
                let latest_start: Option<i64> = row.try_get("latest_start")?;
                if latest_start.is_some_and(|start| start > now_second) {
                    return Ok(None);
                }
                any_stale |= row.try_get::<i64, _>("stale")? > 0;
                let run_n: i64 = row.try_get("run_n")?;
                let run_sum: i64 = row.try_get("run_sum")?;
                let run_min: Option<i64> = row.try_get("run_min")?;
                let run_max: Option<i64> = row.try_get("run_max")?;
                let part = parts.entry(row.try_get("account_id")?).or_default();
                part.add(DurationPart {
                    count: row.try_get("fixed_n")?,
                    sum: row.try_get("fixed_sum")?,
                    min: row.try_get("fixed_min")?,
                    max: row.try_get("fixed_max")?,
                });
                part.add(DurationPart {
                    count: run_n,
                    sum: run_n * now_second - run_sum,
                    min: run_max.map(|start| now_second - start),
                    max: run_min.map(|start| now_second - start),
                });
            }
            if any_stale {
                self.stale_seen.store(true, Ordering::SeqCst);
                // Groups a shortest or longest session left: their extremes from their rows.
                let stale_rows = |rows: &mut QueryBuilder<'_, Sqlite>| {
                    push_duration_rows(rows, "x", now);
                    // Group by group (CROSS JOIN keeps the loops in this order), each
                    // group's rows by `sessions_by_tally_group`: only the stale groups' rows
                    // are read, however many sessions their filters' other indexes hold.
                    rows.push(
                        "session_tally s CROSS JOIN sessions x INDEXED BY sessions_by_tally_group
                            ON x.created_by = s.created_by
                            AND x.resource_id = s.resource_id AND x.activity_id = s.activity_id
                            AND x.state = s.state AND x.locked = s.locked",
                    );
                    push_groups(rows);
                    rows.push(" AND s.stale <> 0");
                };
                let mut extremes = HashMap::new();
                self.add_row_durations(db, stale_rows, split, &mut extremes)
                    .await?;
                for (account, found) in extremes {
                    let part = parts.entry(account).or_default();
                    part.add(DurationPart {
                        count: 0,
                        sum: 0,
                        ..found
                    });
                }
            }
        }
        let by_names: i64 = parts.values().map(|part| part.count).sum();
        if let Some(text) = text {
            let scope = self.scope(db, resolved).await?;
            if by_names >= scope {
                // The names matched every session in scope: no note can add one.
                return Ok(Some(parts));
            }
            // The sessions that match by note or ticket alone: every one is read, so a walk
            // pays for the whole scope; it is cheaper than the text index only in a small
            // scope, or in one requester's, whose index holds the text.
            let walk = !text.indexable()
                || scope <= SMALL_SCOPE_TO_READ
                || (resolved.walk_index() == CREATOR_INDEX && scope <= SMALL_SCOPE);
            let note_rows = |rows: &mut QueryBuilder<'_, Sqlite>| {
                push_duration_rows(rows, "s", now);
                if walk {
                    rows.push("sessions s");
                    rows.push(resolved.walk_index());
                    resolved.push_filters(rows);
                } else {
                    // From the text index to the rows in rowid order (CROSS JOIN keeps the
                    // order of the loops); each candidate is then tested for the text itself.
                    rows.push("session_text CROSS JOIN sessions s ON s.seq = session_text.rowid");
                    resolved.push_filters(rows);
                    rows.push(" AND ");
                    text.push_note_candidates(rows);
                }
                rows.push(" AND ");
                text.push_note_test(rows);
                if text.names_anything() {
                    rows.push(" AND NOT ");
                    text.push_names(rows);
                }
            };
            self.add_row_durations(db, note_rows, split, &mut parts)
                .await?;
        }
        Ok(Some(parts))
    }

    /// Adds up, per requester, the durations of the rows `push_rows` selects (`account_id`,
    /// `d`).
    async fn add_row_durations(
        &self,
        db: &mut SqliteConnection,
        push_rows: impl FnOnce(&mut QueryBuilder<'_, Sqlite>),
        split: bool,
        parts: &mut HashMap<String, DurationPart>,
    ) -> Result<(), StoreError> {
        let mut per_requester = QueryBuilder::<Sqlite>::new(if split {
            "SELECT t.account_id,"
        } else {
            "SELECT '' AS account_id,"
        });
        per_requester.push(
            " COUNT(*) AS n, COALESCE(SUM(t.d), 0) AS total, MIN(t.d) AS least,
                MAX(t.d) AS most FROM (",
        );
        push_rows(&mut per_requester);
        // `LIMIT -1` (no limit) keeps SQLite from flattening the subquery into the
        // aggregates, which would work out each row's duration once per aggregate: a fifth
        // of a summary's time over 12,800 matches.
        per_requester.push(" LIMIT -1) t");
        if split {
            per_requester.push(" GROUP BY t.account_id");
        }
        let rows = per_requester.build().fetch_all(&mut *db).await?;
        for row in rows {
            parts
                .entry(row.try_get("account_id")?)
                .or_default()
                .add(DurationPart {
                    count: row.try_get("n")?,
                    sum: row.try_get("total")?,
                    min: row.try_get("least")?,
                    max: row.try_get("most")?,
                });
        }
        Ok(())
    }

    /// The login names of these accounts, by id.
    async fn account_names(
        &self,
        db: &mut SqliteConnection,
        ids: impl Iterator<Item = &str>,
    ) -> Result<HashMap<String, String>, StoreError> {
        let ids: Vec<String> = ids.map(str::to_owned).collect();
        let mut names = HashMap::new();
        if ids.is_empty() {
            return Ok(names);
        }
        let mut select = QueryBuilder::<Sqlite>::new("SELECT id, name FROM accounts WHERE ");
        push_in_list(&mut select, "", "id", &ids);
        let rows = select.build().fetch_all(&mut *db).await?;
        for row in rows {
            names.insert(row.try_get("id")?, row.try_get("name")?);
        }
        Ok(names)
    }

    async fn candidates(&self, account: Uuid, role: Role) -> Result<Vec<Session>, StoreError> {
        let rows = sqlx::query(&format!(
            "{SESSION_COLUMNS}{SESSION_FROM}
             WHERE s.state = 'WaitingForApproval' AND s.created_by <> ?1 AND p.retired_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM approvals v WHERE v.session_id = s.id AND v.approver_id = ?1)
               AND (EXISTS (SELECT 1 FROM approval_tier_approvers t
                            WHERE t.policy_id = s.policy_id AND (t.account_id = ?1 OR t.role = ?2))
                    OR (?2 = 'Admin' AND p.admins_may_approve <> 0))
             ORDER BY s.created_at, s.id"
        ))
        .bind(account.to_string())
        .bind(role.as_str())
        .fetch_all(&mut *self.reader.get().await?)
        .await?;
        rows.iter().map(session_from_row).collect()
    }
}

/// A session by its id, on `reader`.
async fn session_on(
    reader: &mut SqliteConnection,
    id: Uuid,
) -> Result<Option<Session>, StoreError> {
    sqlx::query(&format!("{SESSION_COLUMNS}{SESSION_FROM} WHERE s.id = ?"))
        .bind(id.to_string())
        .fetch_optional(reader)
        .await?
        .as_ref()
        .map(session_from_row)
        .transpose()
}

/// The token with this digest, on `db`.
async fn token_on(
    db: &mut SqliteConnection,
    digest: &str,
) -> Result<Option<TokenRecord>, StoreError> {
    sqlx::query("SELECT * FROM tokens WHERE token_digest = ?")
        .bind(digest)
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(token_from_row)
        .transpose()
}

/// The account with this id unless it is retired, on `db`.
async fn account_on(db: &mut SqliteConnection, id: Uuid) -> Result<Option<Account>, StoreError> {
    sqlx::query("SELECT * FROM accounts WHERE id = ? AND retired_at IS NULL")
        .bind(id.to_string())
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(account_from_row)
        .transpose()
}

/// A session and the decisions on it, on one connection.
async fn session_with_approvals_on(
    db: &mut SqliteConnection,
    id: Uuid,
) -> Result<Option<(Session, Vec<Approval>)>, StoreError> {
    let Some(session) = session_on(db, id).await? else {
        return Ok(None);
    };
    Ok(Some((session, approvals_on(db, id).await?)))
}

/// The decisions on a session in the order they were made, on `reader`.
async fn approvals_on(
    reader: &mut SqliteConnection,
    id: Uuid,
) -> Result<Vec<Approval>, StoreError> {
    sqlx::query(&format!(
        "{APPROVAL_SELECT} WHERE v.session_id = ? ORDER BY v.decided_at, v.rowid"
    ))
    .bind(id.to_string())
    .fetch_all(reader)
    .await?
    .iter()
    .map(approval_from_row)
    .collect()
}

/// A page of a session's log and how many lines match in all, on `reader`.
async fn log_page(
    reader: &mut SqliteConnection,
    id: Uuid,
    query: &LogQuery,
) -> Result<(Vec<LogLine>, u64), StoreError> {
    let push_where = |builder: &mut QueryBuilder<'_, Sqlite>| {
        builder.push(" FROM session_log WHERE session_seq = (SELECT seq FROM sessions WHERE id = ");
        builder.push_bind(id.to_string());
        builder.push(")");
        if let Some(level) = query.min_level {
            builder.push(" AND level >= ");
            builder.push_bind(level.value());
        }
        if let Some(from) = query.from {
            builder.push(" AND at >= ");
            builder.push_bind(ms(from));
        }
        if let Some(to) = query.to {
            builder.push(" AND at <= ");
            builder.push_bind(ms(to));
        }
        if let Some(text) = query.text.as_deref().filter(|t| !t.is_empty()) {
            builder.push(" AND (message LIKE ");
            builder.push_bind(like_pattern(text));
            builder.push(" ESCAPE '\\' OR actor LIKE ");
            builder.push_bind(like_pattern(text));
            builder.push(" ESCAPE '\\')");
        }
    };
    let mut count = QueryBuilder::<Sqlite>::new("SELECT COUNT(*)");
    push_where(&mut count);
    let total: i64 = count.build_query_scalar().fetch_one(&mut *reader).await?;
    let mut select = QueryBuilder::<Sqlite>::new("SELECT line_number, at, level, actor, message");
    push_where(&mut select);
    select.push(if query.descending {
        " ORDER BY line_number DESC LIMIT "
    } else {
        " ORDER BY line_number LIMIT "
    });
    select.push_bind(
        query
            .take
            .map_or(-1, |take| i64::try_from(take).unwrap_or(i64::MAX)),
    );
    select.push(" OFFSET ");
    select.push_bind(i64::try_from(query.skip).unwrap_or(i64::MAX));
    let rows = select.build().fetch_all(&mut *reader).await?;
    Ok((
        rows.iter()
            .map(log_line_from_row)
            .collect::<Result<_, _>>()?,
        u64::try_from(total).unwrap_or(0),
    ))
}

/// Count, sum and extremes of some sessions' durations: the parts a summary adds up.
#[derive(Debug, Default, Clone, Copy)]
struct DurationPart {
    count: i64,
    sum: i64,
    min: Option<i64>,
    max: Option<i64>,
}

impl DurationPart {
    fn add(&mut self, other: DurationPart) {
        self.count += other.count;
        self.sum += other.sum;
        self.min = self.min.into_iter().chain(other.min).min();
        self.max = self.max.into_iter().chain(other.max).max();
    }

    fn durations(self) -> Durations {
        Durations {
            count: u64::try_from(self.count).unwrap_or(0),
            sum: self.sum,
            avg: if self.count > 0 {
                self.sum / self.count
            } else {
                0
            },
            min: self.min.unwrap_or(0),
            max: self.max.unwrap_or(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::TextMatch;

    fn text(folded: &str) -> TextMatch {
        TextMatch {
            users: Vec::new(),
            resources: Vec::new(),
            activities: Vec::new(),
            states: Vec::new(),
            folded: folded.to_owned(),
        }
    }

    #[test]
    fn the_trigrams_asked_cover_the_text_and_end_on_its_last() {
        assert_eq!(
            text("certificate").trigrams_query(),
            r#""cer" AND "tif" AND "ica" AND "ate""#
        );
        assert_eq!(
            text("restart").trigrams_query(),
            r#""res" AND "tar" AND "art""#
        );
        assert_eq!(text("abcdef").trigrams_query(), r#""abc" AND "def""#);
        assert_eq!(text("abc").trigrams_query(), r#""abc""#);
    }

    #[test]
    fn a_trigram_is_three_characters_not_bytes_and_quotes_are_doubled() {
        assert_eq!(
            text("überprü").trigrams_query(),
            r#""übe" AND "rpr" AND "prü""#
        );
        assert_eq!(text("a\"b c").trigrams_query(), r#""a""b" AND "b c""#);
    }
}
