-- input_excludes_cache_where.sql: input_excludes_cache.sql over the tasks
-- --where keeps (`agentcost summary --where DIM=VALUE` without --by, issue
-- #17): the LLM calls starting in the window whose task is in q_task
-- (src/analysis/dims.c), by the same rule.
-- Parameters: ?1 since_ns (inclusive), ?2 until_ns (exclusive),
--             ?3 system (each span's own service.name) or NULL,
--             ?4 --where model value or NULL.
-- Output: system, scope (NULL when none), calls; most calls first.
SELECT sv.name AS system, sc.name AS scope, count(*) AS calls
FROM span s
JOIN q_task qt ON qt.task = s.task
LEFT JOIN service sv ON sv.id = s.service
LEFT JOIN label sc ON sc.id = s.scope
LEFT JOIN model m ON m.id = s.model
WHERE s.step = 1 AND s.start_ns >= ?1 AND s.start_ns < ?2
  AND (?3 IS NULL OR sv.name = ?3)
  AND (?4 IS NULL OR coalesce(m.name, '(none)') = ?4)
  AND coalesce(s.tokens_cache_read, 0) + coalesce(s.tokens_cache_write, 0) > 0
  AND (coalesce(s.tokens_in, 0) < coalesce(s.tokens_cache_read, 0) + coalesce(s.tokens_cache_write, 0)
       OR coalesce((SELECT c.convention FROM token_convention c
                    WHERE c.kind = 'scope' AND c.name = sc.name),
                   (SELECT c.convention FROM token_convention c
                    WHERE c.kind = 'system' AND c.name = sv.name)) = 'excludes')
GROUP BY sv.name, sc.name
ORDER BY calls DESC, system, scope;
