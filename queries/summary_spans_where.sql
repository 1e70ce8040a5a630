-- summary_spans_where.sql: summary_spans.sql over the tasks --where keeps
-- (`agentcost summary --where DIM=VALUE` without --by, issue #17): the spans
-- starting in the window whose task is in q_task (src/analysis/dims.c, built
-- for every system), so a span counts for its task's value as in
-- summary_by.sql; the figures as the plain summary computes them.
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive),
--             ?3 system: the span's task's (rollup_key.system), as summary_spans.sql,
--             ?4 --where model value or NULL (each span's own model,
--             "(none)" for a span without one, as summary_by.sql).
-- Output: summary_spans.sql's columns: spans, llm_calls, tool_calls,
--         cost_total, unpriced_spans, producer_costed_spans, first_ns,
--         last_ns, traces (the traces whose earliest span starts in the
--         window and is one of these spans)
SELECT count(*)                                  AS spans,
       coalesce(sum(s.step = 1), 0)              AS llm_calls,
       coalesce(sum(s.step = 2), 0)              AS tool_calls,
       total(s.cost_usd)                         AS cost_total,
       coalesce(sum(s.cost_src IN (2, 3)), 0)    AS unpriced_spans,
       coalesce(sum(s.cost_src = 2), 0)          AS producer_costed_spans,
       min(s.start_ns)                           AS first_ns,
       max(s.start_ns)                           AS last_ns,
       coalesce(sum(k.trace_first), 0)           AS traces
FROM span s
JOIN q_task qt ON qt.task = s.task
LEFT JOIN rollup_key k ON k.id = s.rollup_key
LEFT JOIN model m ON m.id = s.model
WHERE s.start_ns >= ?1 AND s.start_ns < ?2
  AND (?3 IS NULL OR s.rollup_key IN (SELECT k.id FROM rollup_key k
                                       JOIN service sy ON sy.id = k.system
                                       WHERE sy.name = ?3))
  AND (?4 IS NULL OR coalesce(m.name, '(none)') = ?4);
