-- 006_model_alias.sql: model aliases, for names no rule can resolve (issue #18).
-- Answers: which priced model a span's model name stands for, when the name
-- is the user's own (an Azure OpenAI deployment name, a Bedrock application
-- inference profile id, a gateway's route name).
-- Written by `agentcost prices import FILE` when FILE is a CSV with the header
-- alias,model; an import replaces the aliases the file names. Read by the
-- pricebook (src/pricing/pricing.c): an alias is the first step of model name
-- resolution (src/pricing/pricing.h), its model then resolves by the other
-- steps (never through another alias). Listed by `agentcost prices list --aliases`.
-- Applied by the binary when PRAGMA user_version < 6; runnable in the sqlite3 shell.
CREATE TABLE model_alias (
  alias        TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,  -- the name spans carry
  model        TEXT NOT NULL,                             -- the model it stands for
  source       TEXT NOT NULL,                             -- file name of the import
  imported_at  TEXT NOT NULL                              -- ISO-8601 UTC
);
