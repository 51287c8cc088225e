//! Statements run in a database-role session through the broker (`session exec`), its
//! activity log, re-runs, and per-statement review.
//!
//! Every statement runs through the outbox, as the session's own role (its sealed password),
//! bounded by `[server] exec_timeout` and `exec_max_rows`. One the session's activity does
//! not hold for review is written as "approved" together with its `statement` outbox run,
//! and the request waits for its outcome. One held for review waits as "pending review"; the
//! approval writes the entry as "approved" together with its run. Either way the run's id is
//! the idempotency key: the outbox worker claims the run under a lease, moves the entry from
//! "approved" to "running" (a compare-and-set: only one claimant can), runs it, and records
//! the outcome. A run that finds its entry already past "approved" never starts it again: an
//! entry whose broker died mid-run ends "interrupted", never run twice. A denial writes
//! "denied", and nothing runs.

use uuid::Uuid;

use super::approval::names_approver;
use super::{Broker, BrokerError, Caller};
use crate::core::{
    ActionKind, LogEntry, LogLevel, Role, Session, SessionState, StatementEntry, StatementRows,
    StatementStatus,
};
use crate::store::{ClaimedRun, NewRun, RunSettle, Settlement};
use crate::targets::{Password, StatementResult};

/// The longest statement `session exec` takes (the API's body cap is larger).
pub const MAX_SQL_BYTES: usize = 64 * 1024;
/// Attempts at writing an entry's outcome when the store is briefly unavailable.
const RECORD_ATTEMPTS: usize = 5;

/// A reviewer's decision on a held statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatementDecision {
    Approve,
    Deny { reason: String },
}

/// A held statement a caller may decide, with its session.
#[derive(Debug, Clone)]
pub struct PendingStatement {
    pub entry: StatementEntry,
    pub session: Session,
}

fn live(session: &Session) -> bool {
    matches!(
        session.state,
        SessionState::Available | SessionState::LoggedIn
    )
}

fn entry_not_found(id: i64) -> BrokerError {
    BrokerError::NotFound {
        what: "activity log entry",
        id: id.to_string(),
    }
}

impl Broker {
    /// Runs `sql` in the caller's own live session, or holds it for review when the
    /// session's activity says so. The entry is returned either way.
    pub async fn exec_statement(
        &self,
        caller: &Caller,
        session_id: Uuid,
        sql: &str,
    ) -> Result<StatementEntry, BrokerError> {
        if sql.trim().is_empty() {
            return Err(BrokerError::invalid(
                "sql",
                "the statement is empty: give the SQL to run",
            ));
        }
        if sql.len() > MAX_SQL_BYTES {
            return Err(BrokerError::out_of_bounds(
                "sql",
                format!(
                    "the statement is longer than {MAX_SQL_BYTES} bytes; run it with psql (session connect)"
                ),
            ));
        }
        let entry = self
            .submit_statement(caller, session_id, sql.to_owned(), None)
            .await?;
        self.audit_statement(caller, "statement.exec", &entry).await;
        Ok(entry)
    }

    /// The audit record of a caller's step on a statement: its entry and where it stands,
    /// never its SQL (a statement may carry a secret).
    async fn audit_statement(&self, caller: &Caller, action: &str, entry: &StatementEntry) {
        let event = self
            .audit_event(caller, action, Some(entry.session_id))
            .detail(format!("statement {}: {}", entry.id, entry.status.word()));
        self.record(vec![event]).await;
    }

    /// Runs a recorded statement again in the caller's live session: a new entry that
    /// points to the original, reviewed again if the activity requires it.
    pub async fn rerun_statement(
        &self,
        caller: &Caller,
        session_id: Uuid,
        entry_id: i64,
    ) -> Result<StatementEntry, BrokerError> {
        let original = self
            .store
            .statement(entry_id)
            .await?
            .filter(|entry| entry.session_id == session_id)
            .ok_or_else(|| entry_not_found(entry_id))?;
        let entry = self
            .submit_statement(caller, session_id, original.sql, Some(entry_id))
            .await?;
        self.audit_statement(caller, "statement.rerun", &entry)
            .await;
        Ok(entry)
    }

    /// A session's activity log, for whoever may read the session.
    pub async fn activity_log(
        &self,
        caller: &Caller,
        session_id: Uuid,
    ) -> Result<Vec<StatementEntry>, BrokerError> {
        self.visible_session(caller, session_id).await?;
        Ok(self.store.statements_of(session_id).await?)
    }

    /// One entry of a session's activity log, for whoever may read the session.
    pub async fn activity_entry(
        &self,
        caller: &Caller,
        session_id: Uuid,
        entry_id: i64,
    ) -> Result<StatementEntry, BrokerError> {
        self.visible_session(caller, session_id).await?;
        self.store
            .statement(entry_id)
            .await?
            .filter(|entry| entry.session_id == session_id)
            .ok_or_else(|| entry_not_found(entry_id))
    }

    async fn submit_statement(
        &self,
        caller: &Caller,
        session_id: Uuid,
        sql: String,
        rerun_of: Option<i64>,
    ) -> Result<StatementEntry, BrokerError> {
        let session = self.visible_session(caller, session_id).await?;
        if session.created_by != caller.account_id {
            return Err(BrokerError::Forbidden(format!(
                "only the requester of session {session_id} may run statements in it"
            )));
        }
        let access = self.access();
        let (_, role) = access.for_session(&session).ok_or_else(|| {
            BrokerError::Conflict(format!(
                "session {session_id} gives no database role: activity {} on {} has no target",
                session.activity_name, session.resource_name
            ))
        })?;
        let review = role.review_statements.rule();
        if !live(&session) || session.locked {
            return Err(BrokerError::Conflict(format!(
                "session {session_id} is {}: statements run only in an Available or Logged In session that is not locked",
                session.shown_state().word()
            )));
        }
        let now = self.clock.now();
        let held = review.requires_review(&sql);
        // A statement that needs no review is approved by its activity: it runs through the
        // outbox like a reviewed one (once, under a lease), and the request waits for it.
        let run = (!held).then(|| NewRun {
            run_id: Uuid::new_v4(),
            kind: ActionKind::Statement,
            index: 0,
            payload: None,
        });
        let mut entry = StatementEntry {
            id: 0,
            session_id,
            requested_by: caller.account_id,
            requested_by_name: caller.name.clone(),
            requested_at: now,
            sql,
            status: if held {
                StatementStatus::PendingReview
            } else {
                StatementStatus::Approved
            },
            rerun_of,
            started_at: None,
            duration_ms: None,
            rows_affected: None,
            result: None,
            error: None,
            reviewed_by: None,
            reviewed_by_name: None,
            reviewed_at: None,
            review_reason: None,
            run_id: run.as_ref().map(|run| run.run_id),
        };
        if !held {
            // Refused before anything is written: a session without a password cannot run it.
            self.sealed_password(session_id).await?;
        }
        entry.id = self
            .store
            .insert_statement(&entry, run.as_ref(), now)
            .await?;
        let rerun = rerun_of
            .map(|id| format!(" (a re-run of entry {id})"))
            .unwrap_or_default();
        let what = if held { "held for review" } else { "run" };
        let line = LogEntry::new(
            LogLevel::Info,
            Some(&caller.name),
            format!(
                "statement {} {what}{rerun}: {}",
                entry.id,
                one_line(&entry.sql)
            ),
        );
        self.store.append_log(session_id, &[line], now).await?;
        if held {
            return Ok(entry);
        }
        self.wake_scheduler();
        self.wait_for_statement(entry.id).await
    }

    /// Waits until the outbox has run an entry (or a little longer than the statement
    /// timeout), and answers the entry as it is then.
    async fn wait_for_statement(&self, id: i64) -> Result<StatementEntry, BrokerError> {
        let deadline = tokio::time::Instant::now()
            + self.settings.exec_limits.timeout
            + self.settings.action_lease
            + std::time::Duration::from_secs(5);
        let mut pause = std::time::Duration::from_millis(10);
        loop {
            let entry = self
                .store
                .statement(id)
                .await?
                .ok_or_else(|| entry_not_found(id))?;
            if entry.status.is_final() || tokio::time::Instant::now() >= deadline {
                return Ok(entry);
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(std::time::Duration::from_millis(200));
        }
    }

    /// The session's password, opened with the credential key.
    async fn sealed_password(&self, session_id: Uuid) -> Result<Password, BrokerError> {
        let sealed = self.store.credential(session_id).await?.ok_or_else(|| {
            BrokerError::Conflict(format!(
                "session {session_id} holds no password yet: its role is not provisioned"
            ))
        })?;
        super::access::open(&self.settings.credential_key, session_id, &sealed).ok_or_else(|| {
            BrokerError::Internal(
                "the session's password cannot be opened with this broker's credential key; replicas must share [server] credential_key".to_owned(),
            )
        })
    }

    /// Runs a statement as the session's role; a target that cannot be reached is a failed
    /// result with the target's words (they never hold the password).
    async fn run_on_target(
        &self,
        session: &Session,
        password: &Password,
        sql: &str,
    ) -> StatementResult {
        let access = self.access();
        let Some((target, _)) = access.for_session(session) else {
            return StatementResult {
                error: Some(format!(
                    "resource {} has no target for activity {}",
                    session.resource_name, session.activity_name
                )),
                ..StatementResult::default()
            };
        };
        let role = target.target.role_name(session.id);
        match target
            .target
            .run_statement(&role, password, sql, &self.settings.exec_limits)
            .await
        {
            Ok(result) => result,
            Err(error) => StatementResult {
                error: Some(error.to_string()),
                ..StatementResult::default()
            },
        }
    }

    /// Writes a finished entry (over `expected`), with a line in the session log.
    async fn record_outcome(
        &self,
        entry: &StatementEntry,
        expected: StatementStatus,
    ) -> Result<bool, BrokerError> {
        let mut last_error = None;
        for _ in 0..RECORD_ATTEMPTS {
            match self
                .store
                .update_statement(entry, expected, None, self.clock.now())
                .await
            {
                Ok(written) => {
                    let (level, outcome) = match &entry.error {
                        Some(error) => (LogLevel::Warn, format!("failed: {error}")),
                        None => (
                            LogLevel::Info,
                            format!(
                                "succeeded in {} ms{}",
                                entry.duration_ms.unwrap_or(0),
                                entry
                                    .rows_affected
                                    .map(|n| format!(", {n} rows"))
                                    .unwrap_or_default()
                            ),
                        ),
                    };
                    let line =
                        LogEntry::new(level, None, format!("statement {} {outcome}", entry.id));
                    self.store
                        .append_log(entry.session_id, &[line], self.clock.now())
                        .await?;
                    return Ok(written);
                }
                Err(error) => {
                    last_error = Some(error);
                    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                }
            }
        }
        Err(last_error.map_or_else(
            || BrokerError::Internal("cannot record a statement's outcome".to_owned()),
            BrokerError::from,
        ))
    }

    /// Whether `caller` may decide statements held in this session: named as an approver by
    /// the session's policy (or an admin where admins may approve), and never the
    /// statement's own requester.
    async fn may_review(
        &self,
        caller: &Caller,
        session: &Session,
        entry: &StatementEntry,
    ) -> Result<bool, BrokerError> {
        if caller.account_id == entry.requested_by || caller.account_id == session.created_by {
            return Ok(false);
        }
        let policies = self.store.policies().await?;
        Ok(policies.iter().any(|policy| {
            policy.id == session.policy_id
                && (names_approver(policy, caller)
                    || (caller.role == Role::Admin && policy.admins_may_approve))
        }))
    }

    /// The held statements `caller` may decide, in live sessions, oldest first.
    pub async fn pending_statements_for(
        &self,
        caller: &Caller,
    ) -> Result<Vec<PendingStatement>, BrokerError> {
        let mut pending = Vec::new();
        for entry in self.store.pending_statements().await? {
            // A statement held in a session that has ended can no longer run: not offered.
            let Some(session) = self.store.session(entry.session_id).await?.filter(live) else {
                continue;
            };
            if self.may_review(caller, &session, &entry).await? {
                pending.push(PendingStatement { entry, session });
            }
        }
        Ok(pending)
    }

    /// Approves or denies a held statement. An approval writes the outbox run that runs it,
    /// with the decision, in one transaction; a denial means it never runs.
    pub async fn decide_statement(
        &self,
        caller: &Caller,
        entry_id: i64,
        decision: StatementDecision,
    ) -> Result<StatementEntry, BrokerError> {
        let mut entry = self
            .store
            .statement(entry_id)
            .await?
            .ok_or_else(|| entry_not_found(entry_id))?;
        let session = self
            .visible_session(caller, entry.session_id)
            .await
            .map_err(|_| entry_not_found(entry_id))?;
        if caller.account_id == entry.requested_by || caller.account_id == session.created_by {
            return Err(BrokerError::Forbidden(format!(
                "you asked for statement {entry_id}: somebody else must review it"
            )));
        }
        if !self.may_review(caller, &session, &entry).await? {
            return Err(BrokerError::Forbidden(format!(
                "only the approvers of session {}'s policy may review its statements",
                session.id
            )));
        }
        if entry.status != StatementStatus::PendingReview {
            return Err(BrokerError::Conflict(format!(
                "statement {entry_id} is {}: only a statement pending review can be decided",
                entry.status.word()
            )));
        }
        let now = self.clock.now();
        entry.reviewed_by = Some(caller.account_id);
        entry.reviewed_by_name = Some(caller.name.clone());
        entry.reviewed_at = Some(now);
        let (run, line) = match &decision {
            StatementDecision::Approve => {
                if !live(&session) || session.locked {
                    return Err(BrokerError::Conflict(format!(
                        "session {} is {}: a statement can only be approved while its session is Available or Logged In and not locked",
                        session.id,
                        session.shown_state().word()
                    )));
                }
                let run_id = Uuid::new_v4();
                entry.status = StatementStatus::Approved;
                entry.run_id = Some(run_id);
                (
                    Some(NewRun {
                        run_id,
                        kind: ActionKind::Statement,
                        index: 0,
                        payload: Some(entry_id.to_string()),
                    }),
                    format!("statement {entry_id} approved by {}", caller.name),
                )
            }
            StatementDecision::Deny { reason } => {
                if reason.trim().is_empty() {
                    return Err(BrokerError::invalid(
                        "reason",
                        "say why the statement is denied",
                    ));
                }
                entry.status = StatementStatus::Denied;
                entry.review_reason = Some(reason.clone());
                (
                    None,
                    format!("statement {entry_id} denied by {}: {reason}", caller.name),
                )
            }
        };
        if !self
            .store
            .update_statement(&entry, StatementStatus::PendingReview, run.as_ref(), now)
            .await?
        {
            return Err(BrokerError::Conflict(format!(
                "statement {entry_id} was decided meanwhile; read it again"
            )));
        }
        self.store
            .append_log(
                session.id,
                &[LogEntry::new(LogLevel::Info, Some(&caller.name), line)],
                now,
            )
            .await?;
        if run.is_some() {
            self.wake_scheduler();
        }
        let action = match decision {
            StatementDecision::Approve => "statement.approve",
            StatementDecision::Deny { .. } => "statement.deny",
        };
        self.audit_statement(caller, action, &entry).await;
        Ok(entry)
    }

    /// The outbox's `statement` run: starts the approved entry once, records its outcome,
    /// and settles the run. An entry already started (an earlier attempt died) is marked
    /// interrupted rather than run again.
    pub(super) async fn execute_statement_run(&self, run: &ClaimedRun) -> Result<(), BrokerError> {
        let entry_id: Option<i64> = run.payload.as_deref().and_then(|p| p.parse().ok());
        let entry = match entry_id {
            Some(id) => self.store.statement(id).await?,
            None => None,
        };
        let settle = |settlement| RunSettle {
            id: run.id,
            owner: &self.instance,
            settlement,
        };
        let Some(mut entry) = entry.filter(|e| e.run_id == Some(run.run_id)) else {
            self.store
                .settle_run(&settle(Settlement::Dropped), self.clock.now())
                .await?;
            return Ok(());
        };
        match entry.status {
            StatementStatus::Approved => {}
            StatementStatus::Running => {
                // An earlier attempt started it and its broker stopped before recording:
                // whether it ran is unknown, and running it again might do it twice.
                entry.status = StatementStatus::Interrupted;
                entry.error = Some(
                    "the broker stopped while the statement ran; its outcome is unknown and it is not run again".to_owned(),
                );
                self.record_outcome(&entry, StatementStatus::Running)
                    .await?;
                self.store
                    .settle_run(
                        &settle(Settlement::GaveUp {
                            error: "interrupted".to_owned(),
                        }),
                        self.clock.now(),
                    )
                    .await?;
                return Ok(());
            }
            _ => {
                self.store
                    .settle_run(&settle(Settlement::Done), self.clock.now())
                    .await?;
                return Ok(());
            }
        }
        let session = self.store.session(entry.session_id).await?;
        let runnable = session.as_ref().filter(|s| live(s) && !s.locked);
        let password = match runnable {
            Some(session) => self.sealed_password(session.id).await.ok(),
            None => None,
        };
        let (Some(session), Some(password)) = (runnable, password) else {
            entry.status = StatementStatus::Failed;
            entry.error = Some(format!(
                "not run: the session is {} now",
                session.as_ref().map_or("gone", |s| s.shown_state().word())
            ));
            self.record_outcome(&entry, StatementStatus::Approved)
                .await?;
            self.store
                .settle_run(&settle(Settlement::Done), self.clock.now())
                .await?;
            return Ok(());
        };
        let now = self.clock.now();
        entry.status = StatementStatus::Running;
        entry.started_at = Some(now);
        if !self
            .store
            .update_statement(&entry, StatementStatus::Approved, None, now)
            .await?
        {
            // Another claimant started it.
            self.store
                .settle_run(&settle(Settlement::Done), now)
                .await?;
            return Ok(());
        }
        let result = self.run_on_target(session, &password, &entry.sql).await;
        settle_entry(&mut entry, result);
        self.record_outcome(&entry, StatementStatus::Running)
            .await?;
        self.store
            .settle_run(&settle(Settlement::Done), self.clock.now())
            .await?;
        Ok(())
    }
}

/// Puts a run's outcome into its entry.
fn settle_entry(entry: &mut StatementEntry, result: StatementResult) {
    entry.duration_ms = Some(u64::try_from(result.duration.as_millis()).unwrap_or(u64::MAX));
    entry.rows_affected = result.rows_affected;
    entry.status = if result.error.is_some() {
        StatementStatus::Failed
    } else {
        StatementStatus::Succeeded
    };
    entry.result = (!result.columns.is_empty()).then_some(StatementRows {
        columns: result.columns,
        rows: result.rows,
        total: result.total_rows,
    });
    entry.error = result.error;
}

/// A statement as one session-log line: its first line, shortened.
fn one_line(sql: &str) -> String {
    let flat: String = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 200 {
        format!("{}…", flat.chars().take(200).collect::<String>())
    } else {
        flat
    }
}
