//! `pamctl login`, `logout` and `whoami`.

use std::io::{BufRead, IsTerminal};

use chrono::Utc;
use clap::Args;
use serde_json::json;

use super::context::Context;
use super::error::{CliError, ExitKind};
use crate::client::profile::Profile;
use crate::client::{Client, ClientError};

const DEFAULT_PROFILE: &str = "default";

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  pamctl login --server https://nps.example.com:6500 --user uma\n  printf '%s' \"$PASSWORD\" | pamctl login --server http://127.0.0.1:6500 --user uma --password-stdin\n  printf '%s' \"$CI_BOT_KEY\" | pamctl login --server \"$PAMCTL_SERVER\" --user ci-bot --api-key-stdin\n  pamctl login                        # again, to the current profile's server as its user\n  pamctl --profile ci login --user ci-bot --api-key-stdin --keep-current < ci-bot.key\n\nThe profile saved becomes the current one (unless --keep-current); login says which is current."
)]
pub struct LoginArgs {
    /// The user (or application) name; without it a login with no --server signs in again as
    /// the profile's user, and otherwise it is asked for on a terminal
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,

    /// Read the password from stdin (one line) instead of asking for it
    #[arg(long, conflicts_with = "api_key_stdin")]
    pub password_stdin: bool,

    /// The current code from your authenticator app, for accounts with MFA
    #[arg(long, value_name = "CODE")]
    pub mfa_code: Option<String>,

    /// Sign in as an application: read its API key from stdin
    #[arg(long)]
    pub api_key_stdin: bool,

    /// Save the profile without making it the current one (when there is a current one)
    #[arg(long)]
    pub keep_current: bool,
}

fn read_stdin_secret(what: &str) -> Result<String, CliError> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let secret = line.trim_end_matches(['\r', '\n']).to_owned();
    if secret.is_empty() {
        return Err(CliError::usage(format!("no {what} on stdin")).hint(format!(
            "pipe the {what} in, e.g. printf '%s' \"$SECRET\" | pamctl login ..."
        )));
    }
    Ok(secret)
}

fn on_terminal() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

fn prompt_error(error: dialoguer::Error) -> CliError {
    CliError::failure(format!("cannot read from the terminal: {error}"))
}

fn user_name(args: &LoginArgs, saved: Option<&str>) -> Result<String, CliError> {
    if let Some(user) = args.user.as_deref().or(saved) {
        return Ok(user.to_owned());
    }
    if !on_terminal() {
        return Err(CliError::usage("no user name given").hint("pass --user NAME"));
    }
    dialoguer::Input::<String>::new()
        .with_prompt("User")
        .interact_text()
        .map_err(prompt_error)
}

fn secret(args: &LoginArgs) -> Result<String, CliError> {
    if args.api_key_stdin {
        return read_stdin_secret("API key");
    }
    if args.password_stdin {
        return read_stdin_secret("password");
    }
    if !on_terminal() {
        return Err(
            CliError::usage("no password given and no terminal to ask on")
                .hint("pipe it in with --password-stdin (or --api-key-stdin for an application)"),
        );
    }
    dialoguer::Password::new()
        .with_prompt("Password")
        .interact()
        .map_err(prompt_error)
}

fn mfa_code(args: &LoginArgs) -> Result<String, CliError> {
    if let Some(code) = &args.mfa_code {
        return Ok(code.clone());
    }
    if !on_terminal() {
        return Err(
            CliError::new(ExitKind::NotAllowed, "this account needs an MFA code")
                .hint("pass --mfa-code CODE with the current code from your authenticator app"),
        );
    }
    dialoguer::Input::<String>::new()
        .with_prompt("MFA code")
        .interact_text()
        .map_err(prompt_error)
}

/// Signs in and saves the login as a profile. Without `--server` and `--user` it signs in
/// again to the selected profile's server as its user, so a re-login after the token
/// expired needs no retyping. The profile it saves becomes the current one (unless
/// `--keep-current`), and it always says which profile is current afterwards.
pub async fn login(context: &Context, args: LoginArgs) -> Result<(), CliError> {
    let target = context.target()?;
    let client = context.anonymous_client(&target)?;
    let saved = target.profile.as_ref();
    // Only a bare re-login (no --server) takes the user from the profile; naming a server
    // is a new sign-in, which needs its user.
    let saved_user = saved
        .filter(|_| context.global.server.is_none())
        .and_then(|p| p.user.as_deref());
    let user = user_name(&args, saved_user)?;
    let secret = secret(&args)?;
    let pre_token = client.sign_in(&user, &secret).await?;
    let token = if client.token_is_full(&pre_token).await? {
        pre_token
    } else {
        let code = mfa_code(&args)?;
        client.sign_in_2fa(&pre_token, &code).await?
    };
    // Only pamctl servers say when a token expires; Privilege Secure has no such call.
    let token_expires = context
        .anonymous_client(&target)?
        .with_token(Some(token.clone()))
        .current_user()
        .await
        .ok()
        .and_then(|me| me.token_expires_date_time_utc);

    let mut profiles = context.profiles()?;
    let previous = profiles
        .current
        .clone()
        .filter(|name| profiles.profiles.contains_key(name));
    // Signing in again as the current profile's user on its server refreshes that profile;
    // anyone else goes to the profile named with --profile, or `default`.
    let same_login = saved.is_some_and(|p| p.user.as_deref() == Some(user.as_str()));
    let name = context
        .global
        .profile
        .clone()
        .or_else(|| previous.clone().filter(|_| same_login))
        .unwrap_or_else(|| DEFAULT_PROFILE.to_owned());
    let tls = target.tls;
    profiles.profiles.insert(
        name.clone(),
        Profile {
            server: client.server().to_owned(),
            user: Some(user.clone()),
            token: Some(token),
            token_obtained: Some(Utc::now()),
            token_expires,
            insecure: tls.insecure,
            ca_cert: tls.ca_cert,
        },
    );
    let switch = !args.keep_current || previous.is_none();
    if switch {
        profiles.current = Some(name.clone());
    }
    let path = profiles.save()?;
    let current = profiles.current.clone().unwrap_or_default();
    eprintln!(
        "{}",
        match previous.as_deref() {
            _ if !switch => format!(
                "Profile '{name}' saved; the current profile stays '{current}' (use this one with --profile {name})."
            ),
            Some(was) if was == name => format!("Profile '{name}' stays the current profile."),
            Some(was) => format!(
                "Now using profile '{name}' (was '{was}'; `pamctl profile use {was}` switches back)."
            ),
            None => format!("Now using profile '{name}'."),
        }
    );

    if context.output.is_json() {
        context.output.json(&json!({
            "server": client.server(),
            "user": user,
            "profile": name,
            "current": current == name,
        }))
    } else {
        println!(
            "Signed in to {} as {user} (profile '{name}', saved in {}).",
            client.server(),
            path.display()
        );
        Ok(())
    }
}

pub async fn logout(context: &Context) -> Result<(), CliError> {
    let client = context.client()?;
    match client.revoke_token().await {
        // Already expired, revoked, or a server without the revoke call: forgetting is enough.
        Ok(()) | Err(ClientError::Api { .. }) => {}
        Err(transport) => return Err(transport.into()),
    }
    let mut profiles = context.profiles()?;
    let selected = profiles
        .selected(context.global.profile.as_deref())
        .map(|(name, _)| name.to_owned());
    if let Some(name) = &selected {
        if let Some(profile) = profiles.profiles.get_mut(name) {
            profile.token = None;
            profile.token_obtained = None;
        }
        profiles.save()?;
    }
    if context.output.is_json() {
        context
            .output
            .json(&json!({"server": client.server(), "profile": selected, "signedOut": true}))
    } else {
        println!("Signed out of {}.", client.server());
        Ok(())
    }
}

pub async fn whoami(context: &Context) -> Result<(), CliError> {
    let client = context.client()?;
    let me = match client.current_user().await {
        Ok(me) => me,
        // A Privilege Secure server has no CurrentUser call: say what the profile knows.
        Err(ClientError::Api { problem }) if problem.status == 404 => {
            return whoami_from_profile(context, &client);
        }
        Err(other) => return Err(other.into()),
    };
    if context.output.is_json() {
        return context.output.json(&me);
    }
    let kind = if me.is_application {
        "application"
    } else {
        "user"
    };
    println!(
        "{} ({kind}, role {}) on {}",
        me.user_name,
        me.role,
        client.server()
    );
    if let Some(expires) = me.token_expires_date_time_utc {
        println!("token expires {}", context.output.time(Some(expires)));
    }
    Ok(())
}

fn whoami_from_profile(context: &Context, client: &Client) -> Result<(), CliError> {
    let profiles = context.profiles()?;
    let user = profiles
        .selected(context.global.profile.as_deref())
        .and_then(|(_, profile)| profile.user.clone())
        .unwrap_or_else(|| "(unknown user)".to_owned());
    if context.output.is_json() {
        return context
            .output
            .json(&json!({"userName": user, "server": client.server()}));
    }
    println!(
        "{user} on {} (as signed in; this server cannot say more)",
        client.server()
    );
    Ok(())
}
