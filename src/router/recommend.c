/*
 * Recommendations (router.h): the exact cost-minimal search under an accuracy
 * floor, the tolerance rule per class, the floor map, the cost-accuracy
 * frontier and the summary sentences.
 */
#include "router_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/cmp.h"

#define FLOOR_MAX_STATES 4000000u /* partial choices the floor search may hold */

/* ---- floor -------------------------------------------------------------- */

typedef struct fstate {
	double cost, acc; /* acc: sum of weight x accuracy so far */
	int32_t parent;   /* index into the previous layer's states */
	int32_t choice;
} fstate;

static int fstate_cmp(const void *pa, const void *pb)
{
	const fstate *a = pa, *b = pb;
	if (a->cost != b->cost)
		return a->cost < b->cost ? -1 : 1;
	if (a->acc != b->acc)
		return a->acc > b->acc ? -1 : 1;
	return 0;
}

/* Keep the Pareto set of the layer st[start .. nst): by cost ascending, each
 * kept state more accurate (by more than tol) than every cheaper one. Returns
 * the layer's new end. */
static size_t keep_pareto(fstate *st, size_t start, size_t nst, double tol)
{
	qsort(st + start, nst - start, sizeof(fstate), fstate_cmp);
	size_t keep = start;
	double top = -INFINITY;
	for (size_t s = start; s < nst; s++) {
		if (st[s].acc > top + tol) {
			top = st[s].acc;
			st[keep++] = st[s];
		}
	}
	return keep;
}

int ac_router_floor_search(int *choice, double *out_cost, double *out_acc,
                           const ac_floor_class *cls, size_t ncls, double floor, ac_err *err)
{
	double wsum = 0, best = 0;
	for (size_t i = 0; i < ncls; i++) {
		double mx = -INFINITY;
		if (cls[i].n <= 0)
			return ac_err_set(err, AC_EINVAL, "floor search: a class without options");
		for (int k = 0; k < cls[i].n; k++)
			mx = cls[i].acc[k] > mx ? cls[i].acc[k] : mx;
		wsum += cls[i].weight;
		best += cls[i].weight * mx;
	}
	if (!(wsum > 0))
		return ac_err_set(err, AC_EINVAL, "floor search: no production calls to weigh");
	double target = floor * wsum, tol = 1e-12 * wsum;
	if (best < target - tol)
		return ac_err_set(err, AC_EINVAL,
		                  "no map reaches an expected accuracy of %.6g: the most accurate one "
		                  "reaches %.6g",
		                  floor, best / wsum);

	/* rest[i]: the most weighted accuracy classes i.. can still add */
	double *rest = calloc(ncls + 1, sizeof(double));
	size_t *layer = calloc(ncls + 2, sizeof(size_t)); /* layer i: states[layer[i] .. layer[i+1]) */
	fstate *st = malloc(sizeof(fstate) * 1024);
	size_t nst = 1, cap = 1024;
	int rc = 0;
	if (!rest || !layer || !st) {
		rc = ac_err_set(err, AC_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = ncls; i-- > 0;) {
		double mx = -INFINITY;
		for (int k = 0; k < cls[i].n; k++)
			mx = cls[i].acc[k] > mx ? cls[i].acc[k] : mx;
		rest[i] = rest[i + 1] + cls[i].weight * mx;
	}
	st[0] = (fstate){ 0, 0, -1, -1 };
	layer[0] = 0;
	layer[1] = 1;
	for (size_t i = 0; i < ncls; i++) {
		size_t from = layer[i], to = layer[i + 1], start = nst;
		for (size_t s = from; s < to; s++) {
			for (int k = 0; k < cls[i].n; k++) {
				fstate nsv = { st[s].cost + cls[i].cost[k],
					       st[s].acc + cls[i].weight * cls[i].acc[k], (int32_t)s, k };
				if (nsv.acc + rest[i + 1] < target - tol)
					continue; /* cannot reach the floor any more */
				if (nst == cap) {
					if (cap >= FLOOR_MAX_STATES) {
						rc = ac_err_set(err, AC_ELIMIT,
						                "floor search: more than %u partial maps",
						                FLOOR_MAX_STATES);
						goto done;
					}
					fstate *ns = realloc(st, 2 * cap * sizeof(*ns));
					if (!ns) {
						rc = ac_err_set(err, AC_ENOMEM, "out of memory");
						goto done;
					}
					st = ns;
					cap *= 2;
				}
				st[nst++] = nsv;
			}
		}
		nst = keep_pareto(st, start, nst, tol);
		layer[i + 2] = nst;
		if (nst == start) {
			rc = ac_err_set(err, AC_EINVAL, "floor search: no partial map reaches the floor");
			goto done;
		}
	}
	/* the cheapest final state reaching the floor (the layer ascends in cost) */
	size_t pick = SIZE_MAX;
	for (size_t s = layer[ncls]; s < layer[ncls + 1] && pick == SIZE_MAX; s++)
		if (st[s].acc >= target - tol)
			pick = s;
	if (pick == SIZE_MAX) {
		rc = ac_err_set(err, AC_EINVAL, "no map reaches an expected accuracy of %.6g", floor);
		goto done;
	}
	*out_cost = st[pick].cost;
	*out_acc = st[pick].acc / wsum;
	for (size_t i = ncls, s = pick; i-- > 0;) {
		choice[i] = st[s].choice;
		s = (size_t)st[s].parent;
	}
done:
	free(rest);
	free(layer);
	free(st);
	return rc;
}

/* ---- recommend ---------------------------------------------------------- */

/* A candidate model of one class. */
typedef struct cand {
	const ecell *cell;
	const char *name; /* the identity (price-table name): what the map says */
	double cost;      /* the class's calls served by it */
	int ok;           /* its cost could be computed (priced on every call day) */
} cand;

static int cand_cmp(const void *pa, const void *pb)
{
	const cand *a = pa, *b = pb;
	if (a->cost != b->cost)
		return a->cost < b->cost ? -1 : 1;
	if (a->cell->acc.mean != b->cell->acc.mean)
		return a->cell->acc.mean > b->cell->acc.mean ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* Cost of class k served by model name (error text dropped: a candidate that
 * cannot be priced on every call day is not a candidate). */
static int try_cost(double *out, const sim_ctx *x, const rclass *k, const char *name)
{
	ac_err e = AC_ERR_INIT;
	step s;
	if (rt_step_init(&s, x->d, name, &e))
		return -1;
	return rt_class_cost(out, NULL, x, k, &s, 1, NULL, &e) ? -1 : 0;
}

static void append(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void append(char *buf, size_t n, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;
	if (used + 1 >= n)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, n - used, fmt, ap);
	va_end(ap);
}

/* Per class: its candidates (models with scores, priced), cheapest first. */
typedef struct cls_work {
	const rclass *k;
	cand *c;
	int n;
	double cost_m;   /* the class served by its current model */
	int m_priced;
	const ecell *m_cell;
} cls_work;

static int collect(cls_work *w, const sim_ctx *x, const rclass *k)
{
	const ac_router_data *d = x->d;
	memset(w, 0, sizeof(*w));
	w->k = k;
	w->m_cell = rt_cell_find(d, k->tt, k->cx, k->top_key);
	w->m_priced = k->top >= 0 && try_cost(&w->cost_m, x, k, d->str.s[k->top]) == 0;
	w->c = malloc((d->ncells ? d->ncells : 1) * sizeof(cand));
	if (!w->c)
		return AC_ENOMEM;
	for (size_t i = 0; i < d->ncells; i++) {
		const ecell *e = &d->cells[i];
		if (e->tt != k->tt || e->cx != k->cx || !e->acc.n)
			continue;
		cand *c = &w->c[w->n];
		c->cell = e;
		c->name = e->key == k->top_key && k->top >= 0 ? d->str.s[k->top] : d->str.s[e->key];
		c->ok = try_cost(&c->cost, x, k, c->name) == 0;
		if (c->ok)
			w->n++;
	}
	if (w->n)
		qsort(w->c, (size_t)w->n, sizeof(cand), cand_cmp);
	return 0;
}

/* The tolerance rule for one class: the chosen candidate index, or -1 to keep
 * the current model; the reason in rec->reason. */
static int decide(const cls_work *w, const ac_recommend_opts *ro, ac_recommend_class *rec)
{
	const char *m = rec->current_model ? rec->current_model : "(no model)";
	const ecell *mc = w->m_cell;
	if (!w->m_priced) {
		snprintf(rec->reason, sizeof(rec->reason), "no price for %s: its cost is unknown", m);
		return -1;
	}
	if (!mc || !mc->acc.n) {
		snprintf(rec->reason, sizeof(rec->reason), "no eval data for %s", m);
		return -1;
	}
	if (mc->acc.n < (size_t)ro->min_samples) {
		snprintf(rec->reason, sizeof(rec->reason), "too few samples for %s: n=%zu < %d", m,
		         mc->acc.n, ro->min_samples);
		return -1;
	}
	double need = mc->acc.mean - ro->tolerance;
	int cheaper = 0;
	for (int i = 0; i < w->n; i++) {
		const cand *c = &w->c[i];
		if (c->cell->key == w->k->top_key || !(c->cost < w->cost_m))
			continue;
		cheaper++;
		if (c->cell->acc.n >= (size_t)ro->min_samples && c->cell->acc.lo >= need) {
			snprintf(rec->reason, sizeof(rec->reason),
			         "cheaper, lower bound %.4f >= %.4f - %.4g (n=%zu)", c->cell->acc.lo,
			         mc->acc.mean, ro->tolerance, c->cell->acc.n);
			return i;
		}
	}
	rec->reason[0] = '\0';
	if (!cheaper) {
		snprintf(rec->reason, sizeof(rec->reason), "no cheaper model has eval data");
		return -1;
	}
	/* why each cheaper candidate failed, cheapest first */
	for (int i = 0; i < w->n; i++) {
		const cand *c = &w->c[i];
		if (c->cell->key == w->k->top_key || !(c->cost < w->cost_m))
			continue;
		if (rec->reason[0])
			append(rec->reason, sizeof(rec->reason), "; ");
		if (c->cell->acc.n < (size_t)ro->min_samples)
			append(rec->reason, sizeof(rec->reason), "too few samples: %s n=%zu < %d",
			       c->name, c->cell->acc.n, ro->min_samples);
		else
			append(rec->reason, sizeof(rec->reason),
			       "accuracy too low: %s lower bound %.4f < %.4f - %.4g", c->name,
			       c->cell->acc.lo, mc->acc.mean, ro->tolerance);
	}
	return -1;
}

static int push_summary(ac_recommendation *r, const char *s)
{
	char **ns = realloc(r->summary, (r->nsummary + 1) * sizeof(*ns));
	if (!ns)
		return AC_ENOMEM;
	r->summary = ns;
	if (!(r->summary[r->nsummary] = strdup(s)))
		return AC_ENOMEM;
	r->nsummary++;
	return 0;
}

/* The sentences: per moved (M, M') pair, the share of the tasks routed to M
 * (a task with a call served by M) that have an M call in a class moved to
 * M', and the pair's monthly savings. */
/* The counts of one pair: over the tasks here, or in the server from the
 * keys of M's call groups (marked 2 in a moved class) when it replays. */
static int count_pair(const ac_router_data *d, int32_t key, const char *inpair, const size_t *pos,
                      unsigned char *mark, long long *routed, long long *moved, ac_err *err)
{
	*routed = *moved = 0;
	if (d->server) {
		uint64_t *keys = malloc((d->ncalls + 1) * sizeof(*keys));
		uint64_t *marks = malloc((d->ncalls + 1) * sizeof(*marks));
		size_t n = 0;
		int rc = 0;
		if (!keys || !marks) {
			rc = ac_err_set(err, AC_ENOMEM, "out of memory");
		} else {
			keys[n] = 0; /* no list is empty */
			marks[n++] = 0;
			for (size_t c = 0; c < d->ncalls; c++) {
				const rcall *x = &d->calls[c];
				if (x->key < 0 || x->key != key)
					continue;
				keys[n] = x->gkey;
				marks[n++] = x->cls >= 0 && inpair[pos[x->cls]] ? 2 : 1;
			}
			rc = rt_server_marks(d, keys, marks, n, routed, moved, err);
		}
		free(keys);
		free(marks);
		return rc;
	}
	memset(mark, 0, d->ntasks ? d->ntasks : 1);
	for (size_t c = 0; c < d->ncalls; c++) {
		const rcall *x = &d->calls[c];
		if (x->key < 0 || x->key != key)
			continue;
		mark[x->task] |= 1;
		if (x->cls >= 0 && inpair[pos[x->cls]])
			mark[x->task] |= 2;
	}
	for (size_t t = 0; t < d->ntasks; t++) {
		*routed += mark[t] & 1;
		*moved += (mark[t] & 2) != 0;
	}
	return 0;
}

static int summarize(ac_recommendation *r, const ac_router_data *d, const int32_t *top_key,
                     const int32_t *to_key, const ac_recommend_opts *ro, ac_err *err)
{
	size_t nc = r->nclasses;
	char *done_ = calloc(nc ? nc : 1, 1);
	char *inpair = calloc(nc ? nc : 1, 1);
	size_t *pos = malloc((d->nclasses ? d->nclasses : 1) * sizeof(size_t));
	unsigned char *mark = calloc(d->ntasks ? d->ntasks : 1, 1);
	int rc = 0, any = 0;
	if (!done_ || !inpair || !pos || !mark) {
		rc = ac_err_set(err, AC_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t j = 0; j < d->nclasses; j++)
		pos[d->order[j]] = j; /* r->classes follow d->order */
	for (size_t i = 0; i < nc; i++) {
		const ac_recommend_class *a = &r->classes[i];
		if (!a->moved || done_[i])
			continue;
		double monthly = 0;
		for (size_t j = 0; j < nc; j++) {
			inpair[j] = j >= i && r->classes[j].moved && !done_[j] &&
			            top_key[j] == top_key[i] && to_key[j] == to_key[i] &&
			            rt_same_opt(r->classes[j].current_model, a->current_model);
			if (inpair[j]) {
				done_[j] = 1;
				monthly += r->classes[j].monthly_savings;
			}
		}
		long long routed, moved;
		if ((rc = count_pair(d, top_key[i], inpair, pos, mark, &routed, &moved, err)))
			goto done;
		double pct = routed ? 100.0 * (double)moved / (double)routed : 0;
		char s[768], ptxt[32];
		snprintf(ptxt, sizeof(ptxt), pct >= 10 || pct == 0 ? "%.0f" : "%.1f", pct);
		if (isnan(ro->accuracy_floor))
			snprintf(s, sizeof(s),
			         "%s%% of the tasks now routed to %.200s could go to %.200s with no "
			         "measurable accuracy loss, saving $%.2f/month",
			         ptxt, a->current_model, a->recommended_model, monthly);
		else
			snprintf(s, sizeof(s),
			         "%s%% of the tasks now routed to %.200s could go to %.200s with the "
			         "expected accuracy at or above %.4g, saving $%.2f/month",
			         ptxt, a->current_model, a->recommended_model, ro->accuracy_floor, monthly);
		if ((rc = push_summary(r, s))) {
			rc = ac_err_set(err, rc, "out of memory");
			goto done;
		}
		any = 1;
	}
	if (!any)
		rc = push_summary(r, isnan(ro->accuracy_floor)
		                         ? "no class can move to a cheaper model with no measurable "
		                           "accuracy loss"
		                         : "the current map is already the cheapest one at the floor");
	if (rc)
		rc = ac_err_set(err, rc, "out of memory");
done:
	free(done_);
	free(inpair);
	free(pos);
	free(mark);
	return rc;
}

/* The class's non-dominated models with >= min_samples scores: by cost
 * ascending, each more accurate than every cheaper one. */
static int frontier_of(ac_recommendation *r, const cls_work *w, const ac_router_data *d,
                       const ac_recommend_opts *ro, int *idx, int *nidx)
{
	double top = -INFINITY;
	*nidx = 0;
	for (int i = 0; i < w->n; i++) {
		const cand *c = &w->c[i];
		if (c->cell->acc.n < (size_t)ro->min_samples || !(c->cell->acc.mean > top))
			continue;
		top = c->cell->acc.mean;
		idx[(*nidx)++] = i;
		ac_frontier_point *np = realloc(r->frontier, (r->nfrontier + 1) * sizeof(*np));
		if (!np)
			return AC_ENOMEM;
		r->frontier = np;
		ac_frontier_point *p = &r->frontier[r->nfrontier];
		p->task_type = rt_st_str(&d->str, w->k->tt);
		p->complexity = d->str.s[w->k->cx];
		if (!(p->model = strdup(c->name)))
			return AC_ENOMEM;
		p->current = c->cell->key == w->k->top_key;
		p->calls = w->k->ncalls;
		p->cost = c->cost;
		p->acc = c->cell->acc;
		r->nfrontier++;
	}
	return 0;
}

/* Each frontier point's cost per month and relative to its class's current
 * cost (once the classes have theirs). */
static void frontier_costs(ac_recommendation *r)
{
	for (size_t i = 0; i < r->nfrontier; i++) {
		ac_frontier_point *p = &r->frontier[i];
		double base = NAN;
		for (size_t k = 0; k < r->nclasses; k++)
			if (!ac_cmp_opt(r->classes[k].task_type, p->task_type) &&
			    !ac_cmp_opt(r->classes[k].complexity, p->complexity))
				base = r->classes[k].current_cost;
		p->relative_cost = base > 0 ? p->cost / base : NAN;
		p->monthly_cost = r->window_days > 0 ? p->cost * 30 / r->window_days : NAN;
	}
}

/*
 * --accuracy-floor: the cost-minimal choice among each class's frontier
 * (fidx, nf) whose call-weighted expected accuracy holds ro->accuracy_floor
 * (ac_router_floor_search). Classes whose current model has too few scores
 * keep it and stay out of the average. Sets pick[] and each class's reason.
 */
static int floor_map(ac_recommendation *r, cls_work *w, size_t nc, size_t ncells,
                     const int *fidx, const int *nf, const ac_recommend_opts *ro, int *pick,
                     ac_err *err)
{
	ac_floor_class *fc = calloc(nc ? nc : 1, sizeof(*fc));
	double *costs = malloc((ncells ? ncells : 1) * (nc ? nc : 1) * sizeof(double));
	double *accs = malloc((ncells ? ncells : 1) * (nc ? nc : 1) * sizeof(double));
	size_t *which = malloc((nc ? nc : 1) * sizeof(size_t));
	int *choice = malloc((nc ? nc : 1) * sizeof(int));
	size_t nfc = 0, stride = ncells ? ncells : 1;
	double cur = 0, wsum = 0, cost = 0, acc = 0;
	int rc = 0;
	if (!fc || !costs || !accs || !which || !choice) {
		free(fc), free(costs), free(accs), free(which), free(choice);
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < nc; i++) {
		const ac_recommend_class *a = &r->classes[i];
		pick[i] = -1;
		if (!w[i].m_priced || !w[i].m_cell || w[i].m_cell->acc.n < (size_t)ro->min_samples) {
			continue;
		}
		ac_floor_class *f = &fc[nfc];
		f->weight = (double)a->class_calls;
		f->cost = costs + nfc * stride;
		f->acc = accs + nfc * stride;
		f->n = 0;
		const int *fi = fidx + i * stride;
		for (int j = 0; j < nf[i]; j++) {
			((double *)f->cost)[f->n] = w[i].c[fi[j]].cost;
			((double *)f->acc)[f->n] = w[i].c[fi[j]].cell->acc.mean;
			f->n++;
		}
		if (!f->n)
			continue;
		cur += f->weight * w[i].m_cell->acc.mean;
		wsum += f->weight;
		which[nfc++] = i;
	}
	if (!nfc) {
		rc = ac_err_set(err, AC_EINVAL,
		                "no class has >= %d eval scores for its current model: there is no "
		                "accuracy to hold a floor on",
		                ro->min_samples);
	} else {
		rc = ac_router_floor_search(choice, &cost, &acc, fc, nfc, ro->accuracy_floor, err);
	}
	if (!rc) {
		r->current_accuracy = cur / wsum;
		r->expected_accuracy = acc;
		for (size_t j = 0; j < nfc; j++) {
			size_t i = which[j];
			int ci = (fidx + i * stride)[choice[j]];
			ac_recommend_class *a = &r->classes[i];
			if (w[i].c[ci].cell->key != w[i].k->top_key) {
				pick[i] = ci;
				snprintf(a->reason, sizeof(a->reason),
				         "the cost-minimal map holding an expected accuracy >= %.4g",
				         ro->accuracy_floor);
			} else {
				snprintf(a->reason, sizeof(a->reason),
				         "kept by the cost-minimal map holding an expected accuracy >= "
				         "%.4g",
				         ro->accuracy_floor);
			}
		}
		for (size_t i = 0; i < nc; i++) {
			ac_recommend_class *a = &r->classes[i];
			int part = 0;
			for (size_t j = 0; j < nfc; j++)
				part |= which[j] == i;
			if (!part) {
				(void)decide(&w[i], ro, a); /* why it cannot move */
				if (w[i].m_cell && w[i].m_cell->acc.n >= (size_t)ro->min_samples)
					snprintf(a->reason, sizeof(a->reason), "kept: out of the floor search");
			}
		}
	}
	free(fc), free(costs), free(accs), free(which), free(choice);
	return rc;
}

/* The recommended map: M' for moved classes (pick >= 0), M for kept ones
 * (unless M has no price: then the class is left out and keeps its recorded
 * cost); each class's recommendation and to_key, the model key it ends on. */
static int recommended_map(ac_recommendation *r, const cls_work *w, size_t nc, const int *pick,
                           const int32_t *top_key, int32_t *to_key, ac_err *err)
{
	int rc;
	for (size_t i = 0; i < nc; i++) {
		ac_recommend_class *a = &r->classes[i];
		const char *model = pick[i] >= 0 ? w[i].c[pick[i]].name
		                    : (w[i].m_priced ? a->current_model : NULL);
		a->moved = pick[i] >= 0;
		to_key[i] = pick[i] >= 0 ? w[i].c[pick[i]].cell->key : top_key[i];
		if (pick[i] >= 0) {
			a->recommended = w[i].c[pick[i]].cell->acc;
			a->recommended_cost = w[i].c[pick[i]].cost;
		} else {
			a->recommended = a->current;
			a->recommended_cost = a->current_cost;
		}
		const char *shown = model ? model : a->current_model;
		a->recommended_model = shown ? strdup(shown) : NULL;
		if (shown && !a->recommended_model)
			return ac_err_set(err, AC_ENOMEM, "out of memory");
		if (model && (rc = ac_router_map_set(r->map, a->task_type, a->complexity, model, err)))
			return rc;
	}
	return 0;
}

int ac_router_recommend(ac_recommendation **out, ac_router_data *d, const ac_router_opts *o,
                        const ac_recommend_opts *ro_in, ac_err *err)
{
	ac_recommend_opts ro = ro_in ? *ro_in : (ac_recommend_opts)AC_RECOMMEND_OPTS_INIT;
	ac_router_opts ratios_only = AC_ROUTER_OPTS_INIT;
	sim_ctx x = { d, NULL, NULL, 0 };
	size_t nc = d->nclasses;
	cls_work *w = calloc(nc ? nc : 1, sizeof(*w));
	int *pick = malloc((nc ? nc : 1) * sizeof(int));
	int32_t *to_key = malloc((nc ? nc : 1) * sizeof(int32_t));
	int32_t *top_key = malloc((nc ? nc : 1) * sizeof(int32_t));
	int *fidx = malloc((d->ncells ? d->ncells : 1) * sizeof(int) * (nc ? nc : 1));
	int *nf = calloc(nc ? nc : 1, sizeof(int));
	ac_recommendation *r = calloc(1, sizeof(*r));
	int rc = 0;

	*out = NULL;
	if (o) {
		ratios_only = *o;
		ratios_only.cascades = NULL;
		ratios_only.ncascades = 0;
	}
	x.o = &ratios_only;
	if (!w || !pick || !to_key || !top_key || !fidx || !nf || !r ||
	    !(r->classes = calloc(nc ? nc : 1, sizeof(*r->classes))) || ac_router_map_new(&r->map))
		goto oom;
	if ((rc = rt_resolve_ratios(&x, err)))
		goto done;
	r->tolerance = ro.tolerance;
	r->min_samples = ro.min_samples;
	r->accuracy_floor = ro.accuracy_floor;
	r->current_accuracy = r->expected_accuracy = NAN;
	r->window_days = ac_router_window_days(d);

	for (size_t i = 0; i < nc; i++) {
		const rclass *k = &d->classes[d->order[i]];
		ac_recommend_class *a = &r->classes[r->nclasses++];
		if (collect(&w[i], &x, k))
			goto oom;
		a->task_type = rt_st_str(&d->str, k->tt);
		a->complexity = d->str.s[k->cx];
		a->current_model = rt_st_str(&d->str, k->top);
		a->class_calls = k->ncalls;
		a->current = w[i].m_cell ? w[i].m_cell->acc : rt_no_accuracy;
		a->current_cost = w[i].m_priced ? w[i].cost_m : NAN;
		top_key[i] = k->top_key;
		pick[i] = decide(&w[i], &ro, a);
		if ((rc = frontier_of(r, &w[i], d, &ro, fidx + i * (d->ncells ? d->ncells : 1), &nf[i])))
			goto oom;
	}

	if (!isnan(ro.accuracy_floor) &&
	    (rc = floor_map(r, w, nc, d->ncells, fidx, nf, &ro, pick, err)))
		goto done;

	if ((rc = recommended_map(r, w, nc, pick, top_key, to_key, err)))
		goto done;
	/* one code path: the savings are the simulator's on that map */
	if ((rc = ac_router_simulate(&r->sim, d, r->map, &ratios_only, err)))
		goto done;
	for (size_t i = 0; i < nc; i++) {
		ac_recommend_class *a = &r->classes[i];
		const ac_router_class *s = &r->sim->classes[i];
		a->calls = s->to_model ? s->calls_moved : 0;
		double saved = s->baseline_cost - s->simulated_cost;
		a->monthly_savings = r->window_days > 0 ? saved * 30 / r->window_days
		                     : (saved == 0 ? 0 : NAN);
	}
	r->monthly_savings = r->sim->monthly_savings;
	frontier_costs(r);
	if ((rc = summarize(r, d, top_key, to_key, &ro, err)))
		goto done;
	*out = r;
	r = NULL;
	goto done;
oom:
	rc = ac_err_set(err, AC_ENOMEM, "out of memory");
done:
	for (size_t i = 0; w && i < nc; i++)
		free(w[i].c);
	free(w);
	free(pick);
	free(to_key);
	free(top_key);
	free(fidx);
	free(nf);
	free(x.rk);
	ac_recommendation_free(r);
	return rc;
}

void ac_recommendation_free(ac_recommendation *r)
{
	if (!r)
		return;
	for (size_t i = 0; r->classes && i < r->nclasses; i++)
		free(r->classes[i].recommended_model);
	free(r->classes);
	for (size_t i = 0; i < r->nsummary; i++)
		free(r->summary[i]);
	free(r->summary);
	for (size_t i = 0; i < r->nfrontier; i++)
		free(r->frontier[i].model);
	free(r->frontier);
	ac_router_map_free(r->map);
	ac_router_result_free(r->sim);
	free(r);
}

/* The fields a table of the classes can show, by column name. */
typedef enum {
	F_NONE, F_TASK_TYPE, F_COMPLEXITY, F_CURRENT_MODEL, F_RECOMMENDED_MODEL, F_MOVED,
	F_CLASS_CALLS, F_CALLS, F_CALLS_MOVED, F_CURRENT_ACCURACY, F_CURRENT_N, F_CURRENT_LO,
	F_CURRENT_HI, F_RECOMMENDED_ACCURACY, F_RECOMMENDED_N, F_RECOMMENDED_LO,
	F_RECOMMENDED_HI, F_CURRENT_COST, F_RECOMMENDED_COST, F_MONTHLY_SAVINGS, F_REASON
} field;

static const char *const field_names[] = {
	"", "task_type", "complexity", "current_model", "recommended_model", "moved",
	"class_calls", "calls", "calls_moved", "current_accuracy", "current_n", "current_lo",
	"current_hi", "recommended_accuracy", "recommended_n", "recommended_lo",
	"recommended_hi", "current_cost", "recommended_cost", "monthly_savings", "reason"
};

static field field_of(const char *name)
{
	for (size_t i = 1; i < sizeof(field_names) / sizeof(field_names[0]); i++)
		if (strcmp(name, field_names[i]) == 0)
			return (field)i;
	return F_NONE;
}

/* An accuracy's mean is NAN when it has no scored call (ac_accuracy_of_sums,
 * rt_no_accuracy), so the cell is null then. */
static void fill_cell(ac_table *t, const ac_recommend_class *c, field k, ac_cell_type show)
{
	switch (k) {
	case F_NONE: ac_table_null(t); break;
	case F_TASK_TYPE: ac_table_text(t, c->task_type); break;
	case F_COMPLEXITY: ac_table_text(t, c->complexity); break;
	case F_CURRENT_MODEL: ac_table_text(t, c->current_model); break;
	case F_RECOMMENDED_MODEL: ac_table_text(t, c->recommended_model); break;
	case F_MOVED: ac_table_text(t, c->moved ? "yes" : "no"); break;
	case F_CLASS_CALLS: ac_table_int(t, c->class_calls); break;
	case F_CALLS:
	case F_CALLS_MOVED: ac_table_int(t, c->calls); break;
	case F_CURRENT_ACCURACY: ac_table_num_shown(t, show, c->current.mean); break;
	case F_CURRENT_N: ac_table_int(t, (long long)c->current.n); break;
	case F_CURRENT_LO: ac_table_num_shown(t, show, c->current.lo); break;
	case F_CURRENT_HI: ac_table_num_shown(t, show, c->current.hi); break;
	case F_RECOMMENDED_ACCURACY: ac_table_num_shown(t, show, c->recommended.mean); break;
	case F_RECOMMENDED_N: ac_table_int(t, (long long)c->recommended.n); break;
	case F_RECOMMENDED_LO: ac_table_num_shown(t, show, c->recommended.lo); break;
	case F_RECOMMENDED_HI: ac_table_num_shown(t, show, c->recommended.hi); break;
	case F_CURRENT_COST: ac_table_num_shown(t, show, c->current_cost); break;
	case F_RECOMMENDED_COST: ac_table_num_shown(t, show, c->recommended_cost); break;
	case F_MONTHLY_SAVINGS: ac_table_num_shown(t, show, c->monthly_savings); break;
	case F_REASON: ac_table_text(t, c->reason); break;
	}
}

void ac_recommend_table_fill(ac_table *t, const ac_recommendation *r, const char *const *names,
                             const ac_cell_type *shows, int ncol)
{
	for (size_t i = 0; i < r->nclasses; i++)
		for (int k = 0; k < ncol; k++)
			fill_cell(t, &r->classes[i], field_of(names[k]), shows ? shows[k] : AC_CELL_NUM);
}
