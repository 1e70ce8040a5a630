/*
 * Unit tests of the store (src/store/store.h): opening and migrating a fresh
 * ":memory:" database, reopening a file store, the dictionary and trace id
 * caches (also across a rolled-back transaction), span insertion with
 * identity de-duplication and collision probing of the span key, the blocks
 * of original span texts, and the ingested-file ledger. Expected rows are
 * read back with plain SQL on ac_store_db().
 *
 * Tests marked DEFECT assert the behaviour store.h promises and failed against
 * the code when they were written; see the comment at each.
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
#include <sqlite3.h>

#include "pricing/pricing.h"
#include "store/store.h"

/* Helpers ---------------------------------------------------------------- */

/* Debian 12's cmocka compares floats as float: compare doubles here. */
#define assert_close(a, b, rel, abs_) assert_close_at((a), (b), (rel), (abs_), #a, __FILE__, __LINE__)

static void assert_close_at(double a, double b, double rel, double abs_, const char *what,
                            const char *file, int line)
{
	double d = fabs(a - b);
	if (d <= abs_ || d <= rel * fmax(fabs(a), fabs(b)))
		return;
	print_error("%s = %.17g, expected %.17g\n", what, a, b);
	_fail(file, line);
}

static char tmpdir[64];

static int group_setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/ac_test_store_XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

/* Remove a store file and its WAL companions. */
static void remove_store(const char *path)
{
	char p[300];
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-journal", path);
	unlink(p);
}

static int group_teardown(void **state)
{
	(void)state;
	return rmdir(tmpdir);
}

static ac_store *open_mem(void)
{
	ac_store *s = NULL;
	ac_err err = AC_ERR_INIT;
	int rc = ac_store_open(&s, ":memory:", AC_STORE_CREATE, &err);
	if (rc != 0) {
		print_error("open: %d %s\n", rc, err.msg);
		fail();
	}
	assert_non_null(s);
	return s;
}

static void exec(ac_store *s, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(ac_store_db(s), sql, NULL, NULL, &msg) != SQLITE_OK) {
		print_error("sql failed: %s: %s\n", sql, msg ? msg : "?");
		sqlite3_free(msg);
		fail();
	}
}

/* The single integer of a query; -1 for NULL (checked by callers that care). */
static long long q_int(ac_store *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static long long q_int(ac_store *s, const char *fmt, ...)
{
	char sql[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(ac_store_db(s), sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("prepare %s: %s", sql, sqlite3_errmsg(ac_store_db(s)));
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long v = sqlite3_column_type(st, 0) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The single text of a query into out ("<null>" for NULL). */
static void q_text(ac_store *s, char *out, size_t cap, const char *sql)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(ac_store_db(s), sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("prepare %s: %s", sql, sqlite3_errmsg(ac_store_db(s)));
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	const unsigned char *t = sqlite3_column_text(st, 0);
	snprintf(out, cap, "%s", t ? (const char *)t : "<null>");
	sqlite3_finalize(st);
}

/* The single double of a query; NAN for NULL. */
static double q_double(ac_store *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static double q_double(ac_store *s, const char *fmt, ...)
{
	char sql[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(ac_store_db(s), sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("prepare %s: %s", sql, sqlite3_errmsg(ac_store_db(s)));
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	double v = sqlite3_column_type(st, 0) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Name of dictionary row id in table. */
static void dict_name(ac_store *s, const char *table, int64_t id, char *out, size_t cap)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT name FROM %s WHERE id = %lld", table, (long long)id);
	q_text(s, out, cap, sql);
}

static int64_t dict(ac_store *s, int d, const char *str)
{
	int64_t id = -1;
	ac_err err = AC_ERR_INIT;
	int rc = ac_store_dict(s, d, str, strlen(str), &id, &err);
	if (rc != 0)
		fail_msg("dict %s: %d %s", str, rc, err.msg);
	return id;
}

static int64_t trace(ac_store *s, const uint8_t tid[16])
{
	int64_t id = -1;
	ac_err err = AC_ERR_INIT;
	int rc = ac_store_trace(s, tid, &id, &err);
	if (rc != 0)
		fail_msg("trace: %d %s", rc, err.msg);
	return id;
}

/* A trace id whose bytes are all b except the last, which is last. */
static void tid_of(uint8_t out[16], uint8_t b, uint8_t last)
{
	memset(out, b, 16);
	out[15] = last;
}

/* Uppercase hex of 16 bytes, as SQLite's hex() writes it. */
static const char *hex16(const uint8_t b[16])
{
	static char out[33];
	for (int i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02X", b[i]);
	return out;
}

static const uint8_t SPAN_A[8] = { 0xee, 0xe1, 0x9b, 0x7e, 0xc3, 0xc1, 0xb1, 0x74 };
static const uint8_t SPAN_B[8] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };
static const uint8_t PARENT[8] = { 0xaa, 0xaa, 0xbb, 0xbb, 0xcc, 0xcc, 0xdd, 0xdd };

/* A minimal span row: every optional field absent. */
static ac_span_row row_of(int64_t tr, const uint8_t *span_id)
{
	ac_span_row r;
	memset(&r, 0, sizeof(r));
	r.trace = tr;
	r.span_id = span_id;
	r.file = 1;
	r.start_ns = 1748779200000000000LL;
	r.end_ns = 1748779201500000000LL;
	r.step = AC_STEP_OTHER;
	r.cost = NAN;
	r.cost_src = AC_COST_NONE;
	return r;
}

static int insert(ac_store *s, const ac_span_row *r, ac_err *err)
{
	int inserted = -1;
	int rc = ac_store_insert_span(s, r, &inserted, err);
	if (rc != 0)
		return rc;
	assert_true(inserted == 0 || inserted == 1);
	return inserted;
}

/* Open, schema ----------------------------------------------------------- */

static void test_open_schema(void **state)
{
	(void)state;
	ac_store *s = open_mem();
	int want = ac_store_schema_version();
	assert_true(want >= 1);
	assert_true(q_int(s, "PRAGMA user_version") == want);
	assert_string_equal(ac_store_path(s), ":memory:");
	/* the tables of schema/001_init.sql */
	static const char *const tables[] = { "file",  "model",     "service",   "tool",
		                              "span_name", "label", "task_ref", "trace",
		                              "raw_block", "span",  "price",    "tool_price" };
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		if (q_int(s, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '%s'",
		          tables[i]) != 1)
			fail_msg("no table %s", tables[i]);
	}
	assert_true(q_int(s, "SELECT count(*) FROM span") == 0);

	/* ac_store_exec reports SQL errors as AC_ESQL with a message */
	ac_err err = AC_ERR_INIT;
	assert_int_equal(ac_store_exec(s, "SELECT * FROM no_such_table", &err), AC_ESQL);
	assert_int_equal(err.code, AC_ESQL);
	assert_non_null(strstr(err.msg, "no_such_table"));
	ac_store_close(s);
	ac_store_close(NULL); /* a no-op */

	/* two in-memory stores are independent */
	ac_store *a = open_mem(), *b = open_mem();
	assert_true(dict(a, AC_DICT_MODEL, "only-in-a") > 0);
	assert_true(q_int(b, "SELECT count(*) FROM model") == 0);
	ac_store_close(a);
	ac_store_close(b);
}

static void test_reopen(void **state)
{
	(void)state;
	char path[128], schema1[16384], schema2[16384];
	snprintf(path, sizeof(path), "%s/reopen.db", tmpdir);
	ac_err err = AC_ERR_INIT;
	ac_store *s = NULL;

	/* missing without AC_STORE_CREATE */
	assert_int_equal(ac_store_open(&s, path, 0, &err), AC_EIO);
	assert_null(s);
	assert_int_not_equal(access(path, F_OK), 0);

	assert_int_equal(ac_store_open(&s, path, AC_STORE_CREATE, &err), 0);
	int64_t m1 = dict(s, AC_DICT_MODEL, "m1");
	uint8_t tid[16];
	tid_of(tid, 0x42, 1);
	int64_t t1 = trace(s, tid);
	q_text(s, schema1, sizeof(schema1),
	       "SELECT group_concat(type || ' ' || name || ' ' || coalesce(sql, ''), ';') FROM "
	       "(SELECT * FROM sqlite_master ORDER BY name)");
	ac_store_close(s);

	/* reopening migrates nothing: same version, same schema, same rows */
	s = NULL;
	assert_int_equal(ac_store_open(&s, path, 0, &err), 0);
	assert_true(q_int(s, "PRAGMA user_version") == ac_store_schema_version());
	q_text(s, schema2, sizeof(schema2),
	       "SELECT group_concat(type || ' ' || name || ' ' || coalesce(sql, ''), ';') FROM "
	       "(SELECT * FROM sqlite_master ORDER BY name)");
	assert_string_equal(schema1, schema2);
	assert_true(q_int(s, "SELECT count(*) FROM model") == 1);
	/* fresh caches: the ids come from the database */
	assert_true(dict(s, AC_DICT_MODEL, "m1") == m1);
	assert_true(trace(s, tid) == t1);
	assert_true(q_int(s, "SELECT count(*) FROM trace") == 1);
	ac_store_close(s);

	/* read-only open of the same store */
	s = NULL;
	assert_int_equal(ac_store_open(&s, path, AC_STORE_READONLY, &err), 0);
	assert_true(q_int(s, "SELECT count(*) FROM model") == 1);
	ac_store_close(s);

	/* a store written by a newer agentcost is refused, not downgraded */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char sql[64];
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", ac_store_schema_version() + 1);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	s = NULL;
	ac_err_clear(&err);
	assert_int_equal(ac_store_open(&s, path, 0, &err), AC_ESQL);
	assert_null(s);
	assert_non_null(strstr(err.msg, "newer"));
	remove_store(path);
}

/* Dictionaries and traces --------------------------------------------------- */

static void test_dict(void **state)
{
	(void)state;
	ac_store *s = open_mem();
	static const char *const tables[AC_DICT_COUNT] = { "model", "service",  "tool",
		                                           "span_name", "label", "task_ref",
		                                           "dim_value", "resource" };
	char name[64];
	for (int d = 0; d < AC_DICT_COUNT; d++) {
		int64_t a = dict(s, d, "gpt-4o");
		int64_t b = dict(s, d, "gpt-4o-mini");
		int64_t c = dict(s, d, "GPT-4O"); /* case matters */
		assert_true(a > 0 && b > 0 && c > 0);
		assert_true(a != b && a != c && b != c);
		assert_true(dict(s, d, "gpt-4o") == a);
		assert_true(dict(s, d, "gpt-4o-mini") == b);
		/* the length, not the NUL, delimits the string */
		int64_t id = -1;
		ac_err err = AC_ERR_INIT;
		assert_int_equal(ac_store_dict(s, d, "gpt-4o-mini", 6, &id, &err), 0);
		assert_true(id == a);
		/* the empty string is "no value": id 0, nothing stored */
		assert_int_equal(ac_store_dict(s, d, "", 0, &id, &err), 0);
		assert_true(id == 0);
		assert_true(q_int(s, "SELECT count(*) FROM %s", tables[d]) == 3);
		dict_name(s, tables[d], a, name, sizeof(name));
		assert_string_equal(name, "gpt-4o");
		dict_name(s, tables[d], b, name, sizeof(name));
		assert_string_equal(name, "gpt-4o-mini");
	}
	/* many strings: distinct ids, stable on a second pass */
	int64_t ids[2000];
	char str[32];
	for (int i = 0; i < 2000; i++) {
		snprintf(str, sizeof(str), "tool-%d", i);
		ids[i] = dict(s, AC_DICT_TOOL, str);
	}
	for (int i = 0; i < 2000; i++) {
		snprintf(str, sizeof(str), "tool-%d", i);
		assert_true(dict(s, AC_DICT_TOOL, str) == ids[i]);
	}
	assert_true(q_int(s, "SELECT count(DISTINCT id) FROM tool") == 2000 + 3);
	ac_store_close(s);
}

static void test_dict_rollback(void **state)
{
	(void)state;
	ac_store *s = open_mem();
	ac_err err = AC_ERR_INIT;
	char name[64];
	int64_t keep = dict(s, AC_DICT_MODEL, "keep"); /* committed (autocommit) */

	assert_int_equal(ac_store_begin(s, &err), 0);
	int64_t gone = dict(s, AC_DICT_MODEL, "gone");
	assert_true(gone > 0 && gone != keep);
	ac_store_rollback(s);

	/* the rolled-back row is not there; a new string may take its rowid, so
	 * "gone" must not come back with its old (now foreign) id */
	assert_true(q_int(s, "SELECT count(*) FROM model WHERE name = 'gone'") == 0);
	int64_t other = dict(s, AC_DICT_MODEL, "other");
	int64_t gone2 = dict(s, AC_DICT_MODEL, "gone");
	assert_true(gone2 != other);
	assert_true(gone2 != keep);
	dict_name(s, "model", gone2, name, sizeof(name));
	assert_string_equal(name, "gone");
	dict_name(s, "model", other, name, sizeof(name));
	assert_string_equal(name, "other");
	/* a committed id survives the rollback */
	assert_true(dict(s, AC_DICT_MODEL, "keep") == keep);

	/* the same for traces */
	uint8_t t1[16], t2[16], t0[16];
	tid_of(t0, 0x10, 0);
	tid_of(t1, 0x11, 1);
	tid_of(t2, 0x12, 2);
	int64_t k0 = trace(s, t0);
	assert_int_equal(ac_store_begin(s, &err), 0);
	int64_t g1 = trace(s, t1);
	assert_true(g1 != k0);
	ac_store_rollback(s);
	int64_t o2 = trace(s, t2);
	int64_t g1b = trace(s, t1);
	assert_true(g1b != o2);
	assert_true(q_int(s, "SELECT count(*) FROM trace WHERE id = %lld AND hex(trace_id) = '%s'",
	                  (long long)g1b, hex16(t1)) == 1);
	assert_true(trace(s, t0) == k0);

	/* a committed transaction keeps its ids */
	assert_int_equal(ac_store_begin(s, &err), 0);
	int64_t c = dict(s, AC_DICT_LABEL, "committed");
	assert_int_equal(ac_store_commit(s, &err), 0);
	ac_store_rollback(s); /* nothing open: only drops the caches */
	assert_true(dict(s, AC_DICT_LABEL, "committed") == c);
	assert_true(q_int(s, "SELECT count(*) FROM label") == 1);
	ac_store_close(s);
}

static void test_trace(void **state)
{
	(void)state;
	ac_store *s = open_mem();
	uint8_t a[16], b[16], c[16];
	tid_of(a, 0x5b, 0x0c);
	tid_of(b, 0x5b, 0x0d); /* differs in the last byte only */
	tid_of(c, 0x00, 0x01);
	int64_t ia = trace(s, a), ib = trace(s, b), ic = trace(s, c);
	assert_true(ia > 0 && ib > 0 && ic > 0);
	assert_true(ia != ib && ia != ic && ib != ic);
	assert_true(trace(s, a) == ia);
	assert_true(trace(s, b) == ib);
	assert_true(q_int(s, "SELECT count(*) FROM trace") == 3);
	/* the 16 bytes are stored as they are */
	assert_true(q_int(s, "SELECT hex(trace_id) = '%s' FROM trace WHERE id = %lld", hex16(b),
	                  (long long)ib) == 1);
	assert_string_equal(hex16(b), "5B5B5B5B5B5B5B5B5B5B5B5B5B5B5B0D");
	assert_true(q_int(s, "SELECT length(trace_id) FROM trace WHERE id = %lld", (long long)ic) == 16);
	ac_store_close(s);
}

/* Spans ------------------------------------------------------------------ */

static void test_insert_span(void **state)
{
	(void)state;
	ac_store *s = open_mem();
	ac_err err = AC_ERR_INIT;
	uint8_t tid[16];
	tid_of(tid, 0x5b, 1);
	int64_t tr = trace(s, tid);

	ac_span_row r = row_of(tr, SPAN_A);
	assert_int_equal(insert(s, &r, &err), 1);
	assert_int_equal(insert(s, &r, &err), 0); /* the same (trace, span_id) again */
	/* even with other fields changed: identity is (trace, span_id) */
	r.start_ns += 5;
	r.step = AC_STEP_LLM;
	assert_int_equal(insert(s, &r, &err), 0);
	assert_true(q_int(s, "SELECT count(*) FROM span") == 1);

	/* the row id is the span key, inside the trace's range */
	int64_t key = ac_span_key(tr, SPAN_A);
	assert_true((key >> AC_SPAN_KEY_BITS) == tr);
	assert_true(q_int(s, "SELECT id FROM span") == key);
	/* the first insert's values were kept */
	assert_true(q_int(s, "SELECT start_ns FROM span") == 1748779200000000000LL);
	assert_true(q_int(s, "SELECT end_ns FROM span") == 1748779201500000000LL);
	assert_true(q_int(s, "SELECT step FROM span") == AC_STEP_OTHER);
	assert_true(q_int(s, "SELECT trace FROM span") == tr);
	assert_true(q_int(s, "SELECT span_id = x'eee19b7ec3c1b174' FROM span") == 1);
	/* absent values are NULL */
	assert_true(q_int(s, "SELECT count(*) FROM span WHERE parent_span_id IS NULL AND name IS NULL"
	                     " AND model IS NULL AND tokens_in IS NULL AND tokens_reasoning IS NULL"
	                     " AND cost_usd IS NULL AND producer_cost_usd IS NULL AND eval_score IS"
	                     " NULL AND raw_block IS NULL AND raw_off IS NULL") == 1);

	/* a full row */
	ac_span_row f = row_of(tr, SPAN_B);
	f.parent_id = PARENT;
	f.step = AC_STEP_LLM;
	f.status = 2;
	f.name = dict(s, AC_DICT_SPAN_NAME, "chat gpt-4o");
	f.model = dict(s, AC_DICT_MODEL, "gpt-4o");
	f.tok[0] = 1000;
	f.tok[1] = 200;
	f.tok[2] = 0;
	f.tok[3] = 77; /* not in the mask: stored as NULL */
	f.tok[4] = 50;
	f.tok_mask = 1 | 2 | 4 | 16;
	f.cost = 0.0045;
	f.cost_src = AC_COST_TABLE;
	f.producer_cost = 0.004;
	f.has_producer_cost = 1;
	f.eval_score = 0.75;
	f.has_eval_score = 1;
	f.raw_block = 3;
	f.raw_off = 100;
	f.raw_len = 250;
	assert_int_equal(insert(s, &f, &err), 1);
	int64_t kb = ac_span_key(tr, SPAN_B);
	assert_true(q_int(s, "SELECT parent_span_id = x'aaaabbbbccccdddd' FROM span WHERE id = %lld",
	                  (long long)kb) == 1);
	assert_true(q_int(s, "SELECT status FROM span WHERE id = %lld", (long long)kb) == 2);
	assert_true(q_int(s, "SELECT model FROM span WHERE id = %lld", (long long)kb) == f.model);
	assert_true(q_int(s, "SELECT tokens_in FROM span WHERE id = %lld", (long long)kb) == 1000);
	assert_true(q_int(s, "SELECT tokens_out FROM span WHERE id = %lld", (long long)kb) == 200);
	assert_true(q_int(s, "SELECT tokens_cache_read FROM span WHERE id = %lld", (long long)kb) == 0);
	assert_true(q_int(s, "SELECT tokens_cache_write IS NULL FROM span WHERE id = %lld",
	                  (long long)kb) == 1);
	assert_true(q_int(s, "SELECT tokens_reasoning FROM span WHERE id = %lld", (long long)kb) == 50);
	assert_true(q_int(s, "SELECT cost_src FROM span WHERE id = %lld", (long long)kb) ==
	            AC_COST_TABLE);
	assert_true(q_int(s, "SELECT raw_len FROM span WHERE id = %lld", (long long)kb) == 250);
	assert_close(q_double(s, "SELECT cost_usd FROM span WHERE id = %lld", (long long)kb), 0.0045,
	             0, 0);
	assert_close(q_double(s, "SELECT producer_cost_usd FROM span WHERE id = %lld", (long long)kb),
	             0.004, 0, 0);
	assert_close(q_double(s, "SELECT eval_score FROM span WHERE id = %lld", (long long)kb), 0.75,
	             0, 0);
	/* the minimal row's cost is NULL (NAN in) */
	assert_true(isnan(q_double(s, "SELECT cost_usd FROM span WHERE id = %lld", (long long)key)));

	/* the same span id in another trace is another span */
	uint8_t tid2[16];
	tid_of(tid2, 0x5b, 2);
	int64_t tr2 = trace(s, tid2);
	ac_span_row o = row_of(tr2, SPAN_A);
	assert_int_equal(insert(s, &o, &err), 1);
	assert_int_equal(insert(s, &o, &err), 0);
	assert_true(q_int(s, "SELECT count(*) FROM span") == 3);
	assert_true(q_int(s, "SELECT count(*) FROM span WHERE trace = %lld", (long long)tr2) == 1);
	ac_store_close(s);
}

static void test_span_collision(void **state)
{
	(void)state;
	ac_store *s = open_mem();
	ac_err err = AC_ERR_INIT;
	uint8_t tid[16];
	tid_of(tid, 0x77, 7);
	int64_t tr = trace(s, tid);
	int64_t key = ac_span_key(tr, SPAN_A);

	/* another span of the trace already holds SPAN_A's key */
	exec(s, "BEGIN");
	char sql[512];
	snprintf(sql, sizeof(sql),
	         "INSERT INTO span(id, span_id, file, start_ns, end_ns, step, status, cost_src)"
	         " VALUES (%lld, x'0102030405060708', 1, 0, 0, 0, 0, 0)",
	         (long long)key);
	exec(s, sql);
	exec(s, "COMMIT");

	ac_span_row r = row_of(tr, SPAN_A);
	assert_int_equal(insert(s, &r, &err), 1);
	/* probed to key + 1; the planted row is untouched */
	assert_true(q_int(s, "SELECT id FROM span WHERE span_id = x'eee19b7ec3c1b174'") == key + 1);
	assert_true(q_int(s, "SELECT id FROM span WHERE span_id = x'0102030405060708'") == key);
	/* a second insert finds it at key + 1: a duplicate */
	assert_int_equal(insert(s, &r, &err), 0);
	assert_true(q_int(s, "SELECT count(*) FROM span") == 2);

	/* two rows in the way: probed to key + 2 */
	int64_t kb = ac_span_key(tr, SPAN_B);
	/* (SPAN_B's key lies apart from SPAN_A's) */
	assert_true(kb != key && kb != key + 1 && kb + 1 != key && kb + 1 != key + 1);
	snprintf(sql, sizeof(sql),
	         "INSERT INTO span(id, span_id, file, start_ns, end_ns, step, status,"
	         " cost_src) VALUES (%lld, x'0a0b0c0d0e0f0001', 1, 0, 0, 0, 0, 0),"
	         " (%lld, x'0a0b0c0d0e0f0002', 1, 0, 0, 0, 0, 0)",
	         (long long)kb, (long long)kb + 1);
	exec(s, sql);
	ac_span_row b = row_of(tr, SPAN_B);
	assert_int_equal(insert(s, &b, &err), 1);
	assert_true(q_int(s, "SELECT id FROM span WHERE span_id = x'1122334455667788'") == kb + 2);
	assert_int_equal(insert(s, &b, &err), 0);
	assert_true(q_int(s, "SELECT count(*) FROM span") == 5);
	/* and the first span is still recognised */
	assert_int_equal(insert(s, &r, &err), 0);
	ac_store_close(s);
}

/* DEFECT: a span whose key falls at the end of its trace's range, with that
 * slot taken by another span, is refused with AC_ELIMIT ("trace holds more
 * than 16777216 spans") although the trace holds a handful: probing runs
 * past (trace << 24) + 2^24 - 1 instead of wrapping to the start of the
 * range. store.h promises AC_ELIMIT only when the range is full. */
static void test_span_key_range_end(void **state)
{
	(void)state;
	ac_store *s = open_mem();
	ac_err err = AC_ERR_INIT;
	uint8_t tid[16];
	tid_of(tid, 0x33, 3);
	int64_t tr = trace(s, tid);
	int64_t last = (tr << AC_SPAN_KEY_BITS) | (int64_t)AC_SPAN_KEY_MASK;

	/* find a span id whose key is within 16 of the end of the range
	 * (about one id in a million) */
	uint8_t id[8];
	int64_t key = 0;
	uint64_t c;
	for (c = 1; c < 200000000ULL; c++) {
		for (int k = 0; k < 8; k++)
			id[k] = (uint8_t)(c >> (8 * k));
		key = ac_span_key(tr, id);
		if (key >= last - 15)
			break;
	}
	assert_true(key >= last - 15 && key <= last);

	/* other spans hold every key from there to the end of the range */
	exec(s, "BEGIN");
	for (int64_t k = key; k <= last; k++) {
		char sql[512];
		snprintf(sql, sizeof(sql),
		         "INSERT INTO span(id, span_id, file, start_ns, end_ns, step, status,"
		         " cost_src) VALUES (%lld, x'ffffffffffff%04x', 1, 0, 0, 0, 0, 0)",
		         (long long)k, (unsigned)(k - key));
		exec(s, sql);
	}
	exec(s, "COMMIT");

	ac_span_row r = row_of(tr, id);
	int rc = insert(s, &r, &err);
	if (rc != 1) {
		ac_store_close(s);
		fail_msg("insert with %lld of 16777216 keys taken: %d (%s)", last - key + 1, rc, err.msg);
	}
	/* stored inside the trace's range, and found again */
	assert_true(q_int(s, "SELECT count(*) FROM span WHERE trace = %lld AND id >> 24 = %lld",
	                  (long long)tr, (long long)tr) == last - key + 2);
	assert_int_equal(insert(s, &r, &err), 0);
	ac_store_close(s);
}

/* Original span texts ------------------------------------------------------ */

static void test_raw_blocks(void **state)
{
	(void)state;
	ac_store *s = open_mem();
	ac_err err = AC_ERR_INIT;
	int64_t id = -1;
	assert_int_equal(ac_store_next_raw_id(s, &id, &err), 0);
	assert_true(id == 1); /* an empty table starts at 1 */
	assert_int_equal(ac_store_insert_raw(s, 1, 5, "abc", 3, &err), 0);
	assert_int_equal(ac_store_next_raw_id(s, &id, &err), 0);
	assert_true(id == 2);
	/* binary content, NUL bytes included */
	assert_int_equal(ac_store_insert_raw(s, 2, 5, "x\0y\xff", 4, &err), 0);
	assert_true(q_int(s, "SELECT z = x'780079ff' FROM raw_block WHERE id = 2") == 1);
	assert_true(q_int(s, "SELECT z = x'616263' AND file = 5 FROM raw_block WHERE id = 1") == 1);

	/* inside a write transaction, ids count up from the reserved one */
	assert_int_equal(ac_store_begin(s, &err), 0);
	assert_int_equal(ac_store_next_raw_id(s, &id, &err), 0);
	assert_true(id == 3);
	assert_int_equal(ac_store_insert_raw(s, id, 6, "p", 1, &err), 0);
	assert_int_equal(ac_store_insert_raw(s, id + 1, 6, "q", 1, &err), 0);
	ac_store_rollback(s);
	/* rolled back: the ids are free again */
	assert_int_equal(ac_store_next_raw_id(s, &id, &err), 0);
	assert_true(id == 3);

	/* a taken id is an SQL error, with a message */
	ac_err_clear(&err);
	assert_int_equal(ac_store_insert_raw(s, 1, 5, "dup", 3, &err), AC_ESQL);
	assert_true(err.msg[0] != '\0');
	/* ids are max + 1, not count + 1 */
	assert_int_equal(ac_store_insert_raw(s, 10, 5, "z", 1, &err), 0);
	assert_int_equal(ac_store_next_raw_id(s, &id, &err), 0);
	assert_true(id == 11);
	ac_store_close(s);
}

/* The file ledger --------------------------------------------------------- */

/* A timestamp written by the store: YYYY-MM-DDTHH:MM:SS.mmmZ */
static void assert_iso(const char *t)
{
	assert_int_equal(strlen(t), 24);
	assert_true(t[4] == '-' && t[7] == '-' && t[10] == 'T' && t[13] == ':' && t[16] == ':' &&
	            t[19] == '.' && t[23] == 'Z');
}

/* A SQLite store answers its embedded queries and not the ClickHouse-only
 * ones (the router replays in C there), and refuses a list parameter. */
static void test_answers_and_lists(void **state)
{
	(void)state;
	ac_store *s = open_mem();
	ac_err err = AC_ERR_INIT;
	assert_true(ac_store_answers(s, "summary_tasks.sql"));
	assert_false(ac_store_answers(s, "router_groups.sql"));
	assert_false(ac_store_answers(s, "no_such_query.sql"));
	ac_rows *r = NULL;
	assert_int_equal(ac_store_rows(s, "summary_tasks.sql", INT64_MIN, INT64_MAX, NULL, 0, &r, &err),
	                 0);
	static const uint64_t keys[] = { 1, 2 };
	ac_rows_bind_u64s(r, 4, keys, 2);
	assert_int_equal(ac_rows_next(r, &err), AC_EINVAL);
	assert_non_null(strstr(err.msg, "list parameter"));
	ac_rows_free(r);
	ac_store_close(s);
}

static void test_file_ledger(void **state)
{
	(void)state;
	ac_store *s = open_mem();
	ac_err err = AC_ERR_INIT;
	const char *q = "00112233aabbccdd";      /* quick fingerprint */
	const char *content = "0123456789abcdef"; /* content hash, known at the end */
	char seen[17];
	int64_t f1 = -1;
	assert_int_equal(ac_store_file_begin(s, "traces.jsonl", 1000, q, "plain", &f1, &err), 0);
	assert_true(f1 > 0);
	/* begun, not finished: not seen */
	assert_int_equal(ac_store_file_seen(s, q, 1000, seen, &err), 0);
	char text[128];
	q_text(s, text, sizeof(text), "SELECT started_at FROM file");
	assert_iso(text);
	q_text(s, text, sizeof(text), "SELECT coalesce(finished_at, 'running') FROM file");
	assert_string_equal(text, "running");

	ac_file_counts c = { 10, 25, 20, 0, 1, "otlp", NULL, content };
	assert_int_equal(ac_store_file_finish(s, f1, &c, &err), 0);
	/* complete, no errors, same size: seen, with its content hash */
	assert_int_equal(ac_store_file_seen(s, q, 1000, seen, &err), 1);
	assert_string_equal(seen, content);
	/* the same fingerprint with another size, or another fingerprint: not seen */
	assert_int_equal(ac_store_file_seen(s, q, 1001, seen, &err), 0);
	assert_int_equal(ac_store_file_seen(s, "00112233aabbccde", 1000, seen, &err), 0);
	q_text(s, text, sizeof(text),
	       "SELECT printf('%s|%d|%s|%s|%d|%d|%d|%d|%d|%s|%s', path, size, quick_hash, content_hash,"
	       " records, spans, spans_new, errors, complete, format, coalesce(note, 'null')) FROM file");
	assert_string_equal(text,
	                    "traces.jsonl|1000|00112233aabbccdd|0123456789abcdef|10|25|20|0|1|otlp|null");
	q_text(s, text, sizeof(text), "SELECT finished_at FROM file");
	assert_iso(text);

	/* complete but with errors: not seen (a re-ingest may do better) */
	const char *q2 = "1111111111111111";
	int64_t f2;
	assert_int_equal(ac_store_file_begin(s, "b.jsonl", 50, q2, "zstd", &f2, &err), 0);
	ac_file_counts c2 = { 3, 2, 2, 1, 1, "flat", NULL, content };
	assert_int_equal(ac_store_file_finish(s, f2, &c2, &err), 0);
	assert_int_equal(ac_store_file_seen(s, q2, 50, seen, &err), 0);

	/* incomplete (interrupted), no errors: not seen; the note is kept */
	const char *q3 = "2222222222222222";
	int64_t f3;
	assert_int_equal(ac_store_file_begin(s, "c.jsonl", 70, q3, "plain", &f3, &err), 0);
	ac_file_counts c3 = { 3, 3, 3, 0, 0, NULL, "read error", NULL };
	assert_int_equal(ac_store_file_finish(s, f3, &c3, &err), 0);
	assert_int_equal(ac_store_file_seen(s, q3, 70, seen, &err), 0);
	q_text(s, text, sizeof(text), "SELECT format || '|' || note FROM file WHERE path = 'c.jsonl'");
	assert_string_equal(text, "unknown|read error");

	/* the same content again, this time complete: seen */
	int64_t f4;
	assert_int_equal(ac_store_file_begin(s, "c-again.jsonl", 70, q3, "plain", &f4, &err), 0);
	assert_true(f4 != f3);
	ac_file_counts c4 = { 3, 3, 0, 0, 1, "flat", NULL, "fedcba9876543210" };
	assert_int_equal(ac_store_file_finish(s, f4, &c4, &err), 0);
	assert_int_equal(ac_store_file_seen(s, q3, 70, seen, &err), 1);
	assert_string_equal(seen, "fedcba9876543210");

	/* standard input: no size, no fingerprint */
	int64_t f5;
	assert_int_equal(ac_store_file_begin(s, "-", -1, NULL, "plain", &f5, &err), 0);
	assert_true(q_int(s, "SELECT size IS NULL AND quick_hash IS NULL FROM file WHERE id = %lld",
	                  (long long)f5) == 1);
	assert_true(q_int(s, "SELECT count(*) FROM file") == 5);
	ac_store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_schema),
		cmocka_unit_test(test_reopen),
		cmocka_unit_test(test_dict),
		cmocka_unit_test(test_dict_rollback),
		cmocka_unit_test(test_trace),
		cmocka_unit_test(test_insert_span),
		cmocka_unit_test(test_span_collision),
		cmocka_unit_test(test_span_key_range_end),
		cmocka_unit_test(test_raw_blocks),
		cmocka_unit_test(test_file_ledger),
		cmocka_unit_test(test_answers_and_lists),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
