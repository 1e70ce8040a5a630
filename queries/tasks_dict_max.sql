-- tasks_dict_max.sql: the highest label and span_name ids, for task derivation
-- (src/tasks/tasks.c: refresh): the label sets the rules test against are extended with
-- the rows added since the last look.
-- Parameters: none.
-- Output: max label.id, max span_name.id (0 when empty); one row.
SELECT (SELECT coalesce(max(id), 0) FROM label),
       (SELECT coalesce(max(id), 0) FROM span_name);
