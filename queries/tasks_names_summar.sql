-- tasks_names_summar.sql: span names that say "summar" (summary,
-- summarize, any case), for the summarize purpose (src/tasks/tasks.c: refresh).
-- Parameters: ?1 the highest span_name id already looked at.
-- Output: id of each such span_name above ?1.
SELECT id FROM span_name WHERE id > ?1 AND name LIKE '%summar%';
