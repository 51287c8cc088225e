//! The domain: accounts and sign-in, the catalog and the policies that filter it. Later: the
//! session state machine, approvals, the scheduler and actions. Nothing here knows HTTP.

pub mod access;
mod actions;
pub mod approval;
pub mod auth;
pub mod catalog;
pub mod config;
pub mod connection;
mod error;
pub mod exec;
mod query;
mod rate_limit;
mod scheduler;
pub mod secret;
pub mod session;
mod token_cache;

use std::sync::Arc;

use uuid::Uuid;

use crate::core::Clock;

pub use actions::launch_action_if_asked;
pub use auth::{Caller, IssuedToken};
pub use config::ServerSettings;
pub use error::BrokerError;

use crate::store::Store;
use config::ValidConfig;
use rate_limit::SignInLimiter;

pub struct Broker {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    settings: ServerSettings,
    limiter: SignInLimiter,
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
        let limiter = SignInLimiter::new(settings.sign_in_failures_before_delay);
        Self {
            store,
            clock,
            settings,
            limiter,
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
    /// the same configuration changes nothing but the password hashes' salts). Replicas that
    /// start together take turns; with different files, the last one to start wins, and
    /// every replica serves its catalog (they read the catalog from the database).
    pub async fn apply_config(&self, config: &ValidConfig) -> Result<(), BrokerError> {
        let now = self.clock.now();
        self.store
            .sync_catalog(&|ids| config.to_catalog(ids, now), now)
            .await?;
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
