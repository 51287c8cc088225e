//! Ending many sessions at once (`POST /api/v1/ActivitySession/End`): each id gets what
//! `end_session` gives it alone (the same checks, log lines, audit record and post-session
//! runs), but the sessions are read in one query and written in one transaction, so that a
//! bulk end of thousands is not one round trip to the store's writer per session.

use std::collections::HashMap;

use uuid::Uuid;

use super::audit::end_action;
use super::scheduler::{dropped_kinds, say_where_from};
use super::{Broker, BrokerError, Caller};
use crate::core::audit::AuditEvent;
use crate::core::lifecycle::{self, Actor, Event, Transition};
use crate::core::{ActionKind, Role, Session};
use crate::store::{AuditAppend, NewRun, SessionWrite, WriteOutcome};

pub use crate::wire::session::END_SESSIONS_MAX as MAX_END_BATCH;

/// One id's outcome: the session as `end_session` would answer it, or its error.
pub type EndResult = Result<Session, BrokerError>;

impl Broker {
    /// Ends each of `ids` as `end_session` would, in order; one id's failure (unknown, not
    /// the caller's, a refused transition) is its own. Only a batch that is too big, or a
    /// store that cannot be reached, fails the whole request (and changes nothing then).
    pub async fn end_sessions(
        &self,
        caller: &Caller,
        ids: &[Uuid],
    ) -> Result<Vec<EndResult>, BrokerError> {
        if ids.len() > MAX_END_BATCH {
            return Err(BrokerError::out_of_bounds(
                "activitySessionIds",
                format!(
                    "{} ids is over the maximum of {MAX_END_BATCH} per request; send them in batches of {MAX_END_BATCH}",
                    ids.len()
                ),
            ));
        }
        let mut read: HashMap<Uuid, Session> = self
            .store
            .sessions(ids)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
        let mut results: Vec<Option<EndResult>> = Vec::with_capacity(ids.len());
        // The items to write, by their place in `ids`.
        let mut to_end: Vec<(usize, Session)> = Vec::new();
        for (index, id) in ids.iter().enumerate() {
            // A repeated id is ended once; its later places answer as a second DELETE would.
            let Some(session) = read.remove(id) else {
                results.push(None);
                continue;
            };
            match self.may_end(caller, session).await {
                Ok(session) => {
                    results.push(None);
                    to_end.push((index, session));
                }
                Err(error) => results.push(Some(Err(error))),
            }
        }
        let actor = Actor {
            id: caller.account_id,
            name: caller.name.clone(),
        };
        let written = self.end_read(caller, &actor, &to_end).await?;
        for ((index, _), outcome) in to_end.iter().zip(written) {
            results[*index] = Some(match outcome {
                Some(result) => result,
                // Another writer changed it since it was read: ended on its own, read again.
                None => self.end_session(caller, ids[*index]).await,
            });
        }
        // Unknown ids, and the later places of a repeated one: alone, as a DELETE would go.
        let mut answered = Vec::with_capacity(ids.len());
        for (id, result) in ids.iter().zip(results) {
            answered.push(match result {
                Some(result) => result,
                None => self.end_session(caller, *id).await,
            });
        }
        Ok(answered)
    }

    /// `session`, when the caller may end it: as `end_session` checks, not found when they
    /// may not see it, forbidden when they may see it but not end it.
    async fn may_end(&self, caller: &Caller, session: Session) -> Result<Session, BrokerError> {
        let session = if caller.role != Role::User || session.created_by == caller.account_id {
            session
        } else {
            self.visible(caller, session).await?
        };
        Self::may_act_on(caller, &session, "end")?;
        Ok(session)
    }

    /// Applies `End` to each session as read and writes every transition in one
    /// transaction. Per item: `Some` result, or `None` when the session was stale (it
    /// changed since it was read, so nothing of it was written).
    async fn end_read(
        &self,
        caller: &Caller,
        actor: &Actor,
        sessions: &[(usize, Session)],
    ) -> Result<Vec<Option<EndResult>>, BrokerError> {
        let counts = self.action_counts().await?;
        let now = self.clock.now();
        let mut outcomes: Vec<Option<EndResult>> = Vec::with_capacity(sessions.len());
        let mut transitions: Vec<(usize, Transition)> = Vec::new();
        for (_, session) in sessions {
            match lifecycle::apply(
                session,
                Event::End(actor.clone()),
                now,
                counts(session.activity_id),
            ) {
                // Already finished (or ending): answered as it is, unchanged.
                Ok(None) => outcomes.push(Some(Ok(session.clone()))),
                Ok(Some(mut transition)) => {
                    say_where_from(&mut transition, caller.source);
                    transitions.push((outcomes.len(), transition));
                    outcomes.push(None);
                }
                Err(refusal) => outcomes.push(Some(Err(refusal.into()))),
            }
        }
        if transitions.is_empty() {
            return Ok(outcomes);
        }
        let mut runs: Vec<Vec<NewRun>> = Vec::with_capacity(transitions.len());
        for (_, transition) in &transitions {
            runs.push(self.runs_for(transition).await?);
        }
        let drops: Vec<Vec<ActionKind>> =
            transitions.iter().map(|(_, t)| dropped_kinds(t)).collect();
        let records: Vec<[AuditEvent; 1]> = transitions
            .iter()
            .map(|(_, t)| [self.session_event(caller, end_action(&t.session), &t.session)])
            .collect();
        let writes: Vec<SessionWrite<'_>> = transitions
            .iter()
            .zip(&runs)
            .zip(&drops)
            .zip(&records)
            .map(|((((_, t), runs), drops), events)| SessionWrite {
                runs,
                drop_pending: drops,
                audit: Some(AuditAppend {
                    events,
                    seal: &self.settings.audit_seal,
                }),
                ..SessionWrite::new(&t.session, &t.log)
            })
            .collect();
        let written = self.store.write_sessions(&writes, now).await?;
        for ((place, transition), outcome) in transitions.into_iter().zip(written) {
            if outcome == WriteOutcome::Written {
                self.after_transition(&transition).await;
                let mut session = transition.session;
                session.version += 1;
                outcomes[place] = Some(Ok(session));
            }
        }
        Ok(outcomes)
    }
}
