-- The outbox: every action a transition causes is a row here, written in the transition's
-- own transaction. A worker claims a row under a lease (owner + expiry) and heartbeats; a row
-- whose lease ran out is claimed again by anyone. `run_id` is the idempotency key the action
-- gets, the same for every attempt of the row.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    run_id           TEXT    NOT NULL UNIQUE,
    session_id       TEXT    NOT NULL REFERENCES sessions (id),
    kind             TEXT    NOT NULL,
    action_index     INTEGER NOT NULL,
    -- What the run needs beyond its kind and index (a notification's event).
    payload          TEXT,
    -- pending, done, failed (gave up), dropped (no longer wanted)
    state            TEXT    NOT NULL DEFAULT 'pending',
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    next_attempt_at  INTEGER NOT NULL,
    lease_owner      TEXT,
    lease_until      INTEGER,
    created_at       INTEGER NOT NULL,
    finished_at      INTEGER
);
CREATE INDEX outbox_pending_due ON outbox (next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX outbox_pending_session ON outbox (session_id, id) WHERE state = 'pending';

-- What is wrong with a session right now (a failing end action), shown as statusMessage.
ALTER TABLE sessions ADD COLUMN status_message TEXT;

-- The running brokers: a broker that starts on a host where a registered broker's process is
-- gone takes that broker's leases back at once instead of waiting for them to expire.
CREATE TABLE broker_instances (
    id          TEXT    PRIMARY KEY,
    host        TEXT    NOT NULL,
    pid         INTEGER NOT NULL,
    started_at  INTEGER NOT NULL
);

-- Unfinished sessions per requester, for the per-user caps.
CREATE INDEX sessions_open_by_requester ON sessions (created_by, state)
    WHERE state NOT IN ('Complete', 'Failed', 'Cancelled', 'Denied', 'ApprovalFailed');
