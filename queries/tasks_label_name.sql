-- tasks_label_name.sql: the text of a label by id, for task derivation
-- (src/tasks/tasks.c): a tie between top purposes is broken by name.
-- Parameters: ?1 id.
-- Output: name; one row at most.
SELECT name FROM label WHERE id = ?1;
