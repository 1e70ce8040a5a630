-- ch_pull_sums.sql: for the traces an ingest staged (and the traces of the
-- agentcost.task.id tasks it staged), how many spans ClickHouse holds of each
-- and the sum of their span ids read as little-endian 64-bit numbers (mod
-- 2^64). src/store/ch_ship.c compares both with the staged spans: a trace
-- ClickHouse holds nothing more of needs no pulling back (the same file read
-- again, an overlapping file). {traces}, {or_tasks}: as in ch_pull.sql.
SELECT trace_id, count(), sum(reinterpretAsUInt64(unhex(span_id)))
FROM span FINAL
WHERE trace_id IN ({traces}) {or_tasks}
GROUP BY trace_id
