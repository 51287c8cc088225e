-- The activity log of statements run in sessions through the broker (`session exec`): who
-- asked, the SQL, its review, and what it gave (the first rows, as JSON). An approved
-- statement runs through the outbox (run_id is its run's idempotency key).
CREATE TABLE session_statements (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id        UUID   NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    requested_by      UUID   NOT NULL,
    requested_by_name TEXT   NOT NULL,
    requested_at      BIGINT NOT NULL,
    sql_text          TEXT   NOT NULL,
    -- pending review, approved, running, succeeded, failed, denied, interrupted
    status            TEXT   NOT NULL,
    rerun_of          BIGINT REFERENCES session_statements (id),
    started_at        BIGINT,
    duration_ms       BIGINT,
    rows_affected     BIGINT,
    result            TEXT,
    error             TEXT,
    reviewed_by       UUID,
    reviewed_by_name  TEXT,
    reviewed_at       BIGINT,
    review_reason     TEXT,
    run_id            UUID
);
CREATE INDEX session_statements_session ON session_statements (session_id, id);
CREATE INDEX session_statements_pending ON session_statements (id) WHERE status = 'pending review';
