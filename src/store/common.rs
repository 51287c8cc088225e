//! Helpers both stores use as they are: the time and duration encodings, catalog
//! fingerprints, and the pieces of session queries that do not depend on the SQL dialect.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::core::SessionState;
use crate::wire::enums::WireEnum;

/// Instants are stored as milliseconds since the Unix epoch (UTC), so they sort as numbers.
pub(super) fn ms(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

pub(super) fn opt_ms(at: Option<DateTime<Utc>>) -> Option<i64> {
    at.map(ms)
}

/// SQL for the whole second (since the epoch, rounded down) of a millisecond column: the
/// unit durations are counted in (`Session::duration_seconds`). A plain integer division:
/// it truncates, which rounds down because no stored instant is before the epoch (each is a
/// reading of the broker's clock or a requested start, which may not be in the past). The
/// tally's triggers round down exactly; this is on every read of many rows, where a
/// remainder's arithmetic doubled the cost of a summary of note matches.
pub(super) fn whole_second(column: &str) -> String {
    format!("({column} / 1000)")
}

/// SQL for `Session::duration_seconds` of the session aliased `alias`, up to `now` for a
/// running one, as the text before and after the bound `now` (whole seconds); `greatest` is
/// the dialect's two-argument maximum.
pub(super) fn duration_sql(alias: &str, greatest: &str) -> (String, String) {
    let second = |column: &str| whole_second(&format!("{alias}.{column}"));
    (
        format!(
            "(CASE WHEN {alias}.actual_start_at IS NOT NULL THEN {greatest}(0, COALESCE({}, ",
            second("actual_end_at")
        ),
        format!(
            ") - {}) WHEN {alias}.state IN ({}) THEN 0 ELSE {greatest}(0, {} - {}) END)",
            second("actual_start_at"),
            final_identifiers(),
            second("scheduled_end_at"),
            second("scheduled_start_at"),
        ),
    )
}

pub(super) fn secs(duration: Duration) -> i64 {
    i64::try_from(duration.as_secs()).unwrap_or(i64::MAX)
}

pub(super) fn duration(value: i64) -> Duration {
    Duration::from_secs(u64::try_from(value).unwrap_or(0))
}

/// A digest of an entry's content, so that `modified_at` moves only when the content does.
pub(super) fn fingerprint(content: impl std::fmt::Debug) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("{content:?}").as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

pub(super) fn final_identifiers() -> String {
    SessionState::ALL
        .iter()
        .filter(|s| s.is_final())
        .map(|s| format!("'{}'", s.identifier()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Escapes `%`, `_` and the escape character itself for `LIKE ... ESCAPE '\'`.
pub(super) fn like_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// A user matches NAME in any case: the whole name, or its account part in `DOMAIN\name` or
/// `name@domain`.
pub(super) fn names_user(name: &str, wanted: &str) -> bool {
    let wanted = wanted.trim();
    let name = name.trim();
    let account = name.rsplit('\\').next().unwrap_or(name);
    let account = account.split('@').next().unwrap_or(account);
    name.eq_ignore_ascii_case(wanted) || account.eq_ignore_ascii_case(wanted)
}

/// The catalog's three tables in one read (`kind` 0: accounts, 1: resources, 2: activities),
/// for a free text's names: a search pays for each round trip.
pub(super) const CATALOG_NAMES: &str =
    "SELECT CAST(0 AS BIGINT) AS kind, id, name, display_name FROM accounts
     UNION ALL SELECT 1, id, name, display_name FROM resources
     UNION ALL SELECT 2, id, name, NULL FROM activities";

/// A free text split by where its words live: the accounts, resources and activities whose
/// names hold it and the states whose words do (each an id list on an indexed column of the
/// session), and the folded text to find in the sessions' own notes and tickets. Each store
/// adds its dialect's conditions.
pub(super) struct TextMatch<Id> {
    pub users: Vec<Id>,
    pub resources: Vec<Id>,
    pub activities: Vec<Id>,
    pub states: Vec<SessionState>,
    pub folded: String,
}

impl<Id> TextMatch<Id> {
    /// Splits `text` by the rows of `CATALOG_NAMES` (kind, id, name, other name) whose names
    /// hold it, and by the states whose words do.
    pub fn new(
        text: &str,
        rows: impl IntoIterator<Item = (i64, Id, String, Option<String>)>,
    ) -> Self {
        let folded = text.to_lowercase();
        let holds = |value: &str| super::name_holds(value, &folded);
        let (mut users, mut resources, mut activities) = (Vec::new(), Vec::new(), Vec::new());
        for (kind, id, name, other) in rows {
            if !(holds(&name) || other.as_deref().is_some_and(holds)) {
                continue;
            }
            match kind {
                0 => users.push(id),
                1 => resources.push(id),
                _ => activities.push(id),
            }
        }
        let states = SessionState::ALL
            .into_iter()
            .filter(|s| holds(s.word()) || holds(s.summary_status().name()))
            .collect();
        TextMatch {
            users,
            resources,
            activities,
            states,
            folded,
        }
    }

    pub fn names_anything(&self) -> bool {
        !(self.users.is_empty()
            && self.resources.is_empty()
            && self.activities.is_empty()
            && self.states.is_empty())
    }
}
