-- tasks_rollup_stale.sql: say whether the rollup may be behind the spans
-- (ac_tasks_rollup_stale, src/tasks/tasks.c: set before re-pricing, cleared after
-- the rebuild).
-- Parameters: ?1 1 stale, 0 current.
-- Output: none.
UPDATE rollup_state SET stale = ?1;
