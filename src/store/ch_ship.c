/*
 * The write side of the ClickHouse backend (store.h: ac_store_pull,
 * ac_store_ship): a SQLite staging store's rows, sent as TabSeparated.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "../tasks/callpack.h"
#include "../util/hex.h"
#include "../util/map.h"
#include "ch_store.h"

#define SEND_BYTES (16u << 20) /* one INSERT per 16 MiB of rows */
#define PULL_KEYS 500          /* trace and task ids per pull query */
#define PULLED_PATH "(stored in clickhouse)"

typedef struct {
	ac_ch *c;
	const char *table;
	ac_buf b;
	uint64_t version;
	double bytes;
} sender;

static int flush(sender *s, ac_err *err)
{
	if (s->b.oom)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	if (s->b.len == 0)
		return 0;
	int rc = ac_ch_insert_tsv(s->c, s->table, s->b.data, s->b.len, err);
	s->bytes += (double)s->b.len;
	ac_buf_reset(&s->b);
	return rc;
}

/* Every row of staging query `name`, plus the version, into table. */
static int send_query(sender *s, sqlite3 *db, const char *name, long long *rows, ac_err *err)
{
	sqlite3_stmt *st;
	if (ac_store_prepare_named(db, name, 0, &st) != SQLITE_OK)
		return ac_err_set(err, AC_ESQL, "%s: %s", name, sqlite3_errmsg(db));
	int rc = 0, src;
	int ncol = sqlite3_column_count(st);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < ncol; i++) {
			switch (sqlite3_column_type(st, i)) {
			case SQLITE_NULL:
				ac_buf_add(&s->b, "\\N", 2);
				break;
			case SQLITE_INTEGER:
				ac_buf_printf(&s->b, "%lld", (long long)sqlite3_column_int64(st, i));
				break;
			case SQLITE_FLOAT:
				ac_buf_printf(&s->b, "%.17g", sqlite3_column_double(st, i));
				break;
			default:
				ac_ch_tsv_field(&s->b, (const char *)sqlite3_column_text(st, i),
				                (size_t)sqlite3_column_bytes(st, i));
			}
			ac_buf_addc(&s->b, '\t');
		}
		ac_buf_printf(&s->b, "%" PRIu64 "\n", s->version);
		(*rows)++;
		if (s->b.len >= SEND_BYTES && (rc = flush(s, err)))
			break;
	}
	if (!rc && src != SQLITE_DONE)
		rc = ac_err_set(err, AC_ESQL, "%s: %s", name, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc ? rc : flush(s, err);
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

typedef struct {
	ac_map idx[2];   /* staging id -> index into name/chid, per kind */
	char **name;     /* NULL: a dangling id (no name: id 0 in ClickHouse) */
	int64_t *chid;
	size_t n, cap;
} namer;

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

/* s as an element of a TabSeparated array field: a quoted literal, with
 * backslash, quote and the bytes TabSeparated reserves escaped. */
static void tsv_array_str(ac_buf *b, const char *s)
{
	ac_buf_addc(b, '\'');
	for (; *s; s++) {
		switch (*s) {
		case '\\': ac_buf_adds(b, "\\\\"); break;
		case '\'': ac_buf_adds(b, "\\'"); break;
		case '\t': ac_buf_adds(b, "\\t"); break;
		case '\n': ac_buf_adds(b, "\\n"); break;
		case '\r': ac_buf_adds(b, "\\r"); break;
		default: ac_buf_addc(b, *s);
		}
	}
	ac_buf_addc(b, '\'');
}

/* The distinct names of indices v[0..n) as an array field. */
static void tsv_names(ac_buf *b, const namer *nm, const int64_t *v, size_t n)
{
	ac_buf_addc(b, '[');
	int any = 0;
	for (size_t i = 0; i < n; i++) {
		size_t j = 0;
		while (j < i && v[j] != v[i])
			j++;
		if (j < i || v[i] < 0 || !nm->name[v[i]])
			continue;
		if (any++)
			ac_buf_addc(b, ',');
		tsv_array_str(b, nm->name[v[i]]);
	}
	ac_buf_addc(b, ']');
}

/* One pass over ch_ship_task_calls.sql: with send 0, collect the names the
 * groups use; else send each row with its groups re-encoded. */
static int calls_pass(sender *s, ac_store *staging, namer *nm, int send, long long *rows,
                      ac_err *err)
{
	sqlite3 *db = ac_store_db(staging);
	sqlite3_stmt *st;
	if (ac_store_prepare_named(db, "ch_ship_task_calls.sql", 0, &st) != SQLITE_OK)
		return ac_err_set(err, AC_ESQL, "ch_ship_task_calls.sql: %s", sqlite3_errmsg(db));
	int rc = 0, src = SQLITE_DONE;
	size_t cap = 0;
	ac_call_group *g = NULL;
	int64_t *cls = NULL, *mdl = NULL; /* per group: the name indices */
	unsigned char *packed = NULL;
	while (!rc && (src = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *blob = sqlite3_column_blob(st, 4);
		size_t len = (size_t)sqlite3_column_bytes(st, 4), at = 0, n = 0;
		int got;
		for (;;) {
			if (n == cap) {
				size_t nc = cap ? cap * 2 : 64;
				ac_call_group *vg = realloc(g, nc * sizeof(*vg));
				int64_t *vc = vg ? realloc(cls, nc * sizeof(*vc)) : NULL;
				int64_t *vm = vc ? realloc(mdl, nc * sizeof(*vm)) : NULL;
				unsigned char *vp = vm ? realloc(packed, 2 + nc * AC_CALLPACK_GROUP_MAX) : NULL;
				g = vg ? vg : g;
				cls = vc ? vc : cls;
				mdl = vm ? vm : mdl;
				if (!vp) {
					rc = ac_err_set(err, AC_ENOMEM, "out of memory");
					break;
				}
				packed = vp;
				cap = nc;
			}
			if ((got = ac_callpack_next(blob, len, &at, &g[n])) != 1)
				break;
			if ((rc = namer_add(nm, staging, K_CLASS, g[n].complexity, &cls[n], err)) ||
			    (rc = namer_add(nm, staging, K_MODEL, g[n].model, &mdl[n], err)))
				break;
			n++;
		}
		if (rc || !send)
			continue;
		for (size_t i = 0; i < n; i++) {
			g[i].complexity = cls[i] < 0 ? 0 : nm->chid[cls[i]];
			g[i].model = mdl[i] < 0 ? 0 : nm->chid[mdl[i]];
		}
		size_t plen = ac_callpack_encode(g, n, packed);
		if (got < 0) /* damaged: the groups before the damage, then a byte that
		              * reads as damaged (an unfinished number), as in SQLite */
			packed[plen++] = 0x80;
		ac_ch_tsv_field(&s->b, (const char *)sqlite3_column_text(st, 0),
		                (size_t)sqlite3_column_bytes(st, 0));
		ac_buf_printf(&s->b, "\t%lld\t", (long long)sqlite3_column_int64(st, 1));
		ac_ch_tsv_field(&s->b, (const char *)sqlite3_column_text(st, 2),
		                (size_t)sqlite3_column_bytes(st, 2));
		ac_buf_printf(&s->b, "\t%d\t", sqlite3_column_int(st, 3));
		ac_ch_tsv_field(&s->b, (const char *)packed, plen);
		ac_buf_addc(&s->b, '\t');
		tsv_names(&s->b, nm, cls, n);
		ac_buf_addc(&s->b, '\t');
		tsv_names(&s->b, nm, mdl, n);
		ac_buf_printf(&s->b, "\t%" PRIu64 "\n", s->version);
		(*rows)++;
		if (s->b.len >= SEND_BYTES)
			rc = flush(s, err);
	}
	if (!rc && src != SQLITE_DONE)
		rc = ac_err_set(err, AC_ESQL, "ch_ship_task_calls.sql: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	free(g);
	free(cls);
	free(mdl);
	free(packed);
	return rc ? rc : (send ? flush(s, err) : 0);
}

/* Every task's call groups into table task_calls. */
static int send_calls(sender *s, ac_store *staging, long long *rows, ac_err *err)
{
	namer nm;
	memset(&nm, 0, sizeof(nm));
	ac_map_init(&nm.idx[0], 0);
	ac_map_init(&nm.idx[1], 0);
	long long none = 0;
	int rc = calls_pass(s, staging, &nm, 0, &none, err);
	if (!rc)
		rc = namer_ask(&nm, s->c, err);
	if (!rc)
		rc = calls_pass(s, staging, &nm, 1, rows, err);
	namer_release(&nm);
	return rc;
}

int ac_store_ship(ac_store *remote, ac_store *staging, ac_ship_stats *out, ac_err *err)
{
	ac_ch *c = ac_store_ch(remote);
	if (!c)
		return ac_err_set(err, AC_EINVAL, "ship: not a ClickHouse store");
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	sender s = { c, NULL, AC_BUF_INIT, (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec,
		     0 };
	ac_ship_stats st;
	memset(&st, 0, sizeof(st));
	sqlite3 *db = ac_store_db(staging);
	int rc;
	/* spans, tasks and their call groups first, the ledger last: a ledger
	 * row says its file's spans are all there */
	s.table = "span";
	rc = send_query(&s, db, "ch_ship_spans.sql", &st.spans, err);
	if (!rc) {
		s.table = "task";
		rc = send_query(&s, db, "ch_ship_tasks.sql", &st.tasks, err);
	}
	if (!rc) {
		s.table = "task_calls";
		rc = send_calls(&s, staging, &st.task_calls, err);
	}
	/* tombstones of the tasks pulled back that are no longer derived */
	if (!rc && ac_store_exec_named(db, "ch_pull_begin.sql") != SQLITE_OK)
		rc = ac_store_fail(staging, err, "ch_pull_begin.sql");
	if (!rc) {
		s.table = "task";
		rc = send_query(&s, db, "ch_ship_gone_tasks.sql", &st.tasks_gone, err);
	}
	if (!rc) {
		long long n = 0;
		s.table = "task_calls";
		rc = send_query(&s, db, "ch_ship_gone_calls.sql", &n, err);
	}
	if (!rc) {
		s.table = "file";
		rc = send_query(&s, db, "ch_ship_files.sql", &st.files, err);
	}
	st.bytes = s.bytes;
	ac_buf_release(&s.b);
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
 * is derived whole. Usually one or two rounds.
 *
 * The tasks ClickHouse held for the pulled spans are noted in the staging
 * store (queries/ch_pull_task_put.sql); one the derivation no longer gives
 * (its spans went to another task, an agentcost.task.id arriving late) is
 * replaced by a tombstone when shipped (ac_store_ship).
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
	sqlite3_stmt *note; /* ch_pull_task_put.sql */
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
	/* the span's trace and its task in ClickHouse: pulled whole too; the
	 * task noted (a tombstone if no longer derived) */
	const char *task = T(36);
	if ((rc = ask(p, 0, t0, err)) || (task && (rc = ask(p, 1, task, err))))
		return rc;
	if (task) {
		sqlite3_reset(p->note);
		sqlite3_bind_text(p->note, 1, task, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(p->note) != SQLITE_DONE)
			return ac_store_fail(p->staging, err, "ch_pull_task_put.sql");
	}
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

static int pull_batch(puller *p, ac_ch *c, const char *traces, const char *tasks, ac_err *err)
{
	ac_ch_rows *r = NULL;
	int rc = ac_ch_rows_open(c, "ch_pull.sql", 0, 0, NULL, 1, &r, err);
	if (rc)
		return rc;
	ac_ch_rows_set_lists(r, traces, tasks);
	while ((rc = ac_ch_rows_next(r, err)) == 1)
		if ((rc = pull_row(p, r, err)))
			break;
	ac_ch_rows_free(r);
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
	sqlite3 *db = ac_store_db(staging);
	int rc;
	if (ac_store_exec_named(db, "ch_pull_begin.sql") != SQLITE_OK ||
	    ac_store_prepare_named(db, "ch_pull_task_put.sql", 0, &p.note) != SQLITE_OK) {
		rc = ac_store_fail(staging, err, "ch_pull_begin.sql");
		goto out;
	}
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
	sqlite3_finalize(p.note);
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
