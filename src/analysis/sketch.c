/* A group's costs and LLM calls as a sketch: see sketch.h. */
#include "sketch.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/err.h"
#include "../util/rbin.h"

void ac_sketch_clear(ac_sketch *sk)
{
	sk->n = 0;
	sk->sum = 0;
	sk->min = sk->max = NAN;
	sk->ncost = sk->ncalls = 0;
}

void ac_sketch_release(ac_sketch *sk)
{
	free(sk->cost);
	free(sk->calls);
	free(sk->cum_cost);
	free(sk->cum_calls);
	memset(sk, 0, sizeof(*sk));
}

static int push(ac_sketch_ent **v, size_t *n, size_t *cap, ac_sketch_ent e)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		ac_sketch_ent *a = realloc(*v, nc * sizeof(*a));
		if (!a)
			return AC_ENOMEM;
		*v = a;
		*cap = nc;
	}
	(*v)[(*n)++] = e;
	return 0;
}

int ac_sketch_add(ac_sketch *sk, int kind, int64_t bin, double value, long long n, double sum,
                  double min, double max)
{
	ac_sketch_ent e = { bin, value, n };
	switch (kind) {
	case AC_SKETCH_COST:
		return push(&sk->cost, &sk->ncost, &sk->capcost, e);
	case AC_SKETCH_CALLS:
		e.bin = 0;
		return push(&sk->calls, &sk->ncalls, &sk->capcalls, e);
	default:
		if (n <= 0)
			return 0;
		sk->min = !sk->n || min < sk->min ? min : sk->min;
		sk->max = !sk->n || max > sk->max ? max : sk->max;
		sk->n += n;
		sk->sum += sum;
		return 0;
	}
}

/* Entry order: exact values (bin 0: not positive) by value, then bins. */
static int ent_cmp(const void *a, const void *b)
{
	const ac_sketch_ent *x = a, *y = b;
	if (x->bin != y->bin)
		return x->bin < y->bin ? -1 : 1;
	return x->value < y->value ? -1 : x->value > y->value;
}

/* Sort, merge equal entries, and count the ranks before each. */
static int finish(ac_sketch_ent *v, size_t *n, long long **cum)
{
	if (*n)
		qsort(v, *n, sizeof(*v), ent_cmp);
	size_t k = 0;
	for (size_t i = 0; i < *n; i++) {
		if (k && v[k - 1].bin == v[i].bin && v[k - 1].value == v[i].value)
			v[k - 1].n += v[i].n;
		else
			v[k++] = v[i];
	}
	*n = k;
	long long *c = realloc(*cum, (k ? k : 1) * sizeof(*c));
	if (!c)
		return AC_ENOMEM;
	*cum = c;
	long long before = 0;
	for (size_t i = 0; i < k; i++) {
		c[i] = before;
		before += v[i].n;
	}
	return 0;
}

int ac_sketch_finish(ac_sketch *sk)
{
	int rc = finish(sk->cost, &sk->ncost, &sk->cum_cost);
	return rc ? rc : finish(sk->calls, &sk->ncalls, &sk->cum_calls);
}

/* The entry holding rank r: the last with cum <= r. */
static size_t entry_of(const long long *cum, size_t n, long long r)
{
	size_t lo = 0, hi = n; /* cum[lo] <= r < cum[hi] */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (cum[mid] <= r)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* An entry's value for its ranks other than 0 and n - 1. */
static double rep(const ac_sketch *sk, const ac_sketch_ent *e)
{
	if (e->bin == 0)
		return e->value;
	double m = ac_rbin_mid(e->bin);
	return m < sk->min ? sk->min : m > sk->max ? sk->max : m;
}

double ac_sketch_cost_at(const ac_sketch *sk, long long r)
{
	if (r <= 0)
		return sk->min;
	if (r >= sk->n - 1)
		return sk->max;
	return rep(sk, &sk->cost[entry_of(sk->cum_cost, sk->ncost, r)]);
}

/* Type 7 over order statistics at(r) (stats.h: ac_quantile). */
static double quantile(long long n, double p, double (*at)(const ac_sketch *, long long),
                       const ac_sketch *sk)
{
	if (n <= 0)
		return NAN;
	if (p <= 0)
		return at(sk, 0);
	if (p >= 1)
		return at(sk, n - 1);
	double h = (double)(n - 1) * p;
	long long lo = (long long)floor(h);
	if (lo + 1 >= n)
		return at(sk, n - 1);
	double a = at(sk, lo), b = at(sk, lo + 1);
	return a + (h - (double)lo) * (b - a);
}

double ac_sketch_quantile(const ac_sketch *sk, double p)
{
	return quantile(sk->n, p, ac_sketch_cost_at, sk);
}

static double calls_at(const ac_sketch *sk, long long r)
{
	if (!sk->ncalls)
		return NAN;
	return sk->calls[entry_of(sk->cum_calls, sk->ncalls, r)].value;
}

double ac_sketch_calls_quantile(const ac_sketch *sk, double p)
{
	return quantile(sk->n, p, calls_at, sk);
}

double ac_sketch_calls_max(const ac_sketch *sk)
{
	return sk->ncalls ? sk->calls[sk->ncalls - 1].value : NAN;
}

/* Sum of f(value of rank r) over ranks [a, b), entry by entry. */
static double sum_ranks(const ac_sketch *sk, long long a, long long b, double (*f)(double, double),
                        double arg)
{
	double s = 0;
	if (a < 0)
		a = 0;
	if (b > sk->n)
		b = sk->n;
	if (a >= b)
		return 0;
	/* ranks 0 and n - 1 are the exact least and largest */
	if (a == 0) {
		s += f(sk->min, arg);
		a = 1;
	}
	if (b == sk->n && a < b) {
		s += f(sk->max, arg);
		b--;
	}
	for (size_t i = a < b ? entry_of(sk->cum_cost, sk->ncost, a) : sk->ncost; i < sk->ncost; i++) {
		long long lo = sk->cum_cost[i], hi = lo + sk->cost[i].n;
		if (lo >= b)
			break;
		long long from = lo > a ? lo : a, to = hi < b ? hi : b;
		if (to > from)
			s += (double)(to - from) * f(rep(sk, &sk->cost[i]), arg);
	}
	return s;
}

static double ident(double x, double unused)
{
	(void)unused;
	return x;
}

static double log_over(double x, double thr)
{
	return log(x / thr);
}

static long long kof(long long n, double frac)
{
	long long k = (long long)floor((double)n * frac + 1e-9);
	return k < 1 ? 1 : k;
}

double ac_sketch_bottom_mean(const ac_sketch *sk, double frac)
{
	if (sk->n <= 0)
		return NAN;
	long long k = kof(sk->n, frac);
	return sum_ranks(sk, 0, k, ident, 0) / (double)k;
}

double ac_sketch_top_mean(const ac_sketch *sk, double frac)
{
	if (sk->n <= 0)
		return NAN;
	long long k = kof(sk->n, frac);
	return sum_ranks(sk, sk->n - k, sk->n, ident, 0) / (double)k;
}

double ac_sketch_top_share(const ac_sketch *sk, double frac)
{
	if (sk->n <= 0 || sk->sum == 0)
		return NAN;
	long long k = kof(sk->n, frac);
	return sum_ranks(sk, sk->n - k, sk->n, ident, 0) / sk->sum;
}

void ac_sketch_hill(const ac_sketch *sk, double frac, double *alpha, double *se)
{
	*alpha = *se = NAN;
	long long n = sk->n, k = (long long)floor((double)n * frac + 1e-9);
	if (k < 2 || k >= n)
		return;
	double thr = ac_sketch_cost_at(sk, n - k - 1);
	if (!(thr > 0))
		return;
	double h = sum_ranks(sk, n - k, n, log_over, thr) / (double)k;
	if (!(h > 0))
		return;
	*alpha = 1 / h;
	*se = *alpha / sqrt((double)k);
}
