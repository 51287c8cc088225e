//! The wizard behind `pamctl session create -i` (and a bare `session create` on a terminal). It
//! walks the product's Activity Request pages in order: activity, resources, note and ticket,
//! schedule, review; then it creates, shows and waits with the same code as the flags.
//!
//! Nothing is created before the review is confirmed, so Esc or Ctrl-C up to there leaves
//! nothing behind (exit 130).

use std::collections::HashMap;
use std::future::Future;
use std::io::IsTerminal;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::create::{
    CreateArgs, follow_up, non_blank, show, submit, ticket_missing, ticket_required, wait_available,
};
use crate::cli::context::Context;
use crate::cli::error::{CliError, ExitKind};
use crate::cli::output::{Output, short_id};
use crate::cli::prompt::{CursorGuard, Prompter, Stopped, Validator};
use crate::cli::when::{When, format_dur, parse_dur, parse_when};
use crate::wire::catalog::{ActivityCard, ManagedResource, PolicyCard};
use crate::wire::session::ActivitySessionRequest;

/// How far in the past a typed start may be: the current minute, typed as `HH:MM`, has begun.
const START_SLACK: chrono::TimeDelta = chrono::TimeDelta::minutes(1);

pub async fn run(context: &Context, args: CreateArgs) -> Result<(), CliError> {
    let _cursor = CursorGuard;
    let mut interrupts = Interrupts::listen()?;
    let prompter = Prompter::new(!context.global.no_color && std::io::stderr().is_terminal());
    let client = context.client()?;

    let cards: Vec<ActivityCard> = interrupts
        .around(client.activity_cards())
        .await
        .ok_or_else(cancelled)??
        .into_iter()
        // An activity no policy grants (admins see them all) cannot be requested.
        .filter(|card| !card.access_control_policies.is_empty())
        .collect();
    if cards.is_empty() {
        return Err(
            CliError::new(ExitKind::NotFound, "there is no activity you may request")
                .hint("an admin grants activities through access policies"),
        );
    }
    let card = choose_activity(prompter, &cards, args.activity.as_deref()).await?;
    let terms = Terms::of(card);

    let available = interrupts
        .around(client.activity_session_resources(card.activity.id))
        .await
        .ok_or_else(cancelled)??;
    if available.is_empty() {
        return Err(CliError::new(
            ExitKind::NotFound,
            format!(
                "there is no resource you may request {} on",
                card.activity.name
            ),
        )
        .hint("choose another activity, or ask an admin"));
    }
    let resources = choose_resources(prompter, card, &available, &args.resource).await?;

    let note = ask_note(prompter, args.note.as_deref()).await?;
    let ticket = ask_ticket(prompter, card, args.ticket().as_deref()).await?;
    let start = ask_start(prompter, context.output).await?;
    let length = ask_length(prompter, &terms).await?;

    let draft = Draft {
        card,
        resources,
        note,
        ticket,
        start,
        length,
        terms,
    };
    let count = draft.resources.len();
    let question = if count == 1 {
        "Create this session?".to_owned()
    } else {
        format!("Create these {count} sessions (a session group)?")
    };
    let review = draft.review(Utc::now(), &context.output);
    let confirmed = ask(prompter, move |p| {
        p.say(&review)?;
        p.confirm(&question, true)
    })
    .await
    .map_err(before_creating)?;
    if !confirmed {
        return Err(cancelled());
    }

    // From here on there is something to show, and stopping no longer undoes it.
    let created = submit(&client, &draft.requests(Utc::now())).await?;
    let ids = created.ids();
    let summaries = show(
        context,
        &client,
        &created.sessions,
        HashMap::new(),
        created.grouped,
    )
    .await?;
    let wait = args.wait || ask_wait(prompter, count, &draft.terms, &ids).await?;
    if !wait {
        follow_up(context, &ids, &summaries);
        return Ok(());
    }
    let waited = interrupts
        .around(wait_available(
            &client,
            &context.output,
            &created,
            args.wait_timeout,
        ))
        .await
        .ok_or_else(|| stopped_after_creating(&ids))?;
    waited.result
}

/// The error for leaving the wizard before anything was created.
fn cancelled() -> CliError {
    CliError::new(ExitKind::Interrupted, "cancelled: no session was created")
}

fn before_creating(stopped: Stopped) -> CliError {
    match stopped {
        Stopped::Escape | Stopped::Interrupt => cancelled(),
        Stopped::Terminal(message) => terminal_failed(&message),
    }
}

fn terminal_failed(message: &str) -> CliError {
    CliError::failure(format!("cannot ask on the terminal: {message}"))
        .hint("pass --activity NAME and --resource NAME instead of using the wizard")
}

fn stopped_after_creating(ids: &[uuid::Uuid]) -> CliError {
    let short = ids.first().map(short_id).unwrap_or_default();
    CliError::new(
        ExitKind::Interrupted,
        "stopped waiting; the sessions were created and go on",
    )
    .hint(format!(
        "follow them with `pamctl session wait {short}` or `pamctl session list`"
    ))
}

/// Runs a prompt off the async threads (it blocks on the terminal).
async fn ask<T, Q>(prompter: Prompter, question: Q) -> Result<T, Stopped>
where
    T: Send + 'static,
    Q: FnOnce(Prompter) -> Result<T, Stopped> + Send + 'static,
{
    tokio::task::spawn_blocking(move || question(prompter))
        .await
        .unwrap_or_else(|error| Err(Stopped::Terminal(error.to_string())))
}

/// Ctrl-C while the wizard waits on the server. Listening for it also means that Ctrl-C no
/// longer ends the process outright, for the rest of its life: a prompt that reads Ctrl-C (in
/// raw mode, then raising SIGINT) then returns an error the wizard cleans up after, instead of
/// the process dying with the cursor hidden.
struct Interrupts {
    #[cfg(unix)]
    signal: tokio::signal::unix::Signal,
}

impl Interrupts {
    fn listen() -> Result<Self, CliError> {
        #[cfg(unix)]
        {
            let signal = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?;
            Ok(Self { signal })
        }
        #[cfg(not(unix))]
        Ok(Self {})
    }

    async fn next(&mut self) {
        #[cfg(unix)]
        if self.signal.recv().await.is_none() {
            // No more signals can come; never report one.
            std::future::pending::<()>().await;
        }
        #[cfg(not(unix))]
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }

    /// `work`'s output, or None when Ctrl-C came first.
    async fn around<F: Future>(&mut self, work: F) -> Option<F::Output> {
        tokio::select! {
            output = work => Some(output),
            () = self.next() => None,
        }
    }
}

/// What the policies granting an activity allow, as far as the wizard can tell before the
/// resources are known. With several policies, the server applies the first one that grants
/// each resource; the wizard refuses only what every one of them would.
struct Terms {
    policies: String,
    max: Duration,
    approval: String,
    needs_approval: bool,
}

impl Terms {
    fn of(card: &ActivityCard) -> Terms {
        let policies = &card.access_control_policies;
        let max_minutes = policies
            .iter()
            .map(|p| p.max_session_duration_minutes)
            .max()
            .unwrap_or(0);
        Terms {
            policies: policies
                .iter()
                .map(|p| format!("\"{}\"", p.name))
                .collect::<Vec<_>>()
                .join(" or "),
            max: Duration::from_secs(u64::try_from(max_minutes).unwrap_or(0) * 60),
            approval: approval_needed(card),
            needs_approval: policies.iter().any(|p| p.approval_required),
        }
    }
}

/// `no`, `yes: 1 of rita, ravi`, or which policies need it when only some do.
fn approval_needed(card: &ActivityCard) -> String {
    let policies = &card.access_control_policies;
    let needing: Vec<&PolicyCard> = policies.iter().filter(|p| p.approval_required).collect();
    if needing.is_empty() {
        "no".to_owned()
    } else if needing.len() == policies.len() {
        let who = needing
            .iter()
            .map(|p| approvers(p))
            .collect::<Vec<_>>()
            .join(" or ");
        format!("yes: {who}")
    } else {
        let which = needing
            .iter()
            .map(|p| format!("\"{}\"", p.name))
            .collect::<Vec<_>>()
            .join(", ");
        format!("on the resources of policy {which}")
    }
}

/// `1 of rita, ravi, then 1 of admin`.
fn approvers(policy: &PolicyCard) -> String {
    if policy.approval_tiers.is_empty() {
        return "an approver".to_owned();
    }
    policy
        .approval_tiers
        .iter()
        .map(|tier| {
            format!(
                "{} of {}",
                tier.required_approvals,
                tier.approvers.join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join(", then ")
}

/// Lines of `cells` with each column padded to its widest cell.
fn aligned(rows: &[Vec<String>]) -> Vec<String> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    rows.iter()
        .map(|row| {
            row.iter()
                .zip(&widths)
                .map(|(cell, width)| format!("{cell:<width$}"))
                .collect::<Vec<_>>()
                .join("  ")
                .trim_end()
                .to_owned()
        })
        .collect()
}

async fn choose_activity<'c>(
    prompter: Prompter,
    cards: &'c [ActivityCard],
    wanted: Option<&str>,
) -> Result<&'c ActivityCard, CliError> {
    let items = aligned(
        &cards
            .iter()
            .map(|card| {
                let needed = card
                    .access_control_policies
                    .iter()
                    .filter(|p| p.approval_required)
                    .count();
                let approval = match needed {
                    0 => "no approval needed",
                    n if n == card.access_control_policies.len() => "needs approval",
                    _ => "needs approval on some resources",
                };
                vec![
                    card.activity.name.clone(),
                    card.activity.platform_name.clone().unwrap_or_default(),
                    approval.to_owned(),
                ]
            })
            .collect::<Vec<_>>(),
    );
    let default = wanted
        .map(str::trim)
        .map(str::to_lowercase)
        .and_then(|wanted| {
            cards.iter().position(|c| {
                c.activity.name.to_lowercase() == wanted
                    || (wanted.len() >= 4 && c.activity.id.to_string().starts_with(&wanted))
            })
        })
        .unwrap_or(0);
    let names: Vec<String> = cards.iter().map(|c| c.activity.name.clone()).collect();
    let chosen = ask(prompter, move |p| {
        p.fuzzy_select("Activity (type to filter)", &items, &names, default)
    })
    .await
    .map_err(before_creating)?;
    cards
        .get(chosen)
        .ok_or_else(|| CliError::failure("the chosen activity is not in the list"))
}

async fn choose_resources<'r>(
    prompter: Prompter,
    card: &ActivityCard,
    available: &'r [ManagedResource],
    wanted: &[String],
) -> Result<Vec<&'r ManagedResource>, CliError> {
    let items = aligned(
        &available
            .iter()
            .map(|r| {
                vec![
                    r.name.clone(),
                    r.display_name.clone().unwrap_or_default(),
                    r.platform_name.clone().unwrap_or_default(),
                    r.ip_address.clone().unwrap_or_default(),
                ]
            })
            .collect::<Vec<_>>(),
    );
    let is_wanted = |r: &ManagedResource| {
        wanted.iter().any(|w| {
            let w = w.trim().to_lowercase();
            r.name.to_lowercase() == w
                || r.display_name
                    .as_deref()
                    .is_some_and(|d| d.to_lowercase() == w)
                || (w.len() >= 4 && r.id.to_string().starts_with(&w))
        })
    };
    let checked: Vec<bool> = available
        .iter()
        .map(|r| available.len() == 1 || is_wanted(r))
        .collect();
    let unknown: Vec<String> = wanted
        .iter()
        .filter(|w| {
            let w = w.trim().to_lowercase();
            !available.iter().any(|r| {
                r.name.to_lowercase() == w
                    || r.display_name
                        .as_deref()
                        .is_some_and(|d| d.to_lowercase() == w)
                    || (w.len() >= 4 && r.id.to_string().starts_with(&w))
            })
        })
        .cloned()
        .collect();
    let names: Vec<String> = available.iter().map(|r| r.name.clone()).collect();
    let activity = card.activity.name.clone();
    let chosen = ask(prompter, move |p| {
        for name in &unknown {
            p.complain(&format!(
                "'{name}' is not a resource you may request {activity} on"
            ))?;
        }
        loop {
            let chosen = p.multi_select(
                "Resources (Space ticks, Enter goes on; several make a session group)",
                &items,
                &names,
                &checked,
            )?;
            if !chosen.is_empty() {
                return Ok(chosen);
            }
            p.complain("choose at least one resource: Space ticks the one under the cursor")?;
        }
    })
    .await
    .map_err(before_creating)?;
    Ok(chosen
        .into_iter()
        .filter_map(|index| available.get(index))
        .collect())
}

fn accept_anything() -> Validator {
    Box::new(|_| Ok(()))
}

async fn ask_note(prompter: Prompter, given: Option<&str>) -> Result<Option<String>, CliError> {
    let initial = given.unwrap_or_default().trim().to_owned();
    let note = ask(prompter, move |p| {
        p.text(
            "Note (optional: why you need it)",
            None,
            &initial,
            accept_anything(),
        )
    })
    .await
    .map_err(before_creating)?;
    Ok(non_blank(Some(&note)))
}

async fn ask_ticket(
    prompter: Prompter,
    card: &ActivityCard,
    given: Option<&str>,
) -> Result<Option<String>, CliError> {
    let initial = given.unwrap_or_default().to_owned();
    let (prompt, validate): (String, Validator) = match ticket_required(card) {
        Some(policies) => {
            let missing = ticket_missing(&card.activity.name, &policies);
            (
                "Ticket (required)".to_owned(),
                Box::new(move |answer: &str| {
                    if answer.trim().is_empty() {
                        Err(missing.clone())
                    } else {
                        Ok(())
                    }
                }),
            )
        }
        None => ("Ticket (optional)".to_owned(), accept_anything()),
    };
    let ticket = ask(prompter, move |p| p.text(&prompt, None, &initial, validate))
        .await
        .map_err(before_creating)?;
    Ok(non_blank(Some(&ticket)))
}

/// When the sessions start.
#[derive(Debug, Clone, Copy)]
enum Start {
    Now,
    At(When),
}

/// A start as typed: any WHEN, not in the past.
fn typed_start(text: &str, output: Output) -> Result<When, String> {
    let when = parse_when(text)?;
    let now = Utc::now();
    if when.at(now) < now - START_SLACK {
        return Err(format!(
            "{} is in the past; give a later time, or choose Now",
            output.time_for_person(when.at(now))
        ));
    }
    Ok(when)
}

async fn ask_start(prompter: Prompter, output: Output) -> Result<Start, CliError> {
    ask(prompter, move |p| {
        let later = p.select("Start", &["Now", "Later: a date and time"], 0)? == 1;
        if !later {
            return Ok(Start::Now);
        }
        let answer = p.text(
            "Start (YYYY-MM-DD HH:MM in local time, or +DUR)",
            None,
            "",
            Box::new(move |text: &str| typed_start(text, output).map(drop)),
        )?;
        typed_start(&answer, output)
            .map(Start::At)
            .map_err(Stopped::Terminal)
    })
    .await
    .map_err(before_creating)
}

/// How long the sessions last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Length {
    /// The granting policy's maximum: the server fills in the end.
    Maximum,
    Exactly(Duration),
}

fn typed_length(text: &str, max: Duration, policies: &str) -> Result<Duration, String> {
    let duration = parse_dur(text)?;
    if duration > max {
        return Err(format!(
            "{} is over the maximum of {} that {} allows",
            format_dur(duration),
            format_dur(max),
            if policies.contains(" or ") {
                format!("policies {policies}")
            } else {
                format!("policy {policies}")
            }
        ));
    }
    Ok(duration)
}

async fn ask_length(prompter: Prompter, terms: &Terms) -> Result<Length, CliError> {
    let max = terms.max;
    let policies = terms.policies.clone();
    ask(prompter, move |p| {
        let most = format_dur(max);
        let answer = p.text(
            &format!("Duration (90s, 30m, 2h, 1h30m; at most {most})"),
            Some(&most),
            "",
            Box::new({
                let policies = policies.clone();
                move |text: &str| typed_length(text, max, &policies).map(drop)
            }),
        )?;
        let duration = typed_length(&answer, max, &policies).map_err(Stopped::Terminal)?;
        Ok(if duration == max {
            Length::Maximum
        } else {
            Length::Exactly(duration)
        })
    })
    .await
    .map_err(before_creating)
}

async fn ask_wait(
    prompter: Prompter,
    count: usize,
    terms: &Terms,
    ids: &[uuid::Uuid],
) -> Result<bool, CliError> {
    let question = if count == 1 {
        "Wait until it is available?"
    } else {
        "Wait until they are available?"
    };
    // Waiting for a person to approve can take a while: then it is not the default.
    let default = !terms.needs_approval;
    match ask(prompter, move |p| p.confirm(question, default)).await {
        Ok(wait) => Ok(wait),
        Err(Stopped::Escape) => Ok(false),
        Err(Stopped::Interrupt) => Err(stopped_after_creating(ids)),
        Err(Stopped::Terminal(message)) => Err(terminal_failed(&message)),
    }
}

/// The request as the wizard gathered it.
struct Draft<'a> {
    card: &'a ActivityCard,
    resources: Vec<&'a ManagedResource>,
    note: Option<String>,
    ticket: Option<String>,
    start: Start,
    length: Length,
    terms: Terms,
}

impl Draft<'_> {
    /// The start to send: none for now, and for a time that passed while the user reviewed.
    fn start_at(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self.start {
            Start::Now => None,
            Start::At(when) => Some(when.at(now)).filter(|at| *at > now),
        }
    }

    fn requests(&self, now: DateTime<Utc>) -> Vec<ActivitySessionRequest> {
        let start = self.start_at(now);
        let end = match self.length {
            Length::Maximum => None,
            Length::Exactly(duration) => chrono::Duration::from_std(duration)
                .ok()
                .map(|d| start.unwrap_or(now) + d),
        };
        self.resources
            .iter()
            .map(|resource| ActivitySessionRequest {
                activity_id: Some(self.card.activity.id),
                managed_resource_id: Some(resource.id),
                start_date_time_utc: start,
                end_date_time_utc: end,
                note: self.note.clone(),
                ticket: self.ticket.clone(),
                ..ActivitySessionRequest::default()
            })
            .collect()
    }

    /// The summary shown before confirming, its times as every other command shows them.
    fn review(&self, now: DateTime<Utc>, output: &Output) -> String {
        let activity = &self.card.activity;
        let names: Vec<&str> = self.resources.iter().map(|r| r.name.as_str()).collect();
        let resources = match names.len() {
            1 => names.join(", "),
            n => format!("{} (a session group of {n})", names.join(", ")),
        };
        let starts = self.start_at(now).unwrap_or(now);
        let (length, length_text) = match self.length {
            Length::Maximum => (
                self.terms.max,
                format!("{}, the most", format_dur(self.terms.max)),
            ),
            Length::Exactly(d) => (d, format_dur(d)),
        };
        let ends = starts + chrono::Duration::from_std(length).unwrap_or_default();
        let start_text = match self.start {
            Start::Now => "now".to_owned(),
            Start::At(_) => output.time_for_person(starts),
        };
        let rows = [
            (
                "Activity",
                match &activity.platform_name {
                    Some(platform) => format!("{} ({platform})", activity.name),
                    None => activity.name.clone(),
                },
            ),
            ("Resources", resources),
            ("Note", self.note.clone().unwrap_or_else(|| "-".to_owned())),
            (
                "Ticket",
                self.ticket.clone().unwrap_or_else(|| "-".to_owned()),
            ),
            ("Start", start_text),
            (
                "End",
                format!("{} ({length_text})", output.time_for_person(ends)),
            ),
            (
                "Policy",
                format!(
                    "{} (at most {})",
                    self.terms.policies,
                    format_dur(self.terms.max)
                ),
            ),
            ("Approval needed", self.terms.approval.clone()),
        ];
        let lines = aligned(
            &rows
                .iter()
                .map(|(label, value)| vec![format!("  {label}:"), value.clone()])
                .collect::<Vec<_>>(),
        );
        format!("\nReview your request:\n{}\n", lines.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::output::Format;

    #[test]
    fn a_duration_over_the_maximum_names_the_policy() {
        let max = Duration::from_secs(4 * 3600);
        assert_eq!(
            typed_length("30m", max, "\"Web Ops\""),
            Ok(Duration::from_secs(1800))
        );
        let error = typed_length("5h", max, "\"Web Ops\"").unwrap_err();
        assert!(error.contains("maximum of 4h"), "{error}");
        assert!(error.contains("policy \"Web Ops\""), "{error}");
        assert!(typed_length("soon", max, "\"Web Ops\"").is_err());
    }

    #[test]
    fn a_start_in_the_past_is_refused() {
        let output = Output::new(Format::Table, true, false);
        assert!(typed_start("+30m", output).is_ok());
        assert!(typed_start("now", output).is_ok());
        let error = typed_start("-2h", output).unwrap_err();
        assert!(error.contains("in the past"), "{error}");
        assert!(typed_start("2001-01-01 09:00", output).is_err());
        assert!(typed_start("tomorrow", output).is_err());
    }

    #[test]
    fn a_start_in_the_past_is_named_in_the_zone_of_the_other_commands() {
        let utc = Output::new(Format::Table, true, true);
        let error = typed_start("2001-01-01T09:00:00+02:00", utc).unwrap_err();
        assert!(
            error.starts_with("2001-01-01 07:00 +00:00 is in the past"),
            "{error}"
        );
    }
}
