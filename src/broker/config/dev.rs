//! The dev seed of `shared/cli.md`: users, the ci-bot application, three activities with
//! visible actions, four resources and three policies.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{
    ActivityEntry, ApplicationEntry, ApprovalTierEntry, ConfigFile, ExtensionEntry, PolicyEntry,
    ResourceEntry, UserEntry,
};
use crate::broker::secret;
use crate::core::ActionSpec;

pub const DEV_PASSWORD_ENV: &str = "PAMCTL_DEV_PASSWORD";
pub const DEFAULT_DEV_PASSWORD: &str = "pamctl-dev";
pub const CI_BOT: &str = "ci-bot";
pub const DEV_ADMIN: &str = "admin";

pub fn dev_password() -> String {
    std::env::var(DEV_PASSWORD_ENV)
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| DEFAULT_DEV_PASSWORD.to_owned())
}

pub fn ci_bot_key_path(data_dir: &Path) -> PathBuf {
    data_dir.join("ci-bot.key")
}

/// The ci-bot's API key: the one already in the data dir, so that restarts keep it, or a new
/// one written there with mode 0600.
pub fn ci_bot_key(data_dir: &Path) -> std::io::Result<String> {
    let path = ci_bot_key_path(data_dir);
    match std::fs::read_to_string(&path) {
        Ok(key) if !key.trim().is_empty() => Ok(key.trim().to_owned()),
        _ => {
            let key = secret::new_api_key();
            write_private(&path, &format!("{key}\n"))?;
            Ok(key)
        }
    }
}

/// The data directory's token-signing key, made (256 random bits) on the first start.
pub fn token_signing_key(data_dir: &Path) -> std::io::Result<Vec<u8>> {
    let path = data_dir.join("token-signing.key");
    match std::fs::read_to_string(&path) {
        Ok(key) if !key.trim().is_empty() => Ok(key.trim().as_bytes().to_vec()),
        _ => {
            let key = secret::random_token();
            write_private(&path, &format!("{key}\n"))?;
            Ok(key.into_bytes())
        }
    }
}

/// The data directory's credential key (it seals session passwords), made on the first
/// start when `[server] credential_key` names none.
pub fn credential_key(data_dir: &Path) -> std::io::Result<String> {
    let path = data_dir.join("credential.key");
    match std::fs::read_to_string(&path) {
        Ok(key) if !key.trim().is_empty() => Ok(key.trim().to_owned()),
        _ => {
            let key = secret::random_token();
            write_private(&path, &format!("{key}\n"))?;
            Ok(key)
        }
    }
}

/// The variable `--dev-postgres` reads the target's admin password from, when it is set.
pub const DEV_POSTGRES_PASSWORD_ENV: &str = "PAMCTL_DEV_POSTGRES_PASSWORD";
/// The access role the dev seed's database activity grants (created when missing).
pub const DEV_ACCESS_ROLE: &str = "app_readwrite";

/// Makes the seed's db01 a real PostgreSQL target at `url` (`postgres://USER@HOST:PORT/DB`,
/// `?host=/socket/dir` for a Unix socket), and its database activity a database role.
pub fn with_postgres(seed: &mut ConfigFile, url: &str) -> Result<(), String> {
    let parsed = url::Url::parse(url).map_err(|e| format!("--dev-postgres: not a URL: {e}"))?;
    if !matches!(parsed.scheme(), "postgres" | "postgresql") {
        return Err("--dev-postgres: write postgres://USER@HOST:PORT/DATABASE".to_owned());
    }
    if parsed.password().is_some() {
        return Err(format!(
            "--dev-postgres: leave the password out of the URL; put it in ${DEV_POSTGRES_PASSWORD_ENV}"
        ));
    }
    let socket = parsed
        .query_pairs()
        .find(|(name, _)| name == "host")
        .map(|(_, value)| value.into_owned());
    let host = socket
        .or_else(|| parsed.host_str().map(str::to_owned))
        .unwrap_or_else(|| "localhost".to_owned());
    let database = parsed.path().trim_start_matches('/');
    let settings = crate::targets::postgres::PostgresSettings {
        host,
        port: parsed.port(),
        database: if database.is_empty() {
            "postgres".to_owned()
        } else {
            database.to_owned()
        },
        admin_user: if parsed.username().is_empty() {
            "postgres".to_owned()
        } else {
            parsed.username().to_owned()
        },
        admin_password: std::env::var_os(DEV_POSTGRES_PASSWORD_ENV)
            .map(|_| format!("env:{DEV_POSTGRES_PASSWORD_ENV}")),
        ..Default::default()
    };
    if let Some(db01) = seed.resources.iter_mut().find(|r| r.name == "db01") {
        db01.postgres = Some(settings);
    }
    if let Some(activity) = seed
        .activities
        .iter_mut()
        .find(|a| a.name == "Database Read Write")
    {
        activity.database_role = Some(super::DatabaseRoleEntry {
            access_roles: vec![DEV_ACCESS_ROLE.to_owned()],
            connection_limit: Some(5),
            review_statements: super::ReviewStatements::None,
        });
        // The target does the granting now; the echoes would only pretend.
        activity.pre_session.clear();
        activity.post_session.clear();
        activity.description =
            Some("a role of its own on the database, in app_readwrite".to_owned());
    }
    Ok(())
}

pub fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;

    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    options.mode(0o600);
    let mut file = options.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    file.write_all(contents.as_bytes())
}

pub fn seed(ci_bot_key: &str) -> ConfigFile {
    let password = dev_password();
    let user = |name: &str, display: &str, role: &str| UserEntry {
        name: name.to_owned(),
        display_name: Some(display.to_owned()),
        role: role.to_owned(),
        dev_password: Some(password.clone()),
        ..UserEntry::default()
    };
    // The seed's key is handed over as a hash so the plain key lives only in the key file.
    let ci_bot = ApplicationEntry {
        name: CI_BOT.to_owned(),
        display_name: Some("CI pipeline".to_owned()),
        role: "User".to_owned(),
        api_key_hash: Some(secret::hash_secret(ci_bot_key)),
        api_key_env: None,
    };
    ConfigFile {
        server: Default::default(),
        database: Default::default(),
        audit: Default::default(),
        users: vec![
            user(DEV_ADMIN, "Ada Admin", "Admin"),
            user("rita", "Rita Reviewer", "Reviewer"),
            user("ravi", "Ravi Reviewer", "Reviewer"),
            user("uma", "Uma User", "User"),
            user("ulf", "Ulf User", "User"),
        ],
        applications: vec![ci_bot],
        activities: vec![
            activity(
                "Linux Admin",
                "Linux",
                "sudo on the host for the session's duration",
                "grant: sudo for $PAMCTL_LOGIN_ACCOUNT on $PAMCTL_RESOURCE until $PAMCTL_END_UTC",
                "revoke: sudo for $PAMCTL_LOGIN_ACCOUNT on $PAMCTL_RESOURCE",
            ),
            activity(
                "Database Read Write",
                "PostgreSQL",
                "a temporary read-write role on the database",
                "grant: read-write role to $PAMCTL_LOGIN_ACCOUNT on $PAMCTL_RESOURCE until $PAMCTL_END_UTC",
                "revoke: read-write role from $PAMCTL_LOGIN_ACCOUNT on $PAMCTL_RESOURCE",
            ),
            activity(
                "Windows Local Admin",
                "Windows",
                "membership of the local Administrators group",
                "grant: local Administrators to $PAMCTL_LOGIN_ACCOUNT on $PAMCTL_RESOURCE until $PAMCTL_END_UTC",
                "revoke: local Administrators from $PAMCTL_LOGIN_ACCOUNT on $PAMCTL_RESOURCE",
            ),
        ],
        resources: vec![
            resource(
                "web01",
                "web01.dev.internal",
                "Linux",
                "10.0.0.11",
                Some(22),
                None,
            ),
            resource(
                "web02",
                "web02.dev.internal",
                "Linux",
                "10.0.0.12",
                Some(22),
                None,
            ),
            resource(
                "db01",
                "db01.dev.internal",
                "PostgreSQL",
                "10.0.0.21",
                None,
                None,
            ),
            resource(
                "win01",
                "win01.dev.internal",
                "Windows",
                "10.0.0.31",
                None,
                Some(3389),
            ),
        ],
        policies: vec![
            PolicyEntry {
                name: "Web Ops".to_owned(),
                description: Some("Linux admin on the web tier, no approval".to_owned()),
                users: names(&["uma", "ulf", CI_BOT]),
                activities: names(&["Linux Admin"]),
                resources: names(&["web01", "web02"]),
                max_duration: "4h".to_owned(),
                extension: Some(ExtensionEntry {
                    max_count: 2,
                    max_each: "60m".to_owned(),
                }),
                ..PolicyEntry::default()
            },
            PolicyEntry {
                name: "Prod Database".to_owned(),
                description: Some("read-write on the production database, one approval".to_owned()),
                users: names(&["uma", "ulf", CI_BOT]),
                activities: names(&["Database Read Write"]),
                resources: names(&["db01"]),
                max_duration: "1h".to_owned(),
                approval: vec![ApprovalTierEntry {
                    approvers: names(&["rita", "ravi"]),
                    required: Some(1),
                }],
                ..PolicyEntry::default()
            },
            PolicyEntry {
                name: "Windows Break Glass".to_owned(),
                description: Some("local admin on Windows, both reviewers approve".to_owned()),
                users: names(&["uma"]),
                activities: names(&["Windows Local Admin"]),
                resources: names(&["win01"]),
                max_duration: "30m".to_owned(),
                approval: vec![ApprovalTierEntry {
                    approvers: names(&["rita", "ravi"]),
                    required: Some(2),
                }],
                ..PolicyEntry::default()
            },
        ],
    }
}

fn names(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

fn echo(message: &str) -> ActionSpec {
    ActionSpec::Command {
        program: "sh".to_owned(),
        args: vec!["-c".to_owned(), format!("echo \"{message}\"")],
        env: BTreeMap::new(),
        secret_env: Vec::new(),
        timeout: Some(std::time::Duration::from_secs(30)),
    }
}

fn activity(
    name: &str,
    platform: &str,
    description: &str,
    grant: &str,
    revoke: &str,
) -> ActivityEntry {
    ActivityEntry {
        name: name.to_owned(),
        description: Some(description.to_owned()),
        platform: platform.to_owned(),
        activity_type: Some("Interactive".to_owned()),
        login_account: Some("Requester".to_owned()),
        login_account_name_format: None,
        pre_session: vec![echo(grant)],
        post_session: vec![echo(revoke)],
        on_lock: Vec::new(),
        on_unlock: Vec::new(),
        database_role: None,
    }
}

fn resource(
    name: &str,
    display_name: &str,
    platform: &str,
    address: &str,
    port_ssh: Option<u16>,
    port_rdp: Option<u16>,
) -> ResourceEntry {
    ResourceEntry {
        name: name.to_owned(),
        display_name: Some(display_name.to_owned()),
        platform: platform.to_owned(),
        resource_type: None,
        address: Some(address.to_owned()),
        port_ssh,
        port_rdp,
        postgres: None,
    }
}
