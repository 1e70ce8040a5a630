-- dims_reset.sql: the scratch tables of one question with dimensions
-- (src/analysis/dims.c, issue #17), emptied. Temporary: one connection's,
-- on disk past the page cache, so a million users stay in bounded memory.
--   q_cand(task)                the tasks the question can see
--   q_sv(span, task, root, start_ns, span_id, v)  span values of one dimension
--   q_dimval(pos, task, v)      task values, one row per dimension position
--   q_where(pos, v)             the task-level filters
--   q_task(task, k1, k2)        the tasks kept, with their --by values
DROP TABLE IF EXISTS temp.q_cand;
DROP TABLE IF EXISTS temp.q_sv;
DROP TABLE IF EXISTS temp.q_dimval;
DROP TABLE IF EXISTS temp.q_where;
DROP TABLE IF EXISTS temp.q_task;
CREATE TEMP TABLE q_cand (task INTEGER PRIMARY KEY);
CREATE TEMP TABLE q_sv (span INTEGER PRIMARY KEY, task INTEGER NOT NULL, root INTEGER NOT NULL,
                        start_ns INTEGER NOT NULL, span_id BLOB, v TEXT NOT NULL);
CREATE INDEX temp.q_sv_task ON q_sv(task, root DESC, start_ns, span_id);
CREATE TEMP TABLE q_dimval (pos INTEGER NOT NULL, task INTEGER NOT NULL, v TEXT NOT NULL,
                            PRIMARY KEY (pos, task)) WITHOUT ROWID;
CREATE TEMP TABLE q_where (pos INTEGER PRIMARY KEY, v TEXT NOT NULL);
CREATE TEMP TABLE q_task (task INTEGER PRIMARY KEY, k1 TEXT, k2 TEXT);
