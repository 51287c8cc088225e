//! The store contract: one set of story tests written against `&dyn Store`, run on every
//! backend: SQLite (a temp file) and PostgreSQL (a throwaway cluster of the machine's
//! PostgreSQL, or the server `PAMCTL_TEST_DATABASE_URL` names), each story in a fresh database.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use pamctl::core::ActionKind;
use pamctl::core::audit::{AuditEvent, AuditSeal, ChainVerifier};
use pamctl::core::{
    Account, AccountKind, ActionSpec, Activity, Approval, ApprovalTier, Approver, Catalog,
    Decision, LogEntry, Policy, Resource, Role, Session, StatementEntry, StatementRows,
    StatementStatus, TokenRecord, TokenStage,
};
use pamctl::store::{
    self, AuditQuery, Durations, LogQuery, NewRun, RunSettle, SessionPage, SessionQuery,
    SessionSort, SessionWrite, Settlement, SqliteStore, Store, WriteOutcome,
};
use pamctl::wire::enums::{ActivityType, LogLevel, LoginAccount, ResourceType, WireEnum};
use pamctl::wire::status::SessionState;
use tempfile::TempDir;
use uuid::Uuid;

/// A backend under test and what keeps it alive; `url` opens another store on the same
/// database (a second broker).
struct Backend {
    store: Arc<dyn Store>,
    url: String,
    dir: TempDir,
}

impl Backend {
    async fn another_broker(&self) -> Arc<dyn Store> {
        store::open(Some(&self.url), self.dir.path()).await.unwrap()
    }
}

async fn backends() -> Vec<(String, Backend)> {
    let mut backends = Vec::new();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("contract.db");
    let sqlite = SqliteStore::open_file(&path).await.unwrap();
    backends.push((
        "sqlite".to_owned(),
        Backend {
            store: Arc::new(sqlite),
            url: format!("sqlite://{}", path.display()),
            dir,
        },
    ));
    if let Some(url) = common::postgres::fresh_database().await {
        let dir = tempfile::tempdir().unwrap();
        let store = store::open(Some(&url), dir.path()).await.unwrap();
        backends.push(("postgres".to_owned(), Backend { store, url, dir }));
    }
    backends
}

/// Runs a story on every backend, naming the backend when it fails.
macro_rules! contract {
    ($($story:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $story() {
                for (name, backend) in super::backends().await {
                    eprintln!("store contract {}: {name}", stringify!($story));
                    super::$story(backend.store.as_ref()).await;
                }
            }
        )*
    };
}

/// Runs a story of two brokers on one database, on every backend that `keep` names.
macro_rules! shared_contract {
    ($keep:expr => $($story:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $story() {
                let keep: fn(&str) -> bool = $keep;
                for (name, backend) in super::backends().await {
                    if !keep(&name) {
                        continue;
                    }
                    eprintln!("store contract {}: {name}", stringify!($story));
                    let other = backend.another_broker().await;
                    super::$story(backend.store.clone(), other).await;
                }
            }
        )*
    };
}

mod on_every_backend {
    contract!(
        the_catalog_reads_back_as_written,
        sessions_insert_and_save_optimistically,
        queries_filter_in_the_store,
        queries_sort_page_and_count,
        durations_and_top_users_are_aggregates,
        search_summarized_answers_as_its_parts,
        due_sessions_are_only_those_due,
        due_sessions_are_claimed_once_until_written_or_lapsed,
        outbox_runs_are_leased_in_order_and_settled_once,
        transitions_written_together_keep_their_own_outcomes,
        open_sessions_are_counted_per_requester,
        concurrent_inserts_commit_together_and_fail_alone,
        approval_queries_find_what_a_reviewer_may_decide,
        tokens_are_found_revoked_and_purged,
        logs_page_in_the_store,
        text_matching_most_sessions_pages_the_same,
        search_at_scale_agrees_with_the_plain_rule,
        totp_steps_are_accepted_once,
        sessions_are_shared_once_with_their_log_line,
        token_families_and_accounts_are_revoked_whole,
        the_sign_in_throttle_counts_before_the_check,
        audit_events_chain_in_order_and_page_with_filters,
        a_request_and_its_audit_record_are_written_together,
        concurrent_creates_keep_their_groups_lines_runs_and_records,
        session_credentials_are_kept_replaced_and_deleted,
        statements_are_logged_decided_once_and_run_through_the_outbox,
        a_batch_is_read_in_one_query_and_written_each_with_its_record,
        a_batch_writes_each_transition_as_it_alone_would,
        a_session_named_twice_in_a_batch_sees_its_first_write,
    );
    shared_contract!(|_| true => two_brokers_claim_each_run_once_and_in_order);
    // Replicas share PostgreSQL only: two SQLite stores on one file answer a concurrent
    // write with "database is locked" (a read that turns into a write in one transaction).
    // On SQLite, one broker's claims are the story above.
    shared_contract!(|name| name != "sqlite" =>
        two_brokers_writing_one_version_write_it_once,
        two_brokers_claim_disjoint_due_sessions,
        two_brokers_append_to_one_audit_chain,
        folds_amid_writers_count_every_session_once,
    );
}

fn at(hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, hour, minute, 0).unwrap()
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

const ADMIN: u128 = 1;
const RITA: u128 = 2;
const UMA: u128 = 3;
const ULF: u128 = 4;
const LINUX: u128 = 10;
const DATABASE: u128 = 11;
const WEB01: u128 = 20;
const DB01: u128 = 21;
const OPEN: u128 = 30;
const NAMED: u128 = 31;
const BY_ROLE: u128 = 32;

fn account(n: u128, name: &str, display: &str, role: Role) -> Account {
    Account {
        id: id(n),
        name: name.to_owned(),
        display_name: display.to_owned(),
        kind: AccountKind::User,
        role,
        secret_hash: None,
        totp_secret: None,
    }
}

fn activity(n: u128, name: &str, platform: &str) -> Activity {
    Activity {
        id: id(n),
        name: name.to_owned(),
        description: None,
        platform: platform.to_owned(),
        activity_type: ActivityType::Interactive,
        login_account: LoginAccount::Requester,
        login_account_name_format: None,
        pre_session: vec![ActionSpec::Command {
            program: "true".to_owned(),
            args: vec![],
            env: Default::default(),
            secret_env: vec![],
            timeout: None,
        }],
        post_session: vec![],
        on_lock: vec![],
        on_unlock: vec![],
        created_at: at(9, 0),
        modified_at: at(9, 0),
    }
}

fn resource(n: u128, name: &str, display: &str, platform: &str) -> Resource {
    Resource {
        id: id(n),
        name: name.to_owned(),
        display_name: Some(display.to_owned()),
        platform: platform.to_owned(),
        resource_type: ResourceType::Host,
        address: None,
        port_ssh: Some(22),
        port_rdp: None,
        created_at: at(9, 0),
        modified_at: at(9, 0),
    }
}

fn policy(n: u128, name: &str, activity: u128, resource: u128, tiers: Vec<ApprovalTier>) -> Policy {
    Policy {
        id: id(n),
        name: name.to_owned(),
        description: None,
        members: vec![id(UMA), id(ULF)],
        activities: vec![id(activity)],
        resources: vec![id(resource)],
        max_duration: Duration::from_secs(4 * 3600),
        extension: None,
        approval_tiers: tiers,
        approval_timeout: Duration::from_secs(3600),
        admins_may_approve: n == NAMED,
        ticket_required: false,
        notify: vec![],
    }
}

/// Admin, a reviewer, a user and a directory-style user; Linux on web01 under an open policy,
/// the database on db01 under one naming rita (admins may approve) and one naming Reviewers.
fn catalog() -> Catalog {
    Catalog {
        accounts: vec![
            account(ADMIN, "admin", "Ada Admin", Role::Admin),
            account(RITA, "rita", "Rita Reviewer", Role::Reviewer),
            account(UMA, "uma", "Uma User", Role::User),
            account(ULF, "CORP\\ulf", "Ulf User", Role::User),
        ],
        activities: vec![
            activity(LINUX, "Linux Admin", "Linux"),
            activity(DATABASE, "Database Read Write", "PostgreSQL"),
        ],
        resources: vec![
            resource(WEB01, "web01", "web01.dev.internal", "Linux"),
            resource(DB01, "db01", "db01.dev.internal", "PostgreSQL"),
        ],
        policies: vec![
            policy(OPEN, "Open", LINUX, WEB01, vec![]),
            policy(
                NAMED,
                "Named",
                DATABASE,
                DB01,
                vec![ApprovalTier {
                    required: 1,
                    approvers: vec![Approver::Account(id(RITA))],
                }],
            ),
            policy(
                BY_ROLE,
                "By Role",
                DATABASE,
                DB01,
                vec![ApprovalTier {
                    required: 1,
                    approvers: vec![Approver::Role(Role::Reviewer)],
                }],
            ),
        ],
    }
}

async fn with_catalog(store: &dyn Store) {
    store.replace_catalog(&catalog(), at(9, 0)).await.unwrap();
}

/// A session as the broker would create it.
fn session(
    n: u128,
    creator: u128,
    on: (u128, u128, u128),
    state: SessionState,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Session {
    let catalog = catalog();
    let account = catalog
        .accounts
        .iter()
        .find(|a| a.id == id(creator))
        .unwrap();
    let (activity, resource, policy) = on;
    let activity = catalog
        .activities
        .iter()
        .find(|a| a.id == id(activity))
        .unwrap();
    let resource = catalog
        .resources
        .iter()
        .find(|r| r.id == id(resource))
        .unwrap();
    let policy = catalog
        .policies
        .iter()
        .find(|p| p.id == id(policy))
        .unwrap();
    Session {
        id: id(1000 + n),
        group_id: None,
        created_by: account.id,
        created_by_name: account.name.clone(),
        created_by_display_name: account.display_name.clone(),
        created_from: Some("127.0.0.1".to_owned()),
        activity_id: activity.id,
        activity_name: activity.name.clone(),
        activity_type: activity.activity_type,
        platform: activity.platform.clone(),
        resource_id: resource.id,
        resource_name: resource.name.clone(),
        resource_display_name: resource.display_name.clone(),
        policy_id: policy.id,
        policy_name: policy.name.clone(),
        extension_allowed: false,
        login_account_name: Some(account.name.to_lowercase()),
        state,
        locked: false,
        lock_title: None,
        lock_message: None,
        scheduled_start: start,
        actual_start: None,
        scheduled_end: end,
        actual_end: None,
        login_at: None,
        cancelled_by: None,
        cancelled_by_name: None,
        note: None,
        ticket: None,
        custom_fields: None,
        extension_count: 0,
        extension_minutes: 0,
        approval_deadline: None,
        pre_actions_done: 0,
        post_actions_done: 0,
        failure_reason: None,
        status_message: None,
        cancel_requested: false,
        due_at: Some(start),
        version: 0,
        created_at: start,
        modified_at: start,
    }
}

const ON_WEB01: (u128, u128, u128) = (LINUX, WEB01, OPEN);
const ON_DB01: (u128, u128, u128) = (DATABASE, DB01, NAMED);
const ON_DB01_BY_ROLE: (u128, u128, u128) = (DATABASE, DB01, BY_ROLE);

async fn insert(store: &dyn Store, sessions: Vec<Session>) {
    for session in sessions {
        let now = session.created_at;
        let log = vec![LogEntry::info(Some(&session.created_by_name), "Requested")];
        store
            .insert_sessions(None, &[(session, log)], &[], now)
            .await
            .unwrap();
    }
}

/// Writes a change the way the broker does: read, change, save at the version read.
async fn change(store: &dyn Store, n: u128, edit: impl FnOnce(&mut Session)) {
    let mut session = store.session(id(1000 + n)).await.unwrap().unwrap();
    edit(&mut session);
    assert!(store.save_session(&session, &[], at(12, 0)).await.unwrap());
}

fn query() -> SessionQuery {
    SessionQuery::default()
}

async fn found(store: &dyn Store, query: SessionQuery) -> Vec<u128> {
    let page = store.search_sessions(&query).await.unwrap();
    page.sessions
        .iter()
        .map(|s| s.id.as_u128() - 1000)
        .collect()
}

async fn sorted_found(store: &dyn Store, query: SessionQuery) -> Vec<u128> {
    let mut ids = found(store, query).await;
    ids.sort();
    ids
}

/// Six sessions: 1 uma web01 Available (note "deploy fix", ticket CHG-42), 2 uma web01
/// LoggedIn and locked, 3 ulf web01 Complete (ran 09:10-09:40), 4 uma db01 waiting (Named),
/// 5 ulf db01 waiting (By Role), 6 ulf web01 Scheduled for tomorrow.
async fn six_sessions(store: &dyn Store) {
    with_catalog(store).await;
    let mut first = session(
        1,
        UMA,
        ON_WEB01,
        SessionState::Available,
        at(10, 0),
        at(11, 0),
    );
    first.note = Some("deploy fix".to_owned());
    first.ticket = Some("CHG-42".to_owned());
    insert(
        store,
        vec![
            first,
            session(
                2,
                UMA,
                ON_WEB01,
                SessionState::LoggedIn,
                at(10, 5),
                at(11, 5),
            ),
            session(
                3,
                ULF,
                ON_WEB01,
                SessionState::Complete,
                at(9, 10),
                at(10, 10),
            ),
            session(
                4,
                UMA,
                ON_DB01,
                SessionState::WaitingForApproval,
                at(10, 20),
                at(10, 50),
            ),
            session(
                5,
                ULF,
                ON_DB01_BY_ROLE,
                SessionState::WaitingForApproval,
                at(10, 30),
                at(11, 0),
            ),
            session(
                6,
                ULF,
                ON_WEB01,
                SessionState::Scheduled,
                at(10, 40) + chrono::Duration::days(1),
                at(11, 40) + chrono::Duration::days(1),
            ),
        ],
    )
    .await;
    change(store, 1, |s| s.actual_start = Some(at(10, 0))).await;
    change(store, 2, |s| {
        s.locked = true;
        s.actual_start = Some(at(10, 5));
    })
    .await;
    change(store, 3, |s| {
        s.actual_start = Some(at(9, 10));
        s.actual_end = Some(at(9, 40));
        s.due_at = None;
    })
    .await;
}

pub async fn the_catalog_reads_back_as_written(store: &dyn Store) {
    with_catalog(store).await;
    let expected = catalog();
    let mut activities = store.activities().await.unwrap();
    activities.sort_by_key(|a| a.id);
    assert_eq!(activities, expected.activities);
    let mut resources = store.resources().await.unwrap();
    resources.sort_by_key(|r| r.id);
    assert_eq!(resources, expected.resources);
    assert_eq!(store.policies().await.unwrap(), expected.policies);
    let ids = store.catalog_ids().await.unwrap();
    assert_eq!(ids.accounts["corp\\ulf"], id(ULF));
    assert_eq!(
        store.account_by_name("UMA").await.unwrap().unwrap().id,
        id(UMA)
    );

    // A replacement that drops an activity retires it, and the reads see the change at once.
    let mut smaller = catalog();
    smaller.activities.retain(|a| a.id != id(DATABASE));
    smaller.policies.retain(|p| p.id == id(OPEN));
    store.replace_catalog(&smaller, at(9, 30)).await.unwrap();
    assert_eq!(store.activities().await.unwrap().len(), 1);
    assert_eq!(store.policies().await.unwrap().len(), 1);
}

pub async fn sessions_insert_and_save_optimistically(store: &dyn Store) {
    with_catalog(store).await;
    let written = session(
        1,
        UMA,
        ON_WEB01,
        SessionState::Scheduled,
        at(10, 0),
        at(11, 0),
    );
    insert(store, vec![written.clone()]).await;
    let read = store.session(written.id).await.unwrap().unwrap();
    assert_eq!(read, written, "a session reads back as written");
    assert!(store.session(id(999_999)).await.unwrap().is_none());

    let mut first = read.clone();
    first.state = SessionState::Provisioning;
    let log = [LogEntry::info(None, "Provisioning")];
    assert!(store.save_session(&first, &log, at(10, 0)).await.unwrap());
    let mut stale = read.clone();
    stale.state = SessionState::Cancelled;
    assert!(
        !store.save_session(&stale, &[], at(10, 0)).await.unwrap(),
        "a write based on an old version is refused"
    );
    let now = store.session(written.id).await.unwrap().unwrap();
    assert_eq!(now.state, SessionState::Provisioning);
    assert_eq!(now.version, 1);
    let lines = store.session_log(written.id).await.unwrap();
    let numbers: Vec<u64> = lines.iter().map(|l| l.line_number).collect();
    assert_eq!(numbers, vec![1, 2]);
    assert_eq!(lines[1].message, "Provisioning");
    assert_eq!(lines[1].at, at(10, 0));
}

pub async fn queries_filter_in_the_store(store: &dyn Store) {
    six_sessions(store).await;
    let q = query;
    assert_eq!(sorted_found(store, q()).await, vec![1, 2, 3, 4, 5, 6]);
    assert_eq!(
        found(
            store,
            SessionQuery {
                created_by: Some(id(UMA)),
                ..q()
            }
        )
        .await,
        vec![1, 2, 4]
    );
    let states = |states: Vec<SessionState>| SessionQuery { states, ..q() };
    assert_eq!(
        found(store, states(vec![SessionState::Available])).await,
        vec![1]
    );
    assert_eq!(
        found(store, states(vec![SessionState::Locked])).await,
        vec![2]
    );
    assert!(
        found(store, states(vec![SessionState::LoggedIn]))
            .await
            .is_empty(),
        "locked shows as Locked"
    );
    assert_eq!(
        sorted_found(
            store,
            states(vec![
                SessionState::WaitingForApproval,
                SessionState::Complete
            ])
        )
        .await,
        vec![3, 4, 5]
    );
    assert_eq!(
        found(
            store,
            SessionQuery {
                finished: Some(true),
                ..q()
            }
        )
        .await,
        vec![3]
    );
    assert_eq!(
        sorted_found(
            store,
            SessionQuery {
                finished: Some(false),
                ..q()
            }
        )
        .await,
        vec![1, 2, 4, 5, 6]
    );

    let users = |names: &[&str]| SessionQuery {
        users: names.iter().map(|n| n.to_string()).collect(),
        ..q()
    };
    assert_eq!(
        sorted_found(store, users(&["ULF"])).await,
        vec![3, 5, 6],
        "the account part of DOMAIN\\name"
    );
    assert_eq!(
        sorted_found(store, users(&["uma user"])).await,
        vec![1, 2, 4],
        "the display name"
    );
    assert!(
        found(store, users(&["user"])).await.is_empty(),
        "not a word of a display name"
    );
    assert_eq!(found(store, users(&["uma", "corp\\ulf"])).await.len(), 6);

    let resources = |names: &[&str]| SessionQuery {
        resources: names.iter().map(|n| n.to_string()).collect(),
        ..q()
    };
    assert_eq!(sorted_found(store, resources(&["DB01"])).await, vec![4, 5]);
    assert_eq!(
        sorted_found(store, resources(&["db01.dev.internal"])).await,
        vec![4, 5]
    );
    assert_eq!(
        sorted_found(store, resources(&[&id(DB01).to_string().to_uppercase()])).await,
        vec![4, 5]
    );
    assert!(found(store, resources(&["nowhere"])).await.is_empty());
    let activity = SessionQuery {
        activities: vec!["linux admin".into()],
        ..q()
    };
    assert_eq!(sorted_found(store, activity).await, vec![1, 2, 3, 6]);
    let platform = SessionQuery {
        platforms: vec!["postgresql".into()],
        users: vec!["ulf".into()],
        ..q()
    };
    assert_eq!(found(store, platform).await, vec![5], "filters are ANDed");

    // The period [from, to] overlaps the actual span, else the scheduled one: session 3 ran
    // 09:10-09:40 though it was scheduled until 10:10.
    let period = SessionQuery {
        from: Some(at(9, 45)),
        to: Some(at(10, 1)),
        ..q()
    };
    assert_eq!(sorted_found(store, period).await, vec![1]);
    let early = SessionQuery {
        to: Some(at(9, 30)),
        ..q()
    };
    assert_eq!(found(store, early).await, vec![3]);

    let text = |t: &str| SessionQuery {
        text: Some(t.to_owned()),
        ..q()
    };
    assert_eq!(
        found(store, text("DEPLOY")).await,
        vec![1],
        "the note, any case"
    );
    assert_eq!(found(store, text("chg-4")).await, vec![1], "the ticket");
    assert_eq!(
        sorted_found(store, text("we")).await,
        vec![1, 2, 3, 6],
        "short text scans"
    );
    assert_eq!(sorted_found(store, text("rita")).await, Vec::<u128>::new());
    assert_eq!(
        sorted_found(store, text("read write")).await,
        vec![4, 5],
        "the activity"
    );
    assert_eq!(
        sorted_found(store, text("corp\\")).await,
        vec![3, 5, 6],
        "the login name"
    );
    assert_eq!(
        found(store, text("locked")).await,
        vec![2],
        "the status word"
    );
    assert_eq!(sorted_found(store, text("waiting")).await, vec![4, 5]);
    assert_eq!(
        sorted_found(store, text("%")).await,
        Vec::<u128>::new(),
        "LIKE wildcards are literal"
    );
    assert_eq!(
        found(store, text("\"deploy")).await,
        Vec::<u128>::new(),
        "quotes are literal"
    );
}

pub async fn queries_sort_page_and_count(store: &dyn Store) {
    six_sessions(store).await;
    let sort = |sort: SessionSort, descending: bool| SessionQuery {
        sort,
        descending,
        ..query()
    };
    assert_eq!(
        found(store, sort(SessionSort::Created, false)).await,
        vec![3, 1, 2, 4, 5, 6]
    );
    assert_eq!(
        found(store, sort(SessionSort::Created, true)).await,
        vec![6, 5, 4, 2, 1, 3]
    );
    assert_eq!(
        found(store, sort(SessionSort::ScheduledEnd, false)).await,
        vec![3, 4, 1, 5, 2, 6]
    );
    // Ties (same user) fall back to created time, then id.
    assert_eq!(
        found(store, sort(SessionSort::User, false)).await,
        vec![3, 5, 6, 1, 2, 4]
    );
    assert_eq!(
        found(store, sort(SessionSort::Resource, true)).await,
        vec![6, 2, 1, 3, 5, 4]
    );
    assert_eq!(
        found(store, sort(SessionSort::Activity, false)).await,
        vec![4, 5, 3, 1, 2, 6]
    );
    assert_eq!(
        found(store, sort(SessionSort::Id, false)).await,
        vec![1, 2, 3, 4, 5, 6]
    );
    // Summary status values: Active No Logon 2, Completed 4, Pending 6, Approval Required 8,
    // Locked 11.
    assert_eq!(
        found(store, sort(SessionSort::Status, false)).await,
        vec![1, 3, 6, 4, 5, 2]
    );
    assert_eq!(
        found(store, sort(SessionSort::LoginAccount, false)).await,
        vec![3, 5, 6, 1, 2, 4]
    );
    let by_duration = found(store, sort(SessionSort::Duration, false)).await;
    // Sessions 3, 4 and 5 last 30 minutes (ties by created time) and 6 an hour; the running
    // ones depend on the clock.
    let position = |n: u128| by_duration.iter().position(|x| *x == n).unwrap();
    assert!(
        position(3) < position(4) && position(4) < position(5) && position(5) < position(6),
        "{by_duration:?}"
    );

    let page = store
        .search_sessions(&SessionQuery {
            skip: 2,
            take: Some(2),
            ..query()
        })
        .await
        .unwrap();
    assert_eq!(page.total, 6);
    let ids: Vec<u128> = page
        .sessions
        .iter()
        .map(|s| s.id.as_u128() - 1000)
        .collect();
    assert_eq!(ids, vec![2, 4]);
    let counted = store
        .search_sessions(&SessionQuery {
            take: Some(0),
            created_by: Some(id(ULF)),
            ..query()
        })
        .await
        .unwrap();
    assert_eq!((counted.total, counted.sessions.len()), (3, 0));

    let mut counts = store.count_sessions_by_state(&query()).await.unwrap();
    counts.sort_by_key(|(state, _)| format!("{state:?}"));
    assert_eq!(
        counts,
        vec![
            (SessionState::Available, 1),
            (SessionState::Complete, 1),
            (SessionState::Locked, 1),
            (SessionState::Scheduled, 1),
            (SessionState::WaitingForApproval, 2),
        ]
    );
    let mine = store
        .count_sessions_by_state(&SessionQuery {
            created_by: Some(id(UMA)),
            ..query()
        })
        .await
        .unwrap();
    assert_eq!(mine.iter().map(|(_, n)| n).sum::<u64>(), 3);
}

pub async fn durations_and_top_users_are_aggregates(store: &dyn Store) {
    six_sessions(store).await;
    let now = at(10, 30);
    // 1: started 10:00, still running: 1800 s. 2: 10:05, running: 1500 s. 3: 09:10-09:40:
    // 1800 s. 4: not started, 30 min scheduled: 1800 s. 5: 30 min: 1800 s. 6: 1 h: 3600 s.
    let (all, top) = store.session_durations(&query(), now, None).await.unwrap();
    assert_eq!(all.count, 6);
    assert_eq!(all.sum, 1800 + 1500 + 1800 + 1800 + 1800 + 3600);
    assert_eq!(all.avg, all.sum / 6);
    assert_eq!((all.min, all.max), (1500, 3600));
    assert_eq!(top.len(), 2);
    assert_eq!(
        top[0].name, "CORP\\ulf",
        "three sessions each; ulf's last longer"
    );
    assert_eq!(top[0].durations.count, 3);
    assert_eq!(top[0].durations.sum, 1800 + 1800 + 3600);
    assert_eq!(top[1].name, "uma");
    let (_, first) = store
        .session_durations(&query(), now, Some(1))
        .await
        .unwrap();
    assert_eq!(first.len(), 1);
    let (none, nobody) = store
        .session_durations(
            &SessionQuery {
                users: vec!["nobody".into()],
                ..query()
            },
            now,
            None,
        )
        .await
        .unwrap();
    assert_eq!((none.count, none.sum, nobody.len()), (0, 0, 0));

    // A finished session that never started ran for no time.
    change(store, 5, |s| {
        s.state = SessionState::Denied;
        s.due_at = None;
    })
    .await;
    let (denied, _) = store
        .session_durations(
            &SessionQuery {
                states: vec![SessionState::Denied],
                ..query()
            },
            now,
            Some(0),
        )
        .await
        .unwrap();
    assert_eq!((denied.count, denied.sum), (1, 0));
}

/// Search's one call answers what its two parts answer: the durations, then the page with
/// their count as its total, for texts found in names, in notes, in both and nowhere.
pub async fn search_summarized_answers_as_its_parts(store: &dyn Store) {
    six_sessions(store).await;
    let now = at(10, 30);
    let cases = [
        query(),
        SessionQuery {
            text: Some("uma".into()),
            ..query()
        },
        SessionQuery {
            text: Some("deploy".into()),
            ..query()
        },
        SessionQuery {
            text: Some("web01".into()),
            take: Some(2),
            skip: 1,
            ..query()
        },
        SessionQuery {
            text: Some("nosuchthing".into()),
            ..query()
        },
        SessionQuery {
            created_by: Some(id(UMA)),
            text: Some("fix".into()),
            ..query()
        },
    ];
    for case in cases {
        let (durations, users, page) = store.search_summarized(&case, now, None).await.unwrap();
        let (alone, alone_users) = store.session_durations(&case, now, None).await.unwrap();
        let paged = store.search_sessions(&case).await.unwrap();
        assert_eq!(durations, alone, "durations of {case:?}");
        assert_eq!(
            users
                .iter()
                .map(|u| (u.account_id, u.durations))
                .collect::<Vec<_>>(),
            alone_users
                .iter()
                .map(|u| (u.account_id, u.durations))
                .collect::<Vec<_>>(),
            "top users of {case:?}"
        );
        assert_eq!(page.total, paged.total, "total of {case:?}");
        assert_eq!(
            page.total, durations.count,
            "the total is the summary's count"
        );
        let ids = |p: &SessionPage| p.sessions.iter().map(|s| s.id).collect::<Vec<_>>();
        assert_eq!(ids(&page), ids(&paged), "page of {case:?}");
    }
}

pub async fn due_sessions_are_only_those_due(store: &dyn Store) {
    with_catalog(store).await;
    let far = Utc.with_ymd_and_hms(10000, 1, 1, 0, 0, 0).unwrap();
    let mut sessions = vec![
        session(
            1,
            UMA,
            ON_WEB01,
            SessionState::Scheduled,
            at(10, 0),
            at(11, 0),
        ),
        session(
            2,
            UMA,
            ON_WEB01,
            SessionState::Scheduled,
            at(9, 0),
            at(11, 0),
        ),
        session(
            3,
            UMA,
            ON_WEB01,
            SessionState::Scheduled,
            at(13, 0),
            at(14, 0),
        ),
    ];
    for n in 0..110 {
        sessions.push(session(
            10 + n,
            ULF,
            ON_WEB01,
            SessionState::Scheduled,
            far,
            far + chrono::Duration::hours(1),
        ));
    }
    insert(store, sessions).await;
    let ids = |sessions: Vec<Session>| sessions.iter().map(|s| s.id).collect::<Vec<_>>();
    let due = store.due_sessions(at(12, 0), 8).await.unwrap();
    assert_eq!(
        ids(due),
        vec![id(1002), id(1001)],
        "earliest first, only what is due"
    );
    assert_eq!(
        ids(store.due_sessions(at(12, 0), 1).await.unwrap()),
        vec![id(1002)]
    );
    assert_eq!(store.next_due().await.unwrap(), Some(at(9, 0)));
    let far_one = store.session(id(1010)).await.unwrap().unwrap();
    assert_eq!(
        far_one.due_at,
        Some(far),
        "a far-future time reads back as written"
    );
}

/// Six sessions due at 9:00..9:05 (one minute apart, the lowest number first).
async fn six_due_sessions(store: &dyn Store) {
    let sessions = (1..=6)
        .map(|n| {
            let start = at(9, n as u32 - 1);
            session(n, UMA, ON_WEB01, SessionState::Scheduled, start, at(11, 0))
        })
        .collect();
    insert(store, sessions).await;
}

pub async fn due_sessions_are_claimed_once_until_written_or_lapsed(store: &dyn Store) {
    with_catalog(store).await;
    six_due_sessions(store).await;
    let numbers = |sessions: Vec<Session>| {
        sessions
            .iter()
            .map(|s| s.id.as_u128() - 1000)
            .collect::<Vec<_>>()
    };
    let lease = at(12, 30);
    let first = store
        .claim_due_sessions("a", at(12, 0), lease, 4)
        .await
        .unwrap();
    assert_eq!(
        numbers(first),
        vec![1, 2, 3, 4],
        "earliest first, at most the limit"
    );
    let second = store
        .claim_due_sessions("b", at(12, 0), lease, 4)
        .await
        .unwrap();
    assert_eq!(
        numbers(second),
        vec![5, 6],
        "what another broker holds is left to it"
    );
    assert!(
        store
            .claim_due_sessions("b", at(12, 0), lease, 4)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.next_due().await.unwrap(),
        Some(lease + chrono::Duration::milliseconds(1)),
        "a claimed session is looked at again when its claim lapses"
    );

    // Writing a session frees its claim: still due, it can be claimed at once.
    change(store, 1, |s| s.due_at = Some(at(12, 0))).await;
    assert_eq!(
        store.next_due().await.unwrap(),
        Some(at(12, 0)),
        "an unclaimed session due after claimed ones is looked at when due"
    );
    let again = store
        .claim_due_sessions("b", at(12, 0), lease, 4)
        .await
        .unwrap();
    assert_eq!(numbers(again), vec![1], "a written session is free again");
    change(store, 1, |s| s.due_at = None).await;

    // "a" died holding 2, 3 and 4. A broker that finds it gone retires it: its claims are free.
    store.retire_instance("a").await.unwrap();
    let freed = store
        .claim_due_sessions("b", at(12, 0), lease, 10)
        .await
        .unwrap();
    assert_eq!(
        numbers(freed),
        vec![2, 3, 4],
        "a retired broker's claims are free"
    );
    // Where nobody retires a broker (another host), its claims lapse: "b" holds 2 to 6 until
    // 12:30, and then "c" takes them.
    let after = lease + chrono::Duration::seconds(1);
    let taken = store
        .claim_due_sessions("c", after, at(13, 0), 10)
        .await
        .unwrap();
    assert_eq!(
        numbers(taken),
        vec![2, 3, 4, 5, 6],
        "lapsed claims are claimed again"
    );
}

/// Two brokers drain 300 due sessions in small batches at once, each writing what it claimed
/// as the scheduler does (its due time cleared): each session is claimed by exactly one.
pub async fn two_brokers_claim_disjoint_due_sessions(a: Arc<dyn Store>, b: Arc<dyn Store>) {
    with_catalog(a.as_ref()).await;
    const SESSIONS: u128 = 300;
    let sessions = (1..=SESSIONS)
        .map(|n| {
            session(
                n,
                UMA,
                ON_WEB01,
                SessionState::Scheduled,
                at(9, 0),
                at(11, 0),
            )
        })
        .collect();
    insert(a.as_ref(), sessions).await;
    let claims: Arc<Mutex<Vec<(&'static str, Uuid)>>> = Arc::default();
    let drain = |store: Arc<dyn Store>, owner: &'static str| {
        let claims = Arc::clone(&claims);
        tokio::spawn(async move {
            loop {
                let claimed = store
                    .claim_due_sessions(owner, at(12, 0), at(13, 0), 7)
                    .await
                    .unwrap();
                if claimed.is_empty() {
                    return;
                }
                for mut session in claimed {
                    claims.lock().unwrap().push((owner, session.id));
                    session.due_at = None;
                    assert!(store.save_session(&session, &[], at(12, 0)).await.unwrap());
                }
            }
        })
    };
    let (first, second) = tokio::join!(drain(a.clone(), "a"), drain(b.clone(), "b"));
    first.unwrap();
    second.unwrap();
    let claims = claims.lock().unwrap().clone();
    let mut ids: Vec<Uuid> = claims.iter().map(|(_, id)| *id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(
        (claims.len(), ids.len()),
        (SESSIONS as usize, SESSIONS as usize),
        "every due session claimed, and by one broker only"
    );
    let by_a = claims.iter().filter(|(owner, _)| *owner == "a").count();
    eprintln!("broker a claimed {by_a}, broker b {}", claims.len() - by_a);
    assert_eq!(a.next_due().await.unwrap(), None, "nothing is left due");
}

/// Writes a transition of session `n` that starts these runs; returns the session written.
async fn start_runs(store: &dyn Store, n: u128, runs: &[NewRun], now: DateTime<Utc>) -> Session {
    let session = store.session(id(1000 + n)).await.unwrap().unwrap();
    let log = [LogEntry::info(None, "runs start")];
    let write = SessionWrite {
        runs,
        ..SessionWrite::new(&session, &log)
    };
    assert_eq!(
        store.write_session(&write, now).await.unwrap(),
        WriteOutcome::Written
    );
    store.session(session.id).await.unwrap().unwrap()
}

fn run(n: u128, kind: ActionKind, index: u32) -> NewRun {
    NewRun {
        run_id: id(9000 + n),
        kind,
        index,
        payload: None,
    }
}

pub async fn outbox_runs_are_leased_in_order_and_settled_once(store: &dyn Store) {
    six_sessions(store).await;
    start_runs(
        store,
        1,
        &[
            run(1, ActionKind::PostSession, 0),
            run(2, ActionKind::PostSession, 1),
        ],
        at(12, 0),
    )
    .await;
    start_runs(store, 2, &[run(3, ActionKind::Lock, 0)], at(12, 0)).await;
    assert_eq!(store.next_run_at().await.unwrap(), Some(at(12, 0)));

    // One run per session at a time, the oldest first; each claim is an attempt.
    let claimed = store
        .claim_runs("a", at(12, 0), at(12, 1), 10)
        .await
        .unwrap();
    let mut keys: Vec<Uuid> = claimed.iter().map(|r| r.run_id).collect();
    keys.sort();
    assert_eq!(keys, vec![id(9001), id(9003)]);
    assert!(claimed.iter().all(|r| r.attempts == 1));
    assert!(
        store
            .claim_runs("b", at(12, 0), at(12, 1), 10)
            .await
            .unwrap()
            .is_empty(),
        "leased runs and the runs queued behind them are not claimed again"
    );
    let first = claimed.iter().find(|r| r.run_id == id(9001)).unwrap();
    assert!(store.renew_run(first.id, "a", at(12, 2)).await.unwrap());
    assert!(!store.renew_run(first.id, "b", at(12, 2)).await.unwrap());

    // The lease of the lock run runs out: someone else claims it, and the first owner can
    // no longer settle it.
    let lock = claimed.iter().find(|r| r.run_id == id(9003)).unwrap();
    let again = store
        .claim_runs("b", at(12, 1) + chrono::Duration::seconds(1), at(12, 3), 10)
        .await
        .unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!((again[0].run_id, again[0].attempts), (id(9003), 2));
    let stale = RunSettle {
        id: lock.id,
        owner: "a",
        settlement: Settlement::Done,
    };
    assert!(!store.settle_run(&stale, at(12, 2)).await.unwrap());

    // Settled with its transition: a retry keeps the key and waits; the lease must hold.
    let session = store.session(id(1001)).await.unwrap().unwrap();
    let settle = RunSettle {
        id: first.id,
        owner: "a",
        settlement: Settlement::Retry {
            at: at(12, 30),
            error: "exit status 1".to_owned(),
        },
    };
    let log = [LogEntry::info(None, "post-session action 1 failed")];
    let write = SessionWrite {
        settles: Some(settle.clone()),
        ..SessionWrite::new(&session, &log)
    };
    assert_eq!(
        store.write_session(&write, at(12, 1)).await.unwrap(),
        WriteOutcome::Written
    );
    assert_eq!(
        store.write_session(&write, at(12, 1)).await.unwrap(),
        WriteOutcome::Stale,
        "the same version twice is stale"
    );
    let runs = store.runs_of(id(1001)).await.unwrap();
    assert_eq!(runs[0].state, "pending");
    assert_eq!(runs[0].last_error.as_deref(), Some("exit status 1"));
    assert_eq!(runs[0].next_attempt_at, at(12, 30));
    assert!(
        store
            .claim_runs("a", at(12, 29), at(12, 31), 10)
            .await
            .unwrap()
            .iter()
            .all(|r| r.session_id != id(1001)),
        "not before its retry time"
    );
    let retry = store
        .claim_runs("a", at(12, 30), at(12, 31), 10)
        .await
        .unwrap();
    let retry = retry.iter().find(|r| r.session_id == id(1001)).unwrap();
    assert_eq!((retry.run_id, retry.attempts), (id(9001), 2));

    // A lost lease writes nothing at all.
    let session = store.session(id(1001)).await.unwrap().unwrap();
    let lost = SessionWrite {
        settles: Some(RunSettle {
            id: retry.id,
            owner: "someone else",
            settlement: Settlement::Done,
        }),
        ..SessionWrite::new(&session, &log)
    };
    assert_eq!(
        store.write_session(&lost, at(12, 30)).await.unwrap(),
        WriteOutcome::LeaseLost
    );
    assert_eq!(
        store.session(id(1001)).await.unwrap().unwrap().version,
        session.version
    );
    let done = RunSettle {
        id: retry.id,
        owner: "a",
        settlement: Settlement::Done,
    };
    assert!(store.settle_run(&done, at(12, 30)).await.unwrap());
    let next = store
        .claim_runs("a", at(12, 30), at(12, 31), 10)
        .await
        .unwrap();
    assert!(
        next.iter().any(|r| r.run_id == id(9002)),
        "the next run of the session follows once the first is done"
    );

    // Dropping pending runs of a kind leaves the leased ones alone.
    start_runs(store, 3, &[run(4, ActionKind::PostSession, 0)], at(12, 31)).await;
    let session = store.session(id(1003)).await.unwrap().unwrap();
    let write = SessionWrite {
        drop_pending: &[ActionKind::PostSession],
        ..SessionWrite::new(&session, &[])
    };
    store.write_session(&write, at(12, 32)).await.unwrap();
    assert_eq!(store.runs_of(id(1003)).await.unwrap()[0].state, "dropped");

    // A broker that is gone gives its leases back.
    start_runs(store, 4, &[run(5, ActionKind::Unlock, 0)], at(13, 0)).await;
    let held = store
        .claim_runs("b", at(13, 0), at(14, 0), 10)
        .await
        .unwrap();
    assert!(held.iter().any(|r| r.run_id == id(9005)));
    let others = store
        .register_instance("b", "host1", 4242, at(13, 0))
        .await
        .unwrap();
    assert!(others.is_empty());
    let seen = store
        .register_instance("c", "host1", 4343, at(13, 0))
        .await
        .unwrap();
    assert_eq!(seen, vec![("b".to_owned(), 4242)]);
    assert!(
        store
            .claim_runs("c", at(13, 1), at(13, 2), 10)
            .await
            .unwrap()
            .iter()
            .all(|r| r.run_id != id(9005)),
        "leased by b"
    );
    assert!(store.retire_instance("b").await.unwrap() >= 1);
    assert!(
        store
            .claim_runs("c", at(13, 1), at(13, 2), 10)
            .await
            .unwrap()
            .iter()
            .any(|r| r.run_id == id(9005)),
        "the run that b held is free again"
    );
    assert!(
        store
            .register_instance("d", "host1", 1, at(13, 0))
            .await
            .unwrap()
            .iter()
            .all(|(instance, _)| instance != "b"),
        "b is forgotten"
    );
}

/// Many transitions at once, as the scheduler writes them when thousands of sessions end in
/// the same second: in one `write_sessions` and as concurrent `write_session`s (a group
/// commit). Each keeps its own outcome, and what it writes is what one write alone writes.
pub async fn transitions_written_together_keep_their_own_outcomes(store: &dyn Store) {
    six_sessions(store).await;
    let ids: Vec<Uuid> = (1..=6).map(|n| id(1000 + n)).collect();
    let mut read = store.sessions(&ids).await.unwrap();
    read.sort_by_key(|s| s.id);
    assert_eq!(read.iter().map(|s| s.id).collect::<Vec<_>>(), ids);
    assert_eq!(
        store
            .sessions(&[id(1001), id(424_242)])
            .await
            .unwrap()
            .len(),
        1,
        "an unknown id is left out"
    );
    assert!(store.sessions(&[]).await.unwrap().is_empty());

    // Sessions 1-3 end together, starting a post-session run each; session 2 was read at an
    // old version, so its write alone is stale.
    let mut ending: Vec<Session> = read[..3].to_vec();
    ending[1].version -= 1;
    for session in &mut ending {
        session.state = SessionState::Canceling;
        session.due_at = None;
    }
    let log = [
        LogEntry::info(None, "end time reached"),
        LogEntry::info(None, "running post-session actions"),
    ];
    let runs: Vec<[NewRun; 1]> = (0..3u128)
        .map(|n| [run(20 + n, ActionKind::PostSession, 0)])
        .collect();
    let writes: Vec<SessionWrite<'_>> = ending
        .iter()
        .zip(&runs)
        .map(|(session, runs)| SessionWrite {
            runs,
            ..SessionWrite::new(session, &log)
        })
        .collect();
    let outcomes = store.write_sessions(&writes, at(12, 0)).await.unwrap();
    assert_eq!(
        outcomes,
        vec![
            WriteOutcome::Written,
            WriteOutcome::Stale,
            WriteOutcome::Written
        ]
    );
    for (n, written) in [(1, true), (2, false), (3, true)] {
        let session = store.session(id(1000 + n)).await.unwrap().unwrap();
        assert_eq!(session.state == SessionState::Canceling, written, "{n}");
        let lines = store.session_log(id(1000 + n)).await.unwrap();
        let numbers: Vec<u64> = lines.iter().map(|l| l.line_number).collect();
        let expected: Vec<u64> = (1..=numbers.len() as u64).collect();
        assert_eq!(numbers, expected, "session {n}'s lines follow on");
        assert_eq!(
            lines.last().map(|l| l.message.as_str()) == Some("running post-session actions"),
            written
        );
        assert_eq!(
            store.runs_of(id(1000 + n)).await.unwrap().len(),
            usize::from(written)
        );
    }
    assert_eq!(
        store.session(id(1001)).await.unwrap().unwrap().modified_at,
        at(12, 0)
    );

    // Their runs finish together; one of them lost its lease meanwhile, so only its write is
    // refused and the others are recorded.
    let claimed = store
        .claim_runs("a", at(12, 1), at(12, 2), 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 2);
    let mut finished: Vec<Session> = store.sessions(&[id(1001), id(1003)]).await.unwrap();
    finished.sort_by_key(|s| s.id);
    for session in &mut finished {
        session.state = SessionState::Complete;
        session.post_actions_done = 1;
        session.actual_end = Some(at(12, 1));
    }
    let settle_of = |session: &Session, owner: &'static str| RunSettle {
        id: claimed
            .iter()
            .find(|r| r.session_id == session.id)
            .unwrap()
            .id,
        owner,
        settlement: Settlement::Done,
    };
    let done_log = [LogEntry::info(None, "complete")];
    let writes = [
        SessionWrite {
            settles: Some(settle_of(&finished[0], "a")),
            ..SessionWrite::new(&finished[0], &done_log)
        },
        SessionWrite {
            settles: Some(settle_of(&finished[1], "someone else")),
            ..SessionWrite::new(&finished[1], &done_log)
        },
    ];
    let outcomes = store.write_sessions(&writes, at(12, 1)).await.unwrap();
    assert_eq!(
        outcomes,
        vec![WriteOutcome::Written, WriteOutcome::LeaseLost]
    );
    assert_eq!(
        store.session(id(1001)).await.unwrap().unwrap().state,
        SessionState::Complete
    );
    assert_eq!(store.runs_of(id(1001)).await.unwrap()[0].state, "done");
    let lost = store.session(id(1003)).await.unwrap().unwrap();
    assert_eq!(
        lost.state,
        SessionState::Canceling,
        "a lost lease writes nothing"
    );
    assert_eq!(store.runs_of(id(1003)).await.unwrap()[0].state, "pending");

    // The same as concurrent single writes: each alone is written or stale.
    let write = SessionWrite {
        settles: Some(settle_of(&finished[1], "a")),
        ..SessionWrite::new(&finished[1], &done_log)
    };
    let (first, second) = tokio::join!(
        store.write_session(&write, at(12, 2)),
        store.write_session(&write, at(12, 2))
    );
    let mut both = vec![first.unwrap(), second.unwrap()];
    both.sort_by_key(|o| format!("{o:?}"));
    assert_eq!(both, vec![WriteOutcome::Stale, WriteOutcome::Written]);
    let complete = store.session(id(1003)).await.unwrap().unwrap();
    assert_eq!(complete.state, SessionState::Complete);
    assert_eq!(complete.version, lost.version + 1);
    let lines = store.session_log(id(1003)).await.unwrap();
    assert_eq!(
        lines.iter().filter(|l| l.message == "complete").count(),
        1,
        "written once"
    );
    assert_eq!(store.runs_of(id(1003)).await.unwrap()[0].state, "done");
}

/// A scheduled session of uma's whose activity the catalog does not know: its insert fails
/// on a foreign key.
fn with_unknown_activity(n: u128) -> Session {
    let mut bad = session(
        n,
        UMA,
        ON_WEB01,
        SessionState::Scheduled,
        at(13, 0),
        at(14, 0),
    );
    bad.activity_id = id(424_242);
    bad
}

pub async fn concurrent_inserts_commit_together_and_fail_alone(store: &dyn Store) {
    with_catalog(store).await;
    let good: Vec<Session> = (0..40)
        .map(|n| {
            session(
                100 + n,
                UMA,
                ON_WEB01,
                SessionState::Scheduled,
                at(13, 0),
                at(14, 0),
            )
        })
        .collect();
    let bad = with_unknown_activity(99);
    let log = vec![LogEntry::info(None, "Requested")];
    let writes = good.iter().map(|s| {
        let one = [(s.clone(), log.clone())];
        async move { store.insert_sessions(None, &one, &[], at(12, 0)).await }
    });
    let bad_one = [(bad.clone(), log.clone())];
    let (results, bad_result) = tokio::join!(
        futures_join_all(writes),
        store.insert_sessions(None, &bad_one, &[], at(12, 0))
    );
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert!(bad_result.is_err(), "an unknown activity is refused");
    for s in &good {
        assert!(store.session(s.id).await.unwrap().is_some());
    }
    assert!(store.session(bad.id).await.unwrap().is_none());
}

/// A group create's parts: its group, its sessions with their first log lines, its action
/// runs and its audit records.
type GroupCreate = (
    Uuid,
    Vec<(Session, Vec<LogEntry>)>,
    Vec<(Uuid, NewRun)>,
    Vec<AuditEvent>,
);

/// Creates sent at once (SQLite's group commit writes them as a few statements for all of
/// them) each keep their group, their log lines numbered from 1, their action runs and
/// their audit records, chained in turn; one that fails takes nothing of the others with it
/// and leaves no record behind.
async fn concurrent_creates_keep_their_groups_lines_runs_and_records(store: &dyn Store) {
    with_catalog(store).await;
    let seal = AuditSeal::unkeyed();
    const CREATES: u128 = 12;
    let log = vec![
        LogEntry::info(Some("uma"), "Requested"),
        LogEntry::info(None, "Waiting for its start"),
    ];
    // Create n: a group of two sessions (ids 200+2n and 201+2n) with a run on the first
    // and one audit record per session.
    let creates: Vec<GroupCreate> = (0..CREATES)
        .map(|n| {
            let group = id(5000 + n);
            let sessions: Vec<(Session, Vec<LogEntry>)> = [200 + 2 * n, 201 + 2 * n]
                .into_iter()
                .map(|k| {
                    let mut s = session(
                        k,
                        UMA,
                        ON_WEB01,
                        SessionState::Scheduled,
                        at(13, 0),
                        at(14, 0),
                    );
                    s.group_id = Some(group);
                    (s, log.clone())
                })
                .collect();
            let runs = vec![(sessions[0].0.id, run(100 + n, ActionKind::Notify, 0))];
            let records = sessions
                .iter()
                .map(|(s, _)| audit_event(1, "uma", "session.create", None).on(s.id.to_string()))
                .collect();
            (group, sessions, runs, records)
        })
        .collect();
    let bad = with_unknown_activity(199);
    let bad_create = [(bad.clone(), log.clone())];
    let bad_record = [audit_event(1, "uma", "session.create", None).on(bad.id.to_string())];

    let writes = creates.iter().map(|(group, sessions, runs, records)| {
        store.insert_sessions_audited(Some(*group), sessions, runs, records, &seal, at(12, 0))
    });
    let (results, bad_result) = tokio::join!(
        futures_join_all(writes),
        store.insert_sessions_audited(None, &bad_create, &[], &bad_record, &seal, at(12, 0))
    );
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert!(bad_result.is_err(), "an unknown activity is refused");
    assert!(store.session(bad.id).await.unwrap().is_none());

    for (group, sessions, runs, _) in &creates {
        for (expected, _) in sessions {
            let stored = store.session(expected.id).await.unwrap().unwrap();
            assert_eq!(stored.group_id, Some(*group));
            let lines = store.session_log(expected.id).await.unwrap();
            let numbered: Vec<(u64, &str)> = lines
                .iter()
                .map(|l| (l.line_number, l.message.as_str()))
                .collect();
            assert_eq!(numbered, [(1, "Requested"), (2, "Waiting for its start")]);
        }
        let (first, run) = &runs[0];
        let stored_runs = store.runs_of(*first).await.unwrap();
        assert_eq!(stored_runs.len(), 1);
        assert_eq!(stored_runs[0].run_id, run.run_id);
        assert!(store.runs_of(sessions[1].0.id).await.unwrap().is_empty());
    }
    // Every create's two records, chained in turn, and none for the refused one.
    assert_eq!(verified_rows(store, &seal).await, 2 * CREATES as u64);
    let rows = store.audit_rows_after(0, 10_000).await.unwrap();
    assert!(
        rows.iter()
            .all(|r| r.event.target.as_deref() != Some(bad.id.to_string().as_str())),
        "the refused create left a record"
    );
}

/// Runs futures concurrently on this task (no extra crate for one test).
async fn futures_join_all<F: std::future::Future>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output> {
    let mut set = Vec::new();
    for future in futures {
        set.push(Box::pin(future));
    }
    let mut outputs: Vec<Option<F::Output>> = set.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, output) in set.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(value) => *output = Some(value),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().map(|o| o.unwrap()).collect()
}

pub async fn open_sessions_are_counted_per_requester(store: &dyn Store) {
    six_sessions(store).await;
    let (open, pending) = store.open_sessions_of(id(UMA)).await.unwrap();
    let sessions = store
        .search_sessions(&SessionQuery {
            created_by: Some(id(UMA)),
            finished: Some(false),
            ..SessionQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(open, sessions.total);
    let waiting = sessions
        .sessions
        .iter()
        .filter(|s| s.state == SessionState::WaitingForApproval)
        .count() as u64;
    assert_eq!(pending, waiting);
    assert_eq!(store.open_sessions_of(id(999)).await.unwrap(), (0, 0));
}

pub async fn session_credentials_are_kept_replaced_and_deleted(store: &dyn Store) {
    six_sessions(store).await;
    let (first, second) = (id(1001), id(1002));
    assert_eq!(store.credential(first).await.unwrap(), None);
    store
        .put_credential(first, b"sealed-one", at(9, 0))
        .await
        .unwrap();
    store
        .put_credential(second, b"sealed-two", at(9, 0))
        .await
        .unwrap();
    // Provisioning again hands out a fresh password: the new one replaces the old.
    store
        .put_credential(first, &[0, 255, 1], at(9, 5))
        .await
        .unwrap();
    assert_eq!(
        store.credential(first).await.unwrap(),
        Some(vec![0, 255, 1])
    );
    assert!(store.delete_credential(first).await.unwrap());
    assert!(!store.delete_credential(first).await.unwrap());
    assert_eq!(store.credential(first).await.unwrap(), None);
    assert_eq!(
        store.credential(second).await.unwrap(),
        Some(b"sealed-two".to_vec())
    );
}

fn statement(session: Uuid, sql: &str, status: StatementStatus) -> StatementEntry {
    StatementEntry {
        id: 0,
        session_id: session,
        requested_by: id(1),
        requested_by_name: "uma".to_owned(),
        requested_at: at(9, 0),
        sql: sql.to_owned(),
        status,
        rerun_of: None,
        started_at: None,
        duration_ms: None,
        rows_affected: None,
        result: None,
        error: None,
        reviewed_by: None,
        reviewed_by_name: None,
        reviewed_at: None,
        review_reason: None,
        run_id: None,
    }
}

pub async fn statements_are_logged_decided_once_and_run_through_the_outbox(store: &dyn Store) {
    six_sessions(store).await;
    let (first, second) = (id(1001), id(1002));
    // A statement that ran at once, with its rows.
    let mut ran = statement(first, "SELECT name FROM items", StatementStatus::Running);
    ran.started_at = Some(at(9, 0));
    ran.id = store.insert_statement(&ran, None, at(9, 0)).await.unwrap();
    ran.status = StatementStatus::Succeeded;
    ran.duration_ms = Some(12);
    ran.rows_affected = Some(3);
    ran.result = Some(StatementRows {
        columns: vec!["name".to_owned(), "note".to_owned()],
        rows: vec![vec![Some("apple".to_owned()), None]],
        total: 3,
    });
    assert!(
        store
            .update_statement(&ran, StatementStatus::Running, None, at(9, 1))
            .await
            .unwrap()
    );
    assert_eq!(store.statement(ran.id).await.unwrap(), Some(ran.clone()));

    // Two held ones, the first a re-run of the entry that ran.
    let mut held = statement(
        first,
        "INSERT INTO items VALUES (1)",
        StatementStatus::PendingReview,
    );
    held.rerun_of = Some(ran.id);
    held.id = store.insert_statement(&held, None, at(9, 2)).await.unwrap();
    let mut other = statement(second, "DELETE FROM items", StatementStatus::PendingReview);
    other.id = store
        .insert_statement(&other, None, at(9, 3))
        .await
        .unwrap();
    assert!(held.id > ran.id && other.id > held.id, "ids grow");
    let pending: Vec<i64> = store
        .pending_statements()
        .await
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(pending, vec![held.id, other.id]);
    let log = store.statements_of(first).await.unwrap();
    assert_eq!(log, vec![ran.clone(), held.clone()]);

    // The approval and its outbox run are written together, once: a second decision on
    // the same pending entry finds it decided.
    let mut approved = held.clone();
    approved.status = StatementStatus::Approved;
    approved.reviewed_by = Some(id(2));
    approved.reviewed_by_name = Some("rita".to_owned());
    approved.reviewed_at = Some(at(9, 4));
    approved.run_id = Some(id(9100));
    let statement_run = NewRun {
        run_id: id(9100),
        kind: ActionKind::Statement,
        index: 0,
        payload: Some(held.id.to_string()),
    };
    assert!(
        store
            .update_statement(
                &approved,
                StatementStatus::PendingReview,
                Some(&statement_run),
                at(9, 4)
            )
            .await
            .unwrap()
    );
    let mut denied = held.clone();
    denied.status = StatementStatus::Denied;
    assert!(
        !store
            .update_statement(&denied, StatementStatus::PendingReview, None, at(9, 5))
            .await
            .unwrap(),
        "the entry was decided already"
    );
    assert_eq!(store.statement(held.id).await.unwrap(), Some(approved));
    let claimed = store.claim_runs("a", at(9, 5), at(9, 6), 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].kind, ActionKind::Statement);
    assert_eq!(claimed[0].session_id, first);
    assert_eq!(
        claimed[0].payload.as_deref(),
        Some(held.id.to_string().as_str())
    );
    let pending: Vec<i64> = store
        .pending_statements()
        .await
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(pending, vec![other.id]);
    assert_eq!(store.statement(424_242).await.unwrap(), None);

    // An entry that runs without review is written with its run, which names the new entry.
    let mut direct = statement(second, "SELECT 1", StatementStatus::Approved);
    direct.run_id = Some(id(9101));
    let direct_run = NewRun {
        run_id: id(9101),
        kind: ActionKind::Statement,
        index: 0,
        payload: None,
    };
    direct.id = store
        .insert_statement(&direct, Some(&direct_run), at(9, 6))
        .await
        .unwrap();
    let claimed = store.claim_runs("a", at(9, 6), at(9, 7), 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].run_id, id(9101));
    assert_eq!(claimed[0].session_id, second);
    assert_eq!(
        claimed[0].payload.as_deref(),
        Some(direct.id.to_string().as_str())
    );
}

pub async fn approval_queries_find_what_a_reviewer_may_decide(store: &dyn Store) {
    six_sessions(store).await;
    let candidates = |account: u128, role: Role| async move {
        let mut ids: Vec<u128> = store
            .approval_candidates(id(account), role)
            .await
            .unwrap()
            .iter()
            .map(|s| s.id.as_u128() - 1000)
            .collect();
        ids.sort();
        ids
    };
    // rita is named on Named (4) and a Reviewer on By Role (5).
    assert_eq!(candidates(RITA, Role::Reviewer).await, vec![4, 5]);
    // The admin may approve under Named only (admins_may_approve).
    assert_eq!(candidates(ADMIN, Role::Admin).await, vec![4]);
    // A user is never named: nothing.
    assert!(candidates(UMA, Role::User).await.is_empty());

    let mut waiting = store.session(id(1004)).await.unwrap().unwrap();
    waiting.state = SessionState::Scheduled;
    let approval = Approval {
        id: id(5000),
        session_id: waiting.id,
        tier: 0,
        approver_id: id(RITA),
        approver_name: "rita".to_owned(),
        decision: Decision::Approved,
        notes: Some("ok".to_owned()),
        from_address: None,
        decided_at: at(10, 25),
    };
    let write = SessionWrite {
        approval: Some(&approval),
        ..SessionWrite::new(&waiting, &[])
    };
    assert_eq!(
        store.write_session(&write, at(10, 25)).await.unwrap(),
        WriteOutcome::Written
    );
    assert_eq!(
        candidates(RITA, Role::Reviewer).await,
        vec![5],
        "decided and no longer waiting"
    );
    let decided = store
        .approvals_of_sessions(&[id(1004), id(1005)])
        .await
        .unwrap();
    assert_eq!(decided, vec![approval.clone()]);
    assert_eq!(
        store.approvals(Some(id(1004))).await.unwrap(),
        vec![approval.clone()]
    );
    assert!(store.approvals_of_sessions(&[]).await.unwrap().is_empty());
    // A session read with its decisions: what a reply about one session shows.
    let (read, decisions) = store
        .session_with_approvals(id(1004))
        .await
        .unwrap()
        .expect("the decided session");
    assert_eq!(Some(read), store.session(id(1004)).await.unwrap());
    assert_eq!(decisions, vec![approval]);
    let (_, none) = store
        .session_with_approvals(id(1005))
        .await
        .unwrap()
        .expect("the undecided session");
    assert!(none.is_empty(), "no decision yet: {none:?}");
    assert!(
        store
            .session_with_approvals(id(9999))
            .await
            .unwrap()
            .is_none()
    );
    // Read before a change: the same answer, whatever its place in line.
    assert_eq!(
        store
            .session_with_approvals_to_change(id(1004))
            .await
            .unwrap(),
        store.session_with_approvals(id(1004)).await.unwrap()
    );
    assert!(
        store
            .session_with_approvals_to_change(id(9999))
            .await
            .unwrap()
            .is_none()
    );
}

pub async fn tokens_are_found_revoked_and_purged(store: &dyn Store) {
    with_catalog(store).await;
    let token = |n: u128, expires: DateTime<Utc>| TokenRecord {
        id: id(7000 + n),
        digest: format!("digest-{n}"),
        account_id: id(UMA),
        stage: TokenStage::Full,
        created_at: at(8, 0),
        expires_at: expires,
        revoked_at: None,
        created_from: None,
        family_id: id(7000 + n),
        family_expires_at: expires,
    };
    store.insert_token(&token(1, at(18, 0))).await.unwrap();
    store.insert_token(&token(2, at(9, 0))).await.unwrap();
    let found = store.token_by_digest("digest-1").await.unwrap().unwrap();
    assert_eq!(
        (found.id, found.expires_at, found.stage),
        (id(7001), at(18, 0), TokenStage::Full)
    );
    assert!(store.token_by_digest("digest-9").await.unwrap().is_none());
    // With its account, read together: what a request whose token is not cached reads.
    let (with, account) = store
        .token_with_account("digest-1")
        .await
        .unwrap()
        .expect("the token");
    assert_eq!((with.id, with.account_id), (id(7001), id(UMA)));
    assert_eq!(account.map(|a| a.id), Some(id(UMA)));
    assert!(
        store
            .token_with_account("digest-9")
            .await
            .unwrap()
            .is_none()
    );
    store.revoke_token(id(7001), at(10, 0)).await.unwrap();
    assert_eq!(
        store
            .token_by_digest("digest-1")
            .await
            .unwrap()
            .unwrap()
            .revoked_at,
        Some(at(10, 0))
    );
    assert_eq!(
        store.delete_tokens_expired_before(at(10, 0)).await.unwrap(),
        1
    );
    assert!(store.token_by_digest("digest-2").await.unwrap().is_none());
    // A token whose account was retired is found without an account.
    store
        .insert_token(&TokenRecord {
            account_id: id(ULF),
            ..token(3, at(18, 0))
        })
        .await
        .unwrap();
    let mut without_ulf = catalog();
    without_ulf.accounts.retain(|a| a.id != id(ULF));
    store
        .replace_catalog(&without_ulf, at(10, 30))
        .await
        .unwrap();
    let (found, account) = store
        .token_with_account("digest-3")
        .await
        .unwrap()
        .expect("the token");
    assert_eq!((found.id, account.map(|a| a.id)), (id(7003), None));
}

pub async fn token_families_and_accounts_are_revoked_whole(store: &dyn Store) {
    with_catalog(store).await;
    let token = |n: u128, account: u128, family: u128| TokenRecord {
        id: id(7100 + n),
        digest: format!("family-digest-{n}"),
        account_id: id(account),
        stage: TokenStage::Full,
        created_at: at(8, n as u32),
        expires_at: at(18, 0),
        revoked_at: None,
        created_from: Some("192.0.2.7".to_owned()),
        family_id: id(7100 + family),
        family_expires_at: at(20, 0),
    };
    for (n, account, family) in [(1, UMA, 1), (2, UMA, 1), (3, UMA, 3), (4, RITA, 4)] {
        store
            .insert_token(&token(n, account, family))
            .await
            .unwrap();
    }
    let found = store.token(id(7102)).await.unwrap().unwrap();
    assert_eq!(
        (found.family_id, found.family_expires_at),
        (id(7101), at(20, 0))
    );
    let live = |account: Option<u128>| async move {
        store
            .live_tokens(account.map(id), at(9, 0))
            .await
            .unwrap()
            .iter()
            .map(|t| t.id.as_u128() - 7100)
            .collect::<Vec<_>>()
    };
    assert_eq!(live(None).await, vec![1, 2, 3, 4]);
    assert_eq!(live(Some(UMA)).await, vec![1, 2, 3]);
    assert_eq!(
        store.revoke_token_family(id(7101), at(9, 0)).await.unwrap(),
        2
    );
    assert_eq!(live(Some(UMA)).await, vec![3]);
    assert_eq!(
        store
            .revoke_account_tokens(id(UMA), at(9, 0))
            .await
            .unwrap(),
        1
    );
    assert_eq!(live(None).await, vec![4]);
    assert!(
        store.live_tokens(None, at(18, 0)).await.unwrap().is_empty(),
        "expired"
    );
    assert!(store.token(id(7999)).await.unwrap().is_none());
}

pub async fn the_sign_in_throttle_counts_before_the_check(store: &dyn Store) {
    use pamctl::core::throttle::{Reservation, SignInKeys, ThrottlePolicy};
    let policy = ThrottlePolicy::new(2);
    let attacker = SignInKeys::new("uma ", "192.0.2.1".parse::<std::net::IpAddr>().unwrap());
    let user = SignInKeys::new("UMA", "192.0.2.2".parse::<std::net::IpAddr>().unwrap());
    let reserve = |keys: SignInKeys, now| async move {
        store.reserve_sign_in(&keys, &policy, now).await.unwrap()
    };
    assert!(matches!(
        reserve(attacker.clone(), at(9, 0)).await,
        Reservation::Allowed { .. }
    ));
    let Reservation::Allowed { pair, account } = reserve(attacker.clone(), at(9, 0)).await else {
        panic!("the second attempt is allowed");
    };
    assert_eq!((pair.failures, account.failures), (2, 2));
    let Reservation::Refused(refusal) = reserve(attacker.clone(), at(9, 0)).await else {
        panic!("the third attempt waits");
    };
    assert_eq!(refusal.retry_after, chrono::Duration::seconds(1));
    // Another address of the same login is not held back, and its success takes its
    // advance count back.
    let Reservation::Allowed { account, .. } = reserve(user.clone(), at(9, 0)).await else {
        panic!("another address is allowed");
    };
    assert_eq!(account.failures, 3);
    store.sign_in_succeeded(&user).await.unwrap();
    let Reservation::Allowed { pair, account } = reserve(user.clone(), at(9, 0)).await else {
        panic!("allowed again");
    };
    assert_eq!((pair.failures, account.failures), (1, 3));
    assert_eq!(store.purge_sign_in_failures(at(9, 1)).await.unwrap(), 3);
    assert!(matches!(
        reserve(attacker, at(9, 2)).await,
        Reservation::Allowed { .. }
    ));
}

pub async fn logs_page_in_the_store(store: &dyn Store) {
    with_catalog(store).await;
    let s = session(
        1,
        UMA,
        ON_WEB01,
        SessionState::Scheduled,
        at(10, 0),
        at(11, 0),
    );
    insert(store, vec![s.clone()]).await;
    let mut current = store.session(s.id).await.unwrap().unwrap();
    for (minute, level, message) in [
        (1, LogLevel::Debug, "probe"),
        (2, LogLevel::Info, "granted 50% of it"),
        (3, LogLevel::Error, "revoke failed"),
    ] {
        let entry = LogEntry::new(level, Some("rita"), message);
        assert!(
            store
                .save_session(&current, &[entry], at(10, minute))
                .await
                .unwrap()
        );
        current.version += 1;
    }
    let page = |q: LogQuery| async move { store.session_log_page(s.id, &q).await.unwrap() };
    let (lines, total) = page(LogQuery::default()).await;
    assert_eq!((lines.len(), total), (4, 4));
    let (lines, total) = page(LogQuery {
        min_level: Some(LogLevel::Info),
        skip: 1,
        take: Some(1),
        ..Default::default()
    })
    .await;
    assert_eq!(total, 3);
    assert_eq!(lines[0].message, "granted 50% of it");
    let (lines, _) = page(LogQuery {
        descending: true,
        take: Some(1),
        ..Default::default()
    })
    .await;
    assert_eq!(lines[0].message, "revoke failed");
    let (lines, total) = page(LogQuery {
        text: Some("50%".into()),
        ..Default::default()
    })
    .await;
    assert_eq!((total, lines[0].line_number), (1, 3));
    let (_, total) = page(LogQuery {
        text: Some("RITA".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(total, 3, "the actor matches too");
    let (_, total) = page(LogQuery {
        from: Some(at(10, 2)),
        to: Some(at(10, 2)),
        ..Default::default()
    })
    .await;
    assert_eq!(total, 1);
    // The session read with a page of its log: the same page, and the session as it is.
    let info = LogQuery {
        min_level: Some(LogLevel::Info),
        skip: 1,
        take: Some(1),
        ..Default::default()
    };
    let (read, lines, total) = store
        .session_with_log_page(s.id, &info)
        .await
        .unwrap()
        .expect("the session");
    assert_eq!(Some(read), store.session(s.id).await.unwrap());
    assert_eq!((lines, total), page(info.clone()).await);
    assert!(
        store
            .session_with_log_page(id(9999), &info)
            .await
            .unwrap()
            .is_none()
    );
}

/// SQLite as this build bundles it (`.cargo/config.toml`): without the two global mutexes
/// every connection thread took on each allocation and page, which cost the broker a quarter
/// of its CPU under load.
#[tokio::test]
async fn sqlite_is_built_without_its_global_locks() {
    use std::str::FromStr;

    use sqlx::{ConnectOptions, Row};
    let mut connection = sqlx::sqlite::SqliteConnectOptions::from_str("sqlite::memory:")
        .unwrap()
        .connect()
        .await
        .unwrap();
    let options: Vec<String> = sqlx::query("PRAGMA compile_options")
        .fetch_all(&mut connection)
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert!(
        options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"),
        "memory statistics (one lock per allocation) are on: {options:?}"
    );
    assert!(
        !options.iter().any(|o| o == "ENABLE_MEMORY_MANAGEMENT"),
        "one page cache is shared by every connection under one lock: {options:?}"
    );
}

/// SQLite only: a database written by the text-time schema is converted, and a time SQLite
/// cannot read (year 10000) becomes the far future, never due.
#[tokio::test]
async fn sqlite_text_times_become_integers_and_unreadable_ones_never_due() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        use sqlx::ConnectOptions;
        let migrations = dir.path().join("migrations");
        std::fs::create_dir(&migrations).unwrap();
        std::fs::copy(
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/src/store/migrations/sqlite/20261125000000_initial.sql"
            ),
            migrations.join("20261125000000_initial.sql"),
        )
        .unwrap();
        let mut connection = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .connect()
            .await
            .unwrap();
        sqlx::migrate::Migrator::new(migrations.as_path())
            .await
            .unwrap()
            .run(&mut connection)
            .await
            .unwrap();
        let old = "2026-11-25T10:00:00.123456+00:00";
        sqlx::raw_sql(&format!(
            "INSERT INTO accounts VALUES ('{uma}', 'uma', 'Uma User', 'user', 'User', NULL, NULL, '{old}', '{old}', NULL);
             INSERT INTO activities (id, name, platform, activity_type, login_account, fingerprint, created_at, modified_at)
                VALUES ('{linux}', 'Linux Admin', 'Linux', 0, 0, 'f', '{old}', '{old}');
             INSERT INTO resources (id, name, platform, resource_type, fingerprint, created_at, modified_at)
                VALUES ('{web01}', 'web01', 'Linux', 0, 'f', '{old}', '{old}');
             INSERT INTO policies (id, name, position, max_duration_secs, approval_timeout_secs, fingerprint, created_at, modified_at)
                VALUES ('{open}', 'Open', 0, 3600, 3600, 'f', '{old}', '{old}');
             INSERT INTO sessions (id, created_by, activity_id, resource_id, policy_id, state, note, scheduled_start_at,
                scheduled_end_at, due_at, created_at, modified_at)
             VALUES ('{s1}', '{uma}', '{linux}', '{web01}', '{open}', 'Scheduled', 'old deploy', '2026-11-25T12:00:00Z',
                '2026-11-25T13:00:00Z', '2026-11-25T12:00:00Z', '{old}', '{old}'),
                    ('{s2}', '{uma}', '{linux}', '{web01}', '{open}', 'Scheduled', NULL, '+10000-01-01T00:00:00+00:00',
                '+10000-01-01T01:00:00+00:00', '+10000-01-01T00:00:00+00:00', '{old}', '{old}');
             INSERT INTO session_log VALUES ('{s1}', 1, '{old}', 1, 'uma', 'Requested'),
                ('{s2}', 1, '{old}', 1, 'uma', 'Requested far ahead'),
                ('{s2}', 2, '{old}', 1, NULL, 'Scheduled');",
            uma = id(UMA),
            linux = id(LINUX),
            web01 = id(WEB01),
            open = id(OPEN),
            s1 = id(1001),
            s2 = id(1002),
        ))
        .execute(&mut connection)
        .await
        .unwrap();
    }

    let store = SqliteStore::open_file(&path).await.unwrap();
    let converted = store.session(id(1001)).await.unwrap().unwrap();
    assert_eq!(converted.scheduled_start, at(12, 0));
    assert_eq!(
        converted.created_at,
        at(10, 0) + chrono::Duration::milliseconds(123),
        "rounded to the millisecond"
    );
    assert_eq!(
        store.session_log(id(1001)).await.unwrap().len(),
        1,
        "children survive the rebuild"
    );
    // The log, kept by session number since, is still each session's own.
    let far_log: Vec<String> = store
        .session_log(id(1002))
        .await
        .unwrap()
        .into_iter()
        .map(|line| line.message)
        .collect();
    assert_eq!(far_log, ["Requested far ahead", "Scheduled"]);
    let far = store.session(id(1002)).await.unwrap().unwrap();
    let never = Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).unwrap()
        + chrono::Duration::milliseconds(999);
    assert_eq!(far.due_at, Some(never));
    assert_eq!(far.scheduled_start, never);
    let now = Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap();
    assert_eq!(
        store
            .due_sessions(now, 8)
            .await
            .unwrap()
            .iter()
            .map(|s| s.id)
            .collect::<Vec<_>>(),
        vec![id(1001)]
    );
    let text = SessionQuery {
        text: Some("old deploy".into()),
        ..SessionQuery::default()
    };
    assert_eq!(
        store.search_sessions(&text).await.unwrap().total,
        1,
        "the free-text index covers old sessions"
    );
}

/// When most sessions match the free text the store walks the created-time index instead of
/// sorting every match; the page must be the same.
pub async fn text_matching_most_sessions_pages_the_same(store: &dyn Store) {
    with_catalog(store).await;
    let many: Vec<(Session, Vec<LogEntry>)> = (0..5_010)
        .map(|n| {
            let start = at(10, 0) + chrono::Duration::seconds(n as i64);
            let mut s = session(
                n,
                UMA,
                ON_WEB01,
                SessionState::Scheduled,
                start,
                start + chrono::Duration::hours(1),
            );
            s.note = Some(if n % 1_000 == 7 { "other" } else { "bulk load" }.to_owned());
            (s, vec![])
        })
        .collect();
    store
        .insert_sessions(None, &many, &[], at(10, 0))
        .await
        .unwrap();
    let text = |descending: bool| SessionQuery {
        text: Some("BULK".to_owned()),
        descending,
        skip: 6,
        take: Some(3),
        ..query()
    };
    let page = store.search_sessions(&text(false)).await.unwrap();
    assert_eq!(page.total, 5_004, "six of 5,010 have another note");
    let ids: Vec<u128> = page
        .sessions
        .iter()
        .map(|s| s.id.as_u128() - 1000)
        .collect();
    assert_eq!(ids, vec![6, 8, 9], "session 7 has another note");
    let page = store.search_sessions(&text(true)).await.unwrap();
    let ids: Vec<u128> = page
        .sessions
        .iter()
        .map(|s| s.id.as_u128() - 1000)
        .collect();
    assert_eq!(ids, vec![5_002, 5_001, 5_000]);
}

/// More sessions than a scope the store walks (10,000), so that Search splits the free text:
/// names and states from the tally, notes and tickets from the text index, rare matches
/// gathered from the indexes. Every split must agree with the plain rule, checked here in
/// Rust: a text matches a session when the requester's login or display name, the resource's
/// name or display name, the activity, the note, the ticket or the status word holds it, in
/// any case.
pub async fn search_at_scale_agrees_with_the_plain_rule(store: &dyn Store) {
    with_catalog(store).await;
    let states = [
        SessionState::Available,
        SessionState::Scheduled,
        SessionState::WaitingForApproval,
        SessionState::Complete,
    ];
    let mut all: Vec<(Session, DateTime<Utc>)> = Vec::new();
    for batch in 0..3u32 {
        let created = at(10, batch);
        let sessions: Vec<(Session, Vec<LogEntry>)> = (0..4_000u128)
            .map(|i| {
                let n = u128::from(batch) * 4_000 + i;
                let creator = if n % 2 == 0 { UMA } else { ULF };
                let on = if n % 3 == 0 { ON_DB01 } else { ON_WEB01 };
                let start = at(11, 0);
                let mut s = session(
                    n,
                    creator,
                    on,
                    states[(n % 7 % 4) as usize],
                    start,
                    start + chrono::Duration::hours(1),
                );
                if n % 5 == 0 {
                    s.note = Some(format!("Deploy fix {n}"));
                } else if n % 11 == 0 {
                    s.note = Some("Überprüfung der Rechte".to_owned());
                } else if n % 17 == 0 {
                    // Every trigram of "deploy fix", but not the text: an index asked for
                    // trigrams finds it, and the row's test must turn it away.
                    s.note = Some("Fix: deploy first".to_owned());
                }
                if n % 13 == 0 {
                    s.ticket = Some(format!("CHG-{n:05}"));
                }
                // Durations of every kind, at odd milliseconds, so that a summary that rounds
                // differently from Session::duration_seconds shows.
                let offset = |ms: u128| chrono::Duration::milliseconds((ms % 3_600_000) as i64);
                match s.state {
                    SessionState::Available => s.actual_start = Some(start + offset(n * 137)),
                    SessionState::Complete => {
                        let began = start + offset(n * 211);
                        s.actual_start = Some(began);
                        s.actual_end = Some(began + offset(n * 7_919));
                    }
                    _ => s.scheduled_end += offset(n * 13),
                }
                all.push((s.clone(), created));
                (s, vec![])
            })
            .collect();
        store
            .insert_sessions(None, &sessions, &[], created)
            .await
            .unwrap();
        // A new session has not started: the started ones are written again as started.
        let started: Vec<SessionWrite<'_>> = sessions
            .iter()
            .filter(|(s, _)| s.actual_start.is_some())
            .map(|(s, _)| SessionWrite::new(s, &[]))
            .collect();
        let outcomes = store.write_sessions(&started, created).await.unwrap();
        assert!(outcomes.iter().all(|o| matches!(o, WriteOutcome::Written)));
    }
    let holds = |value: &str, text: &str| value.to_lowercase().contains(&text.to_lowercase());
    let matches = |s: &Session, text: &str| {
        [
            Some(s.created_by_name.as_str()),
            Some(s.created_by_display_name.as_str()),
            Some(s.resource_name.as_str()),
            s.resource_display_name.as_deref(),
            Some(s.activity_name.as_str()),
            s.note.as_deref(),
            s.ticket.as_deref(),
            Some(s.state.word()),
            Some(s.state.summary_status().name()),
        ]
        .into_iter()
        .flatten()
        .any(|value| holds(value, text))
    };
    let texts = [
        "uma",
        "ULF",
        "web01",
        "db01.dev",
        "linux",
        "read write",
        "deploy fix",
        "ÜBERPRÜFUNG",
        "chg-0",
        "CHG-00013",
        "waiting",
        "complete",
        "fix 1",
        "ix",
        "nothing like it",
    ];
    type Scope = (&'static str, fn(&Session) -> bool, SessionQuery);
    let scopes: [Scope; 3] = [
        ("everyone", |_| true, query()),
        (
            "unfinished",
            |s| s.state != SessionState::Complete,
            SessionQuery {
                finished: Some(false),
                ..query()
            },
        ),
        (
            "uma's",
            |s| s.created_by == id(UMA),
            SessionQuery {
                created_by: Some(id(UMA)),
                ..query()
            },
        ),
    ];
    // First with every change still appended only (nothing folded: on PostgreSQL the
    // readers add the changes), then with them folded into the groups.
    for stage in ["before the fold", "after the fold"] {
        if stage == "after the fold" {
            store.fold_session_tally().await.unwrap();
        }
        eprintln!("search at scale: {stage}");
        for text in texts {
            for (scope, in_scope, base) in &scopes {
                let mut expected: Vec<&(Session, DateTime<Utc>)> = all
                    .iter()
                    .filter(|(s, _)| in_scope(s) && matches(s, text))
                    .collect();
                expected.sort_by_key(|(s, created)| (*created, s.id));
                for descending in [false, true] {
                    let wanted = SessionQuery {
                        text: Some(text.to_owned()),
                        descending,
                        skip: 2,
                        take: Some(5),
                        ..base.clone()
                    };
                    let page = store.search_sessions(&wanted).await.unwrap();
                    assert_eq!(
                        page.total,
                        expected.len() as u64,
                        "the total of {text:?} in {scope} sessions"
                    );
                    let mut order: Vec<Uuid> = expected.iter().map(|(s, _)| s.id).collect();
                    if descending {
                        order.reverse();
                    }
                    let want: Vec<Uuid> = order.into_iter().skip(2).take(5).collect();
                    let got: Vec<Uuid> = page.sessions.iter().map(|s| s.id).collect();
                    assert_eq!(
                        got, want,
                        "the page of {text:?} in {scope} sessions (descending: {descending})"
                    );
                }
                let counted: u64 = store
                    .count_sessions_by_state(&SessionQuery {
                        text: Some(text.to_owned()),
                        ..base.clone()
                    })
                    .await
                    .unwrap()
                    .iter()
                    .map(|(_, n)| n)
                    .sum();
                assert_eq!(
                    counted,
                    expected.len() as u64,
                    "Count of {text:?} in {scope} sessions"
                );
                let now = at(12, 0) + chrono::Duration::milliseconds(499);
                let (durations, top) = store
                    .session_durations(
                        &SessionQuery {
                            text: Some(text.to_owned()),
                            ..base.clone()
                        },
                        now,
                        None,
                    )
                    .await
                    .unwrap();
                let aggregate = |sessions: &mut dyn Iterator<Item = &Session>| {
                    let seconds: Vec<i64> = sessions.map(|s| s.duration_seconds(now)).collect();
                    (
                        seconds.len() as u64,
                        seconds.iter().sum::<i64>(),
                        seconds.iter().copied().min().unwrap_or(0),
                        seconds.iter().copied().max().unwrap_or(0),
                    )
                };
                let of = |d: &Durations| (d.count, d.sum, d.min, d.max);
                assert_eq!(
                    of(&durations),
                    aggregate(&mut expected.iter().map(|(s, _)| s)),
                    "the summary of {text:?} in {scope} sessions"
                );
                let (alone, _) = store
                    .session_durations(
                        &SessionQuery {
                            text: Some(text.to_owned()),
                            ..base.clone()
                        },
                        now,
                        Some(0),
                    )
                    .await
                    .unwrap();
                assert_eq!(
                    of(&alone),
                    of(&durations),
                    "the summary of {text:?} in {scope} sessions without top users"
                );
                for user in &top {
                    assert_eq!(
                        of(&user.durations),
                        aggregate(
                            &mut expected
                                .iter()
                                .map(|(s, _)| s)
                                .filter(|s| s.created_by == user.account_id)
                        ),
                        "{}'s part of the summary of {text:?} in {scope} sessions",
                        user.name
                    );
                }
                let requesters: std::collections::HashSet<Uuid> =
                    expected.iter().map(|(s, _)| s.created_by).collect();
                assert_eq!(
                    top.len(),
                    requesters.len(),
                    "top users of {text:?} in {scope}"
                );
            }
        }
    }

    // Where the tally cannot answer alone: a period (only the sessions know their times), an
    // empty text (no text), a text of one character, and a clock behind the starts of some
    // running sessions (the rule clamps their durations at zero).
    let half_past = at(11, 30);
    let in_period = |s: &Session| s.actual_end.unwrap_or(s.scheduled_end) >= half_past;
    let behind = at(11, 30) + chrono::Duration::milliseconds(250);
    let later = at(12, 0) + chrono::Duration::milliseconds(499);
    type Case = (Option<&'static str>, bool, DateTime<Utc>);
    let cases: [Case; 6] = [
        (Some("deploy fix"), true, later),
        (None, true, later),
        (Some(""), false, later),
        (Some("u"), false, later),
        (Some("uma"), false, behind),
        (None, false, behind),
    ];
    for (text, period, now) in cases {
        let base = SessionQuery {
            text: text.map(str::to_owned),
            from: period.then_some(half_past),
            ..query()
        };
        let expected: Vec<&Session> = all
            .iter()
            .map(|(s, _)| s)
            .filter(|s| !period || in_period(s))
            .filter(|s| text.is_none_or(|text| matches(s, text)))
            .collect();
        let case = format!("{text:?} (period: {period}, now: {now})");
        let page = store
            .search_sessions(&SessionQuery {
                take: Some(3),
                ..base.clone()
            })
            .await
            .unwrap();
        assert_eq!(page.total, expected.len() as u64, "the total of {case}");
        let counted: u64 = store
            .count_sessions_by_state(&base)
            .await
            .unwrap()
            .iter()
            .map(|(_, n)| n)
            .sum();
        assert_eq!(counted, expected.len() as u64, "Count of {case}");
        let (durations, top) = store.session_durations(&base, now, None).await.unwrap();
        let aggregate = |sessions: &mut dyn Iterator<Item = &&Session>| {
            let seconds: Vec<i64> = sessions.map(|s| s.duration_seconds(now)).collect();
            (
                seconds.len() as u64,
                seconds.iter().sum::<i64>(),
                seconds.iter().copied().min().unwrap_or(0),
                seconds.iter().copied().max().unwrap_or(0),
            )
        };
        let of = |d: &Durations| (d.count, d.sum, d.min, d.max);
        assert_eq!(
            of(&durations),
            aggregate(&mut expected.iter()),
            "the summary of {case}"
        );
        for user in &top {
            assert_eq!(
                of(&user.durations),
                aggregate(&mut expected.iter().filter(|s| s.created_by == user.account_id)),
                "{}'s part of the summary of {case}",
                user.name
            );
        }
    }

    // Running sessions that end leave their group, and with it its shortest and longest: the
    // summary does not report what left.
    let now = at(12, 0) + chrono::Duration::milliseconds(499);
    let running = |s: &Session| s.state == SessionState::Available;
    let earliest = all
        .iter()
        .filter(|(s, _)| running(s))
        .min_by_key(|(s, _)| s.actual_start)
        .map(|(s, _)| s.id)
        .unwrap();
    let latest = all
        .iter()
        .filter(|(s, _)| running(s))
        .max_by_key(|(s, _)| s.actual_start)
        .map(|(s, _)| s.id)
        .unwrap();
    // One that matches by its note ends too, after its text's summary was read: an answer
    // kept from before the change would show.
    let noted = all
        .iter()
        .find(|(s, _)| running(s) && s.note.as_deref().is_some_and(|n| n.starts_with("Deploy")))
        .map(|(s, _)| s.id)
        .unwrap();
    for text in [None, Some("uma"), Some("deploy fix")] {
        available_durations(store, text, now).await;
    }
    // The earliest ends and is folded (its group turns stale), then the others end and are
    // read unfolded (a stale group and leavers not folded yet), then folded too.
    let rounds: [(&str, Vec<Uuid>); 3] = [
        ("the earliest ended, folded", vec![earliest]),
        ("two more ended, not folded", vec![latest, noted]),
        ("all three folded", vec![]),
    ];
    for (round, ending) in rounds {
        for (s, _) in all.iter_mut().filter(|(s, _)| ending.contains(&s.id)) {
            s.state = SessionState::Complete;
            s.actual_end = Some(at(11, 30));
            let ended = s.clone();
            change(store, s.id.as_u128() - 1000, |stored| {
                stored.state = ended.state;
                stored.actual_end = ended.actual_end;
            })
            .await;
        }
        if round != "two more ended, not folded" {
            store.fold_session_tally().await.unwrap();
        }
        for text in [None, Some("uma"), Some("deploy fix")] {
            let durations = available_durations(store, text, now).await;
            let seconds: Vec<i64> = all
                .iter()
                .filter(|(s, _)| running(s) && text.is_none_or(|text| matches(s, text)))
                .map(|(s, _)| s.duration_seconds(now))
                .collect();
            assert_eq!(
                (durations.count, durations.sum, durations.min, durations.max),
                (
                    seconds.len() as u64,
                    seconds.iter().sum::<i64>(),
                    seconds.iter().copied().min().unwrap(),
                    seconds.iter().copied().max().unwrap()
                ),
                "the running sessions' summary of {text:?} ({round})"
            );
            let counted: u64 = store
                .count_sessions_by_state(&SessionQuery {
                    text: text.map(str::to_owned),
                    ..query()
                })
                .await
                .unwrap()
                .iter()
                .map(|(_, n)| n)
                .sum();
            let expected = all
                .iter()
                .filter(|(s, _)| text.is_none_or(|text| matches(s, text)))
                .count();
            assert_eq!(counted, expected as u64, "Count of {text:?} ({round})");
        }
    }
}

/// Two brokers drain one outbox at once: every run is claimed by one of them only, and the
/// runs of each session in the order they were written.
/// The summary of the Available sessions that `text` matches (all of them without one).
async fn available_durations(
    store: &dyn Store,
    text: Option<&str>,
    now: DateTime<Utc>,
) -> Durations {
    let available = SessionQuery {
        text: text.map(str::to_owned),
        states: vec![SessionState::Available],
        ..query()
    };
    store
        .session_durations(&available, now, Some(0))
        .await
        .unwrap()
        .0
}

pub async fn two_brokers_claim_each_run_once_and_in_order(a: Arc<dyn Store>, b: Arc<dyn Store>) {
    with_catalog(a.as_ref()).await;
    const SESSIONS: u128 = 20;
    const RUNS: u32 = 3;
    for n in 1..=SESSIONS {
        let s = session(
            n,
            UMA,
            ON_WEB01,
            SessionState::Canceling,
            at(10, 0),
            at(11, 0),
        );
        let runs: Vec<(Uuid, NewRun)> = (0..RUNS)
            .map(|index| {
                let run = NewRun {
                    run_id: id(100_000 + n * 10 + u128::from(index)),
                    kind: ActionKind::PostSession,
                    index,
                    payload: None,
                };
                (s.id, run)
            })
            .collect();
        a.insert_sessions(None, &[(s, vec![])], &runs, at(12, 0))
            .await
            .unwrap();
    }
    let claims: Arc<Mutex<Vec<(String, Uuid, u32)>>> = Arc::default();
    let drain = |store: Arc<dyn Store>, owner: &'static str| {
        let claims = Arc::clone(&claims);
        tokio::spawn(async move {
            loop {
                let claimed = store
                    .claim_runs(owner, at(12, 0), at(13, 0), 4)
                    .await
                    .unwrap();
                if claimed.is_empty() {
                    if store.next_run_at().await.unwrap().is_none() {
                        return;
                    }
                    tokio::time::sleep(Duration::from_millis(2)).await;
                    continue;
                }
                for run in claimed {
                    claims
                        .lock()
                        .unwrap()
                        .push((owner.to_owned(), run.run_id, run.index));
                    let settle = RunSettle {
                        id: run.id,
                        owner,
                        settlement: Settlement::Done,
                    };
                    assert!(store.settle_run(&settle, at(12, 0)).await.unwrap());
                }
            }
        })
    };
    let (first, second) = tokio::join!(drain(a.clone(), "a"), drain(b.clone(), "b"));
    first.unwrap();
    second.unwrap();

    let claims = claims.lock().unwrap().clone();
    let mut run_ids: Vec<Uuid> = claims.iter().map(|(_, run, _)| *run).collect();
    run_ids.sort();
    run_ids.dedup();
    assert_eq!(
        (claims.len(), run_ids.len()),
        (
            SESSIONS as usize * RUNS as usize,
            SESSIONS as usize * RUNS as usize
        ),
        "every run claimed, and once"
    );
    for n in 1..=SESSIONS {
        let order: Vec<u32> = claims
            .iter()
            .filter(|(_, run, _)| (run.as_u128() - 100_000) / 10 == n)
            .map(|(_, _, index)| *index)
            .collect();
        assert_eq!(order, vec![0, 1, 2], "session {n}'s runs in order");
        let runs = a.runs_of(id(1000 + n)).await.unwrap();
        assert!(runs.iter().all(|r| r.state == "done" && r.attempts == 1));
    }
}

/// Two brokers write a transition of the same session at the same version at once: one is
/// written, the other is stale and leaves no trace (no log line, no run).
pub async fn two_brokers_writing_one_version_write_it_once(a: Arc<dyn Store>, b: Arc<dyn Store>) {
    with_catalog(a.as_ref()).await;
    for n in 1..=10 {
        insert(
            a.as_ref(),
            vec![session(
                n,
                UMA,
                ON_WEB01,
                SessionState::Available,
                at(10, 0),
                at(11, 0),
            )],
        )
        .await;
    }
    for n in 1..=10u128 {
        let read = a.session(id(1000 + n)).await.unwrap().unwrap();
        let write = |store: Arc<dyn Store>, owner: u128| {
            let mut session = read.clone();
            tokio::spawn(async move {
                session.state = SessionState::Canceling;
                let log = [LogEntry::info(None, format!("ended by broker {owner}"))];
                let runs = [NewRun {
                    run_id: id(200_000 + n * 10 + owner),
                    kind: ActionKind::PostSession,
                    index: 0,
                    payload: None,
                }];
                let write = SessionWrite {
                    runs: &runs,
                    ..SessionWrite::new(&session, &log)
                };
                store.write_session(&write, at(12, 0)).await.unwrap()
            })
        };
        let (first, second) = tokio::join!(write(a.clone(), 1), write(b.clone(), 2));
        let mut outcomes = vec![first.unwrap(), second.unwrap()];
        outcomes.sort_by_key(|o| format!("{o:?}"));
        assert_eq!(outcomes, vec![WriteOutcome::Stale, WriteOutcome::Written]);
        let written = b.session(id(1000 + n)).await.unwrap().unwrap();
        assert_eq!(
            (written.version, written.state),
            (1, SessionState::Canceling)
        );
        assert_eq!(a.runs_of(written.id).await.unwrap().len(), 1);
        let ended: Vec<String> = a
            .session_log(written.id)
            .await
            .unwrap()
            .into_iter()
            .filter(|line| line.message.starts_with("ended by"))
            .map(|line| line.message)
            .collect();
        assert_eq!(ended.len(), 1, "{ended:?}");
    }
}

/// A second factor's time step is accepted once per account, and never one older than the
/// last accepted: a replayed code is refused.
pub async fn totp_steps_are_accepted_once(store: &dyn Store) {
    with_catalog(store).await;
    assert!(store.accept_totp_step(id(UMA), 100).await.unwrap());
    assert!(
        !store.accept_totp_step(id(UMA), 100).await.unwrap(),
        "a replay"
    );
    assert!(
        !store.accept_totp_step(id(UMA), 99).await.unwrap(),
        "an older code"
    );
    assert!(
        store.accept_totp_step(id(ULF), 100).await.unwrap(),
        "per account"
    );
    assert!(
        store.accept_totp_step(id(UMA), 101).await.unwrap(),
        "the next code"
    );
    let (a, b) = tokio::join!(
        store.accept_totp_step(id(ULF), 200),
        store.accept_totp_step(id(ULF), 200)
    );
    assert!(
        a.unwrap() ^ b.unwrap(),
        "two brokers given one code accept it once"
    );
}

pub async fn sessions_are_shared_once_with_their_log_line(store: &dyn Store) {
    six_sessions(store).await;
    let session = id(1001);
    assert!(!store.is_shared_with(session, id(ULF)).await.unwrap());
    let line = [LogEntry::info(Some("uma"), "shared with ulf by uma")];
    assert!(
        store
            .share_session(session, id(ULF), id(UMA), &line, at(10, 5))
            .await
            .unwrap()
    );
    assert!(
        !store
            .share_session(session, id(ULF), id(UMA), &line, at(10, 6))
            .await
            .unwrap(),
        "sharing again writes nothing"
    );
    assert!(
        store
            .share_session(session, id(RITA), id(ADMIN), &[], at(10, 7))
            .await
            .unwrap()
    );
    assert!(store.is_shared_with(session, id(ULF)).await.unwrap());
    assert!(
        !store.is_shared_with(id(1002), id(ULF)).await.unwrap(),
        "per session"
    );
    assert_eq!(
        store.session_shares(session).await.unwrap(),
        [id(ULF), id(RITA)],
        "in the order shared"
    );
    assert!(store.session_shares(id(1002)).await.unwrap().is_empty());
    let log = store.session_log(session).await.unwrap();
    assert_eq!(
        log.iter()
            .filter(|l| l.message == "shared with ulf by uma")
            .count(),
        1,
        "{log:?}"
    );
}

fn audit_event(minute: u32, actor: &str, action: &str, target: Option<u128>) -> AuditEvent {
    let event = AuditEvent::new(at(9, minute), action, "ok")
        .by(Some(id(900)), Some(actor))
        .from(Some("192.0.2.7".to_owned()));
    match target {
        Some(n) => event.on(id(n).to_string()),
        None => event,
    }
}

/// Chains what is queued, then checks every row of the chain in order; answers how many
/// there are.
async fn verified_rows(store: &dyn Store, seal: &AuditSeal) -> u64 {
    store.chain_audit(seal).await.unwrap();
    assert_eq!(store.audit_unchained().await.unwrap(), 0);
    let mut verifier = ChainVerifier::new(seal.clone());
    for row in store.audit_rows_after(0, 10_000).await.unwrap() {
        verifier
            .feed(&row)
            .unwrap_or_else(|broken| panic!("{broken}"));
    }
    verifier.checked()
}

/// Appended events are numbered from 1 and chained, a batch in its order; a page filters by
/// actor (any case), action or action family, time and target, newest first, with a total.
async fn audit_events_chain_in_order_and_page_with_filters(store: &dyn Store) {
    let seal = AuditSeal::keyed(b"contract-key".to_vec());
    assert!(store.audit_rows_after(0, 10).await.unwrap().is_empty());
    store
        .append_audit(
            &[
                audit_event(0, "uma", "sign_in", None),
                audit_event(1, "uma", "session.create", Some(1)),
                audit_event(2, "Rita", "session.approve", Some(1)),
            ],
            &seal,
        )
        .await
        .unwrap();
    store
        .append_audit(
            &[
                audit_event(3, "uma", "session.end", Some(1)),
                audit_event(4, "ulf", "refused", None),
            ],
            &seal,
        )
        .await
        .unwrap();
    store.append_audit(&[], &seal).await.unwrap();
    // Queued or chained as they were written, the events are all there, once.
    let written = store.audit_rows_after(0, 10).await.unwrap().len() as u64;
    assert_eq!(written + store.audit_unchained().await.unwrap(), 5);
    store.chain_audit(&seal).await.unwrap();
    assert_eq!(
        store.chain_audit(&seal).await.unwrap(),
        0,
        "nothing is chained twice"
    );

    let rows = store.audit_rows_after(0, 10).await.unwrap();
    let seqs: Vec<i64> = rows.iter().map(|r| r.seq).collect();
    assert_eq!(seqs, [1, 2, 3, 4, 5]);
    assert_eq!(rows[3].event, audit_event(3, "uma", "session.end", Some(1)));
    assert_eq!(rows[3].prev_hash, rows[2].hash);
    assert_eq!(verified_rows(store, &seal).await, 5);
    let after = store.audit_rows_after(3, 1).await.unwrap();
    assert_eq!(after.iter().map(|r| r.seq).collect::<Vec<_>>(), [4]);

    let page = |query: AuditQuery| async move {
        let (rows, total) = store.audit_page(&query).await.unwrap();
        (rows.iter().map(|r| r.seq).collect::<Vec<i64>>(), total)
    };
    assert_eq!(page(AuditQuery::default()).await, (vec![5, 4, 3, 2, 1], 5));
    let uma = AuditQuery {
        actor: Some("UMA".into()),
        ..AuditQuery::default()
    };
    assert_eq!(page(uma.clone()).await, (vec![4, 2, 1], 3));
    assert_eq!(
        page(AuditQuery {
            skip: 1,
            take: Some(1),
            ..uma
        })
        .await,
        (vec![2], 3)
    );
    assert_eq!(
        page(AuditQuery {
            actor: Some("rita".into()),
            ..AuditQuery::default()
        })
        .await,
        (vec![3], 1)
    );
    let family = AuditQuery {
        action: Some("session".into()),
        ascending: true,
        ..AuditQuery::default()
    };
    assert_eq!(page(family).await, (vec![2, 3, 4], 3));
    let exact = AuditQuery {
        action: Some("session.end".into()),
        ..AuditQuery::default()
    };
    assert_eq!(page(exact).await, (vec![4], 1));
    let not_a_prefix = AuditQuery {
        action: Some("sess".into()),
        ..AuditQuery::default()
    };
    assert_eq!(page(not_a_prefix).await, (vec![], 0));
    let period = AuditQuery {
        since: Some(at(9, 1)),
        until: Some(at(9, 3)),
        ..AuditQuery::default()
    };
    assert_eq!(page(period).await, (vec![4, 3, 2], 3));
    let session = AuditQuery {
        target: Some(id(1).to_string()),
        ..AuditQuery::default()
    };
    assert_eq!(page(session).await, (vec![4, 3, 2], 3));
}

/// Two brokers appending at once, and chaining what they queued as they go, make one chain:
/// consecutive numbers, every link good, every event once, a batch's events in its order.
async fn two_brokers_append_to_one_audit_chain(first: Arc<dyn Store>, second: Arc<dyn Store>) {
    let seal = AuditSeal::unkeyed();
    let mut tasks = Vec::new();
    for n in 0..40u32 {
        let store = if n % 2 == 0 {
            first.clone()
        } else {
            second.clone()
        };
        let seal = seal.clone();
        tasks.push(tokio::spawn(async move {
            let events = [
                audit_event(n % 60, "uma", "sign_in", Some(u128::from(n))),
                audit_event(n % 60, "uma", "session.create", Some(u128::from(n))),
            ];
            store.append_audit(&events, &seal).await.unwrap();
            if n % 5 == 0 {
                store.chain_audit(&seal).await.unwrap();
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    second.chain_audit(&seal).await.unwrap();
    assert_eq!(verified_rows(first.as_ref(), &seal).await, 80);
    let rows = first.audit_rows_after(0, 100).await.unwrap();
    let created: std::collections::BTreeSet<String> = rows
        .iter()
        .filter(|row| row.event.action == "session.create")
        .filter_map(|row| row.event.target.clone())
        .collect();
    assert_eq!(created.len(), 40, "each request's event once");
    for target in &created {
        let at = |action: &str| {
            rows.iter()
                .position(|row| {
                    row.event.action == action && row.event.target.as_ref() == Some(target)
                })
                .unwrap()
        };
        assert!(
            at("sign_in") < at("session.create"),
            "a batch keeps its order"
        );
    }
}

/// A request's audit record is chained in the request's own transaction: after the appended
/// rows, and not at all when the request fails.
async fn a_request_and_its_audit_record_are_written_together(store: &dyn Store) {
    with_catalog(store).await;
    let seal = AuditSeal::unkeyed();
    store
        .append_audit(&[audit_event(0, "uma", "sign_in", None)], &seal)
        .await
        .unwrap();
    let request = session(
        1,
        UMA,
        ON_WEB01,
        SessionState::Available,
        at(9, 0),
        at(10, 0),
    );
    let log = vec![LogEntry::info(Some("uma"), "Requested")];
    let record = audit_event(1, "uma", "session.create", None).on(request.id.to_string());
    store
        .insert_sessions_audited(
            None,
            &[(request.clone(), log.clone())],
            &[],
            std::slice::from_ref(&record),
            &seal,
            at(9, 0),
        )
        .await
        .unwrap();
    assert!(store.session(request.id).await.unwrap().is_some());
    store.chain_audit(&seal).await.unwrap();
    let rows = store.audit_rows_after(0, 10).await.unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1].event, record);
    assert_eq!(verified_rows(store, &seal).await, 2);

    // The same id again fails (a primary key), and leaves no record behind.
    let again = store
        .insert_sessions_audited(
            None,
            &[(request.clone(), log.clone())],
            &[],
            &[record],
            &seal,
            at(9, 0),
        )
        .await;
    assert!(again.is_err());
    assert_eq!(verified_rows(store, &seal).await, 2);

    // A transition's record comes with the transition: a stale write leaves none.
    let ended = audit_event(2, "uma", "session.end", None).on(request.id.to_string());
    let mut changed = request.clone();
    changed.state = SessionState::Complete;
    let events = [ended];
    let write = |session| SessionWrite {
        audit: Some(pamctl::store::AuditAppend {
            events: &events,
            seal: &seal,
        }),
        ..SessionWrite::new(session, &[])
    };
    let mut stale = changed.clone();
    stale.version += 5;
    assert_eq!(
        store.write_session(&write(&stale), at(9, 2)).await.unwrap(),
        WriteOutcome::Stale
    );
    assert_eq!(verified_rows(store, &seal).await, 2);
    assert_eq!(
        store
            .write_session(&write(&changed), at(9, 2))
            .await
            .unwrap(),
        WriteOutcome::Written
    );
    assert_eq!(verified_rows(store, &seal).await, 3);
    let last = store.audit_rows_after(2, 10).await.unwrap();
    assert_eq!(last[0].event, events[0]);
}

/// Two brokers end the sessions of one group at once, in batches, while both fold the tally
/// over and over and a reader counts: a session's leaving one group and entering another are
/// one transaction, so every read in between counts each session once, whatever the folds
/// moved meanwhile (a change committed while a fold runs is folded by the next one, never
/// twice or never). After a last fold, the summary is the plain rule's.
pub async fn folds_amid_writers_count_every_session_once(a: Arc<dyn Store>, b: Arc<dyn Store>) {
    use std::sync::atomic::{AtomicBool, Ordering};
    const SESSIONS: u128 = 600;
    with_catalog(a.as_ref()).await;
    let start = at(11, 0);
    // When session n started and ended, at odd milliseconds.
    fn began(n: u128) -> DateTime<Utc> {
        at(11, 0) + chrono::Duration::milliseconds((n * 1_237 % 3_000_000) as i64)
    }
    fn ended(n: u128) -> DateTime<Utc> {
        began(n) + chrono::Duration::milliseconds((n * 7_919 % 600_000) as i64)
    }
    let sessions: Vec<Session> = (1..=SESSIONS)
        .map(|n| {
            let mut s = session(
                n,
                UMA,
                ON_WEB01,
                SessionState::Available,
                start,
                start + chrono::Duration::hours(1),
            );
            s.actual_start = Some(began(n));
            s
        })
        .collect();
    insert(a.as_ref(), sessions.clone()).await;
    // A new session has not started: they are written again as started (running), folded,
    // and then ended amid the folds.
    let started: Vec<SessionWrite<'_>> =
        sessions.iter().map(|s| SessionWrite::new(s, &[])).collect();
    a.write_sessions(&started, at(11, 0)).await.unwrap();
    a.fold_session_tally().await.unwrap();

    let done = Arc::new(AtomicBool::new(false));
    let folder = |store: Arc<dyn Store>| {
        let done = Arc::clone(&done);
        tokio::spawn(async move {
            let mut folded = 0;
            while !done.load(Ordering::SeqCst) {
                folded += store.fold_session_tally().await.unwrap();
            }
            folded
        })
    };
    let folders = [folder(a.clone()), folder(b.clone())];
    let reader = {
        let (store, done) = (a.clone(), Arc::clone(&done));
        tokio::spawn(async move {
            let mut reads = 0;
            while !done.load(Ordering::SeqCst) {
                let total = store
                    .search_sessions(&SessionQuery {
                        take: Some(0),
                        ..query()
                    })
                    .await
                    .unwrap()
                    .total;
                assert_eq!(total, SESSIONS as u64, "the total amid writes and folds");
                let counted: u64 = store
                    .count_sessions_by_state(&query())
                    .await
                    .unwrap()
                    .iter()
                    .map(|(_, n)| n)
                    .sum();
                assert_eq!(counted, SESSIONS as u64, "Count amid writes and folds");
                let (durations, _) = store
                    .session_durations(&query(), at(12, 0), Some(0))
                    .await
                    .unwrap();
                assert_eq!(
                    durations.count, SESSIONS as u64,
                    "the summary's count amid writes and folds"
                );
                reads += 1;
            }
            reads
        })
    };
    let writer = |store: Arc<dyn Store>, parity: u128| {
        tokio::spawn(async move {
            let mine: Vec<u128> = (1..=SESSIONS).filter(|n| n % 2 == parity).collect();
            for batch in mine.chunks(15) {
                let mut sessions = Vec::new();
                for &n in batch {
                    let mut s = store.session(id(1000 + n)).await.unwrap().unwrap();
                    s.state = SessionState::Complete;
                    s.actual_start = Some(began(n));
                    s.actual_end = Some(ended(n));
                    sessions.push(s);
                }
                let writes: Vec<SessionWrite<'_>> =
                    sessions.iter().map(|s| SessionWrite::new(s, &[])).collect();
                let outcomes = store.write_sessions(&writes, at(12, 0)).await.unwrap();
                assert!(outcomes.iter().all(|o| matches!(o, WriteOutcome::Written)));
            }
        })
    };
    let writers = [writer(a.clone(), 0), writer(b.clone(), 1)];
    for writer in writers {
        writer.await.unwrap();
    }
    done.store(true, Ordering::SeqCst);
    let mut folded = 0;
    for folder in folders {
        folded += folder.await.unwrap();
    }
    let reads = reader.await.unwrap();
    a.fold_session_tally().await.unwrap();
    eprintln!("{reads} reads while {folded} changes were folded");
    assert!(reads > 0, "the reader read while the writers wrote");

    let now = at(12, 0);
    let seconds: Vec<i64> = (1..=SESSIONS)
        .map(|n| {
            let mut s = session(
                n,
                UMA,
                ON_WEB01,
                SessionState::Complete,
                start,
                start + chrono::Duration::hours(1),
            );
            s.actual_start = Some(began(n));
            s.actual_end = Some(ended(n));
            s.duration_seconds(now)
        })
        .collect();
    let (durations, top) = a.session_durations(&query(), now, None).await.unwrap();
    let expected = (
        SESSIONS as u64,
        seconds.iter().sum::<i64>(),
        seconds.iter().copied().min().unwrap(),
        seconds.iter().copied().max().unwrap(),
    );
    let of = |d: &Durations| (d.count, d.sum, d.min, d.max);
    assert_eq!(of(&durations), expected, "the summary after the last fold");
    assert_eq!(top.len(), 1);
    assert_eq!(
        of(&top[0].durations),
        expected,
        "uma's part after the last fold"
    );
    let complete = a.count_sessions_by_state(&query()).await.unwrap();
    assert_eq!(complete, vec![(SessionState::Complete, SESSIONS as u64)]);
}

/// A batch end's store story: the sessions of a list of ids are read at once (an unknown id
/// left out), then written in one transaction, each with its own audit record chained in
/// the batch's order; a stale one changes nothing and leaves no record, while the others are
/// written.
async fn a_batch_is_read_in_one_query_and_written_each_with_its_record(store: &dyn Store) {
    six_sessions(store).await;
    let seal = AuditSeal::unkeyed();
    let wanted = [id(1001), id(1002), id(1003), id(4242)];
    let mut read = store.sessions(&wanted).await.unwrap();
    read.sort_by_key(|s| s.id);
    assert_eq!(
        read.iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![id(1001), id(1002), id(1003)]
    );
    assert_eq!(read[0], store.session(id(1001)).await.unwrap().unwrap());
    assert!(store.sessions(&[]).await.unwrap().is_empty());

    let mut ended = read[0].clone();
    ended.state = SessionState::Canceling;
    let mut stale = read[1].clone();
    stale.state = SessionState::Canceling;
    stale.version -= 1;
    let mut also_ended = read[2].clone();
    also_ended.state = SessionState::Canceling;
    let records: Vec<[AuditEvent; 1]> = [&ended, &stale, &also_ended]
        .iter()
        .map(|s| [audit_event(5, "ada", "session.end", Some(s.id.as_u128()))])
        .collect();
    let log = [LogEntry::info(Some("ada"), "Ending")];
    let writes: Vec<SessionWrite<'_>> = [&ended, &stale, &also_ended]
        .into_iter()
        .zip(&records)
        .map(|(session, events)| SessionWrite {
            audit: Some(pamctl::store::AuditAppend {
                events,
                seal: &seal,
            }),
            ..SessionWrite::new(session, &log)
        })
        .collect();
    let outcomes = store.write_sessions(&writes, at(12, 5)).await.unwrap();
    assert_eq!(
        outcomes,
        vec![
            WriteOutcome::Written,
            WriteOutcome::Stale,
            WriteOutcome::Written
        ]
    );
    let after = store.session(id(1001)).await.unwrap().unwrap();
    assert_eq!(after.state, SessionState::Canceling);
    assert_eq!(after.version, read[0].version + 1);
    assert_eq!(
        store.session(id(1002)).await.unwrap().unwrap(),
        read[1],
        "the stale write changed nothing"
    );
    // One record per written transition, chained in the batch's order.
    assert_eq!(verified_rows(store, &seal).await, 2);
    let rows = store.audit_rows_after(0, 10).await.unwrap();
    assert_eq!(
        rows.iter()
            .map(|r| r.event.target.clone())
            .collect::<Vec<_>>(),
        vec![Some(id(1001).to_string()), Some(id(1003).to_string())]
    );
    let lines = store.session_log(id(1001)).await.unwrap();
    assert_eq!(lines.last().map(|l| l.message.as_str()), Some("Ending"));
    assert!(
        store
            .session_log(id(1002))
            .await
            .unwrap()
            .iter()
            .all(|l| l.message != "Ending")
    );
}

/// Everything a transition may carry, in one batch, written as one write after another
/// would write it: a stale write and a lost lease that leave no trace, every column of the
/// session, log lines numbered on in order, runs settled, dropped and started, an approval,
/// and audit events in batch order.
async fn a_batch_writes_each_transition_as_it_alone_would(store: &dyn Store) {
    six_sessions(store).await;
    let seal = AuditSeal::unkeyed();
    start_runs(
        store,
        3,
        &[
            run(31, ActionKind::PostSession, 0),
            run(32, ActionKind::PostSession, 1),
        ],
        at(11, 0),
    )
    .await;
    start_runs(
        store,
        6,
        &[run(61, ActionKind::Lock, 0), run(62, ActionKind::Lock, 1)],
        at(11, 0),
    )
    .await;
    // One run per session is claimed: 9031 and 9061 (9032 and 9062 wait behind them).
    let claimed = store
        .claim_runs("a", at(11, 0), at(13, 0), 10)
        .await
        .unwrap();
    let claim_of = |n: u128| {
        claimed
            .iter()
            .find(|r| r.run_id == id(9000 + n))
            .unwrap()
            .id
    };
    let ids: Vec<Uuid> = (1..=6).map(|n| id(1000 + n)).collect();
    let mut read = store.sessions(&ids).await.unwrap();
    read.sort_by_key(|s| s.id);

    // Session 1 takes a new value in every column a write sets.
    let mut every_column = read[0].clone();
    every_column.state = SessionState::Canceling;
    every_column.locked = true;
    every_column.lock_title = Some("Locked".to_owned());
    every_column.lock_message = Some("by the batch".to_owned());
    every_column.scheduled_start = at(10, 1);
    every_column.actual_start = Some(at(10, 2));
    every_column.scheduled_end = at(11, 3);
    every_column.actual_end = Some(at(11, 4));
    every_column.login_at = Some(at(10, 5));
    every_column.cancelled_by = Some(id(ADMIN));
    every_column.extension_count = 2;
    every_column.extension_minutes = 45;
    every_column.approval_deadline = Some(at(10, 6));
    every_column.pre_actions_done = 3;
    every_column.post_actions_done = 1;
    every_column.failure_reason = Some("no route".to_owned());
    every_column.status_message = Some("ending".to_owned());
    every_column.cancel_requested = true;
    every_column.due_at = Some(at(12, 30));
    let mut ending = read[1].clone();
    ending.state = SessionState::Canceling;
    // Session 3 settles its claimed run, drops the run queued behind it and starts another.
    let mut settles = read[2].clone();
    settles.post_actions_done = 1;
    // Session 4 is approved.
    let mut approved = read[3].clone();
    approved.state = SessionState::Scheduled;
    let approval = Approval {
        id: id(5000),
        session_id: approved.id,
        tier: 0,
        approver_id: id(RITA),
        approver_name: "rita".to_owned(),
        decision: Decision::Approved,
        notes: Some("ok".to_owned()),
        from_address: Some("192.0.2.9".to_owned()),
        decided_at: at(12, 4),
    };
    // Session 5 was read at an old version; session 6's run is no longer the writer's.
    let mut stale = read[4].clone();
    stale.version -= 1;
    stale.state = SessionState::Cancelled;
    let mut lost = read[5].clone();
    lost.state = SessionState::Cancelled;

    let (a_log, b_log, c_log, gone) = (
        warnings(&["a one", "a two"]),
        warnings(&["b one", "b two"]),
        warnings(&["c one"]),
        warnings(&["never written"]),
    );
    let event = |n: u128| [audit_event(5, "ada", "session.end", Some(1000 + n))];
    let (approved_event, ending_event, stale_event, lost_event) =
        (event(4), event(2), event(5), event(6));
    let audit = |events| {
        Some(pamctl::store::AuditAppend {
            events,
            seal: &seal,
        })
    };
    let new_runs = [run(33, ActionKind::Unlock, 0)];
    let (stale_runs, lost_runs) = (
        [run(51, ActionKind::Lock, 0)],
        [run(63, ActionKind::Unlock, 0)],
    );
    // Not in id order: what follows batch order is told from what follows id order.
    let writes = [
        SessionWrite::new(&every_column, &a_log),
        SessionWrite {
            settles: Some(RunSettle {
                id: claim_of(31),
                owner: "a",
                settlement: Settlement::Done,
            }),
            drop_pending: &[ActionKind::PostSession],
            runs: &new_runs,
            ..SessionWrite::new(&settles, &c_log)
        },
        SessionWrite {
            approval: Some(&approval),
            audit: audit(&approved_event),
            ..SessionWrite::new(&approved, &[])
        },
        SessionWrite {
            runs: &stale_runs,
            drop_pending: &[ActionKind::Lock],
            audit: audit(&stale_event),
            ..SessionWrite::new(&stale, &gone)
        },
        SessionWrite {
            // It has no lock runs: session 6's queued one (9062) is not its to drop.
            drop_pending: &[ActionKind::Lock],
            audit: audit(&ending_event),
            ..SessionWrite::new(&ending, &b_log)
        },
        SessionWrite {
            settles: Some(RunSettle {
                id: claim_of(61),
                owner: "someone else",
                settlement: Settlement::Done,
            }),
            runs: &lost_runs,
            drop_pending: &[ActionKind::Lock],
            audit: audit(&lost_event),
            ..SessionWrite::new(&lost, &gone)
        },
    ];
    let outcomes = store.write_sessions(&writes, at(12, 5)).await.unwrap();
    assert_eq!(
        outcomes,
        vec![
            WriteOutcome::Written,
            WriteOutcome::Written,
            WriteOutcome::Written,
            WriteOutcome::Stale,
            WriteOutcome::Written,
            WriteOutcome::LeaseLost,
        ]
    );

    let mut expected = every_column.clone();
    expected.version += 1;
    expected.modified_at = at(12, 5);
    expected.cancelled_by_name = Some("admin".to_owned());
    assert_eq!(store.session(id(1001)).await.unwrap().unwrap(), expected);
    let b = store.session(id(1002)).await.unwrap().unwrap();
    assert_eq!(
        (b.state, b.version),
        (SessionState::Canceling, read[1].version + 1)
    );
    let c = store.session(id(1003)).await.unwrap().unwrap();
    assert_eq!((c.post_actions_done, c.version), (1, read[2].version + 1));
    assert_eq!(
        store.session(id(1004)).await.unwrap().unwrap().state,
        SessionState::Scheduled
    );
    assert_eq!(
        store.approvals(Some(id(1004))).await.unwrap(),
        vec![approval]
    );
    assert_eq!(store.session(id(1005)).await.unwrap().unwrap(), read[4]);
    assert_eq!(store.session(id(1006)).await.unwrap().unwrap(), read[5]);

    // Each session's lines follow its last one, in the order given, with their columns.
    let a_lines = numbered_log(store, 1).await;
    assert_eq!(messages(&a_lines), ["Requested", "a one", "a two"]);
    let added = a_lines.last().unwrap();
    assert_eq!(
        (added.level, added.actor.as_deref(), added.at),
        (LogLevel::Warn, Some("ada"), at(12, 5))
    );
    assert_eq!(
        messages(&numbered_log(store, 2).await),
        ["Requested", "b one", "b two"]
    );
    assert_eq!(
        messages(&numbered_log(store, 3).await),
        ["Requested", "runs start", "c one"]
    );
    assert_eq!(messages(&numbered_log(store, 5).await), ["Requested"]);
    assert_eq!(
        messages(&numbered_log(store, 6).await),
        ["Requested", "runs start"]
    );

    // Settled, dropped and started on session 3; nothing on sessions 5 and 6.
    assert_eq!(
        run_states(store, 3).await,
        ["9031 done", "9032 dropped", "9033 pending"]
    );
    assert!(run_states(store, 5).await.is_empty());
    assert_eq!(
        run_states(store, 6).await,
        ["9061 pending", "9062 pending"],
        "a lost lease neither settles, drops nor starts a run; another session's drop leaves them"
    );

    // The written transitions' events, in batch order.
    assert_eq!(verified_rows(store, &seal).await, 2);
    let targets: Vec<Option<String>> = store
        .audit_rows_after(0, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.event.target)
        .collect();
    assert_eq!(
        targets,
        vec![Some(id(1004).to_string()), Some(id(1002).to_string())]
    );
}

/// A batch that names a session more than once writes it as writes one after another
/// would: each sees the version the one before it wrote, so a second write at the version
/// read is stale, and one at the next version is written, its lines after the first's.
async fn a_session_named_twice_in_a_batch_sees_its_first_write(store: &dyn Store) {
    six_sessions(store).await;
    let read = store.session(id(1002)).await.unwrap().unwrap();
    let mut first = read.clone();
    first.state = SessionState::Canceling;
    let mut again = first.clone();
    again.state = SessionState::Complete;
    let mut next = again.clone();
    next.version += 1;
    let other = store.session(id(1001)).await.unwrap().unwrap();
    let (first_log, again_log, next_log, other_log) = (
        warnings(&["first", "first too"]),
        warnings(&["never written"]),
        warnings(&["next"]),
        warnings(&["other"]),
    );
    let writes = [
        SessionWrite::new(&first, &first_log),
        SessionWrite::new(&other, &other_log),
        SessionWrite::new(&again, &again_log),
        SessionWrite::new(&next, &next_log),
    ];
    let outcomes = store.write_sessions(&writes, at(12, 5)).await.unwrap();
    assert_eq!(
        outcomes,
        vec![
            WriteOutcome::Written,
            WriteOutcome::Written,
            WriteOutcome::Stale,
            WriteOutcome::Written,
        ]
    );
    let written = store.session(id(1002)).await.unwrap().unwrap();
    assert_eq!(
        (written.state, written.version),
        (SessionState::Complete, read.version + 2)
    );
    assert_eq!(
        messages(&numbered_log(store, 2).await),
        ["Requested", "first", "first too", "next"]
    );
    assert_eq!(
        messages(&numbered_log(store, 1).await),
        ["Requested", "other"]
    );
}

fn warnings(messages: &[&str]) -> Vec<LogEntry> {
    messages
        .iter()
        .map(|m| LogEntry::new(LogLevel::Warn, Some("ada"), *m))
        .collect()
}

/// Session `n`'s log, checked to be numbered 1, 2, ... without a gap.
async fn numbered_log(store: &dyn Store, n: u128) -> Vec<pamctl::core::LogLine> {
    let lines = store.session_log(id(1000 + n)).await.unwrap();
    let numbers: Vec<u64> = lines.iter().map(|l| l.line_number).collect();
    let expected: Vec<u64> = (1..=lines.len() as u64).collect();
    assert_eq!(numbers, expected, "session {n}'s lines follow on");
    lines
}

fn messages(lines: &[pamctl::core::LogLine]) -> Vec<&str> {
    lines.iter().map(|l| l.message.as_str()).collect()
}

/// Session `n`'s runs in id order, each as its number and state ("9031 done").
async fn run_states(store: &dyn Store, n: u128) -> Vec<String> {
    store
        .runs_of(id(1000 + n))
        .await
        .unwrap()
        .into_iter()
        .map(|r| format!("{} {}", r.run_id.as_u128(), r.state))
        .collect()
}
