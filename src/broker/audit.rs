//! The audit trail: what the broker records (sign-ins, privileged actions, refusals), who may
//! read it, and the offline check of its hash chain. The hashing itself is `core::audit`'s.

use std::net::IpAddr;

use uuid::Uuid;

use super::{Broker, BrokerError, Caller};
use crate::core::audit::{AuditEvent, AuditRecord, AuditSeal, ChainBreak, ChainVerifier, outcome};
use crate::core::{Session, SessionState};
use crate::store::{AuditQuery, Store};

/// Rows read at a time while verifying: a chain of any length fits in memory.
const VERIFY_BATCH: u32 = 5_000;
/// The most rows one page of `audit list` returns.
pub const MAX_AUDIT_PAGE: u64 = 1_000;

/// Reads the audit chain's key from where `source` says: `file:PATH` (the file's bytes, a
/// trailing newline dropped) or `env:NAME`. Never the key itself, so that it stays out of
/// command lines and configuration files; errors name the place, never the key.
pub fn read_audit_key(source: &str) -> Result<AuditSeal, String> {
    let key = if let Some(path) = source.strip_prefix("file:") {
        let mut bytes =
            std::fs::read(path).map_err(|e| format!("cannot read the file {path}: {e}"))?;
        while bytes.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            bytes.pop();
        }
        if bytes.is_empty() {
            return Err(format!("the file {path} is empty"));
        }
        bytes
    } else if let Some(name) = source.strip_prefix("env:") {
        match std::env::var(name) {
            Ok(key) if !key.is_empty() => key.into_bytes(),
            _ => return Err(format!("the environment variable {name} is not set")),
        }
    } else {
        return Err("write file:PATH or env:NAME, not the key itself".to_owned());
    };
    Ok(AuditSeal::keyed(key))
}

/// What `audit verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    /// Rows checked and found good (before the break, if any).
    pub checked: u64,
    /// The last good row.
    pub last_seq: Option<i64>,
    /// The first row found wrong.
    pub broken: Option<ChainBreak>,
    /// Events that no broker has chained yet (PostgreSQL queues them): not checked.
    pub unchained: u64,
}

/// Checks a store's audit chain from its first row to its last, without a broker.
/// It never chains queued events itself: the key it was given may not be the broker's.
pub async fn verify_chain(store: &dyn Store, seal: AuditSeal) -> Result<ChainReport, BrokerError> {
    let unchained = store.audit_unchained().await?;
    let mut verifier = ChainVerifier::new(seal);
    let mut after = i64::MIN;
    loop {
        let rows = store.audit_rows_after(after, VERIFY_BATCH).await?;
        let Some(last) = rows.last() else {
            break;
        };
        after = last.seq;
        for row in &rows {
            if let Err(broken) = verifier.feed(row) {
                return Ok(ChainReport {
                    checked: verifier.checked(),
                    last_seq: verifier.last_seq(),
                    broken: Some(broken),
                    unchained,
                });
            }
        }
    }
    Ok(ChainReport {
        checked: verifier.checked(),
        last_seq: verifier.last_seq(),
        broken: None,
        unchained,
    })
}

/// The action an ended session's record names: a request ended before it started was
/// cancelled.
pub(super) fn end_action(session: &Session) -> &'static str {
    if session.state == SessionState::Cancelled {
        "session.cancel"
    } else {
        "session.end"
    }
}

impl Broker {
    /// Appends events to the chain. A failure is logged, not returned: the action it records
    /// is already written, and the caller must learn that it was.
    pub(super) async fn record(&self, events: Vec<AuditEvent>) {
        if let Err(error) = self
            .store
            .append_audit(&events, &self.settings.audit_seal)
            .await
        {
            tracing::error!(%error, count = events.len(), "cannot append to the audit trail");
        }
    }

    /// An event the caller caused, now, from the caller's address.
    pub(super) fn audit_event(
        &self,
        caller: &Caller,
        action: &str,
        target: Option<Uuid>,
    ) -> AuditEvent {
        let event = AuditEvent::new(self.clock.now(), action, outcome::OK)
            .by(Some(caller.account_id), Some(&caller.name))
            .from(caller.source.map(|ip| ip.to_string()));
        match target {
            Some(id) => event.on(id.to_string()),
            None => event,
        }
    }

    /// The record of a caller's action on a session, as the session is after it.
    pub(super) fn session_event(
        &self,
        caller: &Caller,
        action: &str,
        session: &Session,
    ) -> AuditEvent {
        self.audit_event(caller, action, Some(session.id))
            .detail(format!("now {}", session.shown_state()))
    }

    /// A sign-in step: `login` is the account's name, or the name tried when none matched.
    pub(super) async fn record_sign_in(
        &self,
        action: &str,
        account: Option<Uuid>,
        login: &str,
        from: IpAddr,
        result: &str,
        detail: &str,
    ) {
        let event = AuditEvent::new(self.clock.now(), action, result)
            .by(account, Some(login.trim()))
            .from(Some(from.to_string()))
            .detail(detail);
        self.record(vec![event]).await;
    }

    /// A refused request (401, 403, 404, 409, 422, 429), recorded once its answer is known:
    /// `caller` when the request carried a good token.
    pub async fn record_refusal(
        &self,
        caller: Option<&Caller>,
        from: IpAddr,
        route: &str,
        status: &str,
    ) {
        let event = AuditEvent::new(self.clock.now(), "refused", status)
            .by(
                caller.map(|c| c.account_id),
                caller.map(|c| c.name.as_str()),
            )
            .from(Some(from.to_string()))
            .on(route);
        self.record(vec![event]).await;
    }

    /// `GET /api/v1/Audit`: a page of the trail, for admins only.
    pub async fn audit_page(
        &self,
        caller: &Caller,
        mut query: AuditQuery,
    ) -> Result<(Vec<AuditRecord>, u64), BrokerError> {
        if !caller.is_admin() {
            return Err(BrokerError::Forbidden(
                "only admins may read the audit trail".to_owned(),
            ));
        }
        let take = query.take.unwrap_or(100);
        if take == 0 || take > MAX_AUDIT_PAGE {
            return Err(BrokerError::invalid(
                "take",
                format!("give a page size from 1 to {MAX_AUDIT_PAGE}"),
            ));
        }
        query.take = Some(take);
        // Queued events first (PostgreSQL): the page shows every action already answered.
        self.store.chain_audit(&self.settings.audit_seal).await?;
        Ok(self.store.audit_page(&query).await?)
    }

    /// Puts queued audit events on the chain (PostgreSQL; nothing to do on SQLite). The
    /// scheduler calls it now and then, and the server once more as it stops.
    pub async fn chain_audit(&self) {
        if let Err(error) = self.store.chain_audit(&self.settings.audit_seal).await {
            tracing::warn!(%error, "cannot chain the queued audit events");
        }
    }

    /// Records the start of this broker and the catalog it synchronised.
    pub(super) async fn record_start(&self, detail: String) {
        let event = AuditEvent::new(self.clock.now(), "server.start", outcome::OK)
            .by(None, Some("pamctl server"))
            .on(self.instance.clone())
            .detail(detail);
        self.record(vec![event]).await;
    }
}
