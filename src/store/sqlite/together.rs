//! Many transitions written as a few statements for the whole batch instead of several per
//! transition: the scheduler's passes (thousands of sessions expiring at once) and a group
//! commit's waiting writes. Each statement goes through sqlx's one writer connection thread,
//! so the statement count, not the rows, sets how fast a burst of transitions is written.
//!
//! Transitions that change a session, settle a run, drop or start runs, add log lines and
//! audit events go together (the events chained in the batch's order, after the rows written
//! before them); one with an approval is written alone.
//! Every write keeps its own outcome: a session whose version moved on is left out (Stale), and
//! a settled run whose lease was lost sends the whole batch back to be written one by one (the
//! caller's per-write path rolls back just that one), which keeps the rare case simple.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sqlx::{QueryBuilder, Row, Sqlite, Transaction};
use uuid::Uuid;

use super::{KnownHead, StoreError, append_audit_in_tx, close_savepoint, corrupt, ms, opt_ms};
use crate::core::LogEntry;
use crate::store::{AuditAppend, NewRun, SessionWrite, Settlement, WriteOutcome};
use crate::wire::enums::WireEnum;

/// Rows per statement: well under SQLite's 32,766 parameters for the widest row (a new
/// session's 22 columns).
pub(super) const ROWS_PER_STATEMENT: usize = 400;

/// One write of a batch, at the time its writer gave.
#[derive(Clone, Copy)]
pub(super) struct Timed<'a, 'w> {
    pub write: &'a SessionWrite<'w>,
    pub now: DateTime<Utc>,
}

/// Whether `write` can be written with others in one statement.
pub(super) fn goes_together(write: &SessionWrite<'_>) -> bool {
    write.approval.is_none()
}

/// Writes `writes` (each `goes_together`, no session twice) in the caller's transaction.
/// `None`, with nothing written, when a settled run's lease was lost: the caller writes them
/// one by one then.
pub(super) async fn write_together(
    tx: &mut Transaction<'_, Sqlite>,
    writes: &[Timed<'_, '_>],
    head: &mut KnownHead,
) -> Result<Option<Vec<WriteOutcome>>, StoreError> {
    if writes.is_empty() {
        return Ok(Some(Vec::new()));
    }
    sqlx::query("SAVEPOINT write_together")
        .execute(&mut **tx)
        .await?;
    // A failure (a foreign key, say) sends them back too: written one by one, only the write
    // that causes it fails.
    let outcome = match write_in_savepoint(tx, writes, head).await {
        Ok(Some(written)) => Some(
            writes
                .iter()
                .map(|w| {
                    if written.contains(&w.write.session.id) {
                        WriteOutcome::Written
                    } else {
                        WriteOutcome::Stale
                    }
                })
                .collect(),
        ),
        Ok(None) | Err(_) => None,
    };
    if outcome.is_none() {
        // The audit rows chained in the savepoint are gone with it.
        *head = KnownHead::default();
    }
    close_savepoint(tx, "write_together", outcome.is_none()).await?;
    Ok(outcome)
}

/// The ids of the sessions written, or `None` when a settled run's lease was lost.
async fn write_in_savepoint(
    tx: &mut Transaction<'_, Sqlite>,
    writes: &[Timed<'_, '_>],
    head: &mut KnownHead,
) -> Result<Option<HashSet<Uuid>>, StoreError> {
    let written = update_sessions(tx, writes).await?;
    let kept: Vec<Timed<'_, '_>> = writes
        .iter()
        .copied()
        .filter(|w| written.contains(&w.write.session.id))
        .collect();
    if !settle_runs(tx, &kept).await? {
        return Ok(None);
    }
    drop_pending(tx, &kept).await?;
    insert_runs(tx, &kept).await?;
    insert_log_lines(tx, &kept).await?;
    let appends: Vec<AuditAppend<'_>> = kept
        .iter()
        .filter_map(|w| w.write.audit.as_ref())
        .map(|audit| AuditAppend {
            events: audit.events,
            seal: audit.seal,
        })
        .collect();
    append_audit_in_tx(tx, &appends, head).await?;
    Ok(Some(written))
}

/// Every session still at the version it was read at takes its new values; the ids written.
async fn update_sessions(
    tx: &mut Transaction<'_, Sqlite>,
    writes: &[Timed<'_, '_>],
) -> Result<HashSet<Uuid>, StoreError> {
    let mut written = HashSet::with_capacity(writes.len());
    for chunk in writes.chunks(ROWS_PER_STATEMENT) {
        let mut query = QueryBuilder::<Sqlite>::new(
            "UPDATE sessions SET state = v.column3, locked = v.column4, lock_title = v.column5,
                lock_message = v.column6, scheduled_start_at = v.column7, actual_start_at = v.column8,
                scheduled_end_at = v.column9, actual_end_at = v.column10, login_at = v.column11,
                cancelled_by = v.column12, extension_count = v.column13, extension_minutes = v.column14,
                approval_deadline_at = v.column15, pre_actions_done = v.column16,
                post_actions_done = v.column17, failure_reason = v.column18, status_message = v.column19,
                cancel_requested = v.column20, due_at = v.column21, version = version + 1,
                modified_at = v.column22, lease_owner = NULL, lease_until = NULL FROM (VALUES ",
        );
        for (n, timed) in chunk.iter().enumerate() {
            let s = timed.write.session;
            query.push(if n == 0 { "(" } else { ", (" });
            query.push_bind(s.id.to_string());
            query.push(", ");
            query.push_bind(s.version);
            query.push(", ");
            query.push_bind(s.state.identifier());
            query.push(", ");
            query.push_bind(s.locked);
            query.push(", ");
            query.push_bind(s.lock_title.clone());
            query.push(", ");
            query.push_bind(s.lock_message.clone());
            query.push(", ");
            query.push_bind(ms(s.scheduled_start));
            query.push(", ");
            query.push_bind(opt_ms(s.actual_start));
            query.push(", ");
            query.push_bind(ms(s.scheduled_end));
            query.push(", ");
            query.push_bind(opt_ms(s.actual_end));
            query.push(", ");
            query.push_bind(opt_ms(s.login_at));
            query.push(", ");
            query.push_bind(s.cancelled_by.map(|id| id.to_string()));
            query.push(", ");
            query.push_bind(i64::from(s.extension_count));
            query.push(", ");
            query.push_bind(s.extension_minutes);
            query.push(", ");
            query.push_bind(opt_ms(s.approval_deadline));
            query.push(", ");
            query.push_bind(i64::from(s.pre_actions_done));
            query.push(", ");
            query.push_bind(i64::from(s.post_actions_done));
            query.push(", ");
            query.push_bind(s.failure_reason.clone());
            query.push(", ");
            query.push_bind(s.status_message.clone());
            query.push(", ");
            query.push_bind(s.cancel_requested);
            query.push(", ");
            query.push_bind(opt_ms(s.due_at));
            query.push(", ");
            query.push_bind(ms(timed.now));
            query.push(")");
        }
        query.push(
            ") AS v WHERE sessions.id = v.column1 AND sessions.version = v.column2
             RETURNING sessions.id",
        );
        for row in query.build().fetch_all(&mut **tx).await? {
            let id: String = row.try_get(0)?;
            written.insert(Uuid::parse_str(&id).map_err(|e| corrupt("sessions", e))?);
        }
    }
    Ok(written)
}

/// Settles the runs the written transitions record; `false` when one of their leases was
/// lost (someone else runs it now).
async fn settle_runs(
    tx: &mut Transaction<'_, Sqlite>,
    writes: &[Timed<'_, '_>],
) -> Result<bool, StoreError> {
    let settles: Vec<_> = writes
        .iter()
        .filter_map(|w| w.write.settles.as_ref().map(|settle| (settle, w.now)))
        .collect();
    let mut settled = 0;
    for chunk in settles.chunks(ROWS_PER_STATEMENT) {
        let mut query = QueryBuilder::<Sqlite>::new(
            "UPDATE outbox SET state = v.column3, next_attempt_at = COALESCE(v.column4, next_attempt_at),
                last_error = COALESCE(v.column5, last_error), lease_owner = NULL, lease_until = NULL,
                finished_at = CASE WHEN v.column3 = 'pending' THEN NULL ELSE v.column6 END
             FROM (VALUES ",
        );
        for (n, (settle, now)) in chunk.iter().enumerate() {
            let (state, next, error) = match &settle.settlement {
                Settlement::Done => ("done", None, None),
                Settlement::Retry { at, error } => ("pending", Some(ms(*at)), Some(error.clone())),
                Settlement::GaveUp { error } => ("failed", None, Some(error.clone())),
                Settlement::Dropped => ("dropped", None, None),
            };
            query.push(if n == 0 { "(" } else { ", (" });
            query.push_bind(settle.id);
            query.push(", ");
            query.push_bind(settle.owner.to_owned());
            query.push(", ");
            query.push_bind(state);
            query.push(", ");
            query.push_bind(next);
            query.push(", ");
            query.push_bind(error);
            query.push(", ");
            query.push_bind(ms(*now));
            query.push(")");
        }
        query.push(
            ") AS v WHERE outbox.id = v.column1 AND outbox.lease_owner = v.column2
                AND outbox.state = 'pending'",
        );
        settled += query.build().execute(&mut **tx).await?.rows_affected();
    }
    Ok(settled == settles.len() as u64)
}

/// Pending runs of the kinds a transition drops (rare: most transitions drop none).
async fn drop_pending(
    tx: &mut Transaction<'_, Sqlite>,
    writes: &[Timed<'_, '_>],
) -> Result<(), StoreError> {
    for &Timed { write, now } in writes {
        for kind in write.drop_pending {
            sqlx::query(
                "UPDATE outbox SET state = 'dropped', finished_at = ?
                 WHERE session_id = ? AND kind = ? AND state = 'pending' AND lease_owner IS NULL",
            )
            .bind(ms(now))
            .bind(write.session.id.to_string())
            .bind(kind.label())
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// The runs the transitions start, in write order (a session's runs run in id order).
async fn insert_runs(
    tx: &mut Transaction<'_, Sqlite>,
    writes: &[Timed<'_, '_>],
) -> Result<(), StoreError> {
    let runs: Vec<_> = writes
        .iter()
        .flat_map(|w| {
            w.write
                .runs
                .iter()
                .map(move |run| (w.write.session.id, run, w.now))
        })
        .collect();
    insert_outbox_rows(tx, &runs).await
}

/// Action runs as outbox rows, each with its session and the time it was written at, in
/// the given order.
pub(super) async fn insert_outbox_rows(
    tx: &mut Transaction<'_, Sqlite>,
    runs: &[(Uuid, &NewRun, DateTime<Utc>)],
) -> Result<(), StoreError> {
    for chunk in runs.chunks(ROWS_PER_STATEMENT) {
        let mut query = QueryBuilder::<Sqlite>::new(
            "INSERT INTO outbox (run_id, session_id, kind, action_index, payload, next_attempt_at, created_at) ",
        );
        query.push_values(chunk, |mut row, (session, run, now)| {
            row.push_bind(run.run_id.to_string())
                .push_bind(session.to_string())
                .push_bind(run.kind.label())
                .push_bind(i64::from(run.index))
                .push_bind(run.payload.clone())
                .push_bind(ms(*now))
                .push_bind(ms(*now));
        });
        query.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// Each session's lines numbered on from its last one, in one statement per chunk.
async fn insert_log_lines(
    tx: &mut Transaction<'_, Sqlite>,
    writes: &[Timed<'_, '_>],
) -> Result<(), StoreError> {
    // A session's lines stay in one chunk, so each statement numbers them from its last line.
    type Line<'e> = (Uuid, i64, &'e LogEntry, DateTime<Utc>);
    let mut chunks: Vec<Vec<Line<'_>>> = vec![Vec::new()];
    let mut numbered: HashMap<Uuid, i64> = HashMap::new();
    for &Timed { write, now } in writes {
        let chunk = chunks.last_mut().expect("at least one chunk");
        if !chunk.is_empty() && chunk.len() + write.log.len() > ROWS_PER_STATEMENT {
            chunks.push(Vec::new());
        }
        let chunk = chunks.last_mut().expect("at least one chunk");
        for entry in write.log {
            let number = numbered.entry(write.session.id).or_insert(0);
            *number += 1;
            chunk.push((write.session.id, *number, entry, now));
        }
    }
    for chunk in chunks.iter().filter(|c| !c.is_empty()) {
        let mut query = QueryBuilder::<Sqlite>::new(
            "WITH lines (session_id, n, level, actor, message, at) AS (VALUES ",
        );
        for (n, (session, number, entry, at)) in chunk.iter().enumerate() {
            query.push(if n == 0 { "(" } else { ", (" });
            query.push_bind(session.to_string());
            query.push(", ");
            query.push_bind(*number);
            query.push(", ");
            query.push_bind(entry.level.value());
            query.push(", ");
            query.push_bind(entry.actor.clone());
            query.push(", ");
            query.push_bind(entry.message.clone());
            query.push(", ");
            query.push_bind(ms(*at));
            query.push(")");
        }
        query.push(
            "), last (session_id, seq, n) AS (
                SELECT d.session_id, s.seq,
                    (SELECT COALESCE(MAX(line_number), 0) FROM session_log l WHERE l.session_seq = s.seq)
                FROM (SELECT DISTINCT session_id FROM lines) d
                CROSS JOIN sessions s ON s.id = d.session_id)
             INSERT INTO session_log (session_seq, line_number, at, level, actor, message)
             SELECT last.seq, last.n + lines.n, lines.at, lines.level, lines.actor,
                lines.message
             FROM lines JOIN last ON last.session_id = lines.session_id",
        );
        query.build().execute(&mut **tx).await?;
    }
    Ok(())
}
