-- dims_sv_agent.sql: the candidate tasks' spans that have a value of the
-- dimension (span.agent_name, which ingest filled from the first of the
-- dimension's keys present in the span's attributes, else its resource's).
-- Parameters: none. Output: rows of q_sv.
INSERT INTO q_sv(span, task, root, start_ns, span_id, v)
SELECT s.id, s.task, s.parent_span_id IS NULL, s.start_ns, s.span_id, d.name
FROM span s
JOIN q_cand c ON c.task = s.task
JOIN label d ON d.id = s.agent_name;
