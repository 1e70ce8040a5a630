-- tasks_tool_name.sql: the text of a tool by id, for task derivation
-- (src/tasks/tasks.c): a tie between top tools is broken by name.
-- Parameters: ?1 id.
-- Output: name; one row at most.
SELECT name FROM tool WHERE id = ?1;
