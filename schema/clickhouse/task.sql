-- task: one row per task, as the SQLite store's task table with names
-- written out. ReplacingMergeTree by task_id: a task derived again (late
-- spans) replaces its row; readers use FINAL. Sharded like span
-- (cityHash64(task_id)). A task that is no longer derived (its spans went to
-- another task: an agentcost.task.id arriving late) is replaced by a
-- tombstone that starts at the largest Int64, outside every window
-- (queries/ch_ship_gone_tasks.sql): a reader without a window says
-- start_ns < 9223372036854775807.
-- Not partitioned: a task's start moves when a late span starts before it,
-- and a partition key on start_ns would let a window's read skip the part
-- holding a task's newest row (or its tombstone) by its start while reading
-- the part of an older row: FINAL merges only the parts a read keeps, and
-- the older row would count. Without one, FINAL sees every version of a
-- task and the window applies to the newest.
CREATE TABLE IF NOT EXISTS {name} (
  task_id          String,
  system           Nullable(String),
  task_type        Nullable(String),
  start_ns         Int64,
  end_ns           Int64,
  spans            Int64,
  llm_calls        Int64,
  tool_calls       Int64,
  tokens_in        Int64,
  tokens_out       Int64,
  cost_usd         Float64,
  unpriced_calls   Int64,
  eval             UInt8,
  tool_failures    Int64,
  retry_episodes   Int64,
  retry_attempts   Int64,
  max_repeat       Int64,
  top_model        Nullable(String),
  top_purpose      Nullable(String),
  top_tool         Nullable(String),
  top_tool_calls   Nullable(Int64),
  version          UInt64
) ENGINE = {engine}
