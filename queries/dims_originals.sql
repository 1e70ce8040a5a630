-- dims_originals.sql: the stored originals of the candidate tasks' spans,
-- for an attribute that is not promoted (attr:KEY read from the text).
-- Parameters: none.
-- Output: span.id, task, root (1: no parent), start_ns, span_id, raw_block,
--         raw_off, raw_len (NULL without originals), resource.id (0 none),
--         resource text; in block order, so each compressed block is
--         decompressed once.
SELECT s.id, s.task, s.parent_span_id IS NULL, s.start_ns, s.span_id, s.raw_block, s.raw_off,
       s.raw_len, coalesce(s.resource, 0), r.name
FROM span s
JOIN q_cand c ON c.task = s.task
LEFT JOIN resource r ON r.id = s.resource
ORDER BY s.raw_block, s.raw_off;
