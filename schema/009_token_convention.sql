-- 009_token_convention.sql: token conventions (issue #18, item 7).
-- Answers: does a producer's input token count include the cached tokens
-- (OpenAI's prompt_tokens, OTel GenAI's gen_ai.usage.input_tokens) or exclude
-- them (Anthropic's raw input_tokens, as the Vercel AI SDK and several
-- instrumentations report it)?
-- span.scope: the instrumentation scope name of the span (OTLP
-- scopeSpans[].scope.name, or the attribute otel.scope.name), label.id;
-- NULL for spans ingested before schema 9 or without a scope.
-- token_convention: the user's word for the producers whose numbers are
-- ambiguous, per system (the span's service.name, as `--system` everywhere)
-- or per instrumentation scope. Written by `agentcost prices convention`; read
-- by the pricebook (src/pricing/convention.c). A scope's setting beats its
-- system's; no row = auto (input fewer than cache read + cache write means
-- input excludes the cache; otherwise it includes it).
-- Applied by the binary when PRAGMA user_version < 9; runnable in the sqlite3 shell.
ALTER TABLE span ADD COLUMN scope INTEGER;  -- label.id (instrumentation scope name)

CREATE TABLE token_convention (
  kind        TEXT NOT NULL CHECK (kind IN ('system', 'scope')),
  name        TEXT NOT NULL,                 -- service.name or scope name, exact
  convention  TEXT NOT NULL CHECK (convention IN ('includes', 'excludes')),
  set_at      TEXT NOT NULL,                 -- ISO-8601 UTC
  PRIMARY KEY (kind, name)
);
