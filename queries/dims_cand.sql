-- dims_cand.sql: the tasks a question with dimensions can see: those with a
-- span starting in the window (a span starts within its task's
-- [start_ns, end_ns]), of the system asked.
-- Parameters: ?1 since_ns, ?2 until_ns, ?3 system (service.name) or NULL.
INSERT INTO q_cand(task)
SELECT t.id
FROM task t
WHERE t.start_ns < ?2 AND t.end_ns >= ?1
  AND (?3 IS NULL OR t.system = (SELECT id FROM service WHERE name = ?3));
