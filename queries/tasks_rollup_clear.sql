-- tasks_rollup_clear.sql: empty the rollup before it is rebuilt from the
-- spans (ac_tasks_rollup_rebuild, src/tasks/tasks.c).
-- Parameters: none.
-- Output: none.
DELETE FROM rollup;
