-- 008_price_tiers.sql: prices by service tier, context tier, cache lifetime
-- and audio; the span's service tier, 1-hour cache writes and audio tokens.
-- Answers: what a call of a given service tier (flex, priority, batch) and
-- prompt size costs per token kind, and what each stored call used of them.
--
-- price_tier: the prices of one (service tier, context tier) of a model's
--   price row (the `price` row of the same model and effective_from; NULL =
--   always). service_tier is 'standard', 'flex', 'priority' or 'batch';
--   above_tokens the context tier: the prices apply to calls whose whole
--   prompt (input tokens, cache included) is more than above_tokens; 0 = no
--   context tier. A NULL price is absent: the cost formula (src/pricing/
--   pricing.h) then takes the next most specific price: tier + context tier,
--   context tier, tier, standard. The row ('standard', 0) holds the standard
--   prices the `price` row has no column for (1-hour cache write, audio).
--   USD per million tokens. `prices import` replaces a model's rows here
--   with its `price` rows.
CREATE TABLE IF NOT EXISTS price_tier (
  model                    TEXT NOT NULL,
  effective_from           TEXT,
  service_tier             TEXT NOT NULL DEFAULT 'standard',
  above_tokens             INTEGER NOT NULL DEFAULT 0,
  input_per_mtok           REAL,
  output_per_mtok          REAL,
  cache_read_per_mtok      REAL,
  cache_write_per_mtok     REAL,   -- 5-minute cache write
  cache_write_1h_per_mtok  REAL,   -- 1-hour cache write
  reasoning_per_mtok       REAL,
  audio_input_per_mtok     REAL,
  audio_output_per_mtok    REAL
);
CREATE INDEX IF NOT EXISTS price_tier_model_idx ON price_tier(model);

-- span.service_tier: label.id of the call's service tier as the producer
--   gave it (agentcost.service_tier, else openai.response.service_tier,
--   gen_ai.openai.response.service_tier, openai.request.service_tier,
--   gen_ai.openai.request.service_tier); NULL = none (standard).
-- span.tokens_cache_write_1h: the part of tokens_cache_write written with
--   the 1-hour lifetime. span.tokens_audio_in / tokens_audio_out: the parts
--   of tokens_in / tokens_out that are audio.
-- span.price_note: bit 1 = the call's service tier had no price of its own
--   for the model and it was priced at standard (summary's
--   tier_fallback_calls). Set with cost_usd at ingest and re-pricing.
ALTER TABLE span ADD COLUMN service_tier INTEGER;
ALTER TABLE span ADD COLUMN tokens_cache_write_1h INTEGER;
ALTER TABLE span ADD COLUMN tokens_audio_in INTEGER;
ALTER TABLE span ADD COLUMN tokens_audio_out INTEGER;
ALTER TABLE span ADD COLUMN price_note INTEGER NOT NULL DEFAULT 0;
