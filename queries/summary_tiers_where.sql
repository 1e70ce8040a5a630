-- summary_tiers_where.sql: summary_tiers.sql over the tasks --where keeps
-- (`agentcost summary --where DIM=VALUE` without --by, issue #17): the LLM
-- calls starting in the window whose task is in q_task (src/analysis/dims.c).
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive),
--             ?3 system (the span's task's: rollup_key.system) or NULL,
--             ?4 --where model value or NULL.
-- Output: tier_fallback_calls, unknown_tier_calls.
SELECT coalesce(sum((s.price_note & 1) != 0), 0) AS tier_fallback_calls,
       coalesce(sum(l.name IS NOT NULL AND lower(l.name) NOT IN
                    ('default', 'auto', 'scale', 'standard', 'flex', 'priority', 'batch')), 0)
                                                  AS unknown_tier_calls
FROM span s
JOIN q_task qt ON qt.task = s.task
LEFT JOIN label l ON l.id = s.service_tier
LEFT JOIN model m ON m.id = s.model
WHERE s.step = 1
  AND s.start_ns >= ?1 AND s.start_ns < ?2
  AND (?3 IS NULL OR s.rollup_key IN (SELECT k.id FROM rollup_key k
                                       JOIN service sy ON sy.id = k.system
                                       WHERE sy.name = ?3))
  AND (?4 IS NULL OR coalesce(m.name, '(none)') = ?4);
