-- The whole product's schema. Later changes add columns and tables in new migrations; this
-- file is never edited once shipped. Times are RFC 3339 UTC text; ids are hyphenated UUIDs.

-- Users and applications: anyone who signs in. Retired when the configuration drops them.
CREATE TABLE accounts (
    id            TEXT PRIMARY KEY NOT NULL,
    name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('user', 'application')),
    role          TEXT NOT NULL CHECK (role IN ('Admin', 'Reviewer', 'User')),
    secret_hash   TEXT,
    totp_secret   TEXT,
    created_at    TEXT NOT NULL,
    modified_at   TEXT NOT NULL,
    retired_at    TEXT
);

-- Bearer tokens, stored only as SHA-256 digests.
CREATE TABLE tokens (
    id            TEXT PRIMARY KEY NOT NULL,
    token_digest  TEXT NOT NULL UNIQUE,
    account_id    TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    stage         TEXT NOT NULL CHECK (stage IN ('pre_mfa', 'full')),
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    revoked_at    TEXT,
    created_from  TEXT
);
CREATE INDEX tokens_by_account ON tokens (account_id);
CREATE INDEX tokens_by_expiry ON tokens (expires_at);

CREATE TABLE activities (
    id                         TEXT PRIMARY KEY NOT NULL,
    name                       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description                TEXT,
    platform                   TEXT NOT NULL,
    activity_type              INTEGER NOT NULL,
    login_account              INTEGER NOT NULL,
    login_account_name_format  TEXT,
    -- JSON arrays of action specs, run in order.
    pre_session_actions        TEXT NOT NULL DEFAULT '[]',
    post_session_actions       TEXT NOT NULL DEFAULT '[]',
    lock_actions               TEXT NOT NULL DEFAULT '[]',
    unlock_actions             TEXT NOT NULL DEFAULT '[]',
    fingerprint                TEXT NOT NULL,
    created_at                 TEXT NOT NULL,
    modified_at                TEXT NOT NULL,
    retired_at                 TEXT
);

CREATE TABLE resources (
    id             TEXT PRIMARY KEY NOT NULL,
    name           TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name   TEXT,
    platform       TEXT NOT NULL,
    resource_type  INTEGER NOT NULL,
    address        TEXT,
    port_ssh       INTEGER,
    port_rdp       INTEGER,
    fingerprint    TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    modified_at    TEXT NOT NULL,
    retired_at     TEXT
);

-- Access policies and their connection profile (durations in seconds).
CREATE TABLE policies (
    id                      TEXT PRIMARY KEY NOT NULL,
    name                    TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description             TEXT,
    position                INTEGER NOT NULL,
    max_duration_secs       INTEGER NOT NULL,
    extension_max_count     INTEGER,
    extension_max_secs      INTEGER,
    approval_timeout_secs   INTEGER NOT NULL,
    admins_may_approve      INTEGER NOT NULL DEFAULT 0,
    ticket_required         INTEGER NOT NULL DEFAULT 0,
    fingerprint             TEXT NOT NULL,
    created_at              TEXT NOT NULL,
    modified_at             TEXT NOT NULL,
    retired_at              TEXT
);

CREATE TABLE policy_members (
    policy_id   TEXT NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    PRIMARY KEY (policy_id, account_id)
);
CREATE INDEX policy_members_by_account ON policy_members (account_id);

CREATE TABLE policy_activities (
    policy_id    TEXT NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
    activity_id  TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    PRIMARY KEY (policy_id, activity_id)
);

CREATE TABLE policy_resources (
    policy_id    TEXT NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
    resource_id  TEXT NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    PRIMARY KEY (policy_id, resource_id)
);

-- Approval tiers complete in order; each needs `required` distinct approvals.
CREATE TABLE approval_tiers (
    policy_id  TEXT NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    required   INTEGER NOT NULL CHECK (required >= 1),
    PRIMARY KEY (policy_id, position)
);

-- An approver is a named account or everyone with a role.
CREATE TABLE approval_tier_approvers (
    policy_id   TEXT NOT NULL,
    position    INTEGER NOT NULL,
    account_id  TEXT REFERENCES accounts (id) ON DELETE CASCADE,
    role        TEXT CHECK (role IN ('Admin', 'Reviewer', 'User')),
    CHECK ((account_id IS NULL) <> (role IS NULL)),
    FOREIGN KEY (policy_id, position) REFERENCES approval_tiers (policy_id, position) ON DELETE CASCADE
);
CREATE INDEX approval_tier_approvers_by_tier ON approval_tier_approvers (policy_id, position);

-- Webhooks a policy calls when a request needs approval and when it is decided.
CREATE TABLE policy_webhooks (
    policy_id     TEXT NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    url           TEXT NOT NULL,
    events        TEXT NOT NULL DEFAULT '[]',
    timeout_secs  INTEGER NOT NULL DEFAULT 10,
    retries       INTEGER NOT NULL DEFAULT 3,
    PRIMARY KEY (policy_id, position)
);

CREATE TABLE session_groups (
    id          TEXT PRIMARY KEY NOT NULL,
    created_by  TEXT NOT NULL REFERENCES accounts (id),
    created_at  TEXT NOT NULL
);

-- Activity sessions. `state` holds the product's status word as a stable identifier;
-- `due_at` is when the scheduler must next look at the session (NULL: nothing due), and the
-- lease columns keep two brokers on one database from running the same transition.
CREATE TABLE sessions (
    id                       TEXT PRIMARY KEY NOT NULL,
    group_id                 TEXT REFERENCES session_groups (id),
    created_by               TEXT NOT NULL REFERENCES accounts (id),
    created_from             TEXT,
    activity_id              TEXT NOT NULL REFERENCES activities (id),
    resource_id              TEXT NOT NULL REFERENCES resources (id),
    policy_id                TEXT NOT NULL REFERENCES policies (id),
    login_account_name       TEXT,
    state                    TEXT NOT NULL,
    locked                   INTEGER NOT NULL DEFAULT 0,
    lock_title               TEXT,
    lock_message             TEXT,
    scheduled_start_at       TEXT NOT NULL,
    actual_start_at          TEXT,
    scheduled_end_at         TEXT NOT NULL,
    actual_end_at            TEXT,
    login_at                 TEXT,
    cancelled_by             TEXT REFERENCES accounts (id),
    note                     TEXT,
    ticket                   TEXT,
    custom_fields            TEXT,
    extension_count          INTEGER NOT NULL DEFAULT 0,
    extension_minutes        INTEGER NOT NULL DEFAULT 0,
    approval_deadline_at     TEXT,
    -- Progress through the activity's actions, committed after each one, so that a restarted
    -- broker carries on where it stopped instead of running a finished action again.
    pre_actions_done         INTEGER NOT NULL DEFAULT 0,
    post_actions_done        INTEGER NOT NULL DEFAULT 0,
    failure_reason           TEXT,
    cancel_requested         INTEGER NOT NULL DEFAULT 0,
    due_at                   TEXT,
    lease_owner              TEXT,
    lease_until              TEXT,
    version                  INTEGER NOT NULL DEFAULT 0,
    created_at               TEXT NOT NULL,
    modified_at              TEXT NOT NULL
);
CREATE INDEX sessions_due ON sessions (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX sessions_by_creator ON sessions (created_by, created_at);
CREATE INDEX sessions_by_state ON sessions (state);
CREATE INDEX sessions_by_resource ON sessions (resource_id);
CREATE INDEX sessions_by_group ON sessions (group_id);

-- Approval decisions, one row per approver and session, in the tier they counted for.
CREATE TABLE approvals (
    id            TEXT PRIMARY KEY NOT NULL,
    session_id    TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    tier          INTEGER NOT NULL,
    approver_id   TEXT NOT NULL REFERENCES accounts (id),
    decision      TEXT NOT NULL CHECK (decision IN ('Pending', 'Approved', 'Denied')),
    notes         TEXT,
    from_address  TEXT,
    decided_at    TEXT,
    UNIQUE (session_id, approver_id)
);

-- The session log: append-only, numbered per session.
CREATE TABLE session_log (
    session_id   TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    line_number  INTEGER NOT NULL,
    at           TEXT NOT NULL,
    level        INTEGER NOT NULL CHECK (level BETWEEN 0 AND 3),
    actor        TEXT,
    message      TEXT NOT NULL,
    PRIMARY KEY (session_id, line_number)
);
CREATE INDEX session_log_by_time ON session_log (session_id, at);
