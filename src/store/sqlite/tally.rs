//! Stale tally groups made fresh again. A session leaving a group may take the group's
//! shortest or longest duration with it, and the tally's triggers then mark the group stale:
//! a summary reads such a group's extremes from its rows. Sessions mostly end oldest first,
//! which is a running group's longest, so under a steady flow of ends most running groups
//! were stale for good (half of all sessions, in the mixed benchmark), and an admin's summary
//! read all their rows.
//!
//! Once a summary has met a stale group, the broker's next bookkeeping
//! (`Store::fold_session_tally`, every half second) refreshes them all: each stale group's
//! extremes are worked out again from its rows in one write transaction, so that the
//! extremes and the rows agree. A summary in between reads the few groups gone stale since.

use sqlx::Connection;

use super::connections::Connections;

use crate::store::StoreError;
use crate::store::common::{duration_sql, whole_second};

/// Works out every stale group's extremes from its sessions and marks it fresh, in one
/// transaction; the number of groups refreshed.
pub(super) async fn refresh(writer: &Connections) -> Result<u64, StoreError> {
    // A session that has started and not ended is running: the group keeps its start second.
    // Any other keeps its duration, which does not move (`now` is never reached for them).
    let running = "x.actual_start_at IS NOT NULL AND x.actual_end_at IS NULL";
    let (before, after) = duration_sql("x", "MAX");
    let duration = format!("{before}0{after}");
    let start = whole_second("x.actual_start_at");
    let sql = format!(
        "UPDATE session_tally AS t SET fixed_min = g.fixed_min, fixed_max = g.fixed_max,
            run_min = g.run_min, run_max = g.run_max, stale = 0
         FROM (SELECT x.created_by, x.resource_id, x.activity_id, x.state, x.locked,
                MIN(CASE WHEN {running} THEN NULL ELSE {duration} END) AS fixed_min,
                MAX(CASE WHEN {running} THEN NULL ELSE {duration} END) AS fixed_max,
                MIN(CASE WHEN {running} THEN {start} END) AS run_min,
                MAX(CASE WHEN {running} THEN {start} END) AS run_max
             FROM session_tally s INDEXED BY session_tally_stale
             CROSS JOIN sessions x INDEXED BY sessions_by_tally_group
                ON x.created_by = s.created_by AND x.resource_id = s.resource_id
                AND x.activity_id = s.activity_id AND x.state = s.state AND x.locked = s.locked
             WHERE s.stale <> 0
             GROUP BY x.created_by, x.resource_id, x.activity_id, x.state, x.locked) g
         WHERE t.stale <> 0 AND t.created_by = g.created_by AND t.resource_id = g.resource_id
            AND t.activity_id = g.activity_id AND t.state = g.state AND t.locked = g.locked"
    );
    let mut writer = writer.get().await?;
    let mut tx = writer.begin().await?;
    let refreshed = sqlx::query(&sql).execute(&mut *tx).await?.rows_affected();
    tx.commit().await?;
    Ok(refreshed)
}
