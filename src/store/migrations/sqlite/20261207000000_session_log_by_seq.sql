-- A session's log lines kept by the session's number (`sessions.seq`) instead of its id, in
-- one B-tree. Ids are random, so the lines of each new session went to a random page of the
-- table's primary key and another of its index by time: with the session's own id index,
-- three pages in random places per create, most of what a commit wrote. Numbers grow, so a
-- new session's lines are now appended, and a session's log is read by its number and line.
-- The index by time only repeated the key (lines are numbered in the order they are written).
CREATE TABLE session_log_by_seq (
    session_seq  INTEGER NOT NULL REFERENCES sessions (seq) ON DELETE CASCADE,
    line_number  INTEGER NOT NULL,
    at           INTEGER NOT NULL,
    level        INTEGER NOT NULL CHECK (level BETWEEN 0 AND 3),
    actor        TEXT,
    message      TEXT NOT NULL,
    PRIMARY KEY (session_seq, line_number)
) WITHOUT ROWID;
INSERT INTO session_log_by_seq (session_seq, line_number, at, level, actor, message)
SELECT s.seq, l.line_number, l.at, l.level, l.actor, l.message
FROM session_log l JOIN sessions s ON s.id = l.session_id;
DROP TABLE session_log;
ALTER TABLE session_log_by_seq RENAME TO session_log;
