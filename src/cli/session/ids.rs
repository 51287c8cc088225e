//! Session IDs on the command line: a full UUID or a unique prefix (like git), and `-` for
//! IDs on stdin, one per line (so `session list -q` pipes in).

use chrono::Utc;
use tokio::io::AsyncBufReadExt;
use uuid::Uuid;

use super::view::describe;
use crate::cli::error::{CliError, ExitKind};
use crate::client::Client;

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

/// Resolves each ID (full or prefix) to a full one, in order, without duplicates. Prefixes are
/// looked up among every session the caller may see, once for all of them.
pub async fn resolve(client: &Client, wanted: &[String]) -> Result<Vec<Uuid>, CliError> {
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
    if !prefixes.is_empty() {
        let sessions = client.search_sessions(None).await?;
        let now = Utc::now();
        for (index, prefix) in prefixes {
            let matches: Vec<_> = sessions
                .iter()
                .filter(|s| s.id.to_string().starts_with(&prefix))
                .collect();
            match matches.as_slice() {
                [one] => resolved[index] = Some(one.id),
                [] => {
                    return Err(CliError::new(
                        ExitKind::NotFound,
                        format!("no session with an ID starting '{prefix}'"),
                    )
                    .hint("see `pamctl session list --history` for the sessions you may see"));
                }
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
    }
    let mut seen = std::collections::HashSet::new();
    Ok(resolved
        .into_iter()
        .flatten()
        .filter(|id| seen.insert(*id))
        .collect())
}

pub async fn resolve_one(client: &Client, wanted: &str) -> Result<Uuid, CliError> {
    let ids = resolve(client, &[wanted.to_owned()]).await?;
    ids.into_iter()
        .next()
        .ok_or_else(|| CliError::usage("no session ID given"))
}
