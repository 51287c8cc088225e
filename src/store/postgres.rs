//! The shared store: PostgreSQL, for brokers that run as replicas on one database.
//!
//! Every method means what it means on SQLite (`sqlite.rs`); what differs is how concurrent
//! brokers are kept apart. A transition locks its session row (`FOR NO KEY UPDATE`) before it
//! checks the version, so two brokers never both write version N; outbox rows are claimed with
//! `FOR UPDATE SKIP LOCKED` under a lease; and the catalog kept in memory is checked against a
//! generation number in the database, so a catalog replaced by another broker is seen at once.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions, PgRow};
use sqlx::{Connection, Postgres, QueryBuilder, Row, Transaction};
use uuid::Uuid;

use super::audit::{
    AUDIT_COLUMNS, AUDIT_HEAD, chain_after, event_from_row, insert_records, push_audit_filters,
    push_audit_page, push_event, record_from_row,
};
use super::common::{
    CATALOG_NAMES, duration, duration_sql, final_identifiers, fingerprint, like_pattern, ms,
    names_user, opt_ms, secs, whole_second,
};
use super::statements;
use super::{
    AuditQuery, CatalogIds, ClaimedRun, DatabaseHealth, Durations, GrantCatalog, LogQuery, NewRun,
    RunRecord, RunSettle, SessionPage, SessionQuery, SessionSort, SessionWrite, Settlement, Store,
    StoreError, UserDurations, WriteOutcome,
};
use crate::core::audit::{AuditEvent, AuditRecord, AuditSeal};
use crate::core::throttle::{FailureCount, Reservation, SignInKeys, ThrottlePolicy, after_success};
use crate::core::{
    Account, ActionKind, ActionSpec, Activity, Approval, ApprovalTier, Approver, Catalog, Decision,
    ExtensionRule, LogEntry, LogLine, Notification, Policy, Resource, Role, Session, SessionState,
    StatementEntry, StatementStatus, TokenRecord,
};
use crate::wire::enums::{ActivityType, LogLevel, LoginAccount, ResourceType, WireEnum};

mod batch;
mod creates;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("src/store/migrations/postgres");

/// Advisory lock keys ("pamctl" in ASCII, then the singleton): replicas take turns on them.
const CATALOG_LOCK: i64 = 0x7061_6d63_746c_0001;
const TOKEN_PURGE_LOCK: i64 = 0x7061_6d63_746c_0002;
/// Replicas chain the queued audit events one at a time, each pass after the last row.
const AUDIT_CHAIN_LOCK: i64 = 0x7061_6d63_746c_0003;
/// The session tally's fold: one replica at a time moves the changes into the groups.
const TALLY_FOLD_LOCK: i64 = 0x7061_6d63_746c_0004;
/// Queued audit events chained per transaction: 11 parameters a row stays under
/// PostgreSQL's 65,535.
const AUDIT_CHAIN_BATCH: i64 = 5_000;

/// Audit events queued per statement: 8 parameters a row stays under PostgreSQL's 65,535.
const AUDIT_QUEUE_ROWS: usize = 5_000;

/// Claims are planned afresh at every execution (an unnamed statement), never from a cached
/// generic plan: a plan made while the table was empty (a replica's first claims, at start)
/// turned a claim over 2,000 pending rows into minutes of work. The picked rows are a
/// materialized CTE, so the locking subquery runs once whatever the plan.
const CLAIM_PLANNING: bool = false;

/// Starts a transaction of inserts with generic plans, in the one round trip of its `BEGIN`.
/// Statements over arrays of parameters (the log lines' `unnest`) otherwise stay on custom
/// plans, whose estimate from the arrays' real lengths always looks cheaper than the generic
/// one: every create planned its log lines afresh, 0.18 ms each (1.8 s of PostgreSQL's time
/// per 10,000 creates). An insert's plan does not depend on its values.
const BEGIN_INSERTS: &str = "BEGIN; SET LOCAL plan_cache_mode = force_generic_plan";

/// Starts a read-only transaction with generic plans (see `sessions_by_id` and `read_tally`),
/// in the one round trip of its `BEGIN`.
const BEGIN_GENERIC_READ: &str = "BEGIN READ ONLY; SET LOCAL plan_cache_mode = force_generic_plan";

/// Starts the read of the sessions that match by their note (see `read_notes`), in the one
/// round trip of its `BEGIN`: scans priced out, and no parallel workers (starting them cost
/// more than they saved: 22 to 25 ms against 15 ms for 12,800 matches on 2 cores). Sorts are
/// priced out too, so that the groups are always hashed: the generic plan, priced for a few
/// hundred matches, sorted them instead, and sorting 12,500 matches took their read from
/// 8.5 to 11.7 ms.
const BEGIN_NOTE_READ: &str = "BEGIN READ ONLY; SET LOCAL enable_seqscan = off; \
    SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL enable_sort = off";

/// How long Health waits for the database.
const HEALTH_TIMEOUT: Duration = Duration::from_secs(5);

pub struct PostgresStore {
    pool: PgPool,
    /// The catalog as of a generation: read again when the database's generation moves.
    catalog: tokio::sync::RwLock<Option<(i64, CachedCatalog)>>,
    /// New sessions, queued and written together by one writer (see `creates`).
    creates: creates::CreateQueue,
}

type CachedCatalog = Arc<GrantCatalog>;

impl PostgresStore {
    /// The sessions with these ids (in `order`, a trailing ` ORDER BY ...` or nothing), read
    /// with a generic plan. Its array parameter kept the statement on custom plans, and its
    /// five joins took 1–3 ms to plan on every call (every page of Search, every timer pass),
    /// against 0.05 ms with a plan made once per connection; the generic plan is the one a
    /// custom plan picks (the sessions by primary key, then the small catalog tables).
    async fn sessions_by_id(&self, ids: &[Uuid], order: &str) -> Result<Vec<Session>, StoreError> {
        let mut tx = self.pool.begin_with(BEGIN_GENERIC_READ).await?;
        let rows = sqlx::query(&format!(
            "{SESSION_COLUMNS}{SESSION_FROM} WHERE s.id = ANY($1){order}"
        ))
        .bind(ids)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        rows.iter().map(session_from_row).collect()
    }

    /// Connects to `url` (with `password`, when it is not in the URL) and brings the schema up
    /// to date. Migrations take an advisory lock, so replicas starting together migrate once.
    /// Opens the database with a pool of at most `max_connections`: enough for the API's
    /// parallel reads and the background loops.
    pub async fn open(
        url: &str,
        password: Option<&str>,
        max_connections: u32,
    ) -> Result<Self, StoreError> {
        // No JIT: the broker's statements are short, and compiling one costs more than it
        // saves (100 ms for Search's summary over 100,000 sessions, which runs in 4 ms).
        let mut options = PgConnectOptions::from_str(url)?
            .application_name("pamctl")
            .options([("jit", "off")]);
        if let Some(password) = password {
            options = options.password(password);
        }
        // One connection first: a pool retries a refused or rejected connection until its
        // timeout, and a broker that cannot reach its database should say so at once.
        let mut first = PgConnection::connect_with(&options).await?;
        MIGRATOR.run(&mut first).await?;
        first.close().await?;
        // A connection is tested only after it sat idle: sqlx's default pings the database
        // before every statement, a round trip that cost more than most statements do. One in
        // steady use has just answered; one idle long enough to have missed a restart of the
        // database is tested and replaced, as before.
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(30))
            .test_before_acquire(false)
            .before_acquire(|connection, meta| {
                Box::pin(async move {
                    if meta.idle_for >= TEST_WHEN_IDLE_FOR {
                        connection.ping().await?;
                    }
                    Ok(true)
                })
            })
            .connect_with(options)
            .await?;
        Ok(Self {
            creates: creates::CreateQueue::start(&pool),
            pool,
            catalog: tokio::sync::RwLock::new(None),
        })
    }
}

/// How long a pooled connection may sit idle and still be handed out without a ping.
const TEST_WHEN_IDLE_FOR: Duration = Duration::from_secs(1);

fn corrupt(table: &'static str, message: impl ToString) -> StoreError {
    StoreError::Corrupt {
        table,
        message: message.to_string(),
    }
}

fn parsed<T: FromStr>(row: &PgRow, table: &'static str, column: &str) -> Result<T, StoreError>
where
    T::Err: ToString,
{
    let text: String = row.try_get(column)?;
    text.parse()
        .map_err(|e: T::Err| corrupt(table, format!("{column}: {}", e.to_string())))
}

fn wire_enum<E: WireEnum>(row: &PgRow, table: &'static str, column: &str) -> Result<E, StoreError> {
    let value: i64 = row.try_get(column)?;
    E::from_value(value).ok_or_else(|| corrupt(table, format!("{column}: {value}")))
}

fn actions(row: &PgRow, column: &str) -> Result<Vec<ActionSpec>, StoreError> {
    let json: String = row.try_get(column)?;
    serde_json::from_str(&json).map_err(|e| corrupt("activities", format!("{column}: {e}")))
}

fn from_ms(value: i64, column: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_millis(value)
        .ok_or_else(|| corrupt("time", format!("{column}: {value} is out of range")))
}

fn time(row: &PgRow, column: &str) -> Result<DateTime<Utc>, StoreError> {
    from_ms(row.try_get(column)?, column)
}

fn opt_time(row: &PgRow, column: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
    let value: Option<i64> = row.try_get(column)?;
    value.map(|v| from_ms(v, column)).transpose()
}

fn count(row: &PgRow, column: &str) -> Result<u32, StoreError> {
    let value: i64 = row.try_get(column)?;
    u32::try_from(value).map_err(|e| corrupt("sessions", format!("{column}: {e}")))
}

fn position(index: usize) -> i64 {
    i64::try_from(index).unwrap_or(i64::MAX)
}

/// Limits and offsets: `None` is no limit (`LIMIT NULL`).
fn limit(take: Option<u64>) -> Option<i64> {
    take.map(|take| i64::try_from(take).unwrap_or(i64::MAX))
}

fn account_from_row(row: &PgRow) -> Result<Account, StoreError> {
    Ok(Account {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        display_name: row.try_get("display_name")?,
        kind: parsed(row, "accounts", "kind")?,
        role: parsed(row, "accounts", "role")?,
        secret_hash: row.try_get("secret_hash")?,
        totp_secret: row.try_get("totp_secret")?,
    })
}

fn token_from_row(row: &PgRow) -> Result<TokenRecord, StoreError> {
    Ok(TokenRecord {
        id: row.try_get("id")?,
        digest: row.try_get("token_digest")?,
        account_id: row.try_get("account_id")?,
        stage: parsed(row, "tokens", "stage")?,
        created_at: time(row, "created_at")?,
        expires_at: time(row, "expires_at")?,
        revoked_at: opt_time(row, "revoked_at")?,
        created_from: row.try_get("created_from")?,
        family_id: row.try_get("family_id")?,
        family_expires_at: time(row, "family_expires_at")?,
    })
}

fn failure_count_from_row(row: &PgRow) -> Result<FailureCount, StoreError> {
    let failures: i64 = row.try_get("failures")?;
    Ok(FailureCount {
        failures: u32::try_from(failures).unwrap_or(u32::MAX),
        last_failure_at: time(row, "last_failure_at")?,
        blocked_until: opt_time(row, "blocked_until")?,
    })
}

async fn failure_count(
    tx: &mut Transaction<'_, Postgres>,
    key: &str,
) -> Result<Option<FailureCount>, StoreError> {
    sqlx::query("SELECT * FROM sign_in_failures WHERE key = $1")
        .bind(key)
        .fetch_optional(&mut **tx)
        .await?
        .as_ref()
        .map(failure_count_from_row)
        .transpose()
}

async fn put_failure_count(
    tx: &mut Transaction<'_, Postgres>,
    key: &str,
    count: &FailureCount,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO sign_in_failures (key, failures, last_failure_at, blocked_until)
         VALUES ($1, $2, $3, $4)
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

/// Serializes the sign-in attempts for one login across replicas until the transaction ends.
async fn lock_login(
    tx: &mut Transaction<'_, Postgres>,
    keys: &SignInKeys,
) -> Result<(), StoreError> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
        .bind(&keys.account)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn names_to_ids<'e>(
    executor: impl sqlx::PgExecutor<'e>,
    table: &str,
) -> Result<HashMap<String, Uuid>, StoreError> {
    let rows = sqlx::query(&format!("SELECT id, name FROM {table}"))
        .fetch_all(executor)
        .await?;
    rows.iter()
        .map(|row| {
            let name: String = row.try_get("name")?;
            Ok((name.to_lowercase(), row.try_get("id")?))
        })
        .collect()
}

async fn retire_all(
    tx: &mut Transaction<'_, Postgres>,
    table: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "UPDATE {table} SET retired_at = $1 WHERE retired_at IS NULL"
    ))
    .bind(ms(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn upsert_account(
    tx: &mut Transaction<'_, Postgres>,
    account: &Account,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO accounts (id, name, display_name, kind, role, secret_hash, totp_secret, created_at, modified_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
         ON CONFLICT (id) DO UPDATE SET
            name = excluded.name, display_name = excluded.display_name, kind = excluded.kind,
            role = excluded.role, secret_hash = excluded.secret_hash, totp_secret = excluded.totp_secret,
            modified_at = CASE WHEN accounts.name = excluded.name AND accounts.display_name = excluded.display_name
                               AND accounts.kind = excluded.kind AND accounts.role = excluded.role
                               AND accounts.totp_secret IS NOT DISTINCT FROM excluded.totp_secret
                          THEN accounts.modified_at ELSE excluded.modified_at END,
            retired_at = NULL",
    )
    .bind(account.id)
    .bind(&account.name)
    .bind(&account.display_name)
    .bind(account.kind.as_str())
    .bind(account.role.as_str())
    .bind(&account.secret_hash)
    .bind(&account.totp_secret)
    .bind(ms(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn upsert_activity(
    tx: &mut Transaction<'_, Postgres>,
    activity: &Activity,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let json = |actions: &Vec<ActionSpec>| {
        serde_json::to_string(actions).map_err(|e| corrupt("activities", e))
    };
    let pre = json(&activity.pre_session)?;
    let post = json(&activity.post_session)?;
    let on_lock = json(&activity.on_lock)?;
    let on_unlock = json(&activity.on_unlock)?;
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
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
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
    .bind(activity.id)
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
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn upsert_resource(
    tx: &mut Transaction<'_, Postgres>,
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
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
         ON CONFLICT (id) DO UPDATE SET
            name = excluded.name, display_name = excluded.display_name, platform = excluded.platform,
            resource_type = excluded.resource_type, address = excluded.address,
            port_ssh = excluded.port_ssh, port_rdp = excluded.port_rdp,
            modified_at = CASE WHEN resources.fingerprint = excluded.fingerprint
                          THEN resources.modified_at ELSE excluded.modified_at END,
            fingerprint = excluded.fingerprint,
            retired_at = NULL",
    )
    .bind(resource.id)
    .bind(&resource.name)
    .bind(&resource.display_name)
    .bind(&resource.platform)
    .bind(resource.resource_type.value())
    .bind(&resource.address)
    .bind(resource.port_ssh.map(i64::from))
    .bind(resource.port_rdp.map(i64::from))
    .bind(fingerprint(content))
    .bind(ms(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn upsert_policy(
    tx: &mut Transaction<'_, Postgres>,
    policy: &Policy,
    index: usize,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO policies (id, name, description, position, max_duration_secs, extension_max_count,
            extension_max_secs, approval_timeout_secs, admins_may_approve, ticket_required, fingerprint,
            created_at, modified_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
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
    .bind(policy.id)
    .bind(&policy.name)
    .bind(&policy.description)
    .bind(position(index))
    .bind(secs(policy.max_duration))
    .bind(policy.extension.as_ref().map(|e| i64::from(e.max_count)))
    .bind(policy.extension.as_ref().map(|e| secs(e.max_each)))
    .bind(secs(policy.approval_timeout))
    .bind(policy.admins_may_approve)
    .bind(policy.ticket_required)
    .bind(fingerprint(policy))
    .bind(ms(now))
    .execute(&mut **tx)
    .await?;

    for table in [
        "policy_members",
        "policy_activities",
        "policy_resources",
        "approval_tiers",
        "policy_webhooks",
    ] {
        sqlx::query(&format!("DELETE FROM {table} WHERE policy_id = $1"))
            .bind(policy.id)
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
                "INSERT INTO {table} (policy_id, {column}) VALUES ($1, $2) ON CONFLICT DO NOTHING"
            ))
            .bind(policy.id)
            .bind(member)
            .execute(&mut **tx)
            .await?;
        }
    }
    for (index, notify) in policy.notify.iter().enumerate() {
        sqlx::query(
            "INSERT INTO policy_webhooks (policy_id, position, url, timeout_secs, retries) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(policy.id)
        .bind(position(index))
        .bind(&notify.url)
        .bind(secs(notify.timeout))
        .bind(i64::from(notify.retries))
        .execute(&mut **tx)
        .await?;
    }
    for (index, tier) in policy.approval_tiers.iter().enumerate() {
        sqlx::query(
            "INSERT INTO approval_tiers (policy_id, position, required) VALUES ($1, $2, $3)",
        )
        .bind(policy.id)
        .bind(position(index))
        .bind(i64::from(tier.required))
        .execute(&mut **tx)
        .await?;
        for approver in &tier.approvers {
            let (account, role) = match approver {
                Approver::Account(account) => (Some(*account), None),
                Approver::Role(role) => (None, Some(role.as_str())),
            };
            sqlx::query(
                "INSERT INTO approval_tier_approvers (policy_id, position, account_id, role) VALUES ($1, $2, $3, $4)",
            )
            .bind(policy.id)
            .bind(position(index))
            .bind(account)
            .bind(role)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

async fn links(
    pool: &PgPool,
    table: &str,
    column: &str,
) -> Result<HashMap<Uuid, Vec<Uuid>>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT policy_id, {column} FROM {table} ORDER BY seq"
    ))
    .fetch_all(pool)
    .await?;
    let mut links: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for row in &rows {
        links
            .entry(row.try_get("policy_id")?)
            .or_default()
            .push(row.try_get(column)?);
    }
    Ok(links)
}

#[async_trait]
impl Store for PostgresStore {
    async fn catalog_ids(&self) -> Result<CatalogIds, StoreError> {
        Ok(CatalogIds {
            accounts: names_to_ids(&self.pool, "accounts").await?,
            activities: names_to_ids(&self.pool, "activities").await?,
            resources: names_to_ids(&self.pool, "resources").await?,
            policies: names_to_ids(&self.pool, "policies").await?,
        })
    }

    async fn replace_catalog(
        &self,
        catalog: &Catalog,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.sync_catalog(&|_| catalog.clone(), now).await
    }

    async fn sync_catalog(
        &self,
        build: &(dyn for<'c> Fn(&'c CatalogIds) -> Catalog + Send + Sync),
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        // Replicas starting together take turns here, and each reads the ids only once it
        // holds the lock: the second to start keeps the ids the first gave.
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(CATALOG_LOCK)
            .execute(&mut *tx)
            .await?;
        let ids = CatalogIds {
            accounts: names_to_ids(&mut *tx, "accounts").await?,
            activities: names_to_ids(&mut *tx, "activities").await?,
            resources: names_to_ids(&mut *tx, "resources").await?,
            policies: names_to_ids(&mut *tx, "policies").await?,
        };
        let catalog = build(&ids);
        // Moves the generation, which tells every replica's cache to read the catalog again.
        sqlx::query("UPDATE catalog_generation SET generation = generation + 1")
            .execute(&mut *tx)
            .await?;
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
        for (index, policy) in catalog.policies.iter().enumerate() {
            upsert_policy(&mut tx, policy, index, now).await?;
        }
        tx.commit().await?;
        *self.catalog.write().await = None;
        Ok(())
    }

    async fn account(&self, id: Uuid) -> Result<Option<Account>, StoreError> {
        sqlx::query("SELECT * FROM accounts WHERE id = $1 AND retired_at IS NULL")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(account_from_row)
            .transpose()
    }

    async fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM accounts WHERE retired_at IS NULL ORDER BY lower(name) COLLATE \"C\"",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(account_from_row).collect()
    }

    async fn account_by_name(&self, name: &str) -> Result<Option<Account>, StoreError> {
        sqlx::query("SELECT * FROM accounts WHERE lower(name) = lower($1) AND retired_at IS NULL")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(account_from_row)
            .transpose()
    }

    async fn insert_token(&self, token: &TokenRecord) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO tokens (id, token_digest, account_id, stage, created_at, expires_at, revoked_at, created_from,
                family_id, family_expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(token.id)
        .bind(&token.digest)
        .bind(token.account_id)
        .bind(token.stage.as_str())
        .bind(ms(token.created_at))
        .bind(ms(token.expires_at))
        .bind(opt_ms(token.revoked_at))
        .bind(&token.created_from)
        .bind(token.family_id)
        .bind(ms(token.family_expires_at))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn revoke_token_family(
        &self,
        family: Uuid,
        at: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let result = sqlx::query(
            "UPDATE tokens SET revoked_at = $1 WHERE family_id = $2 AND revoked_at IS NULL",
        )
        .bind(ms(at))
        .bind(family)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected())
    }

    async fn revoke_account_tokens(
        &self,
        account: Uuid,
        at: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let result = sqlx::query(
            "UPDATE tokens SET revoked_at = $1 WHERE account_id = $2 AND revoked_at IS NULL",
        )
        .bind(ms(at))
        .bind(account)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected())
    }

    async fn token(&self, id: Uuid) -> Result<Option<TokenRecord>, StoreError> {
        sqlx::query("SELECT * FROM tokens WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
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
            "SELECT * FROM tokens WHERE revoked_at IS NULL AND expires_at > $1
                AND ($2::uuid IS NULL OR account_id = $2)
             ORDER BY created_at, id",
        )
        .bind(ms(now))
        .bind(account)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(token_from_row).collect()
    }

    async fn reserve_sign_in(
        &self,
        keys: &SignInKeys,
        policy: &ThrottlePolicy,
        now: DateTime<Utc>,
    ) -> Result<Reservation, StoreError> {
        let mut tx = self.pool.begin().await?;
        lock_login(&mut tx, keys).await?;
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
        let mut tx = self.pool.begin().await?;
        lock_login(&mut tx, keys).await?;
        sqlx::query("DELETE FROM sign_in_failures WHERE key = $1")
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
        let result = sqlx::query("DELETE FROM sign_in_failures WHERE last_failure_at < $1")
            .bind(ms(before))
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected())
    }

    async fn token_by_digest(&self, digest: &str) -> Result<Option<TokenRecord>, StoreError> {
        sqlx::query("SELECT * FROM tokens WHERE token_digest = $1")
            .bind(digest)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(token_from_row)
            .transpose()
    }

    async fn revoke_token(&self, id: Uuid, at: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(ms(at))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn accept_totp_step(&self, account: Uuid, step: u64) -> Result<bool, StoreError> {
        let step = i64::try_from(step).unwrap_or(i64::MAX);
        let result = sqlx::query(
            "UPDATE accounts SET totp_last_step = $1
             WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .bind(step)
        .bind(account)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    async fn delete_tokens_expired_before(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await?;
        // One replica purges at a time; one that finds another at it leaves the work to it.
        if !take_singleton_lock(&mut tx, TOKEN_PURGE_LOCK).await? {
            return Ok(0);
        }
        let result = sqlx::query("DELETE FROM tokens WHERE expires_at < $1")
            .bind(ms(before))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(result.rows_affected())
    }

    async fn activities(&self) -> Result<Vec<Activity>, StoreError> {
        Ok(self.cached_catalog().await?.activities.clone())
    }

    async fn resources(&self) -> Result<Vec<Resource>, StoreError> {
        Ok(self.cached_catalog().await?.resources.clone())
    }

    async fn policies(&self) -> Result<Vec<Policy>, StoreError> {
        Ok(self.cached_catalog().await?.policies.clone())
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
        self.insert_sessions_audited(group, sessions, runs, &[], &AuditSeal::unkeyed(), now)
            .await
    }

    async fn insert_sessions_audited(
        &self,
        group: Option<Uuid>,
        sessions: &[(Session, Vec<LogEntry>)],
        runs: &[(Uuid, NewRun)],
        audit: &[AuditEvent],
        _seal: &AuditSeal,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.creates
            .write(creates::Create {
                group,
                sessions: sessions.to_vec(),
                runs: runs.to_vec(),
                audit: audit.to_vec(),
                now,
            })
            .await
    }

    async fn session(&self, id: Uuid) -> Result<Option<Session>, StoreError> {
        sqlx::query(&format!("{SESSION_COLUMNS}{SESSION_FROM} WHERE s.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(session_from_row)
            .transpose()
    }

    async fn sessions(&self, ids: &[Uuid]) -> Result<Vec<Session>, StoreError> {
        self.sessions_by_id(ids, "").await
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

    async fn search_summarized(
        &self,
        query: &SessionQuery,
        now: DateTime<Utc>,
        top_users: Option<u64>,
    ) -> Result<(Durations, Vec<UserDurations>, SessionPage), StoreError> {
        // The names read once, for the summary and then the page.
        let resolved = self.resolve(query).await?;
        let (durations, users) = self.durations_resolved(&resolved, now, top_users).await?;
        let page = self
            .search_resolved(&resolved, Some(durations.count))
            .await?;
        Ok((durations, users, page))
    }

    async fn fold_session_tally(&self) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await?;
        // One replica folds at a time; one that finds another at it leaves the work to it.
        if !take_singleton_lock(&mut tx, TALLY_FOLD_LOCK).await? {
            return Ok(0);
        }
        let folded: i64 = sqlx::query_scalar(FOLD_TALLY).fetch_one(&mut *tx).await?;
        sqlx::query(&refresh_stale_groups())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(u64::try_from(folded).unwrap_or(0))
    }

    async fn approval_candidates(
        &self,
        account: Uuid,
        role: Role,
    ) -> Result<Vec<Session>, StoreError> {
        let rows = sqlx::query(&format!(
            "{SESSION_COLUMNS}{SESSION_FROM}
             WHERE s.state = 'WaitingForApproval' AND s.created_by <> $1 AND p.retired_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM approvals v WHERE v.session_id = s.id AND v.approver_id = $1)
               AND (EXISTS (SELECT 1 FROM approval_tier_approvers t
                            WHERE t.policy_id = s.policy_id AND (t.account_id = $1 OR t.role = $2))
                    OR ($2 = 'Admin' AND p.admins_may_approve))
             ORDER BY s.created_at, s.id"
        ))
        .bind(account)
        .bind(role.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(session_from_row).collect()
    }

    async fn write_session(
        &self,
        write: &SessionWrite<'_>,
        now: DateTime<Utc>,
    ) -> Result<WriteOutcome, StoreError> {
        let mut tx = self.pool.begin().await?;
        let outcome = write_in_tx(&mut tx, write, now).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    async fn write_sessions(
        &self,
        writes: &[SessionWrite<'_>],
        now: DateTime<Utc>,
    ) -> Result<Vec<WriteOutcome>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let versions = batch::lock_sessions(&mut tx, writes).await?;
        let outcomes = if batch::repeats_a_session_or_run(writes) {
            // Rare (no caller names a session twice): each write sees what the one before
            // it wrote, at a few round trips per write.
            let mut outcomes = Vec::with_capacity(writes.len());
            for write in writes {
                outcomes.push(write_in_tx(&mut tx, write, now).await?);
            }
            outcomes
        } else {
            batch::write_batch(&mut tx, writes, &versions, now).await?
        };
        tx.commit().await?;
        Ok(outcomes)
    }

    async fn append_log(
        &self,
        id: Uuid,
        log: &[LogEntry],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        // Line numbers follow the session's last one: writers of one session take turns.
        sqlx::query("SELECT 1 FROM sessions WHERE id = $1 FOR NO KEY UPDATE")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
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
        let mut tx = self.pool.begin().await?;
        // Line numbers follow the session's last one: writers of one session take turns.
        sqlx::query("SELECT 1 FROM sessions WHERE id = $1 FOR NO KEY UPDATE")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let added = sqlx::query(
            "INSERT INTO session_shares (session_id, account_id, shared_by, shared_at)
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(with)
        .bind(by)
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
        let found: Option<i32> = sqlx::query_scalar(
            "SELECT 1 FROM session_shares WHERE session_id = $1 AND account_id = $2",
        )
        .bind(id)
        .bind(account)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    async fn session_shares(&self, id: Uuid) -> Result<Vec<Uuid>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT account_id FROM session_shares WHERE session_id = $1
             ORDER BY shared_at, account_id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn approvals(&self, session: Option<Uuid>) -> Result<Vec<Approval>, StoreError> {
        let rows = match session {
            Some(id) => {
                sqlx::query(&format!(
                    "{APPROVAL_SELECT} WHERE v.session_id = $1 ORDER BY v.decided_at, v.seq"
                ))
                .bind(id)
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query(&format!("{APPROVAL_SELECT} ORDER BY v.decided_at, v.seq"))
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        rows.iter().map(approval_from_row).collect()
    }

    async fn approvals_of_sessions(&self, sessions: &[Uuid]) -> Result<Vec<Approval>, StoreError> {
        if sessions.is_empty() {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(&format!(
            "{APPROVAL_SELECT} WHERE v.session_id = ANY($1) ORDER BY v.decided_at, v.seq"
        ))
        .bind(sessions)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(approval_from_row).collect()
    }

    async fn session_log(&self, id: Uuid) -> Result<Vec<LogLine>, StoreError> {
        let rows = sqlx::query(
            "SELECT line_number, at, level, actor, message FROM session_log WHERE session_id = $1 ORDER BY line_number",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(log_line_from_row).collect()
    }

    async fn session_log_page(
        &self,
        id: Uuid,
        query: &LogQuery,
    ) -> Result<(Vec<LogLine>, u64), StoreError> {
        self.log_page(id, query).await
    }

    async fn due_sessions(
        &self,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Session>, StoreError> {
        let rows = sqlx::query(&format!(
            "{SESSION_COLUMNS}{SESSION_FROM} WHERE s.due_at IS NOT NULL AND s.due_at <= $1 ORDER BY s.due_at LIMIT $2"
        ))
        .bind(ms(now))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(session_from_row).collect()
    }

    async fn claim_due_sessions(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Session>, StoreError> {
        // SKIP LOCKED: sessions another replica is claiming right now are left to it, and the
        // outer conditions, checked again on the locked row, keep a claim from being taken
        // twice. The sessions are read after the claim commits, so they are current.
        let ids: Vec<Uuid> = sqlx::query_scalar(
            "WITH picked AS MATERIALIZED (
                SELECT id FROM sessions
                WHERE due_at IS NOT NULL AND due_at <= $3 AND (lease_until IS NULL OR lease_until < $3)
                ORDER BY due_at LIMIT $4
                FOR UPDATE SKIP LOCKED)
             UPDATE sessions SET lease_owner = $1, lease_until = $2
             FROM picked
             WHERE sessions.id = picked.id
               AND due_at IS NOT NULL AND due_at <= $3 AND (lease_until IS NULL OR lease_until < $3)
             RETURNING sessions.id",
        )
        .persistent(CLAIM_PLANNING)
        .bind(owner)
        .bind(ms(lease_until))
        .bind(ms(now))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        self.sessions_by_id(&ids, " ORDER BY s.due_at").await
    }

    async fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        // A session is looked at when due, or when its claim lapses if that is later. The
        // first unclaimed one in due order bounds the answer (no later one can be earlier), so
        // only it and the claimed ones before it are read, not every running session waiting
        // for its end: that read took 13 ms at 20,000 sessions, on every scheduler pass. The
        // bound is a parameter of the second statement, planned afresh for its value (an
        // unnamed statement) so that its plan walks the index up to it: a bound from a
        // subquery, or a generic plan made while the table was small, scanned the table.
        let first_unclaimed: Option<i64> = sqlx::query_scalar(
            "SELECT due_at FROM sessions
             WHERE due_at IS NOT NULL AND (lease_until IS NULL OR lease_until < due_at)
             ORDER BY due_at LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        let earliest: Option<i64> = sqlx::query_scalar(
            "SELECT MIN(GREATEST(due_at, COALESCE(lease_until + 1, 0))) FROM sessions
             WHERE due_at IS NOT NULL AND due_at <= $1",
        )
        .persistent(false)
        .bind(first_unclaimed.unwrap_or(i64::MAX))
        .fetch_one(&self.pool)
        .await?;
        earliest.map(|at| from_ms(at, "due_at")).transpose()
    }

    async fn health(&self) -> DatabaseHealth {
        let started = std::time::Instant::now();
        // Bounded: a load balancer's probe must not wait for the pool's 30 s.
        let answer = tokio::time::timeout(
            HEALTH_TIMEOUT,
            sqlx::query_scalar::<_, i32>("SELECT 1").fetch_one(&self.pool),
        )
        .await;
        let error = match answer {
            Ok(Ok(_)) => None,
            Ok(Err(error)) => Some(error.to_string()),
            Err(_) => Some(format!("no answer within {HEALTH_TIMEOUT:?}")),
        };
        DatabaseHealth {
            backend: "postgres",
            reachable: error.is_none(),
            latency: started.elapsed(),
            error,
        }
    }

    async fn open_sessions_of(&self, account: Uuid) -> Result<(u64, u64), StoreError> {
        let row = sqlx::query(&format!(
            "SELECT COUNT(*) AS open, COUNT(*) FILTER (WHERE state = 'WaitingForApproval') AS pending
             FROM sessions WHERE created_by = $1 AND state NOT IN ({})",
            final_identifiers()
        ))
        .bind(account)
        .fetch_one(&self.pool)
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
        // SKIP LOCKED: a row another broker is claiming right now is left to it; the outer
        // conditions are checked again on the locked row, so a row claimed and committed in
        // the meantime is not claimed twice. See `CLAIM_PLANNING` for the statement's form.
        let rows = sqlx::query(
            "WITH picked AS MATERIALIZED (
                SELECT o.id FROM outbox o
                WHERE o.state = 'pending' AND o.next_attempt_at <= $3
                  AND (o.lease_until IS NULL OR o.lease_until < $3)
                  AND NOT EXISTS (SELECT 1 FROM outbox p
                                  WHERE p.session_id = o.session_id AND p.state = 'pending' AND p.id < o.id)
                ORDER BY o.next_attempt_at, o.id LIMIT $4
                FOR UPDATE SKIP LOCKED)
             UPDATE outbox SET lease_owner = $1, lease_until = $2, attempts = attempts + 1
             FROM picked
             WHERE outbox.id = picked.id
               AND outbox.state = 'pending' AND (outbox.lease_until IS NULL OR outbox.lease_until < $3)
             RETURNING outbox.id, run_id, session_id, kind, action_index, payload, attempts",
        )
        .persistent(CLAIM_PLANNING)
        .bind(owner)
        .bind(ms(lease_until))
        .bind(ms(now))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
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
            "UPDATE outbox SET lease_until = $1 WHERE id = $2 AND lease_owner = $3 AND state = 'pending'",
        )
        .bind(ms(lease_until))
        .bind(id)
        .bind(owner)
        .execute(&self.pool)
        .await?;
        Ok(renewed.rows_affected() == 1)
    }

    async fn settle_run(
        &self,
        settle: &RunSettle<'_>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let settled = settle_in_tx(&mut tx, settle, now).await?;
        tx.commit().await?;
        Ok(settled)
    }

    async fn next_run_at(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let next: Option<i64> = sqlx::query_scalar(
            "SELECT MIN(GREATEST(next_attempt_at, COALESCE(lease_until + 1, 0))) FROM outbox WHERE state = 'pending'",
        )
        .fetch_one(&self.pool)
        .await?;
        next.map(|at| from_ms(at, "next_attempt_at")).transpose()
    }

    async fn runs_of(&self, session: Uuid) -> Result<Vec<RunRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT run_id, kind, action_index, state, attempts, last_error, next_attempt_at
             FROM outbox WHERE session_id = $1 ORDER BY id",
        )
        .bind(session)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(RunRecord {
                    run_id: row.try_get("run_id")?,
                    kind: action_kind(row)?,
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
        sqlx::query(
            "INSERT INTO broker_instances (id, host, pid, started_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (id) DO UPDATE SET host = excluded.host, pid = excluded.pid, started_at = excluded.started_at",
        )
        .bind(id)
        .bind(host)
        .bind(i64::from(pid))
        .bind(ms(now))
        .execute(&self.pool)
        .await?;
        let rows = sqlx::query("SELECT id, pid FROM broker_instances WHERE host = $1 AND id <> $2")
            .bind(host)
            .bind(id)
            .fetch_all(&self.pool)
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
        _seal: &AuditSeal,
    ) -> Result<(), StoreError> {
        if events.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool.begin().await?;
        queue_audit_in_tx(&mut tx, events).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn chain_audit(&self, seal: &AuditSeal) -> Result<u64, StoreError> {
        let mut chained = 0;
        loop {
            let mut tx = self.pool.begin().await?;
            // Waits for a replica that is chaining: when this returns, every event committed
            // before the call is on the chain (a page of `audit list` counts on it).
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(AUDIT_CHAIN_LOCK)
                .execute(&mut *tx)
                .await?;
            // Only the lock's holder deletes, so the statement takes exactly the rows it sees;
            // an event committed meanwhile waits for the next pass.
            let rows = sqlx::query(
                "DELETE FROM audit_queue WHERE id IN
                   (SELECT id FROM audit_queue ORDER BY id LIMIT $1)
                 RETURNING id, at, actor_id, actor_name, source, action, target, outcome, detail",
            )
            .bind(AUDIT_CHAIN_BATCH)
            .fetch_all(&mut *tx)
            .await?;
            if rows.is_empty() {
                tx.commit().await?;
                return Ok(chained);
            }
            let mut queued = rows
                .iter()
                .map(|row| {
                    Ok((
                        row.try_get::<i64, _>("id")?,
                        event_from_row(row, "audit_queue")?,
                    ))
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            queued.sort_by_key(|(id, _)| *id);
            let events: Vec<AuditEvent> = queued.into_iter().map(|(_, event)| event).collect();
            let head: Option<(i64, String)> =
                sqlx::query_as(AUDIT_HEAD).fetch_optional(&mut *tx).await?;
            let records = chain_after(head, &events, seal);
            insert_records::<Postgres>(&records)
                .build()
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            chained += events.len() as u64;
            if events.len() < AUDIT_CHAIN_BATCH as usize {
                return Ok(chained);
            }
        }
    }

    async fn audit_unchained(&self) -> Result<u64, StoreError> {
        let queued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_queue")
            .fetch_one(&self.pool)
            .await?;
        Ok(u64::try_from(queued).unwrap_or(0))
    }

    async fn audit_page(&self, query: &AuditQuery) -> Result<(Vec<AuditRecord>, u64), StoreError> {
        let mut count = QueryBuilder::<Postgres>::new("SELECT COUNT(*) FROM audit_log");
        push_audit_filters(&mut count, query);
        let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await?;
        let mut select = QueryBuilder::<Postgres>::new(AUDIT_COLUMNS);
        select.push(" FROM audit_log");
        push_audit_filters(&mut select, query);
        push_audit_page(&mut select, query);
        let rows = select.build().fetch_all(&self.pool).await?;
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
            "{AUDIT_COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2"
        ))
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
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
            "INSERT INTO session_credentials (session_id, sealed, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (session_id) DO UPDATE SET sealed = excluded.sealed, created_at = excluded.created_at",
        )
        .bind(session)
        .bind(sealed)
        .bind(ms(now))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn credential(&self, session: Uuid) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT sealed FROM session_credentials WHERE session_id = $1")
                .bind(session)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn delete_credential(&self, session: Uuid) -> Result<bool, StoreError> {
        let result = sqlx::query("DELETE FROM session_credentials WHERE session_id = $1")
            .bind(session)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() > 0)
    }

    async fn insert_statement(
        &self,
        entry: &StatementEntry,
        run: Option<&NewRun>,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let id: i64 = bind_statement(sqlx::query(
            "INSERT INTO session_statements (session_id, requested_by, requested_by_name,
                requested_at, sql_text, status, rerun_of, started_at, duration_ms, rows_affected,
                result, error, reviewed_by, reviewed_by_name, reviewed_at, review_reason, run_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
        ), entry)
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
            "SELECT {} FROM session_statements WHERE id = $1",
            statements::COLUMNS
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(statement_from_row)
        .transpose()
    }

    async fn statements_of(&self, session: Uuid) -> Result<Vec<StatementEntry>, StoreError> {
        sqlx::query(&format!(
            "SELECT {} FROM session_statements WHERE session_id = $1 ORDER BY id",
            statements::COLUMNS
        ))
        .bind(session)
        .fetch_all(&self.pool)
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
        .fetch_all(&self.pool)
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
        let mut tx = self.pool.begin().await?;
        let updated = bind_statement(
            sqlx::query(
                "UPDATE session_statements SET session_id = $1, requested_by = $2,
                requested_by_name = $3, requested_at = $4, sql_text = $5, status = $6,
                rerun_of = $7, started_at = $8, duration_ms = $9, rows_affected = $10,
                result = $11, error = $12, reviewed_by = $13, reviewed_by_name = $14,
                reviewed_at = $15, review_reason = $16, run_id = $17
             WHERE id = $18 AND status = $19",
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
        let mut tx = self.pool.begin().await?;
        let freed = sqlx::query(
            "UPDATE outbox SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1 AND state = 'pending'",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        // Its claimed due sessions too, so that they are not late by a lease.
        sqlx::query(
            "UPDATE sessions SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM broker_instances WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(freed)
    }
}

fn action_kind(row: &PgRow) -> Result<ActionKind, StoreError> {
    let kind: String = row.try_get("kind")?;
    ActionKind::from_label(&kind).ok_or_else(|| corrupt("outbox", format!("kind: {kind}")))
}

fn claimed_run_from_row(row: &PgRow) -> Result<ClaimedRun, StoreError> {
    Ok(ClaimedRun {
        id: row.try_get("id")?,
        run_id: row.try_get("run_id")?,
        session_id: row.try_get("session_id")?,
        kind: action_kind(row)?,
        index: count(row, "action_index")?,
        payload: row.try_get("payload")?,
        attempts: count(row, "attempts")?,
    })
}

/// Binds an entry's columns, in [`statements::COLUMNS`] order without the id.
fn bind_statement<'q>(
    query: sqlx::query::Query<'q, Postgres, sqlx::postgres::PgArguments>,
    entry: &'q StatementEntry,
) -> sqlx::query::Query<'q, Postgres, sqlx::postgres::PgArguments> {
    query
        .bind(entry.session_id)
        .bind(entry.requested_by)
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
        .bind(entry.reviewed_by)
        .bind(&entry.reviewed_by_name)
        .bind(opt_ms(entry.reviewed_at))
        .bind(&entry.review_reason)
        .bind(entry.run_id)
}

fn statement_from_row(row: &PgRow) -> Result<StatementEntry, StoreError> {
    statements::RawStatement {
        id: row.try_get("id")?,
        session_id: row.try_get("session_id")?,
        requested_by: row.try_get("requested_by")?,
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
        reviewed_by: row.try_get("reviewed_by")?,
        reviewed_by_name: row.try_get("reviewed_by_name")?,
        reviewed_at: row.try_get("reviewed_at")?,
        review_reason: row.try_get("review_reason")?,
        run_id: row.try_get("run_id")?,
    }
    .into_entry()
}

async fn insert_run(
    tx: &mut Transaction<'_, Postgres>,
    session: Uuid,
    run: &NewRun,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO outbox (run_id, session_id, kind, action_index, payload, next_attempt_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(run.run_id)
    .bind(session)
    .bind(run.kind.label())
    .bind(i64::from(run.index))
    .bind(&run.payload)
    .bind(ms(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Many sessions' new runs in one statement, in the order given: outbox ids follow it, and a
/// session's runs run in id order.
async fn insert_runs(
    tx: &mut Transaction<'_, Postgres>,
    runs: &[(Uuid, &NewRun)],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    insert_runs_at(tx, runs, &vec![ms(now); runs.len()]).await
}

/// `insert_runs`, each run due from (and created at) its own time in `at`: a batch of
/// creates gives each run its own request's time.
async fn insert_runs_at(
    tx: &mut Transaction<'_, Postgres>,
    runs: &[(Uuid, &NewRun)],
    at: &[i64],
) -> Result<(), StoreError> {
    if runs.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO outbox (run_id, session_id, kind, action_index, payload, next_attempt_at, created_at)
         SELECT x.run_id, x.session_id, x.kind, x.action_index, x.payload, x.at, x.at
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::bigint[], $5::text[], $6::bigint[])
            WITH ORDINALITY AS x(run_id, session_id, kind, action_index, payload, at, n)
         ORDER BY x.n",
    )
    .bind(runs.iter().map(|(_, run)| run.run_id).collect::<Vec<_>>())
    .bind(runs.iter().map(|(session, _)| *session).collect::<Vec<_>>())
    .bind(runs.iter().map(|(_, run)| run.kind.label()).collect::<Vec<_>>())
    .bind(runs.iter().map(|(_, run)| i64::from(run.index)).collect::<Vec<_>>())
    .bind(runs.iter().map(|(_, run)| run.payload.as_deref()).collect::<Vec<_>>())
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Settles a run in the caller's transaction, if `owner` still holds its lease.
async fn settle_in_tx(
    tx: &mut Transaction<'_, Postgres>,
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
        "UPDATE outbox SET state = $1, next_attempt_at = COALESCE($2, next_attempt_at),
            last_error = COALESCE($3, last_error), lease_owner = NULL, lease_until = NULL,
            finished_at = CASE WHEN $1 = 'pending' THEN NULL ELSE $4 END
         WHERE id = $5 AND lease_owner = $6 AND state = 'pending'",
    )
    .bind(state)
    .bind(next)
    .bind(error)
    .bind(ms(now))
    .bind(settle.id)
    .bind(settle.owner)
    .execute(&mut **tx)
    .await?;
    Ok(settled.rows_affected() == 1)
}

/// Moves every change the statement sees into the tally's groups, in one statement (one
/// snapshot): the changes it deletes are exactly those it adds, and one committed meanwhile
/// (ids are not in commit order) stays for the next fold. Per group, the sums add up; the
/// extremes combine with the newcomers'; a group turns stale when a leaver may have taken
/// an extreme (it is not strictly inside the group's range with the newcomers), and a group
/// left empty starts afresh. The folding replica alone writes the tally (under
/// TALLY_FOLD_LOCK), so the group rows read here are the ones it replaces.
const FOLD_TALLY: &str = "
WITH moved AS (
    DELETE FROM session_tally_change RETURNING *
), delta AS (
    SELECT created_by, resource_id, activity_id, state, locked, COUNT(*) AS changes,
        SUM(dn) AS n,
        COALESCE(SUM(dn) FILTER (WHERE NOT running), 0) AS fixed_n,
        COALESCE(SUM(dn * fixed) FILTER (WHERE NOT running), 0) AS fixed_sum,
        MIN(fixed) FILTER (WHERE dn > 0) AS fixed_min,
        MAX(fixed) FILTER (WHERE dn > 0) AS fixed_max,
        MIN(fixed) FILTER (WHERE dn < 0) AS gone_fixed_min,
        MAX(fixed) FILTER (WHERE dn < 0) AS gone_fixed_max,
        COALESCE(SUM(dn) FILTER (WHERE running), 0) AS run_n,
        COALESCE(SUM(dn * start_second) FILTER (WHERE running), 0) AS run_sum,
        MIN(start_second) FILTER (WHERE dn > 0) AS run_min,
        MAX(start_second) FILTER (WHERE dn > 0) AS run_max,
        MIN(start_second) FILTER (WHERE dn < 0) AS gone_run_min,
        MAX(start_second) FILTER (WHERE dn < 0) AS gone_run_max
    FROM moved
    GROUP BY created_by, resource_id, activity_id, state, locked
), summed AS (
    SELECT d.created_by, d.resource_id, d.activity_id, d.state, d.locked, d.changes,
        COALESCE(t.n, 0) + d.n AS n,
        COALESCE(t.fixed_n, 0) + d.fixed_n AS fixed_n,
        COALESCE(t.fixed_sum, 0) + d.fixed_sum AS fixed_sum,
        LEAST(t.fixed_min, d.fixed_min) AS fixed_min,
        GREATEST(t.fixed_max, d.fixed_max) AS fixed_max,
        COALESCE(t.run_n, 0) + d.run_n AS run_n,
        COALESCE(t.run_sum, 0) + d.run_sum AS run_sum,
        LEAST(t.run_min, d.run_min) AS run_min,
        GREATEST(t.run_max, d.run_max) AS run_max,
        COALESCE(t.stale, FALSE) AS stale,
        d.gone_fixed_min, d.gone_fixed_max, d.gone_run_min, d.gone_run_max
    FROM delta d
    LEFT JOIN session_tally t ON t.created_by = d.created_by
        AND t.resource_id = d.resource_id AND t.activity_id = d.activity_id
        AND t.state = d.state AND t.locked = d.locked
), folded AS (
    INSERT INTO session_tally AS t (created_by, resource_id, activity_id, state, locked, n,
        fixed_n, fixed_sum, fixed_min, fixed_max, run_n, run_sum, run_min, run_max, stale)
    SELECT created_by, resource_id, activity_id, state, locked, n,
        fixed_n, fixed_sum,
        CASE WHEN n > 0 AND fixed_n > 0 THEN fixed_min END,
        CASE WHEN n > 0 AND fixed_n > 0 THEN fixed_max END,
        run_n, run_sum,
        CASE WHEN n > 0 AND run_n > 0 THEN run_min END,
        CASE WHEN n > 0 AND run_n > 0 THEN run_max END,
        n > 0 AND (stale
            OR (fixed_n > 0 AND gone_fixed_min IS NOT NULL AND (fixed_min IS NULL
                OR gone_fixed_min <= fixed_min OR gone_fixed_max >= fixed_max))
            OR (run_n > 0 AND gone_run_min IS NOT NULL AND (run_min IS NULL
                OR gone_run_min <= run_min OR gone_run_max >= run_max)))
    FROM summed
    ON CONFLICT (created_by, resource_id, activity_id, state, locked) DO UPDATE SET
        n = EXCLUDED.n, fixed_n = EXCLUDED.fixed_n, fixed_sum = EXCLUDED.fixed_sum,
        fixed_min = EXCLUDED.fixed_min, fixed_max = EXCLUDED.fixed_max,
        run_n = EXCLUDED.run_n, run_sum = EXCLUDED.run_sum,
        run_min = EXCLUDED.run_min, run_max = EXCLUDED.run_max, stale = EXCLUDED.stale
)
SELECT COALESCE(SUM(changes), 0)::BIGINT FROM delta";

/// Works out the extremes of every stale group again from its sessions, after a fold, by
/// the folding replica (which alone writes the tally). Sessions end mostly oldest first, a
/// running group's longest, so without this most running groups stayed stale until they
/// emptied, and every summary read their rows. Its statement sees changes the fold has not
/// moved yet: a newcomer's value is already in the extremes (folding it again changes
/// nothing), and a leaver is left out (its fold marks the group stale again if it was an
/// extreme). Counts and sums are not touched.
fn refresh_stale_groups() -> String {
    let (before, after) = duration_sql("x", "GREATEST");
    let duration = format!("{before}0{after}");
    let start = whole_second("x.actual_start_at");
    format!(
        "UPDATE session_tally t SET fixed_min = g.fixed_min, fixed_max = g.fixed_max,
            run_min = g.run_min, run_max = g.run_max, stale = FALSE
         FROM (SELECT s.created_by, s.resource_id, s.activity_id, s.state, s.locked,
                MIN(x.d) FILTER (WHERE NOT x.running) AS fixed_min,
                MAX(x.d) FILTER (WHERE NOT x.running) AS fixed_max,
                MIN(x.st) FILTER (WHERE x.running) AS run_min,
                MAX(x.st) FILTER (WHERE x.running) AS run_max
             FROM session_tally s CROSS JOIN LATERAL (
                SELECT x.actual_start_at IS NOT NULL AND x.actual_end_at IS NULL AS running,
                    {duration} AS d, {start} AS st
                FROM sessions x WHERE x.created_by = s.created_by
                    AND x.resource_id = s.resource_id AND x.activity_id = s.activity_id
                    AND x.state = s.state AND x.locked = s.locked) x
             WHERE s.stale
             GROUP BY s.created_by, s.resource_id, s.activity_id, s.state, s.locked) g
         WHERE t.stale AND t.created_by = g.created_by AND t.resource_id = g.resource_id
            AND t.activity_id = g.activity_id AND t.state = g.state AND t.locked = g.locked"
    )
}

/// One transition in the caller's transaction: nothing is written unless the settled run's
/// lease still holds and the session is at the version it was read at.
async fn write_in_tx(
    tx: &mut Transaction<'_, Postgres>,
    write: &SessionWrite<'_>,
    now: DateTime<Utc>,
) -> Result<WriteOutcome, StoreError> {
    let session = write.session;
    // The row stays locked to the commit: a broker writing the same session meanwhile waits,
    // then finds the new version and is stale.
    let current: Option<i64> =
        sqlx::query_scalar("SELECT version FROM sessions WHERE id = $1 FOR NO KEY UPDATE")
            .bind(session.id)
            .fetch_optional(&mut **tx)
            .await?;
    if current != Some(session.version) {
        return Ok(WriteOutcome::Stale);
    }
    if let Some(settle) = &write.settles {
        if !settle_in_tx(tx, settle, now).await? {
            return Ok(WriteOutcome::LeaseLost);
        }
    }
    sqlx::query(
        "UPDATE sessions SET state = $1, locked = $2, lock_title = $3, lock_message = $4,
            scheduled_start_at = $5, actual_start_at = $6, scheduled_end_at = $7, actual_end_at = $8, login_at = $9,
            cancelled_by = $10, extension_count = $11, extension_minutes = $12, approval_deadline_at = $13,
            pre_actions_done = $14, post_actions_done = $15, failure_reason = $16, status_message = $17,
            cancel_requested = $18, due_at = $19, version = version + 1, modified_at = $20,
            lease_owner = NULL, lease_until = NULL
         WHERE id = $21 AND version = $22",
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
    .bind(session.cancelled_by)
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
    .bind(session.id)
    .bind(session.version)
    .execute(&mut **tx)
    .await?;
    if let Some(approval) = write.approval {
        sqlx::query(
            "INSERT INTO approvals (id, session_id, tier, approver_id, decision, notes, from_address, decided_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(approval.id)
        .bind(approval.session_id)
        .bind(i64::from(approval.tier))
        .bind(approval.approver_id)
        .bind(approval.decision.as_str())
        .bind(&approval.notes)
        .bind(&approval.from_address)
        .bind(ms(approval.decided_at))
        .execute(&mut **tx)
        .await?;
    }
    for kind in write.drop_pending {
        sqlx::query(
            "UPDATE outbox SET state = 'dropped', finished_at = $1
             WHERE session_id = $2 AND kind = $3 AND state = 'pending' AND lease_owner IS NULL",
        )
        .bind(ms(now))
        .bind(session.id)
        .bind(kind.label())
        .execute(&mut **tx)
        .await?;
    }
    let runs: Vec<(Uuid, &NewRun)> = write.runs.iter().map(|run| (session.id, run)).collect();
    insert_runs(tx, &runs, now).await?;
    insert_log(tx, session.id, write.log, now).await?;
    if let Some(audit) = write.audit {
        queue_audit_in_tx(tx, audit.events).await?;
    }
    Ok(WriteOutcome::Written)
}

const SESSION_COLUMNS: &str = "SELECT s.*, a.name AS activity_name, a.activity_type AS activity_type,
        a.platform AS platform, r.name AS resource_name, r.display_name AS resource_display_name,
        p.name AS policy_name, p.extension_max_count IS NOT NULL AS extension_allowed, c.name AS created_by_name, c.display_name AS created_by_display_name,
        x.name AS cancelled_by_name";

const SESSION_FROM: &str = " FROM sessions s
    JOIN activities a ON a.id = s.activity_id
    JOIN resources r ON r.id = s.resource_id
    JOIN policies p ON p.id = s.policy_id
    JOIN accounts c ON c.id = s.created_by
    LEFT JOIN accounts x ON x.id = s.cancelled_by";

fn session_from_row(row: &PgRow) -> Result<Session, StoreError> {
    let state: String = row.try_get("state")?;
    let custom_fields: Option<String> = row.try_get("custom_fields")?;
    Ok(Session {
        id: row.try_get("id")?,
        group_id: row.try_get("group_id")?,
        created_by: row.try_get("created_by")?,
        created_by_name: row.try_get("created_by_name")?,
        created_by_display_name: row.try_get("created_by_display_name")?,
        created_from: row.try_get("created_from")?,
        activity_id: row.try_get("activity_id")?,
        activity_name: row.try_get("activity_name")?,
        activity_type: wire_enum::<ActivityType>(row, "activities", "activity_type")?,
        platform: row.try_get("platform")?,
        resource_id: row.try_get("resource_id")?,
        resource_name: row.try_get("resource_name")?,
        resource_display_name: row.try_get("resource_display_name")?,
        policy_id: row.try_get("policy_id")?,
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
        cancelled_by: row.try_get("cancelled_by")?,
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

/// Appends log lines, each numbered one past the session's last, in the caller's transaction
/// (which holds the session's row lock).
async fn insert_log(
    tx: &mut Transaction<'_, Postgres>,
    session: Uuid,
    entries: &[LogEntry],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    insert_log_after_last(tx, &LogLines::numbered([(session, entries)]), now).await
}

/// Log lines of one or many sessions, one array per column: each session's lines numbered
/// 1, 2, ... in the order given, to be added to where its log starts.
struct LogLines<'e> {
    sessions: Vec<Uuid>,
    numbers: Vec<i64>,
    levels: Vec<i64>,
    actors: Vec<Option<&'e str>>,
    messages: Vec<&'e str>,
}

impl<'e> LogLines<'e> {
    fn numbered(logs: impl IntoIterator<Item = (Uuid, &'e [LogEntry])>) -> Self {
        let mut lines = Self {
            sessions: Vec::new(),
            numbers: Vec::new(),
            levels: Vec::new(),
            actors: Vec::new(),
            messages: Vec::new(),
        };
        let mut last: HashMap<Uuid, i64> = HashMap::new();
        for (session, entries) in logs {
            for entry in entries {
                let number = last.entry(session).or_insert(0);
                *number += 1;
                lines.sessions.push(session);
                lines.numbers.push(*number);
                lines.levels.push(entry.level.value());
                lines.actors.push(entry.actor.as_deref());
                lines.messages.push(&entry.message);
            }
        }
        lines
    }

    fn is_empty(&self) -> bool {
        self.sessions.is_empty()
    }
}

/// Appends each session's lines after its last one, in one statement whatever the number of
/// lines and sessions, in the caller's transaction (which holds the sessions' row locks, so
/// no one else numbers lines of them meanwhile).
async fn insert_log_after_last(
    tx: &mut Transaction<'_, Postgres>,
    lines: &LogLines<'_>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if lines.is_empty() {
        return Ok(());
    }
    // The statement's snapshot does not see its own rows: each session's last line is the
    // one it had before, once for all its new lines.
    sqlx::query(
        "WITH lines AS (
            SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::text[], $5::text[])
                AS x(session_id, n, level, actor, message)
         ), last AS (
            SELECT d.session_id,
                (SELECT COALESCE(MAX(l.line_number), 0) FROM session_log l
                 WHERE l.session_id = d.session_id) AS n
            FROM (SELECT DISTINCT session_id FROM lines) d
         )
         INSERT INTO session_log (session_id, line_number, at, level, actor, message)
         SELECT lines.session_id, last.n + lines.n, $6, lines.level, lines.actor, lines.message
         FROM lines JOIN last ON last.session_id = lines.session_id",
    )
    .bind(&lines.sessions)
    .bind(&lines.numbers)
    .bind(&lines.levels)
    .bind(&lines.actors)
    .bind(&lines.messages)
    .bind(ms(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

const APPROVAL_SELECT: &str =
    "SELECT v.*, a.name AS approver_name FROM approvals v JOIN accounts a ON a.id = v.approver_id";

fn approval_from_row(row: &PgRow) -> Result<Approval, StoreError> {
    let tier: i64 = row.try_get("tier")?;
    Ok(Approval {
        id: row.try_get("id")?,
        session_id: row.try_get("session_id")?,
        tier: u32::try_from(tier).map_err(|e| corrupt("approvals", e))?,
        approver_id: row.try_get("approver_id")?,
        approver_name: row.try_get("approver_name")?,
        decision: parsed::<Decision>(row, "approvals", "decision")?,
        notes: row.try_get("notes")?,
        from_address: row.try_get("from_address")?,
        decided_at: time(row, "decided_at")?,
    })
}

fn log_line_from_row(row: &PgRow) -> Result<LogLine, StoreError> {
    let line: i64 = row.try_get("line_number")?;
    Ok(LogLine {
        line_number: u64::try_from(line).map_err(|e| corrupt("session_log", e))?,
        at: time(row, "at")?,
        level: wire_enum::<LogLevel>(row, "session_log", "level")?,
        actor: row.try_get("actor")?,
        message: row.try_get("message")?,
    })
}

/// The catalog: read from the tables, then from memory until its generation moves.
impl PostgresStore {
    async fn cached_catalog(&self) -> Result<CachedCatalog, StoreError> {
        let generation: i64 = sqlx::query_scalar("SELECT generation FROM catalog_generation")
            .fetch_one(&self.pool)
            .await?;
        if let Some((cached, catalog)) = self.catalog.read().await.as_ref() {
            if *cached == generation {
                return Ok(catalog.clone());
            }
        }
        // Read after the generation: a replacement meanwhile is newer than `generation`, so
        // the next read finds the generation moved and reads again.
        let catalog = Arc::new(GrantCatalog {
            activities: self.load_activities().await?,
            resources: self.load_resources().await?,
            policies: self.load_policies().await?,
        });
        let mut cached = self.catalog.write().await;
        if cached.as_ref().is_none_or(|(at, _)| *at <= generation) {
            *cached = Some((generation, catalog.clone()));
        }
        Ok(catalog)
    }

    async fn load_activities(&self) -> Result<Vec<Activity>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM activities WHERE retired_at IS NULL ORDER BY lower(name) COLLATE \"C\"",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Activity {
                    id: row.try_get("id")?,
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
        let rows = sqlx::query(
            "SELECT * FROM resources WHERE retired_at IS NULL ORDER BY lower(name) COLLATE \"C\"",
        )
        .fetch_all(&self.pool)
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
                    id: row.try_get("id")?,
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
        let rows = sqlx::query("SELECT * FROM policies WHERE retired_at IS NULL ORDER BY position")
            .fetch_all(&self.pool)
            .await?;
        let mut members = links(&self.pool, "policy_members", "account_id").await?;
        let mut activities = links(&self.pool, "policy_activities", "activity_id").await?;
        let mut resources = links(&self.pool, "policy_resources", "resource_id").await?;

        let tier_rows = sqlx::query(
            "SELECT policy_id, position, required FROM approval_tiers ORDER BY policy_id, position",
        )
        .fetch_all(&self.pool)
        .await?;
        let approver_rows = sqlx::query(
            "SELECT policy_id, position, account_id, role FROM approval_tier_approvers ORDER BY seq",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut approvers: HashMap<(Uuid, i64), Vec<Approver>> = HashMap::new();
        for row in &approver_rows {
            let account: Option<Uuid> = row.try_get("account_id")?;
            let role: Option<String> = row.try_get("role")?;
            let approver = match (account, role) {
                (Some(account), _) => Approver::Account(account),
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
                .entry((row.try_get("policy_id")?, row.try_get("position")?))
                .or_default()
                .push(approver);
        }
        let mut tiers: HashMap<Uuid, Vec<ApprovalTier>> = HashMap::new();
        for row in &tier_rows {
            let policy: Uuid = row.try_get("policy_id")?;
            let position: i64 = row.try_get("position")?;
            let required: i64 = row.try_get("required")?;
            tiers.entry(policy).or_default().push(ApprovalTier {
                required: u32::try_from(required).map_err(|e| corrupt("approval_tiers", e))?,
                approvers: approvers.remove(&(policy, position)).unwrap_or_default(),
            });
        }

        let mut notify: HashMap<Uuid, Vec<Notification>> = HashMap::new();
        for row in sqlx::query("SELECT * FROM policy_webhooks ORDER BY policy_id, position")
            .fetch_all(&self.pool)
            .await?
            .iter()
        {
            let retries: i64 = row.try_get("retries")?;
            notify
                .entry(row.try_get("policy_id")?)
                .or_default()
                .push(Notification {
                    url: row.try_get("url")?,
                    timeout: duration(row.try_get("timeout_secs")?),
                    retries: u32::try_from(retries).map_err(|e| corrupt("policy_webhooks", e))?,
                });
        }

        rows.iter()
            .map(|row| {
                let id: Uuid = row.try_get("id")?;
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

/// The stored condition for one shown state: Locked is an active state with its lock set, and
/// Available and Logged In are those states without it.
fn state_condition(state: SessionState) -> String {
    match state {
        SessionState::Locked => "(s.locked AND s.state IN ('Available', 'LoggedIn'))".into(),
        SessionState::Available | SessionState::LoggedIn => {
            format!("(NOT s.locked AND s.state = '{}')", state.identifier())
        }
        other => format!("s.state = '{}'", other.identifier()),
    }
}

fn states_condition(states: &[SessionState]) -> String {
    if states.is_empty() {
        return "FALSE".into();
    }
    let parts: Vec<String> = states.iter().map(|s| state_condition(*s)).collect();
    format!("({})", parts.join(" OR "))
}

/// The summary status value of the shown state, for sorting by status.
fn status_value_expression() -> String {
    let mut cases = vec![format!(
        "WHEN s.locked AND s.state IN ('Available', 'LoggedIn') THEN {}",
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
fn push_duration(builder: &mut QueryBuilder<'_, Postgres>, now: DateTime<Utc>) {
    let (before, after) = duration_sql("s", "GREATEST");
    builder.push(before);
    builder.push_bind(now.timestamp());
    builder.push(after);
}

/// A query's filters with the names it gives resolved to ids (from the small catalog
/// tables), so that the session table is filtered by its own indexed columns only.
struct Resolved {
    query: SessionQuery,
    /// `None`: no such filter; `Some(empty)`: nothing can match.
    users: Option<Vec<Uuid>>,
    resources: Option<Vec<Uuid>>,
    activities: Option<Vec<Uuid>>,
    text: Option<TextMatch>,
}

impl Resolved {
    fn matches_nothing(&self) -> bool {
        [&self.users, &self.resources, &self.activities]
            .iter()
            .any(|ids| ids.as_ref().is_some_and(Vec::is_empty))
    }

    /// Whether the tally (sessions per requester, resource, activity, state and lock) can
    /// answer for the filters: all but the period are on its columns.
    fn tally_answers(&self) -> bool {
        self.query.from.is_none() && self.query.to.is_none()
    }

    /// ` WHERE ...` for the sessions table aliased `s`: every filter and the free text.
    fn push_where(&self, builder: &mut QueryBuilder<'_, Postgres>) {
        self.push_filters(builder);
        if let Some(text) = &self.text {
            builder.push(" AND ");
            text.push_anywhere(builder);
        }
    }

    /// ` WHERE ...` with every filter but the free text, for the sessions table or the tally
    /// (aliased `s`; the tally only without a period).
    fn push_filters(&self, builder: &mut QueryBuilder<'_, Postgres>) {
        let query = &self.query;
        builder.push(" WHERE TRUE");
        if let Some(account) = query.created_by {
            builder.push(" AND s.created_by = ");
            builder.push_bind(account);
        }
        if let Some(resource) = query.resource_id {
            builder.push(" AND s.resource_id = ");
            builder.push_bind(resource);
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
                builder.push(format!(" AND {column} = ANY("));
                builder.push_bind(ids.clone());
                builder.push(")");
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

    /// ` WHERE ...` for the tally aliased `s`: the filters, and with a free text only the
    /// groups a name or state of which holds it (their sessions all match).
    fn push_tally_where(&self, builder: &mut QueryBuilder<'_, Postgres>) {
        self.push_filters(builder);
        if let Some(text) = &self.text {
            builder.push(" AND ");
            text.push_names(builder);
        }
    }

    /// ` WHERE ...` for the sessions aliased `s` that match by their note or ticket only (no
    /// name or state of theirs holds the text): what the tally's name part leaves out.
    fn push_notes_where(&self, builder: &mut QueryBuilder<'_, Postgres>, text: &TextMatch) {
        self.push_filters(builder);
        builder.push(" AND ");
        text.push_note_test(builder);
        if text.names_anything() {
            builder.push(" AND NOT ");
            text.push_names(builder);
        }
    }
}

/// A free text split by where its words live, with the conditions PostgreSQL tests it by.
type TextMatch = super::common::TextMatch<Uuid>;

impl TextMatch {
    /// `(...)`: the session or tally group aliased `s` has a name or state holding the text;
    /// `(FALSE)` when nothing is named. Only the terms that exist are written, so that each
    /// can come from its index.
    fn push_names(&self, builder: &mut QueryBuilder<'_, Postgres>) {
        builder.push("(");
        let mut joiner = "";
        for (column, ids) in [
            ("s.created_by", &self.users),
            ("s.resource_id", &self.resources),
            ("s.activity_id", &self.activities),
        ] {
            if !ids.is_empty() {
                builder.push(format!("{joiner}{column} = ANY("));
                builder.push_bind(ids.clone());
                builder.push(")");
                joiner = " OR ";
            }
        }
        if !self.states.is_empty() {
            builder.push(joiner);
            builder.push(states_condition(&self.states));
            joiner = " OR ";
        }
        if joiner.is_empty() {
            builder.push("FALSE");
        }
        builder.push(")");
    }

    /// `(...)`: the session aliased `s` matches the text anywhere. The note is matched with
    /// LIKE, from the trigram index when there is one (pg_trgm), else by testing each row.
    fn push_anywhere(&self, builder: &mut QueryBuilder<'_, Postgres>) {
        builder.push("(");
        if self.names_anything() {
            self.push_names(builder);
            builder.push(" OR ");
        }
        self.push_note_test(builder);
        builder.push(")");
    }

    /// The session aliased `s` holds the text in its note or ticket. A text of several words
    /// is looked up in the trigram index by its longest word alone, and the whole text is
    /// tested on the rows found. The index's work is the intersection of every trigram's
    /// list, and a short common word has trigrams in nearly every note: for "restart the"
    /// at 100,000 sessions the index took 3.3 ms, and 1.3 ms for "restart", with the same
    /// rows read. `strpos` rather than LIKE for the whole text: both are folded, and the
    /// index cannot serve `strpos`, so the planner does not intersect its trigrams anyway.
    ///
    /// A text shorter than a trigram is tested by `strpos` alone. Its statement then differs
    /// from the indexed ones: PostgreSQL keeps a statement's generic plan whatever the
    /// settings it was planned under, and a plan made for a scan must not serve a read that
    /// the index can answer.
    fn push_note_test(&self, builder: &mut QueryBuilder<'_, Postgres>) {
        if !self.indexable() {
            builder.push("strpos(s.search_text, ");
            builder.push_bind(self.folded.clone());
            builder.push(") > 0");
            return;
        }
        match self.index_word() {
            Some(word) => {
                builder.push("(s.search_text LIKE ");
                builder.push_bind(like_pattern(word));
                builder.push(" AND strpos(s.search_text, ");
                builder.push_bind(self.folded.clone());
                builder.push(") > 0)");
            }
            None => {
                builder.push("s.search_text LIKE ");
                builder.push_bind(like_pattern(&self.folded));
            }
        }
    }

    /// Whether the trigram index can find the text: it has a trigram.
    fn indexable(&self) -> bool {
        self.folded.chars().count() >= TRIGRAM
    }

    /// The longest word of a text of several (words as pg_trgm splits them: runs of letters
    /// and digits), when it is long enough for the trigram index; `None` for a text of one
    /// word, or of none that long.
    fn index_word(&self) -> Option<&str> {
        let word = self
            .folded
            .split(|c: char| !c.is_alphanumeric())
            .max_by_key(|word| word.chars().count())?;
        (word.len() < self.folded.len() && word.chars().count() >= TRIGRAM).then_some(word)
    }
}

/// Below this many characters the trigram index cannot help, and `strpos` tests each row.
const TRIGRAM: usize = 3;

/// Session queries: the trait's methods delegate here.
impl PostgresStore {
    async fn resolve(&self, query: &SessionQuery) -> Result<Resolved, StoreError> {
        let users = if query.users.is_empty() {
            None
        } else {
            let rows = sqlx::query("SELECT id, name, display_name FROM accounts")
                .fetch_all(&self.pool)
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
                    ids.push(row.try_get::<Uuid, _>("id")?);
                }
            }
            Some(ids)
        };
        let resources = self
            .ids_named(
                "SELECT id FROM resources WHERE lower(name) = lower($1)
                    OR lower(display_name) = lower($1) OR id::text = lower($1)",
                &query.resources,
            )
            .await?;
        let mut activities = self
            .ids_named(
                "SELECT id FROM activities WHERE lower(name) = lower($1) OR id::text = lower($1)",
                &query.activities,
            )
            .await?;
        if let Some(of_platforms) = self
            .ids_named(
                "SELECT id FROM activities WHERE lower(platform) = lower($1)",
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
            Some(text) if !text.is_empty() => Some(self.text_match(text).await?),
            _ => None,
        };
        Ok(Resolved {
            query: query.clone(),
            users,
            resources,
            activities,
            text,
        })
    }

    /// Splits the free text: names are compared case-folded in Rust, as notes are folded
    /// when written, so that matching does not depend on the database's locale.
    async fn text_match(&self, text: &str) -> Result<TextMatch, StoreError> {
        let rows: Vec<(i64, Uuid, String, Option<String>)> =
            sqlx::query_as(CATALOG_NAMES).fetch_all(&self.pool).await?;
        Ok(TextMatch::new(text, rows))
    }

    /// The ids `sql` (with the name as `$1`) finds for any of `names`; `None` when there are
    /// no names (no filter).
    async fn ids_named(
        &self,
        sql: &str,
        names: &[String],
    ) -> Result<Option<Vec<Uuid>>, StoreError> {
        if names.is_empty() {
            return Ok(None);
        }
        let mut ids = Vec::new();
        for name in names {
            let found: Vec<Uuid> = sqlx::query_scalar(sql)
                .bind(name.trim())
                .fetch_all(&self.pool)
                .await?;
            for id in found {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        Ok(Some(ids))
    }

    async fn search(&self, query: &SessionQuery) -> Result<SessionPage, StoreError> {
        let resolved = self.resolve(query).await?;
        self.search_resolved(&resolved, None).await
    }

    /// `search` of a resolved query, with its total when already counted.
    async fn search_resolved(
        &self,
        resolved: &Resolved,
        known_total: Option<u64>,
    ) -> Result<SessionPage, StoreError> {
        let query = &resolved.query;
        if resolved.matches_nothing() {
            return Ok(SessionPage::default());
        }
        // Search reads its summary first: its count is the total, and reading the note
        // matches again for it would double the work.
        let total = match known_total {
            Some(total) => total,
            None => u64::try_from(self.total(resolved).await?).unwrap_or(0),
        };
        if query.take == Some(0) || total == 0 {
            return Ok(SessionPage {
                sessions: Vec::new(),
                total,
            });
        }

        // The page's ids first, from the sessions table alone (joined only to what a sort by
        // name needs), then their rows by id. Planned with all five joins, the page took 5 to
        // 7 ms to plan on every search (a LIKE keeps it from a generic plan), against 0.2 ms
        // alone; the read by ids is planned once per connection.
        let mut select = QueryBuilder::<Postgres>::new("SELECT s.id FROM sessions s");
        match query.sort {
            SessionSort::User => {
                select.push(" JOIN accounts c ON c.id = s.created_by");
            }
            SessionSort::Resource => {
                select.push(" JOIN resources r ON r.id = s.resource_id");
            }
            SessionSort::Activity => {
                select.push(" JOIN activities a ON a.id = s.activity_id");
            }
            _ => {}
        }
        resolved.push_where(&mut select);
        let direction = if query.descending { "DESC" } else { "ASC" };
        // SQLite puts NULL first in ascending order; so does this store.
        let nulls = if query.descending {
            "NULLS LAST"
        } else {
            "NULLS FIRST"
        };
        select.push(" ORDER BY ");
        match query.sort {
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
                select.push("lower(c.name) COLLATE \"C\"");
            }
            SessionSort::Resource => {
                select.push("lower(r.name) COLLATE \"C\"");
            }
            SessionSort::Activity => {
                select.push("lower(a.name) COLLATE \"C\"");
            }
            SessionSort::Status => {
                select.push(status_value_expression());
            }
            SessionSort::Duration => push_duration(&mut select, query.now.unwrap_or_default()),
            SessionSort::Id => {
                select.push("s.id");
            }
            SessionSort::LoginAccount => {
                select.push("lower(s.login_account_name) COLLATE \"C\"");
            }
        }
        if query.sort == SessionSort::Created {
            select.push(format!(" {direction}, s.id {direction} LIMIT "));
        } else {
            select.push(format!(
                " {direction} {nulls}, s.created_at {direction}, s.id {direction} LIMIT "
            ));
        }
        select.push_bind(limit(query.take));
        select.push(" OFFSET ");
        select.push_bind(i64::try_from(query.skip).unwrap_or(i64::MAX));
        let ids: Vec<Uuid> = select.build_query_scalar().fetch_all(&self.pool).await?;
        let mut found = self.sessions(&ids).await?;
        // In the page's order (a page without a limit can hold every session).
        let order: HashMap<Uuid, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        found.sort_by_key(|session| order.get(&session.id).copied());
        Ok(SessionPage {
            sessions: found,
            total,
        })
    }

    async fn count_by_state(
        &self,
        query: &SessionQuery,
    ) -> Result<Vec<(SessionState, u64)>, StoreError> {
        let resolved = self.resolve(query).await?;
        if resolved.matches_nothing() {
            return Ok(Vec::new());
        }
        let mut builder = if resolved.tally_answers() {
            // The groups of the names from the tally, plus the sessions that match by their
            // note only.
            let mut builder = QueryBuilder::<Postgres>::new(
                "SELECT s.state, s.locked, SUM(s.n)::BIGINT AS n FROM session_tally_now s",
            );
            resolved.push_tally_where(&mut builder);
            // Groups whose sessions all moved on leave rows at zero.
            builder.push(" GROUP BY s.state, s.locked HAVING SUM(s.n) > 0");
            builder
        } else {
            let mut builder = QueryBuilder::<Postgres>::new(
                "SELECT s.state, s.locked, COUNT(*) AS n FROM sessions s",
            );
            resolved.push_where(&mut builder);
            builder.push(" GROUP BY s.state, s.locked");
            builder
        };
        let rows = if resolved.tally_answers() {
            self.read_tally(&mut builder).await?
        } else {
            builder.build().fetch_all(&self.pool).await?
        };
        let mut groups: Vec<(String, bool, i64)> = Vec::new();
        for row in rows {
            groups.push((
                row.try_get("state")?,
                row.try_get("locked")?,
                row.try_get("n")?,
            ));
        }
        if let (true, Some(text)) = (resolved.tally_answers(), &resolved.text) {
            for group in self.note_matches(&resolved, text).await?.iter() {
                groups.push((group.state.clone(), group.locked, group.n));
            }
        }
        let mut counts: Vec<(SessionState, u64)> = Vec::new();
        for (state, locked, n) in groups {
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

    /// How many sessions match: without a period, the tally's groups of the names plus the
    /// sessions that match by their note only; with a period, counted from the sessions.
    async fn total(&self, resolved: &Resolved) -> Result<i64, StoreError> {
        if !resolved.tally_answers() {
            let mut count = QueryBuilder::<Postgres>::new("SELECT COUNT(*) FROM sessions s");
            resolved.push_where(&mut count);
            return Ok(count.build_query_scalar().fetch_one(&self.pool).await?);
        }
        let mut count = QueryBuilder::<Postgres>::new(
            "SELECT (SELECT COALESCE(SUM(s.n), 0)::BIGINT FROM session_tally_now s",
        );
        resolved.push_tally_where(&mut count);
        count.push(")");
        let by_names: i64 = match self.read_tally(&mut count).await?.first() {
            Some(row) => row.try_get(0)?,
            None => 0,
        };
        let by_notes = match &resolved.text {
            Some(text) => self
                .note_matches(resolved, text)
                .await?
                .iter()
                .map(|group| group.n)
                .sum(),
            None => 0,
        };
        Ok(by_names + by_notes)
    }

    /// The sessions in the filters that match the text by their note only (no name or state
    /// of theirs holds it), per requester, state and lock. Read afresh each time: an answer
    /// kept until a session changes would make repeated searches measure the keeping.
    async fn note_matches(
        &self,
        resolved: &Resolved,
        text: &TextMatch,
    ) -> Result<Vec<NoteGroup>, StoreError> {
        // What each session adds, as the tally's session_tally_part computes it, written out
        // here: a function in FROM is called once per row (60 ms for 12,800 matches), while
        // a subquery of expressions is folded into the scan.
        let second = |column: &str| whole_second(&format!("s.{column}"));
        let mut builder = QueryBuilder::<Postgres>::new(format!(
            "SELECT s.created_by AS account_id, s.state, s.locked, COUNT(*) AS n,
                COALESCE(SUM(p.fixed) FILTER (WHERE NOT p.running), 0)::BIGINT AS fixed_sum,
                MIN(p.fixed) FILTER (WHERE NOT p.running) AS fixed_min,
                MAX(p.fixed) FILTER (WHERE NOT p.running) AS fixed_max,
                COUNT(*) FILTER (WHERE p.running) AS run_n,
                COALESCE(SUM(p.start_second) FILTER (WHERE p.running), 0)::BIGINT AS run_sum,
                MIN(p.start_second) FILTER (WHERE p.running) AS run_min,
                MAX(p.start_second) FILTER (WHERE p.running) AS run_max
            FROM sessions s CROSS JOIN LATERAL (SELECT
                s.actual_start_at IS NOT NULL AND s.actual_end_at IS NULL AS running,
                CASE WHEN s.actual_start_at IS NOT NULL THEN GREATEST(0, {end} - {start})
                    WHEN s.state IN ({finals}) THEN 0
                    ELSE GREATEST(0, {scheduled_end} - {scheduled_start}) END AS fixed,
                {start} AS start_second) p",
            end = second("actual_end_at"),
            start = second("actual_start_at"),
            scheduled_end = second("scheduled_end_at"),
            scheduled_start = second("scheduled_start_at"),
            finals = final_identifiers(),
        ));
        resolved.push_notes_where(&mut builder, text);
        builder.push(" GROUP BY s.created_by, s.state, s.locked");
        let rows = self.read_notes(resolved, &mut builder).await?;
        let mut groups = Vec::with_capacity(rows.len());
        for row in &rows {
            groups.push(NoteGroup {
                account_id: row.try_get("account_id")?,
                state: row.try_get("state")?,
                locked: row.try_get("locked")?,
                n: row.try_get("n")?,
                fixed_sum: row.try_get("fixed_sum")?,
                fixed_min: row.try_get("fixed_min")?,
                fixed_max: row.try_get("fixed_max")?,
                run_n: row.try_get("run_n")?,
                run_sum: row.try_get("run_sum")?,
                run_min: row.try_get("run_min")?,
                run_max: row.try_get("run_max")?,
            });
        }
        Ok(groups)
    }

    /// Runs a read of the tally. Its view is planned in about 2 ms, on every call when left
    /// to choose (the ids it is given keep PostgreSQL from a generic plan), while the generic
    /// plan reads the few hundred tally rows in under a millisecond: it is made generic for
    /// this read's own transaction.
    async fn read_tally(
        &self,
        builder: &mut QueryBuilder<'_, Postgres>,
    ) -> Result<Vec<PgRow>, StoreError> {
        let mut tx = self.pool.begin_with(BEGIN_GENERIC_READ).await?;
        let rows = builder.build().fetch_all(&mut *tx).await?;
        tx.commit().await?;
        Ok(rows)
    }

    /// Runs a read of the sessions that match by their note: PostgreSQL's planner prices
    /// LIKE's row test too low, and scans every session when a text is in more than a few
    /// percent of the notes (40 to 70 ms at 100,000 sessions, against 15 ms through the
    /// trigram index), so scans are priced out for this read's own transaction. Without the
    /// index (no pg_trgm), or for a text shorter than a trigram, it scans all the same, with
    /// the same answers.
    async fn read_notes(
        &self,
        resolved: &Resolved,
        builder: &mut QueryBuilder<'_, Postgres>,
    ) -> Result<Vec<PgRow>, StoreError> {
        let indexable = resolved.text.as_ref().is_some_and(TextMatch::indexable);
        if !indexable {
            return Ok(builder.build().fetch_all(&self.pool).await?);
        }
        let mut tx = self.pool.begin_with(BEGIN_NOTE_READ).await?;
        let rows = builder.build().fetch_all(&mut *tx).await?;
        tx.commit().await?;
        Ok(rows)
    }

    async fn durations(
        &self,
        query: &SessionQuery,
        now: DateTime<Utc>,
        top_users: Option<u64>,
    ) -> Result<(Durations, Vec<UserDurations>), StoreError> {
        let resolved = self.resolve(query).await?;
        self.durations_resolved(&resolved, now, top_users).await
    }

    /// `durations` of a resolved query.
    async fn durations_resolved(
        &self,
        resolved: &Resolved,
        now: DateTime<Utc>,
        top_users: Option<u64>,
    ) -> Result<(Durations, Vec<UserDurations>), StoreError> {
        if resolved.matches_nothing() {
            return Ok((Durations::default(), Vec::new()));
        }
        let tallied = if resolved.tally_answers() {
            self.tallied_durations(resolved, now).await?
        } else {
            None
        };
        let mut parts = match tallied {
            Some(parts) => parts,
            None => self.read_durations(resolved, now).await?,
        };
        let summary = UserPart::sum(&parts);
        let mut users = Vec::new();
        if top_users != Some(0) {
            parts.sort_by(|a, b| {
                b.n.cmp(&a.n)
                    .then(b.total.cmp(&a.total))
                    .then(a.account_id.cmp(&b.account_id))
            });
            if let Some(top) = top_users {
                parts.truncate(usize::try_from(top).unwrap_or(usize::MAX));
            }
            let ids: Vec<Uuid> = parts.iter().map(|part| part.account_id).collect();
            let names: HashMap<Uuid, String> =
                sqlx::query_as("SELECT id, name FROM accounts WHERE id = ANY($1)")
                    .bind(&ids)
                    .fetch_all(&self.pool)
                    .await?
                    .into_iter()
                    .collect();
            for part in &parts {
                users.push(UserDurations {
                    account_id: part.account_id,
                    name: names.get(&part.account_id).cloned().unwrap_or_default(),
                    durations: UserPart::sum(std::slice::from_ref(part)),
                });
            }
        }
        Ok((summary, users))
    }

    /// Each requester's durations from the tally: its groups' fixed parts, their running
    /// parts at `now` (a running session lasts now's second minus its start's), the extremes
    /// of stale groups from their sessions, and the sessions matching by their note only.
    /// `None` when a matching session started after `now` (a clock behind): the rule clamps
    /// those at zero, which only their rows can tell.
    async fn tallied_durations(
        &self,
        resolved: &Resolved,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<UserPart>>, StoreError> {
        let now_second = now.timestamp();
        let mut builder = QueryBuilder::<Postgres>::new(
            "SELECT p.account_id, SUM(p.n)::BIGINT AS n, SUM(p.total)::BIGINT AS total,
                MIN(p.least) AS least, MAX(p.most) AS most, MAX(p.latest_start) AS latest_start
             FROM (SELECT s.created_by AS account_id, s.fixed_n + s.run_n AS n, s.fixed_sum + s.run_n * ",
        );
        builder.push_bind(now_second);
        builder.push(" - s.run_sum AS total, CASE WHEN s.stale THEN NULL ELSE LEAST(s.fixed_min, ");
        builder.push_bind(now_second);
        builder.push(
            " - s.run_max) END AS least, CASE WHEN s.stale THEN NULL ELSE GREATEST(s.fixed_max, ",
        );
        builder.push_bind(now_second);
        builder
            .push(" - s.run_min) END AS most, s.run_max AS latest_start FROM session_tally_now s");
        resolved.push_tally_where(&mut builder);
        builder.push(" AND s.n > 0");
        // Stale groups: their extremes from their own sessions (counts and sums stay exact),
        // group by group through the group's index. Written per group (LATERAL), so that
        // the planner cannot join all sessions to the few stale groups, which took 20 ms of
        // parallel scan when there were none.
        builder.push(
            " UNION ALL SELECT g.created_by, 0, 0, x.least, x.most, NULL
             FROM (SELECT s.* FROM session_tally_now s",
        );
        resolved.push_tally_where(&mut builder);
        builder.push(" AND s.stale) g CROSS JOIN LATERAL (SELECT MIN(d) AS least, MAX(d) AS most FROM (SELECT ");
        let (before, after) = duration_sql("x", "GREATEST");
        builder.push(before);
        builder.push_bind(now_second);
        builder.push(after);
        builder.push(
            " AS d FROM sessions x WHERE x.created_by = g.created_by
                AND x.resource_id = g.resource_id AND x.activity_id = g.activity_id
                AND x.state = g.state AND x.locked = g.locked) durations) x",
        );
        builder.push(") p GROUP BY p.account_id HAVING SUM(p.n) > 0");
        let rows = self.read_tally(&mut builder).await?;
        let mut parts: Vec<UserPart> = Vec::with_capacity(rows.len());
        for row in &rows {
            let latest_start: Option<i64> = row.try_get("latest_start")?;
            if latest_start.is_some_and(|start| start > now_second) {
                return Ok(None);
            }
            parts.push(UserPart::from_row(row)?);
        }
        let Some(text) = &resolved.text else {
            return Ok(Some(parts));
        };
        for group in self.note_matches(resolved, text).await?.iter() {
            if group.run_max.is_some_and(|start| start > now_second) {
                return Ok(None);
            }
            let part = UserPart {
                account_id: group.account_id,
                n: group.n,
                total: group.fixed_sum + group.run_n * now_second - group.run_sum,
                least: [
                    group.fixed_min,
                    group.run_max.map(|start| now_second - start),
                ]
                .into_iter()
                .flatten()
                .min(),
                most: [
                    group.fixed_max,
                    group.run_min.map(|start| now_second - start),
                ]
                .into_iter()
                .flatten()
                .max(),
            };
            match parts.iter_mut().find(|p| p.account_id == part.account_id) {
                Some(user) => user.add(&part),
                None => parts.push(part),
            }
        }
        Ok(Some(parts))
    }

    /// Each requester's durations read from every matching session.
    async fn read_durations(
        &self,
        resolved: &Resolved,
        now: DateTime<Utc>,
    ) -> Result<Vec<UserPart>, StoreError> {
        let mut builder = QueryBuilder::<Postgres>::new(
            "SELECT t.account_id, COUNT(*) AS n, SUM(t.d)::BIGINT AS total, MIN(t.d) AS least,
                MAX(t.d) AS most FROM (SELECT s.created_by AS account_id, ",
        );
        push_duration(&mut builder, now);
        builder.push(" AS d FROM sessions s");
        resolved.push_where(&mut builder);
        builder.push(") t GROUP BY t.account_id");
        let rows = builder.build().fetch_all(&self.pool).await?;
        rows.iter().map(UserPart::from_row).collect()
    }

    async fn log_page(
        &self,
        id: Uuid,
        query: &LogQuery,
    ) -> Result<(Vec<LogLine>, u64), StoreError> {
        let push_where = |builder: &mut QueryBuilder<'_, Postgres>| {
            builder.push(" FROM session_log WHERE session_id = ");
            builder.push_bind(id);
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
                builder.push(" AND (message ILIKE ");
                builder.push_bind(like_pattern(text));
                builder.push(" OR actor ILIKE ");
                builder.push_bind(like_pattern(text));
                builder.push(")");
            }
        };
        let mut count = QueryBuilder::<Postgres>::new("SELECT COUNT(*)");
        push_where(&mut count);
        let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await?;
        let mut select =
            QueryBuilder::<Postgres>::new("SELECT line_number, at, level, actor, message");
        push_where(&mut select);
        select.push(if query.descending {
            " ORDER BY line_number DESC LIMIT "
        } else {
            " ORDER BY line_number LIMIT "
        });
        select.push_bind(limit(query.take));
        select.push(" OFFSET ");
        select.push_bind(i64::try_from(query.skip).unwrap_or(i64::MAX));
        let rows = select.build().fetch_all(&self.pool).await?;
        Ok((
            rows.iter()
                .map(log_line_from_row)
                .collect::<Result<_, _>>()?,
            u64::try_from(total).unwrap_or(0),
        ))
    }
}

/// The sessions of one requester, state and lock that match a text by their note only: how
/// many, and the sums and extremes of their durations as the tally keeps them (fixed ones,
/// and running ones' start seconds).
struct NoteGroup {
    account_id: Uuid,
    state: String,
    locked: bool,
    n: i64,
    fixed_sum: i64,
    fixed_min: Option<i64>,
    fixed_max: Option<i64>,
    run_n: i64,
    run_sum: i64,
    run_min: Option<i64>,
    run_max: Option<i64>,
}

/// One requester's matching sessions: how many, and the sum and extremes of their durations.
struct UserPart {
    account_id: Uuid,
    n: i64,
    total: i64,
    least: Option<i64>,
    most: Option<i64>,
}

impl UserPart {
    fn add(&mut self, other: &UserPart) {
        self.n += other.n;
        self.total += other.total;
        self.least = [self.least, other.least].into_iter().flatten().min();
        self.most = [self.most, other.most].into_iter().flatten().max();
    }

    fn from_row(row: &PgRow) -> Result<Self, StoreError> {
        Ok(Self {
            account_id: row.try_get("account_id")?,
            n: row.try_get("n")?,
            total: row.try_get("total")?,
            least: row.try_get("least")?,
            most: row.try_get("most")?,
        })
    }

    /// The durations of all of `parts` together (zeros when there are none).
    fn sum(parts: &[UserPart]) -> Durations {
        let count: i64 = parts.iter().map(|part| part.n).sum();
        let sum: i64 = parts.iter().map(|part| part.total).sum();
        Durations {
            count: u64::try_from(count).unwrap_or(0),
            sum,
            avg: if count == 0 { 0 } else { sum / count },
            min: parts
                .iter()
                .filter_map(|part| part.least)
                .min()
                .unwrap_or(0),
            max: parts.iter().filter_map(|part| part.most).max().unwrap_or(0),
        }
    }
}

/// Takes `lock` for this transaction if no other replica holds it: `false` means another
/// replica is doing the work.
async fn take_singleton_lock(
    tx: &mut Transaction<'_, Postgres>,
    lock: i64,
) -> Result<bool, StoreError> {
    Ok(sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)")
        .bind(lock)
        .fetch_one(&mut **tx)
        .await?)
}

/// Queues events for `chain_audit`, in their order (ids are given as the rows are
/// inserted), without a lock: writers never wait on each other for the audit trail.
async fn queue_audit_in_tx(
    tx: &mut Transaction<'_, Postgres>,
    events: &[AuditEvent],
) -> Result<(), StoreError> {
    if events.is_empty() {
        return Ok(());
    }
    // In chunks, in order: a batch's events together could pass the bind limit.
    for chunk in events.chunks(AUDIT_QUEUE_ROWS) {
        let mut insert = QueryBuilder::<Postgres>::new(
            "INSERT INTO audit_queue (at, actor_id, actor_name, source, action, target, outcome, detail) ",
        );
        insert.push_values(chunk, |mut row, event| push_event(&mut row, event));
        insert.build().execute(&mut **tx).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index_word(text: &str) -> Option<String> {
        let none: Vec<(i64, Uuid, String, Option<String>)> = Vec::new();
        TextMatch::new(text, none).index_word().map(str::to_owned)
    }

    #[test]
    fn a_text_of_several_words_is_looked_up_by_its_longest() {
        assert_eq!(index_word("Restart the").as_deref(), Some("restart"));
        assert_eq!(index_word("CHG-004218").as_deref(), Some("004218"));
        assert_eq!(index_word("fix 1").as_deref(), Some("fix"));
        assert_eq!(
            index_word("Überprüfung der").as_deref(),
            Some("überprüfung")
        );
    }

    #[test]
    fn one_word_or_only_short_words_are_looked_up_whole() {
        assert_eq!(index_word("certificate"), None);
        assert_eq!(index_word("ab cd"), None);
        assert_eq!(index_word("ix"), None);
    }
}
