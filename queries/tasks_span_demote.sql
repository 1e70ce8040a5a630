-- tasks_span_demote.sql: rewrite an LLM span judged a rollup of the calls
-- below it as a chain step with no counted cost (src/tasks/tasks.c: the rollup rule).
-- Parameters: ?1 span id, ?2 step (AC_STEP_CHAIN), ?3 cost_src (none).
-- Output: none.
UPDATE span SET step = ?2, cost_usd = 0, cost_src = ?3 WHERE id = ?1;
