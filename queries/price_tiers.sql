-- price_tiers.sql: the imported tier prices (`agentcost prices list --tiers`).
-- Answers: for each model and effective_from, the prices of each (service
-- tier, context tier) that its price rows state beyond the standard columns
-- of `prices list` (schema/008_price_tiers.sql). USD per million tokens; a
-- NULL price is absent (the cost formula then takes the next most specific
-- one, src/pricing/pricing.h).
-- Parameters: none (every row is listed).
-- Columns: model, service_tier, above_tokens, input, output, cache_read,
--   cache_write, cache_write_1h, reasoning, audio_input, audio_output,
--   effective_from.
SELECT model, service_tier, above_tokens, input_per_mtok, output_per_mtok,
       cache_read_per_mtok, cache_write_per_mtok, cache_write_1h_per_mtok,
       reasoning_per_mtok, audio_input_per_mtok, audio_output_per_mtok, effective_from
FROM price_tier
ORDER BY model COLLATE NOCASE, effective_from, service_tier, above_tokens;
