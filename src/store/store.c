/*
 * The store: open, migrate, transactions, dictionary and trace caches, span
 * insertion with identity de-duplication. See store.h.
 *
 * Identity. A span is (trace_id, span_id). Checking that with a composite
 * key over random 24-byte ids makes every insert a random probe into a wide
 * index. Instead the span's rowid is its key: (trace.id << 24) | (a 24-bit
 * hash of span_id). INSERT OR IGNORE does the check; when it ignores, the row
 * holding that key is compared with ours: the same span (a re-ingest) or a
 * different span of the same trace whose hash collided, in which case the key
 * is probed forward (+1) inside the trace's range. Trace ids are numbered as
 * they first appear, so new spans append at the end of the table B-tree, and
 * a trace's spans are one contiguous rowid range (no index needed to read one).
 */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <unistd.h>
#include <time.h>

#include "../util/hash.h"
#include "../util/hex.h"
#include "ch_store.h"
#include "../util/map.h"
#include "../util/rbin.h"
#include "../util/timeutil.h"

typedef struct {
	const char *name;
	const char *text;
	size_t len;
} ac_embedded;

extern const ac_embedded ac_schema_files[];
extern const ac_embedded ac_query_files[];

static const char *const DICT_TABLE[AC_DICT_COUNT] = {
	"model", "service", "tool", "span_name", "label", "task_ref", "dim_value", "resource",
};

/* Cache caps: dictionaries are small; traces are one per task. */
#define DICT_CACHE_LIMIT 200000
#define TRACE_CACHE_LIMIT 400000
#define AC_PAGE_SIZE 16384

struct ac_store {
	sqlite3 *db;
	char *path;
	ac_map dict[AC_DICT_COUNT];
	ac_map traces;
	sqlite3_stmt *dict_get[AC_DICT_COUNT];
	sqlite3_stmt *dict_put[AC_DICT_COUNT];
	sqlite3_stmt *dict_name[AC_DICT_COUNT]; /* ac_store_name */
	sqlite3_stmt *trace_get, *trace_put;
	sqlite3_stmt *span_put, *span_same, *trace_max;
	int64_t last_key;
	sqlite3_stmt *raw_put;
	int no_rollup; /* ac_store_opts */
	ac_ch *ch;     /* a clickhouse:// store: the reads go there; db is an empty
	                * in-memory store (built-in prices, no pending tasks) */
	ac_qtask_ch *qtask; /* its q_task (qtask.c) */
};

int ac_store_fail(ac_store *s, ac_err *err, const char *what)
{
	int ext = sqlite3_extended_errcode(s->db);
	const char *msg = sqlite3_errmsg(s->db);
	switch (ext & 0xff) {
	case SQLITE_FULL:
		return ac_err_set(err, AC_ESQL, "%s: %s: disk full (%s)", s->path, what, msg);
	case SQLITE_READONLY:
		return ac_err_set(err, AC_ESQL, "%s: %s: the store is read-only (%s)", s->path, what, msg);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return ac_err_set(err, AC_ESQL, "%s: %s: the store is locked by another process (%s)",
		                  s->path, what, msg);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return ac_err_set(err, AC_ESQL, "%s: %s: not an agentcost store or corrupt (%s)", s->path,
		                  what, msg);
	}
	return ac_err_set(err, AC_ESQL, "%s: %s: %s", s->path, what, msg);
}

int ac_store_exec(ac_store *s, const char *sql, ac_err *err)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return ac_store_fail(s, err, "exec");
	return 0;
}

int ac_store_begin(ac_store *s, ac_err *err)
{
	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return ac_store_fail(s, err, "begin transaction");
	return 0;
}

int ac_store_commit(ac_store *s, ac_err *err)
{
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		int rc = ac_store_fail(s, err, "commit");
		ac_store_rollback(s);
		return rc;
	}
	return 0;
}

void ac_store_rollback(ac_store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	/* ids handed out inside the transaction no longer exist */
	for (int d = 0; d < AC_DICT_COUNT; d++)
		ac_map_clear(&s->dict[d]);
	ac_map_clear(&s->traces);
}

int ac_store_schema_version(void)
{
	int v = 0;
	for (const ac_embedded *e = ac_schema_files; e->name; e++)
		v = atoi(e->name) > v ? atoi(e->name) : v;
	return v;
}

static int user_version(ac_store *s, int *v, ac_err *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return ac_store_fail(s, err, "read schema version");
	int rc = sqlite3_step(st);
	*v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return ac_store_fail(s, err, "read schema version");
	return 0;
}

static int migrate(ac_store *s, ac_err *err)
{
	int have, rc;
	if ((rc = user_version(s, &have, err)))
		return rc;
	int want = ac_store_schema_version();
	if (have > want)
		return ac_err_set(err, AC_ESQL,
		                  "%s: store schema version %d is newer than this agentcost (%d)",
		                  s->path, have, want);
	if (have == want)
		return 0;
	if ((rc = ac_store_begin(s, err)))
		return rc;
	/* re-read under the write lock: another process may have migrated */
	if ((rc = user_version(s, &have, err)))
		goto fail;
	for (const ac_embedded *e = ac_schema_files; e->name; e++) {
		int v = atoi(e->name);
		if (v <= have)
			continue;
		if (sqlite3_exec(s->db, e->text, NULL, NULL, NULL) != SQLITE_OK) {
			rc = ac_store_fail(s, err, e->name);
			goto fail;
		}
		char sql[64];
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v);
		if ((rc = ac_store_exec(s, sql, err)))
			goto fail;
	}
	return ac_store_commit(s, err);
fail:
	ac_store_rollback(s);
	return rc;
}

static int prep(ac_store *s, sqlite3_stmt **st, const char *sql, ac_err *err)
{
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
		return ac_store_fail(s, err, "prepare");
	return 0;
}

int ac_store_open(ac_store **out, const char *path, int flags, ac_err *err)
{
	return ac_store_open_opts(out, path, flags, NULL, err);
}

/* SQL ac_rbin(x): ac_rbin_of(x) of a number, 0 of NULL or text. */
static void sql_rbin(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int t = sqlite3_value_numeric_type(argv[0]);
	double x = t == SQLITE_INTEGER || t == SQLITE_FLOAT ? sqlite3_value_double(argv[0]) : 0;
	sqlite3_result_int64(ctx, ac_rbin_of(x));
}

int ac_store_open_opts(ac_store **out, const char *path, int flags, const ac_store_opts *o,
                       ac_err *err)
{
	static const ac_store_opts defaults;
	if (!o)
		o = &defaults;
	int rc = 0;
	*out = NULL;
	ac_store *s = calloc(1, sizeof(*s));
	if (!s)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	s->path = strdup(path);
	for (int d = 0; d < AC_DICT_COUNT; d++)
		ac_map_init(&s->dict[d], DICT_CACHE_LIMIT);
	ac_map_init(&s->traces, TRACE_CACHE_LIMIT);
	if (ac_ch_is_url(path)) {
		if ((rc = ac_chs_open(&s->ch, path, (flags & AC_STORE_CREATE) != 0, err)))
			goto fail;
		path = ":memory:";
		flags &= ~AC_STORE_READONLY;
	}

	if (!(flags & AC_STORE_CREATE) && strcmp(path, ":memory:") != 0 && access(path, F_OK) != 0) {
		rc = ac_err_set(err, AC_EIO, "no store at %s (run `agentcost ingest` first, or pass --db)",
		                path);
		goto fail;
	}
	int oflags = (flags & AC_STORE_READONLY) ? SQLITE_OPEN_READONLY
	                                         : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &s->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		rc = s->db ? ac_store_fail(s, err, "open")
		           : ac_err_set(err, AC_ENOMEM, "out of memory opening %s", path);
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	/* ac_rbin(x): the relative-error bin of the --approx queries, the same
	 * bits ClickHouse computes (src/util/rbin.h) */
	if (sqlite3_create_function(s->db, "ac_rbin", 1,
	                            SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
	                            sql_rbin, NULL, NULL) != SQLITE_OK) {
		rc = ac_store_fail(s, err, "ac_rbin");
		goto fail;
	}
	/* wait for another writer rather than fail at once (tests shorten it) */
	sqlite3_busy_timeout(s->db, o->busy_timeout_ms > 0 ? o->busy_timeout_ms : 30000);
	s->no_rollup = o->no_rollup;
	if (!(flags & AC_STORE_READONLY)) {
		/* Page size: only takes effect on a new, empty database. Large pages
		 * mean fewer, larger writes for this append-mostly store (the
		 * system call per page dominates on some virtual machines). */
		char pragma[64];
		snprintf(pragma, sizeof(pragma), "PRAGMA page_size=%d",
		         o->page_size > 0 ? o->page_size : AC_PAGE_SIZE);
		if ((rc = ac_store_exec(s, pragma, err)))
			goto fail;
		/* WAL: readers run beside a writer; a killed writer leaves the store
		 * at its last commit. synchronous=NORMAL is durable across process
		 * crashes (only an OS crash may lose the last commits). */
		if ((rc = ac_store_exec(s, o->scratch ? "PRAGMA journal_mode=MEMORY"
		                                      : "PRAGMA journal_mode=WAL",
		                        err)))
			goto fail;
		if ((rc = ac_store_exec(s, o->scratch ? "PRAGMA synchronous=OFF"
		                                      : "PRAGMA synchronous=NORMAL",
		                        err)))
			goto fail;
	}
	if ((rc = ac_store_exec(s, "PRAGMA cache_size=-65536", err)))
		goto fail;
	if (!(flags & AC_STORE_READONLY)) {
		if ((rc = migrate(s, err)))
			goto fail;
	} else {
		int v;
		if ((rc = user_version(s, &v, err)))
			goto fail;
		if (v != ac_store_schema_version()) {
			rc = ac_err_set(err, AC_ESQL, "%s: store schema version %d, expected %d", path, v,
			                ac_store_schema_version());
			goto fail;
		}
	}
	*out = s;
	return 0;
fail:
	ac_store_close(s);
	return rc;
}

void ac_store_close(ac_store *s)
{
	if (!s)
		return;
	for (int d = 0; d < AC_DICT_COUNT; d++) {
		sqlite3_finalize(s->dict_get[d]);
		sqlite3_finalize(s->dict_put[d]);
		sqlite3_finalize(s->dict_name[d]);
		ac_map_release(&s->dict[d]);
	}
	sqlite3_finalize(s->trace_get);
	sqlite3_finalize(s->trace_put);
	sqlite3_finalize(s->span_put);
	sqlite3_finalize(s->trace_max);
	sqlite3_finalize(s->span_same);
	sqlite3_finalize(s->raw_put);
	ac_map_release(&s->traces);
	ac_qtask_ch_free(s->qtask);
	ac_ch_close(s->ch);
	if (s->db)
		sqlite3_close(s->db);
	free(s->path);
	free(s);
}

sqlite3 *ac_store_db(ac_store *s)
{
	return s->db;
}

const char *ac_store_path(const ac_store *s)
{
	return s->path;
}

void ac_store_remote_totals(long long *queries, double *sent, double *received)
{
	ac_ch_totals(queries, sent, received);
}

void ac_store_remote_log(FILE *fp)
{
	ac_ch_log(fp);
}

int ac_store_is_remote(const ac_store *s)
{
	return s->ch != NULL;
}

ac_ch *ac_store_ch(ac_store *s)
{
	return s->ch;
}

ac_qtask_ch **ac_store_qtask_ch(ac_store *s)
{
	return &s->qtask;
}

int ac_store_dict(ac_store *s, int dict, const char *str, size_t n, int64_t *id, ac_err *err)
{
	int rc;
	if (n == 0) {
		*id = 0;
		return 0;
	}
	if (ac_map_get(&s->dict[dict], str, n, id))
		return 0;
	if (!s->dict_get[dict]) {
		char sql[128];
		snprintf(sql, sizeof(sql), "SELECT id FROM %s WHERE name = ?1", DICT_TABLE[dict]);
		if ((rc = prep(s, &s->dict_get[dict], sql, err)))
			return rc;
		snprintf(sql, sizeof(sql), "INSERT INTO %s(name) VALUES (?1)", DICT_TABLE[dict]);
		if ((rc = prep(s, &s->dict_put[dict], sql, err)))
			return rc;
	}
	sqlite3_stmt *g = s->dict_get[dict];
	sqlite3_bind_text(g, 1, str, (int)n, SQLITE_STATIC);
	rc = sqlite3_step(g);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(g, 0);
		sqlite3_reset(g);
	} else {
		sqlite3_reset(g);
		if (rc != SQLITE_DONE)
			return ac_store_fail(s, err, "dictionary lookup");
		sqlite3_stmt *p = s->dict_put[dict];
		sqlite3_bind_text(p, 1, str, (int)n, SQLITE_STATIC);
		rc = sqlite3_step(p);
		sqlite3_reset(p);
		if (rc != SQLITE_DONE)
			return ac_store_fail(s, err, "dictionary insert");
		*id = sqlite3_last_insert_rowid(s->db);
	}
	if (ac_map_put(&s->dict[dict], str, n, *id))
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	return 0;
}

int ac_store_trace(ac_store *s, const uint8_t trace_id[16], int64_t *id, ac_err *err)
{
	int rc;
	if (ac_map_get(&s->traces, trace_id, 16, id))
		return 0;
	if (!s->trace_get) {
		if ((rc = prep(s, &s->trace_get, "SELECT id FROM trace WHERE trace_id = ?1", err)) ||
		    (rc = prep(s, &s->trace_put, "INSERT OR IGNORE INTO trace(trace_id) VALUES (?1)",
		               err)))
			return rc;
	}
	/* the insert first: a trace the map does not know is mostly new, and a
	 * new one then takes one statement, not a lookup and an insert */
	sqlite3_bind_blob(s->trace_put, 1, trace_id, 16, SQLITE_STATIC);
	rc = sqlite3_step(s->trace_put);
	sqlite3_reset(s->trace_put);
	if (rc != SQLITE_DONE)
		return ac_store_fail(s, err, "trace insert");
	if (sqlite3_changes(s->db) == 1) {
		*id = sqlite3_last_insert_rowid(s->db);
	} else {
		sqlite3_bind_blob(s->trace_get, 1, trace_id, 16, SQLITE_STATIC);
		rc = sqlite3_step(s->trace_get);
		if (rc == SQLITE_ROW)
			*id = sqlite3_column_int64(s->trace_get, 0);
		sqlite3_reset(s->trace_get);
		if (rc != SQLITE_ROW)
			return ac_store_fail(s, err, "trace lookup");
	}
	if (ac_map_put(&s->traces, trace_id, 16, *id))
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	return 0;
}

char *ac_store_task_id_dup(sqlite3_stmt *st, int col)
{
	const unsigned char *p;
	if (sqlite3_column_type(st, col) == SQLITE_BLOB) {
		p = sqlite3_column_blob(st, col);
		size_t n = (size_t)sqlite3_column_bytes(st, col);
		char *out = malloc(2 * n + 1);
		if (out)
			ac_hex(p, n, out);
		return out;
	}
	p = sqlite3_column_text(st, col);
	return p ? strdup((const char *)p) : strdup("");
}

int64_t ac_store_last_span_key(const ac_store *s)
{
	return s->last_key;
}

int ac_store_trace_max(ac_store *s, int64_t *out, ac_err *err)
{
	int rc;
	if (!s->trace_max &&
	    (rc = prep(s, &s->trace_max, "SELECT coalesce(max(id), 0) FROM trace", err)))
		return rc;
	rc = sqlite3_step(s->trace_max);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(s->trace_max, 0) : 0;
	sqlite3_reset(s->trace_max);
	return rc == SQLITE_ROW ? 0 : ac_store_fail(s, err, "trace lookup");
}

int64_t ac_span_key(int64_t trace, const uint8_t span_id[8])
{
	uint64_t h = ac_hash64(span_id, 8, 0x6167656e74636f73ULL);
	return (int64_t)(((uint64_t)trace << AC_SPAN_KEY_BITS) | (h & AC_SPAN_KEY_MASK));
}

static void bind_id(sqlite3_stmt *st, int col, int64_t v)
{
	if (v)
		sqlite3_bind_int64(st, col, v);
	else
		sqlite3_bind_null(st, col);
}

/* Prepare the span insert and the identity check, once per store. */
static int prepare_span_put(ac_store *s, ac_err *err)
{
	int rc;
	/* span.trace is computed from the key (schema/001_init.sql); a store
	 * created before schema 5 stores it */
	sqlite3_stmt *q;
	int stored = 0;
	if ((rc = prep(s, &q, "SELECT hidden FROM pragma_table_xinfo('span') WHERE name = 'trace'",
	               err)))
		return rc;
	if (sqlite3_step(q) == SQLITE_ROW)
		stored = sqlite3_column_int(q, 0) == 0;
	sqlite3_finalize(q);
	char sql[1024];
	snprintf(sql, sizeof(sql),
	         "INSERT OR IGNORE INTO span(id, %sspan_id, parent_span_id, file,"
	         " start_ns, end_ns, step, status, name, service, env, model, provider, tool,"
	         " error_type, tokens_in, tokens_out, tokens_cache_read, tokens_cache_write,"
	         " tokens_reasoning, cost_usd, cost_src, producer_cost_usd, complexity,"
	         " purpose, task_ref, task_type, agent_name, eval_score, raw_block, raw_off,"
	         " raw_len, task, purpose_eff, complexity_eff, rollup_key,"
	         " tokens_cache_write_1h, tokens_audio_in, tokens_audio_out,"
	         " service_tier, price_note, scope, user_v, session_v, resource)"
	         " VALUES (?1,%s?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,"
	         "?17,?18,?19,?20,?21,?22,?23,?24,?25,?26,?27,?28,?29,?30,?31,?32,?33,"
	         "?34,?35,?36,?37,?38,?39,?40,?41,?42,?43,?44,?45,?46)",
	         stored ? "trace, " : "", stored ? "?2," : "");
	if ((rc = prep(s, &s->span_put, sql, err)) ||
	    (rc = prep(s, &s->span_same, "SELECT trace, span_id FROM span WHERE id = ?1",
	               err)))
		return rc;
	return 0;
}

/* Bind every column of row r but the key (?1) to the span insert st. */
static void bind_span(sqlite3_stmt *st, const ac_span_row *r)
{
	sqlite3_bind_int64(st, 2, r->trace);
	sqlite3_bind_blob(st, 3, r->span_id, 8, SQLITE_STATIC);
	if (r->parent_id)
		sqlite3_bind_blob(st, 4, r->parent_id, 8, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 4);
	sqlite3_bind_int64(st, 5, r->file);
	sqlite3_bind_int64(st, 6, r->start_ns);
	sqlite3_bind_int64(st, 7, r->end_ns);
	sqlite3_bind_int(st, 8, r->step);
	sqlite3_bind_int(st, 9, r->status);
	bind_id(st, 10, r->name);
	bind_id(st, 11, r->service);
	bind_id(st, 12, r->env);
	bind_id(st, 13, r->model);
	bind_id(st, 14, r->provider);
	bind_id(st, 15, r->tool);
	bind_id(st, 16, r->error_type);
	for (int k = 0; k < 5; k++) {
		if (r->tok_mask & (1u << k))
			sqlite3_bind_int64(st, 17 + k, r->tok[k]);
		else
			sqlite3_bind_null(st, 17 + k);
	}
	for (int k = 5; k < 8; k++) {
		if (r->tok_mask & (1u << k))
			sqlite3_bind_int64(st, 33 + k, r->tok[k]);
		else
			sqlite3_bind_null(st, 33 + k);
	}
	bind_id(st, 41, r->service_tier);
	sqlite3_bind_int(st, 42, r->price_note);
	if (isnan(r->cost))
		sqlite3_bind_null(st, 22);
	else
		sqlite3_bind_double(st, 22, r->cost);
	sqlite3_bind_int(st, 23, r->cost_src);
	if (r->has_producer_cost)
		sqlite3_bind_double(st, 24, r->producer_cost);
	else
		sqlite3_bind_null(st, 24);
	bind_id(st, 25, r->complexity);
	bind_id(st, 26, r->purpose);
	bind_id(st, 27, r->task_ref);
	bind_id(st, 28, r->task_type);
	bind_id(st, 29, r->agent_name);
	bind_id(st, 43, r->scope);
	bind_id(st, 44, r->user_v);
	bind_id(st, 45, r->session_v);
	bind_id(st, 46, r->resource);
	if (r->has_eval_score)
		sqlite3_bind_double(st, 30, r->eval_score);
	else
		sqlite3_bind_null(st, 30);
	/* the derived columns: their values when the derivation ran before the
	 * insert (a new trace whose spans all came in one batch); else negative
	 * placeholders of the width their values will likely have (task ids are
	 * trace ids): the derivation, later in the same transaction, then
	 * rewrites each row in place instead of growing it (no page splits, no
	 * half-empty pages). Negative means "not derived yet" to the derivation
	 * (src/tasks/tasks.c). */
	if (r->derived) {
		sqlite3_bind_int64(st, 34, r->task);
		sqlite3_bind_int64(st, 35, r->purpose_eff);
		bind_id(st, 36, r->complexity_eff);
		sqlite3_bind_int64(st, 37, r->rollup_key);
	} else {
		sqlite3_bind_int64(st, 34, -r->trace);
		sqlite3_bind_int64(st, 35, -2);
		if (r->complexity || r->step == 1 /* an LLM call: it usually inherits one */)
			sqlite3_bind_int64(st, 36, r->complexity ? -r->complexity : -2);
		else
			sqlite3_bind_null(st, 36);
		sqlite3_bind_int64(st, 37, -200);
	}
	if (r->raw_block) {
		sqlite3_bind_int64(st, 31, r->raw_block);
		sqlite3_bind_int64(st, 32, r->raw_off);
		sqlite3_bind_int64(st, 33, r->raw_len);
	} else {
		sqlite3_bind_null(st, 31);
		sqlite3_bind_null(st, 32);
		sqlite3_bind_null(st, 33);
	}
}

int ac_store_insert_span(ac_store *s, const ac_span_row *r, int *inserted, ac_err *err)
{
	int rc;
	if (!s->span_put && (rc = prepare_span_put(s, err)))
		return rc;
	sqlite3_stmt *st = s->span_put;
	bind_span(st, r);

	/* probe forward inside the trace's range, wrapping at its end; a full
	 * circle means every one of its 2^24 slots is taken */
	int64_t first = r->trace << AC_SPAN_KEY_BITS;
	int64_t last = first | (int64_t)AC_SPAN_KEY_MASK;
	int64_t home = ac_span_key(r->trace, r->span_id);
	for (int64_t key = home, n = 0;; key = key == last ? first : key + 1, n++) {
		if (n > (int64_t)AC_SPAN_KEY_MASK)
			return ac_err_set(err, AC_ELIMIT, "trace holds more than %d spans (a fixed limit of the store's span keys)",
			                  1 << AC_SPAN_KEY_BITS);
		sqlite3_bind_int64(st, 1, key);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return ac_store_fail(s, err, "insert span");
		if (sqlite3_changes(s->db) == 1) {
			*inserted = 1;
			s->last_key = key;
			return 0;
		}
		/* ignored: the key is taken. The same span, or a hash collision? */
		sqlite3_stmt *q = s->span_same;
		sqlite3_bind_int64(q, 1, key);
		rc = sqlite3_step(q);
		int same = rc == SQLITE_ROW && sqlite3_column_int64(q, 0) == r->trace &&
		           sqlite3_column_bytes(q, 1) == 8 &&
		           memcmp(sqlite3_column_blob(q, 1), r->span_id, 8) == 0;
		sqlite3_reset(q);
		if (rc != SQLITE_ROW)
			return ac_store_fail(s, err, "span identity check");
		if (same) {
			*inserted = 0;
			s->last_key = key;
			return 0;
		}
	}
}

int ac_store_next_raw_id(ac_store *s, int64_t *id, ac_err *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT coalesce(max(id), 0) + 1 FROM raw_block", -1, &st,
	                       NULL) != SQLITE_OK)
		return ac_store_fail(s, err, "reserve original block");
	int rc = sqlite3_step(st);
	*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return ac_store_fail(s, err, "reserve original block");
	return 0;
}

int ac_store_insert_raw(ac_store *s, int64_t id, int64_t file, const void *z, size_t n,
                        ac_err *err)
{
	int rc;
	if (!s->raw_put &&
	    (rc = prep(s, &s->raw_put, "INSERT INTO raw_block(id, file, z) VALUES (?1, ?2, ?3)", err)))
		return rc;
	sqlite3_bind_int64(s->raw_put, 1, id);
	sqlite3_bind_int64(s->raw_put, 2, file);
	sqlite3_bind_blob(s->raw_put, 3, z, (int)n, SQLITE_STATIC);
	rc = sqlite3_step(s->raw_put);
	sqlite3_reset(s->raw_put);
	if (rc != SQLITE_DONE)
		return ac_store_fail(s, err, "insert original spans");
	return 0;
}

static void now_iso(char out[40])
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ac_format_iso_ms((int64_t)ts.tv_sec * AC_NS_PER_SEC + ts.tv_nsec, out);
}

int ac_store_file_begin(ac_store *s, const char *path, int64_t size, const char *quick,
                        const char *container, int64_t *id, ac_err *err)
{
	sqlite3_stmt *st;
	char now[40];
	now_iso(now);
	if (sqlite3_prepare_v2(s->db,
	                       "INSERT INTO file(path, size, quick_hash, container, started_at)"
	                       " VALUES (?1, ?2, ?3, ?4, ?5)",
	                       -1, &st, NULL) != SQLITE_OK)
		return ac_store_fail(s, err, "record file");
	sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
	if (size >= 0)
		sqlite3_bind_int64(st, 2, size);
	else
		sqlite3_bind_null(st, 2);
	if (quick)
		sqlite3_bind_text(st, 3, quick, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 3);
	sqlite3_bind_text(st, 4, container, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, now, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ac_store_fail(s, err, "record file");
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int ac_store_file_forget(ac_store *s, int64_t id, ac_err *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "DELETE FROM file WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
		return ac_store_fail(s, err, "forget file");
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : ac_store_fail(s, err, "forget file");
}

int ac_store_file_finish(ac_store *s, int64_t id, const ac_file_counts *c, ac_err *err)
{
	sqlite3_stmt *st;
	char now[40];
	now_iso(now);
	if (sqlite3_prepare_v2(s->db,
	                       "UPDATE file SET finished_at = ?2, records = ?3, spans = ?4,"
	                       " spans_new = ?5, errors = ?6, complete = ?7, format = ?8, note = ?9,"
	                       " content_hash = ?10"
	                       " WHERE id = ?1",
	                       -1, &st, NULL) != SQLITE_OK)
		return ac_store_fail(s, err, "update file");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, c->records);
	sqlite3_bind_int64(st, 4, c->spans);
	sqlite3_bind_int64(st, 5, c->spans_new);
	sqlite3_bind_int64(st, 6, c->errors);
	sqlite3_bind_int(st, 7, c->complete);
	sqlite3_bind_text(st, 8, c->format ? c->format : "unknown", -1, SQLITE_TRANSIENT);
	if (c->note)
		sqlite3_bind_text(st, 9, c->note, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 9);
	if (c->content_hash)
		sqlite3_bind_text(st, 10, c->content_hash, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 10);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ac_store_fail(s, err, "update file");
	return 0;
}

int ac_store_file_seen(ac_store *s, const char *quick, int64_t size, char content_out[17],
                       ac_err *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
	                       "SELECT content_hash FROM file WHERE quick_hash = ?1 AND size = ?2"
	                       " AND complete = 1 AND errors = 0 AND content_hash IS NOT NULL"
	                       " ORDER BY id DESC LIMIT 1",
	                       -1, &st, NULL) != SQLITE_OK)
		return ac_store_fail(s, err, "look up file");
	sqlite3_bind_text(st, 1, quick, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, size);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(content_out, 17, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		return ac_store_fail(s, err, "look up file");
	return 0;
}

int ac_store_file_set_resume(ac_store *s, int64_t id, const ac_file_resume *fr, ac_err *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
	                       "UPDATE file SET dev = ?2, ino = ?3, read_from = ?4, resume_off = ?5,"
	                       " resume_line = ?6, head_hash = ?7, tail_hash = ?8 WHERE id = ?1",
	                       -1, &st, NULL) != SQLITE_OK)
		return ac_store_fail(s, err, "update file");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, fr->dev);
	sqlite3_bind_int64(st, 3, fr->ino);
	sqlite3_bind_int64(st, 4, fr->read_from);
	sqlite3_bind_int64(st, 5, fr->resume_off);
	sqlite3_bind_int64(st, 6, fr->resume_line);
	sqlite3_bind_text(st, 7, fr->head_hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 8, fr->tail_hash, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ac_store_fail(s, err, "update file");
	return 0;
}

int ac_store_file_resume_of(ac_store *s, int64_t dev, int64_t ino, ac_file_resume *out,
                            ac_err *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
	                       "SELECT read_from, resume_off, resume_line, head_hash, tail_hash FROM file"
	                       " WHERE ino = ?2 AND dev = ?1 AND complete = 1 AND resume_off IS NOT NULL"
	                       " ORDER BY id DESC LIMIT 1",
	                       -1, &st, NULL) != SQLITE_OK)
		return ac_store_fail(s, err, "look up file");
	sqlite3_bind_int64(st, 1, dev);
	sqlite3_bind_int64(st, 2, ino);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 1) != SQLITE_NULL &&
	    sqlite3_column_type(st, 3) == SQLITE_TEXT && sqlite3_column_type(st, 4) == SQLITE_TEXT) {
		out->dev = dev;
		out->ino = ino;
		out->read_from = sqlite3_column_int64(st, 0);
		out->resume_off = sqlite3_column_int64(st, 1);
		out->resume_line = sqlite3_column_int64(st, 2);
		snprintf(out->head_hash, sizeof(out->head_hash), "%s", (const char *)sqlite3_column_text(st, 3));
		snprintf(out->tail_hash, sizeof(out->tail_hash), "%s", (const char *)sqlite3_column_text(st, 4));
		found = 1;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ac_store_fail(s, err, "look up file");
	return found;
}

const char *ac_store_query(const char *name)
{
	for (const ac_embedded *e = ac_query_files; e->name; e++)
		if (strcmp(e->name, name) == 0)
			return e->text;
	return NULL;
}

#define NS_PER_HOUR INT64_C(3600000000000)

static int rollup_window(const ac_store *s, int64_t since_ns, int64_t until_ns)
{
	if (s->no_rollup)
		return 0;
	return (since_ns == INT64_MIN || (since_ns >= 0 && since_ns % NS_PER_HOUR == 0)) &&
	       (until_ns == INT64_MAX || (until_ns >= 0 && until_ns % NS_PER_HOUR == 0));
}

/* Prepare query `name` for the window (ac_store_query_window's pick), ?1 and
 * ?2 bound; the /\*+SCAN*\/ mark as ac_store_rows (store.h) says. */
static int prepare_window(ac_store *s, const char *name, int64_t since_ns, int64_t until_ns,
                          sqlite3_stmt **st, ac_err *err)
{
	static const char mark[] = "/*+SCAN*/";
	sqlite3 *db = s->db;
	const char *q = ac_store_query_window(s, name, since_ns, until_ns);
	*st = NULL;
	if (!q)
		return ac_err_set(err, AC_ESQL, "query %s is not embedded", name);
	char *text = NULL;
	const char *at = strstr(q, mark);
	if (at && since_ns == INT64_MIN && until_ns == INT64_MAX) {
		size_t n = strlen(q);
		if (!(text = malloc(n + 16)))
			return ac_err_set(err, AC_ENOMEM, "out of memory");
		snprintf(text, n + 16, "%.*sNOT INDEXED%s", (int)(at - q), q, at + sizeof(mark) - 1);
		q = text;
	}
	int rc = sqlite3_prepare_v2(db, q, -1, st, NULL);
	free(text);
	if (rc != SQLITE_OK)
		return ac_err_set(err, AC_ESQL, "%s: %s", name, sqlite3_errmsg(db));
	sqlite3_bind_int64(*st, 1, since_ns);
	sqlite3_bind_int64(*st, 2, until_ns);
	return 0;
}

/* ---- reading: the backend interface (store.h) ----------------------------- */

int ac_store_name(ac_store *s, int dict, int64_t id, char **out, ac_err *err)
{
	*out = NULL;
	if (id == 0)
		return 0;
	if (s->ch)
		return ac_ch_name(s->ch, dict, id, out, err);
	int rc;
	if (!s->dict_name[dict]) {
		char sql[128];
		snprintf(sql, sizeof(sql), "SELECT name FROM %s WHERE id = ?1", DICT_TABLE[dict]);
		if ((rc = prep(s, &s->dict_name[dict], sql, err)))
			return rc;
	}
	sqlite3_stmt *st = s->dict_name[dict];
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_text(st, 0) &&
	    !(*out = strdup((const char *)sqlite3_column_text(st, 0)))) {
		sqlite3_reset(st);
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	}
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : ac_store_fail(s, err, "name lookup");
	sqlite3_reset(st);
	return rc;
}

struct ac_rows {
	ac_store *s;
	sqlite3_stmt *st;
	const char *name;
	ac_ch_rows *ch; /* a clickhouse:// store's rows */
	unsigned char *bytes; /* ac_rows_blob's decoding of a ClickHouse column */
	size_t bytes_cap;
	int list_bound; /* a list bound on SQLite: ac_rows_next refuses */
};

int ac_store_rows(ac_store *s, const char *name, int64_t since_ns, int64_t until_ns,
                  const char *system, int flags, ac_rows **out, ac_err *err)
{
	*out = NULL;
	ac_rows *r = calloc(1, sizeof(*r));
	if (!r)
		return ac_err_set(err, AC_ENOMEM, "out of memory");
	r->s = s;
	r->name = name;
	int rc;
	if (s->ch) {
		if ((rc = ac_ch_rows_open(s->ch, name, since_ns, until_ns, system,
		                          (flags & AC_ROWS_PLAIN) != 0, &r->ch, err))) {
			free(r);
			return rc;
		}
		if (s->qtask)
			ac_ch_rows_set_qtask(r->ch, ac_qtask_ch_text(s->qtask));
		*out = r;
		return 0;
	}
	if (flags & (AC_ROWS_SCAN | AC_ROWS_PLAIN)) {
		const char *q = ac_store_query(name);
		if (!q)
			rc = ac_err_set(err, AC_ESQL, "query %s is not embedded", name);
		else if (sqlite3_prepare_v2(s->db, q, -1, &r->st, NULL) != SQLITE_OK)
			rc = ac_store_fail(s, err, name);
		else
			rc = 0;
		if (!rc && (flags & AC_ROWS_PLAIN)) {
			*out = r;
			return 0;
		}
		if (!rc) {
			sqlite3_bind_int64(r->st, 1, since_ns);
			sqlite3_bind_int64(r->st, 2, until_ns);
		}
	} else {
		rc = prepare_window(s, name, since_ns, until_ns, &r->st, err);
	}
	if (rc) {
		ac_rows_free(r);
		return rc;
	}
	if (sqlite3_bind_parameter_count(r->st) >= 3) {
		if (system)
			sqlite3_bind_text(r->st, 3, system, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(r->st, 3);
	}
	*out = r;
	return 0;
}

void ac_rows_bind_int(ac_rows *r, int param, int64_t v)
{
	if (r->ch)
		return ac_ch_rows_bind_int(r->ch, param, v);
	sqlite3_bind_int64(r->st, param, v);
}

void ac_rows_reset(ac_rows *r)
{
	if (r->ch)
		return ac_ch_rows_reset(r->ch);
	sqlite3_reset(r->st);
}

void ac_rows_bind_u64s(ac_rows *r, int param, const uint64_t *v, size_t n)
{
	if (r->ch)
		return ac_ch_rows_bind_list(r->ch, param, 0, v, n);
	r->list_bound = 1;
}

void ac_rows_bind_doubles(ac_rows *r, int param, const double *v, size_t n)
{
	if (r->ch)
		return ac_ch_rows_bind_list(r->ch, param, 1, v, n);
	r->list_bound = 1;
}

int ac_store_answers(const ac_store *s, const char *name)
{
	return s->ch ? ac_ch_answers(name) : ac_store_query(name) != NULL;
}

int ac_rows_next(ac_rows *r, ac_err *err)
{
	if (r->ch)
		return ac_ch_rows_next(r->ch, err);
	if (r->list_bound)
		return ac_err_set(err, AC_EINVAL, "%s: a list parameter on a SQLite store", r->name);
	int rc = sqlite3_step(r->st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return ac_store_fail(r->s, err, r->name);
}

int64_t ac_rows_int(ac_rows *r, int col)
{
	if (r->ch) {
		const char *t = ac_ch_rows_text(r->ch, col);
		return t ? strtoll(t, NULL, 10) : 0;
	}
	return sqlite3_column_int64(r->st, col);
}

double ac_rows_double(ac_rows *r, int col)
{
	if (r->ch) {
		const char *t = ac_ch_rows_text(r->ch, col);
		return t ? strtod(t, NULL) : 0.0;
	}
	return sqlite3_column_double(r->st, col);
}

const char *ac_rows_text(ac_rows *r, int col)
{
	if (r->ch)
		return ac_ch_rows_text(r->ch, col);
	return (const char *)sqlite3_column_text(r->st, col);
}

void ac_rows_bind_text(ac_rows *r, int param, const char *text)
{
	if (r->ch)
		return ac_ch_rows_bind_text(r->ch, param, text);
	sqlite3_bind_text(r->st, param, text, -1, SQLITE_STATIC);
}

void ac_rows_bind_blob(ac_rows *r, int param, const void *blob, size_t n)
{
	if (r->ch) /* no twin binds a blob (the span originals stay in SQLite) */
		return;
	sqlite3_bind_blob(r->st, param, blob, (int)n, SQLITE_STATIC);
}

const void *ac_rows_blob(ac_rows *r, int col, size_t *n)
{
	if (r->ch) {
		/* a twin gives a blob column as hex (hex(x) in the server: span ids,
		 * packed call groups); its bytes, NULL when empty, NULL or not hex */
		const char *t = ac_ch_rows_text(r->ch, col);
		size_t len = t ? strlen(t) : 0;
		*n = 0;
		if (!len || len % 2)
			return NULL;
		if (len / 2 > r->bytes_cap) {
			unsigned char *b = realloc(r->bytes, len / 2);
			if (!b)
				return NULL;
			r->bytes = b;
			r->bytes_cap = len / 2;
		}
		if (ac_unhex(t, len, r->bytes, len / 2))
			return NULL;
		*n = len / 2;
		return r->bytes;
	}
	const void *p = sqlite3_column_blob(r->st, col);
	*n = (size_t)sqlite3_column_bytes(r->st, col);
	return p;
}

char *ac_rows_task_id_dup(ac_rows *r, int col)
{
	if (r->ch) { /* the twins give the task id's text */
		const char *t = ac_ch_rows_text(r->ch, col);
		return strdup(t ? t : "");
	}
	return ac_store_task_id_dup(r->st, col);
}

int ac_rows_null(ac_rows *r, int col)
{
	if (r->ch)
		return ac_ch_rows_text(r->ch, col) == NULL;
	return sqlite3_column_type(r->st, col) == SQLITE_NULL;
}

void ac_rows_free(ac_rows *r)
{
	if (!r)
		return;
	ac_ch_rows_free(r->ch);
	sqlite3_finalize(r->st);
	free(r->bytes);
	free(r);
}

const char *ac_store_query_window(const ac_store *s, const char *name, int64_t since_ns,
                                  int64_t until_ns)
{
	char twin[128];
	size_t n = strlen(name);
	if (n > 4 && n < sizeof(twin) - 8 && rollup_window(s, since_ns, until_ns)) {
		snprintf(twin, sizeof(twin), "%.*s_rollup.sql", (int)(n - 4), name);
		const char *q = ac_store_query(twin);
		if (q)
			return q;
	}
	return ac_store_query(name);
}

/* ---- write paths: named statements (store.h) ------------------------------ */

int ac_store_prepare_named(sqlite3 *db, const char *name, unsigned prep_flags,
                           sqlite3_stmt **out)
{
	const char *q = ac_store_query(name);
	*out = NULL;
	if (!q)
		return SQLITE_NOTFOUND;
	return sqlite3_prepare_v3(db, q, -1, prep_flags, out, NULL);
}

int ac_store_exec_named(sqlite3 *db, const char *name)
{
	const char *q = ac_store_query(name);
	if (!q)
		return SQLITE_NOTFOUND;
	return sqlite3_exec(db, q, NULL, NULL, NULL);
}
