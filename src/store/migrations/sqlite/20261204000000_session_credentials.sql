-- The credential a target handed out for a session (a database role's password), sealed
-- with the broker's credential key. Kept apart from the sessions table so that no session
-- query ever reads it, and deleted when the access is revoked.
CREATE TABLE session_credentials (
    session_id TEXT PRIMARY KEY NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    sealed     BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
