//! The domain: accounts and sign-in, the catalog and the policies that filter it. Later: the
//! session state machine, approvals, the scheduler and actions. Nothing here knows HTTP.

pub mod access;
mod actions;
pub mod approval;
pub mod audit;
pub mod auth;
pub mod catalog;
pub mod config;
pub mod connection;
pub mod ending;
mod error;
pub mod exec;
mod pace;
mod query;
mod scheduler;
pub mod secret;
pub mod session;
mod spawn;
mod token_cache;

use std::sync::Arc;

use uuid::Uuid;

use crate::core::Clock;

pub use auth::{Caller, IssuedToken};
pub use config::ServerSettings;
pub use error::BrokerError;

use crate::core::throttle::ThrottlePolicy;
use crate::store::Store;
use config::ValidConfig;

pub struct Broker {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    settings: ServerSettings,
    throttle: ThrottlePolicy,
    tokens: token_cache::TokenCache,
    /// This broker process's name in action leases: new at every start, so that a restarted
    /// broker never mistakes its predecessor's leases for its own.
    instance: String,
    /// Wakes the timer loop (a due time changed).
    wakeup: tokio::sync::Notify,
    /// Wakes the outbox worker (runs were written, or a slot freed).
    runs_wakeup: tokio::sync::Notify,
    http: reqwest::Client,
    /// The targets and database-role activities of the configuration (set by
    /// `apply_config`); each replica reads its own file.
    access: std::sync::RwLock<Arc<access::Access>>,
}

impl Broker {
    pub fn new(store: Arc<dyn Store>, settings: ServerSettings, clock: Arc<dyn Clock>) -> Self {
        let throttle = ThrottlePolicy::new(settings.sign_in_failures_before_delay);
        Self {
            store,
            clock,
            settings,
            throttle,
            tokens: token_cache::TokenCache::default(),
            instance: Uuid::new_v4().to_string(),
            wakeup: tokio::sync::Notify::new(),
            runs_wakeup: tokio::sync::Notify::new(),
            http: reqwest::Client::builder()
                .use_rustls_tls()
                .build()
                .unwrap_or_default(),
            access: std::sync::RwLock::default(),
        }
    }

    /// Makes the store's catalog what the configuration declares (idempotent: a restart with
    /// the same configuration changes nothing). Replicas that start together take turns; with
    /// different files, the last one to start wins, and every replica serves its catalog
    /// (they read the catalog from the database).
    ///
    /// An account whose password (or API key), TOTP secret or role changed, or that was
    /// removed, loses every token it had: whoever held the old secret is signed out.
    pub async fn apply_config(&self, config: &ValidConfig) -> Result<(), BrokerError> {
        let now = self.clock.now();
        let before = self.store.accounts().await?;
        let unchanged_hashes = unchanged_secret_hashes(&before, config).await;
        self.store
            .sync_catalog(
                &|ids| {
                    let mut catalog = config.to_catalog(ids, now);
                    for account in &mut catalog.accounts {
                        if let Some(hash) = unchanged_hashes.get(&account.name.to_lowercase()) {
                            account.secret_hash = Some(hash.clone());
                        }
                    }
                    catalog
                },
                now,
            )
            .await?;
        let after: std::collections::HashMap<Uuid, crate::core::Account> = self
            .store
            .accounts()
            .await?
            .into_iter()
            .map(|account| (account.id, account))
            .collect();
        for old in &before {
            let reason = match after.get(&old.id) {
                None => "removed from the configuration",
                Some(new) if new.secret_hash != old.secret_hash => "its secret changed",
                Some(new) if new.totp_secret != old.totp_secret => "its TOTP secret changed",
                Some(new) if new.role != old.role => "its role changed",
                Some(_) => continue,
            };
            let revoked = self.store.revoke_account_tokens(old.id, now).await?;
            self.tokens.forget_account(old.id);
            if revoked > 0 {
                tracing::warn!(login = %old.name, revoked, reason, "revoked every token of an account");
            }
        }
        let file = &config.file;
        self.record_start(format!(
            "catalog synced: {} users, {} applications, {} activities, {} resources, {} policies",
            file.users.len(),
            file.applications.len(),
            file.activities.len(),
            file.resources.len(),
            file.policies.len()
        ))
        .await;
        self.set_access(access::Access::from_config(config)?);
        Ok(())
    }

    pub fn settings(&self) -> &ServerSettings {
        &self.settings
    }

    pub fn instance(&self) -> &str {
        &self.instance
    }

    /// The database's kind and whether it answers, for Health.
    pub async fn database_health(&self) -> crate::store::DatabaseHealth {
        self.store.health().await
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// Registers this broker process, and frees at once the action leases of brokers that
    /// ran on this host and whose process is gone (a crash, a SIGKILL): their actions died
    /// with them, so nothing runs twice, and nobody waits for the leases to expire.
    pub async fn register(&self) -> Result<(), BrokerError> {
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .map(|h| h.trim().to_owned())
            .unwrap_or_else(|_| "localhost".to_owned());
        let others = self
            .store
            .register_instance(&self.instance, &host, std::process::id(), self.clock.now())
            .await?;
        for (instance, pid) in others {
            if !process_alive(pid) {
                let freed = self.store.retire_instance(&instance).await?;
                tracing::info!(%instance, pid, freed, "took back the action leases of a broker that is gone");
            }
        }
        tracing::info!(instance = %self.instance, %host, pid = std::process::id(), "broker instance registered");
        Ok(())
    }
}

/// The stored hashes, by lower-cased name, that still match the plain secret the
/// configuration gives (through the environment or the dev seed, which are hashed afresh at
/// every start): keeping them tells a real change of secret from a new salt.
async fn unchanged_secret_hashes(
    before: &[crate::core::Account],
    config: &ValidConfig,
) -> std::collections::HashMap<String, String> {
    let candidates: Vec<(String, String, config::PlainSecret)> = before
        .iter()
        .filter_map(|account| {
            let name = account.name.to_lowercase();
            let plain = config.plain_secrets.get(&name)?.clone();
            Some((name, account.secret_hash.clone()?, plain))
        })
        .collect();
    tokio::task::spawn_blocking(move || {
        candidates
            .into_iter()
            .filter(|(_, hash, plain)| secret::verify_secret(hash, &plain.0))
            .map(|(name, hash, _)| (name, hash))
            .collect()
    })
    .await
    .unwrap_or_default()
}

/// Whether a process with this id runs on this host (a reused id counts as alive: then its
/// leases are simply waited out).
fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return false;
    }
    // SAFETY: signal 0 only checks that the process exists; nothing is sent.
    let result = unsafe { libc::kill(pid, 0) };
    result == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}
