-- tasks_span_derived.sql: write the derived columns of one span (src/tasks/tasks.c).
-- Parameters: ?1 span id, ?2 task, ?3 purpose_eff, ?4 complexity_eff,
--             ?5 rollup_key.
-- Output: none.
UPDATE span SET task = ?2, purpose_eff = ?3, complexity_eff = ?4, rollup_key = ?5
WHERE id = ?1;
