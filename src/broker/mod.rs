//! The domain: accounts and sign-in, the catalog and the policies that filter it. Later: the
//! session state machine, approvals, the scheduler and actions. Nothing here knows HTTP.

mod actions;
pub mod approval;
pub mod auth;
pub mod catalog;
pub mod config;
mod error;
pub mod model;
mod query;
mod rate_limit;
mod scheduler;
pub mod secret;
pub mod session;
mod token_cache;

use std::sync::Arc;

use chrono::Utc;

pub use auth::{Caller, IssuedToken};
pub use config::ServerSettings;
pub use error::BrokerError;

use crate::store::Store;
use config::ValidConfig;
use rate_limit::SignInLimiter;

pub struct Broker {
    store: Arc<dyn Store>,
    settings: ServerSettings,
    limiter: SignInLimiter,
    tokens: token_cache::TokenCache,
    /// This broker's name in session leases: stable across restarts, distinct per replica.
    instance: String,
    wakeup: tokio::sync::Notify,
    http: reqwest::Client,
}

impl Broker {
    pub fn new(store: Arc<dyn Store>, settings: ServerSettings, instance: String) -> Self {
        let limiter = SignInLimiter::new(settings.sign_in_failures_before_delay);
        Self {
            store,
            settings,
            limiter,
            tokens: token_cache::TokenCache::default(),
            instance,
            wakeup: tokio::sync::Notify::new(),
            http: reqwest::Client::builder()
                .use_rustls_tls()
                .build()
                .unwrap_or_default(),
        }
    }

    /// Makes the store's catalog what the configuration declares (idempotent: a restart with
    /// the same configuration changes nothing but the password hashes' salts).
    pub async fn apply_config(&self, config: &ValidConfig) -> Result<(), BrokerError> {
        let ids = self.store.catalog_ids().await?;
        let now = Utc::now();
        self.store
            .replace_catalog(&config.to_catalog(&ids, now), now)
            .await?;
        Ok(())
    }

    pub fn settings(&self) -> &ServerSettings {
        &self.settings
    }
}
