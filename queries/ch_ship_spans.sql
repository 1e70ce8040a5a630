-- ch_ship_spans.sql: every span of a staging store, as the ClickHouse span
-- table's columns (schema/clickhouse/span.sql, without version), names
-- written out and the task's system, type and eval beside each span.
-- Run on the SQLite staging store of an ingest into ClickHouse
-- (src/store/ch_store.c); no parameters.
SELECT t.task_id, lower(hex(tr.trace_id)), lower(hex(s.span_id)), lower(hex(s.parent_span_id)),
       s.start_ns, s.end_ns, s.step, s.status,
       sn.name, sv.name, le.name, m.name, lp.name, tl.name, ler.name,
       s.tokens_in, s.tokens_out, s.tokens_cache_read, s.tokens_cache_write, s.tokens_reasoning,
       s.tokens_cache_write_1h, s.tokens_audio_in, s.tokens_audio_out,
       s.cost_usd, s.cost_src, s.producer_cost_usd,
       lc.name, lpu.name, ltt.name, trf.name, la.name, s.eval_score,
       lpe.name, lce.name, lst.name, s.price_note, lsc.name,
       du.name, ds.name, coalesce(k.trace_first, 0),
       tsv.name, ttt.name, coalesce(t.eval, 0)
FROM span s
JOIN trace tr ON tr.id = s.id >> 24
LEFT JOIN task t ON t.id = s.task
LEFT JOIN rollup_key k ON k.id = s.rollup_key
LEFT JOIN span_name sn ON sn.id = s.name
LEFT JOIN service sv ON sv.id = s.service
LEFT JOIN label le ON le.id = s.env
LEFT JOIN model m ON m.id = s.model
LEFT JOIN label lp ON lp.id = s.provider
LEFT JOIN tool tl ON tl.id = s.tool
LEFT JOIN label ler ON ler.id = s.error_type
LEFT JOIN label lc ON lc.id = s.complexity
LEFT JOIN label lpu ON lpu.id = s.purpose
LEFT JOIN label ltt ON ltt.id = s.task_type
LEFT JOIN task_ref trf ON trf.id = s.task_ref
LEFT JOIN label la ON la.id = s.agent_name
LEFT JOIN label lpe ON lpe.id = s.purpose_eff
LEFT JOIN label lce ON lce.id = s.complexity_eff
LEFT JOIN label lst ON lst.id = s.service_tier
LEFT JOIN label lsc ON lsc.id = s.scope
LEFT JOIN dim_value du ON du.id = s.user_v
LEFT JOIN dim_value ds ON ds.id = s.session_v
LEFT JOIN service tsv ON tsv.id = t.system
LEFT JOIN label ttt ON ttt.id = t.task_type
ORDER BY s.id;
