/*
 * A group's per-task costs and LLM calls as a sketch (`--approx`, issue
 * #16): what a store sends instead of every task's row. Costs are counted
 * per relative-error bin (src/util/rbin.h: a positive cost's bin keeps its
 * top AC_RBIN_BITS mantissa bits) and kept exactly when not positive; LLM
 * calls (small integers) per exact value; the group's task count, cost sum,
 * least and largest cost exactly. Memory grows with the occupied bins, not
 * with the tasks.
 *
 * The distribution is read from it without expanding it. The value of the
 * order statistic of rank r (0-based, of n): rank 0 the least cost, rank
 * n - 1 the largest, a non-positive cost itself, else its bin's midpoint
 * clamped to [least, largest]. Each is within AC_RBIN_REL_ERR (eps,
 * 2^-8 = 0.39%) of the exact order statistic, relative to it (both lie in
 * one bin, and the order of bins is the order of values). Hence, for
 * non-negative costs:
 *   - a type-7 percentile, a convex combination (1 - f) x[lo] + f x[lo+1]
 *     of two order statistics, is within eps of the exact one;
 *   - a mean of the k smallest or largest, and a share of the sum held by
 *     the k largest (the sum exact), within eps; a ratio of two such
 *     means within (1 + eps) / (1 - eps) - 1 (0.78%);
 *   - the Hill estimate alpha = 1 / H, H the mean of ln(x / threshold)
 *     over the k largest: each log within D = ln((1 + eps) / (1 - eps))
 *     (0.0078) absolute, so H too, and alpha (and its standard error)
 *     within D alpha / (1 - D alpha), relative (0.79% at alpha 1);
 *   - the count, the sum (so the mean), the least and largest cost, and
 *     every LLM-calls figure exact.
 */
#ifndef AC_SKETCH_H
#define AC_SKETCH_H

#include <stddef.h>
#include <stdint.h>

typedef struct ac_sketch_ent {
	int64_t bin;  /* cost: ac_rbin_of (0: value is exact); calls: 0 */
	double value; /* cost: the exact value when bin is 0; calls: the count */
	long long n;  /* tasks */
} ac_sketch_ent;

typedef struct ac_sketch {
	long long n;               /* tasks (the kind-2 row's count) */
	double sum, min, max;      /* of their costs, exact */
	ac_sketch_ent *cost, *calls;
	size_t ncost, ncalls, capcost, capcalls;
	long long *cum_cost, *cum_calls; /* after ac_sketch_finish: tasks before entry i */
} ac_sketch;

/* A row of an --approx query (queries/task_costs_approx.sql and the
 * dims_units*_approx.sql): kind 0 a cost bin (bin, value, n), kind 1 an LLM
 * calls value (value, n), kind 2 the group (n, sum, min, max). */
enum { AC_SKETCH_COST = 0, AC_SKETCH_CALLS = 1, AC_SKETCH_GROUP = 2 };

/* Empty it, keeping its arrays (free with ac_sketch_release). */
void ac_sketch_clear(ac_sketch *sk);
void ac_sketch_release(ac_sketch *sk);
/* Add a row of kind `kind`; entries of one bin or value may come several
 * times (merged groups): ac_sketch_finish adds them up. Returns 0 or
 * AC_ENOMEM. Group rows add their counts and sums, and widen min and max. */
int ac_sketch_add(ac_sketch *sk, int kind, int64_t bin, double value, long long n, double sum,
                  double min, double max);
/* Sort and merge the entries, count ranks. 0 or AC_ENOMEM. */
int ac_sketch_finish(ac_sketch *sk);

/* The value of the cost order statistic of rank r (0 <= r < n), as above. */
double ac_sketch_cost_at(const ac_sketch *sk, long long r);
/* Type-7 quantile of the costs (stats.h), of the LLM calls. NAN when n is 0. */
double ac_sketch_quantile(const ac_sketch *sk, double p);
double ac_sketch_calls_quantile(const ac_sketch *sk, double p);
double ac_sketch_calls_max(const ac_sketch *sk);
/* stats.h's ac_bottom_mean, ac_top_mean, ac_top_share, ac_hill over the
 * sketch's order statistics. */
double ac_sketch_bottom_mean(const ac_sketch *sk, double frac);
double ac_sketch_top_mean(const ac_sketch *sk, double frac);
double ac_sketch_top_share(const ac_sketch *sk, double frac);
void ac_sketch_hill(const ac_sketch *sk, double frac, double *alpha, double *se);

#endif
