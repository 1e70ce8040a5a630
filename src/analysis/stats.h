/*
 * Order statistics and tail estimators, computed in C over values read in one
 * scan (SQL window functions are the wrong tool: ~10x slower on millions of
 * rows).
 *
 * Percentiles are the linear-interpolation kind, R's type 7 (numpy's default,
 * Excel's PERCENTILE.INC): for sorted x[0..n), h = (n - 1) p and
 *   Q(p) = x[floor(h)] + (h - floor(h)) (x[floor(h) + 1] - x[floor(h)]).
 */
#ifndef AC_STATS_H
#define AC_STATS_H

#include <stddef.h>

/* Sort ascending in place. */
void ac_sort_doubles(double *x, size_t n);

/* Type-7 quantile of sorted x (n >= 1), p in [0, 1]. NAN when n == 0. */
double ac_quantile(const double *sorted, size_t n, double p);

/* The same quantile of x[0..n), unsorted, by selection in expected linear
 * time; reorders x. The same value as sorting and ac_quantile. */
double ac_quantile_select(double *x, size_t n, double p);

/* The same quantile from its two order statistics: x_lo the value at rank
 * floor((n - 1) p) (0-based) and next the one after it (ignored when there
 * is none), as a server that sorted the values gives them (the router's
 * replay on ClickHouse). NAN when n == 0. */
double ac_quantile_of(double x_lo, double next, size_t n, double p);

double ac_mean(const double *x, size_t n);
double ac_sum(const double *x, size_t n);

/* Mean of the k smallest / largest of sorted x, k = max(1, floor(n * frac)). */
double ac_bottom_mean(const double *sorted, size_t n, double frac);
double ac_top_mean(const double *sorted, size_t n, double frac);

/* Share of the sum held by the k largest, k = max(1, floor(n * frac));
 * NAN when the sum is 0. */
double ac_top_share(const double *sorted, size_t n, double frac);

/*
 * Hill estimator of the tail index on the k = floor(n * frac) largest values:
 *   H = (1/k) sum_{i=1..k} ln(x[n-i] / x[n-k-1]),  alpha = 1 / H,
 *   se(alpha) = alpha / sqrt(k).
 * A small alpha means a heavy tail (alpha <= 2: infinite variance). Sets both
 * to NAN when k < 2, the threshold x[n-k-1] is not > 0, or H == 0.
 */
void ac_hill(const double *sorted, size_t n, double frac, double *alpha, double *se);

/* Sample standard deviation (n - 1); NAN for n < 2. */
double ac_sd(const double *x, size_t n, double mean);

#endif
