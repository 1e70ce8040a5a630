/*
 * Unit tests of src/router/router.h: map CSV loading (every error as
 * PATH:LINE: reason), lookup precedence, writing and reading back; output
 * ratio and cascade specs; the exact floor search on a case a greedy choice
 * gets wrong; and replays over a fresh :memory: store filled with SQL:
 * re-pricing with cache, reasoning and an output ratio, a three-step cascade,
 * model identity across name spellings, window days, and a recommendation.
 * Expected values are worked out by hand in the comments.
 *
 * Built-in prices (USD per million tokens): gpt-4o-mini 0.15 in, 0.60 out,
 * cache read 0.075; claude-3-5-haiku 0.80 / 4.00, cache 0.08 / 1.00;
 * claude-3-5-sonnet 3.00 / 15.00, cache 0.30 / 3.75.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "close.h"

#include "router/router.h"
#include "tasks/callpack.h"
#include "tasks/tasks.h"
#include "store/store.h"
#include "util/timeutil.h"

/* A temporary file holding text; the path is static storage. */
static const char *tmpfile_with(const char *text)
{
	static char path[64];
	snprintf(path, sizeof(path), "/tmp/test_router.XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static ac_pricebook *builtins(void)
{
	ac_pricebook *pb = NULL;
	ac_err err = AC_ERR_INIT;
	assert_int_equal(ac_pricebook_load(&pb, NULL, &err), 0);
	return pb;
}

/* Maps ------------------------------------------------------------------- */

static void test_map_load(void **state)
{
	(void)state;
	ac_pricebook *pb = builtins();
	ac_router_map *m = NULL;
	ac_err err = AC_ERR_INIT;
	/* columns in any order, a blank line, spaces trimmed, a quoted cell */
	const char *p = tmpfile_with("model,complexity,task_type\n"
	                             "gpt-4o-mini,simple,\n"
	                             "\n"
	                             " claude-3-5-sonnet , simple , qa\n"
	                             "\"claude-3-5-haiku\",complex,\n");
	assert_int_equal(ac_router_map_load(&m, p, pb, &err), 0);
	unlink(p);
	assert_int_equal(ac_router_map_rows(m), 3);
	assert_string_equal(ac_router_map_lookup(m, "qa", "simple"), "claude-3-5-sonnet");
	assert_string_equal(ac_router_map_lookup(m, "other", "simple"), "gpt-4o-mini");
	assert_string_equal(ac_router_map_lookup(m, NULL, "simple"), "gpt-4o-mini");
	assert_string_equal(ac_router_map_lookup(m, "qa", "complex"), "claude-3-5-haiku");
	assert_null(ac_router_map_lookup(m, "qa", "moderate"));

	/* written and read back: the same lookups */
	char out[64];
	snprintf(out, sizeof(out), "/tmp/test_router_map.%d.csv", (int)getpid());
	assert_int_equal(ac_router_map_write(m, out, &err), 0);
	FILE *f = fopen(out, "r");
	char text[256] = "";
	assert_non_null(f);
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	assert_string_equal(text, "task_type,complexity,model\n,complex,claude-3-5-haiku\n"
	                          ",simple,gpt-4o-mini\nqa,simple,claude-3-5-sonnet\n");
	ac_router_map *back = NULL;
	assert_int_equal(ac_router_map_load(&back, out, pb, &err), 0);
	unlink(out);
	assert_string_equal(ac_router_map_lookup(back, "qa", "simple"), "claude-3-5-sonnet");
	assert_string_equal(ac_router_map_lookup(back, "x", "complex"), "claude-3-5-haiku");
	ac_router_map_free(back);

	/* set: a second row for the same pair is refused */
	assert_int_equal(ac_router_map_set(m, "", "simple", "gpt-4o", &err), AC_EINVAL);
	assert_int_equal(ac_router_map_set(m, "qa", "moderate", "gpt-4o", &err), 0);
	assert_string_equal(ac_router_map_lookup(m, "qa", "moderate"), "gpt-4o");
	ac_router_map_free(m);
	ac_pricebook_free(pb);
}

static void test_map_errors(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int code;
		const char *msg; /* after "PATH:" */
	} cases[] = {
		{ "", AC_EFORMAT, NULL },
		{ "complexity,model\n", AC_EFORMAT, "1: the map has no rows" },
		{ "complexity\nsimple\n", AC_EFORMAT, "1: missing column model" },
		{ "model\ngpt-4o-mini\n", AC_EFORMAT, "1: missing column complexity" },
		{ "complexity,model,cost\nsimple,gpt-4o-mini,1\n", AC_EFORMAT,
		  "1: unknown column \"cost\" (a map has task_type, complexity, model)" },
		{ "complexity,model,Model\nsimple,gpt-4o-mini,x\n", AC_EFORMAT, "1: duplicate column model" },
		{ "complexity,model\nsimple,gpt-4o-mini\ncomplex\n", AC_EPARSE,
		  "3: row has 1 cells, the header has 2" },
		{ "complexity,model\n,gpt-4o-mini\n", AC_EPARSE, "2: empty complexity" },
		{ "complexity,model\nsimple,\n", AC_EPARSE, "2: empty model" },
		{ "complexity,model\nsimple,gpt-4o-mini\nsimple,claude-3-5-haiku\n", AC_EINVAL,
		  "3: duplicate row for complexity simple (first on line 2)" },
		{ "task_type,complexity,model\nqa,simple,gpt-4o-mini\n,simple,gpt-4o-mini\nqa,simple,x\n",
		  AC_EINVAL, "4: duplicate row for complexity simple, task type qa (first on line 2)" },
		{ "complexity,model\nsimple,no-such-model-7\n", AC_EINVAL,
		  "2: model no-such-model-7 has no price in the price table (import one with "
		  "`agentcost prices import`)" },
		{ "complexity,model\n=1+1,gpt-4o-mini\n", AC_EPARSE,
		  "2: cell \"=1+1\" looks like a spreadsheet formula" },
		{ "complexity,model\nsimple,+gpt\n", AC_EPARSE, "2: cell \"+gpt\" looks like a spreadsheet formula" },
		{ "complexity,model\nsimple,-gpt\n", AC_EPARSE, "2: cell \"-gpt\" looks like a spreadsheet formula" },
		{ "task_type,complexity,model\n@SUM(A1),simple,gpt-4o-mini\n", AC_EPARSE,
		  "2: cell \"@SUM(A1)\" looks like a spreadsheet formula" },
		{ "complexity,model\nsimple,\"gpt-4o-mini\n", AC_EPARSE,
		  "2: malformed csv: unterminated quoted cell" },
	};
	ac_pricebook *pb = builtins();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ac_router_map *m = NULL;
		ac_err err = AC_ERR_INIT;
		const char *p = tmpfile_with(cases[i].text);
		int rc = ac_router_map_load(&m, p, pb, &err);
		if (rc != cases[i].code)
			print_error("case %zu: rc %d, expected %d (%s)\n", i, rc, cases[i].code, err.msg);
		assert_int_equal(rc, cases[i].code);
		assert_null(m);
		if (cases[i].msg) {
			char want[600];
			snprintf(want, sizeof(want), "%s:%s", p, cases[i].msg);
			assert_string_equal(err.msg, want);
		}
		unlink(p);
	}
	ac_router_map *m = NULL;
	ac_err err = AC_ERR_INIT;
	assert_int_equal(ac_router_map_load(&m, "/nonexistent/map.csv", pb, &err), AC_EIO);
	ac_pricebook_free(pb);
}

/* Options ---------------------------------------------------------------- */

static void test_opts(void **state)
{
	(void)state;
	ac_pricebook *pb = builtins();
	ac_router_opts o = AC_ROUTER_OPTS_INIT;
	ac_err err = AC_ERR_INIT;
	assert_int_equal(ac_router_opts_ratio(&o, "claude-3-5-sonnet:gpt-4o-mini=1.5", pb, &err), 0);
	assert_int_equal(ac_router_opts_ratio(&o, "measured", pb, &err), 0);
	/* a name with a colon: the split leaving two priced names wins
	 * ("a:b/gpt-4o" resolves as gpt-4o without its provider prefix) */
	assert_int_equal(ac_router_opts_ratio(&o, "a:b/gpt-4o:gpt-4o-mini=2", pb, &err), 0);
	assert_int_equal(o.nratios, 2);
	assert_string_equal(o.ratios[0].from, "claude-3-5-sonnet");
	assert_string_equal(o.ratios[0].to, "gpt-4o-mini");
	assert_close(o.ratios[0].ratio, 1.5, 0, 0);
	assert_string_equal(o.ratios[1].from, "a:b/gpt-4o");
	assert_string_equal(o.ratios[1].to, "gpt-4o-mini");
	/* none does: the first ':' */
	assert_int_equal(ac_router_opts_ratio(&o, "x:y:gpt-4o-mini=2", pb, &err), 0);
	assert_string_equal(o.ratios[2].from, "x");
	assert_string_equal(o.ratios[2].to, "y:gpt-4o-mini");
	assert_true(o.measured);
	static const char *const bad_ratio[] = { "2", "a:b=0", "a:b=-1", "a:b=x", "a:b=", ":b=2",
		                                 "a:=2", "ab=2", "a:b=inf" };
	for (size_t i = 0; i < sizeof(bad_ratio) / sizeof(bad_ratio[0]); i++)
		assert_int_equal(ac_router_opts_ratio(&o, bad_ratio[i], pb, &err), AC_EINVAL);

	assert_int_equal(ac_router_opts_cascade(&o, "simple=gpt-4o-mini>claude-3-5-haiku", &err), 0);
	assert_int_equal(ac_router_opts_cascade(&o, "a/b/moderate = gpt-4o-mini > claude-3-5-haiku > "
	                                            "claude-3-5-sonnet", &err), 0);
	assert_int_equal(o.ncascades, 2);
	assert_null(o.cascades[0].task_type);
	assert_string_equal(o.cascades[1].task_type, "a/b"); /* the class follows the last '/' */
	assert_string_equal(o.cascades[1].complexity, "moderate");
	assert_int_equal(o.cascades[1].n, 3);
	assert_string_equal(o.cascades[1].models[2], "claude-3-5-sonnet");
	static const char *const bad_cascade[] = { "simple", "=a>b", "simple=a", "simple=a>",
		                                   "simple=a>A", "/simple=a>b", "simple=a>b",
		                                   "simple=a>>b" };
	for (size_t i = 0; i < sizeof(bad_cascade) / sizeof(bad_cascade[0]); i++)
		assert_int_equal(ac_router_opts_cascade(&o, bad_cascade[i], &err), AC_EINVAL);
	ac_router_opts_release(&o);
	ac_pricebook_free(pb);
}

/* Floor search ----------------------------------------------------------- */

static void test_floor_search(void **state)
{
	(void)state;
	/* Three classes of weight 1, each "stay" (cost 0, accuracy 0) or "upgrade":
	 * X to 0.75 for 3, Y to 0.5 for 2.5, Z to 0.5 for 2.5. Floor 0.33 of weight
	 * 3 -> a weighted accuracy of at least 0.99. Greedy by accuracy per dollar
	 * takes X (0.25 a dollar) and then needs Y or Z: 5.5; the optimum is Y + Z:
	 * 5.0 for 1.0, accuracy 1/3. */
	double cx[] = { 0, 3 }, ax[] = { 0, 0.75 };
	double cy[] = { 0, 2.5 }, ay[] = { 0, 0.5 };
	double cz[] = { 0, 2.5 }, az[] = { 0, 0.5 };
	ac_floor_class cls[] = { { 1, cx, ax, 2 }, { 1, cy, ay, 2 }, { 1, cz, az, 2 } };
	int choice[3] = { -1, -1, -1 };
	double cost = -1, acc = -1;
	ac_err err = AC_ERR_INIT;
	assert_int_equal(ac_router_floor_search(choice, &cost, &acc, cls, 3, 0.33, &err), 0);
	assert_int_equal(choice[0], 0);
	assert_int_equal(choice[1], 1);
	assert_int_equal(choice[2], 1);
	assert_close(cost, 5.0, 0, 1e-12);
	assert_close(acc, 1.0 / 3, 0, 1e-12);

	/* floor 0: everything stays; floor 0.4 (1.2 of 3): X + Y or X + Z, 5.5 for 1.25 */
	assert_int_equal(ac_router_floor_search(choice, &cost, &acc, cls, 3, 0, &err), 0);
	assert_close(cost, 0, 0, 0);
	assert_int_equal(ac_router_floor_search(choice, &cost, &acc, cls, 3, 0.4, &err), 0);
	assert_close(cost, 5.5, 0, 1e-12);
	assert_close(acc, 1.25 / 3, 0, 1e-12);
	assert_int_equal(choice[0], 1);

	/* weights: Y counts 4 times -> floor 0.4 of 6 = 2.4: Y alone reaches 2.0;
	 * Y + X = 2.75 for 5.5, Y + Z = 2.5 for 5.0 */
	cls[1].weight = 4;
	assert_int_equal(ac_router_floor_search(choice, &cost, &acc, cls, 3, 0.4, &err), 0);
	assert_close(cost, 5.0, 0, 1e-12);
	assert_close(acc, 2.5 / 6, 0, 1e-12);

	/* equal cost: the more accurate choice */
	double ct[] = { 1, 1 }, at[] = { 0.6, 0.9 };
	ac_floor_class tie[] = { { 2, ct, at, 2 } };
	assert_int_equal(ac_router_floor_search(choice, &cost, &acc, tie, 1, 0.5, &err), 0);
	assert_int_equal(choice[0], 1);
	assert_close(acc, 0.9, 0, 1e-12);

	/* unreachable: the most accurate map makes (0.75 + 2 + 0.5) / 6 */
	assert_int_equal(ac_router_floor_search(choice, &cost, &acc, cls, 3, 0.6, &err), AC_EINVAL);
	assert_non_null(strstr(err.msg, "the most accurate one reaches 0.541667"));
}

/* Replays over a store --------------------------------------------------- */

#define DAY0 20241 /* 2025-06-02 */
#define NS(day, sec) (((int64_t)(day)) * AC_NS_PER_DAY + (int64_t)(sec) * AC_NS_PER_SEC)

static void exec(ac_store *s, const char *sql)
{
	ac_err err = AC_ERR_INIT;
	if (ac_store_exec(s, sql, &err))
		print_error("%s\n", err.msg);
	assert_int_equal(err.code, 0);
}

/* task_calls: the spans' calls grouped by plain SQL, packed per task. */
static void pack_calls(ac_store *s)
{
	sqlite3 *db = ac_store_db(s);
	sqlite3_stmt *q, *ins;
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT task, coalesce(complexity_eff, 0), model,"
	                                    " start_ns / 86400000000000, count(*),"
	                                    " coalesce(sum(tokens_in), 0), coalesce(sum(tokens_out), 0),"
	                                    " coalesce(sum(tokens_cache_read), 0),"
	                                    " coalesce(sum(tokens_cache_write), 0),"
	                                    " coalesce(sum(tokens_reasoning), 0), total(cost_usd)"
	                                    " FROM span GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
	                                    -1, &q, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO task_calls(task, groups) VALUES (?1, ?2)",
	                                    -1, &ins, NULL),
	                 SQLITE_OK);
	ac_call_group g[16];
	unsigned char blob[1 + 16 * AC_CALLPACK_GROUP_MAX];
	size_t n = 0;
	int64_t task = -1;
	for (;;) {
		int rc = sqlite3_step(q);
		int64_t t = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
		if (n && t != task) {
			sqlite3_bind_int64(ins, 1, task);
			sqlite3_bind_blob(ins, 2, blob, (int)ac_callpack_encode(g, n, blob), SQLITE_STATIC);
			assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
			sqlite3_reset(ins);
			n = 0;
		}
		if (rc != SQLITE_ROW)
			break;
		assert_true(n < 16);
		task = t;
		g[n] = (ac_call_group){ sqlite3_column_int64(q, 1), sqlite3_column_int64(q, 2),
			                sqlite3_column_int64(q, 3), 0,
			                sqlite3_column_int64(q, 4), sqlite3_column_int64(q, 5),
			                sqlite3_column_int64(q, 6), sqlite3_column_int64(q, 7),
			                sqlite3_column_int64(q, 8), sqlite3_column_int64(q, 9),
			                sqlite3_column_double(q, 10), 0, 0, 0, 0 };
		n++;
	}
	sqlite3_finalize(q);
	sqlite3_finalize(ins);
}

/* One span of task `task`; tokens -1 = NULL, cost < 0 = NULL (unpriced). */
static void add_call(ac_store *s, int64_t id, int task, const char *model, const char *cx,
                     int64_t start, long long in, long long out, long long cr, long long cw,
                     long long rs, double cost, double score)
{
	char sql[1024], c[64], sc[64];
	if (cost < 0)
		snprintf(c, sizeof(c), "NULL");
	else
		snprintf(c, sizeof(c), "%.17g", cost);
	if (isnan(score))
		snprintf(sc, sizeof(sc), "NULL");
	else
		snprintf(sc, sizeof(sc), "%.17g", score);
	snprintf(sql, sizeof(sql),
	         "INSERT INTO span (id, span_id, file, start_ns, end_ns, step, status, model, "
	         "tokens_in, tokens_out, tokens_cache_read, tokens_cache_write, tokens_reasoning, "
	         "cost_usd, cost_src, complexity_eff, eval_score, task) VALUES (%lld, x'%016llx', 1, "
	         "%lld, %lld, 1, 0, (SELECT id FROM model WHERE name = '%s'), %lld, %lld, %lld, %lld, "
	         "%lld, %s, 1, (SELECT id FROM label WHERE name = '%s'), %s, %d)",
	         (long long)task << 24 | (long long)id, (long long)id, (long long)start, (long long)start + 1000, model,
	         in, out, cr, cw, rs, c, cx ? cx : "", sc, task);
	exec(s, sql);
}

/*
 * The store of the replay tests, system "bot", task type "qa":
 *   task 1 (06-02): call 1 sonnet simple, 10000 in (4000 cache read, 2000 cache
 *     write), 1000 out (400 reasoning): 4000x3 + 4000x0.3 + 2000x3.75 + 600x15 +
 *     400x15 = 35700 -> 0.0357; call 2 the same model spelled
 *     "claude-3-5-sonnet-20241022", simple, 1000/100: 3000 + 1500 -> 0.0045;
 *     call 3 gpt-4o-mini without a class 1000/100: 150 + 60 -> 0.00021.
 *     task.cost_usd 0.04041 + a priced tool 0.01 = 0.05041.
 *   task 2 (06-05): call 4 sonnet simple 1000/100 -> 0.0045. task.cost_usd 0.0045.
 *   task 3 (06-04, eval): qa/simple scores: gpt-4o-mini-2024-07-18 1 1 0 (2/3),
 *     claude-3-5-haiku 1 0 (1/2), claude-3-5-sonnet 1 0 (1/2).
 *   task 4 (06-20, system other): not replayed with --system bot.
 */
static ac_store *replay_store(void)
{
	ac_store *s = NULL;
	ac_err err = AC_ERR_INIT;
	assert_int_equal(ac_store_open(&s, ":memory:", AC_STORE_CREATE, &err), 0);
	exec(s, "INSERT INTO model (id, name) VALUES (1, 'claude-3-5-sonnet'), (2, 'gpt-4o-mini'), "
	        "(3, 'claude-3-5-haiku'), (4, 'claude-3-5-sonnet-20241022'), "
	        "(5, 'gpt-4o-mini-2024-07-18')");
	exec(s, "INSERT INTO label (id, name) VALUES (1, 'simple'), (2, 'qa')");
	exec(s, "INSERT INTO service (id, name) VALUES (1, 'bot'), (2, 'other')");
	char sql[1024];
	snprintf(sql, sizeof(sql),
	         "INSERT INTO task (id, tkey, system, task_type, start_ns, end_ns, spans, llm_calls, "
	         "tool_calls, tokens_in, tokens_out, cost_usd, unpriced_calls, eval, tool_failures, "
	         "retry_episodes, retry_attempts, max_repeat) VALUES "
	         "(1, 't1', 1, 2, %lld, %lld, 4, 3, 1, 0, 0, 0.05041, 0, 0, 0, 0, 0, 1), "
	         "(2, 't2', 1, 2, %lld, %lld, 1, 1, 0, 0, 0, 0.0045, 0, 0, 0, 0, 0, 1), "
	         "(3, 't3', 1, 2, %lld, %lld, 7, 7, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1), "
	         "(4, 't4', 2, 2, %lld, %lld, 1, 1, 0, 0, 0, 0.0045, 0, 0, 0, 0, 0, 1)",
	         (long long)NS(DAY0, 3600), (long long)NS(DAY0, 3700), (long long)NS(DAY0 + 3, 60),
	         (long long)NS(DAY0 + 3, 70), (long long)NS(DAY0 + 2, 0), (long long)NS(DAY0 + 2, 99),
	         (long long)NS(DAY0 + 18, 0), (long long)NS(DAY0 + 18, 9));
	exec(s, sql);
	add_call(s, 1, 1, "claude-3-5-sonnet", "simple", NS(DAY0, 3601), 10000, 1000, 4000, 2000, 400,
	         0.0357, NAN);
	add_call(s, 2, 1, "claude-3-5-sonnet-20241022", "simple", NS(DAY0, 3602), 1000, 100, -1, -1,
	         -1, 0.0045, NAN);
	add_call(s, 3, 1, "gpt-4o-mini", NULL, NS(DAY0, 3603), 1000, 100, 0, 0, 0, 0.00021, NAN);
	add_call(s, 4, 2, "claude-3-5-sonnet", "simple", NS(DAY0 + 3, 61), 1000, 100, 0, 0, 0, 0.0045,
	         NAN);
	static const struct { const char *model; double score; } ev[] = {
		{ "gpt-4o-mini-2024-07-18", 1 }, { "gpt-4o-mini-2024-07-18", 1 },
		{ "gpt-4o-mini-2024-07-18", 0 }, { "claude-3-5-haiku", 1 },
		{ "claude-3-5-haiku", 0 },       { "claude-3-5-sonnet", 1 },
		{ "claude-3-5-sonnet", 0 },
	};
	for (int i = 0; i < 7; i++)
		add_call(s, 10 + i, 3, ev[i].model, "simple", NS(DAY0 + 2, 1 + i), 1000, 100, 0, 0, 0,
		         0.001, ev[i].score);
	add_call(s, 20, 4, "claude-3-5-sonnet", "simple", NS(DAY0 + 18, 1), 1000, 100, 0, 0, 0,
	         0.0045, NAN);
	/* what derivation keeps beside the spans (schema/004_rollup.sql), built
	 * here by plain SQL: the rollup keys and sums, and the task_call groups
	 * (no call here is above 200k input tokens or irregular: grp 0) */
	exec(s, "INSERT INTO rollup_key (system, service, task_type, eval, step, status, cost_src, "
	        "model, tool, purpose, complexity, trace_first) SELECT DISTINCT t.system, 0, "
	        "t.task_type, t.eval, 1, 0, 1, s.model, 0, 0, coalesce(s.complexity_eff, 0), 0 "
	        "FROM span s JOIN task t ON t.id = s.task");
	exec(s, "UPDATE span SET rollup_key = (SELECT k.id FROM rollup_key k JOIN task t "
	        "ON t.id = span.task WHERE k.system = t.system AND k.task_type = t.task_type AND "
	        "k.eval = t.eval AND k.model = span.model AND "
	        "k.complexity = coalesce(span.complexity_eff, 0))");
	assert_int_equal(ac_tasks_rollup_rebuild(s, &err), 0);
	pack_calls(s);
	return s;
}

static ac_router_data *load(ac_store *s, ac_pricebook *pb, int64_t since, int64_t until,
                            const char *system)
{
	ac_router_data *d = NULL;
	ac_err err = AC_ERR_INIT;
	ac_router_window w = { since, until, system };
	if (ac_router_data_load(&d, s, pb, &w, &err))
		print_error("%s\n", err.msg);
	assert_non_null(d);
	return d;
}

/* The call-group codec, against bytes worked out by hand. */
static void test_callpack(void **state)
{
	(void)state;
	ac_call_group g[2] = {
		{ 1, 2, 20000, 0, 3, 1000, -1, 0, 0, 64, 0.5, 0, 0, 0, 0 },
		{ 0, 0, 0, (int64_t)1 << 40, 1, INT64_MIN, INT64_MAX, 0, 0, 0, -0.0, 0, 0, 0, 0 },
	};
	unsigned char b[1 + 2 * AC_CALLPACK_GROUP_MAX];
	size_t len = ac_callpack_encode(g, 2, b);
	/* format 2; zigzag varints: 1 -> 02, 2 -> 04, 20000 -> 40000 = C0 B8 02,
	 * 0 -> 00, 3 -> 06, 1000 -> 2000 = D0 0F, -1 -> 01, 0, 0, 64 -> 128 = 80 01,
	 * then 1-hour writes, audio in, audio out, tier 0 0 0 0;
	 * 0.5 = 0x3FE0000000000000, little-endian */
	static const unsigned char first[] = { 0x02, 0x02, 0x04, 0xC0, 0xB8, 0x02, 0x00, 0x06,
		                               0xD0, 0x0F, 0x01, 0x00, 0x00, 0x80, 0x01, 0x00,
		                               0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		                               0x00, 0xE0, 0x3F };
	assert_memory_equal(b, first, sizeof(first));
	/* second: 0 0 0, 2^41 (42 bits) in 6 bytes, 02, INT64_MIN -> 2^64 - 1 and INT64_MAX
	 * -> 2^64 - 2 in 10 bytes each, 0 0 0, then -0.0 (sign bit only) */
	assert_int_equal(len, sizeof(first) + 3 + 6 + 1 + 10 + 10 + 3 + 4 + 8);
	assert_int_equal(b[len - 1], 0x80);
	size_t at = 0;
	ac_call_group r;
	assert_int_equal(ac_callpack_next(b, len, &at, &r), 1);
	assert_memory_equal(&r, &g[0], sizeof(r));
	assert_int_equal(ac_callpack_next(b, len, &at, &r), 1);
	assert_memory_equal(&r, &g[1], sizeof(r));
	assert_int_equal(ac_callpack_next(b, len, &at, &r), 0);
	/* cut anywhere inside a group, or another format: damaged, never a group */
	for (size_t cut = sizeof(first) + 1; cut < len; cut++) {
		at = 0;
		assert_int_equal(ac_callpack_next(b, cut, &at, &r), 1);
		assert_int_equal(ac_callpack_next(b, cut, &at, &r), -1);
	}
	b[0] = 3;
	at = 0;
	assert_int_equal(ac_callpack_next(b, len, &at, &r), -1);
	/* format 1 (before schema 8): ten integers; its grp 1 (above 200,000)
	 * reads as the bucket above 32,000, 128,000 and 200,000: 3 */
	static const unsigned char old[] = { 0x01, 0x02, 0x04, 0xC0, 0xB8, 0x02, 0x02, 0x06, 0xD0,
		                             0x0F, 0x01, 0x00, 0x00, 0x80, 0x01, 0x00, 0x00, 0x00,
		                             0x00, 0x00, 0x00, 0xE0, 0x3F };
	at = 0;
	assert_int_equal(ac_callpack_next(old, sizeof(old), &at, &r), 1);
	assert_int_equal(r.grp, 3);
	assert_int_equal(r.tin, 1000);
	assert_int_equal(r.trs, 64);
	assert_int_equal(r.tier, 0);
	assert_int_equal(r.taout, 0);
	assert_true(r.cost == 0.5);
	assert_int_equal(ac_callpack_next(old, sizeof(old), &at, &r), 0);
	at = 0;
	assert_int_equal(ac_callpack_next(b, 0, &at, &r), -1);
	/* no groups: the format byte alone */
	assert_int_equal(ac_callpack_encode(g, 0, b), 1);
	at = 0;
	assert_int_equal(ac_callpack_next(b, 1, &at, &r), 0);
}

static void test_replay(void **state)
{
	(void)state;
	ac_store *s = replay_store();
	ac_pricebook *pb = builtins();
	/* 06-02 .. 06-08: 7 days */
	ac_router_data *d = load(s, pb, NS(DAY0, 0), NS(DAY0 + 7, 0), "bot");
	assert_close(ac_router_window_days(d), 7, 0, 0);

	/* model identity: the dated name's scores are gpt-4o-mini's */
	ac_accuracy a;
	ac_router_accuracy(&a, d, "qa", "simple", "gpt-4o-mini");
	assert_int_equal(a.n, 3);
	assert_close(a.mean, 2.0 / 3, 0, 1e-12);
	ac_router_accuracy(&a, d, "qa", "simple", "openai/gpt-4o-mini");
	assert_int_equal(a.n, 3);
	ac_router_accuracy(&a, d, "qa", "complex", "gpt-4o-mini");
	assert_int_equal(a.n, 0);
	ac_router_accuracy(&a, d, NULL, "simple", "gpt-4o-mini");
	assert_int_equal(a.n, 0);

	/* simple -> gpt-4o-mini:
	 *   call 1: 4000x0.15 + 4000x0.075 + 2000x0.15 (no cache-write price: input)
	 *           + 600x0.6 + 400x0.6 = 1800 -> 0.0018
	 *   call 2: 150 + 60 -> 0.00021; call 4: 0.00021; call 3 has no class: kept
	 *   task 1: 0.05041 - 0.0357 - 0.0045 + 0.0018 + 0.00021 = 0.01222
	 *   task 2: 0.00021; total 0.01243 from 0.05491: savings 0.04248,
	 *   monthly 0.04248 x 30 / 7 = 0.18205714285714286 */
	ac_router_map *m = NULL;
	ac_err err = AC_ERR_INIT;
	assert_int_equal(ac_router_map_new(&m), 0);
	assert_int_equal(ac_router_map_set(m, NULL, "simple", "gpt-4o-mini", &err), 0);
	ac_router_result *r = NULL;
	assert_int_equal(ac_router_simulate(&r, d, m, NULL, &err), 0);
	assert_int_equal(r->tasks, 2);
	assert_close(r->baseline_cost, 0.05491, 0, 1e-12);
	assert_close(r->simulated_cost, 0.01243, 0, 1e-12);
	assert_close(r->savings, 0.04248, 0, 1e-12);
	assert_close(r->monthly_savings, 0.18205714285714286, 0, 1e-12);
	assert_close(r->savings_share, 0.04248 / 0.05491, 1e-12, 0);
	/* two tasks: mean, p50 = mean, p99 = 0.0045 + 0.99 x (0.05041 - 0.0045) */
	assert_close(r->per_task_baseline.p50, 0.027455, 0, 1e-12);
	assert_close(r->per_task_baseline.p99, 0.0499509, 0, 1e-12);
	assert_close(r->per_task_simulated.mean, 0.006215, 0, 1e-12);
	assert_int_equal(r->nclasses, 1);
	const ac_router_class *c = &r->classes[0];
	assert_string_equal(c->task_type, "qa");
	assert_string_equal(c->complexity, "simple");
	assert_string_equal(c->from_model, "claude-3-5-sonnet"); /* 2 calls of 3 */
	assert_string_equal(c->to_model, "gpt-4o-mini");
	assert_int_equal(c->calls, 3);
	assert_int_equal(c->calls_moved, 3);
	assert_close(c->baseline_cost, 0.0447, 0, 1e-12);
	assert_close(c->simulated_cost, 0.00222, 0, 1e-12);
	assert_close(c->acc_from.mean, 0.5, 0, 1e-12);
	assert_close(c->acc_to.mean, 2.0 / 3, 0, 1e-12);
	assert_close(c->accuracy_change, 2.0 / 3 - 0.5, 0, 1e-12);
	ac_router_result_free(r);

	/* the dated spelling of the current model keeps every recorded cost */
	ac_router_map_free(m);
	assert_int_equal(ac_router_map_new(&m), 0);
	assert_int_equal(ac_router_map_set(m, "qa", "simple", "claude-3-5-sonnet-20241022", &err), 0);
	assert_int_equal(ac_router_simulate(&r, d, m, NULL, &err), 0);
	assert_close(r->savings, 0, 0, 0);
	assert_int_equal(r->classes[0].calls_moved, 0);
	ac_router_result_free(r);

	/* output ratio sonnet -> mini 0.5: output and reasoning halved
	 *   call 1: 1200 + 0.5 x 600 = 1500 -> 0.0015; calls 2, 4: 150 + 30 -> 0.00018
	 *   class 0.00186 */
	ac_router_map_free(m);
	assert_int_equal(ac_router_map_new(&m), 0);
	assert_int_equal(ac_router_map_set(m, NULL, "simple", "gpt-4o-mini", &err), 0);
	ac_router_opts o = AC_ROUTER_OPTS_INIT;
	assert_int_equal(ac_router_opts_ratio(&o, "claude-3-5-sonnet:gpt-4o-mini=0.5", pb, &err), 0);
	assert_int_equal(ac_router_simulate(&r, d, m, &o, &err), 0);
	assert_close(r->classes[0].simulated_cost, 0.00186, 0, 1e-12);
	ac_router_result_free(r);
	ac_router_opts_release(&o);

	/* cascade mini > haiku > sonnet: failures 1/3, 1/2 (sonnet's does not matter)
	 *   call 1: 0.0018 + (1/3) x haiku (6000x0.8 ... = 4000x0.8 + 4000x0.08 +
	 *     2000x1.0 + 1000x4 = 3200 + 320 + 2000 + 4000 = 9520 -> 0.00952)
	 *     + (1/6) x 0.0357 (sonnet: recorded) = 0.0018 + 0.0031733333 + 0.00595
	 *   calls 2, 4: 0.00021 + (1/3) 0.0012 + (1/6) 0.0045 = 0.00021 + 0.0004 + 0.00075
	 *   accuracy 1 - (1/3)(1/2)(1/2) = 11/12 */
	ac_router_opts oc = AC_ROUTER_OPTS_INIT;
	assert_int_equal(ac_router_opts_cascade(&oc, "qa/simple=gpt-4o-mini>claude-3-5-haiku>"
	                                             "claude-3-5-sonnet", &err), 0);
	assert_int_equal(ac_router_simulate(&r, d, m, &oc, &err), 0);
	c = &r->classes[0];
	assert_true(c->cascade);
	assert_string_equal(c->to_model, "gpt-4o-mini>claude-3-5-haiku>claude-3-5-sonnet");
	assert_close(c->simulated_cost, 0.0018 + 0.00952 / 3 + 0.0357 / 6 + 2 * 0.00136, 0, 1e-12);
	assert_close(c->acc_to.mean, 11.0 / 12, 0, 1e-12);
	ac_router_result_free(r);
	ac_router_opts_release(&oc);

	/* a cascade step without eval data, an unpriced one */
	assert_int_equal(ac_router_opts_cascade(&oc, "simple=gpt-4o-mini>gpt-4o", &err), 0);
	assert_int_equal(ac_router_simulate(&r, d, NULL, &oc, &err), AC_EINVAL);
	assert_null(r);
	assert_string_equal(err.msg, "cascade simple: no eval data for gpt-4o on task type qa, "
	                             "complexity simple: its failure rate is unknown");
	ac_router_opts_release(&oc);
	assert_int_equal(ac_router_opts_cascade(&oc, "simple=gpt-4o-mini>acme-9", &err), 0);
	assert_int_equal(ac_router_simulate(&r, d, NULL, &oc, &err), AC_EINVAL);
	assert_non_null(strstr(err.msg, "acme-9 has no price"));
	ac_router_opts_release(&oc);

	ac_router_map_free(m);
	ac_router_data_free(d);

	/* no bounds: first to last task start day of bot's tasks, 06-02 .. 06-05 = 4 */
	d = load(s, pb, INT64_MIN, INT64_MAX, "bot");
	assert_close(ac_router_window_days(d), 4, 0, 0);
	ac_router_data_free(d);
	/* every system: .. 06-20 = 19 days, 3 production tasks */
	d = load(s, pb, INT64_MIN, INT64_MAX, NULL);
	assert_close(ac_router_window_days(d), 19, 0, 0);
	assert_int_equal(ac_router_simulate(&r, d, NULL, NULL, &err), 0);
	assert_int_equal(r->tasks, 3);
	assert_close(r->savings, 0, 0, 0);
	assert_null(r->classes[0].to_model);
	ac_router_result_free(r);
	ac_router_data_free(d);
	ac_pricebook_free(pb);
	ac_store_close(s);
}

static void test_recommend(void **state)
{
	(void)state;
	ac_store *s = replay_store();
	ac_pricebook *pb = builtins();
	ac_router_data *d = load(s, pb, NS(DAY0, 0), NS(DAY0 + 7, 0), "bot");
	ac_recommendation *r = NULL;
	ac_err err = AC_ERR_INIT;

	/* 2 scores for sonnet: too few for the default 30 -> kept, map row sonnet
	 * (calls 2 is the dated spelling: the same model, so nothing moves) */
	assert_int_equal(ac_router_recommend(&r, d, NULL, NULL, &err), 0);
	assert_int_equal(r->nclasses, 1);
	assert_false(r->classes[0].moved);
	assert_string_equal(r->classes[0].reason, "too few samples for claude-3-5-sonnet: n=2 < 30");
	assert_string_equal(ac_router_map_lookup(r->map, "qa", "simple"), "claude-3-5-sonnet");
	assert_close(r->monthly_savings, 0, 0, 0);
	assert_int_equal(r->nsummary, 1);
	ac_recommendation_free(r);

	/* --min-samples 2, tolerance 0.5: mini's lower bound (Wilson k=2 n=3,
	 * 0.2076596...) >= 0.5 - 0.5 -> moved; savings as in test_replay: 0.04248 a
	 * week, 0.18205714285714286 a month; every task with a sonnet call has one in
	 * the class */
	ac_recommend_opts ro = AC_RECOMMEND_OPTS_INIT;
	ro.min_samples = 2;
	ro.tolerance = 0.5;
	assert_int_equal(ac_router_recommend(&r, d, NULL, &ro, &err), 0);
	assert_true(r->classes[0].moved);
	assert_string_equal(r->classes[0].recommended_model, "gpt-4o-mini");
	assert_int_equal(r->classes[0].calls, 3);
	assert_close(r->classes[0].monthly_savings, 0.18205714285714286, 0, 1e-12);
	assert_close(r->monthly_savings, 0.18205714285714286, 0, 1e-12);
	assert_string_equal(r->summary[0], "100% of the tasks now routed to claude-3-5-sonnet could go "
	                                   "to gpt-4o-mini with no measurable accuracy loss, saving "
	                                   "$0.18/month");
	ac_recommendation_free(r);

	/* floor 0.6 with 2 samples: options sonnet 0.5 ($0.0447), haiku 0.5
	 * (dominated), mini 2/3 ($0.00222): mini is cheaper and more accurate */
	ro.tolerance = 0.01;
	ro.accuracy_floor = 0.6;
	assert_int_equal(ac_router_recommend(&r, d, NULL, &ro, &err), 0);
	assert_true(r->classes[0].moved);
	assert_close(r->expected_accuracy, 2.0 / 3, 0, 1e-12);
	assert_close(r->current_accuracy, 0.5, 0, 1e-12);
	assert_int_equal(r->nfrontier, 1);
	assert_string_equal(r->frontier[0].model, "gpt-4o-mini");
	ac_recommendation_free(r);
	ro.accuracy_floor = 0.7;
	assert_int_equal(ac_router_recommend(&r, d, NULL, &ro, &err), AC_EINVAL);
	assert_null(r);
	ac_router_data_free(d);
	ac_pricebook_free(pb);
	ac_store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map_load),     cmocka_unit_test(test_map_errors),
		cmocka_unit_test(test_opts),         cmocka_unit_test(test_floor_search),
		cmocka_unit_test(test_replay),       cmocka_unit_test(test_recommend),
		cmocka_unit_test(test_callpack),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
