/*
 * agentcost ingest FILE... | -
 * Reads traces into the store (see src/ingest/ingest.h), prices them, and
 * reports malformed input as file:line: reason (the first 20, then a count).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "ingest/ingest.h"
#include "pricing/pricing.h"
#include "tasks/tasks.h"

#define SHOW_ERRORS 20

typedef struct diag_state {
	long long shown, total;
} diag_state;

static void on_diag(const char *file, long long line, long long col, const char *msg, void *p)
{
	diag_state *d = p;
	if (line < 0) { /* a note, not a problem */
		fprintf(stderr, "agentcost: %s: %s\n", file, msg);
		return;
	}
	d->total++;
	if (d->shown >= SHOW_ERRORS)
		return;
	d->shown++;
	if (line > 0 && col > 0) /* file:line: reason, as every diagnostic (the column after) */
		fprintf(stderr, "agentcost: error: %s:%lld: %s (column %lld)\n", file, line, msg, col);
	else if (line > 0)
		fprintf(stderr, "agentcost: error: %s:%lld: %s\n", file, line, msg);
	else
		fprintf(stderr, "agentcost: error: %s: %s\n", file, msg);
}

/* The progress line on standard error, rewritten in place. */
static void on_progress(const char *file, const ac_ingest_progress *p, int final, void *payload)
{
	(void)payload;
	double mb = (double)p->bytes_in / 1e6, el = p->seconds;
	char eta[32] = "";
	if (p->size > 0 && mb > 0 && el > 0) {
		double left = ((double)(p->size - p->read_from) / 1e6 - mb) / (mb / el);
		snprintf(eta, sizeof(eta), ", ETA %.0fs", left > 0 ? left : 0);
	}
	fprintf(stderr, "\r%s: %.1f MB (%.0f MB/s), %lld spans, %.0f spans/s%s   ", file, mb,
	        el > 0 ? mb / el : 0.0, p->spans, el > 0 ? (double)p->spans / el : 0.0, eta);
	if (final)
		fputc('\n', stderr);
}

static void usage(void)
{
	fprintf(stderr, "usage: agentcost ingest [--db PATH] [--strict] [--no-raw] [--force] "
	                "[--progress|--no-progress]\n"
	                "                        [--max-record=BYTES] [--max-json-values=N] [--batch=SPANS] "
	                "[--hold-mb=MB] FILE... | -\n");
}

/* cmd_ingest(): the options into o and *progress, the files into files[]; EXIT_USAGE (said) on a bad one. */
static int ingest_args(int argc, char **argv, ac_ingest_opts *o, int *progress, char **files, int *nfiles)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--strict"))
			o->strict = 1;
		else if (!strcmp(a, "--no-raw"))
			o->no_raw = 1;
		else if (!strcmp(a, "--force"))
			o->force = 1;
		else if (!strcmp(a, "--progress"))
			*progress = 1;
		else if (!strcmp(a, "--no-progress"))
			*progress = 0;
		else if (!strncmp(a, "--hold-mb=", 10)) {
			const char *v = a + 10;
			char *end;
			errno = 0;
			unsigned long long n = strtoull(v, &end, 10);
			if (!*v || *end || errno || v[0] == '-' || n > 65536) {
				cli_error("ingest: --hold-mb takes a whole number 0..65536, not '%s'", v);
				return EXIT_USAGE;
			}
			o->hold_bytes = n ? (size_t)n << 20 : AC_INGEST_NO_HOLD;
		} else if (!strncmp(a, "--max-record=", 13) || !strncmp(a, "--batch=", 8) ||
		         !strncmp(a, "--max-json-values=", 18)) {
			const char *v = strchr(a, '=') + 1;
			char *end;
			errno = 0;
			unsigned long long n = strtoull(v, &end, 10);
			unsigned long long hi = a[2] == 'b' ? 100000000ULL
			                        : a[6] == 'j' ? (unsigned long long)(UINT_MAX / 2)
			                                      : (1ULL << 40);
			if (!*v || *end || errno || n == 0 || v[0] == '-' || n > hi) {
				cli_error("ingest: %.*s takes a positive whole number, not '%s'",
				          (int)(v - a - 1), a, v);
				return EXIT_USAGE;
			}
			if (a[2] == 'b')
				o->batch_spans = (long)n;
			else if (a[6] == 'j')
				o->max_json_values = (size_t)n;
			else
				o->max_record = (size_t)n;
		}
		else if (a[0] == '-' && a[1] != '\0') {
			cli_error("ingest: unknown option '%s'", a);
			usage();
			return EXIT_USAGE;
		} else
			files[(*nfiles)++] = argv[i];
	}
	return 0;
}

/* ---- into ClickHouse: a staging store, then the rows sent (store.h) ----- */

static void remove_staging(const char *dir)
{
	static const char *const parts[] = { "/stage.db", "/stage.db-wal", "/stage.db-shm" };
	char p[PATH_MAX + 32];
	if (!dir[0])
		return;
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", dir, parts[i]);
		unlink(p);
	}
	rmdir(dir);
}

/* A new SQLite store under $TMPDIR (removed at the end; a killed ingest
 * leaves it, and nothing was recorded in ClickHouse past what was sent). */
static ac_store *open_staging(char *dir, size_t n)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, n, "%s/agentcost-stage.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		cli_error("ingest: cannot make a staging directory in %s: %s", tmp ? tmp : "/tmp",
		          strerror(errno));
		dir[0] = 0;
		return NULL;
	}
	char path[PATH_MAX + 16];
	snprintf(path, sizeof(path), "%s/stage.db", dir);
	ac_store *s;
	ac_err err = AC_ERR_INIT;
	ac_store_opts so;
	memset(&so, 0, sizeof(so));
	so.scratch = 1; /* thrown away at the end: no journal on disk, no syncs */
	if (ac_store_open_opts(&s, path, AC_STORE_CREATE, &so, &err)) {
		cli_error("ingest: staging store: %s", err.msg);
		remove_staging(dir);
		dir[0] = 0;
		return NULL;
	}
	return s;
}

/* The staged traces' stored spans brought back (their tasks derived again
 * with the new spans), then everything sent. */
static int ship(ac_store *remote, ac_store *staging, ac_derive_stats *ds)
{
	ac_err err = AC_ERR_INIT;
	int64_t *traces = NULL;
	size_t n = 0;
	long long pulled = 0;
	ac_ship_stats st;
	struct timespec t0, t1, t2;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = ac_store_pull(remote, staging, &traces, &n, &pulled, &err);
	if (!rc && n > 0) {
		ac_deriver *d = NULL;
		if (!(rc = ac_store_begin(staging, &err))) {
			if (!(rc = ac_deriver_new(&d, staging, &err)))
				rc = ac_deriver_run(d, traces, n, &err);
			ac_deriver_free(d);
			if (!rc)
				rc = ac_store_commit(staging, &err);
			else
				ac_store_rollback(staging);
		}
	}
	free(traces);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!rc)
		rc = ac_store_ship(remote, staging, &st, &err);
	clock_gettime(CLOCK_MONOTONIC, &t2);
	if (rc) {
		cli_error("ingest: %s", err.msg);
		return -1;
	}
	(void)ds;
	if (getenv("AGENTCOST_STATS"))
		fprintf(stderr,
		        "agentcost: clickhouse: %lld stored spans brought back for %zu traces (%.2f s); "
		        "sent %lld spans, %lld tasks, %lld ledger rows (%.1f MB, %.2f s, of which "
		        "%.2f s waiting for the server)\n",
		        pulled, n,
		        (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
		        st.spans, st.tasks, st.files, st.bytes / 1e6,
		        (double)(t2.tv_sec - t1.tv_sec) + (double)(t2.tv_nsec - t1.tv_nsec) / 1e9,
		        st.waited);
	return 0;
}

/* cmd_ingest(): the summary line (and with AGENTCOST_STATS the early-derivation count). */
static void ingest_summary(const ac_ingest_stats *st, const ac_derive_stats *ds, double secs)
{
	printf("ingested %lld file%s: %lld spans (%lld new), %lld record%s or span%s skipped",
	       st->files, st->files == 1 ? "" : "s", st->spans, st->spans_new, st->errors,
	       st->errors == 1 ? "" : "s", st->errors == 1 ? "" : "s");
	if (st->files_seen)
		printf(", %lld already ingested", st->files_seen);
	if (st->files_failed)
		printf(", %lld failed", st->files_failed);
	if (st->files_partial)
		printf(", %lld incomplete (damaged compression)", st->files_partial);
	if (ds->tasks + st->tasks)
		printf(", %lld task%s derived", ds->tasks + st->tasks, ds->tasks + st->tasks == 1 ? "" : "s");
	printf(" in %.2f s", secs);
	if (secs > 0 && st->bytes > 0)
		printf(" (%.1f MB/s)", (double)st->bytes / 1e6 / secs);
	printf("\n");
	if (getenv("AGENTCOST_STATS")) {
		fflush(stdout);
		fprintf(stderr, "agentcost: %lld of %lld tasks derived before their spans were stored\n",
		        st->tasks_early, ds->tasks + st->tasks);
	}
}

int cmd_ingest(int argc, char **argv)
{
	common_opts co;
	if (cli_common(&argc, argv, &co))
		return EXIT_USAGE;
	ac_ingest_opts o = AC_INGEST_OPTS_INIT;
	diag_state d = { 0, 0 };
	o.diag = on_diag;
	o.payload = &d;
	int progress = isatty(2) && !getenv("CI");
	o.no_early = getenv("AGENTCOST_NO_EARLY") != NULL; /* comparisons: every trace the usual way */
	int nfiles = 0;
	char **files = calloc((size_t)argc + 1, sizeof(char *));
	if (!files)
		return EXIT_FAIL;
	int rc = ingest_args(argc, argv, &o, &progress, files, &nfiles);
	if (rc) {
		free(files);
		return rc;
	}
	o.progress = progress ? on_progress : NULL;
	if (nfiles == 0) {
		cli_error("ingest: no input (name files, or - for standard input)");
		usage();
		free(files);
		return EXIT_USAGE;
	}
	ac_store *s = cli_open_store(&co, 1), *remote = NULL;
	if (!s) {
		free(files);
		return EXIT_FAIL;
	}
	char stage_dir[PATH_MAX] = "";
	if (ac_store_is_remote(s)) {
		/* a ClickHouse store: read into a SQLite staging store first */
		remote = s;
		o.no_raw = 1; /* the originals stay out of ClickHouse (show needs SQLite) */
		if (!(s = open_staging(stage_dir, sizeof(stage_dir)))) {
			ac_store_close(remote);
			free(files);
			return EXIT_FAIL;
		}
	}
	ac_pricebook *pb = NULL;
	ac_err err = AC_ERR_INIT;
	int status = EXIT_OK;
	if (ac_pricebook_load(&pb, ac_store_db(s), &err)) {
		cli_error("%s", err.msg);
		ac_store_close(s);
		free(files);
		return EXIT_FAIL;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ac_ingest_stats st;
	memset(&st, 0, sizeof(st));
	int *rcs = calloc((size_t)nfiles, sizeof(int));
	if (!rcs) {
		cli_error("out of memory");
		status = EXIT_FAIL;
	} else if (ac_ingest_files(s, pb, (const char *const *)files, (size_t)nfiles, &o, &st, rcs,
	                           &err)) {
		/* the store itself failed: stopped, unchanged past its last commit */
		cli_error("%s", err.msg);
		status = EXIT_FAIL;
	}
	for (int i = 0; rcs && i < nfiles; i++) {
		if (rcs[i] == AC_EIO && err.msg[0] && d.total == 0)
			cli_error("%s: %s", files[i], err.msg);
		if (rcs[i] != 0 && rcs[i] != AC_EZSTD)
			status = EXIT_FAIL;
	}
	free(rcs);
	/* derive the tasks of every trace this ingest touched */
	ac_derive_stats ds;
	memset(&ds, 0, sizeof(ds));
	int derived = 0;
	if (status != EXIT_FAIL || st.spans_new > 0) {
		ac_err_clear(&err);
		if (ac_tasks_derive(s, &ds, &err)) {
			cli_error("deriving tasks: %s", err.msg);
			status = EXIT_FAIL;
		} else {
			derived = 1;
		}
	}
	/* into ClickHouse: what the staging store holds, also when another file
	 * of the same ingest failed (the files read are kept, as in SQLite) */
	int unsent = remote && derived && ship(remote, s, &ds);
	if (unsent)
		status = EXIT_FAIL;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (d.total > d.shown)
		fprintf(stderr, "agentcost: ... and %lld more errors\n", d.total - d.shown);
	if (unsent) /* read, but not (all) stored: no summary that says ingested */
		fprintf(stderr, "agentcost: %lld spans read, not all stored in ClickHouse (once the "
		                "error above is mended, run the ingest again: what was sent is "
		                "replaced, nothing counts twice)\n",
		        st.spans);
	else
		ingest_summary(&st, &ds, secs);
	if (status == EXIT_OK && (st.errors > 0 || st.files_partial))
		status = EXIT_SKIPPED;
	ac_pricebook_free(pb);
	ac_store_close(s);
	if (remote) {
		ac_store_close(remote);
		remove_staging(stage_dir);
	}
	free(files);
	return status;
}
