-- dims_dim_id.sql: the promoted dimension of an attribute key, if any.
-- Parameters: ?1 key. Output: dim.id.
SELECT id FROM dim WHERE key = ?1;
