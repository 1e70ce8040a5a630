-- outliers_by_model.sql (ClickHouse twin): outliers_by.sql when model is a
-- --by dimension or a --where filter: a task's calls to one model are the
-- unit (their cost and LLM calls), its other columns the task's. The columns
-- of queries/outliers_by_model.sql with outliers_judge.sql's ids; the
-- (task, model) units from the spans joined to {q_task}
-- (queries/clickhouse/dims_q_task.sql: its t_start, the span's t_eval), then
-- to the task rows (one join a level in ClickHouse 18); ordered by k1, k2,
-- cost, then the task id's hash where SQLite takes task.id.
SELECT toInt64(bitShiftRight(cityHash64(task_id), 2)) AS id,
       if(isNull(task_type), 0, toInt64(bitShiftRight(cityHash64(assumeNotNull(task_type)), 2)) + 1),
       cost, calls, max_repeat, task_id,
       if(isNull(system), 0, toInt64(bitShiftRight(cityHash64(assumeNotNull(system)), 2)) + 1),
       if(isNull(top_model), 0, toInt64(bitShiftRight(cityHash64(assumeNotNull(top_model)), 2)) + 1),
       if(isNull(top_purpose), 0, toInt64(bitShiftRight(cityHash64(assumeNotNull(top_purpose)), 2)) + 1),
       if(isNull(top_tool), 0, toInt64(bitShiftRight(cityHash64(assumeNotNull(top_tool)), 2)) + 1),
       ifNull(top_tool_calls, 0), g1, g2
FROM (SELECT task_id, if(?4 = 1, m, k1) AS g1, if(?4 = 2, m, k2) AS g2, cost, calls
      FROM (SELECT task_id, k1, k2, ifNull(model, '(none)') AS m,
                   ifNull(sum(cost_usd), 0) AS cost, countIf(step = 1) AS calls
            FROM span FINAL GLOBAL ALL INNER JOIN {q_task} AS qt USING task_id
            WHERE t_start >= ?1 AND t_start < ?2
              AND t_eval = 0
              AND (model IS NOT NULL OR ifNull(cost_usd, 0) != 0)
              AND (?5 IS NULL OR ifNull(model, '(none)') = ?5)
            GROUP BY task_id, k1, k2, model)) AS um
ALL INNER JOIN (SELECT task_id, task_type, max_repeat, system, top_model, top_purpose,
                       top_tool, top_tool_calls
                FROM {task_any}
                WHERE eval = 0 AND start_ns >= ?1 AND start_ns < ?2) AS tr USING task_id
ORDER BY g1 NULLS FIRST, g2 NULLS FIRST, cost, id
