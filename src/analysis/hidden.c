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

/* ---- With --by / --where (issue #17) ---------------------------------- */

/* A scope's --by values against k (nkeys of them), in the queries' order. */
static int key_cmp(const ac_hidden_scope *sc, const char *const *k, size_t nkeys)
{
	for (size_t i = 0; i < nkeys; i++) {
		int c = ac_cmp_opt(sc->k[i], k[i]);
		if (c)
			return c;
	}
	return 0;
}

/* A new scope of values k at position at of r->sys; NULL on OOM. */
static ac_hidden_scope *insert_scope(ac_hidden_result *r, size_t at, const char *const *k)
{
	if (r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 16;
		ac_hidden_scope *ns = realloc(r->sys, nc * sizeof(*ns));
		if (!ns)
			return NULL;
		r->sys = ns;
		r->cap = nc;
	}
	memmove(&r->sys[at + 1], &r->sys[at], (r->n - at) * sizeof(*r->sys));
	ac_hidden_scope *sc = &r->sys[at];
	memset(sc, 0, sizeof(*sc));
	r->n++;
	for (size_t i = 0; i < r->nkeys; i++)
		if (k[i] && !(sc->k[i] = strdup(k[i])))
			return NULL;
	return sc;
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

/* hidden_by.sql: k1, k2, purpose, cost, tokens, spans, tool calls, failures;
 * in key order, so a new key is a new last scope. */
static int read_purposes_by(ac_store *s, const ac_query *q, const ac_dims_info *info,
                            ac_hidden_result *r, ac_err *err)
{
	ac_rows *rows;
	int rc = open_by(s, q, "hidden_by.sql", info->model_pos, info, &rows, err);
	if (rc)
		return rc;
	while ((rc = ac_rows_next(rows, err)) == 1) {
		const char *k[2] = { ac_rows_text(rows, 0), ac_rows_text(rows, 1) };
		const char *name = ac_rows_text(rows, 2);
		double cost = ac_rows_double(rows, 3);
		long long tokens = ac_rows_int(rows, 4), spans = ac_rows_int(rows, 5),
		          calls = ac_rows_int(rows, 6), failures = ac_rows_int(rows, 7);
		ac_hidden_scope *sc = r->n && !key_cmp(&r->sys[r->n - 1], k, r->nkeys)
		                              ? &r->sys[r->n - 1]
		                              : insert_scope(r, r->n, k);
		if (!sc || add_row(&r->all, name, cost, tokens, spans, calls, failures) ||
		    add_row(sc, name, cost, tokens, spans, calls, failures)) {
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
			break;
		}
	}
	ac_rows_free(rows);
	return rc;
}

/* hidden_retries_by.sql merged into the scopes (both in key order); a
 * value with retries and no span in the window (a model called only after
 * it) gets its scope. With into_all, the rows are also the "all" scope's. */
static int read_retries_by(ac_store *s, const ac_query *q, const ac_dims_info *info,
                           int model_pos, int into_scopes, ac_hidden_result *r, ac_err *err)
{
	ac_rows *rows;
	int rc = open_by(s, q, "hidden_retries_by.sql", model_pos, info, &rows, err);
	if (rc)
		return rc;
	size_t j = 0;
	while ((rc = ac_rows_next(rows, err)) == 1) {
		long long ep = ac_rows_int(rows, 2), at = ac_rows_int(rows, 3);
		if (!into_scopes) {
			r->all.episodes += ep;
			r->all.attempts += at;
			continue;
		}
		const char *k[2] = { ac_rows_text(rows, 0), ac_rows_text(rows, 1) };
		while (j < r->n && key_cmp(&r->sys[j], k, r->nkeys) < 0)
			j++;
		ac_hidden_scope *sc = j < r->n && !key_cmp(&r->sys[j], k, r->nkeys)
		                              ? &r->sys[j]
		                              : insert_scope(r, j, k);
		if (!sc) {
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
			break;
		}
		sc->episodes += ep;
		sc->attempts += at;
		if (!model_pos) {
			r->all.episodes += ep;
			r->all.attempts += at;
		}
	}
	ac_rows_free(rows);
	return rc;
}

static int run_by(ac_store *s, const ac_query *q, ac_hidden_result *out, ac_err *err)
{
	ac_dims_info info;
	int rc = ac_dims_prepare(s, q, &info, err);
	if (rc)
		return rc;
	out->nkeys = q->nby;
	if ((rc = read_purposes_by(s, q, &info, out, err)) ||
	    (rc = read_retries_by(s, q, &info, info.model_pos, 1, out, err)))
		return rc;
	/* by model, a task's retries count for each of its models: "all" once */
	if (info.model_pos && (rc = read_retries_by(s, q, &info, 0, 0, out, err)))
		return rc;
	if (finish_scope(&out->all))
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	for (size_t i = 0; i < out->n; i++)
		if (finish_scope(&out->sys[i]))
			return ac_err_set(err, AC_ENOMEM, "out of memory");
	return 0;
}

int ac_hidden_run(ac_store *s, const ac_query *q, ac_hidden_result *out, ac_err *err)
{
	memset(out, 0, sizeof(*out));
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
