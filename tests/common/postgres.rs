//! A throwaway PostgreSQL cluster for the tests: `initdb` and `pg_ctl` from the machine's
//! PostgreSQL, one cluster per test process (started by the first test that asks), each test
//! in a database of its own. The cluster listens on 127.0.0.1 on a free port and on a Unix
//! socket in its temp dir, trusts local connections except one role that signs in with a
//! password (SCRAM), and is stopped when the process exits.
//!
//! `PAMCTL_TEST_DATABASE_URL=postgres://…` uses that server instead (each test still gets a
//! database of its own). Without PostgreSQL on the machine the tests that need it say so
//! loudly and skip, unless `PAMCTL_REQUIRE_POSTGRES` is set (CI sets it): then they fail.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use sqlx::Connection;

/// The role that must sign in with a password.
pub const SCRAM_ROLE: &str = "pamctl_scram";

pub struct Cluster {
    pub port: u16,
    dir: PathBuf,
    bin: PathBuf,
    /// Running as root: the cluster's commands run as the `postgres` user.
    as_user: Option<String>,
}

static CLUSTER: OnceLock<Option<Cluster>> = OnceLock::new();

/// The URL of a superuser on the server the tests use, or `None` (said loudly) when there is
/// none and none is required.
pub fn admin_url() -> Option<String> {
    if let Ok(url) = std::env::var("PAMCTL_TEST_DATABASE_URL") {
        return Some(url);
    }
    cluster().map(|cluster| cluster.url("postgres", "postgres"))
}

/// A new empty database on the test server, as a URL for `user` (the superuser when `None`).
pub async fn fresh_database() -> Option<String> {
    let admin = admin_url()?;
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    let mut connection = sqlx::PgConnection::connect(&admin)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to the test PostgreSQL: {e}"));
    sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
        .execute(&mut connection)
        .await
        .expect("create a test database");
    connection.close().await.ok();
    Some(with_database(&admin, &name))
}

/// Creates the password role (once) with `password`, owner of a new database; returns that
/// database's URL without the password.
pub async fn scram_database(password: &str) -> Option<String> {
    let admin = admin_url()?;
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    // Tests run in parallel: one at a time creates the role or sets its password.
    static ROLE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _role = ROLE.lock().await;
    let mut connection = sqlx::PgConnection::connect(&admin)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to the test PostgreSQL: {e}"));
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)")
            .bind(SCRAM_ROLE)
            .fetch_one(&mut connection)
            .await
            .expect("look up the password role");
    let verb = if exists { "ALTER" } else { "CREATE" };
    sqlx::raw_sql(&format!(
        "SET password_encryption = 'scram-sha-256';
         {verb} ROLE {SCRAM_ROLE} LOGIN PASSWORD '{}'",
        password.replace('\'', "''")
    ))
    .execute(&mut connection)
    .await
    .expect("create the password role");
    sqlx::raw_sql(&format!("CREATE DATABASE {name} OWNER {SCRAM_ROLE}"))
        .execute(&mut connection)
        .await
        .expect("create a test database");
    connection.close().await.ok();
    let url = with_database(&admin, &name);
    let host = &url[url
        .rfind('@')
        .map_or(url.find("://").unwrap_or(0) + 3, |at| at + 1)..];
    Some(format!("postgres://{SCRAM_ROLE}@{host}"))
}

/// `url` naming database `name` instead of its own.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let base = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}

fn cluster() -> Option<&'static Cluster> {
    CLUSTER
        .get_or_init(|| {
            let Some(bin) = find_binaries() else {
                let message = "PostgreSQL (initdb, pg_ctl) is not installed: the PostgreSQL \
                    half of these tests is SKIPPED. Install it (apt-get install postgresql) or \
                    set PAMCTL_TEST_DATABASE_URL=postgres://…";
                if std::env::var_os("PAMCTL_REQUIRE_POSTGRES").is_some() {
                    panic!("{message} (PAMCTL_REQUIRE_POSTGRES is set)");
                }
                eprintln!("\n!!!!! {message} !!!!!\n");
                return None;
            };
            let cluster = Cluster::start(bin);
            // SAFETY: registers a plain `extern "C"` function that takes no arguments.
            unsafe {
                libc::atexit(stop_cluster);
            }
            Some(cluster)
        })
        .as_ref()
}

extern "C" fn stop_cluster() {
    if let Some(Some(cluster)) = CLUSTER.get() {
        cluster.stop();
    }
}

/// The newest `/usr/lib/postgresql/*/bin` with `initdb`, else `initdb` on the PATH.
fn find_binaries() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .find(|dir| dir.join("initdb").exists() && dir.join("pg_ctl").exists())
    })
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}

impl Cluster {
    fn start(bin: PathBuf) -> Cluster {
        let as_user = (unsafe { libc::geteuid() } == 0).then(|| "postgres".to_owned());
        let dir = tempfile::Builder::new()
            .prefix("pamctl-pg-")
            .tempdir()
            .expect("temp dir for PostgreSQL")
            .keep();
        if let Some(user) = &as_user {
            give_to(&dir, user);
        }
        let mut cluster = Cluster {
            port: 0,
            dir,
            bin,
            as_user,
        };
        let data = cluster.data_dir();
        cluster.run(
            "initdb",
            &[
                "-D",
                path_str(&data),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-locale",
                "--no-sync",
            ],
        );
        // Everyone is trusted on this throwaway cluster, except the role whose tests prove
        // that a password (from a file or the environment) reaches the server.
        let hba = format!(
            "local all all trust\n\
             host all {SCRAM_ROLE} 127.0.0.1/32 scram-sha-256\n\
             host all all 127.0.0.1/32 trust\n"
        );
        std::fs::write(data.join("pg_hba.conf"), hba).expect("write pg_hba.conf");
        for attempt in 1..=5 {
            cluster.port = free_port();
            let options = format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
                 -c full_page_writes=off -c max_connections=300",
                cluster.port,
                path_str(&cluster.dir)
            );
            let log = cluster.dir.join("postgres.log");
            let started = cluster.try_run(
                "pg_ctl",
                &[
                    "-D",
                    path_str(&data),
                    "-l",
                    path_str(&log),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    &options,
                    "start",
                ],
            );
            match started {
                Ok(()) => return cluster,
                Err(error) if attempt < 5 => {
                    eprintln!(
                        "PostgreSQL did not start on port {} ({error}); retrying",
                        cluster.port
                    );
                    std::thread::sleep(Duration::from_millis(200));
                }
                Err(error) => {
                    let log = std::fs::read_to_string(&log).unwrap_or_default();
                    panic!("PostgreSQL did not start: {error}\n{log}");
                }
            }
        }
        unreachable!("the loop returns or panics")
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.join("data")
    }

    pub fn url(&self, user: &str, database: &str) -> String {
        format!("postgres://{user}@127.0.0.1:{}/{database}", self.port)
    }

    fn command(&self, program: &str) -> Command {
        let program = self.bin.join(program);
        match &self.as_user {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--"]).arg(program);
                command
            }
            None => Command::new(program),
        }
    }

    fn try_run(&self, program: &str, args: &[&str]) -> Result<(), String> {
        let output = self
            .command(program)
            .args(args)
            .current_dir(&self.dir)
            .output()
            .map_err(|e| format!("cannot run {program}: {e}"))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{program} failed ({}): {}{}",
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ))
        }
    }

    fn run(&self, program: &str, args: &[&str]) {
        if let Err(error) = self.try_run(program, args) {
            panic!("{error}");
        }
    }

    fn stop(&self) {
        let data = self.data_dir();
        let _ = self
            .command("pg_ctl")
            .args(["-D", path_str(&data), "-m", "immediate", "-w", "stop"])
            .current_dir(&self.dir)
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 temp path")
}

/// Hands a directory to `user`, whose processes must write in it.
fn give_to(dir: &Path, user: &str) {
    let name = std::ffi::CString::new(user).expect("a user name");
    // SAFETY: getpwnam reads the user database; the pointer is checked and read at once.
    let (uid, gid) = unsafe {
        let entry = libc::getpwnam(name.as_ptr());
        assert!(
            !entry.is_null(),
            "running as root, PostgreSQL must run as the user '{user}', which does not exist"
        );
        ((*entry).pw_uid, (*entry).pw_gid)
    };
    std::os::unix::fs::chown(dir, Some(uid), Some(gid)).expect("chown the PostgreSQL dir");
}
