-- hidden_by.sql: hidden.sql per --by dimension value (issue #17), for
-- `agentcost hidden --by DIM[,DIM]` and --where: spend, tokens and tool calls
-- per value (pair) and step purpose. A span counts in the window when it
-- starts in it, for the values of its task (q_task, built by
-- src/analysis/dims.c: the tasks with a span starting in the window, of the
-- system asked, passing the task-level filters). Model is each span's own
-- ("(none)" for the spans without one: agent and tool spans, whose tool
-- calls count there).
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive),
--             ?3 system (applied by q_task), ?4 position of model in --by
--             (0 none, 1, 2), ?5 --where model value or NULL.
-- Output: k1, k2 (the values; NULL: no such position), purpose, cost_usd,
--         tokens (tokens_in + tokens_out of the LLM calls, step 1), spans,
--         tool_calls (step 2), tool_failures (step 2, status 2 = error);
--         ordered by k1, k2, purpose.
SELECT agg.k1, agg.k2, coalesce(p.name, 'other') AS purpose,
       agg.cost_usd, agg.tokens, agg.spans, agg.tool_calls, agg.tool_failures
FROM (SELECT CASE WHEN ?4 = 1 THEN coalesce(m.name, '(none)') ELSE qt.k1 END AS k1,
             CASE WHEN ?4 = 2 THEN coalesce(m.name, '(none)') ELSE qt.k2 END AS k2,
             s.purpose_eff                              AS pur,
             total(s.cost_usd)                          AS cost_usd,
             coalesce(sum(CASE WHEN s.step = 1 THEN coalesce(s.tokens_in, 0) + coalesce(s.tokens_out, 0) END), 0) AS tokens,
             count(*)                                   AS spans,
             coalesce(sum(s.step = 2), 0)               AS tool_calls,
             coalesce(sum(s.step = 2 AND s.status = 2), 0) AS tool_failures
      FROM span s
      JOIN q_task qt ON qt.task = s.task
      LEFT JOIN model m ON m.id = s.model
      WHERE s.start_ns >= ?1 AND s.start_ns < ?2
        AND (?5 IS NULL OR coalesce(m.name, '(none)') = ?5)
      GROUP BY 1, 2, 3) AS agg
LEFT JOIN label p ON p.id = agg.pur
ORDER BY 1, 2, 3;
