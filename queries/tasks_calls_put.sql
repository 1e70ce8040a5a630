-- tasks_calls_put.sql: a task's packed call groups (src/tasks/tasks.c,
-- src/tasks/callpack.c).
-- Parameters: ?1 task id, ?2 the packed groups (blob).
-- Output: none.
INSERT OR REPLACE INTO task_calls(task, groups) VALUES (?1, ?2);
