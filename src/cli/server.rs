//! `pamctl server`: configuration, store, broker and listener, and the dev-mode sign-in of the
//! local CLI. Also `pamctl hash-secret`, which makes the hashes its configuration holds.

use std::io::{BufRead, IsTerminal};
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use clap::{Args, ValueEnum};
use tracing_subscriber::EnvFilter;

use super::error::CliError;
use super::output::Output;
use crate::broker::config::{ConfigError, ConfigFile, dev};
use crate::broker::{Broker, BrokerError, secret};
use crate::client::profile::{Profile, ProfileFile};
use crate::core::{Clock, ManualClock, SystemClock};
use crate::server::{self, AppState, TlsFiles};
use crate::store;

const DEV_PROFILE: &str = "dev";
const TOKEN_PURGE_INTERVAL: Duration = Duration::from_secs(3600);

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  pamctl server --dev\n  pamctl server --config /etc/pamctl/pamctl.toml --listen 0.0.0.0:6500 --tls-cert cert.pem --tls-key key.pem"
)]
pub struct ServerArgs {
    /// Address to listen on (port 0 picks a free port)
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:6500")]
    pub listen: String,

    /// Where the database and dev files live (default: the XDG data dir, ~/.local/share/pamctl)
    #[arg(long, env = "PAMCTL_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Database URL: sqlite://PATH or postgres://USER@HOST:PORT/DATABASE (default: database.url
    /// in the configuration, else pamctl.db in the data dir)
    #[arg(
        long,
        env = "PAMCTL_DATABASE_URL",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub database: Option<String>,

    /// Where the PostgreSQL password is: file:PATH (its first line) or env:NAME (default:
    /// database.password in the configuration)
    #[arg(
        long,
        env = "PAMCTL_DATABASE_PASSWORD",
        hide_env_values = true,
        value_name = "SOURCE"
    )]
    pub database_password: Option<String>,

    /// Configuration file: users, applications, activities, resources, policies (see examples/pamctl.toml)
    #[arg(long, env = "PAMCTL_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Seed demo data and sign the local CLI in as admin (profile 'dev')
    #[arg(long)]
    pub dev: bool,

    /// With --dev: make db01 a real PostgreSQL target at this URL
    /// (postgres://USER@HOST:PORT/DATABASE; admin password in $PAMCTL_DEV_POSTGRES_PASSWORD)
    #[arg(
        long,
        env = "PAMCTL_DEV_POSTGRES",
        value_name = "URL",
        requires = "dev",
        hide_env_values = true
    )]
    pub dev_postgres: Option<String>,

    /// For tests: the broker's clock stands still until an admin moves it with
    /// POST /api/v1/Test/Clock
    #[arg(long, hide = true)]
    pub manual_clock: bool,

    /// Log format on stderr
    #[arg(long, value_enum, default_value = "text")]
    pub log_format: LogFormat,

    /// Serve HTTPS with this certificate chain (PEM)
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,

    /// The private key (PEM) for --tls-cert
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,

    /// Allow plain HTTP on a non-loopback address (only behind a TLS-terminating proxy)
    #[arg(long)]
    pub allow_plain_http: bool,
}

pub fn run(runtime: &tokio::runtime::Runtime, args: ServerArgs) -> Result<(), CliError> {
    return_large_allocations();
    init_tracing(args.log_format);
    runtime.block_on(serve(args))
}

/// Large allocations (each sign-in's 19 MiB argon2 buffer) get their own mappings, given back
/// to the system when freed: otherwise glibc keeps them in per-thread pools and the broker's
/// memory grows with every thread that ever verified a password.
fn return_large_allocations() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only tunes the allocator; it is called before the runtime's threads
    // allocate anything large.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1024 * 1024);
    }
}

fn init_tracing(format: LogFormat) {
    let filter = EnvFilter::try_from_env("PAMCTL_LOG")
        .or_else(|_| EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

fn config_error(error: ConfigError) -> CliError {
    CliError::usage(error.to_string())
        .hint("fix the entry; examples/pamctl.toml documents every field")
}

fn broker_error(error: BrokerError) -> CliError {
    CliError::failure(format!("cannot prepare the broker: {error}"))
}

fn listen_address(listen: &str) -> Result<SocketAddr, CliError> {
    listen
        .to_socket_addrs()
        .ok()
        .and_then(|mut addrs| addrs.next())
        .ok_or_else(|| {
            CliError::usage(format!("--listen: '{listen}' is not an address"))
                .hint("write HOST:PORT, e.g. 127.0.0.1:6500")
        })
}

fn default_data_dir() -> Result<PathBuf, CliError> {
    dirs::data_dir()
        .map(|dir| dir.join("pamctl"))
        .ok_or_else(|| CliError::usage("no data directory").hint("pass --data-dir DIR"))
}

fn create_private_dir(dir: &Path) -> Result<(), CliError> {
    #[cfg(unix)]
    let result = {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    };
    #[cfg(not(unix))]
    let result = std::fs::create_dir_all(dir);
    result.map_err(|e| {
        CliError::failure(format!(
            "cannot create the data directory {}: {e}",
            dir.display()
        ))
    })
}

/// This broker's identity in session leases, kept in the data dir: a restarted broker
/// recognises the leases it held and resumes that work at once.
/// The configuration this start-up serves: the dev seed, a file, or both merged.
fn load_config(args: &ServerArgs, data_dir: &Path) -> Result<(ConfigFile, String), CliError> {
    let mut config = ConfigFile::default();
    let mut sources = Vec::new();
    if args.dev {
        let key = dev::ci_bot_key(data_dir).map_err(|e| {
            CliError::failure(format!(
                "cannot write {}: {e}",
                dev::ci_bot_key_path(data_dir).display()
            ))
        })?;
        config = dev::seed(&key);
        if let Some(url) = &args.dev_postgres {
            dev::with_postgres(&mut config, url).map_err(CliError::usage)?;
        }
        sources.push("the dev seed".to_owned());
    }
    if let Some(path) = &args.config {
        config.merge(ConfigFile::load(path).map_err(config_error)?);
        sources.push(path.display().to_string());
    }
    if sources.is_empty() {
        return Err(CliError::usage("nothing to serve: no configuration").hint(
            "pass --config FILE (examples/pamctl.toml shows the format), or --dev for demo data",
        ));
    }
    Ok((config, sources.join(" + ")))
}

/// Everything the server writes (database, WAL, keys) holds secrets or their hashes: readable
/// by its owner only, whatever the directory's permissions.
fn keep_new_files_private() {
    #[cfg(unix)]
    // SAFETY: umask only changes this process's file-creation mask.
    unsafe {
        libc::umask(0o077);
    }
}

async fn serve(args: ServerArgs) -> Result<(), CliError> {
    keep_new_files_private();
    // Both rustls back-ends are linked (through axum-server and reqwest); pick one explicitly.
    let _ = rustls::crypto::ring::default_provider().install_default();

    let listen = listen_address(&args.listen)?;
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(TlsFiles {
            cert: cert.clone(),
            key: key.clone(),
        }),
        _ => None,
    };
    if tls.is_none() && !listen.ip().is_loopback() && !args.allow_plain_http {
        return Err(CliError::usage(format!(
            "refusing to serve plain HTTP on {listen}: passwords and tokens would cross the network unencrypted"
        ))
        .hint("pass --tls-cert and --tls-key, or --allow-plain-http when a TLS-terminating proxy sits in front"));
    }

    let data_dir = match &args.data_dir {
        Some(dir) => dir.clone(),
        None => default_data_dir()?,
    };
    create_private_dir(&data_dir)?;
    let (config, source) = load_config(&args, &data_dir)?;
    let config = config.validate(&source).map_err(config_error)?;

    // The flag, then its environment variable (both through clap), then the configuration;
    // PAMCTL_DATABASE is the variable's name before PostgreSQL came.
    let database = args
        .database
        .clone()
        .or_else(|| std::env::var("PAMCTL_DATABASE").ok())
        .or_else(|| config.file.database.url.clone());
    let password = args
        .database_password
        .clone()
        .or_else(|| config.file.database.password.clone());
    let max_connections = config.file.database.max_connections;
    let on_postgres = database.as_deref().is_some_and(store::is_postgres_url);
    if max_connections.is_some() && !on_postgres {
        tracing::warn!(
            "[database] max_connections applies to PostgreSQL only: SQLite keeps one writer and four readers"
        );
    }
    let store = store::open_with_pool(
        database.as_deref(),
        password.as_deref(),
        max_connections,
        &data_dir,
    )
    .await
    .map_err(|e| {
            let hint = match database.as_deref() {
                Some(url) if !url.starts_with("sqlite:") => {
                    "check that PostgreSQL runs there, that the user may connect, and the password (--database-password file:PATH or env:NAME)"
                }
                _ => "check that the database's directory exists and is writable by this user",
            };
            CliError::failure(format!("cannot open the database: {e}")).hint(hint)
        })?;
    if let Some(url) = database.as_deref() {
        if on_postgres {
            tracing::info!(
                database = %store::redact_url(url),
                max_connections = max_connections.unwrap_or(store::DEFAULT_DATABASE_CONNECTIONS),
                "database opened"
            );
        } else {
            tracing::info!(database = %store::redact_url(url), "database opened");
        }
    }
    let manual_clock = args
        .manual_clock
        .then(|| Arc::new(ManualClock::starting_at(chrono::Utc::now())));
    let clock: Arc<dyn Clock> = match &manual_clock {
        Some(clock) => Arc::clone(clock) as Arc<dyn Clock>,
        None => Arc::new(SystemClock),
    };
    if manual_clock.is_some() {
        tracing::warn!(
            "the broker's clock is manual (--manual-clock): time moves only through POST /api/v1/Test/Clock; never use this in production"
        );
    }
    let mut settings = config.settings.clone();
    settings.token_signing_key =
        crate::broker::config::SigningKey(dev::token_signing_key(&data_dir).map_err(|e| {
            CliError::failure(format!(
                "cannot read or create the token-signing key in {}: {e}",
                data_dir.display()
            ))
        })?);
    settings.credential_key = match &config.file.server.credential_key {
        Some(source) => {
            let text = crate::targets::SecretSource::parse(source)
                .and_then(|source| source.read())
                .map_err(|e| CliError::failure(format!("[server] credential_key: {e}")))?;
            crate::broker::config::CredentialKey::from_text(text.expose())
        }
        None => crate::broker::config::CredentialKey::from_text(
            &dev::credential_key(&data_dir).map_err(|e| {
                CliError::failure(format!(
                    "cannot read or create the credential key in {}: {e}",
                    data_dir.display()
                ))
            })?,
        ),
    };
    let broker = Arc::new(Broker::new(store, settings, clock));
    broker.apply_config(&config).await.map_err(broker_error)?;
    if args.dev && args.dev_postgres.is_some() {
        broker.ensure_access_roles().await.map_err(|e| {
            CliError::failure(format!("--dev-postgres: {e}"))
                .hint("check that PostgreSQL runs at that URL and that the user is a superuser")
        })?;
    }
    broker.register().await.map_err(broker_error)?;

    let listener = std::net::TcpListener::bind(listen).map_err(|e| {
        CliError::failure(format!("cannot listen on {listen}: {e}"))
            .hint("is another server running there? pick another address with --listen")
    })?;
    let local = listener.local_addr()?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    let host = if local.ip().is_unspecified() {
        SocketAddr::new([127, 0, 0, 1].into(), local.port())
    } else {
        local
    };
    let url = format!("{scheme}://{host}");

    if args.dev {
        let trusted_cert = tls.as_ref().map(|files| files.cert.clone());
        sign_in_local_cli(&broker, &url, trusted_cert, &data_dir).await?;
    }
    println!("pamctl server listening on {url}");
    tracing::info!(%url, instance = %broker.instance(), config = %source, data_dir = %data_dir.display(), "listening");

    let purger = Arc::clone(&broker);
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(TOKEN_PURGE_INTERVAL);
        loop {
            interval.tick().await;
            if let Err(error) = purger.purge_expired_tokens().await {
                tracing::warn!(%error, "could not delete expired tokens");
            }
        }
    });

    broker.start_scheduler();
    broker.start_access_loops();
    let state = Arc::new(AppState {
        broker: Arc::clone(&broker),
        manual_clock,
    });
    server::serve(listener, state, tls, shutdown_signal())
        .await
        .map_err(|e| CliError::failure(format!("the server stopped: {e}")))?;
    // The last answered requests' audit events, so that an offline verify sees them.
    broker.chain_audit().await;
    tracing::info!("stopped");
    Ok(())
}

/// Signs the local CLI in as the dev admin in profile `dev`; it becomes the current profile
/// only when there is none, so a real server's login is never replaced.
/// With TLS, the profile trusts the server's own certificate, which in dev is often
/// self-signed, rather than turning verification off.
async fn sign_in_local_cli(
    broker: &Broker,
    url: &str,
    trusted_cert: Option<PathBuf>,
    data_dir: &Path,
) -> Result<(), CliError> {
    let issued = broker
        .issue_token_for(dev::DEV_ADMIN)
        .await
        .map_err(broker_error)?;
    let mut profiles = ProfileFile::load()?;
    profiles.profiles.insert(
        DEV_PROFILE.to_owned(),
        Profile {
            server: url.to_owned(),
            user: Some(dev::DEV_ADMIN.to_owned()),
            token_expires: Some(issued.expires_at),
            token: Some(issued.token),
            token_obtained: Some(Utc::now()),
            insecure: false,
            ca_cert: trusted_cert.map(|cert| std::path::absolute(&cert).unwrap_or(cert)),
        },
    );
    let became_current = profiles.current.is_none();
    if became_current {
        profiles.current = Some(DEV_PROFILE.to_owned());
    }
    let path = profiles.save()?;

    let key_path = dev::ci_bot_key_path(data_dir);
    let key = std::fs::read_to_string(&key_path).unwrap_or_default();
    let password = if std::env::var(dev::DEV_PASSWORD_ENV).is_ok_and(|p| !p.is_empty()) {
        format!("from ${}", dev::DEV_PASSWORD_ENV)
    } else {
        dev::DEFAULT_DEV_PASSWORD.to_owned()
    };
    let profile_note = if became_current {
        format!("signed in as admin in profile '{DEV_PROFILE}' (now the current profile)")
    } else {
        format!(
            "signed in as admin in profile '{DEV_PROFILE}'; your current profile is kept, so add --profile {DEV_PROFILE}"
        )
    };
    println!(
        "pamctl dev broker: demo data, not for production\n\
         \x20 data dir   {}\n\
         \x20 users      admin (Admin), rita, ravi (Reviewer), uma, ulf (User); password {password}\n\
         \x20 ci-bot     API key {} (also in {})\n\
         \x20 CLI        {profile_note} ({})\n\
         In another terminal, try:\n\
         \x20 pamctl activity list\n\
         \x20 pamctl resource list --activity \"Linux Admin\"\n\
         \x20 pamctl whoami",
        data_dir.display(),
        key.trim(),
        key_path.display(),
        path.display(),
    );
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

/// `pamctl hash-secret`: reads a password or API key and prints its argon2 hash for the
/// configuration file (`password_hash`, `api_key_hash`).
pub fn hash_secret(output: &Output) -> Result<(), CliError> {
    let secret = if std::io::stdin().is_terminal() {
        dialoguer::Password::new()
            .with_prompt("Secret to hash")
            .with_confirmation("Again", "the two entries differ")
            .interact()
            .map_err(|e| CliError::failure(format!("cannot read from the terminal: {e}")))?
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    if secret.is_empty() {
        return Err(CliError::usage("the secret is empty")
            .hint("pipe it in: printf '%s' \"$SECRET\" | pamctl hash-secret"));
    }
    let hash = secret::hash_secret(&secret);
    if output.is_json() {
        return output.json(&serde_json::json!({ "hash": hash }));
    }
    println!("{hash}");
    Ok(())
}
