//! Everything the CLI prints goes through here: tables (comfy-table) or JSON on stdout,
//! errors as `error:` and `hint:` lines (or a JSON object) on stderr, colour only on a
//! terminal.

use std::io::IsTerminal;

use chrono::{DateTime, Local, SecondsFormat, Utc};
use clap::ValueEnum;
use comfy_table::{Attribute, Cell, ContentArrangement, Table, presets};
use serde::Serialize;

use super::error::CliError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub format: Format,
    pub color: bool,
}

impl Output {
    pub fn new(format: Format, no_color: bool) -> Self {
        Self {
            format,
            color: !no_color && std::io::stdout().is_terminal(),
        }
    }

    pub fn is_json(&self) -> bool {
        self.format == Format::Json
    }

    /// Whether stdout is a terminal (a person reads it, rather than a script).
    pub fn on_terminal(&self) -> bool {
        std::io::stdout().is_terminal()
    }

    /// A time for a table: local time on a terminal, a stable UTC form for scripts.
    pub fn time(&self, time: Option<DateTime<Utc>>) -> String {
        match time {
            None => String::new(),
            Some(time) if self.on_terminal() => time
                .with_timezone(&Local)
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            Some(time) => time.to_rfc3339_opts(SecondsFormat::Secs, true),
        }
    }

    /// A time to the second, for log lines: local on a terminal, UTC otherwise.
    pub fn time_precise(&self, time: DateTime<Utc>) -> String {
        if self.on_terminal() {
            time.with_timezone(&Local)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        } else {
            time.to_rfc3339_opts(SecondsFormat::Secs, true)
        }
    }

    /// One record as `Label: value` lines, the labels aligned; empty values are left out.
    pub fn details(&self, fields: &[(&str, String)]) {
        let width = fields
            .iter()
            .filter(|(_, value)| !value.is_empty())
            .map(|(label, _)| label.len())
            .max()
            .unwrap_or(0);
        for (label, value) in fields.iter().filter(|(_, value)| !value.is_empty()) {
            println!(
                "{:<width$}  {value}",
                format!("{label}:"),
                width = width + 1
            );
        }
    }

    pub fn json<T: Serialize + ?Sized>(&self, value: &T) -> Result<(), CliError> {
        let text = serde_json::to_string_pretty(value)
            .map_err(|e| CliError::failure(format!("cannot write JSON: {e}")))?;
        println!("{text}");
        Ok(())
    }

    /// A table of rows; an empty one prints `empty_note` on stderr so stdout stays clean.
    pub fn table(&self, headers: &[&str], rows: Vec<Vec<String>>, empty_note: &str) {
        if rows.is_empty() {
            eprintln!("{empty_note}");
            return;
        }
        let mut table = Table::new();
        table.load_preset(presets::NOTHING);
        table.set_content_arrangement(if std::io::stdout().is_terminal() {
            ContentArrangement::Dynamic
        } else {
            ContentArrangement::Disabled
        });
        table.set_header(headers.iter().map(|h| {
            let cell = Cell::new(h.to_uppercase());
            if self.color {
                cell.add_attribute(Attribute::Bold)
            } else {
                cell
            }
        }));
        for row in rows {
            table.add_row(row);
        }
        for line in table.to_string().lines() {
            println!("{}", line.trim_end());
        }
    }

    /// A message for people (on stderr, so that stdout carries only data).
    pub fn note(&self, message: &str) {
        if !self.is_json() {
            eprintln!("{message}");
        }
    }

    pub fn report_error(&self, error: &CliError) {
        if self.is_json() {
            let body = serde_json::json!({
                "error": {
                    "code": error.exit_code(),
                    "title": error.title,
                    "detail": error.message,
                    "hint": error.hint,
                    "status": error.http_status,
                }
            });
            eprintln!("{body}");
            return;
        }
        let color = self.color && std::io::stderr().is_terminal();
        let (red, yellow, reset) = if color {
            ("\x1b[1;31m", "\x1b[1;33m", "\x1b[0m")
        } else {
            ("", "", "")
        };
        eprintln!("{red}error:{reset} {}", error.message);
        if let Some(hint) = &error.hint {
            eprintln!("{yellow}hint:{reset} {hint}");
        }
    }
}

/// A wire object with one added field: `with_field(session, "state", "Available")`.
pub fn with_field<T: Serialize>(
    object: &T,
    name: &str,
    value: impl Serialize,
) -> Result<serde_json::Value, CliError> {
    let mut json = serde_json::to_value(object)
        .map_err(|e| CliError::failure(format!("cannot write JSON: {e}")))?;
    if let Some(map) = json.as_object_mut() {
        map.insert(
            name.to_owned(),
            serde_json::to_value(value)
                .map_err(|e| CliError::failure(format!("cannot write JSON: {e}")))?,
        );
    }
    Ok(json)
}

/// The first 8 characters of an id, as tables show them (like git's short hashes).
pub fn short_id(id: &uuid::Uuid) -> String {
    id.to_string()[..8].to_owned()
}

/// Rust ignores SIGPIPE, so printing into a closed pipe (`pamctl ... | head -1`) would panic.
/// Command-line tools instead end quietly by the signal, as `ls | head -1` does. Not for the
/// server, where a client hanging up must not end the process.
pub fn end_quietly_when_stdout_closes() {
    #[cfg(unix)]
    // SAFETY: restores a signal's default disposition; called before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
