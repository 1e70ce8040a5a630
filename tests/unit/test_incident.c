/*
 * Unit tests for src/analysis/incident.c: the incident report's timeline
 * against the days before, and the moment of the band's first alert, over a
 * small store whose figures are worked out by hand below.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/incident.h"
#include "store/store.h"
#include "util/timeutil.h"

#define DAY0 20241 /* 2025-06-02 */
#define NS(day, sec) (((int64_t)(day)) * AC_NS_PER_DAY + (int64_t)(sec) * AC_NS_PER_SEC)
#define NS_PER_MIN (60 * AC_NS_PER_SEC)

static void exec(ac_store *s, const char *sql)
{
	ac_err err = AC_ERR_INIT;
	if (ac_store_exec(s, sql, &err))
		print_error("%s\n", err.msg);
	assert_int_equal(err.code, 0);
}

/* One span without a task starting at start, costing cost. */
static void add_span(ac_store *s, int64_t id, int64_t start, double cost)
{
	char sql[512];
	snprintf(sql, sizeof(sql),
	         "INSERT INTO span (id, span_id, file, start_ns, end_ns, step, status, cost_usd, "
	         "cost_src) VALUES (%lld, x'%016llx', 1, %lld, %lld, 1, 0, %.17g, 1)",
	         (long long)(1 << 24 | id), (long long)id, (long long)start, (long long)start + 1000,
	         cost);
	exec(s, sql);
}

static ac_store *new_store(void)
{
	ac_store *s = NULL;
	ac_err err = AC_ERR_INIT;
	assert_int_equal(ac_store_open(&s, ":memory:", AC_STORE_CREATE, &err), 0);
	return s;
}

/*
 * Minutes 10, 11 and 12 of day DAY0 + 7 (the window), against the same
 * minutes on the 7 days before (DAY0 .. DAY0 + 6):
 *   minute 10: before 1, 2, ..., 7 (day DAY0 + j costs j + 1): mean 28 / 7 = 4,
 *              least 1, most 7; the window 10: above 7, a peak, excess 10 - 4 = 6
 *   minute 11: before 2 every day: mean 2, least 2, most 2; the window 1.5:
 *              excess 1.5 - 2 = -0.5, no peak
 *   minute 12: nothing before: 0, 0, 0; the window 8: a peak, excess 8
 * Peaks by excess: minute 12 (8), then minute 10 (6). Totals: spend
 * 10 + 1.5 + 8 = 19.5, base mean 4 + 2 + 0 = 6, excess 13.5, ratio 19.5 / 6
 * = 3.25.
 */
static void test_timeline(void **state)
{
	(void)state;
	ac_store *s = new_store();
	int64_t id = 1;
	for (int j = 0; j < 7; j++) {
		add_span(s, id++, NS(DAY0 + j, 600) + 5 * AC_NS_PER_SEC, j + 1);
		add_span(s, id++, NS(DAY0 + j, 660), 2);
	}
	add_span(s, id++, NS(DAY0 + 7, 600), 4);
	add_span(s, id++, NS(DAY0 + 7, 659), 6); /* minute 10: 4 + 6 = 10 */
	add_span(s, id++, NS(DAY0 + 7, 690), 1.5);
	add_span(s, id++, NS(DAY0 + 7, 720), 8);
	add_span(s, id++, NS(DAY0 + 7, 780), 100); /* minute 13: past the window */
	ac_incident_timeline t;
	ac_err err = AC_ERR_INIT;
	ac_query q = ac_query_window(NS(DAY0 + 7, 600), NS(DAY0 + 7, 780));
	assert_int_equal(ac_incident_timeline_run(s, &q, NS_PER_MIN, 7, &t, &err), 0);
	assert_int_equal(t.n, 3);
	static const double want[3][5] = {
		/* spend mean lo hi excess */
		{ 10, 4, 1, 7, 6 },
		{ 1.5, 2, 2, 2, -0.5 },
		{ 8, 0, 0, 0, 8 },
	};
	for (int i = 0; i < 3; i++) {
		assert_true(t.v[i].start_ns == NS(DAY0 + 7, 600 + 60 * i));
		assert_true(fabs(t.v[i].spend - want[i][0]) < 1e-12);
		assert_true(fabs(t.v[i].mean - want[i][1]) < 1e-12);
		assert_true(fabs(t.v[i].lo - want[i][2]) < 1e-12);
		assert_true(fabs(t.v[i].hi - want[i][3]) < 1e-12);
		assert_true(fabs(t.v[i].excess - want[i][4]) < 1e-12);
	}
	assert_int_equal(t.npeak, 2);
	assert_int_equal(t.peak[0].i, 2);
	assert_int_equal(t.peak[1].i, 0);
	assert_true(fabs(t.peak[1].mean - 4) < 1e-12);
	assert_true(fabs(t.spend - 19.5) < 1e-12);
	assert_true(fabs(t.base_mean - 6) < 1e-12);
	assert_true(fabs(t.excess - 13.5) < 1e-12);
	assert_true(fabs(t.ratio - 3.25) < 1e-12);
	ac_incident_timeline_free(&t);
	/* one system only is not there yet: refused, not ignored */
	q.system = "svc";
	assert_int_equal(ac_incident_timeline_run(s, &q, NS_PER_MIN, 7, &t, &err), AC_EINVAL);
	ac_incident_timeline_free(&t);
	ac_store_close(s);
}

/*
 * Three hours from DAY0 + 1 00:00; the band points are given: hour 0 alerts
 * but is before h0 (ignored), hour 1 does not, hour 2 alerts with UCL 5.
 * Hour 2's spans: 2 at 02:00:10, 2.5 at 02:20:00, 1 at 02:30:00: the running
 * spend 2, 4.5, 5.5 passes 5 with the third span, at 02:30:00.
 */
static void test_alert(void **state)
{
	(void)state;
	ac_store *s = new_store();
	add_span(s, 1, NS(DAY0 + 1, 7200 + 10), 2);
	add_span(s, 2, NS(DAY0 + 1, 7200 + 1200), 2.5);
	add_span(s, 3, NS(DAY0 + 1, 7200 + 1800), 1);
	add_span(s, 4, NS(DAY0 + 1, 7200 + 2400), 3);
	int64_t start = (int64_t)(DAY0 + 1) * 24;
	double x[3] = { 9, 1, 8.5 };
	ac_spc_point pt[3] = {
		{ 1, 1, 1, 3, 1, 0 },
		{ 1, 1, 1, 3, 0, 0 },
		{ 1, 2, 1, 5, 1, 0 },
	};
	ac_incident_alert a;
	ac_err err = AC_ERR_INIT;
	assert_int_equal(ac_incident_alert_run(s, start, 3, start + 1, INT64_MAX, x, pt, &a, &err), 0);
	assert_int_equal(a.have, 1);
	assert_true(a.hour == start + 2);
	assert_true(a.ucl == 5);
	assert_true(a.hour_cost == 8.5);
	assert_true(a.ns == NS(DAY0 + 1, 7200 + 1800));
	/* a window ending at 02:30:00 (exclusive): hour 2 passed its UCL only at
	 * 02:30:00, after it: no alert in the window; ending a nanosecond later,
	 * the alert is there */
	assert_int_equal(ac_incident_alert_run(s, start, 3, start + 1, NS(DAY0 + 1, 7200 + 1800), x,
	                                       pt, &a, &err), 0);
	assert_int_equal(a.have, 0);
	assert_int_equal(ac_incident_alert_run(s, start, 3, start + 1,
	                                       NS(DAY0 + 1, 7200 + 1800) + 1, x, pt, &a, &err), 0);
	assert_int_equal(a.have, 1);
	assert_true(a.ns == NS(DAY0 + 1, 7200 + 1800));
	/* no alert from h0 on */
	pt[2].alert = 0;
	assert_int_equal(ac_incident_alert_run(s, start, 3, start + 1, INT64_MAX, x, pt, &a, &err), 0);
	assert_int_equal(a.have, 0);
	ac_store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timeline),
		cmocka_unit_test(test_alert),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
