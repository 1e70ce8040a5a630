-- dims_sv_put.sql: one span's value of a dimension read from its original.
-- Parameters: ?1 span.id, ?2 task, ?3 root (dims_originals.sql's), ?4 start_ns,
--             ?5 span_id, ?6 value.
INSERT INTO q_sv(span, task, root, start_ns, span_id, v) VALUES (?1, ?2, ?3, ?4, ?5, ?6);
