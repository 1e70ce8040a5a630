-- summary_tiers.sql: the LLM calls whose service tier did not price as stated.
-- Answers: how many calls were priced at the standard tier because their
-- model has no price of their tier (span.price_note bit 1, set by the cost
-- decision of src/pricing), and how many stated a service tier agentcost
-- does not know (priced as standard).
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive),
--             ?3 system (the task's service.name: rollup_key.system) or NULL for all.
-- Output: tier_fallback_calls, unknown_tier_calls.
SELECT coalesce(sum((s.price_note & 1) != 0), 0) AS tier_fallback_calls,
       coalesce(sum(l.name IS NOT NULL AND lower(l.name) NOT IN
                    ('default', 'auto', 'scale', 'standard', 'flex', 'priority', 'batch')), 0)
                                                  AS unknown_tier_calls
FROM span s
LEFT JOIN label l ON l.id = s.service_tier
LEFT JOIN rollup_key k ON k.id = s.rollup_key
LEFT JOIN service sv ON sv.id = k.system
WHERE s.step = 1
  AND s.start_ns >= ?1 AND s.start_ns < ?2
  AND (?3 IS NULL OR sv.name = ?3);
