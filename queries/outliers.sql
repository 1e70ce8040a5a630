-- outliers.sql: the production tasks of the window, for `agentcost outliers`
-- and the reports' outlier sections (src/analysis/guard.c).
-- Answers: what each task cost, how many LLM calls it made, its longest run
-- of the same step, and what dominated it; the judge derives per task type
-- the median cost and the p99.9 of LLM calls (type-7 quantiles, in C:
-- src/analysis/stats.h) and compares each task with them. Ids only: the
-- judge looks up the few names it prints.
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive),
--             ?3 system (service.name) or NULL for all.
--   A task is in the window when it starts in it. Evaluation tasks
--   (task.eval = 1) are not user work and are left out.
-- Output: id (task.id), task_type (label.id, 0 when none), cost_usd,
--         llm_calls, max_repeat, tkey (the task's key: the visible task_id
--         is made of it only for the tasks listed, ac_store_task_id_dup),
--         system (service.id, 0 none),
--         top_model (model.id), top_purpose (label.id), top_tool (tool.id)
--         (0 none), top_tool_calls (what dominated it: schema/004_rollup.sql);
--         in no particular order.
SELECT t.id, coalesce(t.task_type, 0), t.cost_usd, t.llm_calls, t.max_repeat, t.tkey,
       coalesce(t.system, 0), coalesce(t.top_model, 0), coalesce(t.top_purpose, 0),
       coalesce(t.top_tool, 0), coalesce(t.top_tool_calls, 0)
FROM task t /*+SCAN*/
WHERE t.eval = 0
  AND t.start_ns >= ?1 AND t.start_ns < ?2
  AND (?3 IS NULL OR t.system = (SELECT id FROM service WHERE name = ?3));
