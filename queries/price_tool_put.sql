-- price_tool_put.sql: an imported tool price (src/pricing/import.c: write_rows).
-- Parameters: ?1 tool, ?2 per_call, ?3 effective_from, ?4 source,
--             ?5 imported_at.
-- Output: none.
INSERT INTO tool_price (tool, per_call, effective_from, source, imported_at)
VALUES (?1, ?2, ?3, ?4, ?5);
