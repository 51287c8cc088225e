//! Session IDs on the command line: a full UUID or a unique prefix (like git), and `-` for
//! IDs on stdin, one per line (so `session list -q` pipes in).

use chrono::Utc;
use tokio::io::AsyncBufReadExt;
use uuid::Uuid;

use super::view::describe;
use crate::cli::error::{CliError, ExitKind};
use crate::client::Client;
use crate::wire::session::SessionSummary;

/// Expands `-` into the IDs on stdin (blank lines skipped).
pub async fn expand_stdin(args: &[String]) -> Result<Vec<String>, CliError> {
    let mut ids = Vec::new();
    let mut stdin_read = false;
    for arg in args {
        if arg != "-" {
            ids.push(arg.clone());
            continue;
        }
        if stdin_read {
            return Err(CliError::usage("'-' (IDs from stdin) given twice"));
        }
        stdin_read = true;
        let mut lines = tokio::io::BufReader::new(tokio::io::stdin()).lines();
        while let Some(line) = lines.next_line().await? {
            let line = line.trim();
            if !line.is_empty() {
                ids.push(line.to_owned());
            }
        }
    }
    Ok(ids)
}

fn is_prefix_text(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
}

/// IDs as given on the command line, on their way to full ones: each is a full UUID already
/// or a prefix to look up. Prefixes are matched against lists of candidates, in turn, so a
/// command may look in the sessions it is about first (approvals: the pending requests).
pub struct Wanted {
    resolved: Vec<Option<Uuid>>,
    /// Index into `resolved`, and the prefix in lower case.
    prefixes: Vec<(usize, String)>,
}

impl Wanted {
    pub fn parse(wanted: &[String]) -> Result<Wanted, CliError> {
        let mut resolved = Vec::with_capacity(wanted.len());
        let mut prefixes = Vec::new();
        for (index, text) in wanted.iter().enumerate() {
            let text = text.trim();
            if let Ok(id) = Uuid::parse_str(text) {
                resolved.push(Some(id));
            } else if is_prefix_text(text) {
                resolved.push(None);
                prefixes.push((index, text.to_lowercase()));
            } else {
                return Err(
                    CliError::usage(format!("'{text}' is not a session ID")).hint(
                        "give a session's UUID or the start of one, as `pamctl session list` shows",
                    ),
                );
            }
        }
        Ok(Wanted { resolved, prefixes })
    }

    /// Prefixes not matched yet.
    pub fn has_prefixes(&self) -> bool {
        !self.prefixes.is_empty()
    }

    /// Resolves the prefixes that start exactly one candidate's ID; those matching none stay
    /// for the next list; one matching several is an error listing them.
    pub fn match_in(&mut self, candidates: &[SessionSummary]) -> Result<(), CliError> {
        let now = Utc::now();
        let mut unmatched = Vec::new();
        for (index, prefix) in std::mem::take(&mut self.prefixes) {
            let matches: Vec<_> = candidates
                .iter()
                .filter(|s| s.id.to_string().starts_with(&prefix))
                .collect();
            match matches.as_slice() {
                [one] => self.resolved[index] = Some(one.id),
                [] => unmatched.push((index, prefix)),
                many => {
                    return Err(CliError::usage(format!(
                        "'{prefix}' is the start of {} sessions' IDs:\n{}",
                        many.len(),
                        many.iter()
                            .map(|s| format!("  {} ({})", s.id, describe(s, now)))
                            .collect::<Vec<_>>()
                            .join("\n")
                    ))
                    .hint("give more of the ID"));
                }
            }
        }
        self.prefixes = unmatched;
        Ok(())
    }

    /// The full IDs in the order given, without duplicates; a prefix that matched nothing is
    /// a not-found error with `hint`.
    pub fn finish(self, hint: &str) -> Result<Vec<Uuid>, CliError> {
        if let Some((_, prefix)) = self.prefixes.first() {
            return Err(CliError::new(
                ExitKind::NotFound,
                format!("no session with an ID starting '{prefix}'"),
            )
            .hint(hint));
        }
        let mut seen = std::collections::HashSet::new();
        Ok(self
            .resolved
            .into_iter()
            .flatten()
            .filter(|id| seen.insert(*id))
            .collect())
    }
}

/// Resolves each ID (full or prefix) to a full one, in order, without duplicates. Prefixes are
/// looked up among every session the caller may see, once for all of them.
pub async fn resolve(client: &Client, wanted: &[String]) -> Result<Vec<Uuid>, CliError> {
    let mut wanted = Wanted::parse(wanted)?;
    if wanted.has_prefixes() {
        wanted.match_in(&client.search_sessions(None).await?)?;
    }
    wanted.finish("see `pamctl session list --history` for the sessions you may see")
}

pub async fn resolve_one(client: &Client, wanted: &str) -> Result<Uuid, CliError> {
    let ids = resolve(client, &[wanted.to_owned()]).await?;
    ids.into_iter()
        .next()
        .ok_or_else(|| CliError::usage("no session ID given"))
}
