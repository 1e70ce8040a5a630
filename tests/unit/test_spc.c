/*
 * Unit tests of the SPC module (src/analysis/spc.c): the trailing band (mean,
 * sample sd, ucl = mean + sigma sd), the minimum history, the alert (strictly
 * above the ucl), and the Western Electric run rules we2of3, we4of5 and
 * we8above, each point judged against its own band.
 *
 * Expected values are worked out by hand in the comments; the longer series
 * were also checked with this independent Python 3 reference (statistics
 * module, not the code under test):
 *
 *   import statistics as st
 *   def run(x, window=30, minh=7, sigma=2.0):
 *       band = []
 *       for i in range(len(x)):
 *           h = x[max(0, i - window):i]
 *           band.append((st.mean(h), st.stdev(h)) if len(h) >= minh else None)
 *       def b(j, k): return band[j] is not None and x[j] > band[j][0] + k * band[j][1]
 *       for i in range(len(x)):
 *           r = []
 *           if i >= 2 and b(i, 2) and sum(b(j, 2) for j in range(i - 2, i + 1)) >= 2: r.append('we2of3')
 *           if i >= 4 and b(i, 1) and sum(b(j, 1) for j in range(i - 4, i + 1)) >= 4: r.append('we4of5')
 *           if i >= 7 and all(b(j, 0) for j in range(i - 7, i + 1)): r.append('we8above')
 *           print(i, x[i], band[i], b(i, sigma), r)
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/spc.h"
#include "util/err.h"

/* Debian 12's cmocka compares floats as float: compare doubles here. */
#define assert_close(a, b, rel, abs_) assert_close_at((a), (b), (rel), (abs_), #a, __FILE__, __LINE__)

static void assert_close_at(double a, double b, double rel, double abs_, const char *what,
                            const char *file, int line)
{
	double d = fabs(a - b);
	if (d <= abs_ || d <= rel * fmax(fabs(a), fabs(b)))
		return;
	print_error("%s = %.17g, expected %.17g\n", what, a, b);
	_fail(file, line);
}

#define MAXN 20
#define N_ NAN /* no band */
#define R2 AC_SPC_WE2OF3
#define R4 AC_SPC_WE4OF5
#define R8 AC_SPC_WE8ABOVE

/* One expected point: mean, sd, ucl (NAN = no band; NAN mean and a finite
 * sd = "not checked"), alert, rules. */
typedef struct want {
	double mean, sd, ucl;
	int alert;
	unsigned rules;
} want;

typedef struct spc_case {
	const char *name;
	ac_spc_opts o;
	size_t n;
	double x[MAXN];
	want w[MAXN];
} spc_case;

#define SKIP { NAN, 0, 0, 0, 0 } /* band not checked, alert 0, rules 0 */
#define NOB { N_, N_, N_, 0, 0 } /* no band */

static const spc_case CASES[] = {
	/* fewer than min_history (7) preceding points: no band, no alert,
	 * however far off the point is */
	{ "too little history", AC_SPC_OPTS_INIT, 7, { 1, 1, 1, 1, 1, 1, 1000 },
	  { NOB, NOB, NOB, NOB, NOB, NOB, NOB } },
	/* 7 x 1 then 1: mean 1, sd 0, ucl 1 and 1 is not above it; then 1.5 is
	 * above (history 8 x 1 still sd 0) */
	{ "sd 0: equal is no alert, above is", AC_SPC_OPTS_INIT, 9, { 1, 1, 1, 1, 1, 1, 1, 1, 1.5 },
	  { NOB, NOB, NOB, NOB, NOB, NOB, NOB, { 1, 0, 1, 0, 0 }, { 1, 0, 1, 1, 0 } } },
	/* 0.1 is not exact in binary: a history of 7 x 0.1 is mean 0.1 exactly,
	 * sd 0, so another 0.1 is not above it by a rounding error */
	{ "identical inexact values", AC_SPC_OPTS_INIT, 8, { .1, .1, .1, .1, .1, .1, .1, .1 },
	  { NOB, NOB, NOB, NOB, NOB, NOB, NOB, { .1, 0, .1, 0, 0 } } },
	/* window 3, min 2, sigma 2:
	 *   i2: {1,2}: mean 1.5, sd sqrt(0.5) = 0.7071067812, ucl 2.9142135624; 3 > it: alert
	 *   i3: {1,2,3}: mean 2, sd 1, ucl 4; 4 is not above 4
	 *   i4: {2,3,4} (the window drops 1): mean 3, sd 1, ucl 5; 10 alert
	 * rules: i3: 2 sigma limits i2 2.914 (3 beyond), i3 4 (4 not): the point
	 * itself is not beyond, no we2of3. i4 10 > 5: beyond, with i2: we2of3. */
	{ "window slides", { 3, 2, 2.0 }, 5, { 1, 2, 3, 4, 10 },
	  { NOB, NOB, { 1.5, 0.70710678118654752, 2.9142135623730950, 1, 0 }, { 2, 1, 4, 0, 0 },
	    { 3, 1, 5, 1, R2 } } },
	/* sigma 0: ucl = mean; at the mean no alert, above it alert
	 *   i2: {1,3}: mean 2, sd sqrt(2) = 1.4142135624, ucl 2; x 2: no
	 *   i3: {1,3,2}: mean 2, sd 1, ucl 2; x 2.5: alert */
	{ "sigma 0", { 30, 2, 0.0 }, 4, { 1, 3, 2, 2.5 },
	  { NOB, NOB, { 2, 1.4142135623730951, 2, 0, 0 }, { 2, 1, 2, 1, 0 } } },
	/* sigma 3 on the same shape as "window slides" i2: ucl = 1.5 + 3 x 0.7071 = 3.6213203436 */
	{ "sigma 3", { 30, 2, 3.0 }, 3, { 1, 2, 3 },
	  { NOB, NOB, { 1.5, 0.70710678118654752, 3.6213203435596426, 0, 0 } } },
	/* we2of3 needs the point itself beyond 2 sigma:
	 *   i7 5: history 7 x 1, sd 0: beyond, alert
	 *   i8 5: history 7 x 1, 5: mean 1.5, ss = 7 x 0.25 + 12.25 = 14, sd sqrt(2)
	 *     = 1.4142135624, ucl 4.3284271247: beyond; i7, i8 of i6..i8: we2of3
	 *   i9 1: i7 and i8 beyond, but not i9 itself: no rule
	 *     (mean 17/9 = 1.8888888889, ss = 7 (8/9)^2 + 2 (28/9)^2 = 2016/81,
	 *     sd = sqrt(2016/648) = 1.7638342074, ucl 5.4165573037) */
	{ "we2of3 on the completing point only", AC_SPC_OPTS_INIT, 10, { 1, 1, 1, 1, 1, 1, 1, 5, 5, 1 },
	  { NOB, NOB, NOB, NOB, NOB, NOB, NOB, { 1, 0, 1, 1, 0 },
	    { 1.5, 1.4142135623730951, 4.3284271247461902, 1, R2 },
	    { 1.8888888888888889, 1.7638342073763937, 5.4165573036416754, 0, 0 } } },
	/* a ramp with min_history 2: each point above its mean from i2 on.
	 *   i2 2: {1,1} sd 0: beyond every limit, alert
	 *   i3 3: {1,1,2}: mean 4/3, sd sqrt(1/3) = 0.5773502692, ucl 2.4880338717:
	 *     alert; i2, i3 beyond 2 sigma: we2of3
	 *   i5 5: {1,1,2,3,4}: mean 2.2, sd 1.3038404810, 1 sigma 3.504: i2..i5
	 *     beyond 1 sigma (i3: 1.911, i4: 1.75 + 0.957 = 2.707): we4of5 too
	 *   i7 7: mean 22/7 = 3.1428571429, sd 1.9518001459, ucl 7.0464574347: no
	 *     alert, not beyond 2 sigma: no we2of3; we4of5 stays
	 *   i9 9: i2..i9 above their means, 8 in a row: we8above; at i8 the run
	 *     would include i1, which has no band (one point of history) */
	{ "ramp", { 30, 2, 2.0 }, 10, { 1, 1, 2, 3, 4, 5, 6, 7, 8, 9 },
	  { NOB, NOB, { 1, 0, 1, 1, 0 },
	    { 1.3333333333333333, 0.57735026918962576, 2.4880338717125845, 1, R2 },
	    { 1.75, 0.9574271077563381, 3.6648542155126762, 1, R2 },
	    { 2.2, 1.3038404810405297, 4.8076809620810597, 1, R2 | R4 },
	    { 2.6666666666666667, 1.632993161855452, 5.9326529903775707, 1, R2 | R4 },
	    { 3.1428571428571429, 1.9518001458970664, 7.0464574346512756, 0, R4 },
	    { 3.625, 2.2638462845343543, 8.1526925690687086, 0, R4 },
	    { 4.1111111111111111, 2.5712081034235856, 9.2535273179582823, 0, R4 | R8 } } },
	/* alternating 3, 1 then 3.5 x 4 (t_spc.sh "fourfive"): 1-sigma limits
	 * 3.054, 3.234, 3.368, 3.471, all exceeded; 2-sigma never. i8 = 3 is
	 * within 2 + sqrt(8/7) = 3.069. we4of5 on i13 only (i9 = 1 is the fifth). */
	{ "we4of5", AC_SPC_OPTS_INIT, 14, { 3, 1, 3, 1, 3, 1, 3, 1, 3, 1, 3.5, 3.5, 3.5, 3.5 },
	  { NOB, NOB, NOB, NOB, NOB, NOB, NOB, SKIP, SKIP, SKIP,
	    { 2, 1.0540925533894598, 4.1081851067789196, 0, 0 },
	    { 2.1363636363636364, 1.0975178607, NAN, 0, 0 },
	    { 2.25, 1.1180339887498949, 4.4860679774997898, 0, 0 },
	    { 2.3461538461538462, 1.1251780486, NAN, 0, R4 } } },
	/* 2, 0 x 5 then 1.2 x 8 (t_spc.sh "eight"): the 1.2s are above their
	 * means (< 1.2: the base's mean is 1) and within 1 sigma: we8above on
	 * the eighth, i17, only. i17: mean 18.4/17 = 1.0823529412, sd
	 * sqrt(10.1647058824/16) = 0.7970533970. */
	{ "we8above", AC_SPC_OPTS_INIT, 18,
	  { 2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2 },
	  { NOB, NOB, NOB, NOB, NOB, NOB, NOB, SKIP, SKIP, SKIP, SKIP, SKIP, SKIP, SKIP, SKIP,
	    SKIP, SKIP, { 1.0823529411764706, 0.79705339698608, NAN, 0, R8 } } },
};

/* Close enough for a value derived from hand-computed fractions. */
static int near(double a, double b)
{
	return fabs(a - b) <= 1e-12 || fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b));
}

static void check_case(const spc_case *c)
{
	ac_spc_point p[MAXN];
	assert_int_equal(ac_spc_run(p, c->x, c->n, &c->o), 0);
	int bad = 0;
	for (size_t i = 0; i < c->n; i++) {
		const want *w = &c->w[i];
		const ac_spc_point *g = &p[i];
		int ok = g->alert == w->alert && g->rules == w->rules;
		if (isnan(w->mean) && isnan(w->sd)) /* no band */
			ok = ok && !g->has_band && isnan(g->mean) && isnan(g->sd) && isnan(g->ucl);
		else if (!isnan(w->mean))
			ok = ok && g->has_band && near(g->mean, w->mean) && near(g->sd, w->sd) &&
			     (isnan(w->ucl) || near(g->ucl, w->ucl));
		if (!ok) {
			print_error("%s: point %zu (x = %.17g): got band %d mean %.17g sd %.17g ucl "
			            "%.17g alert %d rules %u; expected mean %.17g sd %.17g ucl %.17g "
			            "alert %d rules %u\n",
			            c->name, i, c->x[i], g->has_band, g->mean, g->sd, g->ucl, g->alert,
			            g->rules, w->mean, w->sd, w->ucl, w->alert, w->rules);
			bad = 1;
		}
	}
	if (bad)
		fail();
}

static void test_cases(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof(CASES) / sizeof(CASES[0]); k++)
		check_case(&CASES[k]);
}

/* sd 0 exactly (not a rounding residue) for identical values, and ucl = mean */
static void test_sd_zero_exact(void **state)
{
	(void)state;
	double x[9] = { .1, .1, .1, .1, .1, .1, .1, .1, .10000000000000002 };
	ac_spc_point p[9];
	ac_spc_opts o = AC_SPC_OPTS_INIT;
	assert_int_equal(ac_spc_run(p, x, 9, &o), 0);
	assert_true(p[7].sd == 0 && p[7].mean == .1 && p[7].ucl == .1);
	/* one ulp above: within the 1e-12 relative tolerance, not an alert */
	assert_int_equal(p[8].alert, 0);
}

/* The band uses the last `window` points, not all of them: history
 * 100, then 1 x 3 with window 3 -> mean 1, sd 0 at i4 */
static void test_window_drops_old(void **state)
{
	(void)state;
	double x[5] = { 100, 1, 1, 1, 1 };
	ac_spc_point p[5];
	ac_spc_opts o = { 3, 3, 2.0 };
	assert_int_equal(ac_spc_run(p, x, 5, &o), 0);
	assert_int_equal(p[2].has_band, 0);
	/* i3: {100, 1, 1}: mean 34, ss = 66^2 + 2 x 33^2 = 6534, sd sqrt(3267) = 57.1576766498 */
	assert_close(p[3].mean, 34, 1e-12, 0);
	assert_close(p[3].sd, 57.157676649772950, 1e-9, 0);
	assert_true(p[4].mean == 1 && p[4].sd == 0);
}

static void test_bad_options(void **state)
{
	(void)state;
	double x[3] = { 1, 2, 3 };
	ac_spc_point p[3];
	memset(p, 0x5a, sizeof(p));
	ac_spc_point before[3];
	memcpy(before, p, sizeof(p));
	const ac_spc_opts bad[] = {
		{ 30, 1, 2.0 },  /* a sample sd needs 2 points */
		{ 30, 0, 2.0 },
		{ 5, 6, 2.0 },   /* more history than the window holds */
		{ 30, 7, -1.0 }, /* negative sigma */
		{ 30, 7, NAN },
		{ 30, 7, INFINITY },
	};
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		assert_int_equal(ac_spc_run(p, x, 3, &bad[k]), AC_EINVAL);
		assert_memory_equal(p, before, sizeof(p)); /* untouched */
	}
}

static void test_empty(void **state)
{
	(void)state;
	ac_spc_opts o = AC_SPC_OPTS_INIT;
	ac_spc_point p[1];
	assert_int_equal(ac_spc_run(p, NULL, 0, &o), 0);
}

static void test_rule_names(void **state)
{
	(void)state;
	assert_string_equal(ac_spc_rule_name(AC_SPC_WE2OF3), "we2of3");
	assert_string_equal(ac_spc_rule_name(AC_SPC_WE4OF5), "we4of5");
	assert_string_equal(ac_spc_rule_name(AC_SPC_WE8ABOVE), "we8above");
	assert_null(ac_spc_rule_name(0));
	assert_null(ac_spc_rule_name(AC_SPC_WE2OF3 | AC_SPC_WE4OF5));
	assert_null(ac_spc_rule_name(1u << AC_SPC_RULE_COUNT));
	/* bits in order are 1 << 0 .. 1 << (COUNT - 1), each named */
	for (unsigned b = 0; b < AC_SPC_RULE_COUNT; b++)
		assert_non_null(ac_spc_rule_name(1u << b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_sd_zero_exact),
		cmocka_unit_test(test_window_drops_old),
		cmocka_unit_test(test_bad_options),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_rule_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
