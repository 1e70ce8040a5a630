-- price_span_has_column.sql: whether table span has a column, for
-- re-pricing (src/pricing/pricing.c: which of price_reprice_spans*.sql the store can run).
-- Parameters: ?1 the column name.
-- Output: 1 when the column exists; one row at most.
SELECT 1 FROM pragma_table_info('span') WHERE name = ?1;
