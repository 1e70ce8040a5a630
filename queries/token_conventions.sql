-- token_conventions.sql: the stated token conventions, for
-- `agentcost prices convention` without arguments.
-- Answers: which systems and instrumentation scopes were said to count the
-- cached tokens in the input or not (table token_convention,
-- schema/009_token_convention.sql).
-- Parameters: none.
-- Output: kind (system or scope), name, convention, set_at; ordered by kind,
--         name.
SELECT kind, name, convention, set_at
FROM token_convention
ORDER BY kind, name;
