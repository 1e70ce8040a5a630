-- tasks_rollup_keys.sql: every rollup key by its parts, loaded once per
-- derivation (src/tasks/tasks.c) so a span's key is found without a query.
-- Parameters: none.
-- Output: id, system, service, task_type, eval, step, status, cost_src, model,
--         tool, purpose, complexity, trace_first.
SELECT id, system, service, task_type, eval, step, status, cost_src,
       model, tool, purpose, complexity, trace_first
FROM rollup_key;
