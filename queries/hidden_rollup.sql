-- hidden_rollup.sql: hidden.sql from the hourly rollup (schema/004_rollup.sql),
-- for windows on whole hours. Same parameters and output.
SELECT sv.name                    AS system,
       coalesce(p.name, 'other')  AS purpose,
       agg.cost_usd, agg.tokens, agg.spans, agg.tool_calls, agg.tool_failures
FROM (SELECT k.system                                   AS sys,
             k.purpose                                  AS pur,
             total(r.cost_usd)                          AS cost_usd,
             coalesce(sum(CASE WHEN k.step = 1 THEN r.tokens_in + r.tokens_out END), 0) AS tokens,
             coalesce(sum(r.spans), 0)                  AS spans,
             coalesce(sum(CASE WHEN k.step = 2 THEN r.spans END), 0) AS tool_calls,
             coalesce(sum(CASE WHEN k.step = 2 AND k.status = 2 THEN r.spans END), 0) AS tool_failures
      FROM rollup r
      JOIN rollup_key k ON k.id = r.key
      WHERE r.hour >= ?1 / 3600000000000 AND r.hour < ?2 / 3600000000000
      GROUP BY k.system, k.purpose) AS agg
LEFT JOIN service sv ON sv.id = agg.sys
LEFT JOIN label p ON p.id = agg.pur
WHERE (?3 IS NULL OR sv.name = ?3)
ORDER BY 1, 2;
