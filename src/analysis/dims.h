/*
 * Dimensions (issue #17): who spent it. A question's --by and --where
 * dimensions, parsed from what the user writes, and the per-task values
 * every analysis groups and filters by.
 *
 * The rules, one place for all analyses:
 *   - a span's value: the first of the dimension's keys present in the
 *     span's attributes, else in its resource's (ingest: the user and session
 *     columns, env, agent name; a promoted attribute's span_dim; else the
 *     stored originals, src/util/jsonattr.h);
 *   - a task's value: its root span's value, else the value of its earliest
 *     span (by start time, ties by span id) that has one, else "(none)";
 *   - system and task_type are the task's own (src/tasks), "(none)" when it
 *     has none; model is each call's own: it is not a task value, an analysis
 *     groups or filters the calls by it (dims info: model_pos, model_where).
 *
 * ac_dims_prepare leaves, in the store (store.h: ac_store_qtask_*), q_task:
 * every task that has a span starting in q's window, of q's system, passing
 * every task-level filter, with its values of the first two --by dimensions
 * (k1, k2; NULL where the position is empty or is model). Analyses join it in
 * their *_by queries (queries/): on SQLite the temporary table
 *   q_task(task INTEGER PRIMARY KEY, k1 TEXT, k2 TEXT),
 * on ClickHouse the subquery their twins embed at {q_task}
 * (queries/clickhouse/dims_q_task.sql). attr:KEY dimensions read the stored
 * originals or span_dim, which only a SQLite store has: refused on ClickHouse.
 */
#ifndef AC_DIMS_H
#define AC_DIMS_H

#include "../store/store.h"
#include "../util/err.h"
#include "query.h"

#define AC_DIMS_MAX_BY 2     /* --by user,task_type: a pair at most */
#define AC_DIMS_MAX_WHERE 8

/* Parse "user", "session", "agent", "environment", "system", "task_type",
 * "model" or "attr:KEY" into d (pointing into text, which must outlive it).
 * AC_EINVAL with a message listing the dimensions otherwise. */
int ac_dim_parse(const char *text, ac_dim *d, ac_err *err);

/* The column name of a dimension: as the user wrote it, except attr:KEY is
 * KEY unless KEY is also a built-in dimension's name. */
const char *ac_dim_column(const ac_dim *d);

typedef struct ac_dims_info {
	int model_pos;           /* 1-based position of model among q->by; 0: none */
	const char *model_where; /* --where model=VALUE; NULL: none */
} ac_dims_info;

/* Build q_task for q (q->dims set; at most AC_DIMS_MAX_BY by and
 * AC_DIMS_MAX_WHERE where). AC_EINVAL for too many dimensions, a kind not
 * allowed there, or two model filters. */
int ac_dims_prepare(ac_store *s, const ac_query *q, ac_dims_info *info, ac_err *err);

/*
 * The units of a question with dimensions, in key order: the tasks starting
 * in q's window (or, with model among --by or --where, each task's calls to
 * one model: queries/dims_units_model.sql), with their --by values.
 * Streaming: memory does not grow with the number of tasks or values.
 */
typedef struct ac_unit {
	const char *k[AC_DIMS_MAX_BY]; /* values at the --by positions (NULL: none);
	                                * valid until the next ac_units_next */
	int64_t task;
	double cost;
	int64_t llm_calls;
} ac_unit;

typedef struct ac_units ac_units;

enum {
	AC_UNITS_EVAL = 1,   /* evaluation tasks too */
	AC_UNITS_SPANS = 2,  /* a task's unit: its spans starting in the window (its
	                      * task may start before it); else the tasks starting
	                      * in the window, whole */
	AC_UNITS_APPROX = 4, /* the units as a sketch per --by value (sketch.h:
	                      * queries/dims_units*_approx.sql), read with
	                      * ac_units_next_bin; not with AC_UNITS_SPANS */
	AC_UNITS_TOTALS = 8, /* with AC_UNITS_APPROX: the kind-2 rows only (a
	                      * value's count and cost sum) */
};
int ac_units_open(ac_store *s, const ac_query *q, int flags, ac_units **out, ac_err *err);
/* 1 and *u, 0 at the end, or an error code. */
int ac_units_next(ac_units *it, ac_unit *u, ac_err *err);

/* A row of the units' sketch (AC_UNITS_APPROX), in key order: the --by
 * values (valid until the next call) and the sketch row (sketch.h). */
typedef struct ac_unit_bin {
	const char *k[AC_DIMS_MAX_BY];
	int kind;
	int64_t bin;
	double value;
	long long n;
	double sum, min, max;
} ac_unit_bin;
int ac_units_next_bin(ac_units *it, ac_unit_bin *u, ac_err *err);
void ac_units_close(ac_units *it);

/*
 * Promoted attributes (`agentcost dims add|list|drop`): attr:KEY read from
 * span_dim, filled here from the stored originals and by every later
 * ingest (src/ingest), instead of from the originals at each question. The
 * values are the same either way (the one rule: ac_json_attr_span).
 */
typedef struct ac_dim_info {
	char *key, *added_at;
	long long spans, values; /* spans with a value, distinct values */
} ac_dim_info;

/* Promote key, filling its values from the originals in one transaction.
 * AC_EINVAL when it is a built-in dimension's key or promoted already.
 * *spans: spans given a value. */
int ac_dims_add(ac_store *s, const char *key, const char *now_iso, long long *spans, ac_err *err);
/* Forget key's promotion. AC_EINVAL when it is not promoted. */
int ac_dims_drop(ac_store *s, const char *key, ac_err *err);
/* Every promotion, by key; free with ac_dims_list_free. */
int ac_dims_list(ac_store *s, ac_dim_info **out, size_t *n, ac_err *err);
void ac_dims_list_free(ac_dim_info *d, size_t n);

#endif