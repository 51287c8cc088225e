//! What every client command needs: the server, the token and TLS settings, resolved from
//! flags, then environment, then the profile.

use super::GlobalArgs;
use super::error::{CliError, ExitKind};
use super::output::Output;
use crate::client::profile::{Profile, ProfileFile};
use crate::client::{Client, TlsOptions, token};

pub struct Context {
    pub global: GlobalArgs,
    pub output: Output,
}

impl Context {
    pub fn new(global: GlobalArgs, output: Output) -> Self {
        Self { global, output }
    }

    pub fn profiles(&self) -> Result<ProfileFile, CliError> {
        Ok(ProfileFile::load()?)
    }

    pub fn tls(&self, profile: Option<&Profile>) -> TlsOptions {
        TlsOptions {
            insecure: self.global.insecure || profile.is_some_and(|p| p.insecure),
            ca_cert: self
                .global
                .ca_cert
                .clone()
                .or_else(|| profile.and_then(|p| p.ca_cert.clone())),
        }
    }

    /// A client for the selected server, without a token (for signing in).
    pub fn anonymous_client(&self) -> Result<Client, CliError> {
        let profiles = self.profiles()?;
        let profile = profiles
            .selected(self.global.profile.as_deref())
            .map(|(_, p)| p);
        let server = self
            .global
            .server
            .clone()
            .or_else(|| profile.map(|p| p.server.clone()))
            .ok_or_else(|| {
                CliError::usage("no server given").hint(
                    "pass --server URL (or set PAMCTL_SERVER), e.g. --server http://127.0.0.1:6500",
                )
            })?;
        Ok(Client::new(
            &server,
            &self.tls(profile),
            self.global.verbose,
        )?)
    }

    /// A client with the caller's token. The profile's token is only sent to the profile's
    /// own server, never to another one named by --server.
    pub fn client(&self) -> Result<Client, CliError> {
        let profiles = self.profiles()?;
        let selected = profiles.selected(self.global.profile.as_deref());
        if let (Some(name), None) = (&self.global.profile, selected) {
            return Err(CliError::usage(format!("no profile named '{name}'"))
                .hint("run `pamctl login --profile NAME` to create it"));
        }
        let profile = selected.map(|(_, p)| p);
        let client = self.anonymous_client()?;
        let token = match &self.global.token {
            Some(source) => Some(token::resolve(source)?),
            None => profile
                .filter(|p| same_server(&p.server, client.server()))
                .and_then(|p| p.token.clone()),
        };
        let Some(token) = token else {
            return Err(CliError::new(
                ExitKind::NotAllowed,
                format!("not signed in to {}", client.server()),
            )
            .hint(format!(
                "run `pamctl login --server {}`, or pass --token",
                client.server()
            )));
        };
        Ok(client.with_token(Some(token)))
    }
}

fn same_server(a: &str, b: &str) -> bool {
    a.trim_end_matches('/')
        .eq_ignore_ascii_case(b.trim_end_matches('/'))
}
