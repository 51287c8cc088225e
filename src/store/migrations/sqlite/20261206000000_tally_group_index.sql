-- A tally group whose shortest or longest session left is stale, and a summary reads its
-- extremes from its rows. Sessions end mostly oldest first, so under a steady flow of ends
-- most running groups went stale, and SQLite found their rows through the activity's index:
-- every session of the activity, 4-12 ms of each such summary.
-- * sessions_by_tally_group finds one group's sessions by the group's key;
-- * session_tally_stale finds the stale groups, which the store now refreshes (their
--   extremes worked out again from their rows) soon after a summary meets one.
CREATE INDEX sessions_by_tally_group ON sessions (created_by, resource_id, activity_id, state, locked);
CREATE INDEX session_tally_stale ON session_tally (stale) WHERE stale <> 0;
