-- task_costs.sql (ClickHouse twin): system, type, cost and LLM calls of every
-- task of the window. Where the SQLite query gives dictionary ids this gives
-- ids computed from the names in the server (0 for none; src/store/ch_store.c
-- looks a name up by the same expression); the per-type order statistics are computed in C from
-- these rows (the exact type-7 percentiles need every task's cost).
SELECT if(isNull(system), 0, toInt64(bitShiftRight(cityHash64(assumeNotNull(system)), 2)) + 1),
       if(isNull(task_type), 0, toInt64(bitShiftRight(cityHash64(assumeNotNull(task_type)), 2)) + 1),
       cost_usd, llm_calls
FROM {task}
WHERE start_ns >= ?1 AND start_ns < ?2
  AND (?3 IS NULL OR system = ?3)
  AND (?4 OR eval = 0)
