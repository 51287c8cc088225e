-- Typed time: every instant becomes INTEGER milliseconds since the Unix epoch (UTC), so that
-- times sort and compare as numbers. Text times sorted as text: a start in year 10000
-- ('+10000-...') sorted before 2026, so the due-sessions query returned it first on every
-- pass and the scheduler spun.
--
-- SQLite cannot change a column's type, so each table is rebuilt (create, copy with
-- conversion, drop, rename, indexes). The store runs migrations on a connection with foreign
-- keys OFF (with them on, DROP TABLE would cascade-delete the children) and then checks
-- `PRAGMA foreign_key_check` before it opens the database for use.
--
-- Conversion: RFC 3339 text through julianday(), rounded to the millisecond. A value SQLite
-- cannot read (a year past 9999, or garbage) becomes 9999-12-31T23:59:59.999Z, the largest
-- instant the old text could sort as: for the scheduler such a time is never due.
--
-- Also: the full-text index of sessions (FTS5 trigram) for Search's filterText, kept in step
-- by triggers, and indexes for the session queries.

CREATE TABLE accounts_typed (
    id            TEXT PRIMARY KEY NOT NULL,
    name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('user', 'application')),
    role          TEXT NOT NULL CHECK (role IN ('Admin', 'Reviewer', 'User')),
    secret_hash   TEXT,
    totp_secret   TEXT,
    created_at    INTEGER NOT NULL,
    modified_at   INTEGER NOT NULL,
    retired_at    INTEGER
);
INSERT INTO accounts_typed (id, name, display_name, kind, role, secret_hash, totp_secret, created_at, modified_at, retired_at)
SELECT id,
       name,
       display_name,
       kind,
       role,
       secret_hash,
       totp_secret,
       COALESCE(CAST(ROUND((julianday(created_at) - 2440587.5) * 86400000.0) AS INTEGER), 253402300799999),
       COALESCE(CAST(ROUND((julianday(modified_at) - 2440587.5) * 86400000.0) AS INTEGER), 253402300799999),
       CASE WHEN retired_at IS NULL THEN NULL ELSE COALESCE(CAST(ROUND((julianday(retired_at) - 2440587.5) * 86400000.0) AS INTEGER), 253402300799999) END
FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_typed RENAME TO accounts;

CREATE TABLE tokens_typed (
    id            TEXT PRIMARY KEY NOT NULL,
    token_digest  TEXT NOT NULL UNIQUE,
    account_id    TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    stage         TEXT NOT NULL CHECK (stage IN ('pre_mfa', 'full')),
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    revoked_at    INTEGER,
    created_from  TEXT
);
INSERT INTO tokens_typed (id, token_digest, account_id, stage, created_from, created_at, expires_at, revoked_at)
SELECT id,
       token_digest,
       account_id,
       stage,
       created_from,
       COALESCE(CAST(ROUND((julianday(created_at) - 2440587.5) * 86400000.0) AS INTEGER), 253402300799999),
       COALESCE(CAST(ROUND((julianday(expires_at) - 2440587.5) * 86400000.0) AS INTEGER), 253402300799999),
       CASE WHEN revoked_at IS NULL THEN NULL ELSE COALESCE(CAST(ROUND((julianday(revoked_at) - 2440587.5) * 86400000.0) AS INTEGER), 253402300799999) END
FROM tokens;
DROP TABLE tokens;
ALTER TABLE tokens_typed RENAME TO tokens;
CREATE INDEX tokens_by_account ON tokens (account_id);
CREATE INDEX tokens_by_expiry ON tokens (expires_at);

CREATE TABLE activities_typed (
    id                         TEXT PRIMARY KEY NOT NULL,
    name                       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description                TEXT,
    platform                   TEXT NOT NULL,
    activity_type              INTEGER NOT NULL,
    login_account              INTEGER NOT NULL,
    login_account_name_format  TEXT,
    pre_session_actions        TEXT NOT NULL DEFAULT '[]',
    post_session_actions       TEXT NOT NULL DEFAULT '[]',
    lock_actions               TEXT NOT NULL DEFAULT '[]',
    unlock_actions             TEXT NOT NULL DEFAULT '[]',
    fingerprint                TEXT NOT NULL,
    created_at                 INTEGER NOT NULL,
    modified_at                INTEGER NOT NULL,
    retired_at                 INTEGER
);
INSERT INTO activities_typed (id, name, description, platform, activity_type, login_account, login_account_name_format, pre_session_actions, post_session_actions, lock_actions, unlock_actions, fingerprint, created_at, modified_at, retired_at)
SELECT id,
       name,
       description,
       platform,
       activity_type,
       login_account,
       login_account_name_format,
       pre_session_actions,
       post_session_actions,
       lock_actions,
       unlock_actions,
       fingerprint,
       COALESCE(CAST(ROUND((julianday(created_at) - 2440587.5) * 86400000.0) AS INTEGER), 253402300799999),
       COALESCE(CAST(ROUND((julianday(modified_at) - 2440587.5) * 86400000.0) AS INTEGER), 253402300799999),
       CASE WHEN retired_at IS NULL THEN NULL ELSE COALESCE(CAST(ROUND((julianday(retired_at) - 2440587.5) * 86400000.0) AS INTEGER), 253402300799999) END
FROM activities;
DROP TABLE activities;
ALTER TABLE activities_typed RENAME TO activities;

CREATE TABLE resources_typed (
    id             TEXT PRIMARY KEY NOT NULL,
    name           TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name   TEXT,
    platform       TEXT NOT NULL,
    resource_type  INTEGER NOT NULL,
    address        TEXT,
    port_ssh       INTEGER,
    port_rdp       INTEGER,
    fingerprint    TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    modified_at    INTEGER NOT NULL,
    retired_at     INTEGER
);
INSERT INTO resources_typed (id, name, display_name, platform, resource_type, address, port_ssh, port_rdp, fingerprint, created_at, modified_at, retired_at)
SELECT id,
       name,
       display_name,
       platform,
       resource_type,
       address,
       port_ssh,
       port_rdp,
       fingerprint,
       COALESCE(CAST(ROUND((julianday(created_at) - 2440587.5) * 86400000.0) AS INTEGER), 253402300799999),
       COALESCE(CAST(ROUND((julianday(modified_at) - 2440587.5) * 86400000.0) AS INTEGER), 253402300799999),
       CASE WHEN retired_at IS NULL THEN NULL ELSE COALESCE(CAST(ROUND((julianday(retired_at) - 2440587.5) * 86400000.0) AS INTEGER), 253402300799999) END
FROM resources;
DROP TABLE resources;
ALTER TABLE resources_typed RENAME TO resources;

CREATE TABLE policies_typed (
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
    created_at              INTEGER NOT NULL,
    modified_at             INTEGER NOT NULL,
    retired_at              INTEGER
);
INSERT INTO policies_typed (id, name, description, position, max_duration_secs, extension_max_count, extension_max_secs, approval_timeout_secs, admins_may_approve, ticket_required, fingerprint, created_at, modified_at, retired_at)
SELECT id,
       name,
       description,
       position,
       max_duration_secs,
       extension_max_count,
       extension_max_secs,
       approval_timeout_secs,
       admins_may_approve,
       ticket_required,
       fingerprint,
       COALESCE(CAST(ROUND((julianday(created_at) - 2440587.5) * 86400000.0) AS INTEGER), 253402300799999),
       COALESCE(CAST(ROUND((julianday(modified_at) - 2440587.5) * 86400000.0) AS INTEGER), 253402300799999),
       CASE WHEN retired_at IS NULL THEN NULL ELSE COALESCE(CAST(ROUND((julianday(retired_at) - 2440587.5) * 86400000.0) AS INTEGER), 253402300799999) END
FROM policies;
DROP TABLE policies;
ALTER TABLE policies_typed RENAME TO policies;

CREATE TABLE session_groups_typed (
    id          TEXT PRIMARY KEY NOT NULL,
    created_by  TEXT NOT NULL REFERENCES accounts (id),
    created_at  INTEGER NOT NULL
);
INSERT INTO session_groups_typed (id, created_by, created_at)
SELECT id,
       created_by,
       COALESCE(CAST(ROUND((julianday(created_at) - 2440587.5) * 86400000.0) AS INTEGER), 253402300799999)
FROM session_groups;
DROP TABLE session_groups;
ALTER TABLE session_groups_typed RENAME TO session_groups;

CREATE TABLE sessions_typed (
    -- An explicit rowid, so that the full-text index can point at sessions by a number that
    -- VACUUM never renumbers.
    seq                      INTEGER PRIMARY KEY,
    id                       TEXT NOT NULL UNIQUE,
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
    scheduled_start_at       INTEGER NOT NULL,
    actual_start_at          INTEGER,
    scheduled_end_at         INTEGER NOT NULL,
    actual_end_at            INTEGER,
    login_at                 INTEGER,
    cancelled_by             TEXT REFERENCES accounts (id),
    note                     TEXT,
    ticket                   TEXT,
    custom_fields            TEXT,
    extension_count          INTEGER NOT NULL DEFAULT 0,
    extension_minutes        INTEGER NOT NULL DEFAULT 0,
    approval_deadline_at     INTEGER,
    pre_actions_done         INTEGER NOT NULL DEFAULT 0,
    post_actions_done        INTEGER NOT NULL DEFAULT 0,
    failure_reason           TEXT,
    cancel_requested         INTEGER NOT NULL DEFAULT 0,
    due_at                   INTEGER,
    lease_owner              TEXT,
    lease_until              INTEGER,
    version                  INTEGER NOT NULL DEFAULT 0,
    created_at               INTEGER NOT NULL,
    modified_at              INTEGER NOT NULL
);
INSERT INTO sessions_typed (id, group_id, created_by, created_from, activity_id, resource_id, policy_id, login_account_name, state, locked, lock_title, lock_message, cancelled_by, note, ticket, custom_fields, extension_count, extension_minutes, pre_actions_done, post_actions_done, failure_reason, cancel_requested, lease_owner, version, scheduled_start_at, scheduled_end_at, created_at, modified_at, actual_start_at, actual_end_at, login_at, approval_deadline_at, due_at, lease_until)
SELECT id,
       group_id,
       created_by,
       created_from,
       activity_id,
       resource_id,
       policy_id,
       login_account_name,
       state,
       locked,
       lock_title,
       lock_message,
       cancelled_by,
       note,
       ticket,
       custom_fields,
       extension_count,
       extension_minutes,
       pre_actions_done,
       post_actions_done,
       failure_reason,
       cancel_requested,
       lease_owner,
       version,
       COALESCE(CAST(ROUND((julianday(scheduled_start_at) - 2440587.5) * 86400000.0) AS INTEGER), 253402300799999),
       COALESCE(CAST(ROUND((julianday(scheduled_end_at) - 2440587.5) * 86400000.0) AS INTEGER), 253402300799999),
       COALESCE(CAST(ROUND((julianday(created_at) - 2440587.5) * 86400000.0) AS INTEGER), 253402300799999),
       COALESCE(CAST(ROUND((julianday(modified_at) - 2440587.5) * 86400000.0) AS INTEGER), 253402300799999),
       CASE WHEN actual_start_at IS NULL THEN NULL ELSE COALESCE(CAST(ROUND((julianday(actual_start_at) - 2440587.5) * 86400000.0) AS INTEGER), 253402300799999) END,
       CASE WHEN actual_end_at IS NULL THEN NULL ELSE COALESCE(CAST(ROUND((julianday(actual_end_at) - 2440587.5) * 86400000.0) AS INTEGER), 253402300799999) END,
       CASE WHEN login_at IS NULL THEN NULL ELSE COALESCE(CAST(ROUND((julianday(login_at) - 2440587.5) * 86400000.0) AS INTEGER), 253402300799999) END,
       CASE WHEN approval_deadline_at IS NULL THEN NULL ELSE COALESCE(CAST(ROUND((julianday(approval_deadline_at) - 2440587.5) * 86400000.0) AS INTEGER), 253402300799999) END,
       CASE WHEN due_at IS NULL THEN NULL ELSE COALESCE(CAST(ROUND((julianday(due_at) - 2440587.5) * 86400000.0) AS INTEGER), 253402300799999) END,
       CASE WHEN lease_until IS NULL THEN NULL ELSE COALESCE(CAST(ROUND((julianday(lease_until) - 2440587.5) * 86400000.0) AS INTEGER), 253402300799999) END
FROM sessions ORDER BY created_at, id;
DROP TABLE sessions;
ALTER TABLE sessions_typed RENAME TO sessions;
CREATE INDEX sessions_due ON sessions (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX sessions_by_creator ON sessions (created_by, created_at, id);
CREATE INDEX sessions_by_created ON sessions (created_at, id);
CREATE INDEX sessions_by_state ON sessions (state, locked);
CREATE INDEX sessions_by_resource ON sessions (resource_id);
CREATE INDEX sessions_by_activity ON sessions (activity_id);
CREATE INDEX sessions_by_group ON sessions (group_id);

CREATE TABLE approvals_typed (
    id            TEXT PRIMARY KEY NOT NULL,
    session_id    TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    tier          INTEGER NOT NULL,
    approver_id   TEXT NOT NULL REFERENCES accounts (id),
    decision      TEXT NOT NULL CHECK (decision IN ('Pending', 'Approved', 'Denied')),
    notes         TEXT,
    from_address  TEXT,
    decided_at    INTEGER,
    UNIQUE (session_id, approver_id)
);
INSERT INTO approvals_typed (id, session_id, tier, approver_id, decision, notes, from_address, decided_at)
SELECT id,
       session_id,
       tier,
       approver_id,
       decision,
       notes,
       from_address,
       CASE WHEN decided_at IS NULL THEN NULL ELSE COALESCE(CAST(ROUND((julianday(decided_at) - 2440587.5) * 86400000.0) AS INTEGER), 253402300799999) END
FROM approvals;
DROP TABLE approvals;
ALTER TABLE approvals_typed RENAME TO approvals;

CREATE TABLE session_log_typed (
    session_id   TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    line_number  INTEGER NOT NULL,
    at           INTEGER NOT NULL,
    level        INTEGER NOT NULL CHECK (level BETWEEN 0 AND 3),
    actor        TEXT,
    message      TEXT NOT NULL,
    PRIMARY KEY (session_id, line_number)
);
INSERT INTO session_log_typed (session_id, line_number, level, actor, message, at)
SELECT session_id,
       line_number,
       level,
       actor,
       message,
       COALESCE(CAST(ROUND((julianday(at) - 2440587.5) * 86400000.0) AS INTEGER), 253402300799999)
FROM session_log;
DROP TABLE session_log;
ALTER TABLE session_log_typed RENAME TO session_log;
CREATE INDEX session_log_by_time ON session_log (session_id, at);

-- Search's free text over user, resource, activity, note and ticket: one denormalised text per
-- session (fields joined by the unit separator, which nobody types), indexed by trigrams so a
-- substring of three or more characters is found from the index. `rowid` is `sessions.seq`.
CREATE VIRTUAL TABLE sessions_fts USING fts5 (body, tokenize = 'trigram');
INSERT INTO sessions_fts (rowid, body)
SELECT s.seq, c.name || char(31) || c.display_name || char(31) || r.name || char(31)
        || COALESCE(r.display_name, '') || char(31) || a.name || char(31)
        || COALESCE(s.note, '') || char(31) || COALESCE(s.ticket, '')
FROM sessions s JOIN accounts c ON c.id = s.created_by JOIN resources r ON r.id = s.resource_id
JOIN activities a ON a.id = s.activity_id;

CREATE TRIGGER sessions_fts_insert AFTER INSERT ON sessions BEGIN
    INSERT INTO sessions_fts (rowid, body)
    SELECT NEW.seq, c.name || char(31) || c.display_name || char(31) || r.name || char(31)
        || COALESCE(r.display_name, '') || char(31) || a.name || char(31)
        || COALESCE(NEW.note, '') || char(31) || COALESCE(NEW.ticket, '')
    FROM accounts c, resources r, activities a
    WHERE c.id = NEW.created_by AND r.id = NEW.resource_id AND a.id = NEW.activity_id;
END;
CREATE TRIGGER sessions_fts_update AFTER UPDATE OF note, ticket ON sessions
WHEN OLD.note IS NOT NEW.note OR OLD.ticket IS NOT NEW.ticket BEGIN
    DELETE FROM sessions_fts WHERE rowid = NEW.seq;
    INSERT INTO sessions_fts (rowid, body)
    SELECT NEW.seq, c.name || char(31) || c.display_name || char(31) || r.name || char(31)
        || COALESCE(r.display_name, '') || char(31) || a.name || char(31)
        || COALESCE(NEW.note, '') || char(31) || COALESCE(NEW.ticket, '')
    FROM accounts c, resources r, activities a
    WHERE c.id = NEW.created_by AND r.id = NEW.resource_id AND a.id = NEW.activity_id;
END;
CREATE TRIGGER sessions_fts_delete AFTER DELETE ON sessions BEGIN
    DELETE FROM sessions_fts WHERE rowid = OLD.seq;
END;

-- A renamed account (a configuration change) re-indexes its sessions.
CREATE TRIGGER accounts_fts_rename AFTER UPDATE OF name, display_name ON accounts
WHEN OLD.name IS NOT NEW.name OR OLD.display_name IS NOT NEW.display_name BEGIN
    DELETE FROM sessions_fts WHERE rowid IN (SELECT seq FROM sessions WHERE created_by = NEW.id);
    INSERT INTO sessions_fts (rowid, body)
    SELECT s.seq, c.name || char(31) || c.display_name || char(31) || r.name || char(31)
        || COALESCE(r.display_name, '') || char(31) || a.name || char(31)
        || COALESCE(s.note, '') || char(31) || COALESCE(s.ticket, '')
    FROM sessions s JOIN accounts c ON c.id = s.created_by JOIN resources r ON r.id = s.resource_id
    JOIN activities a ON a.id = s.activity_id
    WHERE s.created_by = NEW.id;
END;

-- A renamed resource (a configuration change) re-indexes its sessions.
CREATE TRIGGER resources_fts_rename AFTER UPDATE OF name, display_name ON resources
WHEN OLD.name IS NOT NEW.name OR OLD.display_name IS NOT NEW.display_name BEGIN
    DELETE FROM sessions_fts WHERE rowid IN (SELECT seq FROM sessions WHERE resource_id = NEW.id);
    INSERT INTO sessions_fts (rowid, body)
    SELECT s.seq, c.name || char(31) || c.display_name || char(31) || r.name || char(31)
        || COALESCE(r.display_name, '') || char(31) || a.name || char(31)
        || COALESCE(s.note, '') || char(31) || COALESCE(s.ticket, '')
    FROM sessions s JOIN accounts c ON c.id = s.created_by JOIN resources r ON r.id = s.resource_id
    JOIN activities a ON a.id = s.activity_id
    WHERE s.resource_id = NEW.id;
END;

-- A renamed activity (a configuration change) re-indexes its sessions.
CREATE TRIGGER activities_fts_rename AFTER UPDATE OF name ON activities
WHEN OLD.name IS NOT NEW.name BEGIN
    DELETE FROM sessions_fts WHERE rowid IN (SELECT seq FROM sessions WHERE activity_id = NEW.id);
    INSERT INTO sessions_fts (rowid, body)
    SELECT s.seq, c.name || char(31) || c.display_name || char(31) || r.name || char(31)
        || COALESCE(r.display_name, '') || char(31) || a.name || char(31)
        || COALESCE(s.note, '') || char(31) || COALESCE(s.ticket, '')
    FROM sessions s JOIN accounts c ON c.id = s.created_by JOIN resources r ON r.id = s.resource_id
    JOIN activities a ON a.id = s.activity_id
    WHERE s.activity_id = NEW.id;
END;
