-- dims_rule.sql: each candidate task's value of a dimension from its spans'
-- values (q_sv): its root span's value, else the value of its earliest span
-- (by start time, ties by span id) that has one, else "(none)": a task
-- without a value is kept, never dropped (issue #17). A task grouped by
-- agentcost.task.id over several traces has several roots: the earliest
-- root with a value counts first.
-- Parameters: ?1 the dimension's position.
INSERT INTO q_dimval(pos, task, v)
SELECT ?1, c.task,
       coalesce((SELECT v FROM q_sv WHERE task = c.task ORDER BY root DESC, start_ns, span_id LIMIT 1),
                '(none)')
FROM q_cand c;
