-- Failed sign-ins, counted in the database so that a restart does not forgive them and
-- replicas share them. One row per normalized login ("account:NAME") and per login and
-- address ("pair:NAME|ADDRESS"); rows whose last failure is old are purged.
CREATE TABLE sign_in_failures (
    key              TEXT PRIMARY KEY NOT NULL,
    failures         BIGINT NOT NULL,
    last_failure_at  BIGINT NOT NULL,
    blocked_until    BIGINT
);
CREATE INDEX sign_in_failures_by_age ON sign_in_failures (last_failure_at);

-- Token families: a sign-in starts one, a refresh continues it, and the family ends (all its
-- tokens revoked) at logout; no token of a family outlives family_expires_at. Older tokens
-- each become a family of their own.
ALTER TABLE tokens ADD COLUMN family_id UUID;
ALTER TABLE tokens ADD COLUMN family_expires_at BIGINT;
UPDATE tokens SET family_id = id, family_expires_at = expires_at;
ALTER TABLE tokens ALTER COLUMN family_id SET NOT NULL;
ALTER TABLE tokens ALTER COLUMN family_expires_at SET NOT NULL;
CREATE INDEX tokens_by_family ON tokens (family_id);
