-- price_load_tiers.sql: the price variants (service tiers, long-context
-- prices) of imported models, for the price book (src/pricing/pricing.c: load_vars; table
-- price_tier, schema/008).
-- Parameters: none.
-- Output: lower(model), effective_from, service_tier, above_tokens,
--         input_per_mtok, output_per_mtok, cache_read_per_mtok,
--         cache_write_per_mtok, cache_write_1h_per_mtok, reasoning_per_mtok,
--         audio_input_per_mtok, audio_output_per_mtok; by model, then
--         effective_from (none first), then import order.
SELECT lower(model), effective_from, service_tier, above_tokens, input_per_mtok,
       output_per_mtok, cache_read_per_mtok, cache_write_per_mtok,
       cache_write_1h_per_mtok, reasoning_per_mtok, audio_input_per_mtok,
       audio_output_per_mtok
FROM price_tier
ORDER BY lower(model), ifnull(effective_from, ''), rowid;
