-- tasks_model_name.sql: the text of a model by id, for task derivation
-- (src/tasks/tasks.c): a tie between top models is broken by name.
-- Parameters: ?1 id.
-- Output: name; one row at most.
SELECT name FROM model WHERE id = ?1;
