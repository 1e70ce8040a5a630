-- 002_tasks.sql: tasks and step purposes, derived from the spans.
-- A task is a trace, unless spans carry agentcost.task.id (then that groups
-- them, across traces if need be). Derivation is incremental: ingest records
-- every trace it touched in dirty_trace, and the derivation re-derives only
-- those (and the tasks they belong to), in the same kind of transaction.

-- Traces touched since the last derivation.
CREATE TABLE dirty_trace (trace INTEGER PRIMARY KEY);

-- Derived per span (NULL until derived):
--   task           task.id
--   purpose_eff    label.id of the step purpose: eval, summarize, retry,
--                  the explicit agentcost.purpose, else execute (LLM) / tool / other
--   complexity_eff label.id of agentcost.complexity on the span or its nearest ancestor
ALTER TABLE span ADD COLUMN task INTEGER;
ALTER TABLE span ADD COLUMN purpose_eff INTEGER;
ALTER TABLE span ADD COLUMN complexity_eff INTEGER;

CREATE TABLE task (
  id               INTEGER PRIMARY KEY,
  trace            INTEGER UNIQUE,    -- trace.id when the task is a trace
  task_ref         INTEGER UNIQUE,    -- task_ref.id when grouped by agentcost.task.id
  task_id          TEXT NOT NULL,     -- trace id in lowercase hex, or the agentcost.task.id
  system           INTEGER,           -- service.id: service.name of the root span, else the most common
  task_type        INTEGER,           -- label.id
  start_ns         INTEGER NOT NULL,
  end_ns           INTEGER NOT NULL,
  spans            INTEGER NOT NULL,
  llm_calls        INTEGER NOT NULL,
  tool_calls       INTEGER NOT NULL,
  tokens_in        INTEGER NOT NULL,
  tokens_out       INTEGER NOT NULL,
  cost_usd         REAL NOT NULL,     -- sum of the spans' counted cost
  unpriced_calls   INTEGER NOT NULL,  -- LLM calls without a price in force
  eval             INTEGER NOT NULL,  -- 1: an evaluation task, not user work
  tool_failures    INTEGER NOT NULL,  -- tool calls with status error
  retry_episodes   INTEGER NOT NULL,  -- failure episodes (see src/tasks/tasks.c)
  retry_attempts   INTEGER NOT NULL,  -- calls of the failing tool after its first failure
  max_repeat       INTEGER NOT NULL,  -- longest run of one tool among the tool calls, or one span name among the LLM calls
  root_span        INTEGER            -- span.id of the root
);
CREATE INDEX task_start_idx ON task(start_ns);

-- Traces of the tasks grouped by agentcost.task.id.
CREATE TABLE task_trace (
  task   INTEGER NOT NULL,
  trace  INTEGER NOT NULL,
  PRIMARY KEY (task, trace)
) WITHOUT ROWID;
CREATE INDEX task_trace_trace_idx ON task_trace(trace);
