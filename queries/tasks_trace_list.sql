-- tasks_trace_list.sql: the traces a task has spans in (src/tasks/tasks.c).
-- Parameters: ?1 task id.
-- Output: trace; in order.
SELECT trace FROM task_trace WHERE task = ?1 ORDER BY trace;
