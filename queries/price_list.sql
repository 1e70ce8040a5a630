-- price_list.sql: the imported model prices, for `agentcost prices list`.
-- Answers: what each model costs per million tokens from when, and where the
-- price came from (table price, schema/001_init.sql); the built-in table is
-- listed after these by the command.
-- Parameters: none.
-- Output: model, input_per_mtok, output_per_mtok, cache_read_per_mtok,
--         cache_write_per_mtok, reasoning_per_mtok, input_above_200k_per_mtok,
--         output_above_200k_per_mtok (NULL: no such price), effective_from,
--         source; ordered by model, then effective_from (none first).
SELECT model, input_per_mtok, output_per_mtok, cache_read_per_mtok,
       cache_write_per_mtok, reasoning_per_mtok,
       input_above_200k_per_mtok, output_above_200k_per_mtok,
       effective_from, source
FROM price
ORDER BY model, coalesce(effective_from, '');
