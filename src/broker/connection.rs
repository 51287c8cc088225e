//! Where the requester of a live session connects: the session's login on its resource's
//! address, for the SSH URL and RDP file NPS clients ask for.

use uuid::Uuid;

use super::{Broker, BrokerError, Caller};
use crate::core::SessionState;

/// What a client needs to open a connection for a session.
#[derive(Debug, Clone, PartialEq)]
pub struct Connection {
    pub login: String,
    pub host: String,
    pub port_ssh: Option<u16>,
    pub port_rdp: Option<u16>,
    pub platform: String,
}

impl Broker {
    /// The connection for a session that is live now (Available or Logged In, not locked),
    /// for its requester only: an admin who may see the session still may not sign in as it.
    pub async fn connection(&self, caller: &Caller, id: Uuid) -> Result<Connection, BrokerError> {
        let session = self.visible_session(caller, id).await?;
        if session.created_by != caller.account_id {
            return Err(BrokerError::Forbidden(format!(
                "only the requester may connect through session {id}"
            )));
        }
        let live = matches!(
            session.state,
            SessionState::Available | SessionState::LoggedIn
        );
        if !live || session.locked {
            return Err(BrokerError::Conflict(format!(
                "session {id} is {}: only an Available or Logged In session that is not locked can be connected to",
                session.shown_state().word()
            )));
        }
        let resource = self
            .store
            .resources()
            .await?
            .into_iter()
            .find(|r| r.id == session.resource_id)
            .ok_or_else(|| BrokerError::NotFound {
                what: "managed resource",
                id: session.resource_id.to_string(),
            })?;
        Ok(Connection {
            login: session
                .login_account_name
                .clone()
                .unwrap_or_else(|| session.created_by_name.clone()),
            host: resource.address.clone().unwrap_or(resource.name.clone()),
            port_ssh: resource.port_ssh,
            port_rdp: resource.port_rdp,
            platform: session.platform.clone(),
        })
    }
}
