/*
 * Task cost distributions (task_costs.h): task_costs.sql's rows grouped by
 * (system id, type id) first, then by their names (an absent name and an
 * unknown id are the same group, as printed); each group's values sorted.
 */
#include "task_costs.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/cmp.h"
#include "../util/map.h"
#include "dims.h"
#include "stats.h"

static int push(ac_task_group *g, double cost, double calls)
{
	if (g->n == g->cap) {
		size_t nc = g->cap ? g->cap * 2 : 64;
		double *a = realloc(g->cost, nc * sizeof(double));
		if (!a)
			return AC_ENOMEM;
		g->cost = a;
		double *b = realloc(g->calls, nc * sizeof(double));
		if (!b)
			return AC_ENOMEM;
		g->calls = b;
		g->cap = nc;
	}
	g->cost[g->n] = cost;
	g->calls[g->n++] = calls;
	return 0;
}

static int group_cmp(const void *a, const void *b)
{
	const ac_task_group *x = a, *y = b;
	int c = ac_cmp_opt(x->task_type, y->task_type);
	return c ? c : ac_cmp_opt(x->system, y->system);
}

static void group_release(ac_task_group *g)
{
	free(g->system);
	free(g->task_type);
	free(g->cost);
	free(g->calls);
	if (g->sketch) {
		ac_sketch_release(g->sketch);
		free(g->sketch);
	}
}

/* g's sketch, made when it has none; NULL when out of memory. */
static ac_sketch *sketch_of(ac_task_group *g)
{
	if (!g->sketch && (g->sketch = calloc(1, sizeof(*g->sketch))))
		ac_sketch_clear(g->sketch);
	return g->sketch;
}

/* Add sketch `from` (not finished) to g's. 0 or AC_ENOMEM. */
static int sketch_merge(ac_task_group *g, const ac_sketch *from)
{
	ac_sketch *sk = sketch_of(g);
	if (!sk)
		return AC_ENOMEM;
	for (size_t i = 0; i < from->ncost; i++)
		if (ac_sketch_add(sk, AC_SKETCH_COST, from->cost[i].bin, from->cost[i].value,
		                  from->cost[i].n, 0, 0, 0))
			return AC_ENOMEM;
	for (size_t i = 0; i < from->ncalls; i++)
		if (ac_sketch_add(sk, AC_SKETCH_CALLS, 0, from->calls[i].value, from->calls[i].n, 0, 0,
		                  0))
			return AC_ENOMEM;
	return ac_sketch_add(sk, AC_SKETCH_GROUP, 0, 0, from->n, from->sum, from->min, from->max);
}

/* Groups keyed by ids, in the order they first appear. */
typedef struct id_groups {
	ac_task_group *g;
	int64_t (*ids)[2];
	size_t n, cap;
	ac_map index;
} id_groups;

static ac_task_group *id_group(id_groups *ig, const int64_t key[2])
{
	int64_t gi;
	if (ac_map_get(&ig->index, key, 2 * sizeof(int64_t), &gi))
		return &ig->g[gi];
	if (ig->n == ig->cap) {
		size_t nc = ig->cap ? ig->cap * 2 : 16;
		ac_task_group *ng = realloc(ig->g, nc * sizeof(*ng));
		if (!ng)
			return NULL;
		ig->g = ng;
		int64_t(*ni)[2] = realloc(ig->ids, nc * sizeof(*ni));
		if (!ni)
			return NULL;
		ig->ids = ni;
		ig->cap = nc;
	}
	memset(&ig->g[ig->n], 0, sizeof(ac_task_group));
	ig->ids[ig->n][0] = key[0];
	ig->ids[ig->n][1] = key[1];
	if (ac_map_put(&ig->index, key, 2 * sizeof(int64_t), (int64_t)ig->n))
		return NULL;
	return &ig->g[ig->n++];
}

static void id_groups_release(id_groups *ig)
{
	for (size_t i = 0; i < ig->n; i++)
		group_release(&ig->g[i]);
	free(ig->g);
	free(ig->ids);
	ac_map_release(&ig->index);
}

static int read_ids(ac_store *s, const ac_query *q, int by_sys, int by_type, int include_eval,
                    id_groups *ig, ac_err *err)
{
	ac_rows *rows;
	int rc = ac_store_rows(s, "task_costs.sql", q->since_ns, q->until_ns, q->system, 0, &rows,
	                       err);
	if (rc)
		return rc;
	ac_rows_bind_int(rows, 4, include_eval);
	while ((rc = ac_rows_next(rows, err)) == 1) {
		int64_t key[2] = { by_sys ? ac_rows_int(rows, 0) : 0, by_type ? ac_rows_int(rows, 1) : 0 };
		ac_task_group *g = id_group(ig, key);
		if (!g || push(g, ac_rows_double(rows, 2), (double)ac_rows_int(rows, 3))) {
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
			break;
		}
	}
	ac_rows_free(rows);
	return rc;
}

/* task_costs_approx.sql's rows into a sketch per id group. */
static int read_ids_approx(ac_store *s, const ac_query *q, int by_sys, int by_type, int flags,
                           id_groups *ig, ac_err *err)
{
	ac_rows *rows;
	int rc = ac_store_rows(s, "task_costs_approx.sql", q->since_ns, q->until_ns, q->system, 0,
	                       &rows, err);
	if (rc)
		return rc;
	ac_rows_bind_int(rows, 4, (flags & AC_UNITS_EVAL) != 0);
	while ((rc = ac_rows_next(rows, err)) == 1) {
		int64_t key[2] = { by_sys ? ac_rows_int(rows, 0) : 0, by_type ? ac_rows_int(rows, 1) : 0 };
		ac_task_group *g = id_group(ig, key);
		ac_sketch *sk = g ? sketch_of(g) : NULL;
		if (!sk || ac_sketch_add(sk, (int)ac_rows_int(rows, 2), ac_rows_int(rows, 3),
		                         ac_rows_double(rows, 4), ac_rows_int(rows, 5),
		                         ac_rows_double(rows, 6), ac_rows_double(rows, 7),
		                         ac_rows_double(rows, 8))) {
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
			break;
		}
	}
	ac_rows_free(rows);
	return rc;
}

/* Merge the id groups into out by name: system and type names looked up. */
static int merge_names(ac_store *s, id_groups *ig, int by_sys, int by_type, ac_task_costs *out,
                       ac_err *err)
{
	ac_map index;
	ac_map_init(&index, 0);
	int rc = 0;
	out->v = calloc(ig->n ? ig->n : 1, sizeof(*out->v));
	if (!out->v)
		rc = ac_err_set(err, AC_ENOMEM, "out of memory");
	for (size_t k = 0; k < ig->n && !rc; k++) {
		char *name[2] = { NULL, NULL };
		if ((rc = ac_store_name(s, AC_DICT_SERVICE, ig->ids[k][0], &name[0], err)) ||
		    (rc = ac_store_name(s, AC_DICT_LABEL, ig->ids[k][1], &name[1], err)))
			break;
		/* key: type, NUL, system; an absent name is the empty one */
		size_t n0 = name[0] ? strlen(name[0]) : 0, n1 = name[1] ? strlen(name[1]) : 0;
		char *key = malloc(n0 + n1 + 2);
		int64_t gi;
		if (!key) {
			free(name[0]);
			free(name[1]);
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
			break;
		}
		memcpy(key, name[1] ? name[1] : "", n1 + 1);
		memcpy(key + n1 + 1, name[0] ? name[0] : "", n0 + 1);
		ac_task_group *g;
		if (ac_map_get(&index, key, n0 + n1 + 1, &gi)) {
			g = &out->v[gi];
			free(name[0]);
			free(name[1]);
		} else {
			g = &out->v[out->n];
			g->system = by_sys ? name[0] : (free(name[0]), NULL);
			g->task_type = by_type ? name[1] : (free(name[1]), NULL);
			if (ac_map_put(&index, key, n0 + n1 + 1, (int64_t)out->n++))
				rc = ac_err_set(err, AC_ENOMEM, "out of memory");
		}
		free(key);
		const ac_task_group *from = &ig->g[k];
		if (from->sketch && !rc && sketch_merge(g, from->sketch))
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
		for (size_t i = 0; i < from->n && !rc; i++)
			if (push(g, from->cost[i], from->calls[i]))
				rc = ac_err_set(err, AC_ENOMEM, "out of memory");
	}
	ac_map_release(&index);
	return rc;
}

void ac_task_costs_find_fattest(ac_task_costs *tc)
{
	double worst = 0;
	tc->fattest = NULL;
	for (size_t i = 0; i < tc->n; i++) {
		const ac_task_group *x = &tc->v[i];
		if (x->n < 10)
			continue;
		ac_task_dist dist;
		ac_task_dist_of(&dist, x);
		if (!isnan(dist.tail_ratio) && dist.tail_ratio > worst) {
			worst = dist.tail_ratio;
			tc->fattest = x;
			tc->fattest_tail_ratio = dist.tail_ratio;
			tc->fattest_top10_share = dist.top10_share;
		}
	}
}

/* ac_task_costs_run with --where filters: the groups of the dimensions'
 * path (ac_task_costs_each) collected, a key's "(none)" read as no name. */
typedef struct collect {
	ac_task_costs *out;
	size_t cap;
	int sys_at, type_at; /* the key positions of system and task type; -1: none */
} collect;

static int collect_group(void *ctx, const char *const *keys, size_t nkeys,
                         const ac_task_group *from)
{
	collect *c = ctx;
	ac_task_costs *out = c->out;
	(void)nkeys;
	if (out->n == c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 16;
		ac_task_group *nv = realloc(out->v, nc * sizeof(*nv));
		if (!nv)
			return AC_ENOMEM;
		out->v = nv;
		c->cap = nc;
	}
	ac_task_group *g = &out->v[out->n++];
	memset(g, 0, sizeof(*g));
	const char *sys = c->sys_at >= 0 ? keys[c->sys_at] : NULL;
	const char *type = c->type_at >= 0 ? keys[c->type_at] : NULL;
	if ((sys && strcmp(sys, "(none)") && !(g->system = strdup(sys))) ||
	    (type && strcmp(type, "(none)") && !(g->task_type = strdup(type))))
		return AC_ENOMEM;
	if (from->sketch)
		return sketch_merge(g, from->sketch);
	for (size_t i = 0; i < from->n; i++)
		if (push(g, from->cost[i], from->calls[i]))
			return AC_ENOMEM;
	return 0;
}

static int run_where(ac_store *s, const ac_query *q, int by_sys, int by_type, int flags,
                     ac_task_costs *out, ac_err *err)
{
	ac_dim by[2];
	collect c = { out, 0, -1, -1 };
	ac_query dq = *q;
	dq.nby = 0;
	if (by_type) {
		c.type_at = (int)dq.nby;
		by[dq.nby++] = (ac_dim){ AC_DIM_TASK_TYPE, NULL, NULL };
	}
	if (by_sys) {
		c.sys_at = (int)dq.nby;
		by[dq.nby++] = (ac_dim){ AC_DIM_SYSTEM, NULL, NULL };
	}
	dq.by = by;
	dq.dims = 1;
	int rc = ac_task_costs_each(s, &dq, flags & (AC_UNITS_EVAL | AC_UNITS_APPROX),
	                            collect_group, &c, err);
	if (rc == AC_ENOMEM && !err->msg[0])
		ac_err_set(err, AC_ENOMEM, "out of memory");
	return rc;
}

int ac_task_costs_run(ac_store *s, const ac_query *q, int flags, ac_task_costs *out,
                      ac_err *err)
{
	memset(out, 0, sizeof(*out));
	int by_sys = 0, by_type = q->nby == 0;
	for (size_t i = 0; i < q->nby; i++) {
		if (q->by[i].kind == AC_DIM_SYSTEM)
			by_sys = 1;
		else if (q->by[i].kind == AC_DIM_TASK_TYPE)
			by_type = 1;
		else
			return ac_err_set(err, AC_EINVAL, "tasks: group by system or task type only");
	}
	int rc;
	if (q->nwhere) {
		if ((rc = run_where(s, q, by_sys, by_type, flags, out, err)))
			return rc;
	} else {
		id_groups ig;
		memset(&ig, 0, sizeof(ig));
		ac_map_init(&ig.index, 0);
		rc = flags & AC_UNITS_APPROX
		             ? read_ids_approx(s, q, by_sys, by_type, flags, &ig, err)
		             : read_ids(s, q, by_sys, by_type, (flags & AC_UNITS_EVAL) != 0, &ig, err);
		if (!rc)
			rc = merge_names(s, &ig, by_sys, by_type, out, err);
		id_groups_release(&ig);
		if (rc)
			return rc;
	}
	for (size_t g = 0; g < out->n; g++) {
		ac_task_group *x = &out->v[g];
		if (x->sketch) {
			if (ac_sketch_finish(x->sketch))
				return ac_err_set(err, AC_ENOMEM, "out of memory");
			x->n = (size_t)x->sketch->n;
		} else {
			ac_sort_doubles(x->cost, x->n);
			ac_sort_doubles(x->calls, x->n);
		}
	}
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), group_cmp);
	ac_task_costs_find_fattest(out);
	return 0;
}

/* The group being read by ac_task_costs_each: its keys (owned copies) and
 * its units. */
typedef struct dim_group {
	char *key[AC_DIMS_MAX_BY];
	ac_task_group g;
} dim_group;

static const char *key_of(const ac_unit *u, size_t i)
{
	return u->k[i] ? u->k[i] : "(none)";
}

static int same_keys(const dim_group *d, const ac_unit *u, size_t nk)
{
	for (size_t i = 0; i < nk; i++)
		if (strcmp(d->key[i], key_of(u, i)) != 0)
			return 0;
	return 1;
}

/* The group is complete: sort, hand it to fn, empty it (arrays kept). */
static int group_done(dim_group *d, size_t nk, ac_task_group_fn fn, void *ctx)
{
	if (!d->g.n)
		return 0;
	ac_sort_doubles(d->g.cost, d->g.n);
	ac_sort_doubles(d->g.calls, d->g.n);
	int rc = fn(ctx, (const char *const *)d->key, nk, &d->g);
	d->g.n = 0;
	return rc;
}

static int set_keys(dim_group *d, const ac_unit *u, size_t nk)
{
	for (size_t i = 0; i < nk; i++) {
		free(d->key[i]);
		if (!(d->key[i] = strdup(key_of(u, i))))
			return AC_ENOMEM;
	}
	return 0;
}

/* ac_task_costs_each with AC_UNITS_APPROX: each group's sketch rows. */
static int each_approx(ac_store *s, const ac_query *q, int flags, ac_task_group_fn fn, void *ctx,
                       ac_err *err)
{
	ac_units *it;
	int rc = ac_units_open(s, q, (flags & AC_UNITS_EVAL) | AC_UNITS_APPROX, &it, err);
	if (rc)
		return rc;
	size_t nk = q->nby < AC_DIMS_MAX_BY ? q->nby : AC_DIMS_MAX_BY;
	dim_group d;
	memset(&d, 0, sizeof(d));
	ac_sketch sk;
	memset(&sk, 0, sizeof(sk));
	ac_sketch_clear(&sk);
	d.g.sketch = &sk;
	int open = 0; /* a group's rows are being read */
	ac_unit_bin u;
	while ((rc = ac_units_next_bin(it, &u, err)) > 0) {
		rc = 0;
		ac_unit k = { { u.k[0], u.k[1] }, 0, 0, 0 };
		if (open && !same_keys(&d, &k, nk)) {
			if ((rc = ac_sketch_finish(&sk)) == 0 && sk.n > 0) {
				d.g.n = (size_t)sk.n;
				rc = fn(ctx, (const char *const *)d.key, nk, &d.g);
			}
			ac_sketch_clear(&sk);
			open = 0;
			if (rc)
				break;
		}
		if (!open && set_keys(&d, &k, nk)) {
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
			break;
		}
		open = 1;
		if (ac_sketch_add(&sk, u.kind, u.bin, u.value, u.n, u.sum, u.min, u.max)) {
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
			break;
		}
	}
	if (!rc && open && (rc = ac_sketch_finish(&sk)) == 0 && sk.n > 0) {
		d.g.n = (size_t)sk.n;
		rc = fn(ctx, (const char *const *)d.key, nk, &d.g);
	}
	if (rc == AC_ENOMEM && !err->msg[0])
		ac_err_set(err, AC_ENOMEM, "out of memory");
	for (size_t i = 0; i < AC_DIMS_MAX_BY; i++)
		free(d.key[i]);
	ac_sketch_release(&sk);
	ac_units_close(it);
	return rc;
}

int ac_task_costs_each(ac_store *s, const ac_query *q, int flags, ac_task_group_fn fn,
                       void *ctx, ac_err *err)
{
	if (flags & AC_UNITS_APPROX)
		return each_approx(s, q, flags, fn, ctx, err);
	ac_units *it;
	int rc = ac_units_open(s, q, flags & AC_UNITS_EVAL, &it, err);
	if (rc)
		return rc;
	size_t nk = q->nby < AC_DIMS_MAX_BY ? q->nby : AC_DIMS_MAX_BY;
	dim_group d;
	memset(&d, 0, sizeof(d));
	ac_unit u;
	while ((rc = ac_units_next(it, &u, err)) > 0) {
		rc = 0;
		if (d.g.n && !same_keys(&d, &u, nk) && (rc = group_done(&d, nk, fn, ctx)))
			break;
		if (!d.g.n && set_keys(&d, &u, nk)) {
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
			break;
		}
		if (push(&d.g, u.cost, (double)u.llm_calls)) {
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
			break;
		}
	}
	if (!rc)
		rc = group_done(&d, nk, fn, ctx);
	for (size_t i = 0; i < AC_DIMS_MAX_BY; i++)
		free(d.key[i]);
	free(d.g.cost);
	free(d.g.calls);
	ac_units_close(it);
	return rc;
}

void ac_task_costs_free(ac_task_costs *r)
{
	for (size_t g = 0; g < r->n; g++)
		group_release(&r->v[g]);
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* ac_task_dist_of from a sketch (sketch.h: the error of each figure). */
static void dist_of_sketch(ac_task_dist *out, const ac_sketch *sk)
{
	out->total = sk->sum;
	out->mean = sk->n ? sk->sum / (double)sk->n : NAN;
	out->p50 = ac_sketch_quantile(sk, 0.5);
	out->p90 = ac_sketch_quantile(sk, 0.9);
	out->p95 = ac_sketch_quantile(sk, 0.95);
	out->p99 = ac_sketch_quantile(sk, 0.99);
	out->p999 = ac_sketch_quantile(sk, 0.999);
	out->max = sk->max;
	out->bottom10_mean = ac_sketch_bottom_mean(sk, 0.1);
	out->top10_mean = ac_sketch_top_mean(sk, 0.1);
	out->tail_ratio = out->bottom10_mean > 0 ? out->top10_mean / out->bottom10_mean : NAN;
	out->top1_share = ac_sketch_top_share(sk, 0.01);
	out->top10_share = ac_sketch_top_share(sk, 0.1);
	out->calls_p50 = ac_sketch_calls_quantile(sk, 0.5);
	out->calls_p99 = ac_sketch_calls_quantile(sk, 0.99);
	out->calls_max = ac_sketch_calls_max(sk);
	ac_sketch_hill(sk, 0.1, &out->tail_index, &out->tail_index_se);
}

void ac_task_dist_of(ac_task_dist *out, const ac_task_group *g)
{
	if (g->sketch) {
		dist_of_sketch(out, g->sketch);
		return;
	}
	const double *x = g->cost;
	size_t n = g->n;
	out->total = ac_sum(x, n);
	out->mean = ac_mean(x, n);
	out->p50 = ac_quantile(x, n, 0.5);
	out->p90 = ac_quantile(x, n, 0.9);
	out->p95 = ac_quantile(x, n, 0.95);
	out->p99 = ac_quantile(x, n, 0.99);
	out->p999 = ac_quantile(x, n, 0.999);
	out->max = x[n - 1];
	out->bottom10_mean = ac_bottom_mean(x, n, 0.1);
	out->top10_mean = ac_top_mean(x, n, 0.1);
	out->tail_ratio = out->bottom10_mean > 0 ? out->top10_mean / out->bottom10_mean : NAN;
	out->top1_share = ac_top_share(x, n, 0.01);
	out->top10_share = ac_top_share(x, n, 0.1);
	out->calls_p50 = ac_quantile(g->calls, n, 0.5);
	out->calls_p99 = ac_quantile(g->calls, n, 0.99);
	out->calls_max = g->calls[n - 1];
	ac_hill(x, n, 0.1, &out->tail_index, &out->tail_index_se);
}

/*
 * A sketch's costs as runs of equal values in rank order (sketch.h: rank 0
 * the least cost, the last rank the largest, the ranks between their
 * entry's value): val[k] held by cnt[k] tasks. val and cnt hold g->n each
 * (a run holds at least one task). Returns the number of runs.
 */
static size_t sketch_runs(const ac_sketch *sk, double *val, size_t *cnt)
{
	size_t k = 0;
	for (size_t i = 0; i < sk->ncost; i++) {
		long long lo = sk->cum_cost[i], hi = lo + sk->cost[i].n;
		for (long long r = lo; r < hi;) {
			/* rank 0 and the last rank alone; the rest of the entry at once */
			long long end = r == 0 || r == sk->n - 1 ? r + 1 : (hi < sk->n - 1 ? hi : sk->n - 1);
			double v = ac_sketch_cost_at(sk, r);
			if (k && val[k - 1] == v) {
				cnt[k - 1] += (size_t)(end - r);
			} else {
				val[k] = v;
				cnt[k++] = (size_t)(end - r);
			}
			r = end;
		}
	}
	return k;
}

/* A sketch group's runs, malloc'd (*val, *cnt; both NULL on AC_ENOMEM). */
static size_t group_runs(const ac_task_group *g, double **val, size_t **cnt)
{
	*val = malloc((g->n ? g->n : 1) * sizeof(**val));
	*cnt = malloc((g->n ? g->n : 1) * sizeof(**cnt));
	if (!*val || !*cnt) {
		free(*val);
		free(*cnt);
		*val = NULL;
		*cnt = NULL;
		return 0;
	}
	return sketch_runs(g->sketch, *val, *cnt);
}

double ac_task_group_max(const ac_task_group *g)
{
	if (!g->n)
		return NAN;
	return g->sketch ? g->sketch->max : g->cost[g->n - 1];
}

int ac_cost_bin_of(double cost_usd)
{
	return (int)floor(log10(cost_usd) * 5 + 1e-9);
}

double ac_cost_bin_lo(int b)
{
	return pow(10, b / 5.0);
}

/* ac_task_histogram over a sketch's runs: the same bins, each run counted
 * in the bin of its value. */
static int sketch_histogram(const ac_task_group *g, ac_cost_bin **out, size_t *nout)
{
	double *val;
	size_t *cnt, nr = group_runs(g, &val, &cnt), first = 0, zero = 0, k = 0;
	if (!val)
		return AC_ENOMEM;
	while (first < nr && !(val[first] > 0))
		zero += cnt[first++];
	int lo = 0, hi = -1;
	if (first < nr) {
		lo = ac_cost_bin_of(val[first]);
		hi = ac_cost_bin_of(val[nr - 1]);
	}
	size_t cap = (size_t)(hi - lo + 1) + (zero > 0);
	ac_cost_bin *v = cap ? malloc(cap * sizeof(*v)) : NULL;
	if (cap && !v) {
		free(val);
		free(cnt);
		return AC_ENOMEM;
	}
	double n = (double)g->n;
	if (zero)
		v[k++] = (ac_cost_bin){ 0, 0, (long long)zero, 1.0 };
	size_t i = first, before = zero;
	for (int b = lo; b <= hi; b++) {
		double z = ac_cost_bin_lo(b + 1);
		size_t c = 0, at_least = g->n - before;
		while (i < nr && (val[i] < z || b == hi))
			c += cnt[i++];
		before += c;
		v[k++] = (ac_cost_bin){ ac_cost_bin_lo(b), z, (long long)c, (double)at_least / n };
	}
	free(val);
	free(cnt);
	*out = v;
	*nout = k;
	return 0;
}

int ac_task_histogram(const ac_task_group *g, ac_cost_bin **out, size_t *nout)
{
	const double *x = g->cost;
	size_t n = g->n, first = 0, k = 0;
	*out = NULL;
	*nout = 0;
	if (g->sketch)
		return sketch_histogram(g, out, nout);
	while (first < n && !(x[first] > 0))
		first++;
	int lo = 0, hi = -1;
	if (first < n) {
		lo = ac_cost_bin_of(x[first]);
		hi = ac_cost_bin_of(x[n - 1]);
	}
	size_t cap = (size_t)(hi - lo + 1) + (first > 0);
	if (!cap)
		return 0;
	ac_cost_bin *v = malloc(cap * sizeof(*v));
	if (!v)
		return AC_ENOMEM;
	if (first > 0) /* tasks that cost nothing get a bin of their own */
		v[k++] = (ac_cost_bin){ 0, 0, (long long)first, 1.0 };
	size_t i = first;
	for (int b = lo; b <= hi; b++) {
		double a = ac_cost_bin_lo(b), z = ac_cost_bin_lo(b + 1);
		size_t cnt = 0, at_least = n - i;
		while (i < n && (x[i] < z || b == hi)) {
			cnt++;
			i++;
		}
		v[k++] = (ac_cost_bin){ a, z, (long long)cnt, (double)at_least / (double)n };
	}
	*out = v;
	*nout = k;
	return 0;
}

int ac_task_costs_bin_range(const ac_task_costs *tc, int *lo, int *hi)
{
	double lo_all = INFINITY, hi_all = 0;
	for (size_t i = 0; i < tc->n; i++) {
		const ac_task_group *g = &tc->v[i];
		if (g->sketch) {
			double *val;
			size_t *cnt, nr = group_runs(g, &val, &cnt);
			for (size_t k = 0; k < nr; k++)
				if (val[k] > 0) {
					lo_all = fmin(lo_all, val[k]);
					hi_all = fmax(hi_all, val[k]);
				}
			free(val);
			free(cnt);
			continue;
		}
		for (size_t k = 0; k < g->n; k++)
			if (g->cost[k] > 0) {
				lo_all = fmin(lo_all, g->cost[k]);
				hi_all = fmax(hi_all, g->cost[k]);
			}
	}
	if (!(hi_all > 0))
		return 0;
	*lo = ac_cost_bin_of(lo_all);
	*hi = ac_cost_bin_of(hi_all);
	return 1;
}

size_t ac_task_bin_counts(const ac_task_group *g, int lo, int hi, size_t *counts)
{
	if (g->sketch) {
		double *val;
		size_t *cnt, nr = group_runs(g, &val, &cnt), i = 0, none = 0;
		while (i < nr && !(val[i] > 0))
			none += cnt[i++];
		for (int b = lo; b <= hi; b++) {
			double z = ac_cost_bin_lo(b + 1);
			size_t c = 0;
			while (i < nr && (val[i] < z || b == hi))
				c += cnt[i++];
			counts[b - lo] = c;
		}
		free(val);
		free(cnt);
		return none;
	}
	size_t k = 0, zero;
	while (k < g->n && !(g->cost[k] > 0))
		k++;
	zero = k;
	for (int b = lo; b <= hi; b++) {
		double z = ac_cost_bin_lo(b + 1);
		size_t cnt = 0;
		while (k < g->n && (g->cost[k] < z || b == hi)) {
			cnt++;
			k++;
		}
		counts[b - lo] = cnt;
	}
	return zero;
}

size_t ac_task_ccdf(const ac_task_group *g, size_t max_points, double *cost, double *share,
                    size_t *zero)
{
	if (g->sketch) { /* a point per run (runs are few: bins, not tasks) */
		double *val;
		size_t *cnt, nr = group_runs(g, &val, &cnt), before = 0, np = 0;
		*zero = 0;
		for (size_t k = 0; k < nr; k++) {
			if (val[k] > 0) {
				cost[np] = val[k];
				share[np++] = (double)(g->n - before) / (double)g->n;
			} else {
				*zero += cnt[k];
			}
			before += cnt[k];
		}
		free(val);
		free(cnt);
		return np;
	}
	size_t first = 0, np = 0;
	while (first < g->n && !(g->cost[first] > 0))
		first++;
	*zero = first;
	if (first == g->n)
		return 0;
	size_t m = g->n - first, step = m > max_points ? m / (max_points / 2) : 1;
	for (size_t k = first; k < g->n; k++) {
		if (k > first && g->cost[k] == g->cost[k - 1])
			continue; /* the first of equal costs has the largest share */
		/* thin the body, keep the tail whole */
		if (step > 1 && g->n - k > max_points / 2 && (k - first) % step)
			continue;
		cost[np] = g->cost[k];
		share[np++] = (double)(g->n - k) / (double)g->n;
	}
	return np;
}
