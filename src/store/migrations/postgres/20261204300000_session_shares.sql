-- `pamctl session share`: the users a session's requester (or an admin) let read it, its
-- details, log and activity log. One row per (session, user); sharing again changes nothing.
CREATE TABLE session_shares (
    session_id UUID   NOT NULL,
    account_id UUID   NOT NULL,
    shared_by  UUID   NOT NULL,
    shared_at  BIGINT NOT NULL,
    PRIMARY KEY (session_id, account_id)
);
