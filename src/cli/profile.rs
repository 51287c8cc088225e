//! `pamctl profile list|use|show`: the saved logins. Local only: none of these talks to a
//! server, and none ever prints a token.

use chrono::{DateTime, Utc};
use clap::Subcommand;
use serde_json::json;

use super::context::Context;
use super::error::{CliError, ExitKind};
use crate::client::profile::{Profile, ProfileFile};

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// List the saved profiles; the current one is marked with *
    #[command(after_help = "Examples:\n  pamctl profile list\n  pamctl profile list -q")]
    List {
        /// Print only the names, one per line
        #[arg(short = 'q', long = "names")]
        names: bool,
    },
    /// Make a profile the current one, used by every command without --profile
    #[command(after_help = "Example:\n  pamctl profile use dev")]
    Use {
        /// The profile's name
        #[arg(value_name = "NAME")]
        name: String,
    },
    /// Show a profile (default: the current one): server, user, TLS settings, token expiry
    #[command(after_help = "Examples:\n  pamctl profile show\n  pamctl profile show ci -o json")]
    Show {
        /// The profile's name
        #[arg(value_name = "NAME")]
        name: Option<String>,
    },
}

pub fn run(context: &Context, command: ProfileCommand) -> Result<(), CliError> {
    let profiles = context.profiles()?;
    match command {
        ProfileCommand::List { names } => list(context, &profiles, names),
        ProfileCommand::Use { name } => use_profile(context, profiles, &name),
        ProfileCommand::Show { name } => {
            let name = name
                .or_else(|| context.global.profile.clone())
                .or_else(|| profiles.current.clone())
                .ok_or_else(|| no_profile(&profiles, None))?;
            show(context, &profiles, &name)
        }
    }
}

/// Whether a token is saved, and whether it is still good as far as is known.
fn sign_in_state(profile: &Profile, now: DateTime<Utc>) -> &'static str {
    match (&profile.token, profile.token_expires) {
        (None, _) => "signed out",
        (Some(_), Some(expires)) if expires <= now => "expired",
        (Some(_), _) => "signed in",
    }
}

fn profile_json(
    name: &str,
    profile: &Profile,
    current: bool,
    now: DateTime<Utc>,
) -> serde_json::Value {
    json!({
        "name": name,
        "current": current,
        "server": profile.server,
        "user": profile.user,
        "signedIn": sign_in_state(profile, now) == "signed in",
        "tokenObtained": profile.token_obtained,
        "tokenExpires": profile.token_expires,
        "insecure": profile.insecure,
        "caCert": profile.ca_cert,
    })
}

fn list(context: &Context, profiles: &ProfileFile, names: bool) -> Result<(), CliError> {
    let current = profiles.current.as_deref();
    if names {
        for name in profiles.profiles.keys() {
            println!("{name}");
        }
        return Ok(());
    }
    let now = Utc::now();
    if context.output.is_json() {
        let list: Vec<_> = profiles
            .profiles
            .iter()
            .map(|(name, p)| profile_json(name, p, current == Some(name.as_str()), now))
            .collect();
        return context.output.json(&list);
    }
    let rows = profiles
        .profiles
        .iter()
        .map(|(name, p)| {
            vec![
                if current == Some(name.as_str()) {
                    "*"
                } else {
                    ""
                }
                .to_owned(),
                name.clone(),
                p.server.clone(),
                p.user.clone().unwrap_or_default(),
                sign_in_state(p, now).to_owned(),
                context.output.time(p.token_expires),
            ]
        })
        .collect();
    context.output.table(
        &["Current", "Name", "Server", "User", "Signed In", "Expires"],
        rows,
        "No profiles yet: sign in with `pamctl login --server URL --user NAME`.",
    );
    Ok(())
}

fn use_profile(context: &Context, mut profiles: ProfileFile, name: &str) -> Result<(), CliError> {
    if !profiles.profiles.contains_key(name) {
        return Err(no_profile(&profiles, Some(name)));
    }
    let previous = profiles.current.replace(name.to_owned());
    profiles.save()?;
    if context.output.is_json() {
        return context
            .output
            .json(&json!({"current": name, "previous": previous}));
    }
    match previous.as_deref() {
        Some(was) if was != name => println!("Now using profile '{name}' (was '{was}')."),
        _ => println!("Now using profile '{name}'."),
    }
    Ok(())
}

fn show(context: &Context, profiles: &ProfileFile, name: &str) -> Result<(), CliError> {
    let profile = profiles
        .profiles
        .get(name)
        .ok_or_else(|| no_profile(profiles, Some(name)))?;
    let current = profiles.current.as_deref() == Some(name);
    let now = Utc::now();
    if context.output.is_json() {
        return context
            .output
            .json(&profile_json(name, profile, current, now));
    }
    let output = &context.output;
    let tls = match (profile.insecure, &profile.ca_cert) {
        (true, _) => "certificate not verified (--insecure)".to_owned(),
        (false, Some(ca)) => format!("trusts the CA in {}", ca.display()),
        (false, None) if profile.server.starts_with("https:") => "system CA roots".to_owned(),
        (false, None) => "none (plain HTTP)".to_owned(),
    };
    let expires = match profile.token_expires {
        Some(expires) => output.time(Some(expires)),
        None if profile.token.is_some() => "unknown (the server does not say)".to_owned(),
        None => String::new(),
    };
    output.details(&[
        ("Profile", name.to_owned()),
        ("Current", if current { "yes" } else { "no" }.to_owned()),
        ("Server", profile.server.clone()),
        ("User", profile.user.clone().unwrap_or_default()),
        ("Token", sign_in_state(profile, now).to_owned()),
        ("Signed in at", output.time(profile.token_obtained)),
        ("Token expires", expires),
        ("TLS", tls),
        (
            "Saved in",
            ProfileFile::path()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
        ),
    ]);
    Ok(())
}

/// An unknown profile: "not signed in" (exit 4), as for every command that needs one.
fn no_profile(profiles: &ProfileFile, name: Option<&str>) -> CliError {
    let message = match name {
        Some(name) => format!("not signed in: there is no profile named '{name}'"),
        None => "not signed in: no profile is current".to_owned(),
    };
    let known: Vec<&str> = profiles.profiles.keys().map(String::as_str).collect();
    let hint = if known.is_empty() {
        "sign in with `pamctl login --server URL --user NAME`".to_owned()
    } else {
        format!(
            "the profiles are: {}; or sign in with `pamctl login --server URL --user NAME --profile NAME`",
            known.join(", ")
        )
    };
    CliError::new(ExitKind::NotAllowed, message).hint(hint)
}
