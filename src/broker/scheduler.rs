//! Two loops move sessions along. The timer loop claims sessions whose due time came (through
//! the store's due-time index, under a lease, so that replicas share them) and applies the
//! lifecycle's `Due` event to a batch of them in one transaction. The outbox worker claims action runs under a lease it renews while the
//! action runs, runs them with their idempotency key, and records each outcome together with
//! the transition it causes. An action whose lease is lost is stopped, never finished twice.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, Utc};
use tokio::sync::Semaphore;
use uuid::Uuid;

use super::access::Access;
use super::actions;
use super::pace::Pace;
use super::{Broker, BrokerError, Caller};
use crate::core::audit::AuditEvent;
use crate::core::lifecycle::{self, ActionOutcome, Effect, Event, Transition};
use crate::core::{ActionCounts, ActionKind, Activity, LogEntry, LogLevel, Session};
use crate::store::{
    AuditAppend, ClaimedRun, NewRun, RunSettle, SessionWrite, Settlement, StoreError, WriteOutcome,
};

/// Sessions taken per timer pass, written in one transaction.
const SESSION_BATCH: u32 = 500;
/// Actions running at once in one broker. Enough that a burst (thousands of sessions ending
/// in the same second) keeps both the processes and the writer busy: the outcomes of the
/// runs that finish together are written together.
const PARALLEL_RUNS: usize = 64;
/// With fewer slots free than this (and some runs still running), the outbox worker lets
/// more runs finish for up to `CLAIM_GATHER` before it claims: one claim (a write) for
/// several slots rather than one per finished run when thousands of runs wait.
const CLAIM_BATCH: usize = 16;
const CLAIM_GATHER: StdDuration = StdDuration::from_millis(5);
/// A timer pass woken by a change (a create, an end) within this long of the previous pass
/// waits out the rest first: under a stream of creates, each pass then takes the sessions of
/// many requests in one batch instead of one pass (eight statements) per request or two. A
/// change after a quiet spell is taken at once.
const TIMER_GATHER: StdDuration = StdDuration::from_millis(50);
const IDLE_WAKE: StdDuration = StdDuration::from_secs(30);
const BUSY_WAKE: StdDuration = StdDuration::from_millis(20);
/// How many times a transition is retried when another writer got there first.
const WRITE_ATTEMPTS: usize = 50;
/// How often the session tally's changes are folded into its groups (readers add the changes
/// not folded yet, so this keeps them few, not the answers right), and queued audit events
/// chained (an audit page chains first, so this keeps the queue short for offline checks).
const BOOKKEEPING_EVERY: StdDuration = StdDuration::from_millis(500);

impl Broker {
    /// Wakes the timer loop and the outbox worker (a session changed, the clock moved).
    pub fn wake_scheduler(&self) {
        self.wake_timers();
        self.wake_outbox();
    }

    /// Wakes the timer loop: a session may be due sooner than it was waiting for.
    pub(super) fn wake_timers(&self) {
        self.wakeup.notify_one();
    }

    /// Wakes the outbox worker: action runs were written.
    pub(super) fn wake_outbox(&self) {
        self.runs_wakeup.notify_one();
    }

    /// Runs the timer loop, the outbox worker and the bookkeeping until the process ends.
    pub fn start_scheduler(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let timers = Arc::clone(self);
        let worker = Arc::clone(self);
        let folder = Arc::clone(self);
        tokio::spawn(async move {
            tokio::join!(timers.timers(), worker.work(), folder.keep_books());
        })
    }

    /// Folds the session tally's changes and chains the queued audit events now and then
    /// (no-ops on stores that do both as they write; on PostgreSQL one replica at a time does
    /// each).
    async fn keep_books(self: Arc<Self>) {
        let mut interval = tokio::time::interval(BOOKKEEPING_EVERY);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            if let Err(error) = self.store.fold_session_tally().await {
                tracing::warn!(%error, "scheduler: cannot fold the session tally's changes");
            }
            self.chain_audit().await;
        }
    }

    async fn timers(self: Arc<Self>) {
        let mut pace = Pace::new("due sessions advanced");
        loop {
            let pass = Instant::now();
            let advanced = self.advance_due_sessions().await;
            let (more, written) = match &advanced {
                Ok((more, written)) => (*more, *written),
                Err(_) => (false, 0),
            };
            pace.count(written, Instant::now());
            let wait = match advanced {
                Ok(_) if more => StdDuration::ZERO,
                // Never zero: a session that is due but could not be written (another writer
                // got there first) is retried shortly, not in a busy loop.
                Ok(_) => match self.store.next_due().await {
                    Ok(Some(next)) => until(next, self.clock.now()).max(BUSY_WAKE),
                    Ok(None) => IDLE_WAKE,
                    Err(error) => {
                        tracing::warn!(%error, "scheduler: cannot read the next due time");
                        IDLE_WAKE
                    }
                },
                Err(error) => {
                    tracing::warn!(%error, "scheduler: cannot advance due sessions");
                    StdDuration::from_secs(1)
                }
            };
            if wait.is_zero() {
                tokio::task::yield_now().await;
                continue;
            }
            let wait = until_said(&pace, wait);
            let woken = tokio::select! {
                () = self.wakeup.notified() => true,
                () = tokio::time::sleep(wait) => false,
            };
            if let (true, Some(rest)) = (woken, TIMER_GATHER.checked_sub(pass.elapsed())) {
                tokio::time::sleep(rest).await;
            }
        }
    }

    /// Claims a batch of due sessions and applies `Due` to them; `true` when there may be
    /// more right now, with how many were written. Replicas claim disjoint batches; a batch
    /// whose broker dies before writing it is claimed again once the claim's lease
    /// (`action_lease`) runs out.
    async fn advance_due_sessions(&self) -> Result<(bool, u64), BrokerError> {
        let now = self.clock.now();
        let due = self
            .store
            .claim_due_sessions(&self.instance, now, now + self.lease(), SESSION_BATCH)
            .await?;
        if due.is_empty() {
            return Ok((false, 0));
        }
        let counts = self.action_counts().await?;
        let mut transitions = Vec::new();
        for session in &due {
            let actions = counts(session.activity_id);
            if let Ok(Some(transition)) = lifecycle::apply(session, Event::Due, now, actions) {
                transitions.push(transition);
            }
        }
        let mut runs: Vec<Vec<NewRun>> = Vec::with_capacity(transitions.len());
        for transition in &transitions {
            runs.push(self.runs_for(transition).await?);
        }
        let drops: Vec<Vec<ActionKind>> = transitions.iter().map(dropped_kinds).collect();
        let writes: Vec<SessionWrite<'_>> = transitions
            .iter()
            .zip(&runs)
            .zip(&drops)
            .map(|((t, runs), drops)| SessionWrite {
                runs,
                drop_pending: drops,
                ..SessionWrite::new(&t.session, &t.log)
            })
            .collect();
        let outcomes = self.store.write_sessions(&writes, now).await?;
        let mut written = 0;
        for (transition, outcome) in transitions.iter().zip(outcomes) {
            if outcome == WriteOutcome::Written {
                written += 1;
                self.after_transition(transition).await;
            }
        }
        // `after_transition` woke the outbox worker for each transition with effects.
        Ok((due.len() as u32 == SESSION_BATCH, written))
    }

    /// The number of actions of each kind, by activity.
    pub(super) async fn action_counts(
        &self,
    ) -> Result<impl Fn(Uuid) -> ActionCounts + use<>, StoreError> {
        let activities = self.store.activities().await?;
        let access = self.access();
        Ok(move |id: Uuid| {
            activities
                .iter()
                .find(|a| a.id == id)
                .map(|a| action_counts_of(&access, a))
                .unwrap_or_default()
        })
    }

    /// Applies an event to a session and writes the transition with its effects, retrying
    /// when another writer got there first. Returns the session as written (or as it is, when
    /// the event changed nothing). The caller asked for it: the log lines naming the caller
    /// also say where the request came from, as the request's line does, and the audit record
    /// `record` makes of the changed session is written in the same transaction.
    ///
    /// `read` is the session as the caller just read it: the first attempt starts from it
    /// instead of reading it again, and a stale one only costs a retry.
    pub(super) async fn transition_by(
        &self,
        caller: &Caller,
        read: Session,
        event: impl Fn(&Session) -> Event,
        record: impl Fn(&Session) -> AuditEvent,
    ) -> Result<Session, BrokerError> {
        self.write_transition(caller.source, read.id, Some(read), event, record)
            .await
    }

    /// A transition the broker makes by itself (the login poller saw a login or a logout):
    /// audited as the broker's, with `action`.
    pub(super) async fn transition(
        &self,
        id: Uuid,
        event: impl Fn(&Session) -> Event,
        action: &'static str,
        detail: &'static str,
    ) -> Result<Session, BrokerError> {
        let record = |session: &Session| {
            AuditEvent::new(self.clock.now(), action, "ok")
                .by(None, Some("pamctl"))
                .on(session.id.to_string())
                .detail(detail)
        };
        self.write_transition(None, id, None, event, record).await
    }

    async fn write_transition(
        &self,
        source: Option<std::net::IpAddr>,
        id: Uuid,
        mut read: Option<Session>,
        event: impl Fn(&Session) -> Event,
        record: impl Fn(&Session) -> AuditEvent,
    ) -> Result<Session, BrokerError> {
        let counts = self.action_counts().await?;
        for _ in 0..WRITE_ATTEMPTS {
            let session = match read.take() {
                Some(session) => session,
                None => self
                    .store
                    .session(id)
                    .await?
                    .ok_or_else(|| super::session::not_found(id))?,
            };
            let now = self.clock.now();
            let Some(mut transition) =
                lifecycle::apply(&session, event(&session), now, counts(session.activity_id))?
            else {
                return Ok(session);
            };
            say_where_from(&mut transition, source);
            let runs = self.runs_for(&transition).await?;
            let drops = dropped_kinds(&transition);
            let audit = [record(&transition.session)];
            let write = SessionWrite {
                runs: &runs,
                drop_pending: &drops,
                audit: Some(AuditAppend {
                    events: &audit,
                    seal: &self.settings.audit_seal,
                }),
                ..SessionWrite::new(&transition.session, &transition.log)
            };
            if self.store.write_session(&write, now).await? == WriteOutcome::Written {
                self.after_transition(&transition).await;
                let mut written = transition.session;
                written.version += 1;
                return Ok(written);
            }
        }
        Err(BrokerError::Conflict(format!(
            "session {id} is changing too fast to update; try again"
        )))
    }

    /// What follows a written transition outside the database: waking the loops.
    pub(super) async fn after_transition(&self, transition: &Transition) {
        if transition.session.due_at.is_some() {
            self.wake_timers();
        }
        if !transition.effects.is_empty() {
            self.wake_outbox();
        }
    }

    async fn work(self: Arc<Self>) {
        let slots = Arc::new(Semaphore::new(PARALLEL_RUNS));
        let mut pace = Pace::new("action runs finished");
        let finished = Arc::new(AtomicU64::new(0));
        loop {
            pace.count(finished.swap(0, Ordering::Relaxed), Instant::now());
            let mut free = slots.available_permits();
            if free > 0 && free < CLAIM_BATCH.min(PARALLEL_RUNS) {
                tokio::time::sleep(CLAIM_GATHER).await;
                free = slots.available_permits();
            }
            let mut claimed = 0;
            if free > 0 {
                let now = self.clock.now();
                match self
                    .store
                    .claim_runs(&self.instance, now, now + self.lease(), free as u32)
                    .await
                {
                    Ok(runs) => {
                        claimed = runs.len();
                        let mut sessions = self.sessions_of(&runs).await;
                        for run in runs {
                            let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
                                return;
                            };
                            let broker = Arc::clone(&self);
                            let finished = Arc::clone(&finished);
                            let session = sessions.remove(&run.session_id);
                            tokio::spawn(async move {
                                if let Err(error) = broker.execute(&run, session).await {
                                    tracing::warn!(%error, run = %run.run_id, session = %run.session_id,
                                        "outbox: could not record an action run; it is retried when its lease runs out");
                                }
                                finished.fetch_add(1, Ordering::Relaxed);
                                drop(slot);
                                broker.runs_wakeup.notify_one();
                            });
                        }
                    }
                    Err(error) => tracing::warn!(%error, "outbox: cannot claim action runs"),
                }
            }
            if claimed > 0 && claimed == free {
                tokio::task::yield_now().await;
                continue;
            }
            let wait = if free == 0 {
                IDLE_WAKE
            } else {
                match self.store.next_run_at().await {
                    Ok(Some(next)) => until(next, self.clock.now()).max(BUSY_WAKE),
                    _ => IDLE_WAKE,
                }
            };
            let wait = until_said(&pace, wait);
            tokio::select! {
                () = self.runs_wakeup.notified() => {}
                () = tokio::time::sleep(wait) => {}
            }
        }
    }

    fn lease(&self) -> Duration {
        Duration::from_std(self.settings.action_lease).unwrap_or(Duration::seconds(30))
    }

    /// The sessions of a claimed batch of runs, in one read; empty when that read fails
    /// (each run then reads its own).
    async fn sessions_of(&self, runs: &[ClaimedRun]) -> HashMap<Uuid, Session> {
        let ids: Vec<Uuid> = runs
            .iter()
            .filter(|run| run.kind != ActionKind::Statement)
            .map(|run| run.session_id)
            .collect();
        if ids.is_empty() {
            return HashMap::new();
        }
        match self.store.sessions(&ids).await {
            Ok(sessions) => sessions.into_iter().map(|s| (s.id, s)).collect(),
            Err(error) => {
                tracing::warn!(%error, "outbox: cannot read the sessions of claimed runs");
                HashMap::new()
            }
        }
    }

    /// Runs one claimed action and records its outcome with the transition it causes.
    /// `read` is its session as read after the claim (`None`: read it now).
    async fn execute(&self, run: &ClaimedRun, read: Option<Session>) -> Result<(), BrokerError> {
        if run.kind == ActionKind::Statement {
            return self.statement_under_lease(run).await;
        }
        let owner = self.instance.as_str();
        let read = match read {
            Some(session) => Some(session),
            None => self.store.session(run.session_id).await?,
        };
        let Some(session) = read else {
            return self.drop_run(run).await;
        };
        if !lifecycle::wants(&session, run.kind, run.index) {
            // Said in the log, so that an action that never ran is never a mystery.
            let line = LogEntry::new(
                LogLevel::Info,
                None,
                format!(
                    "{} action {} not run: the session is {} now",
                    run.kind.label(),
                    run.index + 1,
                    session.shown_state().word()
                ),
            );
            self.store
                .append_log(session.id, &[line], self.clock.now())
                .await?;
            return self.drop_run(run).await;
        }
        let label = format!("{} action {}", run.kind.label(), run.index + 1);
        let (result, attempts_allowed) = if run.kind == ActionKind::Notify {
            self.send_notification(run, &session).await?
        } else if run.index == 0 && self.access().gives_role(&session.activity_name) {
            let step = self.target_step(run.kind, &session, &label);
            let mut allowed = run.kind.max_attempts();
            let result = self
                .under_lease(run, async {
                    let step = step.await;
                    allowed = step.attempts_allowed;
                    step.result
                })
                .await?;
            (result, allowed)
        } else {
            (
                self.run_action(run, &session, &label).await?,
                run.kind.max_attempts(),
            )
        };
        let Some(result) = result else {
            return Ok(());
        };
        let mut result = result;
        if run.attempts > 1 {
            // The previous attempt was interrupted (a crash, a lost lease) or failed.
            result.log.insert(
                0,
                LogEntry::new(
                    LogLevel::Warn,
                    None,
                    format!(
                        "resuming {} actions at action {} (attempt {})",
                        run.kind.label(),
                        run.index + 1,
                        run.attempts
                    ),
                ),
            );
        }
        let now = self.clock.now();
        let outcome = if result.succeeded {
            ActionOutcome::Succeeded
        } else {
            let error = result
                .error
                .clone()
                .unwrap_or_else(|| "it failed".to_owned());
            let gave_up = attempts_allowed.is_some_and(|m| run.attempts >= m);
            ActionOutcome::Failed {
                error,
                retry_at: (!gave_up).then(|| now + self.backoff(run.attempts)),
            }
        };
        let settlement = match &outcome {
            ActionOutcome::Succeeded => Settlement::Done,
            ActionOutcome::Failed {
                error,
                retry_at: Some(at),
            } => Settlement::Retry {
                at: *at,
                error: error.clone(),
            },
            ActionOutcome::Failed { error, .. } => Settlement::GaveUp {
                error: error.clone(),
            },
        };
        if !result.succeeded {
            let level = if run.kind == ActionKind::PostSession {
                tracing::Level::ERROR
            } else {
                tracing::Level::WARN
            };
            if level == tracing::Level::ERROR {
                tracing::error!(session = %run.session_id, run = %run.run_id, attempt = run.attempts,
                    "{label} failed: access may still be in place");
            } else {
                tracing::warn!(session = %run.session_id, run = %run.run_id, attempt = run.attempts,
                    "{label} failed");
            }
        }
        let counts = self.action_counts().await?;
        // The session as read before the action is most likely still current: the write
        // checks its version, and only a stale one costs a fresh read.
        let mut known = Some(session);
        for _ in 0..WRITE_ATTEMPTS {
            let session = match known.take() {
                Some(session) => session,
                None => match self.store.session(run.session_id).await? {
                    Some(session) => session,
                    None => return self.drop_run(run).await,
                },
            };
            let event = Event::ActionFinished {
                kind: run.kind,
                index: run.index,
                outcome: outcome.clone(),
                log: result.log.clone(),
            };
            let Some(transition) =
                lifecycle::apply(&session, event, now, counts(session.activity_id))?
            else {
                return Ok(());
            };
            let runs = self.runs_for(&transition).await?;
            let drops = dropped_kinds(&transition);
            let write = SessionWrite {
                runs: &runs,
                drop_pending: &drops,
                settles: Some(RunSettle {
                    id: run.id,
                    owner,
                    settlement: settlement.clone(),
                }),
                ..SessionWrite::new(&transition.session, &transition.log)
            };
            match self.store.write_session(&write, now).await? {
                WriteOutcome::Written => {
                    self.after_transition(&transition).await;
                    return Ok(());
                }
                WriteOutcome::Stale => continue,
                WriteOutcome::LeaseLost => {
                    tracing::warn!(run = %run.run_id, session = %run.session_id,
                        "outbox: the lease ran out before the outcome was recorded; another attempt follows");
                    return Ok(());
                }
            }
        }
        Err(BrokerError::Conflict(format!(
            "session {} is changing too fast to record an action's outcome",
            run.session_id
        )))
    }

    /// Runs an activity's action under the run's lease; `None` when the lease was lost (the
    /// action was stopped and someone else owns the run).
    async fn run_action(
        &self,
        run: &ClaimedRun,
        session: &Session,
        label: &str,
    ) -> Result<Option<actions::ActionResult>, BrokerError> {
        // The target step of a database-role activity is its action 1: its own follow.
        let offset = u32::from(self.access().gives_role(&session.activity_name));
        let spec = self
            .store
            .activities()
            .await?
            .into_iter()
            .find(|a| a.id == session.activity_id)
            .and_then(|a| {
                match run.kind {
                    ActionKind::PreSession => a.pre_session,
                    ActionKind::PostSession => a.post_session,
                    ActionKind::Lock => a.on_lock,
                    ActionKind::Unlock => a.on_unlock,
                    ActionKind::Notify | ActionKind::Extend | ActionKind::Statement => Vec::new(),
                }
                .into_iter()
                .nth(run.index.saturating_sub(offset) as usize)
            });
        let Some(spec) = spec else {
            return Ok(Some(actions::ActionResult {
                succeeded: true,
                error: None,
                log: vec![LogEntry::new(
                    LogLevel::Warn,
                    None,
                    format!("{label}: the activity no longer has it; skipped"),
                )],
            }));
        };
        let facts = actions::session_facts(session, run.kind.label(), run.run_id);
        let action = actions::run(&spec, label, &facts, &self.http);
        self.under_lease(run, action).await
    }

    /// Sends one of the policy's notifications; the webhook's `retries` bound the attempts.
    async fn send_notification(
        &self,
        run: &ClaimedRun,
        session: &Session,
    ) -> Result<(Option<actions::ActionResult>, Option<u32>), BrokerError> {
        let policies = self.store.policies().await?;
        let Some((policy, target)) = policies
            .iter()
            .find(|p| p.id == session.policy_id)
            .and_then(|p| p.notify.get(run.index as usize).map(|t| (p, t)))
        else {
            return Ok((
                Some(actions::ActionResult {
                    succeeded: true,
                    error: None,
                    log: Vec::new(),
                }),
                None,
            ));
        };
        let payload: serde_json::Value = run
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok())
            .unwrap_or_default();
        let event = payload["event"].as_str().unwrap_or("notify");
        let state = payload["state"]
            .as_str()
            .unwrap_or(session.shown_state().word());
        let body = Broker::notify_body(session, policy, event, state, run.run_id);
        let send = actions::notify(&target.url, target.timeout, &body, event, &self.http);
        Ok((self.under_lease(run, send).await?, Some(target.retries + 1)))
    }

    /// Drives `work` while renewing the run's lease; stops it (drops it, which kills a
    /// command) and answers `None` if the lease is lost.
    async fn under_lease<F>(
        &self,
        run: &ClaimedRun,
        work: F,
    ) -> Result<Option<actions::ActionResult>, BrokerError>
    where
        F: std::future::Future<Output = actions::ActionResult>,
    {
        tokio::pin!(work);
        let mut heartbeat = tokio::time::interval(self.settings.action_lease / 3);
        heartbeat.tick().await;
        loop {
            tokio::select! {
                result = &mut work => return Ok(Some(result)),
                _ = heartbeat.tick() => {
                    let until = self.clock.now() + self.lease();
                    if !self.store.renew_run(run.id, &self.instance, until).await.unwrap_or(false) {
                        tracing::warn!(run = %run.run_id, session = %run.session_id,
                            "outbox: lost the lease of a running action; stopped it");
                        return Ok(None);
                    }
                }
            }
        }
    }

    /// Runs an approved statement while renewing its run's lease. A lost lease does not stop
    /// it (a statement half sent cannot be taken back): the next claimant finds the entry
    /// started and marks it interrupted instead of running it again.
    async fn statement_under_lease(&self, run: &ClaimedRun) -> Result<(), BrokerError> {
        let work = self.execute_statement_run(run);
        tokio::pin!(work);
        let mut heartbeat = tokio::time::interval(self.settings.action_lease / 3);
        heartbeat.tick().await;
        loop {
            tokio::select! {
                result = &mut work => return result,
                _ = heartbeat.tick() => {
                    let until = self.clock.now() + self.lease();
                    if !self.store.renew_run(run.id, &self.instance, until).await.unwrap_or(false) {
                        tracing::warn!(run = %run.run_id, session = %run.session_id,
                            "outbox: lost the lease of a running statement");
                    }
                }
            }
        }
    }

    async fn drop_run(&self, run: &ClaimedRun) -> Result<(), BrokerError> {
        let settle = RunSettle {
            id: run.id,
            owner: &self.instance,
            settlement: Settlement::Dropped,
        };
        self.store.settle_run(&settle, self.clock.now()).await?;
        Ok(())
    }

    /// The wait before attempt `attempts + 1`: the configured backoff, doubling per attempt.
    fn backoff(&self, attempts: u32) -> Duration {
        let base = self.settings.action_retry_backoff;
        let factor = 1u32 << attempts.saturating_sub(1).min(16);
        let wait = base
            .checked_mul(factor)
            .unwrap_or(super::config::MAX_ACTION_BACKOFF)
            .min(super::config::MAX_ACTION_BACKOFF);
        Duration::from_std(wait).unwrap_or(Duration::minutes(5))
    }

    /// The outbox rows a transition starts, each with a fresh idempotency key.
    pub(super) async fn runs_for(
        &self,
        transition: &Transition,
    ) -> Result<Vec<NewRun>, StoreError> {
        let mut runs = Vec::new();
        for effect in &transition.effects {
            match effect {
                Effect::Run { kind, index } => runs.push(NewRun {
                    run_id: Uuid::new_v4(),
                    kind: *kind,
                    index: *index,
                    payload: None,
                }),
                Effect::Notify(event) => {
                    runs.extend(self.notifications(&transition.session, event).await?);
                }
                Effect::DropPending(_) => {}
            }
        }
        Ok(runs)
    }

    /// One outbox row per webhook of the session's policy, carrying the event and the state
    /// the session had when it happened.
    pub(super) async fn notifications(
        &self,
        session: &Session,
        event: &str,
    ) -> Result<Vec<NewRun>, StoreError> {
        let policies = self.store.policies().await?;
        let Some(policy) = policies.iter().find(|p| p.id == session.policy_id) else {
            return Ok(Vec::new());
        };
        let payload = serde_json::json!({"event": event, "state": session.shown_state().word()});
        Ok((0..policy.notify.len() as u32)
            .map(|index| NewRun {
                run_id: Uuid::new_v4(),
                kind: ActionKind::Notify,
                index,
                payload: Some(payload.to_string()),
            })
            .collect())
    }
}

/// The log lines naming the caller say where the request came from, as the request's own
/// line does.
pub(super) fn say_where_from(transition: &mut Transition, source: Option<IpAddr>) {
    if let Some(source) = source {
        for entry in transition.log.iter_mut().filter(|e| e.actor.is_some()) {
            entry.message.push_str(&format!(" (from {source})"));
        }
    }
}

/// The number of actions of each kind of `activity`.
pub(super) fn action_counts_of(access: &Access, activity: &Activity) -> ActionCounts {
    // A database-role activity has one target step in front of each kind.
    let step = u32::from(access.gives_role(&activity.name));
    ActionCounts {
        pre: activity.pre_session.len() as u32 + step,
        post: activity.post_session.len() as u32 + step,
        lock: activity.on_lock.len() as u32 + step,
        unlock: activity.on_unlock.len() as u32 + step,
        extend: step,
    }
}

/// The pending runs a transition drops, by kind.
pub(super) fn dropped_kinds(transition: &Transition) -> Vec<ActionKind> {
    transition
        .effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::DropPending(kind) => Some(*kind),
            _ => None,
        })
        .collect()
}

/// `wait`, or less when a loop's busy stretch must be said in the log before then.
fn until_said(pace: &Pace, wait: StdDuration) -> StdDuration {
    pace.due().map_or(wait, |due| {
        wait.min(due.saturating_duration_since(Instant::now()) + StdDuration::from_millis(1))
    })
}

fn until(at: DateTime<Utc>, now: DateTime<Utc>) -> StdDuration {
    (at - now)
        .to_std()
        .unwrap_or(StdDuration::ZERO)
        .clamp(StdDuration::ZERO, IDLE_WAKE)
}
