-- tasks_rollup_gc.sql: drop a rollup row whose spans all moved away
-- (src/tasks/tasks.c).
-- Parameters: ?1 hour, ?2 key.
-- Output: none.
DELETE FROM rollup WHERE hour = ?1 AND key = ?2 AND spans = 0;
