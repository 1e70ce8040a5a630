/*
 * Unit tests for the previous window of a query (query.h) and the window
 * check of src/analysis/compare.c, worked out by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "analysis/compare.h"

/* [100, 170) is 70 long: the one before is [30, 100), system kept. */
static void test_previous(void **state)
{
	(void)state;
	ac_query q = ac_query_window(100, 170);
	q.system = "svc";
	ac_query p = ac_query_previous(&q);
	assert_int_equal(p.since_ns, 30);
	assert_int_equal(p.until_ns, 100);
	assert_string_equal(p.system, "svc");
}

/* Open, empty or too wide windows are refused before the store is read
 * (so a NULL store is never touched). */
static void test_open_window(void **state)
{
	(void)state;
	ac_err err = AC_ERR_INIT;
	ac_headline h;
	ac_query open = AC_QUERY_INIT;
	assert_int_equal(ac_headline_run(NULL, &open, &h, &err), AC_EINVAL);
	ac_headline_free(&h);
	ac_query empty = ac_query_window(5, 5);
	ac_hidden_compare c;
	assert_int_equal(ac_hidden_compare_run(NULL, &empty, &c, &err), AC_EINVAL);
	/* [-2^62 - 1, 2^62): the window before would start below INT64_MIN */
	ac_query wide = ac_query_window(-((int64_t)1 << 62) - 1, (int64_t)1 << 62);
	assert_int_equal(ac_hidden_compare_run(NULL, &wide, &c, &err), AC_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_previous),
		cmocka_unit_test(test_open_window),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
