/*
 * Statistical process control of a spend series: a Shewhart-style upper
 * control limit from a trailing window, and the Western Electric run rules.
 * Sits after the store in the pipeline: `agentcost spc` (and later the weekly
 * report) reads daily or hourly costs with one GROUP BY and hands the array
 * here; nothing in this module touches the database.
 *
 * For point i of x[0..n):
 *   history  x[i-h .. i-1], h = min(window, i) preceding points
 *   band     only when h >= min_history: mean and sample standard deviation
 *            (n - 1 denominator) of the history; ucl = mean + sigma * sd.
 *            A history of identical values gives mean = that value, sd = 0.
 *   alert    x[i] > ucl (strictly: with sd = 0 a point equal to the mean
 *            does not alert)
 * Western Electric rules (Western Electric Statistical Quality Control
 * Handbook, 1956; upper side only, since only overspend matters), each point
 * judged against its own band; a point without a band is never "beyond":
 *   we2of3    x[i] > mean + 2 sd, and at least 2 of x[i-2..i] are
 *   we4of5    x[i] > mean + 1 sd, and at least 4 of x[i-4..i] are
 *   we8above  x[i-7..i] are all > mean
 * A rule fires on the point that completes the pattern, and only when that
 * point is itself beyond the limit; all 3, 5 or 8 points must exist.
 * "Greater than" is decided with a relative tolerance of 1e-12 so that sums
 * of costs landing on a limit up to rounding do not flag.
 */
#ifndef AC_SPC_H
#define AC_SPC_H

#include <stddef.h>

typedef struct ac_spc_opts {
	size_t window;      /* preceding points the band is computed from (>= 2) */
	size_t min_history; /* fewer preceding points: no band (2 <= min_history <= window) */
	double sigma;       /* ucl = mean + sigma * sd (>= 0) */
} ac_spc_opts;

#define AC_SPC_OPTS_INIT { 30, 7, 2.0 }

/* Western Electric rules, as bits of ac_spc_point.rules. */
enum {
	AC_SPC_WE2OF3 = 1u << 0,
	AC_SPC_WE4OF5 = 1u << 1,
	AC_SPC_WE8ABOVE = 1u << 2,
};
#define AC_SPC_RULE_COUNT 3

typedef struct ac_spc_point {
	int has_band;   /* 0: too little history; mean, sd and ucl are NAN */
	double mean, sd, ucl;
	int alert;      /* 1: the point is above ucl */
	unsigned rules; /* AC_SPC_* bits of the rules that fire on this point */
} ac_spc_point;

/*
 * Band, alert and rules for every point of x[0..n) into out[0..n) (caller's
 * array). Returns 0, or AC_EINVAL when the options are out of range (out is
 * then untouched). Allocates nothing.
 */
int ac_spc_run(ac_spc_point *out, const double *x, size_t n, const ac_spc_opts *o);

/* Name of one rule bit ("we2of3", "we4of5", "we8above"), NULL for others.
 * Rules in ascending bit order are the order they are listed in. */
const char *ac_spc_rule_name(unsigned rule);

#endif
