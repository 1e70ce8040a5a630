/*
 * The write side of the ClickHouse backend (store.h: ac_store_pull,
 * ac_store_ship): a SQLite staging store's rows, sent as RowBinary (the
 * column types read from system.columns: the DDL is their one source).
 */
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "../tasks/callpack.h"
#include "../util/hex.h"
#include "../util/map.h"
#include "ch_store.h"

#define SEND_BYTES (16u << 20) /* one INSERT per 16 MiB of rows: the next is read from
                                * SQLite while one is sent */
#define PULL_KEYS 2000         /* trace and task ids per pull query (68 KB of text) */
#define PULLED_PATH "(stored in clickhouse)"

typedef struct namer namer;
static int encode_groups(void *sender, const unsigned char *blob, size_t len, ac_err *err);

/* The staging store's dictionaries as arrays by id (the ship writes names,
 * not ids: one lookup a column instead of a join). */
enum { D_MODEL, D_SERVICE, D_TOOL, D_SPAN_NAME, D_LABEL, D_TASK_REF, D_DIM_VALUE, D_COUNT };
static const char *const DICT_SQL[D_COUNT] = {
	"SELECT id, name FROM model", "SELECT id, name FROM service", "SELECT id, name FROM tool",
	"SELECT id, name FROM span_name", "SELECT id, name FROM label",
	"SELECT id, name FROM task_ref", "SELECT id, name FROM dim_value",
};

typedef struct {
	char **name[D_COUNT];
	size_t len[D_COUNT];
} dict_names;

static void dicts_free(dict_names *d)
{
	for (int k = 0; k < D_COUNT; k++) {
		for (size_t i = 0; i < d->len[k]; i++)
			free(d->name[k][i]);
		free(d->name[k]);
	}
}

static int dicts_load(dict_names *d, sqlite3 *db, ac_err *err)
{
	memset(d, 0, sizeof(*d));
	for (int k = 0; k < D_COUNT; k++) {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db, DICT_SQL[k], -1, &st, NULL) != SQLITE_OK)
			return ac_err_set(err, AC_ESQL, "ship: %s", sqlite3_errmsg(db));
		int rc = 0;
		while (!rc && sqlite3_step(st) == SQLITE_ROW) {
			int64_t id = sqlite3_column_int64(st, 0);
			const char *n = (const char *)sqlite3_column_text(st, 1);
			if (id <= 0 || id > (int64_t)1 << 40 || !n)
				continue;
			if ((size_t)id >= d->len[k]) {
				size_t len = d->len[k] ? d->len[k] : 64;
				while (len <= (size_t)id)
					len *= 2;
				char **v = realloc(d->name[k], len * sizeof(*v));
				if (!v) {
					rc = ac_err_set(err, AC_ENOMEM, "out of memory");
					break;
				}
				memset(v + d->len[k], 0, (len - d->len[k]) * sizeof(*v));
				d->name[k] = v;
				d->len[k] = len;
			}
			if (!(d->name[k][id] = strdup(n)))
				rc = ac_err_set(err, AC_ENOMEM, "out of memory");
		}
		sqlite3_finalize(st);
		if (rc)
			return rc;
	}
	return 0;
}

/* Per column of ch_ship_spans.sql from 4 on (0..3 are written by
 * send_spans): -1 the value as it is, else the dictionary (D_*) whose name
 * the id column stands for. */
#define R -1
static const signed char SPAN_DICTS[] = {
	-9, -9, -9, -9, R, R, R, R,                                      /* keys, ids, times, step, status */
	D_SPAN_NAME, D_SERVICE, D_LABEL, D_MODEL, D_LABEL, D_TOOL, D_LABEL, /* name..error_type */
	R, R, R, R, R, R, R, R,                                          /* tokens */
	R, R, R,                                                         /* cost, cost_src, producer */
	D_LABEL, D_LABEL, D_LABEL, D_TASK_REF, D_LABEL, R,               /* complexity..eval_score */
	D_LABEL, D_LABEL, D_LABEL, R, D_LABEL,                           /* purpose_eff..scope */
	D_DIM_VALUE, D_DIM_VALUE, R,                                     /* user, session, trace_first */
};
/* The same for ch_ship_span_task.sql from 1 on (0 is the task id): t_system,
 * t_type, t_eval beside every span; the others (4 ...) on the earliest span
 * of each trace of the task only, the call groups last (encode_groups). */
static const signed char TASK_DICTS[] = {
	-9, D_SERVICE, D_LABEL, R,                                       /* task_id, system, type, eval */
	R, R, R, R, R, R, R, R, R, R, R, R, R,                           /* t_start_ns..t_max_repeat */
	D_MODEL, D_LABEL, D_TOOL, R,                                     /* t_top_* */
};
#undef R
#define SPAN_COLS ((int)sizeof(SPAN_DICTS))
#define TASK_COLS ((int)sizeof(TASK_DICTS)) /* and the groups after them */

typedef struct {
	ac_ch *c;
	const char *table;
	ac_buf b;
	uint64_t version;
	double bytes, waited;
	const dict_names *d;
	unsigned char types[128];        /* the table's column types (T_*), in order */
	int ntypes;
	struct namer *nm;                /* the call groups' names (D_GROUPS) */
	ac_call_group *g;                /* encode_groups' buffers */
	int64_t *cls, *mdl;
	unsigned char *packed;
	size_t gcap;
	/* the INSERT in flight, on its own thread */
	pthread_t th;
	int busy;
	ac_buf sending;
	const char *sending_table;
	int th_rc;
	ac_err th_err;
} sender;

static void *send_main(void *p)
{
	sender *s = p;
	s->th_rc = ac_ch_insert(s->c, s->sending_table, "RowBinary", s->sending.data, s->sending.len,
	                            &s->th_err);
	return NULL;
}

/* Wait for the INSERT in flight; its error into err. */
static int wait_sent(sender *s, ac_err *err)
{
	if (!s->busy)
		return 0;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_join(s->th, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s->waited += (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	s->busy = 0;
	if (s->th_rc)
		*err = s->th_err;
	return s->th_rc;
}

/* Hand the rows gathered to the sending thread (after the previous INSERT
 * is answered), and gather the next ones in the other buffer. */
static int flush(sender *s, ac_err *err)
{
	if (s->b.oom)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	int rc = wait_sent(s, err);
	if (rc || s->b.len == 0)
		return rc;
	ac_buf t = s->sending;
	s->sending = s->b;
	s->b = t;
	ac_buf_reset(&s->b);
	s->sending_table = s->table;
	s->bytes += (double)s->sending.len;
	ac_err_clear(&s->th_err);
	if (pthread_create(&s->th, NULL, send_main, s) != 0) /* no thread: send here */
		return ac_ch_insert(s->c, s->sending_table, "RowBinary", s->sending.data, s->sending.len,
		                    err);
	s->busy = 1;
	return 0;
}

/* ---- RowBinary: the rows as ClickHouse stores them ----------------------- */

static size_t fmt_i64(char *out, int64_t v);

/* A column's type, read from system.columns (the DDL is the one source). */
enum { T_STR, T_NSTR, T_I64, T_NI64, T_I32, T_I8, T_U8, T_U64, T_F64, T_NF64, T_ASTR, T_AU8,
       T_AI64, T_AF64 };

static int type_of(const char *t)
{
	static const struct {
		const char *name;
		int t;
	} k[] = { { "String", T_STR },   { "Nullable(String)", T_NSTR },
		  { "Int64", T_I64 },    { "Nullable(Int64)", T_NI64 },
		  { "Int32", T_I32 },    { "Int8", T_I8 },
		  { "UInt8", T_U8 },     { "UInt64", T_U64 },
		  { "Float64", T_F64 },  { "Nullable(Float64)", T_NF64 },
		  { "Array(String)", T_ASTR },
		  { "Array(UInt8)", T_AU8 },
		  { "Array(Int64)", T_AI64 },
		  { "Array(Float64)", T_AF64 } };
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++)
		if (!strcmp(t, k[i].name))
			return k[i].t;
	return -1;
}

/* The column types of table (in the address's database), in order. */
static int table_types(sender *s, const char *table, ac_err *err)
{
	ac_buf q = AC_BUF_INIT;
	ac_buf_adds(&q, "SELECT type FROM system.columns WHERE database = ");
	ac_ch_quote(&q, ac_ch_database(s->c));
	ac_buf_adds(&q, " AND table = ");
	ac_ch_quote(&q, table);
	ac_buf_adds(&q, " FORMAT TabSeparated");
	char *body = NULL;
	int rc = q.oom ? ac_err_set(err, AC_ENOMEM, "out of memory")
	               : ac_ch_query(s->c, ac_buf_cstr(&q), 0, &body, NULL, err);
	ac_buf_release(&q);
	if (rc)
		return rc;
	s->ntypes = 0;
	for (char *line = body; *line && !rc;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		int t = type_of(line);
		if (t < 0 || s->ntypes == (int)sizeof(s->types))
			rc = ac_err_set(err, AC_ESQL, "ship: column type %s of %s not written", line, table);
		else
			s->types[s->ntypes++] = (unsigned char)t;
		line = nl ? nl + 1 : line + strlen(line);
	}
	free(body);
	if (!rc && s->ntypes == 0)
		rc = ac_err_set(err, AC_ESQL, "ship: no columns of %s", table);
	return rc;
}

static void put_varint(ac_buf *b, uint64_t v)
{
	unsigned char x[10];
	size_t n = 0;
	do {
		x[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			x[n] |= 0x80;
		n++;
	} while (v);
	ac_buf_add(b, x, n);
}

static void put_le(ac_buf *b, uint64_t v, int width)
{
	unsigned char x[8];
	for (int i = 0; i < width; i++)
		x[i] = (unsigned char)(v >> (8 * i));
	ac_buf_add(b, x, (size_t)width);
}

static void put_str(ac_buf *b, const void *p, size_t n)
{
	put_varint(b, n);
	ac_buf_add(b, p, n);
}

/* One value in column type t: a text (text != NULL), else an integer or a
 * double (is_double), or NULL (null). A NULL in a column that takes none
 * is its type's zero. */
static void put_value(ac_buf *b, int t, int null, const char *text, size_t n, int64_t i, double d,
                      int is_double)
{
	int nullable = t == T_NSTR || t == T_NI64 || t == T_NF64;
	if (nullable) {
		ac_buf_addc(b, null ? 1 : 0);
		if (null)
			return;
	}
	if (is_double)
		i = (int64_t)d;
	else if (!text)
		d = (double)i;
	switch (t) {
	case T_STR:
	case T_NSTR:
		if (text) {
			put_str(b, text, n);
		} else if (null) {
			put_varint(b, 0);
		} else {
			char num[40];
			put_str(b, num, is_double ? (size_t)snprintf(num, sizeof(num), "%.17g", d)
			                         : fmt_i64(num, i));
		}
		break;
	case T_I64:
	case T_NI64:
	case T_U64:
		put_le(b, (uint64_t)(text ? strtoll(text, NULL, 10) : i), 8);
		break;
	case T_I32:
		put_le(b, (uint64_t)(text ? strtoll(text, NULL, 10) : i), 4);
		break;
	case T_I8:
	case T_U8:
		put_le(b, (uint64_t)(text ? strtoll(text, NULL, 10) : i), 1);
		break;
	case T_F64:
	case T_NF64: {
		double v = text ? strtod(text, NULL) : d;
		uint64_t u;
		memcpy(&u, &v, 8);
		put_le(b, u, 8);
		break;
	}
	default: /* an array: empty */
		put_varint(b, 0);
	}
}

/* v in decimal at out (24 bytes); returns its length. */
static size_t fmt_i64(char *out, int64_t v)
{
	char tmp[24];
	size_t n = 0, len = 0;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do
		tmp[n++] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		out[len++] = '-';
	while (n)
		out[len++] = tmp[--n];
	return len;
}

/* The call groups' columns: t_groups, t_classes, t_models, then the groups
 * unpacked (g_class .. g_cost, schema/clickhouse/span.sql). */
#define GROUP_COLS 19
static const unsigned char GROUP_TYPES[GROUP_COLS] = {
	T_STR,  T_ASTR, T_ASTR, T_ASTR, T_ASTR, T_AU8,  T_AI64, T_AI64, T_AI64, T_AI64,
	T_AI64, T_AI64, T_AI64, T_AI64, T_AI64, T_AI64, T_AI64, T_AI64, T_AF64,
};

static int group_types(const unsigned char *t, int n)
{
	return n >= GROUP_COLS && !memcmp(t, GROUP_TYPES, GROUP_COLS);
}

/* No call groups (a span that carries none, a task without LLM calls): ''
 * and empty arrays. */
static void no_groups(ac_buf *b)
{
	for (int k = 0; k < GROUP_COLS; k++)
		put_varint(b, 0);
}

/* Column i of st's row into column type t: the name of its id in
 * dictionary dict when that is >= 0, else the value as it is. */
static void put_column(sender *s, int t, sqlite3_stmt *st, int i, int dict)
{
	if (dict >= 0) {
		int64_t id = sqlite3_column_int64(st, i);
		const char *n = id > 0 && (size_t)id < s->d->len[dict] ? s->d->name[dict][id] : NULL;
		put_value(&s->b, t, !n, n, n ? strlen(n) : 0, 0, 0, 0);
		return;
	}
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL:
		put_value(&s->b, t, 1, NULL, 0, 0, 0, 0);
		break;
	case SQLITE_INTEGER:
		put_value(&s->b, t, 0, NULL, 0, sqlite3_column_int64(st, i), 0, 0);
		break;
	case SQLITE_FLOAT:
		put_value(&s->b, t, 0, NULL, 0, 0, sqlite3_column_double(st, i), 1);
		break;
	default:
		put_value(&s->b, t, 0, (const char *)sqlite3_column_text(st, i),
		          (size_t)sqlite3_column_bytes(st, i), 0, 0, 0);
	}
}

/* The row written: the version (the table's last column), then the
 * INSERT handed over when it is big enough. f: the columns written. */
static int end_row(sender *s, const char *name, int f, long long *rows, ac_err *err)
{
	if (f != s->ntypes - 1 || s->types[f] != T_U64)
		return ac_err_set(err, AC_ESQL, "%s: %d columns for %s's %d", name, f + 1, s->table,
		                  s->ntypes);
	put_le(&s->b, s->version, 8);
	(*rows)++;
	return s->b.len >= SEND_BYTES ? flush(s, err) : 0;
}

/* The end of a table's rows: the last INSERT sent, and all of them stored
 * before the next table's are sent. */
static int end_table(sender *s, int rc, ac_err *err)
{
	if (!rc)
		rc = flush(s, err);
	int w = wait_sent(s, rc ? &s->th_err : err);
	return rc ? rc : w;
}

/* Every row of staging query `name`, its values as they are, plus the
 * version, into table. */
static int send_query(sender *s, sqlite3 *db, const char *name, long long *rows, ac_err *err)
{
	sqlite3_stmt *st;
	if (ac_store_prepare_named(db, name, 0, &st) != SQLITE_OK)
		return ac_err_set(err, AC_ESQL, "%s: %s", name, sqlite3_errmsg(db));
	int rc = 0, src, ncol = sqlite3_column_count(st);
	if (ncol >= s->ntypes)
		rc = ac_err_set(err, AC_ESQL, "%s: more columns than %s has", name, s->table);
	while (!rc && (src = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < ncol; i++)
			put_column(s, s->types[i], st, i, -1);
		rc = end_row(s, name, ncol, rows, err);
	}
	if (!rc && src != SQLITE_DONE)
		rc = ac_err_set(err, AC_ESQL, "%s: %s", name, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return end_table(s, rc, err);
}

/* A 16-byte (trace) or 8-byte (span) id blob at column i as lowercase hex,
 * as SQLite's lower(hex()) writes it; NULL stays NULL. */
static void put_hex(ac_buf *b, int t, sqlite3_stmt *st, int i)
{
	const unsigned char *p = sqlite3_column_blob(st, i);
	size_t n = (size_t)sqlite3_column_bytes(st, i);
	if (!p) {
		int null = sqlite3_column_type(st, i) == SQLITE_NULL;
		put_value(b, t, null, null ? NULL : "", 0, 0, 0, 0);
		return;
	}
	char h[65], *x = n <= 32 ? h : malloc(2 * n + 1);
	if (!x) {
		b->oom = 1; /* flush reports it */
		return;
	}
	ac_hex(p, n, x);
	put_value(b, t, 0, x, 2 * n, 0, 0, 0);
	if (x != h)
		free(x);
}

/* The row of `st` for key `key` (a task's, a trace's), stepped only when the
 * key differs from the last one asked (*have: a row is there). Spans come in
 * key order, so each task and trace is read about once. */
static int side_row(sqlite3 *db, sqlite3_stmt *st, int64_t key, int64_t *last, int *have,
                    const char *name, ac_err *err)
{
	if (*last == key)
		return 0;
	*last = key;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, key);
	int rc = sqlite3_step(st);
	*have = rc == SQLITE_ROW;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ac_err_set(err, AC_ESQL, "%s: %s", name, sqlite3_errmsg(db));
	return 0;
}

/*
 * Every span of the staging store into the span table, with its trace's id
 * and its task's fields beside it (schema/clickhouse/span.sql). The spans
 * are read alone (ch_ship_spans.sql, by key, so a trace's spans come
 * together), their trace's id and their task's row looked up when they
 * change (ch_ship_span_trace.sql, ch_ship_span_task.sql): one lookup a trace
 * or task rather than joins and expressions on every span.
 */
static int send_spans(sender *s, sqlite3 *db, long long *rows, ac_err *err)
{
	static const char *const names[] = { "ch_ship_spans.sql", "ch_ship_span_trace.sql",
		                             "ch_ship_span_task.sql" };
	sqlite3_stmt *st[3] = { NULL, NULL, NULL };
	int rc = 0, src = SQLITE_DONE;
	for (int k = 0; k < 3 && !rc; k++)
		if (ac_store_prepare_named(db, names[k], 0, &st[k]) != SQLITE_OK)
			rc = ac_err_set(err, AC_ESQL, "%s: %s", names[k], sqlite3_errmsg(db));
	sqlite3_stmt *sp = st[0], *tr = st[1], *tk = st[2];
	/* the table's columns: the span's (with the task's id), the task's
	 * others, the call groups', the version */
	const int ngroup = SPAN_COLS + TASK_COLS - 1, ncols = ngroup + GROUP_COLS + 1;
	if (!rc && (sqlite3_column_count(sp) != SPAN_COLS ||
	            sqlite3_column_count(tk) != TASK_COLS + 1))
		rc = ac_err_set(err, AC_ESQL, "%s: not the columns the ship expects", names[0]);
	else if (!rc && (s->ntypes != ncols ||
	                 !group_types(s->types + ngroup, s->ntypes - ngroup)))
		rc = ac_err_set(err, AC_ESQL,
		                "%s: %d columns of %s, not %d; the call groups' columns of %s (a table "
		                "created by an older agentcost: see README, ClickHouse)",
		                names[0], s->ntypes, s->table, ncols, s->table);
	int64_t last_trace = -1, last_task = -1;
	int have_trace = 0, have_task = 0;
	while (!rc && (src = sqlite3_step(sp)) == SQLITE_ROW) {
		const unsigned char *t = s->types;
		int f = 0, first = sqlite3_column_int(sp, SPAN_COLS - 1) == 1;
		int task = sqlite3_column_type(sp, 0) != SQLITE_NULL;
		if ((rc = side_row(db, tr, sqlite3_column_int64(sp, 1), &last_trace, &have_trace,
		                   names[1], err)))
			break;
		if (!have_trace)
			continue; /* a span without its trace's row is not sent */
		if (task && (rc = side_row(db, tk, sqlite3_column_int64(sp, 0), &last_task, &have_task,
		                           names[2], err)))
			break;
		task = task && have_task;
		/* task_id ('' without a task), trace_id, span_id, parent_span_id */
		if (task)
			put_column(s, t[f], tk, 0, -1);
		else
			put_value(&s->b, t[f], 0, "", 0, 0, 0, 0);
		f++;
		put_hex(&s->b, t[f++], tr, 0);
		put_hex(&s->b, t[f++], sp, 2);
		put_hex(&s->b, t[f++], sp, 3);
		for (int i = 4; i < SPAN_COLS; i++, f++)
			put_column(s, t[f], sp, i, SPAN_DICTS[i]);
		/* the task's system, type and eval on every span; its other
		 * fields and call groups on the earliest span of each trace */
		for (int i = 1; i < TASK_COLS; i++, f++) {
			if (task && (i < 4 || first))
				put_column(s, t[f], tk, i, TASK_DICTS[i]);
			else
				put_value(&s->b, t[f], 1, NULL, 0, 0, 0, 0);
		}
		if (task && first && sqlite3_column_type(tk, TASK_COLS) != SQLITE_NULL)
			rc = encode_groups(s, sqlite3_column_blob(tk, TASK_COLS),
			                   (size_t)sqlite3_column_bytes(tk, TASK_COLS), err);
		else
			no_groups(&s->b);
		f += GROUP_COLS;
		if (!rc)
			rc = end_row(s, names[0], f, rows, err);
	}
	if (!rc && src != SQLITE_DONE)
		rc = ac_err_set(err, AC_ESQL, "%s: %s", names[0], sqlite3_errmsg(db));
	for (int k = 0; k < 3; k++)
		sqlite3_finalize(st[k]);
	return end_table(s, rc, err);
}

/* ---- task_calls: the packed call groups, with the server's name ids ------- */

/*
 * A staging store's call groups name their complexity class (label) and
 * model by the staging store's dictionary ids, which mean nothing in
 * ClickHouse. Each is replaced by the id the twins compute from the name in
 * the server (NAME_ID in ch_store.c), asked of the server once per ship for
 * every name the groups use, so that ac_store_name finds the name again.
 * The blob is decoded and encoded with src/tasks/callpack.c (a codec without
 * dependencies: the store's write side only moves its bytes).
 */
enum { K_CLASS, K_MODEL };

struct namer {
	ac_map idx[2];   /* staging id -> index into name/chid, per kind */
	char **name;     /* NULL: a dangling id (no name: id 0 in ClickHouse) */
	int64_t *chid;
	size_t n, cap;
};

static void namer_release(namer *nm)
{
	for (size_t i = 0; i < nm->n; i++)
		free(nm->name[i]);
	free(nm->name);
	free(nm->chid);
	ac_map_release(&nm->idx[0]);
	ac_map_release(&nm->idx[1]);
}

/* The index of staging id `id` of kind k, its name looked up when new: *at
 * (-1 for id 0). */
static int namer_add(namer *nm, ac_store *staging, int k, int64_t id, int64_t *at, ac_err *err)
{
	*at = -1;
	if (id == 0 || ac_map_get(&nm->idx[k], &id, sizeof(id), at))
		return 0;
	if (!staging) /* namer_collect saw every id the groups use */
		return ac_err_set(err, AC_ESQL, "ship: a call group names an id not collected");
	if (nm->n == nm->cap) {
		size_t cap = nm->cap ? nm->cap * 2 : 64;
		char **vn = realloc(nm->name, cap * sizeof(*vn));
		if (vn)
			nm->name = vn;
		int64_t *vi = vn ? realloc(nm->chid, cap * sizeof(*vi)) : NULL;
		if (!vi)
			return ac_err_set(err, AC_ENOMEM, "out of memory");
		nm->chid = vi;
		nm->cap = cap;
	}
	char *name = NULL;
	int rc = ac_store_name(staging, k == K_CLASS ? AC_DICT_LABEL : AC_DICT_MODEL, id, &name, err);
	if (rc)
		return rc;
	nm->name[nm->n] = name;
	nm->chid[nm->n] = 0;
	*at = (int64_t)nm->n;
	if (ac_map_put(&nm->idx[k], &id, sizeof(id), *at))
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	nm->n++;
	return 0;
}

/* Every name's id as the server computes it (one query). */
static int namer_ask(namer *nm, ac_ch *c, ac_err *err)
{
	ac_buf q = AC_BUF_INIT;
	int any = 0;
	ac_buf_adds(&q, "SELECT arrayMap(n -> toInt64(bitShiftRight(cityHash64(n), 2)) + 1, [");
	for (size_t i = 0; i < nm->n; i++)
		if (nm->name[i]) {
			if (any++)
				ac_buf_addc(&q, ',');
			ac_ch_quote(&q, nm->name[i]);
		}
	ac_buf_adds(&q, "]) FORMAT TabSeparated");
	if (!any) {
		ac_buf_release(&q);
		return 0;
	}
	char *body = NULL;
	int rc = q.oom ? ac_err_set(err, AC_ENOMEM, "out of memory")
	               : ac_ch_query(c, ac_buf_cstr(&q), 1, &body, NULL, err);
	ac_buf_release(&q);
	if (rc)
		return rc;
	const char *p = body[0] == '[' ? body + 1 : body;
	for (size_t i = 0; i < nm->n && !rc; i++) {
		if (!nm->name[i])
			continue;
		char *e;
		nm->chid[i] = strtoll(p, &e, 10);
		if (e == p || nm->chid[i] <= 0)
			rc = ac_err_set(err, AC_ESQL, "clickhouse: a bad answer to the name ids");
		p = *e == ',' ? e + 1 : e;
	}
	free(body);
	return rc;
}

/* 1 when index v[i] is a name not seen before in v[0..i). */
static int first_name(const namer *nm, const int64_t *v, size_t i)
{
	size_t j = 0;
	while (j < i && v[j] != v[i])
		j++;
	return j == i && v[i] >= 0 && nm->name[v[i]];
}

/* The distinct names of indices v[0..n) as an Array(String) (RowBinary). */
static void bin_names(ac_buf *b, const namer *nm, const int64_t *v, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += first_name(nm, v, i);
	put_varint(b, k);
	for (size_t i = 0; i < n; i++)
		if (first_name(nm, v, i))
			put_str(b, nm->name[v[i]], strlen(nm->name[v[i]]));
}

/* The names every task's call groups use (ch_ship_task_calls.sql), their
 * ids asked of the server after. */
static int namer_collect(namer *nm, ac_store *staging, ac_err *err)
{
	sqlite3 *db = ac_store_db(staging);
	sqlite3_stmt *st;
	if (ac_store_prepare_named(db, "ch_ship_task_calls.sql", 0, &st) != SQLITE_OK)
		return ac_err_set(err, AC_ESQL, "ch_ship_task_calls.sql: %s", sqlite3_errmsg(db));
	int rc = 0, src = SQLITE_DONE;
	while (!rc && (src = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *blob = sqlite3_column_blob(st, 0);
		size_t len = (size_t)sqlite3_column_bytes(st, 0), at = 0;
		ac_call_group g;
		int64_t i;
		while (!rc && ac_callpack_next(blob, len, &at, &g) == 1)
			if (!(rc = namer_add(nm, staging, K_CLASS, g.complexity, &i, err)))
				rc = namer_add(nm, staging, K_MODEL, g.model, &i, err);
	}
	if (!rc && src != SQLITE_DONE)
		rc = ac_err_set(err, AC_ESQL, "ch_ship_task_calls.sql: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc;
}

/* A task's packed call groups as three fields of the span row: the groups
 * with the server's name ids, the names of their classes and of their models
 * (empty for none). */
static int encode_groups(void *sp, const unsigned char *blob, size_t len, ac_err *err)
{
	sender *s = sp;
	namer *nm = s->nm;
	size_t at = 0, n = 0;
	int got;
	for (;;) {
		if (n == s->gcap) {
			size_t nc = s->gcap ? s->gcap * 2 : 64;
			ac_call_group *vg = realloc(s->g, nc * sizeof(*vg));
			if (vg)
				s->g = vg;
			int64_t *vc = vg ? realloc(s->cls, nc * sizeof(*vc)) : NULL;
			if (vc)
				s->cls = vc;
			int64_t *vm = vc ? realloc(s->mdl, nc * sizeof(*vm)) : NULL;
			if (vm)
				s->mdl = vm;
			unsigned char *vp = vm ? realloc(s->packed, 2 + nc * AC_CALLPACK_GROUP_MAX) : NULL;
			if (!vp)
				return ac_err_set(err, AC_ENOMEM, "out of memory");
			s->packed = vp;
			s->gcap = nc;
		}
		if ((got = ac_callpack_next(blob, len, &at, &s->g[n])) != 1)
			break;
		int rc;
		if ((rc = namer_add(nm, NULL, K_CLASS, s->g[n].complexity, &s->cls[n], err)) ||
		    (rc = namer_add(nm, NULL, K_MODEL, s->g[n].model, &s->mdl[n], err)))
			return rc;
		n++;
	}
	for (size_t i = 0; i < n; i++) {
		s->g[i].complexity = s->cls[i] < 0 ? 0 : nm->chid[s->cls[i]];
		s->g[i].model = s->mdl[i] < 0 ? 0 : nm->chid[s->mdl[i]];
	}
	size_t plen = ac_callpack_encode(s->g, n, s->packed);
	if (got < 0) /* damaged: the groups before the damage, then a byte that
	              * reads as damaged (an unfinished number), as in SQLite */
		s->packed[plen++] = 0x80;
	put_str(&s->b, s->packed, plen);
	bin_names(&s->b, nm, s->cls, n);
	bin_names(&s->b, nm, s->mdl, n);
	/* unpacked: an array per field, element i the group i (a damaged blob's
	 * groups before the damage: the router on SQLite refuses the task, the
	 * server's replay counts what was read) */
	const int64_t *idx[2] = { s->cls, s->mdl };
	for (int k = 0; k < 2; k++) {
		put_varint(&s->b, n);
		for (size_t i = 0; i < n; i++) {
			const char *name = idx[k][i] < 0 ? NULL : nm->name[idx[k][i]];
			put_str(&s->b, name ? name : "", name ? strlen(name) : 0);
		}
	}
	put_varint(&s->b, n); /* g_none: bit 1 no class, bit 2 no model */
	for (size_t i = 0; i < n; i++)
		ac_buf_addc(&s->b, (char)((s->cls[i] < 0 || !nm->name[s->cls[i]] ? 1 : 0) |
		                          (s->mdl[i] < 0 || !nm->name[s->mdl[i]] ? 2 : 0)));
	for (int k = 0; k < 12; k++) {
		put_varint(&s->b, n);
		for (size_t i = 0; i < n; i++) {
			const ac_call_group *g = &s->g[i];
			const int64_t v[12] = { g->day, g->tier, g->grp,   g->calls, g->tin,  g->tout,
				                g->tcr, g->tcw,  g->trs,  g->tcw1h, g->tain, g->taout };
			put_le(&s->b, (uint64_t)v[k], 8);
		}
	}
	put_varint(&s->b, n);
	for (size_t i = 0; i < n; i++) {
		uint64_t u;
		memcpy(&u, &s->g[i].cost, 8);
		put_le(&s->b, u, 8);
	}
	return 0;
}

int ac_store_ship(ac_store *remote, ac_store *staging, ac_ship_stats *out, ac_err *err)
{
	ac_ch *c = ac_store_ch(remote);
	if (!c)
		return ac_err_set(err, AC_EINVAL, "ship: not a ClickHouse store");
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	dict_names d;
	sender s;
	memset(&s, 0, sizeof(s));
	s.c = c;
	s.version = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	s.d = &d;
	namer nm;
	memset(&nm, 0, sizeof(nm));
	ac_map_init(&nm.idx[0], 0);
	ac_map_init(&nm.idx[1], 0);
	s.nm = &nm;
	ac_ship_stats st;
	memset(&st, 0, sizeof(st));
	sqlite3 *db = ac_store_db(staging);
	/* the names the call groups use, and their ids in the server */
	int rc = dicts_load(&d, db, err);
	if (!rc && !(rc = namer_collect(&nm, staging, err)))
		rc = namer_ask(&nm, c, err);
	/* the spans (and with them their tasks) first, the ledger last: a
	 * ledger row says its file's spans are all there */
	s.table = "span";
	if (!rc)
		rc = table_types(&s, "span", err);
	if (!rc && !(rc = send_spans(&s, db, &st.spans, err))) {
		sqlite3_stmt *n;
		if (sqlite3_prepare_v2(db, "SELECT count(*) FROM task", -1, &n, NULL) == SQLITE_OK &&
		    sqlite3_step(n) == SQLITE_ROW)
			st.tasks = sqlite3_column_int64(n, 0);
		sqlite3_finalize(n);
		s.table = "file";
		if (!(rc = table_types(&s, "file", err)))
			rc = send_query(&s, db, "ch_ship_files.sql", &st.files, err);
	}
	wait_sent(&s, &s.th_err);
	st.bytes = s.bytes;
	st.waited = s.waited;
	ac_buf_release(&s.b);
	ac_buf_release(&s.sending);
	dicts_free(&d);
	namer_release(&nm);
	free(s.g);
	free(s.cls);
	free(s.mdl);
	free(s.packed);
	if (out)
		*out = st;
	return rc;
}

/* ---- pull: what ClickHouse holds of the staged traces and tasks ----------- */

/*
 * What is pulled is closed under "a trace's spans" and "a task's spans":
 * the spans of the staged traces and tasks, then of every trace and task
 * those spans belong to in ClickHouse, and so on (a late span of one trace
 * of a task grouped by agentcost.task.id brings the task's other traces,
 * whose spans may belong to further tasks), so that each task derived again
 * is derived whole. Usually one or two rounds. A task the derivation no
 * longer gives (its spans went to another task: an agentcost.task.id arriving
 * late) needs nothing more: its spans are sent again under their new task
 * and replace the old rows where they are (sharded by trace).
 */
typedef struct {
	char **v;
	size_t n, cap;
} strvec;

static void strvec_free(strvec *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

typedef struct {
	ac_store *staging;
	int64_t file;
	int64_t *traces; /* staging trace ids with spans pulled, each once */
	size_t ntraces, cap;
	ac_map trace_seen;
	long long pulled;
	ac_map asked[2];   /* trace ids (hex), task ids asked for */
	strvec next[2];    /* those to ask for in the next round */
} puller;

/* Ask for id (kind 0 trace, 1 task) in the next round unless asked before. */
static int ask(puller *p, int kind, const char *id, ac_err *err)
{
	int64_t v;
	size_t n = strlen(id);
	if (ac_map_get(&p->asked[kind], id, n, &v))
		return 0;
	strvec *a = &p->next[kind];
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		char **nv = realloc(a->v, cap * sizeof(*nv));
		if (!nv)
			return ac_err_set(err, AC_ENOMEM, "out of memory");
		a->v = nv;
		a->cap = cap;
	}
	if (!(a->v[a->n] = strdup(id)) || ac_map_put(&p->asked[kind], id, n, 1))
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	a->n++;
	return 0;
}

static int dict_of(ac_store *s, int dict, const char *text, int64_t *id, ac_err *err)
{
	*id = 0;
	return text ? ac_store_dict(s, dict, text, strlen(text), id, err) : 0;
}

/* One row of ch_pull.sql into the staging store. */
static int pull_row(puller *p, ac_ch_rows *r, ac_err *err)
{
#define T(i) ac_ch_rows_text(r, i)
#define I(i) (T(i) ? strtoll(T(i), NULL, 10) : 0)
	uint8_t tid[16], sid[8], pid[8];
	const char *t0 = T(0), *t1 = T(1), *t2 = T(2);
	if (!t0 || !t1 || ac_unhex(t0, strlen(t0), tid, 16) != 0 ||
	    ac_unhex(t1, strlen(t1), sid, 8) != 0)
		return ac_err_set(err, AC_ESQL, "ch_pull.sql: a span with a bad trace or span id");
	ac_span_row row;
	memset(&row, 0, sizeof(row));
	int rc;
	if ((rc = ac_store_trace(p->staging, tid, &row.trace, err)))
		return rc;
	row.span_id = sid;
	row.parent_id = t2 && ac_unhex(t2, strlen(t2), pid, 8) == 0 ? pid : NULL;
	row.file = p->file;
	row.start_ns = I(3);
	row.end_ns = I(4);
	row.step = (int)I(5);
	row.status = (int)I(6);
	static const int dicts[] = { AC_DICT_SPAN_NAME, AC_DICT_SERVICE, AC_DICT_LABEL,
		                     AC_DICT_MODEL, AC_DICT_LABEL, AC_DICT_TOOL, AC_DICT_LABEL };
	int64_t *ids[] = { &row.name, &row.service, &row.env, &row.model, &row.provider, &row.tool,
		           &row.error_type };
	for (int k = 0; k < 7; k++)
		if ((rc = dict_of(p->staging, dicts[k], T(7 + k), ids[k], err)))
			return rc;
	for (int k = 0; k < 8; k++)
		if (T(14 + k)) {
			row.tok[k] = I(14 + k);
			row.tok_mask |= 1u << k;
		}
	row.cost = T(22) ? strtod(T(22), NULL) : NAN;
	row.cost_src = (int)I(23);
	if ((row.has_producer_cost = T(24) != NULL))
		row.producer_cost = strtod(T(24), NULL);
	if ((rc = dict_of(p->staging, AC_DICT_LABEL, T(25), &row.complexity, err)) ||
	    (rc = dict_of(p->staging, AC_DICT_LABEL, T(26), &row.purpose, err)) ||
	    (rc = dict_of(p->staging, AC_DICT_TASK_REF, T(27), &row.task_ref, err)) ||
	    (rc = dict_of(p->staging, AC_DICT_LABEL, T(28), &row.task_type, err)) ||
	    (rc = dict_of(p->staging, AC_DICT_LABEL, T(29), &row.agent_name, err)))
		return rc;
	if ((row.has_eval_score = T(30) != NULL))
		row.eval_score = strtod(T(30), NULL);
	if ((rc = dict_of(p->staging, AC_DICT_LABEL, T(31), &row.service_tier, err)))
		return rc;
	row.price_note = (int)I(32);
	if ((rc = dict_of(p->staging, AC_DICT_LABEL, T(33), &row.scope, err)) ||
	    (rc = dict_of(p->staging, AC_DICT_DIM_VALUE, T(34), &row.user_v, err)) ||
	    (rc = dict_of(p->staging, AC_DICT_DIM_VALUE, T(35), &row.session_v, err)))
		return rc;
	/* the span's trace and its task in ClickHouse: pulled whole too */
	const char *task = T(36);
	if ((rc = ask(p, 0, t0, err)) || (task && (rc = ask(p, 1, task, err))))
		return rc;
#undef I
#undef T
	int inserted = 0;
	if ((rc = ac_store_insert_span(p->staging, &row, &inserted, err)))
		return rc;
	if (!inserted)
		return 0;
	p->pulled++;
	int64_t v;
	if (ac_map_get(&p->trace_seen, &row.trace, sizeof(row.trace), &v))
		return 0;
	if (p->ntraces == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 256;
		int64_t *nv = realloc(p->traces, cap * sizeof(*nv));
		if (!nv)
			return ac_err_set(err, AC_ENOMEM, "out of memory");
		p->traces = nv;
		p->cap = cap;
	}
	if (ac_map_put(&p->trace_seen, &row.trace, sizeof(row.trace), 1))
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	p->traces[p->ntraces++] = row.trace;
	return 0;
}

/* The staged ids of staging query sql into the next round (before any span
 * is pulled: pulling adds traces). */
static int ask_staged(puller *p, int kind, const char *sql, ac_err *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(ac_store_db(p->staging), sql, -1, &st, NULL) != SQLITE_OK)
		return ac_store_fail(p->staging, err, "list staged traces");
	int rc = 0, src;
	while (!rc && (src = sqlite3_step(st)) == SQLITE_ROW)
		rc = ask(p, kind, (const char *)sqlite3_column_text(st, 0), err);
	if (!rc && src != SQLITE_DONE)
		rc = ac_store_fail(p->staging, err, "list staged traces");
	sqlite3_finalize(st);
	return rc;
}

/* Ids a[*at ..] as a quoted list of PULL_KEYS at most; "''" when none left. */
static void id_list(ac_buf *b, const strvec *a, size_t *at)
{
	ac_buf_reset(b);
	size_t k = 0;
	for (; *at < a->n && k < PULL_KEYS; (*at)++, k++) {
		if (k)
			ac_buf_addc(b, ',');
		ac_ch_quote(b, a->v[*at]);
	}
	if (!k)
		ac_buf_adds(b, "''");
}

/* 1 when the staging store holds exactly `count` spans of trace hex whose
 * span ids (little-endian 64-bit numbers) add up to `sum` mod 2^64: then
 * ClickHouse holds nothing of it the staging store lacks. */
static int staged_same(sqlite3 *db, sqlite3_stmt **tr, sqlite3_stmt **sp, const char *hex,
                       long long count, uint64_t sum)
{
	uint8_t id[16];
	if (ac_unhex(hex, strlen(hex), id, 16) != 0)
		return 0;
	if (!*tr && (sqlite3_prepare_v2(db, "SELECT id FROM trace WHERE trace_id = ?1", -1, tr,
	                                NULL) != SQLITE_OK ||
	             sqlite3_prepare_v2(db,
	                                "SELECT span_id FROM span WHERE id >= ?1 << 24 "
	                                "AND id < (?1 + 1) << 24",
	                                -1, sp, NULL) != SQLITE_OK))
		return 0;
	sqlite3_bind_blob(*tr, 1, id, 16, SQLITE_STATIC);
	int64_t t = sqlite3_step(*tr) == SQLITE_ROW ? sqlite3_column_int64(*tr, 0) : 0;
	sqlite3_reset(*tr);
	if (!t)
		return 0;
	sqlite3_bind_int64(*sp, 1, t);
	long long n = 0;
	uint64_t total = 0;
	while (sqlite3_step(*sp) == SQLITE_ROW) {
		const uint8_t *b = sqlite3_column_blob(*sp, 0);
		if (!b || sqlite3_column_bytes(*sp, 0) != 8)
			continue;
		uint64_t v = 0;
		for (int k = 7; k >= 0; k--)
			v = v << 8 | b[k];
		total += v;
		n++;
	}
	sqlite3_reset(*sp);
	return n == count && total == sum;
}

/* "OR task_id IN (tasks)", or nothing when the list is empty: the trace ids
 * alone use the span table's primary key, the task ids a scan. */
static void or_tasks_text(ac_buf *b, const char *tasks)
{
	if (tasks && strcmp(tasks, "''") != 0 && tasks[0]) {
		ac_buf_adds(b, "OR task_id IN (");
		ac_buf_adds(b, tasks);
		ac_buf_addc(b, ')');
	}
}

/* The traces of one batch ClickHouse holds more of than the staging store
 * (ch_pull_sums.sql), as a quoted list in *need (empty: none). */
static int pull_need(ac_ch *c, sqlite3 *db, const char *traces, const char *tasks, ac_buf *need,
                     ac_err *err)
{
	ac_ch_rows *r = NULL;
	sqlite3_stmt *tr = NULL, *sp = NULL;
	int rc = ac_ch_rows_open(c, "ch_pull_sums.sql", 0, 0, NULL, 1, &r, err), n = 0;
	if (rc)
		return rc;
	ac_buf or_tasks = AC_BUF_INIT;
	or_tasks_text(&or_tasks, tasks);
	ac_ch_rows_set_lists(r, traces, NULL);
	ac_ch_rows_set_text(r, "or_tasks", ac_buf_cstr(&or_tasks));
	while ((rc = ac_ch_rows_next(r, err)) == 1) {
		const char *hex = ac_ch_rows_text(r, 0), *cnt = ac_ch_rows_text(r, 1),
		           *sum = ac_ch_rows_text(r, 2);
		if (!hex || !cnt || !sum)
			continue;
		if (staged_same(db, &tr, &sp, hex, strtoll(cnt, NULL, 10), strtoull(sum, NULL, 10)))
			continue;
		if (n++)
			ac_buf_addc(need, ',');
		ac_ch_quote(need, hex);
	}
	sqlite3_finalize(tr);
	sqlite3_finalize(sp);
	ac_ch_rows_free(r);
	ac_buf_release(&or_tasks);
	if (!rc && need->oom)
		rc = ac_err_set(err, AC_ENOMEM, "out of memory");
	return rc;
}

static int pull_batch(puller *p, ac_ch *c, const char *traces, const char *tasks, ac_err *err)
{
	ac_buf need = AC_BUF_INIT;
	int rc = pull_need(c, ac_store_db(p->staging), traces, tasks, &need, err);
	if (rc || need.len == 0) {
		ac_buf_release(&need);
		return rc;
	}
	ac_ch_rows *r = NULL;
	if (!(rc = ac_ch_rows_open(c, "ch_pull.sql", 0, 0, NULL, 1, &r, err))) {
		ac_ch_rows_set_lists(r, ac_buf_cstr(&need), NULL);
		ac_ch_rows_set_text(r, "or_tasks", "");
		while ((rc = ac_ch_rows_next(r, err)) == 1)
			if ((rc = pull_row(p, r, err)))
				break;
		ac_ch_rows_free(r);
	}
	ac_buf_release(&need);
	return rc;
}

/* Rounds until no trace or task is left to ask for. */
static int pull_rounds(puller *p, ac_ch *c, ac_err *err)
{
	ac_buf lt = AC_BUF_INIT, lk = AC_BUF_INIT;
	strvec cur[2] = { { NULL, 0, 0 }, { NULL, 0, 0 } };
	int rc = 0;
	while (!rc && (p->next[0].n || p->next[1].n)) {
		for (int k = 0; k < 2; k++) {
			cur[k] = p->next[k];
			memset(&p->next[k], 0, sizeof(p->next[k]));
		}
		size_t at[2] = { 0, 0 };
		while (!rc && (at[0] < cur[0].n || at[1] < cur[1].n)) {
			id_list(&lt, &cur[0], &at[0]);
			id_list(&lk, &cur[1], &at[1]);
			rc = lt.oom || lk.oom ? ac_err_set(err, AC_ENOMEM, "out of memory")
			                      : pull_batch(p, c, ac_buf_cstr(&lt), ac_buf_cstr(&lk), err);
		}
		strvec_free(&cur[0]);
		strvec_free(&cur[1]);
	}
	ac_buf_release(&lt);
	ac_buf_release(&lk);
	return rc;
}

/* *empty: 1 when the span table holds no row at all (the first load of a
 * database: nothing to bring back; a count() the server answers from its
 * parts' row counts, where the pull's checks cost a keyed query per 2,000
 * traces). */
static int span_empty(ac_ch *c, int *empty, ac_err *err)
{
	char *body = NULL;
	int rc = ac_ch_query(c, "SELECT count() FROM span FORMAT TabSeparated", 1, &body, NULL, err);
	if (!rc)
		*empty = body[0] == '0' && (body[1] == '\n' || body[1] == 0);
	free(body);
	return rc;
}

int ac_store_pull(ac_store *remote, ac_store *staging, int64_t **traces, size_t *ntraces,
                  long long *pulled, ac_err *err)
{
	ac_ch *c = ac_store_ch(remote);
	*traces = NULL;
	*ntraces = 0;
	*pulled = 0;
	if (!c)
		return ac_err_set(err, AC_EINVAL, "pull: not a ClickHouse store");
	puller p;
	memset(&p, 0, sizeof(p));
	p.staging = staging;
	ac_map_init(&p.trace_seen, 0);
	ac_map_init(&p.asked[0], 0);
	ac_map_init(&p.asked[1], 0);
	int rc, empty = 0;
	if ((rc = span_empty(c, &empty, err)) || empty)
		goto out;
	if ((rc = ask_staged(&p, 0, "SELECT lower(hex(trace_id)) FROM trace ORDER BY id", err)) ||
	    (rc = ask_staged(&p, 1, "SELECT name FROM task_ref ORDER BY id", err)))
		goto out;
	if ((rc = ac_store_begin(staging, err)))
		goto out;
	rc = ac_store_file_begin(staging, PULLED_PATH, -1, NULL, "clickhouse", &p.file, err);
	if (!rc)
		rc = pull_rounds(&p, c, err);
	if (!rc)
		rc = ac_store_commit(staging, err);
	else
		ac_store_rollback(staging);
out:
	strvec_free(&p.next[0]);
	strvec_free(&p.next[1]);
	ac_map_release(&p.trace_seen);
	ac_map_release(&p.asked[0]);
	ac_map_release(&p.asked[1]);
	if (rc) {
		free(p.traces);
		return rc;
	}
	*traces = p.traces;
	*ntraces = p.ntraces;
	*pulled = p.pulled;
	return 0;
}
