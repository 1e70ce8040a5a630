-- call_groups.sql: the router's call groups of every task, for
-- `agentcost calls`.
-- Answers: each task's LLM calls grouped as derivation keeps them (table
-- task_calls, schema/005_task_keys.sql; the blob is decoded by
-- src/tasks/callpack.h).
-- Parameters: none.
-- Output: task (task.id), groups (packed blob); ordered by task.
SELECT task, groups
FROM task_calls
ORDER BY task;
