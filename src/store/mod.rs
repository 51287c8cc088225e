//! Persistence behind one small trait, so that the broker does not know which database it
//! runs on. SQLite (embedded, the default) and PostgreSQL (shared by replicas) implement it.

mod audit;
mod common;
mod postgres;
mod sqlite;
mod statements;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::core::audit::{AuditEvent, AuditRecord, AuditSeal};
use crate::core::throttle::{Reservation, SignInKeys, ThrottlePolicy};
use crate::core::{
    Account, ActionKind, Activity, Approval, Catalog, LogEntry, LogLevel, LogLine, Policy,
    Resource, Role, Session, SessionState, StatementEntry, StatementStatus, TokenRecord,
};

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("cannot bring the database schema up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("the database holds a value this version cannot read ({table}: {message})")]
    Corrupt {
        table: &'static str,
        message: String,
    },
    #[error("unsupported database URL '{0}': use sqlite://PATH or postgres://USER@HOST/DATABASE")]
    UnsupportedUrl(String),
    /// Opening a PostgreSQL database failed; the URL and message have the password taken out.
    #[error("{url}: {message}")]
    Connect { url: String, message: String },
    #[error("the database password: {0}")]
    Password(String),
}

/// What sessions are granted from: the live activities, resources and policies, read
/// together.
#[derive(Debug, Default)]
pub struct GrantCatalog {
    pub activities: Vec<Activity>,
    pub resources: Vec<Resource>,
    pub policies: Vec<Policy>,
}

/// The ids already given to catalog entries, by lower-cased name, so that a restart with the
/// same configuration keeps every id (and the sessions that refer to them).
#[derive(Debug, Default)]
pub struct CatalogIds {
    pub accounts: HashMap<String, Uuid>,
    pub activities: HashMap<String, Uuid>,
    pub resources: HashMap<String, Uuid>,
    pub policies: HashMap<String, Uuid>,
}

/// What a session list asks for: every filter of Search and `session list`, the order and the
/// page. Filters are ANDed; the values of one list filter are ORed. Empty means "any".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SessionQuery {
    /// Only sessions this account created (a plain user's visibility, or `mine`).
    pub created_by: Option<Uuid>,
    /// Shown states (`Locked` is an Available or Logged In session with its lock set).
    pub states: Vec<SessionState>,
    /// `Some(false)`: only sessions not finished; `Some(true)`: only finished ones.
    pub finished: Option<bool>,
    /// Users by login or display name, or the account part of `DOMAIN\name` or
    /// `name@domain`, in any case.
    pub users: Vec<String>,
    /// Resources by name, display name or id, in any case.
    pub resources: Vec<String>,
    /// Activities by name or id, in any case.
    pub activities: Vec<String>,
    /// Platforms of the session's activity, in any case.
    pub platforms: Vec<String>,
    /// Sessions on this resource (by id).
    pub resource_id: Option<Uuid>,
    /// Sessions the period [from, to] overlaps: the actual span, else the scheduled one.
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Free text, case-insensitive: a substring of the user's login or display name, the
    /// resource's name or display name, the activity, the note, the ticket, or the status word
    /// or summary status name.
    pub text: Option<String>,
    pub sort: SessionSort,
    pub descending: bool,
    pub skip: u64,
    /// `None`: every matching session.
    pub take: Option<u64>,
    /// The instant a running session's duration is measured to, for the duration order: the
    /// broker's clock (the store reads none). Unset, running sessions sort as just started.
    pub now: Option<DateTime<Utc>>,
}

/// The orders a session list can have; ties always fall back to created time, then id.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SessionSort {
    #[default]
    Created,
    ScheduledStart,
    ScheduledEnd,
    /// The requester's login name, any case.
    User,
    Resource,
    Activity,
    /// The summary status value of the shown state.
    Status,
    /// Seconds the session ran or will run (see `SessionStats`).
    Duration,
    Id,
    LoginAccount,
}

/// A page of sessions and how many match in all.
#[derive(Debug, Clone, Default)]
pub struct SessionPage {
    pub sessions: Vec<Session>,
    pub total: u64,
}

/// Count, sum, average, minimum and maximum of session durations in seconds. A session's
/// duration: from its actual start to its actual end (or `now`); one that never started and
/// is finished ran for no time; one that has not started yet, its scheduled span.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Durations {
    pub count: u64,
    pub sum: i64,
    pub avg: i64,
    pub min: i64,
    pub max: i64,
}

/// The durations of one requester's sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserDurations {
    pub account_id: Uuid,
    pub name: String,
    pub durations: Durations,
}

/// A session log page: lines at `level` or above, in the period, containing `text` (in the
/// message or the actor), in line order (or reversed), skipped and taken.
#[derive(Debug, Clone, Default)]
pub struct LogQuery {
    pub min_level: Option<LogLevel>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub text: Option<String>,
    pub descending: bool,
    pub skip: u64,
    pub take: Option<u64>,
}

/// A page of the audit trail: filters ANDed, newest first unless `ascending`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditQuery {
    /// The actor's account name (or the login a failed sign-in tried), any case.
    pub actor: Option<String>,
    /// An action (`session.end`), or a family of them (`session` takes every `session.…`).
    pub action: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// The target (a session id, a route), exactly.
    pub target: Option<String>,
    pub ascending: bool,
    pub skip: u64,
    pub take: Option<u64>,
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    async fn catalog_ids(&self) -> Result<CatalogIds, StoreError>;
    /// Makes the stored catalog exactly `catalog`, in one transaction: entries are upserted by
    /// id, and entries it no longer names are retired (kept for history, no longer usable).
    async fn replace_catalog(
        &self,
        catalog: &Catalog,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Reads the catalog's ids and replaces the catalog with what `build` makes of them, as
    /// one step that replicas starting together take in turn (on PostgreSQL, under an
    /// advisory lock): the second sees the first's ids, so names keep one id each.
    async fn sync_catalog(
        &self,
        build: &(dyn for<'c> Fn(&'c CatalogIds) -> Catalog + Send + Sync),
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let ids = self.catalog_ids().await?;
        self.replace_catalog(&build(&ids), now).await
    }

    async fn account(&self, id: Uuid) -> Result<Option<Account>, StoreError>;
    /// Every account that may sign in (not retired).
    async fn accounts(&self) -> Result<Vec<Account>, StoreError>;
    async fn account_by_name(&self, name: &str) -> Result<Option<Account>, StoreError>;

    async fn insert_token(&self, token: &TokenRecord) -> Result<(), StoreError>;
    async fn token_by_digest(&self, digest: &str) -> Result<Option<TokenRecord>, StoreError>;
    /// The token with this digest and its account (`None` when the account is retired or
    /// gone), read together where the backend can: every request whose token is not in the
    /// broker's cache waits for this before its own work, so a backend that queues reads
    /// serves it first.
    async fn token_with_account(
        &self,
        digest: &str,
    ) -> Result<Option<(TokenRecord, Option<Account>)>, StoreError> {
        let Some(token) = self.token_by_digest(digest).await? else {
            return Ok(None);
        };
        let account = self.account(token.account_id).await?;
        Ok(Some((token, account)))
    }
    async fn revoke_token(&self, id: Uuid, at: DateTime<Utc>) -> Result<(), StoreError>;
    /// Revokes every token of a family (a logout); answers how many were still live.
    async fn revoke_token_family(&self, family: Uuid, at: DateTime<Utc>)
    -> Result<u64, StoreError>;
    /// Revokes every token of an account (a password or role change, an admin's order);
    /// answers how many were still live.
    async fn revoke_account_tokens(
        &self,
        account: Uuid,
        at: DateTime<Utc>,
    ) -> Result<u64, StoreError>;
    async fn token(&self, id: Uuid) -> Result<Option<TokenRecord>, StoreError>;
    /// The tokens neither revoked nor expired at `now`, of one account or of all, oldest
    /// first.
    async fn live_tokens(
        &self,
        account: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> Result<Vec<TokenRecord>, StoreError>;

    /// Checks the sign-in throttle for one attempt and, when it is allowed, counts it as a
    /// failure, in one transaction: concurrent attempts see each other's counts, so no more
    /// of them reach the password check than the throttle allows. A success takes the count
    /// back with `sign_in_succeeded`.
    async fn reserve_sign_in(
        &self,
        keys: &SignInKeys,
        policy: &ThrottlePolicy,
        now: DateTime<Utc>,
    ) -> Result<Reservation, StoreError>;
    /// Forgets the address's failures for the login and takes back the attempt's advance
    /// count on the login's.
    async fn sign_in_succeeded(&self, keys: &SignInKeys) -> Result<(), StoreError>;
    /// Deletes throttle counters whose last failure is older than `before`.
    async fn purge_sign_in_failures(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;
    /// Records that `account`'s second factor was accepted at TOTP time step `step`, if no
    /// code of that step or a later one was accepted before: `false` means a replay. Atomic,
    /// so two brokers given the same code accept it once.
    async fn accept_totp_step(&self, account: Uuid, step: u64) -> Result<bool, StoreError>;
    /// Deletes tokens that expired before `before`. With replicas, one at a time does it (on
    /// PostgreSQL the others, finding it busy, delete nothing and answer 0).
    async fn delete_tokens_expired_before(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;

    async fn activities(&self) -> Result<Vec<Activity>, StoreError>;
    async fn resources(&self) -> Result<Vec<Resource>, StoreError>;
    async fn policies(&self) -> Result<Vec<Policy>, StoreError>;
    /// The activities, resources and policies together, as of one check that they are
    /// current: a request that needs all three (a create) checks once, not three times.
    async fn grant_catalog(&self) -> Result<Arc<GrantCatalog>, StoreError>;

    /// Inserts new sessions (and their group, when they form one) with their first log lines
    /// and the runs they start (by session id), in one transaction: all of them or none.
    async fn insert_sessions(
        &self,
        group: Option<Uuid>,
        sessions: &[(Session, Vec<LogEntry>)],
        runs: &[(Uuid, NewRun)],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// `insert_sessions` with audit events appended in the same transaction: a request's
    /// record exists exactly when the request does, at the cost of one INSERT.
    async fn insert_sessions_audited(
        &self,
        group: Option<Uuid>,
        sessions: &[(Session, Vec<LogEntry>)],
        runs: &[(Uuid, NewRun)],
        audit: &[AuditEvent],
        seal: &AuditSeal,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    async fn session(&self, id: Uuid) -> Result<Option<Session>, StoreError>;
    /// The session and the decisions on it, read together where the backend can: what a
    /// reply about one session shows.
    async fn session_with_approvals(
        &self,
        id: Uuid,
    ) -> Result<Option<(Session, Vec<Approval>)>, StoreError> {
        let Some(session) = self.session(id).await? else {
            return Ok(None);
        };
        let approvals = self.approvals(Some(id)).await?;
        Ok(Some((session, approvals)))
    }
    /// `session_with_approvals` for a request that will write a transition of the session
    /// (end, extend): a backend that queues reads may let it ahead, so that the request,
    /// which also waits for its write, takes about as long as a read under load.
    async fn session_with_approvals_to_change(
        &self,
        id: Uuid,
    ) -> Result<Option<(Session, Vec<Approval>)>, StoreError> {
        self.session_with_approvals(id).await
    }
    /// The sessions with these ids, in one read (those that do not exist are left out), in
    /// no particular order: the outbox worker reads a claimed batch's sessions at once.
    async fn sessions(&self, ids: &[Uuid]) -> Result<Vec<Session>, StoreError>;
    /// The sessions a query selects, in its order and page, with the number that match.
    async fn search_sessions(&self, query: &SessionQuery) -> Result<SessionPage, StoreError>;
    /// How many sessions the query's filters select, by shown state (states with none left
    /// out); the query's order and page do not count.
    async fn count_sessions_by_state(
        &self,
        query: &SessionQuery,
    ) -> Result<Vec<(SessionState, u64)>, StoreError>;
    /// The durations of the sessions the query's filters select as of `now`, and per
    /// requester, most sessions first (then longest in all), at most `top_users` of them.
    async fn session_durations(
        &self,
        query: &SessionQuery,
        now: DateTime<Utc>,
        top_users: Option<u64>,
    ) -> Result<(Durations, Vec<UserDurations>), StoreError>;
    /// Search's answer: the durations as `session_durations` gives them, then the page as
    /// `search_sessions` gives it, its total being the durations' count (the matches are
    /// counted once). One call, so that the store resolves the query's names once for both.
    async fn search_summarized(
        &self,
        query: &SessionQuery,
        now: DateTime<Utc>,
        top_users: Option<u64>,
    ) -> Result<(Durations, Vec<UserDurations>, SessionPage), StoreError>;
    /// Moves the session tally's changes that writers appended into its groups, and answers
    /// how many it moved. Readers add the changes not moved yet, so folding only keeps them
    /// few: the broker runs it often, and one replica at a time does the work (the others,
    /// finding it busy, move nothing and answer 0). Stores whose writers keep their tally
    /// themselves (SQLite, one writer) have nothing to fold; SQLite refreshes its stale
    /// groups' extremes here instead (once a summary has met one), and answers how many
    /// groups it refreshed.
    async fn fold_session_tally(&self) -> Result<u64, StoreError> {
        Ok(0)
    }
    /// Requests in Waiting for Approval that `account` (with `role`) might decide: under a
    /// policy that names the account or its role in any tier, or lets admins approve when the
    /// role is Admin; never the account's own requests nor those it already decided. Oldest
    /// first. The broker applies the current-tier rule to these.
    async fn approval_candidates(
        &self,
        account: Uuid,
        role: Role,
    ) -> Result<Vec<Session>, StoreError>;
    /// Writes one transition: the changed session (if nobody wrote it since `version` was
    /// read), its log lines, an approval, the action runs it starts and the run it settles,
    /// all in one transaction or none of it.
    async fn write_session(
        &self,
        write: &SessionWrite<'_>,
        now: DateTime<Utc>,
    ) -> Result<WriteOutcome, StoreError>;
    /// Writes a changed session and its log lines alone; `false` when it was stale.
    async fn save_session(
        &self,
        session: &Session,
        log: &[LogEntry],
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        Ok(self
            .write_session(&SessionWrite::new(session, log), now)
            .await?
            == WriteOutcome::Written)
    }
    /// Writes many transitions in one transaction; each is checked on its own (a stale one is
    /// left out, the others written).
    async fn write_sessions(
        &self,
        writes: &[SessionWrite<'_>],
        now: DateTime<Utc>,
    ) -> Result<Vec<WriteOutcome>, StoreError>;
    /// Writes log lines alone, whatever the session's version.
    async fn append_log(
        &self,
        id: Uuid,
        log: &[LogEntry],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Lets account `with` read session `id` (its details, log and activity log), writing
    /// `log` with it in one transaction. `false` when it was shared with them already: then
    /// nothing is written.
    async fn share_session(
        &self,
        id: Uuid,
        with: Uuid,
        by: Uuid,
        log: &[LogEntry],
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
    /// Whether session `id` is shared with `account`.
    async fn is_shared_with(&self, id: Uuid, account: Uuid) -> Result<bool, StoreError>;
    /// The accounts session `id` is shared with, in the order it was shared.
    async fn session_shares(&self, id: Uuid) -> Result<Vec<Uuid>, StoreError>;
    /// The decisions on one session, or on every session, in the order they were made.
    async fn approvals(&self, session: Option<Uuid>) -> Result<Vec<Approval>, StoreError>;
    /// The decisions on these sessions (a page of a list), in the order they were made.
    async fn approvals_of_sessions(&self, sessions: &[Uuid]) -> Result<Vec<Approval>, StoreError>;
    async fn session_log(&self, id: Uuid) -> Result<Vec<LogLine>, StoreError>;
    /// A page of a session's log and how many lines match in all.
    async fn session_log_page(
        &self,
        id: Uuid,
        query: &LogQuery,
    ) -> Result<(Vec<LogLine>, u64), StoreError>;
    /// The session and a page of its log, read together where the backend can: the session
    /// says who may read the page.
    async fn session_with_log_page(
        &self,
        id: Uuid,
        query: &LogQuery,
    ) -> Result<Option<(Session, Vec<LogLine>, u64)>, StoreError> {
        let Some(session) = self.session(id).await? else {
            return Ok(None);
        };
        let (lines, total) = self.session_log_page(id, query).await?;
        Ok(Some((session, lines, total)))
    }

    /// Sessions whose due time has come, earliest first (from the due-time index).
    async fn due_sessions(
        &self,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Session>, StoreError>;
    /// Claims up to `limit` due sessions that no broker holds, earliest first, for `owner`
    /// until `lease_until`, so that replicas share the due sessions instead of all reading
    /// the same ones (on PostgreSQL with `FOR UPDATE SKIP LOCKED`). Writing a session frees
    /// its claim; a claim nobody writes (its broker died) lapses at `lease_until`.
    async fn claim_due_sessions(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Session>, StoreError>;
    /// When the scheduler must look next: the earliest due time, or for a claimed session
    /// the moment its claim lapses, whichever is later.
    async fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError>;
    /// What the database is and whether it answers (for Health).
    async fn health(&self) -> DatabaseHealth;
    /// How many unfinished sessions, and how many waiting for approval, `account` requested.
    async fn open_sessions_of(&self, account: Uuid) -> Result<(u64, u64), StoreError>;

    /// Claims up to `limit` action runs that are due and not leased, the oldest of each
    /// session only (a session's actions run in order), for `owner` until `lease_until`.
    /// Each claim counts as an attempt.
    async fn claim_runs(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<ClaimedRun>, StoreError>;
    /// Extends a lease `owner` holds; `false` when it no longer holds it.
    async fn renew_run(
        &self,
        id: i64,
        owner: &str,
        lease_until: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
    /// Settles a run without touching its session; `false` when `owner` lost its lease.
    async fn settle_run(
        &self,
        settle: &RunSettle<'_>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
    /// When the next pending run is due (a leased one: when its lease runs out).
    async fn next_run_at(&self) -> Result<Option<DateTime<Utc>>, StoreError>;
    /// Runs of a session, in the order they were written (for tests and `session show`).
    async fn runs_of(&self, session: Uuid) -> Result<Vec<RunRecord>, StoreError>;

    /// Registers a broker process; returns the other brokers registered on `host`.
    async fn register_instance(
        &self,
        id: &str,
        host: &str,
        pid: u32,
        now: DateTime<Utc>,
    ) -> Result<Vec<(String, u32)>, StoreError>;
    /// Appends events to the audit trail, in their order. SQLite chains them at once, hashed
    /// with `seal`, in its one writer. PostgreSQL queues them, and `chain_audit` puts them on
    /// the chain: replicas that chained inside every write would commit one at a time.
    async fn append_audit(&self, events: &[AuditEvent], seal: &AuditSeal)
    -> Result<(), StoreError>;
    /// Moves queued events onto the chain, hashed with `seal`, in the order they were
    /// queued, and answers how many. One replica at a time; another that asks meanwhile waits,
    /// so that every event committed before the call is on the chain when it returns.
    /// A store that chains as it writes has nothing to do.
    async fn chain_audit(&self, _seal: &AuditSeal) -> Result<u64, StoreError> {
        Ok(0)
    }
    /// How many events wait to be chained (for `audit verify`, which never chains: it may
    /// hold the wrong key).
    async fn audit_unchained(&self) -> Result<u64, StoreError> {
        Ok(0)
    }
    /// A page of the audit trail and how many rows match in all.
    async fn audit_page(&self, query: &AuditQuery) -> Result<(Vec<AuditRecord>, u64), StoreError>;
    /// Up to `limit` audit rows after sequence number `after`, in sequence order, exactly as
    /// stored (for verifying the chain).
    async fn audit_rows_after(
        &self,
        after: i64,
        limit: u32,
    ) -> Result<Vec<AuditRecord>, StoreError>;

    /// Forgets a broker whose process is gone, and frees the leases it held (its action runs
    /// and its claimed due sessions); answers how many action runs it freed.
    async fn retire_instance(&self, id: &str) -> Result<u64, StoreError>;

    /// Keeps a session's sealed credential (the target's password, encrypted by the broker),
    /// replacing the one it had: a repeated provisioning hands out a fresh password.
    async fn put_credential(
        &self,
        session: Uuid,
        sealed: &[u8],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// A session's sealed credential, if it has one.
    async fn credential(&self, session: Uuid) -> Result<Option<Vec<u8>>, StoreError>;
    /// Forgets a session's credential (its access is being revoked); `true` if there was one.
    async fn delete_credential(&self, session: Uuid) -> Result<bool, StoreError>;

    /// Adds an entry to a session's activity log (the store gives its id, returned; the
    /// entry's own `id` is ignored) and the outbox run that will run it, if any, with the
    /// new id as its payload, in one transaction.
    async fn insert_statement(
        &self,
        entry: &StatementEntry,
        run: Option<&NewRun>,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError>;
    async fn statement(&self, id: i64) -> Result<Option<StatementEntry>, StoreError>;
    /// A session's activity log, oldest first.
    async fn statements_of(&self, session: Uuid) -> Result<Vec<StatementEntry>, StoreError>;
    /// Every entry waiting for a reviewer, oldest first.
    async fn pending_statements(&self) -> Result<Vec<StatementEntry>, StoreError>;
    /// Writes `entry` over the stored one (by id) if the stored one is still `expected`, with
    /// the outbox run it starts, in one transaction: `false` (nothing written) when it moved
    /// on, so that two reviewers, or two runs, cannot both win.
    async fn update_statement(
        &self,
        entry: &StatementEntry,
        expected: StatementStatus,
        run: Option<&NewRun>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
}

/// The database as Health reports it: never its URL.
#[derive(Debug, Clone, PartialEq)]
pub struct DatabaseHealth {
    /// `sqlite` or `postgres`.
    pub backend: &'static str,
    pub reachable: bool,
    /// How long a trivial query took.
    pub latency: std::time::Duration,
    /// Why it is not reachable.
    pub error: Option<String>,
}

/// One transition as the store writes it. `session.version` is the version it was read at.
pub struct SessionWrite<'a> {
    pub session: &'a Session,
    pub log: &'a [LogEntry],
    pub approval: Option<&'a Approval>,
    /// Action runs to start.
    pub runs: &'a [NewRun],
    /// Pending runs of these kinds are dropped.
    pub drop_pending: &'a [ActionKind],
    /// The run whose outcome this transition records.
    pub settles: Option<RunSettle<'a>>,
    /// Audit events appended in the same transaction, when the write is made.
    pub audit: Option<AuditAppend<'a>>,
}

/// Audit events and the seal that hashes them into the chain.
#[derive(Debug, Clone, Copy)]
pub struct AuditAppend<'a> {
    pub events: &'a [AuditEvent],
    pub seal: &'a AuditSeal,
}

impl<'a> SessionWrite<'a> {
    pub fn new(session: &'a Session, log: &'a [LogEntry]) -> Self {
        Self {
            session,
            log,
            approval: None,
            runs: &[],
            drop_pending: &[],
            settles: None,
            audit: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteOutcome {
    Written,
    /// Someone wrote the session since it was read: read it again and retry.
    Stale,
    /// The settled run's lease is no longer the writer's: someone else runs it now.
    LeaseLost,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRun {
    pub run_id: Uuid,
    pub kind: ActionKind,
    pub index: u32,
    /// A notification's event.
    pub payload: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settlement {
    Done,
    Retry { at: DateTime<Utc>, error: String },
    GaveUp { error: String },
    Dropped,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunSettle<'a> {
    pub id: i64,
    pub owner: &'a str,
    pub settlement: Settlement,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedRun {
    pub id: i64,
    pub run_id: Uuid,
    pub session_id: Uuid,
    pub kind: ActionKind,
    pub index: u32,
    pub payload: Option<String>,
    /// Attempts so far, this one included.
    pub attempts: u32,
}

/// An action run as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRecord {
    pub run_id: Uuid,
    pub kind: ActionKind,
    pub index: u32,
    pub state: String,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
}

/// Opens the database a URL names (`sqlite://PATH` or `postgres://…`), or the SQLite file in
/// `data_dir`.
pub async fn open(url: Option<&str>, data_dir: &Path) -> Result<Arc<dyn Store>, StoreError> {
    open_with_password(url, None, data_dir).await
}

/// Like `open`, with the PostgreSQL password read from `password` (`file:PATH` or `env:NAME`)
/// rather than written in the URL.
pub async fn open_with_password(
    url: Option<&str>,
    password: Option<&str>,
    data_dir: &Path,
) -> Result<Arc<dyn Store>, StoreError> {
    open_with_pool(url, password, None, data_dir).await
}

/// Whether `url` names a PostgreSQL database (`postgres://` or `postgresql://`).
pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Connections a broker keeps to PostgreSQL unless `[database] max_connections` says. Eight,
/// not sixteen: creates are written by one writer per broker, and more backends busy at once
/// only contended for the database's cores (on the benchmark's 2 cores, one replica's creates
/// went from 2,828–3,211/s to 3,323–3,625/s, and the machine's CPU per create with two
/// replicas from 0.68 to 0.57–0.60 ms).
pub const DEFAULT_DATABASE_CONNECTIONS: u32 = 8;
/// The most `[database] max_connections` may be.
pub const MAX_DATABASE_CONNECTIONS: u32 = 1000;

/// Like `open_with_password`, with at most `max_connections` connections to PostgreSQL
/// (`None`: `DEFAULT_DATABASE_CONNECTIONS`). SQLite keeps one writer and four readers
/// whatever it says.
pub async fn open_with_pool(
    url: Option<&str>,
    password: Option<&str>,
    max_connections: Option<u32>,
    data_dir: &Path,
) -> Result<Arc<dyn Store>, StoreError> {
    match url {
        None | Some("") => {
            refuse_password_for_sqlite(password)?;
            Ok(Arc::new(
                SqliteStore::open_file(&data_dir.join("pamctl.db")).await?,
            ))
        }
        Some(url) if url.starts_with("sqlite:") => {
            refuse_password_for_sqlite(password)?;
            Ok(Arc::new(SqliteStore::open_url(url).await?))
        }
        Some(url) if is_postgres_url(url) => {
            let password = password.map(read_password).transpose()?;
            let max_connections = max_connections.unwrap_or(DEFAULT_DATABASE_CONNECTIONS);
            let store = PostgresStore::open(url, password.as_deref(), max_connections)
                .await
                .map_err(|e| hide_password(e, url, password.as_deref()))?;
            Ok(Arc::new(store))
        }
        Some(other) => Err(StoreError::UnsupportedUrl(redact_url(other))),
    }
}

fn refuse_password_for_sqlite(password: Option<&str>) -> Result<(), StoreError> {
    match password {
        Some(_) => Err(StoreError::Password(
            "a database password is for PostgreSQL; SQLite has none".to_owned(),
        )),
        None => Ok(()),
    }
}

/// Reads a password from where `source` says: `file:PATH` (its first line) or `env:NAME`.
/// The password itself is never accepted here, so that it stays out of command lines and
/// configuration files, and no error ever repeats `source`'s value past its kind.
pub fn read_password(source: &str) -> Result<String, StoreError> {
    if let Some(path) = source.strip_prefix("file:") {
        let text = std::fs::read_to_string(path)
            .map_err(|e| StoreError::Password(format!("cannot read the file {path}: {e}")))?;
        let password = text.lines().next().unwrap_or("").to_owned();
        if password.is_empty() {
            return Err(StoreError::Password(format!("the file {path} is empty")));
        }
        Ok(password)
    } else if let Some(name) = source.strip_prefix("env:") {
        match std::env::var(name) {
            Ok(password) if !password.is_empty() => Ok(password),
            _ => Err(StoreError::Password(format!(
                "the environment variable {name} is not set"
            ))),
        }
    } else {
        Err(StoreError::Password(
            "write file:PATH or env:NAME, not the password itself".to_owned(),
        ))
    }
}

/// A failed connection's error with the URL redacted and the password, wherever a driver
/// might have echoed it, replaced.
fn hide_password(error: StoreError, url: &str, password: Option<&str>) -> StoreError {
    let mut message = error.to_string();
    let in_url = url_password(url);
    for secret in [password, in_url.as_deref()].into_iter().flatten() {
        if !secret.is_empty() {
            message = message.replace(secret, "***");
        }
    }
    message = message.replace(url, &redact_url(url));
    StoreError::Connect {
        url: redact_url(url),
        message,
    }
}

/// The password part of `scheme://user:password@host`, if any.
fn url_password(url: &str) -> Option<String> {
    let rest = &url[url.find("://")? + 3..];
    let userinfo = &rest[..rest.rfind('@')?];
    userinfo.split_once(':').map(|(_, p)| p.to_owned())
}

/// A note and ticket as the free text searches them: case-folded (Unicode, the same on every
/// backend and whatever the database's locale), joined by U+001F.
pub(crate) fn fold_search_text(note: Option<&str>, ticket: Option<&str>) -> Option<String> {
    let (note, ticket) = (note.unwrap_or(""), ticket.unwrap_or(""));
    if note.is_empty() && ticket.is_empty() {
        return None;
    }
    Some(format!(
        "{}\u{1f}{}",
        note.to_lowercase(),
        ticket.to_lowercase()
    ))
}

/// Whether a name holds the free text, folded as `fold_search_text` folds notes.
pub(crate) fn name_holds(name: &str, folded_text: &str) -> bool {
    name.to_lowercase().contains(folded_text)
}

/// A URL as errors and logs may show it: database URLs carry passwords (`user:password@`,
/// `?password=`) and webhook URLs tokens (`?token=`, `https://TOKEN@host`), so the userinfo
/// becomes `***` and every query parameter keeps its name with `***` as its value; the
/// fragment goes. Parsed with the `url` crate, so that whatever form the URL takes (no path,
/// an encoded `@`) nothing slips past. Text that is not a URL is not shown at all.
pub fn redact_url(text: &str) -> String {
    let Ok(mut url) = url::Url::parse(text) else {
        return "(a URL that cannot be parsed)".to_owned();
    };
    let had_userinfo = !url.username().is_empty() || url.password().is_some();
    let _ = url.set_password(None);
    let _ = url.set_username("");
    let names: Vec<String> = url
        .query_pairs()
        .map(|(name, _)| name.into_owned())
        .collect();
    if names.is_empty() {
        if url.query().is_some() {
            url.set_query(None);
        }
    } else {
        url.query_pairs_mut()
            .clear()
            .extend_pairs(names.iter().map(|name| (name.as_str(), "***")));
    }
    url.set_fragment(None);
    let shown = url.to_string();
    // `***` stands where the userinfo was; set_username cannot write it unescaped.
    match (had_userinfo, shown.split_once("://")) {
        (true, Some((scheme, rest))) => format!("{scheme}://***@{rest}"),
        _ => shown,
    }
}
