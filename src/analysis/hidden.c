/*
 * Hidden costs (hidden.h): the rows of hidden.sql and hidden_retries.sql
 * summed into the whole window's scope and one scope per system; with
 * --by/--where, of hidden_by.sql and hidden_retries_by.sql into one scope
 * per value, read in key order (no map of the values).
 */
#include "hidden.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/cmp.h"
#include "dims.h"

/* The purposes everybody asks about first, in the order they are shown. */
static const char *const KNOWN[] = { "retry", "summarize", "eval", "plan",
	                             "execute", "aggregate", "tool" };
#define NKNOWN (sizeof(KNOWN) / sizeof(KNOWN[0]))
#define NALWAYS 3 /* retry, summarize, eval: present even at zero */

static size_t rank(const char *name)
{
	for (size_t i = 0; i < NKNOWN; i++)
		if (!strcmp(name, KNOWN[i]))
			return i;
	return NKNOWN;
}

static int purpose_cmp(const void *a, const void *b)
{
	const ac_hidden_purpose *x = a, *y = b;
	size_t rx = rank(x->name), ry = rank(y->name);
	if (rx != ry)
		return rx < ry ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int scope_cmp(const void *a, const void *b)
{
	return ac_cmp_opt(((const ac_hidden_scope *)a)->system,
	                  ((const ac_hidden_scope *)b)->system);
}

static ac_hidden_purpose *get_purpose(ac_hidden_scope *s, const char *name)
{
	for (size_t i = 0; i < s->np; i++)
		if (!strcmp(s->p[i].name, name))
			return &s->p[i];
	if (s->np == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 16;
		ac_hidden_purpose *np = realloc(s->p, nc * sizeof(*np));
		if (!np)
			return NULL;
		s->p = np;
		s->cap = nc;
	}
	ac_hidden_purpose *p = &s->p[s->np];
	memset(p, 0, sizeof(*p));
	if (!(p->name = strdup(name)))
		return NULL;
	s->np++;
	return p;
}

static ac_hidden_scope *get_scope(ac_hidden_result *r, const char *system)
{
	for (size_t i = r->n; i-- > 0;) /* rows come sorted: the last one usually */
		if (!ac_cmp_opt(r->sys[i].system, system))
			return &r->sys[i];
	if (r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 16;
		ac_hidden_scope *ns = realloc(r->sys, nc * sizeof(*ns));
		if (!ns)
			return NULL;
		r->sys = ns;
		r->cap = nc;
	}
	ac_hidden_scope *s = &r->sys[r->n];
	memset(s, 0, sizeof(*s));
	if (system && !(s->system = strdup(system)))
		return NULL;
	r->n++;
	return s;
}

static int add_row(ac_hidden_scope *s, const char *name, double cost, long long tokens,
                   long long spans, long long calls, long long failures)
{
	ac_hidden_purpose *p = get_purpose(s, name);
	if (!p)
		return AC_ENOMEM;
	p->cost_usd += cost;
	p->tokens += tokens;
	p->spans += spans;
	s->cost_usd += cost;
	s->tokens += tokens;
	s->tool_calls += calls;
	s->tool_failures += failures;
	return 0;
}

/* Add the always-shown purposes at zero, and sort into display order. */
/* a / b, NAN when b is 0. */
static double ratio(double a, double b)
{
	return b != 0 ? a / b : NAN;
}

/* The always-listed purposes, the order, the shares and rates. */
static int finish_scope(ac_hidden_scope *s)
{
	for (size_t i = 0; i < NALWAYS; i++)
		if (!get_purpose(s, KNOWN[i]))
			return AC_ENOMEM;
	if (s->np)
		qsort(s->p, s->np, sizeof(*s->p), purpose_cmp);
	for (size_t i = 0; i < s->np; i++) {
		s->p[i].share = ratio(s->p[i].cost_usd, s->cost_usd);
		s->p[i].token_share = ratio((double)s->p[i].tokens, (double)s->tokens);
	}
	s->tool_failure_rate = ratio((double)s->tool_failures, (double)s->tool_calls);
	s->retries_per_failure = ratio((double)s->attempts, (double)s->episodes);
	return 0;
}

static void scope_release(ac_hidden_scope *s)
{
	for (size_t i = 0; i < s->np; i++)
		free(s->p[i].name);
	free(s->p);
	free(s->system);
	free(s->k[0]);
	free(s->k[1]);
}

/* hidden.sql: system, purpose, cost, tokens, spans, tool calls, tool failures */
static int read_purposes(ac_store *s, const ac_query *q, ac_hidden_result *r, ac_err *err)
{
	ac_rows *rows;
	int rc = ac_store_rows(s, "hidden.sql", q->since_ns, q->until_ns, q->system, 0, &rows, err);
	if (rc)
		return rc;
	while ((rc = ac_rows_next(rows, err)) == 1) {
		const char *name = ac_rows_text(rows, 1);
		double cost = ac_rows_double(rows, 2);
		long long tokens = ac_rows_int(rows, 3), spans = ac_rows_int(rows, 4),
		          calls = ac_rows_int(rows, 5), failures = ac_rows_int(rows, 6);
		ac_hidden_scope *sc = get_scope(r, ac_rows_text(rows, 0));
		if (!sc || add_row(&r->all, name, cost, tokens, spans, calls, failures) ||
		    add_row(sc, name, cost, tokens, spans, calls, failures)) {
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
			break;
		}
	}
	ac_rows_free(rows);
	return rc;
}

/* hidden_retries.sql: system, retry episodes, retry attempts */
static int read_retries(ac_store *s, const ac_query *q, ac_hidden_result *r, ac_err *err)
{
	ac_rows *rows;
	int rc = ac_store_rows(s, "hidden_retries.sql", q->since_ns, q->until_ns, q->system, 0,
	                       &rows, err);
	if (rc)
		return rc;
	while ((rc = ac_rows_next(rows, err)) == 1) {
		ac_hidden_scope *sc = get_scope(r, ac_rows_text(rows, 0));
		if (!sc) {
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
			break;
		}
		long long ep = ac_rows_int(rows, 1), at = ac_rows_int(rows, 2);
		sc->episodes += ep;
		sc->attempts += at;
		r->all.episodes += ep;
		r->all.attempts += at;
	}
	ac_rows_free(rows);
	return rc;
}

/* ---- With --by / --where (issue #17): one value at a time ------------- */

/* One ordered row stream with its current row's key copied (the text of a
 * row is gone after the next step). */
typedef struct stream {
	ac_rows *rows;
	int live;   /* 1: a current row */
	char *k[2];
} stream;

struct ac_hidden_iter {
	size_t nkeys;
	stream pur;   /* hidden_by.sql: k1, k2, purpose, cost, tokens, spans, calls, failures */
	stream ret;   /* hidden_retries_by.sql: k1, k2, episodes, attempts */
	int model_pos;
	ac_hidden_scope all;
};

static int stream_step(stream *st, size_t nkeys, ac_err *err)
{
	int rc = st->live ? ac_rows_next(st->rows, err) : 0; /* done: stays done */
	st->live = rc == 1;
	for (size_t i = 0; i < 2; i++) {
		free(st->k[i]);
		st->k[i] = NULL;
		const char *v = st->live && i < nkeys ? ac_rows_text(st->rows, (int)i) : NULL;
		if (v && !(st->k[i] = strdup(v)))
			return ac_err_set(err, AC_ENOMEM, "out of memory");
	}
	return rc < 0 ? rc : 0;
}

/* Keys in the queries' order (NULL first, then bytewise). */
static int keys_cmp(char *const *a, char *const *b)
{
	int c = ac_cmp_opt(a[0], b[0]);
	return c ? c : ac_cmp_opt(a[1], b[1]);
}

/* The rows of a *_by query (model_pos, model_where bound as ?4, ?5). */
static int open_by(ac_store *s, const ac_query *q, const char *name, int model_pos,
                   const ac_dims_info *info, ac_rows **rows, ac_err *err)
{
	int rc = ac_store_rows(s, name, q->since_ns, q->until_ns, q->system, AC_ROWS_SCAN, rows,
	                       err);
	if (rc)
		return rc;
	ac_rows_bind_int(*rows, 4, model_pos);
	ac_rows_bind_text(*rows, 5, info->model_where);
	return 0;
}

/* By model a task's retries count for each model it called: "all" counts
 * them once, from the rows without model (summed, not kept). */
static int all_retries(ac_store *s, const ac_query *q, const ac_dims_info *info,
                       ac_hidden_scope *all, ac_err *err)
{
	ac_rows *rows;
	int rc = open_by(s, q, "hidden_retries_by.sql", 0, info, &rows, err);
	if (rc)
		return rc;
	while ((rc = ac_rows_next(rows, err)) == 1) {
		all->episodes += ac_rows_int(rows, 2);
		all->attempts += ac_rows_int(rows, 3);
	}
	ac_rows_free(rows);
	return rc;
}

int ac_hidden_by_open(ac_store *s, const ac_query *q, ac_hidden_iter **out, ac_err *err)
{
	ac_dims_info info;
	*out = NULL;
	int rc = ac_dims_prepare(s, q, &info, err);
	if (rc)
		return rc;
	ac_hidden_iter *it = calloc(1, sizeof(*it));
	if (!it)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	it->nkeys = q->nby;
	it->model_pos = info.model_pos;
	/* both streams start on their first row (live set so the step reads) */
	it->pur.live = it->ret.live = 1;
	if ((rc = open_by(s, q, "hidden_by.sql", info.model_pos, &info, &it->pur.rows, err)) ||
	    (rc = open_by(s, q, "hidden_retries_by.sql", info.model_pos, &info, &it->ret.rows,
	                  err)) ||
	    (info.model_pos && (rc = all_retries(s, q, &info, &it->all, err))) ||
	    (rc = stream_step(&it->pur, it->nkeys, err)) ||
	    (rc = stream_step(&it->ret, it->nkeys, err))) {
		ac_hidden_by_close(it);
		return rc;
	}
	*out = it;
	return 0;
}

/* Add the purpose rows of the current key to sc (and to "all"). */
static int take_purposes(ac_hidden_iter *it, ac_hidden_scope *sc, ac_err *err)
{
	int rc = 0;
	while (!rc && it->pur.live && !keys_cmp(it->pur.k, sc->k)) {
		ac_rows *r = it->pur.rows;
		const char *name = ac_rows_text(r, 2);
		double cost = ac_rows_double(r, 3);
		long long tokens = ac_rows_int(r, 4), spans = ac_rows_int(r, 5),
		          calls = ac_rows_int(r, 6), failures = ac_rows_int(r, 7);
		if (add_row(&it->all, name, cost, tokens, spans, calls, failures) ||
		    add_row(sc, name, cost, tokens, spans, calls, failures))
			return ac_err_set(err, AC_ENOMEM, "out of memory");
		rc = stream_step(&it->pur, it->nkeys, err);
	}
	return rc;
}

int ac_hidden_by_next(ac_hidden_iter *it, ac_hidden_scope *out, ac_err *err)
{
	memset(out, 0, sizeof(*out));
	if (!it->pur.live && !it->ret.live)
		return finish_scope(&it->all) ? ac_err_set(err, AC_ENOMEM, "out of memory") : 0;
	/* the next key: the smaller of the two streams' (a model called only
	 * after the window has retries and no span in it) */
	stream *from = !it->ret.live || (it->pur.live && keys_cmp(it->pur.k, it->ret.k) <= 0)
	                       ? &it->pur
	                       : &it->ret;
	int rc = 0;
	for (size_t i = 0; i < 2; i++)
		if (from->k[i] && !(out->k[i] = strdup(from->k[i])))
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
	if (!rc)
		rc = take_purposes(it, out, err);
	if (!rc && it->ret.live && !keys_cmp(it->ret.k, out->k)) {
		long long ep = ac_rows_int(it->ret.rows, 2), at = ac_rows_int(it->ret.rows, 3);
		out->episodes += ep;
		out->attempts += at;
		if (!it->model_pos) {
			it->all.episodes += ep;
			it->all.attempts += at;
		}
		rc = stream_step(&it->ret, it->nkeys, err);
	}
	if (!rc && finish_scope(out))
		rc = ac_err_set(err, AC_ENOMEM, "out of memory");
	if (rc) {
		scope_release(out);
		return rc;
	}
	return 1;
}

const ac_hidden_scope *ac_hidden_by_all(const ac_hidden_iter *it)
{
	return &it->all;
}

void ac_hidden_by_close(ac_hidden_iter *it)
{
	if (!it)
		return;
	ac_rows_free(it->pur.rows);
	ac_rows_free(it->ret.rows);
	for (int i = 0; i < 2; i++) {
		free(it->pur.k[i]);
		free(it->ret.k[i]);
	}
	scope_release(&it->all);
	free(it);
}

void ac_hidden_scope_release(ac_hidden_scope *sc)
{
	scope_release(sc);
	memset(sc, 0, sizeof(*sc));
}

/* The iterator's scopes into out->sys, its "all" into out->all. */
static int run_by(ac_store *s, const ac_query *q, ac_hidden_result *out, ac_err *err)
{
	ac_hidden_iter *it;
	int rc = ac_hidden_by_open(s, q, &it, err);
	if (rc)
		return rc;
	out->nkeys = q->nby;
	ac_hidden_scope sc;
	while ((rc = ac_hidden_by_next(it, &sc, err)) == 1) {
		if (out->n == out->cap) {
			size_t nc = out->cap ? out->cap * 2 : 16;
			ac_hidden_scope *ns = realloc(out->sys, nc * sizeof(*ns));
			if (!ns) {
				scope_release(&sc);
				rc = ac_err_set(err, AC_ENOMEM, "out of memory");
				break;
			}
			out->sys = ns;
			out->cap = nc;
		}
		out->sys[out->n++] = sc;
	}
	if (!rc) { /* "all" moves to out */
		out->all = it->all;
		memset(&it->all, 0, sizeof(it->all));
	}
	ac_hidden_by_close(it);
	return rc;
}

/* --where alone: the plain result's scopes (the whole filtered window, then
 * each system) from the values of the dimension system, "(none)" read as a
 * task without a system, in the plain order. */
static int run_where(ac_store *s, const ac_query *q, ac_hidden_result *out, ac_err *err)
{
	static const ac_dim by_system = { AC_DIM_SYSTEM, NULL, NULL };
	ac_query sq = *q;
	sq.by = &by_system;
	sq.nby = 1;
	int rc = run_by(s, &sq, out, err);
	out->nkeys = 0;
	for (size_t i = 0; i < out->n; i++) {
		ac_hidden_scope *sc = &out->sys[i];
		if (sc->k[0] && strcmp(sc->k[0], "(none)"))
			sc->system = sc->k[0];
		else
			free(sc->k[0]);
		sc->k[0] = NULL;
	}
	if (!rc && out->n)
		qsort(out->sys, out->n, sizeof(*out->sys), scope_cmp);
	return rc;
}

int ac_hidden_run(ac_store *s, const ac_query *q, ac_hidden_result *out, ac_err *err)
{
	memset(out, 0, sizeof(*out));
	if (q->dims && !q->nby)
		return run_where(s, q, out, err);
	if (q->dims)
		return run_by(s, q, out, err);
	if (q->nby || q->nwhere)
		return ac_err_set(err, AC_EINVAL, "hidden: no grouping or filter by attribute yet");
	int rc;
	if ((rc = read_purposes(s, q, out, err)) || (rc = read_retries(s, q, out, err)))
		return rc;
	if (finish_scope(&out->all))
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	for (size_t i = 0; i < out->n; i++)
		if (finish_scope(&out->sys[i]))
			return ac_err_set(err, AC_ENOMEM, "out of memory");
	if (out->n) /* qsort(NULL, 0, ...) is undefined */
		qsort(out->sys, out->n, sizeof(*out->sys), scope_cmp);
	return 0;
}

void ac_hidden_result_free(ac_hidden_result *r)
{
	scope_release(&r->all);
	for (size_t i = 0; i < r->n; i++)
		scope_release(&r->sys[i]);
	free(r->sys);
	memset(r, 0, sizeof(*r));
}

const ac_hidden_purpose *ac_hidden_purpose_of(const ac_hidden_scope *sc, const char *name)
{
	for (size_t i = 0; i < sc->np; i++)
		if (!strcmp(sc->p[i].name, name))
			return &sc->p[i];
	return NULL;
}
