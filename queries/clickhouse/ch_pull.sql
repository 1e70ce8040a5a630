-- ch_pull.sql: the spans ClickHouse already holds of the traces and tasks an
-- ingest staged, to derive their tasks again with the new spans (late spans).
-- {traces}: a list of quoted trace ids (hex); {or_tasks}: empty, or
-- "OR task_id IN (...)" with the agentcost.task.id tasks to bring whole (a
-- scan of the task_id column: only when the staged spans name such tasks;
-- the trace ids use the table's primary key). Filled by src/store/ch_ship.c.
-- Output: the columns ac_span_row needs, in the order ch_ship.c reads them,
-- then the span's task id (its task's other traces are pulled too).
SELECT trace_id, span_id, parent_span_id, start_ns, end_ns, step, status,
       name, service, env, model, provider, tool, error_type,
       tokens_in, tokens_out, tokens_cache_read, tokens_cache_write, tokens_reasoning,
       tokens_cache_write_1h, tokens_audio_in, tokens_audio_out,
       cost_usd, cost_src, producer_cost_usd, complexity, purpose, task_ref, task_type,
       agent_name, eval_score, service_tier, price_note, scope, user, session, task_id
FROM span FINAL
WHERE trace_id IN ({traces}) {or_tasks}
