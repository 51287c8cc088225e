//! The audit table's SQL, the same on both backends: the placeholders are the query
//! builder's, and rows decode through sqlx's generic `Row`.

use chrono::DateTime;
use sqlx::query_builder::Separated;
use sqlx::{ColumnIndex, Database, Decode, Encode, QueryBuilder, Row, Type};
use uuid::Uuid;

use super::common::{like_pattern, ms};
use super::{AuditQuery, StoreError};
use crate::core::audit::{AuditEvent, AuditRecord, AuditSeal};

pub(super) const AUDIT_COLUMNS: &str = "SELECT seq, at, actor_id, actor_name, source, action, target, outcome, detail, prev_hash, hash";

/// The WHERE clause of a page (after `FROM audit_log`).
pub(super) fn push_audit_filters<'q, DB: Database>(
    builder: &mut QueryBuilder<'q, DB>,
    query: &AuditQuery,
) where
    i64: Encode<'q, DB> + Type<DB>,
    String: Encode<'q, DB> + Type<DB>,
{
    builder.push(" WHERE 1 = 1");
    if let Some(actor) = query.actor.as_deref().filter(|a| !a.trim().is_empty()) {
        builder.push(" AND LOWER(actor_name) = ");
        builder.push_bind(actor.trim().to_lowercase());
    }
    if let Some(action) = query.action.as_deref().filter(|a| !a.trim().is_empty()) {
        let action = action.trim().to_lowercase();
        builder.push(" AND (action = ");
        builder.push_bind(action.clone());
        builder.push(" OR action LIKE ");
        let contains = like_pattern(&action);
        // The family: `session` takes `session.end` (the pattern without its outer `%`s).
        builder.push_bind(format!("{}.%", &contains[1..contains.len() - 1]));
        builder.push(" ESCAPE '\\')");
    }
    if let Some(since) = query.since {
        builder.push(" AND at >= ");
        builder.push_bind(ms(since));
    }
    if let Some(until) = query.until {
        builder.push(" AND at <= ");
        builder.push_bind(ms(until));
    }
    if let Some(target) = query.target.as_deref().filter(|t| !t.trim().is_empty()) {
        builder.push(" AND target = ");
        builder.push_bind(target.trim().to_owned());
    }
}

/// ORDER, LIMIT and OFFSET of a page.
pub(super) fn push_audit_page<'q, DB: Database>(
    builder: &mut QueryBuilder<'q, DB>,
    query: &AuditQuery,
) where
    i64: Encode<'q, DB> + Type<DB>,
{
    builder.push(if query.ascending {
        " ORDER BY seq"
    } else {
        " ORDER BY seq DESC"
    });
    if let Some(take) = query.take {
        builder.push(" LIMIT ");
        builder.push_bind(i64::try_from(take).unwrap_or(i64::MAX));
    }
    if query.skip > 0 {
        if query.take.is_none() {
            // Both dialects take OFFSET only after a LIMIT on SQLite; ALL rows on PostgreSQL
            // is spelled differently, so a huge limit stands in.
            builder.push(" LIMIT ");
            builder.push_bind(i64::MAX);
        }
        builder.push(" OFFSET ");
        builder.push_bind(i64::try_from(query.skip).unwrap_or(i64::MAX));
    }
}

pub(super) fn record_from_row<R: Row>(row: &R) -> Result<AuditRecord, StoreError>
where
    for<'c> &'c str: ColumnIndex<R>,
    for<'r> i64: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
{
    Ok(AuditRecord {
        seq: row.try_get("seq")?,
        event: event_from_row(row, "audit_log")?,
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

/// An event's columns, the same in the chain and in PostgreSQL's queue (`table`).
pub(super) fn event_from_row<R: Row>(row: &R, table: &'static str) -> Result<AuditEvent, StoreError>
where
    for<'c> &'c str: ColumnIndex<R>,
    for<'r> i64: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
{
    let corrupt = |message: String| StoreError::Corrupt { table, message };
    let at: i64 = row.try_get("at")?;
    let actor_id: Option<String> = row.try_get("actor_id")?;
    Ok(AuditEvent {
        at: DateTime::from_timestamp_millis(at)
            .ok_or_else(|| corrupt(format!("at: {at} is out of range")))?,
        actor_id: actor_id
            .map(|id| Uuid::parse_str(&id).map_err(|e| corrupt(format!("actor_id: {e}"))))
            .transpose()?,
        actor_name: row.try_get("actor_name")?,
        source: row.try_get("source")?,
        action: row.try_get("action")?,
        target: row.try_get("target")?,
        outcome: row.try_get("outcome")?,
        detail: row.try_get("detail")?,
    })
}

/// An event's columns, in the order at, actor_id, actor_name, source, action, target, outcome, detail, in a row of a multi-row INSERT.
pub(super) fn push_event<'q, DB: Database>(
    row: &mut Separated<'_, 'q, DB, &'static str>,
    event: &AuditEvent,
) where
    i64: Encode<'q, DB> + Type<DB>,
    String: Encode<'q, DB> + Type<DB>,
    Option<String>: Encode<'q, DB> + Type<DB>,
{
    row.push_bind(ms(event.at))
        .push_bind(event.actor_id.map(|id| id.to_string()))
        .push_bind(event.actor_name.clone())
        .push_bind(event.source.clone())
        .push_bind(event.action.clone())
        .push_bind(event.target.clone())
        .push_bind(event.outcome.clone())
        .push_bind(event.detail.clone());
}

/// One INSERT of the chained rows.
pub(super) fn insert_records<'q, DB: Database>(records: &[AuditRecord]) -> QueryBuilder<'q, DB>
where
    i64: Encode<'q, DB> + Type<DB>,
    String: Encode<'q, DB> + Type<DB>,
    Option<String>: Encode<'q, DB> + Type<DB>,
{
    let mut builder = QueryBuilder::<DB>::new(
        "INSERT INTO audit_log (seq, at, actor_id, actor_name, source, action, target, outcome, detail, prev_hash, hash) ",
    );
    builder.push_values(records, |mut row, record| {
        row.push_bind(record.seq);
        push_event(&mut row, &record.event);
        row.push_bind(record.prev_hash.clone())
            .push_bind(record.hash.clone());
    });
    builder
}

/// Numbers and hashes `events` after the chain's last row (`head`).
pub(super) fn chain_after(
    head: Option<(i64, String)>,
    events: &[AuditEvent],
    seal: &AuditSeal,
) -> Vec<AuditRecord> {
    let mut last = head;
    let mut records = Vec::with_capacity(events.len());
    for event in events {
        let record = seal.chain(
            last.as_ref().map(|(seq, hash)| (*seq, hash.as_str())),
            event.clone(),
        );
        last = Some((record.seq, record.hash.clone()));
        records.push(record);
    }
    records
}

pub(super) const AUDIT_HEAD: &str = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
