//! FILTERS of `shared/cli.md`, shared by `list` and the bulk forms of `end`, `lock` and
//! `unlock`: which sessions a command means, found through `ActivitySession/Search`.

use chrono::{DateTime, Utc};
use clap::{Args, ValueEnum};
use uuid::Uuid;

use super::view::{summary_span, summary_state, summary_user};
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::platforms;
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

    /// Only sessions on resources of this platform: a category (database, linux, windows) or
    /// a platform's name (PostgreSQL, "Microsoft SQL Server", ...), any case
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
    /// The states the scope keeps, when it is a list of them.
    fn states(self) -> Option<Vec<SessionState>> {
        match self {
            Scope::All | Scope::Unfinished => None,
            Scope::Lockable => Some(vec![SessionState::Available, SessionState::LoggedIn]),
            Scope::Locked => Some(vec![SessionState::Locked]),
        }
    }

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
    /// `--type`, as the platform names it stands for.
    platforms: Option<Vec<String>>,
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
        if let Some(platforms) = &self.platforms {
            if !platforms
                .iter()
                .any(|p| same(summary.platform_name.as_deref(), p))
            {
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

/// How to order the sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Order {
    pub field: SortField,
    pub descending: bool,
}

impl Order {
    /// Newest request first: what was asked for last is what one looks for first.
    pub const NEWEST_FIRST: Order = Order {
        field: SortField::Requested,
        descending: true,
    };
}

/// What `select` found: the sessions asked for, and how many match in all.
pub struct Selection {
    pub sessions: Vec<SessionSummary>,
    pub total: usize,
}

/// The largest page `ActivitySession/Search` gives.
const PAGE: usize = 500;

/// The sessions in `scope` that match the filters, in `order`, at most `limit` of them (None:
/// all). The filters and the order go to the server as `ActivitySession/Search` parameters;
/// a server that applied them says so (`filtersApplied`), and then only the sessions asked for
/// are fetched, page by page. Any other server (Privilege Secure) ignores them: then every
/// session it shows is fetched and filtered and sorted here.
pub async fn select(
    context: &Context,
    client: &Client,
    filters: &FilterArgs,
    scope: Scope,
    order: Order,
    limit: Option<usize>,
) -> Result<Selection, CliError> {
    let platforms = match &filters.platform {
        Some(wanted) => Some(platforms::resolve(client, wanted).await?),
        None => None,
    };
    let Some(mut params) = search_params(filters, scope, platforms.as_deref()) else {
        // The scope and --status share no state: nothing can match.
        return Ok(Selection {
            sessions: Vec::new(),
            total: 0,
        });
    };
    let mut sorted_by_server = true;
    // Only the pages are used: a pamctl server then skips the durations (NPS ignores it).
    params.push(("summary", "false".to_owned()));
    params.push(("orderBy", order_by(order.field).to_owned()));
    params.push(("orderDescending", order.descending.to_string()));
    let want = limit.unwrap_or(usize::MAX);
    let first_take = want.clamp(1, PAGE);
    let first = match client.search_page(&params, 0, first_take as u64).await {
        // An older server knows fewer sort columns: ask again unsorted, and sort here.
        Err(ClientError::Api { problem })
            if problem.status == 400 && problem.field.as_deref() == Some("orderBy") =>
        {
            sorted_by_server = false;
            params.retain(|(name, _)| !name.starts_with("order"));
            client.search_page(&params, 0, first_take as u64).await?
        }
        other => other?,
    };
    let filtered_by_server = first.filters_applied == Some(true);
    let mut total = usize::try_from(first.records_total).unwrap_or(usize::MAX);
    let mut sessions = first.data;
    // Only what is shown is fetched when the server filtered and sorted; otherwise all.
    let enough = if filtered_by_server && sorted_by_server {
        want.min(total)
    } else {
        total
    };
    while sessions.len() < enough {
        let take = (enough - sessions.len()).min(PAGE) as u64;
        let page = client
            .search_page(&params, sessions.len() as u64, take)
            .await?;
        if page.data.is_empty() {
            break;
        }
        total = usize::try_from(page.records_total).unwrap_or(usize::MAX);
        sessions.extend(page.data);
    }
    if !filtered_by_server {
        let me = if filters.mine {
            Some(me(context, client).await?)
        } else {
            None
        };
        let matcher = Matcher {
            filters,
            platforms,
            me,
            scope,
            now: Utc::now(),
        };
        sessions.retain(|s| matcher.matches(s));
        total = sessions.len();
    }
    if !(filtered_by_server && sorted_by_server) {
        sort(&mut sessions, order.field, order.descending);
    }
    sessions.truncate(want);
    total = total.max(sessions.len());
    Ok(Selection { sessions, total })
}

/// The `ActivitySession/Search` parameters for the filters and the scope, or None when the
/// two exclude each other.
fn search_params(
    filters: &FilterArgs,
    scope: Scope,
    platforms: Option<&[String]>,
) -> Option<Vec<(&'static str, String)>> {
    let mut params: Vec<(&'static str, String)> = Vec::new();
    let states: Option<Vec<SessionState>> = match (scope.states(), filters.status.is_empty()) {
        (None, true) => None,
        (None, false) => Some(
            filters
                .status
                .iter()
                .copied()
                .filter(|s| scope.admits(*s))
                .collect(),
        ),
        (Some(states), true) => Some(states),
        (Some(states), false) => Some(
            states
                .into_iter()
                .filter(|s| filters.status.contains(s))
                .collect(),
        ),
    };
    match states {
        Some(states) if states.is_empty() => return None,
        Some(states) => {
            params.extend(states.iter().map(|s| ("status", s.word().to_owned())));
        }
        None if scope == Scope::Unfinished => params.push(("active", "true".to_owned())),
        None => {}
    }
    if filters.mine {
        params.push(("mine", "true".to_owned()));
    }
    if let Some(user) = &filters.user {
        params.push(("userName", user.trim().to_owned()));
    }
    if let Some(resource) = &filters.resource {
        params.push(("managedResourceName", resource.trim().to_owned()));
    }
    if let Some(activity) = &filters.activity {
        params.push(("activityName", activity.trim().to_owned()));
    }
    for platform in platforms.into_iter().flatten() {
        params.push(("platformName", platform.clone()));
    }
    if let Some(text) = &filters.search {
        params.push(("filterText", text.clone()));
    }
    let now = Utc::now();
    let stamp = |when: When| {
        when.at(now)
            .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    };
    if let Some(since) = filters.since {
        params.push(("filterDateTimeMin", stamp(since)));
    }
    if let Some(until) = filters.until {
        params.push(("filterDateTimeMax", stamp(until)));
    }
    Some(params)
}

/// The `orderBy` column of a sort field.
fn order_by(field: SortField) -> &'static str {
    match field {
        SortField::Id => "id",
        SortField::Status => "status",
        SortField::Requested => "createdDateTimeUtc",
        SortField::User => "userDisplayName",
        SortField::Host => "managedResourceName",
        SortField::LoginAccount => "loginAccountName",
        SortField::Activity => "activityName",
        SortField::Start => "startDateTimeUtc",
        SortField::End => "endDateTimeUtc",
    }
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

    fn values<'a>(params: &'a [(&'static str, String)], name: &str) -> Vec<&'a str> {
        params
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    #[test]
    fn the_scope_and_statuses_become_search_parameters() {
        let none = FilterArgs::default();
        let active = search_params(&none, Scope::Unfinished, None).unwrap();
        assert_eq!(values(&active, "active"), ["true"]);
        assert!(values(&active, "status").is_empty());
        let lockable = search_params(&none, Scope::Lockable, None).unwrap();
        assert_eq!(values(&lockable, "status"), ["Available", "Logged In"]);
        assert!(values(&lockable, "active").is_empty());

        // --status narrows the scope; a status the scope excludes leaves nothing to ask.
        let logged_in = FilterArgs {
            status: vec![SessionState::LoggedIn, SessionState::Complete],
            ..FilterArgs::default()
        };
        let narrowed = search_params(&logged_in, Scope::Lockable, None).unwrap();
        assert_eq!(values(&narrowed, "status"), ["Logged In"]);
        let finished = FilterArgs {
            status: vec![SessionState::Complete],
            ..FilterArgs::default()
        };
        assert!(search_params(&finished, Scope::Unfinished, None).is_none());
        assert_eq!(
            values(
                &search_params(&finished, Scope::All, None).unwrap(),
                "status"
            ),
            ["Complete"]
        );

        let named = FilterArgs {
            mine: true,
            user: Some(" uma ".to_owned()),
            resource: Some("web01".to_owned()),
            activity: Some("Linux Admin".to_owned()),
            search: Some("deploy".to_owned()),
            ..FilterArgs::default()
        };
        let platforms = ["PostgreSQL".to_owned(), "MySQL".to_owned()];
        let params = search_params(&named, Scope::All, Some(&platforms)).unwrap();
        assert_eq!(values(&params, "mine"), ["true"]);
        assert_eq!(values(&params, "userName"), ["uma"]);
        assert_eq!(values(&params, "managedResourceName"), ["web01"]);
        assert_eq!(values(&params, "activityName"), ["Linux Admin"]);
        assert_eq!(values(&params, "platformName"), ["PostgreSQL", "MySQL"]);
        assert_eq!(values(&params, "filterText"), ["deploy"]);
    }

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
