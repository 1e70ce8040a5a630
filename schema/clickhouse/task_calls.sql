-- task_calls: one row per task, its LLM calls grouped and packed as the
-- SQLite store's table task_calls keeps them (src/tasks/callpack.h), for the
-- router (simulate, recommend) and `agentcost calls`. Beside the groups the
-- task's fields the router's window asks about (start_ns, system, eval), so
-- its reads are single-table. The packed groups name their complexity class
-- and model by ids computed from the names as the twins compute them
-- (toInt64(bitShiftRight(cityHash64(name), 2)) + 1; src/store/ch_ship.c
-- re-encodes the staging store's dictionary ids), and `classes`, `models`
-- list those names, so that src/store/ch_store.c can name an id again.
-- ReplacingMergeTree by task_id: a task derived again (late spans) replaces
-- its row; readers use FINAL. Not partitioned, as task (its schema file
-- says why). Sharded like task (cityHash64(task_id)). A task no longer
-- derived gets a tombstone as in the task table (start_ns the largest
-- Int64, no groups).
-- {name}, {engine} are filled by src/store/ch_store.c.
CREATE TABLE IF NOT EXISTS {name} (
  task_id   String,
  start_ns  Int64,
  system    Nullable(String),
  eval      UInt8,
  groups    String,
  classes   Array(String),
  models    Array(String),
  version   UInt64
) ENGINE = {engine}
