/*
 * Unit tests of src/analysis/accuracy.h: normal and Student t quantiles
 * against published table values, the Wilson score interval against values
 * computed independently (python3, by the formula, z from the standard
 * library's statistics.NormalDist), the t interval, the choice between them,
 * and ISO 8601 week parsing with its calendar edge cases.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "close.h"

#include "analysis/accuracy.h"
#include "analysis/stats.h"
#include "util/timeutil.h"

/* Normal and t quantiles ------------------------------------------------- */

static void test_normal_quantile(void **state)
{
	(void)state;
	/* statistics.NormalDist().inv_cdf(p) in python3 */
	assert_close(ac_normal_quantile(0.975), 1.959963984540054, 0, 1e-12);
	assert_close(ac_normal_quantile(0.5), 0, 0, 1e-15);
	assert_close(ac_normal_quantile(0.95), 1.6448536269514715, 0, 1e-12);
	assert_close(ac_normal_quantile(0.025), -1.959963984540054, 0, 1e-12);
	assert_close(ac_normal_quantile(0.001), -3.090232306167813, 0, 1e-11); /* lower tail branch */
	assert_close(ac_normal_quantile(0.999), 3.090232306167813, 0, 1e-11);  /* upper tail branch */
	assert_true(isnan(ac_normal_quantile(0)));
	assert_true(isnan(ac_normal_quantile(1)));
}

static void test_t_quantile_table(void **state)
{
	(void)state;
	/* Student t critical values, two-sided 95% (p = 0.975), one-sided 95%
	 * (p = 0.95) and two-sided 99% (p = 0.995), as printed in standard
	 * tables (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2), to 3 decimals */
	static const struct { double df, p975, p95, p995; } tab[] = {
		{ 1, 12.706, 6.314, 63.657 }, { 2, 4.303, 2.920, 9.925 },
		{ 3, 3.182, 2.353, 5.841 },   { 4, 2.776, 2.132, 4.604 },
		{ 5, 2.571, 2.015, 4.032 },   { 10, 2.228, 1.812, 3.169 },
		{ 20, 2.086, 1.725, 2.845 },  { 30, 2.042, 1.697, 2.750 },
		{ 60, 2.000, 1.671, 2.660 },  { 100, 1.984, 1.660, 2.626 },
	};
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		assert_close(ac_t_quantile(0.975, tab[i].df), tab[i].p975, 0, 0.0005);
		assert_close(ac_t_quantile(0.95, tab[i].df), tab[i].p95, 0, 0.0005);
		assert_close(ac_t_quantile(0.995, tab[i].df), tab[i].p995, 0, 0.0005);
		/* symmetry */
		assert_close(ac_t_quantile(0.025, tab[i].df), -tab[i].p975, 0, 0.0005);
	}
	/* closed forms: df = 1 is Cauchy, t = tan(pi (p - 1/2)); df = 2 has
	 * t = (2p - 1) / sqrt(2 p (1 - p)) */
	assert_close(ac_t_quantile(0.975, 1), tan(M_PI * 0.475), 1e-10, 0);
	assert_close(ac_t_quantile(0.9, 1), tan(M_PI * 0.4), 1e-10, 0);
	assert_close(ac_t_quantile(0.975, 2), 0.95 / sqrt(2 * 0.975 * 0.025), 1e-10, 0);
	assert_close(ac_t_quantile(0.8, 2), 0.6 / sqrt(2 * 0.8 * 0.2), 1e-10, 0);
	/* large df tends to the normal */
	assert_close(ac_t_quantile(0.975, 1e6), 1.959963984540054, 1e-5, 0);
	assert_close(ac_t_quantile(0.5, 7), 0, 0, 1e-15);
	assert_true(isnan(ac_t_quantile(0.975, 0)));
	assert_true(isnan(ac_t_quantile(1, 5)));
}

static void test_t_cdf(void **state)
{
	(void)state;
	/* the CDF inverts the quantile; df = 1: F(1) = 3/4 (Cauchy) */
	assert_close(ac_t_cdf(1, 1), 0.75, 0, 1e-12);
	assert_close(ac_t_cdf(0, 4), 0.5, 0, 1e-15);
	assert_close(ac_t_cdf(2.776445105, 4), 0.975, 0, 1e-9);
	assert_close(ac_t_cdf(-2.776445105, 4), 0.025, 0, 1e-9);
	/* df = 2: F(t) = 1/2 + t / (2 sqrt(2 + t^2)) */
	assert_close(ac_t_cdf(1.5, 2), 0.5 + 1.5 / (2 * sqrt(2 + 2.25)), 0, 1e-12);
}

/* Intervals -------------------------------------------------------------- */

static void test_wilson(void **state)
{
	(void)state;
	/* python3: z = NormalDist().inv_cdf(0.975); p = k/n; d = 1 + z*z/n;
	 * c = (p + z*z/(2*n))/d; h = z*sqrt(p*(1-p)/n + z*z/(4*n*n))/d; (c-h, c+h) */
	static const struct { double k, n, lo, hi; } cases[] = {
		{ 4, 5, 0.3755346297625255, 0.9637758913675698 },
		{ 1, 2, 0.09453120573423074, 0.9054687942657693 },
		{ 5, 8, 0.3057423946026274, 0.8631557141764026 },
		{ 45, 50, 0.7863976856252035, 0.9565242350681096 },
		{ 0, 3, 0.0, 0.5614970317550454 },
		{ 3, 3, 0.4385029682449546, 1.0 },
		{ 0, 1, 0.0, 0.7934506856227626 },
		{ 1, 1, 0.20654931437723745, 1.0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double lo, hi;
		ac_wilson(&lo, &hi, cases[i].k, cases[i].n, 0.95);
		assert_close(lo, cases[i].lo, 0, 1e-12);
		assert_close(hi, cases[i].hi, 0, 1e-12);
	}
	double lo, hi;
	ac_wilson(&lo, &hi, 0, 0, 0.95);
	assert_true(isnan(lo) && isnan(hi));
	ac_wilson(&lo, &hi, 3, 2, 0.95);
	assert_true(isnan(lo) && isnan(hi));
}

static void test_t_interval(void **state)
{
	(void)state;
	/* 0.6 0.8 0.7 0.7: mean 0.7, s = sqrt(0.02/3), half = t(0.975,3) s / 2 with
	 * t = 3.182446305284263 (table 3.182): [0.5700771736374661, 0.8299228263625338] */
	static const double a[] = { 0.6, 0.8, 0.7, 0.7 };
	double m, lo, hi;
	ac_t_interval(&m, &lo, &hi, a, 4, 0.95);
	assert_close(m, 0.7, 0, 1e-15);
	assert_close(lo, 0.5700771736374661, 0, 1e-9);
	assert_close(hi, 0.8299228263625338, 0, 1e-9);
	/* 0.5 0.9 0.75: mean 0.7166667, s = 0.2020726, t(0.975,2) = 4.302652729911275,
	 * half = 4.3026527 x 0.2020726 / sqrt(3) = 0.5019762: [0.2146905, 1.2186428]
	 * (not clamped here) */
	static const double b[] = { 0.5, 0.9, 0.75 };
	ac_t_interval(&m, &lo, &hi, b, 3, 0.95);
	assert_close(m, 0.7166666666666667, 0, 1e-15);
	assert_close(lo, 0.21469051484368462, 0, 1e-9);
	assert_close(hi, 1.2186428184896487, 0, 1e-9);
	/* one value: a mean, no interval */
	ac_t_interval(&m, &lo, &hi, b, 1, 0.95);
	assert_close(m, 0.5, 0, 0);
	assert_true(isnan(lo) && isnan(hi));
	ac_t_interval(&m, &lo, &hi, b, 0, 0.95);
	assert_true(isnan(m) && isnan(lo) && isnan(hi));
}

static void test_accuracy_of(void **state)
{
	(void)state;
	ac_accuracy acc;
	/* 0/1 scores: Wilson, k = 4 of 5 */
	static const double bin[] = { 1, 1, 0, 1, 1 };
	ac_accuracy_of(&acc, bin, 5, 0.95);
	assert_int_equal(acc.binary, 1);
	assert_int_equal(acc.n, 5);
	assert_close(acc.mean, 0.8, 0, 1e-15);
	assert_close(acc.lo, 0.3755346297625255, 0, 1e-12);
	assert_close(acc.hi, 0.9637758913675698, 0, 1e-12);
	/* fractional: t, clamped to [0, 1]: 0.5 0.9 0.75 -> hi 1.2186 -> 1 */
	static const double frac[] = { 0.5, 0.9, 0.75 };
	ac_accuracy_of(&acc, frac, 3, 0.95);
	assert_int_equal(acc.binary, 0);
	assert_close(acc.lo, 0.21469051484368462, 0, 1e-9);
	assert_close(acc.hi, 1, 0, 0);
	/* 0.6 0.8: t(0.975, 1) = 12.706, half 1.2706 -> [0, 1] */
	static const double two[] = { 0.6, 0.8 };
	ac_accuracy_of(&acc, two, 2, 0.95);
	assert_close(acc.mean, 0.7, 0, 1e-15);
	assert_close(acc.lo, 0, 0, 0);
	assert_close(acc.hi, 1, 0, 0);
	/* a single 0/1 score still has a Wilson interval; a single fraction has none */
	static const double one[] = { 1 }, half[] = { 0.5 };
	ac_accuracy_of(&acc, one, 1, 0.95);
	assert_close(acc.lo, 0.20654931437723745, 0, 1e-12);
	ac_accuracy_of(&acc, half, 1, 0.95);
	assert_close(acc.mean, 0.5, 0, 0);
	assert_true(isnan(acc.lo) && isnan(acc.hi));
	/* no scores */
	ac_accuracy_of(&acc, NULL, 0, 0.95);
	assert_int_equal(acc.n, 0);
	assert_true(isnan(acc.mean) && isnan(acc.lo) && isnan(acc.hi));
}

/* ISO weeks -------------------------------------------------------------- */

static int64_t day_ns(int y, unsigned m, unsigned d)
{
	return ac_days_from_civil(y, m, d) * AC_NS_PER_DAY;
}

static void test_iso_week(void **state)
{
	(void)state;
	/* Monday of the week, from a calendar: week 1 holds 4 January */
	static const struct { const char *w; int y; unsigned m, d; } cases[] = {
		{ "2025-W23", 2025, 6, 2 },   /* 1 Jan 2025 is a Wednesday: W01 = 2024-12-30 */
		{ "2025-W01", 2024, 12, 30 },
		{ "2025-W52", 2025, 12, 22 },
		{ "2026-W01", 2025, 12, 29 },
		{ "2020-W53", 2020, 12, 28 }, /* 2020: leap year starting Wednesday, 53 weeks */
		{ "2021-W01", 2021, 1, 4 },   /* 1 Jan 2021 is a Friday: belongs to 2020-W53 */
		{ "2015-W53", 2015, 12, 28 }, /* 2015 starts on a Thursday: 53 weeks */
		{ "2009-W01", 2008, 12, 29 },
		{ "2010-W01", 2010, 1, 4 },
		{ "2024-W09", 2024, 2, 26 },  /* the week of 29 February */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t a = 0, b = 0;
		assert_int_equal(ac_iso_week_parse(cases[i].w, &a, &b), 0);
		int64_t want = day_ns(cases[i].y, cases[i].m, cases[i].d);
		if (a != want) {
			print_error("%s: start %lld, expected %lld\n", cases[i].w, (long long)a,
			            (long long)want);
			fail();
		}
		assert_true(b == want + 7 * AC_NS_PER_DAY);
	}
	/* boundaries of 2025-W23: Sunday 23:59:59 in, next Monday 00:00 out */
	int64_t a, b;
	assert_int_equal(ac_iso_week_parse("2025-W23", &a, &b), 0);
	int64_t sun = day_ns(2025, 6, 8) + (23 * 3600 + 59 * 60 + 59) * AC_NS_PER_SEC;
	assert_true(sun >= a && sun < b);
	assert_true(day_ns(2025, 6, 9) == b);
	assert_true(!(day_ns(2025, 6, 9) < b));
	/* not weeks */
	static const char *const bad[] = { "2025-W00", "2025-W53", "2021-W53", "2025-W54",
		                           "2025-W5",  "2025W23",  "2025-23",  "2025-w23",
		                           "2025-W23x", "",        "25-W23",   "2025-WAB" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (ac_iso_week_parse(bad[i], &a, &b) != -1) {
			print_error("'%s' accepted\n", bad[i]);
			fail();
		}
	}
	assert_int_equal(ac_iso_week_parse(NULL, &a, &b), -1);
}

/* The sums form (what the rollup keeps) against hand values and against the
 * array form on the same scores. */
static void test_accuracy_of_sums(void **state)
{
	(void)state;
	ac_accuracy a, b;
	/* 4 of 5 ones: Wilson as above */
	ac_score_sums s = { 5, 0, 4, 4 };
	ac_accuracy_of_sums(&a, &s, 0.95);
	assert_int_equal(a.binary, 1);
	assert_close(a.mean, 0.8, 0, 1e-15);
	assert_close(a.lo, 0.3755346297625255, 0, 1e-12);
	assert_close(a.hi, 0.9637758913675698, 0, 1e-12);
	/* 0.5 0.9 0.75: sum 2.15, squares 0.25 + 0.81 + 0.5625 = 1.6225 */
	s = (ac_score_sums){ 3, 3, 2.15, 1.6225 };
	ac_accuracy_of_sums(&a, &s, 0.95);
	assert_int_equal(a.binary, 0);
	assert_close(a.lo, 0.21469051484368462, 0, 1e-9);
	assert_close(a.hi, 1, 0, 0);
	/* a single fraction: mean, no interval; nothing: all NAN */
	s = (ac_score_sums){ 1, 1, 0.5, 0.25 };
	ac_accuracy_of_sums(&a, &s, 0.95);
	assert_close(a.mean, 0.5, 0, 0);
	assert_true(isnan(a.lo) && isnan(a.hi));
	s = (ac_score_sums){ 0, 0, 0, 0 };
	ac_accuracy_of_sums(&a, &s, 0.95);
	assert_true(isnan(a.mean));
	/* 1000 pseudo-random fractions: the two forms agree */
	double x[1000];
	uint64_t r = 88172645463325252ULL;
	s = (ac_score_sums){ 0, 0, 0, 0 };
	for (int i = 0; i < 1000; i++) {
		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		x[i] = (double)(r >> 11) / 9007199254740992.0;
		s.n++;
		s.partial += x[i] != 0 && x[i] != 1;
		s.sum += x[i];
		s.sq += x[i] * x[i];
	}
	ac_accuracy_of(&a, x, 1000, 0.95);
	ac_accuracy_of_sums(&b, &s, 0.95);
	assert_close(b.mean, a.mean, 0, 1e-12);
	assert_close(b.lo, a.lo, 0, 1e-10);
	assert_close(b.hi, a.hi, 0, 1e-10);
}

/* Quantiles by selection equal quantiles of the sorted array, for every
 * size up to 200, ties and all, at the probabilities the analyses use. */
static void test_quantile_select(void **state)
{
	(void)state;
	static const double p[] = { 0, 0.1, 0.5, 0.9, 0.99, 0.999, 1 };
	double a[200], b[200];
	uint64_t r = 1;
	for (size_t n = 1; n <= 200; n++) {
		for (size_t k = 0; k < sizeof(p) / sizeof(p[0]); k++) {
			for (size_t i = 0; i < n; i++) {
				r = r * 6364136223846793005ULL + 1442695040888963407ULL;
				a[i] = (double)((r >> 33) % (n % 3 ? 1000 : 7)); /* ties often */
				b[i] = a[i];
			}
			ac_sort_doubles(a, n);
			assert_close(ac_quantile_select(b, n, p[k]), ac_quantile(a, n, p[k]), 0, 0);
			/* from the two order statistics a server gives (rank floor(h), the
			 * next one or any number past the end) */
			size_t lo = (size_t)floor(p[k] * (double)(n - 1));
			double next = lo + 1 < n ? a[lo + 1] : -12345;
			assert_close(ac_quantile_of(a[lo], next, n, p[k]), ac_quantile(a, n, p[k]), 0, 0);
		}
	}
	assert_true(isnan(ac_quantile_of(0, 0, 0, 0.5)));
	/* by hand: 1..10, median 5.5, p90 = 9.1 (type 7: h = 8.1) */
	double t[10] = { 10, 3, 7, 1, 9, 2, 8, 6, 4, 5 };
	assert_close(ac_quantile_select(t, 10, 0.5), 5.5, 0, 0);
	assert_close(ac_quantile_select(t, 10, 0.9), 9.1, 0, 1e-12);
	/* by hand from neighbours: n = 10, p90: h = 8.1, 9 + 0.1 x (10 - 9) */
	assert_close(ac_quantile_of(9, 10, 10, 0.9), 9.1, 0, 1e-12);
	assert_close(ac_quantile_of(7, 99, 1, 0.99), 7, 0, 0); /* one value: itself */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normal_quantile), cmocka_unit_test(test_t_quantile_table),
		cmocka_unit_test(test_t_cdf),           cmocka_unit_test(test_wilson),
		cmocka_unit_test(test_t_interval),      cmocka_unit_test(test_accuracy_of),
		cmocka_unit_test(test_iso_week),        cmocka_unit_test(test_accuracy_of_sums),
		cmocka_unit_test(test_quantile_select),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
