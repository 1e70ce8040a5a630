-- report_span_costs.sql (ClickHouse twin): the costed spans of a window in
-- start order, for the incident report's first alert (a running sum). Spans
-- that start together are in (trace id, span id) order where SQLite uses its
-- span key: the moment the sum passes a limit is a start time, the same.
SELECT start_ns, cost_usd
FROM span FINAL
WHERE start_ns >= ?1 AND start_ns < ?2 AND cost_usd > 0
  AND (?3 IS NULL OR t_system = ?3)
ORDER BY start_ns, trace_id, span_id
