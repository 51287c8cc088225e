//! Real access on targets: the database-role steps the outbox runs (provision, revoke, lock,
//! unlock), the sealed credential and who may see it, the login poller and the reconciler.
//!
//! A database-role activity gets one target step in front of its own actions of each kind
//! (action 1 of pre-session is the provisioning, action 1 of post-session the revocation,
//! and so on), so the target's work is written with its transition, claimed under a lease,
//! retried with the run's idempotency key, and a revocation that keeps failing leaves the
//! session Failed to Revoke, exactly like an activity's own actions.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::Arc;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use uuid::Uuid;

use super::actions::ActionResult;
use super::config::{CredentialKey, DatabaseRoleEntry, ValidConfig};
use super::{Broker, BrokerError, Caller};
use crate::core::lifecycle::Event;
use crate::core::{ActionKind, LogEntry, LogLevel, Session, SessionState};
use crate::store::SessionQuery;
use crate::targets::postgres::{PostgresConfig, PostgresTarget};
use crate::targets::{Grant, Password, Revoked, Target, TargetError};

/// Attempts a provisioning, lock or unlock gets when the target may just be busy or down
/// (an activity's own pre-session action gets one).
const TRANSIENT_ATTEMPTS: u32 = 5;
/// Who the session log names for what the broker saw on a target.
const POLLER: &str = "login poller";

/// A resource's target and where a client reaches it.
#[derive(Debug, Clone)]
pub struct TargetEntry {
    pub target: Arc<dyn Target>,
    postgres: Arc<PostgresTarget>,
    pub host: String,
    pub port: u16,
    pub database: String,
}

/// The targets and database-role activities of the configuration this broker serves.
#[derive(Debug, Default)]
pub struct Access {
    /// By lower-cased resource name.
    targets: HashMap<String, TargetEntry>,
    /// By lower-cased activity name.
    roles: HashMap<String, DatabaseRoleEntry>,
}

impl Access {
    pub fn from_config(config: &ValidConfig) -> Result<Self, BrokerError> {
        let mut targets = HashMap::new();
        for (resource, settings) in &config.targets {
            targets.insert(resource.clone(), Self::entry(settings.clone())?);
        }
        let roles = config
            .file
            .activities
            .iter()
            .filter_map(|activity| {
                activity
                    .database_role
                    .clone()
                    .map(|role| (activity.name.to_lowercase(), role))
            })
            .collect();
        Ok(Self { targets, roles })
    }

    fn entry(config: PostgresConfig) -> Result<TargetEntry, BrokerError> {
        let (host, port, database) = (config.host.clone(), config.port, config.database.clone());
        let postgres = Arc::new(
            PostgresTarget::new(config)
                .map_err(|error| BrokerError::Internal(format!("target: {error}")))?,
        );
        Ok(TargetEntry {
            target: Arc::clone(&postgres) as Arc<dyn Target>,
            postgres,
            host,
            port,
            database,
        })
    }

    /// Whether sessions of this activity get a database role (one target step per kind).
    pub fn gives_role(&self, activity_name: &str) -> bool {
        self.roles.contains_key(&activity_name.to_lowercase())
    }

    /// The session's target and what its role gets, when its activity gives a role.
    pub fn for_session(&self, session: &Session) -> Option<(&TargetEntry, &DatabaseRoleEntry)> {
        let role = self.roles.get(&session.activity_name.to_lowercase())?;
        let target = self.targets.get(&session.resource_name.to_lowercase())?;
        Some((target, role))
    }

    /// The role name a new session on this resource with this activity will get.
    pub fn role_name(&self, activity: &str, resource: &str, session_id: Uuid) -> Option<String> {
        self.roles.get(&activity.to_lowercase())?;
        let target = self.targets.get(&resource.to_lowercase())?;
        Some(target.target.role_name(session_id))
    }

    pub fn targets(&self) -> impl Iterator<Item = (&String, &TargetEntry)> {
        self.targets.iter()
    }

    pub fn target(&self, resource: &str) -> Option<&TargetEntry> {
        self.targets.get(&resource.to_lowercase())
    }
}

/// Seals a password for the store: XChaCha20-Poly1305 under the credential key, a random
/// nonce in front, the session's id as associated data (a sealed value moved to another
/// session does not open).
pub fn seal(key: &CredentialKey, session: Uuid, password: &Password) -> Vec<u8> {
    let cipher = XChaCha20Poly1305::new((&key.0).into());
    let mut nonce = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let sealed = cipher
        .encrypt(
            &XNonce::try_from(&nonce[..]).expect("24 bytes"),
            Payload {
                msg: password.expose().as_bytes(),
                aad: session.as_bytes(),
            },
        )
        .expect("XChaCha20-Poly1305 seals any length we hand it");
    [nonce.as_slice(), &sealed].concat()
}

/// Opens what [`seal`] made; `None` when the key is not the one it was sealed with.
pub fn open(key: &CredentialKey, session: Uuid, sealed: &[u8]) -> Option<Password> {
    if sealed.len() < 24 {
        return None;
    }
    let (nonce, body) = sealed.split_at(24);
    let cipher = XChaCha20Poly1305::new((&key.0).into());
    let plain = cipher
        .decrypt(
            &XNonce::try_from(nonce).expect("24 bytes"),
            Payload {
                msg: body,
                aad: session.as_bytes(),
            },
        )
        .ok()?;
    String::from_utf8(plain).ok().map(Password::new)
}

/// Where a client connects for a database-role session (no password).
#[derive(Debug, Clone, PartialEq)]
pub struct DatabaseConnection {
    pub host: String,
    pub port: u16,
    pub database: String,
    pub user: String,
}

impl DatabaseConnection {
    /// A libpq connection URI without the password.
    pub fn uri(&self) -> String {
        let part =
            |text: &str| url::form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>();
        let host = if self.host.starts_with('/') {
            String::new()
        } else {
            self.host.clone()
        };
        let mut uri = format!(
            "postgresql://{}@{}:{}/{}",
            part(&self.user),
            host,
            self.port,
            part(&self.database)
        );
        if host.is_empty() {
            uri.push_str(&format!("?host={}", part(&self.host)));
        }
        uri
    }
}

/// A target step's outcome, with how many attempts it deserves.
pub(super) struct StepResult {
    pub result: ActionResult,
    pub attempts_allowed: Option<u32>,
}

impl Broker {
    pub(super) fn access(&self) -> Arc<Access> {
        Arc::clone(&self.access.read().unwrap_or_else(|e| e.into_inner()))
    }

    pub(super) fn set_access(&self, access: Access) {
        *self.access.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(access);
    }

    /// Runs the target step of a database-role session's action kind (its action 1).
    pub(super) async fn target_step(
        &self,
        kind: ActionKind,
        session: &Session,
        label: &str,
    ) -> StepResult {
        let access = self.access();
        let Some((entry, role)) = access.for_session(session) else {
            return StepResult {
                result: failed(format!(
                    "{label}: resource {} has no target for activity {}",
                    session.resource_name, session.activity_name
                )),
                attempts_allowed: kind.max_attempts(),
            };
        };
        let target = &entry.target;
        let name = target.role_name(session.id);
        let outcome: Result<String, TargetError> = match kind {
            ActionKind::PreSession => {
                let grant = Grant {
                    session_id: session.id,
                    ends_at: session.scheduled_end,
                    connection_limit: role.connection_limit,
                    access_roles: role.access_roles.clone(),
                };
                match target.provision(&grant).await {
                    Ok(provisioned) => {
                        let sealed = seal(
                            &self.settings.credential_key,
                            session.id,
                            &provisioned.password,
                        );
                        match self
                            .store
                            .put_credential(session.id, &sealed, self.clock.now())
                            .await
                        {
                            Ok(()) => Ok(format!(
                                "role {} made on {} with access roles [{}]{}",
                                provisioned.role,
                                session.resource_name,
                                role.access_roles.join(", "),
                                role.connection_limit
                                    .map(|n| format!(", at most {n} connections"))
                                    .unwrap_or_default()
                            )),
                            Err(error) => Err(TargetError::Database {
                                action: "keep the session's password",
                                code: None,
                                message: error.to_string(),
                            }),
                        }
                    }
                    Err(error) => Err(error),
                }
            }
            ActionKind::PostSession => {
                // Once revocation starts nobody needs the password any more.
                if let Err(error) = self.store.delete_credential(session.id).await {
                    tracing::warn!(%error, session = %session.id, "could not delete a session's credential");
                }
                match target.revoke(&name).await {
                    Ok(Revoked::Dropped) => Ok(format!("role {name} revoked and dropped")),
                    Ok(Revoked::AlreadyGone) => Ok(format!("role {name} was already gone")),
                    Err(error) => Err(error),
                }
            }
            ActionKind::Lock => target
                .lock(&name)
                .await
                .map(|()| format!("role {name} locked: NOLOGIN, its connections ended")),
            ActionKind::Unlock => target
                .unlock(&name)
                .await
                .map(|()| format!("role {name} unlocked: LOGIN again")),
            ActionKind::Extend => target
                .extend(&name, session.scheduled_end)
                .await
                .map(|()| format!("role {name}: expiry moved with the session's end")),
            // Statements run through `Broker::execute_statement_run`, never as a target step.
            ActionKind::Notify | ActionKind::Statement => Ok(String::new()),
        };
        match outcome {
            Ok(line) => StepResult {
                result: ActionResult {
                    succeeded: true,
                    error: None,
                    log: vec![LogEntry::info(None, format!("{label}: {line}"))],
                },
                attempts_allowed: kind.max_attempts(),
            },
            Err(error) => {
                let attempts_allowed = if error.is_transient() {
                    kind.max_attempts().map(|m| m.max(TRANSIENT_ATTEMPTS))
                } else {
                    kind.max_attempts()
                };
                StepResult {
                    result: failed(format!("{label}: {error}")),
                    attempts_allowed,
                }
            }
        }
    }

    /// The session's database connection (no password), for whoever may see the session.
    pub async fn database_connection(
        &self,
        caller: &Caller,
        id: Uuid,
    ) -> Result<DatabaseConnection, BrokerError> {
        let session = self.visible_session(caller, id).await?;
        let access = self.access();
        let (entry, _) = access.for_session(&session).ok_or_else(|| {
            BrokerError::Conflict(format!(
                "session {id} gives no database role: activity {} on {} has no target",
                session.activity_name, session.resource_name
            ))
        })?;
        Ok(DatabaseConnection {
            host: entry.host.clone(),
            port: entry.port,
            database: entry.database.clone(),
            user: entry.target.role_name(session.id),
        })
    }

    /// Whether the caller may see the session's password now: the requester, of a live,
    /// unlocked session that holds one.
    pub async fn can_view_password(&self, caller: &Caller, id: Uuid) -> Result<bool, BrokerError> {
        let session = self.visible_session(caller, id).await?;
        Ok(session.created_by == caller.account_id
            && live(&session)
            && !session.locked
            && self.store.credential(id).await?.is_some())
    }

    /// The session's password, for its requester only; every view is written in the session
    /// log with who, when and from where.
    pub async fn session_password(
        &self,
        caller: &Caller,
        id: Uuid,
        from: IpAddr,
    ) -> Result<Password, BrokerError> {
        let session = self.visible_session(caller, id).await?;
        if session.created_by != caller.account_id {
            return Err(BrokerError::Forbidden(format!(
                "only the requester of session {id} may see its password"
            )));
        }
        if !live(&session) || session.locked {
            return Err(BrokerError::Conflict(format!(
                "session {id} is {}: a password is only given for an Available or Logged In session that is not locked",
                session.shown_state().word()
            )));
        }
        let sealed = self
            .store
            .credential(id)
            .await?
            .ok_or_else(|| BrokerError::NotFound {
                what: "session password",
                id: id.to_string(),
            })?;
        let password = open(&self.settings.credential_key, id, &sealed).ok_or_else(|| {
            BrokerError::Internal(
                "the session's password cannot be opened with this broker's credential key; replicas must share [server] credential_key".to_owned(),
            )
        })?;
        let line = LogEntry::new(
            LogLevel::Info,
            Some(&caller.name),
            format!("password viewed by {} from {from}", caller.name),
        );
        self.store.append_log(id, &[line], self.clock.now()).await?;
        tracing::info!(session = %id, user = %caller.name, %from, "session password viewed");
        let event = self.audit_event(caller, "session.password.view", Some(id));
        self.record(vec![event]).await;
        Ok(password)
    }

    /// Dev mode: creates the access roles the database-role activities name, on every
    /// target, where they are missing.
    pub async fn ensure_access_roles(&self) -> Result<(), TargetError> {
        let access = self.access();
        for entry in access.targets.values() {
            for role in access.roles.values().flat_map(|r| &r.access_roles) {
                entry.postgres.ensure_access_role(role).await?;
            }
        }
        Ok(())
    }

    /// Runs the login poller and the reconciler until the process ends.
    pub fn start_access_loops(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let poller = Arc::clone(self);
        let reconciler = Arc::clone(self);
        tokio::spawn(async move {
            tokio::join!(poller.poll_logins(), reconciler.reconcile_loop());
        })
    }

    async fn poll_logins(self: Arc<Self>) {
        let mut interval = tokio::time::interval(self.settings.login_poll_interval);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            if self.access().targets.is_empty() {
                continue;
            }
            if let Err(error) = self.poll_logins_once().await {
                tracing::warn!(%error, "login poller: cannot read the live sessions");
            }
        }
    }

    /// One pass: every live session with a role is asked about; the transitions are
    /// idempotent, so two replicas polling the same session agree.
    async fn poll_logins_once(&self) -> Result<(), BrokerError> {
        let access = self.access();
        if access.roles.is_empty() {
            return Ok(());
        }
        // Only the sessions that may have a login: active ones of database-role activities.
        let sessions = self
            .store
            .search_sessions(&SessionQuery {
                states: vec![
                    SessionState::Available,
                    SessionState::LoggedIn,
                    SessionState::Locked,
                ],
                activities: access.roles.keys().cloned().collect(),
                finished: Some(false),
                ..SessionQuery::default()
            })
            .await?
            .sessions;
        for session in sessions.iter().filter(|s| live(s)) {
            let Some((entry, _)) = access.for_session(session) else {
                continue;
            };
            let name = entry.target.role_name(session.id);
            let state = match entry.target.logged_in(&name).await {
                Ok(state) => state,
                Err(error) => {
                    tracing::debug!(%error, session = %session.id, "login poller: target not answering");
                    continue;
                }
            };
            let (event, action, detail) = match (session.state, state.logged_in()) {
                (SessionState::Available, true) => (
                    Event::LoginDetected {
                        by: POLLER.to_owned(),
                    },
                    "session.login",
                    "a connection of the session's role was seen",
                ),
                (SessionState::LoggedIn, false) => (
                    Event::LoggedOut {
                        by: POLLER.to_owned(),
                    },
                    "session.logout",
                    "the session's role has no connection left",
                ),
                _ => continue,
            };
            if let Err(error) = self
                .transition(session.id, |_| event.clone(), action, detail)
                .await
            {
                tracing::debug!(%error, session = %session.id, "login poller: transition not applied");
            }
        }
        Ok(())
    }

    async fn live_sessions(&self) -> Result<Vec<Session>, BrokerError> {
        Ok(self
            .store
            .search_sessions(&SessionQuery {
                finished: Some(false),
                ..SessionQuery::default()
            })
            .await?
            .sessions)
    }

    async fn reconcile_loop(self: Arc<Self>) {
        let mut interval = tokio::time::interval(self.settings.reconcile_interval);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            self.reconcile().await;
        }
    }

    /// Revokes every role a target holds that no unfinished session explains, and says so.
    /// The target is listed before the sessions: a role made after the listing is not
    /// looked at, and one listed belongs to a session already written.
    pub async fn reconcile(&self) {
        let access = self.access();
        for (resource, entry) in access.targets() {
            let held = match entry.target.managed_roles().await {
                Ok(held) => held,
                Err(error) => {
                    tracing::warn!(%resource, %error, "reconciler: cannot list the target's roles");
                    continue;
                }
            };
            if held.is_empty() {
                continue;
            }
            let sessions = match self.live_sessions().await {
                Ok(sessions) => sessions,
                Err(error) => {
                    tracing::warn!(%error, "reconciler: cannot read the live sessions");
                    return;
                }
            };
            // Every unfinished session counts, whatever its resource: two resources may name
            // the same server, and a role's name is its session's alone.
            let explained: HashSet<String> = sessions
                .iter()
                .map(|s| entry.target.role_name(s.id))
                .collect();
            for role in held.iter().filter(|role| !explained.contains(*role)) {
                match entry.target.revoke(role).await {
                    Ok(_) => tracing::warn!(%resource, %role,
                        "reconciler: revoked a pamctl role that no live session explains"),
                    Err(error) => tracing::error!(%resource, %role, %error,
                        "reconciler: a pamctl role that no live session explains could not be revoked"),
                }
            }
        }
    }
}

fn live(session: &Session) -> bool {
    matches!(
        session.state,
        SessionState::Available | SessionState::LoggedIn
    )
}

fn failed(line: String) -> ActionResult {
    let error = line
        .split_once(": ")
        .map_or(line.clone(), |(_, rest)| rest.to_owned());
    ActionResult {
        succeeded: false,
        error: Some(error),
        log: vec![LogEntry::new(LogLevel::Error, None, line)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_password_opens_only_for_its_session_and_key() {
        let key = CredentialKey::random();
        let session = Uuid::new_v4();
        let sealed = seal(&key, session, &Password::new("s3cret-pass"));
        assert!(!sealed.windows(11).any(|w| w == b"s3cret-pass"));
        assert_eq!(
            open(&key, session, &sealed).map(|p| p.expose().to_owned()),
            Some("s3cret-pass".to_owned())
        );
        assert!(open(&key, Uuid::new_v4(), &sealed).is_none());
        assert!(open(&CredentialKey::random(), session, &sealed).is_none());
    }
}
