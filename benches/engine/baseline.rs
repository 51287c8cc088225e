//! The baseline of the creates/s figure: the rows a create writes, inserted by a plain
//! synchronous Rust loop into the broker's own schema on the same SQLite build, one session row
//! and one log row per transaction. It is what the broker would do if HTTP, JSON, policy checks
//! and the runtime cost nothing.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

/// A row as column names and values, to insert again with a new id.
struct Template {
    columns: Vec<String>,
    values: Vec<Value>,
}

impl Template {
    fn read(connection: &Connection, sql: &str, params: &[&str]) -> Result<Self> {
        let mut statement = connection.prepare(sql)?;
        let columns: Vec<String> = statement
            .column_names()
            .into_iter()
            .map(str::to_owned)
            .collect();
        let values = statement
            .query_row(params_from_iter(params), |row| {
                (0..columns.len())
                    .map(|i| row.get::<_, Value>(i))
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .with_context(|| format!("no template row for `{sql}`"))?;
        Ok(Self { columns, values })
    }

    /// Leaves out a column (the session's own rowid, which SQLite numbers).
    fn without(mut self, column: &str) -> Self {
        if let Some(index) = self.columns.iter().position(|c| c == column) {
            self.columns.remove(index);
            self.values.remove(index);
        }
        self
    }

    fn position(&self, column: &str) -> Result<usize> {
        self.columns
            .iter()
            .position(|c| c == column)
            .with_context(|| format!("the template has no column {column}"))
    }

    fn insert_sql(&self, table: &str) -> String {
        let placeholders: Vec<String> = (1..=self.columns.len()).map(|i| format!("?{i}")).collect();
        format!(
            "INSERT INTO {table} ({}) VALUES ({})",
            self.columns.join(", "),
            placeholders.join(", ")
        )
    }
}

/// Inserts `count` copies of the database's one session and its first log line, each with a
/// new id, one transaction per session; the database is a stopped broker's, opened as the
/// broker opens it (WAL, synchronous NORMAL, foreign keys on). Returns the time the loop took.
pub fn insert_loop(database: &Path, count: usize) -> Result<Duration> {
    let mut connection = Connection::open(database)?;
    connection.pragma_update(None, "journal_mode", "WAL")?;
    connection.pragma_update(None, "synchronous", "NORMAL")?;
    connection.pragma_update(None, "foreign_keys", "ON")?;
    connection.busy_timeout(Duration::from_secs(10))?;

    let session = Template::read(&connection, "SELECT * FROM sessions LIMIT 1", &[])?;
    let template_id = match &session.values[session.position("id")?] {
        Value::Text(id) => id.clone(),
        other => bail!("a session id that is not text: {other:?}"),
    };
    let session = session.without("seq");
    // A log line names its session by id, or (since 2026-12-05) by the session's number;
    // an older build's database has the former.
    let by_number = connection
        .prepare("SELECT 1 FROM pragma_table_info('session_log') WHERE name = 'session_seq'")?
        .exists([])?;
    let log = Template::read(
        &connection,
        if by_number {
            "SELECT * FROM session_log WHERE session_seq = (SELECT seq FROM sessions WHERE id = ?1)
             ORDER BY line_number LIMIT 1"
        } else {
            "SELECT * FROM session_log WHERE session_id = ?1 ORDER BY line_number LIMIT 1"
        },
        &[&template_id],
    )?;
    let session_id_at = session.position("id")?;
    let log_session_at = log.position(if by_number {
        "session_seq"
    } else {
        "session_id"
    })?;
    let (insert_session, insert_log) = (
        session.insert_sql("sessions"),
        log.insert_sql("session_log"),
    );
    let mut session_values = session.values.clone();
    let mut log_values = log.values.clone();

    let started = Instant::now();
    for _ in 0..count {
        let id = Value::Text(uuid::Uuid::new_v4().to_string());
        session_values[session_id_at] = id.clone();
        let transaction = connection.transaction()?;
        transaction
            .prepare_cached(&insert_session)?
            .execute(params_from_iter(&session_values))?;
        log_values[log_session_at] = if by_number {
            Value::Integer(transaction.last_insert_rowid())
        } else {
            id
        };
        transaction
            .prepare_cached(&insert_log)?
            .execute(params_from_iter(&log_values))?;
        transaction.commit()?;
    }
    Ok(started.elapsed())
}
