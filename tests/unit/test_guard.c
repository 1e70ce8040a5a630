/*
 * Unit tests of src/analysis/guard.c (`agentcost outliers`, the reports'
 * outlier and runaway sections) over a fresh :memory: store whose task rows
 * are written by hand: the type medians and p99.9 (type 7), the outlier
 * threshold with its 1e-12 tolerance, the excess and the savings share, the
 * runaway rules, the eval and window filters, the reference window, and the
 * list orders. Expected values are worked out by hand in the comments.
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

#include "analysis/guard.h"
#include "store/store.h"

static int64_t dict(ac_store *s, int d, const char *name)
{
	int64_t id = 0;
	ac_err err = AC_ERR_INIT;
	assert_int_equal(ac_store_dict(s, d, name, strlen(name), &id, &err), 0);
	return id;
}

/* One task row: its text key (task_id), type, start, cost, calls, longest
 * repeat, eval flag and what dominated it (0: none). */
static void task(ac_store *s, int64_t id, const char *key, int64_t type, int64_t start,
                 double cost, long long calls, long long repeat, int eval, int64_t model)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(ac_store_db(s),
	                                    "INSERT INTO task(id, tkey, system, task_type, start_ns,"
	                                    " end_ns, spans, llm_calls, tool_calls, tokens_in,"
	                                    " tokens_out, cost_usd, unpriced_calls, eval,"
	                                    " tool_failures, retry_episodes, retry_attempts,"
	                                    " max_repeat, top_model) VALUES (?1, ?2, 1, ?3, ?4,"
	                                    " ?4 + 1, 1, ?5, 0, 0, 0, ?6, 0, ?7, 0, 0, 0, ?8, ?9)",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, type);
	sqlite3_bind_int64(st, 4, start);
	sqlite3_bind_int64(st, 5, calls);
	sqlite3_bind_double(st, 6, cost);
	sqlite3_bind_int(st, 7, eval);
	sqlite3_bind_int64(st, 8, repeat);
	if (model)
		sqlite3_bind_int64(st, 9, model);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

/*
 * The judged window is [0, 1000); the reference window [1000, 3000).
 *   qa:   t1..t5 cost 1, 2, 3, 4, 20; calls 1, 1, 1, 1, 50; t4 repeats 6.
 *   code: c1, c2 cost 2, 2; calls 3, 3.
 *   edge: e1, e2, e3 cost 1, 1, 3 + 1e-13; calls 1.
 *   left out: an eval task of type qa (cost 100), a qa task at 5000 (1000).
 *   reference: r1..r3 of type qa at 1000..1002, cost 10, calls 1.
 */
static ac_store *fixture(int64_t ids[4])
{
	ac_store *s = NULL;
	ac_err err = AC_ERR_INIT;
	assert_int_equal(ac_store_open(&s, ":memory:", AC_STORE_CREATE, &err), 0);
	dict(s, AC_DICT_SERVICE, "app");
	int64_t qa = dict(s, AC_DICT_LABEL, "qa"), code = dict(s, AC_DICT_LABEL, "code");
	int64_t edge = dict(s, AC_DICT_LABEL, "edge"), m = dict(s, AC_DICT_MODEL, "gpt-4o");
	const double qa_cost[] = { 1, 2, 3, 4, 20 };
	const long long qa_calls[] = { 1, 1, 1, 1, 50 };
	const char *const qa_key[] = { "t1", "t2", "t3", "t4", "t5" };
	for (int i = 0; i < 5; i++)
		task(s, 10 + i, qa_key[i], qa, i, qa_cost[i], qa_calls[i], i == 3 ? 6 : 1, 0,
		     i == 4 ? m : 0);
	task(s, 20, "c1", code, 10, 2, 3, 1, 0, 0);
	task(s, 21, "c2", code, 11, 2, 3, 1, 0, 0);
	task(s, 30, "e1", edge, 20, 1, 1, 1, 0, 0);
	task(s, 31, "e2", edge, 21, 1, 1, 1, 0, 0);
	task(s, 32, "e3", edge, 22, 3 + 1e-13, 1, 1, 0, 0);
	task(s, 40, "ev", qa, 30, 100, 99, 9, 1, 0);
	task(s, 41, "late", qa, 5000, 1000, 99, 9, 0, 0);
	for (int i = 0; i < 3; i++) {
		char key[8];
		snprintf(key, sizeof(key), "r%d", i + 1);
		task(s, 50 + i, key, qa, 1000 + i, 10, 1, 1, 0, 0);
	}
	ids[0] = qa;
	ids[1] = code;
	ids[2] = edge;
	ids[3] = m;
	return s;
}

/*
 * Judged against themselves. qa: median of {1, 2, 3, 4, 20} is 3, threshold
 * 3 x 3 = 9: t5 (20) is the one outlier, excess 20 - 9 = 11. p99.9 of the
 * calls {1, 1, 1, 1, 50}: h = (5 - 1) x 0.999 = 3.996, 1 + 0.996 x 49 =
 * 49.804; t5's 50 calls exceed it. t4's repeat 6 > 5.
 * code: median 2, threshold 6, p99.9 of {3, 3} = 3: nothing.
 * edge: median 1, threshold 3; e3 = 3 + 1e-13 is within 1e-12 x 3 of it: not
 * an outlier.
 * Judged: 5 + 2 + 3 = 10 tasks, spend 30 + 4 + (5 + 1e-13) = 39 + 1e-13;
 * savings 11, 100 x 11 / 39 = 28.205128205128...%.
 */
static void test_own_window(void **state)
{
	(void)state;
	int64_t ids[4];
	ac_store *s = fixture(ids);
	ac_guard g;
	ac_err err = AC_ERR_INIT;
	assert_int_equal(ac_guard_run(&g, s, NULL, 0, 1000, 0, 1000, &err), 0);
	assert_int_equal(g.judged, 10);
	assert_close(g.spend, 39, 1e-12, 0);
	assert_int_equal(g.outliers, 1);
	assert_int_equal(g.runaways, 2);
	assert_close(g.savings, 11, 1e-12, 0);
	assert_close(g.savings_pct, 1100.0 / 39, 1e-12, 0);
	assert_int_equal(g.own_reference, 0);
	assert_int_equal(g.n, 2); /* t5 (outlier and runaway), t4 */
	assert_int_equal(g.nout, 1);
	const ac_gtask *o = g.out[0];
	assert_string_equal(o->task_id, "t5");
	assert_string_equal(o->task_type, "qa");
	assert_string_equal(o->system, "app");
	assert_string_equal(o->top_model, "gpt-4o");
	assert_null(o->top_purpose);
	assert_close(o->median, 3, 0, 0);
	assert_close(o->threshold, 9, 0, 0);
	assert_close(o->excess, 11, 0, 0);
	assert_close(o->calls_p999, 49.804, 1e-12, 0);
	assert_true(o->outlier && o->by_calls && !o->by_repeat);
	/* runaways by type, then task_id: t4 before t5 */
	assert_int_equal(g.nrun, 2);
	assert_string_equal(g.run[0]->task_id, "t4");
	assert_true(g.run[0]->by_repeat && !g.run[0]->by_calls && !g.run[0]->outlier);
	assert_int_equal(g.run[0]->max_repeat, 6);
	assert_string_equal(g.run[1]->task_id, "t5");
	ac_guard_release(&g);

	/* factor 2: qa threshold 6 (t5, excess 14); code 4; edge 2: e3 (3 + 1e-13)
	 * now one, excess 1 + 1e-13. Only outliers listed; runaways still counted. */
	ac_guard_opts o2 = AC_GUARD_OPTS_INIT;
	o2.factor = 2;
	o2.list = AC_GUARD_LIST_OUTLIERS;
	assert_int_equal(ac_guard_run(&g, s, &o2, 0, 1000, 0, 1000, &err), 0);
	assert_int_equal(g.outliers, 2);
	assert_int_equal(g.runaways, 2);
	assert_int_equal(g.nrun, 0);
	assert_int_equal(g.nout, 2);
	assert_string_equal(g.out[0]->task_id, "t5"); /* cost descending */
	assert_close(g.out[0]->excess, 14, 0, 0);
	assert_string_equal(g.out[1]->task_id, "e3");
	assert_close(g.out[1]->excess, 1, 1e-12, 0);
	assert_close(g.savings, 15, 1e-12, 0);
	ac_guard_release(&g);
	ac_store_close(s);
}

/*
 * Against the reference window [1000, 3000): qa's median there is 10
 * (threshold 30) and its calls' p99.9 1, so t5 (20) is no outlier but still a
 * runaway (50 > 1), t4 too (repeat 6). code and edge have no reference tasks:
 * judged against themselves (own_reference 2), as above: nothing.
 */
static void test_reference(void **state)
{
	(void)state;
	int64_t ids[4];
	ac_store *s = fixture(ids);
	ac_guard g;
	ac_err err = AC_ERR_INIT;
	assert_int_equal(ac_guard_run(&g, s, NULL, 0, 1000, 1000, 3000, &err), 0);
	assert_int_equal(g.judged, 10);
	assert_int_equal(g.outliers, 0);
	assert_close(g.savings, 0, 0, 0);
	assert_close(g.savings_pct, 0, 0, 0);
	assert_int_equal(g.runaways, 2);
	assert_int_equal(g.own_reference, 2);
	assert_int_equal(g.nrun, 2);
	assert_close(g.run[1]->median, 10, 0, 0);
	assert_close(g.run[1]->threshold, 30, 0, 0);
	assert_close(g.run[1]->calls_p999, 1, 0, 0);
	ac_guard_release(&g);

	/* another system: nothing judged, no share of nothing */
	ac_guard_opts o = AC_GUARD_OPTS_INIT;
	o.system = "other";
	assert_int_equal(ac_guard_run(&g, s, &o, 0, 1000, 0, 1000, &err), 0);
	assert_int_equal(g.judged, 0);
	assert_close(g.savings_pct, 0, 0, 0);
	ac_guard_release(&g);
	ac_store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_own_window),
		cmocka_unit_test(test_reference),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
