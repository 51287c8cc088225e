-- Search's `summary` (count, sum, minimum and maximum of the matches' durations) from the
-- tally instead of every matching session. Each (requester, resource, activity, state, lock)
-- group keeps two parts:
-- * fixed: sessions whose duration no longer moves (ended, finished, or not started yet):
--   count, sum, minimum and maximum of their durations in seconds;
-- * running: started and not ended, whose duration is now's second minus the start's second
--   (Session::duration_seconds counts whole seconds for this): count, sum, minimum and
--   maximum of their start seconds.
-- A session leaving a group may take its minimum or maximum with it: the group is then
-- marked stale, and a reader takes that group's extremes from its sessions (stale groups are
-- few and small: open sessions per requester are capped). An emptied group starts afresh.
-- Whole seconds round down (SQLite's division truncates): ((ms - ((ms % 1000) + 1000) % 1000) / 1000).
ALTER TABLE session_tally ADD COLUMN fixed_n   INTEGER NOT NULL DEFAULT 0;
ALTER TABLE session_tally ADD COLUMN fixed_sum INTEGER NOT NULL DEFAULT 0;
ALTER TABLE session_tally ADD COLUMN fixed_min INTEGER;
ALTER TABLE session_tally ADD COLUMN fixed_max INTEGER;
ALTER TABLE session_tally ADD COLUMN run_n     INTEGER NOT NULL DEFAULT 0;
ALTER TABLE session_tally ADD COLUMN run_sum   INTEGER NOT NULL DEFAULT 0;
ALTER TABLE session_tally ADD COLUMN run_min   INTEGER;
ALTER TABLE session_tally ADD COLUMN run_max   INTEGER;
ALTER TABLE session_tally ADD COLUMN stale     INTEGER NOT NULL DEFAULT 0;

DROP TRIGGER session_tally_insert;
DROP TRIGGER session_tally_update;
DROP TRIGGER session_tally_delete;

DELETE FROM session_tally;
INSERT INTO session_tally (created_by, resource_id, activity_id, state, locked, n,
    fixed_n, fixed_sum, fixed_min, fixed_max, run_n, run_sum, run_min, run_max)
SELECT created_by, resource_id, activity_id, state, locked, COUNT(*),
    SUM(1 - r), SUM(CASE WHEN r THEN 0 ELSE d END), MIN(CASE WHEN r THEN NULL ELSE d END),
    MAX(CASE WHEN r THEN NULL ELSE d END),
    SUM(r), SUM(CASE WHEN r THEN st ELSE 0 END), MIN(CASE WHEN r THEN st END),
    MAX(CASE WHEN r THEN st END)
FROM (SELECT created_by, resource_id, activity_id, state, locked, (s.actual_start_at IS NOT NULL AND s.actual_end_at IS NULL) AS r, (CASE WHEN s.actual_start_at IS NOT NULL THEN MAX(0, ((s.actual_end_at - ((s.actual_end_at % 1000) + 1000) % 1000) / 1000) - ((s.actual_start_at - ((s.actual_start_at % 1000) + 1000) % 1000) / 1000)) WHEN s.state IN ('Complete', 'Failed', 'Cancelled', 'Denied', 'ApprovalFailed') THEN 0 ELSE MAX(0, ((s.scheduled_end_at - ((s.scheduled_end_at % 1000) + 1000) % 1000) / 1000) - ((s.scheduled_start_at - ((s.scheduled_start_at % 1000) + 1000) % 1000) / 1000)) END) AS d, ((s.actual_start_at - ((s.actual_start_at % 1000) + 1000) % 1000) / 1000) AS st FROM sessions s)
GROUP BY created_by, resource_id, activity_id, state, locked;

CREATE TRIGGER session_tally_insert AFTER INSERT ON sessions BEGIN
    INSERT INTO session_tally (created_by, resource_id, activity_id, state, locked, n,
        fixed_n, fixed_sum, fixed_min, fixed_max, run_n, run_sum, run_min, run_max)
    SELECT NEW.created_by, NEW.resource_id, NEW.activity_id, NEW.state, NEW.locked, 1,
        1 - c.r, CASE WHEN c.r THEN 0 ELSE c.d END, CASE WHEN c.r THEN NULL ELSE c.d END,
        CASE WHEN c.r THEN NULL ELSE c.d END,
        c.r, CASE WHEN c.r THEN c.st ELSE 0 END, CASE WHEN c.r THEN c.st END,
        CASE WHEN c.r THEN c.st END
    FROM (SELECT (NEW.actual_start_at IS NOT NULL AND NEW.actual_end_at IS NULL) AS r, (CASE WHEN NEW.actual_start_at IS NOT NULL THEN MAX(0, ((NEW.actual_end_at - ((NEW.actual_end_at % 1000) + 1000) % 1000) / 1000) - ((NEW.actual_start_at - ((NEW.actual_start_at % 1000) + 1000) % 1000) / 1000)) WHEN NEW.state IN ('Complete', 'Failed', 'Cancelled', 'Denied', 'ApprovalFailed') THEN 0 ELSE MAX(0, ((NEW.scheduled_end_at - ((NEW.scheduled_end_at % 1000) + 1000) % 1000) / 1000) - ((NEW.scheduled_start_at - ((NEW.scheduled_start_at % 1000) + 1000) % 1000) / 1000)) END) AS d, ((NEW.actual_start_at - ((NEW.actual_start_at % 1000) + 1000) % 1000) / 1000) AS st) c WHERE true
    ON CONFLICT DO UPDATE SET n = n + 1,
        fixed_n = fixed_n + excluded.fixed_n,
        fixed_sum = fixed_sum + excluded.fixed_sum,
        fixed_min = CASE WHEN excluded.fixed_min IS NULL THEN fixed_min
            WHEN fixed_min IS NULL THEN excluded.fixed_min ELSE MIN(fixed_min, excluded.fixed_min) END,
        fixed_max = CASE WHEN excluded.fixed_max IS NULL THEN fixed_max
            WHEN fixed_max IS NULL THEN excluded.fixed_max ELSE MAX(fixed_max, excluded.fixed_max) END,
        run_n = run_n + excluded.run_n,
        run_sum = run_sum + excluded.run_sum,
        run_min = CASE WHEN excluded.run_min IS NULL THEN run_min
            WHEN run_min IS NULL THEN excluded.run_min ELSE MIN(run_min, excluded.run_min) END,
        run_max = CASE WHEN excluded.run_max IS NULL THEN run_max
            WHEN run_max IS NULL THEN excluded.run_max ELSE MAX(run_max, excluded.run_max) END;
END;

CREATE TRIGGER session_tally_update
AFTER UPDATE OF created_by, resource_id, activity_id, state, locked, actual_start_at, actual_end_at, scheduled_start_at, scheduled_end_at ON sessions
WHEN OLD.created_by IS NOT NEW.created_by OR OLD.resource_id IS NOT NEW.resource_id OR OLD.activity_id IS NOT NEW.activity_id OR OLD.state IS NOT NEW.state OR OLD.locked IS NOT NEW.locked OR OLD.actual_start_at IS NOT NEW.actual_start_at OR OLD.actual_end_at IS NOT NEW.actual_end_at OR OLD.scheduled_start_at IS NOT NEW.scheduled_start_at OR OLD.scheduled_end_at IS NOT NEW.scheduled_end_at BEGIN
    UPDATE session_tally SET n = n - 1,
        fixed_n = fixed_n - (1 - c.r),
        fixed_sum = fixed_sum - CASE WHEN c.r THEN 0 ELSE c.d END,
        run_n = run_n - c.r,
        run_sum = run_sum - CASE WHEN c.r THEN c.st ELSE 0 END,
        stale = CASE WHEN n = 1 THEN 0 WHEN stale THEN 1
            WHEN NOT c.r AND (c.d <= fixed_min OR c.d >= fixed_max) THEN 1
            WHEN c.r AND (c.st <= run_min OR c.st >= run_max) THEN 1 ELSE 0 END,
        fixed_min = CASE WHEN fixed_n - (1 - c.r) = 0 THEN NULL ELSE fixed_min END,
        fixed_max = CASE WHEN fixed_n - (1 - c.r) = 0 THEN NULL ELSE fixed_max END,
        run_min = CASE WHEN run_n - c.r = 0 THEN NULL ELSE run_min END,
        run_max = CASE WHEN run_n - c.r = 0 THEN NULL ELSE run_max END
    FROM (SELECT (OLD.actual_start_at IS NOT NULL AND OLD.actual_end_at IS NULL) AS r, (CASE WHEN OLD.actual_start_at IS NOT NULL THEN MAX(0, ((OLD.actual_end_at - ((OLD.actual_end_at % 1000) + 1000) % 1000) / 1000) - ((OLD.actual_start_at - ((OLD.actual_start_at % 1000) + 1000) % 1000) / 1000)) WHEN OLD.state IN ('Complete', 'Failed', 'Cancelled', 'Denied', 'ApprovalFailed') THEN 0 ELSE MAX(0, ((OLD.scheduled_end_at - ((OLD.scheduled_end_at % 1000) + 1000) % 1000) / 1000) - ((OLD.scheduled_start_at - ((OLD.scheduled_start_at % 1000) + 1000) % 1000) / 1000)) END) AS d, ((OLD.actual_start_at - ((OLD.actual_start_at % 1000) + 1000) % 1000) / 1000) AS st) c
    WHERE created_by = OLD.created_by AND resource_id = OLD.resource_id
      AND activity_id = OLD.activity_id AND state = OLD.state AND locked = OLD.locked;
    INSERT INTO session_tally (created_by, resource_id, activity_id, state, locked, n,
        fixed_n, fixed_sum, fixed_min, fixed_max, run_n, run_sum, run_min, run_max)
    SELECT NEW.created_by, NEW.resource_id, NEW.activity_id, NEW.state, NEW.locked, 1,
        1 - c.r, CASE WHEN c.r THEN 0 ELSE c.d END, CASE WHEN c.r THEN NULL ELSE c.d END,
        CASE WHEN c.r THEN NULL ELSE c.d END,
        c.r, CASE WHEN c.r THEN c.st ELSE 0 END, CASE WHEN c.r THEN c.st END,
        CASE WHEN c.r THEN c.st END
    FROM (SELECT (NEW.actual_start_at IS NOT NULL AND NEW.actual_end_at IS NULL) AS r, (CASE WHEN NEW.actual_start_at IS NOT NULL THEN MAX(0, ((NEW.actual_end_at - ((NEW.actual_end_at % 1000) + 1000) % 1000) / 1000) - ((NEW.actual_start_at - ((NEW.actual_start_at % 1000) + 1000) % 1000) / 1000)) WHEN NEW.state IN ('Complete', 'Failed', 'Cancelled', 'Denied', 'ApprovalFailed') THEN 0 ELSE MAX(0, ((NEW.scheduled_end_at - ((NEW.scheduled_end_at % 1000) + 1000) % 1000) / 1000) - ((NEW.scheduled_start_at - ((NEW.scheduled_start_at % 1000) + 1000) % 1000) / 1000)) END) AS d, ((NEW.actual_start_at - ((NEW.actual_start_at % 1000) + 1000) % 1000) / 1000) AS st) c WHERE true
    ON CONFLICT DO UPDATE SET n = n + 1,
        fixed_n = fixed_n + excluded.fixed_n,
        fixed_sum = fixed_sum + excluded.fixed_sum,
        fixed_min = CASE WHEN excluded.fixed_min IS NULL THEN fixed_min
            WHEN fixed_min IS NULL THEN excluded.fixed_min ELSE MIN(fixed_min, excluded.fixed_min) END,
        fixed_max = CASE WHEN excluded.fixed_max IS NULL THEN fixed_max
            WHEN fixed_max IS NULL THEN excluded.fixed_max ELSE MAX(fixed_max, excluded.fixed_max) END,
        run_n = run_n + excluded.run_n,
        run_sum = run_sum + excluded.run_sum,
        run_min = CASE WHEN excluded.run_min IS NULL THEN run_min
            WHEN run_min IS NULL THEN excluded.run_min ELSE MIN(run_min, excluded.run_min) END,
        run_max = CASE WHEN excluded.run_max IS NULL THEN run_max
            WHEN run_max IS NULL THEN excluded.run_max ELSE MAX(run_max, excluded.run_max) END;
END;

CREATE TRIGGER session_tally_delete AFTER DELETE ON sessions BEGIN
    UPDATE session_tally SET n = n - 1,
        fixed_n = fixed_n - (1 - c.r),
        fixed_sum = fixed_sum - CASE WHEN c.r THEN 0 ELSE c.d END,
        run_n = run_n - c.r,
        run_sum = run_sum - CASE WHEN c.r THEN c.st ELSE 0 END,
        stale = CASE WHEN n = 1 THEN 0 WHEN stale THEN 1
            WHEN NOT c.r AND (c.d <= fixed_min OR c.d >= fixed_max) THEN 1
            WHEN c.r AND (c.st <= run_min OR c.st >= run_max) THEN 1 ELSE 0 END,
        fixed_min = CASE WHEN fixed_n - (1 - c.r) = 0 THEN NULL ELSE fixed_min END,
        fixed_max = CASE WHEN fixed_n - (1 - c.r) = 0 THEN NULL ELSE fixed_max END,
        run_min = CASE WHEN run_n - c.r = 0 THEN NULL ELSE run_min END,
        run_max = CASE WHEN run_n - c.r = 0 THEN NULL ELSE run_max END
    FROM (SELECT (OLD.actual_start_at IS NOT NULL AND OLD.actual_end_at IS NULL) AS r, (CASE WHEN OLD.actual_start_at IS NOT NULL THEN MAX(0, ((OLD.actual_end_at - ((OLD.actual_end_at % 1000) + 1000) % 1000) / 1000) - ((OLD.actual_start_at - ((OLD.actual_start_at % 1000) + 1000) % 1000) / 1000)) WHEN OLD.state IN ('Complete', 'Failed', 'Cancelled', 'Denied', 'ApprovalFailed') THEN 0 ELSE MAX(0, ((OLD.scheduled_end_at - ((OLD.scheduled_end_at % 1000) + 1000) % 1000) / 1000) - ((OLD.scheduled_start_at - ((OLD.scheduled_start_at % 1000) + 1000) % 1000) / 1000)) END) AS d, ((OLD.actual_start_at - ((OLD.actual_start_at % 1000) + 1000) % 1000) / 1000) AS st) c
    WHERE created_by = OLD.created_by AND resource_id = OLD.resource_id
      AND activity_id = OLD.activity_id AND state = OLD.state AND locked = OLD.locked;
END;
