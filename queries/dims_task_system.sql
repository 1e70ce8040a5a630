-- dims_task_system.sql: each candidate task's system (the task's
-- service.name: its root span's, else its spans' most common), "(none)"
-- when it has none. Parameters: ?1 the dimension's position.
INSERT INTO q_dimval(pos, task, v)
SELECT ?1, c.task, coalesce(sv.name, '(none)')
FROM q_cand c JOIN task t ON t.id = c.task LEFT JOIN service sv ON sv.id = t.system;
