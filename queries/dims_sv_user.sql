-- dims_sv_user.sql: the candidate tasks' spans that have a value of the
-- dimension (span.user_v, which ingest filled from the first of the
-- dimension's keys present in the span's attributes, else its resource's).
-- Parameters: none. Output: rows of q_sv.
INSERT INTO q_sv(span, task, root, start_ns, span_id, v)
SELECT s.id, s.task, (CASE WHEN s.parent_span_id IS NULL THEN 2
            WHEN NOT EXISTS (SELECT 1 FROM span p
                             WHERE p.id BETWEEN (s.trace << 24) AND (s.trace << 24) + 16777215
                               AND p.span_id = s.parent_span_id AND p.task = s.task) THEN 1
            ELSE 0 END), s.start_ns, s.span_id, d.name
FROM span s
JOIN q_cand c ON c.task = s.task
JOIN dim_value d ON d.id = s.user_v;
