-- tasks_rollup_is_stale.sql: whether the rollup may be behind the spans
-- (ac_tasks_rollup_is_stale, src/tasks/tasks.c).
-- Parameters: none.
-- Output: stale (0 or 1); one row.
SELECT stale FROM rollup_state;
