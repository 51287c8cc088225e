//! A batch of transitions written in a few statements instead of several per transition: the
//! broker's mass expiry and the batch end write up to 500 sessions at once, and one round trip
//! per step and session made such a batch outlast the outbox lease (seconds) under load.
//!
//! Each step is one statement for the whole batch, its rows passed as arrays and unpacked
//! with `unnest`: the statement text stays the same whatever the batch size (one prepared
//! statement), and an array is one bind, so no batch comes near PostgreSQL's 65,535.
//!
//! The steps and their order are those of one write alone (`write_in_tx`): every session is
//! checked at the version read under its row lock, then the runs settled, then everything
//! else written for the writes still standing. A stale write or a lost lease leaves no trace.
//! A write's settle, drops, runs and lines are its own session's, so one step for all writes,
//! then the next, orders them as one write after another would.
//! A batch naming a session or a settled run twice is written one by one instead (the second
//! write must see what the first wrote), see `repeats_a_session_or_run`.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sqlx::{Postgres, Row, Transaction};
use uuid::Uuid;

use super::{
    LogLines, StoreError, insert_log_after_last, insert_runs, ms, opt_ms, queue_audit_in_tx,
};
use crate::core::Session;
use crate::core::audit::AuditEvent;
use crate::store::{RunSettle, SessionWrite, Settlement, WriteOutcome};

/// Whether two writes of the batch name the same session or settle the same run: such a
/// batch is written one by one, as the later write must see the earlier one's new version
/// (or the run it already settled), which one statement for all cannot show.
pub(super) fn repeats_a_session_or_run(writes: &[SessionWrite<'_>]) -> bool {
    let mut sessions = HashSet::with_capacity(writes.len());
    let mut runs = HashSet::new();
    writes.iter().any(|write| {
        !sessions.insert(write.session.id)
            || write
                .settles
                .as_ref()
                .is_some_and(|settle| !runs.insert(settle.id))
    })
}

/// Locks every session of the batch in one statement and in id order (two brokers writing
/// overlapping batches wait for each other instead of deadlocking); each one's version as
/// the lock found it. The locks are held to the commit, so the versions stay true.
pub(super) async fn lock_sessions(
    tx: &mut Transaction<'_, Postgres>,
    writes: &[SessionWrite<'_>],
) -> Result<HashMap<Uuid, i64>, StoreError> {
    let mut ids: Vec<Uuid> = writes.iter().map(|w| w.session.id).collect();
    ids.sort();
    ids.dedup();
    let rows = sqlx::query(
        "SELECT id, version FROM sessions WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE",
    )
    .bind(&ids)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("id")?, row.try_get("version")?)))
        .collect()
}

/// Writes `writes` (none `repeats_a_session_or_run`) whose sessions `lock_sessions` found at
/// `versions`; the outcomes in the order of `writes`.
pub(super) async fn write_batch(
    tx: &mut Transaction<'_, Postgres>,
    writes: &[SessionWrite<'_>],
    versions: &HashMap<Uuid, i64>,
    now: DateTime<Utc>,
) -> Result<Vec<WriteOutcome>, StoreError> {
    // A missing session, or one written since it was read, is stale before anything is done.
    let mut outcomes: Vec<WriteOutcome> = writes
        .iter()
        .map(|write| {
            if versions.get(&write.session.id) == Some(&write.session.version) {
                WriteOutcome::Written
            } else {
                WriteOutcome::Stale
            }
        })
        .collect();
    let settled = settle_runs(tx, standing(writes, &outcomes), now).await?;
    for (write, outcome) in writes.iter().zip(&mut outcomes) {
        if let (WriteOutcome::Written, Some(settle)) = (*outcome, &write.settles) {
            if !settled.contains(&settle.id) {
                *outcome = WriteOutcome::LeaseLost;
            }
        }
    }
    let written: Vec<&SessionWrite<'_>> = standing(writes, &outcomes).collect();
    update_sessions(tx, &written, now).await?;
    insert_approvals(tx, &written).await?;
    drop_pending(tx, &written, now).await?;
    let runs: Vec<_> = written
        .iter()
        .flat_map(|w| w.runs.iter().map(|run| (w.session.id, run)))
        .collect();
    insert_runs(tx, &runs, now).await?;
    let lines = LogLines::numbered(written.iter().map(|w| (w.session.id, w.log)));
    insert_log_after_last(tx, &lines, now).await?;
    // The events in batch order, as one write after another would have queued them.
    let events: Vec<AuditEvent> = written
        .iter()
        .filter_map(|w| w.audit.as_ref())
        .flat_map(|audit| audit.events.iter().cloned())
        .collect();
    queue_audit_in_tx(tx, &events).await?;
    Ok(outcomes)
}

/// The writes whose outcome is still `Written`, in batch order.
fn standing<'a, 'w>(
    writes: &'a [SessionWrite<'w>],
    outcomes: &'a [WriteOutcome],
) -> impl Iterator<Item = &'a SessionWrite<'w>> {
    writes
        .iter()
        .zip(outcomes)
        .filter(|(_, outcome)| **outcome == WriteOutcome::Written)
        .map(|(write, _)| write)
}

/// Settles the runs the writes record, each only if its writer still holds the lease; the
/// ids of the runs settled (a write whose run is not among them lost its lease).
async fn settle_runs<'a, 'w: 'a>(
    tx: &mut Transaction<'_, Postgres>,
    writes: impl Iterator<Item = &'a SessionWrite<'w>>,
    now: DateTime<Utc>,
) -> Result<HashSet<i64>, StoreError> {
    let settles: Vec<&RunSettle<'_>> = writes.filter_map(|w| w.settles.as_ref()).collect();
    if settles.is_empty() {
        return Ok(HashSet::new());
    }
    let mut ids = Vec::with_capacity(settles.len());
    let mut owners = Vec::with_capacity(settles.len());
    let mut states = Vec::with_capacity(settles.len());
    let mut next_attempts = Vec::with_capacity(settles.len());
    let mut errors = Vec::with_capacity(settles.len());
    for settle in settles {
        let (state, next, error) = match &settle.settlement {
            Settlement::Done => ("done", None, None),
            Settlement::Retry { at, error } => ("pending", Some(ms(*at)), Some(error.as_str())),
            Settlement::GaveUp { error } => ("failed", None, Some(error.as_str())),
            Settlement::Dropped => ("dropped", None, None),
        };
        ids.push(settle.id);
        owners.push(settle.owner);
        states.push(state);
        next_attempts.push(next);
        errors.push(error);
    }
    let settled: Vec<i64> = sqlx::query_scalar(
        "UPDATE outbox SET state = x.state,
            next_attempt_at = COALESCE(x.next_attempt_at, outbox.next_attempt_at),
            last_error = COALESCE(x.error, outbox.last_error), lease_owner = NULL, lease_until = NULL,
            finished_at = CASE WHEN x.state = 'pending' THEN NULL ELSE $6 END
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[])
            AS x(id, owner, state, next_attempt_at, error)
         WHERE outbox.id = x.id AND outbox.lease_owner = x.owner AND outbox.state = 'pending'
         RETURNING outbox.id",
    )
    .bind(ids)
    .bind(owners)
    .bind(states)
    .bind(next_attempts)
    .bind(errors)
    .bind(ms(now))
    .fetch_all(&mut **tx)
    .await?;
    Ok(settled.into_iter().collect())
}

/// The new values of the sessions written, one array per column of the UPDATE.
#[derive(Default)]
struct SessionColumns<'s> {
    id: Vec<Uuid>,
    version: Vec<i64>,
    state: Vec<String>,
    locked: Vec<bool>,
    lock_title: Vec<Option<&'s str>>,
    lock_message: Vec<Option<&'s str>>,
    scheduled_start: Vec<i64>,
    actual_start: Vec<Option<i64>>,
    scheduled_end: Vec<i64>,
    actual_end: Vec<Option<i64>>,
    login_at: Vec<Option<i64>>,
    cancelled_by: Vec<Option<Uuid>>,
    extension_count: Vec<i64>,
    extension_minutes: Vec<i64>,
    approval_deadline: Vec<Option<i64>>,
    pre_actions_done: Vec<i64>,
    post_actions_done: Vec<i64>,
    failure_reason: Vec<Option<&'s str>>,
    status_message: Vec<Option<&'s str>>,
    cancel_requested: Vec<bool>,
    due_at: Vec<Option<i64>>,
}

impl<'s> SessionColumns<'s> {
    fn push(&mut self, s: &'s Session) {
        self.id.push(s.id);
        self.version.push(s.version);
        self.state.push(s.state.identifier());
        self.locked.push(s.locked);
        self.lock_title.push(s.lock_title.as_deref());
        self.lock_message.push(s.lock_message.as_deref());
        self.scheduled_start.push(ms(s.scheduled_start));
        self.actual_start.push(opt_ms(s.actual_start));
        self.scheduled_end.push(ms(s.scheduled_end));
        self.actual_end.push(opt_ms(s.actual_end));
        self.login_at.push(opt_ms(s.login_at));
        self.cancelled_by.push(s.cancelled_by);
        self.extension_count.push(i64::from(s.extension_count));
        self.extension_minutes.push(s.extension_minutes);
        self.approval_deadline.push(opt_ms(s.approval_deadline));
        self.pre_actions_done.push(i64::from(s.pre_actions_done));
        self.post_actions_done.push(i64::from(s.post_actions_done));
        self.failure_reason.push(s.failure_reason.as_deref());
        self.status_message.push(s.status_message.as_deref());
        self.cancel_requested.push(s.cancel_requested);
        self.due_at.push(opt_ms(s.due_at));
    }
}

/// Every written session takes its new values and the next version, as `write_in_tx`'s
/// UPDATE does for one. Their versions were checked under the lock, so each row matches; a
/// row that did not would leave a run settled for a session not written, hence the error.
async fn update_sessions(
    tx: &mut Transaction<'_, Postgres>,
    writes: &[&SessionWrite<'_>],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if writes.is_empty() {
        return Ok(());
    }
    let mut c = SessionColumns::default();
    for write in writes {
        c.push(write.session);
    }
    let updated = sqlx::query(
        "UPDATE sessions SET state = x.state, locked = x.locked, lock_title = x.lock_title,
            lock_message = x.lock_message, scheduled_start_at = x.scheduled_start_at,
            actual_start_at = x.actual_start_at, scheduled_end_at = x.scheduled_end_at,
            actual_end_at = x.actual_end_at, login_at = x.login_at, cancelled_by = x.cancelled_by,
            extension_count = x.extension_count, extension_minutes = x.extension_minutes,
            approval_deadline_at = x.approval_deadline_at, pre_actions_done = x.pre_actions_done,
            post_actions_done = x.post_actions_done, failure_reason = x.failure_reason,
            status_message = x.status_message, cancel_requested = x.cancel_requested,
            due_at = x.due_at, version = sessions.version + 1, modified_at = $22,
            lease_owner = NULL, lease_until = NULL
         FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::boolean[], $5::text[], $6::text[],
                $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::uuid[],
                $13::bigint[], $14::bigint[], $15::bigint[], $16::bigint[], $17::bigint[],
                $18::text[], $19::text[], $20::boolean[], $21::bigint[])
            AS x(id, version, state, locked, lock_title, lock_message, scheduled_start_at,
                actual_start_at, scheduled_end_at, actual_end_at, login_at, cancelled_by,
                extension_count, extension_minutes, approval_deadline_at, pre_actions_done,
                post_actions_done, failure_reason, status_message, cancel_requested, due_at)
         WHERE sessions.id = x.id AND sessions.version = x.version",
    )
    .bind(c.id)
    .bind(c.version)
    .bind(c.state)
    .bind(c.locked)
    .bind(c.lock_title)
    .bind(c.lock_message)
    .bind(c.scheduled_start)
    .bind(c.actual_start)
    .bind(c.scheduled_end)
    .bind(c.actual_end)
    .bind(c.login_at)
    .bind(c.cancelled_by)
    .bind(c.extension_count)
    .bind(c.extension_minutes)
    .bind(c.approval_deadline)
    .bind(c.pre_actions_done)
    .bind(c.post_actions_done)
    .bind(c.failure_reason)
    .bind(c.status_message)
    .bind(c.cancel_requested)
    .bind(c.due_at)
    .bind(ms(now))
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if updated != writes.len() as u64 {
        return Err(StoreError::Corrupt {
            table: "sessions",
            message: format!(
                "{updated} of {} locked sessions written at the version read",
                writes.len()
            ),
        });
    }
    Ok(())
}

/// The approvals the writes record (rare: a reviewer's decision), in batch order.
async fn insert_approvals(
    tx: &mut Transaction<'_, Postgres>,
    writes: &[&SessionWrite<'_>],
) -> Result<(), StoreError> {
    let approvals: Vec<_> = writes.iter().filter_map(|w| w.approval).collect();
    if approvals.is_empty() {
        return Ok(());
    }
    // Rows go in ordinality order: `seq` numbers them as one write after another would.
    sqlx::query(
        "INSERT INTO approvals (id, session_id, tier, approver_id, decision, notes, from_address, decided_at)
         SELECT x.id, x.session_id, x.tier, x.approver_id, x.decision, x.notes, x.from_address, x.decided_at
         FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::uuid[], $5::text[], $6::text[],
                $7::text[], $8::bigint[]) WITH ORDINALITY
            AS x(id, session_id, tier, approver_id, decision, notes, from_address, decided_at, n)
         ORDER BY x.n",
    )
    .bind(approvals.iter().map(|a| a.id).collect::<Vec<_>>())
    .bind(approvals.iter().map(|a| a.session_id).collect::<Vec<_>>())
    .bind(approvals.iter().map(|a| i64::from(a.tier)).collect::<Vec<_>>())
    .bind(approvals.iter().map(|a| a.approver_id).collect::<Vec<_>>())
    .bind(approvals.iter().map(|a| a.decision.as_str()).collect::<Vec<_>>())
    .bind(approvals.iter().map(|a| a.notes.as_deref()).collect::<Vec<_>>())
    .bind(approvals.iter().map(|a| a.from_address.as_deref()).collect::<Vec<_>>())
    .bind(approvals.iter().map(|a| ms(a.decided_at)).collect::<Vec<_>>())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Drops the pending, unleased runs of the kinds each write names for its own session (a
/// leased run is someone's to settle).
async fn drop_pending(
    tx: &mut Transaction<'_, Postgres>,
    writes: &[&SessionWrite<'_>],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let (sessions, kinds): (Vec<Uuid>, Vec<&str>) = writes
        .iter()
        .flat_map(|w| {
            w.drop_pending
                .iter()
                .map(|kind| (w.session.id, kind.label()))
        })
        .unzip();
    if sessions.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "UPDATE outbox SET state = 'dropped', finished_at = $3
         FROM unnest($1::uuid[], $2::text[]) AS x(session_id, kind)
         WHERE outbox.session_id = x.session_id AND outbox.kind = x.kind
            AND outbox.state = 'pending' AND outbox.lease_owner IS NULL",
    )
    .bind(sessions)
    .bind(kinds)
    .bind(ms(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}
