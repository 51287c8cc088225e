//! PostgreSQL as a target: one role per session, made and unmade by an admin connection.
//!
//! The role gets LOGIN with a random password, sent as a SCRAM-SHA-256 verifier computed
//! here, so the password itself never crosses the wire nor reaches the server's logs; an
//! expiry (`VALID UNTIL`) a margin after the session's end, as a backstop should the broker
//! never revoke; a connection limit; membership in the NOLOGIN access roles the activity
//! names, and never ownership of anything; and membership in a marker role
//! (`pamctl_managed`), which is how pamctl recognises its own roles and never touches
//! anybody else's. The role's comment names its session, so that two sessions never share a
//! role.
//!
//! Revocation locks first (NOLOGIN, then ends the role's connections), strips the access
//! roles, then drops the role; each step states an end, so a repeat is harmless. Identifiers
//! and literals are quoted by `postgres_protocol::escape`, never by hand.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use futures_util::{StreamExt, pin_mut};
use postgres_protocol::escape::{escape_identifier, escape_literal};
use tokio::sync::Mutex;
use tokio_postgres::{Client, Config, NoTls, SimpleQueryMessage, Transaction};
use uuid::Uuid;

use super::{
    Grant, LoginState, Password, Provisioned, Revoked, SecretSource, StatementLimits,
    StatementResult, Target, TargetError,
};

/// The marker every pamctl role is a member of.
pub const DEFAULT_MARKER_ROLE: &str = "pamctl_managed";
/// The role name of a session: `{short_id}` is the first 8 hex digits of the session's id,
/// `{id}` all 32.
pub const DEFAULT_ROLE_TEMPLATE: &str = "pamctl_{short_id}";
/// How long after the session's end the server itself refuses logins.
pub const DEFAULT_VALID_UNTIL_MARGIN: Duration = Duration::from_secs(15 * 60);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long revocation and lock wait for terminated backends to go away.
const TERMINATE_WAIT: Duration = Duration::from_secs(10);
/// PostgreSQL truncates longer identifiers, which would make two names one.
const MAX_IDENTIFIER_BYTES: usize = 63;
/// What the role's comment says before the session's id.
const COMMENT_PREFIX: &str = "pamctl session ";
/// The `application_name` of statements run through the broker, so that a DBA can tell them.
const EXEC_APPLICATION_NAME: &str = "pamctl exec";

/// Whether the connections to the server are encrypted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum TlsMode {
    /// Plain TCP (or a Unix socket): for a server on the same host or a trusted network.
    #[default]
    Disable,
    /// TLS, with the server's certificate verified against the Mozilla roots, or against
    /// `ca_file` when given, and its name against `host`. Stricter than libpq's `require`,
    /// which does not verify: pamctl sends admin credentials over this connection.
    Require,
}

impl std::str::FromStr for TlsMode {
    type Err = TargetError;

    fn from_str(text: &str) -> Result<Self, TargetError> {
        match text {
            "disable" => Ok(Self::Disable),
            "require" => Ok(Self::Require),
            other => Err(TargetError::Config(format!(
                "TLS mode {other:?}: write \"disable\" or \"require\""
            ))),
        }
    }
}

/// How to reach a PostgreSQL target and how to name what pamctl makes there. `Debug` shows
/// where the admin password lives, never the password.
#[derive(Debug, Clone)]
pub struct PostgresConfig {
    /// A host name, an IP address, or the directory of a Unix socket (starting with `/`).
    pub host: String,
    pub port: u16,
    pub database: String,
    /// A superuser, or a role with CREATEROLE, ADMIN OPTION on the access roles, and
    /// `pg_signal_backend` (to end sessions' connections).
    pub admin_user: String,
    /// `None` when the server lets the admin in without one (peer or trust).
    pub admin_password: Option<SecretSource>,
    pub tls: TlsMode,
    /// PEM certificates to trust instead of the Mozilla roots, for a private CA.
    pub ca_file: Option<PathBuf>,
    pub role_template: String,
    pub marker_role: String,
    pub valid_until_margin: Duration,
    pub connect_timeout: Duration,
}

impl PostgresConfig {
    /// A target on `host:port/database` with the defaults: no TLS, roles `pamctl_<short id>`
    /// in `pamctl_managed`, a 15-minute expiry margin.
    pub fn new(host: &str, port: u16, database: &str, admin_user: &str) -> Self {
        Self {
            host: host.to_owned(),
            port,
            database: database.to_owned(),
            admin_user: admin_user.to_owned(),
            admin_password: None,
            tls: TlsMode::Disable,
            ca_file: None,
            role_template: DEFAULT_ROLE_TEMPLATE.to_owned(),
            marker_role: DEFAULT_MARKER_ROLE.to_owned(),
            valid_until_margin: DEFAULT_VALID_UNTIL_MARGIN,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
        }
    }

    fn describe(&self) -> String {
        format!("{}:{}/{}", self.host, self.port, self.database)
    }
}

/// A PostgreSQL target as a configuration file writes it (say under a resource), before it
/// is checked: durations as text (`"15m"`), the TLS mode as a word, the admin password as
/// its source (`file:PATH` or `env:NAME`, never the password). Everything but the host,
/// the database and the admin user has a default.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostgresSettings {
    pub host: String,
    pub port: Option<u16>,
    pub database: String,
    pub admin_user: String,
    pub admin_password: Option<String>,
    pub tls: Option<String>,
    pub ca_file: Option<PathBuf>,
    pub role_template: Option<String>,
    pub marker_role: Option<String>,
    pub valid_until_margin: Option<String>,
    pub connect_timeout: Option<String>,
}

impl PostgresSettings {
    /// The checked configuration, or what is wrong with it, in the file's own words.
    pub fn into_config(self) -> Result<PostgresConfig, TargetError> {
        let duration = |field: &str, text: Option<&str>, default: Duration| match text {
            None => Ok(default),
            Some(text) => humantime::parse_duration(text).map_err(|e| {
                TargetError::Config(format!("{field} {text:?}: {e} (write e.g. \"15m\")"))
            }),
        };
        let mut config = PostgresConfig::new(
            &self.host,
            self.port.unwrap_or(5432),
            &self.database,
            &self.admin_user,
        );
        for (field, value) in [
            ("host", &self.host),
            ("database", &self.database),
            ("admin_user", &self.admin_user),
        ] {
            if value.is_empty() {
                return Err(TargetError::Config(format!("{field} must not be empty")));
            }
        }
        config.admin_password = self
            .admin_password
            .as_deref()
            .map(SecretSource::parse)
            .transpose()?;
        if let Some(tls) = &self.tls {
            config.tls = tls.parse()?;
        }
        config.ca_file = self.ca_file;
        if let Some(template) = self.role_template {
            config.role_template = template;
        }
        if let Some(marker) = self.marker_role {
            config.marker_role = marker;
        }
        config.valid_until_margin = duration(
            "valid_until_margin",
            self.valid_until_margin.as_deref(),
            DEFAULT_VALID_UNTIL_MARGIN,
        )?;
        config.connect_timeout = duration(
            "connect_timeout",
            self.connect_timeout.as_deref(),
            DEFAULT_CONNECT_TIMEOUT,
        )?;
        Ok(config)
    }
}

/// A PostgreSQL server pamctl grants roles on. One admin connection is kept and reused, and
/// the target's own steps run one at a time on it, so two steps on one role never interleave.
pub struct PostgresTarget {
    config: PostgresConfig,
    tls: Option<tokio_postgres_rustls::MakeRustlsConnect>,
    admin: Mutex<Option<Client>>,
}

impl std::fmt::Debug for PostgresTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresTarget")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl PostgresTarget {
    /// Checks the configuration; connects at the first use, so that a target that is down
    /// does not stop the broker from starting.
    pub fn new(config: PostgresConfig) -> Result<Self, TargetError> {
        for (what, name) in [
            ("marker role", config.marker_role.as_str()),
            ("admin user", config.admin_user.as_str()),
        ] {
            check_identifier(what, name)?;
        }
        if !config.role_template.contains("{short_id}") && !config.role_template.contains("{id}") {
            return Err(TargetError::Config(format!(
                "role template {:?} must contain {{short_id}} or {{id}}, or every session \
                 would get the same role",
                config.role_template
            )));
        }
        check_identifier(
            "role template",
            &render_template(&config.role_template, Uuid::nil()),
        )?;
        let tls = match config.tls {
            TlsMode::Disable => None,
            TlsMode::Require => Some(tokio_postgres_rustls::MakeRustlsConnect::new(tls_config(
                config.ca_file.as_deref(),
            )?)),
        };
        Ok(Self {
            config,
            tls,
            admin: Mutex::new(None),
        })
    }

    pub fn config(&self) -> &PostgresConfig {
        &self.config
    }

    /// Creates an access role (NOLOGIN, no rights yet) when it is missing: for the dev seed,
    /// so that a throwaway server needs no preparation. A real deployment creates its access
    /// roles and their grants itself; pamctl only hands out membership.
    pub async fn ensure_access_role(&self, role: &str) -> Result<(), TargetError> {
        check_identifier("access role", role)?;
        let admin = self.admin().await?;
        let client = admin.as_ref().expect("connected above");
        let exists = client
            .query_opt("SELECT 1 FROM pg_roles WHERE rolname = $1", &[&role])
            .await
            .map_err(db("look up an access role"))?
            .is_some();
        if exists {
            return Ok(());
        }
        match client
            .batch_execute(&format!("CREATE ROLE {} NOLOGIN", escape_identifier(role)))
            .await
        {
            Ok(()) => Ok(()),
            Err(e) if matches!(sqlstate(&e).as_deref(), Some("42710" | "23505")) => Ok(()),
            Err(e) => Err(db("create an access role")(e)),
        }
    }

    /// The admin connection, opened again when it was closed (a restart, a network blip).
    async fn admin(&self) -> Result<tokio::sync::MutexGuard<'_, Option<Client>>, TargetError> {
        let mut admin = self.admin.lock().await;
        if admin.as_ref().is_none_or(Client::is_closed) {
            let mut config = self.base_config();
            config
                .user(&self.config.admin_user)
                .application_name("pamctl broker");
            if let Some(source) = &self.config.admin_password {
                config.password(source.read()?.expose());
            }
            *admin = Some(self.connect(&config).await?);
        }
        Ok(admin)
    }

    fn base_config(&self) -> Config {
        let mut config = Config::new();
        config
            .host(&self.config.host)
            .port(self.config.port)
            .dbname(&self.config.database)
            .connect_timeout(self.config.connect_timeout);
        config
    }

    async fn connect(&self, config: &Config) -> Result<Client, TargetError> {
        let failed = |e: tokio_postgres::Error| TargetError::Connect {
            target: self.config.describe(),
            message: error_text(&e),
        };
        match &self.tls {
            None => {
                let (client, connection) = config.connect(NoTls).await.map_err(failed)?;
                tokio::spawn(connection);
                Ok(client)
            }
            Some(tls) => {
                let mut config = config.clone();
                config.ssl_mode(tokio_postgres::config::SslMode::Require);
                let (client, connection) = config.connect(tls.clone()).await.map_err(failed)?;
                tokio::spawn(connection);
                Ok(client)
            }
        }
    }

    fn valid_until(&self, ends_at: DateTime<Utc>) -> String {
        let margin = chrono::Duration::from_std(self.config.valid_until_margin)
            .unwrap_or(chrono::Duration::zero());
        let until = ends_at + margin;
        escape_literal(&until.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
    }

    /// The marker role, made when missing. Two brokers may race to make it; the loser's
    /// "already exists" is success.
    async fn ensure_marker(&self, client: &Client) -> Result<(), TargetError> {
        let exists = client
            .query_opt(
                "SELECT 1 FROM pg_roles WHERE rolname = $1",
                &[&self.config.marker_role],
            )
            .await
            .map_err(db("look up the marker role"))?
            .is_some();
        if exists {
            return Ok(());
        }
        let create = format!(
            "CREATE ROLE {} NOLOGIN",
            escape_identifier(&self.config.marker_role)
        );
        match client.batch_execute(&create).await {
            Ok(()) => Ok(()),
            Err(e) if matches!(sqlstate(&e).as_deref(), Some("42710" | "23505")) => Ok(()),
            Err(e) => Err(db("create the marker role")(e)),
        }
    }

    /// The role as pamctl sees it, inside the caller's transaction: absent, or present and
    /// managed (refusing a role that is not).
    async fn managed(
        &self,
        transaction: &Transaction<'_>,
        role: &str,
    ) -> Result<Option<ExistingRole>, TargetError> {
        // Steps on one target run one at a time (the admin connection's lock), and the outbox
        // gives an action to one broker at a time, so nothing changes the role between this
        // check and the step that follows it.
        let row = transaction
            .query_opt(
                "SELECT shobj_description(r.oid, 'pg_authid'),
                        EXISTS (SELECT 1 FROM pg_auth_members m
                                JOIN pg_roles g ON g.oid = m.roleid
                                WHERE m.member = r.oid AND g.rolname = $2)
                 FROM pg_roles r WHERE r.rolname = $1",
                &[&role, &self.config.marker_role],
            )
            .await
            .map_err(db("look up the role"))?;
        let Some(row) = row else {
            return Ok(None);
        };
        let comment: Option<String> = row.get(0);
        let managed: bool = row.get(1);
        if !managed {
            return Err(TargetError::NotManaged {
                role: role.to_owned(),
                marker: self.config.marker_role.clone(),
            });
        }
        let session = comment
            .as_deref()
            .and_then(|c| c.strip_prefix(COMMENT_PREFIX))
            .and_then(|id| id.parse().ok());
        Ok(Some(ExistingRole { session }))
    }

    /// Checks the access roles before any is granted: each must exist, be NOLOGIN and not a
    /// superuser, so that a session's role never inherits a login or superuser rights.
    async fn check_access_roles(
        &self,
        transaction: &Transaction<'_>,
        roles: &[String],
    ) -> Result<(), TargetError> {
        for role in roles {
            if role == &self.config.marker_role {
                return Err(TargetError::AccessRole {
                    role: role.clone(),
                    reason: "is pamctl's marker role, not an access role".to_owned(),
                });
            }
            let row = transaction
                .query_opt(
                    "SELECT rolcanlogin, rolsuper FROM pg_roles WHERE rolname = $1",
                    &[role],
                )
                .await
                .map_err(db("look up an access role"))?;
            let reason = match row {
                None => Some("does not exist; create it (NOLOGIN) and grant it the access"),
                Some(row) if row.get::<_, bool>(1) => Some("is a superuser; pamctl grants none"),
                Some(row) if row.get::<_, bool>(0) => {
                    Some("can log in; pamctl grants only NOLOGIN access roles")
                }
                Some(_) => None,
            };
            if let Some(reason) = reason {
                return Err(TargetError::AccessRole {
                    role: role.clone(),
                    reason: reason.to_owned(),
                });
            }
        }
        Ok(())
    }

    /// Ends the role's connections and waits until they are gone, so that a caller told
    /// "locked" or "revoked" can rely on it.
    async fn terminate_backends(&self, client: &Client, role: &str) -> Result<(), TargetError> {
        let started = Instant::now();
        loop {
            let row = client
                .query_one(
                    "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid) IS NOT NULL)
                     FROM pg_stat_activity
                     WHERE usename = $1 AND pid <> pg_backend_pid()",
                    &[&role],
                )
                .await
                .map_err(db("terminate the role's connections"))?;
            let remaining: i64 = row.get(0);
            if remaining == 0 {
                return Ok(());
            }
            if started.elapsed() > TERMINATE_WAIT {
                return Err(TargetError::Database {
                    action: "terminate the role's connections",
                    code: None,
                    message: format!(
                        "{remaining} connection(s) of {role} still open after {}s",
                        TERMINATE_WAIT.as_secs()
                    ),
                });
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

struct ExistingRole {
    /// The session named in the role's comment.
    session: Option<Uuid>,
}

#[async_trait]
impl Target for PostgresTarget {
    fn role_name(&self, session_id: Uuid) -> String {
        render_template(&self.config.role_template, session_id)
    }

    async fn provision(&self, grant: &Grant) -> Result<Provisioned, TargetError> {
        let role = self.role_name(grant.session_id);
        let password = Password::generate();
        // The server stores what it is given; given a verifier, it never sees the password.
        let verifier = postgres_protocol::password::scram_sha_256(password.expose().as_bytes());
        let limit = grant
            .connection_limit
            .map_or(-1, |n| i64::from(n.min(i32::MAX as u32)));
        let mut admin = self.admin().await?;
        let client = admin.as_mut().expect("connected above");
        self.ensure_marker(client).await?;
        let transaction = client
            .transaction()
            .await
            .map_err(db("begin provisioning"))?;
        self.check_access_roles(&transaction, &grant.access_roles)
            .await?;
        let quoted = escape_identifier(&role);
        let login = format!(
            "LOGIN PASSWORD {} VALID UNTIL {} CONNECTION LIMIT {limit}",
            escape_literal(&verifier),
            self.valid_until(grant.ends_at),
        );
        match self.managed(&transaction, &role).await? {
            None => {
                transaction
                    .batch_execute(&format!("CREATE ROLE {quoted} INHERIT {login}"))
                    .await
                    .map_err(db("create the role"))?;
                transaction
                    .batch_execute(&format!(
                        "GRANT {} TO {quoted}",
                        escape_identifier(&self.config.marker_role)
                    ))
                    .await
                    .map_err(db("mark the role as pamctl's"))?;
            }
            Some(existing) if existing.session.is_some_and(|s| s != grant.session_id) => {
                return Err(TargetError::RoleTaken {
                    role,
                    owner: existing.session.map(|s| s.to_string()).unwrap_or_default(),
                });
            }
            Some(_) => {
                transaction
                    .batch_execute(&format!("ALTER ROLE {quoted} {login}"))
                    .await
                    .map_err(db("update the role"))?;
            }
        }
        transaction
            .batch_execute(&format!(
                "COMMENT ON ROLE {quoted} IS {}",
                escape_literal(&format!("{COMMENT_PREFIX}{}", grant.session_id))
            ))
            .await
            .map_err(db("name the role's session"))?;
        for access in &grant.access_roles {
            transaction
                .batch_execute(&format!("GRANT {} TO {quoted}", escape_identifier(access)))
                .await
                .map_err(db("grant an access role"))?;
        }
        transaction
            .commit()
            .await
            .map_err(db("commit provisioning"))?;
        Ok(Provisioned { role, password })
    }

    async fn extend(&self, role: &str, ends_at: DateTime<Utc>) -> Result<(), TargetError> {
        let mut admin = self.admin().await?;
        let client = admin.as_mut().expect("connected above");
        let transaction = client.transaction().await.map_err(db("begin extending"))?;
        if self.managed(&transaction, role).await?.is_none() {
            return Err(TargetError::NoSuchRole {
                role: role.to_owned(),
            });
        }
        transaction
            .batch_execute(&format!(
                "ALTER ROLE {} VALID UNTIL {}",
                escape_identifier(role),
                self.valid_until(ends_at)
            ))
            .await
            .map_err(db("move the role's expiry"))?;
        transaction.commit().await.map_err(db("commit extending"))
    }

    async fn revoke(&self, role: &str) -> Result<Revoked, TargetError> {
        let mut admin = self.admin().await?;
        let client = admin.as_mut().expect("connected above");
        // Locked and stripped first, in a transaction of its own, so that this much holds
        // even when the drop below fails.
        let transaction = client.transaction().await.map_err(db("begin revoking"))?;
        if self.managed(&transaction, role).await?.is_none() {
            return Ok(Revoked::AlreadyGone);
        }
        let quoted = escape_identifier(role);
        transaction
            .batch_execute(&format!("ALTER ROLE {quoted} NOLOGIN"))
            .await
            .map_err(db("forbid the role's logins"))?;
        // The marker stays until the drop, so a role that cannot be dropped is still found
        // (and reported) by the reconciler.
        let groups = transaction
            .query(
                "SELECT g.rolname::text FROM pg_auth_members m
                 JOIN pg_roles g ON g.oid = m.roleid
                 JOIN pg_roles r ON r.oid = m.member
                 WHERE r.rolname = $1 AND g.rolname <> $2",
                &[&role, &self.config.marker_role],
            )
            .await
            .map_err(db("list the role's memberships"))?;
        for group in groups {
            let group: String = group.get(0);
            transaction
                .batch_execute(&format!(
                    "REVOKE {} FROM {quoted}",
                    escape_identifier(&group)
                ))
                .await
                .map_err(db("revoke an access role"))?;
        }
        transaction.commit().await.map_err(db("commit revoking"))?;
        self.terminate_backends(client, role).await?;
        match client
            .batch_execute(&format!("DROP ROLE IF EXISTS {quoted}"))
            .await
        {
            Ok(()) => Ok(Revoked::Dropped),
            Err(e) if sqlstate(&e).as_deref() == Some("2BP01") => Err(TargetError::OwnsObjects {
                role: role.to_owned(),
                detail: e
                    .as_db_error()
                    .and_then(|d| d.detail())
                    .map(|d| d.replace('\n', "; "))
                    .unwrap_or_else(|| error_text(&e)),
            }),
            Err(e) => Err(db("drop the role")(e)),
        }
    }

    async fn lock(&self, role: &str) -> Result<(), TargetError> {
        let mut admin = self.admin().await?;
        let client = admin.as_mut().expect("connected above");
        let transaction = client.transaction().await.map_err(db("begin locking"))?;
        if self.managed(&transaction, role).await?.is_none() {
            return Ok(());
        }
        transaction
            .batch_execute(&format!("ALTER ROLE {} NOLOGIN", escape_identifier(role)))
            .await
            .map_err(db("forbid the role's logins"))?;
        transaction.commit().await.map_err(db("commit locking"))?;
        self.terminate_backends(client, role).await
    }

    async fn unlock(&self, role: &str) -> Result<(), TargetError> {
        let mut admin = self.admin().await?;
        let client = admin.as_mut().expect("connected above");
        let transaction = client.transaction().await.map_err(db("begin unlocking"))?;
        if self.managed(&transaction, role).await?.is_none() {
            return Err(TargetError::NoSuchRole {
                role: role.to_owned(),
            });
        }
        transaction
            .batch_execute(&format!("ALTER ROLE {} LOGIN", escape_identifier(role)))
            .await
            .map_err(db("allow the role's logins"))?;
        transaction.commit().await.map_err(db("commit unlocking"))
    }

    async fn logged_in(&self, role: &str) -> Result<LoginState, TargetError> {
        let admin = self.admin().await?;
        let client = admin.as_ref().expect("connected above");
        let row = client
            .query_one(
                "SELECT count(*), min(backend_start) FROM pg_stat_activity
                 WHERE usename = $1 AND backend_type = 'client backend'",
                &[&role],
            )
            .await
            .map_err(db("look up the role's connections"))?;
        let connections: i64 = row.get(0);
        Ok(LoginState {
            connections: u32::try_from(connections).unwrap_or(u32::MAX),
            first_login: row.get(1),
        })
    }

    async fn run_statement(
        &self,
        role: &str,
        password: &Password,
        sql: &str,
        limits: &StatementLimits,
    ) -> Result<StatementResult, TargetError> {
        let mut config = self.base_config();
        // Set at sign-in, so the limit holds from the statement's first instant.
        config
            .user(role)
            .password(password.expose())
            .application_name(EXEC_APPLICATION_NAME)
            .options(format!(
                "-c statement_timeout={}",
                limits.timeout.as_millis().max(1)
            ));
        let client = self.connect(&config).await.map_err(|e| match e {
            // The driver does not echo passwords; this makes sure no future one does.
            TargetError::Connect { target, message } => TargetError::Connect {
                target,
                message: message.replace(password.expose(), "***"),
            },
            other => other,
        })?;
        let started = Instant::now();
        // The server's timeout should end the statement; if the server does not answer, the
        // broker stops waiting a little later and drops the connection (which ends it too).
        let grace = limits.timeout + Duration::from_secs(5);
        let mut result = StatementResult::default();
        let run = collect(&client, sql, limits.max_rows, &mut result);
        match tokio::time::timeout(grace, run).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                result = StatementResult {
                    error: Some(error_text(&e)),
                    ..StatementResult::default()
                };
            }
            Err(_) => {
                result = StatementResult {
                    error: Some(format!(
                        "no answer from the server within {}s",
                        grace.as_secs()
                    )),
                    ..StatementResult::default()
                };
            }
        }
        result.duration = started.elapsed();
        Ok(result)
    }

    async fn managed_roles(&self) -> Result<Vec<String>, TargetError> {
        let admin = self.admin().await?;
        let client = admin.as_ref().expect("connected above");
        let rows = client
            .query(
                "SELECT r.rolname::text FROM pg_auth_members m
                 JOIN pg_roles g ON g.oid = m.roleid
                 JOIN pg_roles r ON r.oid = m.member
                 WHERE g.rolname = $1
                 ORDER BY 1",
                &[&self.config.marker_role],
            )
            .await
            .map_err(db("list the managed roles"))?;
        Ok(rows.into_iter().map(|row| row.get(0)).collect())
    }
}

/// Reads a simple-query run into `result`: the last result set's columns and first rows, and
/// the last command's count, as `psql -c` would show them.
async fn collect(
    client: &Client,
    sql: &str,
    max_rows: usize,
    result: &mut StatementResult,
) -> Result<(), tokio_postgres::Error> {
    let stream = client.simple_query_raw(sql).await?;
    pin_mut!(stream);
    let mut new_set = true;
    while let Some(message) = stream.next().await {
        match message? {
            SimpleQueryMessage::RowDescription(columns) => {
                result.columns = columns.iter().map(|c| c.name().to_owned()).collect();
                result.rows.clear();
                result.total_rows = 0;
                new_set = false;
            }
            SimpleQueryMessage::Row(row) => {
                result.total_rows += 1;
                if result.rows.len() < max_rows {
                    result.rows.push(
                        (0..row.len())
                            .map(|i| row.get(i).map(str::to_owned))
                            .collect(),
                    );
                }
            }
            SimpleQueryMessage::CommandComplete(count) => {
                result.rows_affected = Some(count);
                if new_set {
                    // A statement without rows after one with them: the rows were not its.
                    result.columns.clear();
                    result.rows.clear();
                    result.total_rows = 0;
                }
                new_set = true;
            }
            _ => {}
        }
    }
    Ok(())
}

fn render_template(template: &str, session_id: Uuid) -> String {
    let id = session_id.simple().to_string();
    template
        .replace("{short_id}", &id[..8])
        .replace("{id}", &id)
}

fn check_identifier(what: &str, name: &str) -> Result<(), TargetError> {
    if name.is_empty() || name.len() > MAX_IDENTIFIER_BYTES {
        return Err(TargetError::Config(format!(
            "{what} {name:?} must be 1 to {MAX_IDENTIFIER_BYTES} bytes long"
        )));
    }
    Ok(())
}

fn tls_config(ca_file: Option<&std::path::Path>) -> Result<rustls::ClientConfig, TargetError> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    match ca_file {
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
        Some(path) => {
            let certificates = CertificateDer::pem_file_iter(path)
                .and_then(|certificates| certificates.collect::<Result<Vec<_>, _>>())
                .map_err(|e| TargetError::Config(format!("CA file {}: {e}", path.display())))?;
            let (added, _) = roots.add_parsable_certificates(certificates);
            if added == 0 {
                return Err(TargetError::Config(format!(
                    "CA file {} holds no usable certificate",
                    path.display()
                )));
            }
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TargetError::Config(format!("TLS: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

fn sqlstate(error: &tokio_postgres::Error) -> Option<String> {
    error.code().map(|code| code.code().to_owned())
}

/// The server's words for a failure (message, then detail and hint), or the driver's.
fn error_text(error: &tokio_postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => {
            let mut text = db.message().to_owned();
            if let Some(detail) = db.detail() {
                text.push_str(&format!(" ({detail})"));
            }
            if let Some(hint) = db.hint() {
                text.push_str(&format!(" Hint: {hint}"));
            }
            text
        }
        None => {
            let mut text = error.to_string();
            let mut source = std::error::Error::source(error);
            while let Some(cause) = source {
                text.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            text
        }
    }
}

fn db(action: &'static str) -> impl Fn(tokio_postgres::Error) -> TargetError {
    move |e| TargetError::Database {
        action,
        code: sqlstate(&e),
        message: error_text(&e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_come_from_the_template() {
        let id: Uuid = "0123456789abcdef0123456789abcdef".parse().unwrap();
        assert_eq!(
            render_template(DEFAULT_ROLE_TEMPLATE, id),
            "pamctl_01234567"
        );
        assert_eq!(
            render_template("jit_{id}", id),
            "jit_0123456789abcdef0123456789abcdef"
        );
    }

    #[test]
    fn a_template_without_the_id_is_refused() {
        let mut config = PostgresConfig::new("localhost", 5432, "app", "postgres");
        config.role_template = "pamctl_user".to_owned();
        assert!(matches!(
            PostgresTarget::new(config),
            Err(TargetError::Config(_))
        ));
        let mut config = PostgresConfig::new("localhost", 5432, "app", "postgres");
        config.role_template = format!("{}_{{id}}", "x".repeat(40));
        assert!(matches!(
            PostgresTarget::new(config),
            Err(TargetError::Config(_))
        ));
    }

    #[test]
    fn settings_from_a_file_fill_in_the_defaults() {
        let settings: PostgresSettings = toml::from_str(
            r#"
            host = "db.internal"
            database = "app"
            admin_user = "pamctl_admin"
            admin_password = "env:PG_ADMIN_PASSWORD"
            tls = "require"
            valid_until_margin = "5m"
            "#,
        )
        .unwrap();
        let config = settings.into_config().unwrap();
        assert_eq!(config.port, 5432);
        assert_eq!(config.tls, TlsMode::Require);
        assert_eq!(
            config.admin_password,
            Some(SecretSource::Env("PG_ADMIN_PASSWORD".to_owned()))
        );
        assert_eq!(config.valid_until_margin, Duration::from_secs(300));
        assert_eq!(config.connect_timeout, DEFAULT_CONNECT_TIMEOUT);
        assert_eq!(config.role_template, DEFAULT_ROLE_TEMPLATE);
        assert_eq!(config.marker_role, DEFAULT_MARKER_ROLE);

        let plain_password: PostgresSettings = toml::from_str(
            r#"
            host = "db.internal"
            database = "app"
            admin_user = "pamctl_admin"
            admin_password = "hunter2"
            "#,
        )
        .unwrap();
        let error = plain_password.into_config().unwrap_err().to_string();
        assert!(!error.contains("hunter2"), "{error}");
        let unknown = toml::from_str::<PostgresSettings>("host = \"x\"\nsslmode = \"on\"");
        assert!(unknown.is_err());
    }

    #[test]
    fn tls_modes_parse() {
        assert_eq!("disable".parse::<TlsMode>().unwrap(), TlsMode::Disable);
        assert_eq!("require".parse::<TlsMode>().unwrap(), TlsMode::Require);
        assert!("verify-full".parse::<TlsMode>().is_err());
        let mut config = PostgresConfig::new("db.example", 5432, "app", "postgres");
        config.tls = TlsMode::Require;
        assert!(PostgresTarget::new(config).is_ok());
    }
}
