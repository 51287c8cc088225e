-- How many sessions each (requester, resource, activity, state, lock) group has, and the sums
-- and extremes of their durations, so that Search's total, Count and `summary` without a
-- period are read from a small table instead of every matching session. The same meaning as
-- SQLite's tally (its migrations 20261203000000 and 20261205000000):
-- * n: the group's sessions;
-- * fixed: sessions whose duration no longer moves (ended, finished, or not started yet):
--   count, sum, minimum and maximum of their durations in whole seconds;
-- * running: started and not ended, whose duration is now's second minus the start's second
--   (Session::duration_seconds): count, sum, minimum and maximum of their start seconds;
-- * stale: a session that left the group may have taken its minimum or maximum with it, so a
--   reader takes that group's extremes from its sessions. An emptied group starts afresh.
-- Whole seconds round down, as store/common.rs `whole_second` writes them.
--
-- Unlike SQLite (one writer), PostgreSQL has replicas writing at once, often sessions of one
-- group (one requester's many sessions on one resource): a tally row updated by every
-- writer's transaction would make them queue behind each other's row lock. So writers only
-- append what each session brings to or takes from its group to `session_tally_change`
-- (inserts never wait for each other), and one replica at a time folds those changes into
-- `session_tally` (PostgresStore::fold_session_tally). Readers read both, in one statement,
-- through the view `session_tally_now`.

CREATE TABLE session_tally (
    created_by   UUID    NOT NULL,
    resource_id  UUID    NOT NULL,
    activity_id  UUID    NOT NULL,
    state        TEXT    NOT NULL,
    locked       BOOLEAN NOT NULL,
    n            BIGINT  NOT NULL,
    fixed_n      BIGINT  NOT NULL DEFAULT 0,
    fixed_sum    BIGINT  NOT NULL DEFAULT 0,
    fixed_min    BIGINT,
    fixed_max    BIGINT,
    run_n        BIGINT  NOT NULL DEFAULT 0,
    run_sum      BIGINT  NOT NULL DEFAULT 0,
    run_min      BIGINT,
    run_max      BIGINT,
    stale        BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (created_by, resource_id, activity_id, state, locked)
);

-- One session entering (dn = 1) or leaving (dn = -1) its group, not folded yet: whether it
-- runs, and its fixed duration (seconds) or its start second, so that a fold or a reader can
-- add the sums and combine the extremes. Ids are not in commit order: a fold deletes exactly
-- the rows it read, and one committed later is folded the next time.
CREATE TABLE session_tally_change (
    id           BIGSERIAL PRIMARY KEY,
    created_by   UUID     NOT NULL,
    resource_id  UUID     NOT NULL,
    activity_id  UUID     NOT NULL,
    state        TEXT     NOT NULL,
    locked       BOOLEAN  NOT NULL,
    dn           SMALLINT NOT NULL CHECK (dn IN (-1, 1)),
    running      BOOLEAN  NOT NULL,
    fixed        BIGINT,
    start_second BIGINT
);

-- What one session adds to its group: whether it runs, its fixed duration (seconds) and its
-- start second.
CREATE FUNCTION session_tally_part(
    actual_start_at BIGINT, actual_end_at BIGINT, scheduled_start_at BIGINT,
    scheduled_end_at BIGINT, state TEXT,
    OUT running BOOLEAN, OUT fixed BIGINT, OUT start_second BIGINT
) LANGUAGE sql IMMUTABLE AS $$
    SELECT actual_start_at IS NOT NULL AND actual_end_at IS NULL,
        CASE WHEN actual_start_at IS NOT NULL THEN GREATEST(0,
                ((actual_end_at - ((actual_end_at % 1000) + 1000) % 1000) / 1000)
                - ((actual_start_at - ((actual_start_at % 1000) + 1000) % 1000) / 1000))
            WHEN state IN ('Complete', 'Failed', 'Cancelled', 'Denied', 'ApprovalFailed') THEN 0
            ELSE GREATEST(0,
                ((scheduled_end_at - ((scheduled_end_at % 1000) + 1000) % 1000) / 1000)
                - ((scheduled_start_at - ((scheduled_start_at % 1000) + 1000) % 1000) / 1000))
        END,
        ((actual_start_at - ((actual_start_at % 1000) + 1000) % 1000) / 1000)
$$;

INSERT INTO session_tally (created_by, resource_id, activity_id, state, locked, n,
    fixed_n, fixed_sum, fixed_min, fixed_max, run_n, run_sum, run_min, run_max)
SELECT s.created_by, s.resource_id, s.activity_id, s.state, s.locked, COUNT(*),
    COUNT(*) FILTER (WHERE NOT p.running), COALESCE(SUM(p.fixed) FILTER (WHERE NOT p.running), 0),
    MIN(p.fixed) FILTER (WHERE NOT p.running), MAX(p.fixed) FILTER (WHERE NOT p.running),
    COUNT(*) FILTER (WHERE p.running), COALESCE(SUM(p.start_second) FILTER (WHERE p.running), 0),
    MIN(p.start_second) FILTER (WHERE p.running), MAX(p.start_second) FILTER (WHERE p.running)
FROM sessions s, session_tally_part(s.actual_start_at, s.actual_end_at, s.scheduled_start_at,
    s.scheduled_end_at, s.state) p
GROUP BY s.created_by, s.resource_id, s.activity_id, s.state, s.locked;

-- Appends the session's leaving its old group and entering its new one: one INSERT, no row
-- of anyone else's touched.
CREATE FUNCTION session_tally_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO session_tally_change (created_by, resource_id, activity_id, state, locked,
            dn, running, fixed, start_second)
        SELECT OLD.created_by, OLD.resource_id, OLD.activity_id, OLD.state, OLD.locked, -1,
            p.running, CASE WHEN p.running THEN NULL ELSE p.fixed END,
            CASE WHEN p.running THEN p.start_second END
        FROM session_tally_part(OLD.actual_start_at, OLD.actual_end_at,
            OLD.scheduled_start_at, OLD.scheduled_end_at, OLD.state) p;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO session_tally_change (created_by, resource_id, activity_id, state, locked,
            dn, running, fixed, start_second)
        SELECT NEW.created_by, NEW.resource_id, NEW.activity_id, NEW.state, NEW.locked, 1,
            p.running, CASE WHEN p.running THEN NULL ELSE p.fixed END,
            CASE WHEN p.running THEN p.start_second END
        FROM session_tally_part(NEW.actual_start_at, NEW.actual_end_at,
            NEW.scheduled_start_at, NEW.scheduled_end_at, NEW.state) p;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER session_tally_insert AFTER INSERT ON sessions
    FOR EACH ROW EXECUTE FUNCTION session_tally_keep();
CREATE TRIGGER session_tally_update
    AFTER UPDATE OF created_by, resource_id, activity_id, state, locked, actual_start_at,
        actual_end_at, scheduled_start_at, scheduled_end_at ON sessions
    FOR EACH ROW WHEN (OLD.created_by IS DISTINCT FROM NEW.created_by
        OR OLD.resource_id IS DISTINCT FROM NEW.resource_id
        OR OLD.activity_id IS DISTINCT FROM NEW.activity_id
        OR OLD.state IS DISTINCT FROM NEW.state OR OLD.locked IS DISTINCT FROM NEW.locked
        OR OLD.actual_start_at IS DISTINCT FROM NEW.actual_start_at
        OR OLD.actual_end_at IS DISTINCT FROM NEW.actual_end_at
        OR OLD.scheduled_start_at IS DISTINCT FROM NEW.scheduled_start_at
        OR OLD.scheduled_end_at IS DISTINCT FROM NEW.scheduled_end_at)
    EXECUTE FUNCTION session_tally_keep();
CREATE TRIGGER session_tally_delete AFTER DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION session_tally_keep();

-- Each group as of now: its folded tally plus its changes not folded yet, and the groups
-- that only have changes so far. A group with an unfolded leaver counts as stale (it may
-- have taken an extreme). Read in one statement, the two tables are of one snapshot: a fold
-- committing meanwhile moves changes from one to the other unseen, so that none is counted
-- twice or missed. The tally's rows are joined, not grouped again, so that a read costs
-- little more than the tally's when there are few changes.
CREATE VIEW session_tally_now AS
SELECT t.created_by, t.resource_id, t.activity_id, t.state, t.locked,
    t.n + COALESCE(c.n, 0) AS n,
    t.fixed_n + COALESCE(c.fixed_n, 0) AS fixed_n,
    t.fixed_sum + COALESCE(c.fixed_sum, 0) AS fixed_sum,
    LEAST(t.fixed_min, c.fixed_min) AS fixed_min,
    GREATEST(t.fixed_max, c.fixed_max) AS fixed_max,
    t.run_n + COALESCE(c.run_n, 0) AS run_n,
    t.run_sum + COALESCE(c.run_sum, 0) AS run_sum,
    LEAST(t.run_min, c.run_min) AS run_min,
    GREATEST(t.run_max, c.run_max) AS run_max,
    t.stale OR COALESCE(c.removed, FALSE) AS stale
FROM session_tally t
LEFT JOIN (
    SELECT created_by, resource_id, activity_id, state, locked, SUM(dn)::BIGINT AS n,
        COALESCE(SUM(dn) FILTER (WHERE NOT running), 0)::BIGINT AS fixed_n,
        COALESCE(SUM(dn * fixed) FILTER (WHERE NOT running), 0)::BIGINT AS fixed_sum,
        MIN(fixed) FILTER (WHERE dn > 0) AS fixed_min,
        MAX(fixed) FILTER (WHERE dn > 0) AS fixed_max,
        COALESCE(SUM(dn) FILTER (WHERE running), 0)::BIGINT AS run_n,
        COALESCE(SUM(dn * start_second) FILTER (WHERE running), 0)::BIGINT AS run_sum,
        MIN(start_second) FILTER (WHERE dn > 0) AS run_min,
        MAX(start_second) FILTER (WHERE dn > 0) AS run_max,
        BOOL_OR(dn < 0) AS removed
    FROM session_tally_change
    GROUP BY created_by, resource_id, activity_id, state, locked
) c ON c.created_by = t.created_by AND c.resource_id = t.resource_id
    AND c.activity_id = t.activity_id AND c.state = t.state AND c.locked = t.locked
WHERE t.n + COALESCE(c.n, 0) > 0
UNION ALL
SELECT c.created_by, c.resource_id, c.activity_id, c.state, c.locked, SUM(c.dn)::BIGINT,
    COALESCE(SUM(c.dn) FILTER (WHERE NOT c.running), 0)::BIGINT,
    COALESCE(SUM(c.dn * c.fixed) FILTER (WHERE NOT c.running), 0)::BIGINT,
    MIN(c.fixed) FILTER (WHERE c.dn > 0), MAX(c.fixed) FILTER (WHERE c.dn > 0),
    COALESCE(SUM(c.dn) FILTER (WHERE c.running), 0)::BIGINT,
    COALESCE(SUM(c.dn * c.start_second) FILTER (WHERE c.running), 0)::BIGINT,
    MIN(c.start_second) FILTER (WHERE c.dn > 0), MAX(c.start_second) FILTER (WHERE c.dn > 0),
    BOOL_OR(c.dn < 0)
FROM session_tally_change c
WHERE NOT EXISTS (SELECT 1 FROM session_tally t WHERE t.created_by = c.created_by
    AND t.resource_id = c.resource_id AND t.activity_id = c.activity_id
    AND t.state = c.state AND t.locked = c.locked)
GROUP BY c.created_by, c.resource_id, c.activity_id, c.state, c.locked
HAVING SUM(c.dn) > 0;

-- A resource's and an activity's sessions in created order, for pages of a name match.
DROP INDEX sessions_by_resource;
DROP INDEX sessions_by_activity;
CREATE INDEX sessions_by_resource ON sessions (resource_id, created_at, id);
CREATE INDEX sessions_by_activity ON sessions (activity_id, created_at, id);
