-- summary_tiers.sql (ClickHouse twin): LLM calls priced at the standard tier
-- for want of their tier's price, and calls of a tier agentcost does not know.
SELECT countIf(bitAnd(price_note, 1) != 0) AS tier_fallback_calls,
       countIf(service_tier IS NOT NULL AND lower(assumeNotNull(service_tier)) NOT IN
               ('default', 'auto', 'scale', 'standard', 'flex', 'priority', 'batch'))
                                          AS unknown_tier_calls
FROM span FINAL
WHERE step = 1
  AND start_ns >= ?1 AND start_ns < ?2
  AND (?3 IS NULL OR t_system = ?3)
