-- dims_keys.sql: the promoted attributes ingest fills span_dim for.
-- Parameters: none. Output: dim.id, key.
SELECT id, key FROM dim ORDER BY id;
