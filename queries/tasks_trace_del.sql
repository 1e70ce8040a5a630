-- tasks_trace_del.sql: a task no longer has spans in a trace (src/tasks/tasks.c).
-- Parameters: ?1 task id, ?2 trace.
-- Output: none.
DELETE FROM task_trace WHERE task = ?1 AND trace = ?2;
