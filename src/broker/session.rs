//! The session state machine: requests checked against policy, and every transition the
//! contract's lifecycle allows, each written with its log line in one store transaction.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::audit::end_action;
use super::{Broker, BrokerError, Caller};
use crate::core::lifecycle::{self, Actor, Event, ExtensionLimits, Refusal};
use crate::core::{AccountKind, Approval, LogEntry, LogLine, Policy, Role, Session};
use crate::wire::enums::LoginAccount;
use crate::wire::status::SessionState::*;

/// The longest note and ticket a request may carry, in characters.
pub const MAX_NOTE_CHARS: usize = 4000;
pub const MAX_TICKET_CHARS: usize = 256;
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
    /// A session the caller may see: their own, any for reviewers and admins, and for a user
    /// named as an approver, the requests under the policies they decide on.
    pub async fn visible_session(&self, caller: &Caller, id: Uuid) -> Result<Session, BrokerError> {
        let session = self.store.session(id).await?.ok_or_else(|| not_found(id))?;
        self.visible(caller, session).await
    }

    /// `visible_session` with the decisions on it, read together: what `GET` shows.
    pub async fn visible_session_with_approvals(
        &self,
        caller: &Caller,
        id: Uuid,
    ) -> Result<(Session, Vec<Approval>), BrokerError> {
        let read = self.store.session_with_approvals(id).await?;
        self.visible_with_approvals(caller, id, read).await
    }

    /// `visible_session_with_approvals` of a session the request goes on to change.
    async fn visible_session_to_change(
        &self,
        caller: &Caller,
        id: Uuid,
    ) -> Result<(Session, Vec<Approval>), BrokerError> {
        let read = self.store.session_with_approvals_to_change(id).await?;
        self.visible_with_approvals(caller, id, read).await
    }

    async fn visible_with_approvals(
        &self,
        caller: &Caller,
        id: Uuid,
        read: Option<(Session, Vec<Approval>)>,
    ) -> Result<(Session, Vec<Approval>), BrokerError> {
        let (session, approvals) = read.ok_or_else(|| not_found(id))?;
        Ok((self.visible(caller, session).await?, approvals))
    }

    /// `session` as read, when the caller may see it (see `visible_session`); not found
    /// otherwise, so that a caller learns nothing of sessions they may not see.
    pub(super) async fn visible(
        &self,
        caller: &Caller,
        session: Session,
    ) -> Result<Session, BrokerError> {
        let id = session.id;
        if caller.role != Role::User || session.created_by == caller.account_id {
            return Ok(session);
        }
        // Reading only: whatever a session is shared for, acting on it still takes its
        // requester or an admin (`may_act_on`).
        if self.store.is_shared_with(id, caller.account_id).await? {
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
        let now = self.clock.now();
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
        let waiting = prepared
            .iter()
            .filter(|(s, _)| s.state == WaitingForApproval)
            .count();
        self.within_caps(caller, prepared.len(), waiting).await?;
        let mut runs = Vec::new();
        // A session that starts now is provisioned in its create's own transaction: the
        // transition the timer's next pass would make at `now`, with its runs, without a
        // second write of the same row moments later.
        let catalog = self.store.grant_catalog().await?;
        let access = self.access();
        for (session, log) in &mut prepared {
            if session.state != Provisioning || session.due_at.is_none_or(|due| due > now) {
                continue;
            }
            let Some(activity) = catalog
                .activities
                .iter()
                .find(|a| a.id == session.activity_id)
            else {
                continue;
            };
            let counts = super::scheduler::action_counts_of(&access, activity);
            if let Ok(Some(transition)) = lifecycle::apply(session, Event::Due, now, counts) {
                for run in self.runs_for(&transition).await? {
                    runs.push((session.id, run));
                }
                *session = transition.session;
                log.extend(transition.log);
            }
        }
        for (session, _) in prepared
            .iter()
            .filter(|(s, _)| s.state == WaitingForApproval)
        {
            for run in self.notifications(session, "approval_required").await? {
                runs.push((session.id, run));
            }
        }
        let audit: Vec<_> = prepared
            .iter()
            .map(|(session, _)| {
                self.audit_event(caller, "session.create", Some(session.id))
                    .detail(format!(
                        "{} on {}, now {}",
                        session.activity_name,
                        session.resource_name,
                        session.shown_state()
                    ))
            })
            .collect();
        self.store
            .insert_sessions_audited(
                group,
                &prepared,
                &runs,
                &audit,
                &self.settings.audit_seal,
                now,
            )
            .await?;
        // The timer is woken for a session that will be due (its start, its approval's
        // deadline, its end), which may come before the timer's next pass; the outbox worker
        // only when runs were written (waking it for every create cost a claim each time).
        if prepared.iter().any(|(s, _)| s.due_at.is_some()) {
            self.wake_timers();
        }
        if !runs.is_empty() {
            self.wake_outbox();
        }
        // What was written is what is returned: no need to read it back.
        Ok((group, prepared.into_iter().map(|(s, _)| s).collect()))
    }

    /// Refuses a request that would take the requester over a per-user cap (429).
    async fn within_caps(
        &self,
        caller: &Caller,
        asked: usize,
        waiting: usize,
    ) -> Result<(), BrokerError> {
        let settings = &self.settings;
        if settings.max_open_sessions_per_user == 0 && settings.max_pending_requests_per_user == 0 {
            return Ok(());
        }
        let (open, pending) = self.store.open_sessions_of(caller.account_id).await?;
        let asked = asked as u64;
        let cap = u64::from(settings.max_open_sessions_per_user);
        if cap > 0 && open + asked > cap {
            return Err(BrokerError::TooMany {
                message: format!(
                    "{} has {open} unfinished session(s); {asked} more would pass the cap of {cap} (max_open_sessions_per_user)",
                    caller.name
                ),
                hint: Some(
                    "end sessions you no longer need (`pamctl session list --mine`), or ask an admin to raise max_open_sessions_per_user in [server]".to_owned(),
                ),
            });
        }
        let cap = u64::from(settings.max_pending_requests_per_user);
        let asked = waiting as u64;
        if cap > 0 && asked > 0 && pending + asked > cap {
            return Err(BrokerError::TooMany {
                message: format!(
                    "{} has {pending} request(s) waiting for approval; {asked} more would pass the cap of {cap} (max_pending_requests_per_user)",
                    caller.name
                ),
                hint: Some(
                    "wait for a decision or withdraw requests with `pamctl session end`, or ask an admin to raise max_pending_requests_per_user in [server]".to_owned(),
                ),
            });
        }
        Ok(())
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
        let catalog = self.store.grant_catalog().await?;
        let activity = match &request.activity {
            Reference::Id(id) => catalog.activities.iter().find(|a| a.id == *id),
            Reference::Name(name) => catalog
                .activities
                .iter()
                .find(|a| a.name.eq_ignore_ascii_case(name.trim())),
        }
        .cloned()
        .ok_or_else(|| unknown("activity", &request.activity))?;
        let resource = match &request.resource {
            Reference::Id(id) => catalog.resources.iter().find(|r| r.id == *id),
            Reference::Name(name) => catalog.resources.iter().find(|r| {
                r.name.eq_ignore_ascii_case(name.trim())
                    || r.display_name
                        .as_deref()
                        .is_some_and(|d| d.eq_ignore_ascii_case(name.trim()))
            }),
        }
        .cloned()
        .ok_or_else(|| unknown("managed resource", &request.resource))?;

        let policy = self.granting_policy(
            caller,
            &catalog.policies,
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
            Some(start)
                if Duration::from_std(self.settings.max_schedule_ahead)
                    .is_ok_and(|ahead| start > now + ahead) =>
            {
                return Err(BrokerError::out_of_bounds(
                    field("startDateTimeUtc"),
                    format!(
                        "{} is more than {} ahead; sessions may be scheduled at most that far ahead (max_schedule_ahead)",
                        time(start),
                        humantime::format_duration(self.settings.max_schedule_ahead)
                    ),
                ));
            }
            // Kept as sent, so that a client's start + duration is the end it asked for.
            Some(start) => start,
            None => now,
        };
        if let Some(note) = &request.note {
            if note.chars().count() > MAX_NOTE_CHARS {
                return Err(BrokerError::out_of_bounds(
                    field("note"),
                    format!(
                        "the note has {} characters; at most {MAX_NOTE_CHARS} are allowed",
                        note.chars().count()
                    ),
                ));
            }
        }
        if let Some(ticket) = &request.ticket {
            if ticket.chars().count() > MAX_TICKET_CHARS {
                return Err(BrokerError::out_of_bounds(
                    field("ticket"),
                    format!(
                        "the ticket has {} characters; at most {MAX_TICKET_CHARS} are allowed",
                        ticket.chars().count()
                    ),
                ));
            }
        }
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

        let id = Uuid::new_v4();
        // A database role's name is known up front: it is the login.
        let role = self.access().role_name(&activity.name, &resource.name, id);
        let login_account_name = match activity.login_account {
            _ if role.is_some() => role.unwrap_or_default(),
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
        let (state, due_at, approval_deadline) = lifecycle::requested(
            now,
            start,
            needs_approval.then(|| {
                Duration::from_std(policy.approval_timeout).unwrap_or(Duration::hours(24))
            }),
            undecidable.is_some(),
        );

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
            id,
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
            status_message: None,
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

    /// `session share`: lets the user named `with` read the session (its details, log and
    /// activity log), with a log line saying who shared it with whom. Only its requester or
    /// an admin may share it; sharing again changes nothing. Returns who may read it now.
    pub async fn share_session(
        &self,
        caller: &Caller,
        id: Uuid,
        with: &str,
    ) -> Result<Vec<String>, BrokerError> {
        let session = self.visible_session(caller, id).await?;
        Self::may_act_on(caller, &session, "share")?;
        let reader = self
            .store
            .account_by_name(with.trim())
            .await?
            .ok_or_else(|| {
                BrokerError::invalid("userName", format!("there is no user named '{with}'"))
            })?;
        if reader.id == session.created_by {
            return Err(BrokerError::invalid(
                "userName",
                format!(
                    "{} requested this session: it is theirs already",
                    reader.name
                ),
            ));
        }
        let line = LogEntry::info(
            Some(&caller.name),
            format!("shared with {} by {}", reader.name, caller.name),
        );
        let now = self.clock.now();
        if self
            .store
            .share_session(id, reader.id, caller.account_id, &[line], now)
            .await?
        {
            tracing::info!(session = %id, with = %reader.name, by = %caller.name, "session shared");
            let event = self
                .audit_event(caller, "session.share", Some(id))
                .detail(format!("shared with {}", reader.name));
            self.record(vec![event]).await;
        }
        let mut names = Vec::new();
        for account in self.store.session_shares(id).await? {
            if let Some(account) = self.store.account(account).await? {
                names.push(account.name);
            }
        }
        Ok(names)
    }

    pub(super) fn may_act_on(
        caller: &Caller,
        session: &Session,
        what: &str,
    ) -> Result<(), BrokerError> {
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
        self.end_read_session(caller, session).await
    }

    /// `end_session`, with the decisions on the session for the reply.
    pub async fn end_session_with_approvals(
        &self,
        caller: &Caller,
        id: Uuid,
    ) -> Result<(Session, Vec<Approval>), BrokerError> {
        let (session, approvals) = self.visible_session_to_change(caller, id).await?;
        let read_version = session.version;
        let ended = self.end_read_session(caller, session).await?;
        self.approvals_as_of(read_version, ended, approvals).await
    }

    /// The decisions read with a session (at `read_version`), still true of `session` when
    /// nothing else was written between: a decision is written with a transition of its
    /// session, which moves the version. Otherwise they are read again.
    async fn approvals_as_of(
        &self,
        read_version: i64,
        session: Session,
        approvals: Vec<Approval>,
    ) -> Result<(Session, Vec<Approval>), BrokerError> {
        if session.version == read_version || session.version == read_version + 1 {
            return Ok((session, approvals));
        }
        let approvals = self.store.approvals(Some(session.id)).await?;
        Ok((session, approvals))
    }

    async fn end_read_session(
        &self,
        caller: &Caller,
        session: Session,
    ) -> Result<Session, BrokerError> {
        Self::may_act_on(caller, &session, "end")?;
        let actor = Actor {
            id: caller.account_id,
            name: caller.name.clone(),
        };
        self.transition_by(
            caller,
            session,
            |_| Event::End(actor.clone()),
            |ended| self.session_event(caller, end_action(ended), ended),
        )
        .await
    }

    /// Closes a session whose end action keeps failing (admins only): the admin has made sure
    /// the access is gone. It stays Failed, and the action is not run again.
    pub async fn resolve_session(
        &self,
        caller: &Caller,
        id: Uuid,
        note: String,
    ) -> Result<Session, BrokerError> {
        if !caller.is_admin() {
            return Err(BrokerError::Forbidden(
                "only admins may resolve a session that failed to revoke".to_owned(),
            ));
        }
        let note = note.trim().to_owned();
        if note.is_empty() {
            return Err(BrokerError::invalid(
                "note",
                "say what was done about the access (for the log), e.g. --note \"role dropped by hand\"",
            ));
        }
        if note.chars().count() > MAX_NOTE_CHARS {
            return Err(BrokerError::invalid(
                "note",
                format!("at most {MAX_NOTE_CHARS} characters are allowed"),
            ));
        }
        let session = self.visible_session(caller, id).await?;
        let by = caller.name.clone();
        tracing::warn!(session = %id, admin = %by, "a session that failed to revoke was resolved by hand");
        self.transition_by(
            caller,
            session,
            |_| Event::Resolve {
                by: by.clone(),
                note: note.clone(),
            },
            |resolved| self.session_event(caller, "session.resolve", resolved),
        )
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
            lifecycle::lockable(&session, locked)?;
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
    /// not interact with it. The activity's lock or unlock actions run through the outbox.
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
        let session = self.visible_session(caller, id).await?;
        let by = caller.name.clone();
        let action = if locked {
            "session.lock"
        } else {
            "session.unlock"
        };
        self.transition_by(
            caller,
            session,
            |_| {
                if locked {
                    Event::Lock {
                        by: by.clone(),
                        title: title.clone(),
                        message: message.clone(),
                    }
                } else {
                    Event::Unlock { by: by.clone() }
                }
            },
            |session| self.session_event(caller, action, session),
        )
        .await
    }

    /// Moves the end time, where the policy allows it and within its limits.
    pub async fn extend_session(
        &self,
        caller: &Caller,
        id: Uuid,
        minutes_asked: i64,
    ) -> Result<(Session, Vec<Approval>), BrokerError> {
        let (session, approvals) = self.visible_session_to_change(caller, id).await?;
        let read_version = session.version;
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
        let limits = ExtensionLimits {
            policy: session.policy_name.clone(),
            max_count: rule.max_count,
            max_each_minutes: minutes(rule.max_each),
        };
        let by = caller.name.clone();
        let extended = self
            .transition_by(
                caller,
                session,
                |_| Event::Extend {
                    by: by.clone(),
                    minutes: minutes_asked,
                    limits: limits.clone(),
                },
                |extended| {
                    self.audit_event(caller, "session.extend", Some(id))
                        .detail(format!(
                            "by {minutes_asked} minutes, to {}",
                            time(extended.scheduled_end)
                        ))
                },
            )
            .await?;
        self.approvals_as_of(read_version, extended, approvals)
            .await
    }

    /// A login to the resource was seen (reported by an admin or an application).
    pub async fn record_login(&self, caller: &Caller, id: Uuid) -> Result<Session, BrokerError> {
        if !(caller.is_admin() || caller.kind == AccountKind::Application) {
            return Err(BrokerError::Forbidden(
                "only admins and applications report logins".to_owned(),
            ));
        }
        let session = self.visible_session(caller, id).await?;
        let by = caller.name.clone();
        self.transition_by(
            caller,
            session,
            |_| Event::LoginDetected { by: by.clone() },
            |session| self.session_event(caller, "session.login", session),
        )
        .await
    }
}

impl From<Refusal> for BrokerError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::Conflict(message) => BrokerError::Conflict(message),
            Refusal::Refused { message, hint } => BrokerError::refused(message, hint),
        }
    }
}

pub(super) fn not_found(id: Uuid) -> BrokerError {
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

fn admins_only() -> BrokerError {
    BrokerError::Forbidden("only admins may lock or unlock sessions".to_owned())
}
