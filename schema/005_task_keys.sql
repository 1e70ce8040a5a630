-- 005_task_keys.sql: tasks keyed by what they are, and the router's call
-- groups packed, so a year's store takes less room (issue #7: <= 120 bytes a
-- span without the originals).
-- Answers: nothing new; the same tasks and call groups as before.
--
-- task.id is now the trace's id (trace.id) for a task that is a trace, and
--   2^40 + task_ref.id for a task grouped by agentcost.task.id (trace ids stay
--   below 2^39: a span's key is trace.id << 24). The task of a trace or of a
--   task.id is found by its key, with no index; task.trace and task.task_ref
--   are computed from the id (generated columns: read them as before).
-- task.tkey holds the 16-byte trace id (a trace task) or the agentcost.task.id
--   text; task.task_id, the visible id (the trace id in lowercase hex, or the
--   agentcost.task.id), is computed from it.
-- task.root_span is gone (nothing read it; the root is the span of the trace
--   with no parent).
-- task_calls replaces task_call: one row per task holding its call groups
--   packed (src/tasks/callpack.h: per group complexity, model, day, tier,
--   calls and the five token sums as varints, and the recorded cost as an
--   8-byte double). `agentcost debug calls` prints them as task_call rows.
--
-- Applied by the binary when PRAGMA user_version < 5. The derived tables are
-- dropped and every trace is marked dirty: the next command derives them
-- again (the spans and the rollup are kept; the rollup's sums do not change).

DROP TABLE task;
DROP TABLE task_call;
DELETE FROM task_trace;

CREATE TABLE task (
  id               INTEGER PRIMARY KEY,  -- trace.id, or 2^40 + task_ref.id
  tkey             BLOB NOT NULL,        -- trace.trace_id, or the agentcost.task.id (text)
  system           INTEGER,              -- service.id: service.name of the root span, else the most common
  task_type        INTEGER,              -- label.id
  start_ns         INTEGER NOT NULL,
  end_ns           INTEGER NOT NULL,
  spans            INTEGER NOT NULL,
  llm_calls        INTEGER NOT NULL,
  tool_calls       INTEGER NOT NULL,
  tokens_in        INTEGER NOT NULL,
  tokens_out       INTEGER NOT NULL,
  cost_usd         REAL NOT NULL,        -- sum of the spans' counted cost
  unpriced_calls   INTEGER NOT NULL,     -- LLM calls without a price in force
  eval             INTEGER NOT NULL,     -- 1: an evaluation task, not user work
  tool_failures    INTEGER NOT NULL,     -- tool calls with status error
  retry_episodes   INTEGER NOT NULL,     -- failure episodes (see src/tasks/tasks.c)
  retry_attempts   INTEGER NOT NULL,     -- calls of the failing tool after its first failure
  max_repeat       INTEGER NOT NULL,     -- longest run of one tool among the tool calls, or one span name among the LLM calls
  top_model        INTEGER,              -- model.id
  top_purpose      INTEGER,              -- label.id
  top_tool         INTEGER,              -- tool.id
  top_tool_calls   INTEGER,
  trace            INTEGER GENERATED ALWAYS AS
                     (CASE WHEN id < 1099511627776 THEN id END) VIRTUAL,  -- trace.id when the task is a trace
  task_ref         INTEGER GENERATED ALWAYS AS
                     (CASE WHEN id >= 1099511627776 THEN id - 1099511627776 END) VIRTUAL,  -- task_ref.id
  task_id          TEXT GENERATED ALWAYS AS
                     (CASE WHEN typeof(tkey) = 'blob' THEN lower(hex(tkey)) ELSE tkey END) VIRTUAL
);
CREATE INDEX task_start_idx ON task(start_ns);

CREATE TABLE task_calls (
  task    INTEGER PRIMARY KEY,  -- task.id
  groups  BLOB NOT NULL         -- the task's LLM calls grouped (src/tasks/callpack.h)
);

INSERT OR IGNORE INTO dirty_trace(trace) SELECT id FROM trace;
