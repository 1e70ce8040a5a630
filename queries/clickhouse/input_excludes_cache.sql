-- input_excludes_cache.sql (ClickHouse twin): LLM calls whose input tokens
-- were fewer than their cache tokens (so taken to exclude them). The
-- conventions stated with `agentcost prices convention` live in a SQLite
-- store; a ClickHouse store has none, so only this rule applies.
SELECT service AS system, scope, count() AS calls
FROM span FINAL
WHERE step = 1 AND start_ns >= ?1 AND start_ns < ?2
  AND (?3 IS NULL OR service = ?3)
  AND ifNull(tokens_cache_read, 0) + ifNull(tokens_cache_write, 0) > 0
  AND ifNull(tokens_in, 0) < ifNull(tokens_cache_read, 0) + ifNull(tokens_cache_write, 0)
GROUP BY service, scope
ORDER BY calls DESC, system NULLS FIRST, scope NULLS FIRST
