-- dims_sv_promoted.sql: the candidate tasks' spans that have a value of a
-- promoted attribute (`agentcost dims add KEY`: span_dim, filled by ingest
-- and by the promotion from the stored originals).
-- Parameters: ?1 dim.id.
INSERT INTO q_sv(span, task, root, start_ns, span_id, v)
SELECT s.id, s.task, s.parent_span_id IS NULL, s.start_ns, s.span_id, d.name
FROM span_dim sd
JOIN span s ON s.id = sd.span
JOIN q_cand c ON c.task = s.task
JOIN dim_value d ON d.id = sd.value
WHERE sd.dim = ?1;
