-- task_spans.sql (ClickHouse twin of queries/task_spans.sql): the spans of
-- one task, for `agentcost task ID`. ?1 is the id task_find.sql's twin
-- gives (a hash of the task id).
-- Differs from the SQLite query: the spans are found by that hash over the
-- span table (no index by task: a scan of its task_id column); the id
-- column is a hash of the span's trace and span id (src/analysis/tasktree.c
-- orders spans that start together by span id, the id only breaks a tie
-- between traces); span and parent ids come as hex (ac_rows_blob decodes
-- them); purpose and complexity are the effective ones, as in SQLite.
SELECT toInt64(bitShiftRight(cityHash64(trace_id, span_id), 2)), span_id, parent_span_id,
       start_ns, end_ns, step, status, name, purpose_eff, model, complexity_eff, tool,
       tokens_in, tokens_out, cost_usd, cost_src
FROM span FINAL
WHERE toInt64(bitShiftRight(cityHash64(task_id), 2)) = ?1
