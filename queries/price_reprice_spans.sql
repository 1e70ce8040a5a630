-- price_reprice_spans.sql: the spans `prices import` re-prices, in
-- batches (src/pricing/pricing.c: ac_pricing_reprice; the store's current schema; the
-- _v8 and _v1 twins read stores before schema 9 and 8).
-- Parameters: ?1 the last span id read (INT64_MIN first), ?2 the batch size.
-- Output: id, step, model, tool, start_ns, tokens_in, tokens_out,
--         tokens_cache_read, tokens_cache_write, tokens_reasoning,
--         producer_cost_usd, cost_usd, cost_src, provider, service, scope,
--         tokens_cache_write_1h, tokens_audio_in, tokens_audio_out,
--         service tier, price_note; the LLM and tool spans after ?1 in id order.
SELECT s.id, s.step, m.name, t.name, s.start_ns, s.tokens_in, s.tokens_out,
       s.tokens_cache_read, s.tokens_cache_write, s.tokens_reasoning,
       s.producer_cost_usd, s.cost_usd, s.cost_src, p.name, sv.name, sc.name,
       s.tokens_cache_write_1h, s.tokens_audio_in, s.tokens_audio_out, st.name,
       s.price_note
FROM span s LEFT JOIN model m ON m.id = s.model LEFT JOIN tool t ON t.id = s.tool
LEFT JOIN label p ON p.id = s.provider LEFT JOIN service sv ON sv.id = s.service
LEFT JOIN label sc ON sc.id = s.scope LEFT JOIN label st ON st.id = s.service_tier
WHERE s.step IN (1, 2) AND s.id > ?1 ORDER BY s.id LIMIT ?2;
