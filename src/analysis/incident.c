/*
 * The incident report's figures (incident.h).
 */
#include "incident.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/map.h"
#include "../util/timeutil.h"
#include "spend.h"

#define NS_PER_HOUR (3600LL * AC_NS_PER_SEC)

/* ---- spend per bucket against the days before ------------------------------ */

/* the peaks, largest excess first: an insertion sort, stable, so ties stay in
 * time order */
static void sort_peaks(ac_incident_timeline *t)
{
	for (size_t i = 1; i < t->npeak; i++)
		for (size_t k = i; k > 0 && t->v[t->peak[k].i].excess > t->v[t->peak[k - 1].i].excess;
		     k--) {
			ac_incident_peak tmp = t->peak[k];
			t->peak[k] = t->peak[k - 1];
			t->peak[k - 1] = tmp;
		}
}

/* The incident analyses cover every system, ungrouped, for now. */
static int plain_window(const ac_query *q, ac_err *err)
{
	if (q->system || q->nby || q->nwhere)
		return ac_err_set(err, AC_EINVAL, "incident: no system, grouping or filter yet");
	return 0;
}

int ac_incident_timeline_run(ac_store *s, const ac_query *q, int64_t b, int days,
                             ac_incident_timeline *out, ac_err *err)
{
	memset(out, 0, sizeof(*out));
	if (plain_window(q, err))
		return AC_EINVAL;
	int64_t from = q->since_ns, to = q->until_ns;
	int64_t per_day = AC_NS_PER_DAY / b;
	int64_t p0 = from / b, p1 = (to - 1) / b + 1; /* buckets overlapping the window */
	int64_t base0 = p0 - days * per_day;
	size_t n = (size_t)(p1 - base0), w = (size_t)(p1 - p0);
	double *x = calloc(n, sizeof(double));
	out->v = calloc(w ? w : 1, sizeof(*out->v));
	out->peak = calloc(w ? w : 1, sizeof(*out->peak));
	if (!x || !out->v || !out->peak) {
		free(x);
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	}
	int rc = ac_spend_range(s, b, base0, n, x, NULL, NULL, err);
	if (rc) {
		free(x);
		return rc;
	}
	out->n = w;
	for (size_t i = 0; i < w; i++) {
		size_t at = n - w + i;
		double sum = 0, lo = INFINITY, hi = -INFINITY;
		for (int k = 1; k <= days; k++) {
			double v = x[at - (size_t)(k * per_day)];
			sum += v;
			lo = fmin(lo, v);
			hi = fmax(hi, v);
		}
		ac_incident_bucket *e = &out->v[i];
		e->start_ns = (p0 + (int64_t)i) * b;
		e->spend = x[at];
		e->mean = sum / days;
		e->lo = lo;
		e->hi = hi;
		e->excess = x[at] - e->mean;
		if (x[at] > hi) /* above everything the days before saw at that time */
			out->peak[out->npeak++].i = i;
		out->spend += x[at];
		out->base_mean += e->mean;
	}
	free(x);
	sort_peaks(out);
	for (size_t k = 0; k < out->npeak; k++) {
		const ac_incident_bucket *e = &out->v[out->peak[k].i];
		out->peak[k].mean = e->spend - e->excess;
	}
	out->excess = out->spend - out->base_mean;
	out->ratio = out->base_mean > 0 ? out->spend / out->base_mean : 0;
	return 0;
}

void ac_incident_timeline_free(ac_incident_timeline *t)
{
	free(t->v);
	free(t->peak);
	memset(t, 0, sizeof(*t));
}

/* ---- system, model, tool against the days before --------------------------- */

typedef struct brows {
	ac_incident_breakdown *r;
	size_t cap;
	ac_map idx;
	int oom;
} brows;

static ac_incident_brow *brow_of(brows *r, const char *kind, const char *name)
{
	size_t a = strlen(kind), b = name ? strlen(name) : 0, kn = a + b + 2;
	char *key = malloc(kn);
	if (!key) {
		r->oom = 1;
		return NULL;
	}
	memcpy(key, kind, a);
	key[a] = name ? 'T' : 'N';
	memcpy(key + a + 1, name ? name : "", b);
	key[kn - 1] = 0;
	int64_t i;
	ac_incident_brow *x = NULL;
	if (ac_map_get(&r->idx, key, kn, &i)) {
		x = &r->r->v[i];
	} else {
		if (r->r->n == r->cap) {
			size_t nc = r->cap ? r->cap * 2 : 32;
			ac_incident_brow *nv = realloc(r->r->v, nc * sizeof(*nv));
			if (!nv) {
				r->oom = 1;
				free(key);
				return NULL;
			}
			r->r->v = nv;
			r->cap = nc;
		}
		x = &r->r->v[r->r->n];
		memset(x, 0, sizeof(*x));
		x->kind = strdup(kind);
		x->name = name ? strdup(name) : NULL;
		if (!x->kind || (name && !x->name) || ac_map_put(&r->idx, key, kn, (int64_t)r->r->n)) {
			free(x->kind);
			free(x->name);
			r->oom = 1;
			free(key);
			return NULL;
		}
		r->r->n++;
	}
	free(key);
	return x;
}

static int brow_cmp(const void *pa, const void *pb)
{
	const ac_incident_brow *a = pa, *b = pb;
	int c = strcmp(a->kind, b->kind);
	if (c)
		return c;
	double ea = a->cost - a->base_cost, eb = b->cost - b->base_cost;
	if (ea != eb)
		return ea > eb ? -1 : 1;
	if (!a->name || !b->name)
		return (a->name != NULL) - (b->name != NULL);
	return strcmp(a->name, b->name);
}

/* one window's rows: the window itself, or (base) one of the days before,
 * counted as 1/days of the mean */
static int read_breakdown(ac_store *s, brows *r, int64_t since, int64_t until, int base, int days,
                          ac_err *err)
{
	ac_rows *st;
	int rc = ac_store_rows(s, "report_breakdown.sql", since, until, NULL, AC_ROWS_SCAN, &st, err);
	if (rc)
		return rc;
	while ((rc = ac_rows_next(st, err)) == 1) {
		const char *kind = ac_rows_text(st, 0);
		ac_incident_brow *x = brow_of(r, kind ? kind : "?", ac_rows_text(st, 1));
		if (!x)
			break;
		double cost = ac_rows_double(st, 2), calls = (double)ac_rows_int(st, 3);
		if (base) {
			x->base_cost += cost / days;
			x->base_calls += calls / days;
		} else {
			x->cost += cost;
			x->calls += calls;
			x->failures += (double)ac_rows_int(st, 4);
		}
	}
	ac_rows_free(st);
	if (r->oom)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	return rc;
}

int ac_incident_breakdown_run(ac_store *s, const ac_query *q, int days,
                              ac_incident_breakdown *out, ac_err *err)
{
	memset(out, 0, sizeof(*out));
	if (plain_window(q, err))
		return AC_EINVAL;
	int64_t from = q->since_ns, to = q->until_ns;
	brows r;
	memset(&r, 0, sizeof(r));
	r.r = out;
	ac_map_init(&r.idx, 0);
	int rc = read_breakdown(s, &r, from, to, 0, days, err);
	for (int k = 1; !rc && k <= days; k++)
		rc = read_breakdown(s, &r, from - k * AC_NS_PER_DAY, to - k * AC_NS_PER_DAY, 1, days,
		                    err);
	ac_map_release(&r.idx);
	if (rc)
		return rc;
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), brow_cmp);
	for (size_t i = 0; i < out->n; i++)
		out->v[i].excess = out->v[i].cost - out->v[i].base_cost;
	return 0;
}

void ac_incident_breakdown_free(ac_incident_breakdown *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->v[i].kind);
		free(b->v[i].name);
	}
	free(b->v);
	memset(b, 0, sizeof(*b));
}

/* ---- the tasks that drove it ---------------------------------------------- */

static char *dup_col(ac_rows *st, int c, int *oom)
{
	const char *s = ac_rows_text(st, c);
	char *d = s ? strdup(s) : NULL;
	if (s && !d)
		*oom = 1;
	return d;
}

int ac_incident_tasks_run(ac_store *s, const ac_query *q, int limit, double spend,
                          ac_incident_tasks *out, ac_err *err)
{
	memset(out, 0, sizeof(*out));
	if (plain_window(q, err))
		return AC_EINVAL;
	int64_t from = q->since_ns, to = q->until_ns;
	if (!(out->v = calloc(limit > 0 ? (size_t)limit : 1, sizeof(*out->v))))
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	ac_rows *st;
	int rc = ac_store_rows(s, "report_window_tasks.sql", from, to, NULL, AC_ROWS_SCAN, &st, err);
	if (rc)
		return rc;
	ac_rows_bind_int(st, 4, limit);
	int oom = 0;
	while (out->n < (size_t)limit && (rc = ac_rows_next(st, err)) == 1) {
		ac_incident_task *x = &out->v[out->n++];
		x->id = ac_rows_int(st, 0);
		x->task_id = dup_col(st, 1, &oom);
		x->system = dup_col(st, 2, &oom);
		x->task_type = dup_col(st, 3, &oom);
		x->eval = ac_rows_int(st, 4) != 0;
		x->start_ns = ac_rows_int(st, 5);
		x->task_cost = ac_rows_double(st, 6);
		x->window_cost = ac_rows_double(st, 7);
		x->window_share = spend > 0 ? x->window_cost / spend : NAN;
		x->llm_calls = ac_rows_int(st, 9);
		x->tool_calls = ac_rows_int(st, 10);
		x->max_repeat = ac_rows_int(st, 11);
	}
	ac_rows_free(st);
	if (rc < 0)
		return rc;
	return oom ? ac_err_set(err, AC_ENOMEM, "out of memory") : 0;
}

void ac_incident_tasks_free(ac_incident_tasks *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].task_id);
		free(t->v[i].system);
		free(t->v[i].task_type);
	}
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/* ---- the first alert of the hourly band ------------------------------------ */

static int above(double x, double lim)
{
	/* spc.c's "greater than", so the moment agrees with the band */
	return x - lim > 1e-12 * fmax(fabs(x), fabs(lim));
}

int ac_incident_alert_run(ac_store *s, int64_t start, size_t n, int64_t h0, int64_t until_ns,
                          const double *x, const ac_spc_point *pt, ac_incident_alert *out,
                          ac_err *err)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		int64_t h = start + (int64_t)i;
		if (h < h0 || !pt[i].alert || h * NS_PER_HOUR >= until_ns)
			continue;
		/* the span that took the hour's running spend past its UCL */
		ac_rows *st;
		int rc = ac_store_rows(s, "report_span_costs.sql", h * NS_PER_HOUR, (h + 1) * NS_PER_HOUR,
		                       NULL, AC_ROWS_SCAN, &st, err);
		if (rc)
			return rc;
		double run = 0;
		int src, passed = 0;
		int64_t at = h * NS_PER_HOUR; /* none did (rounding): the hour's start */
		while ((src = ac_rows_next(st, err)) == 1) {
			run += ac_rows_double(st, 1);
			if (above(run, pt[i].ucl)) {
				at = ac_rows_int(st, 0);
				passed = 1;
				break;
			}
		}
		ac_rows_free(st);
		if (src < 0)
			return src;
		if (passed && at >= until_ns)
			continue; /* past the UCL only after the window */
		out->have = 1;
		out->hour = h;
		out->ucl = pt[i].ucl;
		out->hour_cost = x[i];
		out->ns = at;
		return 0;
	}
	return 0;
}
