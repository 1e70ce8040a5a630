/*
 * The store: one SQLite database holding the typed span fact table, its
 * dimension tables, the ingested-file ledger, compressed originals and
 * imported prices. Schema in schema/NNN_*.sql, embedded in the binary and
 * applied as forward migrations tracked by PRAGMA user_version.
 *
 * All SQL takes bound parameters. SQLite errors are converted to AC_ESQL with
 * the database's message in one place (sql_fail in store.c).
 */
#ifndef AC_STORE_H
#define AC_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <sqlite3.h>

#include "../util/err.h"

typedef struct ac_store ac_store;

enum {
	AC_STORE_CREATE = 1, /* create the file if missing */
	AC_STORE_READONLY = 2,
};

/* Dictionaries (dimension tables). */
enum {
	AC_DICT_MODEL,
	AC_DICT_SERVICE,
	AC_DICT_TOOL,
	AC_DICT_SPAN_NAME,
	AC_DICT_LABEL,
	AC_DICT_TASK_REF,
	AC_DICT_DIM_VALUE, /* users, sessions, promoted attributes' values (schema 11) */
	AC_DICT_RESOURCE,  /* resource texts (schema 11) */
	AC_DICT_COUNT
};

/* Schema version this binary writes (the highest embedded migration). */
int ac_store_schema_version(void);

/* Switches of an open store, set by the caller (the library reads no
 * environment; the CLI maps AGENTCOST_BUSY_TIMEOUT_MS, AGENTCOST_PAGE_SIZE and
 * AGENTCOST_NO_ROLLUP onto them). Zero is the default of each. */
typedef struct ac_store_opts {
	int busy_timeout_ms; /* wait this long for another writer; 0: 30,000 */
	int page_size;       /* page size of a new store; 0: AC_PAGE_SIZE */
	int scratch;         /* a store thrown away after use (an ingest's staging store for
	                      * ClickHouse): its rollback journal in memory, no syncs */
	int no_rollup;       /* answer every windowed query from the spans, never from the
	                      * hourly rollup (the tests compare the two) */
} ac_store_opts;

/*
 * Open (and migrate) the store at path. Returns 0, AC_EIO when the file is
 * missing without AC_STORE_CREATE, or AC_ESQL. Free with ac_store_close().
 * ac_store_open is ac_store_open_opts with every switch at its default.
 */
int ac_store_open(ac_store **out, const char *path, int flags, ac_err *err);
int ac_store_open_opts(ac_store **out, const char *path, int flags, const ac_store_opts *o,
                       ac_err *err);
void ac_store_close(ac_store *s);
sqlite3 *ac_store_db(ac_store *s);
const char *ac_store_path(const ac_store *s);

/* Convert the database's current error into err (AC_ESQL), naming `what`. */
int ac_store_fail(ac_store *s, ac_err *err, const char *what);

int ac_store_exec(ac_store *s, const char *sql, ac_err *err);
int ac_store_begin(ac_store *s, ac_err *err); /* BEGIN IMMEDIATE */
int ac_store_commit(ac_store *s, ac_err *err);
void ac_store_rollback(ac_store *s);          /* also drops the id caches */

/* Id of a dictionary string, inserting it when new. n == 0 gives *id = 0 (NULL). */
int ac_store_dict(ac_store *s, int dict, const char *str, size_t n, int64_t *id, ac_err *err);

/* Row id of a 16-byte trace id, inserting it when new. */
int ac_store_trace(ac_store *s, const uint8_t trace_id[16], int64_t *id, ac_err *err);

/* One span row; ids 0 are stored as NULL. */
typedef struct ac_span_row {
	int64_t trace;
	const uint8_t *span_id;   /* 8 bytes */
	const uint8_t *parent_id; /* 8 bytes or NULL */
	int64_t file;
	int64_t start_ns, end_ns;
	int step, status;
	int64_t name, service, env, model, provider, tool, error_type;
	int64_t tok[8];           /* in, out, cache read, cache write, reasoning,
	                           * 1-hour cache write, audio in, audio out */
	unsigned tok_mask;
	double cost;              /* NAN -> NULL */
	int cost_src;
	double producer_cost;
	int has_producer_cost;
	int64_t complexity, purpose, task_ref, task_type, agent_name;
	int64_t scope;            /* label.id of the instrumentation scope name (schema 9) */
	int64_t user_v, session_v; /* dim_value.id (schema 11), 0 = none */
	int64_t resource;         /* resource.id (schema 11), 0 = none */
	double eval_score;
	int has_eval_score;
	int64_t raw_block, raw_off, raw_len; /* raw_block 0 -> no original kept */
	/* derived before the insert (src/tasks: ac_deriver_fresh, which reads
	 * key, the rowid the span will get), else 0 and the insert writes
	 * placeholders the derivation replaces */
	int64_t key;
	int derived;
	int64_t task, purpose_eff, complexity_eff, rollup_key; /* complexity_eff 0 = NULL */
	int64_t service_tier; /* label.id, 0 = none (schema/008) */
	int price_note;       /* AC_NOTE_* (pricing.h) */
	int tier;             /* AC_TIER_* of service_tier, -1 unknown (not stored: for
	                       * the derivation before the insert) */
} ac_span_row;

/* Identity key (rowid) of a span: (trace << 24) | 24-bit hash of span_id.
 * A trace's spans live in rowids trace << 24 .. (trace << 24) + 2^24 - 1. */
#define AC_SPAN_KEY_BITS 24
#define AC_SPAN_KEY_MASK ((1ULL << AC_SPAN_KEY_BITS) - 1)
int64_t ac_span_key(int64_t trace, const uint8_t span_id[8]);

/*
 * Insert a span unless one with the same (trace, span_id) is stored.
 * *inserted = 1 when written, 0 when it was already there. AC_ELIMIT when
 * the trace's key range is full (more than 2^24 spans).
 */
int ac_store_insert_span(ac_store *s, const ac_span_row *row, int *inserted, ac_err *err);
/* The visible task id of column col holding task.tkey (the trace id's 16
 * bytes: lowercase hex; else the agentcost.task.id text), malloc'd; NULL
 * when out of memory. Reading tkey instead of the computed task.task_id
 * spares a scan the hex of every row. */
char *ac_store_task_id_dup(sqlite3_stmt *st, int col);

/* The key the last ac_store_insert_span gave its span (or found it at). */
int64_t ac_store_last_span_key(const ac_store *s);
/* The highest trace.id (0 none): traces above it are new from here on. */
int ac_store_trace_max(ac_store *s, int64_t *out, ac_err *err);

/* Next free raw_block id. Call inside the write transaction (which holds the
 * lock), then insert blocks with ids counting up from it. */
int ac_store_next_raw_id(ac_store *s, int64_t *id, ac_err *err);

/* A compressed block of original span texts, with the id reserved above. */
int ac_store_insert_raw(ac_store *s, int64_t id, int64_t file, const void *z, size_t n,
                        ac_err *err);

/* The files ledger. quick is the cheap fingerprint (size, first and last
 * 64 KiB); the content hash is recorded when the file was read to its end. */
int ac_store_file_begin(ac_store *s, const char *path, int64_t size, const char *quick,
                        const char *container, int64_t *id, ac_err *err);
typedef struct ac_file_counts {
	long long records, spans, spans_new, errors;
	int complete;
	const char *format;
	const char *note;
	const char *content_hash; /* NULL when not read to the end */
} ac_file_counts;
int ac_store_file_finish(ac_store *s, int64_t id, const ac_file_counts *c, ac_err *err);
/* Remove the ledger row of an input that turned out not to be traces. */
int ac_store_file_forget(ac_store *s, int64_t id, ac_err *err);
/* 1 when a complete, clean ingest of a file with this quick fingerprint and
 * size is recorded; content_out (17 bytes) receives its content hash. */
int ac_store_file_seen(ac_store *s, const char *quick, int64_t size, char content_out[17],
                       ac_err *err);

/* Reading a grown file from where the last read stopped (schema 010). */
typedef struct ac_file_resume {
	int64_t dev, ino;
	int64_t read_from;    /* byte this read started at */
	int64_t resume_off;   /* where the next read can start */
	long long resume_line;
	char head_hash[17], tail_hash[17];
} ac_file_resume;
/* Record where the read of ledger row id can be resumed. */
int ac_store_file_set_resume(ac_store *s, int64_t id, const ac_file_resume *fr, ac_err *err);
/* 1 and *out: the resume point of the latest complete read of the file
 * (dev, ino) that recorded one; 0 when none did. */
int ac_store_file_resume_of(ac_store *s, int64_t dev, int64_t ino, ac_file_resume *out,
                            ac_err *err);

/* Embedded query text by file name ("summary.sql"), or NULL. */
const char *ac_store_query(const char *name);

/*
 * The query to run over a window [since_ns, until_ns) (INT64_MIN / INT64_MAX:
 * open): its twin NAME_rollup.sql, which reads the hourly rollup
 * (schema/004_rollup.sql), when there is one and both ends fall on whole UTC
 * hours; else NAME itself, which scans the spans. Both give the same rows.
 * A store opened with no_rollup always picks the scan (the tests compare
 * the two).
 */
const char *ac_store_query_window(const ac_store *s, const char *name, int64_t since_ns,
                                  int64_t until_ns);

/*
 * ---- Reading: the backend interface ---------------------------------------
 *
 * The analyses (src/analysis) read the store only through these calls: they
 * name an embedded query (queries/NAME.sql), give the window and the system,
 * and read the rows by column number. Nothing else of SQLite shows, so a
 * second backend (issue #16) implements these with its own query texts under
 * the same names and the same output columns.
 *
 * Every query file takes ?1 since_ns (inclusive), ?2 until_ns (exclusive) and,
 * when it has it, ?3 the system name or NULL; further parameters are bound
 * with ac_rows_bind_int before the first ac_rows_next.
 */
typedef struct ac_rows ac_rows;

/* The name of dictionary entry id (AC_DICT_*): *out malloc'd, NULL when id
 * is 0 or unknown. Returns 0, AC_ESQL or AC_ENOMEM. */
int ac_store_name(ac_store *s, int dict, int64_t id, char **out, ac_err *err);

enum {
	AC_ROWS_SCAN = 1,  /* never the rollup twin (periods shorter than an hour) */
	AC_ROWS_PLAIN = 2, /* the query as it is: no window, nothing bound (bind
	                    * its parameters with ac_rows_bind_*) */
};

/*
 * Run query `name` over [since_ns, until_ns) for `system` (NULL: all): the
 * query as ac_store_query_window picks it, ?1..?3 bound. A query over the
 * task table marks it "FROM task t /\*+SCAN*\/": with no window at all the
 * mark becomes NOT INDEXED, so SQLite reads the table in order instead of
 * every row through task_start_idx (half the time on a year of tasks); with a
 * window the start index serves it.
 * Returns 0 and *out (free with ac_rows_free), or AC_ESQL / AC_ENOMEM.
 */
int ac_store_rows(ac_store *s, const char *name, int64_t since_ns, int64_t until_ns,
                  const char *system, int flags, ac_rows **out, ac_err *err);
void ac_rows_bind_int(ac_rows *r, int param, int64_t v);
/* text and blob are not copied: they must outlive the rows */
void ac_rows_bind_text(ac_rows *r, int param, const char *text);
void ac_rows_bind_blob(ac_rows *r, int param, const void *blob, size_t n);
/* A list of n values for ?param (borrowed until the rows are read): an
 * array literal in a ClickHouse twin. No SQLite query takes one; binding it
 * there makes ac_rows_next fail with AC_EINVAL. */
void ac_rows_bind_u64s(ac_rows *r, int param, const uint64_t *v, size_t n);
void ac_rows_bind_doubles(ac_rows *r, int param, const double *v, size_t n);
/* 1 when the store answers query `name` (an embedded query, or on a
 * ClickHouse store its twin): lets an analysis take a backend's own way
 * (the router's replay in the server: router_groups.sql). */
int ac_store_answers(const ac_store *s, const char *name);
/* Run the query again from its start, keeping the bound parameters (a
 * statement file executed once per input row). */
void ac_rows_reset(ac_rows *r);
/* 1: a row is ready; 0: no more rows; AC_ESQL with err set (naming the query). */
int ac_rows_next(ac_rows *r, ac_err *err);
int64_t ac_rows_int(ac_rows *r, int col);
double ac_rows_double(ac_rows *r, int col);
/* The column's text, NULL for SQL NULL; valid until the next ac_rows_next. */
const char *ac_rows_text(ac_rows *r, int col);
int ac_rows_null(ac_rows *r, int col); /* 1: the column is SQL NULL */
/* The column's bytes (*n of them), NULL when empty or NULL; valid until the
 * next ac_rows_next. A ClickHouse twin gives a blob column as hex (hex(x)),
 * decoded here. */
const void *ac_rows_blob(ac_rows *r, int col, size_t *n);
/* ac_store_task_id_dup of a column of the rows. */
char *ac_rows_task_id_dup(ac_rows *r, int col);
void ac_rows_free(ac_rows *r);

/*
 * ---- The tasks of a question with dimensions: q_task ----------------------
 *
 * src/analysis/dims.c decides what a question with --by / --where keeps (the
 * one rule, dims.h) and builds it through these calls; each backend keeps the
 * result its own way (src/store/qtask.c):
 *   SQLite      the temporary table q_task(task, k1, k2), filled by
 *               queries/dims_*.sql inside a savepoint; the *_by queries join it;
 *   ClickHouse  the text of one subquery (task_id, t_start, k1, k2),
 *               queries/clickhouse/dims_q_task.sql with the window and the
 *               positions' columns filled in; the twins of the *_by queries
 *               embed it at {q_task}. It is kept until the next qtask_begin.
 * Positions: 1 and 2 are the --by dimensions (k1, k2), 3.. the --where
 * filters. A position with no values (model: each call's own) stays NULL.
 */
/* The candidates: the tasks with a span starting in [since_ns, until_ns),
 * of system (NULL: all); queries/dims_cand.sql. */
int ac_store_qtask_begin(ac_store *s, int64_t since_ns, int64_t until_ns, const char *system,
                         ac_err *err);
enum {
	AC_QTASK_TASK,  /* `values` names a task's own value (dims_task_system.sql,
	                 * dims_task_type.sql; ?1 = the position) */
	AC_QTASK_SPANS, /* `values` names its spans' values (dims_sv_user.sql ...;
	                 * dims_sv_promoted.sql with ?1 = arg), the task's taken by
	                 * the rule (dims_rule.sql) */
	AC_QTASK_RULE,  /* the spans' values the caller put into q_sv itself
	                 * (dims_sv_clear.sql, dims_sv_put.sql: the originals; SQLite
	                 * only), the task's by the rule */
};
/* Every candidate's value at position pos. AC_EINVAL when the backend cannot
 * answer that dimension. */
int ac_store_qtask_values(ac_store *s, int pos, int how, const char *values, int64_t arg,
                          ac_err *err);
/* Keep only the tasks whose value at position pos (> 2) is value. */
int ac_store_qtask_where(ac_store *s, int pos, const char *value, ac_err *err);
/* ok: q_task is complete (queries/dims_task.sql); 0: a step failed, undo. */
int ac_store_qtask_end(ac_store *s, int ok, ac_err *err);

/*
 * ---- Write paths: named statements ----------------------------------------
 *
 * src/tasks (derivation, rollup upkeep) and src/pricing (price tables,
 * aliases, conventions, re-pricing) keep their SQL in embedded files too
 * (queries/tasks_*.sql, queries/price_*.sql) and step it with sqlite3_*
 * themselves. These take the bare database because the pricing API works on
 * one. They return SQLite's code, the message left on db as after any
 * sqlite3_ call; SQLITE_NOTFOUND when no file has that name (a programmer
 * error: every name is stepped by the tests).
 */
/* Prepare embedded statement `name` ("tasks_spans.sql") with sqlite3_prepare_v3
 * flags (0, or SQLITE_PREPARE_PERSISTENT for a statement kept and stepped
 * many times). *out is the caller's: sqlite3_finalize. */
int ac_store_prepare_named(sqlite3 *db, const char *name, unsigned prep_flags,
                           sqlite3_stmt **out);
/* Run embedded script `name` (one or more statements, nothing bound). */
int ac_store_exec_named(sqlite3 *db, const char *name);

/*
 * ---- A remote backend: ClickHouse (issue #16) ------------------------------
 *
 * A store opened at clickhouse://HOST:PORT/DATABASE[?cluster=NAME] reads
 * through the interface above (each query's twin in queries/clickhouse/).
 * Its write side: an ingest runs into a SQLite staging store (every parser,
 * the pricing and the task derivation unchanged), then
 *   ac_store_pull  brings the spans the remote store already holds of the
 *                  staged traces and tasks into the staging store, and of
 *                  every trace and task those spans belong to, until no new
 *                  one (late spans re-derive their whole task: the caller
 *                  derives again the traces it names in *traces),
 *   ac_store_ship  sends the staging store's spans, each with its task's
 *                  fields (on the earliest span of each trace: the task's
 *                  numbers and packed call groups, their names' ids as the
 *                  server computes them), then the file ledger.
 * Sending again replaces (ReplacingMergeTree by (trace_id, span_id)): a
 * killed ingest run again reaches the same totals; nothing is counted twice.
 */
int ac_store_is_remote(const ac_store *s);
/* What this process sent to and received from ClickHouse so far. */
void ac_store_remote_totals(long long *queries, double *sent, double *received);
/* Every statement sent to ClickHouse from now on, written to fp (the CLI's
 * AGENTCOST_CH_LOG=FILE): what an administrator grants and audits. */
void ac_store_remote_log(FILE *fp);
int ac_store_pull(ac_store *remote, ac_store *staging, int64_t **traces, size_t *ntraces,
                  long long *pulled, ac_err *err);
typedef struct ac_ship_stats {
	long long spans, tasks, files;
	double bytes; /* RowBinary bytes sent */
	double waited; /* seconds the rows waited for the server (an INSERT in flight) */
} ac_ship_stats;
int ac_store_ship(ac_store *remote, ac_store *staging, ac_ship_stats *st, ac_err *err);

#endif
