//! `pamctl session end`, `lock` and `unlock`: one or many sessions, named by ID, by `-`
//! (IDs on stdin) or by FILTERS. Every item is done, several at a time, and reported on its
//! own line; a bad ID is that item's failure, never the batch's. If any failed, the exit code
//! is their shared reason's (3, 4, 5...), or 1 when the reasons differ.

use std::future::Future;
use std::io::IsTerminal;
use std::sync::Arc;

use chrono::Utc;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{Value, json};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use uuid::Uuid;

use super::filter::{FilterArgs, Order, Scope, select};
use super::ids::{self, Target};
use super::view::{describe, session_json, session_state, summary_json};
use crate::cli::context::Context;
use crate::cli::error::{CliError, ExitKind};
use crate::client::{Client, ClientError};
use crate::wire::problem::ProblemDetails;
use crate::wire::session::{END_SESSIONS_MAX, EndSessionResult, LockRequest, SessionSummary};

/// Requests in flight at once: enough to end a thousand sessions in seconds, few enough not
/// to swamp the server.
const IN_FLIGHT: usize = 16;
/// Sessions per `POST /api/v1/ActivitySession/End`: the most the server takes in one.
const END_BATCH: usize = END_SESSIONS_MAX;
/// Batches in flight at once: the server writes each in one transaction, so a few keep its
/// one writer busy while the next batches are read.
const BATCHES_IN_FLIGHT: usize = 4;
/// From this many items on, a terminal gets a progress bar.
const PROGRESS_FROM: usize = 10;

#[derive(Debug, Args)]
pub struct TargetArgs {
    /// Session IDs (full or unique prefixes); `-` reads them from stdin, one per line
    #[arg(value_name = "ID")]
    pub ids: Vec<String>,

    #[command(flatten)]
    pub filters: FilterArgs,

    /// Act on every session the filters match without asking (needed off a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Print what would be acted on, and do nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// End sessions: before they are Available they become Cancelled, after it Canceling
///
/// Give session IDs (full or unique prefixes), `-` to read them from stdin one per line (so
/// `pamctl session list -q` pipes in), or FILTERS and no IDs to end every unfinished session
/// that matches: bulk termination. With FILTERS, pamctl shows how many sessions match and asks
/// on a terminal; without a terminal it needs --yes. --dry-run prints what would be ended and
/// changes nothing.
///
/// Sessions are ended 500 to a request, a few requests at a time (one DELETE per session,
/// sixteen at a time, on a server without pamctl's batch end), with a progress bar on a
/// terminal, and each is reported on its own line (`<id> ended` or `<id> error: ...`; with
/// -o json an array of {"id", "ok", "error", "code", "session"}). An unknown, ambiguous or malformed ID is that item's failure;
/// the others still run. When items failed, the exit status is the reason they share (2 a
/// malformed or ambiguous ID, 3 not found, 4 not allowed, 5 refused), or 1 when their reasons
/// differ. Ending a session that has already finished succeeds, so a bulk end can safely be
/// run again. IDs from `-` are all read before the first is ended.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    pamctl session end 3f2a9c1b\n  \
    pamctl session end --user uma --dry-run\n  \
    pamctl session end --resource web01 --yes\n  \
    pamctl session list --status failed --history -q | pamctl session end -\n\n\
    Ending a finished session succeeds and changes nothing.")]
pub struct EndArgs {
    #[command(flatten)]
    pub target: TargetArgs,
}

/// Lock sessions (admins): they stay active, but the user may not work in them
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    pamctl session lock 3f2a9c1b --title \"Incident 42\" --message \"Suspicious activity\"\n  \
    pamctl session lock --user ulf --yes --title \"Incident 42\"")]
pub struct LockArgs {
    #[command(flatten)]
    pub target: TargetArgs,

    /// A short reason, shown to the user and in the session log
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,

    /// A longer explanation
    #[arg(long, value_name = "TEXT")]
    pub message: Option<String>,
}

/// Unlock locked sessions (admins)
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    pamctl session unlock 3f2a9c1b\n  \
    pamctl session unlock --user ulf --yes")]
pub struct UnlockArgs {
    #[command(flatten)]
    pub target: TargetArgs,
}

#[derive(Debug, Clone, Copy)]
enum Action {
    End,
    Lock,
    Unlock,
}

impl Action {
    fn verb(self) -> &'static str {
        match self {
            Action::End => "end",
            Action::Lock => "lock",
            Action::Unlock => "unlock",
        }
    }

    fn done(self) -> &'static str {
        match self {
            Action::End => "ended",
            Action::Lock => "locked",
            Action::Unlock => "unlocked",
        }
    }

    /// The sessions FILTERS pick from.
    fn scope(self) -> Scope {
        match self {
            Action::End => Scope::Unfinished,
            Action::Lock => Scope::Lockable,
            Action::Unlock => Scope::Locked,
        }
    }
}

/// One item's result: the JSON `session`, if any, or what went wrong.
pub(crate) type ItemResult = Result<Option<Value>, CliError>;

pub async fn end(context: &Context, args: EndArgs) -> Result<(), CliError> {
    let client = Arc::new(context.client()?);
    let Some(targets) = targets(context, &client, &args.target, Action::End).await? else {
        return Ok(());
    };
    let ids = full_ids(&targets);
    let ended = end_in_batches(&client, &ids).await;
    report_results(context, Action::End.done(), labelled(targets, ended))
}

/// Ends `ids` through `POST /api/v1/ActivitySession/End`, END_BATCH at a time with a few
/// batches in flight: the broker writes a batch in one transaction. A server without the
/// endpoint (Privilege Secure, an older pamctl) gets one DELETE per id instead. The results
/// are those one DELETE per id would give, in the order of `ids`.
async fn end_in_batches(client: &Arc<Client>, ids: &[Uuid]) -> Vec<ItemResult> {
    let progress = progress_bar(ids.len(), "ending");
    let permits = Arc::new(Semaphore::new(BATCHES_IN_FLIGHT));
    let mut tasks = JoinSet::new();
    for (index, batch) in ids.chunks(END_BATCH).enumerate() {
        let permits = Arc::clone(&permits);
        let client = Arc::clone(client);
        let batch = batch.to_vec();
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await;
            let answer = client.end_sessions(&batch).await;
            (index, batch, answer)
        });
    }
    let mut batches: Vec<Option<Vec<ItemResult>>> =
        (0..ids.len().div_ceil(END_BATCH)).map(|_| None).collect();
    let mut without_endpoint = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((index, batch, Err(error))) if error.is_missing_endpoint() => {
                without_endpoint.push((index, batch));
            }
            Ok((index, batch, answer)) => {
                if let Some(bar) = &progress {
                    bar.inc(batch.len() as u64);
                }
                batches[index] = Some(batch_results(&batch, answer));
            }
            Err(error) => {
                // A panicked task: its items are reported below.
                eprintln!("internal error in a bulk task: {error}");
            }
        }
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    if !without_endpoint.is_empty() {
        without_endpoint.sort_by_key(|(index, _)| *index);
        let rest: Vec<Uuid> = without_endpoint
            .iter()
            .flat_map(|(_, batch)| batch.iter().copied())
            .collect();
        let mut one_by_one = end_one_by_one(client, &rest).await.into_iter();
        for (index, batch) in without_endpoint {
            batches[index] = Some(one_by_one.by_ref().take(batch.len()).collect());
        }
    }
    batches
        .into_iter()
        .zip(ids.chunks(END_BATCH))
        .flat_map(|(results, batch)| {
            results.unwrap_or_else(|| {
                batch
                    .iter()
                    .map(|_| Err(CliError::failure("internal error: the task did not finish")))
                    .collect()
            })
        })
        .collect()
}

/// One DELETE per id, IN_FLIGHT at a time.
async fn end_one_by_one(client: &Arc<Client>, ids: &[Uuid]) -> Vec<ItemResult> {
    for_each_bounded(client, ids, "ending", |client, id| async move {
        let session = client.end_session(id).await?;
        Ok(session_json(&session, session_state(&session, Utc::now())).ok())
    })
    .await
}

/// A batch's answer as the results of its ids: each item's session or its problem, as its
/// own DELETE would have answered; a batch that failed whole fails each of its items.
fn batch_results(
    batch: &[Uuid],
    answer: Result<Vec<EndSessionResult>, ClientError>,
) -> Vec<ItemResult> {
    let answers = match answer {
        Ok(answers)
            if answers.len() == batch.len()
                && answers.iter().zip(batch).all(|(a, id)| a.id == *id) =>
        {
            answers
        }
        Ok(_) => {
            let error = CliError::failure(
                "unexpected answer from the server: its results do not match the sessions sent",
            )
            .hint("is --server a pamctl server of this version?");
            return batch.iter().map(|_| Err(error.clone())).collect();
        }
        Err(error) => {
            let error = CliError::from(error);
            return batch.iter().map(|_| Err(error.clone())).collect();
        }
    };
    answers.into_iter().map(item_result).collect()
}

fn item_result(answer: EndSessionResult) -> ItemResult {
    if answer.ok {
        return Ok(answer
            .activity_session
            .and_then(|s| session_json(&s, session_state(&s, Utc::now())).ok()));
    }
    let problem = answer.problem.unwrap_or_else(|| ProblemDetails {
        r#type: "about:blank".to_owned(),
        title: String::new(),
        status: answer.status,
        detail: answer.error,
        instance: None,
        hint: None,
        field: None,
        retry_after_seconds: None,
    });
    Err(CliError::from(ClientError::Api {
        problem: Box::new(problem),
    }))
}

pub async fn lock(context: &Context, args: LockArgs) -> Result<(), CliError> {
    set_lock(
        context,
        &args.target,
        Action::Lock,
        args.title,
        args.message,
    )
    .await
}

pub async fn unlock(context: &Context, args: UnlockArgs) -> Result<(), CliError> {
    set_lock(context, &args.target, Action::Unlock, None, None).await
}

async fn set_lock(
    context: &Context,
    target: &TargetArgs,
    action: Action,
    title: Option<String>,
    message: Option<String>,
) -> Result<(), CliError> {
    let client = Arc::new(context.client()?);
    let Some(targets) = targets(context, &client, target, action).await? else {
        return Ok(());
    };
    let locked = matches!(action, Action::Lock);
    let label = if locked { "locking" } else { "unlocking" };
    let results = for_each_target(&client, targets, label, move |client, id| {
        // One session per call, so that each gets its own result.
        let request = LockRequest {
            activity_session_ids: vec![id],
            locked,
            lock_title: title.clone(),
            lock_message: message.clone(),
        };
        async move {
            client.lock_sessions(&request).await?;
            Ok(None)
        }
    })
    .await;
    report_results(context, action.done(), results)
}

/// The sessions to act on, or None when there is nothing to do (a dry run, nothing matched,
/// or the person at the terminal said no).
async fn targets(
    context: &Context,
    client: &Arc<Client>,
    args: &TargetArgs,
    action: Action,
) -> Result<Option<Vec<Target>>, CliError> {
    let verb = action.verb();
    if !args.ids.is_empty() && !args.filters.is_empty() {
        return Err(CliError::usage(format!(
            "give either session IDs or filters to {verb}, not both"
        ))
        .hint(
            "to narrow a list of IDs, list them with the filters: `pamctl session list FILTERS -q`",
        ));
    }
    if args.ids.is_empty() {
        if args.filters.is_empty() {
            return Err(CliError::usage(
                "which sessions? give IDs, - (IDs on stdin) or filters",
            )
            .hint(format!(
                "e.g. pamctl session {verb} 3f2a9c1b, or pamctl session {verb} --user uma --dry-run"
            )));
        }
        let matches = select(
            context,
            client,
            &args.filters,
            action.scope(),
            Order::NEWEST_FIRST,
            None,
        )
        .await?
        .sessions;
        return by_filters(context, args, action, matches).await;
    }
    let wanted = ids::expand_stdin(&args.ids).await?;
    if wanted.is_empty() {
        nothing_on_stdin(context)?;
        return Ok(None);
    }
    let targets = ids::resolve_each(client, &wanted).await?;
    if args.dry_run {
        let results = for_each_target(client, targets, "looking up", |client, id| async move {
            let summary = client.session_summary(id).await?;
            Ok(Some(summary))
        })
        .await;
        return dry_run(context, action, results).map(|()| None);
    }
    Ok(Some(targets))
}

/// `-` read no IDs (an empty list piped in): nothing to do, which is no error.
pub(crate) fn nothing_on_stdin(context: &Context) -> Result<(), CliError> {
    context
        .output
        .note("No session IDs on stdin; nothing to do.");
    if context.output.is_json() {
        context.output.json(&Vec::<Value>::new())?;
    }
    Ok(())
}

async fn by_filters(
    context: &Context,
    args: &TargetArgs,
    action: Action,
    matches: Vec<SessionSummary>,
) -> Result<Option<Vec<Target>>, CliError> {
    let verb = action.verb();
    let ids: Vec<Target> = matches.iter().map(|s| Target::found(s.id)).collect();
    if args.dry_run {
        let results = matches
            .into_iter()
            .map(|s| (s.id.to_string(), Ok(Some(s))))
            .collect();
        return dry_run(context, action, results).map(|()| None);
    }
    if ids.is_empty() {
        context
            .output
            .note(&format!("No sessions match; nothing to {verb}."));
        if context.output.is_json() {
            context.output.json(&Vec::<Value>::new())?;
        }
        return Ok(None);
    }
    if args.yes {
        return Ok(Some(ids));
    }
    let count = ids.len();
    let sessions = if count == 1 { "session" } else { "sessions" };
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(CliError::usage(format!(
            "the filters match {count} {sessions}; without a terminal to ask on, {verb} needs --yes"
        ))
        .hint("check what they match with --dry-run, then add --yes"));
    }
    confirm(
        format!("{} {count} {sessions}?", capitalized(verb)),
        action.done(),
    )
    .await?;
    Ok(Some(ids))
}

/// Asks on the terminal; "no" is a failure saying nothing was `done`.
pub(crate) async fn confirm(prompt: String, done: &str) -> Result<(), CliError> {
    let confirmed = tokio::task::spawn_blocking(move || {
        dialoguer::Confirm::new()
            .with_prompt(prompt)
            .default(false)
            .interact()
    })
    .await
    .map_err(|e| CliError::failure(format!("cannot ask for confirmation: {e}")))?
    .map_err(|e| CliError::failure(format!("cannot read from the terminal: {e}")))?;
    if !confirmed {
        return Err(
            CliError::failure(format!("nothing was {done}")).hint("add --yes to skip the question")
        );
    }
    Ok(())
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn dry_run(
    context: &Context,
    action: Action,
    results: Vec<(String, Result<Option<SessionSummary>, CliError>)>,
) -> Result<(), CliError> {
    let now = Utc::now();
    let total = results.len();
    let mut items = Vec::with_capacity(total);
    let mut failures = Vec::new();
    for (id, result) in results {
        match result {
            Ok(Some(summary)) => {
                if !context.output.is_json() {
                    println!(
                        "{id} would be {}: {}",
                        action.done(),
                        describe(&summary, now)
                    );
                }
                items.push(json!({"id": id, "ok": true, "dryRun": true, "session": summary_json(&summary, now)?}));
            }
            Ok(None) => items.push(json!({"id": id, "ok": true, "dryRun": true})),
            Err(error) => {
                if !context.output.is_json() {
                    println!("{id} error: {}", error.message);
                }
                items.push(json!({"id": id, "ok": false, "dryRun": true, "error": error.message, "code": error.exit_code()}));
                failures.push(error.kind);
            }
        }
    }
    if context.output.is_json() {
        context.output.json(&items)?;
    }
    let found = total - failures.len();
    context.output.note(&format!(
        "Dry run: {found} {} would be {}; nothing was changed.",
        if found == 1 { "session" } else { "sessions" },
        action.done()
    ));
    if failures.is_empty() {
        return Ok(());
    }
    Err(CliError::new(
        batch_kind(&failures),
        format!(
            "{} of {total} sessions could not be looked up",
            failures.len()
        ),
    ))
}

/// The exit of a batch whose items failed: the reason they all share (3 not found, 4 not
/// allowed, 5 refused...), or plain failure when the reasons differ.
fn batch_kind(failures: &[ExitKind]) -> ExitKind {
    match failures.split_first() {
        Some((first, rest)) if rest.iter().all(|k| k == first) => *first,
        _ => ExitKind::Failure,
    }
}

/// Runs `work` for every target that has a full ID (see `for_each_bounded`); the others keep
/// their failure. Results come in the order of `targets`, labelled.
pub(crate) async fn for_each_target<T, F, Fut>(
    client: &Arc<Client>,
    targets: Vec<Target>,
    label: &'static str,
    work: F,
) -> Vec<(String, Result<T, CliError>)>
where
    T: Send + 'static,
    F: Fn(Arc<Client>, Uuid) -> Fut,
    Fut: Future<Output = Result<T, ClientError>> + Send + 'static,
{
    let ids = full_ids(&targets);
    let done = for_each_bounded(client, &ids, label, work).await;
    labelled(targets, done)
}

/// The targets that have a full ID, in order.
fn full_ids(targets: &[Target]) -> Vec<Uuid> {
    targets
        .iter()
        .filter_map(|t| t.id.as_ref().ok().copied())
        .collect()
}

/// Every target's result, labelled: `done` holds those of `full_ids(targets)`, in order;
/// the others keep their failure.
fn labelled<T>(
    targets: Vec<Target>,
    done: Vec<Result<T, CliError>>,
) -> Vec<(String, Result<T, CliError>)> {
    let mut done = done.into_iter();
    targets
        .into_iter()
        .map(|target| {
            let result = match target.id {
                Ok(_) => done.next().unwrap_or_else(|| {
                    Err(CliError::failure("internal error: the task did not finish"))
                }),
                Err(error) => Err(error),
            };
            (target.label, result)
        })
        .collect()
}

/// Runs `work` for every id, at most IN_FLIGHT at a time, and returns the results in the
/// order of `ids`. A progress bar shows on a terminal when there are many. Every multi-ID
/// command (here, and `approval approve|deny`) runs its items through this.
pub(crate) async fn for_each_bounded<T, F, Fut>(
    client: &Arc<Client>,
    ids: &[Uuid],
    label: &'static str,
    work: F,
) -> Vec<Result<T, CliError>>
where
    T: Send + 'static,
    F: Fn(Arc<Client>, Uuid) -> Fut,
    Fut: Future<Output = Result<T, ClientError>> + Send + 'static,
{
    let progress = progress_bar(ids.len(), label);
    let permits = Arc::new(Semaphore::new(IN_FLIGHT));
    let mut tasks = JoinSet::new();
    for (index, &id) in ids.iter().enumerate() {
        let permits = Arc::clone(&permits);
        let job = work(Arc::clone(client), id);
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await;
            (index, job.await)
        });
    }
    let mut results: Vec<Option<Result<T, CliError>>> = (0..ids.len()).map(|_| None).collect();
    while let Some(joined) = tasks.join_next().await {
        if let Some(bar) = &progress {
            bar.inc(1);
        }
        match joined {
            Ok((index, result)) => {
                results[index] = Some(result.map_err(CliError::from));
            }
            Err(error) => {
                // A panicked task: its slot stays empty and is reported below.
                eprintln!("internal error in a bulk task: {error}");
            }
        }
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    results
        .into_iter()
        .map(|r| {
            r.unwrap_or_else(|| Err(CliError::failure("internal error: the task did not finish")))
        })
        .collect()
}

/// A progress bar for `count` items, on a terminal when there are many.
fn progress_bar(count: usize, label: &'static str) -> Option<ProgressBar> {
    (count >= PROGRESS_FROM && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new(count as u64);
        if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({elapsed})")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(label);
        bar
    })
}

/// The results of a multi-ID command: `<id> <done>` or `<id> error: ...` per item (a JSON
/// array of `{"id", "ok", "error"?, "code"?, "session"?}` with `-o json`). If any failed, the
/// exit is the reason they all share, or 1 when the reasons differ.
pub(crate) fn report_results(
    context: &Context,
    done: &str,
    results: Vec<(String, ItemResult)>,
) -> Result<(), CliError> {
    let total = results.len();
    let mut items = Vec::with_capacity(total);
    let mut failures = Vec::new();
    let mut hints = Vec::new();
    for (id, result) in results {
        match result {
            Ok(session) => {
                if !context.output.is_json() {
                    println!("{id} {done}");
                }
                let mut item = json!({"id": id, "ok": true});
                if let Some(session) = session {
                    item["session"] = session;
                }
                items.push(item);
            }
            Err(error) => {
                if !context.output.is_json() {
                    println!("{id} error: {}", error.message);
                }
                items.push(
                    json!({"id": id, "ok": false, "error": error.message, "code": error.exit_code()}),
                );
                failures.push(error.kind);
                hints.push(error.hint);
            }
        }
    }
    if context.output.is_json() {
        context.output.json(&items)?;
    }
    if failures.is_empty() {
        return Ok(());
    }
    let failed = failures.len();
    Err(CliError::new(
        batch_kind(&failures),
        format!("{failed} of {total} sessions could not be {done}"),
    )
    .hint(shared_hint(hints).unwrap_or_else(|| {
        if total == 1 {
            "the line above says why".to_owned()
        } else {
            "the lines above say why for each".to_owned()
        }
    })))
}

/// The hint every failed item gives, if they all give the same one.
fn shared_hint(hints: Vec<Option<String>>) -> Option<String> {
    let mut hints = hints.into_iter();
    let first = hints.next()??;
    hints
        .all(|h| h.as_deref() == Some(first.as_str()))
        .then_some(first)
}
