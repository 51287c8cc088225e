//! The session state machine: requests checked against policy, and every transition the
//! contract's lifecycle allows, each written with its log line in one store transaction.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::model::{AccountKind, LogEntry, LogLine, Policy, Role, Session};
use super::{Broker, BrokerError, Caller};
use crate::wire::enums::{LogLevel, LoginAccount};
use crate::wire::status::SessionState::{self, *};

/// How many times a write is retried when another writer got there first.
const WRITE_ATTEMPTS: usize = 50;
/// A start this far in the past still counts as "now" (clocks and typing differ).
const START_TOLERANCE: Duration = Duration::minutes(5);

/// An activity or resource as a request names it.
#[derive(Debug, Clone)]
pub enum Reference {
    Id(Uuid),
    Name(String),
}

/// What a user asks for; every field but the activity and resource is optional.
#[derive(Debug, Clone)]
pub struct SessionRequest {
    pub activity: Reference,
    pub resource: Reference,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    pub note: Option<String>,
    pub ticket: Option<String>,
    pub policy: Option<Uuid>,
    pub custom_fields: Option<serde_json::Value>,
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn minutes(duration: std::time::Duration) -> i64 {
    i64::try_from(duration.as_secs() / 60).unwrap_or(i64::MAX)
}

impl Broker {
    /// Applies `change` to the session and writes it with its log lines, retrying on a
    /// concurrent write. `change` returns `None` when there is nothing to write.
    pub(super) async fn mutate<F>(&self, id: Uuid, mut change: F) -> Result<Session, BrokerError>
    where
        F: FnMut(&mut Session, DateTime<Utc>) -> Result<Option<Vec<LogEntry>>, BrokerError>,
    {
        for _ in 0..WRITE_ATTEMPTS {
            let mut session = self.store.session(id).await?.ok_or_else(|| not_found(id))?;
            let now = Utc::now();
            let Some(log) = change(&mut session, now)? else {
                return Ok(session);
            };
            if self.store.save_session(&session, &log, now).await? {
                session.version += 1;
                self.wake_scheduler();
                return Ok(session);
            }
        }
        Err(BrokerError::Conflict(format!(
            "session {id} is changing too fast to update; try again"
        )))
    }

    /// A session the caller may see: their own, any for reviewers and admins, and for a user
    /// named as an approver, the requests under the policies they decide on.
    pub async fn visible_session(&self, caller: &Caller, id: Uuid) -> Result<Session, BrokerError> {
        let session = self.store.session(id).await?.ok_or_else(|| not_found(id))?;
        if caller.role != Role::User || session.created_by == caller.account_id {
            return Ok(session);
        }
        let approver = self
            .store
            .policies()
            .await?
            .iter()
            .any(|p| p.id == session.policy_id && super::approval::names_approver(p, caller));
        if approver {
            Ok(session)
        } else {
            Err(not_found(id))
        }
    }

    pub async fn session_log(
        &self,
        caller: &Caller,
        id: Uuid,
    ) -> Result<Vec<LogLine>, BrokerError> {
        self.visible_session(caller, id).await?;
        Ok(self.store.session_log(id).await?)
    }

    /// Creates one session per request, all or none (a group when there are several).
    pub async fn create_sessions(
        &self,
        caller: &Caller,
        requests: Vec<SessionRequest>,
        from: Option<String>,
    ) -> Result<(Option<Uuid>, Vec<Session>), BrokerError> {
        if requests.is_empty() {
            return Err(BrokerError::invalid(
                "body",
                "the list of session requests is empty",
            ));
        }
        let group = (requests.len() > 1).then(Uuid::new_v4);
        let now = Utc::now();
        let mut prepared = Vec::new();
        for (index, request) in requests.into_iter().enumerate() {
            let prefix = if group.is_some() {
                format!("[{index}].")
            } else {
                String::new()
            };
            prepared.push(
                self.prepare(caller, request, group, from.clone(), now, &prefix)
                    .await?,
            );
        }
        self.store.insert_sessions(group, &prepared, now).await?;
        self.wake_scheduler();
        let policies = self.store.policies().await?;
        for (session, _) in prepared
            .iter()
            .filter(|(s, _)| s.state == WaitingForApproval)
        {
            if let Some(policy) = policies.iter().find(|p| p.id == session.policy_id) {
                self.notify(session, policy, "approval_required");
            }
        }
        let mut created = Vec::new();
        for (session, _) in &prepared {
            created.push(
                self.store
                    .session(session.id)
                    .await?
                    .ok_or_else(|| not_found(session.id))?,
            );
        }
        Ok((group, created))
    }

    async fn prepare(
        &self,
        caller: &Caller,
        request: SessionRequest,
        group: Option<Uuid>,
        from: Option<String>,
        now: DateTime<Utc>,
        field_prefix: &str,
    ) -> Result<(Session, Vec<LogEntry>), BrokerError> {
        let field = |name: &str| format!("{field_prefix}{name}");
        let activities = self.store.activities().await?;
        let activity = match &request.activity {
            Reference::Id(id) => activities.iter().find(|a| a.id == *id),
            Reference::Name(name) => activities
                .iter()
                .find(|a| a.name.eq_ignore_ascii_case(name.trim())),
        }
        .cloned()
        .ok_or_else(|| unknown("activity", &request.activity))?;
        let resources = self.store.resources().await?;
        let resource = match &request.resource {
            Reference::Id(id) => resources.iter().find(|r| r.id == *id),
            Reference::Name(name) => resources.iter().find(|r| {
                r.name.eq_ignore_ascii_case(name.trim())
                    || r.display_name
                        .as_deref()
                        .is_some_and(|d| d.eq_ignore_ascii_case(name.trim()))
            }),
        }
        .cloned()
        .ok_or_else(|| unknown("managed resource", &request.resource))?;

        let policies = self.store.policies().await?;
        let policy = self.granting_policy(
            caller,
            &policies,
            activity.id,
            resource.id,
            request.policy,
            &activity.name,
            &resource.name,
        )?;

        let start = match request.start {
            Some(start) if start < now - START_TOLERANCE => {
                return Err(BrokerError::invalid(
                    field("startDateTimeUtc"),
                    format!("{} is in the past; leave it out to start now", time(start)),
                ));
            }
            // Kept as sent, so that a client's start + duration is the end it asked for.
            Some(start) => start,
            None => now,
        };
        let max = Duration::from_std(policy.max_duration).unwrap_or(Duration::hours(1));
        let end = request.end.unwrap_or(start + max);
        if end <= start {
            return Err(BrokerError::invalid(
                field("endDateTimeUtc"),
                format!("{} is not after the start, {}", time(end), time(start)),
            ));
        }
        if end - start > max + Duration::seconds(1) {
            return Err(BrokerError::refused(
                format!(
                    "the requested duration of {} minutes is over the maximum of {} minutes that policy \"{}\" allows",
                    (end - start).num_minutes(),
                    minutes(policy.max_duration),
                    policy.name
                ),
                Some("ask for a shorter session (leave the end out to get the maximum)"),
            ));
        }
        let ticket = request.ticket.filter(|t| !t.trim().is_empty());
        if policy.ticket_required && ticket.is_none() {
            return Err(BrokerError::invalid(
                field("ticket"),
                format!("policy \"{}\" requires a ticket", policy.name),
            ));
        }

        let login_account_name = match activity.login_account {
            LoginAccount::Requester => caller.name.clone(),
            _ => activity
                .login_account_name_format
                .as_deref()
                .map(|format| format.replace("{user}", &caller.name))
                .unwrap_or_else(|| format!("pamctl-{}", caller.name)),
        };
        let needs_approval = !policy.approval_tiers.is_empty();
        let undecidable = if needs_approval {
            let accounts = self.store.accounts().await?;
            super::approval::undecidable_tier(policy, caller.account_id, &accounts)
        } else {
            None
        };
        let (state, due_at, approval_deadline) = if undecidable.is_some() {
            // Nobody but the requester could decide: the request fails approval at once.
            (ApprovalFailed, None, None)
        } else if needs_approval {
            let deadline =
                now + Duration::from_std(policy.approval_timeout).unwrap_or(Duration::hours(24));
            (WaitingForApproval, Some(deadline), Some(deadline))
        } else if start > now {
            (Scheduled, Some(start), None)
        } else {
            (Provisioning, Some(now), None)
        };

        let actor = Some(caller.name.as_str());
        let mut log = vec![LogEntry::info(
            actor,
            format!(
                "requested {} on {} by {}{}, starting {} until {}, under policy \"{}\"",
                activity.name,
                resource.name,
                caller.name,
                from.as_deref()
                    .map(|f| format!(" (from {f})"))
                    .unwrap_or_default(),
                time(start),
                time(end),
                policy.name
            ),
        )];
        log.push(LogEntry::info(
            None,
            match state {
                ApprovalFailed => format!(
                    "approval cannot complete: nobody but {} may decide tier {} of policy \"{}\"",
                    caller.name,
                    undecidable.unwrap_or(0) + 1,
                    policy.name
                ),
                WaitingForApproval => format!(
                    "waiting for approval ({} tier(s)); it expires at {}",
                    policy.approval_tiers.len(),
                    time(approval_deadline.unwrap_or(now))
                ),
                Scheduled => format!("scheduled: provisioning starts at {}", time(start)),
                _ => "provisioning".to_owned(),
            },
        ));

        let session = Session {
            id: Uuid::new_v4(),
            group_id: group,
            created_by: caller.account_id,
            created_by_name: caller.name.clone(),
            created_by_display_name: caller.display_name.clone(),
            created_from: from,
            activity_id: activity.id,
            activity_name: activity.name.clone(),
            activity_type: activity.activity_type,
            platform: activity.platform.clone(),
            resource_id: resource.id,
            resource_name: resource.name.clone(),
            resource_display_name: resource.display_name.clone(),
            policy_id: policy.id,
            policy_name: policy.name.clone(),
            extension_allowed: policy.extension.is_some(),
            login_account_name: Some(login_account_name),
            state,
            locked: false,
            lock_title: None,
            lock_message: None,
            scheduled_start: start,
            actual_start: None,
            scheduled_end: end,
            actual_end: state.is_final().then_some(now),
            login_at: None,
            cancelled_by: None,
            cancelled_by_name: None,
            note: request.note.filter(|n| !n.trim().is_empty()),
            ticket,
            custom_fields: request.custom_fields,
            extension_count: 0,
            extension_minutes: 0,
            approval_deadline,
            pre_actions_done: 0,
            post_actions_done: 0,
            failure_reason: None,
            cancel_requested: false,
            due_at,
            version: 0,
            created_at: now,
            modified_at: now,
        };
        Ok((session, log))
    }

    #[allow(clippy::too_many_arguments)]
    fn granting_policy<'p>(
        &self,
        caller: &Caller,
        policies: &'p [Policy],
        activity: Uuid,
        resource: Uuid,
        wanted: Option<Uuid>,
        activity_name: &str,
        resource_name: &str,
    ) -> Result<&'p Policy, BrokerError> {
        let refusal = || {
            BrokerError::refused(
                format!(
                    "no access policy grants {} {activity_name} on {resource_name}",
                    caller.name
                ),
                Some(
                    "see what you may request with `pamctl activity list` and `pamctl resource list --activity NAME`",
                ),
            )
        };
        match wanted {
            Some(id) => {
                let policy = policies.iter().find(|p| p.id == id).ok_or_else(|| {
                    BrokerError::invalid("accessPolicyId", format!("no access policy has id {id}"))
                })?;
                if policy.grants(caller.account_id, activity, resource) {
                    Ok(policy)
                } else {
                    Err(BrokerError::refused(
                        format!(
                            "access policy \"{}\" does not grant {} {activity_name} on {resource_name}",
                            policy.name, caller.name
                        ),
                        Some("leave accessPolicyId out to use the first policy that grants it"),
                    ))
                }
            }
            None => policies
                .iter()
                .find(|p| p.grants(caller.account_id, activity, resource))
                .ok_or_else(refusal),
        }
    }

    fn may_act_on(caller: &Caller, session: &Session, what: &str) -> Result<(), BrokerError> {
        if caller.is_admin() || session.created_by == caller.account_id {
            Ok(())
        } else {
            Err(BrokerError::Forbidden(format!(
                "only the requester or an admin may {what} session {}",
                session.id
            )))
        }
    }

    /// `DELETE`: ends the session as soon as possible; a finished session is returned as is.
    pub async fn end_session(&self, caller: &Caller, id: Uuid) -> Result<Session, BrokerError> {
        let session = self.visible_session(caller, id).await?;
        Self::may_act_on(caller, &session, "end")?;
        let actor = caller.name.clone();
        let caller_id = caller.account_id;
        self.mutate(id, |s, now| {
            let log = match s.state {
                state if state.is_final() || state == Canceling => return Ok(None),
                WaitingForApproval | Scheduled => {
                    s.state = Cancelled;
                    s.actual_end = Some(now);
                    s.due_at = None;
                    format!("ended by {actor} before it started: cancelled")
                }
                Provisioning if s.cancel_requested => return Ok(None),
                Provisioning => {
                    s.cancel_requested = true;
                    format!("end requested by {actor} during provisioning: clean-up follows")
                }
                _ => {
                    s.state = Canceling;
                    s.due_at = Some(now);
                    format!("ended by {actor}: running post-session actions")
                }
            };
            s.cancelled_by = Some(caller_id);
            s.cancelled_by_name = Some(actor.clone());
            Ok(Some(vec![LogEntry::info(Some(&actor), log)]))
        })
        .await
    }

    /// Locks or unlocks several sessions (admins only), all or none: every session is checked
    /// before any changes, so that one refusal leaves them all as they were.
    pub async fn set_locked_all(
        &self,
        caller: &Caller,
        ids: &[Uuid],
        locked: bool,
        title: Option<String>,
        message: Option<String>,
    ) -> Result<Vec<Session>, BrokerError> {
        if ids.is_empty() {
            return Err(BrokerError::invalid(
                "activitySessionIds",
                "name at least one session",
            ));
        }
        for id in ids {
            let session = self.visible_session(caller, *id).await?;
            if !caller.is_admin() {
                return Err(admins_only());
            }
            lockable(&session, locked)?;
        }
        let mut sessions = Vec::new();
        for id in ids {
            sessions.push(
                self.set_locked(caller, *id, locked, title.clone(), message.clone())
                    .await?,
            );
        }
        Ok(sessions)
    }

    /// Locks or unlocks an active session (admins only): it stays active, but the user may
    /// not interact with it.
    pub async fn set_locked(
        &self,
        caller: &Caller,
        id: Uuid,
        locked: bool,
        title: Option<String>,
        message: Option<String>,
    ) -> Result<Session, BrokerError> {
        if !caller.is_admin() {
            return Err(admins_only());
        }
        let before = self.visible_session(caller, id).await?;
        let actor = caller.name.clone();
        let session = self
            .mutate(id, |s, _| {
                lockable(s, locked)?;
                if s.locked == locked {
                    return Ok(None);
                }
                s.locked = locked;
                let line = if locked {
                    s.lock_title = title.clone();
                    s.lock_message = message.clone();
                    let reason = [title.as_deref(), message.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(": ");
                    if reason.is_empty() {
                        format!("locked by {actor}")
                    } else {
                        format!("locked by {actor}: {reason}")
                    }
                } else {
                    s.lock_title = None;
                    s.lock_message = None;
                    format!("unlocked by {actor}")
                };
                Ok(Some(vec![LogEntry::new(
                    LogLevel::Warn,
                    Some(&actor),
                    line,
                )]))
            })
            .await?;
        if session.version == before.version {
            return Ok(session);
        }
        self.run_lock_actions(session, locked).await
    }

    /// The activity's lock or unlock actions, run at once; their outcome goes to the log (a
    /// failure is logged, and the lock stands).
    async fn run_lock_actions(
        &self,
        session: Session,
        locked: bool,
    ) -> Result<Session, BrokerError> {
        let actions = self
            .store
            .activities()
            .await?
            .into_iter()
            .find(|a| a.id == session.activity_id)
            .map(|a| if locked { a.on_lock } else { a.on_unlock })
            .unwrap_or_default();
        if actions.is_empty() {
            return Ok(session);
        }
        let phase = if locked { "lock" } else { "unlock" };
        let facts = super::actions::session_facts(&session, phase);
        let mut log = Vec::new();
        for (index, action) in actions.iter().enumerate() {
            let label = format!("{phase} action {}", index + 1);
            log.extend(
                super::actions::run(action, &label, &facts, &self.http)
                    .await
                    .log,
            );
        }
        self.mutate(session.id, |_, _| Ok(Some(log.clone()))).await
    }

    /// Moves the end time, where the policy allows it and within its limits.
    pub async fn extend_session(
        &self,
        caller: &Caller,
        id: Uuid,
        minutes_asked: i64,
    ) -> Result<Session, BrokerError> {
        let session = self.visible_session(caller, id).await?;
        Self::may_act_on(caller, &session, "extend")?;
        if minutes_asked <= 0 {
            return Err(BrokerError::invalid(
                "body",
                "give the extension as a positive number of minutes",
            ));
        }
        let policy = self
            .store
            .policies()
            .await?
            .into_iter()
            .find(|p| p.id == session.policy_id);
        let Some(rule) = policy.as_ref().and_then(|p| p.extension.clone()) else {
            return Err(BrokerError::refused(
                format!(
                    "policy \"{}\" does not allow extending sessions",
                    session.policy_name
                ),
                Some("end this session and request a new one"),
            ));
        };
        let actor = caller.name.clone();
        let policy_name = session.policy_name.clone();
        self.mutate(id, |s, _| {
            if !matches!(s.state, Scheduled | Provisioning | Available | LoggedIn) {
                return Err(BrokerError::Conflict(format!("a {} session cannot be extended", s.shown_state())));
            }
            if s.extension_count >= rule.max_count {
                return Err(BrokerError::refused(
                    format!("session {} was already extended {} time(s), the most policy \"{policy_name}\" allows", s.id, s.extension_count),
                    None,
                ));
            }
            if minutes_asked > minutes(rule.max_each) {
                return Err(BrokerError::refused(
                    format!("policy \"{policy_name}\" allows extensions of at most {} minutes at a time", minutes(rule.max_each)),
                    Some("ask for fewer minutes"),
                ));
            }
            s.scheduled_end += Duration::minutes(minutes_asked);
            s.extension_count += 1;
            s.extension_minutes += minutes_asked;
            if matches!(s.state, Available | LoggedIn) {
                s.due_at = Some(s.scheduled_end);
            }
            Ok(Some(vec![LogEntry::info(
                Some(&actor),
                format!(
                    "extended by {actor} by {minutes_asked} minutes until {} (extension {} of {})",
                    time(s.scheduled_end),
                    s.extension_count,
                    rule.max_count
                ),
            )]))
        })
        .await
    }

    /// A login to the resource was seen (reported by an admin or an application).
    pub async fn record_login(&self, caller: &Caller, id: Uuid) -> Result<Session, BrokerError> {
        if !(caller.is_admin() || caller.kind == AccountKind::Application) {
            return Err(BrokerError::Forbidden(
                "only admins and applications report logins".to_owned(),
            ));
        }
        self.visible_session(caller, id).await?;
        let actor = caller.name.clone();
        self.mutate(id, |s, now| match s.state {
            LoggedIn => Ok(None),
            Available => {
                s.state = LoggedIn;
                s.login_at = Some(now);
                Ok(Some(vec![LogEntry::info(
                    Some(&actor),
                    format!(
                        "login detected as {}",
                        s.login_account_name.clone().unwrap_or_default()
                    ),
                )]))
            }
            _ => Err(BrokerError::Conflict(format!(
                "a login cannot happen on a {} session",
                s.shown_state()
            ))),
        })
        .await
    }
}

fn not_found(id: Uuid) -> BrokerError {
    BrokerError::NotFound {
        what: "activity session",
        id: id.to_string(),
    }
}

fn unknown(what: &'static str, reference: &Reference) -> BrokerError {
    match reference {
        Reference::Id(id) => BrokerError::NotFound {
            what,
            id: id.to_string(),
        },
        Reference::Name(name) => BrokerError::NoSuchName {
            what,
            name: name.clone(),
        },
    }
}

/// The state a session reaches once its post-session actions are done.
pub(super) fn final_state(session: &Session) -> SessionState {
    if session.failure_reason.is_some() {
        Failed
    } else if session.actual_start.is_none() {
        Cancelled
    } else {
        Complete
    }
}

fn admins_only() -> BrokerError {
    BrokerError::Forbidden("only admins may lock or unlock sessions".to_owned())
}

/// Only an active session can be locked or unlocked.
fn lockable(session: &Session, locked: bool) -> Result<(), BrokerError> {
    if matches!(session.state, Available | LoggedIn) {
        return Ok(());
    }
    Err(BrokerError::Conflict(format!(
        "only an Available or Logged In session can be {}; session {} is {}",
        if locked { "locked" } else { "unlocked" },
        session.id,
        session.shown_state()
    )))
}
