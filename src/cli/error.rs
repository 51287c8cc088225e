//! The one error type of the command line: what went wrong, how to fix it, and the exit code
//! of `shared/cli.md` it maps to.

use crate::client::ClientError;
use crate::client::profile::ProfileError;
use crate::client::token::TokenSourceError;

/// The exit codes scripts rely on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitKind {
    Failure = 1,
    Usage = 2,
    NotFound = 3,
    NotAllowed = 4,
    Refused = 5,
    /// A `--wait` or `session wait` saw the session end without reaching what it waited for.
    WaitEnded = 6,
    /// A `--wait` or `session wait` ran out of time.
    WaitTimeout = 7,
    /// The user stopped an interactive command (Ctrl-C or Esc): 128 + SIGINT, as shells report
    /// a command ended by Ctrl-C.
    Interrupted = 130,
}

#[derive(Debug, Clone)]
pub struct CliError {
    pub kind: ExitKind,
    pub title: &'static str,
    pub message: String,
    pub hint: Option<String>,
    pub http_status: Option<u16>,
}

impl CliError {
    pub fn new(kind: ExitKind, message: impl Into<String>) -> Self {
        let title = match kind {
            ExitKind::Failure => "Failure",
            ExitKind::Usage => "Usage",
            ExitKind::NotFound => "Not Found",
            ExitKind::NotAllowed => "Not Allowed",
            ExitKind::Refused => "Refused",
            ExitKind::WaitEnded => "Wait Ended",
            ExitKind::WaitTimeout => "Wait Timed Out",
            ExitKind::Interrupted => "Interrupted",
        };
        Self {
            kind,
            title,
            message: message.into(),
            hint: None,
            http_status: None,
        }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(ExitKind::Usage, message)
    }

    pub fn failure(message: impl Into<String>) -> Self {
        Self::new(ExitKind::Failure, message)
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn exit_code(&self) -> u8 {
        self.kind as u8
    }
}

impl From<ClientError> for CliError {
    fn from(error: ClientError) -> Self {
        match error {
            ClientError::Api { problem } => {
                let kind = match problem.status {
                    400 => ExitKind::Usage,
                    401 | 403 | 429 => ExitKind::NotAllowed,
                    404 => ExitKind::NotFound,
                    409 | 422 => ExitKind::Refused,
                    _ => ExitKind::Failure,
                };
                let hint = problem.hint.clone().or_else(|| match problem.status {
                    401 => Some("sign in again with `pamctl login`".to_owned()),
                    403 => Some("your role or policies do not allow this; ask an admin".to_owned()),
                    _ => None,
                });
                let message = ClientError::Api { problem: problem.clone() }.to_string();
                CliError {
                    http_status: Some(problem.status),
                    hint,
                    ..CliError::new(kind, message)
                }
            }
            ClientError::Transport { ref message, .. } if message.contains("certificate") => {
                CliError::failure(error.to_string()).hint(
                    "the server's certificate is not trusted: pass --ca-cert FILE with its CA, or --insecure for a test server",
                )
            }
            ClientError::Transport { .. } => CliError::failure(error.to_string())
                .hint("check that the server is running and that --server (or the profile) names it"),
            ClientError::BadUrl(_) => CliError::usage(error.to_string())
                .hint("give the server as http://HOST:PORT or https://HOST:PORT"),
            ClientError::Tls(_) => CliError::usage(error.to_string())
                .hint("check --ca-cert, or pass --insecure for a test server with a self-signed certificate"),
            ClientError::Decode { .. } => CliError::failure(error.to_string())
                .hint("is --server a pamctl or Privilege Secure server?"),
        }
    }
}

impl From<ProfileError> for CliError {
    fn from(error: ProfileError) -> Self {
        CliError::failure(error.to_string())
    }
}

impl From<TokenSourceError> for CliError {
    fn from(error: TokenSourceError) -> Self {
        CliError::usage(error.to_string())
            .hint("pass --token TOKEN, --token file:PATH or --token env:NAME")
    }
}

impl From<std::io::Error> for CliError {
    fn from(error: std::io::Error) -> Self {
        CliError::failure(error.to_string())
    }
}

/// Ends the process on a command line clap rejects (bad flag, missing argument): clap's own
/// text and exit code 2, or, when the command line or PAMCTL_OUTPUT asks for JSON, the JSON
/// error object, so a script never parses prose. Help and version print as clap prints them.
pub fn usage_exit(error: &clap::Error) -> std::process::ExitCode {
    use clap::error::ErrorKind as Kind;
    let wants_json = json_requested(
        std::env::args().skip(1),
        std::env::var("PAMCTL_OUTPUT").ok().as_deref(),
    );
    if !wants_json || matches!(error.kind(), Kind::DisplayHelp | Kind::DisplayVersion) {
        error.exit();
    }
    let usage = CliError::from_clap(error);
    let output = super::output::Output::new(super::output::Format::Json, true, false);
    output.report_error(&usage);
    std::process::ExitCode::from(usage.exit_code())
}

/// Whether `-o json` (in any of its spellings) is on the command line, or, failing any
/// `--output`, PAMCTL_OUTPUT says json. The last one given wins, as clap takes it.
fn json_requested(args: impl Iterator<Item = String>, env: Option<&str>) -> bool {
    let mut format: Option<String> = None;
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        if arg == "--" {
            break;
        }
        if let Some(value) = arg.strip_prefix("--output=") {
            format = Some(value.to_owned());
        } else if arg == "--output"
            || (!arg.starts_with("--") && arg.starts_with('-') && arg.ends_with('o'))
        {
            format = args.next().or(format);
        } else if let Some(rest) = arg.strip_prefix('-').filter(|r| !r.starts_with('-')) {
            if let Some(at) = rest.find('o') {
                let value = &rest[at + 1..];
                format = Some(value.strip_prefix('=').unwrap_or(value).to_owned());
            }
        }
    }
    format
        .as_deref()
        .or(env)
        .is_some_and(|f| f.eq_ignore_ascii_case("json"))
}

impl CliError {
    /// clap's message as our error: its first line the detail, its tips and the usage line
    /// the hint.
    fn from_clap(error: &clap::Error) -> CliError {
        let text = error.render().to_string();
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        let first = lines.next().unwrap_or("bad command line");
        let mut detail = first.strip_prefix("error: ").unwrap_or(first).to_owned();
        if detail.ends_with(':') {
            // "the following required arguments were not provided:" and the list below it.
            let listed: Vec<&str> = lines
                .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("tip:"))
                .collect();
            detail = format!("{detail} {}", listed.join(", "));
        }
        if error.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
            detail = "a subcommand is needed".to_owned();
        }
        let mut hints: Vec<String> = Vec::new();
        let mut command = "pamctl".to_owned();
        for line in text.lines().map(str::trim) {
            if let Some(tip) = line.strip_prefix("tip: ") {
                hints.push(tip.to_owned());
            } else if let Some(usage) = line.strip_prefix("Usage: ") {
                hints.push(format!("usage: {usage}"));
                command = usage
                    .split_whitespace()
                    .take_while(|word| !word.starts_with(['[', '<', '-']))
                    .collect::<Vec<_>>()
                    .join(" ");
            }
        }
        hints.push(format!("see `{command} --help`"));
        CliError::usage(detail).hint(hints.join("; "))
    }
}
