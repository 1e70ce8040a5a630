/*
 * Accuracy of a model on a class of work, with its uncertainty, and the
 * calendar windows accuracy is reported over. Sits after the store: callers
 * (`agentcost models`, the router, the weekly report) read agentcost.eval.score
 * values with one query and hand the array here; nothing here touches the
 * database.
 *
 * Intervals are two-sided at confidence `conf` (0.95 for a 95% interval):
 *   Wilson     for 0/1 scores, k successes of n (Wilson 1927, "Probable
 *              inference, the law of succession, and statistical inference"):
 *                p = k/n, z = Phi^-1(1 - (1 - conf)/2),
 *                centre = (p + z^2/(2n)) / (1 + z^2/n),
 *                half   = z sqrt(p(1-p)/n + z^2/(4n^2)) / (1 + z^2/n).
 *              Defined for n >= 1, stays inside [0, 1] and is not degenerate
 *              at p = 0 or 1 (unlike the Wald interval).
 *   t          for fractional scores: mean +- t_{1-(1-conf)/2, n-1} s / sqrt(n),
 *              s the sample standard deviation (n - 1 denominator); needs
 *              n >= 2.
 * Quantiles of the normal and Student t distributions are computed, not
 * tabulated: the normal by Acklam's rational approximation polished with
 * Newton steps on erfc, the t by bisection on its CDF through the regularized
 * incomplete beta function (continued fraction, modified Lentz), both good to
 * about 1e-12.
 *
 * ISO 8601 weeks run Monday to Sunday; week 1 of a year is the week holding
 * its 4 January (equivalently its first Thursday), so a year has 52 or 53
 * weeks and its week 1 may start in late December.
 */
#ifndef AC_ACCURACY_H
#define AC_ACCURACY_H

#include <stddef.h>
#include <stdint.h>

/* Standard normal quantile Phi^-1(p), p in (0, 1); NAN outside. */
double ac_normal_quantile(double p);

/* Student t CDF P(T <= t) with df > 0 degrees of freedom; NAN when df <= 0. */
double ac_t_cdf(double t, double df);

/* Student t quantile, p in (0, 1), df > 0; NAN outside. */
double ac_t_quantile(double p, double df);

/* Wilson score interval of k successes in n trials (0 <= k <= n, n >= 1);
 * both NAN when n < 1 or k is out of range. */
void ac_wilson(double *out_lo, double *out_hi, double k, double n, double conf);

/* t interval of the mean of x[0..n); *out_mean is the sample mean (NAN for
 * n == 0); the bounds are NAN for n < 2. Not clamped. */
void ac_t_interval(double *out_mean, double *out_lo, double *out_hi, const double *x, size_t n,
                   double conf);

/* Accuracy of a class from its eval scores. */
typedef struct ac_accuracy {
	double mean;   /* mean score, NAN when n == 0 */
	size_t n;      /* scored calls */
	double lo, hi; /* interval, NAN when undefined (no scores; t with n < 2) */
	int binary;    /* 1: every score is exactly 0 or 1, so Wilson was used */
} ac_accuracy;

/*
 * Mean score and its interval: Wilson when every score is 0 or 1, else the t
 * interval clamped to [0, 1] (scores live in [0, 1]; a bound outside it says
 * nothing more than the bound itself).
 */
void ac_accuracy_of(ac_accuracy *out, const double *scores, size_t n, double conf);

/* The same from sums (what the queries and the rollup keep): n scores, their
 * sum and sum of squares, and how many are neither exactly 0 nor 1. The
 * variance comes from the sums, which differs from the two-pass variance of
 * ac_accuracy_of by rounding only (scores lie in [0, 1]). */
typedef struct ac_score_sums {
	long long n, partial;
	double sum, sq;
} ac_score_sums;

void ac_accuracy_of_sums(ac_accuracy *out, const ac_score_sums *s, double conf);

/*
 * Parse an ISO week "YYYY-Www" (e.g. "2025-W23") into the UTC range
 * [*out_start_ns, *out_end_ns) from its Monday 00:00 to the next Monday 00:00.
 * Returns 0, or -1 when the text is not exactly that form or the week does not
 * exist in that year (W00, W53 of a 52-week year).
 */
int ac_iso_week_parse(const char *s, int64_t *out_start_ns, int64_t *out_end_ns);

#endif
