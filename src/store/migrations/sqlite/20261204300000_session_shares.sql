-- `pamctl session share`: the users a session's requester (or an admin) let read it, its
-- details, log and activity log. One row per (session, user); sharing again changes nothing.
CREATE TABLE session_shares (
    session_id TEXT    NOT NULL,
    account_id TEXT    NOT NULL,
    shared_by  TEXT    NOT NULL,
    shared_at  INTEGER NOT NULL,
    PRIMARY KEY (session_id, account_id)
) WITHOUT ROWID;
