-- The tamper-evident audit trail: sign-ins, privileged actions and refusals, each row chained
-- to the one before by a hash (see src/core/audit.rs). Sequence numbers are given by the
-- writer, consecutive from 1, so that a deleted row leaves a gap verify can name. Rows are
-- only ever inserted. actor_id is not a foreign key: the record outlives the account.
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    actor_id    TEXT,
    actor_name  TEXT,
    source      TEXT,
    action      TEXT NOT NULL,
    target      TEXT,
    outcome     TEXT NOT NULL,
    detail      TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_by_time ON audit_log (at);
CREATE INDEX audit_log_by_target ON audit_log (target);
