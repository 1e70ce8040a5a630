-- outliers.sql: the production tasks of the window, for `agentcost outliers`.
-- Answers: what each task cost, how many LLM calls it made and its longest
-- run of the same step; the command derives per task type the median cost
-- and the p99.9 of LLM calls (type-7 quantiles, in C: src/analysis/stats.h)
-- and compares each task with them.
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive),
--             ?3 system (service.name) or NULL for all.
--   A task is in the window when it starts in it. Evaluation tasks
--   (task.eval = 1) are not user work and are left out.
-- Output: id (task.id), task_id, system, task_type, cost_usd, llm_calls,
--         max_repeat; ordered by task type (NULL first), then task_id, so the
--         tasks of one type are consecutive.
SELECT t.id, t.task_id, sv.name, tt.name, t.cost_usd, t.llm_calls, t.max_repeat
FROM task t
LEFT JOIN service sv ON sv.id = t.system
LEFT JOIN label tt ON tt.id = t.task_type
WHERE t.eval = 0
  AND t.start_ns >= ?1 AND t.start_ns < ?2
  AND (?3 IS NULL OR sv.name = ?3)
ORDER BY tt.name, t.task_id;
