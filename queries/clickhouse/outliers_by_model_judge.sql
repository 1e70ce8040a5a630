-- outliers_by_model_judge.sql (ClickHouse only): outliers_by_judge.sql when
-- model is a --by dimension or a --where filter: the unit is a task's calls
-- to one model (their cost and LLM calls, judged against the group's), its
-- other columns the task's, as queries/outliers_by_model.sql reads them (?4
-- the position of model in --by, ?5 the --where model value or NULL); ?6 the
-- groups' keys (outliers_by_model_stats.sql), ?7 three numbers a group
-- (threshold, outlier limit, p99.9 of LLM calls), ?8 the repeat limit, ?9
-- what is listed. The totals and the listed units cross, not a row per unit;
-- on SQLite the judge reads every unit (outliers_by_model.sql): no SQLite
-- query is named this.
-- Output: as outliers_by_judge.sql (cost and LLM calls: of the calls to the
-- model; "units" for tasks); in no particular order.
SELECT id, tt, cost, calls, rep, tid, sys, tm, tp, tool, tc, g1, g2, gk, length(a_id),
       judged, spend, outliers, runaways, savings, unknown
FROM (
  SELECT count() AS judged, sum(cost) AS spend, sum(o) AS outliers, sum(r) AS runaways,
         sumIf(cost - thr, o = 1) AS savings, countIf(j = 0) AS unknown,
         groupArrayIf(id, l = 1) AS a_id, groupArrayIf(tt, l = 1) AS a_tt,
         groupArrayIf(cost, l = 1) AS a_cost, groupArrayIf(calls, l = 1) AS a_calls,
         groupArrayIf(rep, l = 1) AS a_rep, groupArrayIf(task_id, l = 1) AS a_tid,
         groupArrayIf(sys, l = 1) AS a_sys, groupArrayIf(tm, l = 1) AS a_tm,
         groupArrayIf(tp, l = 1) AS a_tp, groupArrayIf(tool, l = 1) AS a_tool,
         groupArrayIf(tc, l = 1) AS a_tc, groupArrayIf(v1, l = 1) AS a_k1,
         groupArrayIf(v2, l = 1) AS a_k2, groupArrayIf(gk, l = 1) AS a_gk
  FROM (
    WITH ?6 AS keys, ?7 AS f
    SELECT toInt64(bitShiftRight(cityHash64(task_id), 2)) AS id,
           if(isNull(task_type), 0,
              toInt64(bitShiftRight(cityHash64(assumeNotNull(task_type)), 2)) + 1) AS tt,
           cost, calls, max_repeat AS rep, task_id,
           if(isNull(system), 0, toInt64(bitShiftRight(cityHash64(assumeNotNull(system)), 2)) + 1) AS sys,
           if(isNull(top_model), 0, toInt64(bitShiftRight(cityHash64(assumeNotNull(top_model)), 2)) + 1) AS tm,
           if(isNull(top_purpose), 0, toInt64(bitShiftRight(cityHash64(assumeNotNull(top_purpose)), 2)) + 1) AS tp,
           if(isNull(top_tool), 0, toInt64(bitShiftRight(cityHash64(assumeNotNull(top_tool)), 2)) + 1) AS tool,
           ifNull(top_tool_calls, 0) AS tc, ifNull(g1, '(none)') AS v1, ifNull(g2, '(none)') AS v2,
           cityHash64(v1, v2) AS gk, indexOf(keys, gk) AS j, f[j * 3 - 2] AS thr,
           j != 0 AND cost > f[j * 3 - 1] AS o,
           j != 0 AND (toFloat64(calls) > f[j * 3] OR rep > ?8) AS r,
           (o = 1 AND bitAnd(?9, 1) = 1) OR (r = 1 AND bitAnd(?9, 2) = 2) AS l
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
  )
)
LEFT ARRAY JOIN a_id AS id, a_tt AS tt, a_cost AS cost, a_calls AS calls, a_rep AS rep,
  a_tid AS tid, a_sys AS sys, a_tm AS tm, a_tp AS tp, a_tool AS tool, a_tc AS tc,
  a_k1 AS g1, a_k2 AS g2, a_gk AS gk
