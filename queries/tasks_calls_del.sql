-- tasks_calls_del.sql: forget a task's packed call groups (src/tasks/tasks.c).
-- Parameters: ?1 task id.
-- Output: none.
DELETE FROM task_calls WHERE task = ?1;
