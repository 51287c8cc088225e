//! The read side of sessions: lists, counts, durations and logs, answered by the store's own
//! queries with the caller's visibility applied here (a plain user sees their own sessions;
//! reviewers and admins see all).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Broker, BrokerError, Caller};
use crate::core::{LogLine, Role};
use crate::store::{Durations, LogQuery, SessionPage, SessionQuery, UserDurations};
use crate::wire::status::SessionState;

/// The query narrowed to what the caller may see; `None` when that is nothing (a plain user
/// asking for another account's sessions).
fn visible(caller: &Caller, query: &SessionQuery) -> Option<SessionQuery> {
    let mut query = query.clone();
    if caller.role == Role::User {
        if query.created_by.is_some_and(|id| id != caller.account_id) {
            return None;
        }
        query.created_by = Some(caller.account_id);
    }
    Some(query)
}

impl Broker {
    /// A page of the sessions the caller may see that match the query, with the total.
    pub async fn search_sessions(
        &self,
        caller: &Caller,
        query: &SessionQuery,
    ) -> Result<SessionPage, BrokerError> {
        match visible(caller, query) {
            Some(mut query) => {
                query.now.get_or_insert(self.clock.now());
                Ok(self.store.search_sessions(&query).await?)
            }
            None => Ok(SessionPage::default()),
        }
    }

    /// Search's summary and page of the sessions the caller may see: the durations (and per
    /// requester), then the page with their count as its total, in one read of the store's.
    pub async fn search_sessions_summarized(
        &self,
        caller: &Caller,
        query: &SessionQuery,
        now: DateTime<Utc>,
        top_users: Option<u64>,
    ) -> Result<(Durations, Vec<UserDurations>, SessionPage), BrokerError> {
        match visible(caller, query) {
            Some(mut query) => {
                query.now.get_or_insert(self.clock.now());
                Ok(self.store.search_summarized(&query, now, top_users).await?)
            }
            None => Ok((Durations::default(), Vec::new(), SessionPage::default())),
        }
    }

    /// How many of the caller's visible sessions match, by shown state.
    pub async fn count_sessions(
        &self,
        caller: &Caller,
        query: &SessionQuery,
    ) -> Result<Vec<(SessionState, u64)>, BrokerError> {
        match visible(caller, query) {
            Some(query) => Ok(self.store.count_sessions_by_state(&query).await?),
            None => Ok(Vec::new()),
        }
    }

    /// A page of the log of a session the caller may see.
    pub async fn session_log_page(
        &self,
        caller: &Caller,
        id: Uuid,
        query: &LogQuery,
    ) -> Result<(Vec<LogLine>, u64), BrokerError> {
        // Read with the session, and shown only once the session says the caller may see it.
        let (session, lines, total) = self
            .store
            .session_with_log_page(id, query)
            .await?
            .ok_or_else(|| super::session::not_found(id))?;
        self.visible(caller, session).await?;
        Ok((lines, total))
    }
}
