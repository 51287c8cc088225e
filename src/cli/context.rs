//! What every client command needs: the server, the token and TLS settings, resolved from
//! flags, then environment, then the profile. A profile's token and TLS settings apply only
//! to the profile's own server, so a token is never handed to another one.

use super::GlobalArgs;
use super::error::{CliError, ExitKind};
use super::output::Output;
use crate::client::profile::{Profile, ProfileFile};
use crate::client::{Client, TlsOptions, canonical_server, token};

pub struct Context {
    pub global: GlobalArgs,
    pub output: Output,
}

/// The server a command talks to, with the profile (if any) that belongs to it.
pub struct Target {
    pub server: String,
    pub profile: Option<Profile>,
    pub tls: TlsOptions,
}

impl Context {
    pub fn new(global: GlobalArgs, output: Output) -> Self {
        Self { global, output }
    }

    pub fn profiles(&self) -> Result<ProfileFile, CliError> {
        Ok(ProfileFile::load()?)
    }

    pub fn target(&self) -> Result<Target, CliError> {
        let profiles = self.profiles()?;
        let selected = profiles
            .selected(self.global.profile.as_deref())
            .map(|(_, p)| p);
        let server = self
            .global
            .server
            .clone()
            .or_else(|| selected.map(|p| p.server.clone()))
            .ok_or_else(|| {
                CliError::usage("no server given").hint(
                    "pass --server URL (or set PAMCTL_SERVER), e.g. --server http://127.0.0.1:6500",
                )
            })?;
        let server = canonical_server(&server)?;
        let profile = selected
            .filter(|p| canonical_server(&p.server).is_ok_and(|s| s == server))
            .cloned();
        let tls = TlsOptions {
            insecure: self.global.insecure || profile.as_ref().is_some_and(|p| p.insecure),
            ca_cert: self
                .global
                .ca_cert
                .clone()
                .or_else(|| profile.as_ref().and_then(|p| p.ca_cert.clone())),
        };
        Ok(Target {
            server,
            profile,
            tls,
        })
    }

    /// A client for the selected server, without a token (for signing in).
    pub fn anonymous_client(&self, target: &Target) -> Result<Client, CliError> {
        Ok(Client::new(
            &target.server,
            &target.tls,
            self.global.verbose,
        )?)
    }

    /// A client with the caller's token.
    pub fn client(&self) -> Result<Client, CliError> {
        let profiles = self.profiles()?;
        if let Some(name) = &self.global.profile {
            if !profiles.profiles.contains_key(name) {
                return Err(not_signed_in(
                    format!("not signed in: there is no profile named '{name}'"),
                    Some(name),
                    &profiles,
                ));
            }
        }
        let no_profile = profiles.selected(None).is_none();
        if self.global.server.is_none() && self.global.token.is_none() && no_profile {
            return Err(not_signed_in(
                "not signed in: no profile is saved or current".to_owned(),
                None,
                &profiles,
            ));
        }
        let target = self.target()?;
        let token = match &self.global.token {
            Some(source) => Some(token::resolve(source)?),
            None => target.profile.as_ref().and_then(|p| p.token.clone()),
        };
        let Some(token) = token else {
            return Err(CliError::new(
                ExitKind::NotAllowed,
                format!("not signed in to {}", target.server),
            )
            .hint(format!(
                "run `pamctl login --server {}`, or pass --token",
                target.server
            )));
        };
        Ok(self.anonymous_client(&target)?.with_token(Some(token)))
    }
}

/// "Not signed in" (exit 4): how to sign in, and the profiles there are to pick from.
fn not_signed_in(message: String, name: Option<&str>, profiles: &ProfileFile) -> CliError {
    let mut hint = match name {
        Some(name) => {
            format!("sign in with `pamctl login --server URL --user NAME --profile {name}`")
        }
        None => "sign in with `pamctl login --server URL --user NAME`".to_owned(),
    };
    if !profiles.profiles.is_empty() {
        let names: Vec<&str> = profiles.profiles.keys().map(String::as_str).collect();
        hint.push_str(&format!(
            ", or pick a saved profile with `pamctl profile use NAME` ({})",
            names.join(", ")
        ));
    }
    CliError::new(ExitKind::NotAllowed, message).hint(hint)
}
