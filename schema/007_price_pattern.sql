-- 007_price_pattern.sql: model-name patterns of imported prices.
-- Answers: which span model names an imported model's prices cover beyond
-- its own name.
--
-- price_pattern.model is a model of the `price` table; price_pattern.pattern
--   its Langfuse matchPattern as written (a JavaScript regular expression
--   such as '(?i)^(openai\/)?(gpt-4o-mini)$'). `prices import` stores one
--   only when it translates to a POSIX extended regular expression
--   (src/pricing/pattern.c), and drops it with the model's rows when a later
--   import names the model. The pricebook compiles it with regcomp(3) and
--   tries it after the exact imported names, before the provider-prefix and
--   date-suffix steps of name resolution.
CREATE TABLE IF NOT EXISTS price_pattern (
	model TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
	pattern TEXT NOT NULL
);
