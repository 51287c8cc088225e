-- Writers queue their audit events here, in their own transaction, and never wait on one
-- another; one replica at a time moves them onto the hash chain (audit_log), in id order,
-- under an advisory lock (see chain_audit in src/store/postgres.rs). Chaining inside each
-- writer's transaction held the chain's lock until the commit, so every write committed
-- one after another, across replicas: two replicas created sessions slower than one.
CREATE TABLE audit_queue (
    id          BIGSERIAL PRIMARY KEY,
    at          BIGINT NOT NULL,
    actor_id    TEXT,
    actor_name  TEXT,
    source      TEXT,
    action      TEXT NOT NULL,
    target      TEXT,
    outcome     TEXT NOT NULL,
    detail      TEXT
);
