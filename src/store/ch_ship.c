/*
 * The write side of the ClickHouse backend (store.h: ac_store_pull,
 * ac_store_ship): a SQLite staging store's rows, sent as TabSeparated.
 */
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "../util/hex.h"
#include "ch_store.h"

#define SEND_BYTES (4u << 20) /* one INSERT per 4 MiB of rows: the next is read from
                                * SQLite while one is sent */
#define PULL_KEYS 2000         /* trace and task ids per pull query (68 KB of text) */
#define PULLED_PATH "(stored in clickhouse)"

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

/* Per output column of the ship queries: -1 the value as it is, else the
 * dictionary (D_*) whose name the id column stands for. */
#define R -1
static const signed char SPAN_DICTS[] = {
	R, R, R, R, R, R, R, R,                                          /* ids, times, step, status */
	D_SPAN_NAME, D_SERVICE, D_LABEL, D_MODEL, D_LABEL, D_TOOL, D_LABEL, /* name..error_type */
	R, R, R, R, R, R, R, R,                                          /* tokens */
	R, R, R,                                                         /* cost, cost_src, producer */
	D_LABEL, D_LABEL, D_LABEL, D_TASK_REF, D_LABEL, R,               /* complexity..eval_score */
	D_LABEL, D_LABEL, D_LABEL, R, D_LABEL,                           /* purpose_eff..scope */
	D_DIM_VALUE, D_DIM_VALUE, R,                                     /* user, session, trace_first */
	D_SERVICE, D_LABEL, R,                                           /* t_system, t_type, t_eval */
	R, R, R, R, R, R, R, R, R, R, R, R, R,                           /* t_start_ns..t_max_repeat */
	D_MODEL, D_LABEL, D_TOOL, R,                                     /* t_top_* */
};
#undef R

typedef struct {
	ac_ch *c;
	const char *table;
	ac_buf b;
	uint64_t version;
	double bytes;
	const dict_names *d;
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
	s->th_rc = ac_ch_insert_tsv(s->c, s->sending_table, s->sending.data, s->sending.len,
	                            &s->th_err);
	return NULL;
}

/* Wait for the INSERT in flight; its error into err. */
static int wait_sent(sender *s, ac_err *err)
{
	if (!s->busy)
		return 0;
	pthread_join(s->th, NULL);
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
		return ac_ch_insert_tsv(s->c, s->sending_table, s->sending.data, s->sending.len, err);
	s->busy = 1;
	return 0;
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

/* Every row of staging query `name`, plus the version, into table; column i
 * written as the name of its id in dictionary cols[i] when that is >= 0. */
static int send_query(sender *s, sqlite3 *db, const char *name, const signed char *cols,
                      int ncols, long long *rows, ac_err *err)
{
	sqlite3_stmt *st;
	if (ac_store_prepare_named(db, name, 0, &st) != SQLITE_OK)
		return ac_err_set(err, AC_ESQL, "%s: %s", name, sqlite3_errmsg(db));
	int rc = 0, src;
	int ncol = sqlite3_column_count(st);
	if (cols && ncol != ncols) {
		sqlite3_finalize(st);
		return ac_err_set(err, AC_ESQL, "%s: %d columns, the ship expects %d", name, ncol, ncols);
	}
	char tail[32]; /* \t version \n: the same on every row */
	tail[0] = '\t';
	size_t ntail = 1 + fmt_i64(tail + 1, (int64_t)s->version);
	tail[ntail++] = '\n';
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		char num[40];
		for (int i = 0; i < ncol; i++) {
			if (i)
				ac_buf_addc(&s->b, '\t');
			if (cols && cols[i] >= 0) { /* a dictionary id: its name */
				int64_t id = sqlite3_column_int64(st, i);
				int k = cols[i];
				const char *n = id > 0 && (size_t)id < s->d->len[k] ? s->d->name[k][id] : NULL;
				ac_ch_tsv_field(&s->b, n, n ? strlen(n) : 0);
				continue;
			}
			switch (sqlite3_column_type(st, i)) {
			case SQLITE_NULL:
				ac_buf_add(&s->b, "\\N", 2);
				break;
			case SQLITE_INTEGER:
				ac_buf_add(&s->b, num, fmt_i64(num, sqlite3_column_int64(st, i)));
				break;
			case SQLITE_FLOAT: /* 17 digits: the same double back */
				ac_buf_add(&s->b, num,
				           (size_t)snprintf(num, sizeof(num), "%.17g",
				                            sqlite3_column_double(st, i)));
				break;
			default:
				ac_ch_tsv_field(&s->b, (const char *)sqlite3_column_text(st, i),
				                (size_t)sqlite3_column_bytes(st, i));
			}
		}
		ac_buf_add(&s->b, tail, ntail);
		(*rows)++;
		if (s->b.len >= SEND_BYTES && (rc = flush(s, err)))
			break;
	}
	if (!rc && src != SQLITE_DONE)
		rc = ac_err_set(err, AC_ESQL, "%s: %s", name, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	if (!rc)
		rc = flush(s, err);
	/* a table's rows are all stored before the next table's are sent */
	int w = wait_sent(s, rc ? &s->th_err : err);
	return rc ? rc : w;
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
	ac_ship_stats st = { 0, 0, 0, 0 };
	sqlite3 *db = ac_store_db(staging);
	int rc = dicts_load(&d, db, err);
	/* the spans (and with them their tasks) first, the ledger last: a
	 * ledger row says its file's spans are all there */
	s.table = "span";
	if (!rc && !(rc = send_query(&s, db, "ch_ship_spans.sql", SPAN_DICTS, (int)sizeof(SPAN_DICTS),
	                             &st.spans, err))) {
		sqlite3_stmt *n;
		if (sqlite3_prepare_v2(db, "SELECT count(*) FROM task", -1, &n, NULL) == SQLITE_OK &&
		    sqlite3_step(n) == SQLITE_ROW)
			st.tasks = sqlite3_column_int64(n, 0);
		sqlite3_finalize(n);
		s.table = "file";
		rc = send_query(&s, db, "ch_ship_files.sql", NULL, 0, &st.files, err);
	}
	wait_sent(&s, &s.th_err);
	st.bytes = s.bytes;
	ac_buf_release(&s.b);
	ac_buf_release(&s.sending);
	dicts_free(&d);
	if (out)
		*out = st;
	return rc;
}

/* ---- pull: what ClickHouse holds of the staged traces and tasks ----------- */

typedef struct {
	ac_store *staging;
	int64_t file;
	int64_t *traces;
	size_t ntraces, cap;
	long long pulled;
} puller;

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
#undef I
#undef T
	int inserted = 0;
	if ((rc = ac_store_insert_span(p->staging, &row, &inserted, err)))
		return rc;
	if (!inserted)
		return 0;
	p->pulled++;
	if (p->ntraces && p->traces[p->ntraces - 1] == row.trace)
		return 0;
	if (p->ntraces == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 256;
		int64_t *v = realloc(p->traces, cap * sizeof(*v));
		if (!v)
			return ac_err_set(err, AC_ENOMEM, "out of memory");
		p->traces = v;
		p->cap = cap;
	}
	p->traces[p->ntraces++] = row.trace;
	return 0;
}

/* The ids of staging query sql as quoted lists of PULL_KEYS each, read
 * before any span is pulled (pulling adds traces). */
static int id_lists(ac_store *staging, const char *sql, char ***out, size_t *n, ac_err *err)
{
	sqlite3_stmt *st;
	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(ac_store_db(staging), sql, -1, &st, NULL) != SQLITE_OK)
		return ac_store_fail(staging, err, "list staged traces");
	int rc = 0, src, k = 0;
	size_t cap = 0;
	ac_buf b = AC_BUF_INIT;
	for (;;) {
		src = sqlite3_step(st);
		if (src == SQLITE_ROW) {
			if (k++)
				ac_buf_addc(&b, ',');
			ac_ch_quote(&b, (const char *)sqlite3_column_text(st, 0));
		}
		if ((src != SQLITE_ROW && k > 0) || k == PULL_KEYS) {
			if (*n == cap) {
				cap = cap ? cap * 2 : 16;
				char **v = realloc(*out, cap * sizeof(*v));
				if (!v) {
					rc = ac_err_set(err, AC_ENOMEM, "out of memory");
					break;
				}
				*out = v;
			}
			if (b.oom || !((*out)[*n] = strdup(ac_buf_cstr(&b)))) {
				rc = ac_err_set(err, AC_ENOMEM, "out of memory");
				break;
			}
			(*n)++;
			ac_buf_reset(&b);
			k = 0;
		}
		if (src != SQLITE_ROW)
			break;
	}
	if (!rc && src != SQLITE_DONE)
		rc = ac_store_fail(staging, err, "list staged traces");
	ac_buf_release(&b);
	sqlite3_finalize(st);
	return rc;
}

static void free_lists(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
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
	ac_ch_rows_set_lists(r, traces, tasks);
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
		ac_ch_rows_set_lists(r, ac_buf_cstr(&need), "''");
		while ((rc = ac_ch_rows_next(r, err)) == 1)
			if ((rc = pull_row(p, r, err)))
				break;
		ac_ch_rows_free(r);
	}
	ac_buf_release(&need);
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
	puller p = { staging, 0, NULL, 0, 0, 0 };
	char **lt = NULL, **lk = NULL;
	size_t nt = 0, nk = 0;
	int rc;
	if ((rc = id_lists(staging, "SELECT lower(hex(trace_id)) FROM trace ORDER BY id", &lt, &nt,
	                   err)) ||
	    (rc = id_lists(staging, "SELECT name FROM task_ref ORDER BY id", &lk, &nk, err)))
		goto out;
	if ((rc = ac_store_begin(staging, err)))
		goto out;
	rc = ac_store_file_begin(staging, PULLED_PATH, -1, NULL, "clickhouse", &p.file, err);
	for (size_t i = 0; !rc && (i < nt || i < nk); i++)
		rc = pull_batch(&p, c, i < nt ? lt[i] : "''", i < nk ? lk[i] : "''", err);
	if (!rc)
		rc = ac_store_commit(staging, err);
	else
		ac_store_rollback(staging);
out:
	free_lists(lt, nt);
	free_lists(lk, nk);
	if (rc) {
		free(p.traces);
		return rc;
	}
	*traces = p.traces;
	*ntraces = p.ntraces;
	*pulled = p.pulled;
	return 0;
}
