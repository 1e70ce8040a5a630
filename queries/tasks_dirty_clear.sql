-- tasks_dirty_clear.sql: a trace is derived (src/tasks/tasks.c).
-- Parameters: ?1 trace.
-- Output: none.
DELETE FROM dirty_trace WHERE trace = ?1;
