-- dims_units_model_approx.sql: dims_units_model.sql's units (a task's calls
-- to one model, when model is a --by dimension or a --where filter) as a
-- sketch per --by value, the rows of dims_units_approx.sql.
-- Parameters: those of dims_units_model.sql (?1 .. ?7), and ?8 1: the
--             kind-2 rows only.
-- Output: k1, k2, kind, bin, value, n, sum, min, max; ordered by the first five.
WITH u AS (
  SELECT CASE WHEN ?5 = 1 THEN m ELSE k1 END AS k1, CASE WHEN ?5 = 2 THEN m ELSE k2 END AS k2,
         cost AS c, calls
  FROM (SELECT qt.k1 AS k1, qt.k2 AS k2, coalesce(m.name, '(none)') AS m,
               total(s.cost_usd) AS cost, coalesce(sum(s.step = 1), 0) AS calls
        FROM span s
        JOIN q_task qt ON qt.task = s.task
        JOIN task t ON t.id = s.task
        LEFT JOIN model m ON m.id = s.model
        WHERE (CASE WHEN ?7 THEN s.start_ns >= ?1 AND s.start_ns < ?2
                    ELSE t.start_ns >= ?1 AND t.start_ns < ?2 END)
          AND (?4 OR t.eval = 0)
          AND (s.model IS NOT NULL OR coalesce(s.cost_usd, 0) <> 0)
          AND (?6 IS NULL OR coalesce(m.name, '(none)') = ?6)
        GROUP BY s.task, s.model))
SELECT k1, k2, 0, ac_rbin(c) AS b, CASE WHEN c > 0 THEN 0.0 ELSE c END AS v, count(*), 0, 0, 0
FROM u WHERE NOT ?8 GROUP BY k1, k2, b, v
UNION ALL
SELECT k1, k2, 1, 0, calls, count(*), 0, 0, 0 FROM u WHERE NOT ?8 GROUP BY k1, k2, calls
UNION ALL
SELECT k1, k2, 2, 0, 0, count(*), total(c), min(c), max(c) FROM u GROUP BY k1, k2
ORDER BY 1, 2, 3, 4, 5;
