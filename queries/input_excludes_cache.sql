-- input_excludes_cache.sql: LLM calls whose input tokens are taken to exclude
-- the cached tokens (issue #18 item 7; the rule is src/pricing/convention.h),
-- per system and instrumentation scope.
-- Answers: how many calls had fresh input = input (not input - cache read -
-- cache write), because their input was fewer than their cache tokens or
-- because `agentcost prices convention` stated excludes for their scope (or,
-- none stated for the scope, their system). Calls without cache tokens are
-- the same under both conventions and are not counted.
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive),
--             ?3 system (service.name) or NULL for all.
-- Output: system, scope (NULL when none), calls; most calls first.
SELECT sv.name AS system, sc.name AS scope, count(*) AS calls
FROM span s
LEFT JOIN service sv ON sv.id = s.service
LEFT JOIN label sc ON sc.id = s.scope
WHERE s.step = 1 AND s.start_ns >= ?1 AND s.start_ns < ?2
  AND (?3 IS NULL OR sv.name = ?3)
  AND coalesce(s.tokens_cache_read, 0) + coalesce(s.tokens_cache_write, 0) > 0
  AND (coalesce(s.tokens_in, 0) < coalesce(s.tokens_cache_read, 0) + coalesce(s.tokens_cache_write, 0)
       OR coalesce((SELECT c.convention FROM token_convention c
                    WHERE c.kind = 'scope' AND c.name = sc.name),
                   (SELECT c.convention FROM token_convention c
                    WHERE c.kind = 'system' AND c.name = sv.name)) = 'excludes')
GROUP BY sv.name, sc.name
ORDER BY calls DESC, system, scope;
