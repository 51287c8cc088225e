//! Real release brokers for the benchmark: the configuration they serve, the process, what
//! /proc says about it, and the `pamctl` CLI pointed at it.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, anyhow, bail};
use tempfile::TempDir;

/// Every benchmark account signs in with this password.
pub const PASSWORD: &str = "bench-password";
pub const ADMIN: &str = "bench-admin";
/// Requesters: the sessions are spread over them evenly, so each owns 1/USERS of them.
pub const USERS: usize = 50;
pub const HOSTS: usize = 20;
pub const DATABASES: usize = 5;
/// No actions: what is measured is the broker, not the programs it would start.
pub const SHELL: &str = "Shell Access";
pub const DATABASE: &str = "Database Access";
/// A post-session action that does nothing (`true`): the expiry figure's sessions end through
/// a real action run.
pub const EXPIRY: &str = "Expiry Check";

const START_TIMEOUT: Duration = Duration::from_secs(120);

pub fn user_name(index: usize) -> String {
    format!("u{:03}", index % USERS)
}

pub fn host_name(index: usize) -> String {
    format!("host{:02}", index % HOSTS + 1)
}

pub fn database_name(index: usize) -> String {
    format!("pg{:02}", index % DATABASES + 1)
}

/// The release `pamctl` this benchmark drives, and what every broker it starts shares.
pub struct Setup {
    pub binary: PathBuf,
    password_hash: String,
    /// Whether this build knows the per-user caps of issue 8, so the configuration can turn
    /// them off (None: not tried yet).
    caps_known: Option<bool>,
}

impl Setup {
    pub fn new(binary: PathBuf) -> Result<Self> {
        let password_hash = hash_secret(&binary, PASSWORD)?;
        Ok(Self {
            binary,
            password_hash,
            caps_known: None,
        })
    }

    /// What the configuration says about the per-user caps, for the report.
    pub fn caps_note(&self) -> &'static str {
        match self.caps_known {
            Some(true) => {
                "per-user caps off for the benchmark (max_open_sessions_per_user = 0, max_pending_requests_per_user = 0)"
            }
            Some(false) => "this pamctl has no per-user caps yet; nothing to turn off",
            None => "no broker started",
        }
    }

    /// Starts a broker on a free loopback port with a fresh data directory. Its first start
    /// also finds out whether the build knows the caps settings: an older one refuses them as
    /// unknown keys, and the broker is then started without them.
    pub fn start(&mut self, label: &str) -> Result<Broker> {
        self.start_on(label, None)
    }

    /// Starts a broker as `start` does, on the database at `database` (a PostgreSQL URL)
    /// instead of SQLite in its data directory when one is given.
    pub fn start_on(&mut self, label: &str, database: Option<&str>) -> Result<Broker> {
        let with_caps = self.caps_known != Some(false);
        match Broker::start(self, label, with_caps, database) {
            Ok(broker) => {
                self.caps_known = Some(with_caps);
                Ok(broker)
            }
            Err(StartError::Refused(stderr))
                if with_caps
                    && self.caps_known.is_none()
                    && stderr.contains("max_open_sessions_per_user") =>
            {
                self.caps_known = Some(false);
                Broker::start(self, label, false, database).map_err(StartError::into_anyhow)
            }
            Err(error) => Err(error.into_anyhow()),
        }
    }

    fn config(&self, with_caps: bool) -> String {
        let hash = &self.password_hash;
        let mut config = String::from("[server]\ntoken_ttl = \"8h\"\n");
        if with_caps {
            config.push_str("max_open_sessions_per_user = 0\nmax_pending_requests_per_user = 0\n");
        }
        let _ = write!(
            config,
            "\n[[users]]\nname = \"{ADMIN}\"\nrole = \"Admin\"\npassword_hash = \"{hash}\"\n"
        );
        for index in 0..USERS {
            let _ = write!(
                config,
                "\n[[users]]\nname = \"{}\"\ndisplay_name = \"Bench User {index:03}\"\nrole = \"User\"\npassword_hash = \"{hash}\"\n",
                user_name(index)
            );
        }
        let _ = write!(
            config,
            "\n[[activities]]\nname = \"{SHELL}\"\nplatform = \"Linux\"\n\
             \n[[activities]]\nname = \"{DATABASE}\"\nplatform = \"PostgreSQL\"\n\
             \n[[activities]]\nname = \"{EXPIRY}\"\nplatform = \"Linux\"\n\
             [[activities.post_session]]\ntype = \"command\"\nprogram = \"true\"\n"
        );
        let hosts: Vec<String> = (0..HOSTS).map(host_name).collect();
        let databases: Vec<String> = (0..DATABASES).map(database_name).collect();
        for host in &hosts {
            let _ = write!(
                config,
                "\n[[resources]]\nname = \"{host}\"\ndisplay_name = \"{host}.bench.internal\"\nplatform = \"Linux\"\n"
            );
        }
        for database in &databases {
            let _ = write!(
                config,
                "\n[[resources]]\nname = \"{database}\"\ndisplay_name = \"{database}.bench.internal\"\nplatform = \"PostgreSQL\"\n"
            );
        }
        let users: Vec<String> = (0..USERS).map(user_name).collect();
        let list = |names: &[String]| {
            let quoted: Vec<String> = names.iter().map(|name| format!("\"{name}\"")).collect();
            format!("[{}]", quoted.join(", "))
        };
        let _ = write!(
            config,
            "\n[[policies]]\nname = \"Bench Hosts\"\nusers = {users}\nactivities = [\"{SHELL}\"]\nresources = {hosts}\n\
             max_duration = \"168h\"\nextension = {{ max_count = 1000, max_each = \"60m\" }}\n\
             \n[[policies]]\nname = \"Bench Databases\"\nusers = {users}\nactivities = [\"{DATABASE}\"]\nresources = {databases}\n\
             max_duration = \"168h\"\n\
             \n[[policies]]\nname = \"Bench Expiry\"\nusers = {users}\nactivities = [\"{EXPIRY}\"]\nresources = {hosts}\n\
             max_duration = \"1h\"\n",
            users = list(&users),
            hosts = list(&hosts),
            databases = list(&databases),
        );
        config
    }
}

/// `printf PASSWORD | pamctl hash-secret`: the configuration then holds hashes, so a broker
/// starts without hashing 51 passwords.
fn hash_secret(binary: &Path, secret: &str) -> Result<String> {
    let mut child = Command::new(binary)
        .arg("hash-secret")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot run {}", binary.display()))?;
    child
        .stdin
        .take()
        .context("stdin")?
        .write_all(secret.as_bytes())?;
    let output = child.wait_with_output()?;
    if !output.status.success() {
        bail!(
            "pamctl hash-secret failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(String::from_utf8(output.stdout)?.trim().to_owned())
}

enum StartError {
    /// The broker exited during start-up; its stderr.
    Refused(String),
    Other(anyhow::Error),
}

impl StartError {
    fn into_anyhow(self) -> anyhow::Error {
        match self {
            StartError::Refused(stderr) => anyhow!("the broker did not start:\n{stderr}"),
            StartError::Other(error) => error,
        }
    }
}

impl From<anyhow::Error> for StartError {
    fn from(error: anyhow::Error) -> Self {
        StartError::Other(error)
    }
}

impl From<std::io::Error> for StartError {
    fn from(error: std::io::Error) -> Self {
        StartError::Other(error.into())
    }
}

/// A running `pamctl server`, killed when dropped. Its data directory, configuration and log
/// live in a temp directory that goes with it.
pub struct Broker {
    child: Child,
    pub url: String,
    pub label: String,
    dir: TempDir,
}

impl Broker {
    fn start(
        setup: &Setup,
        label: &str,
        with_caps: bool,
        database: Option<&str>,
    ) -> Result<Broker, StartError> {
        let dir = tempfile::Builder::new()
            .prefix(&format!("pamctl-bench-{label}-"))
            .tempdir()?;
        let config = dir.path().join("pamctl.toml");
        std::fs::write(&config, setup.config(with_caps))?;
        let log = std::fs::File::create(dir.path().join("broker.log"))?;
        let mut command = isolated(&setup.binary, dir.path());
        command
            .args(["server", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(dir.path().join("data"))
            .arg("--config")
            .arg(&config);
        if let Some(database) = database {
            command.arg("--database").arg(database);
        }
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .map_err(|e| anyhow!("cannot start {}: {e}", setup.binary.display()))?;
        let stdout = child.stdout.take().context("stdout")?;
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if !sent {
                    if let Some(url) = line.trim().strip_prefix("pamctl server listening on ") {
                        let _ = sender.send(url.to_owned());
                        sent = true;
                    }
                }
            }
        });
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Ok(url) = receiver.recv_timeout(Duration::from_millis(50)) {
                return Ok(Broker {
                    child,
                    url,
                    label: label.to_owned(),
                    dir,
                });
            }
            if child.try_wait()?.is_some() {
                let stderr =
                    std::fs::read_to_string(dir.path().join("broker.log")).unwrap_or_default();
                return Err(StartError::Refused(stderr));
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                return Err(anyhow!(
                    "the broker did not say it was listening within {START_TIMEOUT:?}"
                )
                .into());
            }
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn database(&self) -> PathBuf {
        self.dir.path().join("data").join("pamctl.db")
    }

    /// SIGTERM and wait: a clean stop, so its database is complete on disk.
    pub fn stop(&mut self) -> Result<()> {
        // SAFETY: kill(2) on our own child's pid.
        unsafe {
            libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.child.try_wait()?.is_none() {
            if Instant::now() > deadline {
                bail!("the {} broker ignored SIGTERM", self.label);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(())
    }

    /// Resident memory now and at its peak, in bytes (VmRSS and VmHWM of /proc/PID/status).
    pub fn memory(&self) -> Result<(u64, u64)> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))?;
        let field = |name: &str| -> Result<u64> {
            let line = status
                .lines()
                .find(|line| line.starts_with(name))
                .ok_or_else(|| anyhow!("no {name} in /proc/PID/status"))?;
            let kb: u64 = line
                .trim_start_matches(name)
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse()?;
            Ok(kb * 1024)
        };
        Ok((field("VmRSS:")?, field("VmHWM:")?))
    }

    /// CPU time the broker has used so far, user and system, over all its threads.
    pub fn cpu_time(&self) -> Result<Duration> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid()))?;
        // The command name may hold spaces; the fields after it do not. utime and stime are
        // fields 14 and 15, so the 12th and 13th after the name.
        let after_name = stat
            .rsplit_once(')')
            .map(|(_, rest)| rest)
            .ok_or_else(|| anyhow!("unexpected /proc/PID/stat"))?;
        let fields: Vec<&str> = after_name.split_whitespace().collect();
        let ticks: u64 = fields[11].parse::<u64>()? + fields[12].parse::<u64>()?;
        // SAFETY: sysconf only reads a system constant.
        let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
        Ok(Duration::from_secs_f64(ticks as f64 / per_second as f64))
    }

    /// The `pamctl` CLI with a home of its own, signed in to this broker as the admin.
    pub fn cli(&self, setup: &Setup) -> Result<Cli> {
        let home = self.dir.path().join("cli");
        std::fs::create_dir_all(&home)?;
        let cli = Cli {
            binary: setup.binary.clone(),
            home,
        };
        let mut login = cli
            .command()
            .args([
                "login",
                "--server",
                &self.url,
                "--user",
                ADMIN,
                "--password-stdin",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()?;
        login
            .stdin
            .take()
            .context("stdin")?
            .write_all(PASSWORD.as_bytes())?;
        let output = login.wait_with_output()?;
        if !output.status.success() {
            bail!(
                "pamctl login failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Ok(cli)
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::env::var_os("PAMCTL_BENCH_KEEP").is_some_and(|v| !v.is_empty() && v != "0") {
            let dir = std::mem::replace(&mut self.dir, TempDir::new().expect("a temp dir"));
            crate::progress(&format!(
                "kept the {} broker's data, configuration and log in {}",
                self.label,
                dir.keep().display()
            ));
        }
    }
}

/// `pamctl` with HOME and the XDG directories under `home`, and none of the developer's own
/// PAMCTL_* settings.
fn isolated(binary: &Path, home: &Path) -> Command {
    let mut command = Command::new(binary);
    command
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("xdg-data"))
        .env("NO_COLOR", "1");
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("PAMCTL_") || name == "RUST_LOG" {
            command.env_remove(name);
        }
    }
    command
}

pub struct Cli {
    binary: PathBuf,
    home: PathBuf,
}

impl Cli {
    pub fn command(&self) -> Command {
        isolated(&self.binary, &self.home)
    }
}
