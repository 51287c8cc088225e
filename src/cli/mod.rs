//! The command line: one file per command group; this module only declares the surface
//! (`shared/cli.md`) and dispatches.

mod activity;
mod approval;
mod assets;
mod audit;
pub mod complete;
mod context;
pub mod error;
mod login;
pub mod output;
mod platforms;
mod profile;
mod prompt;
mod resource;
mod server;
mod session;
mod token;
mod when;

use std::path::PathBuf;

use clap::builder::FalseyValueParser;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

pub use error::CliError;
use output::{Format, Output};

/// Just-in-time privileged access: request, watch and end activity sessions, and run the
/// broker that grants them.
#[derive(Debug, Parser)]
#[command(
    name = "pamctl",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(
    after_help = "Examples:\n  pamctl server --dev            # start a broker with demo data, signed in\n  pamctl activity list\n  pamctl resource list --activity \"Linux Admin\""
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500
    #[arg(long, global = true, env = "PAMCTL_SERVER", value_name = "URL")]
    pub server: Option<String>,

    /// A bearer token, or file:PATH or env:NAME to read it from there; beats the profile
    #[arg(
        long,
        global = true,
        env = "PAMCTL_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub token: Option<String>,

    /// Which saved login to use (default: the current one, set by the last login)
    #[arg(long, global = true, env = "PAMCTL_PROFILE", value_name = "NAME")]
    pub profile: Option<String>,

    /// Output format: a table fitted to the terminal, wide (every column, never shortened),
    /// or JSON
    #[arg(
        short = 'o',
        long,
        global = true,
        env = "PAMCTL_OUTPUT",
        value_enum,
        default_value = "table"
    )]
    pub output: Format,

    /// Plain output without colour; also when NO_COLOR is set to anything, and when stdout
    /// is not a terminal
    // NO_COLOR is read in `parse`: no-color.org says any non-empty value disables colour,
    // which clap's boolean parsing of `env` (where "0" and "false" mean no) does not do.
    #[arg(long, global = true)]
    pub no_color: bool,

    /// Show times in UTC instead of local time on a terminal (off a terminal they are UTC)
    #[arg(long, global = true, env = "PAMCTL_UTC", value_parser = FalseyValueParser::new())]
    pub utc: bool,

    /// TLS: do not verify the server's certificate (test servers with self-signed certificates)
    #[arg(long, global = true)]
    pub insecure: bool,

    /// TLS: trust this CA certificate (PEM) for the server
    #[arg(long, global = true, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,

    /// Trace requests and responses on stderr (tokens and secrets masked)
    #[arg(short, long, global = true, env = "PAMCTL_LOG", value_parser = FalseyValueParser::new())]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the broker: the REST API, the session engine and its store
    Server(server::ServerArgs),
    /// Sign in to a server and save the login as a profile
    Login(login::LoginArgs),
    /// Sign out: revoke the token and forget it
    #[command(after_help = "Examples:\n  pamctl logout\n  pamctl --profile ci logout")]
    Logout,
    /// Show who the current token belongs to
    #[command(after_help = "Examples:\n  pamctl whoami\n  pamctl --profile dev whoami -o json")]
    Whoami,
    /// Activities you may request
    #[command(subcommand, after_help = "Example:\n  pamctl activity list")]
    Activity(activity::ActivityCommand),
    /// Managed resources (hosts, databases) you may request activities on
    #[command(
        subcommand,
        after_help = "Example:\n  pamctl resource list --activity \"Linux Admin\""
    )]
    Resource(resource::ResourceCommand),
    /// Activity sessions: request, list, wait for, extend, lock, end, and read their logs
    #[command(
        subcommand,
        after_help = "Examples:\n  pamctl session create --activity \"Linux Admin\" --resource web01 --wait\n  pamctl session list\n  pamctl session end 3f2a9c1b"
    )]
    Session(session::SessionCommand),
    /// Approvals: list the requests waiting for your decision, approve or deny them
    #[command(
        subcommand,
        after_help = "Examples:\n  pamctl approval list\n  pamctl approval approve 3f2a9c1b --note \"matches CHG-1234\"\n  pamctl approval deny 3f2a9c1b --reason \"change freeze until Monday\""
    )]
    Approval(approval::ApprovalCommand),
    /// Bearer tokens (admins): list the live ones, revoke them by ID or by user
    #[command(
        subcommand,
        after_help = "Examples:\n  pamctl token list --user uma\n  pamctl token revoke --user uma --yes\n  pamctl token revoke 3f2a9c1b"
    )]
    Token(token::TokenCommand),
    /// The tamper-evident audit trail: list it (admins), verify its hash chain offline
    #[command(
        subcommand,
        after_help = "Examples:\n  pamctl audit list --since -1d\n  pamctl audit verify --database /var/lib/pamctl/pamctl.db"
    )]
    Audit(audit::AuditCommand),
    /// Saved logins: list them, pick the current one, show one
    #[command(
        subcommand,
        after_help = "Examples:\n  pamctl profile list\n  pamctl profile use dev\n  pamctl profile show ci -o json"
    )]
    Profile(profile::ProfileCommand),
    /// Print a static shell completion script (see also `COMPLETE=bash pamctl`)
    #[command(
        after_help = "Examples:\n  pamctl completions bash > ~/.local/share/bash-completion/completions/pamctl\n  pamctl completions zsh > \"${fpath[1]}/_pamctl\"\n\nDynamic completion (session IDs, activity, resource and profile names):\n  source <(COMPLETE=bash pamctl)      # in ~/.bashrc\n  source <(COMPLETE=zsh pamctl)       # in ~/.zshrc\n  COMPLETE=fish pamctl | source       # in ~/.config/fish/config.fish"
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Write the man pages (pamctl.1 and one per command) into a directory
    #[command(
        after_help = "Examples:\n  pamctl man --dir ~/.local/share/man/man1 && man pamctl-session-list\n  pamctl man | man -l -"
    )]
    Man {
        /// The directory to write the pages to (created if missing); without it, pamctl.1 is
        /// printed on stdout
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Hash a password or API key (read from stdin) for the server's configuration file
    #[command(
        after_help = "Examples:\n  printf '%s' \"$PASSWORD\" | pamctl hash-secret\n  printf '%s' \"$PASSWORD\" | pamctl hash-secret -o json | jq -r .hash"
    )]
    HashSecret,
    /// Regenerate the committed completions/ and man/ (for developers)
    #[command(hide = true)]
    GenerateAssets {
        /// The repository root to write completions/ and man/ under
        #[arg(long, default_value = ".")]
        dir: PathBuf,
    },
}

impl Cli {
    pub fn output_settings(&self) -> Output {
        Output::new(self.global.output, self.global.no_color, self.global.utc)
    }

    /// Parses the command line, and the environment that clap does not read the way its
    /// standard says (NO_COLOR).
    pub fn parse_from_env() -> Result<Cli, clap::Error> {
        let mut matches = command().try_get_matches()?;
        let mut cli = Cli::from_arg_matches_mut(&mut matches)?;
        cli.global.no_color |= no_color_set();
        Ok(cli)
    }
}

/// no-color.org: NO_COLOR set to any non-empty value turns colour off ("0" included).
fn no_color_set() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty())
}

/// The command line with its dynamic completers (see `complete`).
pub fn command() -> clap::Command {
    complete::add_completers(Cli::command())
}

pub fn run(cli: Cli) -> Result<(), CliError> {
    let output = cli.output_settings();
    if !matches!(cli.command, Command::Server(_)) {
        output::end_quietly_when_stdout_closes();
    }
    let context = context::Context::new(cli.global, output);
    let runtime = tokio::runtime::Runtime::new()?;
    match cli.command {
        Command::Server(args) => server::run(&runtime, args),
        Command::Completions { shell } => {
            assets::print_completions(shell);
            Ok(())
        }
        Command::GenerateAssets { dir } => assets::generate(&dir),
        Command::Man { dir } => assets::man(dir.as_deref()),
        Command::HashSecret => server::hash_secret(&output),
        Command::Profile(command) => profile::run(&context, command),
        Command::Login(args) => runtime.block_on(login::login(&context, args)),
        Command::Logout => runtime.block_on(login::logout(&context)),
        Command::Whoami => runtime.block_on(login::whoami(&context)),
        Command::Activity(command) => runtime.block_on(activity::run(&context, command)),
        Command::Resource(command) => runtime.block_on(resource::run(&context, command)),
        Command::Session(command) => runtime.block_on(session::run(&context, command)),
        Command::Approval(command) => runtime.block_on(approval::run(&context, command)),
        Command::Token(command) => runtime.block_on(token::run(&context, command)),
        Command::Audit(command) => runtime.block_on(audit::run(&context, command)),
    }
}
