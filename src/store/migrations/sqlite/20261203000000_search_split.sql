-- Search splits its free text by where the words live, so that no request scans sessions.
--
-- Names (users, resources, activities) and status words are matched in their own small tables
-- and become id lists on indexed columns; only a session's own words, its note and ticket,
-- need a text index. The old index copied every name into every session's row, so a common
-- name (the activity most sessions have) matched most of the index.

DROP TRIGGER sessions_fts_insert;
DROP TRIGGER sessions_fts_update;
DROP TRIGGER sessions_fts_delete;
DROP TRIGGER accounts_fts_rename;
DROP TRIGGER resources_fts_rename;
DROP TRIGGER activities_fts_rename;
DROP TABLE sessions_fts;

-- The note and ticket, case-folded by the broker (Unicode, not SQLite's ASCII-only lower()),
-- joined by U+001F. NULL for rows written before this migration until the store fills it
-- in at start (SqliteStore::fold_search_text).
ALTER TABLE sessions ADD COLUMN search_text TEXT;

CREATE VIRTUAL TABLE session_text USING fts5 (
    search_text, content = 'sessions', content_rowid = 'seq', tokenize = 'trigram'
);
CREATE TRIGGER session_text_insert AFTER INSERT ON sessions WHEN NEW.search_text IS NOT NULL BEGIN
    INSERT INTO session_text (rowid, search_text) VALUES (NEW.seq, NEW.search_text);
END;
CREATE TRIGGER session_text_update AFTER UPDATE OF search_text ON sessions
WHEN OLD.search_text IS NOT NEW.search_text BEGIN
    INSERT INTO session_text (session_text, rowid, search_text)
    SELECT 'delete', OLD.seq, OLD.search_text WHERE OLD.search_text IS NOT NULL;
    INSERT INTO session_text (rowid, search_text)
    SELECT NEW.seq, NEW.search_text WHERE NEW.search_text IS NOT NULL;
END;
CREATE TRIGGER session_text_delete AFTER DELETE ON sessions WHEN OLD.search_text IS NOT NULL BEGIN
    INSERT INTO session_text (session_text, rowid, search_text)
    VALUES ('delete', OLD.seq, OLD.search_text);
END;

-- How many sessions each (requester, resource, activity, state, lock) has: totals and counts
-- of lists, Search and Count without a period are sums over this small table instead of
-- counts over the sessions. Kept by triggers, so every writer keeps it right.
CREATE TABLE session_tally (
    created_by   TEXT    NOT NULL,
    resource_id  TEXT    NOT NULL,
    activity_id  TEXT    NOT NULL,
    state        TEXT    NOT NULL,
    locked       INTEGER NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (created_by, resource_id, activity_id, state, locked)
) WITHOUT ROWID;
INSERT INTO session_tally (created_by, resource_id, activity_id, state, locked, n)
SELECT created_by, resource_id, activity_id, state, locked, COUNT(*)
FROM sessions GROUP BY created_by, resource_id, activity_id, state, locked;

CREATE TRIGGER session_tally_insert AFTER INSERT ON sessions BEGIN
    INSERT INTO session_tally (created_by, resource_id, activity_id, state, locked, n)
    VALUES (NEW.created_by, NEW.resource_id, NEW.activity_id, NEW.state, NEW.locked, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER session_tally_update
AFTER UPDATE OF created_by, resource_id, activity_id, state, locked ON sessions
WHEN OLD.created_by IS NOT NEW.created_by OR OLD.resource_id IS NOT NEW.resource_id
  OR OLD.activity_id IS NOT NEW.activity_id OR OLD.state IS NOT NEW.state
  OR OLD.locked IS NOT NEW.locked BEGIN
    UPDATE session_tally SET n = n - 1
    WHERE created_by = OLD.created_by AND resource_id = OLD.resource_id
      AND activity_id = OLD.activity_id AND state = OLD.state AND locked = OLD.locked;
    INSERT INTO session_tally (created_by, resource_id, activity_id, state, locked, n)
    VALUES (NEW.created_by, NEW.resource_id, NEW.activity_id, NEW.state, NEW.locked, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER session_tally_delete AFTER DELETE ON sessions BEGIN
    UPDATE session_tally SET n = n - 1
    WHERE created_by = OLD.created_by AND resource_id = OLD.resource_id
      AND activity_id = OLD.activity_id AND state = OLD.state AND locked = OLD.locked;
END;

-- A resource's and an activity's sessions in created order, for pages of a name match.
DROP INDEX sessions_by_resource;
DROP INDEX sessions_by_activity;
CREATE INDEX sessions_by_resource ON sessions (resource_id, created_at, id);
CREATE INDEX sessions_by_activity ON sessions (activity_id, created_at, id);
