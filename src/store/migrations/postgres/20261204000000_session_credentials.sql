-- The credential a target handed out for a session (a database role's password), sealed
-- with the broker's credential key. Kept apart from the sessions table so that no session
-- query ever reads it, and deleted when the access is revoked.
CREATE TABLE session_credentials (
    session_id UUID PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    sealed     BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);
