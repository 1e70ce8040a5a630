-- 004_rollup.sql: rollups maintained by the task derivation, so analyses read
-- thousands of rows instead of every span of a year.
-- Answers: nothing new; the same questions as the span scans in queries/*.sql,
-- from sums kept up to date inside each ingest transaction (src/tasks/tasks.c).
--
-- rollup_key: every combination of what a span is counted by. A span's key
--   is stored on the span (span.rollup_key), so when derivation changes any
--   part of it (a late root changes the task's system or type, a late failure
--   makes a call a retry), the span's contribution is moved from the old key
--   to the new one, exactly.
-- rollup: per UTC hour (start_ns / 3600e9, the span's start) and key, the sums
--   of the spans. An analysis whose window starts and ends on whole hours (every
--   --since/--until given as a date, and no window at all) reads this table;
--   any other window scans the spans (queries/*.sql without the _rollup suffix).
-- task_call: per task, the LLM calls grouped by complexity class, model, UTC
--   day and price tier, with their token sums: what the router replays. The
--   price of a call is linear in its tokens within one tier, so a group prices
--   as the sum of its calls. Calls whose counts a producer got inconsistent
--   (cache tokens above input, reasoning above output, negative counts) are
--   clamped per call by the price formula: each gets a group of its own.
-- Applied by the binary when PRAGMA user_version < 4. An existing store's
-- traces are all marked dirty; the next command derives them, filling these.

ALTER TABLE span ADD COLUMN rollup_key INTEGER;  -- rollup_key.id, NULL until derived

-- The derived columns (task, purpose_eff, complexity_eff, rollup_key) are
-- written at insert with negative placeholders of their likely width and
-- replaced by the derivation in the same transaction, so rows are rewritten
-- in place; a committed row never holds a placeholder.

CREATE TABLE rollup_key (
  id           INTEGER PRIMARY KEY,
  system       INTEGER NOT NULL,  -- task.system (service.id), 0 none
  service      INTEGER NOT NULL,  -- span.service, 0 none
  task_type    INTEGER NOT NULL,  -- task.task_type (label.id), 0 none
  eval         INTEGER NOT NULL,  -- task.eval
  step         INTEGER NOT NULL,  -- span.step
  status       INTEGER NOT NULL,  -- span.status
  cost_src     INTEGER NOT NULL,  -- span.cost_src
  model        INTEGER NOT NULL,  -- span.model, 0 none
  tool         INTEGER NOT NULL,  -- span.tool, 0 none
  purpose      INTEGER NOT NULL,  -- span.purpose_eff
  complexity   INTEGER NOT NULL,  -- span.complexity_eff, 0 none
  trace_first  INTEGER NOT NULL,  -- 1: the earliest span of its trace (start, then key)
  UNIQUE (system, service, task_type, eval, step, status, cost_src, model, tool, purpose,
          complexity, trace_first)
);

CREATE TABLE rollup (
  hour                INTEGER NOT NULL,  -- span.start_ns / 3600e9
  key                 INTEGER NOT NULL,  -- rollup_key.id
  spans               INTEGER NOT NULL,
  cost_usd            REAL NOT NULL,     -- sum of span.cost_usd; unpriced count 0
  tokens_in           INTEGER NOT NULL,  -- NULL counts count 0
  tokens_out          INTEGER NOT NULL,
  tokens_cache_read   INTEGER NOT NULL,
  tokens_cache_write  INTEGER NOT NULL,
  tokens_reasoning    INTEGER NOT NULL,
  producer_cost_usd   REAL NOT NULL,     -- sum of span.producer_cost_usd
  scored              INTEGER NOT NULL,  -- spans with an eval score
  score_sum           REAL NOT NULL,
  score_sq            REAL NOT NULL,     -- sum of squared scores
  score_partial       INTEGER NOT NULL,  -- scores other than exactly 0 or 1
  scored_tokens_out   INTEGER NOT NULL,  -- output tokens of the scored spans
  PRIMARY KEY (hour, key)
) WITHOUT ROWID;

CREATE TABLE task_call (
  task                INTEGER NOT NULL,  -- task.id
  complexity          INTEGER NOT NULL,  -- span.complexity_eff, 0 none
  model               INTEGER NOT NULL,  -- span.model, 0 none
  day                 INTEGER NOT NULL,  -- start_ns / 86400e9 (the price in force)
  grp                 INTEGER NOT NULL,  -- 0 regular calls, 1 above 200,000 input
                                         -- tokens, else the span.id of one
                                         -- irregular call
  calls               INTEGER NOT NULL,
  tokens_in           INTEGER NOT NULL,
  tokens_out          INTEGER NOT NULL,
  tokens_cache_read   INTEGER NOT NULL,
  tokens_cache_write  INTEGER NOT NULL,
  tokens_reasoning    INTEGER NOT NULL,
  cost_usd            REAL NOT NULL,     -- recorded cost; unpriced count 0
  PRIMARY KEY (task, complexity, model, day, grp)
) WITHOUT ROWID;

-- What dominated each task, for the guardrail (src/analysis/guard.c), kept by
-- derivation so judging a year of tasks reads the task table only:
--   top_model       the model with the highest cost over the task's LLM calls
--   top_purpose     the step purpose with the highest cost over its costed spans
--   top_tool        the tool with the most calls; top_tool_calls their number
-- Ties go to the name first in byte order; NULL when the task has none.
ALTER TABLE task ADD COLUMN top_model INTEGER;      -- model.id
ALTER TABLE task ADD COLUMN top_purpose INTEGER;    -- label.id
ALTER TABLE task ADD COLUMN top_tool INTEGER;       -- tool.id
ALTER TABLE task ADD COLUMN top_tool_calls INTEGER;

INSERT OR IGNORE INTO dirty_trace(trace) SELECT id FROM trace;

-- 1 while the rollup may not match the spans: set before re-pricing changes
-- span costs, cleared when the rollup has been rebuilt from the spans
-- (ac_tasks_rollup_rebuild); a store opened with it set is rebuilt first.
CREATE TABLE rollup_state (stale INTEGER NOT NULL);
INSERT INTO rollup_state(stale) VALUES (0);
