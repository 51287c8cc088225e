//! Terminal prompts that the user can leave at any point: Esc or Ctrl-C ends each of them with
//! [`Stopped`] instead of an answer, so that an interactive command can stop cleanly.
//!
//! Selections and confirmations are dialoguer's. Free text has its own small line editor:
//! dialoguer's `Input` ignores Esc, and a wizard that Esc leaves everywhere but in its text
//! fields would surprise. Every prompt blocks; async callers run it with `spawn_blocking`.

use std::io;

use console::{Key, Term, measure_text_width};
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use dialoguer::{Confirm, FuzzySelect, MultiSelect, Select};

/// Why a prompt ended without an answer.
#[derive(Debug)]
pub enum Stopped {
    /// The user pressed Esc.
    Escape,
    /// The user pressed Ctrl-C.
    Interrupt,
    /// The terminal failed (closed, not a terminal).
    Terminal(String),
}

impl From<io::Error> for Stopped {
    fn from(error: io::Error) -> Self {
        // console reads Ctrl-C in raw mode as an `Interrupted` error (after raising SIGINT).
        if error.kind() == io::ErrorKind::Interrupted {
            Stopped::Interrupt
        } else {
            Stopped::Terminal(error.to_string())
        }
    }
}

impl From<dialoguer::Error> for Stopped {
    fn from(error: dialoguer::Error) -> Self {
        match error {
            dialoguer::Error::IO(error) => error.into(),
        }
    }
}

impl From<std::fmt::Error> for Stopped {
    fn from(_: std::fmt::Error) -> Self {
        Stopped::Terminal("cannot format the prompt".to_owned())
    }
}

/// Checks a text answer; `Err` holds the message shown under the prompt.
pub type Validator = Box<dyn Fn(&str) -> Result<(), String> + Send>;

/// Asks on stderr, in colour or plain.
#[derive(Debug, Clone, Copy)]
pub struct Prompter {
    color: bool,
}

impl Prompter {
    pub fn new(color: bool) -> Self {
        Self { color }
    }

    fn theme(self) -> Box<dyn Theme> {
        if self.color {
            Box::new(ColorfulTheme::default())
        } else {
            Box::new(SimpleTheme)
        }
    }

    /// One of `items`; typing filters them (fuzzy). The answer is reported as its `names`.
    pub fn fuzzy_select(
        self,
        prompt: &str,
        items: &[String],
        names: &[String],
        default: usize,
    ) -> Result<usize, Stopped> {
        let theme = self.theme();
        let chosen = FuzzySelect::with_theme(theme.as_ref())
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .report(false)
            .interact_on_opt(&Term::stderr())?
            .ok_or(Stopped::Escape)?;
        self.report(prompt, names.get(chosen).map_or("", String::as_str))?;
        Ok(chosen)
    }

    /// One of `items`, with the arrow keys.
    pub fn select(self, prompt: &str, items: &[&str], default: usize) -> Result<usize, Stopped> {
        let theme = self.theme();
        Select::with_theme(theme.as_ref())
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .interact_on_opt(&Term::stderr())?
            .ok_or(Stopped::Escape)
    }

    /// Any of `items` (space toggles); `checked` says which start ticked. The answer is
    /// reported as its `names`.
    pub fn multi_select(
        self,
        prompt: &str,
        items: &[String],
        names: &[String],
        checked: &[bool],
    ) -> Result<Vec<usize>, Stopped> {
        let theme = self.theme();
        let chosen = MultiSelect::with_theme(theme.as_ref())
            .with_prompt(prompt)
            .items(items)
            .defaults(checked)
            .report(false)
            .interact_on_opt(&Term::stderr())?
            .ok_or(Stopped::Escape)?;
        let answer = chosen
            .iter()
            .filter_map(|&index| names.get(index).map(String::as_str))
            .collect::<Vec<_>>()
            .join(", ");
        self.report(prompt, &answer)?;
        Ok(chosen)
    }

    /// Yes or no: `y`, `n`, or Enter for the default.
    pub fn confirm(self, prompt: &str, default: bool) -> Result<bool, Stopped> {
        let theme = self.theme();
        Confirm::with_theme(theme.as_ref())
            .with_prompt(prompt)
            .default(default)
            .interact_on_opt(&Term::stderr())?
            .ok_or(Stopped::Escape)
    }

    /// A line of text, starting as `initial`. Enter on an empty line answers `default` (or the
    /// empty string); the answer, trimmed, must pass `validate`, else its message shows above
    /// the prompt and the text stays for editing.
    pub fn text(
        self,
        prompt: &str,
        default: Option<&str>,
        initial: &str,
        validate: Validator,
    ) -> Result<String, Stopped> {
        let mut editor = LineEditor::new(self.theme(), prompt, default);
        editor.text = initial.to_owned();
        editor.run(&validate)
    }

    /// Leaves `Label: answer` where the prompt was, the label being the prompt up to its first
    /// parenthesis: `Duration (at most 4h)` answers as `Duration: 2h`.
    fn report(self, prompt: &str, answer: &str) -> Result<(), Stopped> {
        let mut line = String::new();
        self.theme()
            .format_input_prompt_selection(&mut line, label(prompt), shown(answer))?;
        self.say(&line)
    }

    /// Lines for the user (a summary, a notice) on stderr, between prompts.
    pub fn say(self, text: &str) -> Result<(), Stopped> {
        Term::stderr().write_line(text)?;
        Ok(())
    }

    /// A notice in the theme's error style, e.g. why an answer cannot be taken.
    pub fn complain(self, message: &str) -> Result<(), Stopped> {
        let mut line = String::new();
        self.theme().format_error(&mut line, message)?;
        self.say(&line)
    }
}

fn label(prompt: &str) -> &str {
    prompt.split(" (").next().unwrap_or(prompt).trim_end()
}

/// An empty answer shows as a dash, so that the line does not look unanswered.
fn shown(answer: &str) -> &str {
    if answer.is_empty() { "-" } else { answer }
}

/// A single-line editor: printable characters, Backspace, Ctrl-U to clear, Enter, Esc.
/// Editing happens at the end of the line only, which keeps redrawing trivial.
struct LineEditor<'p> {
    term: Term,
    theme: Box<dyn Theme>,
    prompt: &'p str,
    default: Option<&'p str>,
    text: String,
    /// Terminal rows the prompt line took when last drawn (it wraps when long).
    rows: usize,
    /// Rows of the validation message drawn above the prompt line, if any.
    message_rows: usize,
}

impl<'p> LineEditor<'p> {
    fn new(theme: Box<dyn Theme>, prompt: &'p str, default: Option<&'p str>) -> Self {
        Self {
            term: Term::stderr(),
            theme,
            prompt,
            default,
            text: String::new(),
            rows: 0,
            message_rows: 0,
        }
    }

    fn run(mut self, validate: &Validator) -> Result<String, Stopped> {
        self.draw()?;
        loop {
            let key = match self.term.read_key() {
                Ok(key) => key,
                Err(error) => {
                    self.term.write_line("")?;
                    return Err(error.into());
                }
            };
            match key {
                Key::Escape => {
                    self.term.write_line("")?;
                    return Err(Stopped::Escape);
                }
                Key::Enter => {
                    let answer = match self.text.trim() {
                        "" => self.default.unwrap_or_default().to_owned(),
                        typed => typed.to_owned(),
                    };
                    match validate(&answer) {
                        Ok(()) => {
                            self.finish(&answer)?;
                            return Ok(answer);
                        }
                        Err(message) => self.show_message(&message)?,
                    }
                }
                Key::Backspace => {
                    self.text.pop();
                    self.draw()?;
                }
                Key::Char('\u{15}') => {
                    self.text.clear();
                    self.draw()?;
                }
                Key::Char(c) if !c.is_control() => {
                    self.text.push(c);
                    self.draw()?;
                }
                _ => {}
            }
        }
    }

    /// How many terminal rows `line` takes at the terminal's width.
    fn rows_of(&self, line: &str) -> usize {
        let width = usize::from(self.term.size().1).max(1);
        measure_text_width(line).div_ceil(width).max(1)
    }

    /// Clears the prompt line as last drawn, leaving the cursor at its start.
    fn clear_prompt(&self) -> Result<(), Stopped> {
        self.term.clear_line()?;
        if self.rows > 1 {
            self.term.clear_last_lines(self.rows - 1)?;
        }
        Ok(())
    }

    fn draw(&mut self) -> Result<(), Stopped> {
        self.clear_prompt()?;
        let mut line = String::new();
        self.theme
            .format_input_prompt(&mut line, self.prompt, self.default)?;
        line.push_str(&self.text);
        self.rows = self.rows_of(&line);
        self.term.write_str(&line)?;
        self.term.flush()?;
        Ok(())
    }

    /// Replaces the previous message (if any) with `message`, just above the prompt line.
    fn show_message(&mut self, message: &str) -> Result<(), Stopped> {
        self.clear_prompt()?;
        if self.message_rows > 0 {
            self.term.clear_last_lines(self.message_rows)?;
        }
        let mut line = String::new();
        self.theme.format_error(&mut line, message)?;
        self.message_rows = self.rows_of(&line);
        self.term.write_line(&line)?;
        self.rows = 0;
        self.draw()
    }

    /// Leaves `prompt: answer` in place of the prompt and any message.
    fn finish(&mut self, answer: &str) -> Result<(), Stopped> {
        self.clear_prompt()?;
        if self.message_rows > 0 {
            self.term.clear_last_lines(self.message_rows)?;
        }
        let mut line = String::new();
        self.theme
            .format_input_prompt_selection(&mut line, label(self.prompt), shown(answer))?;
        self.term.write_line(&line)?;
        Ok(())
    }
}

/// Shows the cursor again when dropped: dialoguer hides it while a selection is open and
/// leaves it hidden when Ctrl-C ends one.
pub struct CursorGuard;

impl Drop for CursorGuard {
    fn drop(&mut self) {
        // Nothing to do about a terminal that is gone.
        let _ = Term::stderr().show_cursor();
    }
}
