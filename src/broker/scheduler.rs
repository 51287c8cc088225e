//! The scheduler: finds due sessions through the store's due-time index, wakes on a timer
//! and on new work, and moves each session along its lifecycle, running its actions. A lease
//! in the store keeps two brokers on one database from working on the same session; a
//! broker that restarts with the same identity takes its own leases back at once, so nothing
//! stays half-provisioned or half-cleaned.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use chrono::{Duration, Utc};
use tokio::sync::Semaphore;
use uuid::Uuid;

use super::actions;
use super::model::{ActionSpec, LogEntry, Session};
use super::session::final_state;
use super::{Broker, BrokerError};
use crate::wire::enums::LogLevel;
use crate::wire::status::SessionState::*;

const BATCH: u32 = 100;
const PARALLEL_SESSIONS: usize = 8;
const IDLE_WAKE: StdDuration = StdDuration::from_secs(30);
const BUSY_WAKE: StdDuration = StdDuration::from_millis(100);
/// How long a lease lasts; renewed before every action.
const LEASE: Duration = Duration::minutes(10);
/// A session whose processing failed (say, the database was unreachable) waits this long.
const RETRY_AFTER: Duration = Duration::seconds(5);

#[derive(Clone, Copy)]
enum Phase {
    Pre,
    Post,
}

impl Phase {
    fn label(self) -> &'static str {
        match self {
            Phase::Pre => "pre-session",
            Phase::Post => "post-session",
        }
    }
}

impl Broker {
    pub(super) fn wake_scheduler(&self) {
        self.wakeup.notify_one();
    }

    /// Runs the scheduler until the process ends.
    pub fn start_scheduler(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let broker = Arc::clone(self);
        tokio::spawn(async move { broker.schedule().await })
    }

    async fn schedule(self: Arc<Self>) {
        let in_flight: Arc<Mutex<HashSet<Uuid>>> = Arc::default();
        let slots = Arc::new(Semaphore::new(PARALLEL_SESSIONS));
        loop {
            match self.store.due_sessions(Utc::now(), BATCH).await {
                Ok(due) => {
                    for id in due {
                        if !in_flight
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .insert(id)
                        {
                            continue;
                        }
                        let broker = Arc::clone(&self);
                        let in_flight = Arc::clone(&in_flight);
                        let slots = Arc::clone(&slots);
                        tokio::spawn(async move {
                            if let Ok(_slot) = slots.acquire().await {
                                broker.advance(id).await;
                            }
                            in_flight
                                .lock()
                                .unwrap_or_else(|e| e.into_inner())
                                .remove(&id);
                            broker.wake_scheduler();
                        });
                    }
                }
                Err(error) => tracing::warn!(%error, "scheduler: cannot read due sessions"),
            }
            let wait = match self.store.next_due().await {
                Ok(Some(next)) => (next - Utc::now())
                    .to_std()
                    .unwrap_or(BUSY_WAKE)
                    .clamp(BUSY_WAKE, IDLE_WAKE),
                _ => IDLE_WAKE,
            };
            tokio::select! {
                () = self.wakeup.notified() => {}
                () = tokio::time::sleep(wait) => {}
            }
        }
    }

    async fn advance(&self, id: Uuid) {
        let now = Utc::now();
        match self
            .store
            .claim_session(id, &self.instance, now + LEASE, now)
            .await
        {
            Ok(true) => {}
            Ok(false) => return,
            Err(error) => {
                tracing::warn!(%error, session = %id, "scheduler: cannot take the lease");
                return;
            }
        }
        if let Err(error) = self.advance_claimed(id).await {
            tracing::warn!(%error, session = %id, "scheduler: could not advance the session; retrying shortly");
            let _ = self
                .mutate(id, |s, now| {
                    s.due_at = Some(now + RETRY_AFTER);
                    Ok(Some(vec![LogEntry::new(
                        LogLevel::Warn,
                        None,
                        format!("the broker will retry: {error}"),
                    )]))
                })
                .await;
        }
        if let Err(error) = self.store.release_session(id, &self.instance).await {
            tracing::warn!(%error, session = %id, "scheduler: cannot release the lease");
        }
    }

    async fn advance_claimed(&self, id: Uuid) -> Result<(), BrokerError> {
        loop {
            let Some(session) = self.store.session(id).await? else {
                return Ok(());
            };
            let now = Utc::now();
            if session.due_at.is_none_or(|due| due > now) {
                return Ok(());
            }
            match session.state {
                WaitingForApproval => {
                    let session = self
                        .mutate(id, |s, now| {
                            if s.state != WaitingForApproval
                                || s.approval_deadline.is_some_and(|d| d > now)
                            {
                                return Ok(None);
                            }
                            s.state = ApprovalFailed;
                            s.actual_end = Some(now);
                            s.due_at = None;
                            Ok(Some(vec![LogEntry::new(
                                LogLevel::Warn,
                                None,
                                "approval did not complete in time: approval failed",
                            )]))
                        })
                        .await?;
                    if session.state == ApprovalFailed
                        && session.actual_end.is_some_and(|t| t >= now)
                    {
                        if let Some(policy) = self
                            .store
                            .policies()
                            .await?
                            .into_iter()
                            .find(|p| p.id == session.policy_id)
                        {
                            self.notify(&session, &policy, "approval_failed");
                        }
                    }
                }
                Scheduled => {
                    self.mutate(id, |s, now| {
                        if s.state != Scheduled || s.scheduled_start > now {
                            return Ok(None);
                        }
                        s.state = Provisioning;
                        s.due_at = Some(now);
                        Ok(Some(vec![LogEntry::info(
                            None,
                            "start time reached: provisioning",
                        )]))
                    })
                    .await?;
                }
                Provisioning => self.run_actions(session, Phase::Pre).await?,
                Available | LoggedIn => {
                    self.mutate(id, |s, now| {
                        if !matches!(s.state, Available | LoggedIn) {
                            return Ok(None);
                        }
                        if s.scheduled_end > now {
                            s.due_at = Some(s.scheduled_end);
                            return Ok(Some(Vec::new()));
                        }
                        s.state = Canceling;
                        s.due_at = Some(now);
                        Ok(Some(vec![LogEntry::info(
                            None,
                            "end time reached: running post-session actions",
                        )]))
                    })
                    .await?;
                }
                Canceling => self.run_actions(session, Phase::Post).await?,
                _ => {
                    self.mutate(id, |s, _| {
                        if s.due_at.is_none() {
                            return Ok(None);
                        }
                        s.due_at = None;
                        Ok(Some(Vec::new()))
                    })
                    .await?;
                }
            }
        }
    }

    /// Runs the phase's actions from the first one not yet done, committing after each, then
    /// moves the session on: to Available (or Canceling) after provisioning, to its final
    /// state after clean-up.
    async fn run_actions(&self, session: Session, phase: Phase) -> Result<(), BrokerError> {
        let id = session.id;
        let activity = self
            .store
            .activities()
            .await?
            .into_iter()
            .find(|a| a.id == session.activity_id);
        let actions: Vec<ActionSpec> = match (phase, activity) {
            (Phase::Pre, Some(activity)) => activity.pre_session,
            (Phase::Post, Some(activity)) => activity.post_session,
            (_, None) => Vec::new(),
        };
        let expected = match phase {
            Phase::Pre => Provisioning,
            Phase::Post => Canceling,
        };
        let done = |s: &Session| match phase {
            Phase::Pre => s.pre_actions_done,
            Phase::Post => s.post_actions_done,
        };
        let mut current = session;
        if done(&current) > 0 && done(&current) < actions.len() as u32 {
            self.mutate(id, |s, _| {
                Ok(Some(vec![LogEntry::new(
                    LogLevel::Warn,
                    None,
                    format!(
                        "resuming {} actions at action {} after an interruption",
                        phase.label(),
                        done(s) + 1
                    ),
                )]))
            })
            .await?;
        }
        while (done(&current) as usize) < actions.len() {
            if current.state != expected {
                return Ok(());
            }
            if matches!(phase, Phase::Pre) && current.cancel_requested {
                break;
            }
            let index = done(&current) as usize;
            let now = Utc::now();
            self.store
                .claim_session(id, &self.instance, now + LEASE, now)
                .await?;
            let label = format!("{} action {}", phase.label(), index + 1);
            let facts = actions::session_facts(&current, phase.label());
            let outcome = actions::run(&actions[index], &label, &facts, &self.http).await;
            current = self
                .mutate(id, |s, now| {
                    if s.state != expected || done(s) as usize != index {
                        return Ok(None);
                    }
                    let mut log = outcome.log.clone();
                    match phase {
                        Phase::Pre => {
                            s.pre_actions_done += 1;
                            if !outcome.succeeded {
                                s.failure_reason = Some(format!("{label} failed"));
                                s.state = Canceling;
                                s.due_at = Some(now);
                                log.push(LogEntry::new(
                                    LogLevel::Error,
                                    None,
                                    format!(
                                        "{label} failed: running post-session actions to clean up"
                                    ),
                                ));
                            }
                        }
                        Phase::Post => s.post_actions_done += 1,
                    }
                    Ok(Some(log))
                })
                .await?;
        }
        self.mutate(id, |s, now| {
            if s.state != expected
                || (done(s) as usize) < actions.len()
                    && !(matches!(phase, Phase::Pre) && s.cancel_requested)
            {
                return Ok(None);
            }
            let line = match phase {
                Phase::Pre if s.cancel_requested => {
                    s.state = Canceling;
                    s.due_at = Some(now);
                    "ended during provisioning: running post-session actions".to_owned()
                }
                Phase::Pre => {
                    s.state = Available;
                    s.actual_start = Some(now);
                    s.due_at = Some(s.scheduled_end.max(now));
                    format!(
                        "available until {}",
                        s.scheduled_end
                            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                    )
                }
                Phase::Post => {
                    s.state = final_state(s);
                    s.actual_end = Some(now);
                    s.due_at = None;
                    match s.state {
                        Failed => {
                            format!("failed: {}", s.failure_reason.clone().unwrap_or_default())
                        }
                        state => state.word().to_lowercase(),
                    }
                }
            };
            Ok(Some(vec![LogEntry::info(None, line)]))
        })
        .await?;
        Ok(())
    }
}
