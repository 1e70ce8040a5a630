-- span: the one fact table of a ClickHouse store: one row per span, the
-- SQLite store's span table with its names written out (no dictionary joins
-- in the server) and its task's derived fields beside it: t_system, t_type,
-- t_eval on every span, the others (t_start_ns ... g_cost) on the
-- earliest span of each trace (trace_first = 1; 0 and NULL elsewhere), so
-- every analysis is a single-table GROUP BY and a task is the GROUP BY
-- task_id of those rows (queries/clickhouse: {task}).
-- There is no task table to go stale: a task derived again (late spans, a
-- trace joining an agentcost.task.id group) is its spans sent again.
-- ReplacingMergeTree: a span sent again (re-ingest, overlapping files, its
-- task re-derived) replaces the older row of the same (trace_id, span_id)
-- with the highest `version`; readers use FINAL. Partitioned by the month of
-- the span's start (a span never changes month, so never partition).
-- With ?cluster=NAME this is span_local on every shard and `span` is a
-- Distributed table sharded by cityHash64(trace_id): a trace lives on one
-- shard and a span never moves. A task of several traces (agentcost.task.id)
-- may span shards; its per-task GROUP BY is merged across them by the
-- Distributed table, so it is still one row with the sums of all its spans.
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
  t_start_ns         Int64,
  t_end_ns           Int64,
  t_spans            Int64,
  t_llm_calls        Int64,
  t_tool_calls       Int64,
  t_tokens_in        Int64,
  t_tokens_out       Int64,
  t_cost_usd         Float64,
  t_unpriced_calls   Int64,
  t_tool_failures    Int64,
  t_retry_episodes   Int64,
  t_retry_attempts   Int64,
  t_max_repeat       Int64,
  t_top_model        Nullable(String),
  t_top_purpose      Nullable(String),
  t_top_tool         Nullable(String),
  t_top_tool_calls   Nullable(Int64),
  t_groups           String,         -- the task's LLM calls grouped and packed
                                     -- (src/tasks/callpack.h) with the name ids
                                     -- the twins compute; '' elsewhere
  t_classes          Array(String),  -- the names of the groups' classes
  t_models           Array(String),  -- and models (ac_store_name finds them)
  -- the same groups unpacked, one element per group, for the router's replay
  -- in the server (queries/clickhouse/router_*.sql): class and model by name
  -- ('' with bit 1 / bit 2 of g_none: none; ClickHouse 18.16 crashes on an
  -- Array(Nullable(String)) holding a NULL in a distributed any()), UTC day,
  -- service tier, price group (callpack.h grp), calls, token sums, recorded
  -- cost; empty arrays elsewhere
  g_class            Array(String),
  g_model            Array(String),
  g_none             Array(UInt8),
  g_day              Array(Int64),
  g_tier             Array(Int64),
  g_grp              Array(Int64),
  g_calls            Array(Int64),
  g_tin              Array(Int64),
  g_tout             Array(Int64),
  g_tcr              Array(Int64),
  g_tcw              Array(Int64),
  g_trs              Array(Int64),
  g_tcw1h            Array(Int64),
  g_tain             Array(Int64),
  g_taout            Array(Int64),
  g_cost             Array(Float64),
  version            UInt64
) ENGINE = {engine}
