-- tasks_span_name.sql: the text of a span name by id, for task derivation
-- (src/tasks/tasks.c): a span's name stands in for a missing task type.
-- Parameters: ?1 id.
-- Output: name; one row at most.
SELECT name FROM span_name WHERE id = ?1;
