-- tasks_task_new.sql: write a derived task row whose id is not stored yet
-- (src/tasks/tasks.c: put_task). The same parameters as tasks_task_put.sql.
-- A plain INSERT writes one row, so SQLite needs no statement journal for it;
-- INSERT OR REPLACE may delete a row and an index entry first, so every page it
-- touches is copied into a statement journal (16 KB each, ~4 a task). The
-- caller runs tasks_task_put.sql instead when this one meets the id
-- (SQLITE_CONSTRAINT: a task derived again).
-- Output: none.
INSERT INTO task(id, tkey, system, task_type, start_ns, end_ns,
  spans, llm_calls, tool_calls, tokens_in, tokens_out, cost_usd, unpriced_calls,
  eval, tool_failures, retry_episodes, retry_attempts, max_repeat, top_model,
  top_purpose, top_tool, top_tool_calls)
VALUES (?1, ?18, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
        ?17, ?19, ?20, ?21, ?22);
