-- A tally group whose shortest or longest session left is stale, and a summary reads its
-- extremes from its rows. Sessions end mostly oldest first, so under a steady flow of ends
-- most running groups went stale for good, and each summary read their rows through the
-- requester's index (every session of the requester, per group).
-- * sessions_by_tally_group finds one group's sessions by the group's key;
-- * session_tally_stale finds the stale groups, whose extremes the fold now works out again
--   from their rows.
CREATE INDEX sessions_by_tally_group ON sessions (created_by, resource_id, activity_id, state, locked);
CREATE INDEX session_tally_stale ON session_tally (created_by) WHERE stale;
