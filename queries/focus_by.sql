-- focus_by.sql: focus.sql with --by/--where dimensions (issue #17): the
-- same spans, of the tasks kept in q_task (src/analysis/dims.c), with the
-- task's values of the --by dimensions as two more columns.
-- focus.sql's text follows: the costed spans of a window, for `agentcost export focus`
-- (src/analysis/focus.c), which splits each LLM call's cost by token kind
-- with the price formula and sums the parts per UTC day x provider x model x
-- service tier x token kind (a FinOps FOCUS 1.2 cost-and-usage row each).
-- Answers: every span whose cost counts in summary_spans.sql's cost_total for
-- the same window and system, with what its cost is made of.
--   The same spans as summary's total: a span counts when it starts in the
--   window (tasks play no part: an evaluation task's calls count too), and
--   with ?3 when its task's system (service.name) is ?3. Spans of no cost are left out:
--   unpriced LLM calls (cost NULL, in no total) and tool calls without a
--   price (cost 0, cost_src 0); table-priced calls of cost 0 are kept, for
--   their tokens.
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive),
--             ?3 system (service.name) or NULL for all.
-- Output: start_ns, step, cost_src, cost_usd, model, tool, provider (the
--         provider attribute as given), service, scope (instrumentation scope
--         name), service_tier (as given), tokens_in, tokens_out,
--         tokens_cache_read, tokens_cache_write, tokens_reasoning,
--         tokens_cache_write_1h, tokens_audio_in, tokens_audio_out (NULL
--         counts are NULL), k1, k2 (q_task); in span id order (the sums do not depend on it
--         beyond rounding, and it is the table's own order).
SELECT s.start_ns, s.step, s.cost_src, s.cost_usd,
       m.name  AS model,
       t.name  AS tool,
       p.name  AS provider,
       sv.name AS service,
       sc.name AS scope,
       st.name AS service_tier,
       s.tokens_in, s.tokens_out, s.tokens_cache_read, s.tokens_cache_write,
       s.tokens_reasoning, s.tokens_cache_write_1h, s.tokens_audio_in, s.tokens_audio_out,
       qt.k1, qt.k2
FROM span s
JOIN q_task qt ON qt.task = s.task
LEFT JOIN model m ON m.id = s.model
LEFT JOIN tool t ON t.id = s.tool
LEFT JOIN label p ON p.id = s.provider
LEFT JOIN service sv ON sv.id = s.service
LEFT JOIN label sc ON sc.id = s.scope
LEFT JOIN label st ON st.id = s.service_tier
WHERE s.start_ns >= ?1 AND s.start_ns < ?2
  AND (?3 IS NULL OR s.rollup_key IN (SELECT k.id FROM rollup_key k
                                       JOIN service sy ON sy.id = k.system
                                       WHERE sy.name = ?3))
  AND s.cost_usd IS NOT NULL
  AND (s.cost_src IN (1, 2) OR s.cost_usd != 0)
ORDER BY s.id;
