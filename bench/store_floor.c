/*
 * The store's floor: how long the rows an ingest leaves in the store take
 * to write, with nothing read, parsed, priced, derived or compressed. N
 * spans, in traces of TRACE_SPANS, through the same calls and statements
 * ingest uses: ac_store_trace for each new trace id, ac_store_insert_span
 * for each span (derived columns filled, as the derivation before the
 * insert fills them), a task row and a call-group row for each trace
 * (queries/tasks_task_new.sql, tasks_calls_put.sql), and a block of
 * RAW_BYTES incompressible bytes a span for every 2,048 spans (the
 * originals, already compressed: pass the bytes a span the bench's store
 * holds; 0 for none); a commit every 50,000 spans, as ingest's default
 * --batch; into a new store, on one thread (SQLite has one writer). Not
 * written: the rollup rows and the dictionaries (a few thousand rows).
 *
 *   cmake --build build --target bench_store_floor
 *   build/bench_store_floor STORE N [TRACE_SPANS [RAW_BYTES]]
 *
 * Prints one line: "<seconds> <spans>" (wall time of the writes and
 * commits, the store's creation excluded). bench/run.sh sets it beside the
 * DuckDB baseline: no ingest into this store can be faster than its writer.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/store.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void fill8(uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i += 8) {
		uint64_t x = next();
		memcpy(b + i, &x, n - i < 8 ? n - i : 8);
	}
}

static int fail(const ac_err *err)
{
	fprintf(stderr, "bench_store_floor: %s\n", err->msg);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_store_floor STORE N [TRACE_SPANS [RAW_BYTES]]\n");
		return 2;
	}
	long n = atol(argv[2]);
	long per = argc > 3 ? atol(argv[3]) : 12;
	long raw = argc > 4 ? atol(argv[4]) : 0;
	if (n <= 0 || per <= 0 || raw < 0) {
		fprintf(stderr, "bench_store_floor: N and TRACE_SPANS are positive, RAW_BYTES not negative\n");
		return 2;
	}
	size_t zlen = (size_t)raw * 2048;
	uint8_t *z = zlen ? malloc(zlen) : NULL;
	if (zlen && !z)
		return 1;
	if (z)
		fill8(z, zlen);
	unlink(argv[1]);
	ac_store *s = NULL;
	ac_err err = AC_ERR_INIT;
	if (ac_store_open(&s, argv[1], AC_STORE_CREATE, &err))
		return fail(&err);
	sqlite3 *db = ac_store_db(s);
	sqlite3_stmt *put_task, *put_calls;
	if (ac_store_prepare_named(db, "tasks_task_new.sql", 0, &put_task) != SQLITE_OK ||
	    ac_store_prepare_named(db, "tasks_calls_put.sql", 0, &put_calls) != SQLITE_OK) {
		fprintf(stderr, "bench_store_floor: %s\n", sqlite3_errmsg(db));
		return 1;
	}
	uint8_t groups[3 * 40];
	fill8(groups, sizeof(groups));
	double t0 = now();
	if (ac_store_begin(s, &err))
		return fail(&err);
	uint8_t tid[16], sid[8], root[8];
	int64_t trace = 0, t_start = 1764547200000000000LL;
	long in_tx = 0;
	for (long i = 0; i < n; i++) {
		long k = i % per;
		if (k == 0) {
			fill8(tid, 16);
			fill8(root, 8);
			if (ac_store_trace(s, tid, &trace, &err))
				return fail(&err);
			t_start += 4000000000LL;
		}
		if (k == 0)
			memcpy(sid, root, 8);
		else
			fill8(sid, 8);
		int llm = k % 2 == 1;
		ac_span_row r;
		memset(&r, 0, sizeof(r));
		r.trace = trace;
		r.span_id = sid;
		r.parent_id = k ? root : NULL;
		r.file = 1;
		r.start_ns = t_start + k * 100000000LL;
		r.end_ns = r.start_ns + 80000000LL;
		r.step = llm ? 1 : k == 0 ? 3 : 2;
		r.name = 1 + k % 7;
		r.service = 1 + (long)(trace % 3);
		r.env = 1;
		r.model = llm ? 1 + k % 3 : 0;
		r.provider = llm ? 2 : 0;
		r.tool = llm || k == 0 ? 0 : 1 + k % 5;
		if (llm) {
			r.tok[0] = 1000 + (int64_t)(next() % 4000);
			r.tok[1] = 100 + (int64_t)(next() % 900);
			r.tok_mask = 3;
			r.cost = (double)r.tok[0] * 1.5e-7 + (double)r.tok[1] * 6e-7;
			r.cost_src = 1;
		} else {
			r.cost = NAN;
		}
		r.task_type = 1;
		r.user_v = 1 + (long)(trace % 50);
		r.session_v = 51 + (long)(trace % 200);
		r.resource = 1 + (long)(trace % 3);
		r.scope = 1;
		r.raw_block = 1 + i / 2048;
		r.raw_off = (i % 2048) * 900;
		r.raw_len = 900;
		r.derived = 1;
		r.task = trace;
		r.purpose_eff = 1;
		r.rollup_key = 1 + k % 9;
		int inserted;
		if (ac_store_insert_span(s, &r, &inserted, &err))
			return fail(&err);
		if (k == per - 1 || i == n - 1) { /* the trace's task and call groups */
			sqlite3_bind_int64(put_task, 1, trace);
			sqlite3_bind_int64(put_task, 2, r.service);
			sqlite3_bind_int64(put_task, 3, 1);
			sqlite3_bind_int64(put_task, 4, t_start);
			sqlite3_bind_int64(put_task, 5, r.end_ns);
			sqlite3_bind_int64(put_task, 6, k + 1);
			sqlite3_bind_int64(put_task, 7, (k + 1) / 2);
			sqlite3_bind_int64(put_task, 8, k / 2);
			sqlite3_bind_int64(put_task, 9, 20000);
			sqlite3_bind_int64(put_task, 10, 3000);
			sqlite3_bind_double(put_task, 11, 0.0123);
			for (int c = 12; c <= 17; c++)
				sqlite3_bind_int64(put_task, c, 0);
			sqlite3_bind_blob(put_task, 18, tid, 16, SQLITE_STATIC);
			sqlite3_bind_int64(put_task, 19, 1);
			sqlite3_bind_int64(put_task, 20, 1);
			sqlite3_bind_int64(put_task, 21, 1);
			sqlite3_bind_int64(put_task, 22, 2);
			sqlite3_bind_int64(put_calls, 1, trace);
			sqlite3_bind_blob(put_calls, 2, groups, sizeof(groups), SQLITE_STATIC);
			int a = sqlite3_step(put_task), b = sqlite3_step(put_calls);
			sqlite3_reset(put_task);
			sqlite3_reset(put_calls);
			if (a != SQLITE_DONE || b != SQLITE_DONE) {
				fprintf(stderr, "bench_store_floor: %s\n", sqlite3_errmsg(db));
				return 1;
			}
		}
		if (z && (i % 2048 == 2047 || i == n - 1) &&
		    ac_store_insert_raw(s, 1 + i / 2048, 1, z, zlen, &err))
			return fail(&err);
		if (++in_tx >= 50000) {
			if (ac_store_commit(s, &err) || ac_store_begin(s, &err))
				return fail(&err);
			in_tx = 0;
		}
	}
	if (ac_store_commit(s, &err))
		return fail(&err);
	double t1 = now();
	sqlite3_finalize(put_task);
	sqlite3_finalize(put_calls);
	free(z);
	ac_store_close(s);
	printf("%.2f %ld\n", t1 - t0, n);
	return 0;
}
