-- tasks_rollup_add.sql: add sums to one (hour, key) row of the rollup
-- (schema/004_rollup.sql), creating it when new: the incremental upkeep of
-- src/tasks/tasks.c (negative sums take a span away) and the rebuild from
-- rollup_rebuild.sql.
-- Parameters: ?1 hour, ?2 key, ?3 spans, ?4 cost_usd, ?5 tokens_in,
--             ?6 tokens_out, ?7 tokens_cache_read, ?8 tokens_cache_write,
--             ?9 tokens_reasoning, ?10 producer_cost_usd, ?11 scored,
--             ?12 score_sum, ?13 score_sq, ?14 score_partial,
--             ?15 scored_tokens_out (the columns of table rollup, in order).
-- Output: none.
INSERT INTO rollup(hour, key, spans, cost_usd, tokens_in, tokens_out,
                   tokens_cache_read, tokens_cache_write, tokens_reasoning, producer_cost_usd,
                   scored, score_sum, score_sq, score_partial, scored_tokens_out)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
ON CONFLICT(hour, key) DO UPDATE SET spans = spans + excluded.spans,
  cost_usd = cost_usd + excluded.cost_usd,
  tokens_in = tokens_in + excluded.tokens_in,
  tokens_out = tokens_out + excluded.tokens_out,
  tokens_cache_read = tokens_cache_read + excluded.tokens_cache_read,
  tokens_cache_write = tokens_cache_write + excluded.tokens_cache_write,
  tokens_reasoning = tokens_reasoning + excluded.tokens_reasoning,
  producer_cost_usd = producer_cost_usd + excluded.producer_cost_usd,
  scored = scored + excluded.scored, score_sum = score_sum + excluded.score_sum,
  score_sq = score_sq + excluded.score_sq,
  score_partial = score_partial + excluded.score_partial,
  scored_tokens_out = scored_tokens_out + excluded.scored_tokens_out;
