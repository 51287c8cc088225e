-- Failed sign-ins, counted in the database so that a restart does not forgive them and
-- replicas share them. One row per normalized login ("account:NAME") and per login and
-- address ("pair:NAME|ADDRESS"); rows whose last failure is old are purged.
CREATE TABLE sign_in_failures (
    key              TEXT PRIMARY KEY NOT NULL,
    failures         INTEGER NOT NULL,
    last_failure_at  INTEGER NOT NULL,
    blocked_until    INTEGER
);
CREATE INDEX sign_in_failures_by_age ON sign_in_failures (last_failure_at);

-- Token families: a sign-in starts one, a refresh continues it, and the family ends (all its
-- tokens revoked) at logout; no token of a family outlives family_expires_at. Older tokens
-- each become a family of their own.
ALTER TABLE tokens ADD COLUMN family_id TEXT;
ALTER TABLE tokens ADD COLUMN family_expires_at INTEGER;
UPDATE tokens SET family_id = id, family_expires_at = expires_at;
CREATE INDEX tokens_by_family ON tokens (family_id);
