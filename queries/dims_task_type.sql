-- dims_task_type.sql: each candidate task's type (agentcost.task.type, else
-- the agent name, as derived: src/tasks), "(none)" when it has none.
-- Parameters: ?1 the dimension's position.
INSERT INTO q_dimval(pos, task, v)
SELECT ?1, c.task, coalesce(l.name, '(none)')
FROM q_cand c JOIN task t ON t.id = c.task LEFT JOIN label l ON l.id = t.task_type;
