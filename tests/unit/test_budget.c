/*
 * Unit tests of the budget arithmetic (src/analysis/budget.c): the week
 * slots (Monday 00:00 UTC = 0), the forecast (budget.h: the past 4 weeks'
 * weekday x hour means scaled by spent / baseline; ratio 1 when the
 * baseline is 0; linear without history), the statuses at their boundaries
 * (in nano-dollars, so 0.1 + 0.7 is 80% of 1), and the budget file's rows.
 * Expected values are worked out by hand in the comments.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/budget.h"
#include "util/err.h"
#include "util/timeutil.h"

/* Debian 12's cmocka compares floats as float: compare doubles here. */
#define assert_close(a, b) assert_close_at((a), (b), #a, __FILE__, __LINE__)

static void assert_close_at(double a, double b, const char *what, const char *file, int line)
{
	if (fabs(a - b) <= 1e-9 * fmax(1, fabs(b)))
		return;
	print_error("%s = %.17g, expected %.17g\n", what, a, b);
	_fail(file, line);
}

static int64_t at(const char *iso)
{
	int64_t ns;
	assert_int_equal(ac_time_parse_iso(iso, strlen(iso), &ns), 0);
	return ns;
}

static void test_slots(void **state)
{
	(void)state;
	assert_int_equal(ac_budget_slot(at("2025-06-02T00:00:00Z")), 0);   /* a Monday */
	assert_int_equal(ac_budget_slot(at("2025-06-02T00:59:59Z")), 0);
	assert_int_equal(ac_budget_slot(at("2025-06-04T12:30:00Z")), 60);  /* Wed: 2 x 24 + 12 */
	assert_int_equal(ac_budget_slot(at("2025-06-08T23:59:59Z")), 167); /* Sunday 23h */
	assert_int_equal(ac_budget_slot(at("1970-01-01T00:00:00Z")), 72);  /* a Thursday */
	assert_int_equal(ac_budget_slot(at("1969-12-31T23:00:00Z")), 71);  /* Wednesday 23h */
}

static void test_forecast(void **state)
{
	(void)state;
	double hist[AC_BUDGET_SLOTS] = { 0 }, el[AC_BUDGET_SLOTS] = { 0 },
	       rest[AC_BUDGET_SLOTS] = { 0 };
	int64_t day = AC_NS_PER_DAY;
	/* no history: linear, 10 over 2 of 7 days -> 35; nothing elapsed -> spent */
	assert_close(ac_budget_forecast(hist, NULL, el, rest, 10, 2 * day, 7 * day), 35);
	assert_close(ac_budget_forecast(hist, NULL, el, rest, 0, 0, 7 * day), 0);
	/* history: slot 0 summed 8 over the 4 weeks (mean 2), slot 1 summed 4
	 * (mean 1); slot 0 elapsed 1 h, slot 1 elapsed 0.5 h and 0.5 h to come,
	 * slot 2 (mean 0) to come. baseline 2 + 0.5 = 2.5; spent 5: ratio 2;
	 * expected 0.5 x 1 = 0.5: forecast 5 + 2 x 0.5 = 6 */
	hist[0] = 8;
	hist[1] = 4;
	el[0] = 1;
	el[1] = 0.5;
	rest[1] = 0.5;
	rest[2] = 1;
	assert_close(ac_budget_forecast(hist, NULL, el, rest, 5, 1, 3), 6);
	/* nothing spent so far against a baseline: ratio 0, forecast 0 */
	assert_close(ac_budget_forecast(hist, NULL, el, rest, 0, 1, 3), 0);
	/* baseline 0 (only slot 2 elapsed): ratio 1; to come: slot 0 (2) and
	 * slot 1 (1): forecast 3 + 2 + 1 = 6 */
	memset(el, 0, sizeof(el));
	memset(rest, 0, sizeof(rest));
	el[2] = 1;
	rest[0] = 1;
	rest[1] = 1;
	assert_close(ac_budget_forecast(hist, NULL, el, rest, 3, 1, 3), 6);
	/* the store holds 2 of the 4 weeks of slot 0 and 1, all of slot 2: slot
	 * 0's mean 8 / 2 = 4, slot 1's 4 / 2 = 2: forecast 3 + 4 + 2 = 9 */
	double weeks[AC_BUDGET_SLOTS];
	for (int k = 0; k < AC_BUDGET_SLOTS; k++)
		weeks[k] = 4;
	weeks[0] = weeks[1] = 2;
	assert_close(ac_budget_forecast(hist, weeks, el, rest, 3, 1, 3), 9);
	/* slot 1 (to come) in no week the store holds: its shape is not known,
	 * the period is extrapolated linearly: 3 x 3 / 1 = 9 ... with 2 of 3
	 * elapsed: 3 x 3 / 2 = 4.5 */
	weeks[1] = 0;
	assert_close(ac_budget_forecast(hist, weeks, el, rest, 3, 2, 3), 4.5);
	/* a slot outside the period (rest and elapsed 0) without a week changes
	 * nothing: slot 5 */
	weeks[1] = 2;
	weeks[5] = 0;
	assert_close(ac_budget_forecast(hist, weeks, el, rest, 3, 1, 3), 9);
}

static void test_judge(void **state)
{
	(void)state;
	assert_int_equal(ac_budget_judge(4, 5, 4), AC_BUDGET_WARN);     /* 80% exactly */
	assert_int_equal(ac_budget_judge(3.99, 5, 4), AC_BUDGET_OK);
	assert_int_equal(ac_budget_judge(5, 5, 5), AC_BUDGET_WARN);     /* not over */
	assert_int_equal(ac_budget_judge(5.000001, 5, 6), AC_BUDGET_OVER);
	assert_int_equal(ac_budget_judge(1, 5, 5), AC_BUDGET_OK);       /* forecast = limit */
	assert_int_equal(ac_budget_judge(1, 5, 5.01), AC_BUDGET_WARN);  /* forecast above */
	/* 0.1 + 0.7 is 0.7999999999999999 in doubles: still 80% of 1 */
	double spent = 0.1;
	spent += 0.7;
	assert_true(spent < 0.8);
	assert_int_equal(ac_budget_judge(spent, 1, spent), AC_BUDGET_WARN);
}

static int warned;
static char last_warning[512];

static void warn(const ac_err *e, void *payload)
{
	(void)payload;
	warned++;
	snprintf(last_warning, sizeof(last_warning), "%s", e->msg);
}

static void test_parse(void **state)
{
	(void)state;
	ac_budget_list l;
	ac_err err = AC_ERR_INIT;
	const char *ok = "scope,value,period,limit_usd\nuser,alice,day,5\nattr:team,*,week,1e3\n"
	                 "all,,month,100\nall,*,month,.5\n";
	warned = 0;
	assert_int_equal(ac_budget_parse(&l, ok, strlen(ok), "b.csv", warn, NULL, &err), 0);
	assert_int_equal(warned, 0);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.b[0].value, "alice");
	assert_int_equal(l.b[0].dim.kind, AC_DIM_USER);
	assert_int_equal(l.b[0].period, AC_BUDGET_DAY);
	assert_null(l.b[1].value); /* * */
	assert_int_equal(l.b[1].dim.kind, AC_DIM_ATTR);
	assert_string_equal(l.b[1].dim.attr, "team");
	assert_close(l.b[1].limit_usd, 1000);
	assert_true(l.b[2].all && !l.b[2].value && l.b[3].all);
	assert_close(l.b[3].limit_usd, 0.5);
	assert_int_equal(l.b[3].line, 5);
	ac_budget_list_release(&l);

	const char *bad = "scope,value,period,limit_usd\nuser,alice,day,5\nuser,bob,day,nan\n"
	                  "user,bob,day,inf\nuser,bob,day,0x10\n";
	warned = 0;
	assert_int_equal(ac_budget_parse(&l, bad, strlen(bad), "b.csv", warn, NULL, &err),
	                 AC_EPARSE);
	assert_int_equal(warned, 3);
	assert_string_equal(last_warning, "b.csv:5: limit_usd \"0x10\" is not a positive amount "
	                                  "in USD (like 250 or 12.5)");
	assert_string_equal(err.msg, "b.csv: 3 bad budget rows: nothing checked");
	ac_budget_list_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slots),
		cmocka_unit_test(test_forecast),
		cmocka_unit_test(test_judge),
		cmocka_unit_test(test_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
