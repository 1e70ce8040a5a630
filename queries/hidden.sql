-- hidden.sql: spend, tokens and tool calls per system and step purpose, for
-- `agentcost hidden` (the costs nobody budgets for: retry, summarize, eval).
-- Answers: what each purpose (span.purpose_eff: eval, summarize, retry, an
-- explicit agentcost.purpose, execute, tool, other; see src/tasks/tasks.h)
-- cost and used in each system, and how many tool calls it made and how many
-- failed. A span counts in the window when it starts in it, and for the
-- system of its task (span.task -> task.system). Eval spans are all "eval".
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive),
--             ?3 system (service.name) or NULL for all.
-- Output: system, purpose, cost_usd (unpriced spans count 0), tokens
--         (tokens_in + tokens_out of the LLM calls, step 1: a span above the
--         calls that repeats their totals adds none), spans, tool_calls (step 2), tool_failures
--         (step 2 with status 2 = error); ordered by system, purpose.
-- Aggregated over ids first, names joined to the few result rows after.
SELECT sv.name                    AS system,
       coalesce(p.name, 'other')  AS purpose,
       agg.cost_usd, agg.tokens, agg.spans, agg.tool_calls, agg.tool_failures
FROM (SELECT t.system                                   AS sys,
             s.purpose_eff                              AS pur,
             total(s.cost_usd)                          AS cost_usd,
             coalesce(sum(CASE WHEN s.step = 1 THEN coalesce(s.tokens_in, 0) + coalesce(s.tokens_out, 0) END), 0) AS tokens,
             count(*)                                   AS spans,
             coalesce(sum(s.step = 2), 0)               AS tool_calls,
             coalesce(sum(s.step = 2 AND s.status = 2), 0) AS tool_failures
      FROM span s
      LEFT JOIN task t ON t.id = s.task
      WHERE s.start_ns >= ?1 AND s.start_ns < ?2
      GROUP BY t.system, s.purpose_eff) AS agg
LEFT JOIN service sv ON sv.id = agg.sys
LEFT JOIN label p ON p.id = agg.pur
WHERE (?3 IS NULL OR sv.name = ?3)
ORDER BY 1, 2;
