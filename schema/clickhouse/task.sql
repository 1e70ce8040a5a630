-- task: one row per task, as the SQLite store's task table with names
-- written out. ReplacingMergeTree by task_id: a task derived again (late
-- spans) replaces its row; readers use FINAL. Partitioned by the month of
-- the task's start; sharded like span (cityHash64(task_id)).
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
