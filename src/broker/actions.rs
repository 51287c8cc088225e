//! Running an activity's actions: a program (without a shell) or a webhook, each with a
//! timeout, its output and exit status going to the session log with secrets masked.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::json;

use uuid::Uuid;

use super::spawn::ActionChild;
use crate::core::{ActionSpec, LogEntry, Session};
use crate::wire::enums::LogLevel;

const DEFAULT_COMMAND_TIMEOUT: Duration = Duration::from_secs(60);
const DEFAULT_WEBHOOK_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_WEBHOOK_RETRIES: u32 = 3;
/// Output beyond this many lines per stream is summarised, so a chatty action cannot flood
/// the log.
const MAX_OUTPUT_LINES: usize = 200;
/// Variables a program may need from the broker's own environment; nothing else is passed,
/// so the broker's secrets never reach an action.
const INHERITED_ENV: &[&str] = &["PATH", "LANG", "LC_ALL", "TZ", "HOME"];

pub struct ActionResult {
    pub succeeded: bool,
    /// Why it failed, in a few words (for the session's status message).
    pub error: Option<String>,
    pub log: Vec<LogEntry>,
}

impl ActionResult {
    fn failed(log: Vec<LogEntry>) -> Self {
        // The last line says what went wrong; without the label it is the error.
        let error = log.last().map(|line| {
            line.message
                .split_once(": ")
                .map_or(line.message.clone(), |(_, rest)| rest.to_owned())
        });
        Self {
            succeeded: false,
            error,
            log,
        }
    }

    fn succeeded(log: Vec<LogEntry>) -> Self {
        Self {
            succeeded: true,
            error: None,
            log,
        }
    }
}

/// What an action is told about its session, as `PAMCTL_*` variables (or a webhook's body).
/// `PAMCTL_RUN_ID` is the idempotency key: the same for every attempt of one run.
pub fn session_facts(session: &Session, phase: &str, run_id: Uuid) -> BTreeMap<String, String> {
    let time =
        |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    BTreeMap::from([
        ("PAMCTL_PHASE".to_owned(), phase.to_owned()),
        ("PAMCTL_RUN_ID".to_owned(), run_id.to_string()),
        ("PAMCTL_SESSION_ID".to_owned(), session.id.to_string()),
        ("PAMCTL_USER".to_owned(), session.created_by_name.clone()),
        ("PAMCTL_RESOURCE".to_owned(), session.resource_name.clone()),
        ("PAMCTL_ACTIVITY".to_owned(), session.activity_name.clone()),
        (
            "PAMCTL_LOGIN_ACCOUNT".to_owned(),
            session.login_account_name.clone().unwrap_or_default(),
        ),
        ("PAMCTL_START_UTC".to_owned(), time(session.scheduled_start)),
        ("PAMCTL_END_UTC".to_owned(), time(session.scheduled_end)),
    ])
}

fn mask(text: &str, secrets: &[String]) -> String {
    secrets
        .iter()
        .filter(|s| !s.is_empty())
        .fold(text.to_owned(), |text, secret| {
            text.replace(secret.as_str(), "***")
        })
}

fn output_lines(bytes: &[u8], level: LogLevel, label: &str, secrets: &[String]) -> Vec<LogEntry> {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut entries: Vec<LogEntry> = lines
        .iter()
        .take(MAX_OUTPUT_LINES)
        .map(|line| LogEntry::new(level, None, format!("{label}: {}", mask(line, secrets))))
        .collect();
    if lines.len() > MAX_OUTPUT_LINES {
        entries.push(LogEntry::new(
            level,
            None,
            format!(
                "{label}: ({} more lines not kept)",
                lines.len() - MAX_OUTPUT_LINES
            ),
        ));
    }
    entries
}

pub async fn run(
    action: &ActionSpec,
    label: &str,
    facts: &BTreeMap<String, String>,
    http: &reqwest::Client,
) -> ActionResult {
    match action {
        ActionSpec::Command {
            program,
            args,
            env,
            secret_env,
            timeout,
        } => {
            let secrets: Vec<String> = secret_env
                .iter()
                .filter_map(|name| env.get(name).cloned())
                .collect();
            run_command(
                program,
                args,
                env,
                &secrets,
                timeout.unwrap_or(DEFAULT_COMMAND_TIMEOUT),
                label,
                facts,
            )
            .await
        }
        ActionSpec::Webhook {
            url,
            headers,
            timeout,
            retries,
        } => {
            run_webhook(
                url,
                headers,
                timeout.unwrap_or(DEFAULT_WEBHOOK_TIMEOUT),
                retries.unwrap_or(DEFAULT_WEBHOOK_RETRIES),
                label,
                facts,
                http,
            )
            .await
        }
    }
}

async fn run_command(
    program: &str,
    args: &[String],
    env: &BTreeMap<String, String>,
    secrets: &[String],
    timeout: Duration,
    label: &str,
    facts: &BTreeMap<String, String>,
) -> ActionResult {
    let environment: BTreeMap<String, String> = INHERITED_ENV
        .iter()
        .filter_map(|name| std::env::var(name).ok().map(|v| ((*name).to_owned(), v)))
        .chain(facts.iter().map(|(k, v)| (k.clone(), v.clone())))
        .chain(env.iter().map(|(k, v)| (k.clone(), v.clone())))
        .collect();
    let mut log = vec![LogEntry::info(None, format!("{label}: running {program}"))];
    let child = match ActionChild::spawn(program, args, &environment) {
        Ok(child) => child,
        Err(error) => {
            log.push(LogEntry::new(
                LogLevel::Error,
                None,
                format!("{label}: cannot start {program}: {error}"),
            ));
            return ActionResult::failed(log);
        }
    };
    match tokio::time::timeout(timeout, child.wait_with_output()).await {
        Err(_) => {
            log.push(LogEntry::new(
                LogLevel::Error,
                None,
                format!(
                    "{label}: {program} did not finish within {}; it was killed",
                    humantime::format_duration(timeout)
                ),
            ));
            ActionResult::failed(log)
        }
        Ok(Err(error)) => {
            log.push(LogEntry::new(
                LogLevel::Error,
                None,
                format!("{label}: {program} failed: {error}"),
            ));
            ActionResult::failed(log)
        }
        Ok(Ok(output)) => {
            log.extend(output_lines(&output.stdout, LogLevel::Info, label, secrets));
            log.extend(output_lines(&output.stderr, LogLevel::Warn, label, secrets));
            let succeeded = output.status.success();
            let status = match output.status.code() {
                Some(code) => format!("exit status {code}"),
                None => "killed by a signal".to_owned(),
            };
            log.push(LogEntry::new(
                if succeeded {
                    LogLevel::Info
                } else {
                    LogLevel::Error
                },
                None,
                format!("{label}: {program} finished with {status}"),
            ));
            if succeeded {
                ActionResult::succeeded(log)
            } else {
                ActionResult::failed(log)
            }
        }
    }
}

/// The URL as the session log shows it: no userinfo, no query values (tokens hide there).
fn loggable_url(url: &str) -> String {
    crate::store::redact_url(url)
}

async fn run_webhook(
    url: &str,
    headers: &BTreeMap<String, String>,
    timeout: Duration,
    retries: u32,
    label: &str,
    facts: &BTreeMap<String, String>,
    http: &reqwest::Client,
) -> ActionResult {
    let body = json!({
        "event": facts.get("PAMCTL_PHASE"),
        "runId": facts.get("PAMCTL_RUN_ID"),
        "session": facts,
    });
    let shown = loggable_url(url);
    let mut log = Vec::new();
    for attempt in 0..=retries {
        if attempt > 0 {
            tokio::time::sleep(Duration::from_secs(1 << (attempt - 1).min(5))).await;
        }
        let mut request = http.post(url).timeout(timeout).json(&body);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        match request.send().await {
            Ok(response) if response.status().is_success() => {
                log.push(LogEntry::info(
                    None,
                    format!("{label}: POST {shown} answered {}", response.status()),
                ));
                return ActionResult::succeeded(log);
            }
            Ok(response) => log.push(LogEntry::new(
                LogLevel::Warn,
                None,
                format!(
                    "{label}: POST {shown} answered {} (attempt {} of {})",
                    response.status(),
                    attempt + 1,
                    retries + 1
                ),
            )),
            Err(error) => log.push(LogEntry::new(
                LogLevel::Warn,
                None,
                format!(
                    "{label}: POST {shown} failed: {} (attempt {} of {})",
                    error.without_url(),
                    attempt + 1,
                    retries + 1
                ),
            )),
        }
    }
    log.push(LogEntry::new(
        LogLevel::Error,
        None,
        format!("{label}: POST {shown} gave up"),
    ));
    ActionResult::failed(log)
}

/// One attempt at telling a policy's webhook about a session (the outbox retries): a
/// success is logged at Debug, a failure at Warn, naming the URL without its query.
pub async fn notify(
    url: &str,
    timeout: Duration,
    body: &serde_json::Value,
    event: &str,
    http: &reqwest::Client,
) -> ActionResult {
    let shown = loggable_url(url);
    match http.post(url).timeout(timeout).json(body).send().await {
        Ok(response) if response.status().is_success() => {
            ActionResult::succeeded(vec![LogEntry::new(
                LogLevel::Debug,
                None,
                format!("notified {shown} ({event})"),
            )])
        }
        Ok(response) => ActionResult::failed(vec![LogEntry::new(
            LogLevel::Warn,
            None,
            format!("notify {shown}: answered {}", response.status()),
        )]),
        Err(error) => ActionResult::failed(vec![LogEntry::new(
            LogLevel::Warn,
            None,
            format!("notify {shown}: {}", error.without_url()),
        )]),
    }
}
