-- dims_task.sql: the tasks a question with dimensions keeps (every filter
-- holds) and their values of the --by dimensions at positions 1 and 2 (NULL
-- where the position is none or is model, a call's own).
INSERT INTO q_task(task, k1, k2)
SELECT c.task, d1.v, d2.v
FROM q_cand c
LEFT JOIN q_dimval d1 ON d1.pos = 1 AND d1.task = c.task
LEFT JOIN q_dimval d2 ON d2.pos = 2 AND d2.task = c.task
WHERE NOT EXISTS (SELECT 1 FROM q_where w
                  LEFT JOIN q_dimval dv ON dv.pos = w.pos AND dv.task = c.task
                  WHERE dv.v IS NOT w.v);
