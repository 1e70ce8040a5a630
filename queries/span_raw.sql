-- span_raw.sql: where a span's original text is kept, for `agentcost show`.
-- Answers: the compressed block holding the span as ingested and the span's
-- place in it, for every span with that id (in one trace when ?2 is given).
-- Parameters: ?1 span_id (8 bytes), ?2 trace_id (16 bytes) or NULL for any.
-- Output: raw_off, raw_len, z (the zstd block; NULL: ingested with --no-raw),
--         trace_id (lowercase hex); ordered by trace_id.
SELECT s.raw_off, s.raw_len, r.z, lower(hex(t.trace_id))
FROM span s
JOIN trace t ON t.id = s.trace
LEFT JOIN raw_block r ON r.id = s.raw_block
WHERE s.span_id = ?1 AND (?2 IS NULL OR t.trace_id = ?2)
ORDER BY t.trace_id;
