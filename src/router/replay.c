/*
 * Replay (router.h): the window's calls re-priced (pricing.h) as a map and
 * the --output-ratio options say, per-task and per-class totals.
 */
#include "router_int.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/csvrec.h"
#include "../util/timeutil.h"

/* ---- options ------------------------------------------------------------ */

static int priced(ac_pricebook *pb, const char *name)
{
	const ac_price *rows;
	return pb && ac_pricebook_model(pb, name, &rows, NULL, NULL) > 0;
}

int ac_router_opts_ratio(ac_router_opts *o, const char *spec, ac_pricebook *pb, ac_err *err)
{
	if (!strcmp(spec, "measured")) {
		o->measured = 1;
		return 0;
	}
	const char *eq = strrchr(spec, '=');
	char *end;
	if (!eq)
		return ac_err_set(err, AC_EINVAL,
		                  "--output-ratio takes FROM:TO=R or measured, not '%.100s'", spec);
	errno = 0;
	double r = strtod(eq + 1, &end);
	if (!eq[1] || *end || errno || !isfinite(r) || r <= 0)
		return ac_err_set(err, AC_EINVAL, "--output-ratio %.100s: R must be a number > 0", spec);
	size_t left = (size_t)(eq - spec);
	/* the split: the first ':' unless another one leaves two priced names */
	const char *split = NULL;
	for (const char *p = spec; p < eq; p++) {
		if (*p != ':')
			continue;
		if (!split)
			split = p;
		char *a = ac_strdup_trim(spec, (size_t)(p - spec));
		char *b = ac_strdup_trim(p + 1, (size_t)(eq - p - 1));
		int both = a && b && priced(pb, a) && priced(pb, b);
		free(a);
		free(b);
		if (both) {
			split = p;
			break;
		}
	}
	if (!split || split == spec || split + 1 == eq)
		return ac_err_set(err, AC_EINVAL,
		                  "--output-ratio takes FROM:TO=R (two model names), not '%.100s'", spec);
	ac_router_ratio *nr = realloc(o->ratios, (o->nratios + 1) * sizeof(*nr));
	if (!nr)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	o->ratios = nr;
	ac_router_ratio *x = &o->ratios[o->nratios];
	x->from = ac_strdup_trim(spec, (size_t)(split - spec));
	x->to = ac_strdup_trim(split + 1, left - (size_t)(split - spec) - 1);
	x->ratio = r;
	if (!x->from || !x->to) {
		free(x->from);
		free(x->to);
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	}
	o->nratios++;
	return 0;
}

void ac_router_opts_release(ac_router_opts *o)
{
	for (size_t i = 0; i < o->nratios; i++) {
		free(o->ratios[i].from);
		free(o->ratios[i].to);
	}
	free(o->ratios);
	for (size_t i = 0; i < o->ncascades; i++)
		rt_cascade_release(&o->cascades[i]);
	free(o->cascades);
	memset(o, 0, sizeof(*o));
}

/* ---- replay ------------------------------------------------------------- */

static double ratio_for(const sim_ctx *x, const rcall *c, const rclass *k, int32_t to)
{
	if (c->key < 0 || to < 0 || c->key == to)
		return 1;
	for (size_t i = 0; i < x->nrk; i++)
		if (x->rk[i].from == c->key && x->rk[i].to == to)
			return x->rk[i].r;
	if (x->o && x->o->measured) {
		const ecell *a = rt_cell_find(x->d, k->tt, k->cx, c->key);
		const ecell *b = rt_cell_find(x->d, k->tt, k->cx, to);
		if (a && b && a->acc.n >= AC_ROUTER_MEASURED_MIN && b->acc.n >= AC_ROUTER_MEASURED_MIN &&
		    a->out_sum > 0)
			return (b->out_sum / (double)b->acc.n) / (a->out_sum / (double)a->acc.n);
	}
	return 1;
}

/* The price row of step s in force on call c's day. */
static int price_for(const ac_price **p, const rcall *c, const step *s, ac_err *err)
{
	if ((*p = ac_price_in_force(s->rows, s->nrows, c->day)))
		return 0;
	char day[11];
	ac_format_day(c->day, day);
	return ac_err_set(err, AC_EINVAL, "model %.100s has no price in force on %s", s->name, day);
}

/* Cost of call c had step s served it, with output ratio r. */
static int cost_as(double *out, const rcall *c, const step *s, double r, ac_err *err)
{
	if (c->key >= 0 && c->key == s->key) {
		*out = c->cost; /* already that model: its recorded cost */
		return 0;
	}
	const ac_price *p;
	int rc = price_for(&p, c, s, err);
	if (rc)
		return rc;
	double full = ac_cost_llm_at(p, &c->tok, c->tier, c->prompt, NULL);
	if (r == 1) {
		*out = full;
		return 0;
	}
	/* the price is linear in output (and reasoning) tokens */
	ac_tokens t = c->tok;
	t.out = 0;
	t.reasoning = 0;
	t.audio_out = 0;
	double base = ac_cost_llm_at(p, &t, c->tier, c->prompt, NULL);
	*out = base + r * (full - base);
	return 0;
}

/* Expected cost of call c of class k served by steps[0..n). */
static int call_cost(double *out, const sim_ctx *x, const rcall *c, const rclass *k,
                     const step *steps, int n, ac_err *err)
{
	double total = 0, reach = 1;
	for (int i = 0; i < n; i++) {
		double ci = 0;
		int rc = cost_as(&ci, c, &steps[i], ratio_for(x, c, k, steps[i].key), err);
		if (rc)
			return rc;
		total += reach * ci;
		reach *= steps[i].fail;
	}
	*out = total;
	return 0;
}

/*
 * The same replay of call group c as a linear form for the server
 * (router_after.sql): cf[0] a constant, cf[1] the factor of the recorded
 * cost, cf[2 + i] the rate of the price formula's term i (pricing.h,
 * ac_cost_split's order) per million tokens, with the reach of each step and
 * the output ratio folded in; the group's difference is cf[0] + cf[1] cost +
 * sum(cf[2 + i] tokens_i) / 1e6. Within a group every call has its cache
 * and audio within its input and its reasoning within its output (tasks.c
 * irregular()), so the terms are linear in the summed tokens; a call priced
 * alone (c->single) gets its whole difference as the constant. *any: 0 when
 * the form is 0 (the group keeps its cost).
 */
static int call_form(double cf[10], int *any, const sim_ctx *x, const rcall *c, const rclass *k,
                     const step *steps, int n, ac_err *err)
{
	memset(cf, 0, 10 * sizeof(double));
	*any = 0;
	if (c->single) {
		double v;
		int rc = call_cost(&v, x, c, k, steps, n, err);
		if (rc)
			return rc;
		cf[0] = v - c->cost;
		*any = cf[0] != 0;
		return 0;
	}
	double reach = 1, w = 0;
	for (int i = 0; i < n; i++) {
		const step *s = &steps[i];
		if (c->key >= 0 && c->key == s->key) {
			w += reach;
		} else {
			const ac_price *p;
			int rc = price_for(&p, c, s, err);
			if (rc)
				return rc;
			ac_cost_split sp;
			ac_cost_llm_split(p, &c->tok, c->tier, c->prompt, &sp);
			double r = ratio_for(x, c, k, s->key);
			for (int t = 0; t < AC_PK_N; t++) {
				int kind = sp.term[t].kind, out = kind == AC_PK_OUTPUT ||
				                                    kind == AC_PK_REASONING ||
				                                    kind == AC_PK_AUDIO_OUT;
				cf[2 + t] += reach * (out ? r * sp.term[t].per_mtok : sp.term[t].per_mtok);
			}
		}
		reach *= s->fail;
	}
	cf[1] = w - 1;
	for (int i = 1; i < 10; i++)
		*any |= cf[i] != 0;
	return 0;
}

/* The linear forms of the groups a replay in the server moves: per entry
 * its key, its row (its index) and ten numbers; entry 0 is key 0, row 0,
 * which changes nothing (no list sent is empty). */
typedef struct forms {
	uint64_t *key, *row;
	double *cf;
	size_t n, cap;
} forms;

static int forms_add(forms *f, uint64_t key, const double cf[10])
{
	if (f->n == f->cap) {
		size_t nc = f->cap ? f->cap * 2 : 256;
		uint64_t *k = realloc(f->key, nc * sizeof(*k));
		if (k)
			f->key = k;
		uint64_t *r = k ? realloc(f->row, nc * sizeof(*r)) : NULL;
		if (r)
			f->row = r;
		double *c = r ? realloc(f->cf, nc * 10 * sizeof(*c)) : NULL;
		if (!c)
			return AC_ENOMEM;
		f->cf = c;
		f->cap = nc;
	}
	f->key[f->n] = key;
	f->row[f->n] = f->n; /* the entry's row; row 0 is the no-op first entry's */
	memcpy(&f->cf[f->n * 10], cf, 10 * sizeof(double));
	f->n++;
	return 0;
}

static void forms_release(forms *f)
{
	free(f->key);
	free(f->row);
	free(f->cf);
}

int rt_step_init(step *s, ac_router_data *d, const char *name, ac_err *err)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
	int rc;
	s->key = rt_key_intern(d, name, &rc); /* a model without calls has a key too */
	if (rc)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	s->nrows = ac_pricebook_model(d->pb, name, &s->rows, NULL, NULL);
	if (s->nrows <= 0)
		return ac_err_set(err, AC_EINVAL,
		                  "model %.100s has no price in the price table (import one with "
		                  "`agentcost prices import`)",
		                  name);
	return 0;
}

int rt_resolve_ratios(sim_ctx *x, ac_err *err)
{
	size_t n = x->o ? x->o->nratios : 0;
	x->rk = calloc(n ? n : 1, sizeof(*x->rk));
	if (!x->rk)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		/* keys also for models without calls: a map's new model is one */
		int rc1, rc2;
		x->rk[i].from = rt_key_intern(x->d, x->o->ratios[i].from, &rc1);
		x->rk[i].to = rt_key_intern(x->d, x->o->ratios[i].to, &rc2);
		x->rk[i].r = x->o->ratios[i].ratio;
		if (rc1 || rc2)
			return ac_err_set(err, AC_ENOMEM, "out of memory");
	}
	x->nrk = n;
	return 0;
}

static void dist_of(ac_router_dist *out, double *v, size_t n)
{
	if (!n) {
		out->mean = out->p50 = out->p99 = NAN;
		return;
	}
	out->mean = ac_mean(v, n);
	out->p50 = ac_quantile_select(v, n, 0.50);
	out->p99 = ac_quantile_select(v, n, 0.99);
}

static double diff_or_nan(double a, double b)
{
	return isnan(a) || isnan(b) ? NAN : a - b;
}

/* Cost of the calls of class k served by steps, into *out; calls not served by
 * the (single) step counted in *moved. */
int rt_class_cost(double *out, long long *moved, const sim_ctx *x, const rclass *k,
                      const step *steps, int n, double *delta, ac_err *err)
{
	double sum = 0;
	long long mv = 0;
	for (size_t j = 0; j < k->ngroups; j++) {
		const rcall *c = &x->d->calls[x->d->class_calls[k->first + j]];
		double v;
		int rc = call_cost(&v, x, c, k, steps, n, err);
		if (rc)
			return rc;
		sum += v;
		if (n > 1 || c->key < 0 || c->key != steps[0].key)
			mv += c->n;
		if (delta)
			delta[c->task] += v - c->cost;
	}
	*out = sum;
	if (moved)
		*moved = mv;
	return 0;
}

int ac_router_simulate(ac_router_result **out, ac_router_data *d, const ac_router_map *m,
                       const ac_router_opts *o, ac_err *err)
{
	sim_ctx x = { d, o, NULL, 0 };
	forms f = { NULL, NULL, NULL, 0, 0 };
	static const double none[10];
	ac_router_result *r = calloc(1, sizeof(*r));
	double *delta = calloc(d->ntasks ? d->ntasks : 1, sizeof(double));
	double *before = malloc((d->ntasks ? d->ntasks : 1) * sizeof(double));
	double *after = malloc((d->ntasks ? d->ntasks : 1) * sizeof(double));
	int rc = 0;

	*out = NULL;
	if (!r || !delta || !before || !after ||
	    !(r->classes = calloc(d->nclasses ? d->nclasses : 1, sizeof(*r->classes)))) {
		rc = ac_err_set(err, AC_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = rt_resolve_ratios(&x, err)))
		goto done;
	if (d->server && forms_add(&f, 0, none)) {
		rc = ac_err_set(err, AC_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < d->nclasses; i++) {
		const rclass *k = &d->classes[d->order[i]];
		ac_router_class *cl = &r->classes[r->nclasses++];
		step steps[MAX_STEPS];
		int n;
		cl->task_type = rt_st_str(&d->str, k->tt);
		cl->complexity = d->str.s[k->cx];
		cl->from_model = rt_st_str(&d->str, k->top);
		cl->calls = k->ncalls;
		const ecell *e = rt_cell_find(d, k->tt, k->cx, k->top_key);
		cl->acc_from = e ? e->acc : rt_no_accuracy;
		if ((rc = rt_class_steps(steps, &n, &cl->to_model, &x, k, m, err)))
			goto done;
		for (size_t j = 0; j < k->ngroups; j++)
			cl->baseline_cost += d->calls[d->class_calls[k->first + j]].cost;
		if (!n) {
			cl->simulated_cost = cl->baseline_cost;
			cl->acc_to = rt_no_accuracy;
			cl->accuracy_change = NAN;
			continue;
		}
		cl->cascade = n > 1;
		if ((rc = rt_class_cost(&cl->simulated_cost, &cl->calls_moved, &x, k, steps, n,
		                        d->server ? NULL : delta, err)))
			goto done;
		for (size_t j = 0; d->server && j < k->ngroups; j++) {
			const rcall *c = &d->calls[d->class_calls[k->first + j]];
			double cf[10];
			int any;
			if ((rc = call_form(cf, &any, &x, c, k, steps, n, err)))
				goto done;
			if (any && forms_add(&f, c->gkey, cf)) {
				rc = ac_err_set(err, AC_ENOMEM, "out of memory");
				goto done;
			}
		}
		if (n > 1)
			rt_cascade_accuracy(&cl->acc_to, steps, n);
		else
			cl->acc_to = steps[0].acc;
		cl->accuracy_change = diff_or_nan(cl->acc_to.mean, cl->acc_from.mean);
	}
	if (d->server) {
		/* each task's simulated cost in the server, from the groups' forms */
		rt_server_dist sd;
		if ((rc = rt_server_after(d, f.key, f.row, f.n, f.cf, f.n * 10, &sd, err)))
			goto done;
		size_t n = (size_t)sd.tasks;
		r->tasks = sd.tasks;
		r->baseline_cost = sd.base;
		r->simulated_cost = sd.sim;
		ac_router_dist *dist[2] = { &r->per_task_baseline, &r->per_task_simulated };
		for (int k = 0; k < 2; k++) {
			const double *os = &sd.order[4 * k];
			dist[k]->mean = n ? (k ? sd.sim : sd.base) / (double)n : NAN;
			dist[k]->p50 = ac_quantile_of(os[0], os[1], n, 0.50);
			dist[k]->p99 = ac_quantile_of(os[2], os[3], n, 0.99);
		}
	} else {
		r->tasks = (long long)d->ntasks;
	}
	for (size_t i = 0; i < d->ntasks; i++) {
		before[i] = d->tasks[i].cost;
		after[i] = d->tasks[i].cost + delta[i];
		r->baseline_cost += before[i];
		r->simulated_cost += after[i];
	}
	r->savings = r->baseline_cost - r->simulated_cost;
	r->savings_share = r->baseline_cost != 0 ? r->savings / r->baseline_cost : NAN;
	r->window_days = ac_router_window_days(d);
	r->monthly_savings = r->window_days > 0 ? r->savings * 30 / r->window_days
	                     : (r->savings == 0 ? 0 : NAN);
	if (!d->server) {
		dist_of(&r->per_task_baseline, before, d->ntasks);
		dist_of(&r->per_task_simulated, after, d->ntasks);
	}
	*out = r;
	r = NULL;
done:
	ac_router_result_free(r);
	forms_release(&f);
	free(x.rk);
	free(delta);
	free(before);
	free(after);
	return rc;
}

void ac_router_result_free(ac_router_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; r->classes && i < r->nclasses; i++)
		free(r->classes[i].to_model);
	free(r->classes);
	free(r);
}
