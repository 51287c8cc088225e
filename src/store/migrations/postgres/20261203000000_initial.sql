-- The PostgreSQL schema: the same tables and meanings as SQLite's, in one migration. Later
-- changes add new migrations; this file is never edited once shipped.
--
-- Instants are BIGINT milliseconds since the Unix epoch (UTC), as in SQLite, so that both
-- stores read, compare and sort times the same way (a start in year 10000 is just a larger
-- number). Ids are UUIDs; integers are BIGINT, the one width the store reads.
-- Names are unique and matched in any case: unique indexes on lower(name).

CREATE TABLE accounts (
    id            UUID PRIMARY KEY,
    name          TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('user', 'application')),
    role          TEXT NOT NULL CHECK (role IN ('Admin', 'Reviewer', 'User')),
    secret_hash   TEXT,
    totp_secret   TEXT,
    created_at    BIGINT NOT NULL,
    modified_at   BIGINT NOT NULL,
    retired_at    BIGINT
);
CREATE UNIQUE INDEX accounts_by_name ON accounts (lower(name));

-- Bearer tokens, stored only as SHA-256 digests.
CREATE TABLE tokens (
    id            UUID PRIMARY KEY,
    token_digest  TEXT NOT NULL UNIQUE,
    account_id    UUID NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    stage         TEXT NOT NULL CHECK (stage IN ('pre_mfa', 'full')),
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    revoked_at    BIGINT,
    created_from  TEXT
);
CREATE INDEX tokens_by_account ON tokens (account_id);
CREATE INDEX tokens_by_expiry ON tokens (expires_at);

CREATE TABLE activities (
    id                         UUID PRIMARY KEY,
    name                       TEXT NOT NULL,
    description                TEXT,
    platform                   TEXT NOT NULL,
    activity_type              BIGINT NOT NULL,
    login_account              BIGINT NOT NULL,
    login_account_name_format  TEXT,
    -- JSON arrays of action specs, run in order.
    pre_session_actions        TEXT NOT NULL DEFAULT '[]',
    post_session_actions       TEXT NOT NULL DEFAULT '[]',
    lock_actions               TEXT NOT NULL DEFAULT '[]',
    unlock_actions             TEXT NOT NULL DEFAULT '[]',
    fingerprint                TEXT NOT NULL,
    created_at                 BIGINT NOT NULL,
    modified_at                BIGINT NOT NULL,
    retired_at                 BIGINT
);
CREATE UNIQUE INDEX activities_by_name ON activities (lower(name));

CREATE TABLE resources (
    id             UUID PRIMARY KEY,
    name           TEXT NOT NULL,
    display_name   TEXT,
    platform       TEXT NOT NULL,
    resource_type  BIGINT NOT NULL,
    address        TEXT,
    port_ssh       BIGINT,
    port_rdp       BIGINT,
    fingerprint    TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    modified_at    BIGINT NOT NULL,
    retired_at     BIGINT
);
CREATE UNIQUE INDEX resources_by_name ON resources (lower(name));

-- Access policies and their connection profile (durations in seconds).
CREATE TABLE policies (
    id                      UUID PRIMARY KEY,
    name                    TEXT NOT NULL,
    description             TEXT,
    position                BIGINT NOT NULL,
    max_duration_secs       BIGINT NOT NULL,
    extension_max_count     BIGINT,
    extension_max_secs      BIGINT,
    approval_timeout_secs   BIGINT NOT NULL,
    admins_may_approve      BOOLEAN NOT NULL DEFAULT FALSE,
    ticket_required         BOOLEAN NOT NULL DEFAULT FALSE,
    fingerprint             TEXT NOT NULL,
    created_at              BIGINT NOT NULL,
    modified_at             BIGINT NOT NULL,
    retired_at              BIGINT
);
CREATE UNIQUE INDEX policies_by_name ON policies (lower(name));

-- The link tables keep the order they were written in (`seq`), as the configuration gave it.
CREATE TABLE policy_members (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY,
    policy_id   UUID NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
    account_id  UUID NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    PRIMARY KEY (policy_id, account_id)
);
CREATE INDEX policy_members_by_account ON policy_members (account_id);

CREATE TABLE policy_activities (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY,
    policy_id    UUID NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
    activity_id  UUID NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    PRIMARY KEY (policy_id, activity_id)
);

CREATE TABLE policy_resources (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY,
    policy_id    UUID NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
    resource_id  UUID NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    PRIMARY KEY (policy_id, resource_id)
);

-- Approval tiers complete in order; each needs `required` distinct approvals.
CREATE TABLE approval_tiers (
    policy_id  UUID NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
    position   BIGINT NOT NULL,
    required   BIGINT NOT NULL CHECK (required >= 1),
    PRIMARY KEY (policy_id, position)
);

-- An approver is a named account or everyone with a role.
CREATE TABLE approval_tier_approvers (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    policy_id   UUID NOT NULL,
    position    BIGINT NOT NULL,
    account_id  UUID REFERENCES accounts (id) ON DELETE CASCADE,
    role        TEXT CHECK (role IN ('Admin', 'Reviewer', 'User')),
    CHECK ((account_id IS NULL) <> (role IS NULL)),
    FOREIGN KEY (policy_id, position) REFERENCES approval_tiers (policy_id, position) ON DELETE CASCADE
);
CREATE INDEX approval_tier_approvers_by_tier ON approval_tier_approvers (policy_id, position);

-- Webhooks a policy calls when a request needs approval and when it is decided.
CREATE TABLE policy_webhooks (
    policy_id     UUID NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
    position      BIGINT NOT NULL,
    url           TEXT NOT NULL,
    events        TEXT NOT NULL DEFAULT '[]',
    timeout_secs  BIGINT NOT NULL DEFAULT 10,
    retries       BIGINT NOT NULL DEFAULT 3,
    PRIMARY KEY (policy_id, position)
);

-- Bumped by every catalog replacement, so that each broker knows when the catalog it keeps in
-- memory is out of date, whichever broker replaced it.
CREATE TABLE catalog_generation (
    only_row    BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
    generation  BIGINT NOT NULL
);
INSERT INTO catalog_generation (generation) VALUES (0);

CREATE TABLE session_groups (
    id          UUID PRIMARY KEY,
    created_by  UUID NOT NULL REFERENCES accounts (id),
    created_at  BIGINT NOT NULL
);

-- Activity sessions. `state` holds the product's status word as a stable identifier;
-- `due_at` is when a scheduler must next look at the session (NULL: nothing due).
CREATE TABLE sessions (
    id                       UUID PRIMARY KEY,
    group_id                 UUID REFERENCES session_groups (id),
    created_by               UUID NOT NULL REFERENCES accounts (id),
    created_from             TEXT,
    activity_id              UUID NOT NULL REFERENCES activities (id),
    resource_id              UUID NOT NULL REFERENCES resources (id),
    policy_id                UUID NOT NULL REFERENCES policies (id),
    login_account_name       TEXT,
    state                    TEXT NOT NULL,
    locked                   BOOLEAN NOT NULL DEFAULT FALSE,
    lock_title               TEXT,
    lock_message             TEXT,
    scheduled_start_at       BIGINT NOT NULL,
    actual_start_at          BIGINT,
    scheduled_end_at         BIGINT NOT NULL,
    actual_end_at            BIGINT,
    login_at                 BIGINT,
    cancelled_by             UUID REFERENCES accounts (id),
    note                     TEXT,
    ticket                   TEXT,
    -- The note and ticket case-folded by the broker (Unicode, whatever the database's
    -- locale), joined by U+001F: what the free text is matched against.
    search_text              TEXT,
    custom_fields            TEXT,
    extension_count          BIGINT NOT NULL DEFAULT 0,
    extension_minutes        BIGINT NOT NULL DEFAULT 0,
    approval_deadline_at     BIGINT,
    pre_actions_done         BIGINT NOT NULL DEFAULT 0,
    post_actions_done        BIGINT NOT NULL DEFAULT 0,
    failure_reason           TEXT,
    status_message           TEXT,
    cancel_requested         BOOLEAN NOT NULL DEFAULT FALSE,
    due_at                   BIGINT,
    lease_owner              TEXT,
    lease_until              BIGINT,
    version                  BIGINT NOT NULL DEFAULT 0,
    created_at               BIGINT NOT NULL,
    modified_at              BIGINT NOT NULL
);
CREATE INDEX sessions_due ON sessions (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX sessions_by_creator ON sessions (created_by, created_at, id);
CREATE INDEX sessions_by_created ON sessions (created_at, id);
CREATE INDEX sessions_by_state ON sessions (state, locked);
CREATE INDEX sessions_by_resource ON sessions (resource_id);
CREATE INDEX sessions_by_activity ON sessions (activity_id);
CREATE INDEX sessions_by_group ON sessions (group_id);
-- Unfinished sessions per requester, for the per-user caps.
CREATE INDEX sessions_open_by_requester ON sessions (created_by, state)
    WHERE state NOT IN ('Complete', 'Failed', 'Cancelled', 'Denied', 'ApprovalFailed');

-- Approval decisions, one row per approver and session, in the tier they counted for; `seq`
-- orders decisions made in the same millisecond.
CREATE TABLE approvals (
    seq           BIGINT GENERATED ALWAYS AS IDENTITY,
    id            UUID PRIMARY KEY,
    session_id    UUID NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    tier          BIGINT NOT NULL,
    approver_id   UUID NOT NULL REFERENCES accounts (id),
    decision      TEXT NOT NULL CHECK (decision IN ('Pending', 'Approved', 'Denied')),
    notes         TEXT,
    from_address  TEXT,
    decided_at    BIGINT,
    UNIQUE (session_id, approver_id)
);

-- The session log: append-only, numbered per session.
CREATE TABLE session_log (
    session_id   UUID NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    line_number  BIGINT NOT NULL,
    at           BIGINT NOT NULL,
    level        BIGINT NOT NULL CHECK (level BETWEEN 0 AND 3),
    actor        TEXT,
    message      TEXT NOT NULL,
    PRIMARY KEY (session_id, line_number)
);
CREATE INDEX session_log_by_time ON session_log (session_id, at);

-- The outbox: every action a transition causes is a row here, written in the transition's
-- own transaction. A broker claims rows with FOR UPDATE SKIP LOCKED under a lease (owner +
-- expiry) and heartbeats; a row whose lease ran out is claimed again by any broker. `run_id`
-- is the idempotency key the action gets, the same for every attempt of the row.
CREATE TABLE outbox (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id           UUID   NOT NULL UNIQUE,
    session_id       UUID   NOT NULL REFERENCES sessions (id),
    kind             TEXT   NOT NULL,
    action_index     BIGINT NOT NULL,
    payload          TEXT,
    -- pending, done, failed (gave up), dropped (no longer wanted)
    state            TEXT   NOT NULL DEFAULT 'pending',
    attempts         BIGINT NOT NULL DEFAULT 0,
    last_error       TEXT,
    next_attempt_at  BIGINT NOT NULL,
    lease_owner      TEXT,
    lease_until      BIGINT,
    created_at       BIGINT NOT NULL,
    finished_at      BIGINT
);
CREATE INDEX outbox_pending_due ON outbox (next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX outbox_pending_session ON outbox (session_id, id) WHERE state = 'pending';

-- The running brokers: a broker that starts on a host where a registered broker's process is
-- gone takes that broker's leases back at once instead of waiting for them to expire.
CREATE TABLE broker_instances (
    id          TEXT   PRIMARY KEY,
    host        TEXT   NOT NULL,
    pid         BIGINT NOT NULL,
    started_at  BIGINT NOT NULL
);

-- Search's free text: the requester, resource and activity names that hold it are found in
-- the small catalog tables by the broker (id lists), and the folded note and ticket
-- (search_text) are matched with LIKE. With pg_trgm, a trigram index finds a substring of
-- three or more characters; without it (not installed, or a role that may not create it)
-- the same query scans, with the same answers.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
        BEGIN
            CREATE EXTENSION IF NOT EXISTS pg_trgm;
            CREATE INDEX sessions_search_text_trgm ON sessions USING gin (search_text gin_trgm_ops);
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE NOTICE 'pg_trgm is not available to this role: free-text search scans';
        END;
    ELSE
        RAISE NOTICE 'pg_trgm is not installed: free-text search scans';
    END IF;
END
$$;
