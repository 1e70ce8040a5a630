/*
 * CLI plumbing shared by the commands: the common options, messages, opening
 * the store, and printing a table (src/util/table.h) in the chosen format.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "util/buf.h"
#include "tasks/tasks.h"
#include "util/timeutil.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("agentcost: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void cli_note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("agentcost: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

const char *cli_optval(int argc, char **argv, int *i, const char *name, int *missing,
                       const char *cmd)
{
	size_t n = strlen(name);
	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		if (cmd)
			cli_error("%s%soption %s needs a value", cmd, *cmd ? ": " : "", name);
		*missing = 1;
		return NULL;
	}
	(*i)++;
	return argv[*i];
}

int cli_common(int *argc, char **argv, common_opts *o)
{
	int out = 0, bad = 0;
	const char *env = getenv("AGENTCOST_DB");
	o->db = env && *env ? env : "agentcost.db";
	o->format = FMT_TABLE;
	o->since_ns = INT64_MIN;
	o->until_ns = INT64_MAX;
	o->system = NULL;
	for (int i = 0; i < *argc; i++) {
		const char *v;
		if (i == 0 || argv[i][0] != '-' || !strcmp(argv[i], "-")) {
			argv[out++] = argv[i];
			continue;
		}
		if (!strcmp(argv[i], "--")) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if ((v = cli_optval(*argc, argv, &i, "--db", &bad, ""))) {
			o->db = v;
		} else if ((v = cli_optval(*argc, argv, &i, "--format", &bad, ""))) {
			if (!strcmp(v, "table"))
				o->format = FMT_TABLE;
			else if (!strcmp(v, "csv"))
				o->format = FMT_CSV;
			else if (!strcmp(v, "json"))
				o->format = FMT_JSON;
			else {
				cli_error("--format takes table, csv or json, not '%s'", v);
				return EXIT_USAGE;
			}
		} else if ((v = cli_optval(*argc, argv, &i, "--since", &bad, ""))) {
			int64_t ns;
			if (ac_time_parse_iso(v, strlen(v), &ns)) {
				cli_error("--since takes a UTC date YYYY-MM-DD (or an ISO time), not '%s'", v);
				return EXIT_USAGE;
			}
			o->since_ns = ns;
		} else if ((v = cli_optval(*argc, argv, &i, "--until", &bad, ""))) {
			int64_t ns;
			if (ac_time_parse_iso(v, strlen(v), &ns)) {
				cli_error("--until takes a UTC date YYYY-MM-DD (or an ISO time), not '%s'", v);
				return EXIT_USAGE;
			}
			/* a date is inclusive: up to the end of that day */
			o->until_ns = strlen(v) == 10 ? ns + AC_NS_PER_DAY : ns;
		} else if ((v = cli_optval(*argc, argv, &i, "--system", &bad, ""))) {
			o->system = v;
		} else if (bad) {
			return EXIT_USAGE;
		} else {
			argv[out++] = argv[i];
		}
		if (bad)
			return EXIT_USAGE;
	}
	*argc = out;
	argv[out] = NULL;
	return 0;
}

/* The store's switches from the environment (the library reads none):
 * AGENTCOST_BUSY_TIMEOUT_MS (tests shorten the wait for a writer),
 * AGENTCOST_PAGE_SIZE (a new store's page size), AGENTCOST_NO_ROLLUP (set and
 * not "0": every windowed query scans the spans; the tests compare). */
static ac_store_opts store_opts_from_env(void)
{
	ac_store_opts so;
	memset(&so, 0, sizeof(so));
	const char *v;
	if ((v = getenv("AGENTCOST_BUSY_TIMEOUT_MS")) && atoi(v) > 0)
		so.busy_timeout_ms = atoi(v);
	if ((v = getenv("AGENTCOST_PAGE_SIZE")) && atoi(v) > 0)
		so.page_size = atoi(v);
	so.no_rollup = (v = getenv("AGENTCOST_NO_ROLLUP")) && *v && strcmp(v, "0") != 0;
	return so;
}

static const char *command_name = "";

/* AGENTCOST_STATS: what crossed the wire to ClickHouse, at exit. */
static void remote_totals(void)
{
	long long q;
	double sent, received;
	ac_store_remote_totals(&q, &sent, &received);
	fflush(stdout);
	fprintf(stderr, "agentcost: clickhouse: %lld statements, %.0f bytes sent, %.0f bytes received\n",
	        q, sent, received);
}

void cli_set_command(const char *name)
{
	command_name = name;
}

ac_store *cli_open_store(const common_opts *o, int create)
{
	ac_store *s;
	ac_err err = AC_ERR_INIT;
	ac_store_opts so = store_opts_from_env();
	/* AGENTCOST_CH_LOG=FILE: every statement sent to ClickHouse (from the
	 * schema set-up on), appended to FILE */
	const char *logp = getenv("AGENTCOST_CH_LOG");
	static FILE *logf;
	if (o->db && !strncmp(o->db, "clickhouse://", 13) && logp && *logp && !logf) {
		if (!(logf = fopen(logp, "a")))
			cli_error("AGENTCOST_CH_LOG=%s: %s (statements not logged)", logp, strerror(errno));
		ac_store_remote_log(logf);
	}
	if (ac_store_open_opts(&s, o->db, create ? AC_STORE_CREATE : 0, &so, &err)) {
		cli_error("%s", err.msg);
		return NULL;
	}
	/* The commands that change what a SQLite store holds beside the spans
	 * (prices, conventions, promoted dimensions) have no ClickHouse side
	 * yet: refused, rather than written to nowhere. */
	static int at_exit;
	if (ac_store_is_remote(s) && getenv("AGENTCOST_STATS") && !at_exit++)
		atexit(remote_totals);

	if (ac_store_is_remote(s) &&
	    (!strcmp(command_name, "prices") || !strcmp(command_name, "dims"))) {
		cli_error("%s: not available on a ClickHouse store yet (prices, conventions and "
		          "promoted dimensions live in a SQLite store)",
		          command_name);
		ac_store_close(s);
		return NULL;
	}
	/* tasks left underived by an interrupted ingest are derived first, so
	 * no report reads stale tasks */
	long long pending = ac_tasks_pending(s, &err);
	int stale = pending < 0 ? 0 : ac_tasks_rollup_is_stale(s, &err);
	/* a store from an older agentcost is derived again once (minutes on a
	 * year of traces): say so on a terminal rather than look stuck */
	if ((pending > 10000 || stale > 0) && isatty(2) && !getenv("CI"))
		fprintf(stderr, "agentcost: %s first (%lld traces; once)...\n",
		        stale > 0 ? "rebuilding the rollup" : "deriving tasks and rollups", pending);
	if (pending < 0 || stale < 0 || (pending > 0 && ac_tasks_derive(s, NULL, &err)) ||
	    (stale > 0 && ac_tasks_rollup_rebuild(s, &err))) {
		cli_error("%s", err.msg);
		ac_store_close(s);
		return NULL;
	}
	return s;
}

/* ---- tables: the library's writers (util/table.h) ---------------------- */

void out_table_print(out_table *t, FILE *fp, out_format fmt, const char *json_key)
{
	if (!t)
		return;
	if (fmt == FMT_JSON)
		ac_table_write_json(fp, t, json_key);
	else if (fmt == FMT_CSV)
		ac_table_write_csv(fp, t);
	else
		ac_table_write_text(fp, t);
	ac_table_free(t);
}

/* Rows held before a part is written: a few MB of cells at most. */
#define OUT_STREAM_ROWS 4096

void out_stream_row(out_stream *o, FILE *fp)
{
	if (o->fmt == FMT_TABLE || ac_table_rows(o->t) < OUT_STREAM_ROWS)
		return;
	ac_table_write_part(fp, o->t, o->fmt == FMT_JSON, o->key, o->started ? 0 : AC_TABLE_FIRST);
	o->started = 1;
}

void out_stream_end(out_stream *o, FILE *fp)
{
	if (o->fmt == FMT_TABLE || !o->started) {
		out_table_print(o->t, fp, o->fmt, o->key);
	} else {
		ac_table_write_part(fp, o->t, o->fmt == FMT_JSON, o->key, AC_TABLE_LAST);
		ac_table_free(o->t);
	}
	o->t = NULL;
}

void out_stream_abort(out_stream *o)
{
	ac_table_free(o->t);
	o->t = NULL;
}
