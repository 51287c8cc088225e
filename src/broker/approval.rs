//! Approval workflows: a policy's tiers complete in order, each needing a number of distinct
//! approvals from the approvers it names; one eligible denial ends the request. The rules
//! live here, not in any client: the requester never approves their own session, one person
//! counts once, and decisions after the request left Waiting for Approval are refused.

use std::collections::HashMap;

use serde_json::json;
use uuid::Uuid;

use super::{Broker, BrokerError, Caller};
use crate::core::lifecycle::{self, Event, Transition};
use crate::core::{Approval, ApprovalTier, Approver, Decision, LogEntry, Policy, Role, Session};
use crate::store::{AuditAppend, SessionWrite, WriteOutcome};
use crate::wire::status::SessionState::*;

const DECISION_ATTEMPTS: usize = 20;

/// Where a request's approval stands.
#[derive(Debug, Clone, PartialEq)]
pub struct ApprovalProgress {
    /// Per tier: how many approvals it needs and who gave them.
    pub tiers: Vec<(u32, Vec<String>)>,
    /// The first tier not yet satisfied (0-based); `None` once all are.
    pub current: Option<usize>,
}

impl ApprovalProgress {
    pub fn of(policy: &Policy, approvals: &[Approval]) -> Self {
        let tiers: Vec<(u32, Vec<String>)> = policy
            .approval_tiers
            .iter()
            .enumerate()
            .map(|(index, tier)| {
                let approved_by = approvals
                    .iter()
                    .filter(|a| a.tier as usize == index && a.decision == Decision::Approved)
                    .map(|a| a.approver_name.clone())
                    .collect();
                (tier.required, approved_by)
            })
            .collect();
        let current = tiers
            .iter()
            .position(|(required, approved_by)| (approved_by.len() as u32) < *required);
        Self { tiers, current }
    }
}

/// A request waiting for the caller's decision, with its approvals so far.
#[derive(Debug, Clone)]
pub struct PendingRequest {
    pub session: Session,
    pub approvals: Vec<Approval>,
    pub progress: ApprovalProgress,
}

fn names(tier: &ApprovalTier, accounts: &HashMap<Uuid, String>) -> String {
    tier.approvers
        .iter()
        .map(|approver| match approver {
            Approver::Account(id) => accounts.get(id).cloned().unwrap_or_else(|| id.to_string()),
            Approver::Role(role) => format!("any {role}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// May `caller` decide in this tier? Never on their own request, whatever their role.
fn eligible(caller: &Caller, policy: &Policy, tier: &ApprovalTier, session: &Session) -> bool {
    if caller.account_id == session.created_by {
        return false;
    }
    let named = tier.approvers.iter().any(|approver| match approver {
        Approver::Account(id) => *id == caller.account_id,
        Approver::Role(role) => *role == caller.role,
    });
    named || (caller.role == Role::Admin && policy.admins_may_approve)
}

/// The first tier (0-based) in which nobody but the requester could ever decide.
pub(super) fn undecidable_tier(
    policy: &Policy,
    requester: Uuid,
    accounts: &[crate::core::Account],
) -> Option<usize> {
    policy.approval_tiers.iter().position(|tier| {
        !accounts.iter().any(|account| {
            account.id != requester
                && tier.approvers.iter().any(|approver| match approver {
                    Approver::Account(id) => *id == account.id,
                    Approver::Role(role) => *role == account.role,
                })
                || account.id != requester
                    && policy.admins_may_approve
                    && account.role == Role::Admin
        })
    })
}

/// Whether the caller is named to decide on requests under this policy (so may see them).
pub(super) fn names_approver(policy: &Policy, caller: &Caller) -> bool {
    policy.approval_tiers.iter().any(|tier| {
        tier.approvers.iter().any(|approver| match approver {
            Approver::Account(id) => *id == caller.account_id,
            Approver::Role(role) => *role == caller.role,
        })
    })
}

impl Broker {
    async fn policy_of(&self, session: &Session) -> Result<Policy, BrokerError> {
        self.store
            .policies()
            .await?
            .into_iter()
            .find(|p| p.id == session.policy_id)
            .ok_or_else(|| {
                BrokerError::Conflict(format!(
                    "the policy of session {} no longer exists",
                    session.id
                ))
            })
    }

    pub async fn approvals_of(&self, session: Uuid) -> Result<Vec<Approval>, BrokerError> {
        Ok(self.store.approvals(Some(session)).await?)
    }

    /// The decisions on these sessions (a page of a list), by session.
    pub async fn approvals_by_session(
        &self,
        sessions: &[Uuid],
    ) -> Result<HashMap<Uuid, Vec<Approval>>, BrokerError> {
        let mut by_session: HashMap<Uuid, Vec<Approval>> = HashMap::new();
        for approval in self.store.approvals_of_sessions(sessions).await? {
            by_session
                .entry(approval.session_id)
                .or_default()
                .push(approval);
        }
        Ok(by_session)
    }

    pub async fn approve(
        &self,
        caller: &Caller,
        id: Uuid,
        notes: Option<String>,
        from: Option<String>,
    ) -> Result<Session, BrokerError> {
        self.decide(
            caller,
            id,
            Decision::Approved,
            notes.filter(|n| !n.trim().is_empty()),
            from,
        )
        .await
    }

    pub async fn deny(
        &self,
        caller: &Caller,
        id: Uuid,
        reason: String,
        from: Option<String>,
    ) -> Result<Session, BrokerError> {
        if reason.trim().is_empty() {
            return Err(BrokerError::invalid(
                "body",
                "a denial needs a reason (a JSON string)",
            ));
        }
        self.decide(caller, id, Decision::Denied, Some(reason), from)
            .await
    }

    async fn decide(
        &self,
        caller: &Caller,
        id: Uuid,
        decision: Decision,
        notes: Option<String>,
        from: Option<String>,
    ) -> Result<Session, BrokerError> {
        for _ in 0..DECISION_ATTEMPTS {
            let session = self
                .store
                .session(id)
                .await?
                .ok_or_else(|| BrokerError::NotFound {
                    what: "activity session",
                    id: id.to_string(),
                })?;
            let policy = self.policy_of(&session).await?;
            let may_see = caller.role != Role::User || session.created_by == caller.account_id;
            let named_anywhere = policy
                .approval_tiers
                .iter()
                .any(|tier| eligible(caller, &policy, tier, &session));
            if !may_see && !named_anywhere {
                return Err(BrokerError::NotFound {
                    what: "activity session",
                    id: id.to_string(),
                });
            }
            if session.created_by == caller.account_id {
                return Err(BrokerError::Forbidden(format!(
                    "you requested session {id}; someone else must approve or deny it"
                )));
            }
            if session.state != WaitingForApproval {
                return Err(BrokerError::Conflict(format!(
                    "session {id} is {}; decisions are only taken while it waits for approval",
                    session.shown_state()
                )));
            }
            let approvals = self.store.approvals(Some(id)).await?;
            if let Some(earlier) = approvals
                .iter()
                .find(|a| a.approver_id == caller.account_id)
            {
                if earlier.decision == decision {
                    // One person counts once, however often they approve.
                    return Ok(session);
                }
                return Err(BrokerError::Conflict(format!(
                    "you already {} session {id}",
                    earlier.decision.as_str().to_lowercase()
                )));
            }
            let progress = ApprovalProgress::of(&policy, &approvals);
            let Some(tier_index) = progress.current else {
                return Err(BrokerError::Conflict(format!(
                    "session {id} is already approved"
                )));
            };
            let tier = &policy.approval_tiers[tier_index];
            if !eligible(caller, &policy, tier, &session) {
                let accounts = self.account_names().await?;
                return Err(BrokerError::Forbidden(format!(
                    "you are not an approver of tier {} of policy \"{}\" (approvers: {})",
                    tier_index + 1,
                    policy.name,
                    names(tier, &accounts)
                )));
            }

            let now = self.clock.now();
            let approval = Approval {
                id: Uuid::new_v4(),
                session_id: id,
                tier: tier_index as u32,
                approver_id: caller.account_id,
                approver_name: caller.name.clone(),
                decision,
                notes: notes.clone(),
                from_address: from.clone(),
                decided_at: now,
            };
            let mut log = Vec::new();
            let actor = Some(caller.name.as_str());
            let note_text = notes
                .as_deref()
                .map(|n| format!(": {n}"))
                .unwrap_or_default();
            let from_text = from
                .as_deref()
                .map(|f| format!(" from {f}"))
                .unwrap_or_default();
            let event = match decision {
                Decision::Denied => Some(Event::Denied {
                    by: caller.name.clone(),
                    line: format!("denied by {}{from_text}{note_text}", caller.name),
                }),
                Decision::Approved => {
                    let (required, approved_by) = &progress.tiers[tier_index];
                    let given = approved_by.len() as u32 + 1;
                    log.push(LogEntry::info(
                        actor,
                        format!("approved by {}{from_text} ({given} of {required} in tier {}){note_text}", caller.name, tier_index + 1),
                    ));
                    if given >= *required && tier_index + 1 < policy.approval_tiers.len() {
                        log.push(LogEntry::info(
                            None,
                            format!(
                                "tier {} complete; tier {} decides next",
                                tier_index + 1,
                                tier_index + 2
                            ),
                        ));
                        None
                    } else if given >= *required {
                        Some(Event::Approved {
                            max_duration: chrono::Duration::from_std(policy.max_duration)
                                .unwrap_or(chrono::Duration::hours(1)),
                        })
                    } else {
                        None
                    }
                }
            };
            let counts = self.action_counts().await?;
            let transition = match event {
                Some(event) => lifecycle::apply(&session, event, now, counts(session.activity_id))?,
                None => None,
            };
            let transition = match transition {
                Some(mut t) => {
                    log.append(&mut t.log);
                    t.log = log;
                    t
                }
                None => Transition {
                    session: session.clone(),
                    log,
                    effects: Vec::new(),
                },
            };
            let mut transition = transition;
            if transition.session.state != WaitingForApproval {
                transition.effects.push(lifecycle::Effect::Notify(
                    if decision == Decision::Denied {
                        "denied"
                    } else {
                        "approved"
                    },
                ));
            }
            let runs = self.runs_for(&transition).await?;
            let action = match decision {
                Decision::Approved => "session.approve",
                Decision::Denied => "session.deny",
            };
            let audit = [self.session_event(caller, action, &transition.session)];
            let write = SessionWrite {
                approval: Some(&approval),
                runs: &runs,
                audit: Some(AuditAppend {
                    events: &audit,
                    seal: &self.settings.audit_seal,
                }),
                ..SessionWrite::new(&transition.session, &transition.log)
            };
            if self.store.write_session(&write, now).await? == WriteOutcome::Written {
                self.after_transition(&transition).await;
                let mut session = transition.session;
                session.version += 1;
                return Ok(session);
            }
        }
        Err(BrokerError::Conflict(format!(
            "session {id} is changing too fast to decide on; try again"
        )))
    }

    async fn account_names(&self) -> Result<HashMap<Uuid, String>, BrokerError> {
        let mut names = HashMap::new();
        for policy in self.store.policies().await? {
            for tier in &policy.approval_tiers {
                for approver in &tier.approvers {
                    if let Approver::Account(id) = approver {
                        if let Some(account) = self.store.account(*id).await? {
                            names.insert(*id, account.name);
                        }
                    }
                }
            }
        }
        Ok(names)
    }

    /// The requests waiting for the caller's decision in their current tier.
    pub async fn pending_for(&self, caller: &Caller) -> Result<Vec<PendingRequest>, BrokerError> {
        let policies: HashMap<Uuid, Policy> = self
            .store
            .policies()
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        // The store narrows the requests to those under policies that could let the caller
        // decide; the tier rule below is the same one `decide` applies.
        let candidates = self
            .store
            .approval_candidates(caller.account_id, caller.role)
            .await?;
        let ids: Vec<Uuid> = candidates.iter().map(|s| s.id).collect();
        let mut approvals = self.approvals_by_session(&ids).await?;
        let mut pending = Vec::new();
        for session in candidates {
            if session.state != WaitingForApproval {
                continue;
            }
            let Some(policy) = policies.get(&session.policy_id) else {
                continue;
            };
            let decisions = approvals.remove(&session.id).unwrap_or_default();
            if decisions.iter().any(|a| a.approver_id == caller.account_id) {
                continue;
            }
            let progress = ApprovalProgress::of(policy, &decisions);
            let Some(current) = progress.current else {
                continue;
            };
            if eligible(caller, policy, &policy.approval_tiers[current], &session) {
                pending.push(PendingRequest {
                    session,
                    approvals: decisions,
                    progress,
                });
            }
        }
        Ok(pending)
    }

    /// What a policy's webhooks are told about a request: it needs approval, it was decided,
    /// it failed to revoke. `state` is the session's state when it happened.
    pub(super) fn notify_body(
        session: &Session,
        policy: &Policy,
        event: &str,
        state: &str,
        run_id: Uuid,
    ) -> serde_json::Value {
        json!({
            "event": event,
            "runId": run_id,
            "session": {
                "id": session.id,
                "state": state,
                "requester": session.created_by_name,
                "activity": session.activity_name,
                "resource": session.resource_name,
                "start": session.scheduled_start,
                "end": session.scheduled_end,
                "note": session.note,
                "ticket": session.ticket,
                "policy": policy.name,
            }
        })
    }
}
