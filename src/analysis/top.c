/*
 * A dimension's values by spend (top.h). One pass over the units in value
 * order keeps the `limit` most costly values in a min-heap, so memory is the
 * limit plus the largest value's task count, however many values there are;
 * a second pass over the previous period looks up only those kept.
 */
#include "top.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/map.h"
#include "dims.h"
#include "sketch.h"
#include "stats.h"

void ac_top_result_free(ac_top_result *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->rows[i].value);
	free(r->rows);
	memset(r, 0, sizeof(*r));
}

/* Heap order: the least costly value at the top (ties: the greater value
 * name, which sorts last and goes first). */
static int less(const ac_top_row *a, const ac_top_row *b)
{
	if (a->cost != b->cost)
		return a->cost < b->cost;
	return strcmp(a->value, b->value) > 0;
}

static void sift_down(ac_top_row *h, size_t n, size_t i)
{
	for (;;) {
		size_t m = i, l = 2 * i + 1, r = l + 1;
		if (l < n && less(&h[l], &h[m]))
			m = l;
		if (r < n && less(&h[r], &h[m]))
			m = r;
		if (m == i)
			return;
		ac_top_row t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

static void sift_up(ac_top_row *h, size_t i)
{
	while (i && less(&h[i], &h[(i - 1) / 2])) {
		ac_top_row t = h[i];
		h[i] = h[(i - 1) / 2];
		h[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

typedef struct acc {
	ac_top_result *out;
	size_t limit, cap;
	double *costs;
	size_t nc, capc;
	ac_sketch *sk; /* AC_UNITS_APPROX: the value's sketch instead of costs */
} acc;

/* One value's units are complete: keep it if it is among the costliest. */
static int flush(acc *a, const char *value, ac_err *err)
{
	if (a->sk ? a->sk->n <= 0 : !a->nc) {
		if (a->sk)
			ac_sketch_clear(a->sk);
		return 0;
	}
	ac_top_result *o = a->out;
	ac_top_row row = { 0 };
	row.tasks = a->sk ? a->sk->n : (long long)a->nc;
	row.cost = a->sk ? a->sk->sum : ac_sum(a->costs, a->nc);
	o->values++;
	o->total_cost += row.cost;
	o->total_tasks += row.tasks;
	if (a->limit && o->n == a->limit) {
		ac_top_row probe = row;
		probe.value = (char *)value;
		if (!less(&o->rows[0], &probe)) {
			a->nc = 0;
			if (a->sk)
				ac_sketch_clear(a->sk);
			return 0;
		}
	}
	if (a->sk) {
		if (ac_sketch_finish(a->sk))
			return ac_err_set(err, AC_ENOMEM, "out of memory");
		row.p50 = ac_sketch_quantile(a->sk, 0.50);
		row.p99 = ac_sketch_quantile(a->sk, 0.99);
		ac_sketch_clear(a->sk);
	} else {
		ac_sort_doubles(a->costs, a->nc);
		row.p50 = ac_quantile(a->costs, a->nc, 0.50);
		row.p99 = ac_quantile(a->costs, a->nc, 0.99);
	}
	if (!(row.value = strdup(value)))
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	a->nc = 0;
	if (a->limit && o->n == a->limit) {
		free(o->rows[0].value);
		o->rows[0] = row;
		sift_down(o->rows, o->n, 0);
		return 0;
	}
	if (o->n == a->cap) {
		size_t nc = a->cap ? 2 * a->cap : 64;
		ac_top_row *nr = realloc(o->rows, nc * sizeof(*nr));
		if (!nr) {
			free(row.value);
			return ac_err_set(err, AC_ENOMEM, "out of memory");
		}
		o->rows = nr;
		a->cap = nc;
	}
	o->rows[o->n++] = row;
	sift_up(o->rows, o->n - 1);
	return 0;
}

static int by_cost(const void *x, const void *y)
{
	const ac_top_row *a = x, *b = y;
	if (a->cost != b->cost)
		return a->cost > b->cost ? -1 : 1;
	return strcmp(a->value, b->value);
}

/* current() with AC_UNITS_APPROX: each value's sketch rows. */
static int current_approx(ac_store *s, const ac_query *q, size_t limit, int flags,
                          ac_top_result *out, ac_err *err)
{
	ac_units *it;
	int rc = ac_units_open(s, q, flags, &it, err);
	if (rc)
		return rc;
	ac_sketch sk;
	memset(&sk, 0, sizeof(sk));
	ac_sketch_clear(&sk);
	acc a = { out, limit, 0, NULL, 0, 0, &sk };
	char *cur = NULL;
	ac_unit_bin u;
	while ((rc = ac_units_next_bin(it, &u, err)) > 0) {
		rc = 0;
		const char *v = u.k[0] ? u.k[0] : "(none)";
		if (!cur || strcmp(cur, v) != 0) {
			if (cur && (rc = flush(&a, cur, err)))
				break;
			free(cur);
			if (!(cur = strdup(v))) {
				rc = ac_err_set(err, AC_ENOMEM, "out of memory");
				break;
			}
		}
		if (ac_sketch_add(&sk, u.kind, u.bin, u.value, u.n, u.sum, u.min, u.max)) {
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
			break;
		}
	}
	if (!rc && cur)
		rc = flush(&a, cur, err);
	free(cur);
	ac_sketch_release(&sk);
	ac_units_close(it);
	if (rc)
		return rc;
	if (out->n)
		qsort(out->rows, out->n, sizeof(*out->rows), by_cost);
	return 0;
}

/* The current window's values into out, costliest first. */
static int current(ac_store *s, const ac_query *q, size_t limit, int flags,
                   ac_top_result *out, ac_err *err)
{
	if (flags & AC_UNITS_APPROX)
		return current_approx(s, q, limit, flags, out, err);
	ac_units *it;
	int rc = ac_units_open(s, q, flags, &it, err);
	if (rc)
		return rc;
	acc a = { out, limit, 0, NULL, 0, 0, NULL };
	char *cur = NULL;
	ac_unit u;
	while ((rc = ac_units_next(it, &u, err)) > 0) {
		const char *v = u.k[0] ? u.k[0] : "(none)";
		if (!cur || strcmp(cur, v) != 0) {
			if (cur && (rc = flush(&a, cur, err)))
				break;
			free(cur);
			if (!(cur = strdup(v))) {
				rc = ac_err_set(err, AC_ENOMEM, "out of memory");
				break;
			}
		}
		if (a.nc == a.capc) {
			size_t nc = a.capc ? 2 * a.capc : 256;
			double *nd = realloc(a.costs, nc * sizeof(*nd));
			if (!nd) {
				rc = ac_err_set(err, AC_ENOMEM, "out of memory");
				break;
			}
			a.costs = nd;
			a.capc = nc;
		}
		a.costs[a.nc++] = u.cost;
	}
	if (!rc && cur)
		rc = flush(&a, cur, err);
	free(cur);
	free(a.costs);
	ac_units_close(it);
	if (rc)
		return rc;
	if (out->n)
		qsort(out->rows, out->n, sizeof(*out->rows), by_cost);
	return 0;
}

/* previous_cost of the kept values: one pass over the previous period. */
static int previous(ac_store *s, const ac_query *q, int flags, ac_top_result *out,
                    ac_err *err)
{
	ac_map idx;
	ac_map_init(&idx, 0);
	int rc = 0;
	for (size_t i = 0; i < out->n && !rc; i++) {
		out->rows[i].previous_cost = 0;
		if (ac_map_put(&idx, out->rows[i].value, strlen(out->rows[i].value), (int64_t)i))
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
	}
	ac_query p = ac_query_previous(q);
	ac_units *it = NULL;
	int approx = (flags & AC_UNITS_APPROX) != 0;
	/* approximate: each value's count and sum only (the kind-2 rows) */
	if (!rc)
		rc = ac_units_open(s, &p, approx ? flags | AC_UNITS_TOTALS : flags, &it, err);
	ac_unit u;
	ac_unit_bin ub;
	while (!rc && (rc = approx ? ac_units_next_bin(it, &ub, err) : ac_units_next(it, &u, err)) > 0) {
		rc = 0;
		const char *k = approx ? ub.k[0] : u.k[0];
		const char *v = k ? k : "(none)";
		int64_t i;
		if (approx && ub.kind != AC_SKETCH_GROUP)
			continue;
		if (ac_map_get(&idx, v, strlen(v), &i))
			out->rows[i].previous_cost += approx ? ub.sum : u.cost;
	}
	ac_units_close(it);
	ac_map_release(&idx);
	return rc;
}

int ac_top_run(ac_store *s, const ac_query *q, size_t limit, int flags,
               ac_top_result *out, ac_err *err)
{
	memset(out, 0, sizeof(*out));
	if (q->nby != 1)
		return ac_err_set(err, AC_EINVAL, "top takes one dimension");
	int rc = current(s, q, limit, flags, out, err);
	/* a previous period exists when the window is closed and the one before
	 * it fits in int64 (no signed overflow: the subtraction is checked) */
	int closed = q->since_ns != INT64_MIN && q->until_ns != INT64_MAX &&
	             q->until_ns > q->since_ns &&
	             q->since_ns >= INT64_MIN + (q->until_ns - q->since_ns);
	if (!rc && closed)
		rc = previous(s, q, flags, out, err);
	if (rc) {
		ac_top_result_free(out);
		return rc;
	}
	for (size_t i = 0; i < out->n; i++) {
		ac_top_row *r = &out->rows[i];
		r->share = out->total_cost > 0 ? r->cost / out->total_cost : NAN;
		if (!closed)
			r->previous_cost = NAN;
		r->change = closed && r->previous_cost > 0
		                    ? (r->cost - r->previous_cost) / r->previous_cost
		                    : NAN;
	}
	return 0;
}
