-- dims_rule.sql: each candidate task's value of a dimension from its spans'
-- values (q_sv): its root span's value, else the value of its earliest span
-- (by start time, ties by span id) that has one, else "(none)": a task
-- without a value is kept, never dropped (issue #17). The root as the
-- derivation takes it (src/tasks/tasks.c, task_root): a span without a
-- parent, else one whose parent is not in the task (a sub-task split out by
-- agentcost.task.id, a trace whose parent span never arrived): q_sv.root 2
-- and 1. A task with several (traces grouped by agentcost.task.id) takes the
-- earliest of them that has a value.
-- Parameters: ?1 the dimension's position.
INSERT INTO q_dimval(pos, task, v)
SELECT ?1, c.task,
       coalesce((SELECT v FROM q_sv WHERE task = c.task ORDER BY root DESC, start_ns, span_id LIMIT 1),
                '(none)')
FROM q_cand c;
