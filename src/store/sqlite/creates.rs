//! New sessions written as a few statements however many requests a group commit holds: each
//! statement goes through sqlx's one writer connection thread, a round trip between two
//! threads, and with one statement per row a batch of 32 creates spent most of its time in
//! those hand-offs while the machine sat idle (creates were bound by latency, not CPU).
//!
//! A batch of creates is written in one savepoint; if any part fails (a foreign key, say),
//! the caller rolls it back and writes the creates one by one, each with this same code, so
//! that only the request that causes it fails.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::{QueryBuilder, Row, Sqlite, Transaction};
use uuid::Uuid;

use super::together::{ROWS_PER_STATEMENT, insert_outbox_rows};
use super::{
    AuditAppend, KnownHead, NewRun, StoreError, append_audit_in_tx, custom_fields_json, ms, opt_ms,
};
use crate::core::audit::{AuditEvent, AuditSeal};
use crate::core::{LogEntry, Session};
use crate::store::fold_search_text;
use crate::wire::enums::WireEnum;

/// What one create request writes, at the time its writer gave.
#[derive(Clone, Copy)]
pub(super) struct Create<'a> {
    pub group: Option<Uuid>,
    pub sessions: &'a [(Session, Vec<LogEntry>)],
    pub runs: &'a [(Uuid, NewRun)],
    pub audit: &'a [AuditEvent],
    pub seal: &'a AuditSeal,
    pub now: DateTime<Utc>,
}

/// Writes `creates` in the caller's transaction, in their order: their groups, sessions,
/// first log lines, action runs, then their audit events chained after `head`.
pub(super) async fn insert_creates(
    tx: &mut Transaction<'_, Sqlite>,
    creates: &[Create<'_>],
    head: &mut KnownHead,
) -> Result<(), StoreError> {
    insert_groups(tx, creates).await?;
    let numbers = insert_sessions(tx, creates).await?;
    insert_first_logs(tx, creates, &numbers).await?;
    let runs: Vec<(Uuid, &NewRun, DateTime<Utc>)> = creates
        .iter()
        .flat_map(|c| {
            c.runs
                .iter()
                .map(move |(session, run)| (*session, run, c.now))
        })
        .collect();
    insert_outbox_rows(tx, &runs).await?;
    let appends: Vec<AuditAppend<'_>> = creates
        .iter()
        .map(|c| AuditAppend {
            events: c.audit,
            seal: c.seal,
        })
        .collect();
    append_audit_in_tx(tx, &appends, head).await
}

async fn insert_groups(
    tx: &mut Transaction<'_, Sqlite>,
    creates: &[Create<'_>],
) -> Result<(), StoreError> {
    let groups: Vec<(Uuid, &Session, DateTime<Utc>)> = creates
        .iter()
        .filter_map(|c| Some((c.group?, &c.sessions.first()?.0, c.now)))
        .collect();
    for chunk in groups.chunks(ROWS_PER_STATEMENT) {
        let mut query =
            QueryBuilder::<Sqlite>::new("INSERT INTO session_groups (id, created_by, created_at) ");
        query.push_values(chunk, |mut row, (group, first, now)| {
            row.push_bind(group.to_string())
                .push_bind(first.created_by.to_string())
                .push_bind(ms(*now));
        });
        query.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// Inserts the sessions; their numbers (`seq`), by id, which their log lines are kept by.
async fn insert_sessions(
    tx: &mut Transaction<'_, Sqlite>,
    creates: &[Create<'_>],
) -> Result<HashMap<String, i64>, StoreError> {
    let mut numbers = HashMap::new();
    let sessions: Vec<(&Session, DateTime<Utc>)> = creates
        .iter()
        .flat_map(|c| c.sessions.iter().map(move |(session, _)| (session, c.now)))
        .collect();
    for chunk in sessions.chunks(ROWS_PER_STATEMENT) {
        let mut query = QueryBuilder::<Sqlite>::new(
            "INSERT INTO sessions (id, group_id, created_by, created_from, activity_id, resource_id,
                policy_id, login_account_name, state, locked, scheduled_start_at, scheduled_end_at,
                actual_end_at, note, ticket, search_text, custom_fields, approval_deadline_at, due_at,
                version, created_at, modified_at, actual_start_at) ",
        );
        query.push_values(chunk, |mut row, (session, now)| {
            row.push_bind(session.id.to_string())
                .push_bind(session.group_id.map(|g| g.to_string()))
                .push_bind(session.created_by.to_string())
                .push_bind(session.created_from.clone())
                .push_bind(session.activity_id.to_string())
                .push_bind(session.resource_id.to_string())
                .push_bind(session.policy_id.to_string())
                .push_bind(session.login_account_name.clone())
                .push_bind(session.state.identifier())
                .push_bind(0_i64)
                .push_bind(ms(session.scheduled_start))
                .push_bind(ms(session.scheduled_end))
                .push_bind(opt_ms(session.actual_end))
                .push_bind(session.note.clone())
                .push_bind(session.ticket.clone())
                .push_bind(fold_search_text(
                    session.note.as_deref(),
                    session.ticket.as_deref(),
                ))
                .push_bind(custom_fields_json(session))
                .push_bind(opt_ms(session.approval_deadline))
                .push_bind(opt_ms(session.due_at))
                .push_bind(0_i64)
                .push_bind(ms(*now))
                .push_bind(ms(*now))
                // A session that starts now is written already provisioned when it needs no
                // action.
                .push_bind(opt_ms(session.actual_start));
        });
        query.push(" RETURNING id, seq");
        for row in query.build().fetch_all(&mut **tx).await? {
            numbers.insert(row.try_get("id")?, row.try_get("seq")?);
        }
    }
    Ok(numbers)
}

/// A new session has no lines yet, so its first ones are numbered from 1.
async fn insert_first_logs(
    tx: &mut Transaction<'_, Sqlite>,
    creates: &[Create<'_>],
    numbers: &HashMap<String, i64>,
) -> Result<(), StoreError> {
    let mut lines: Vec<(i64, i64, &LogEntry, DateTime<Utc>)> = Vec::new();
    for create in creates {
        for (session, log) in create.sessions {
            let seq = *numbers.get(&session.id.to_string()).ok_or_else(|| {
                super::corrupt(
                    "sessions",
                    format!("session {} was inserted without a number", session.id),
                )
            })?;
            lines.extend(
                (1_i64..)
                    .zip(log)
                    .map(|(number, entry)| (seq, number, entry, create.now)),
            );
        }
    }
    for chunk in lines.chunks(ROWS_PER_STATEMENT) {
        let mut query = QueryBuilder::<Sqlite>::new(
            "INSERT INTO session_log (session_seq, line_number, at, level, actor, message) ",
        );
        query.push_values(chunk, |mut row, (seq, number, entry, now)| {
            row.push_bind(*seq)
                .push_bind(*number)
                .push_bind(ms(*now))
                .push_bind(entry.level.value())
                .push_bind(entry.actor.clone())
                .push_bind(entry.message.clone());
        });
        query.build().execute(&mut **tx).await?;
    }
    Ok(())
}
