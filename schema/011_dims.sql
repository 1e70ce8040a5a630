-- 011_dims.sql: who spent it (issue #17). Dimensions a cost can be grouped
-- and filtered by beyond system, task type and model: the user, the session,
-- any attribute of the spans or their resources.
-- A span's value of a dimension is the first of its keys present in the
-- span's attributes, else in its resource's attributes; a task's value is
-- its root span's value, else the value of its earliest span (by start time,
-- ties by span id) that has one, else "(none)" (src/analysis/dims.c).
-- Applied by the binary when PRAGMA user_version < 11; runnable in the sqlite3 shell.

-- Values of the dimensions that can have many: users, sessions, promoted
-- attributes. A dictionary, so the fact table holds integers.
CREATE TABLE dim_value (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);

-- user: user.id, enduser.id, langfuse.user.id, user_id (span, else resource)
ALTER TABLE span ADD COLUMN user_v INTEGER;     -- dim_value.id
-- session: session.id, gen_ai.conversation.id, langfuse.session.id, session_id
ALTER TABLE span ADD COLUMN session_v INTEGER;  -- dim_value.id
-- The span's resource (OTLP resource object, as written), so that any
-- resource attribute can be read later without the whole record: few
-- distinct texts, one row each. NULL for formats without resources and for
-- spans stored before schema 11.
CREATE TABLE resource (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
ALTER TABLE span ADD COLUMN resource INTEGER;   -- resource.id

-- Promoted attributes (`agentcost dims add KEY`): attr:KEY read from a
-- typed table filled by ingest instead of from the compressed originals.
CREATE TABLE dim (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: a dropped key's
                                                -- late rows cannot join a new one
  key       TEXT NOT NULL UNIQUE,   -- the bare attribute key
  added_at  TEXT NOT NULL           -- ISO-8601 UTC
);
-- One row per (promoted dimension, span that has a value).
CREATE TABLE span_dim (
  dim    INTEGER NOT NULL,          -- dim.id
  span   INTEGER NOT NULL,          -- span.id
  value  INTEGER NOT NULL,          -- dim_value.id
  PRIMARY KEY (dim, span)
) WITHOUT ROWID;
