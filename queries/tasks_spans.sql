-- tasks_spans.sql: the spans of one trace, for task derivation
-- (src/tasks/tasks.c): a trace's spans are one rowid range (store.h: span keys).
-- Parameters: ?1 first and ?2 last span key of the range.
-- Output: id, trace, span_id, parent_span_id, start_ns, end_ns, step, status,
--         cost_src, service, env, model, tool, name, complexity, purpose,
--         task_ref, task_type, agent_name, tokens_in, tokens_out, cost_usd, task,
--         purpose_eff, complexity_eff, tokens_cache_read, tokens_cache_write,
--         tokens_reasoning, producer_cost_usd, eval_score, rollup_key,
--         tokens_cache_write_1h, tokens_audio_in, tokens_audio_out, the
--         service tier's name; in key order.
SELECT id, trace, span_id, parent_span_id, start_ns, end_ns, step, status,
       cost_src, service, env, model, tool, name, complexity, purpose, task_ref,
       task_type, agent_name, tokens_in, tokens_out, cost_usd, task, purpose_eff,
       complexity_eff, tokens_cache_read, tokens_cache_write, tokens_reasoning,
       producer_cost_usd, eval_score, rollup_key, tokens_cache_write_1h,
       tokens_audio_in, tokens_audio_out,
       (SELECT name FROM label WHERE id = service_tier)
FROM span WHERE id BETWEEN ?1 AND ?2;
