-- summary_spans.sql: what the store holds, counted over spans.
-- Answers: how many spans, LLM and tool calls, what they cost, how many LLM
-- calls could not be priced, and the first and last span start.
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive),
--             ?3 system (the task's service.name: rollup_key.system) or NULL for all.
-- Output: spans, llm_calls, tool_calls, cost_total, unpriced_spans,
--         producer_costed_spans, first_ns, last_ns, traces (traces whose
--         earliest span starts in the window, and with ?3 of a task of that system)
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
LEFT JOIN rollup_key k ON k.id = s.rollup_key
LEFT JOIN service sv ON sv.id = k.system
WHERE s.start_ns >= ?1 AND s.start_ns < ?2
  AND (?3 IS NULL OR sv.name = ?3);
