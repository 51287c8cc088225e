//! The embedded store: one SQLite file in WAL mode with foreign keys on.

use std::collections::HashMap;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Row, Sqlite, SqlitePool, Transaction};
use uuid::Uuid;

use super::{CatalogIds, Store, StoreError};
use crate::broker::model::{
    Account, ActionSpec, Activity, Approval, ApprovalTier, Approver, Catalog, Decision,
    ExtensionRule, LogEntry, LogLine, Notification, Policy, Resource, Session, TokenRecord,
};
use crate::broker::secret::token_digest;
use crate::wire::enums::{ActivityType, LogLevel, LoginAccount, ResourceType, WireEnum};
use crate::wire::status::SessionState;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("src/store/migrations/sqlite");

pub struct SqliteStore {
    pool: SqlitePool,
}

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
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(Self { pool })
    }
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

fn secs(duration: Duration) -> i64 {
    i64::try_from(duration.as_secs()).unwrap_or(i64::MAX)
}

fn duration(value: i64) -> Duration {
    Duration::from_secs(u64::try_from(value).unwrap_or(0))
}

/// A digest of an entry's content, so that `modified_at` moves only when the content does.
fn fingerprint(content: impl std::fmt::Debug) -> String {
    token_digest(&format!("{content:?}"))
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
        created_at: row.try_get("created_at")?,
        expires_at: row.try_get("expires_at")?,
        revoked_at: row.try_get("revoked_at")?,
        created_from: row.try_get("created_from")?,
    })
}

async fn names_to_ids(pool: &SqlitePool, table: &str) -> Result<HashMap<String, Uuid>, StoreError> {
    let rows = sqlx::query(&format!("SELECT id, name FROM {table}"))
        .fetch_all(pool)
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
    .bind(now)
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
    .bind(now)
    .bind(now)
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
    .bind(now)
    .bind(now)
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
    .bind(now)
    .bind(now)
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
    .bind(now)
    .bind(now)
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
    pool: &SqlitePool,
    table: &str,
    column: &str,
) -> Result<HashMap<Uuid, Vec<Uuid>>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT policy_id, {column} FROM {table} ORDER BY rowid"
    ))
    .fetch_all(pool)
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
        let mut tx = self.pool.begin().await?;
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
        Ok(())
    }

    async fn account(&self, id: Uuid) -> Result<Option<Account>, StoreError> {
        sqlx::query("SELECT * FROM accounts WHERE id = ? AND retired_at IS NULL")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(account_from_row)
            .transpose()
    }

    async fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        let rows = sqlx::query("SELECT * FROM accounts WHERE retired_at IS NULL ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(account_from_row).collect()
    }

    async fn account_by_name(&self, name: &str) -> Result<Option<Account>, StoreError> {
        sqlx::query("SELECT * FROM accounts WHERE name = ? AND retired_at IS NULL")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(account_from_row)
            .transpose()
    }

    async fn insert_token(&self, token: &TokenRecord) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO tokens (id, token_digest, account_id, stage, created_at, expires_at, revoked_at, created_from)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(token.id.to_string())
        .bind(&token.digest)
        .bind(token.account_id.to_string())
        .bind(token.stage.as_str())
        .bind(token.created_at)
        .bind(token.expires_at)
        .bind(token.revoked_at)
        .bind(&token.created_from)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn token_by_digest(&self, digest: &str) -> Result<Option<TokenRecord>, StoreError> {
        sqlx::query("SELECT * FROM tokens WHERE token_digest = ?")
            .bind(digest)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(token_from_row)
            .transpose()
    }

    async fn revoke_token(&self, id: Uuid, at: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
            .bind(at)
            .bind(id.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_tokens_expired_before(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let result = sqlx::query("DELETE FROM tokens WHERE expires_at < ?")
            .bind(before)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected())
    }

    async fn activities(&self) -> Result<Vec<Activity>, StoreError> {
        let rows = sqlx::query("SELECT * FROM activities WHERE retired_at IS NULL ORDER BY name")
            .fetch_all(&self.pool)
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
                    created_at: row.try_get("created_at")?,
                    modified_at: row.try_get("modified_at")?,
                })
            })
            .collect()
    }

    async fn resources(&self) -> Result<Vec<Resource>, StoreError> {
        let rows = sqlx::query("SELECT * FROM resources WHERE retired_at IS NULL ORDER BY name")
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
                    id: uuid(row, "resources", "id")?,
                    name: row.try_get("name")?,
                    display_name: row.try_get("display_name")?,
                    platform: row.try_get("platform")?,
                    resource_type: wire_enum::<ResourceType>(row, "resources", "resource_type")?,
                    address: row.try_get("address")?,
                    port_ssh: port("port_ssh")?,
                    port_rdp: port("port_rdp")?,
                    created_at: row.try_get("created_at")?,
                    modified_at: row.try_get("modified_at")?,
                })
            })
            .collect()
    }

    async fn policies(&self) -> Result<Vec<Policy>, StoreError> {
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
            "SELECT policy_id, position, account_id, role FROM approval_tier_approvers ORDER BY rowid",
        )
        .fetch_all(&self.pool)
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
            .fetch_all(&self.pool)
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

    async fn insert_sessions(
        &self,
        group: Option<Uuid>,
        sessions: &[(Session, Vec<LogEntry>)],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.insert_sessions_in_tx(group, sessions, now).await
    }

    async fn session(&self, id: Uuid) -> Result<Option<Session>, StoreError> {
        self.session_by_id(id).await
    }

    async fn sessions(&self, created_by: Option<Uuid>) -> Result<Vec<Session>, StoreError> {
        self.all_sessions(created_by).await
    }

    async fn save_session(
        &self,
        session: &Session,
        log: &[LogEntry],
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.save_session_in_tx(session, log, None, now).await
    }

    async fn save_session_with_approval(
        &self,
        session: &Session,
        log: &[LogEntry],
        approval: &Approval,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.save_session_in_tx(session, log, Some(approval), now)
            .await
    }

    async fn approvals(&self, session: Option<Uuid>) -> Result<Vec<Approval>, StoreError> {
        self.approvals_of(session).await
    }

    async fn session_log(&self, id: Uuid) -> Result<Vec<LogLine>, StoreError> {
        self.log_of(id).await
    }

    async fn due_sessions(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<Uuid>, StoreError> {
        self.due(now, limit).await
    }

    async fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.earliest_due().await
    }

    async fn claim_session(
        &self,
        id: Uuid,
        owner: &str,
        until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.claim(id, owner, until, now).await
    }

    async fn release_session(&self, id: Uuid, owner: &str) -> Result<(), StoreError> {
        self.release(id, owner).await
    }
}

const SESSION_SELECT: &str = "SELECT s.*, a.name AS activity_name, a.activity_type AS activity_type,
        a.platform AS platform, r.name AS resource_name, r.display_name AS resource_display_name,
        p.name AS policy_name, p.extension_max_count IS NOT NULL AS extension_allowed, c.name AS created_by_name, c.display_name AS created_by_display_name,
        x.name AS cancelled_by_name
    FROM sessions s
    JOIN activities a ON a.id = s.activity_id
    JOIN resources r ON r.id = s.resource_id
    JOIN policies p ON p.id = s.policy_id
    JOIN accounts c ON c.id = s.created_by
    LEFT JOIN accounts x ON x.id = s.cancelled_by";

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
        scheduled_start: row.try_get("scheduled_start_at")?,
        actual_start: row.try_get("actual_start_at")?,
        scheduled_end: row.try_get("scheduled_end_at")?,
        actual_end: row.try_get("actual_end_at")?,
        login_at: row.try_get("login_at")?,
        cancelled_by: optional_uuid(row, "cancelled_by")?,
        cancelled_by_name: row.try_get("cancelled_by_name")?,
        note: row.try_get("note")?,
        ticket: row.try_get("ticket")?,
        custom_fields: custom_fields
            .map(|json| serde_json::from_str(&json).map_err(|e| corrupt("sessions", e)))
            .transpose()?,
        extension_count: count(row, "extension_count")?,
        extension_minutes: row.try_get("extension_minutes")?,
        approval_deadline: row.try_get("approval_deadline_at")?,
        pre_actions_done: count(row, "pre_actions_done")?,
        post_actions_done: count(row, "post_actions_done")?,
        failure_reason: row.try_get("failure_reason")?,
        cancel_requested: row.try_get("cancel_requested")?,
        due_at: row.try_get("due_at")?,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        modified_at: row.try_get("modified_at")?,
    })
}

/// Appends log lines, each numbered one past the session's last, in the caller's transaction.
async fn insert_log(
    tx: &mut Transaction<'_, Sqlite>,
    session: Uuid,
    entries: &[LogEntry],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let id = session.to_string();
    for entry in entries {
        sqlx::query(
            "INSERT INTO session_log (session_id, line_number, at, level, actor, message)
             SELECT ?, COALESCE(MAX(line_number), 0) + 1, ?, ?, ?, ? FROM session_log WHERE session_id = ?",
        )
        .bind(&id)
        .bind(now)
        .bind(entry.level.value())
        .bind(&entry.actor)
        .bind(&entry.message)
        .bind(&id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

fn custom_fields_json(session: &Session) -> Option<String> {
    session
        .custom_fields
        .as_ref()
        .map(|value| value.to_string())
}

/// Sessions: the trait's methods delegate here.
impl SqliteStore {
    async fn insert_sessions_in_tx(
        &self,
        group: Option<Uuid>,
        sessions: &[(Session, Vec<LogEntry>)],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        if let (Some(group), Some((first, _))) = (group, sessions.first()) {
            sqlx::query("INSERT INTO session_groups (id, created_by, created_at) VALUES (?, ?, ?)")
                .bind(group.to_string())
                .bind(first.created_by.to_string())
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        for (session, log) in sessions {
            sqlx::query(
                "INSERT INTO sessions (id, group_id, created_by, created_from, activity_id, resource_id, policy_id,
                    login_account_name, state, locked, scheduled_start_at, scheduled_end_at, actual_end_at,
                    note, ticket, custom_fields, approval_deadline_at, due_at, version, created_at, modified_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
            )
            .bind(session.id.to_string())
            .bind(session.group_id.map(|g| g.to_string()))
            .bind(session.created_by.to_string())
            .bind(&session.created_from)
            .bind(session.activity_id.to_string())
            .bind(session.resource_id.to_string())
            .bind(session.policy_id.to_string())
            .bind(&session.login_account_name)
            .bind(session.state.identifier())
            .bind(session.scheduled_start)
            .bind(session.scheduled_end)
            .bind(session.actual_end)
            .bind(&session.note)
            .bind(&session.ticket)
            .bind(custom_fields_json(session))
            .bind(session.approval_deadline)
            .bind(session.due_at)
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            insert_log(&mut tx, session.id, log, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn session_by_id(&self, id: Uuid) -> Result<Option<Session>, StoreError> {
        sqlx::query(&format!("{SESSION_SELECT} WHERE s.id = ?"))
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(session_from_row)
            .transpose()
    }

    async fn all_sessions(&self, created_by: Option<Uuid>) -> Result<Vec<Session>, StoreError> {
        let rows = match created_by {
            Some(account) => {
                sqlx::query(&format!(
                    "{SESSION_SELECT} WHERE s.created_by = ? ORDER BY s.created_at"
                ))
                .bind(account.to_string())
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query(&format!("{SESSION_SELECT} ORDER BY s.created_at"))
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        rows.iter().map(session_from_row).collect()
    }

    async fn save_session_in_tx(
        &self,
        session: &Session,
        log: &[LogEntry],
        approval: Option<&Approval>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let updated = sqlx::query(
            "UPDATE sessions SET state = ?, locked = ?, lock_title = ?, lock_message = ?,
                scheduled_start_at = ?, actual_start_at = ?, scheduled_end_at = ?, actual_end_at = ?, login_at = ?, cancelled_by = ?,
                extension_count = ?, extension_minutes = ?, approval_deadline_at = ?,
                pre_actions_done = ?, post_actions_done = ?, failure_reason = ?, cancel_requested = ?,
                due_at = ?, version = version + 1, modified_at = ?
             WHERE id = ? AND version = ?",
        )
        .bind(session.state.identifier())
        .bind(session.locked)
        .bind(&session.lock_title)
        .bind(&session.lock_message)
        .bind(session.scheduled_start)
        .bind(session.actual_start)
        .bind(session.scheduled_end)
        .bind(session.actual_end)
        .bind(session.login_at)
        .bind(session.cancelled_by.map(|id| id.to_string()))
        .bind(i64::from(session.extension_count))
        .bind(session.extension_minutes)
        .bind(session.approval_deadline)
        .bind(i64::from(session.pre_actions_done))
        .bind(i64::from(session.post_actions_done))
        .bind(&session.failure_reason)
        .bind(session.cancel_requested)
        .bind(session.due_at)
        .bind(now)
        .bind(session.id.to_string())
        .bind(session.version)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        if let Some(approval) = approval {
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
            .bind(approval.decided_at)
            .execute(&mut *tx)
            .await?;
        }
        insert_log(&mut tx, session.id, log, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn approvals_of(&self, session: Option<Uuid>) -> Result<Vec<Approval>, StoreError> {
        let select = "SELECT v.*, a.name AS approver_name FROM approvals v JOIN accounts a ON a.id = v.approver_id";
        let rows = match session {
            Some(id) => {
                sqlx::query(&format!(
                    "{select} WHERE v.session_id = ? ORDER BY v.decided_at, v.rowid"
                ))
                .bind(id.to_string())
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query(&format!("{select} ORDER BY v.decided_at, v.rowid"))
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        rows.iter()
            .map(|row| {
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
                    decided_at: row.try_get("decided_at")?,
                })
            })
            .collect()
    }

    async fn log_of(&self, id: Uuid) -> Result<Vec<LogLine>, StoreError> {
        let rows = sqlx::query(
            "SELECT line_number, at, level, actor, message FROM session_log WHERE session_id = ? ORDER BY line_number",
        )
        .bind(id.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let line: i64 = row.try_get("line_number")?;
                Ok(LogLine {
                    line_number: u64::try_from(line).map_err(|e| corrupt("session_log", e))?,
                    at: row.try_get("at")?,
                    level: wire_enum::<LogLevel>(row, "session_log", "level")?,
                    actor: row.try_get("actor")?,
                    message: row.try_get("message")?,
                })
            })
            .collect()
    }

    async fn due(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<Uuid>, StoreError> {
        let rows = sqlx::query("SELECT id FROM sessions WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at LIMIT ?")
            .bind(now)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|row| uuid(row, "sessions", "id")).collect()
    }

    async fn earliest_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT MIN(due_at) FROM sessions WHERE due_at IS NOT NULL")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    async fn claim(
        &self,
        id: Uuid,
        owner: &str,
        until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let claimed = sqlx::query(
            "UPDATE sessions SET lease_owner = ?, lease_until = ?
             WHERE id = ? AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < ?)",
        )
        .bind(owner)
        .bind(until)
        .bind(id.to_string())
        .bind(owner)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(claimed.rows_affected() == 1)
    }

    async fn release(&self, id: Uuid, owner: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE sessions SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?")
            .bind(id.to_string())
            .bind(owner)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
