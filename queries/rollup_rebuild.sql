-- rollup_rebuild.sql: the rollup (schema/004_rollup.sql) computed from the
-- spans in one pass, for `agentcost prices import` (re-pricing changes span
-- costs, which the incremental upkeep in src/tasks/tasks.c does not follow)
-- and as the independent check of that upkeep in the tests.
-- Answers: per UTC hour of the span start and rollup key, the sums of the
-- derived spans.
-- Parameters: none.
-- Output: the rows of table rollup, in its column order (ac_tasks_rollup_rebuild
--         copies them in through tasks_rollup_add.sql, whose parameters are
--         these columns in this order).
SELECT s.start_ns / 3600000000000                          AS hour,
       s.rollup_key                                        AS key,
       count(*)                                            AS spans,
       total(s.cost_usd)                                   AS cost_usd,
       coalesce(sum(s.tokens_in), 0)                       AS tokens_in,
       coalesce(sum(s.tokens_out), 0)                      AS tokens_out,
       coalesce(sum(s.tokens_cache_read), 0)               AS tokens_cache_read,
       coalesce(sum(s.tokens_cache_write), 0)              AS tokens_cache_write,
       coalesce(sum(s.tokens_reasoning), 0)                AS tokens_reasoning,
       total(s.producer_cost_usd)                          AS producer_cost_usd,
       count(s.eval_score)                                 AS scored,
       total(s.eval_score)                                 AS score_sum,
       total(s.eval_score * s.eval_score)                  AS score_sq,
       coalesce(sum(s.eval_score IS NOT NULL AND s.eval_score <> 0 AND s.eval_score <> 1), 0)
                                                           AS score_partial,
       coalesce(sum(CASE WHEN s.eval_score IS NOT NULL THEN coalesce(s.tokens_out, 0) END), 0)
                                                           AS scored_tokens_out
FROM span s
WHERE s.rollup_key IS NOT NULL
GROUP BY 1, 2
ORDER BY 1, 2;
