//! FILTERS of `shared/cli.md`, shared by `list` and the bulk forms of `end`, `lock` and
//! `unlock`: which sessions a command means, found through `ActivitySession/Search`.

use chrono::{DateTime, Utc};
use clap::{Args, ValueEnum};
use uuid::Uuid;

use super::view::{summary_span, summary_state, summary_user};
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::when::{When, parse_when};
use crate::client::{Client, ClientError};
use crate::wire::session::SessionSummary;
use crate::wire::status::SessionState;

#[derive(Debug, Clone, Default, Args)]
pub struct FilterArgs {
    /// Only sessions in this state (repeatable), any case, spaces or dashes: available,
    /// "logged in", waiting-for-approval, scheduled, provisioning, locked, canceling,
    /// complete, failed, cancelled, denied, approval-failed
    #[arg(long, value_name = "STATUS", value_parser = parse_status)]
    pub status: Vec<SessionState>,

    /// Only your own sessions
    #[arg(long)]
    pub mine: bool,

    /// Only the sessions of this user (user name or display name, any case)
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,

    /// Only sessions on this resource (name or display name, any case)
    #[arg(long, value_name = "NAME")]
    pub resource: Option<String>,

    /// Only sessions of this activity (name, any case)
    #[arg(long, value_name = "NAME")]
    pub activity: Option<String>,

    /// Only sessions on resources of this platform (Linux, Windows, PostgreSQL...)
    #[arg(long = "type", value_name = "PLATFORM")]
    pub platform: Option<String>,

    /// Only sessions whose time span reaches past WHEN
    #[arg(long, value_name = "WHEN", value_parser = parse_when, allow_hyphen_values = true)]
    pub since: Option<When>,

    /// Only sessions whose time span begins before WHEN
    #[arg(long, value_name = "WHEN", value_parser = parse_when, allow_hyphen_values = true)]
    pub until: Option<When>,

    /// Only sessions whose user, resource, activity, note, ticket or status contains TEXT
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
}

fn parse_status(text: &str) -> Result<SessionState, String> {
    SessionState::from_word(text).ok_or_else(|| {
        format!(
            "'{text}' is not a session status; use one of: {}",
            SessionState::ALL
                .iter()
                .map(|s| s.word())
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

impl FilterArgs {
    pub fn is_empty(&self) -> bool {
        self.status.is_empty()
            && !self.mine
            && self.user.is_none()
            && self.resource.is_none()
            && self.activity.is_none()
            && self.platform.is_none()
            && self.since.is_none()
            && self.until.is_none()
            && self.search.is_none()
    }
}

/// Which sessions a command considers before the filters apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every session, finished or not.
    All,
    /// Sessions that are not finished (the Active dashboard).
    Unfinished,
    /// Sessions a lock applies to: Available or Logged In.
    Lockable,
    /// Locked sessions.
    Locked,
}

impl Scope {
    fn admits(self, state: SessionState) -> bool {
        match self {
            Scope::All => true,
            Scope::Unfinished => !state.is_final(),
            Scope::Lockable => matches!(state, SessionState::Available | SessionState::LoggedIn),
            Scope::Locked => state == SessionState::Locked,
        }
    }
}

/// Who "mine" is: the caller's id, or only the name the profile signed in with on a server
/// without `CurrentUser`.
enum Me {
    Id(Uuid),
    Name(String),
}

async fn me(context: &Context, client: &Client) -> Result<Me, CliError> {
    match client.current_user().await {
        Ok(user) => Ok(Me::Id(user.id)),
        Err(ClientError::Api { problem }) if problem.status == 404 => context
            .profiles()?
            .selected(context.global.profile.as_deref())
            .and_then(|(_, profile)| profile.user.clone())
            .map(Me::Name)
            .ok_or_else(|| {
                CliError::usage("this server cannot say who you are, so --mine has no meaning")
                    .hint("name yourself with --user NAME")
            }),
        Err(other) => Err(other.into()),
    }
}

/// A user matches NAME in any case: the whole name, or its account part in `DOMAIN\name` or
/// `name@domain`, as directories write users. Words of display names do not count, so that
/// `--user user` cannot match every "Somebody User".
fn names_user(display: &str, wanted: &str) -> bool {
    let wanted = wanted.trim();
    let display = display.trim();
    let account = display.rsplit('\\').next().unwrap_or(display);
    let account = account.split('@').next().unwrap_or(account);
    display.eq_ignore_ascii_case(wanted) || account.eq_ignore_ascii_case(wanted)
}

fn same(value: Option<&str>, wanted: &str) -> bool {
    value.is_some_and(|v| v.trim().eq_ignore_ascii_case(wanted.trim()))
}

struct Matcher<'a> {
    filters: &'a FilterArgs,
    me: Option<Me>,
    scope: Scope,
    now: DateTime<Utc>,
}

impl Matcher<'_> {
    fn matches(&self, summary: &SessionSummary) -> bool {
        let filters = self.filters;
        let state = summary_state(summary, self.now);
        if !self.scope.admits(state) {
            return false;
        }
        if !filters.status.is_empty() && !filters.status.contains(&state) {
            return false;
        }
        let users = [
            summary.user_display_name.as_deref(),
            summary.created_by_display_name.as_deref(),
        ];
        match &self.me {
            Some(Me::Id(id)) if summary.user_id.or(summary.created_by) != Some(*id) => {
                return false;
            }
            Some(Me::Name(name)) if !summary_user(summary).is_some_and(|u| names_user(u, name)) => {
                return false;
            }
            _ => {}
        }
        if let Some(wanted) = &filters.user {
            if !users.iter().flatten().any(|u| names_user(u, wanted)) {
                return false;
            }
        }
        if let Some(wanted) = &filters.resource {
            if !same(summary.managed_resource_name.as_deref(), wanted)
                && !same(summary.managed_resource_display_name.as_deref(), wanted)
                && summary
                    .managed_resource_id
                    .map(|id| id.to_string())
                    .as_deref()
                    != Some(wanted.trim())
            {
                return false;
            }
        }
        if let Some(wanted) = &filters.activity {
            if !same(summary.activity_name.as_deref(), wanted)
                && summary.activity_id.map(|id| id.to_string()).as_deref() != Some(wanted.trim())
            {
                return false;
            }
        }
        if let Some(wanted) = &filters.platform {
            if !same(summary.platform_name.as_deref(), wanted) {
                return false;
            }
        }
        // The period [since, until] overlaps the session's span; a span without an end is open.
        let (start, end) = summary_span(summary);
        let start = start.or(summary.created_date_time_utc);
        if let Some(since) = filters.since.map(|w| w.at(self.now)) {
            if end.is_some_and(|end| end < since) {
                return false;
            }
        }
        if let Some(until) = filters.until.map(|w| w.at(self.now)) {
            if start.is_some_and(|start| start > until) {
                return false;
            }
        }
        true
    }
}

/// The sessions in `scope` that match the filters.
pub async fn select(
    context: &Context,
    client: &Client,
    filters: &FilterArgs,
    scope: Scope,
) -> Result<Vec<SessionSummary>, CliError> {
    let me = if filters.mine {
        Some(me(context, client).await?)
    } else {
        None
    };
    let summaries = client.search_sessions(filters.search.as_deref()).await?;
    let matcher = Matcher {
        filters,
        me,
        scope,
        now: Utc::now(),
    };
    Ok(summaries
        .into_iter()
        .filter(|s| matcher.matches(s))
        .collect())
}

/// `--sort FIELD`: the table's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortField {
    Id,
    Status,
    #[value(alias = "created")]
    Requested,
    User,
    #[value(alias = "resource")]
    Host,
    LoginAccount,
    Activity,
    Start,
    End,
}

pub fn sort(summaries: &mut [SessionSummary], field: SortField, descending: bool) {
    let now = Utc::now();
    let text = |value: Option<&str>| value.unwrap_or_default().to_lowercase();
    let lifecycle = |s: &SessionSummary| {
        let state = summary_state(s, now);
        SessionState::ALL.iter().position(|x| *x == state)
    };
    summaries.sort_by(|a, b| {
        let order = match field {
            SortField::Id => a.id.cmp(&b.id),
            SortField::Status => lifecycle(a).cmp(&lifecycle(b)),
            SortField::Requested => a.created_date_time_utc.cmp(&b.created_date_time_utc),
            SortField::User => text(summary_user(a)).cmp(&text(summary_user(b))),
            SortField::Host => text(a.managed_resource_name.as_deref())
                .cmp(&text(b.managed_resource_name.as_deref())),
            SortField::LoginAccount => {
                text(a.login_account_name.as_deref()).cmp(&text(b.login_account_name.as_deref()))
            }
            SortField::Activity => {
                text(a.activity_name.as_deref()).cmp(&text(b.activity_name.as_deref()))
            }
            SortField::Start => summary_span(a).0.cmp(&summary_span(b).0),
            SortField::End => summary_span(a).1.cmp(&summary_span(b).1),
        }
        // Ties keep a stable, meaningful order: oldest request first.
        .then_with(|| a.created_date_time_utc.cmp(&b.created_date_time_utc))
        .then_with(|| a.id.cmp(&b.id));
        if descending { order.reverse() } else { order }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names_match_whole_or_by_account() {
        assert!(!names_user("Uma User", "user"));
        assert!(names_user("Uma User", "uma user"));
        assert!(names_user("CORP\\uma", "UMA"));
        assert!(names_user("uma@corp.example", "uma"));
        assert!(!names_user("Umar Khan", "uma"));
        assert!(!names_user("Ulf User", "uma"));
    }
}
