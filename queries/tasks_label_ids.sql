-- tasks_label_ids.sql: labels named one of two words (any case), for task
-- derivation (src/tasks/tasks.c: refresh): the environment ids that mean an evaluation
-- (eval, evaluation) and the purpose ids named eval, summarize or retry.
-- Parameters: ?1 the highest label id already looked at, ?2 and ?3 the lower
--             case names (the same twice for one name).
-- Output: id of each label above ?1 so named.
SELECT id FROM label WHERE id > ?1 AND lower(name) IN (?2, ?3);
