-- dims_span_put.sql: a span's value of a promoted attribute.
-- Parameters: ?1 dim.id, ?2 span.id, ?3 dim_value.id.
INSERT OR REPLACE INTO span_dim(dim, span, value) VALUES (?1, ?2, ?3);
