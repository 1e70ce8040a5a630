/*
 * Unit tests of the task derivation (src/tasks/tasks.h): tasks, step
 * purposes, complexity inheritance, tool failure episodes, grouping by
 * agentcost.task.id, eval tasks, the rollup rule ("Count a call once"),
 * what dominated a task (top_model / top_purpose / top_tool), and that the
 * result depends neither on how often, in what order or in what batches
 * spans were derived, nor on the path (ac_deriver_fresh before the insert,
 * or the insert then ac_deriver_run).
 *
 * Spans are hand-written flat JSONL lines (README "Input formats", 4)
 * ingested with ac_ingest_file into an empty store in a mkdtemp directory,
 * then ac_tasks_derive, as `agentcost ingest` does. The task, span and rollup
 * rows are read back with plain SQL. Costs come from the built-in prices
 * (src/pricing/builtin_prices.c, USD per million tokens): gpt-4o 2.50 in /
 * 10.00 out, gpt-4o-mini 0.15 / 0.60; every expected cost is worked out in a
 * comment. Tools have no price: cost 0.
 *
 * All spans start on 2025-06-01T12:00:00Z (1748779200 s) plus a few
 * seconds ("t" below).
 *
 * Each order-independence test compares dumps of everything derivation
 * writes (dump(): rows by names, never by the ids a store happened to
 * give). Tests marked DEFECT assert the documented behaviour, failed
 * against the code when written, and skip with a message; see each.
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

#include "ingest/ingest.h"
#include "pricing/pricing.h"
#include "store/store.h"
#include "tasks/callpack.h"
#include "tasks/tasks.h"

/* Helpers ---------------------------------------------------------------- */

/* Debian 12's cmocka compares floats as float: compare doubles here. */
#define assert_close(a, b) assert_close_at((a), (b), #a, __FILE__, __LINE__)
static void assert_close_at(double a, double b, const char *what, const char *file, int line)
{
	double d = fabs(a - b);
	if (d <= 1e-15 || d <= 1e-12 * fmax(fabs(a), fabs(b)))
		return;
	print_error("%s = %.17g, expected %.17g\n", what, a, b);
	_fail(file, line);
}

#define T0 1748779200LL /* 2025-06-01T12:00:00Z */

static char DIR_[64];
static int NSTORE;

static int setup_dir(void **state)
{
	(void)state;
	snprintf(DIR_, sizeof(DIR_), "/tmp/ac_test_tasks_XXXXXX");
	return mkdtemp(DIR_) ? 0 : -1;
}

static int teardown_dir(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", DIR_);
	return system(cmd) == 0 ? 0 : -1;
}

/* A growable text of JSONL lines. */
typedef struct text {
	char *p;
	size_t n, cap;
} text;

static void text_add(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void text_add(text *t, const char *fmt, ...)
{
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int k = vsnprintf(t->p ? t->p + t->n : NULL, t->p ? t->cap - t->n : 0, fmt, ap);
		va_end(ap);
		assert_true(k >= 0);
		if (t->p && t->n + (size_t)k < t->cap) {
			t->n += (size_t)k;
			return;
		}
		size_t nc = (t->cap + (size_t)k + 1) * 2;
		t->p = realloc(t->p, nc);
		assert_non_null(t->p);
		if (!t->cap)
			t->p[0] = '\0';
		t->cap = nc;
	}
}

/*
 * One flat JSONL span. trace: the last two hex digits of the trace id
 * (tt -> 32 digits "aaaa...aatt"); sid / parent: the last two of the span
 * id ("00000000000000ss"), parent NULL for a root; start / end in seconds
 * after T0; attrs / res: the inside of the attributes / resource objects.
 */
static void span(text *t, const char *trace, const char *sid, const char *parent, const char *name,
                 int start, int end, const char *status, const char *attrs, const char *res)
{
	char par[64];
	if (parent)
		snprintf(par, sizeof(par), "\"00000000000000%s\"", parent);
	else
		snprintf(par, sizeof(par), "null");
	text_add(t,
	         "{\"trace_id\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa%s\",\"span_id\":\"00000000000000%s\","
	         "\"parent_span_id\":%s,\"name\":\"%s\",\"start_time_unix_nano\":%lld,"
	         "\"end_time_unix_nano\":%lld,\"status\":\"%s\",\"attributes\":{%s},"
	         "\"resource\":{%s}}\n",
	         trace, sid, par, name, (T0 + start) * 1000000000LL, (T0 + end) * 1000000000LL,
	         status, attrs, res);
}

/* Attribute texts of the calls used below. */
#define LLM(model, in, out)                                                                      \
	"\"gen_ai.operation.name\":\"chat\",\"gen_ai.request.model\":\"" model                      \
	"\",\"gen_ai.usage.input_tokens\":" #in ",\"gen_ai.usage.output_tokens\":" #out
#define TOOL(name) "\"gen_ai.operation.name\":\"execute_tool\",\"gen_ai.tool.name\":\"" name "\""
#define AGENT "\"gen_ai.operation.name\":\"invoke_agent\""

typedef struct db {
	ac_store *s;
	ac_pricebook *pb;
	sqlite3 *db;
	long long early; /* tasks derived before their spans were stored */
} db;

static void diag(const char *file, long long line, long long col, const char *msg, void *payload)
{
	(void)payload;
	print_error("%s:%lld:%lld: %s\n", file, line, col, msg);
}

static void db_open(db *d)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/store%d.db", DIR_, ++NSTORE);
	ac_err err = AC_ERR_INIT;
	memset(d, 0, sizeof(*d));
	if (ac_store_open(&d->s, path, AC_STORE_CREATE, &err))
		fail_msg("open %s: %s", path, err.msg);
	d->db = ac_store_db(d->s);
	if (ac_pricebook_load(&d->pb, d->db, &err))
		fail_msg("prices: %s", err.msg);
}

static void db_close(db *d)
{
	ac_pricebook_free(d->pb);
	ac_store_close(d->s);
}

/* Ingest the lines of t as one file, then derive what is pending, as
 * `agentcost ingest` does. no_early: every trace the usual way (insert, then
 * ac_deriver_run), never ac_deriver_fresh. */
static void ingest(db *d, const text *t, int no_early)
{
	static int nfile;
	char path[128];
	snprintf(path, sizeof(path), "%s/in%d.jsonl", DIR_, ++nfile);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(t->p, 1, t->n, f), t->n);
	assert_int_equal(fclose(f), 0);
	ac_ingest_opts o = AC_INGEST_OPTS_INIT;
	o.no_raw = 1;
	o.no_early = no_early;
	o.diag = diag;
	o.force = 1;
	ac_ingest_stats st;
	memset(&st, 0, sizeof(st));
	ac_err err = AC_ERR_INIT;
	if (ac_ingest_file(d->s, d->pb, path, &o, &st, &err))
		fail_msg("ingest %s: %s", path, err.msg);
	assert_int_equal(st.errors, 0);
	d->early += st.tasks_early;
	ac_derive_stats ds;
	memset(&ds, 0, sizeof(ds));
	if (ac_tasks_derive(d->s, &ds, &err))
		fail_msg("derive: %s", err.msg);
	assert_int_equal(ac_tasks_pending(d->s, &err), 0);
}

static int64_t q_int(db *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int64_t q_int(db *d, const char *fmt, ...)
{
	char sql[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(d->db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(d->db));
	if (sqlite3_step(st) != SQLITE_ROW)
		fail_msg("no row: %s", sql);
	int64_t v = sqlite3_column_int64(st, 0);
	if (sqlite3_column_type(st, 0) == SQLITE_NULL)
		v = -999; /* NULL */
	sqlite3_finalize(st);
	return v;
}

static double q_dbl(db *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static double q_dbl(db *d, const char *fmt, ...)
{
	char sql[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(d->db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(d->db));
	if (sqlite3_step(st) != SQLITE_ROW)
		fail_msg("no row: %s", sql);
	double v = sqlite3_column_type(st, 0) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Text of the first column of the first row (malloc'd; "(null)" for NULL). */
static char *q_text(db *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *q_text(db *d, const char *fmt, ...)
{
	char sql[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(d->db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(d->db));
	if (sqlite3_step(st) != SQLITE_ROW)
		fail_msg("no row: %s", sql);
	const unsigned char *s = sqlite3_column_text(st, 0);
	char *r = strdup(s ? (const char *)s : "(null)");
	sqlite3_finalize(st);
	assert_non_null(r);
	return r;
}

#define assert_text(d, want, ...)                                                                \
	do {                                                                                      \
		char *got_ = q_text((d), __VA_ARGS__);                                            \
		if (strcmp(got_, (want)) != 0) {                                                  \
			print_error("got \"%s\", expected \"%s\"\n", got_, (want));               \
			free(got_);                                                        \
			fail();                                                                   \
		}                                                                                 \
		free(got_);                                                                       \
	} while (0)

/* The task of trace "aaa...tt" (a task that is a trace). */
#define TASK_OF(tt) "(SELECT id FROM task WHERE task_id = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" tt "')"
/* A span's row by the last two digits of its span id (unique in these tests). */
#define SPAN(ss) "(SELECT id FROM span WHERE span_id = x'00000000000000" ss "')"

/* One task column of trace tt. */
static int64_t task_int(db *d, const char *tt, const char *col)
{
	return q_int(d,
	             "SELECT %s FROM task WHERE task_id = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa%s'", col,
	             tt);
}

/* The label name of a span's purpose_eff, complexity_eff. */
#define PURPOSE(ss) "SELECT name FROM label WHERE id = (SELECT purpose_eff FROM span WHERE id = " SPAN(ss) ")"
#define COMPLEXITY(ss)                                                                           \
	"SELECT ifnull((SELECT name FROM label WHERE id = (SELECT complexity_eff FROM span WHERE id = " SPAN(ss) ")), '-')"

/*
 * Everything derivation writes, as text independent of the ids a store
 * happened to give (traces, dictionaries, rollup keys): the task rows, the
 * spans' derived columns, the rollup's sums by their keys' names, the
 * task_trace links, and the decoded call groups. Two stores holding the
 * same spans derived alike give the same text.
 */
static const char *const DUMP_SQL[] = {
	"SELECT t.task_id, sv.name, tt.name, t.start_ns, t.end_ns, t.spans, t.llm_calls, "
	"t.tool_calls, t.tokens_in, t.tokens_out, printf('%.17g', t.cost_usd), t.unpriced_calls, "
	"t.eval, t.tool_failures, t.retry_episodes, t.retry_attempts, t.max_repeat, m.name, "
	"p.name, tl.name, t.top_tool_calls FROM task t LEFT JOIN service sv ON sv.id = t.system "
	"LEFT JOIN label tt ON tt.id = t.task_type LEFT JOIN model m ON m.id = t.top_model "
	"LEFT JOIN label p ON p.id = t.top_purpose LEFT JOIN tool tl ON tl.id = t.top_tool "
	"ORDER BY t.task_id",
	"SELECT t.task_id, lower(hex(tr.trace_id)) FROM task_trace x JOIN task t ON t.id = x.task "
	"JOIN trace tr ON tr.id = x.trace ORDER BY 1, 2",
	"SELECT lower(hex(tr.trace_id)), hex(s.span_id), t.task_id, s.step, s.status, "
	"printf('%.17g', s.cost_usd), s.cost_src, p.name, c.name, "
	"ks.name, kv.name, kt.name, k.eval, k.step, k.status, k.cost_src, km.name, ktl.name, "
	"kp.name, kc.name, k.trace_first "
	"FROM span s JOIN trace tr ON tr.id = s.trace LEFT JOIN task t ON t.id = s.task "
	"LEFT JOIN label p ON p.id = s.purpose_eff LEFT JOIN label c ON c.id = s.complexity_eff "
	"LEFT JOIN rollup_key k ON k.id = s.rollup_key LEFT JOIN service ks ON ks.id = k.system "
	"LEFT JOIN service kv ON kv.id = k.service LEFT JOIN label kt ON kt.id = k.task_type "
	"LEFT JOIN model km ON km.id = k.model LEFT JOIN tool ktl ON ktl.id = k.tool "
	"LEFT JOIN label kp ON kp.id = k.purpose LEFT JOIN label kc ON kc.id = k.complexity "
	"ORDER BY 1, 2",
	"SELECT r.hour, ks.name, kv.name, kt.name, k.eval, k.step, k.status, k.cost_src, km.name, "
	"ktl.name, kp.name, kc.name, k.trace_first, r.spans, printf('%.17g', r.cost_usd), "
	"r.tokens_in, r.tokens_out, r.tokens_cache_read, r.tokens_cache_write, r.tokens_reasoning, "
	"printf('%.17g', r.producer_cost_usd), r.scored "
	"FROM rollup r JOIN rollup_key k ON k.id = r.key LEFT JOIN service ks ON ks.id = k.system "
	"LEFT JOIN service kv ON kv.id = k.service LEFT JOIN label kt ON kt.id = k.task_type "
	"LEFT JOIN model km ON km.id = k.model LEFT JOIN tool ktl ON ktl.id = k.tool "
	"LEFT JOIN label kp ON kp.id = k.purpose LEFT JOIN label kc ON kc.id = k.complexity "
	"ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13",
};

static void dump_query(db *d, text *out, const char *sql)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(d->db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(d->db));
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const unsigned char *v = sqlite3_column_text(st, i);
			text_add(out, "%s%s", i ? "|" : "", v ? (const char *)v : "NULL");
		}
		text_add(out, "\n");
	}
	sqlite3_finalize(st);
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The call groups of every task, decoded, models and complexities by name,
 * sorted as text (the blob orders them by ids a store happened to give). */
static void dump_calls(db *d, text *out)
{
	sqlite3_stmt *st, *mn;
	assert_int_equal(sqlite3_prepare_v2(d->db,
	                                    "SELECT t.task_id, c.groups FROM task_calls c JOIN task t "
	                                    "ON t.id = c.task ORDER BY 1",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(d->db,
	                                    "SELECT m.name, l.name FROM (SELECT 1) LEFT JOIN model m "
	                                    "ON m.id = ?1 LEFT JOIN label l ON l.id = ?2",
	                                    -1, &mn, NULL),
	                 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *p = sqlite3_column_blob(st, 1);
		size_t len = (size_t)sqlite3_column_bytes(st, 1), at = 0, n = 0;
		char *lines[256];
		ac_call_group g;
		int rc;
		text_add(out, "calls %s\n", (const char *)sqlite3_column_text(st, 0));
		while ((rc = ac_callpack_next(p, len, &at, &g)) == 1) {
			assert_true(n < 256);
			sqlite3_bind_int64(mn, 1, g.model);
			sqlite3_bind_int64(mn, 2, g.complexity);
			assert_int_equal(sqlite3_step(mn), SQLITE_ROW);
			const unsigned char *m = sqlite3_column_text(mn, 0), *c = sqlite3_column_text(mn, 1);
			/* grp from 2^24 on is a span id: store-dependent, so only say so */
			text line = { 0 };
			text_add(&line, "  %s %s %lld %lld %lld %lld %lld %lld %lld %lld %lld %.17g\n",
			         m ? (const char *)m : "-", c ? (const char *)c : "-", (long long)g.day,
			         g.grp >= AC_GRP_SINGLE ? -1LL : (long long)g.grp, (long long)g.calls,
			         (long long)g.tin, (long long)g.tout, (long long)g.tcr, (long long)g.tcw,
			         (long long)g.trs, (long long)g.tier, g.cost);
			lines[n++] = line.p;
			sqlite3_reset(mn);
		}
		assert_int_equal(rc, 0);
		qsort(lines, n, sizeof(*lines), by_str);
		for (size_t i = 0; i < n; i++) {
			text_add(out, "%s", lines[i]);
			free(lines[i]);
		}
	}
	sqlite3_finalize(st);
	sqlite3_finalize(mn);
}

static char *dump(db *d)
{
	text out = { 0 };
	text_add(&out, "%s", "");
	for (size_t i = 0; i < sizeof(DUMP_SQL) / sizeof(DUMP_SQL[0]); i++) {
		text_add(&out, "-- %zu\n", i);
		dump_query(d, &out, DUMP_SQL[i]);
	}
	dump_calls(d, &out);
	return out.p;
}

static void assert_same_dump(const char *a, const char *b, const char *what)
{
	if (strcmp(a, b) == 0)
		return;
	/* show the first line that differs */
	const char *x = a, *y = b;
	while (*x && *x == *y)
		x++, y++;
	while (x > a && x[-1] != '\n')
		x--, y--;
	print_error("%s: dumps differ at\n  %.200s\nvs\n  %.200s\n", what, x, y);
	fail();
}

/* The workload ------------------------------------------------------------ */

/*
 * Trace 01 (service svc-a, environment prod): a planner agent.
 *   a1 root  "invoke_agent planner"  agent, gen_ai.agent.name planner,
 *            agentcost.complexity complex                        t 0..60
 *   a2  "chat plan"   gpt-4o 1000 / 200, agentcost.purpose plan   t 1..2
 *   a3  "execute_tool search"  tool search, OK                   t 3..4
 *   a4  "chat answer" gpt-4o-mini 2000 / 500, complexity simple  t 5..6
 *   a5  "chat summarize findings" gpt-4o-mini 400 / 100          t 7..8
 *   a6  "chat merge"  gpt-4o 100 / 50, agentcost.purpose aggregate t 9..10
 */
static void trace_01(text *t)
{
	const char *res = "\"service.name\":\"svc-a\",\"deployment.environment.name\":\"prod\"";
	span(t, "01", "a1", NULL, "invoke_agent planner", 0, 60, "OK",
	     AGENT ",\"gen_ai.agent.name\":\"planner\",\"agentcost.complexity\":\"complex\"", res);
	span(t, "01", "a2", "a1", "chat plan", 1, 2, "OK",
	     LLM("gpt-4o", 1000, 200) ",\"agentcost.purpose\":\"plan\"", res);
	span(t, "01", "a3", "a1", "execute_tool search", 3, 4, "OK", TOOL("search"), res);
	span(t, "01", "a4", "a1", "chat answer", 5, 6, "OK",
	     LLM("gpt-4o-mini", 2000, 500) ",\"agentcost.complexity\":\"simple\"", res);
	span(t, "01", "a5", "a1", "chat summarize findings", 7, 8, "OK",
	     LLM("gpt-4o-mini", 400, 100), res);
	span(t, "01", "a6", "a1", "chat merge", 9, 10, "OK",
	     LLM("gpt-4o", 100, 50) ",\"agentcost.purpose\":\"aggregate\"", res);
}

/*
 * Trace 02 (svc-b): the rollup rule. b1 is an LLM span whose tokens are the
 * sums of the LLM spans nearest below it (b2 and, through the chain b3, b4):
 * 1000 + 2000 = 3000 in, 100 + 200 = 300 out. agentcost.complexity medium on
 * b1, simple on b2.
 *   b1 root "agent run"  gpt-4o 3000 / 300                    t 0..20
 *   b2  "chat one"   gpt-4o 1000 / 100, simple                t 1..2
 *   b3  "chain step" (ai.operationId ai.generateText: a chain) t 3..10
 *   b4   "chat two"  gpt-4o 2000 / 200 (under b3)              t 4..5
 * Trace 03 is the same with c1 at 3001 / 300: not the sums, a call.
 */
static void trace_02_03(text *t)
{
	const char *res = "\"service.name\":\"svc-b\"";
	const char *tr[2] = { "02", "03" }, *ids[2][4] = { { "b1", "b2", "b3", "b4" },
		                                             { "c1", "c2", "c3", "c4" } };
	for (int i = 0; i < 2; i++) {
		span(t, tr[i], ids[i][0], NULL, "agent run", 0, 20, "OK",
		     i ? LLM("gpt-4o", 3001, 300) ",\"agentcost.complexity\":\"medium\""
		       : LLM("gpt-4o", 3000, 300) ",\"agentcost.complexity\":\"medium\"",
		     res);
		span(t, tr[i], ids[i][1], ids[i][0], "chat one", 1, 2, "OK",
		     LLM("gpt-4o", 1000, 100) ",\"agentcost.complexity\":\"simple\"", res);
		span(t, tr[i], ids[i][2], ids[i][0], "chain step", 3, 10, "OK",
		     "\"ai.operationId\":\"ai.generateText\"", res);
		span(t, tr[i], ids[i][3], ids[i][2], "chat two", 4, 5, "OK", LLM("gpt-4o", 2000, 200),
		     res);
	}
}

/*
 * Trace 04 (svc-d): tool failure episodes.
 *   d0 root "loop" (other)                    t 0..20
 *   d1 tool fetch ERROR                        t 1
 *   d2 LLM "chat think" gpt-4o-mini 100 / 10   t 2
 *   d3 tool fetch ERROR                        t 3
 *   d4 tool fetch OK                           t 5
 *   d5 LLM "chat next" gpt-4o-mini 100 / 10    t 6
 *   d6 tool db ERROR (never succeeds)          t 7
 *   d7 LLM "chat final" gpt-4o-mini 100 / 10   t 8
 * Episodes: fetch [1, 5) (from its first failure to the start of its next
 * success), db [7, end of task). In an episode: d1, d2, d3 (start 1..3), d6,
 * d7; d4 starts at 5, the episode's end, and is not in it; d5 (6) is in none.
 */
static void trace_04(text *t)
{
	const char *res = "\"service.name\":\"svc-d\"";
	span(t, "04", "d0", NULL, "loop", 0, 20, "OK", "\"x\":1", res);
	span(t, "04", "d1", "d0", "execute_tool fetch", 1, 2, "ERROR", TOOL("fetch"), res);
	span(t, "04", "d2", "d0", "chat think", 2, 3, "OK", LLM("gpt-4o-mini", 100, 10), res);
	span(t, "04", "d3", "d0", "execute_tool fetch", 3, 4, "ERROR", TOOL("fetch"), res);
	span(t, "04", "d4", "d0", "execute_tool fetch", 5, 6, "OK", TOOL("fetch"), res);
	span(t, "04", "d5", "d0", "chat next", 6, 7, "OK", LLM("gpt-4o-mini", 100, 10), res);
	span(t, "04", "d6", "d0", "execute_tool db", 7, 8, "ERROR", TOOL("db"), res);
	span(t, "04", "d7", "d0", "chat final", 8, 9, "OK", LLM("gpt-4o-mini", 100, 10), res);
}

/*
 * Traces 05 and 06 (svc-e) are one task, agentcost.task.id job-42 on their
 * roots (the children inherit it). Trace 07 has none: a task of its own.
 *   e1 root (05) "batch part 1" agent, task.id job-42, task.type batch t 0..10
 *   e2  "chat a" gpt-4o 1000 / 200                                   t 1..2
 *   f1 root (06) "batch part 2" agent, task.id job-42               t 100..110
 *   f2  "chat b" gpt-4o-mini 2000 / 500                               t 101..102
 *   71 root (07) "chat alone" gpt-4o-mini 10 / 10                     t 200..201
 */
static void trace_05_06_07(text *t)
{
	const char *res = "\"service.name\":\"svc-e\"";
	span(t, "05", "e1", NULL, "batch part 1", 0, 10, "OK",
	     AGENT ",\"agentcost.task.id\":\"job-42\",\"agentcost.task.type\":\"batch\"", res);
	span(t, "05", "e2", "e1", "chat a", 1, 2, "OK", LLM("gpt-4o", 1000, 200), res);
	span(t, "06", "f1", NULL, "batch part 2", 100, 110, "OK",
	     AGENT ",\"agentcost.task.id\":\"job-42\"", res);
	span(t, "06", "f2", "f1", "chat b", 101, 102, "OK", LLM("gpt-4o-mini", 2000, 500), res);
	span(t, "07", "71", NULL, "chat alone", 200, 201, "OK", LLM("gpt-4o-mini", 10, 10), res);
}

/*
 * Trace 08 (spans 81, 82): an eval task by its resource (deployment.environment.name eval):
 * every span's purpose is eval, even the explicit plan. Trace 09: an eval
 * task by one span's agentcost.purpose=eval (spans 91, 92).
 */
static void trace_08_09(text *t)
{
	const char *ev = "\"service.name\":\"svc-f\",\"deployment.environment.name\":\"eval\"";
	span(t, "08", "81", NULL, "judge", 0, 5, "OK", AGENT, ev);
	span(t, "08", "82", "81", "chat grade", 1, 2, "OK",
	     LLM("gpt-4o-mini", 100, 10) ",\"agentcost.purpose\":\"plan\"", ev);
	const char *pr = "\"service.name\":\"svc-f\",\"deployment.environment.name\":\"prod\"";
	span(t, "09", "91", NULL, "work", 0, 5, "OK", AGENT, pr);
	span(t, "09", "92", "91", "chat check", 1, 2, "OK",
	     LLM("gpt-4o-mini", 100, 10) ",\"agentcost.purpose\":\"eval\"", pr);
}

static void workload(text *t)
{
	trace_01(t);
	trace_02_03(t);
	trace_04(t);
	trace_05_06_07(t);
	trace_08_09(t);
}

/* The tests -------------------------------------------------------------- */

static void test_single_trace(void **state)
{
	(void)state;
	db d;
	db_open(&d);
	text t = { 0 };
	trace_01(&t);
	ingest(&d, &t, 0);
	free(t.p);
	assert_int_equal(q_int(&d, "SELECT count(*) FROM task"), 1);
	assert_int_equal(task_int(&d, "01", "spans"), 6);
	assert_int_equal(task_int(&d, "01", "llm_calls"), 4);  /* a2 a4 a5 a6 */
	assert_int_equal(task_int(&d, "01", "tool_calls"), 1); /* a3 */
	assert_int_equal(task_int(&d, "01", "tokens_in"), 3500);  /* 1000 + 2000 + 400 + 100 */
	assert_int_equal(task_int(&d, "01", "tokens_out"), 850);  /* 200 + 500 + 100 + 50 */
	/* a2 gpt-4o: 1000 * 2.50e-6 + 200 * 10e-6 = 0.0025 + 0.002 = 0.0045
	 * a4 gpt-4o-mini: 2000 * 0.15e-6 + 500 * 0.60e-6 = 0.0003 + 0.0003 = 0.0006
	 * a5 gpt-4o-mini: 400 * 0.15e-6 + 100 * 0.60e-6 = 0.00006 + 0.00006 = 0.00012
	 * a6 gpt-4o: 100 * 2.50e-6 + 50 * 10e-6 = 0.00025 + 0.0005 = 0.00075
	 * total 0.0045 + 0.0006 + 0.00012 + 0.00075 = 0.00597 */
	assert_close(q_dbl(&d, "SELECT cost_usd FROM task"), 0.00597);
	assert_close(q_dbl(&d, "SELECT cost_usd FROM span WHERE id = " SPAN("a2")), 0.0045);
	assert_close(q_dbl(&d, "SELECT cost_usd FROM span WHERE id = " SPAN("a5")), 0.00012);
	assert_int_equal(task_int(&d, "01", "start_ns"), T0 * 1000000000LL);
	assert_int_equal(task_int(&d, "01", "end_ns"), (T0 + 60) * 1000000000LL);
	assert_int_equal(task_int(&d, "01", "unpriced_calls"), 0);
	assert_int_equal(task_int(&d, "01", "eval"), 0);
	assert_text(&d, "svc-a", "SELECT name FROM service WHERE id = (SELECT system FROM task)");
	/* no agentcost.task.type: gen_ai.agent.name of the root */
	assert_text(&d, "planner", "SELECT name FROM label WHERE id = (SELECT task_type FROM task)");
	/* every span belongs to it */
	assert_int_equal(q_int(&d, "SELECT count(*) FROM span WHERE task = " TASK_OF("01")), 6);
	/* purposes: the explicit one, summarize by name, execute, tool, other */
	assert_text(&d, "other", PURPOSE("a1"));
	assert_text(&d, "plan", PURPOSE("a2"));
	assert_text(&d, "tool", PURPOSE("a3"));
	assert_text(&d, "execute", PURPOSE("a4"));
	assert_text(&d, "summarize", PURPOSE("a5"));
	assert_text(&d, "aggregate", PURPOSE("a6"));
	/* complexity: own (a1 complex, a4 simple), else the root's (complex) */
	assert_text(&d, "complex", COMPLEXITY("a1"));
	assert_text(&d, "complex", COMPLEXITY("a2"));
	assert_text(&d, "complex", COMPLEXITY("a3"));
	assert_text(&d, "simple", COMPLEXITY("a4"));
	assert_text(&d, "complex", COMPLEXITY("a6"));
	/* no failures; runs: every LLM span name differs, one tool call: 1 */
	assert_int_equal(task_int(&d, "01", "tool_failures"), 0);
	assert_int_equal(task_int(&d, "01", "retry_episodes"), 0);
	assert_int_equal(task_int(&d, "01", "retry_attempts"), 0);
	assert_int_equal(task_int(&d, "01", "max_repeat"), 1);
	/* top model by cost: gpt-4o 0.0045 + 0.00075 = 0.00525 > gpt-4o-mini
	 * 0.0006 + 0.00012 = 0.00072; top purpose by cost: plan 0.0045 (aggregate
	 * 0.00075, execute 0.0006, summarize 0.00012); top tool: search, 1 call */
	assert_text(&d, "gpt-4o", "SELECT name FROM model WHERE id = (SELECT top_model FROM task)");
	assert_text(&d, "plan", "SELECT name FROM label WHERE id = (SELECT top_purpose FROM task)");
	assert_text(&d, "search", "SELECT name FROM tool WHERE id = (SELECT top_tool FROM task)");
	assert_int_equal(task_int(&d, "01", "top_tool_calls"), 1);
	/* the rollup holds the task's cost and spans, every span keyed */
	assert_int_equal(q_int(&d, "SELECT count(*) FROM span WHERE rollup_key IS NULL"), 0);
	assert_int_equal(q_int(&d, "SELECT sum(spans) FROM rollup"), 6);
	assert_close(q_dbl(&d, "SELECT sum(cost_usd) FROM rollup"), 0.00597);
	assert_int_equal(q_int(&d, "SELECT sum(tokens_in) FROM rollup r JOIN rollup_key k ON "
	                           "k.id = r.key WHERE k.step = 1"),
	                 3500);
	/* the summarize span's rollup key says summarize, complexity complex */
	assert_text(&d, "summarize|complex",
	            "SELECT p.name || '|' || c.name FROM span s JOIN rollup_key k ON k.id = "
	            "s.rollup_key JOIN label p ON p.id = k.purpose JOIN label c ON c.id = "
	            "k.complexity WHERE s.id = " SPAN("a5"));
	db_close(&d);
}

static void test_rollup_rule(void **state)
{
	(void)state;
	db d;
	db_open(&d);
	text t = { 0 };
	trace_02_03(&t);
	ingest(&d, &t, 0);
	free(t.p);
	/* b1 is a rollup: chain (step 4), cost 0, not billable; its tokens stay */
	assert_int_equal(q_int(&d, "SELECT step FROM span WHERE id = " SPAN("b1")), 4);
	assert_close(q_dbl(&d, "SELECT cost_usd FROM span WHERE id = " SPAN("b1")), 0);
	assert_int_equal(q_int(&d, "SELECT cost_src FROM span WHERE id = " SPAN("b1")), 0);
	assert_int_equal(q_int(&d, "SELECT tokens_in FROM span WHERE id = " SPAN("b1")), 3000);
	/* c1 (3001 in) made a call of its own */
	assert_int_equal(q_int(&d, "SELECT step FROM span WHERE id = " SPAN("c1")), 1);
	/* task 02: the calls b2 and b4 only.
	 * b2: 1000 * 2.50e-6 + 100 * 10e-6 = 0.0025 + 0.001 = 0.0035
	 * b4: 2000 * 2.50e-6 + 200 * 10e-6 = 0.005 + 0.002 = 0.007; sum 0.0105 */
	assert_int_equal(task_int(&d, "02", "llm_calls"), 2);
	assert_int_equal(task_int(&d, "02", "tokens_in"), 3000);
	assert_int_equal(task_int(&d, "02", "tokens_out"), 300);
	assert_close(q_dbl(&d, "SELECT cost_usd FROM task WHERE id = " TASK_OF("02")), 0.0105);
	/* task 03: three calls; c1: 3001 * 2.50e-6 + 300 * 10e-6 = 0.0075025 +
	 * 0.003 = 0.0105025; 0.0105 + 0.0105025 = 0.0210025 */
	assert_int_equal(task_int(&d, "03", "llm_calls"), 3);
	assert_int_equal(task_int(&d, "03", "tokens_in"), 6001); /* 3001 + 1000 + 2000 */
	assert_int_equal(task_int(&d, "03", "tokens_out"), 600);  /* 300 + 100 + 200 */
	assert_close(q_dbl(&d, "SELECT cost_usd FROM task WHERE id = " TASK_OF("03")), 0.0210025);
	/* purposes: the rollup is a chain now: other; calls execute */
	assert_text(&d, "other", PURPOSE("b1"));
	assert_text(&d, "execute", PURPOSE("b4"));
	assert_text(&d, "execute", PURPOSE("c1"));
	/* complexity: b4 inherits medium from b1 through the chain b3 (nearest
	 * ancestor with one); b2 keeps its own simple */
	assert_text(&d, "medium", COMPLEXITY("b3"));
	assert_text(&d, "medium", COMPLEXITY("b4"));
	assert_text(&d, "simple", COMPLEXITY("b2"));
	/* the rollup's counted cost and tokens are the calls' only:
	 * 0.0105 + 0.0210025 = 0.0315025; LLM input 3000 + 6001 = 9001 */
	assert_close(q_dbl(&d, "SELECT sum(cost_usd) FROM rollup"), 0.0315025);
	assert_int_equal(q_int(&d, "SELECT sum(tokens_in) FROM rollup r JOIN rollup_key k ON "
	                           "k.id = r.key WHERE k.step = 1"),
	                 9001);
	/* the rollup rewritten as a chain is counted there as step 4, cost 0 */
	assert_int_equal(q_int(&d, "SELECT sum(spans) FROM rollup r JOIN rollup_key k ON "
	                           "k.id = r.key WHERE k.step = 4 AND k.model <> 0"),
	                 1);
	/* the call groups hold the calls only: 2 + 3 */
	text out = { 0 };
	dump_calls(&d, &out);
	long long calls = 0;
	for (const char *p = out.p; (p = strstr(p, "\n  ")); p++) {
		char m[64], c[64];
		long long day, grp, n;
		assert_int_equal(sscanf(p + 3, "%63s %63s %lld %lld %lld", m, c, &day, &grp, &n), 5);
		calls += n;
	}
	assert_int_equal(calls, 5);
	free(out.p);
	db_close(&d);
}

static void test_retry_episodes(void **state)
{
	(void)state;
	db d;
	db_open(&d);
	text t = { 0 };
	trace_04(&t);
	ingest(&d, &t, 0);
	free(t.p);
	assert_int_equal(task_int(&d, "04", "tool_calls"), 4);
	assert_int_equal(task_int(&d, "04", "tool_failures"), 3);  /* d1 d3 d6 */
	assert_int_equal(task_int(&d, "04", "retry_episodes"), 2); /* fetch, db */
	/* calls of the failing tool after its first failure: fetch d3, d4; db none */
	assert_int_equal(task_int(&d, "04", "retry_attempts"), 2);
	/* tool calls in start order fetch, fetch, fetch, db: a run of 3 */
	assert_int_equal(task_int(&d, "04", "max_repeat"), 3);
	assert_text(&d, "retry", PURPOSE("d1"));
	assert_text(&d, "retry", PURPOSE("d2"));
	assert_text(&d, "retry", PURPOSE("d3"));
	assert_text(&d, "tool", PURPOSE("d4"));
	assert_text(&d, "execute", PURPOSE("d5"));
	assert_text(&d, "retry", PURPOSE("d6"));
	assert_text(&d, "retry", PURPOSE("d7"));
	assert_text(&d, "other", PURPOSE("d0"));
	/* three calls of 100 * 0.15e-6 + 10 * 0.60e-6 = 0.000015 + 0.000006 =
	 * 0.000021: 0.000063; retry holds two of them (0.000042), execute one */
	assert_close(q_dbl(&d, "SELECT cost_usd FROM task"), 0.000063);
	assert_text(&d, "retry", "SELECT name FROM label WHERE id = (SELECT top_purpose FROM task)");
	assert_text(&d, "fetch", "SELECT name FROM tool WHERE id = (SELECT top_tool FROM task)");
	assert_int_equal(task_int(&d, "04", "top_tool_calls"), 3);
	db_close(&d);
}

static void test_task_id_groups_traces(void **state)
{
	(void)state;
	db d;
	db_open(&d);
	text t = { 0 };
	trace_05_06_07(&t);
	ingest(&d, &t, 0);
	free(t.p);
	assert_int_equal(q_int(&d, "SELECT count(*) FROM task"), 2); /* job-42, trace 07 */
	assert_int_equal(q_int(&d, "SELECT id >= %lld FROM task WHERE task_id = 'job-42'",
	                       (long long)AC_TASK_REF_BASE),
	                 1);
	assert_int_equal(q_int(&d, "SELECT spans FROM task WHERE task_id = 'job-42'"), 4);
	assert_int_equal(q_int(&d, "SELECT llm_calls FROM task WHERE task_id = 'job-42'"), 2);
	assert_int_equal(q_int(&d, "SELECT tokens_in FROM task WHERE task_id = 'job-42'"), 3000);
	assert_int_equal(q_int(&d, "SELECT tokens_out FROM task WHERE task_id = 'job-42'"), 700);
	/* e2 gpt-4o 0.0045 (as a2 above); f2 gpt-4o-mini 0.0006 (as a4) */
	assert_close(q_dbl(&d, "SELECT cost_usd FROM task WHERE task_id = 'job-42'"), 0.0051);
	assert_int_equal(q_int(&d, "SELECT start_ns FROM task WHERE task_id = 'job-42'"),
	                 T0 * 1000000000LL);
	assert_int_equal(q_int(&d, "SELECT end_ns FROM task WHERE task_id = 'job-42'"),
	                 (T0 + 110) * 1000000000LL);
	/* agentcost.task.type on any span (e1) */
	assert_text(&d, "batch",
	            "SELECT name FROM label WHERE id = (SELECT task_type FROM task WHERE task_id = "
	            "'job-42')");
	assert_int_equal(q_int(&d, "SELECT count(*) FROM task_trace WHERE task = (SELECT id FROM "
	                           "task WHERE task_id = 'job-42')"),
	                 2);
	assert_int_equal(q_int(&d, "SELECT count(*) FROM span WHERE task = (SELECT id FROM task "
	                           "WHERE task_id = 'job-42')"),
	                 4);
	/* trace 07: a task of its own, its type the root span's name */
	assert_int_equal(task_int(&d, "07", "spans"), 1);
	assert_text(&d, "chat alone",
	            "SELECT name FROM label WHERE id = (SELECT task_type FROM task WHERE id = " TASK_OF(
	                    "07") ")");
	/* the top model of job-42: gpt-4o 0.0045 > gpt-4o-mini 0.0006 */
	assert_text(&d, "gpt-4o",
	            "SELECT name FROM model WHERE id = (SELECT top_model FROM task WHERE task_id = "
	            "'job-42')");
	db_close(&d);
}

static void test_eval_tasks(void **state)
{
	(void)state;
	db d;
	db_open(&d);
	text t = { 0 };
	trace_08_09(&t);
	ingest(&d, &t, 0);
	free(t.p);
	assert_int_equal(task_int(&d, "08", "eval"), 1);
	assert_int_equal(task_int(&d, "09", "eval"), 1);
	/* every span of an eval task: eval, the explicit plan of 82 too */
	assert_text(&d, "eval", PURPOSE("81"));
	assert_text(&d, "eval", PURPOSE("82"));
	assert_text(&d, "eval", PURPOSE("91"));
	assert_text(&d, "eval", PURPOSE("92"));
	/* the rollup keys say eval */
	assert_int_equal(q_int(&d, "SELECT count(*) FROM span s JOIN rollup_key k ON k.id = "
	                           "s.rollup_key WHERE k.eval = 1"),
	                 4);
	db_close(&d);
}

/* Deriving again changes nothing: every trace marked dirty and derived. */
static void test_idempotent(void **state)
{
	(void)state;
	db d;
	db_open(&d);
	text t = { 0 };
	workload(&t);
	ingest(&d, &t, 0);
	char *a = dump(&d);
	ac_err err = AC_ERR_INIT;
	assert_int_equal(ac_store_exec(d.s, "INSERT OR IGNORE INTO dirty_trace(trace) SELECT id FROM trace",
	                               &err),
	                 0);
	assert_int_equal(ac_tasks_pending(d.s, &err), 9);
	ac_derive_stats ds;
	memset(&ds, 0, sizeof(ds));
	assert_int_equal(ac_tasks_derive(d.s, &ds, &err), 0);
	assert_int_equal(ds.traces, 9);
	char *b = dump(&d);
	assert_same_dump(a, b, "derived twice");
	free(b);
	/* the same spans again (another file): nothing new, same rows */
	ingest(&d, &t, 0);
	b = dump(&d);
	assert_same_dump(a, b, "ingested twice");
	free(b);
	/* a check that the dump sees the derived values at all */
	assert_non_null(strstr(a, "|summarize|complex|"));
	assert_non_null(strstr(a, "job-42|svc-e|batch|"));
	free(a);
	free(t.p);
	db_close(&d);
}

/* Lines of t in reverse order. */
static text reversed(const text *t)
{
	text r = { 0 };
	text_add(&r, "%s", "");
	const char *end = t->p + t->n;
	while (end > t->p) {
		const char *b = end - 1; /* the '\n' ending this line */
		while (b > t->p && b[-1] != '\n')
			b--;
		text_add(&r, "%.*s", (int)(end - b), b);
		end = b;
	}
	return r;
}

/* The same spans in another order, or in two batches with a derivation
 * between, or derived the usual way instead of before the insert: the same
 * rows. */
static void test_order_independent(void **state)
{
	(void)state;
	text all = { 0 };
	workload(&all);
	db ref;
	db_open(&ref);
	ingest(&ref, &all, 0);
	char *want = dump(&ref);
	assert_true(ref.early > 0); /* the fresh path was taken */

	/* reversed: children before parents, trace 09 first */
	text rev = reversed(&all);
	assert_int_equal(rev.n, all.n);
	db d;
	db_open(&d);
	ingest(&d, &rev, 0);
	char *got = dump(&d);
	assert_same_dump(want, got, "reversed");
	free(got);
	db_close(&d);

	/* two batches split inside traces (after every second line), each
	 * derived before the next: a rollup's children may come after it */
	text odd = { 0 }, even = { 0 };
	text_add(&odd, "%s", "");
	text_add(&even, "%s", "");
	int k = 0;
	for (const char *p = all.p; *p; k++) {
		const char *e = strchr(p, '\n');
		text_add(k % 2 ? &odd : &even, "%.*s", (int)(e + 1 - p), p);
		p = e + 1;
	}
	db_open(&d);
	ingest(&d, &odd, 0);
	ingest(&d, &even, 0);
	got = dump(&d);
	assert_same_dump(want, got, "odd lines, then even lines");
	free(got);
	db_close(&d);
	/* ... the other way round, the usual path */
	db_open(&d);
	ingest(&d, &even, 1);
	ingest(&d, &odd, 1);
	got = dump(&d);
	assert_same_dump(want, got, "even lines, then odd lines, no early derivation");
	free(got);
	db_close(&d);
	free(odd.p);
	free(even.p);
	free(rev.p);
	free(want);
	free(all.p);
	db_close(&ref);
}

/* ac_deriver_fresh (derived before the insert) and the insert then
 * ac_deriver_run give the same rows. */
static void test_fresh_equals_usual(void **state)
{
	(void)state;
	text all = { 0 };
	workload(&all);
	db fresh, usual;
	db_open(&fresh);
	ingest(&fresh, &all, 0);
	db_open(&usual);
	ingest(&usual, &all, 1);
	/* traces 05 and 06 (agentcost.task.id) cannot be derived alone; the
	 * other seven can */
	assert_int_equal(fresh.early, 7);
	assert_int_equal(usual.early, 0);
	char *a = dump(&fresh), *b = dump(&usual);
	assert_same_dump(a, b, "fresh vs usual");
	free(a);
	free(b);
	free(all.p);
	db_close(&fresh);
	db_close(&usual);
}

/* The usual path through the API itself: spans inserted with
 * ac_store_insert_span in a transaction, then ac_deriver_run over their
 * trace; the same task row as the ingest of the same spans. */
static void test_deriver_run_api(void **state)
{
	(void)state;
	db d;
	db_open(&d);
	ac_err err = AC_ERR_INIT;
	int64_t trace, svc, model, name_root, name_call, cx;
	uint8_t tid[16];
	memset(tid, 0xaa, 15);
	tid[15] = 0x01;
	assert_int_equal(ac_store_begin(d.s, &err), 0);
	assert_int_equal(ac_store_trace(d.s, tid, &trace, &err), 0);
	assert_int_equal(ac_store_dict(d.s, AC_DICT_SERVICE, "svc-x", 5, &svc, &err), 0);
	assert_int_equal(ac_store_dict(d.s, AC_DICT_MODEL, "gpt-4o", 6, &model, &err), 0);
	assert_int_equal(ac_store_dict(d.s, AC_DICT_SPAN_NAME, "root", 4, &name_root, &err), 0);
	assert_int_equal(ac_store_dict(d.s, AC_DICT_SPAN_NAME, "chat x", 6, &name_call, &err), 0);
	assert_int_equal(ac_store_dict(d.s, AC_DICT_LABEL, "complex", 7, &cx, &err), 0);
	const uint8_t sid_root[8] = { 0, 0, 0, 0, 0, 0, 0, 0x01 };
	const uint8_t sid_call[8] = { 0, 0, 0, 0, 0, 0, 0, 0x02 };
	ac_span_row r;
	memset(&r, 0, sizeof(r));
	r.trace = trace;
	r.span_id = sid_root;
	r.file = 1;
	r.start_ns = T0 * 1000000000LL;
	r.end_ns = (T0 + 10) * 1000000000LL;
	r.step = AC_STEP_AGENT;
	r.name = name_root;
	r.service = svc;
	r.cost = 0;
	r.complexity = cx;
	r.tier = -1;
	int ins;
	assert_int_equal(ac_store_insert_span(d.s, &r, &ins, &err), 0);
	assert_int_equal(ins, 1);
	r.span_id = sid_call;
	r.parent_id = sid_root;
	r.start_ns = (T0 + 1) * 1000000000LL;
	r.end_ns = (T0 + 2) * 1000000000LL;
	r.step = AC_STEP_LLM;
	r.name = name_call;
	r.model = model;
	r.complexity = 0;
	r.tok[0] = 1000;
	r.tok[1] = 200;
	r.tok_mask = 3;
	r.cost = 0.0045; /* 1000 * 2.50e-6 + 200 * 10e-6, as the pricing would give */
	r.cost_src = AC_COST_TABLE;
	assert_int_equal(ac_store_insert_span(d.s, &r, &ins, &err), 0);
	ac_deriver *dv = NULL;
	assert_int_equal(ac_deriver_new(&dv, d.s, &err), 0);
	if (ac_deriver_run(dv, &trace, 1, &err))
		fail_msg("deriver_run: %s", err.msg);
	assert_int_equal(ac_deriver_stats(dv)->tasks, 1);
	assert_int_equal(ac_deriver_stats(dv)->spans, 2);
	ac_deriver_free(dv);
	assert_int_equal(ac_store_commit(d.s, &err), 0);
	assert_int_equal(task_int(&d, "01", "spans"), 2);
	assert_int_equal(task_int(&d, "01", "llm_calls"), 1);
	assert_int_equal(task_int(&d, "01", "tokens_in"), 1000);
	assert_int_equal(task_int(&d, "01", "tokens_out"), 200);
	assert_close(q_dbl(&d, "SELECT cost_usd FROM task"), 0.0045);
	assert_text(&d, "svc-x", "SELECT name FROM service WHERE id = (SELECT system FROM task)");
	/* no task type, no agent name: the root span's name */
	assert_text(&d, "root", "SELECT name FROM label WHERE id = (SELECT task_type FROM task)");
	assert_text(&d, "execute", PURPOSE("02"));
	assert_text(&d, "complex", COMPLEXITY("02"));
	assert_int_equal(q_int(&d, "SELECT count(*) FROM span WHERE task IS NULL OR task < 0 OR "
	                           "rollup_key IS NULL OR rollup_key < 0"),
	                 0);
	assert_int_equal(q_int(&d, "SELECT sum(spans) FROM rollup"), 2);
	db_close(&d);
}

/*
 * Trace 0a: system and task type. The root has no service.name: the most
 * common service of the task, svc-y (2 spans) over svc-z (1, seen first).
 * agentcost.task.type on a child (triage) wins over the root's
 * gen_ai.agent.name (bot).
 *   a1 root "root" agent, gen_ai.agent.name bot, no service   t 0..10
 *   a2 "chat one" svc-z, agentcost.task.type triage            t 1..2
 *   a3 "chat two" svc-y                                       t 3..4
 *   a4 "chat three" svc-y                                     t 5..6
 * Trace 0b: a tie, svc-z (t 1) and svc-y (t 2) once each: the one seen first,
 * svc-z. The type: agent.name (helper) on the root.
 */
static void test_system_and_type(void **state)
{
	(void)state;
	db d;
	db_open(&d);
	text t = { 0 };
	const char *z = "\"service.name\":\"svc-z\"", *y = "\"service.name\":\"svc-y\"";
	span(&t, "0a", "a1", NULL, "root", 0, 10, "OK", AGENT ",\"gen_ai.agent.name\":\"bot\"", "");
	span(&t, "0a", "a2", "a1", "chat one", 1, 2, "OK",
	     LLM("gpt-4o-mini", 10, 10) ",\"agentcost.task.type\":\"triage\"", z);
	span(&t, "0a", "a3", "a1", "chat two", 3, 4, "OK", LLM("gpt-4o-mini", 10, 10), y);
	span(&t, "0a", "a4", "a1", "chat three", 5, 6, "OK", LLM("gpt-4o-mini", 10, 10), y);
	span(&t, "0b", "b1", NULL, "root", 0, 10, "OK", AGENT ",\"agent.name\":\"helper\"", "");
	span(&t, "0b", "b2", "b1", "chat one", 1, 2, "OK", LLM("gpt-4o-mini", 10, 10), z);
	span(&t, "0b", "b3", "b1", "chat two", 2, 3, "OK", LLM("gpt-4o-mini", 10, 10), y);
	ingest(&d, &t, 0);
	free(t.p);
	assert_text(&d, "svc-y",
	            "SELECT name FROM service WHERE id = (SELECT system FROM task WHERE id = " TASK_OF(
	                    "0a") ")");
	assert_text(&d, "triage",
	            "SELECT name FROM label WHERE id = (SELECT task_type FROM task WHERE id = " TASK_OF(
	                    "0a") ")");
	assert_text(&d, "svc-z",
	            "SELECT name FROM service WHERE id = (SELECT system FROM task WHERE id = " TASK_OF(
	                    "0b") ")");
	assert_text(&d, "helper",
	            "SELECT name FROM label WHERE id = (SELECT task_type FROM task WHERE id = " TASK_OF(
	                    "0b") ")");
	/* LLM span names chat one, two, three: no repeat */
	assert_int_equal(task_int(&d, "0a", "max_repeat"), 1);
	db_close(&d);
}

/*
 * Purposes, first match wins (trace 0c, svc-c):
 *   c0 root "loop" other                                   t 0..20 -> other
 *   c1 LLM "Chat SUMMARY" ("summar", any case)             t 1  -> summarize
 *   c2 tool summarizer ("summar" in a tool's name)         t 2  -> tool (LLM only)
 *   c3 tool fetch ERROR: episode [3, 9)                    t 3  -> retry
 *   c4 LLM agentcost.purpose summarize, in the episode     t 4  -> summarize
 *   c5 LLM agentcost.purpose plan, in the episode          t 5  -> retry
 *   c7 tool fetch OK (ends the episode)                    t 9  -> tool
 *   c6 LLM agentcost.purpose Retry (any case), outside     t 10 -> retry
 *   c8, c9 LLM "chat again", outside                       t 11, 12 -> execute
 */
static void test_purpose_rules(void **state)
{
	(void)state;
	db d;
	db_open(&d);
	text t = { 0 };
	const char *r = "\"service.name\":\"svc-c\"";
	span(&t, "0c", "c0", NULL, "loop", 0, 20, "OK", "\"x\":1", r);
	span(&t, "0c", "c1", "c0", "Chat SUMMARY", 1, 2, "OK", LLM("gpt-4o-mini", 10, 10), r);
	span(&t, "0c", "c2", "c0", "execute_tool summarizer", 2, 3, "OK", TOOL("summarizer"), r);
	span(&t, "0c", "c3", "c0", "execute_tool fetch", 3, 4, "ERROR", TOOL("fetch"), r);
	span(&t, "0c", "c4", "c0", "chat s", 4, 5, "OK",
	     LLM("gpt-4o-mini", 10, 10) ",\"agentcost.purpose\":\"summarize\"", r);
	span(&t, "0c", "c5", "c0", "chat p", 5, 6, "OK",
	     LLM("gpt-4o-mini", 10, 10) ",\"agentcost.purpose\":\"plan\"", r);
	span(&t, "0c", "c7", "c0", "execute_tool fetch", 9, 10, "OK", TOOL("fetch"), r);
	span(&t, "0c", "c6", "c0", "chat r", 10, 11, "OK",
	     LLM("gpt-4o-mini", 10, 10) ",\"agentcost.purpose\":\"Retry\"", r);
	span(&t, "0c", "c8", "c0", "chat again", 11, 12, "OK", LLM("gpt-4o-mini", 10, 10), r);
	span(&t, "0c", "c9", "c0", "chat again", 12, 13, "OK", LLM("gpt-4o-mini", 10, 10), r);
	ingest(&d, &t, 0);
	free(t.p);
	assert_text(&d, "other", PURPOSE("c0"));
	assert_text(&d, "summarize", PURPOSE("c1"));
	assert_text(&d, "tool", PURPOSE("c2"));
	assert_text(&d, "retry", PURPOSE("c3"));
	assert_text(&d, "summarize", PURPOSE("c4"));
	assert_text(&d, "retry", PURPOSE("c5"));
	assert_text(&d, "retry", PURPOSE("c6"));
	assert_text(&d, "tool", PURPOSE("c7"));
	assert_text(&d, "execute", PURPOSE("c8"));
	assert_text(&d, "execute", PURPOSE("c9"));
	/* one episode of fetch, one attempt (c7) after its failure */
	assert_int_equal(task_int(&d, "0c", "tool_failures"), 1);
	assert_int_equal(task_int(&d, "0c", "retry_episodes"), 1);
	assert_int_equal(task_int(&d, "0c", "retry_attempts"), 1);
	/* runs: tools summarizer, fetch, fetch: 2; LLM names ... chat again,
	 * chat again: 2 */
	assert_int_equal(task_int(&d, "0c", "max_repeat"), 2);
	/* six LLM calls of 10 * 0.15e-6 + 10 * 0.60e-6 = 0.0000075 each:
	 * summarize 2 (c1 c4) = 0.000015, retry 2 (c5 c6) = 0.000015, execute
	 * 2 (c8 c9) = 0.000015: a tie of three, the name first in byte order
	 * wins: execute */
	assert_close(q_dbl(&d, "SELECT cost_usd FROM task"), 0.000045);
	assert_text(&d, "execute", "SELECT name FROM label WHERE id = (SELECT top_purpose FROM task)");
	/* tools: fetch 2 calls, summarizer 1 */
	assert_text(&d, "fetch", "SELECT name FROM tool WHERE id = (SELECT top_tool FROM task)");
	assert_int_equal(task_int(&d, "0c", "top_tool_calls"), 2);
	db_close(&d);
}

/* The top tool when a tie is followed by a better tool and then a tie with
 * that one. The tools are met one file at a time, so their ids run t_b 1,
 * t_a 2, t_z 3, t_c 4 (the order the ties are judged in). Trace 0e calls
 * t_b and t_a once each (a tie: t_a by name), then t_z and t_c twice each:
 * t_z beats t_a, and t_c ties t_z and wins by name. The tie is judged
 * against t_z's name, not the t_a read at the first tie. */
static void test_top_tie_after_better(void **state)
{
	(void)state;
	db d;
	db_open(&d);
	const char *r = "\"service.name\":\"svc-e\"";
	const char *tools[4] = { "t_b", "t_a", "t_z", "t_c" };
	const char *traces[4] = { "e1", "e2", "e3", "e4" };
	for (int i = 0; i < 4; i++) {
		text t = { 0 };
		char attrs[128];
		snprintf(attrs, sizeof(attrs), TOOL("%s"), tools[i]);
		span(&t, traces[i], "a0", NULL, "run", 0, 2, "OK", "\"x\":1", r);
		span(&t, traces[i], "a1", "a0", "execute_tool", 1, 2, "OK", attrs, r);
		ingest(&d, &t, 0);
		free(t.p);
	}
	for (int i = 0; i < 4; i++)
		assert_int_equal(q_int(&d, "SELECT id FROM tool WHERE name = '%s'", tools[i]), i + 1);
	text t = { 0 };
	span(&t, "0e", "e0", NULL, "run", 0, 20, "OK", "\"x\":1", r);
	span(&t, "0e", "e1", "e0", "execute_tool", 1, 2, "OK", TOOL("t_b"), r);
	span(&t, "0e", "e2", "e0", "execute_tool", 2, 3, "OK", TOOL("t_a"), r);
	span(&t, "0e", "e3", "e0", "execute_tool", 3, 4, "OK", TOOL("t_z"), r);
	span(&t, "0e", "e4", "e0", "execute_tool", 4, 5, "OK", TOOL("t_z"), r);
	span(&t, "0e", "e5", "e0", "execute_tool", 5, 6, "OK", TOOL("t_c"), r);
	span(&t, "0e", "e6", "e0", "execute_tool", 6, 7, "OK", TOOL("t_c"), r);
	ingest(&d, &t, 0);
	free(t.p);
	assert_text(&d, "t_c", "SELECT name FROM tool WHERE id = (SELECT top_tool FROM task "
	                       "WHERE task_id = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa0e')");
	assert_int_equal(task_int(&d, "0e", "top_tool_calls"), 2);
	db_close(&d);
}

/* Eval tasks by the older deployment.environment key in another case, and
 * by an OpenInference EVALUATOR span; a prod task is not one. */
static void test_eval_variants(void **state)
{
	(void)state;
	db d;
	db_open(&d);
	text t = { 0 };
	span(&t, "0d", "d1", NULL, "run", 0, 5, "OK", LLM("gpt-4o-mini", 10, 10),
	     "\"service.name\":\"s\",\"deployment.environment\":\"Evaluation\"");
	span(&t, "0e", "e1", NULL, "run", 0, 5, "OK", AGENT, "\"service.name\":\"s\"");
	span(&t, "0e", "e2", "e1", "judge", 1, 2, "OK", "\"openinference.span.kind\":\"EVALUATOR\"",
	     "\"service.name\":\"s\"");
	span(&t, "0f", "f1", NULL, "run", 0, 5, "OK", LLM("gpt-4o-mini", 10, 10),
	     "\"service.name\":\"s\",\"deployment.environment.name\":\"evaluations\"");
	ingest(&d, &t, 0);
	free(t.p);
	assert_int_equal(task_int(&d, "0d", "eval"), 1);
	assert_int_equal(task_int(&d, "0e", "eval"), 1);
	assert_text(&d, "eval", PURPOSE("e1"));
	/* "evaluations" is neither eval nor evaluation */
	assert_int_equal(task_int(&d, "0f", "eval"), 0);
	assert_text(&d, "execute", PURPOSE("f1"));
	db_close(&d);
}

/* Unpriced calls: a model without a price and no producer cost (counted
 * unpriced, cost NULL, adds 0), one with the producer's cost (counted
 * unpriced too, its cost 0.01 counted). */
static void test_unpriced(void **state)
{
	(void)state;
	db d;
	db_open(&d);
	text t = { 0 };
	const char *r = "\"service.name\":\"s\"";
	span(&t, "10", "01", NULL, "run", 0, 10, "OK", AGENT, r);
	span(&t, "10", "02", "01", "chat m", 1, 2, "OK", LLM("mystery-model", 100, 10), r);
	span(&t, "10", "03", "01", "chat p", 3, 4, "OK",
	     LLM("other-mystery", 100, 10) ",\"llm.cost.total\":0.01", r);
	span(&t, "10", "04", "01", "chat k", 5, 6, "OK", LLM("gpt-4o-mini", 1000, 1000), r);
	ingest(&d, &t, 0);
	free(t.p);
	assert_int_equal(task_int(&d, "10", "llm_calls"), 3);
	assert_int_equal(task_int(&d, "10", "unpriced_calls"), 2);
	/* 0.01 + gpt-4o-mini 1000 * 0.15e-6 + 1000 * 0.60e-6 = 0.01 + 0.00015 +
	 * 0.0006 = 0.01075 */
	assert_close(q_dbl(&d, "SELECT cost_usd FROM task"), 0.01075);
	assert_int_equal(task_int(&d, "10", "tokens_in"), 1200);
	/* top model by counted cost: other-mystery 0.01 */
	assert_text(&d, "other-mystery",
	            "SELECT name FROM model WHERE id = (SELECT top_model FROM task)");
	db_close(&d);
}

/*
 * The rollup rule, more shapes (svc-r):
 * trace 11: nested rollups. r1 3000 / 300 above r2 3000 / 300 above r3
 *   1000 / 100 and r4 2000 / 200: r2 is the sums of r3 + r4, r1 the sums of
 *   r2 (its nearest LLM span): both rollups; the calls are r3 and r4.
 * trace 12: missing counts count 0. p1 has input 3000 and no output; q1
 *   1000, q2 2000, no outputs: p1 is a rollup.
 * trace 13: one call recorded twice (two libraries): u1 500 / 50 above u2
 *   500 / 50: u1 is the rollup.
 */
static void test_rollup_shapes(void **state)
{
	(void)state;
	db d;
	db_open(&d);
	text t = { 0 };
	const char *r = "\"service.name\":\"svc-r\"";
	span(&t, "11", "a1", NULL, "outer", 0, 20, "OK", LLM("gpt-4o", 3000, 300), r);
	span(&t, "11", "a2", "a1", "inner", 1, 19, "OK", LLM("gpt-4o", 3000, 300), r);
	span(&t, "11", "a3", "a2", "call 1", 2, 3, "OK", LLM("gpt-4o", 1000, 100), r);
	span(&t, "11", "a4", "a2", "call 2", 4, 5, "OK", LLM("gpt-4o", 2000, 200), r);
	const char *in_only = "\"gen_ai.operation.name\":\"chat\",\"gen_ai.request.model\":\"gpt-4o\","
	                      "\"gen_ai.usage.input_tokens\":";
	char a[256];
	snprintf(a, sizeof(a), "%s3000", in_only);
	span(&t, "12", "b1", NULL, "outer", 0, 20, "OK", a, r);
	snprintf(a, sizeof(a), "%s1000", in_only);
	span(&t, "12", "b2", "b1", "call 1", 2, 3, "OK", a, r);
	snprintf(a, sizeof(a), "%s2000", in_only);
	span(&t, "12", "b3", "b1", "call 2", 4, 5, "OK", a, r);
	span(&t, "13", "c1", NULL, "sdk", 0, 20, "OK", LLM("gpt-4o", 500, 50), r);
	span(&t, "13", "c2", "c1", "http", 1, 19, "OK", LLM("gpt-4o", 500, 50), r);
	ingest(&d, &t, 0);
	free(t.p);
	/* trace 11: a1, a2 chains; r3 0.0035 + r4 0.007 = 0.0105 (as b2, b4) */
	assert_int_equal(q_int(&d, "SELECT step FROM span WHERE id = " SPAN("a1")), 4);
	assert_int_equal(q_int(&d, "SELECT step FROM span WHERE id = " SPAN("a2")), 4);
	assert_int_equal(task_int(&d, "11", "llm_calls"), 2);
	assert_int_equal(task_int(&d, "11", "tokens_in"), 3000);
	assert_int_equal(task_int(&d, "11", "tokens_out"), 300);
	assert_close(q_dbl(&d, "SELECT cost_usd FROM task WHERE id = " TASK_OF("11")), 0.0105);
	/* trace 12: 1000 * 2.50e-6 + 2000 * 2.50e-6 = 0.0025 + 0.005 = 0.0075 */
	assert_int_equal(q_int(&d, "SELECT step FROM span WHERE id = " SPAN("b1")), 4);
	assert_int_equal(task_int(&d, "12", "llm_calls"), 2);
	assert_int_equal(task_int(&d, "12", "tokens_in"), 3000);
	assert_close(q_dbl(&d, "SELECT cost_usd FROM task WHERE id = " TASK_OF("12")), 0.0075);
	/* trace 13: one call, 500 * 2.50e-6 + 50 * 10e-6 = 0.00125 + 0.0005 = 0.00175 */
	assert_int_equal(q_int(&d, "SELECT step FROM span WHERE id = " SPAN("c1")), 4);
	assert_int_equal(q_int(&d, "SELECT step FROM span WHERE id = " SPAN("c2")), 1);
	assert_int_equal(task_int(&d, "13", "llm_calls"), 1);
	assert_close(q_dbl(&d, "SELECT cost_usd FROM task WHERE id = " TASK_OF("13")), 0.00175);
	/* the rollup table counts the same: 0.0105 + 0.0075 + 0.00175 = 0.01975 */
	assert_close(q_dbl(&d, "SELECT sum(cost_usd) FROM rollup"), 0.01975);
	db_close(&d);
}

/*
 * A failure episode spans the traces of a task (agentcost.task.id job-7):
 * tool api fails in trace 14 at t 1, succeeds in trace 15 at t 5; the LLM
 * call of trace 15 at t 3 starts inside the episode: retry.
 */
static void test_episode_across_traces(void **state)
{
	(void)state;
	db d;
	db_open(&d);
	text t = { 0 };
	const char *r = "\"service.name\":\"svc-j\"";
	span(&t, "14", "a1", NULL, "part 1", 0, 2, "OK", AGENT ",\"agentcost.task.id\":\"job-7\"", r);
	span(&t, "14", "a2", "a1", "execute_tool api", 1, 2, "ERROR", TOOL("api"), r);
	span(&t, "15", "b1", NULL, "part 2", 3, 9, "OK", AGENT ",\"agentcost.task.id\":\"job-7\"", r);
	span(&t, "15", "b2", "b1", "chat", 3, 4, "OK", LLM("gpt-4o-mini", 10, 10), r);
	span(&t, "15", "b3", "b1", "execute_tool api", 5, 6, "OK", TOOL("api"), r);
	ingest(&d, &t, 0);
	free(t.p);
	assert_int_equal(q_int(&d, "SELECT count(*) FROM task"), 1);
	assert_int_equal(q_int(&d, "SELECT retry_episodes FROM task"), 1);
	assert_int_equal(q_int(&d, "SELECT retry_attempts FROM task"), 1); /* b3 */
	assert_int_equal(q_int(&d, "SELECT tool_failures FROM task"), 1);
	assert_int_equal(q_int(&d, "SELECT max_repeat FROM task"), 2); /* api, api */
	assert_text(&d, "retry", PURPOSE("a2"));
	assert_text(&d, "retry", PURPOSE("b2"));
	assert_text(&d, "tool", PURPOSE("b3"));
	/* the root of part 1 starts at 0, before the episode; part 2's at 3,
	 * inside it */
	assert_text(&d, "other", PURPOSE("a1"));
	assert_text(&d, "retry", PURPOSE("b1"));
	db_close(&d);
}

/*
 * README "Attribute conventions": the status field is read from the
 * format's status, then error.type. A tool call whose span says error.type
 * but leaves the status unset is a failed call, so a failure episode.
 *
 * DEFECT: the parser keeps error.type in span.error_type only; the status
 * stays 0 (unset), and the derivation counts failures by status = 2: no
 * failure, no episode, the call after it is not a retry. Skipped so the
 * suite stays green; remove the skip when fixed.
 */
static void test_error_type_is_failure(void **state)
{
	(void)state;
	db d;
	db_open(&d);
	text t = { 0 };
	const char *r = "\"service.name\":\"svc-k\"";
	span(&t, "16", "a1", NULL, "loop", 0, 9, "OK", "\"x\":1", r);
	span(&t, "16", "a2", "a1", "execute_tool api", 1, 2, "UNSET",
	     TOOL("api") ",\"error.type\":\"timeout\"", r);
	span(&t, "16", "a3", "a1", "execute_tool api", 3, 4, "OK", TOOL("api"), r);
	ingest(&d, &t, 0);
	free(t.p);
	/* found as a defect (error.type was stored, the status left unset); now
	 * the failed call opens an episode and the next call of api closes it */
	assert_int_equal(task_int(&d, "16", "tool_failures"), 1);
	assert_int_equal(task_int(&d, "16", "retry_episodes"), 1);
	assert_int_equal(task_int(&d, "16", "retry_attempts"), 1);
	db_close(&d);
}

/*
 * Documented (tasks.c top comment, README "Counting a call once"): once
 * judged a rollup, a span stays one. x1 1000 / 100 above x2 1000 / 100 is a
 * rollup; when x3 2000 / 200 arrives below x1 in a later file, x1's counts
 * no longer equal the sums (3000 / 300) but it stays a chain. Ingested all
 * at once, x1 is a call of its own. So this is the one case where the
 * result depends on the order spans arrived in.
 */
static void test_rollup_is_final(void **state)
{
	(void)state;
	const char *r = "\"service.name\":\"svc-x\"";
	text first = { 0 }, later = { 0 }, all = { 0 };
	span(&first, "17", "01", NULL, "outer", 0, 10, "OK", LLM("gpt-4o", 1000, 100), r);
	span(&first, "17", "02", "01", "call 1", 1, 2, "OK", LLM("gpt-4o", 1000, 100), r);
	span(&later, "17", "03", "01", "call 2", 3, 4, "OK", LLM("gpt-4o", 2000, 200), r);
	text_add(&all, "%s%s", first.p, later.p);
	db d;
	db_open(&d);
	ingest(&d, &first, 0);
	assert_int_equal(q_int(&d, "SELECT step FROM span WHERE id = " SPAN("01")), 4);
	ingest(&d, &later, 0);
	assert_int_equal(q_int(&d, "SELECT step FROM span WHERE id = " SPAN("01")), 4);
	/* the calls x2 and x3: 0.0035 + 0.007 = 0.0105 (as b2, b4 above) */
	assert_int_equal(task_int(&d, "17", "llm_calls"), 2);
	assert_close(q_dbl(&d, "SELECT cost_usd FROM task"), 0.0105);
	db_close(&d);
	db_open(&d);
	ingest(&d, &all, 0);
	assert_int_equal(q_int(&d, "SELECT step FROM span WHERE id = " SPAN("01")), 1);
	/* x1 counted too: 1000 * 2.50e-6 + 100 * 10e-6 = 0.0035; 0.014 */
	assert_int_equal(task_int(&d, "17", "llm_calls"), 3);
	assert_close(q_dbl(&d, "SELECT cost_usd FROM task"), 0.014);
	db_close(&d);
	free(first.p);
	free(later.p);
	free(all.p);
}

/*
 * Two traces of one task (agentcost.task.id job-tie) whose roots start at
 * the same nanosecond: trace 18's root (svc-p, task type alpha), trace 19's
 * (svc-q, beta). Which is "the root" (system, task type) must not depend on
 * which trace arrived first (README "Tasks and step purposes": "the result
 * does not depend on how spans were split over files or in what order they
 * arrived").
 *
 * DEFECT: compute_task sorts a task's spans by (start, key) and takes the
 * first root; a span's key is its trace's row id << 24, and trace row ids
 * are given in arrival order. So the trace ingested first gives the task
 * its system and type: 18 then 19 gives svc-p / alpha, 19 then 18 svc-q /
 * beta. Skipped when the two differ, so the suite stays green.
 */
static void test_root_tie_across_traces(void **state)
{
	(void)state;
	text a = { 0 }, b = { 0 };
	span(&a, "18", "01", NULL, "part p", 0, 10, "OK",
	     AGENT ",\"agentcost.task.id\":\"job-tie\",\"agentcost.task.type\":\"alpha\"",
	     "\"service.name\":\"svc-p\"");
	span(&b, "19", "02", NULL, "part q", 0, 10, "OK",
	     AGENT ",\"agentcost.task.id\":\"job-tie\",\"agentcost.task.type\":\"beta\"",
	     "\"service.name\":\"svc-q\"");
	db d;
	db_open(&d);
	ingest(&d, &a, 0);
	ingest(&d, &b, 0);
	char *ab = dump(&d);
	db_close(&d);
	db_open(&d);
	ingest(&d, &b, 0);
	ingest(&d, &a, 0);
	char *ba = dump(&d);
	/* one task of two spans either way */
	assert_int_equal(q_int(&d, "SELECT count(*) FROM task"), 1);
	assert_int_equal(q_int(&d, "SELECT spans FROM task"), 2);
	db_close(&d);
	/* the same rows whatever the arrival order (found as a defect: the tie
	 * went by row key, which follows arrival across traces; now by span id) */
	assert_string_equal(ab, ba);
	/* span 01 starts the task on a tie: its system and type */
	assert_non_null(strstr(ab, "svc-p"));
	assert_non_null(strstr(ab, "alpha"));
	free(ab);
	free(ba);
	free(a.p);
	free(b.p);
}

struct hk {
	uint32_t h;
	uint32_t i;
};

static int by_hk(const void *a, const void *b)
{
	const struct hk *x = a, *y = b;
	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* Two span ids (as 16 hex digits) whose keys collide in any trace: the
 * low 24 bits of ac_span_key are the same. */
static void colliding_ids(char a[17], char b[17])
{
	enum { N = 1 << 16 }; /* ~ 2^12 draws give a collision among 2^24 */
	struct hk *v = malloc(N * sizeof(*v));
	assert_non_null(v);
	for (uint32_t i = 0; i < N; i++) {
		uint8_t sid[8] = { 0x5e, 0, 0, 0, 0, 0, (uint8_t)(i >> 8), (uint8_t)i };
		v[i].h = (uint32_t)((uint64_t)ac_span_key(1, sid) & AC_SPAN_KEY_MASK);
		v[i].i = i;
	}
	qsort(v, N, sizeof(*v), by_hk);
	size_t k = 1;
	while (k < N && v[k].h != v[k - 1].h)
		k++;
	assert_true(k < N);
	snprintf(a, 17, "5e00000000%06x", v[k - 1].i);
	snprintf(b, 17, "5e00000000%06x", v[k].i);
	free(v);
}

/*
 * Two spans of one trace whose keys collide (the store gives the second
 * the next free key): the ingest derives such a trace the usual way (it
 * cannot know the keys before the inserts). Whichever span comes first,
 * and by either path, the same rows: root r0 (svc-h, t 0..10), children
 * A "chat a" and B "chat b" (gpt-4o-mini 10 / 10 each, both at t 1).
 */
static void test_key_collision(void **state)
{
	(void)state;
	char a[17], b[17];
	colliding_ids(a, b);
	const char *r = "\"service.name\":\"svc-h\"";
	text ab = { 0 }, ba = { 0 };
	char line[1024];
	span(&ab, "1a", "01", NULL, "root", 0, 10, "OK", AGENT, r);
	span(&ba, "1a", "01", NULL, "root", 0, 10, "OK", AGENT, r);
	for (int pass = 0; pass < 2; pass++) {
		const char *first = pass ? b : a, *second = pass ? a : b;
		text *t = pass ? &ba : &ab;
		const char *ids[2] = { first, second };
		for (int j = 0; j < 2; j++) {
			snprintf(line, sizeof(line),
			         "{\"trace_id\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1a\",\"span_id\":\"%s\","
			         "\"parent_span_id\":\"0000000000000001\",\"name\":\"%s\","
			         "\"start_time_unix_nano\":%lld,\"end_time_unix_nano\":%lld,"
			         "\"status\":\"OK\",\"attributes\":{" LLM("gpt-4o-mini", 10, 10) "},"
			         "\"resource\":{%s}}\n",
			         ids[j], ids[j] == a ? "chat a" : "chat b", (T0 + 1) * 1000000000LL,
			         (T0 + 2) * 1000000000LL, r);
			text_add(t, "%s", line);
		}
	}
	db d1, d2, d3;
	db_open(&d1);
	ingest(&d1, &ab, 0);
	db_open(&d2);
	ingest(&d2, &ba, 0);
	db_open(&d3);
	ingest(&d3, &ab, 1);
	/* three spans, two calls: 2 * (10 * 0.15e-6 + 10 * 0.60e-6) = 0.000015 */
	assert_int_equal(task_int(&d1, "1a", "spans"), 3);
	assert_int_equal(task_int(&d1, "1a", "llm_calls"), 2);
	assert_close(q_dbl(&d1, "SELECT cost_usd FROM task"), 0.000015);
	/* the two keys are neighbours: the collision took place */
	assert_int_equal(q_int(&d1, "SELECT max(id) - min(id) FROM span WHERE name = (SELECT id "
	                            "FROM span_name WHERE name = 'chat a') OR name = (SELECT id FROM "
	                            "span_name WHERE name = 'chat b')"),
	                 1);
	char *x1 = dump(&d1), *x2 = dump(&d2), *x3 = dump(&d3);
	assert_same_dump(x1, x2, "colliding keys, A first vs B first");
	assert_same_dump(x1, x3, "colliding keys, fresh vs usual");
	free(x1);
	free(x2);
	free(x3);
	db_close(&d1);
	db_close(&d2);
	db_close(&d3);
	free(ab.p);
	free(ba.p);
}

/*
 * The two paths through the API itself, on one trace of seven spans (trace
 * "aa..02", service svc-x):
 *   01 root agent "root", complexity complex                  t 0..20
 *   02 LLM "chat x" gpt-4o 1000 / 200          (parent 01)     t 1..2
 *   03 LLM "agent call" gpt-4o 3000 / 300      (parent 01)     t 3..6
 *   04 LLM "call a" gpt-4o 1000 / 100          (parent 03)     t 4
 *   05 LLM "call b" gpt-4o 2000 / 200          (parent 03)     t 5
 *   06 tool search ERROR                       (parent 01)     t 7
 *   07 LLM "chat y" gpt-4o 100 / 50            (parent 01)     t 8
 * Costs as the pricing gives them (gpt-4o 2.50 / 10.00): 02 0.0045, 03
 * 0.0105 (3000 * 2.5e-6 + 300 * 10e-6), 04 0.0035, 05 0.007, 07 0.00075.
 * 03 is a rollup (1000 + 2000, 100 + 200); 07 starts in the search
 * episode [7, end): retry.
 */
enum { NAPI = 7 };
static uint8_t API_SID[NAPI][8];

static void api_rows(db *d, ac_span_row *rows, int64_t *trace)
{
	ac_err err = AC_ERR_INIT;
	uint8_t tid[16];
	memset(tid, 0xaa, 15);
	tid[15] = 0x02;
	int64_t svc, model, tool, cx, nm[NAPI];
	static const char *names[NAPI] = { "root",   "chat x",       "agent call", "call a",
		                           "call b", "execute_tool search", "chat y" };
	assert_int_equal(ac_store_trace(d->s, tid, trace, &err), 0);
	assert_int_equal(ac_store_dict(d->s, AC_DICT_SERVICE, "svc-x", 5, &svc, &err), 0);
	assert_int_equal(ac_store_dict(d->s, AC_DICT_MODEL, "gpt-4o", 6, &model, &err), 0);
	assert_int_equal(ac_store_dict(d->s, AC_DICT_TOOL, "search", 6, &tool, &err), 0);
	assert_int_equal(ac_store_dict(d->s, AC_DICT_LABEL, "complex", 7, &cx, &err), 0);
	for (int i = 0; i < NAPI; i++)
		assert_int_equal(ac_store_dict(d->s, AC_DICT_SPAN_NAME, names[i], strlen(names[i]),
		                               &nm[i], &err),
		                 0);
	static const struct {
		int parent; /* index, -1 root */
		int start, end, step, status;
		int64_t in, out;
		double cost;
	} sp[NAPI] = {
		{ -1, 0, 20, AC_STEP_AGENT, 0, 0, 0, 0 },
		{ 0, 1, 2, AC_STEP_LLM, 0, 1000, 200, 0.0045 },
		{ 0, 3, 6, AC_STEP_LLM, 0, 3000, 300, 0.0105 },
		{ 2, 4, 5, AC_STEP_LLM, 0, 1000, 100, 0.0035 },
		{ 2, 5, 6, AC_STEP_LLM, 0, 2000, 200, 0.007 },
		{ 0, 7, 8, AC_STEP_TOOL, 2, 0, 0, 0 },
		{ 0, 8, 9, AC_STEP_LLM, 0, 100, 50, 0.00075 },
	};
	for (int i = 0; i < NAPI; i++) {
		memset(API_SID[i], 0, 8);
		API_SID[i][7] = (uint8_t)(i + 1);
	}
	for (int i = 0; i < NAPI; i++) {
		ac_span_row *r = &rows[i];
		memset(r, 0, sizeof(*r));
		r->trace = *trace;
		r->span_id = API_SID[i];
		r->parent_id = sp[i].parent < 0 ? NULL : API_SID[sp[i].parent];
		r->file = 1;
		r->start_ns = (T0 + sp[i].start) * 1000000000LL;
		r->end_ns = (T0 + sp[i].end) * 1000000000LL;
		r->step = sp[i].step;
		r->status = sp[i].status;
		r->name = nm[i];
		r->service = svc;
		r->tier = -1;
		if (sp[i].step == AC_STEP_LLM) {
			r->model = model;
			r->tok[0] = sp[i].in;
			r->tok[1] = sp[i].out;
			r->tok_mask = 3;
			r->cost_src = AC_COST_TABLE;
		}
		r->cost = sp[i].cost;
		if (sp[i].step == AC_STEP_TOOL)
			r->tool = tool;
		if (i == 0)
			r->complexity = cx;
		r->key = ac_span_key(*trace, API_SID[i]);
	}
}

static int by_key(const void *a, const void *b)
{
	const ac_span_row *x = a, *y = b;
	return x->key < y->key ? -1 : x->key > y->key;
}

/* The figures of the trace above, whichever path derived it. */
static void check_api_trace(db *d)
{
	/* calls 02, 04, 05, 07: 1000 + 1000 + 2000 + 100 = 4100 in, 200 + 100 +
	 * 200 + 50 = 550 out; 0.0045 + 0.0035 + 0.007 + 0.00075 = 0.01575 */
	assert_int_equal(task_int(d, "02", "spans"), 7);
	assert_int_equal(task_int(d, "02", "llm_calls"), 4);
	assert_int_equal(task_int(d, "02", "tokens_in"), 4100);
	assert_int_equal(task_int(d, "02", "tokens_out"), 550);
	assert_close(q_dbl(d, "SELECT cost_usd FROM task"), 0.01575);
	assert_int_equal(task_int(d, "02", "tool_failures"), 1);
	assert_int_equal(task_int(d, "02", "retry_episodes"), 1);
	assert_int_equal(task_int(d, "02", "retry_attempts"), 0);
	assert_int_equal(q_int(d, "SELECT step FROM span WHERE id = " SPAN("03")), 4);
	assert_close(q_dbl(d, "SELECT cost_usd FROM span WHERE id = " SPAN("03")), 0);
	assert_text(d, "retry", PURPOSE("07"));
	assert_text(d, "complex", COMPLEXITY("05"));
	assert_text(d, "root", "SELECT name FROM label WHERE id = (SELECT task_type FROM task)");
	assert_int_equal(q_int(d, "SELECT count(*) FROM span WHERE task IS NULL OR task < 0 OR "
	                          "rollup_key IS NULL OR rollup_key < 0 OR purpose_eff < 0"),
	                 0);
	/* the rollup: 7 spans; counted cost 0.01575 */
	assert_int_equal(q_int(d, "SELECT sum(spans) FROM rollup"), 7);
	assert_close(q_dbl(d, "SELECT sum(cost_usd) FROM rollup"), 0.01575);
}

/* ac_deriver_fresh before the inserts, its derived rows inserted, then an
 * ac_deriver_run with no traces for the rollup sums; against the inserts
 * then ac_deriver_run over the trace. */
static void test_deriver_fresh_api(void **state)
{
	(void)state;
	ac_err err = AC_ERR_INIT;
	ac_span_row rows[NAPI];
	int64_t trace;
	int ins;
	/* the usual path */
	db u;
	db_open(&u);
	assert_int_equal(ac_store_begin(u.s, &err), 0);
	api_rows(&u, rows, &trace);
	for (int i = 0; i < NAPI; i++) {
		assert_int_equal(ac_store_insert_span(u.s, &rows[i], &ins, &err), 0);
		assert_int_equal(ins, 1);
	}
	ac_deriver *dv = NULL;
	assert_int_equal(ac_deriver_new(&dv, u.s, &err), 0);
	if (ac_deriver_run(dv, &trace, 1, &err))
		fail_msg("deriver_run: %s", err.msg);
	assert_int_equal(ac_deriver_stats(dv)->early, 0);
	ac_deriver_free(dv);
	assert_int_equal(ac_store_commit(u.s, &err), 0);
	check_api_trace(&u);
	/* the fresh path */
	db f;
	db_open(&f);
	assert_int_equal(ac_store_begin(f.s, &err), 0);
	api_rows(&f, rows, &trace);
	qsort(rows, NAPI, sizeof(rows[0]), by_key);
	assert_int_equal(ac_deriver_new(&dv, f.s, &err), 0);
	assert_int_equal(ac_deriver_refresh(dv, &err), 0);
	int done = -1;
	uint8_t tid[16]; /* api_rows' trace id: the task row is keyed by it */
	memset(tid, 0xaa, 15);
	tid[15] = 0x02;
	if (ac_deriver_fresh(dv, trace, tid, rows, NAPI, &done, &err))
		fail_msg("deriver_fresh: %s", err.msg);
	assert_int_equal(done, 1);
	assert_int_equal(ac_deriver_stats(dv)->early, 1);
	for (int i = 0; i < NAPI; i++) {
		assert_int_equal(rows[i].derived, 1);
		assert_int_equal(ac_store_insert_span(f.s, &rows[i], &ins, &err), 0);
		assert_int_equal(ins, 1);
		assert_int_equal(ac_store_last_span_key(f.s), rows[i].key);
	}
	if (ac_deriver_run(dv, NULL, 0, &err))
		fail_msg("deriver_run: %s", err.msg);
	ac_deriver_free(dv);
	assert_int_equal(ac_store_commit(f.s, &err), 0);
	check_api_trace(&f);
	char *a = dump(&u), *b = dump(&f);
	assert_same_dump(a, b, "ac_deriver_run vs ac_deriver_fresh");
	free(a);
	free(b);
	db_close(&u);
	db_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_trace),
		cmocka_unit_test(test_rollup_rule),
		cmocka_unit_test(test_retry_episodes),
		cmocka_unit_test(test_task_id_groups_traces),
		cmocka_unit_test(test_eval_tasks),
		cmocka_unit_test(test_idempotent),
		cmocka_unit_test(test_order_independent),
		cmocka_unit_test(test_fresh_equals_usual),
		cmocka_unit_test(test_deriver_run_api),
		cmocka_unit_test(test_system_and_type),
		cmocka_unit_test(test_purpose_rules),
		cmocka_unit_test(test_top_tie_after_better),
		cmocka_unit_test(test_eval_variants),
		cmocka_unit_test(test_unpriced),
		cmocka_unit_test(test_rollup_shapes),
		cmocka_unit_test(test_episode_across_traces),
		cmocka_unit_test(test_error_type_is_failure),
		cmocka_unit_test(test_rollup_is_final),
		cmocka_unit_test(test_deriver_fresh_api),
		cmocka_unit_test(test_root_tie_across_traces),
		cmocka_unit_test(test_key_collision),
	};
	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
