-- models_by_total.sql: the production LLM cost of a question with --by /
-- --where (issue #17), what models_by.sql's rows are shares of: its rows'
-- cost summed, read before them so they can be written as they come.
-- Parameters: as models_by.sql (?4 unused: a position only groups).
-- Output: cost_usd.
SELECT total(s.cost_usd)
FROM span s
JOIN q_task qt ON qt.task = s.task
JOIN task t ON t.id = s.task
LEFT JOIN model mm ON mm.id = s.model
WHERE s.step = 1 AND t.eval = 0
  AND s.start_ns >= ?1 AND s.start_ns < ?2
  AND (?5 IS NULL OR coalesce(mm.name, '(none)') = ?5);
