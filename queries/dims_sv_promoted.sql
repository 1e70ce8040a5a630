-- dims_sv_promoted.sql: the candidate tasks' spans that have a value of a
-- promoted attribute (`agentcost dims add KEY`: span_dim, filled by ingest
-- and by the promotion from the stored originals).
-- Parameters: ?1 dim.id.
INSERT INTO q_sv(span, task, root, start_ns, span_id, v)
SELECT s.id, s.task, (CASE WHEN s.parent_span_id IS NULL THEN 2
            WHEN NOT EXISTS (SELECT 1 FROM span p
                             WHERE p.id BETWEEN (s.trace << 24) AND (s.trace << 24) + 16777215
                               AND p.span_id = s.parent_span_id AND p.task = s.task) THEN 1
            ELSE 0 END), s.start_ns, s.span_id, d.name
FROM span_dim sd
JOIN span s ON s.id = sd.span
JOIN q_cand c ON c.task = s.task
JOIN dim_value d ON d.id = sd.value
WHERE sd.dim = ?1;
