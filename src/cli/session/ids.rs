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

/// One ID as given, on its way to a full one.
enum Slot {
    Full(Uuid),
    /// A prefix to look up, in lower case.
    Prefix(String),
    Failed(CliError),
}

/// One item of a multi-ID command: what the user gave (or the full ID it stands for), and the
/// full ID or why there is none. A bad item is that item's failure, never the batch's.
pub struct Target {
    pub label: String,
    pub id: Result<Uuid, CliError>,
}

impl Target {
    pub fn found(id: Uuid) -> Target {
        Target {
            label: id.to_string(),
            id: Ok(id),
        }
    }
}

/// IDs as given on the command line, on their way to full ones: each is a full UUID already,
/// a prefix to look up, or malformed. Prefixes are matched against lists of candidates, in
/// turn, so a command may look in the sessions it is about first (approvals: the pending
/// requests).
pub struct Wanted {
    given: Vec<String>,
    slots: Vec<Slot>,
}

impl Wanted {
    pub fn parse(wanted: &[String]) -> Wanted {
        let given: Vec<String> = wanted.iter().map(|t| t.trim().to_owned()).collect();
        let slots = given
            .iter()
            .map(|text| {
                if let Ok(id) = Uuid::parse_str(text) {
                    Slot::Full(id)
                } else if is_prefix_text(text) {
                    Slot::Prefix(text.to_lowercase())
                } else {
                    Slot::Failed(
                        CliError::usage(format!("'{text}' is not a session ID")).hint(
                            "give a session's UUID or the start of one, as `pamctl session list` shows",
                        ),
                    )
                }
            })
            .collect();
        Wanted { given, slots }
    }

    /// Prefixes not matched yet.
    pub fn has_prefixes(&self) -> bool {
        self.slots.iter().any(|s| matches!(s, Slot::Prefix(_)))
    }

    /// Resolves the prefixes that start exactly one candidate's ID; those matching none stay
    /// for the next list; one matching several fails, listing them.
    pub fn match_in(&mut self, candidates: &[SessionSummary]) {
        let now = Utc::now();
        for slot in &mut self.slots {
            let Slot::Prefix(prefix) = slot else {
                continue;
            };
            let matches: Vec<_> = candidates
                .iter()
                .filter(|s| s.id.to_string().starts_with(prefix.as_str()))
                .collect();
            match matches.as_slice() {
                [one] => *slot = Slot::Full(one.id),
                [] => {}
                many => {
                    *slot = Slot::Failed(
                        CliError::usage(format!(
                            "'{prefix}' is the start of {} sessions' IDs:\n{}",
                            many.len(),
                            many.iter()
                                .map(|s| format!("  {} ({})", s.id, describe(s, now)))
                                .collect::<Vec<_>>()
                                .join("\n")
                        ))
                        .hint("give more of the ID"),
                    );
                }
            }
        }
    }

    /// Every item in the order given, a full ID named twice only once; a prefix that matched
    /// nothing is a not-found failure with `hint`.
    pub fn finish_each(self, hint: &str) -> Vec<Target> {
        let mut seen = std::collections::HashSet::new();
        let mut targets = Vec::with_capacity(self.slots.len());
        for (text, slot) in self.given.into_iter().zip(self.slots) {
            let target = match slot {
                Slot::Full(id) if !seen.insert(id) => continue,
                Slot::Full(id) => Target::found(id),
                Slot::Prefix(prefix) => Target {
                    label: text,
                    id: Err(CliError::new(
                        ExitKind::NotFound,
                        format!("no session with an ID starting '{prefix}'"),
                    )
                    .hint(hint)),
                },
                Slot::Failed(error) => Target {
                    label: text,
                    id: Err(error),
                },
            };
            targets.push(target);
        }
        targets
    }

    /// The full IDs in the order given, without duplicates, or the first item's error.
    pub fn finish(self, hint: &str) -> Result<Vec<Uuid>, CliError> {
        self.finish_each(hint).into_iter().map(|t| t.id).collect()
    }
}

const SESSIONS_HINT: &str = "see `pamctl session list --history` for the sessions you may see";

/// Looks each ID (full or prefix) up, in order, without duplicates. Prefixes are looked up
/// among every session the caller may see, once for all of them.
pub async fn resolve_each(client: &Client, wanted: &[String]) -> Result<Vec<Target>, CliError> {
    let mut wanted = Wanted::parse(wanted);
    if wanted.has_prefixes() {
        wanted.match_in(&client.search_sessions(None).await?);
    }
    Ok(wanted.finish_each(SESSIONS_HINT))
}

pub async fn resolve_one(client: &Client, wanted: &str) -> Result<Uuid, CliError> {
    let mut parsed = Wanted::parse(&[wanted.to_owned()]);
    if parsed.has_prefixes() {
        parsed.match_in(&client.search_sessions(None).await?);
    }
    parsed
        .finish(SESSIONS_HINT)?
        .into_iter()
        .next()
        .ok_or_else(|| CliError::usage("no session ID given"))
}
