//! The tamper-evident audit trail as plain values: what one record says, how it is hashed
//! into the chain, and how a chain read back is checked. No I/O: the store reads and writes
//! the rows, the broker decides what to record.
//!
//! Each row carries the hash of the row before it (`prev_hash`) and its own hash,
//! `H(prev_hash ‖ canonical encoding of its fields)`: SHA-256, or HMAC-SHA256 when a key is
//! configured, so that someone who can write the database but does not hold the key cannot
//! recompute the chain after editing it. Sequence numbers are consecutive from 1, so a deleted
//! row leaves a gap, and a moved row no longer follows the hash it names.

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The `prev_hash` of the first row.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The longest text any field of a record keeps (a login typed by an attacker, a path): the
/// trail must not be a way to fill the disk.
pub const MAX_FIELD_CHARS: usize = 512;

/// Outcomes every record uses one of, so that lists can be filtered on them.
pub mod outcome {
    pub const OK: &str = "ok";
    pub const FAILED: &str = "failed";
    pub const REFUSED: &str = "refused";
}

/// Something that happened, before it is numbered and chained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub at: DateTime<Utc>,
    /// The account acting, when known.
    pub actor_id: Option<Uuid>,
    /// The account's name, or the login a failed sign-in tried.
    pub actor_name: Option<String>,
    /// The client's address.
    pub source: Option<String>,
    /// What was done: `sign_in`, `session.end`, `refused`…
    pub action: String,
    /// What it was done to: a session id, a route.
    pub target: Option<String>,
    /// `ok`, `failed`, `refused`, or an HTTP status for a refusal (`403 Forbidden`).
    pub outcome: String,
    /// Free words: why it failed, what it changed. Never a secret.
    pub detail: Option<String>,
}

impl AuditEvent {
    pub fn new(at: DateTime<Utc>, action: impl Into<String>, outcome: impl Into<String>) -> Self {
        Self {
            at,
            actor_id: None,
            actor_name: None,
            source: None,
            action: bounded(action.into()),
            target: None,
            outcome: bounded(outcome.into()),
            detail: None,
        }
    }

    pub fn by(mut self, id: Option<Uuid>, name: Option<&str>) -> Self {
        self.actor_id = id;
        self.actor_name = name.map(|n| bounded(n.to_owned()));
        self
    }

    pub fn from(mut self, source: Option<String>) -> Self {
        self.source = source.map(bounded);
        self
    }

    pub fn on(mut self, target: impl Into<String>) -> Self {
        self.target = Some(bounded(target.into()));
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(bounded(detail.into()));
        self
    }
}

fn bounded(mut text: String) -> String {
    if let Some((cut, _)) = text.char_indices().nth(MAX_FIELD_CHARS) {
        text.truncate(cut);
        text.push('…');
    }
    text
}

/// A row of the audit table: an event with its place in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub seq: i64,
    pub event: AuditEvent,
    pub prev_hash: String,
    pub hash: String,
}

/// What makes the chain's hashes: plain SHA-256, or HMAC-SHA256 with a key.
#[derive(Clone, Default)]
pub struct AuditSeal {
    key: Option<Vec<u8>>,
}

impl std::fmt::Debug for AuditSeal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.key.is_some() {
            "AuditSeal(keyed)"
        } else {
            "AuditSeal(sha256)"
        })
    }
}

impl AuditSeal {
    pub fn unkeyed() -> Self {
        Self { key: None }
    }

    pub fn keyed(key: Vec<u8>) -> Self {
        Self { key: Some(key) }
    }

    pub fn is_keyed(&self) -> bool {
        self.key.is_some()
    }

    /// The hash of a row numbered `seq` holding `event` after a row whose hash is `prev_hash`.
    pub fn hash(&self, seq: i64, event: &AuditEvent, prev_hash: &str) -> String {
        let mut bytes = Vec::with_capacity(256);
        field(&mut bytes, Some(prev_hash));
        canonical(&mut bytes, seq, event);
        let digest: Vec<u8> = match &self.key {
            None => Sha256::digest(&bytes).to_vec(),
            Some(key) => {
                // HMAC takes keys of any length.
                let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
                    .expect("HMAC accepts a key of any length");
                mac.update(&bytes);
                mac.finalize().into_bytes().to_vec()
            }
        };
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The next row of a chain whose last row is (`last_seq`, `last_hash`), or the first.
    pub fn chain(&self, last: Option<(i64, &str)>, event: AuditEvent) -> AuditRecord {
        let (seq, prev_hash) = match last {
            Some((seq, hash)) => (seq + 1, hash.to_owned()),
            None => (1, GENESIS_HASH.to_owned()),
        };
        let hash = self.hash(seq, &event, &prev_hash);
        AuditRecord {
            seq,
            event,
            prev_hash,
            hash,
        }
    }
}

/// Every field with its presence and length before it, so that no two different rows encode
/// alike (moving text from one field to the next changes the encoding).
fn canonical(bytes: &mut Vec<u8>, seq: i64, event: &AuditEvent) {
    bytes.extend_from_slice(&seq.to_be_bytes());
    bytes.extend_from_slice(&event.at.timestamp_millis().to_be_bytes());
    field(bytes, event.actor_id.map(|id| id.to_string()).as_deref());
    field(bytes, event.actor_name.as_deref());
    field(bytes, event.source.as_deref());
    field(bytes, Some(&event.action));
    field(bytes, event.target.as_deref());
    field(bytes, Some(&event.outcome));
    field(bytes, event.detail.as_deref());
}

fn field(bytes: &mut Vec<u8>, value: Option<&str>) {
    match value {
        None => bytes.push(0),
        Some(text) => {
            bytes.push(1);
            bytes.extend_from_slice(&(text.len() as u64).to_be_bytes());
            bytes.extend_from_slice(text.as_bytes());
        }
    }
}

/// Where a chain stops being what was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// The row's fields no longer give its hash: it was edited (or the key is wrong).
    Edited { seq: i64 },
    /// Rows `from..=to` are missing between two rows that remain.
    Deleted { from: i64, to: i64 },
    /// The row does not follow the row before it: rows were moved, or the one before replaced.
    OutOfOrder { seq: i64 },
    /// The first row does not start the chain (rows before it were deleted).
    BadStart { seq: i64 },
}

impl ChainBreak {
    /// The sequence number of the first row found wrong.
    pub fn seq(&self) -> i64 {
        match self {
            ChainBreak::Edited { seq }
            | ChainBreak::OutOfOrder { seq }
            | ChainBreak::BadStart { seq } => *seq,
            ChainBreak::Deleted { from, .. } => *from,
        }
    }
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainBreak::Edited { seq } => write!(
                f,
                "row {seq} was edited: its fields do not give its hash (or the key is not the one it was written with)"
            ),
            ChainBreak::Deleted { from, to } if from == to => {
                write!(
                    f,
                    "row {from} was deleted: the chain goes from row {} to row {}",
                    from - 1,
                    to + 1
                )
            }
            ChainBreak::Deleted { from, to } => write!(
                f,
                "rows {from} to {to} were deleted: the chain goes from row {} to row {}",
                from - 1,
                to + 1
            ),
            ChainBreak::OutOfOrder { seq } => write!(
                f,
                "row {seq} was moved or the row before it replaced: its prev_hash is not the hash of row {}",
                seq - 1
            ),
            ChainBreak::BadStart { seq } => write!(
                f,
                "the chain starts at row {seq}, not row 1: rows before it were deleted"
            ),
        }
    }
}

/// Checks rows fed in sequence order, one at a time (a chain need not fit in memory).
#[derive(Debug)]
pub struct ChainVerifier {
    seal: AuditSeal,
    last: Option<(i64, String)>,
    checked: u64,
}

impl ChainVerifier {
    pub fn new(seal: AuditSeal) -> Self {
        Self {
            seal,
            last: None,
            checked: 0,
        }
    }

    /// Rows found good so far.
    pub fn checked(&self) -> u64 {
        self.checked
    }

    /// The last good row's sequence number.
    pub fn last_seq(&self) -> Option<i64> {
        self.last.as_ref().map(|(seq, _)| *seq)
    }

    /// Checks the next row; the first break found is returned and the rest need not be fed.
    pub fn feed(&mut self, row: &AuditRecord) -> Result<(), ChainBreak> {
        let (expected_seq, expected_prev) = match &self.last {
            Some((seq, hash)) => (seq + 1, hash.as_str()),
            None => (1, GENESIS_HASH),
        };
        if row.seq != expected_seq {
            return Err(match self.last {
                None => ChainBreak::BadStart { seq: row.seq },
                Some(_) if row.seq > expected_seq => ChainBreak::Deleted {
                    from: expected_seq,
                    to: row.seq - 1,
                },
                Some(_) => ChainBreak::OutOfOrder { seq: row.seq },
            });
        }
        if row.prev_hash != expected_prev {
            return Err(ChainBreak::OutOfOrder { seq: row.seq });
        }
        if self.seal.hash(row.seq, &row.event, &row.prev_hash) != row.hash {
            return Err(ChainBreak::Edited { seq: row.seq });
        }
        self.last = Some((row.seq, row.hash.clone()));
        self.checked += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(seal: &AuditSeal, n: i64) -> Vec<AuditRecord> {
        let mut rows: Vec<AuditRecord> = Vec::new();
        for i in 0..n {
            let event = AuditEvent::new(DateTime::<Utc>::UNIX_EPOCH, "sign_in", outcome::OK)
                .by(None, Some(&format!("user{i}")));
            let last = rows.last().map(|r| (r.seq, r.hash.as_str()));
            rows.push(seal.chain(last, event));
        }
        rows
    }

    fn verify(seal: &AuditSeal, rows: &[AuditRecord]) -> Result<u64, ChainBreak> {
        let mut verifier = ChainVerifier::new(seal.clone());
        for row in rows {
            verifier.feed(row)?;
        }
        Ok(verifier.checked())
    }

    #[test]
    fn an_untouched_chain_verifies() {
        let seal = AuditSeal::unkeyed();
        assert_eq!(verify(&seal, &chain(&seal, 5)), Ok(5));
    }

    #[test]
    fn edits_deletions_and_moves_are_named() {
        let seal = AuditSeal::unkeyed();
        let mut edited = chain(&seal, 5);
        edited[2].event.outcome = "failed".into();
        assert_eq!(verify(&seal, &edited), Err(ChainBreak::Edited { seq: 3 }));

        let mut deleted = chain(&seal, 5);
        deleted.remove(1);
        assert_eq!(
            verify(&seal, &deleted),
            Err(ChainBreak::Deleted { from: 2, to: 2 })
        );

        let mut swapped = chain(&seal, 5);
        let (a, b) = (swapped[1].seq, swapped[2].seq);
        swapped[1].seq = b;
        swapped[2].seq = a;
        swapped.swap(1, 2);
        assert_eq!(
            verify(&seal, &swapped),
            Err(ChainBreak::OutOfOrder { seq: 2 })
        );
    }

    #[test]
    fn a_keyed_chain_needs_its_key() {
        let seal = AuditSeal::keyed(b"right".to_vec());
        let rows = chain(&seal, 3);
        assert_eq!(verify(&seal, &rows), Ok(3));
        assert_eq!(
            verify(&AuditSeal::keyed(b"wrong".to_vec()), &rows),
            Err(ChainBreak::Edited { seq: 1 })
        );
        assert_eq!(
            verify(&AuditSeal::unkeyed(), &rows),
            Err(ChainBreak::Edited { seq: 1 })
        );
    }
}
