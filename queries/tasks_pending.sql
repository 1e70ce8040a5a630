-- tasks_pending.sql: how many traces wait for task derivation
-- (ac_tasks_pending, src/tasks/tasks.c).
-- Parameters: none.
-- Output: count; one row.
SELECT count(*) FROM dirty_trace;
