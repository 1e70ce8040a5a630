-- tool_price_list.sql: the imported tool prices, for
-- `agentcost prices list --tools`.
-- Answers: what a call of each paid tool costs from when (table tool_price,
-- schema/001_init.sql).
-- Parameters: none.
-- Output: tool, per_call (USD), effective_from, source; ordered by tool, then
--         effective_from.
SELECT tool, per_call, effective_from, source
FROM tool_price
ORDER BY tool, effective_from;
