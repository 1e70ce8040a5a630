-- 001_init.sql: the span store.
-- Answers: nothing by itself; this is the typed, dictionary-encoded fact table
-- every analysis reads, plus the dimension tables, the ingested-file ledger,
-- the compressed originals and the imported price tables.
-- Applied by the binary when PRAGMA user_version < 1; runnable in the sqlite3 shell.

-- Ingested files: one row per ingest of one input (a file or standard input).
CREATE TABLE file (
  id            INTEGER PRIMARY KEY,
  path          TEXT NOT NULL,
  size          INTEGER,              -- bytes on disk (NULL for stdin)
  content_hash  TEXT,                 -- 16 hex digits of agentcost's 64-bit content hash
  container     TEXT,                 -- plain | zstd | zstd-framed
  format        TEXT,                 -- otlp | flat | mixed | unknown
  started_at    TEXT NOT NULL,        -- ISO-8601 UTC
  finished_at   TEXT,                 -- NULL while running or after a crash
  records       INTEGER NOT NULL DEFAULT 0,  -- lines / messages read
  spans         INTEGER NOT NULL DEFAULT 0,  -- valid spans read
  spans_new     INTEGER NOT NULL DEFAULT 0,  -- of those, not already in the store
  errors        INTEGER NOT NULL DEFAULT 0,  -- records or spans skipped
  complete      INTEGER NOT NULL DEFAULT 0,  -- 1: read to the end with no fatal error
  note          TEXT                          -- why incomplete, if so
);
CREATE INDEX file_hash_idx ON file(content_hash);

-- Dimension tables: small dictionaries, so the fact table holds integers.
CREATE TABLE model      (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE service    (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE tool       (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE span_name  (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
-- Low-cardinality labels: providers, environments, complexity classes,
-- explicit purposes, error types, agent names, task types.
CREATE TABLE label      (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
-- Explicit task ids (agentcost.task.id): one row per task that has one.
CREATE TABLE task_ref   (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
-- Traces: the 16-byte OTLP trace id, once.
CREATE TABLE trace      (id INTEGER PRIMARY KEY, trace_id BLOB NOT NULL UNIQUE);

-- Compressed originals: blocks of span JSON texts, zstd-compressed together.
CREATE TABLE raw_block (
  id    INTEGER PRIMARY KEY,
  file  INTEGER NOT NULL,
  z     BLOB NOT NULL
);

-- The fact table: one row per distinct (trace_id, span_id).
-- The row id is the span's identity key: (trace.id << 24) | (24-bit hash of
-- span_id), probed +1 on a collision within the trace. Spans of one trace are
-- one contiguous rowid range, trace.id << 24 .. (trace.id << 24) + 2^24 - 1, so
-- the table needs no index for identity checks or for reading a trace, and a
-- new trace appends at the end of the B-tree.
CREATE TABLE span (
  id                  INTEGER PRIMARY KEY,
  trace               INTEGER GENERATED ALWAYS AS (id >> 24) VIRTUAL,
                                         -- trace.id: the key's top bits (a store
                                         -- created before schema 5 stores it)
  span_id             BLOB NOT NULL,     -- 8 bytes
  parent_span_id      BLOB,              -- 8 bytes, NULL for a root
  file                INTEGER NOT NULL,  -- file.id of the first file that brought it
  start_ns            INTEGER NOT NULL,  -- UTC ns since epoch
  end_ns              INTEGER NOT NULL,
  step                INTEGER NOT NULL,  -- 0 other, 1 llm, 2 tool, 3 agent, 4 chain, 5 evaluator
  status              INTEGER NOT NULL,  -- OTLP StatusCode: 0 unset, 1 ok, 2 error
  name                INTEGER,           -- span_name.id
  service             INTEGER,           -- service.id (resource service.name)
  env                 INTEGER,           -- label.id (deployment.environment[.name])
  model               INTEGER,           -- model.id
  provider            INTEGER,           -- label.id
  tool                INTEGER,           -- tool.id
  error_type          INTEGER,           -- label.id (error.type)
  tokens_in           INTEGER,           -- includes cache read and cache write
  tokens_out          INTEGER,           -- includes reasoning
  tokens_cache_read   INTEGER,
  tokens_cache_write  INTEGER,
  tokens_reasoning    INTEGER,
  cost_usd            REAL,              -- what agentcost counts; NULL = unpriced
  cost_src            INTEGER NOT NULL,  -- 0 not billable, 1 price table, 2 producer's cost (model unpriced), 3 unpriced
  producer_cost_usd   REAL,              -- cost the producer computed (llm.cost.total, gen_ai.usage.cost, ...)
  complexity          INTEGER,           -- label.id (agentcost.complexity on the span itself)
  purpose             INTEGER,           -- label.id (agentcost.purpose on the span itself)
  task_ref            INTEGER,           -- task_ref.id (agentcost.task.id)
  task_type           INTEGER,           -- label.id (agentcost.task.type)
  agent_name          INTEGER,           -- label.id (gen_ai.agent.name, else agent.name)
  eval_score          REAL,              -- agentcost.eval.score, 0..1
  raw_block           INTEGER,           -- raw_block.id, NULL with --no-raw
  raw_off             INTEGER,
  raw_len             INTEGER
);

-- Imported model prices (USD per million tokens). The built-in table lives in
-- the binary; rows here beat it at every step of name resolution.
CREATE TABLE price (
  model                       TEXT NOT NULL,
  input_per_mtok              REAL NOT NULL,
  output_per_mtok             REAL NOT NULL,
  cache_read_per_mtok         REAL,
  cache_write_per_mtok        REAL,
  reasoning_per_mtok          REAL,
  input_above_200k_per_mtok   REAL,
  output_above_200k_per_mtok  REAL,
  effective_from              TEXT,      -- YYYY-MM-DD, NULL = always
  source                      TEXT NOT NULL,
  imported_at                 TEXT NOT NULL
);
CREATE INDEX price_model_idx ON price(model);

-- Imported per-call prices of paid tools (USD per call).
CREATE TABLE tool_price (
  tool            TEXT NOT NULL,
  per_call        REAL NOT NULL,
  effective_from  TEXT,
  source          TEXT NOT NULL,
  imported_at     TEXT NOT NULL
);
CREATE INDEX tool_price_tool_idx ON tool_price(tool);
