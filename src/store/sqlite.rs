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
    Account, ActionSpec, Activity, ApprovalTier, Approver, Catalog, ExtensionRule, Policy,
    Resource, TokenRecord,
};
use crate::broker::secret::token_digest;
use crate::wire::enums::{ActivityType, LoginAccount, ResourceType, WireEnum};

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
    let content = (
        &activity.name,
        &activity.description,
        &activity.platform,
        activity.activity_type,
        activity.login_account,
        &activity.login_account_name_format,
        &pre,
        &post,
    );
    sqlx::query(
        "INSERT INTO activities (id, name, description, platform, activity_type, login_account,
            login_account_name_format, pre_session_actions, post_session_actions, fingerprint, created_at, modified_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET
            name = excluded.name, description = excluded.description, platform = excluded.platform,
            activity_type = excluded.activity_type, login_account = excluded.login_account,
            login_account_name_format = excluded.login_account_name_format,
            pre_session_actions = excluded.pre_session_actions, post_session_actions = excluded.post_session_actions,
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
                })
            })
            .collect()
    }
}
