-- price_tool_del.sql: drop a tool's imported prices before a file's rows
-- replace them (src/pricing/import.c: write_rows).
-- Parameters: ?1 tool.
-- Output: none.
DELETE FROM tool_price WHERE tool = ?1 COLLATE NOCASE;
