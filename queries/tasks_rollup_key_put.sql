-- tasks_rollup_key_put.sql: a new rollup key (src/tasks/tasks.c; its id is the
-- row id SQLite gives it).
-- Parameters: ?1 system, ?2 service, ?3 task_type, ?4 eval, ?5 step, ?6 status,
--             ?7 cost_src, ?8 model, ?9 tool, ?10 purpose, ?11 complexity,
--             ?12 trace_first.
-- Output: none.
INSERT INTO rollup_key(system, service, task_type, eval, step, status, cost_src,
                       model, tool, purpose, complexity, trace_first)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12);
