-- tasks_task_del.sql: drop a task no span belongs to any more (src/tasks/tasks.c).
-- Parameters: ?1 task id.
-- Output: none.
DELETE FROM task WHERE id = ?1;
