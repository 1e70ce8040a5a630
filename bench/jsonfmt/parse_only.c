/*
 * bench/jsonfmt/parse_only: the record parser alone (reader + ac_parse_record,
 * no store) over each file given: MB/s and spans/s, so the formats compare
 * without the SQLite work that dominates a full ingest. Built by run.sh:
 *   cc -O2 -Isrc -Ivendor/... parse_only.c build/libagentcost_lib.a -lzstd -lsqlite3 -lm
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ingest/parse.h"
#include "ingest/reader.h"

static int count(ac_span *sp, void *payload)
{
	long long *n = payload;
	n[sp->err[0] ? 1 : 0]++;
	return 0;
}

int main(int argc, char **argv)
{
	ac_json j = AC_JSON_INIT;
	for (int a = 1; a < argc; a++) {
		double best = 1e30;
		long long n[2] = { 0, 0 }, bytes = 0;
		for (int run = 0; run < 3; run++) {
			ac_reader *r;
			ac_reader_opts o = AC_READER_OPTS_INIT;
			ac_err err;
			ac_err_clear(&err);
			if (ac_reader_open(&r, argv[a], &o, &err)) {
				fprintf(stderr, "%s: %s\n", argv[a], err.msg);
				return 1;
			}
			struct timespec t0, t1;
			clock_gettime(CLOCK_MONOTONIC, &t0);
			ac_record rec;
			n[0] = n[1] = 0;
			bytes = 0;
			while (ac_reader_next(r, &rec, &err) == 1) {
				int kind;
				bytes += (long long)rec.len;
				ac_parse_record(&j, rec.data, rec.len, rec.line, &kind, count, n, &err);
			}
			clock_gettime(CLOCK_MONOTONIC, &t1);
			ac_reader_free(r);
			double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
			if (s < best)
				best = s;
		}
		const char *base = strrchr(argv[a], '/');
		printf("%-18s %8.1f MB %8.3f s %8.1f MB/s %11.0f spans/s %9lld spans %lld rejected\n",
		       base ? base + 1 : argv[a], (double)bytes / 1e6, best, (double)bytes / 1e6 / best,
		       (double)n[0] / best, n[0], n[1]);
	}
	ac_json_release(&j);
	return 0;
}
