//! A short-lived memory of checked tokens, so that a burst of requests with one token costs
//! one database read instead of two per request. Entries live a few seconds: a token revoked
//! by this process is forgotten at once, one revoked by another broker on the same database
//! stops working within `TTL`. Expiry is checked on every use, cached or not.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use uuid::Uuid;

use crate::core::{Account, TokenRecord};

const TTL: Duration = Duration::from_secs(5);
/// Bounds the memory a flood of distinct tokens can take.
const CAPACITY: usize = 10_000;

struct Entry {
    record: TokenRecord,
    account: Account,
    cached_at: Instant,
}

#[derive(Default)]
pub(super) struct TokenCache {
    entries: Mutex<HashMap<String, Entry>>,
}

impl TokenCache {
    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The token and its account as read at most `TTL` ago.
    pub(super) fn get(&self, digest: &str) -> Option<(TokenRecord, Account)> {
        let entries = self.entries();
        let entry = entries.get(digest)?;
        (entry.cached_at.elapsed() < TTL).then(|| (entry.record.clone(), entry.account.clone()))
    }

    pub(super) fn put(&self, digest: String, record: TokenRecord, account: Account) {
        let mut entries = self.entries();
        if entries.len() >= CAPACITY {
            entries.retain(|_, entry| entry.cached_at.elapsed() < TTL);
            if entries.len() >= CAPACITY {
                entries.clear();
            }
        }
        entries.insert(
            digest,
            Entry {
                record,
                account,
                cached_at: Instant::now(),
            },
        );
    }

    /// Forgets the tokens of a family this process revoked.
    pub(super) fn forget_family(&self, family: Uuid) {
        self.entries()
            .retain(|_, entry| entry.record.family_id != family);
    }

    /// Forgets the tokens of an account this process revoked (or whose account changed).
    pub(super) fn forget_account(&self, account: Uuid) {
        self.entries()
            .retain(|_, entry| entry.record.account_id != account);
    }

    /// Forgets a token this process revoked.
    pub(super) fn forget(&self, token_id: Uuid) {
        self.entries()
            .retain(|_, entry| entry.record.id != token_id);
    }
}
