-- dims_originals.sql: the stored originals of the candidate tasks' spans,
-- for an attribute that is not promoted (attr:KEY read from the text).
-- Parameters: none.
-- Output: span.id, task, root (2: no parent, 1: its parent is not in the
--         task, 0: a child; see dims_rule.sql), start_ns, span_id, raw_block,
--         raw_off, raw_len (NULL without originals), resource.id (0 none),
--         resource text; in block order, so each compressed block is
--         decompressed once.
SELECT s.id, s.task, (CASE WHEN s.parent_span_id IS NULL THEN 2
            WHEN NOT EXISTS (SELECT 1 FROM span p
                             WHERE p.id BETWEEN (s.trace << 24) AND (s.trace << 24) + 16777215
                               AND p.span_id = s.parent_span_id AND p.task = s.task) THEN 1
            ELSE 0 END), s.start_ns, s.span_id, s.raw_block, s.raw_off,
       s.raw_len, coalesce(s.resource, 0), r.name
FROM span s
JOIN q_cand c ON c.task = s.task
LEFT JOIN resource r ON r.id = s.resource
ORDER BY s.raw_block, s.raw_off;
