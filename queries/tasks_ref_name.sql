-- tasks_ref_name.sql: the text of an agentcost.task.id by id, for task derivation
-- (src/tasks/tasks.c): the key of the task that id names.
-- Parameters: ?1 id.
-- Output: name; one row at most.
SELECT name FROM task_ref WHERE id = ?1;
