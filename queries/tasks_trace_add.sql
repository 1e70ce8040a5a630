-- tasks_trace_add.sql: record that a task has spans in a trace (src/tasks/tasks.c).
-- Parameters: ?1 task id, ?2 trace.
-- Output: none.
INSERT OR IGNORE INTO task_trace(task, trace) VALUES (?1, ?2);
