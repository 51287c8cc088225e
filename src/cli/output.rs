//! Everything the CLI prints goes through here: tables (comfy-table) or JSON on stdout,
//! errors as `error:` and `hint:` lines (or a JSON object) on stderr, colour only on a
//! terminal.
//!
//! Times: on a terminal every command shows them in one zone, local time (or UTC with
//! `--utc`) with the offset, so two commands never disagree; off a terminal RFC 3339 UTC.

use std::borrow::Cow;
use std::io::IsTerminal;

use chrono::{DateTime, Local, SecondsFormat, Utc};
use clap::ValueEnum;
use comfy_table::{Attribute, Cell, ContentArrangement, Table, presets};
use serde::Serialize;

use super::error::CliError;

/// Text from the broker (a note, a ticket, a reason, a log message, a name) as it may reach a
/// terminal: control characters are shown as escapes instead of acting. An ESC would let a
/// requester write to a reviewer's clipboard (OSC 52), hide text or clear the screen; a
/// newline or carriage return inside a field would let a deny reason forge a log line; the
/// bidirectional overrides would show text in another order than it is. JSON output is not
/// filtered: its encoder escapes control characters itself.
pub fn printable(text: &str) -> Cow<'_, str> {
    fn shown(c: char) -> bool {
        !(c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
    }
    if text.chars().all(shown) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            _ if shown(c) => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{1b}' => out.push_str("\\e"),
            c if (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(out)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table; on a terminal, fitted to its width
    Table,
    /// A table with every column in full, however wide
    Wide,
    Json,
}

#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub format: Format,
    pub color: bool,
    pub utc: bool,
}

impl Output {
    pub fn new(format: Format, no_color: bool, utc: bool) -> Self {
        Self {
            format,
            color: !no_color && std::io::stdout().is_terminal(),
            utc,
        }
    }

    /// The width tables must fit: on a terminal its width (COLUMNS, when set, wins, as in
    /// other tools); `None` for no limit: off a terminal, with `-o wide`, and when the
    /// terminal reports no width (zero), where shrinking every column to nothing would
    /// help nobody.
    fn table_width(&self) -> Option<usize> {
        if self.format == Format::Wide || !self.on_terminal() {
            return None;
        }
        let from_env = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<usize>().ok())
            .filter(|&c| c > 0);
        from_env.or_else(|| {
            console::Term::stdout()
                .size_checked()
                .map(|(_, columns)| usize::from(columns))
        })
    }

    pub fn is_json(&self) -> bool {
        self.format == Format::Json
    }

    /// Whether stdout is a terminal (a person reads it, rather than a script).
    pub fn on_terminal(&self) -> bool {
        std::io::stdout().is_terminal()
    }

    /// A time for tables and details: on a terminal in the one zone all commands use, with
    /// its offset (`2026-11-25 08:41 +01:00`); a stable UTC form for scripts.
    pub fn time(&self, time: Option<DateTime<Utc>>) -> String {
        match time {
            None => String::new(),
            Some(time) => self.time_as(time, "%Y-%m-%d %H:%M %:z"),
        }
    }

    /// A time to the second, for log lines.
    pub fn time_precise(&self, time: DateTime<Utc>) -> String {
        self.time_as(time, "%Y-%m-%d %H:%M:%S %:z")
    }

    /// A time for a person at the terminal whatever stdout is (the wizard asks and reviews on
    /// stderr): the same zone and form as `time` on a terminal.
    pub fn time_for_person(&self, time: DateTime<Utc>) -> String {
        self.in_zone(time, "%Y-%m-%d %H:%M %:z")
    }

    fn time_as(&self, time: DateTime<Utc>, terminal_format: &str) -> String {
        if self.on_terminal() {
            self.in_zone(time, terminal_format)
        } else {
            time.to_rfc3339_opts(SecondsFormat::Secs, true)
        }
    }

    fn in_zone(&self, time: DateTime<Utc>, format: &str) -> String {
        if self.utc {
            time.format(format).to_string()
        } else {
            time.with_timezone(&Local).format(format).to_string()
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
                "{:<width$}  {}",
                format!("{label}:"),
                printable(value),
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
        let mut rows: Vec<Vec<String>> = rows
            .into_iter()
            .map(|row| {
                row.iter()
                    .map(|cell| printable(cell).into_owned())
                    .collect()
            })
            .collect();
        let titles: Vec<String> = (0..headers.len())
            .map(|column| {
                let title = headers[column].to_uppercase();
                match zone_of_column(&mut rows, column) {
                    Some(offset) => format!("{title} ({offset})"),
                    None => title,
                }
            })
            .collect();
        let fitted = fit(headers, &titles, &rows, self.table_width());
        let mut table = Table::new();
        table.load_preset(presets::NOTHING);
        // The cells are already fitted; comfy-table's own wrapping would break words.
        table.set_content_arrangement(ContentArrangement::Disabled);
        table.set_header(fitted.iter().map(|&(column, _)| {
            let cell = Cell::new(&titles[column]);
            if self.color {
                cell.add_attribute(Attribute::Bold)
            } else {
                cell
            }
        }));
        for row in rows {
            table.add_row(fitted.iter().map(|&(column, width)| {
                shorten(
                    row.get(column).map(String::as_str).unwrap_or_default(),
                    width,
                )
            }));
        }
        for line in table.to_string().lines() {
            println!("{}", line.trim_end());
        }
    }

    /// A message for people (on stderr, so that stdout carries only data).
    pub fn note(&self, message: &str) {
        if !self.is_json() {
            eprintln!("{}", printable(message));
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
        eprintln!("{red}error:{reset} {}", printable(&error.message));
        if let Some(hint) = &error.hint {
            eprintln!("{yellow}hint:{reset} {}", printable(hint));
        }
    }
}

/// `text` in at most `width` columns: whole, or cut after its last whole word that fits (a
/// word cut only when that would leave less than half the width) and marked with `…`.
fn shorten(text: &str, width: usize) -> String {
    if console::measure_text_width(text) <= width {
        return text.to_owned();
    }
    let cut = console::truncate_str(text, width.saturating_sub(1), "").into_owned();
    let next_is_space = text[cut.len()..].starts_with(' ');
    let at_word = if next_is_space {
        cut.trim_end()
    } else {
        match cut.rfind(' ') {
            Some(space) if console::measure_text_width(&cut[..space]) * 2 >= width => {
                cut[..space].trim_end()
            }
            _ => cut.as_str(),
        }
    };
    format!("{at_word}…")
}

/// A column of terminal times that all have the same UTC offset says it once, in its header
/// (`END (+01:00)`), rather than in every cell: the zone stays in sight and the column
/// narrow. Returns the offset and takes it off the cells; a column with mixed offsets (a
/// daylight saving change) keeps them in its cells.
fn zone_of_column(rows: &mut [Vec<String>], column: usize) -> Option<String> {
    fn split(cell: &str) -> Option<(&str, &str)> {
        let (time, offset) = cell.rsplit_once(' ')?;
        let is_offset = offset.len() == 6
            && offset.starts_with(['+', '-'])
            && offset[1..]
                .chars()
                .enumerate()
                .all(|(i, c)| if i == 2 { c == ':' } else { c.is_ascii_digit() });
        let is_time = chrono::NaiveDateTime::parse_from_str(time, "%Y-%m-%d %H:%M").is_ok()
            || chrono::NaiveDateTime::parse_from_str(time, "%Y-%m-%d %H:%M:%S").is_ok();
        (is_offset && is_time).then_some((time, offset))
    }
    let mut offset: Option<String> = None;
    for cell in rows
        .iter()
        .filter_map(|row| row.get(column))
        .filter(|c| !c.is_empty())
    {
        let (_, this) = split(cell)?;
        match &offset {
            Some(seen) if seen != this => return None,
            Some(_) => {}
            None => offset = Some(this.to_owned()),
        }
    }
    let offset = offset?;
    for cell in rows.iter_mut().filter_map(|row| row.get_mut(column)) {
        if let Some((time, _)) = split(cell) {
            *cell = time.to_owned();
        }
    }
    Some(offset)
}

/// How a column gives way when a table is wider than the terminal: the least important
/// columns (lowest `rank`) are dropped first; free text is shortened with an ellipsis down to
/// `shortest` characters before anything is dropped. Columns of rank `KEEP` stay whatever
/// the width. One list for every table, so the tables give way alike.
const KEEP: u8 = 100;

fn give_way(header: &str) -> (u8, Option<usize>) {
    match header.to_uppercase().as_str() {
        "ID" | "NAME" | "STATUS" | "CURRENT" => (KEEP, None),
        "USER" | "REQUESTER" => (90, Some(8)),
        "HOST" | "SERVER" => (85, Some(12)),
        "ACTIVITY" => (80, Some(10)),
        "APPROVALS" => (75, None),
        "END" | "EXPIRES" | "SIGNED IN" => (70, None),
        "PLATFORM" => (65, None),
        "START" => (60, None),
        "DISPLAY NAME" => (55, Some(10)),
        "ADDRESS" => (50, Some(10)),
        "NOTE" => (45, Some(10)),
        "TICKET" => (40, Some(8)),
        "REQUESTED" => (35, None),
        "LOGIN ACCOUNT" | "TYPE" => (30, None),
        _ => (50, Some(10)),
    }
}

/// Which columns to show, and how wide: everything in full when it fits (or there is no
/// limit); else the free text shortened, and then, while that is not enough, the least
/// important column dropped. Cells are never wrapped, so no word is ever split.
fn fit(
    headers: &[&str],
    titles: &[String],
    rows: &[Vec<String>],
    limit: Option<usize>,
) -> Vec<(usize, usize)> {
    let header_width = |column: usize| console::measure_text_width(&titles[column]);
    let natural: Vec<usize> = (0..headers.len())
        .map(|column| {
            rows.iter()
                .filter_map(|row| row.get(column))
                .map(|cell| console::measure_text_width(cell))
                .chain([header_width(column)])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut shown: Vec<usize> = (0..headers.len()).collect();
    let Some(limit) = limit else {
        return shown.iter().map(|&c| (c, natural[c])).collect();
    };
    // Each cell has one space of padding on either side; the last line's trailing one is
    // trimmed.
    let line_width = |widths: &[(usize, usize)]| {
        widths
            .iter()
            .map(|(_, w)| w + 2)
            .sum::<usize>()
            .saturating_sub(1)
    };
    loop {
        let mut widths: Vec<(usize, usize)> = shown.iter().map(|&c| (c, natural[c])).collect();
        while line_width(&widths) > limit {
            // Shorten the widest shortenable column by one, keeping its header whole.
            let candidate = widths
                .iter_mut()
                .filter(|(column, width)| {
                    give_way(headers[*column])
                        .1
                        .is_some_and(|shortest| *width > shortest.max(header_width(*column)))
                })
                .max_by_key(|(_, width)| *width);
            match candidate {
                Some((_, width)) => *width -= 1,
                None => break,
            }
        }
        if line_width(&widths) <= limit {
            return widths;
        }
        let droppable = shown
            .iter()
            .enumerate()
            .filter(|(_, column)| give_way(headers[**column]).0 < KEEP)
            // The least important; of equals, the rightmost.
            .min_by_key(|(at, column)| (give_way(headers[**column]).0, usize::MAX - at))
            .map(|(at, _)| at);
        match droppable {
            Some(at) => {
                shown.remove(at);
            }
            // Only columns that must stay: show them, wider than the terminal or not.
            None => return widths,
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
