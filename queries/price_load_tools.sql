-- price_load_tools.sql: the imported tool prices, for the price book (src/pricing/pricing.c).
-- Parameters: none.
-- Output: tool, per_call, effective_from; in import order.
SELECT tool, per_call, effective_from FROM tool_price ORDER BY rowid;
