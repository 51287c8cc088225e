//! The session lifecycle as pure transitions: given a session, an event and the time, the
//! changed session, its log lines and the effects to run, or a refusal. This is the only code
//! that sets a session's state or due time; the broker stores what it returns and runs the
//! effects through the outbox.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use uuid::Uuid;

use super::session::{LogEntry, LogLevel, Session};
use super::state::SessionState::{self, *};

/// The kinds of actions an activity runs, in the order of a session's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionKind {
    PreSession,
    PostSession,
    Lock,
    Unlock,
    /// A policy webhook told about the session (`index`: which of the policy's webhooks).
    Notify,
    /// A target told about a new session end (an extension): only targets have this step.
    Extend,
    /// A statement a reviewer approved, run once in a session (`payload`: its entry's id).
    /// Not part of the lifecycle: it settles its activity-log entry, not the session.
    Statement,
}

impl ActionKind {
    pub const ALL: [ActionKind; 7] = [
        ActionKind::PreSession,
        ActionKind::PostSession,
        ActionKind::Lock,
        ActionKind::Unlock,
        ActionKind::Notify,
        ActionKind::Extend,
        ActionKind::Statement,
    ];

    /// The phase as actions and logs name it (`PAMCTL_PHASE`).
    pub fn label(self) -> &'static str {
        match self {
            ActionKind::PreSession => "pre-session",
            ActionKind::PostSession => "post-session",
            ActionKind::Lock => "lock",
            ActionKind::Unlock => "unlock",
            ActionKind::Notify => "notify",
            ActionKind::Extend => "extend",
            ActionKind::Statement => "statement",
        }
    }

    pub fn from_label(label: &str) -> Option<ActionKind> {
        Self::ALL.into_iter().find(|kind| kind.label() == label)
    }

    /// How many attempts an action of this kind gets before the broker gives up on it. An
    /// end action never gives up: until it succeeds, access may still be in place.
    pub fn max_attempts(self) -> Option<u32> {
        match self {
            ActionKind::PostSession => None,
            // A failed grant is cleaned up at once rather than retried: the requester sees
            // Failed and may ask again. An interrupted one (a crash) is still run again.
            ActionKind::PreSession => Some(1),
            ActionKind::Lock | ActionKind::Unlock | ActionKind::Extend => Some(5),
            // The webhook's own `retries` decide; this is the default of 3 retries.
            ActionKind::Notify => Some(4),
            // The broker retries only what did not start: a started statement is never
            // started again.
            ActionKind::Statement => Some(3),
        }
    }
}

/// How many actions of each kind the session's activity has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ActionCounts {
    pub pre: u32,
    pub post: u32,
    pub lock: u32,
    pub unlock: u32,
    /// Steps run when the session's end moves (a target's expiry).
    pub extend: u32,
}

impl ActionCounts {
    pub fn of(self, kind: ActionKind) -> u32 {
        match kind {
            ActionKind::PreSession => self.pre,
            ActionKind::PostSession => self.post,
            ActionKind::Lock => self.lock,
            ActionKind::Unlock => self.unlock,
            ActionKind::Extend => self.extend,
            ActionKind::Notify | ActionKind::Statement => 0,
        }
    }
}

/// What the broker must do outside the database because of a transition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Run the activity's action `index` of this kind (an outbox row, written with the
    /// transition).
    Run { kind: ActionKind, index: u32 },
    /// Actions of this kind still waiting to run are no longer wanted.
    DropPending(ActionKind),
    /// Tell the policy's webhooks (`approval_failed`, …).
    Notify(&'static str),
}

/// How an action run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionOutcome {
    Succeeded,
    /// It failed; it is tried again at `retry_at`, or never again when that is `None`.
    Failed {
        error: String,
        retry_at: Option<DateTime<Utc>>,
    },
}

/// Someone acting on a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: Uuid,
    pub name: String,
}

/// The extension rule of the session's policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionLimits {
    pub policy: String,
    pub max_count: u32,
    pub max_each_minutes: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The session's due time came (the scheduler found it).
    Due,
    End(Actor),
    Lock {
        by: String,
        title: Option<String>,
        message: Option<String>,
    },
    Unlock {
        by: String,
    },
    Extend {
        by: String,
        minutes: i64,
        limits: ExtensionLimits,
    },
    LoginDetected {
        by: String,
    },
    /// The last connection of the session's login closed: Logged In becomes Available again.
    LoggedOut {
        by: String,
    },
    /// Every tier approved: the request starts (now, or at its start time if still ahead),
    /// ending as asked but no later than `max_duration` after its start.
    Approved {
        max_duration: Duration,
    },
    Denied {
        by: String,
        line: String,
    },
    /// An outbox run of an action finished; `log` is what the action printed.
    ActionFinished {
        kind: ActionKind,
        index: u32,
        outcome: ActionOutcome,
        log: Vec<LogEntry>,
    },
    /// An admin closes a session whose end action keeps failing.
    Resolve {
        by: String,
        note: String,
    },
}

/// A transition's result: the session as it is now, its new log lines and its effects.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    pub session: Session,
    pub log: Vec<LogEntry>,
    pub effects: Vec<Effect>,
}

/// Why an event does not apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The session's state does not allow it.
    Conflict(String),
    /// A rule of the policy forbids it.
    Refused {
        message: String,
        hint: Option<&'static str>,
    },
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The state, due time and approval deadline of a new request.
pub fn requested(
    now: DateTime<Utc>,
    start: DateTime<Utc>,
    approval: Option<Duration>,
    undecidable: bool,
) -> (SessionState, Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
    if undecidable {
        // Nobody but the requester could decide: the request fails approval at once.
        (ApprovalFailed, None, None)
    } else if let Some(timeout) = approval {
        let deadline = now + timeout;
        (WaitingForApproval, Some(deadline), Some(deadline))
    } else if start > now {
        (Scheduled, Some(start), None)
    } else {
        // Due now: the scheduler's next pass starts provisioning.
        (Provisioning, Some(now), None)
    }
}

/// Whether an outbox run of action `index` of `kind` still applies to the session as it is
/// now; one that does not is dropped without running.
pub fn wants(session: &Session, kind: ActionKind, index: u32) -> bool {
    match kind {
        ActionKind::PreSession => {
            session.state == Provisioning
                && !session.cancel_requested
                && index == session.pre_actions_done
        }
        ActionKind::PostSession => {
            matches!(session.state, Canceling | RevokeFailed) && index == session.post_actions_done
        }
        // Every lock and unlock runs its actions, in order, while the session is active: an
        // unlock right after a lock still runs both. Once clean-up starts they are moot.
        ActionKind::Lock | ActionKind::Unlock | ActionKind::Extend | ActionKind::Statement => {
            matches!(session.state, Available | LoggedIn)
        }
        // What happened stays true: a notification is sent whatever the session did since.
        ActionKind::Notify => true,
    }
}

/// Only an active session can be locked or unlocked.
pub fn lockable(session: &Session, locking: bool) -> Result<(), Refusal> {
    if matches!(session.state, Available | LoggedIn) {
        return Ok(());
    }
    Err(Refusal::Conflict(format!(
        "only an Available or Logged In session can be {}; session {} is {}",
        if locking { "locked" } else { "unlocked" },
        session.id,
        session.shown_state().word()
    )))
}

/// The state a session reaches once its end actions have all succeeded.
pub fn final_state(session: &Session) -> SessionState {
    if session.failure_reason.is_some() {
        Failed
    } else if session.actual_start.is_none() {
        Cancelled
    } else {
        Complete
    }
}

/// Applies `event` to `session` at `now`. `Ok(None)`: the event changes nothing (it already
/// happened, or is not due yet), so repeating an event is harmless.
pub fn apply(
    session: &Session,
    event: Event,
    now: DateTime<Utc>,
    actions: ActionCounts,
) -> Result<Option<Transition>, Refusal> {
    let mut step = Step {
        session: session.clone(),
        log: Vec::new(),
        effects: Vec::new(),
        now,
        actions,
    };
    let changed = match event {
        Event::Due => step.due()?,
        Event::End(actor) => step.end(actor),
        Event::Lock { by, title, message } => step.lock(by, title, message)?,
        Event::Unlock { by } => step.unlock(by)?,
        Event::Extend {
            by,
            minutes,
            limits,
        } => step.extend(by, minutes, limits)?,
        Event::LoginDetected { by } => step.login(by)?,
        Event::LoggedOut { by } => step.logout(by),
        Event::Approved { max_duration } => step.approved(max_duration)?,
        Event::Denied { by, line } => step.denied(by, line)?,
        Event::ActionFinished {
            kind,
            index,
            outcome,
            log,
        } => {
            step.log.extend(log);
            step.action_finished(kind, index, outcome);
            true
        }
        Event::Resolve { by, note } => step.resolve(by, note)?,
    };
    if !changed {
        return Ok(None);
    }
    Ok(Some(Transition {
        session: step.session,
        log: step.log,
        effects: step.effects,
    }))
}

struct Step {
    session: Session,
    log: Vec<LogEntry>,
    effects: Vec<Effect>,
    now: DateTime<Utc>,
    actions: ActionCounts,
}

impl Step {
    fn info(&mut self, actor: Option<&str>, line: impl Into<String>) {
        self.log.push(LogEntry::info(actor, line));
    }

    fn line(&mut self, level: LogLevel, actor: Option<&str>, line: impl Into<String>) {
        self.log.push(LogEntry::new(level, actor, line));
    }

    fn due(&mut self) -> Result<bool, Refusal> {
        let now = self.now;
        let s = &mut self.session;
        if s.due_at.is_none_or(|due| due > now) {
            return Ok(false);
        }
        match s.state {
            WaitingForApproval => {
                if s.approval_deadline.is_some_and(|d| d > now) {
                    s.due_at = s.approval_deadline;
                    return Ok(true);
                }
                s.state = ApprovalFailed;
                s.actual_end = Some(now);
                s.due_at = None;
                self.line(
                    LogLevel::Warn,
                    None,
                    "approval did not complete in time: approval failed",
                );
                self.effects.push(Effect::Notify("approval_failed"));
            }
            Scheduled if s.scheduled_start > now => s.due_at = Some(s.scheduled_start),
            Scheduled => {
                self.info(None, "start time reached: provisioning");
                self.provision();
            }
            Provisioning if s.cancel_requested => self.cancel(),
            Provisioning => self.provision(),
            Available | LoggedIn if s.scheduled_end > now => s.due_at = Some(s.scheduled_end),
            Available | LoggedIn => {
                self.info(None, "end time reached: running post-session actions");
                self.cancel();
            }
            Canceling => self.cancel(),
            _ => s.due_at = None,
        }
        Ok(true)
    }

    /// Provisioning starts (or resumes, after an interruption, at the first action not done).
    fn provision(&mut self) {
        let s = &mut self.session;
        s.state = Provisioning;
        s.due_at = None;
        if s.pre_actions_done >= self.actions.pre {
            self.become_available();
        } else {
            self.effects.push(Effect::Run {
                kind: ActionKind::PreSession,
                index: s.pre_actions_done,
            });
        }
    }

    fn become_available(&mut self) {
        let now = self.now;
        let s = &mut self.session;
        s.state = Available;
        s.actual_start = Some(now);
        s.due_at = Some(s.scheduled_end.max(now));
        let line = format!("available until {}", time(s.scheduled_end));
        self.info(None, line);
    }

    /// Clean-up starts (or resumes): the end actions from the first one not done.
    fn cancel(&mut self) {
        let s = &mut self.session;
        s.state = Canceling;
        s.due_at = None;
        if s.post_actions_done >= self.actions.post {
            self.finish();
        } else {
            self.effects.push(Effect::Run {
                kind: ActionKind::PostSession,
                index: s.post_actions_done,
            });
        }
    }

    fn finish(&mut self) {
        let now = self.now;
        let s = &mut self.session;
        s.state = final_state(s);
        s.actual_end = Some(now);
        s.due_at = None;
        s.status_message = None;
        let line = match s.state {
            Failed => format!("failed: {}", s.failure_reason.clone().unwrap_or_default()),
            state => format!("{state:?}").to_lowercase(),
        };
        self.info(None, line);
    }

    fn end(&mut self, actor: Actor) -> bool {
        let now = self.now;
        let s = &mut self.session;
        let line = match s.state {
            state if state.is_final() || matches!(state, Canceling | RevokeFailed) => return false,
            Provisioning if s.cancel_requested => return false,
            WaitingForApproval | Scheduled => {
                s.state = Cancelled;
                s.actual_end = Some(now);
                s.due_at = None;
                format!("ended by {} before it started: cancelled", actor.name)
            }
            Provisioning => {
                s.cancel_requested = true;
                format!(
                    "end requested by {} during provisioning: clean-up follows",
                    actor.name
                )
            }
            _ => format!("ended by {}: running post-session actions", actor.name),
        };
        s.cancelled_by = Some(actor.id);
        s.cancelled_by_name = Some(actor.name.clone());
        let clean_up = !s.state.is_final();
        self.info(Some(&actor.name), line);
        if clean_up {
            self.cancel();
        }
        true
    }

    fn lock(
        &mut self,
        by: String,
        title: Option<String>,
        message: Option<String>,
    ) -> Result<bool, Refusal> {
        lockable(&self.session, true)?;
        if self.session.locked {
            return Ok(false);
        }
        let reason = [title.as_deref(), message.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(": ");
        let s = &mut self.session;
        s.locked = true;
        s.lock_title = title;
        s.lock_message = message;
        let line = if reason.is_empty() {
            format!("locked by {by}")
        } else {
            format!("locked by {by}: {reason}")
        };
        self.line(LogLevel::Warn, Some(&by), line);
        if self.actions.lock > 0 {
            self.effects.push(Effect::Run {
                kind: ActionKind::Lock,
                index: 0,
            });
        }
        Ok(true)
    }

    fn unlock(&mut self, by: String) -> Result<bool, Refusal> {
        lockable(&self.session, false)?;
        if !self.session.locked {
            return Ok(false);
        }
        let s = &mut self.session;
        s.locked = false;
        s.lock_title = None;
        s.lock_message = None;
        self.line(LogLevel::Warn, Some(&by), format!("unlocked by {by}"));
        if self.actions.unlock > 0 {
            self.effects.push(Effect::Run {
                kind: ActionKind::Unlock,
                index: 0,
            });
        }
        Ok(true)
    }

    fn extend(
        &mut self,
        by: String,
        minutes: i64,
        limits: ExtensionLimits,
    ) -> Result<bool, Refusal> {
        let s = &mut self.session;
        if !matches!(s.state, Scheduled | Provisioning | Available | LoggedIn) {
            return Err(Refusal::Conflict(format!(
                "a {} session cannot be extended",
                s.shown_state().word()
            )));
        }
        if s.locked {
            return Err(Refusal::Refused {
                message: format!(
                    "session {} is locked by an admin; a locked session cannot be extended",
                    s.id
                ),
                hint: Some("ask an admin to unlock it first"),
            });
        }
        if minutes <= 0 {
            return Err(Refusal::Refused {
                message: "give the extension as a positive number of minutes".to_owned(),
                hint: None,
            });
        }
        if s.extension_count >= limits.max_count {
            return Err(Refusal::Refused {
                message: format!(
                    "session {} was already extended {} time(s), the most policy \"{}\" allows",
                    s.id, s.extension_count, limits.policy
                ),
                hint: None,
            });
        }
        if minutes > limits.max_each_minutes {
            return Err(Refusal::Refused {
                message: format!(
                    "policy \"{}\" allows extensions of at most {} minutes at a time",
                    limits.policy, limits.max_each_minutes
                ),
                hint: Some("ask for fewer minutes"),
            });
        }
        s.scheduled_end += Duration::minutes(minutes);
        s.extension_count += 1;
        s.extension_minutes += minutes;
        let live = matches!(s.state, Available | LoggedIn);
        if live {
            s.due_at = Some(s.scheduled_end);
        }
        let line = format!(
            "extended by {by} by {minutes} minutes until {} (extension {} of {})",
            time(s.scheduled_end),
            s.extension_count,
            limits.max_count
        );
        self.info(Some(&by), line);
        // A session not started yet is granted with its end as it will be then.
        if live && self.actions.extend > 0 {
            self.effects.push(Effect::Run {
                kind: ActionKind::Extend,
                index: 0,
            });
        }
        Ok(true)
    }

    fn login(&mut self, by: String) -> Result<bool, Refusal> {
        let now = self.now;
        let s = &mut self.session;
        match s.state {
            LoggedIn => Ok(false),
            Available => {
                s.state = LoggedIn;
                s.login_at = Some(now);
                let line = format!(
                    "login detected as {}",
                    s.login_account_name.clone().unwrap_or_default()
                );
                self.info(Some(&by), line);
                Ok(true)
            }
            _ => Err(Refusal::Conflict(format!(
                "a login cannot happen on a {} session",
                s.shown_state().word()
            ))),
        }
    }

    /// Only a Logged In session goes back; anything else (already back, ended since) is
    /// left as it is, so a poller that raced another event changes nothing.
    fn logout(&mut self, by: String) -> bool {
        let s = &mut self.session;
        if s.state != LoggedIn {
            return false;
        }
        s.state = Available;
        let line = format!(
            "logout detected: {} has no open connection",
            s.login_account_name.clone().unwrap_or_default()
        );
        self.info(Some(&by), line);
        true
    }

    fn waiting(&self) -> Result<(), Refusal> {
        if self.session.state == WaitingForApproval {
            return Ok(());
        }
        Err(Refusal::Conflict(format!(
            "session {} is {}; decisions are only taken while it waits for approval",
            self.session.id,
            self.session.shown_state().word()
        )))
    }

    fn approved(&mut self, max_duration: Duration) -> Result<bool, Refusal> {
        self.waiting()?;
        let now = self.now;
        let s = &mut self.session;
        s.approval_deadline = None;
        s.scheduled_end = s
            .scheduled_end
            .min(s.scheduled_start.max(now) + max_duration);
        if s.scheduled_start > now {
            s.state = Scheduled;
            s.due_at = Some(s.scheduled_start);
            let line = format!(
                "approved: scheduled to start at {}",
                time(s.scheduled_start)
            );
            self.info(None, line);
        } else {
            s.scheduled_start = now;
            self.info(None, "approved: provisioning");
            self.provision();
        }
        Ok(true)
    }

    fn denied(&mut self, by: String, line: String) -> Result<bool, Refusal> {
        self.waiting()?;
        let s = &mut self.session;
        s.state = Denied;
        s.actual_end = Some(self.now);
        s.due_at = None;
        self.line(LogLevel::Warn, Some(&by), line);
        Ok(true)
    }

    fn action_finished(&mut self, kind: ActionKind, index: u32, outcome: ActionOutcome) {
        let label = format!("{} action {}", kind.label(), index + 1);
        let wanted = wants(&self.session, kind, index);
        match outcome {
            ActionOutcome::Succeeded => match kind {
                ActionKind::PreSession => {
                    let s = &mut self.session;
                    s.pre_actions_done = s.pre_actions_done.max(index + 1);
                    if wanted {
                        self.provision();
                    }
                }
                ActionKind::PostSession => {
                    let s = &mut self.session;
                    s.post_actions_done = s.post_actions_done.max(index + 1);
                    if wanted {
                        if s.state == RevokeFailed {
                            s.status_message = None;
                            self.info(None, format!("{label} succeeded after failing"));
                        }
                        self.cancel();
                    }
                }
                ActionKind::Notify | ActionKind::Statement => {}
                ActionKind::Lock | ActionKind::Unlock | ActionKind::Extend => {
                    if wanted && index + 1 < self.actions.of(kind) {
                        self.effects.push(Effect::Run {
                            kind,
                            index: index + 1,
                        });
                    }
                }
            },
            ActionOutcome::Failed {
                error,
                retry_at: Some(retry_at),
            } => {
                let retry = format!("retrying at {}", time(retry_at));
                if kind == ActionKind::PostSession && wanted {
                    if self.session.state != RevokeFailed {
                        self.effects.push(Effect::Notify("revoke_failed"));
                    }
                    let s = &mut self.session;
                    s.state = RevokeFailed;
                    s.status_message = Some(format!(
                        "{label} failed: {error}; access may still be in place; {retry}"
                    ));
                    self.line(
                        LogLevel::Error,
                        None,
                        format!("{label} failed: {error}; access may still be in place; {retry}"),
                    );
                } else {
                    self.line(
                        LogLevel::Warn,
                        None,
                        format!("{label} failed: {error}; {retry}"),
                    );
                }
            }
            ActionOutcome::Failed {
                error,
                retry_at: None,
            } => match kind {
                ActionKind::PreSession if wanted => {
                    self.session.failure_reason = Some(format!("{label} failed: {error}"));
                    self.line(
                        LogLevel::Error,
                        None,
                        format!(
                            "{label} failed: {error}; running post-session actions to clean up"
                        ),
                    );
                    self.cancel();
                }
                _ => self.line(
                    LogLevel::Error,
                    None,
                    format!("{label} failed: {error}; the broker gave up on it"),
                ),
            },
        }
    }

    fn resolve(&mut self, by: String, note: String) -> Result<bool, Refusal> {
        let now = self.now;
        let s = &mut self.session;
        if s.state != RevokeFailed {
            return Err(Refusal::Conflict(format!(
                "only a session that failed to revoke can be resolved; session {} is {}",
                s.id,
                s.shown_state().word()
            )));
        }
        let failure = s
            .status_message
            .clone()
            .unwrap_or_else(|| "an end action failed".to_owned());
        let failure = failure
            .split("; access may still be in place")
            .next()
            .unwrap_or_default()
            .to_owned();
        s.state = Failed;
        s.actual_end = Some(now);
        s.due_at = None;
        s.failure_reason = Some(failure.clone());
        s.status_message = Some(format!("{failure}; resolved by {by}: {note}"));
        self.line(
            LogLevel::Warn,
            Some(&by),
            format!("resolved by {by}: {note} (the failed end action will not run again)"),
        );
        self.effects
            .push(Effect::DropPending(ActionKind::PostSession));
        Ok(true)
    }
}

#[cfg(test)]
mod tests;
