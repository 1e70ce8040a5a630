-- dims_all_originals.sql: every span's stored original and resource, for
-- promoting an attribute over what is already stored.
-- Parameters: none.
-- Output: span.id, raw_block, raw_off, raw_len (NULL without originals),
--         resource.id (0 none), resource text; in block order.
SELECT s.id, s.raw_block, s.raw_off, s.raw_len, coalesce(s.resource, 0), r.name
FROM span s
LEFT JOIN resource r ON r.id = s.resource
ORDER BY s.raw_block, s.raw_off;
