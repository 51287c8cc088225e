//! Creates written together. Each create request used to be its own transaction of up to
//! seven statements (begin, group, session, log lines, runs, audit, commit), every one a round
//! trip from the broker to a PostgreSQL backend, and 32 clients kept up to 16 backends
//! inserting into the same index pages at once. PostgreSQL's own time per create grew with
//! the number of backends inserting together (0.64 ms a create with one broker's pool, 0.80
//! to 0.96 ms with two brokers' pools on the same database), most of it in the insert of the
//! session row.
//!
//! Now each broker queues its creates and one writer takes whatever has queued while it was
//! busy, writing it as one transaction of a few statements for all of them. (Two writers
//! halved the batches; with two brokers on one database, each with its own queue, the
//! batches got small enough that their fixed costs told: 2,528 creates/s against 2,633/s
//! with one writer, same machine.) One create
//! alone is written at once by the same code. If a batch fails (a foreign key, say, for a
//! policy removed meanwhile), it is written again one create at a time, so that only the
//! request that causes the failure fails, as before.
//!
//! On the benchmark's machine, one broker's creates went from 2,049/s to 3,085–3,360/s, and
//! the machine's CPU per create from 0.92 ms to about 0.5 ms.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::postgres::PgPool;
use sqlx::{Postgres, Transaction};
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;
use uuid::Uuid;

use super::{
    BEGIN_INSERTS, LogLines, NewRun, StoreError, insert_runs_at, ms, opt_ms, queue_audit_in_tx,
};
use crate::core::audit::AuditEvent;
use crate::core::{LogEntry, Session};
use crate::store::fold_search_text;

/// What one create request writes, at the time its broker gave.
pub(super) struct Create {
    pub group: Option<Uuid>,
    pub sessions: Vec<(Session, Vec<LogEntry>)>,
    pub runs: Vec<(Uuid, NewRun)>,
    pub audit: Vec<AuditEvent>,
    pub now: DateTime<Utc>,
}

/// The most creates in one batch: enough to take what 32 clients queue during a write,
/// small enough that one slow batch does not hold back many requests.
const MOST_PER_BATCH: usize = 64;

/// How long the writer waits for more creates, after taking what queued while it was busy,
/// when its last batch held more than one (a stream of creates; a create after a quiet spell
/// is written at once). Each batch has fixed costs in PostgreSQL and in the broker, and each
/// broker has its own queue, so two replicas on one database made batches half as big as
/// one replica's. Back to back, `--only postgres`, twice each: two replicas made 92% of one
/// replica's creates without the wait, 95–101% with 1 ms (0.51–0.52 ms of the machine's CPU
/// per create, against 0.57–0.58), 97–99% with 0.5 ms and 95–96% with 2 ms.
const GATHER: Duration = Duration::from_millis(1);

type Queued = (Create, oneshot::Sender<Result<(), StoreError>>);

/// The broker's queue of creates, and the writer that empties it. The writer stops when the
/// store is dropped (the queue closes).
pub(super) struct CreateQueue {
    sender: mpsc::UnboundedSender<Queued>,
}

impl CreateQueue {
    /// Starts the writer on `pool`; must be called within the tokio runtime.
    pub(super) fn start(pool: &PgPool) -> Self {
        let (sender, receiver) = mpsc::unbounded_channel();
        tokio::spawn(write_queued(pool.clone(), receiver));
        Self { sender }
    }

    /// Writes `create`, together with whatever else is queued, and answers once it is
    /// committed (or has failed, alone).
    pub(super) async fn write(&self, create: Create) -> Result<(), StoreError> {
        let (answer, answered) = oneshot::channel();
        // A queue without writers (their runtime has stopped) is a closed store.
        self.sender
            .send((create, answer))
            .map_err(|_| StoreError::Database(sqlx::Error::PoolClosed))?;
        answered
            .await
            .map_err(|_| StoreError::Database(sqlx::Error::PoolClosed))?
    }
}

/// The writer: takes the first queued create and everything queued behind it (up to
/// `MOST_PER_BATCH`, gathering for up to `GATHER` under a stream), writes them, answers
/// each, and waits for the next.
async fn write_queued(pool: PgPool, mut receiver: mpsc::UnboundedReceiver<Queued>) {
    let mut last_batch = 0;
    while let Some(first) = receiver.recv().await {
        let mut batch = vec![first];
        while batch.len() < MOST_PER_BATCH {
            match receiver.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        if last_batch > 1 {
            let until = Instant::now() + GATHER;
            while batch.len() < MOST_PER_BATCH {
                match tokio::time::timeout_at(until, receiver.recv()).await {
                    Ok(Some(next)) => batch.push(next),
                    _ => break,
                }
            }
        }
        last_batch = batch.len();
        // In a task of its own: should a write panic, its callers get an error (their
        // answers are dropped) and the writer goes on with the next batch.
        if let Err(error) = tokio::spawn(write_batch(pool.clone(), batch)).await {
            tracing::error!(%error, "creates: a batch's write stopped");
        }
    }
}

/// Writes a batch and answers each of its callers.
async fn write_batch(pool: PgPool, batch: Vec<Queued>) {
    let creates: Vec<&Create> = batch.iter().map(|(create, _)| create).collect();
    let written = write_together(&pool, &creates).await;
    if written.is_ok() || batch.len() == 1 {
        let mut written = Some(written);
        for (_, answer) in batch {
            // The one create's own error, or Ok for each; a caller that has gone away (its
            // request was dropped) is not waiting for the answer.
            let outcome = written.take().unwrap_or(Ok(()));
            answer.send(outcome).ok();
        }
        return;
    }
    // One of them failed the batch: each alone, so that only that one fails.
    for (create, answer) in batch {
        answer.send(write_together(&pool, &[&create]).await).ok();
    }
}

/// Writes `creates` in one transaction, in their order: their groups, sessions, first log
/// lines, action runs, then their audit events.
async fn write_together(pool: &PgPool, creates: &[&Create]) -> Result<(), StoreError> {
    let mut tx = pool.begin_with(BEGIN_INSERTS).await?;
    insert_groups(&mut tx, creates).await?;
    insert_sessions(&mut tx, creates).await?;
    insert_first_logs(&mut tx, creates).await?;
    let mut runs: Vec<(Uuid, &NewRun)> = Vec::new();
    let mut at = Vec::new();
    for create in creates {
        for (session, run) in &create.runs {
            runs.push((*session, run));
            at.push(ms(create.now));
        }
    }
    insert_runs_at(&mut tx, &runs, &at).await?;
    let events: Vec<AuditEvent> = creates
        .iter()
        .flat_map(|create| create.audit.iter().cloned())
        .collect();
    queue_audit_in_tx(&mut tx, &events).await?;
    tx.commit().await?;
    Ok(())
}

/// The groups of the creates that have one, owned by the requester of their first session.
async fn insert_groups(
    tx: &mut Transaction<'_, Postgres>,
    creates: &[&Create],
) -> Result<(), StoreError> {
    let mut ids = Vec::new();
    let mut owners = Vec::new();
    let mut at = Vec::new();
    for create in creates {
        if let (Some(group), Some((first, _))) = (create.group, create.sessions.first()) {
            ids.push(group);
            owners.push(first.created_by);
            at.push(ms(create.now));
        }
    }
    if ids.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO session_groups (id, created_by, created_at)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::bigint[])",
    )
    .bind(ids)
    .bind(owners)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Every session of the creates, one array per column, in one statement.
async fn insert_sessions(
    tx: &mut Transaction<'_, Postgres>,
    creates: &[&Create],
) -> Result<(), StoreError> {
    let sessions: Vec<(&Session, i64)> = creates
        .iter()
        .flat_map(|create| {
            create
                .sessions
                .iter()
                .map(move |(session, _)| (session, ms(create.now)))
        })
        .collect();
    if sessions.is_empty() {
        return Ok(());
    }
    let column = |f: fn(&Session) -> Option<String>| -> Vec<Option<String>> {
        sessions.iter().map(|(s, _)| f(s)).collect()
    };
    let instant = |f: fn(&Session) -> Option<i64>| -> Vec<Option<i64>> {
        sessions.iter().map(|(s, _)| f(s)).collect()
    };
    let id =
        |f: fn(&Session) -> Uuid| -> Vec<Uuid> { sessions.iter().map(|(s, _)| f(s)).collect() };
    sqlx::query(
        "INSERT INTO sessions (id, group_id, created_by, created_from, activity_id, resource_id,
            policy_id, login_account_name, state, locked, scheduled_start_at, scheduled_end_at,
            actual_end_at, note, ticket, custom_fields, approval_deadline_at, due_at, version,
            created_at, modified_at, search_text, actual_start_at)
         SELECT x.id, x.group_id, x.created_by, x.created_from, x.activity_id, x.resource_id,
            x.policy_id, x.login_account_name, x.state, FALSE, x.scheduled_start_at,
            x.scheduled_end_at, x.actual_end_at, x.note, x.ticket, x.custom_fields,
            x.approval_deadline_at, x.due_at, 0, x.created_at, x.created_at, x.search_text,
            x.actual_start_at
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::uuid[], $6::uuid[],
            $7::uuid[], $8::text[], $9::text[], $10::bigint[], $11::bigint[], $12::bigint[],
            $13::text[], $14::text[], $15::text[], $16::bigint[], $17::bigint[], $18::bigint[],
            $19::text[], $20::bigint[]) WITH ORDINALITY
            AS x(id, group_id, created_by, created_from, activity_id, resource_id, policy_id,
                login_account_name, state, scheduled_start_at, scheduled_end_at, actual_end_at,
                note, ticket, custom_fields, approval_deadline_at, due_at, created_at,
                search_text, actual_start_at, n)
         ORDER BY x.n",
    )
    .bind(id(|s| s.id))
    .bind(sessions.iter().map(|(s, _)| s.group_id).collect::<Vec<_>>())
    .bind(id(|s| s.created_by))
    .bind(column(|s| s.created_from.clone()))
    .bind(id(|s| s.activity_id))
    .bind(id(|s| s.resource_id))
    .bind(id(|s| s.policy_id))
    .bind(column(|s| s.login_account_name.clone()))
    .bind(column(|s| Some(s.state.identifier().to_string())))
    .bind(instant(|s| Some(ms(s.scheduled_start))))
    .bind(instant(|s| Some(ms(s.scheduled_end))))
    .bind(instant(|s| opt_ms(s.actual_end)))
    .bind(column(|s| s.note.clone()))
    .bind(column(|s| s.ticket.clone()))
    .bind(column(|s| s.custom_fields.as_ref().map(|v| v.to_string())))
    .bind(instant(|s| opt_ms(s.approval_deadline)))
    .bind(instant(|s| opt_ms(s.due_at)))
    .bind(sessions.iter().map(|(_, at)| *at).collect::<Vec<_>>())
    .bind(column(|s| {
        fold_search_text(s.note.as_deref(), s.ticket.as_deref())
    }))
    // A session that starts now is written already provisioned when it needs no action.
    .bind(instant(|s| opt_ms(s.actual_start)))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Each new session's log, numbered from 1 as `LogLines` numbers it (a new session has no
/// lines to follow), each line at its own create's time.
async fn insert_first_logs(
    tx: &mut Transaction<'_, Postgres>,
    creates: &[&Create],
) -> Result<(), StoreError> {
    let lines = LogLines::numbered(creates.iter().flat_map(|create| {
        create
            .sessions
            .iter()
            .map(|(session, log)| (session.id, log.as_slice()))
    }));
    if lines.is_empty() {
        return Ok(());
    }
    let at: Vec<i64> = creates
        .iter()
        .flat_map(|create| {
            let lines: usize = create.sessions.iter().map(|(_, log)| log.len()).sum();
            std::iter::repeat_n(ms(create.now), lines)
        })
        .collect();
    sqlx::query(
        "INSERT INTO session_log (session_id, line_number, at, level, actor, message)
         SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[],
            $6::text[])",
    )
    .bind(&lines.sessions)
    .bind(&lines.numbers)
    .bind(at)
    .bind(&lines.levels)
    .bind(&lines.actors)
    .bind(&lines.messages)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
