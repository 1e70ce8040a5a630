/* Order statistics and tail estimators: see stats.h. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

void ac_sort_doubles(double *x, size_t n)
{
	qsort(x, n, sizeof(*x), cmp_double);
}

/* Put the k-th smallest of x[0..n) at x[k], smaller before, larger after
 * (Hoare partition around the median of three; expected linear time). */
static void select_kth(double *x, size_t n, size_t k)
{
	int64_t lo = 0, hi = (int64_t)n - 1, kk = (int64_t)k;
	while (hi > lo) {
		int64_t mid = lo + (hi - lo) / 2;
		double a = x[lo], b = x[mid], c = x[hi];
		double pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
		int64_t i = lo, j = hi;
		while (i <= j) {
			while (x[i] < pivot)
				i++;
			while (x[j] > pivot)
				j--;
			if (i <= j) {
				double t = x[i];
				x[i] = x[j];
				x[j] = t;
				i++;
				j--;
			}
		}
		/* now x[lo..j] <= pivot <= x[i..hi], and j < i */
		if (kk <= j)
			hi = j;
		else if (kk >= i)
			lo = i;
		else
			return; /* between j and i: equal to the pivot, in place */
	}
}

double ac_quantile_select(double *x, size_t n, double p)
{
	if (n == 0)
		return NAN;
	double h = p <= 0 ? 0 : p >= 1 ? (double)(n - 1) : (double)(n - 1) * p;
	size_t lo = (size_t)floor(h);
	select_kth(x, n, lo);
	if (lo + 1 >= n)
		return x[lo];
	double next = x[lo + 1];
	for (size_t i = lo + 2; i < n; i++)
		if (x[i] < next)
			next = x[i];
	return ac_quantile_of(x[lo], next, n, p);
}

double ac_quantile_of(double x_lo, double next, size_t n, double p)
{
	if (n == 0)
		return NAN;
	double h = p <= 0 ? 0 : p >= 1 ? (double)(n - 1) : (double)(n - 1) * p;
	double lo = floor(h);
	if (lo + 1 >= (double)n)
		return x_lo;
	return x_lo + (h - lo) * (next - x_lo);
}

double ac_quantile(const double *x, size_t n, double p)
{
	if (n == 0)
		return NAN;
	if (p <= 0)
		return x[0];
	if (p >= 1)
		return x[n - 1];
	double h = (double)(n - 1) * p;
	size_t lo = (size_t)floor(h);
	if (lo + 1 >= n)
		return x[n - 1];
	return x[lo] + (h - (double)lo) * (x[lo + 1] - x[lo]);
}

double ac_sum(const double *x, size_t n)
{
	/* Neumaier's compensated sum: totals of millions of small costs stay
	 * exact to the cent */
	double s = 0, c = 0;
	for (size_t i = 0; i < n; i++) {
		double t = s + x[i];
		if (fabs(s) >= fabs(x[i]))
			c += (s - t) + x[i];
		else
			c += (x[i] - t) + s;
		s = t;
	}
	return s + c;
}

double ac_mean(const double *x, size_t n)
{
	return n ? ac_sum(x, n) / (double)n : NAN;
}

static size_t kof(size_t n, double frac)
{
	size_t k = (size_t)floor((double)n * frac + 1e-9);
	return k < 1 ? 1 : k;
}

double ac_bottom_mean(const double *x, size_t n, double frac)
{
	if (n == 0)
		return NAN;
	size_t k = kof(n, frac);
	return ac_sum(x, k) / (double)k;
}

double ac_top_mean(const double *x, size_t n, double frac)
{
	if (n == 0)
		return NAN;
	size_t k = kof(n, frac);
	return ac_sum(x + n - k, k) / (double)k;
}

double ac_top_share(const double *x, size_t n, double frac)
{
	if (n == 0)
		return NAN;
	double total = ac_sum(x, n);
	if (total == 0)
		return NAN;
	size_t k = kof(n, frac);
	return ac_sum(x + n - k, k) / total;
}

void ac_hill(const double *x, size_t n, double frac, double *alpha, double *se)
{
	*alpha = *se = NAN;
	size_t k = (size_t)floor((double)n * frac + 1e-9);
	if (k < 2 || k >= n)
		return;
	double thr = x[n - k - 1];
	if (!(thr > 0))
		return;
	double h = 0;
	for (size_t i = 1; i <= k; i++)
		h += log(x[n - i] / thr);
	h /= (double)k;
	if (!(h > 0))
		return;
	*alpha = 1 / h;
	*se = *alpha / sqrt((double)k);
}

double ac_sd(const double *x, size_t n, double mean)
{
	if (n < 2)
		return NAN;
	double ss = 0;
	for (size_t i = 0; i < n; i++)
		ss += (x[i] - mean) * (x[i] - mean);
	return sqrt(ss / (double)(n - 1));
}
