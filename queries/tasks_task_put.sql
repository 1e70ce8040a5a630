-- tasks_task_put.sql: write a derived task row (src/tasks/tasks.c: put_task).
-- Parameters: ?1 id, ?2 system, ?3 task_type, ?4 start_ns, ?5 end_ns, ?6 spans,
--             ?7 llm_calls, ?8 tool_calls, ?9 tokens_in, ?10 tokens_out,
--             ?11 cost_usd, ?12 unpriced_calls, ?13 eval, ?14 tool_failures,
--             ?15 retry_episodes, ?16 retry_attempts, ?17 max_repeat, ?18 tkey,
--             ?19 top_model, ?20 top_purpose, ?21 top_tool, ?22 top_tool_calls.
-- Output: none.
INSERT OR REPLACE INTO task(id, tkey, system, task_type, start_ns, end_ns,
  spans, llm_calls, tool_calls, tokens_in, tokens_out, cost_usd, unpriced_calls,
  eval, tool_failures, retry_episodes, retry_attempts, max_repeat, top_model,
  top_purpose, top_tool, top_tool_calls)
VALUES (?1, ?18, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
        ?17, ?19, ?20, ?21, ?22);
