-- model_aliases.sql: the imported model aliases, for
-- `agentcost prices list --aliases`.
-- Answers: which model each alias names (table model_alias,
-- schema/006_model_alias.sql).
-- Parameters: none.
-- Output: alias, model, source, imported_at; ordered by alias.
SELECT alias, model, source, imported_at
FROM model_alias
ORDER BY alias;
