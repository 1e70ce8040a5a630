/*
 * Unit tests of the --approx sketch: the bins (src/util/rbin.c), the SQL
 * function ac_rbin SQLite gets from the store, and the distribution read
 * from a sketch (src/analysis/sketch.c).
 *
 * Expected bins are worked out from IEEE-754 by hand: 1.0 is exponent 1023,
 * mantissa 0: (1023 << 7) = 130944; 1.5 sets the top mantissa bit: + 64 =
 * 131008; 2.0 is exponent 1024: 131072; 5.0 = 1.25 x 2^2: (1025 << 7) + 32
 * = 131232. 0.1 and 0.00123 are what ClickHouse 18.16 answered for
 *   SELECT bitShiftRight(reinterpretAsUInt64(reinterpretAsString(toFloat64(x))), 45)
 * (130508, 129697). Bin 130944 is [1, 1 + 2^-7), midpoint 1 + 2^-8.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "close.h"

#include "analysis/sketch.h"
#include "analysis/stats.h"
#include "store/store.h"
#include "util/rbin.h"

#define EPS (1.0 / 256) /* 2^-8 */

static void test_bins_by_hand(void **state)
{
	(void)state;
	assert_int_equal(AC_RBIN_BITS, 7);
	assert_true(AC_RBIN_REL_ERR == EPS);
	assert_int_equal(ac_rbin_of(1.0), 130944);
	assert_int_equal(ac_rbin_of(1.5), 131008);
	assert_int_equal(ac_rbin_of(2.0), 131072);
	assert_int_equal(ac_rbin_of(5.0), 131232);
	assert_int_equal(ac_rbin_of(0.1), 130508);
	assert_int_equal(ac_rbin_of(0.00123), 129697);
	/* the bin's edges: [1, 1 + 2^-7); 1 + 2^-7 opens the next */
	assert_int_equal(ac_rbin_of(1.0078125), 130945);
	assert_int_equal(ac_rbin_of(nextafter(1.0078125, 0)), 130944);
	assert_true(ac_rbin_lo(130944) == 1.0);
	assert_true(ac_rbin_hi(130944) == 1.0078125);
	assert_true(ac_rbin_mid(130944) == 1.00390625);
	/* not positive: bin 0 */
	assert_int_equal(ac_rbin_of(0.0), 0);
	assert_int_equal(ac_rbin_of(-0.0), 0);
	assert_int_equal(ac_rbin_of(-3.5), 0);
	assert_int_equal(ac_rbin_of(NAN), 0);
}

/* Every value lies in its bin, the bin is at most 2^-7 of it wide, the
 * midpoint within 2^-8 of it; bins are in value order. */
static void test_bin_bounds(void **state)
{
	(void)state;
	double prev = 0;
	int64_t prev_bin = 0;
	for (double x = 1e-12; x < 1e9; x *= 1.0007) {
		int64_t b = ac_rbin_of(x);
		assert_true(ac_rbin_lo(b) <= x);
		assert_true(x < ac_rbin_hi(b));
		assert_true(ac_rbin_hi(b) - ac_rbin_lo(b) <= x / 128);
		assert_true(fabs(ac_rbin_mid(b) - x) <= x * EPS);
		assert_true(b >= prev_bin);
		assert_true(prev < x);
		prev = x;
		prev_bin = b;
	}
}

/* SQLite's ac_rbin is ClickHouse's bits. */
static void test_sql_rbin(void **state)
{
	(void)state;
	ac_store *s;
	ac_err err = AC_ERR_INIT;
	assert_int_equal(ac_store_open(&s, ":memory:", AC_STORE_CREATE, &err), 0);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(ac_store_db(s),
	                                    "SELECT ac_rbin(0.1), ac_rbin(0.00123), ac_rbin(5), "
	                                    "ac_rbin(0), ac_rbin(-2.5), ac_rbin(NULL)",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int64(st, 0), 130508);
	assert_int_equal(sqlite3_column_int64(st, 1), 129697);
	assert_int_equal(sqlite3_column_int64(st, 2), 131232);
	assert_int_equal(sqlite3_column_int64(st, 3), 0);
	assert_int_equal(sqlite3_column_int64(st, 4), 0);
	assert_int_equal(sqlite3_column_int64(st, 5), 0);
	sqlite3_finalize(st);
	ac_store_close(s);
}

/* The costs {0, 1, 1, 1, 2, 5} (sum 10) and calls {1 x5, 3 x2, 10} as a
 * store sends them, one entry in two parts (merged groups), group rows in
 * two parts too. Ranks: 0 the least (0), 1..3 bin(1)'s midpoint
 * 1.00390625, 4 bin(2)'s 2.0078125, 5 the largest (5). */
static void hand_sketch(ac_sketch *sk)
{
	memset(sk, 0, sizeof(*sk));
	ac_sketch_clear(sk);
	assert_int_equal(ac_sketch_add(sk, AC_SKETCH_COST, 131232, 0, 1, 0, 0, 0), 0);
	assert_int_equal(ac_sketch_add(sk, AC_SKETCH_COST, 130944, 0, 2, 0, 0, 0), 0);
	assert_int_equal(ac_sketch_add(sk, AC_SKETCH_COST, 0, 0.0, 1, 0, 0, 0), 0);
	assert_int_equal(ac_sketch_add(sk, AC_SKETCH_COST, 131072, 0, 1, 0, 0, 0), 0);
	assert_int_equal(ac_sketch_add(sk, AC_SKETCH_COST, 130944, 0, 1, 0, 0, 0), 0);
	assert_int_equal(ac_sketch_add(sk, AC_SKETCH_CALLS, 0, 3, 2, 0, 0, 0), 0);
	assert_int_equal(ac_sketch_add(sk, AC_SKETCH_CALLS, 0, 1, 5, 0, 0, 0), 0);
	assert_int_equal(ac_sketch_add(sk, AC_SKETCH_CALLS, 0, 10, 1, 0, 0, 0), 0);
	/* the group in two parts: {1, 2, 5} then {0, 1, 1} */
	assert_int_equal(ac_sketch_add(sk, AC_SKETCH_GROUP, 0, 0, 3, 8, 1, 5), 0);
	assert_int_equal(ac_sketch_add(sk, AC_SKETCH_GROUP, 0, 0, 3, 2, 0, 1), 0);
	assert_int_equal(ac_sketch_finish(sk), 0);
}

static void test_order_statistics(void **state)
{
	(void)state;
	ac_sketch sk;
	hand_sketch(&sk);
	assert_int_equal(sk.n, 6);
	assert_int_equal(sk.ncost, 4); /* bin(1)'s two parts merged */
	assert_true(sk.sum == 10 && sk.min == 0 && sk.max == 5);
	const double want[6] = { 0, 1.00390625, 1.00390625, 1.00390625, 2.0078125, 5 };
	for (int r = 0; r < 6; r++)
		assert_close(ac_sketch_cost_at(&sk, r), want[r], 0, 0);
	/* type 7: h = 5p; p50: h 2.5, ranks 2 and 3; p90: h 4.5, ranks 4 and 5 */
	assert_close(ac_sketch_quantile(&sk, 0.5), 1.00390625, 0, 0);
	assert_close(ac_sketch_quantile(&sk, 0.9), 2.0078125 + 0.5 * (5 - 2.0078125), 0, 1e-15);
	assert_close(ac_sketch_quantile(&sk, 0.2), 1.00390625, 0, 0); /* h 1: rank 1 */
	assert_close(ac_sketch_quantile(&sk, 0.1), 0.5 * 1.00390625, 0, 1e-15); /* h 0.5 */
	assert_close(ac_sketch_quantile(&sk, 0), 0, 0, 0);
	assert_close(ac_sketch_quantile(&sk, 1), 5, 0, 0);
	/* calls: ranks 0..4 are 1, 5..6 are 3, 7 is 10 (n is the group's 6 here:
	 * the calls' ranks are read as far as the costs') */
	assert_close(ac_sketch_calls_quantile(&sk, 0.5), 1, 0, 0);
	assert_close(ac_sketch_calls_max(&sk), 10, 0, 0);
	/* k = max(1, floor(0.6)) = 1: the least and the largest, exact */
	assert_close(ac_sketch_bottom_mean(&sk, 0.1), 0, 0, 0);
	assert_close(ac_sketch_top_mean(&sk, 0.1), 5, 0, 0);
	assert_close(ac_sketch_top_share(&sk, 0.1), 0.5, 0, 1e-15);
	/* k = 3 (frac 0.5): ranks 3, 4, 5 */
	assert_close(ac_sketch_top_mean(&sk, 0.5), (1.00390625 + 2.0078125 + 5) / 3, 0, 1e-15);
	assert_close(ac_sketch_bottom_mean(&sk, 0.5), (0 + 2 * 1.00390625) / 3, 0, 1e-15);
	ac_sketch_release(&sk);
}

/* A bin's midpoint outside [least, largest] is clamped; a group of one is
 * exact; two values of one bin are the least and the largest, exact. */
static void test_clamp(void **state)
{
	(void)state;
	ac_sketch sk;
	memset(&sk, 0, sizeof(sk));
	ac_sketch_clear(&sk);
	ac_sketch_add(&sk, AC_SKETCH_COST, ac_rbin_of(1.001), 0, 3, 0, 0, 0);
	ac_sketch_add(&sk, AC_SKETCH_GROUP, 0, 0, 3, 3.002, 1.0, 1.001);
	assert_int_equal(ac_sketch_finish(&sk), 0);
	assert_close(ac_sketch_cost_at(&sk, 0), 1.0, 0, 0);
	assert_close(ac_sketch_cost_at(&sk, 1), 1.001, 0, 0); /* mid 1.0039 > max */
	assert_close(ac_sketch_cost_at(&sk, 2), 1.001, 0, 0);
	ac_sketch_clear(&sk);
	ac_sketch_add(&sk, AC_SKETCH_COST, ac_rbin_of(0.0123), 0, 1, 0, 0, 0);
	ac_sketch_add(&sk, AC_SKETCH_GROUP, 0, 0, 1, 0.0123, 0.0123, 0.0123);
	assert_int_equal(ac_sketch_finish(&sk), 0);
	assert_close(ac_sketch_quantile(&sk, 0.5), 0.0123, 0, 0);
	assert_close(ac_sketch_quantile(&sk, 0.99), 0.0123, 0, 0);
	ac_sketch_release(&sk);
}

/* Negative and zero costs are exact values, ordered before the bins. */
static void test_not_positive(void **state)
{
	(void)state;
	ac_sketch sk;
	memset(&sk, 0, sizeof(sk));
	ac_sketch_clear(&sk);
	ac_sketch_add(&sk, AC_SKETCH_COST, ac_rbin_of(4.0), 0, 1, 0, 0, 0);
	ac_sketch_add(&sk, AC_SKETCH_COST, 0, 0.0, 2, 0, 0, 0);
	ac_sketch_add(&sk, AC_SKETCH_COST, 0, -0.5, 1, 0, 0, 0);
	ac_sketch_add(&sk, AC_SKETCH_COST, ac_rbin_of(3.0), 0, 2, 0, 0, 0);
	ac_sketch_add(&sk, AC_SKETCH_GROUP, 0, 0, 6, 9.5, -0.5, 4.0);
	assert_int_equal(ac_sketch_finish(&sk), 0);
	/* ranks: -0.5, 0, 0, 3.0078125 (3 = 1.5 x 2: its bin [3, 3 + 2^-6), the
	 * midpoint 3 + 2^-7), the same, 4 */
	assert_close(ac_sketch_cost_at(&sk, 1), 0, 0, 0);
	assert_close(ac_sketch_cost_at(&sk, 2), 0, 0, 0);
	assert_close(ac_sketch_cost_at(&sk, 3), 3.0078125, 0, 0);
	assert_close(ac_sketch_quantile(&sk, 0.5), 0.5 * 3.0078125, 0, 1e-15); /* h 2.5 */
	ac_sketch_release(&sk);
}

static uint64_t rng = 88172645463325252ULL;
static double uniform(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return ((double)(rng >> 11) + 0.5) / 9007199254740992.0;
}

/* A heavy-tailed sample (Pareto, alpha 1.2, times a lognormal body): every
 * figure from its sketch within sketch.h's bound of the exact one (stats.h
 * over the sorted values). */
static void test_against_exact(void **state)
{
	(void)state;
	for (size_t n = 1; n <= 5000; n = n * 3 + 1) {
		double *x = malloc(n * sizeof(*x));
		ac_sketch sk;
		memset(&sk, 0, sizeof(sk));
		ac_sketch_clear(&sk);
		for (size_t i = 0; i < n; i++) {
			x[i] = 0.001 * pow(uniform(), -1 / 1.2) * exp(0.5 * (uniform() - 0.5));
			assert_int_equal(ac_sketch_add(&sk, AC_SKETCH_COST, ac_rbin_of(x[i]), 0, 1, 0, 0,
			                               0),
			                 0);
		}
		ac_sort_doubles(x, n);
		ac_sketch_add(&sk, AC_SKETCH_GROUP, 0, 0, (long long)n, ac_sum(x, n), x[0], x[n - 1]);
		assert_int_equal(ac_sketch_finish(&sk), 0);
		assert_true((size_t)sk.n == n);
		for (size_t r = 0; r < n; r++)
			assert_close(ac_sketch_cost_at(&sk, (long long)r), x[r], EPS, 0);
		const double ps[] = { 0, 0.01, 0.1, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1 };
		for (size_t i = 0; i < sizeof(ps) / sizeof(ps[0]); i++)
			assert_close(ac_sketch_quantile(&sk, ps[i]), ac_quantile(x, n, ps[i]), EPS, 0);
		assert_close(ac_sketch_bottom_mean(&sk, 0.1), ac_bottom_mean(x, n, 0.1), EPS, 0);
		assert_close(ac_sketch_top_mean(&sk, 0.1), ac_top_mean(x, n, 0.1), EPS, 0);
		assert_close(ac_sketch_top_share(&sk, 0.01), ac_top_share(x, n, 0.01), EPS, 0);
		assert_close(ac_sketch_top_share(&sk, 0.1), ac_top_share(x, n, 0.1), EPS, 0);
		double a, se, ea, ese;
		ac_sketch_hill(&sk, 0.1, &a, &se);
		ac_hill(x, n, 0.1, &ea, &ese);
		if (isnan(ea)) {
			assert_true(isnan(a));
		} else {
			double d = log((1 + EPS) / (1 - EPS)) * ea;
			assert_true(d < 1);
			assert_close(a, ea, d / (1 - d), 0);
			assert_close(se, ese, d / (1 - d), 0);
		}
		ac_sketch_release(&sk);
		free(x);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bins_by_hand),
		cmocka_unit_test(test_bin_bounds),
		cmocka_unit_test(test_sql_rbin),
		cmocka_unit_test(test_order_statistics),
		cmocka_unit_test(test_clamp),
		cmocka_unit_test(test_not_positive),
		cmocka_unit_test(test_against_exact),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
