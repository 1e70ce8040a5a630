-- span: one row per span, the SQLite store's span table with its names
-- written out (no dictionary joins in the server) and its task's fields
-- beside it (t_*), so every analysis is a single-table GROUP BY.
-- ReplacingMergeTree: a span sent again (re-ingest, overlapping files, or its
-- task re-derived after late spans) replaces the older row of the same
-- (trace_id, span_id) with the highest `version`; readers use FINAL.
-- Partitioned by the month of the span's start (a span never changes month).
-- With ?cluster=NAME this is span_local on every shard and `span` is a
-- Distributed table sharded by cityHash64(task_id): a task's spans and its
-- task row live on one shard, also when agentcost.task.id groups traces.
-- {name}, {engine} are filled by src/store/ch_store.c.
CREATE TABLE IF NOT EXISTS {name} (
  task_id            String,
  trace_id           String,
  span_id            String,
  parent_span_id     Nullable(String),
  start_ns           Int64,
  end_ns             Int64,
  step               Int8,
  status             Int8,
  name               Nullable(String),
  service            Nullable(String),
  env                Nullable(String),
  model              Nullable(String),
  provider           Nullable(String),
  tool               Nullable(String),
  error_type         Nullable(String),
  tokens_in          Nullable(Int64),
  tokens_out         Nullable(Int64),
  tokens_cache_read  Nullable(Int64),
  tokens_cache_write Nullable(Int64),
  tokens_reasoning   Nullable(Int64),
  tokens_cache_write_1h Nullable(Int64),
  tokens_audio_in    Nullable(Int64),
  tokens_audio_out   Nullable(Int64),
  cost_usd           Nullable(Float64),
  cost_src           Int8,
  producer_cost_usd  Nullable(Float64),
  complexity         Nullable(String),
  purpose            Nullable(String),
  task_type          Nullable(String),
  task_ref           Nullable(String),
  agent_name         Nullable(String),
  eval_score         Nullable(Float64),
  purpose_eff        Nullable(String),
  complexity_eff     Nullable(String),
  service_tier       Nullable(String),
  price_note         Int32,
  scope              Nullable(String),
  user               Nullable(String),
  session            Nullable(String),
  trace_first        UInt8,
  t_system           Nullable(String),
  t_type             Nullable(String),
  t_eval             UInt8,
  version            UInt64
) ENGINE = {engine}
