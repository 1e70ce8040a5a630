/*
 * Unit tests for the chart figures of src/analysis/task_costs.c: the shared
 * bin range and per-bin counts of the weekly report's stacked histogram, and
 * the CCDF points with their thinning. Expected values worked out by hand.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "analysis/task_costs.h"

static ac_task_group group(double *cost, size_t n)
{
	ac_task_group g = { NULL, NULL, cost, NULL, n, n, NULL };
	return g;
}

/*
 * Bins are floor(log10(cost) x 5): 0.02 -> floor(-8.49) = -9, 0.05 ->
 * floor(-6.51) = -7, 0.3 -> floor(-2.61) = -3, 1.5 -> floor(0.88) = 0.
 * Group A {0, 0.02, 0.05, 0.05, 0.3}, group B {1.5}: the range is -9 .. 0
 * (10 bins). A: one task costs nothing; bin -9 holds 1, bin -7 holds 2,
 * bin -3 holds 1. B: bin 0 holds 1.
 */
static void test_bins(void **state)
{
	(void)state;
	double a[] = { 0, 0.02, 0.05, 0.05, 0.3 }, b[] = { 1.5 };
	ac_task_group v[2] = { group(a, 5), group(b, 1) };
	ac_task_costs tc = { .v = v, .n = 2 };
	int lo = 99, hi = 99;
	assert_int_equal(ac_task_costs_bin_range(&tc, &lo, &hi), 1);
	assert_int_equal(lo, -9);
	assert_int_equal(hi, 0);
	size_t counts[10];
	assert_int_equal(ac_task_bin_counts(&v[0], lo, hi, counts), 1);
	static const size_t want_a[10] = { 1, 0, 2, 0, 0, 0, 1, 0, 0, 0 };
	for (int i = 0; i < 10; i++)
		assert_int_equal(counts[i], want_a[i]);
	assert_int_equal(ac_task_bin_counts(&v[1], lo, hi, counts), 0);
	for (int i = 0; i < 10; i++)
		assert_int_equal(counts[i], i == 9 ? 1 : 0);
	/* no positive cost anywhere: no range */
	double z[] = { 0, 0 };
	ac_task_group zg = group(z, 2);
	ac_task_costs zc = { .v = &zg, .n = 1 };
	assert_int_equal(ac_task_costs_bin_range(&zc, &lo, &hi), 0);
}

/*
 * Group A (n = 5, one zero): 0.02 has 4 of 5 tasks at or above it (0.8), the
 * first 0.05 3 of 5 (0.6; the second is skipped), 0.3 1 of 5 (0.2).
 * Costs 1..10 with max_points 4: step 10 / (4 / 2) = 5; the tail is the last
 * 2 tasks; the body keeps k = 0 and 5: points 1 (10/10), 6 (5/10), 9 (2/10),
 * 10 (1/10).
 */
static void test_ccdf(void **state)
{
	(void)state;
	double a[] = { 0, 0.02, 0.05, 0.05, 0.3 }, cost[10], share[10];
	ac_task_group g = group(a, 5);
	size_t zero = 99;
	assert_int_equal(ac_task_ccdf(&g, 600, cost, share, &zero), 3);
	assert_int_equal(zero, 1);
	assert_true(cost[0] == 0.02 && fabs(share[0] - 0.8) < 1e-15);
	assert_true(cost[1] == 0.05 && fabs(share[1] - 0.6) < 1e-15);
	assert_true(cost[2] == 0.3 && fabs(share[2] - 0.2) < 1e-15);
	double t[10];
	for (int i = 0; i < 10; i++)
		t[i] = i + 1;
	g = group(t, 10);
	assert_int_equal(ac_task_ccdf(&g, 4, cost, share, &zero), 4);
	assert_int_equal(zero, 0);
	static const double wc[] = { 1, 6, 9, 10 }, ws[] = { 1, 0.5, 0.2, 0.1 };
	for (int i = 0; i < 4; i++) {
		assert_true(cost[i] == wc[i]);
		assert_true(fabs(share[i] - ws[i]) < 1e-15);
	}
	/* all free: no point */
	double z[] = { 0 };
	g = group(z, 1);
	assert_int_equal(ac_task_ccdf(&g, 600, cost, share, &zero), 0);
	assert_int_equal(zero, 1);
}

/*
 * The fattest tail (deciles of 10 tasks are 1 task each): A = 1..10, tail
 * ratio 10 / 1 = 10; B = nine 2s and 40, ratio 40 / 2 = 20, top-10% share
 * 40 / (9 x 2 + 40) = 40 / 58; C = eight 1s and 100, only 9 tasks: left
 * out; D = a zero and nine 5s: bottom decile 0, no ratio; E = B again: a
 * tie, the first (B) stays. No group of 10 with a ratio: NULL.
 */
static void test_fattest(void **state)
{
	(void)state;
	double a[10], b[10], c[9], d[10];
	for (int i = 0; i < 10; i++) {
		a[i] = i + 1;
		b[i] = i < 9 ? 2 : 40;
		d[i] = i ? 5 : 0;
	}
	for (int i = 0; i < 9; i++)
		c[i] = i < 8 ? 1 : 100;
	ac_task_group v[5] = { group(a, 10), group(b, 10), group(c, 9), group(d, 10),
		               group(b, 10) };
	double calls[10] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 }; /* the distribution reads them */
	for (int i = 0; i < 5; i++)
		v[i].calls = calls;
	ac_task_costs tc = { .v = v, .n = 5 };
	ac_task_costs_find_fattest(&tc);
	assert_ptr_equal(tc.fattest, &v[1]);
	assert_true(fabs(tc.fattest_tail_ratio - 20) < 1e-12);
	assert_true(fabs(tc.fattest_top10_share - 40.0 / 58) < 1e-12);
	ac_task_costs nc = { .v = &v[2], .n = 2 };
	ac_task_costs_find_fattest(&nc);
	assert_null(nc.fattest);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bins),
		cmocka_unit_test(test_ccdf),
		cmocka_unit_test(test_fattest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
