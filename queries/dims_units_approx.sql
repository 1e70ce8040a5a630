-- dims_units_approx.sql: dims_units.sql's units (the tasks of a question
-- with dimensions, q_task) as a sketch per --by value (`tasks --by DIM
-- --approx`, `top DIM --approx`; src/analysis/sketch.h): the rows of
-- task_costs_approx.sql with the --by values for keys, so a remote store
-- sends a row per value and occupied cost bin, not per task. ac_rbin is
-- the SQL function src/store/store.c registers (src/util/rbin.h).
-- Parameters: ?1 since_ns, ?2 until_ns, ?3 system (applied by q_task),
--             ?4 include eval tasks (1) or not (0), ?8 1: the kind-2 rows
--             only (a value's count and sum: the previous period of top).
-- Output: k1, k2, kind, bin, value, n, sum, min, max (task_costs_approx.sql's
--         columns after its two keys); ordered by k1, k2, kind, bin, value.
WITH u AS (
  SELECT qt.k1 AS k1, qt.k2 AS k2, t.cost_usd AS c, t.llm_calls AS calls
  FROM q_task qt
  JOIN task t ON t.id = qt.task
  WHERE t.start_ns >= ?1 AND t.start_ns < ?2
    AND (?4 OR t.eval = 0))
SELECT k1, k2, 0, ac_rbin(c) AS b, CASE WHEN c > 0 THEN 0.0 ELSE c END AS v, count(*), 0, 0, 0
FROM u WHERE NOT ?8 GROUP BY k1, k2, b, v
UNION ALL
SELECT k1, k2, 1, 0, calls, count(*), 0, 0, 0 FROM u WHERE NOT ?8 GROUP BY k1, k2, calls
UNION ALL
SELECT k1, k2, 2, 0, 0, count(*), total(c), min(c), max(c) FROM u GROUP BY k1, k2
ORDER BY 1, 2, 3, 4, 5;
