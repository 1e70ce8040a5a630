/*
 * Spend series and their bands (spend.h): spc_daily.sql's rows, one series
 * per system in the order they come, gaps filled with zeros.
 */
#include "spend.h"

#include <stdlib.h>
#include <string.h>

#include "../util/cmp.h"
#include "dims.h"
#include "../util/timeutil.h"

/* One series' rows, gathered before it is filled with zeros. */
typedef struct rowbuf {
	int64_t *period;
	double *cost;
	size_t n, cap;
} rowbuf;

static int rowbuf_push(rowbuf *b, int64_t period, double cost)
{
	if (b->n == b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 256;
		int64_t *p = realloc(b->period, nc * sizeof(*p));
		if (!p)
			return AC_ENOMEM;
		b->period = p;
		double *c = realloc(b->cost, nc * sizeof(*c));
		if (!c)
			return AC_ENOMEM;
		b->cost = c;
		b->cap = nc;
	}
	b->period[b->n] = period;
	b->cost[b->n++] = cost;
	return 0;
}

/* Fill series x from b's rows: the gaps filled with 0, the band computed;
 * b left empty for the next one. */
static int fill_series(ac_spend_series *x, rowbuf *b, int64_t period_ns, const ac_spc_opts *o,
                       ac_err *err)
{
	x->first = b->n ? b->period[0] : 0;
	int64_t span = b->n ? b->period[b->n - 1] - x->first + 1 : 0;
	if (span > AC_SPEND_MAX_PERIODS)
		return ac_err_set(err, AC_ELIMIT,
		                  "%lld %s between the first and the last span; check the timestamps",
		                  (long long)span, period_ns == AC_NS_PER_DAY ? "days" : "hours");
	x->n = (size_t)span;
	x->cost = calloc(span ? (size_t)span : 1, sizeof(double));
	x->pt = malloc((span ? (size_t)span : 1) * sizeof(*x->pt));
	if (!x->cost || !x->pt)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	for (size_t i = 0; i < b->n; i++)
		x->cost[b->period[i] - x->first] = b->cost[i];
	ac_spc_run(x->pt, x->cost, x->n, o);
	b->n = 0;
	return 0;
}

/*
 * The periods of a window, whole: a control chart compares whole days (or
 * hours), so --since and --until select the periods they fall in, each
 * counted whole, and each point's band and run rules come from the periods
 * before it exactly as in the listing without --since. The rows are read
 * from the store's beginning (*from_ns: INT64_MIN; a series starts at its
 * first spend, as always) to the end of the period holding until - 1
 * (*to_ns), and the periods before since's are dropped once computed
 * (*keep, the first period shown; INT64_MIN: all).
 */
static void whole_periods(int64_t since_ns, int64_t until_ns, int64_t period_ns,
                          int64_t *from_ns, int64_t *to_ns, int64_t *keep)
{
	*from_ns = INT64_MIN;
	*keep = since_ns == INT64_MIN ? INT64_MIN
	                               : since_ns / period_ns - (since_ns % period_ns < 0);
	*to_ns = until_ns;
	if (until_ns != INT64_MAX) {
		int64_t last = (until_ns - 1) / period_ns - ((until_ns - 1) % period_ns < 0);
		if (last < INT64_MAX / period_ns - 1)
			*to_ns = (last + 1) * period_ns;
	}
}

/* Drop the points of x before period keep (whole_periods). */
static void trim_series(ac_spend_series *x, int64_t keep)
{
	if (keep == INT64_MIN || keep <= x->first)
		return;
	size_t k = keep - x->first >= (int64_t)x->n ? x->n : (size_t)(keep - x->first);
	memmove(x->cost, x->cost + k, (x->n - k) * sizeof(*x->cost));
	memmove(x->pt, x->pt + k, (x->n - k) * sizeof(*x->pt));
	x->n -= k;
	x->first = keep;
}

/* Close the series being read into out->v[out->n - 1]. */
static int finish(ac_spend_result *out, rowbuf *b, int64_t period_ns, const ac_spc_opts *o,
                  ac_err *err)
{
	ac_spend_series *x = &out->v[out->n - 1];
	int rc = fill_series(x, b, period_ns, o, err);
	if (!rc)
		trim_series(x, out->keep);
	return rc;
}

/* A new series at the end of out (system copied). */
static int open_series(ac_spend_result *out, size_t *cap, const char *system, ac_err *err)
{
	if (out->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		ac_spend_series *v = realloc(out->v, nc * sizeof(*v));
		if (!v)
			return ac_err_set(err, AC_ENOMEM, "out of memory");
		out->v = v;
		*cap = nc;
	}
	ac_spend_series *x = &out->v[out->n++];
	memset(x, 0, sizeof(*x));
	if (system && !(x->system = strdup(system)))
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	return 0;
}

static int read_series(ac_rows *rows, int by_system, int64_t period_ns, const ac_spc_opts *o,
                       ac_spend_result *out, rowbuf *b, ac_err *err)
{
	size_t cap = 0;
	int rc;
	if (!by_system && (rc = open_series(out, &cap, NULL, err)))
		return rc;
	while ((rc = ac_rows_next(rows, err)) == 1) {
		const char *sys = ac_rows_text(rows, 0);
		if (by_system && (!out->n || ac_cmp_opt(sys, out->v[out->n - 1].system))) {
			if ((out->n && (rc = finish(out, b, period_ns, o, err))) ||
			    (rc = open_series(out, &cap, sys, err)))
				return rc;
		}
		if (rowbuf_push(b, ac_rows_int(rows, 1), ac_rows_double(rows, 2)))
			return ac_err_set(err, AC_ENOMEM, "out of memory");
	}
	if (rc)
		return rc;
	return out->n ? finish(out, b, period_ns, o, err) : 0;
}

static void series_free(ac_spend_series *x)
{
	free(x->system);
	free(x->cost);
	free(x->pt);
}

int ac_spend_run(ac_store *s, const ac_query *q, int64_t period_ns, const ac_spc_opts *o,
                 ac_spend_result *out, ac_err *err)
{
	memset(out, 0, sizeof(*out));
	int by_system = 0;
	for (size_t i = 0; i < q->nby; i++) {
		if (q->by[i].kind != AC_DIM_SYSTEM)
			return ac_err_set(err, AC_EINVAL, "spc: a series per system only");
		by_system = 1;
	}
	if (q->nwhere)
		return ac_err_set(err, AC_EINVAL, "spc: no filter by attribute yet");
	ac_rows *rows;
	int64_t from, to;
	whole_periods(q->since_ns, q->until_ns, period_ns, &from, &to, &out->keep);
	int rc = ac_store_rows(s, "spc_daily.sql", from, to, q->system, 0, &rows, err);
	if (rc)
		return rc;
	ac_rows_bind_int(rows, 4, period_ns);
	ac_rows_bind_int(rows, 5, by_system);
	rowbuf b = { 0 };
	rc = read_series(rows, by_system, period_ns, o, out, &b, err);
	/* a system that spent only before the window has no series */
	size_t k = 0;
	for (size_t i = 0; !rc && by_system && i < out->n; i++) {
		if (out->v[i].n)
			out->v[k++] = out->v[i];
		else
			series_free(&out->v[i]);
	}
	if (!rc && by_system)
		out->n = k;
	free(b.period);
	free(b.cost);
	ac_rows_free(rows);
	return rc;
}

void ac_spend_result_free(ac_spend_result *r)
{
	for (size_t i = 0; i < r->n; i++)
		series_free(&r->v[i]);
	free(r->v);
	memset(r, 0, sizeof(*r));
}

int ac_spend_range(ac_store *s, int64_t period_ns, int64_t first, size_t n, double *x,
                   ac_spc_point *pt, const ac_spc_opts *o, ac_err *err)
{
	/* the rollup has hours: shorter periods come from the spans */
	memset(x, 0, n * sizeof(*x));
	int64_t since = first * period_ns, until = (first + (int64_t)n) * period_ns;
	int flags = period_ns % (3600 * AC_NS_PER_SEC) == 0 ? 0 : AC_ROWS_SCAN;
	ac_rows *rows;
	int rc = ac_store_rows(s, "spc_daily.sql", since, until, NULL, flags, &rows, err);
	if (rc)
		return rc;
	ac_rows_bind_int(rows, 4, period_ns);
	ac_rows_bind_int(rows, 5, 0);
	while ((rc = ac_rows_next(rows, err)) == 1) {
		int64_t p = ac_rows_int(rows, 1);
		if (p >= first && p < first + (int64_t)n)
			x[p - first] = ac_rows_double(rows, 2);
	}
	ac_rows_free(rows);
	if (!rc && pt)
		ac_spc_run(pt, x, n, o);
	return rc;
}

int ac_spend_band(ac_store *s, int64_t period_ns, int64_t first, size_t n,
                  const ac_spc_opts *o, double **x, ac_spc_point **pt, ac_err *err)
{
	*x = calloc(n ? n : 1, sizeof(double));
	*pt = calloc(n ? n : 1, sizeof(**pt));
	int rc = !*x || !*pt ? ac_err_set(err, AC_ENOMEM, "out of memory")
	                     : ac_spend_range(s, period_ns, first, n, *x, *pt, o, err);
	if (rc) {
		free(*x);
		free(*pt);
		*x = NULL;
		*pt = NULL;
	}
	return rc;
}

/* ---- With --by / --where (issue #17): one value's series at a time ------- */

struct ac_spend_iter {
	ac_rows *rows;
	int64_t period_ns;
	ac_spc_opts o;
	size_t nkeys;
	int pending;      /* 1: next_k, next_period, next_cost hold the row read ahead */
	int done;         /* the rows are over (stepping again would restart them) */
	char *next_k[2];
	int64_t next_period;
	double next_cost;
	rowbuf b;
	int64_t keep;      /* the first period shown (whole_periods) */
	ac_spend_series x; /* the series handed out */
};

int ac_spend_by_open(ac_store *s, const ac_query *q, int64_t period_ns, const ac_spc_opts *o,
                     ac_spend_iter **out, ac_err *err)
{
	ac_dims_info info;
	*out = NULL;
	/* the values of the tasks of the history before the window too */
	int64_t from, to, keep;
	whole_periods(q->since_ns, q->until_ns, period_ns, &from, &to, &keep);
	ac_query hq = *q;
	hq.since_ns = from;
	hq.until_ns = to;
	int rc = ac_dims_prepare(s, &hq, &info, err);
	if (rc)
		return rc;
	ac_spend_iter *it = calloc(1, sizeof(*it));
	if (!it)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	/* the rollup has no task values: every period from the spans */
	it->keep = keep;
	rc = ac_store_rows(s, "spc_by.sql", from, to, q->system, AC_ROWS_SCAN, &it->rows, err);
	if (rc) {
		free(it);
		return rc;
	}
	ac_rows_bind_int(it->rows, 4, period_ns);
	ac_rows_bind_int(it->rows, 5, info.model_pos);
	ac_rows_bind_text(it->rows, 6, info.model_where);
	it->period_ns = period_ns;
	it->o = *o;
	it->nkeys = q->nby;
	*out = it;
	return 0;
}

/* Read the next row into the read-ahead: 1, 0 at the end, or an error. */
static int read_ahead(ac_spend_iter *it, ac_err *err)
{
	int rc = it->done ? 0 : ac_rows_next(it->rows, err);
	it->pending = rc == 1;
	it->done = rc != 1;
	if (rc != 1)
		return rc;
	for (size_t i = 0; i < 2; i++) {
		free(it->next_k[i]);
		it->next_k[i] = NULL;
		const char *v = i < it->nkeys ? ac_rows_text(it->rows, (int)i) : NULL;
		if (v && !(it->next_k[i] = strdup(v)))
			return ac_err_set(err, AC_ENOMEM, "out of memory");
	}
	it->next_period = ac_rows_int(it->rows, 2);
	it->next_cost = ac_rows_double(it->rows, 3);
	return 1;
}

static void series_release(ac_spend_series *x)
{
	free(x->k[0]);
	free(x->k[1]);
	free(x->cost);
	free(x->pt);
	memset(x, 0, sizeof(*x));
}

int ac_spend_by_next(ac_spend_iter *it, const ac_spend_series **out, ac_err *err)
{
	int rc;
	ac_spend_series *x = &it->x;
	do { /* a value that spent only before the window has no series: the next */
		series_release(x);
		if (!it->pending && (rc = read_ahead(it, err)) != 1)
			return rc;
		/* the value's rows: the read-ahead's key until it changes */
		x->k[0] = it->next_k[0];
		x->k[1] = it->next_k[1];
		it->next_k[0] = it->next_k[1] = NULL;
		do {
			if (rowbuf_push(&it->b, it->next_period, it->next_cost))
				return ac_err_set(err, AC_ENOMEM, "out of memory");
			if ((rc = read_ahead(it, err)) < 0)
				return rc;
		} while (rc == 1 && !ac_cmp_opt(x->k[0], it->next_k[0]) &&
		         !ac_cmp_opt(x->k[1], it->next_k[1]));
		if ((rc = fill_series(x, &it->b, it->period_ns, &it->o, err)))
			return rc;
		trim_series(x, it->keep);
	} while (!x->n);
	*out = x;
	return 1;
}

void ac_spend_by_close(ac_spend_iter *it)
{
	if (!it)
		return;
	ac_rows_free(it->rows);
	free(it->next_k[0]);
	free(it->next_k[1]);
	free(it->b.period);
	free(it->b.cost);
	series_release(&it->x);
	free(it);
}
