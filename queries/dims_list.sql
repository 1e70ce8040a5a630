-- dims_list.sql: the promoted attributes (`agentcost dims list`), and the
-- keys ingest fills span_dim for.
-- Parameters: none. Output: dim.id, key, added_at, spans with a value,
--             distinct values; ordered by key.
SELECT d.id, d.key, d.added_at,
       (SELECT count(*) FROM span_dim sd WHERE sd.dim = d.id),
       (SELECT count(DISTINCT value) FROM span_dim sd WHERE sd.dim = d.id)
FROM dim d
ORDER BY d.key;
