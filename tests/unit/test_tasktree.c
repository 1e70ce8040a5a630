/*
 * Unit tests of src/analysis/tasktree.c (`agentcost task ID`, the incident
 * report's task trees) over a fresh :memory: store whose span rows are
 * written by hand: parents found by span id, a parent outside the task, a
 * parent cycle cut above its earliest span, children in start order,
 * depth-first order and depths, spans of another task left out, spans that
 * start together in span id order, and the node fields. The expected tree is drawn by hand in the comments.
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

#include "analysis/tasktree.h"
#include "store/store.h"

/* A span of trace 1 (rowid 1 << 24 | n: span.trace is the key's top bits) with span id ...0n and parent id
 * ...0p (0: none), in task `task`; name id nm (0 none); cost NAN: NULL. */
static void span_at(ac_store *s, int64_t key, int n, int p, int64_t start, int64_t task,
                    int64_t nm, int step, double cost)
{
	unsigned char sid[8] = { 0 }, pid[8] = { 0 };
	sid[7] = (unsigned char)n;
	pid[7] = (unsigned char)p;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(ac_store_db(s),
	                                    "INSERT INTO span(id, span_id, parent_span_id, file,"
	                                    " start_ns, end_ns, step, status, cost_src, task, name,"
	                                    " cost_usd, tokens_in, tokens_out)"
	                                    " VALUES (?1, ?2, ?3, 1, ?4, ?4 + 10, ?5, 0, 0, ?6,"
	                                    " ?7, ?8, ?9, ?10)",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	sqlite3_bind_int64(st, 1, key);
	sqlite3_bind_blob(st, 2, sid, 8, SQLITE_TRANSIENT);
	if (p)
		sqlite3_bind_blob(st, 3, pid, 8, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, start);
	sqlite3_bind_int(st, 5, step);
	sqlite3_bind_int64(st, 6, task);
	if (nm)
		sqlite3_bind_int64(st, 7, nm);
	if (!isnan(cost))
		sqlite3_bind_double(st, 8, cost);
	sqlite3_bind_int64(st, 9, 100 * n);
	sqlite3_bind_int64(st, 10, n);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

static void span(ac_store *s, int n, int p, int64_t start, int64_t task, int64_t nm, int step,
                 double cost)
{
	span_at(s, (INT64_C(1) << 24) | n, n, p, start, task, nm, step, cost);
}

/*
 * Task 1 (the task of trace 1). Spans by start:
 *   E  5 parent 0x99 (not in the task)  start  50 -> a root
 *   A  1 no parent                      start 100 -> a root
 *   C  3 parent A                       start 200
 *   B  2 parent A                       start 220
 *   D  4 parent C                       start 250
 *   F  6 parent G                       start 400 } a cycle: cut above the
 *   G  7 parent F                       start 500 } earliest (F): F a root
 *   X  8 parent A, of task 2: left out
 * Sorted by start: E0 A1 C2 B3 D4 F5 G6. Depth-first, children by start:
 *   E; A, C, D, B; F, G  ->  order 0 1 2 4 3 5 6, depths 0 0 1 2 1 0 1.
 */
static void test_tree(void **state)
{
	(void)state;
	ac_store *s = NULL;
	ac_err err = AC_ERR_INIT;
	assert_int_equal(ac_store_open(&s, ":memory:", AC_STORE_CREATE, &err), 0);
	assert_int_equal(ac_store_exec(s,
	                               "INSERT INTO trace(id, trace_id) VALUES (1, zeroblob(16));"
	                               "INSERT INTO task(id, tkey, start_ns, end_ns, spans, llm_calls,"
	                               " tool_calls, tokens_in, tokens_out, cost_usd, unpriced_calls,"
	                               " eval, tool_failures, retry_episodes, retry_attempts,"
	                               " max_repeat) VALUES (1, zeroblob(16), 50, 510, 7, 1, 0, 0, 0,"
	                               " 0.5, 0, 0, 0, 0, 0, 1)",
	                               &err),
	                 0);
	int64_t plan = 0;
	assert_int_equal(ac_store_dict(s, AC_DICT_SPAN_NAME, "plan", 4, &plan, &err), 0);
	span(s, 5, 0x99, 50, 1, 0, 0, NAN);
	span(s, 1, 0, 100, 1, plan, 3, NAN);
	span(s, 3, 1, 200, 1, 0, 0, NAN);
	span(s, 2, 1, 220, 1, 0, 0, NAN);
	span(s, 4, 3, 250, 1, 0, 1, 0.5);
	span(s, 6, 7, 400, 1, 0, 0, NAN);
	span(s, 7, 6, 500, 1, 0, 0, NAN);
	span(s, 8, 1, 300, 2, 0, 0, NAN);

	ac_task_tree t;
	assert_int_equal(ac_task_tree_load(&t, s, 1, &err), 0);
	assert_int_equal(t.n, 7);
	static const int want_sid[7] = { 5, 1, 3, 2, 4, 6, 7 };
	static const int want_parent[7] = { -1, -1, 1, 1, 2, -1, 5 };
	static const int want_order[7] = { 0, 1, 2, 4, 3, 5, 6 };
	static const int want_depth[7] = { 0, 0, 1, 1, 2, 0, 1 }; /* by index in v */
	for (int i = 0; i < 7; i++) {
		assert_int_equal(t.v[i].sid[7], want_sid[i]);
		assert_int_equal(t.v[i].parent, want_parent[i]);
		assert_int_equal(t.v[i].depth, want_depth[i]);
		assert_int_equal(t.order[i], want_order[i]);
	}
	/* E's parent id is kept though no span of the task has it */
	assert_true(t.v[0].has_parent && t.v[0].pid[7] == 0x99);
	assert_false(t.v[1].has_parent);
	/* A's fields: its name, step 3 (agent), tokens 100 x 1 in, 1 out, no cost */
	assert_string_equal(t.v[1].name, "plan");
	assert_string_equal(AC_STEP_NAME[t.v[1].step], "agent");
	assert_int_equal(t.v[1].tin, 100);
	assert_int_equal(t.v[1].tout, 1);
	assert_int_equal(t.v[1].start_ns, 100);
	assert_int_equal(t.v[1].end_ns, 110);
	assert_false(t.v[1].has_cost);
	assert_null(t.v[1].model);
	/* D: the one cost */
	assert_true(t.v[4].has_cost && t.v[4].cost == 0.5);
	char hex[17];
	ac_tree_hex8(t.v[4].sid, hex);
	assert_string_equal(hex, "0000000000000004");
	ac_task_tree_release(&t);

	/* task 3 (trace 3): spans that start together come in span id order,
	 * whatever order the store's keys give them (a ClickHouse store has
	 * other ids): keys 3|1 (sid 0x0c), 3|2 (sid 0x0a), 3|3 (sid 0x0b) */
	assert_int_equal(ac_store_exec(s,
	                               "INSERT INTO trace(id, trace_id) VALUES (3, randomblob(16));"
	                               "INSERT INTO task(id, tkey, start_ns, end_ns, spans, llm_calls,"
	                               " tool_calls, tokens_in, tokens_out, cost_usd, unpriced_calls,"
	                               " eval, tool_failures, retry_episodes, retry_attempts,"
	                               " max_repeat) VALUES (3, randomblob(16), 600, 610, 3, 0, 0, 0,"
	                               " 0, 0, 0, 0, 0, 0, 0, 1)",
	                               &err),
	                 0);
	span_at(s, (INT64_C(3) << 24) | 1, 0x0c, 0, 600, 3, 0, 0, NAN);
	span_at(s, (INT64_C(3) << 24) | 2, 0x0a, 0, 600, 3, 0, 0, NAN);
	span_at(s, (INT64_C(3) << 24) | 3, 0x0b, 0, 600, 3, 0, 0, NAN);
	assert_int_equal(ac_task_tree_load(&t, s, 3, &err), 0);
	assert_int_equal(t.n, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(t.v[i].sid[7], 0x0a + i);
		assert_int_equal(t.order[i], i);
	}
	ac_task_tree_release(&t);

	/* a task without spans: an empty tree */
	assert_int_equal(ac_task_tree_load(&t, s, 99, &err), 0);
	assert_int_equal(t.n, 0);
	ac_task_tree_release(&t);
	ac_store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
