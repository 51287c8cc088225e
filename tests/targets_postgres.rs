//! PostgreSQL as a target, against a real throwaway cluster: a session's role is made with
//! its access and its password, used, locked, unlocked, revoked, and every step can be taken
//! twice. No password shows in any error or `Debug` output.
//!
//! The harness's cluster trusts every local login, which would let any password in; so this
//! test process's cluster is told (once) to ask pamctl's roles for their SCRAM password, and
//! a wrong password is refused as it would be on a real server.

mod common;

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use common::postgres::{fresh_database, scram_database};
use pamctl::targets::postgres::{DEFAULT_MARKER_ROLE, PostgresConfig, PostgresTarget};
use pamctl::targets::{
    Grant, Password, Provisioned, Revoked, SecretSource, StatementLimits, Target, TargetError,
};
use postgres_protocol::escape::{escape_identifier, escape_literal};
use tokio::sync::OnceCell;
use tokio_postgres::{Client, Config, NoTls};
use uuid::Uuid;

/// One test's database, a target on it, and a superuser connection to look behind its back.
struct Fixture {
    target: PostgresTarget,
    admin: Client,
    config: Config,
    /// Whether the server checks pamctl roles' passwords (always on the harness's cluster).
    passwords_checked: bool,
}

impl Fixture {
    /// A fresh database, or `None` (said loudly by the harness) without PostgreSQL.
    async fn new() -> Option<Fixture> {
        let url = fresh_database().await?;
        let config = Config::from_str(&url).expect("the harness gives a valid URL");
        let admin = connect(&config).await.expect("connect as the superuser");
        let passwords_checked = passwords_checked(&admin, &config).await;
        let tokio_postgres::config::Host::Tcp(host) = &config.get_hosts()[0] else {
            panic!("the harness gives a TCP host");
        };
        let target = PostgresTarget::new(PostgresConfig::new(
            host,
            config.get_ports()[0],
            config.get_dbname().expect("a database"),
            config.get_user().expect("a user"),
        ))
        .expect("a valid target configuration");
        Some(Fixture {
            target,
            admin,
            config,
            passwords_checked,
        })
    }

    /// A new NOLOGIN access role that may read and write in this database's public schema.
    async fn access_role(&self) -> String {
        let name = format!("app_rw_{}", &Uuid::new_v4().simple().to_string()[..12]);
        self.admin
            .batch_execute(&format!(
                "CREATE ROLE {0} NOLOGIN; GRANT CREATE, USAGE ON SCHEMA public TO {0}",
                escape_identifier(&name)
            ))
            .await
            .expect("create an access role");
        name
    }

    async fn provision(&self, access: &[String]) -> (Grant, Provisioned) {
        let grant = grant(access);
        let provisioned = self
            .target
            .provision(&grant)
            .await
            .expect("provision the session's role");
        (grant, provisioned)
    }

    /// Signs in as `role`, as the session's user would with psql.
    async fn login(
        &self,
        role: &str,
        password: &Password,
    ) -> Result<Client, tokio_postgres::Error> {
        let mut config = self.config.clone();
        config.user(role).password(password.expose());
        connect(&config).await
    }

    async fn role(&self, role: &str) -> Option<RoleFacts> {
        let row = self
            .admin
            .query_opt(
                "SELECT rolcanlogin, rolconnlimit, rolvaliduntil,
                        ARRAY(SELECT g.rolname::text FROM pg_auth_members m
                              JOIN pg_roles g ON g.oid = m.roleid
                              WHERE m.member = r.oid ORDER BY 1),
                        shobj_description(r.oid, 'pg_authid')
                 FROM pg_roles r WHERE rolname = $1",
                &[&role],
            )
            .await
            .expect("read pg_roles")?;
        Some(RoleFacts {
            can_login: row.get(0),
            connection_limit: row.get(1),
            valid_until: row.get(2),
            member_of: row.get(3),
            comment: row.get(4),
        })
    }
}

#[derive(Debug)]
struct RoleFacts {
    can_login: bool,
    connection_limit: i32,
    valid_until: Option<DateTime<Utc>>,
    member_of: Vec<String>,
    comment: Option<String>,
}

fn grant(access: &[String]) -> Grant {
    Grant {
        session_id: Uuid::new_v4(),
        ends_at: Utc::now() + chrono::Duration::hours(1),
        connection_limit: Some(3),
        access_roles: access.to_vec(),
    }
}

async fn connect(config: &Config) -> Result<Client, tokio_postgres::Error> {
    let (client, connection) = config.connect(NoTls).await?;
    tokio::spawn(connection);
    Ok(client)
}

/// Whether an open connection still answers.
async fn alive(client: &Client) -> bool {
    client.simple_query("SELECT 1").await.is_ok()
}

/// Makes this process's throwaway cluster ask members of the marker role for their password
/// (SCRAM), once, before any test relies on it. A server named by PAMCTL_TEST_DATABASE_URL is
/// not ours to reconfigure: there, a wrong password is only checked when the server does.
async fn passwords_checked(admin: &Client, config: &Config) -> bool {
    static CHECKED: OnceCell<bool> = OnceCell::const_new();
    *CHECKED
        .get_or_init(|| async {
            if std::env::var_os("PAMCTL_TEST_DATABASE_URL").is_some() {
                return false;
            }
            let line = format!("host all +{DEFAULT_MARKER_ROLE} 127.0.0.1/32 scram-sha-256");
            let row = admin
                .query_one(
                    "SELECT current_setting('hba_file'), pg_read_file(current_setting('hba_file'))",
                    &[],
                )
                .await
                .expect("read pg_hba.conf");
            let (path, hba): (String, String) = (row.get(0), row.get(1));
            if !hba.contains(&line) {
                let content = format!("{line}\n{hba}");
                // COPY writes one text row per line; the harness's file has no tab or
                // backslash for its text format to escape.
                admin
                    .batch_execute(&format!(
                        "CREATE ROLE {marker} NOLOGIN;",
                        marker = escape_identifier(DEFAULT_MARKER_ROLE)
                    ))
                    .await
                    .ok();
                admin
                    .batch_execute(&format!(
                        "COPY (SELECT unnest(string_to_array(rtrim({}, E'\\n'), E'\\n'))) TO {};
                         SELECT pg_reload_conf();",
                        escape_literal(&content),
                        escape_literal(&path)
                    ))
                    .await
                    .expect("rewrite pg_hba.conf");
            }
            // The reload is asynchronous: wait until a marked role's wrong password is refused.
            let probe = format!("pamctl_probe_{}", &Uuid::new_v4().simple().to_string()[..8]);
            admin
                .batch_execute(&format!(
                    "CREATE ROLE {probe} LOGIN PASSWORD 'right-password' IN ROLE {}",
                    escape_identifier(DEFAULT_MARKER_ROLE)
                ))
                .await
                .expect("create the probe role");
            let mut probe_config = config.clone();
            probe_config.user(&probe).password("wrong-password");
            let mut refused = false;
            for _ in 0..100 {
                if connect(&probe_config).await.is_err() {
                    refused = true;
                    break;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            admin
                .batch_execute(&format!("DROP ROLE {probe}"))
                .await
                .expect("drop the probe role");
            assert!(refused, "the cluster never started asking for passwords");
            true
        })
        .await
}

/// Everything a user or an operator could see of a step's outcome.
fn printed<T: std::fmt::Debug, E: std::fmt::Debug + std::fmt::Display>(
    result: &Result<T, E>,
) -> String {
    match result {
        Ok(value) => format!("{value:?}"),
        Err(error) => format!("{error:?} {error}"),
    }
}

#[tokio::test]
async fn a_session_role_has_its_access_while_provisioned_and_is_gone_after_revoke() {
    let Some(db) = Fixture::new().await else {
        return;
    };
    let access = db.access_role().await;
    let (grant, provisioned) = db.provision(std::slice::from_ref(&access)).await;
    assert_eq!(provisioned.role, db.target.role_name(grant.session_id));
    assert!(provisioned.role.starts_with("pamctl_"));

    let facts = db.role(&provisioned.role).await.expect("the role exists");
    assert!(facts.can_login);
    assert_eq!(facts.connection_limit, 3);
    let mut expected = vec![access.clone(), DEFAULT_MARKER_ROLE.to_owned()];
    expected.sort();
    assert_eq!(facts.member_of, expected);
    assert_eq!(
        facts.comment.as_deref(),
        Some(format!("pamctl session {}", grant.session_id).as_str())
    );
    let margin = facts.valid_until.expect("an expiry") - grant.ends_at;
    assert!(
        (chrono::Duration::minutes(14)..=chrono::Duration::minutes(16)).contains(&margin),
        "VALID UNTIL is the end plus the margin: {margin}"
    );

    // The user signs in with the password; the broker sees the login.
    let session = db
        .login(&provisioned.role, &provisioned.password)
        .await
        .expect("the password works while provisioned");
    if db.passwords_checked {
        assert!(
            db.login(&provisioned.role, &Password::new("not-the-password"))
                .await
                .is_err()
        );
    }
    let state = db.target.logged_in(&provisioned.role).await.unwrap();
    assert_eq!(state.connections, 1);
    assert!(state.logged_in());
    assert!(state.first_login.is_some());

    // The end: the open connection is cut, the role is gone, the password works no more.
    assert_eq!(
        db.target.revoke(&provisioned.role).await.unwrap(),
        Revoked::Dropped
    );
    assert!(!alive(&session).await, "revoke ends open connections");
    assert!(db.role(&provisioned.role).await.is_none());
    assert!(
        db.login(&provisioned.role, &provisioned.password)
            .await
            .is_err()
    );
    let state = db.target.logged_in(&provisioned.role).await.unwrap();
    assert!(!state.logged_in());
    assert_eq!(state.first_login, None);

    // A retry of the revocation finds nothing to do.
    assert_eq!(
        db.target.revoke(&provisioned.role).await.unwrap(),
        Revoked::AlreadyGone
    );
    assert!(
        !db.target
            .managed_roles()
            .await
            .unwrap()
            .contains(&provisioned.role)
    );
}

#[tokio::test]
async fn lock_ends_connections_and_refuses_logins_until_unlock() {
    let Some(db) = Fixture::new().await else {
        return;
    };
    let access = db.access_role().await;
    let (_, provisioned) = db.provision(&[access]).await;
    let role = &provisioned.role;
    let session = db.login(role, &provisioned.password).await.unwrap();

    db.target.lock(role).await.unwrap();
    db.target.lock(role).await.expect("locking twice is fine");
    assert!(!alive(&session).await, "lock ends open connections");
    assert!(!db.role(role).await.unwrap().can_login);
    assert!(db.login(role, &provisioned.password).await.is_err());

    db.target.unlock(role).await.unwrap();
    db.target
        .unlock(role)
        .await
        .expect("unlocking twice is fine");
    let again = db.login(role, &provisioned.password).await;
    assert!(again.is_ok(), "the password works again after unlock");

    db.target.revoke(role).await.unwrap();
    db.target
        .lock(role)
        .await
        .expect("a role that is gone is locked already");
    assert!(matches!(
        db.target.unlock(role).await,
        Err(TargetError::NoSuchRole { .. })
    ));
}

#[tokio::test]
async fn provisioning_and_extending_twice_keep_one_role_with_the_last_password() {
    let Some(db) = Fixture::new().await else {
        return;
    };
    let access = db.access_role().await;
    let grant = grant(std::slice::from_ref(&access));
    let first = db.target.provision(&grant).await.unwrap();
    let second = db.target.provision(&grant).await.unwrap();
    assert_eq!(first.role, second.role);
    assert_ne!(first.password.expose(), second.password.expose());
    db.login(&second.role, &second.password)
        .await
        .expect("the last password works");
    if db.passwords_checked {
        assert!(db.login(&first.role, &first.password).await.is_err());
    }
    let facts = db.role(&second.role).await.unwrap();
    assert_eq!(facts.member_of.len(), 2, "{facts:?}");

    let later = grant.ends_at + chrono::Duration::hours(2);
    db.target.extend(&second.role, later).await.unwrap();
    db.target.extend(&second.role, later).await.unwrap();
    let until = db.role(&second.role).await.unwrap().valid_until.unwrap();
    assert_eq!(
        until.timestamp(),
        (later + chrono::Duration::minutes(15)).timestamp()
    );

    db.target.revoke(&second.role).await.unwrap();
    assert!(matches!(
        db.target.extend(&second.role, later).await,
        Err(TargetError::NoSuchRole { .. })
    ));
}

#[tokio::test]
async fn a_statement_runs_as_the_session_role_within_its_limits() {
    let Some(db) = Fixture::new().await else {
        return;
    };
    let access = db.access_role().await;
    let (_, provisioned) = db.provision(&[access]).await;
    let (role, password) = (&provisioned.role, &provisioned.password);
    let limits = StatementLimits {
        timeout: Duration::from_secs(10),
        max_rows: 5,
    };

    let result = db
        .target
        .run_statement(
            role,
            password,
            "SELECT current_user AS who, 42 AS answer",
            &limits,
        )
        .await
        .unwrap();
    assert_eq!(result.error, None);
    assert_eq!(result.columns, ["who", "answer"]);
    assert_eq!(result.rows, [[Some(role.clone()), Some("42".to_owned())]]);

    let result = db
        .target
        .run_statement(
            role,
            password,
            "CREATE TABLE notes (n int); INSERT INTO notes SELECT generate_series(1, 12); \
             SELECT n, NULL AS nothing FROM notes ORDER BY n",
            &limits,
        )
        .await
        .unwrap();
    assert_eq!(result.error, None);
    assert_eq!(result.rows.len(), 5, "the row cap holds");
    assert_eq!(result.total_rows, 12);
    assert!(result.truncated());
    assert_eq!(result.rows[0], [Some("1".to_owned()), None]);
    assert_eq!(result.rows_affected, Some(12));

    let result = db
        .target
        .run_statement(role, password, "DELETE FROM notes WHERE n > 2", &limits)
        .await
        .unwrap();
    assert_eq!(result.rows_affected, Some(10));
    assert!(result.columns.is_empty());

    let quick = StatementLimits {
        timeout: Duration::from_millis(300),
        max_rows: 5,
    };
    let result = db
        .target
        .run_statement(role, password, "SELECT pg_sleep(30)", &quick)
        .await
        .unwrap();
    let error = result.error.expect("the statement timeout ends it");
    assert!(error.contains("statement timeout"), "{error}");
    assert!(result.duration < Duration::from_secs(10));

    let result = db
        .target
        .run_statement(role, password, "SELECT * FROM no_such_table", &limits)
        .await
        .unwrap();
    assert!(result.error.unwrap().contains("no_such_table"));

    let refused = db
        .target
        .run_statement(
            role,
            &Password::new("wrong-wrong-wrong"),
            "SELECT 1",
            &limits,
        )
        .await;
    if db.passwords_checked {
        assert!(matches!(refused, Err(TargetError::Connect { .. })));
    }
    // The table belongs to the role now; dropping it lets the role go.
    db.admin.batch_execute("DROP TABLE notes").await.unwrap();
    db.target.revoke(role).await.unwrap();
}

#[tokio::test]
async fn a_role_that_owns_a_table_stays_locked_and_is_reported() {
    let Some(db) = Fixture::new().await else {
        return;
    };
    let access = db.access_role().await;
    let (_, provisioned) = db.provision(std::slice::from_ref(&access)).await;
    let role = &provisioned.role;
    let result = db
        .target
        .run_statement(
            role,
            &provisioned.password,
            "CREATE TABLE left_behind (n int)",
            &StatementLimits::default(),
        )
        .await
        .unwrap();
    assert_eq!(result.error, None);

    for attempt in 1..=2 {
        match db.target.revoke(role).await {
            Err(TargetError::OwnsObjects {
                role: named,
                detail,
            }) => {
                assert_eq!(&named, role);
                assert!(
                    detail.contains("left_behind"),
                    "attempt {attempt}: {detail}"
                );
            }
            other => panic!("attempt {attempt}: expected OwnsObjects, got {other:?}"),
        }
        let facts = db.role(role).await.expect("the role is still there");
        assert!(!facts.can_login, "left NOLOGIN");
        assert_eq!(
            facts.member_of,
            [DEFAULT_MARKER_ROLE],
            "stripped of its access, still marked"
        );
        assert!(db.target.managed_roles().await.unwrap().contains(role));
        assert!(db.login(role, &provisioned.password).await.is_err());
    }

    // Once an administrator deals with the table, the revocation goes through.
    db.admin
        .batch_execute("DROP TABLE left_behind")
        .await
        .unwrap();
    assert_eq!(db.target.revoke(role).await.unwrap(), Revoked::Dropped);
}

#[tokio::test]
async fn the_reconciler_sees_orphans_and_pamctl_never_touches_other_roles() {
    let Some(db) = Fixture::new().await else {
        return;
    };
    let (_, orphan) = db.provision(&[]).await;
    assert!(
        db.target
            .managed_roles()
            .await
            .unwrap()
            .contains(&orphan.role)
    );

    // A role of someone else's, named as a session's role would be.
    let session_id = Uuid::new_v4();
    let foreign = db.target.role_name(session_id);
    db.admin
        .batch_execute(&format!(
            "CREATE ROLE {} LOGIN",
            escape_identifier(&foreign)
        ))
        .await
        .unwrap();
    assert!(!db.target.managed_roles().await.unwrap().contains(&foreign));
    let not_ours = |result: Result<(), TargetError>| {
        assert!(
            matches!(result, Err(TargetError::NotManaged { .. })),
            "{result:?}"
        )
    };
    not_ours(db.target.lock(&foreign).await);
    not_ours(db.target.unlock(&foreign).await);
    not_ours(db.target.revoke(&foreign).await.map(|_| ()));
    not_ours(db.target.extend(&foreign, Utc::now()).await);
    let mut taken = grant(&[]);
    taken.session_id = session_id;
    not_ours(db.target.provision(&taken).await.map(|_| ()));
    assert!(db.role(&foreign).await.unwrap().can_login, "left alone");
    db.admin
        .batch_execute(&format!("DROP ROLE {}", escape_identifier(&foreign)))
        .await
        .unwrap();

    // Two sessions whose short ids collide never share a role.
    let (first, _) = db.provision(&[]).await;
    let mut clash = first.clone();
    let mut bytes = *first.session_id.as_bytes();
    bytes[15] ^= 0xff;
    clash.session_id = Uuid::from_bytes(bytes);
    assert!(matches!(
        db.target.provision(&clash).await,
        Err(TargetError::RoleTaken { .. })
    ));

    db.target.revoke(&orphan.role).await.unwrap();
    db.target
        .revoke(&db.target.role_name(first.session_id))
        .await
        .unwrap();
}

#[tokio::test]
async fn access_roles_must_be_nologin_roles_that_exist() {
    let Some(db) = Fixture::new().await else {
        return;
    };
    let login_role = format!("app_login_{}", &Uuid::new_v4().simple().to_string()[..8]);
    db.admin
        .batch_execute(&format!("CREATE ROLE {login_role} LOGIN"))
        .await
        .unwrap();
    for access in [
        login_role.as_str(),
        "no_such_access_role",
        DEFAULT_MARKER_ROLE,
    ] {
        let grant = grant(&[access.to_owned()]);
        let result = db.target.provision(&grant).await;
        assert!(
            matches!(&result, Err(TargetError::AccessRole { role, .. }) if role == access),
            "{access}: {result:?}"
        );
        assert!(
            db.role(&db.target.role_name(grant.session_id))
                .await
                .is_none(),
            "nothing is created when an access role is refused"
        );
    }

    // The dev seed makes the access roles its activities name.
    let seeded = format!("app_seeded_{}", &Uuid::new_v4().simple().to_string()[..8]);
    db.target.ensure_access_role(&seeded).await.unwrap();
    db.target.ensure_access_role(&seeded).await.unwrap();
    assert!(!db.role(&seeded).await.unwrap().can_login);
    let (_, provisioned) = db.provision(std::slice::from_ref(&seeded)).await;
    assert!(
        db.role(&provisioned.role)
            .await
            .unwrap()
            .member_of
            .contains(&seeded)
    );
    db.target.revoke(&provisioned.role).await.unwrap();
}

#[tokio::test]
async fn no_password_shows_in_any_error_or_debug_output() {
    let Some(db) = Fixture::new().await else {
        return;
    };
    let access = db.access_role().await;
    let (grant, provisioned) = db.provision(&[access]).await;
    let role = &provisioned.role;
    let secret = provisioned.password.expose().to_owned();
    assert!(secret.len() >= 24);

    let limits = StatementLimits::default();
    let mut seen = vec![
        format!("{provisioned:?}"),
        format!("{} {:?}", provisioned.password, provisioned.password),
        format!("{:?} {grant:?}", db.target),
        printed(&db.target.provision(&grant).await.map(|p| p.role)),
        printed(&db.target.logged_in(role).await),
        printed(
            &db.target
                .run_statement(role, &provisioned.password, "SELECT current_user", &limits)
                .await,
        ),
        printed(
            &db.target
                .run_statement(role, &provisioned.password, "SELEC broken", &limits)
                .await,
        ),
    ];
    // The latest password is the one a wrong sign-in would echo, if anything did.
    let current = db.target.provision(&grant).await.unwrap();
    let secrets = [secret, current.password.expose().to_owned()];
    seen.push(printed(
        &db.target
            .run_statement("pamctl_nobody", &current.password, "SELECT 1", &limits)
            .await,
    ));
    db.target.lock(role).await.unwrap();
    seen.push(printed(
        &db.target
            .run_statement(role, &current.password, "SELECT 1", &limits)
            .await,
    ));
    db.target.unlock(role).await.unwrap();
    seen.push(printed(&db.target.revoke(role).await));
    seen.push(printed(&db.target.unlock(role).await));
    let text = seen.join("\n");
    assert!(text.contains("Password(***)"), "{text}");
    for secret in &secrets {
        assert!(
            !text.contains(secret.as_str()),
            "a password leaked:\n{text}"
        );
    }
}

/// Writes `text` as a file in the server's data directory, owned by the server's user and
/// readable by it alone (PostgreSQL refuses a key anyone else may read), and returns its path.
async fn write_server_file(admin: &Client, name: &str, text: &str) -> String {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let row = admin
        .query_one("SELECT current_setting('data_directory')", &[])
        .await
        .expect("the data directory");
    let data = std::path::PathBuf::from(row.get::<_, String>(0));
    let owner = std::fs::metadata(&data).expect("the data directory's owner");
    let path = data.join(name);
    std::fs::write(&path, text).expect("write a file in the data directory");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::os::unix::fs::chown(&path, Some(owner.uid()), Some(owner.gid())).unwrap();
    path.to_str().expect("a UTF-8 path").to_owned()
}

#[tokio::test]
async fn a_target_over_tls_checks_the_server_certificate() {
    let Some(db) = Fixture::new().await else {
        return;
    };
    if std::env::var_os("PAMCTL_TEST_DATABASE_URL").is_some() {
        eprintln!("TLS is only tested on the harness's own cluster: SKIPPED");
        return;
    }
    // A private CA and a server certificate for 127.0.0.1 that it signs.
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let server_key = rcgen::KeyPair::generate().unwrap();
    let server = rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned()])
        .unwrap()
        .signed_by(&server_key, &ca, &ca_key)
        .unwrap();
    let cert = write_server_file(&db.admin, "pamctl_test.crt", &server.pem()).await;
    let key = write_server_file(&db.admin, "pamctl_test.key", &server_key.serialize_pem()).await;
    for setting in [
        format!("ALTER SYSTEM SET ssl_cert_file = {}", escape_literal(&cert)),
        format!("ALTER SYSTEM SET ssl_key_file = {}", escape_literal(&key)),
        "ALTER SYSTEM SET ssl = on".to_owned(),
        "SELECT pg_reload_conf()".to_owned(),
    ] {
        db.admin.batch_execute(&setting).await.expect("turn TLS on");
    }
    let ca_file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(ca_file.path(), ca.pem()).unwrap();

    let mut config = db.target.config().clone();
    config.tls = "require".parse().unwrap();
    config.ca_file = Some(ca_file.path().to_owned());
    let target = PostgresTarget::new(config.clone()).unwrap();
    // The reload is asynchronous: the server offers TLS a moment later.
    let mut ready = Err(TargetError::Config("not tried".to_owned()));
    for _ in 0..100 {
        ready = target.managed_roles().await;
        if ready.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    if let Err(error) = ready {
        // The server's log says why it did not take the certificate.
        let log: String = db
            .admin
            .query_one(
                "SELECT right(pg_read_file(current_setting('data_directory') || '/../postgres.log'), 3000)",
                &[],
            )
            .await
            .map(|row| row.get(0))
            .unwrap_or_default();
        panic!("the target does not connect over TLS: {error}\n{log}");
    }

    let provisioned = target.provision(&grant(&[])).await.unwrap();
    let row = db
        .admin
        .query_one(
            "SELECT count(*), bool_and(s.ssl) FROM pg_stat_ssl s
             JOIN pg_stat_activity a USING (pid)
             WHERE a.application_name = 'pamctl broker' AND a.datname = current_database()",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, i64>(0), 1, "one admin connection");
    assert_eq!(
        row.get::<_, Option<bool>>(1),
        Some(true),
        "and it is encrypted"
    );
    let result = target
        .run_statement(
            &provisioned.role,
            &provisioned.password,
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &StatementLimits::default(),
        )
        .await
        .unwrap();
    assert_eq!(result.rows, [[Some("t".to_owned())]], "{result:?}");
    assert_eq!(
        target.revoke(&provisioned.role).await.unwrap(),
        Revoked::Dropped
    );

    // Without the private CA, the certificate is not trusted and nothing is sent.
    config.ca_file = None;
    let untrusting = PostgresTarget::new(config).unwrap();
    let refused = untrusting.managed_roles().await;
    assert!(
        matches!(&refused, Err(TargetError::Connect { message, .. }) if message.contains("certificate")),
        "{refused:?}"
    );
}

#[tokio::test]
async fn the_admin_password_comes_from_a_file_and_never_shows() {
    const ADMIN_PASSWORD: &str = "adm1n-Secret-for-targets";
    let Some(url) = scram_database(ADMIN_PASSWORD).await else {
        return;
    };
    let config = Config::from_str(&url).expect("the harness gives a valid URL");
    let tokio_postgres::config::Host::Tcp(host) = &config.get_hosts()[0] else {
        panic!("the harness gives a TCP host");
    };
    let mut settings = PostgresConfig::new(
        host,
        config.get_ports()[0],
        config.get_dbname().expect("a database"),
        config.get_user().expect("the password role"),
    );
    let file = tempfile::NamedTempFile::new().unwrap();
    let source = SecretSource::parse(&format!("file:{}", file.path().display())).unwrap();
    settings.admin_password = Some(source);
    let mut seen = Vec::new();

    std::fs::write(file.path(), format!("{ADMIN_PASSWORD}\n")).unwrap();
    let target = PostgresTarget::new(settings.clone()).unwrap();
    let listed = target.managed_roles().await;
    assert!(
        listed.is_ok(),
        "signs in with the password from the file: {listed:?}"
    );
    seen.push(format!("{target:?}"));

    if std::env::var_os("PAMCTL_TEST_DATABASE_URL").is_none() {
        std::fs::write(file.path(), "not-the-admin-password\n").unwrap();
        let refused = PostgresTarget::new(settings.clone())
            .unwrap()
            .managed_roles()
            .await;
        assert!(
            matches!(&refused, Err(TargetError::Connect { message, .. }) if message.contains("password")),
            "{refused:?}"
        );
        seen.push(printed(&refused));
    }

    settings.admin_password = Some(SecretSource::parse("env:PAMCTL_TARGETS_TEST_UNSET").unwrap());
    let unset = PostgresTarget::new(settings).unwrap().managed_roles().await;
    assert!(matches!(&unset, Err(TargetError::Secret(_))), "{unset:?}");
    seen.push(printed(&unset));
    let text = seen.join("\n");
    assert!(
        !text.contains(ADMIN_PASSWORD),
        "the admin password leaked:\n{text}"
    );
}
