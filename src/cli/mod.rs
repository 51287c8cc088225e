//! The command line: one file per command group; this module only declares the surface
//! (`shared/cli.md`) and dispatches.

mod activity;
mod approval;
mod assets;
mod context;
pub mod error;
mod login;
pub mod output;
mod platforms;
mod prompt;
mod resource;
mod server;
mod session;
mod when;

use std::path::PathBuf;

use clap::builder::FalseyValueParser;
use clap::{Args, CommandFactory, Parser, Subcommand};

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

    /// Output format
    #[arg(
        short = 'o',
        long,
        global = true,
        env = "PAMCTL_OUTPUT",
        value_enum,
        default_value = "table"
    )]
    pub output: Format,

    /// Plain output without colour (automatic when stdout is not a terminal)
    #[arg(long, global = true, env = "NO_COLOR", value_parser = FalseyValueParser::new())]
    pub no_color: bool,

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
    /// Print a shell completion script
    #[command(
        after_help = "Examples:\n  pamctl completions bash > ~/.local/share/bash-completion/completions/pamctl\n  pamctl completions zsh > \"${fpath[1]}/_pamctl\""
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Hash a password or API key (read from stdin) for the server's configuration file
    #[command(after_help = "Example:\n  printf '%s' \"$PASSWORD\" | pamctl hash-secret")]
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
        Output::new(self.global.output, self.global.no_color)
    }
}

pub fn command() -> clap::Command {
    Cli::command()
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
        Command::HashSecret => server::hash_secret(),
        Command::Login(args) => runtime.block_on(login::login(&context, args)),
        Command::Logout => runtime.block_on(login::logout(&context)),
        Command::Whoami => runtime.block_on(login::whoami(&context)),
        Command::Activity(command) => runtime.block_on(activity::run(&context, command)),
        Command::Resource(command) => runtime.block_on(resource::run(&context, command)),
        Command::Session(command) => runtime.block_on(session::run(&context, command)),
        Command::Approval(command) => runtime.block_on(approval::run(&context, command)),
    }
}
